//! Stage 1, corpus: reads inputs (files, folders, stdin, CSV and JSONL corpora, manifests)
//! into [`Document`]s with outlet, date and title, cleaned of page furniture. Every input
//! ends up as a document or as a [`Skipped`] entry with its reason; nothing is dropped
//! silently. This stage does not segment text or look for framing.

mod boilerplate;
mod clean;
pub mod dates;
mod decode;
mod deferred;
pub mod header;
mod outlets;
mod read;
mod tabular;

pub use boilerplate::{Rule, Rules, RulesError, Scope};
pub use clean::{clean, Cleaned};
pub use dates::Date;
pub use decode::{decode, decode_owned, DecodeError, Decoded};
pub use outlets::{Identified, Outlet, Registry, RegistryError};
pub use read::{read, read_bytes, stream, InputKind, ReadOptions};
pub use tabular::unclosed_quote as unclosed_quote_in;

use serde::Serialize;
use std::collections::BTreeMap;

/// The outlet name given to documents whose outlet could not be recognised.
pub const UNKNOWN_OUTLET: &str = "unknown";

/// One article, ready for analysis.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Short identifier, unique in the corpus (file stem, CSV `id`, or `file:line`).
    pub id: String,
    /// Where it came from: a path, `path:line` for a CSV row or JSONL line, or `-`.
    pub path: String,
    /// Outlet name, canonical when the registry knows it, else [`UNKNOWN_OUTLET`].
    pub outlet: String,
    /// Publication date, if known.
    pub date: Option<Date>,
    /// Headline, if known.
    pub title: Option<String>,
    /// Source address, if given.
    pub url: Option<String>,
    /// Other fields, plus how outlet, date and title were found (`outlet_source`,
    /// `date_source`, `title_source`) and the detected `encoding`.
    pub meta: BTreeMap<String, String>,
    /// The cleaned text that is analysed: the article without page furniture.
    pub text: String,
    /// For each line of `text`, its 1-based line number in the input.
    pub lines: Vec<u32>,
    /// Lines removed from the input, with why.
    pub removed: Vec<Removed>,
    /// Number of words in `text`.
    pub words: usize,
}

impl Document {
    /// The input line of byte `offset` in `text`.
    pub fn line_of(&self, offset: usize) -> u32 {
        let idx = self.text.as_bytes()[..offset.min(self.text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.lines.get(idx).copied().unwrap_or(0)
    }
}

/// A line taken out of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Removed {
    /// 1-based line in the input.
    pub line: u32,
    /// The line's text.
    pub text: String,
    /// Why it was removed.
    pub reason: String,
}

/// An input that did not become a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The input (path, `path:line`, or `-`).
    pub input: String,
    /// Why, and what to do about it.
    pub reason: String,
}

/// Something the user should know about an input that was still read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The input (path or `path:line`).
    pub input: String,
    /// What happened.
    pub message: String,
}

/// Everything read from the inputs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Corpus {
    /// Documents, in input order (folders sorted by path).
    pub documents: Vec<Document>,
    /// Inputs that were not read, with the reason.
    pub skipped: Vec<Skipped>,
    /// Warnings about inputs that were read.
    pub warnings: Vec<Warning>,
}

impl Corpus {
    /// Number of distinct outlets among the documents `docs` (indices into `documents`).
    pub fn outlets_in(&self, docs: &[usize]) -> usize {
        let mut o: Vec<&str> = docs.iter().map(|&d| self.documents[d].outlet.as_str()).collect();
        o.sort_unstable();
        o.dedup();
        o.len()
    }
}

/// Counts words as the text stage does: Unicode word segments that contain a letter or digit.
pub fn count_words(text: &str) -> usize {
    // UAX #29 always breaks around a line feed, so lines count alone.
    crate::lines(text)
        .map(|line| match line.is_ascii() {
            true => crate::text::fast::count_ascii_words(line),
            false => crate::text::fast::word_indices(line).count(),
        })
        .sum()
}

/// Whether a word-boundary segment is a word (has a letter or digit).
pub fn is_word(segment: &str) -> bool {
    // Most segments are ASCII; the byte test spares a UTF-8 decode.
    match segment.as_bytes().first() {
        Some(b) if b.is_ascii_alphanumeric() => true,
        _ => segment.chars().any(char::is_alphanumeric),
    }
}
