//! Cleaning and detection for one text: removes page furniture (boilerplate rules, masthead
//! lines, separators, date lines, repeated paragraphs) and recognises the date and title when
//! no header gave them. Consumes the body text after any header; produces the kept text, a
//! map from its lines to the original lines, and a record of every removed line.

use super::boilerplate::{Rules, Scope};
use super::dates::{self, Date};
use super::outlets::Registry;
use super::Removed;
use regex::Regex;
use std::collections::HashSet;
use std::sync::OnceLock;

/// The result of cleaning one text.
#[derive(Debug, Clone, Default)]
pub struct Cleaned {
    /// Kept lines joined by `\n`.
    pub text: String,
    /// Original 1-based line number of each kept line.
    pub lines: Vec<u32>,
    /// Every removed line, with why.
    pub removed: Vec<Removed>,
    /// A date recognised from a marker or a date line, and how; see [`Cleaned::date`].
    pub date: Option<(Date, &'static str)>,
    /// A title recognised from the text, and how (`headline` or `lead`).
    pub title: Option<(String, &'static str)>,
    /// Words of the kept text, as [`super::count_words`] counts them.
    pub words: usize,
}

fn marker() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*(.*)$").expect("valid marker pattern")
    })
}

fn date_line_filler() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)\b(\d{1,2}:\d{2}(:\d{2})?|am|pm|utc|gmt|[+-]\d{2}:?\d{2}|monday|tuesday|wednesday|thursday|friday|saturday|sunday|published|publication|updated|posted|on|at)\b|[^\p{L}\p{N}]+")
            .expect("valid filler pattern")
    })
}

/// Words left on a line once its date, times and weekday are taken out.
fn words_besides_date(line: &str, found: &dates::Found) -> usize {
    let rest = format!("{} {}", &line[..found.start], &line[found.end..]);
    date_line_filler().replace_all(&rest, " ").split_whitespace().count()
}

/// A paragraph's words, lower-cased and space-separated: what "repeated" compares.
fn key(line: &str) -> String {
    let mut k = String::with_capacity(line.len());
    if line.is_ascii() {
        let mut gap = false;
        for &b in line.as_bytes() {
            if b.is_ascii_alphanumeric() {
                if gap && !k.is_empty() {
                    k.push(' ');
                }
                gap = false;
                k.push(char::from(b.to_ascii_lowercase()));
            } else {
                gap = true;
            }
        }
        return k;
    }
    for w in line.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !k.is_empty() {
            k.push(' ');
        }
        if w.is_ascii() {
            k.extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            k.push_str(&w.to_lowercase());
        }
    }
    k
}

/// A summary of [`key`]`(line)` that equal keys share (its bytes other than spaces and its
/// words), and the line's words as [`super::count_words`] counts them. For ASCII both are
/// computed without building the key, in passes that compile to vector code.
fn key_signature(line: &str) -> ((usize, usize), usize) {
    if line.is_ascii() {
        use crate::text::fast::{alnum_stats, ascii_joins};
        let (alnum, runs) = alnum_stats(line.as_bytes());
        return ((alnum, runs), runs - ascii_joins(line));
    }
    let k = key(line);
    let words = if k.is_empty() { 0 } else { k.split(' ').count() };
    ((k.bytes().filter(|&b| b != b' ').count(), words), super::count_words(line))
}

/// Cleans `body`, whose first line is line `first_line` of the input.
pub fn clean(body: &str, first_line: u32, rules: &Rules, registry: &Registry) -> Cleaned {
    let mut out = Cleaned::default();
    // Kept lines borrow from `body`: one string is built, at the end.
    let mut kept: Vec<(u32, &str)> = Vec::new();
    let mut rest_reason: Option<String> = None;
    let mut seen_text = false;
    // Blank lines among `kept`, so that its paragraphs are counted without a scan.
    let mut blank = 0;
    for (i, raw) in crate::lines(body).enumerate() {
        let line_no = first_line + i as u32;
        let mut line = raw;
        let remove = |reason: &str, text: &str, out: &mut Cleaned| {
            out.removed.push(Removed {
                line: line_no,
                text: text.trim().to_string(),
                reason: reason.to_string(),
            })
        };
        if let Some(r) = &rest_reason {
            if !line.trim().is_empty() {
                remove(r, line, &mut out);
            }
            continue;
        }
        if !seen_text {
            if let Some(c) = marker().captures(line) {
                if let Ok(d) = Date::parse_iso(&c[1]) {
                    out.date.get_or_insert((d, "marker"));
                }
                remove("date marker", &format!("date {}", &c[1]), &mut out);
                line = c.get(2).map_or("", |m| m.as_str());
            }
        }
        let trimmed = line.trim();
        if trimmed.is_empty() {
            kept.push((line_no, ""));
            blank += 1;
            continue;
        }
        if let Some(rule) = rules.classify(trimmed) {
            let reason = format!("boilerplate: {}", rule.note);
            remove(&reason, trimmed, &mut out);
            if rule.scope == Scope::Rest {
                rest_reason = Some(format!("after \"{}\": {}", trimmed, rule.note));
            }
            continue;
        }
        if registry.is_masthead(trimmed) {
            remove("masthead: the outlet's name on a line of its own", trimmed, &mut out);
            continue;
        }
        if !trimmed.chars().any(char::is_alphanumeric) {
            remove("separator line", trimmed, &mut out);
            continue;
        }
        if kept.len() - blank < 12 && trimmed.len() <= 90 {
            if let Some(f) = dates::find(trimmed).first() {
                if words_besides_date(trimmed, f) <= 2 {
                    out.date.get_or_insert((f.date, "date line"));
                    remove("date line", trimmed, &mut out);
                    continue;
                }
            }
        }
        seen_text = true;
        kept.push((line_no, trimmed));
    }
    // A paragraph repeated word for word (a headline echoed under the date, a standfirst
    // repeated as the first paragraph) would be counted twice. Paragraphs are compared by a
    // summary of their key first. Keys are built only once a summary comes back, and each
    // at most once, so that many paragraphs sharing a summary stay linear.
    // Summary -> the first paragraph with it, while its key is not yet in `keys`.
    let mut first: rustc_hash::FxHashMap<(usize, usize), Option<usize>> =
        rustc_hash::FxHashMap::default();
    let mut keys: HashSet<String> = HashSet::new();
    let mut repeats = vec![false; kept.len()];
    let mut words = vec![0; kept.len()];
    for (i, (no, l)) in kept.iter().enumerate() {
        if l.is_empty() {
            continue;
        }
        let sig;
        (sig, words[i]) = key_signature(l);
        if sig.1 < 4 {
            continue;
        }
        let Some(pending) = first.get_mut(&sig) else {
            first.insert(sig, Some(i));
            continue;
        };
        if let Some(j) = pending.take() {
            keys.insert(key(kept[j].1));
        }
        if !keys.insert(key(l)) {
            out.removed.push(Removed {
                line: *no,
                text: l.to_string(),
                reason: "repeats an earlier paragraph".into(),
            });
            repeats[i] = true;
        }
    }
    out.words = repeats.iter().zip(&words).filter(|(r, _)| !**r).map(|(_, w)| w).sum();
    let mut repeated = repeats.into_iter();
    kept.retain(|_| !repeated.next().unwrap_or(false));
    // Collapse runs of blank lines left behind by removals.
    let mut lines: Vec<(u32, &str)> = Vec::with_capacity(kept.len());
    for (no, l) in kept {
        if l.is_empty() && lines.last().is_none_or(|(_, p)| p.is_empty()) {
            continue;
        }
        lines.push((no, l));
    }
    while lines.last().is_some_and(|(_, l)| l.is_empty()) {
        lines.pop();
    }
    out.title = detect_title(&lines);
    out.removed.sort_by_key(|r| r.line);
    out.lines = lines.iter().map(|(n, _)| *n).collect();
    out.text = lines.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("\n");
    out
}

impl Cleaned {
    /// The date of the article: from a marker or date line, else the first date in its
    /// first five paragraphs. Separate from [`clean`] because searching the text is costly
    /// and wasted when a header or column already gives the date.
    pub fn date(&self) -> Option<(Date, &'static str)> {
        self.date.or_else(|| {
            let head: Vec<&str> = self.text.split('\n').filter(|l| !l.is_empty()).take(5).collect();
            dates::find(&head.join("\n")).first().map(|f| (f.date, "text"))
        })
    }
}

/// The first line if it reads as a headline; otherwise the first clause of the lead.
fn detect_title(lines: &[(u32, &str)]) -> Option<(String, &'static str)> {
    let mut paras = lines.iter().filter(|(_, l)| !l.is_empty()).map(|(_, l)| *l);
    let first = paras.next()?;
    // Only whether it has 2 to 30 words matters: a long paragraph is not read to its end.
    let words = first.split_whitespace().take(31).count();
    let more = paras.next().is_some();
    let ends_sentence = first.ends_with('.') && !first.ends_with("..");
    if more
        && (2..=30).contains(&words)
        && !ends_sentence
        && !first.starts_with(['"', '“', '«', '„'])
    {
        return Some((first.to_string(), "headline"));
    }
    // No headline: the lead's first clause stands in, marked as such.
    let sentence = first.split_inclusive(". ").next().unwrap_or(first);
    let clause = sentence.split(", ").next().unwrap_or(sentence).trim_end_matches('.');
    let clause: String = clause.split_whitespace().take(20).collect::<Vec<_>>().join(" ");
    (!clause.is_empty()).then_some((clause, "lead"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> Cleaned {
        clean(s, 1, &Rules::builtin(), &Registry::builtin())
    }

    #[test]
    fn marker_dateline_byline_and_lead_title() {
        let c = run(" date 2020-10-29 BAKU, Azerbaijan, Oct.29\n\nTrend:\n\nRussia is making efforts to calm things, an official said.\n\nMore text here.");
        assert_eq!(c.date.unwrap().0.to_string(), "2020-10-29");
        assert_eq!(
            c.title.unwrap(),
            ("Russia is making efforts to calm things".to_string(), "lead")
        );
        assert!(c.text.starts_with("Russia is making"));
        assert_eq!(c.lines[0], 5);
        assert_eq!(c.removed.len(), 3);
    }

    #[test]
    fn headline_date_line_and_repeat() {
        let c = run("Talks resume in the capital\n\nPublication: 19.09.2023 - 17:58\nTalks resume in the capital\nAbone Ol google-news\n\nBody one.\n\nBody two.");
        assert_eq!(c.date.unwrap(), (Date::new(2023, 9, 19).unwrap(), "date line"));
        assert_eq!(c.title.unwrap().0, "Talks resume in the capital");
        assert_eq!(c.text, "Talks resume in the capital\n\nBody one.\n\nBody two.");
        assert!(c
            .removed
            .iter()
            .any(|r| r.reason == "repeats an earlier paragraph" && r.line == 4));
    }

    #[test]
    fn repeats_are_compared_by_key_not_by_summary() {
        // Same letters and words in another order: same summary, different paragraph.
        let c = run("Headline of the day here\n\nAlpha beta gamma delta.\n\nDelta gamma beta alpha.\n\nALPHA, beta; gamma delta!\n\nÉcho beta gamma delta.\n\nécho Beta gamma delta");
        let repeats: Vec<u32> = c
            .removed
            .iter()
            .filter(|r| r.reason == "repeats an earlier paragraph")
            .map(|r| r.line)
            .collect();
        assert_eq!(repeats, vec![7, 11]);
        // Many paragraphs with one summary: each is kept once, and a repeat of any is found.
        let mut body = String::from("Tables of the day here\n");
        for i in 0..300 {
            body.push_str(&format!("\n2023 {:02} {:02} 10\n", i / 60 + 10, i % 60 + 10));
        }
        body.push_str("\n2023 11 17 10\n\n2023.12.10.10");
        let c = run(&body);
        let repeats: Vec<&str> = c
            .removed
            .iter()
            .filter(|r| r.reason == "repeats an earlier paragraph")
            .map(|r| r.text.as_str())
            .collect();
        assert_eq!(repeats, vec!["2023 11 17 10", "2023.12.10.10"]);
        for line in ["Alpha, beta; gamma", "Écho beta", "  ", "a1 b_2"] {
            let k = key(line);
            let (ascii_sig, words) = key_signature(line);
            let (from_key, _) = key_signature(&k);
            assert_eq!(ascii_sig, from_key, "{line:?}");
            assert_eq!(words, crate::corpus::count_words(line), "{line:?}");
        }
    }

    #[test]
    fn rest_scope_removes_everything_after() {
        let c = run(
            "Headline here now\n\nBody text.\n\n---\nRelated news\nOther headline\nPolitics 15:10",
        );
        assert_eq!(c.text, "Headline here now\n\nBody text.");
        assert_eq!(c.removed.len(), 4);
    }
}
