//! Stage 3, lexicon: curated framing lexicons (CSV tables of terms with the concept each
//! names, the pole whose framing it reflects, a weight, a note and a neutral alternative) and
//! the matcher that finds their terms in analysed text. Consumes lexicon files and
//! [`crate::text::Analysis`]; produces [`Hit`]s. It does not count or score hits.
//!
//! # Matching semantics
//!
//! - **Tokens, not characters.** A term is split into words by the same Unicode segmenter and
//!   case folding as the articles ([`crate::text::fold_words`]), so matches always start and
//!   end on word boundaries, punctuation and hyphens are ignored ("Nagorno-Karabakh" matches
//!   "Nagorno Karabakh"), full Unicode case folding applies ("STRASSE" = "Straße"), and a
//!   possessive `'s` is dropped ("under Armenia's control" = "under Armenia control").
//!   Terms never match across sentences.
//! - **Wildcard.** A trailing `*` makes the last word a prefix: `liberat*` matches
//!   "liberated", "liberation". It never matches inside a word ("deliberate").
//! - **Inflection.** Unless `match` is `exact`, the last word also matches its inflected
//!   forms from the language's rule file (`liberate` → liberated, liberates, liberating,
//!   liberation).
//! - **Longest match wins.** All terms are compiled into one Aho-Corasick automaton over the
//!   folded sentence text; where matches overlap, the one starting first wins, and at the
//!   same start the longest. With the terms `Nagorno-Karabakh` and `Nagorno-Karabakh
//!   Republic`, the text "the Nagorno-Karabakh Republic said" gives one hit, the longer
//!   term; "Nagorno-Karabakh's capital" gives the shorter.
//! - **Context rules.** A row with `near` cues applies only when a cue occurs within
//!   `window` words of the term in the same sentence; a row with `not_near` cues does not
//!   apply when one does. When several rows share a term, the applicable row with the nearest
//!   cue wins, and a row without `near` is the fallback. "territories previously occupied by
//!   Armenia" picks the `occupied`/`armenia*` row (cue one word away) over an
//!   `azerbaijan*` row whose cue is further.
//! - **Negation.** A hit preceded within two words by a negation cue of the language ("not",
//!   "never", "n't") is marked negated; scores count it apart from its pole.

pub mod import;
mod matcher;
mod parse;

pub use matcher::{Hit, Matcher};
pub use parse::{parse, Problem, Severity};

use serde::Serialize;

/// The bundled lexicons: (file name, contents).
pub const BUILTIN: &[(&str, &str)] = &[
    ("lexicons/karabakh.csv", include_str!("../../lexicons/karabakh.csv")),
    ("lexicons/war.csv", include_str!("../../lexicons/war.csv")),
];

/// A context cue: a word or phrase, the last word optionally a prefix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cue {
    /// As written in the lexicon.
    pub text: String,
    /// Folded words.
    #[serde(skip)]
    pub words: Vec<String>,
    /// Whether the last word is a prefix.
    #[serde(skip)]
    pub wildcard: bool,
}

/// One lexicon row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The term as written.
    pub term: String,
    /// Folded words of the term (without the `*`).
    #[serde(skip)]
    pub words: Vec<String>,
    /// Whether the last word is a prefix.
    #[serde(skip)]
    pub wildcard: bool,
    /// Whether the last word matches its inflected forms.
    #[serde(skip)]
    pub inflect: bool,
    /// The idea the wording names.
    pub concept: String,
    /// The side whose framing the wording reflects.
    pub pole: String,
    /// Weight in the slant index. Default 1.
    pub weight: f64,
    /// Why the wording belongs to its pole, for students.
    pub note: String,
    /// A neutral alternative wording, or empty.
    pub neutral: String,
    /// The row applies only near one of these.
    pub near: Vec<Cue>,
    /// The row does not apply near any of these.
    pub not_near: Vec<Cue>,
    /// Window for `near` and `not_near`, in words. Default 8.
    pub window: usize,
    /// Line in the lexicon file.
    pub line: u64,
}

impl Entry {
    /// Whether the folded `words` are a form of this entry as the matcher sees it: the same
    /// words, the last one possibly inflected (`inflect` entries) or extended (`*` entries).
    /// Context rules are not checked.
    pub fn matches_words(&self, words: &[&str], lang: &crate::text::Lang) -> bool {
        let (Some((last, head)), Some((elast, ehead))) =
            (words.split_last(), self.words.split_last())
        else {
            return false;
        };
        if head.len() != ehead.len() || head.iter().zip(ehead).any(|(a, b)| a != b) {
            return false;
        }
        if self.wildcard {
            last.starts_with(elast.as_str())
        } else if self.inflect {
            *last == elast || lang.inflect(elast).iter().any(|f| f == last)
        } else {
            *last == elast
        }
    }
}

/// A lexicon: its poles and axis, and its entries.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Lexicon {
    /// Short name (the `#name` directive, else the file stem).
    pub name: String,
    /// One-line description.
    pub description: String,
    /// Language code of the terms.
    pub language: String,
    /// Declared poles.
    pub poles: Vec<String>,
    /// Slant axis: (negative pole, positive pole).
    pub axis: Option<(String, String)>,
    /// Rows, in file order.
    pub entries: Vec<Entry>,
    /// File it came from.
    pub source: String,
    /// Whether a bundled lexicon is used when none is named (`#default: no` turns it off;
    /// select it with `--lexicon NAME`). Default: yes.
    pub default: bool,
}

/// A lexicon file that has errors.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct LexiconError {
    /// Every problem found.
    pub problems: Vec<Problem>,
}

/// Reads and parses a lexicon file; errors if it has any problem of severity error.
pub fn load(path: &std::path::Path) -> Result<Lexicon, LexiconError> {
    let file = path.display().to_string();
    let text = std::fs::read(path)
        .map_err(|e| LexiconError { problems: vec![io_problem(&file, &e.to_string())] })?;
    let text = crate::corpus::decode(&text)
        .map_err(|e| LexiconError { problems: vec![io_problem(&file, &e.to_string())] })?
        .text;
    checked(parse(&file, &text))
}

fn io_problem(file: &str, msg: &str) -> Problem {
    Problem {
        file: file.into(),
        line: 0,
        column: None,
        field: None,
        severity: Severity::Error,
        message: format!("cannot read: {msg}"),
    }
}

fn checked((lex, problems): (Lexicon, Vec<Problem>)) -> Result<Lexicon, LexiconError> {
    if problems.iter().any(|p| p.severity == Severity::Error) {
        Err(LexiconError { problems })
    } else {
        Ok(lex)
    }
}

/// The bundled lexicons. A test keeps them free of errors; the `Result` keeps a broken build
/// from panicking.
pub fn builtin() -> Result<Vec<Lexicon>, LexiconError> {
    BUILTIN.iter().map(|(f, t)| checked(parse(f, t))).collect()
}

/// The bundled lexicon named `name`, if any.
pub fn bundled(name: &str) -> Result<Option<Lexicon>, LexiconError> {
    Ok(builtin()?.into_iter().find(|l| l.name == name))
}

/// The lexicons to use: the bundled default ones, with each of `extra` replacing the bundled
/// lexicon of the same name or else added.
pub fn resolve(extra: Vec<Lexicon>) -> Result<Vec<Lexicon>, LexiconError> {
    let mut all: Vec<Lexicon> = builtin()?.into_iter().filter(|l| l.default).collect();
    for lex in extra {
        match all.iter_mut().find(|l| l.name == lex.name) {
            Some(slot) => *slot = lex,
            None => all.push(lex),
        }
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    #[test]
    fn bundled_lexicons_have_no_problems() {
        for (file, text) in super::BUILTIN {
            let (lex, problems) = super::parse(file, text);
            assert!(problems.is_empty(), "{file}: {problems:#?}");
            assert!(lex.axis.is_some(), "{file} declares an axis");
        }
    }
}
