//! Boilerplate rules (`lexicons/boilerplate.csv`): patterns for page furniture that must not
//! be analysed as article text, such as share buttons, "Related news" lists, donation banners
//! and bylines. Consumes the CSV; produces [`Rules`] that classify one line at a time. The
//! rules are data: a new site's furniture is a new row.

use super::deferred::Deferred;
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
///
/// So most lines go to the pattern cut down to [`COMMON`] characters ([`restrict`]): on a
/// line of those characters alone it matches exactly where the pattern as written does, and
/// it compiles in a fraction of the time. The pattern as written serves the other lines;
/// the bundled rules compile it on the first such line.
#[derive(Debug, Clone)]
pub struct Pattern {
    common: Engine,
    full: Deferred<Engine>,
    hir: Hir,
}

/// The characters of most news text in Latin script: U+0000-U+02FF (ASCII, Latin-1, Latin
/// Extended A and B, IPA, spacing modifiers) and U+2000-U+20FF (typographic quotes, dashes
/// and spaces, currency signs). A line of these alone is told by its bytes: ASCII, lead
/// bytes C2-CB, or E2 followed by 80-83.
const COMMON: [(char, char); 2] = [('\0', '\u{2FF}'), ('\u{2000}', '\u{20FF}')];

/// Whether `c` is in [`COMMON`].
fn is_common_char(c: char) -> bool {
    COMMON.iter().any(|&(a, b)| (a..=b).contains(&c))
}

/// Whether every character of `line` is in [`COMMON`], told by its bytes.
fn is_common(line: &str) -> bool {
    use crate::text::fast::swar;
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Eight ASCII bytes at a time: most of a line.
        if swar::load(b, i) & swar::HI == 0 {
            i += 8;
            continue;
        }
        // `line` is UTF-8: a lead byte is followed by its continuation bytes.
        match b[i] {
            0..=0x7F => i += 1,
            0xC2..=0xCB => i += 2,
            0xE2 if matches!(b.get(i + 1), Some(0x80..=0x83)) => i += 3,
            _ => return false,
        }
    }
    true
}

/// One compiled form of a [`Pattern`].
#[derive(Debug, Clone)]
struct Engine {
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
    common: EngineCache,
    /// Made on the thread's first line with other characters than [`COMMON`] ones.
    full: Option<EngineCache>,
}

/// A thread's search state for one [`Engine`].
#[derive(Debug)]
struct EngineCache {
    dfa: lazy::Cache,
    vm: pikevm::Cache,
}

impl Pattern {
    /// Compiles `pattern`; with `eager`, also its form for lines of other characters than
    /// [`COMMON`] ones, so that every error shows now.
    fn new(pattern: &str, eager: bool) -> Result<Pattern, String> {
        // The regex crate's message for the same pattern: it points at the error.
        let message = || match regex::Regex::new(pattern) {
            Err(e) => e.to_string(),
            Ok(_) => "the pattern is too large".to_string(),
        };
        let hir = regex_automata::util::syntax::parse(pattern).map_err(|_| message())?;
        let common = Engine::new(&restrict(&hir), &hir).map_err(|_| message())?;
        let full = Deferred::new(eager, || Engine::new(&hir, &hir)).map_err(|_| message())?;
        Ok(Pattern { common, full, hir })
    }

    /// The form for lines of other characters, compiled now if it was not yet (bundled
    /// rules: `bundled_patterns_compile_in_full`).
    fn full(&self) -> &Engine {
        self.full.get(|| Engine::new(&self.hir, &self.hir))
    }

    fn create_cache(&self) -> Cache {
        Cache { common: self.common.create_cache(), full: None }
    }

    /// Whether `line` has a match; `common` tells whether [`is_common`]`(line)`.
    fn is_match(&self, cache: &mut Cache, line: &str, common: bool) -> bool {
        if common {
            return self.common.is_match(&mut cache.common, line);
        }
        let full = self.full();
        full.is_match(cache.full.get_or_insert_with(|| full.create_cache()), line)
    }
}

impl Engine {
    /// Compiles `hir`, whose matches are all matches of `written` (the pattern as written,
    /// or `hir` itself): the literal prefixes of `written` find where matches can start.
    fn new(hir: &Hir, written: &Hir) -> Result<Engine, Box<dyn std::error::Error>> {
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
                    // vectorised search instead of a state per byte. Those of the pattern as
                    // written serve its cut-down form too, and search faster: cut down, the
                    // case-insensitive ones have fewer variants to stop at, so more of them.
                    .prefilter(Prefilter::from_hir_prefix(MatchKind::LeftmostFirst, written)),
            )
            .build_from_nfa(nfa.clone())?;
        let p = hir.properties();
        let anchored = p.look_set_prefix().contains(Look::Start);
        let longest = (anchored && p.look_set_suffix().contains(Look::End))
            .then(|| p.maximum_len())
            .flatten();
        let first = if anchored { first_bytes(&dfa) } else { None };
        Ok(Engine { dfa, vm: PikeVM::new_from_nfa(nfa)?, anchored, longest, first })
    }

    fn create_cache(&self) -> EngineCache {
        EngineCache { dfa: self.dfa.create_cache(), vm: self.vm.create_cache() }
    }

    /// Whether `line` has a match.
    fn is_match(&self, cache: &mut EngineCache, line: &str) -> bool {
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

/// `hir` for lines of [`COMMON`] characters alone: each class cut down to its common
/// members, and literals with other characters made to fail. Nothing else can match on
/// such a line, and word boundaries depend only on the line, so the result matches exactly
/// where `hir` does; but `\p{L}` under a bounded repeat compiles to a few states per copy
/// instead of hundreds.
fn restrict(hir: &Hir) -> Hir {
    use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, ClassUnicode, HirKind};
    use regex_syntax::hir::{ClassUnicodeRange, Repetition};
    let common = || ClassUnicode::new(COMMON.map(|(a, b)| ClassUnicodeRange::new(a, b)));
    match hir.kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(s) if s.chars().all(is_common_char) => hir.clone(),
            _ => Hir::fail(),
        },
        HirKind::Class(Class::Unicode(c)) => {
            let mut c = c.clone();
            c.intersect(&common());
            Hir::class(Class::Unicode(c))
        }
        // Byte classes (`(?-u)`) stay as they are, but for bytes no line of common
        // characters has.
        HirKind::Class(Class::Bytes(c)) => {
            let mut c = c.clone();
            c.intersect(&ClassBytes::new([
                ClassBytesRange::new(0, 0xCB),
                ClassBytesRange::new(0xE2, 0xE2),
            ]));
            Hir::class(Class::Bytes(c))
        }
        HirKind::Look(_) => hir.clone(),
        HirKind::Repetition(r) => {
            Hir::repetition(Repetition { sub: Box::new(restrict(&r.sub)), ..r.clone() })
        }
        // Groups capture nothing here: only whether a line matches is asked.
        HirKind::Capture(c) => restrict(&c.sub),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(restrict).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(restrict).collect()),
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
        Rules::parse_with(source_name, text, true)
    }

    /// [`Rules::parse`]; without `eager`, each pattern's form for lines of other characters
    /// than [`COMMON`] ones is compiled on the first such line (for the bundled rules, known
    /// to compile).
    fn parse_with(source_name: &str, text: &str, eager: bool) -> Result<Rules, RulesError> {
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
            .map(|(_, pattern, _, _)| Pattern::new(pattern, eager))
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
        Rules::parse_with("lexicons/boilerplate.csv", BUILTIN, false)
            .expect("bundled boilerplate rules are valid")
    }

    /// The first rule matching `line` (trimmed), if any.
    pub fn classify(&self, line: &str) -> Option<&Rule> {
        let line = line.trim();
        // Tested once for every rule: lines are paragraphs, hundreds of bytes long.
        let common = is_common(line);
        CACHES.with_borrow_mut(|(id, caches)| {
            if *id != self.id {
                *caches = self.rules.iter().map(|r| r.pattern.create_cache()).collect();
                *id = self.id;
            }
            let mut caches = caches.iter_mut();
            self.rules.iter().find(|r| {
                let cache = caches.next().expect("one cache per rule");
                r.pattern.is_match(cache, line, common)
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
        // Both forms: a pattern of common characters cut down to them is itself.
        let longest_line = |p: &str| {
            let p = Pattern::new(p, true).unwrap();
            assert_eq!(p.common.longest, p.full().longest);
            p.full().longest
        };
        assert_eq!(longest_line("^Related news$"), Some(12));
        assert_eq!(longest_line("^a{0,3}( b)?$"), Some(5));
        // Unbounded, not anchored at both ends, or anchored at line breaks only.
        for p in ["^a+$", "^ab", "ab$", "(?m)^ab$", "(?i)donate now"] {
            assert_eq!(longest_line(p), None, "{p}");
        }
        // A line of the longest length still matches; one byte more is ruled out unread.
        let r = Rules::parse("r.csv", "pattern,scope,note\n\"^x{2,4}:$\",line,n\n").unwrap();
        assert_eq!(r.rules[0].pattern.full().longest, Some(5));
        assert!(r.classify("xxxx:").is_some());
        assert!(r.classify("xxxxx:").is_none());
        // Bundled rules: the agency byline and the dateline are bounded; the author byline
        // (a `*` repeat) and the donation banner (unanchored) are not.
        let b = Rules::builtin();
        let bounded = |note: &str| {
            let p = &b.rules.iter().find(|r| r.note.starts_with(note)).unwrap().pattern;
            assert_eq!(p.common.longest.is_some(), p.full().longest.is_some(), "{note}");
            p.full().longest
        };
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
            "By Ёлка Ёжикова - Trend:".into(),
            "ЕРЕВАН, Армения, Nov. 11".into(),
            "Trend’s:".into(),
            "Related news:\u{2009}".into(),
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
        let patterns = bundled_patterns();
        assert_eq!(patterns.len(), rules.rules.len());
        let mut matched = 0;
        for ((rule, cache), p) in rules.rules.iter().zip(&mut caches).zip(&patterns) {
            let re = regex::Regex::new(p).unwrap();
            for l in &lines {
                let want = re.is_match(l);
                assert_eq!(rule.pattern.is_match(cache, l, is_common(l)), want, "{p} on {l:?}");
                matched += usize::from(want);
            }
        }
        assert!(matched > 20, "the lines exercise the rules: {matched} matches");
        // Anchored rules rule lines out by their first byte; one that matches the empty
        // string at the start rules none out.
        assert!(rules.rules.iter().filter(|r| r.pattern.common.first.is_some()).count() >= 10);
        let empty = Rules::parse("r.csv", "pattern,scope,note\n\"^(ab)?\",line,n\n").unwrap();
        assert!(empty.classify("zzz").is_some() && empty.classify("é").is_some());
    }

    fn bundled_patterns() -> Vec<String> {
        csv::Reader::from_reader(BUILTIN.as_bytes())
            .records()
            .map(|r| r.unwrap()[0].to_string())
            .collect()
    }

    #[test]
    fn common_lines_are_told_by_their_bytes() {
        for (line, want) in [
            ("", true),
            ("plain", true),
            ("“Quoted” — and ‘so’ … €5 ©", true),
            ("Åsa Öberg, Türkiye, ǅ ʼ ˈ", true),
            ("Ереван", false),
            ("x\u{300}", false),
            ("tab\u{2100}", false),
            ("Հայաստան", false),
            ("日本", false),
            ("😀", false),
        ] {
            assert_eq!(is_common(line), want, "{line:?}");
        }
        // Every character, alone and after ASCII (the eight-byte skip), against the ranges.
        let mut buf = [0u8; 12];
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let want = is_common_char(c);
            assert_eq!(is_common(c.encode_utf8(&mut buf)), want, "{c:?}");
            buf[..8].copy_from_slice(b"abcdefgh");
            let n = 8 + c.encode_utf8(&mut buf[8..]).len();
            assert_eq!(is_common(std::str::from_utf8(&buf[..n]).unwrap()), want, "{c:?}");
        }
    }

    #[test]
    fn bundled_patterns_compile_in_full() {
        let rules = Rules::builtin();
        assert!(rules.rules.iter().all(|r| !r.pattern.full.is_built()));
        for r in &rules.rules {
            assert!(Engine::new(&r.pattern.hir, &r.pattern.hir).is_ok(), "{}", r.note);
        }
        // A line of other characters compiles the full form of the rules it reaches.
        assert!(rules.classify("By Ёлка Ёжикова").is_some());
        assert!(rules.rules.iter().any(|r| r.pattern.full.is_built()));
    }

    fn common_line() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        let pieces = [
            "By ",
            "Trend",
            ":",
            " - ",
            "BAKU",
            ", ",
            "Azerbaijan",
            "Nov.",
            " 11",
            "(c) ",
            "©",
            "Copyright",
            "donate now",
            "Related news",
            "Share",
            "Follow us on ",
            "Twitter",
            "a",
            "Q",
            "_",
            "'",
            "’",
            "“",
            "”",
            "—",
            ".",
            " ",
            "\u{a0}",
            "x1",
            "Tags:",
            "Join the ",
            "mailing list",
            "Photo:",
            "subscribe to ",
            "Åsa",
            "Öberg",
            "é",
            "ÇANAKKALE",
            "ǅ",
        ];
        proptest::collection::vec(proptest::sample::select(pieces.to_vec()), 0..9)
            .prop_map(|v| v.concat())
    }

    /// On lines of common characters, each bundled rule cut down to them answers as the
    /// regex crate answers for the rule as written.
    #[test]
    fn common_forms_answer_as_the_patterns_do() {
        use proptest::test_runner::{Config, TestRunner};
        let rules = Rules::builtin();
        let patterns = bundled_patterns();
        let regexes: Vec<regex::Regex> =
            patterns.iter().map(|p| regex::Regex::new(p).unwrap()).collect();
        let caches: Vec<RefCell<Cache>> =
            rules.rules.iter().map(|r| RefCell::new(r.pattern.create_cache())).collect();
        let matched = std::cell::Cell::new(0);
        let mut runner = TestRunner::new(Config::with_cases(2000));
        runner
            .run(&common_line(), |line| {
                proptest::prop_assert!(is_common(&line));
                for (((rule, re), cache), p) in
                    rules.rules.iter().zip(&regexes).zip(&caches).zip(&patterns)
                {
                    let want = re.is_match(&line);
                    let got = rule.pattern.is_match(&mut cache.borrow_mut(), &line, true);
                    proptest::prop_assert_eq!(got, want, "{} on {:?}", p, line);
                    matched.set(matched.get() + usize::from(want));
                }
                Ok(())
            })
            .unwrap();
        assert!(matched.get() > 100, "the lines exercise the rules: {}", matched.get());
        // Lines of common characters never compiled the bundled rules in full.
        assert!(rules.rules.iter().all(|r| !r.pattern.full.is_built()));
        assert!(rules.classify("By Åsa Öberg - Trend:").is_some());
        assert!(rules.rules.iter().all(|r| !r.pattern.full.is_built()));
    }
}
