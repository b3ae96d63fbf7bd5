//! Date recognition: finds calendar dates written in the forms news pages use
//! (`2020-10-29`, `19.09.2023`, `July 13, 2020`, `09 October 2020`, `Oct. 29`) and
//! validates them. Consumes a string; produces [`Date`]s with their byte spans. It does not
//! guess ambiguous slash dates (`03/04/2020`), which differ between the US and Europe.

use regex::Regex;
use serde::{Serialize, Serializer};
use std::fmt;
use std::sync::OnceLock;

/// A calendar date (proleptic Gregorian), always valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2020.
    pub year: i32,
    /// Month, 1-12.
    pub month: u8,
    /// Day of month, 1-31.
    pub day: u8,
}

impl Date {
    /// Builds a date, or `None` when the day does not exist (2023-02-30).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        if !(1000..=9999).contains(&year) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Result<Date, DateError> {
        let s = s.trim();
        let parts: Vec<&str> = s.split('-').collect();
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        // Digits only: `str::parse` would also take a sign, so "2020-+1-05" was a date.
        if parts.len() != 3 || !digits(parts[0], 4) || !digits(parts[1], 2) || !digits(parts[2], 2)
        {
            return Err(DateError::Format(s.to_string()));
        }
        let num = |p: &str| p.parse::<i32>().map_err(|_| DateError::Format(s.to_string()));
        let (y, m, d) = (num(parts[0])?, num(parts[1])?, num(parts[2])?);
        Date::new(y, m as u8, d as u8).ok_or_else(|| DateError::Impossible(s.to_string()))
    }

    /// Days since 1970-01-01, for date distances.
    pub fn days(&self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Why a date value could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not in the `YYYY-MM-DD` form.
    #[error("date \"{0}\" is not in the form YYYY-MM-DD")]
    Format(String),
    /// Well formed, but the day does not exist.
    #[error("date \"{0}\" does not exist (check the month and day)")]
    Impossible(String),
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// A date found in text. `year_given` is false for forms such as `Oct. 29`, whose year was
/// supplied by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// The date.
    pub date: Date,
    /// Byte range in the searched text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// Whether the text stated the year.
    pub year_given: bool,
}

const MONTHS: &str = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

fn month_number(name: &str) -> Option<u8> {
    let n = name.to_ascii_lowercase();
    let key = n.get(..3)?;
    let m = match key {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

struct Patterns {
    iso: Regex,
    dotted: Regex,
    mdy: Regex,
    dmy: Regex,
    md: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        // Word boundaries and digits are ASCII: dates are written in ASCII, and a Unicode \b
        // makes the regex engine leave its fast automaton on any text with a curly quote.
        let re = |s: &str| {
            Regex::new(&s.replace(r"\b", r"(?-u:\b)").replace(r"\d", "[0-9]"))
                .expect("built-in date pattern is valid")
        };
        Patterns {
            iso: re(r"\b(\d{4})[-/](\d{1,2})[-/](\d{1,2})\b"),
            dotted: re(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b"),
            mdy: re(&format!(r"(?i)\b{MONTHS}\.?\s*(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")),
            dmy: re(&format!(
                r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS}\.?,?\s+(\d{{4}})\b"
            )),
            md: re(&format!(r"(?i)\b{MONTHS}\.?\s*(\d{{1,2}})\b")),
        }
    })
}

/// Finds every full date (with a year) in `text`, in order of position. Impossible dates
/// (2023-02-30) are not returned; see [`impossible`] to report them.
pub fn find(text: &str) -> Vec<Found> {
    // Every full date has a four-digit year: most lines asked (headlines, bylines, datelines
    // without a year) are ruled out without running four patterns.
    if !has_four_digits(text) {
        return Vec::new();
    }
    let p = patterns();
    let mut out = Vec::new();
    let num = |s: &str| s.parse::<i32>().unwrap_or(0);
    for c in p.iso.captures_iter(text) {
        let m = c.get(0).expect("group 0 always exists");
        if let Some(d) = Date::new(num(&c[1]), num(&c[2]) as u8, num(&c[3]) as u8) {
            out.push(Found { date: d, start: m.start(), end: m.end(), year_given: true });
        }
    }
    for c in p.dotted.captures_iter(text) {
        let m = c.get(0).expect("group 0 always exists");
        if let Some(d) = Date::new(num(&c[3]), num(&c[2]) as u8, num(&c[1]) as u8) {
            out.push(Found { date: d, start: m.start(), end: m.end(), year_given: true });
        }
    }
    for c in p.mdy.captures_iter(text) {
        let m = c.get(0).expect("group 0 always exists");
        if let Some(d) =
            month_number(&c[1]).and_then(|mo| Date::new(num(&c[3]), mo, num(&c[2]) as u8))
        {
            out.push(Found { date: d, start: m.start(), end: m.end(), year_given: true });
        }
    }
    for c in p.dmy.captures_iter(text) {
        let m = c.get(0).expect("group 0 always exists");
        if let Some(d) =
            month_number(&c[2]).and_then(|mo| Date::new(num(&c[3]), mo, num(&c[1]) as u8))
        {
            out.push(Found { date: d, start: m.start(), end: m.end(), year_given: true });
        }
    }
    out.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    // Drop matches nested in an earlier, longer one.
    let mut kept: Vec<Found> = Vec::with_capacity(out.len());
    for f in out {
        if kept.last().is_none_or(|k| f.start >= k.end) {
            kept.push(f);
        }
    }
    kept
}

/// Whether `text` has four ASCII digits in a row.
fn has_four_digits(text: &str) -> bool {
    let mut run = 0;
    text.bytes().any(|b| {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        run == 4
    })
}

/// Finds month-day dates without a year (`Oct. 29`, `July 13`) and completes them with `year`.
/// Full dates are returned too.
pub fn find_with_year(text: &str, year: i32) -> Vec<Found> {
    let mut full = find(text);
    for c in patterns().md.captures_iter(text) {
        let m = c.get(0).expect("group 0 always exists");
        if full.iter().any(|f| m.start() < f.end && f.start < m.end()) {
            continue;
        }
        let day = c[2].parse::<u8>().unwrap_or(0);
        if let Some(d) = month_number(&c[1]).and_then(|mo| Date::new(year, mo, day)) {
            full.push(Found { date: d, start: m.start(), end: m.end(), year_given: false });
        }
    }
    full.sort_by_key(|f| f.start);
    full
}

/// Returns the text of ISO-looking dates in `text` that do not exist, such as `2023-02-30`.
pub fn impossible(text: &str) -> Vec<String> {
    patterns()
        .iso
        .captures_iter(text)
        .filter(|c| {
            let n = |i: usize| c[i].parse::<i32>().unwrap_or(0);
            Date::new(n(1), n(2) as u8, n(3) as u8).is_none()
        })
        .map(|c| c[0].to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(s: &str) -> Option<String> {
        find(s).first().map(|f| f.date.to_string())
    }

    #[test]
    fn only_text_with_four_digits_in_a_row_is_searched() {
        assert!(has_four_digits("Nov. 11, 2020"));
        assert!(has_four_digits("20201111"));
        assert!(!has_four_digits("BAKU, Azerbaijan, Nov. 11"));
        assert!(!has_four_digits("12 345 67 8.901"));
        assert_eq!(first("on 11.11.2020"), Some("2020-11-11".into()));
        assert!(find("Oct. 29, 20 20").is_empty());
    }

    #[test]
    fn dates_inside_typographic_punctuation() {
        assert_eq!(
            first("he said “on Sept. 27, 2020” at the talks").as_deref(),
            Some("2020-09-27")
        );
        assert_eq!(first("«2020-10-29»").as_deref(), Some("2020-10-29"));
        assert_eq!(first("(27\u{a0}September\u{a0}2020)").as_deref(), Some("2020-09-27"));
        // Digits of other scripts are not read as dates.
        assert_eq!(first("٢٠٢٠-١٠-٢٩"), None);
    }

    #[test]
    fn forms_the_seeds_use() {
        assert_eq!(first(" date 2020-10-29 BAKU").as_deref(), Some("2020-10-29"));
        assert_eq!(first("Publication: 19.09.2023 - 17:58").as_deref(), Some("2023-09-19"));
        assert_eq!(first("World July 13, 2020, 19:06").as_deref(), Some("2020-07-13"));
        assert_eq!(first("Friday, 09 October 2020 11:34 AM").as_deref(), Some("2020-10-09"));
        assert_eq!(first("11 November 2019 14:51 (UTC+04:00)").as_deref(), Some("2019-11-11"));
        assert_eq!(first("Sept. 27, 2020").as_deref(), Some("2020-09-27"));
        assert_eq!(first("the 3rd of March 2021").as_deref(), Some("2021-03-03"));
    }

    #[test]
    fn month_day_takes_the_given_year() {
        let f = find_with_year("on Oct. 29, Trend reports", 2020);
        assert_eq!(f[0].date.to_string(), "2020-10-29");
        assert!(!f[0].year_given);
        let f = find_with_year("BAKU, Azerbaijan, Oct.29", 2020);
        assert_eq!(f[0].date.to_string(), "2020-10-29");
    }

    #[test]
    fn impossible_dates_are_rejected() {
        assert_eq!(Date::parse_iso("2023-02-30"), Err(DateError::Impossible("2023-02-30".into())));
        assert_eq!(Date::parse_iso("2024-02-29").map(|d| d.to_string()), Ok("2024-02-29".into()));
        assert!(matches!(Date::parse_iso("29/02/2024"), Err(DateError::Format(_))));
        assert!(matches!(Date::parse_iso("2020-+1-05"), Err(DateError::Format(_))));
        assert!(matches!(Date::parse_iso("+202-01-05"), Err(DateError::Format(_))));
        assert_eq!(impossible("on 2023-02-30 and 2023-02-28"), vec!["2023-02-30"]);
        assert!(find("2023-02-30").is_empty());
    }

    #[test]
    fn days_counts_from_epoch() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().days(), 0);
        assert_eq!(
            Date::new(2020, 10, 29).unwrap().days() - Date::new(2020, 9, 27).unwrap().days(),
            32
        );
    }
}
