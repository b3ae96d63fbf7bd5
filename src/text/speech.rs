//! Attributed speech: finds "X said", "said X", "X told reporters", "X stressed that …" and
//! "according to X" in each sentence, outside quotations. Consumes segmented text and quote
//! spans; produces [`Attribution`]s (the speaker phrase and the words of the attribution
//! itself). Deciding which words each attribution covers is left to the caller.

use super::lang::Lang;
use super::segment::Segmented;

/// One attribution of speech.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    /// Sentence index.
    pub sentence: usize,
    /// Token range of the speaker phrase.
    pub speaker: std::ops::Range<usize>,
    /// Token range of the whole attribution (speaker, auxiliaries, verb, "that").
    pub phrase: std::ops::Range<usize>,
    /// Whether the verb comes first ("said X", "according to X").
    pub inverted: bool,
}

const AUX: &[&str] = &[
    "has",
    "had",
    "have",
    "was",
    "is",
    "were",
    "also",
    "further",
    "earlier",
    "later",
    "then",
    "again",
    "reportedly",
    "previously",
    "once",
    "separately",
];
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "he", "she", "they", "it", "we", "i", "his", "her", "its", "their", "this",
    "that", "one", "some", "several", "many", "both", "two", "three",
];
const CLAUSE: &[&str] = &[
    "that", "when", "while", "as", "because", "if", "and", "but", "after", "before", "since",
    "although", "though", "which", "who", "where", "whereas",
];
const NP_STOP: &[&str] = &[
    "at", "on", "in", "during", "after", "before", "that", "when", "while", "as", "to", "on",
    "from", "with", "and", "but", "because", "if",
];

fn gap_breaks(text: &str, from: usize, to: usize) -> bool {
    text.get(from..to).is_some_and(|g| {
        g.chars().any(|c| {
            matches!(c, ',' | ';' | ':' | '—' | '–' | '(' | ')' | '"' | '“' | '”' | '«' | '»' | '„')
        })
    })
}

/// Finds attributions in every sentence. `quoted[i]` tells whether token `i` is inside a
/// quotation; such tokens are never part of an attribution.
pub fn attributions(text: &str, seg: &Segmented, quoted: &[bool], lang: &Lang) -> Vec<Attribution> {
    attributions_in(text, seg, quoted, lang, 0..seg.sentences.len())
}

/// Finds the attributions of the given sentences only (in the order given). An attribution
/// never reaches outside its sentence, so each sentence's are the same as
/// [`attributions`] finds there.
pub fn attributions_in(
    text: &str,
    seg: &Segmented,
    quoted: &[bool],
    lang: &Lang,
    sentences: impl IntoIterator<Item = usize>,
) -> Vec<Attribution> {
    let mut out = Vec::new();
    for si in sentences {
        let range = seg.sentences[si].tokens.clone();
        let mut i = range.start;
        while i < range.end {
            if quoted[i] {
                i += 1;
                continue;
            }
            let w = seg.norm(i);
            if w == "according" && i + 1 < range.end && seg.norm(i + 1) == "to" && !quoted[i + 1] {
                let sp = forward_np(text, seg, quoted, i + 2, range.end);
                if !sp.is_empty() {
                    out.push(Attribution {
                        sentence: si,
                        speaker: sp.clone(),
                        phrase: i..sp.end,
                        inverted: true,
                    });
                    i = sp.end;
                    continue;
                }
            }
            if lang.speech_verbs.contains(w) {
                if let Some(a) = before_verb(text, seg, quoted, i, range.start, lang) {
                    let mut end = i + 1;
                    if end < range.end
                        && !quoted[end]
                        && matches!(seg.norm(end), "that" | "reporters" | "journalists")
                    {
                        end += 1;
                    }
                    out.push(Attribution {
                        sentence: si,
                        speaker: a.clone(),
                        phrase: a.start..end,
                        inverted: false,
                    });
                } else if i > range.start
                    && gap_breaks(text, seg.tokens[i - 1].end, seg.tokens[i].start)
                {
                    // ", said Zakharova" / "…,” added Zakharova."
                    let sp = forward_np(text, seg, quoted, i + 1, range.end);
                    if !sp.is_empty() && seg.tokens[sp.start].capitalized
                        || (!sp.is_empty() && DETERMINERS.contains(&seg.norm(sp.start)))
                    {
                        out.push(Attribution {
                            sentence: si,
                            speaker: sp.clone(),
                            phrase: i..sp.end,
                            inverted: true,
                        });
                    }
                }
            }
            i += 1;
        }
    }
    out
}

/// The speaker before a speech verb at `verb`, back to a clause boundary.
fn before_verb(
    text: &str,
    seg: &Segmented,
    quoted: &[bool],
    verb: usize,
    first: usize,
    lang: &Lang,
) -> Option<std::ops::Range<usize>> {
    let mut end = verb;
    while end > first && AUX.contains(&seg.norm(end - 1)) && !quoted[end - 1] {
        end -= 1;
    }
    let mut start = end;
    while start > first {
        let j = start - 1;
        if quoted[j] || gap_breaks(text, seg.tokens[j].end, seg.tokens[j + 1].start) {
            break;
        }
        let w = seg.norm(j);
        if lang.speech_verbs.contains(w) || CLAUSE.contains(&w) {
            break;
        }
        start = j;
        if end - start > 8 {
            return None;
        }
    }
    // What lies between the clause boundary (sentence start, comma, quote, "that", "when")
    // and the verb is the speaker: "Zakharova", "she", "the ministry", "spokesperson
    // Mariya Zakharova". Longer runs are clauses, not speakers.
    (start < end && end - start <= 8).then_some(start..end)
}

/// A speaker phrase after `from`, up to a boundary, at most 8 words.
fn forward_np(
    text: &str,
    seg: &Segmented,
    quoted: &[bool],
    from: usize,
    last: usize,
) -> std::ops::Range<usize> {
    let mut end = from;
    while end < last && end - from < 8 && !quoted[end] {
        if end > from
            && (gap_breaks(text, seg.tokens[end - 1].end, seg.tokens[end].start)
                || NP_STOP.contains(&seg.norm(end)))
        {
            break;
        }
        end += 1;
    }
    from..end
}
