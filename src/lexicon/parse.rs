//! Lexicon parsing and validation. Consumes the text of a lexicon CSV (directives, header,
//! rows); produces a [`Lexicon`] with every row that could be read and a [`Problem`] for
//! every row that could not, each naming file, line and column.

use super::{Cue, Entry, Lexicon};
use crate::text::fold_words;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The lexicon cannot be used until this is fixed.
    Error,
    /// Worth a look; the lexicon still works.
    Warning,
}

/// A problem in a lexicon file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// File name as given.
    pub file: String,
    /// 1-based physical line.
    pub line: u64,
    /// 1-based column number of the field, when one field is at fault.
    pub column: Option<usize>,
    /// Column name, when one field is at fault.
    pub field: Option<String>,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)?;
        if let Some(c) = self.column {
            write!(f, ":{c}")?;
        }
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {sev}: ")?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        write!(f, "{}", self.message)
    }
}

const COLUMNS: &[&str] = &[
    "term", "concept", "pole", "weight", "note", "neutral", "near", "not_near", "window", "match",
];

/// Parses a lexicon. Rows with errors are left out of the lexicon and reported.
pub fn parse(file: &str, text: &str) -> (Lexicon, Vec<Problem>) {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut problems = Vec::new();
    let problem = |line: u64, col: Option<usize>, msg: String| Problem {
        file: file.to_string(),
        line,
        column: col.map(|c| c + 1),
        field: col.and_then(|c| COLUMNS.get(c)).map(|s| s.to_string()),
        severity: Severity::Error,
        message: msg,
    };
    let mut lex = Lexicon {
        name: stem(file),
        source: file.to_string(),
        language: "en".into(),
        default: true,
        ..Lexicon::default()
    };

    // Directives: leading lines starting with '#'. They are blanked (not removed) before the
    // CSV reader sees the text, so its line numbers stay the file's line numbers.
    let mut body = String::with_capacity(text.len());
    let mut in_directives = true;
    for (i, line) in text.split('\n').enumerate() {
        let t = line.trim();
        if in_directives && (t.starts_with('#') || t.is_empty()) {
            if let Some((k, v)) = t.trim_start_matches('#').split_once(':') {
                let v = v.trim().trim_end_matches(',').trim_matches('"').to_string();
                match k.trim().to_ascii_lowercase().as_str() {
                    "name" => lex.name = v,
                    "description" => lex.description = v,
                    "language" => lex.language = v,
                    "default" => {
                        lex.default =
                            !matches!(v.to_ascii_lowercase().as_str(), "no" | "false" | "0")
                    }
                    "poles" => lex.poles = list(&v),
                    "axis" => {
                        let a = list(&v);
                        if a.len() == 2 {
                            lex.axis = Some((a[0].clone(), a[1].clone()));
                        } else {
                            problems.push(problem(i as u64 + 1, None, format!("#axis needs two poles, negative first (e.g. \"armenia,azerbaijan\"), got \"{v}\"")));
                        }
                    }
                    _ => {}
                }
            }
            body.push('\n');
            continue;
        }
        in_directives = false;
        body.push_str(line);
        body.push('\n');
    }
    if lex.poles.is_empty() {
        problems.push(problem(
            1,
            None,
            "no #poles directive (e.g. \"#poles: azerbaijan,armenia,neutral\")".into(),
        ));
    }
    if let Some((neg, pos)) = &lex.axis {
        for p in [neg, pos] {
            if !lex.poles.contains(p) {
                problems.push(problem(
                    1,
                    None,
                    format!("#axis pole \"{p}\" is not among #poles ({})", lex.poles.join(", ")),
                ));
            }
        }
    }
    if let Some((line, col)) = crate::corpus::unclosed_quote_in(&body) {
        problems.push(Problem {
            column: Some(col),
            ..problem(
                line as u64,
                None,
                "a quote opened here is never closed; the rest of the file would be one cell"
                    .into(),
            )
        });
        return (lex, problems);
    }

    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(body.as_bytes());
    let headers: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_ascii_lowercase()).collect(),
        Err(e) => {
            problems.push(problem(1, None, format!("cannot read the header row: {e}")));
            return (lex, problems);
        }
    };
    let header_line = rdr.position().line();
    let col_of = |name: &str| headers.iter().position(|h| h == name);
    for required in ["term", "concept", "pole"] {
        if col_of(required).is_none() {
            problems.push(problem(
                header_line,
                None,
                format!("missing column \"{required}\" (header: {})", headers.join(",")),
            ));
        }
    }
    if problems
        .iter()
        .any(|p| p.severity == Severity::Error && p.message.starts_with("missing column"))
    {
        return (lex, problems);
    }
    // Report columns by their position in the canonical order, the way the user sees them.
    let canon = |name: &str| COLUMNS.iter().position(|c| *c == name);
    // (words, wildcard, near, not_near) -> (first line, pole)
    type Context = (Vec<String>, bool, String, String);
    let mut seen: BTreeMap<Context, (u64, String)> = BTreeMap::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                problems.push(problem(e.position().map_or(0, |p| p.line()), None, e.to_string()));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line());
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rec.len() != headers.len() {
            problems.push(problem(
                line,
                None,
                format!(
                    "row has {} fields, the header has {}; quote cells that contain commas",
                    rec.len(),
                    headers.len()
                ),
            ));
            continue;
        }
        let get =
            |name: &str| col_of(name).and_then(|c| rec.get(c)).unwrap_or("").trim().to_string();
        let err = |name: &str, msg: String| {
            let mut p = problem(line, canon(name), msg);
            if let Some(c) = col_of(name) {
                p.column = Some(c + 1);
            }
            p
        };
        let mut row_problems = Vec::new();
        let raw_term = get("term");
        let wildcard = raw_term.ends_with('*');
        let words = fold_words(raw_term.trim_end_matches('*'));
        if raw_term.is_empty() {
            row_problems.push(err("term", "empty term".into()));
        } else if raw_term.trim_end_matches('*').trim().is_empty() {
            row_problems.push(err(
                "term",
                "a wildcard alone matches every word; give a prefix such as \"liberat*\"".into(),
            ));
        } else if words.is_empty() {
            row_problems.push(err(
                "term",
                format!("\"{raw_term}\" has no letters or digits, so it can never match"),
            ));
        } else if raw_term.trim_end_matches('*').contains('*') {
            row_problems.push(err("term", "\"*\" is only allowed at the end of a term".into()));
        } else if wildcard && words.last().is_some_and(|w| w.chars().count() < 3) {
            row_problems.push(err("term", "a wildcard prefix needs at least 3 letters".into()));
        }
        let concept = get("concept");
        if concept.is_empty() {
            row_problems.push(err("concept", "empty concept".into()));
        }
        let pole = get("pole");
        if !lex.poles.contains(&pole) {
            row_problems.push(err(
                "pole",
                format!("unknown pole \"{pole}\" (expected {})", lex.poles.join(", ")),
            ));
        }
        let weight = match get("weight").as_str() {
            "" => 1.0,
            w => match w.parse::<f64>() {
                Ok(x) if x.is_finite() && x > 0.0 => x,
                _ => {
                    row_problems
                        .push(err("weight", format!("weight \"{w}\" is not a positive number")));
                    1.0
                }
            },
        };
        let window = match get("window").as_str() {
            "" => 8,
            w => match w.parse::<usize>() {
                Ok(x) if (1..=50).contains(&x) => x,
                _ => {
                    row_problems.push(err(
                        "window",
                        format!("window \"{w}\" is not a whole number from 1 to 50"),
                    ));
                    8
                }
            },
        };
        let inflect = match get("match").to_ascii_lowercase().as_str() {
            "" | "inflect" => !wildcard,
            "exact" => false,
            m => {
                row_problems.push(err(
                    "match",
                    format!("unknown match \"{m}\" (expected inflect or exact)"),
                ));
                false
            }
        };
        let near = cues(&get("near"));
        let not_near = cues(&get("not_near"));
        if near.iter().chain(&not_near).any(|c| c.words.is_empty()) {
            row_problems.push(err("near", "a cue has no letters or digits".into()));
        }
        if row_problems.is_empty() {
            let key = (
                words.clone(),
                wildcard,
                get("near").to_lowercase(),
                get("not_near").to_lowercase(),
            );
            if let Some((first, first_pole)) = seen.get(&key) {
                let what = if *first_pole == pole { "duplicate" } else { "conflicting" };
                row_problems.push(err("term", format!("{what} entry: \"{raw_term}\" with the same context is already on line {first} (pole {first_pole}); remove one, or give them different near/not_near rules")));
            } else {
                seen.insert(key, (line, pole.clone()));
            }
        }
        if !row_problems.is_empty() {
            problems.extend(row_problems);
            continue;
        }
        lex.entries.push(Entry {
            term: raw_term,
            words,
            wildcard,
            inflect,
            concept,
            pole,
            weight,
            note: get("note"),
            neutral: get("neutral"),
            near,
            not_near,
            window,
            line,
        });
    }
    problems.sort_by_key(|p| (p.line, p.column));
    (lex, problems)
}

fn list(v: &str) -> Vec<String> {
    v.split([',', ';']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

fn cues(v: &str) -> Vec<Cue> {
    v.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Cue {
            text: s.to_string(),
            words: fold_words(s.trim_end_matches('*')),
            wildcard: s.ends_with('*'),
        })
        .collect()
}

fn stem(file: &str) -> String {
    std::path::Path::new(file).file_stem().and_then(|s| s.to_str()).unwrap_or(file).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "#name: t\n#poles: a,b,neutral\n#axis: b,a\nterm,concept,pole,weight,note,neutral,near,not_near,window,match\n";

    #[test]
    fn good_rows_parse() {
        let (lex, problems) = parse("t.csv", &format!("{HEAD}occupied,control,a,1,note,,armenia*;yerevan,,6,\nliberat*,control,a,,n,,,,,\n\"Nagorno-Karabakh\",place,neutral,0.5,n,,,,,exact\n"));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(lex.entries.len(), 3);
        assert_eq!(lex.axis, Some(("b".into(), "a".into())));
        assert_eq!(lex.entries[0].near.len(), 2);
        assert_eq!(lex.entries[0].window, 6);
        assert_eq!(lex.entries[0].line, 5);
        assert!(lex.entries[1].wildcard && !lex.entries[1].inflect);
        assert_eq!(lex.entries[2].words, vec!["nagorno", "karabakh"]);
    }

    #[test]
    fn every_bad_row_is_reported_with_line_and_column() {
        let rows = "x,c,a,1,,,,,,\nx,c,a,1,,,,,,\ny,c,zz,1,,,,,,\n,c,a,1,,,,,,\nz,c,a,heavy,,,,,,\n\"--\",c,a,1,,,,,,\n*,c,a,1,,,,,,\nw,c,a,1,,,,,,\n";
        let (lex, problems) = parse("t.csv", &format!("{HEAD}{rows}"));
        let got: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(lex.entries.len(), 2, "{got:#?}");
        assert_eq!(got.len(), 6, "{got:#?}");
        assert!(got[0].starts_with("t.csv:6:1: error: term: duplicate entry"), "{}", got[0]);
        assert!(got[1].starts_with("t.csv:7:3: error: pole: unknown pole \"zz\""), "{}", got[1]);
        assert!(got[2].starts_with("t.csv:8:1: error: term: empty term"), "{}", got[2]);
        assert!(got[3].starts_with("t.csv:9:4: error: weight: weight \"heavy\""), "{}", got[3]);
        assert!(got[4].starts_with("t.csv:10:1: error: term: \"--\" has no letters"), "{}", got[4]);
        assert!(got[5].starts_with("t.csv:11:1: error: term: a wildcard alone"), "{}", got[5]);
    }

    #[test]
    fn conflicting_poles_and_unclosed_quotes() {
        let (_, p) = parse("t.csv", &format!("{HEAD}x,c,a,1,,,,,,\nx,c,b,1,,,,,,\n"));
        assert!(p[0].message.starts_with("conflicting entry"));
        let (_, p) = parse("t.csv", &format!("{HEAD}x,c,a,1,\"open,,,,,\ny,c,a,1,,,,,,\n"));
        assert_eq!((p[0].line, p[0].column), (5, Some(9)));
    }
}
