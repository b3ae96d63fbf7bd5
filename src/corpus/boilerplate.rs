//! Boilerplate rules (`lexicons/boilerplate.csv`): patterns for page furniture that must not
//! be analysed as article text, such as share buttons, "Related news" lists, donation banners
//! and bylines. Consumes the CSV; produces [`Rules`] that classify one line at a time. The
//! rules are data: a new site's furniture is a new row.

use rayon::prelude::*;
use regex_automata::meta::{self, Regex};
use regex_automata::Input;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

/// The bundled rules.
pub const BUILTIN: &str = include_str!("../../lexicons/boilerplate.csv");

/// What a matching rule removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Only the matching line.
    Line,
    /// The matching line and everything after it.
    Rest,
}

/// One rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The pattern, matched against the trimmed line.
    pub pattern: Regex,
    /// What it removes.
    pub scope: Scope,
    /// Why the line is furniture; shown in the removal record.
    pub note: String,
    /// The longest line the pattern can match, when it is anchored at both ends of the line
    /// (`^…$`) and bounded: longer lines are ruled out without running it.
    longest: Option<usize>,
}

/// All boilerplate rules, in file order.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    rules: Vec<Rule>,
    /// Tells these rules' match caches from those of other rules (0: no rules).
    id: u64,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// This thread's match caches: the id of the rules they belong to, and one per rule. A
    /// regex shared by threads lends its caches from a pool, which costs a lock on every
    /// thread but the first; every line of every document is matched against every rule.
    static CACHES: RefCell<(u64, Vec<meta::Cache>)> = const { RefCell::new((0, Vec::new())) };
}

/// A problem in a boilerplate file.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{source_name}:{line}: {message}")]
pub struct RulesError {
    /// File name.
    pub source_name: String,
    /// 1-based line.
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

impl Rules {
    /// Parses rules from CSV text with the columns `pattern,scope,note`.
    pub fn parse(source_name: &str, text: &str) -> Result<Rules, RulesError> {
        let err = |line: u64, message: String| RulesError {
            source_name: source_name.to_string(),
            line,
            message,
        };
        let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        // Rows are read up to the first bad one; its error comes after any invalid pattern
        // above it, as when each row was compiled as it was read.
        let mut rows = Vec::new();
        let mut row_error = None;
        for rec in rdr.records() {
            let rec = match rec {
                Ok(rec) => rec,
                Err(e) => {
                    row_error = Some(err(e.position().map_or(0, |p| p.line()), e.to_string()));
                    break;
                }
            };
            let line = rec.position().map_or(0, |p| p.line());
            let scope = match rec.get(1).unwrap_or("").trim() {
                "line" | "" => Scope::Line,
                "rest" => Scope::Rest,
                other => {
                    let message = format!("unknown scope \"{other}\" (expected line or rest)");
                    row_error = Some(err(line, message));
                    break;
                }
            };
            let field = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
            rows.push((line, field(0), scope, field(2)));
        }
        // Patterns with Unicode classes under bounded repeats take milliseconds each to
        // compile, most of a short run's time: they compile in parallel. The first invalid
        // one in file order is reported.
        let compiled: Vec<Result<Regex, String>> = rows
            .par_iter()
            // One rule per task: the costly rules sit together at the end of the file.
            .with_max_len(1)
            .map(|(_, pattern, _, _)| {
                // A larger lazy-DFA cache than the default 2 MB: bounded repeats of Unicode
                // classes (`[\p{L}.]{0,30}`) need many states, and with the default the cache
                // thrashes and matching falls back to slower engines (20x slower per line).
                Regex::builder()
                    .configure(Regex::config().hybrid_cache_capacity(8 << 20))
                    .build(pattern)
                    // The regex crate's message for the same pattern: it points at the error.
                    .map_err(|_| match regex::Regex::new(pattern) {
                        Err(e) => e.to_string(),
                        Ok(_) => "the pattern is too large".to_string(),
                    })
            })
            .collect();
        let mut rules = Vec::with_capacity(rows.len());
        for ((line, text, scope, note), pattern) in rows.into_iter().zip(compiled) {
            let pattern = pattern.map_err(|e| err(line, format!("invalid pattern: {e}")))?;
            rules.push(Rule { pattern, scope, note, longest: longest_line(&text) });
        }
        if let Some(e) = row_error {
            return Err(e);
        }
        Ok(Rules { rules, id: NEXT_ID.fetch_add(1, Ordering::Relaxed) })
    }

    /// The bundled rules.
    pub fn builtin() -> Rules {
        Rules::parse("lexicons/boilerplate.csv", BUILTIN)
            .expect("bundled boilerplate rules are valid")
    }

    /// The first rule matching `line` (trimmed), if any.
    pub fn classify(&self, line: &str) -> Option<&Rule> {
        let input = Input::new(line.trim()).earliest(true);
        CACHES.with_borrow_mut(|(id, caches)| {
            if *id != self.id {
                *caches = self.rules.iter().map(|r| r.pattern.create_cache()).collect();
                *id = self.id;
            }
            let mut caches = caches.iter_mut();
            let len = input.haystack().len();
            self.rules.iter().find(|r| {
                let cache = caches.next().expect("one cache per rule");
                r.longest.is_none_or(|n| len <= n)
                    && r.pattern.search_half_with(cache, &input).is_some()
            })
        })
    }
}

/// The longest text `pattern` can match when every match must span the whole text (it
/// starts with `^` and ends with `$`, without multi-line mode) and its length is bounded.
fn longest_line(pattern: &str) -> Option<usize> {
    use regex_syntax::hir::Look;
    let hir = regex_automata::util::syntax::parse(pattern).ok()?;
    let p = hir.properties();
    let whole =
        p.look_set_prefix().contains(Look::Start) && p.look_set_suffix().contains(Look::End);
    whole.then(|| p.maximum_len()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_classify_furniture() {
        let r = Rules::builtin();
        assert_eq!(r.classify("Related news").map(|r| r.scope), Some(Scope::Rest));
        assert!(r.classify("Abone Ol google-news").is_some());
        assert!(r
            .classify("UNITED24 - Make a charitable donation in support of Ukraine!")
            .is_some());
        assert!(r.classify("Join the GlobalSecurity.org mailing list").is_some());
        assert!(r.classify("Follow the author on Twitter: @someone").is_some());
        assert!(r.classify("By Leman Zeynalova - Trend:").is_some());
        assert!(r.classify("BAKU, Azerbaijan, Nov. 11").is_some());
        assert!(r.classify("Trend:").is_some());
        // Article sentences are not furniture.
        assert!(r
            .classify("Russia calls on Armenia, Azerbaijan to stop combat activities")
            .is_none());
        assert!(r.classify("By then, the talks had failed.").is_none());
        assert!(r.classify("Lavrov: Russia ready to help").is_none());
    }

    #[test]
    fn only_whole_line_bounded_patterns_rule_out_long_lines() {
        assert_eq!(longest_line("^Related news$"), Some(12));
        assert_eq!(longest_line("^a{0,3}( b)?$"), Some(5));
        // Unbounded, not anchored at both ends, or anchored at line breaks only.
        for p in ["^a+$", "^ab", "ab$", "(?m)^ab$", "(?i)donate now"] {
            assert_eq!(longest_line(p), None, "{p}");
        }
        // A line of the longest length still matches; one byte more is ruled out unread.
        let r = Rules::parse("r.csv", "pattern,scope,note\n\"^x{2,4}:$\",line,n\n").unwrap();
        assert_eq!(r.rules[0].longest, Some(5));
        assert!(r.classify("xxxx:").is_some());
        assert!(r.classify("xxxxx:").is_none());
        // Bundled rules: the agency byline and the dateline are bounded; the author byline
        // (a `*` repeat) and the donation banner (unanchored) are not.
        let b = Rules::builtin();
        let bounded =
            |note: &str| b.rules.iter().find(|r| r.note.starts_with(note)).unwrap().longest;
        assert!(bounded("Agency byline").is_some());
        assert_eq!(bounded("Byline naming"), None);
        assert!(bounded("Dateline").is_some());
        assert_eq!(bounded("Donation"), None);
    }

    #[test]
    fn the_first_error_in_file_order_is_reported() {
        let first = |text: &str| Rules::parse("rules.csv", text).unwrap_err().to_string();
        let head = "pattern,scope,note\n^ok$,line,fine\n";
        // Two invalid patterns (compiled in parallel): the first.
        let e = first(&format!("{head}^(unclosed,line,bad\n[z-a],line,also bad\n"));
        assert!(e.starts_with("rules.csv:3: invalid pattern"), "{e}");
        // An invalid pattern before a bad scope or a ragged row: the pattern.
        let e = first(&format!("{head}^(unclosed,line,bad\n^x$,sideways,bad scope\n"));
        assert!(e.starts_with("rules.csv:3: invalid pattern"), "{e}");
        let e = first(&format!("{head}^(unclosed,line,bad\n^x$,line,fine,extra\n"));
        assert!(e.starts_with("rules.csv:3: invalid pattern"), "{e}");
        // A bad scope before an invalid pattern: the scope.
        let e = first(&format!("{head}^x$,sideways,bad scope\n^(unclosed,line,bad\n"));
        assert!(e.starts_with("rules.csv:3: unknown scope"), "{e}");
    }
}
