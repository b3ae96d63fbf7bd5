//! The matcher: every term of every lexicon compiled into one Aho-Corasick automaton over
//! folded words (see the module docs of [`crate::lexicon`] for the rules it implements).

use super::{Cue, Entry, Lexicon};
use crate::text::{Analysis, Lang, Segmented, Voice, VoiceKind};
use aho_corasick::automaton::Automaton;
use aho_corasick::{dfa, nfa, Anchored, MatchKind, StartKind};
use std::collections::HashMap;

/// One lexicon match in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Index of the lexicon in [`Matcher::lexicons`].
    pub lexicon: usize,
    /// Index of the entry in that lexicon.
    pub entry: usize,
    /// Token range of the match.
    pub tokens: std::ops::Range<usize>,
    /// Byte offset of the match in the document text.
    pub start: usize,
    /// End byte offset.
    pub end: usize,
    /// Sentence index.
    pub sentence: usize,
    /// Voice of the first word.
    pub voice: Voice,
    /// Whether a negation cue precedes it.
    pub negated: bool,
    /// The context cue that selected the entry, if any.
    pub cue: Option<String>,
}

/// A match before overlaps are resolved: (first token, last token + 1, pattern is a prefix,
/// chosen (lexicon, entry), the cue that chose it).
type Candidate = (usize, usize, bool, (usize, usize), Option<String>);

/// The terms' automaton: a DFA when it fits, else a contiguous NFA (see [`Matcher::new`]).
#[derive(Debug, Clone)]
enum Terms {
    Dfa(dfa::DFA),
    Nfa(nfa::contiguous::NFA),
}

/// Compiled lexicons.
#[derive(Debug, Clone)]
pub struct Matcher {
    lexicons: Vec<Lexicon>,
    automaton: Terms,
    /// For each automaton pattern: whether it ends in a prefix, and the (lexicon, entry)
    /// pairs whose term produced it, in order.
    patterns: Vec<(bool, Vec<(usize, usize)>)>,
    /// The first three bytes of a token that some pattern can start with: most tokens start
    /// no pattern, and one table lookup rules them out where the automaton would take two
    /// or three dependent steps to reach its dead state.
    openings: Openings,
    negation: Vec<String>,
}

/// The openings of patterns: for each pair of classes of first bytes, a bit per class of
/// third byte (see [`Matcher::openings`]). Classes group bytes, so the set can only err
/// towards letting a token through to the automaton, never towards skipping one; letters,
/// the bytes most words start with, each have a class of their own. Four kilobytes: the
/// table stays in cache where one by pairs of bytes (256 kB) missed on every other token.
#[derive(Debug, Clone)]
struct Openings([u32; 32 * 32]);

/// The class of a byte: a letter, the separators, a digit, a few others, any other.
const fn opening_class(b: u8) -> u8 {
    match b {
        b'a'..=b'z' => b - b'a',
        b' ' | b'\n' => 26,
        b'0'..=b'9' => 27,
        b'\'' => 28,
        b'.' => 29,
        0x80.. => 30,
        _ => 31,
    }
}

/// [`opening_class`] of every byte.
static OPENING_CLASS: [u8; 256] = crate::byte_table!(u8, 0, opening_class, 256);

/// The class of `b`, as a table index.
#[inline]
fn class_of(b: u8) -> usize {
    usize::from(OPENING_CLASS[usize::from(b)])
}

impl Openings {
    /// The openings of `patterns` (each ` w1 w2 …`). A pattern that ends before its third
    /// byte opens every token that starts with its bytes.
    fn new(patterns: &[String]) -> Openings {
        let mut set = Openings([0; 32 * 32]);
        for p in patterns {
            match p.as_bytes() {
                [_, a, b, c, ..] => set.0[class_of(*a) << 5 | class_of(*b)] |= 1 << class_of(*c),
                [_, a, b] => set.0[class_of(*a) << 5 | class_of(*b)] = u32::MAX,
                [_, a] => set.0[class_of(*a) << 5..][..32].fill(u32::MAX),
                _ => {}
            }
        }
        set
    }

    /// Whether a token whose folded form (with what follows it) starts with `a b c` can
    /// start a pattern.
    #[inline]
    fn admit(&self, a: u8, b: u8, c: u8) -> bool {
        self.0[class_of(a) << 5 | class_of(b)] & (1 << class_of(c)) != 0
    }
}

impl Matcher {
    /// Compiles `lexicons`.
    pub fn new(lexicons: Vec<Lexicon>, lang: &Lang) -> Matcher {
        let mut index: HashMap<(String, bool), usize> = HashMap::new();
        let mut strings: Vec<String> = Vec::new();
        let mut patterns: Vec<(bool, Vec<(usize, usize)>)> = Vec::new();
        for (li, lex) in lexicons.iter().enumerate() {
            for (ei, e) in lex.entries.iter().enumerate() {
                for form in forms(e, lang) {
                    let key = (form, e.wildcard);
                    let pi = *index.entry(key.clone()).or_insert_with(|| {
                        strings.push(key.0.clone());
                        patterns.push((e.wildcard, Vec::new()));
                        patterns.len() - 1
                    });
                    if !patterns[pi].1.contains(&(li, ei)) {
                        patterns[pi].1.push((li, ei));
                    }
                }
            }
        }
        // Every pattern starts with a space, which only ever precedes a token: the automaton
        // runs anchored at each token's space and stops as soon as no pattern can follow, a
        // byte or two into most words, instead of reading every byte of the text. A DFA when
        // it fits (one table lookup per byte); very large lexicons, slow to build as a DFA,
        // get a contiguous NFA.
        let dfa = (strings.len() <= 10_000)
            .then(|| {
                dfa::Builder::new()
                    .match_kind(MatchKind::Standard)
                    .start_kind(StartKind::Anchored)
                    .prefilter(false)
                    .build(&strings)
                    .ok()
            })
            .flatten();
        let automaton = match dfa {
            Some(d) => Terms::Dfa(d),
            None => Terms::Nfa(
                nfa::contiguous::Builder::new()
                    .match_kind(MatchKind::Standard)
                    .prefilter(false)
                    .build(&strings)
                    .expect("lexicon patterns are plain strings within automaton limits"),
            ),
        };
        let negation = lang.negation.iter().cloned().collect();
        let openings = Openings::new(&strings);
        Matcher { lexicons, automaton, patterns, openings, negation }
    }

    /// The compiled lexicons, in order.
    pub fn lexicons(&self) -> &[Lexicon] {
        &self.lexicons
    }

    /// The entry a hit refers to.
    pub fn entry(&self, hit: &Hit) -> &Entry {
        &self.lexicons[hit.lexicon].entries[hit.entry]
    }

    /// Every hit in an analysed document, in text order.
    pub fn hits(&self, a: &Analysis) -> Vec<Hit> {
        let mut hits = self.unvoiced_hits(&a.seg);
        for h in &mut hits {
            h.voice = a.voices[h.tokens.start];
        }
        hits
    }

    /// Every hit in segmented text, in text order, each in the own voice with no speaker:
    /// matching needs no voices, so a caller can work them out afterwards for the hits'
    /// tokens alone (see [`crate::text::voice_kinds`]).
    pub fn unvoiced_hits(&self, seg: &Segmented) -> Vec<Hit> {
        let folded = seg.folded.as_bytes();
        let toks = &seg.tokens;
        let mut cands: Vec<Candidate> = Vec::new();
        let mut each = |pattern: usize, first: usize, end: usize| {
            let (pw, ref entries) = self.patterns[pattern];
            let at_boundary = matches!(folded.get(end), None | Some(b' ') | Some(b'\n'));
            if !pw && !at_boundary {
                return;
            }
            // The token in which the match ends (a prefix match extends to its end).
            let last = match toks[first..].iter().position(|t| t.fend >= end) {
                Some(k) => first + k,
                None => return,
            };
            if toks[last].sentence != toks[first].sentence {
                return;
            }
            // Lexicons are independent: each picks its own entry, and overlaps are resolved
            // within a lexicon, never across two. A pattern's entries are in lexicon order.
            for mine in entries.chunk_by(|a, b| a.0 == b.0) {
                if let Some((choice, cue)) = self.choose(mine, seg, first, last + 1) {
                    cands.push((first, last + 1, pw, choice, cue));
                }
            }
        };
        match &self.automaton {
            Terms::Dfa(a) => matches_at_tokens(a, &self.openings, folded, toks, &mut each),
            Terms::Nfa(a) => matches_at_tokens(a, &self.openings, folded, toks, &mut each),
        }
        // Per lexicon: leftmost, then longest, then exact over prefix.
        cands.sort_by(|x, y| {
            x.3 .0
                .cmp(&y.3 .0)
                .then(x.0.cmp(&y.0))
                .then(y.1.cmp(&x.1))
                .then(x.2.cmp(&y.2))
                .then(x.3.cmp(&y.3))
        });
        let mut hits = Vec::new();
        let mut next_free = vec![0; self.lexicons.len()];
        for (first, end, _, (li, ei), cue) in cands {
            if first < next_free[li] {
                continue;
            }
            next_free[li] = end;
            hits.push(Hit {
                lexicon: li,
                entry: ei,
                tokens: first..end,
                start: toks[first].start,
                end: toks[end - 1].end,
                sentence: toks[first].sentence,
                voice: Voice { kind: VoiceKind::Own, speaker: None },
                negated: self.negated(seg, first),
                cue,
            });
        }
        hits.sort_by_key(|h| (h.start, h.lexicon));
        hits
    }

    /// Picks the entry that applies at tokens `first..end`: the conditional row with the
    /// nearest `near` cue, else the first unconditional row not blocked by `not_near`.
    fn choose(
        &self,
        entries: &[(usize, usize)],
        seg: &Segmented,
        first: usize,
        end: usize,
    ) -> Option<((usize, usize), Option<String>)> {
        let mut best: Option<(usize, (usize, usize), String)> = None;
        let mut fallback = None;
        for &(li, ei) in entries {
            let e = &self.lexicons[li].entries[ei];
            if e.not_near.iter().any(|c| cue_distance(c, seg, first, end, e.window).is_some()) {
                continue;
            }
            if e.near.is_empty() {
                fallback = fallback.or(Some((li, ei)));
                continue;
            }
            for c in &e.near {
                if let Some(d) = cue_distance(c, seg, first, end, e.window) {
                    if best.as_ref().is_none_or(|b| d < b.0) {
                        best = Some((d, (li, ei), c.text.clone()));
                    }
                }
            }
        }
        match best {
            Some((_, choice, cue)) => Some((choice, Some(cue))),
            None => fallback.map(|f| (f, None)),
        }
    }

    fn negated(&self, seg: &Segmented, first: usize) -> bool {
        let s = seg.tokens[first].sentence;
        (first.saturating_sub(2)..first).filter(|&i| seg.tokens[i].sentence == s).any(|i| {
            let w = seg.norm(i);
            self.negation.iter().any(|n| n == w) || w.ends_with("n't")
        })
    }
}

/// Calls `f(pattern, token, end)` for every match of `aut` that starts at the space before a
/// token, in token order: the same matches as an overlapping search of the whole text that
/// keeps those starting at a token, since every pattern starts with a space. Tokens whose
/// first three bytes open no pattern are skipped unread.
fn matches_at_tokens<A: Automaton>(
    aut: &A,
    openings: &Openings,
    folded: &[u8],
    toks: &[crate::text::Token],
    mut f: impl FnMut(usize, usize, usize),
) {
    let start = aut.start_state(Anchored::Yes).expect("the automaton is built for anchored runs");
    for (i, t) in toks.iter().enumerate() {
        // A token is never empty and is followed by a separator, and all but the text's
        // last words by more: the three bytes exist but for the end of the text.
        let bytes = folded.get(t.fstart..t.fstart + 3);
        if bytes.is_some_and(|b| !openings.admit(b[0], b[1], b[2])) {
            continue;
        }
        let anchor = t.fstart - 1;
        let mut sid = start;
        for (at, &b) in folded.iter().enumerate().skip(anchor) {
            sid = aut.next_state(Anchored::Yes, sid, b);
            if !aut.is_special(sid) {
                continue;
            }
            if aut.is_dead(sid) {
                break;
            }
            if aut.is_match(sid) {
                // A match state also lists the patterns that end here but start later.
                for k in 0..aut.match_len(sid) {
                    let p = aut.match_pattern(sid, k);
                    if at + 1 - aut.pattern_len(p) == anchor {
                        f(p.as_usize(), i, at + 1);
                    }
                }
            }
        }
    }
}

/// The folded pattern strings of an entry: ` w1 w2 … wn`, with inflected last words.
fn forms(e: &Entry, lang: &Lang) -> Vec<String> {
    let Some((last, head)) = e.words.split_last() else { return Vec::new() };
    let lasts = if e.inflect { lang.inflect(last) } else { vec![last.clone()] };
    let head: String = head.iter().map(|w| format!(" {w}")).collect();
    lasts.into_iter().map(|l| format!("{head} {l}")).collect()
}

/// Distance in words from the match at `first..end` to the nearest occurrence of `cue`
/// within `window` words in the same sentence.
fn cue_distance(
    cue: &Cue,
    seg: &Segmented,
    first: usize,
    end: usize,
    window: usize,
) -> Option<usize> {
    let s = &seg.sentences[seg.tokens[first].sentence];
    let n = cue.words.len();
    if n == 0 {
        return None;
    }
    let lo = first.saturating_sub(window + n - 1).max(s.tokens.start);
    let hi = (end + window).min(s.tokens.end);
    let mut best: Option<usize> = None;
    for i in lo..hi.saturating_sub(n - 1) {
        if i + n > first && i < end {
            continue;
        }
        let ok = cue.words.iter().enumerate().all(|(k, w)| {
            let t = seg.norm(i + k);
            if k == n - 1 && cue.wildcard {
                t.starts_with(w.as_str())
            } else {
                t == w
            }
        });
        if ok {
            let d = if i >= end { i - end } else { first - (i + n) };
            best = Some(best.map_or(d, |b| b.min(d)));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::parse;
    use crate::text::analyse;

    const HEAD: &str = "#poles: az,am,neutral\n#axis: am,az\nterm,concept,pole,weight,note,neutral,near,not_near,window,match\n";

    fn hits(rows: &str, text: &str) -> Vec<(String, String, &'static str, bool)> {
        let (lex, p) = parse("t.csv", &format!("{HEAD}{rows}"));
        assert!(p.is_empty(), "{p:?}");
        let m = Matcher::new(vec![lex], Lang::english());
        let a = analyse(text, Lang::english(), &[]);
        m.hits(&a)
            .iter()
            .map(|h| {
                (
                    text[h.start..h.end].to_string(),
                    m.entry(h).pole.clone(),
                    h.voice.kind.name(),
                    h.negated,
                )
            })
            .collect()
    }

    /// A lexicon too large for the DFA gets the crate's automaton and the same hits.
    #[test]
    fn large_lexicons_match_like_small_ones() {
        let text = "Forces occupied the zqa1 hills; the zqb7 line held and troops liberated it.";
        let small = "occupied,control,am,,,,,,,\nliberated,control,az,,,,,,,\n";
        let mut large = String::from(small);
        for i in 0..11_000 {
            large.push_str(&format!("zq{i}x term,filler,neutral,,,,,,,\n"));
        }
        let (lex, p) = parse("t.csv", &format!("{HEAD}{large}"));
        assert!(p.is_empty(), "{p:?}");
        let m = Matcher::new(vec![lex], Lang::english());
        assert!(matches!(m.automaton, Terms::Nfa(_)));
        let (lex, _) = parse("t.csv", &format!("{HEAD}{small}"));
        assert!(matches!(Matcher::new(vec![lex], Lang::english()).automaton, Terms::Dfa(_)));
        assert_eq!(hits(&large, text), hits(small, text));
        assert_eq!(hits(small, text).len(), 2);
    }

    /// The anchored runs at each token find exactly the matches of an overlapping search of
    /// the whole folded text that start at a token (the openings skip none of them), on
    /// the seeds and on word soup.
    #[test]
    fn anchored_runs_equal_an_overlapping_search() {
        let m = Matcher::new(crate::lexicon::builtin().unwrap(), Lang::english());
        let Terms::Dfa(dfa) = &m.automaton else { panic!("the bundled lexicons fit a DFA") };
        let mut strings_sorted: Vec<String> = (m.lexicons.iter())
            .flat_map(|l| l.entries.iter())
            .flat_map(|e| forms(e, Lang::english()))
            .collect();
        strings_sorted.sort();
        strings_sorted.dedup();
        let whole = aho_corasick::AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&strings_sorted)
            .unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut texts: Vec<String> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        texts.push("occupied occupied-territories Nagorno-Karabakh Republic's liberated, so-called \"Artsakh\" the self-proclaimed regime".repeat(3));
        let mut found = 0;
        for text in &texts {
            let seg = crate::text::segment(text, Lang::english());
            let folded = seg.folded.as_bytes();
            // (pattern text, first token, end)
            let mut got = Vec::new();
            matches_at_tokens(dfa, &m.openings, folded, &seg.tokens, |_, i, end| {
                let start = seg.tokens[i].fstart - 1;
                got.push((seg.folded[start..end].to_string(), i, end));
            });
            let mut want = Vec::new();
            for mt in whole.find_overlapping_iter(&seg.folded) {
                if let Ok(i) = seg.tokens.binary_search_by_key(&(mt.start() + 1), |t| t.fstart) {
                    want.push((strings_sorted[mt.pattern().as_usize()].clone(), i, mt.end()));
                }
            }
            got.sort();
            want.sort();
            assert_eq!(got, want);
            found += got.len();
        }
        assert!(found > 20, "{found}");
    }

    macro_rules! t {
        ($name:ident, $rows:expr, $text:expr, [$(($m:expr, $p:expr)),* $(,)?]) => {
            #[test]
            fn $name() {
                let got: Vec<(String, String)> = hits($rows, $text).into_iter().map(|h| (h.0, h.1)).collect();
                let want: Vec<(String, String)> = vec![$(($m.to_string(), $p.to_string())),*];
                assert_eq!(got, want);
            }
        };
    }

    t!(empty_lexicon_matches_nothing, "", "Occupied, liberated: anything at all.", []);
    t!(
        phrase_and_case,
        "under armenian control,c,neutral,1,,,,,,\n",
        "It stayed UNDER Armenian control for years.",
        [("UNDER Armenian control", "neutral")]
    );
    t!(
        hyphen_and_space_equal,
        "nagorno-karabakh,c,neutral,1,,,,,,exact\n",
        "Nagorno Karabakh and Nagorno-Karabakh.",
        [("Nagorno Karabakh", "neutral"), ("Nagorno-Karabakh", "neutral")]
    );
    t!(
        longest_wins,
        "nagorno-karabakh,c,neutral,1,,,,,,exact\nnagorno-karabakh republic,c,am,1,,,,,,exact\n",
        "The Nagorno-Karabakh Republic and Nagorno-Karabakh's capital.",
        [("Nagorno-Karabakh Republic", "am"), ("Nagorno-Karabakh's", "neutral")]
    );
    t!(
        wildcard_is_a_prefix_only,
        "liberat*,c,az,1,,,,,,\n",
        "Troops liberated towns; a deliberate liberation.",
        [("liberated", "az"), ("liberation", "az")]
    );
    t!(
        inflection,
        "liberate,c,az,1,,,,,,\nprovoke,c,az,1,,,,,,\n",
        "They liberated it and provoked them; liberates, liberation.",
        [("liberated", "az"), ("provoked", "az"), ("liberates", "az"), ("liberation", "az")]
    );
    t!(
        exact_does_not_inflect,
        "shusha,c,az,1,,,,,,exact\n",
        "Shusha and Shushas.",
        [("Shusha", "az")]
    );
    t!(
        word_boundaries,
        "occupation,c,az,1,,,,,,exact\n",
        "preoccupation occupations occupation",
        [("occupation", "az")]
    );
    t!(
        no_match_across_sentences,
        "armenian aggression,c,az,1,,,,,,\n",
        "It was Armenian. Aggression followed.",
        []
    );
    t!(
        possessive,
        "under armenia's control,c,neutral,1,,,,,,\n",
        "It was under Armenia’s control.",
        [("under Armenia’s control", "neutral")]
    );
    t!(context_nearest_cue_wins,
        "occupied,c,az,1,,,armenia*,,8,\noccupied,c,am,1,,,azerbaijan*,,8,\n",
        "Azerbaijani troops took territories occupied by Armenia. Armenians left land occupied by Azerbaijani forces.",
        [("occupied", "az"), ("occupied", "am")]);
    t!(
        context_fallback_and_not_near,
        "blockade,c,am,1,,,,road*,5,\nblockade,c,neutral,1,,,siege,,5,\n",
        "The blockade hurt. The road blockade hurt. The siege and blockade.",
        [("blockade", "am"), ("blockade", "neutral")]
    );
    t!(
        unicode_case_folding,
        "strasse,c,neutral,1,,,,,,exact\n",
        "Die STRASSE und die Straße.",
        [("STRASSE", "neutral"), ("Straße", "neutral")]
    );

    #[test]
    fn negation_and_voice() {
        let h = hits(
            "occupied,c,az,1,,,,,,\n",
            "The land was never occupied, he said. \"It was occupied,\" she said.",
        );
        assert_eq!(
            h,
            vec![
                ("occupied".into(), "az".into(), "reported", true),
                ("occupied".into(), "az".into(), "quoted", false)
            ]
        );
    }
}
