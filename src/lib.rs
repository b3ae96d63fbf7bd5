//! framelens compares how news outlets frame the same events.
//!
//! Data flows one way through the stages, each a module:
//! [`corpus`] (read and clean documents) → [`text`] (tokens, sentences, voice) →
//! [`lexicon`] (curated framing terms and the matcher) → [`score`] (hits, rates, slant) →
//! [`align`] (stories and passages across outlets) → `compare` (outlets side by side, in the binary's `cli`) →
//! [`report`] (tables, CSV, JSON, Markdown, HTML). Only `report` and the binary's `cli`
//! write anywhere; the stages return plain values.
//!
//! ```
//! use framelens::corpus::{read_bytes, ReadOptions};
//! use framelens::lexicon::{parse, Matcher};
//! use framelens::score::{self, VoiceFilter};
//! use framelens::text::Lang;
//!
//! // corpus: a header block names the outlet; the rest is the article.
//! let text = "outlet: Example Wire\ndate: 2024-03-11\n---\n\
//!     Troops liberated two villages. \"The land was occupied,\" an official said. \
//!     Talks resumed.";
//! let corpus = read_bytes("a.txt", text.as_bytes(), &ReadOptions::default());
//! assert_eq!(corpus.documents[0].outlet, "Example Wire");
//!
//! // lexicon: poles, an axis, and two terms.
//! let csv = "#poles: az,am,neutral\n#axis: am,az\nterm,concept,pole\nliberate,control,az\noccupied,control,az\n";
//! let (lexicon, problems) = parse("mini.csv", csv);
//! assert!(problems.is_empty());
//! let matcher = Matcher::new(vec![lexicon], Lang::english());
//!
//! // text + score: "liberated" (an inflection of "liberate") is the outlet's own word,
//! // "occupied" is inside a quotation.
//! let scored = score::hits(&corpus, &matcher, Lang::english(), |_| Vec::new(), score::Detail::Speakers);
//! let hits = &scored.hits[0];
//! assert_eq!(hits.len(), 2);
//! assert_eq!((hits[0].matched.as_str(), hits[0].voice.name()), ("liberated", "own"));
//! assert_eq!((hits[1].matched.as_str(), hits[1].voice.name()), ("occupied", "quoted"));
//! assert_eq!(hits[1].speaker.as_deref(), Some("an official"));
//!
//! // The headline slant counts the own voice only: +1 on the am..az axis.
//! let tally = score::tally(&corpus, &scored, &matcher, VoiceFilter::Own, |_, d| Some(d.outlet.clone()));
//! assert_eq!(tally[0].slant.unwrap().value, 1.0);
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// A table of `$class(b)` for every byte `b` below `$n`, built at compile time: byte classes
/// looked up, not computed, in the hot loops of segmentation and matching.
macro_rules! byte_table {
    ($ty:ty, $default:expr, $class:ident, $n:expr) => {{
        let mut t: [$ty; $n] = [$default; $n];
        let mut i = 0;
        while i < $n {
            t[i] = $class(i as u8);
            i += 1;
        }
        t
    }};
}
pub(crate) use byte_table;

pub mod align;
pub mod corpus;
pub mod intern;
pub mod keyness;
pub mod lexicon;
pub mod report;
pub mod score;
pub mod text;

/// 64-bit FNV-1a of `bytes`: a small hash that is the same in every build and on every
/// machine, for what must be reproducible (bootstrap seeds, quotation shingles).
pub(crate) fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes
        .into_iter()
        .fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// The lines of `text` split at `\n`, exactly as `text.split('\n')`, found with the SIMD
/// search of the memchr crate: every stage splits each document into lines.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> + '_ {
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    let mut start = 0;
    ends.map(move |end| {
        let line = &text[start..end];
        start = end + 1;
        line
    })
}

/// `s` lower-cased, copied only when it has a capital or a non-ASCII character: counting
/// and lookup loops see mostly lower-case words.
pub(crate) fn lowercase(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        s.to_lowercase().into()
    } else {
        s.into()
    }
}

/// The value of `key` in `map`, inserted as the default first when missing. Counting loops
/// see most keys many times: looking up by `&str` allocates only for a key not seen before,
/// where `entry(key.to_string())` would allocate every time.
pub(crate) fn slot<'m, M: StrKeyed>(map: &'m mut M, key: &str) -> &'m mut M::Value {
    if !map.has(key) {
        map.put(key.to_string());
    }
    map.value(key).expect("inserted above")
}

/// Maps keyed by `String` that [`slot`] fills.
pub(crate) trait StrKeyed {
    type Value;
    fn has(&self, key: &str) -> bool;
    /// Inserts the default value under `key`.
    fn put(&mut self, key: String);
    fn value(&mut self, key: &str) -> Option<&mut Self::Value>;
}

impl<V: Default> StrKeyed for rustc_hash::FxHashMap<String, V> {
    type Value = V;
    fn has(&self, key: &str) -> bool {
        self.contains_key(key)
    }
    fn put(&mut self, key: String) {
        self.insert(key, V::default());
    }
    fn value(&mut self, key: &str) -> Option<&mut V> {
        self.get_mut(key)
    }
}

impl<V: Default> StrKeyed for std::collections::BTreeMap<String, V> {
    type Value = V;
    fn has(&self, key: &str) -> bool {
        self.contains_key(key)
    }
    fn put(&mut self, key: String) {
        self.insert(key, V::default());
    }
    fn value(&mut self, key: &str) -> Option<&mut V> {
        self.get_mut(key)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lines_split_like_str_split() {
        for t in ["", "\n", "a", "a\n", "\na", "a\nb\n\nc", "é\n\n€\r\nx\n"] {
            assert_eq!(super::lines(t).collect::<Vec<_>>(), t.split('\n').collect::<Vec<_>>());
        }
    }
}
