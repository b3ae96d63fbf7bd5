//! Boilerplate rules (`lexicons/boilerplate.csv`): patterns for page furniture that must not
//! be analysed as article text, such as share buttons, "Related news" lists, donation banners
//! and bylines. Consumes the CSV; produces [`Rules`] that classify one line at a time. The
//! rules are data: a new site's furniture is a new row.

use rayon::prelude::*;
use regex_automata::hybrid::dfa::{self as lazy, DFA};
use regex_automata::nfa::thompson::{self, pikevm, pikevm::PikeVM, WhichCaptures};
use regex_automata::util::prefilter::Prefilter;
use regex_automata::{Anchored, Input, MatchKind};
use regex_syntax::hir::{Hir, Look};
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

/// A compiled pattern that answers one question, whether a line has a match, with a
/// forward lazy DFA only. A general regex engine also compiles a reverse automaton to find
/// where matches start, which doubles the compile time, and compiling is most of a short
/// run's time (the bundled bylines and datelines take milliseconds each: Unicode classes
/// under bounded repeats).
#[derive(Debug, Clone)]
pub struct Pattern {
    dfa: DFA,
    /// For the lines the lazy DFA gives up on: a Unicode word boundary next to a non-ASCII
    /// byte, which it does not handle.
    vm: PikeVM,
    /// Whether every match starts at the start of the line (`^…`): the search then stops
    /// where the pattern fails instead of trying every later position.
    anchored: bool,
    /// The longest line the pattern can match, when it is anchored at both ends of the line
    /// (`^…$`) and bounded: longer lines are ruled out without running it.
    longest: Option<usize>,
    /// For an anchored pattern, the bytes a matching line can start with: nearly every line
    /// of an article is ruled out by its first byte without running the pattern.
    first: Option<Box<[bool; 256]>>,
}

/// A thread's search state for one [`Pattern`].
#[derive(Debug)]
struct Cache {
    dfa: lazy::Cache,
    vm: pikevm::Cache,
}

impl Pattern {
    fn new(pattern: &str) -> Result<Pattern, String> {
        // The regex crate's message for the same pattern: it points at the error.
        let message = || match regex::Regex::new(pattern) {
            Err(e) => e.to_string(),
            Ok(_) => "the pattern is too large".to_string(),
        };
        let hir = regex_automata::util::syntax::parse(pattern).map_err(|_| message())?;
        Pattern::from_hir(&hir).map_err(|_| message())
    }

    fn from_hir(hir: &Hir) -> Result<Pattern, Box<dyn std::error::Error>> {
        let nfa = thompson::Compiler::new()
            .configure(thompson::Config::new().which_captures(WhichCaptures::None))
            .build_from_hir(hir)?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    // Bounded repeats of Unicode classes (`[\p{L}.]{0,30}`) need many
                    // states: with the default 2 MB the cache thrashes.
                    .cache_capacity(8 << 20)
                    .unicode_word_boundary(true)
                    // Literal prefixes (the donation banner's phrases) are found with a
                    // vectorised search instead of a state per byte.
                    .prefilter(Prefilter::from_hir_prefix(MatchKind::LeftmostFirst, hir)),
            )
            .build_from_nfa(nfa.clone())?;
        let p = hir.properties();
        let anchored = p.look_set_prefix().contains(Look::Start);
        let longest = (anchored && p.look_set_suffix().contains(Look::End))
            .then(|| p.maximum_len())
            .flatten();
        let first = if anchored { first_bytes(&dfa) } else { None };
        Ok(Pattern { dfa, vm: PikeVM::new_from_nfa(nfa)?, anchored, longest, first })
    }

    fn create_cache(&self) -> Cache {
        Cache { dfa: self.dfa.create_cache(), vm: self.vm.create_cache() }
    }

    /// Whether `line` has a match.
    fn is_match(&self, cache: &mut Cache, line: &str) -> bool {
        if self.longest.is_some_and(|n| line.len() > n) {
            return false;
        }
        if let (Some(first), Some(&b)) = (&self.first, line.as_bytes().first()) {
            if !first[usize::from(b)] {
                return false;
            }
        }
        let anchored = if self.anchored { Anchored::Yes } else { Anchored::No };
        let input = Input::new(line).earliest(true).anchored(anchored);
        match self.dfa.try_search_fwd(&mut cache.dfa, &input) {
            Ok(m) => m.is_some(),
            Err(_) => self.vm.is_match(&mut cache.vm, input),
        }
    }
}

/// The bytes an anchored match can start with: those after which the automaton is not
/// dead. A match of the empty string shows one byte late, as a match state after the first
/// byte, and a state that gives up on a byte it cannot decide is not dead either: both keep
/// the byte. `None` if the automaton cannot tell.
fn first_bytes(dfa: &DFA) -> Option<Box<[bool; 256]>> {
    use regex_automata::util::start;
    let mut cache = dfa.create_cache();
    let start = dfa.start_state(&mut cache, &start::Config::new().anchored(Anchored::Yes)).ok()?;
    let mut first = Box::new([false; 256]);
    for b in 0..=255u8 {
        first[usize::from(b)] = !dfa.next_state(&mut cache, start, b).ok()?.is_dead();
    }
    Some(first)
}

/// One rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The pattern, matched against the trimmed line.
    pattern: Pattern,
    /// What it removes.
    pub scope: Scope,
    /// Why the line is furniture; shown in the removal record.
    pub note: String,
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
    static CACHES: RefCell<(u64, Vec<Cache>)> = const { RefCell::new((0, Vec::new())) };
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
        let compiled: Vec<Result<Pattern, String>> = rows
            .par_iter()
            // One rule per task: the costly rules sit together at the end of the file.
            .with_max_len(1)
            .map(|(_, pattern, _, _)| Pattern::new(pattern))
            .collect();
        let mut rules = Vec::with_capacity(rows.len());
        for ((line, _, scope, note), pattern) in rows.into_iter().zip(compiled) {
            let pattern = pattern.map_err(|e| err(line, format!("invalid pattern: {e}")))?;
            rules.push(Rule { pattern, scope, note });
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
        let line = line.trim();
        CACHES.with_borrow_mut(|(id, caches)| {
            if *id != self.id {
                *caches = self.rules.iter().map(|r| r.pattern.create_cache()).collect();
                *id = self.id;
            }
            let mut caches = caches.iter_mut();
            self.rules.iter().find(|r| {
                let cache = caches.next().expect("one cache per rule");
                r.pattern.is_match(cache, line)
            })
        })
    }
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
        let longest_line = |p: &str| Pattern::new(p).unwrap().longest;
        assert_eq!(longest_line("^Related news$"), Some(12));
        assert_eq!(longest_line("^a{0,3}( b)?$"), Some(5));
        // Unbounded, not anchored at both ends, or anchored at line breaks only.
        for p in ["^a+$", "^ab", "ab$", "(?m)^ab$", "(?i)donate now"] {
            assert_eq!(longest_line(p), None, "{p}");
        }
        // A line of the longest length still matches; one byte more is ruled out unread.
        let r = Rules::parse("r.csv", "pattern,scope,note\n\"^x{2,4}:$\",line,n\n").unwrap();
        assert_eq!(r.rules[0].pattern.longest, Some(5));
        assert!(r.classify("xxxx:").is_some());
        assert!(r.classify("xxxxx:").is_none());
        // Bundled rules: the agency byline and the dateline are bounded; the author byline
        // (a `*` repeat) and the donation banner (unanchored) are not.
        let b = Rules::builtin();
        let bounded =
            |note: &str| b.rules.iter().find(|r| r.note.starts_with(note)).unwrap().pattern.longest;
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

    /// Every line of the seeds and fixtures, and lines made to probe the edges (non-ASCII
    /// letters at word boundaries, lengths around the bounds), get the same answer from
    /// each bundled rule as from the regex crate.
    #[test]
    fn patterns_answer_as_the_regex_crate_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut lines: Vec<String> = vec![
            "Make a donation".into(),
            "Bitte make a donationé".into(),
            "édonate now".into(),
            "donate now — é".into(),
            "By Åsa Öberg - Trend:".into(),
            "Join the Ünited mailing list".into(),
            "Abone Olé".into(),
            "Follow us on Telegramé".into(),
            "ÇANAKKALE, Türkiye, Nov. 11".into(),
            format!("Trend{}:", "x".repeat(30)),
            format!("© {}", "é".repeat(70)),
        ];
        let mut dirs = vec![root.join("seeds"), root.join("tests/fixtures")];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if let Ok(t) = std::fs::read_to_string(&p) {
                    lines.extend(t.lines().map(|l| l.trim().to_string()));
                }
            }
        }
        let rules = Rules::builtin();
        let mut caches: Vec<Cache> = rules.rules.iter().map(|r| r.pattern.create_cache()).collect();
        let patterns: Vec<String> = csv::Reader::from_reader(BUILTIN.as_bytes())
            .records()
            .map(|r| r.unwrap()[0].to_string())
            .collect();
        assert_eq!(patterns.len(), rules.rules.len());
        let mut matched = 0;
        for ((rule, cache), p) in rules.rules.iter().zip(&mut caches).zip(&patterns) {
            let re = regex::Regex::new(p).unwrap();
            for l in &lines {
                let want = re.is_match(l);
                assert_eq!(rule.pattern.is_match(cache, l), want, "{p} on {l:?}");
                matched += usize::from(want);
            }
        }
        assert!(matched > 20, "the lines exercise the rules: {matched} matches");
        // Anchored rules rule lines out by their first byte; one that matches the empty
        // string at the start rules none out.
        assert!(rules.rules.iter().filter(|r| r.pattern.first.is_some()).count() >= 10);
        let empty = Rules::parse("r.csv", "pattern,scope,note\n\"^(ab)?\",line,n\n").unwrap();
        assert!(empty.classify("zzz").is_some() && empty.classify("é").is_some());
    }
}
