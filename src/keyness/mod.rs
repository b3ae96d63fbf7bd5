//! Keyness: the distinctive words and two-word phrases of each group of documents (an
//! outlet, a story) against all the other groups, by the log-odds ratio with an informative
//! Dirichlet prior of Monroe, Colaresi and Quinn (2008), "Fightin' Words: Lexical Feature
//! Selection and Evaluation for Identifying the Content of Political Conflict", *Political
//! Analysis* 16(4), section 3.5.
//!
//! Consumes a [`Corpus`] (cleaned text) and the language resources; produces term
//! [`Counts`] per group ([`count`]), typed [`Keyness`] rows ([`keyness`], [`rank`]) and, for
//! any term, the lexicon entries that name it ([`lexicon_entries`]). It does not choose how
//! many rows to show, print, or decide whether a term *frames* anything: a high z says that a
//! group uses a word more than the others, not why.
//!
//! # Terms
//! - **Unigrams**: the folded words of the text stage ([`crate::text::segment()`]: case
//!   folded, possessive `'s` dropped, `-ise` → `-ize`), except the language's stop words and
//!   except words without a letter. Numbers ("2020", "30,000") are left out because in news
//!   they name the event (dates, tolls), not its framing; words that mix letters and digits
//!   ("mi-8" is two words, "g20" one) are kept.
//! - **Bigrams**: two consecutive unigram-eligible words of one sentence, written with one
//!   space ("occupied territories"). A bigram never starts or ends with a stop word and never
//!   spans punctuation other than a hyphen: "Nagorno-Karabakh" gives `nagorno karabakh`,
//!   "Armenia, Azerbaijan" gives nothing. Bigrams "across" a stop word ("territories of
//!   Azerbaijan") are not formed.
//! - **Voice**: with [`VoiceFilter::Own`] only words in the outlet's own voice count (both
//!   words of a bigram); the default in the CLI is every voice.
//! - Unigrams and bigrams are two separate multinomials: a unigram is compared with the
//!   unigram totals, a bigram with the bigram totals, each with its own prior.
//!
//! # The statistic
//! For a term `w`, a group `i` and "the rest" `j` (every other group pooled), with `y` the
//! counts, `n` the totals and `α` the prior:
//!
//! ```text
//! α_w  = α0 · y_w / n                              (informative prior: corpus frequency)
//! δ_w  = ln((y_w^i + α_w) / (n^i + α0 − y_w^i − α_w)) − ln((y_w^j + α_w) / (n^j + α0 − y_w^j − α_w))
//! σ²_w ≈ 1/(y_w^i + α_w) + 1/(y_w^j + α_w)
//! z_w  = δ_w / σ_w
//! ```
//!
//! where `y_w = y_w^i + y_w^j` and `n = n^i + n^j` are the corpus counts. The paper leaves
//! the prior's size `α0` to the analyst; framelens uses **`α0 = n`, the corpus total of the
//! same n-gram order**, so each term's prior count is its own corpus count (`α_w = y_w`):
//! the "background corpus" of the usual implementations of Monroe et al.'s informative prior,
//! with the corpus itself as background. A prior this strong shrinks rare words hard (a word
//! seen once in one outlet and nowhere else gets `|z| < 1`), which is what a small corpus
//! needs; [`Options::alpha0`] overrides it. `z` is positive when the group uses the term more
//! than the rest; `|z| ≥ 1.96` is the paper's conventional threshold, but on a corpus of a
//! few articles z-scores are small and describe the sample, not the outlet in general.

pub mod coverage;

use crate::corpus::{Corpus, Document};
use crate::lexicon::Lexicon;
use crate::score::VoiceFilter;
use crate::text::{analyse, segment, Lang, Segmented};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// Term → count. A hash map: counting is the hot loop, and every output built from counts
/// is sorted explicitly.
pub type TermCounts = rustc_hash::FxHashMap<String, u64>;

/// Counts of the terms of one kind (unigrams or bigrams) per group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Group → term → count. Terms are folded words joined by one space.
    pub groups: BTreeMap<String, TermCounts>,
}

impl Counts {
    /// Adds `n` occurrences of `term` to `group`.
    pub fn add(&mut self, group: &str, term: &str, n: u64) {
        if n == 0 {
            return;
        }
        let g = match self.groups.get_mut(group) {
            Some(g) => g,
            None => self.groups.entry(group.to_string()).or_default(),
        };
        *crate::slot(g, term) += n;
    }

    /// Total count of all groups (the corpus's `n`).
    pub fn grand_total(&self) -> u64 {
        self.groups.values().flat_map(|g| g.values()).sum()
    }

    /// Total count of a group (its `n^i`); 0 for an unknown group.
    pub fn total(&self, group: &str) -> u64 {
        self.groups.get(group).map_or(0, |g| g.values().sum())
    }

    /// Counts over all groups: term → count.
    pub fn corpus(&self) -> rustc_hash::FxHashMap<&str, u64> {
        let mut all = rustc_hash::FxHashMap::default();
        for g in self.groups.values() {
            for (t, &c) in g {
                *all.entry(t.as_str()).or_default() += c;
            }
        }
        all
    }
}

/// Unigram and bigram counts of a corpus, per group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tokens {
    /// Single words.
    pub unigrams: Counts,
    /// Two-word phrases.
    pub bigrams: Counts,
    /// Documents per group.
    pub documents: BTreeMap<String, usize>,
}

/// Counts the unigrams and bigrams of every document, grouped by `key` (`None` leaves a
/// document out). `self_names` gives a document's outlet name and aliases, used only to find
/// voices when `voice` is not [`VoiceFilter::All`]. Documents are analysed in parallel; the
/// result does not depend on the order.
pub fn count(
    corpus: &Corpus,
    lang: &Lang,
    voice: VoiceFilter,
    key: impl Fn(usize, &Document) -> Option<String> + Sync,
    self_names: impl Fn(&Document) -> Vec<String> + Sync,
) -> Tokens {
    let mut out = Tokens::default();
    out.add(corpus, lang, voice, key, self_names);
    out
}

impl Tokens {
    /// Adds the counts of more documents (see [`count`]): a corpus read in batches is
    /// counted batch by batch, holding only the counts.
    pub fn add(
        &mut self,
        corpus: &Corpus,
        lang: &Lang,
        voice: VoiceFilter,
        key: impl Fn(usize, &Document) -> Option<String> + Sync,
        self_names: impl Fn(&Document) -> Vec<String> + Sync,
    ) {
        // Each thread counts into its own maps; the maps are then merged. Counts are
        // integers, so the result does not depend on how the work was split.
        let batch = corpus
            .documents
            .par_iter()
            .enumerate()
            // Few, large pieces: each piece's maps are merged at the end, and merging is the
            // costly part.
            .with_min_len(128)
            .fold(Tokens::default, |mut t, (i, d)| {
                if let Some(group) = key(i, d) {
                    let uni = t.unigrams.groups.entry(group.clone()).or_default();
                    let bi = t.bigrams.groups.entry(group.clone()).or_default();
                    count_document_into(&d.text, lang, voice, &self_names(d), uni, bi);
                    *t.documents.entry(group).or_default() += 1;
                }
                t
            })
            .reduce(Tokens::default, |mut a, b| {
                a.merge(b);
                a
            });
        self.merge(batch);
    }

    /// Adds the counts of `other`. Groups, and unigrams and bigrams, merge in parallel.
    pub fn merge(&mut self, other: Tokens) {
        for (group, docs) in other.documents {
            *self.documents.entry(group).or_default() += docs;
        }
        rayon::join(|| self.unigrams.merge(other.unigrams), || self.bigrams.merge(other.bigrams));
    }
}

impl Counts {
    /// Adds the counts of `other`, one group per task.
    pub fn merge(&mut self, other: Counts) {
        let mut from = other.groups;
        for g in from.keys() {
            if !self.groups.contains_key(g) {
                self.groups.insert(g.clone(), TermCounts::default());
            }
        }
        let pairs: Vec<(&mut TermCounts, TermCounts)> = self
            .groups
            .iter_mut()
            .filter_map(|(g, into)| from.remove(g).map(|f| (into, f)))
            .collect();
        pairs.into_par_iter().for_each(|(into, f)| {
            for (t, n) in f {
                *into.entry(t).or_default() += n;
            }
        });
    }
}

/// Unigram and bigram counts of one text (see the module docs for what counts).
pub fn count_document(
    text: &str,
    lang: &Lang,
    voice: VoiceFilter,
    self_names: &[String],
) -> (TermCounts, TermCounts) {
    let (mut uni, mut bi) = (TermCounts::default(), TermCounts::default());
    count_document_into(text, lang, voice, self_names, &mut uni, &mut bi);
    (uni, bi)
}

/// [`count_document`], adding to existing counts.
pub fn count_document_into(
    text: &str,
    lang: &Lang,
    voice: VoiceFilter,
    self_names: &[String],
    uni: &mut TermCounts,
    bi: &mut TermCounts,
) {
    let (seg, admitted): (Segmented, Vec<bool>) = if voice == VoiceFilter::All {
        let seg = segment(text, lang);
        let n = seg.tokens.len();
        (seg, vec![true; n])
    } else {
        let a = analyse(text, lang, self_names);
        let admitted = a.voices.iter().map(|v| voice.admits(v.kind)).collect();
        (a.seg, admitted)
    };
    let eligible: Vec<bool> = (0..seg.tokens.len())
        .map(|i| {
            let w = seg.norm(i);
            admitted[i] && w.chars().any(char::is_alphabetic) && !lang.stopwords.contains(w)
        })
        .collect();
    let mut pair = String::new();
    for i in 0..seg.tokens.len() {
        if !eligible[i] {
            continue;
        }
        *crate::slot(uni, seg.norm(i)) += 1;
        let j = i + 1;
        if j < seg.tokens.len()
            && eligible[j]
            && seg.tokens[j].sentence == seg.tokens[i].sentence
            && joined(&text[seg.tokens[i].end..seg.tokens[j].start])
        {
            pair.clear();
            pair.push_str(seg.norm(i));
            pair.push(' ');
            pair.push_str(seg.norm(j));
            *crate::slot(bi, &pair) += 1;
        }
    }
}

/// Whether the text between two words lets them form a phrase: spaces and hyphens only.
fn joined(gap: &str) -> bool {
    gap.chars().all(|c| c.is_whitespace() || matches!(c, '-' | '\u{2010}' | '\u{2011}'))
}

/// Settings for [`keyness`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Options {
    /// The prior's size `α0`. Default (`None`): the corpus total of the n-gram order, so that
    /// each term's prior count is its corpus count.
    pub alpha0: Option<f64>,
    /// A term is listed for a group only if the group uses it at least this often. Default:
    /// 1 (values below 1 count as 1).
    pub min_count: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options { alpha0: None, min_count: 1 }
    }
}

/// How distinctive a term is of a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Keyness {
    /// The group (outlet, story …).
    pub group: String,
    /// The term: folded words joined by one space.
    pub term: String,
    /// Number of words in the term (1 or 2).
    pub words: usize,
    /// `δ / σ`: positive when the group uses the term more than the rest.
    pub z: f64,
    /// The log-odds ratio `δ`.
    pub delta: f64,
    /// Count in the group (`y^i`).
    pub count: u64,
    /// Count in all other groups together (`y^j`).
    pub count_rest: u64,
    /// Prior count of the term (`α_w`).
    pub prior: f64,
}

/// Scores every term of every group against the rest (see the module docs). Rows are sorted
/// by group, then z (highest first), then term. Terms a group uses fewer than
/// [`Options::min_count`] times are left out for that group, and so are terms whose odds
/// are undefined (a vocabulary of a single word).
pub fn keyness(counts: &Counts, opts: &Options) -> Vec<Keyness> {
    let scorer = Scorer::new(counts, opts);
    counts.groups.par_iter().map(|(g, terms)| scorer.group(g, terms)).flatten().collect()
}

/// What scoring one group's terms needs: the corpus counts and the prior's size.
struct Scorer<'c> {
    corpus: rustc_hash::FxHashMap<&'c str, u64>,
    n: u64,
    alpha0: f64,
    min_count: u64,
}

impl<'c> Scorer<'c> {
    fn new(counts: &'c Counts, opts: &Options) -> Self {
        let corpus = counts.corpus();
        let n: u64 = corpus.values().sum();
        Scorer {
            corpus,
            n,
            alpha0: opts.alpha0.unwrap_or(n as f64),
            min_count: opts.min_count.max(1),
        }
    }

    /// The rows of one group, sorted by z (highest first), then term.
    fn group(&self, group: &str, terms: &TermCounts) -> Vec<Keyness> {
        let (n, alpha0) = (self.n, self.alpha0);
        let mut rows = Vec::new();
        if n == 0 || alpha0 <= 0.0 {
            return rows;
        }
        let ni = terms.values().sum::<u64>() as f64;
        let nj = n as f64 - ni;
        for (term, &yi) in terms {
            if yi < self.min_count {
                continue;
            }
            let y = self.corpus.get(term.as_str()).copied().unwrap_or(yi);
            let yj = (y - yi) as f64;
            let yi = yi as f64;
            let a = alpha0 * y as f64 / n as f64;
            let (di, dj) = (ni + alpha0 - yi - a, nj + alpha0 - yj - a);
            if di <= 0.0 || dj <= 0.0 {
                continue;
            }
            let delta = ((yi + a) / di).ln() - ((yj + a) / dj).ln();
            let sigma = (1.0 / (yi + a) + 1.0 / (yj + a)).sqrt();
            rows.push(Keyness {
                group: group.to_string(),
                term: term.clone(),
                words: term.split(' ').count(),
                z: delta / sigma,
                delta,
                count: yi as u64,
                count_rest: yj as u64,
                prior: a,
            });
        }
        rows.sort_by(by_z);
        rows
    }
}

/// Highest z first, then term.
fn by_z(x: &Keyness, y: &Keyness) -> std::cmp::Ordering {
    y.z.total_cmp(&x.z).then_with(|| x.term.cmp(&y.term))
}

/// Unigrams and bigrams scored each against their own totals (see [`keyness`]), merged:
/// sorted by group, then z (highest first), then term.
pub fn rank(tokens: &Tokens, opts: &Options) -> Vec<Keyness> {
    let (uni, bi) = (Scorer::new(&tokens.unigrams, opts), Scorer::new(&tokens.bigrams, opts));
    let empty = TermCounts::default();
    let groups: std::collections::BTreeSet<&String> =
        tokens.unigrams.groups.keys().chain(tokens.bigrams.groups.keys()).collect();
    let groups: Vec<&String> = groups.into_iter().collect();
    groups
        .par_iter()
        .map(|g| {
            let mut rows = uni.group(g, tokens.unigrams.groups.get(*g).unwrap_or(&empty));
            rows.extend(bi.group(g, tokens.bigrams.groups.get(*g).unwrap_or(&empty)));
            rows.sort_by(by_z);
            rows
        })
        .flatten()
        .collect()
}

/// A lexicon entry that names a term.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LexiconRef {
    /// Lexicon name.
    pub lexicon: String,
    /// The entry's term as written.
    pub term: String,
    /// Its concept.
    pub concept: String,
    /// Its pole.
    pub pole: String,
}

/// The lexicon entries whose term is `term` (folded words joined by spaces), as the matcher
/// would see it: same number of words, the last word matching the entry's inflected forms or
/// its `*` prefix. Context rules are ignored (a term is "in the lexicon" whatever its
/// surroundings). Sorted, without duplicates.
pub fn lexicon_entries(term: &str, lexicons: &[Lexicon], lang: &Lang) -> Vec<LexiconRef> {
    let words: Vec<&str> = term.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out: Vec<LexiconRef> = Vec::new();
    for lex in lexicons {
        for e in &lex.entries {
            if e.matches_words(&words, lang) {
                out.push(LexiconRef {
                    lexicon: lex.name.clone(),
                    term: e.term.clone(),
                    concept: e.concept.clone(),
                    pole: e.pole.clone(),
                });
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Whether some run of consecutive words of `term` is a lexicon term: "occupied lands" is
/// covered by an entry `occupied`. Used to leave such terms out of lexicon candidates.
pub fn covered(term: &str, lexicons: &[Lexicon], lang: &Lang) -> bool {
    let words: Vec<&str> = term.split(' ').filter(|w| !w.is_empty()).collect();
    (0..words.len()).any(|s| {
        (s + 1..=words.len()).any(|e| {
            lexicons.iter().any(|l| l.entries.iter().any(|en| en.matches_words(&words[s..e], lang)))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{read_bytes, ReadOptions};

    fn corpus(docs: &[(&str, &str)]) -> Corpus {
        let mut c = Corpus::default();
        for (i, (outlet, body)) in docs.iter().enumerate() {
            let text = format!("outlet: {outlet}\n---\n{body}");
            c.documents.extend(
                read_bytes(&format!("d{i}.txt"), text.as_bytes(), &ReadOptions::default())
                    .documents,
            );
        }
        c
    }

    fn tokens(c: &Corpus, voice: VoiceFilter) -> Tokens {
        count(c, Lang::english(), voice, |_, d| Some(d.outlet.clone()), |_| Vec::new())
    }

    fn find<'a>(rows: &'a [Keyness], group: &str, term: &str) -> &'a Keyness {
        rows.iter()
            .find(|r| r.group == group && r.term == term)
            .unwrap_or_else(|| panic!("{group}/{term} in {rows:#?}"))
    }

    fn close(got: f64, want: f64) {
        assert!((got - want).abs() < 5e-6, "got {got}, want {want}");
    }

    /// The reference computation, done by hand from the formulas of Monroe et al. (2008),
    /// section 3.5, on a two-outlet corpus:
    ///
    /// ```text
    /// Alpha: "Alpha alpha alpha beta."   unigrams alpha 3, beta 1            n^A = 4
    /// Beta:  "Beta beta gamma gamma."    unigrams beta 2, gamma 2            n^B = 4
    /// corpus: alpha 3, beta 3, gamma 2, n = 8; α0 = n = 8, so α_w = 8 · y_w / 8 = y_w.
    ///
    /// alpha, Alpha vs rest: y^i = 3, y^j = 0, α = 3
    ///   δ = ln((3+3)/(4+8−3−3)) − ln((0+3)/(4+8−0−3)) = ln(6/6) − ln(3/9) = ln 3 = 1.098612
    ///   σ² = 1/(3+3) + 1/(0+3) = 1/6 + 1/3 = 0.5,  σ = 0.707107
    ///   z = 1.098612 / 0.707107 = 1.553672
    /// beta, Alpha vs rest: y^i = 1, y^j = 2, α = 3
    ///   δ = ln(4/(12−1−3)) − ln(5/(12−2−3)) = ln(4/8) − ln(5/7) = −0.693147 + 0.336472
    ///     = −0.356675
    ///   σ² = 1/4 + 1/5 = 0.45,  σ = 0.670820,  z = −0.531700
    /// gamma, Beta vs rest: y^i = 2, y^j = 0, α = 2
    ///   δ = ln(4/(12−2−2)) − ln(2/(12−0−2)) = ln(0.5) − ln(0.2) = ln 2.5 = 0.916291
    ///   σ² = 1/4 + 1/2 = 0.75,  σ = 0.866025,  z = 1.058041
    /// With two groups each is the other's rest: z(beta, Beta) = +0.531700.
    ///
    /// Bigrams (a separate model): Alpha "alpha alpha" 2, "alpha beta" 1 (n^A = 3);
    /// Beta "beta beta" 1, "beta gamma" 1, "gamma gamma" 1 (n^B = 3); n = 6, α0 = 6.
    /// "alpha alpha", Alpha vs rest: y^i = 2, y^j = 0, α = 6 · 2/6 = 2
    ///   δ = ln((2+2)/(3+6−2−2)) − ln((0+2)/(3+6−0−2)) = ln(4/5) − ln(2/7)
    ///     = −0.223144 + 1.252763 = 1.029619
    ///   σ² = 1/4 + 1/2 = 0.75,  σ = 0.866025,  z = 1.188902
    /// ```
    #[test]
    fn matches_the_hand_computed_reference() {
        let c = corpus(&[("Alpha", "Alpha alpha alpha beta."), ("Beta", "Beta beta gamma gamma.")]);
        let t = tokens(&c, VoiceFilter::All);
        assert_eq!(t.unigrams.total("Alpha"), 4);
        assert_eq!(t.bigrams.total("Beta"), 3);
        let rows = rank(&t, &Options::default());
        let r = find(&rows, "Alpha", "alpha");
        close(r.delta, 1.098612);
        close(r.z, 1.553672);
        assert_eq!((r.count, r.count_rest), (3, 0));
        close(r.prior, 3.0);
        let r = find(&rows, "Alpha", "beta");
        close(r.delta, -0.356675);
        close(r.z, -0.531700);
        close(find(&rows, "Beta", "beta").z, 0.531700);
        let r = find(&rows, "Beta", "gamma");
        close(r.delta, 0.916291);
        close(r.z, 1.058041);
        let r = find(&rows, "Alpha", "alpha alpha");
        close(r.delta, 1.029619);
        close(r.z, 1.188902);
        assert_eq!(r.words, 2);
        // Sorted by group, then z descending.
        let alpha: Vec<&str> =
            rows.iter().filter(|r| r.group == "Alpha").map(|r| r.term.as_str()).collect();
        assert_eq!(alpha, vec!["alpha", "alpha alpha", "alpha beta", "beta"]);
    }

    /// Three groups: the rest is the other two pooled. Counts x: A 2, B 1, C 1; y: A 0, B 1,
    /// C 1 (n^A = 2, n = 6, α0 = 6, α_x = 4, α_y = 2).
    /// x, A vs rest: δ = ln((2+4)/(2+6−2−4)) − ln((2+4)/(4+6−2−4)) = ln 3 − ln 1.5 = ln 2
    ///   = 0.693147; σ² = 1/6 + 1/6, σ = 0.577350; z = 1.200566.
    #[test]
    fn the_rest_pools_the_other_groups() {
        let mut c = Counts::default();
        for (g, t, n) in [("A", "x", 2), ("B", "x", 1), ("B", "y", 1), ("C", "x", 1), ("C", "y", 1)]
        {
            c.add(g, t, n);
        }
        let rows = keyness(&c, &Options::default());
        let r = find(&rows, "A", "x");
        close(r.delta, std::f64::consts::LN_2); // ln 2 = 0.693147
        close(r.z, 1.200566);
        assert_eq!(r.count_rest, 2);
        // An explicit α0 changes the prior: α0 = 3 gives α_x = 2.
        let rows = keyness(&c, &Options { alpha0: Some(3.0), min_count: 1 });
        close(find(&rows, "A", "x").prior, 2.0);
        // min_count drops rare terms of a group.
        let rows = keyness(&c, &Options { alpha0: None, min_count: 2 });
        assert!(rows.iter().all(|r| r.count >= 2));
    }

    #[test]
    fn stop_words_numbers_and_punctuation_are_handled() {
        let (uni, bi) = count_document(
            "The Nagorno-Karabakh conflict began in 1988, Armenia, Azerbaijan and the G20 agreed.",
            Lang::english(),
            VoiceFilter::All,
            &[],
        );
        let mut u: Vec<&str> = uni.keys().map(String::as_str).collect();
        u.sort_unstable();
        assert_eq!(
            u,
            vec![
                "agreed",
                "armenia",
                "azerbaijan",
                "began",
                "conflict",
                "g20",
                "karabakh",
                "nagorno"
            ]
        );
        let mut b: Vec<&str> = bi.keys().map(String::as_str).collect();
        b.sort_unstable();
        assert_eq!(
            b,
            vec!["conflict began", "g20 agreed", "karabakh conflict", "nagorno karabakh"]
        );
    }

    #[test]
    fn own_voice_leaves_quotes_out() {
        let c = corpus(&[
            ("Alpha", "Troops liberated villages. \"Occupied land,\" an official said."),
            ("Beta", "Talks resumed."),
        ]);
        let own = tokens(&c, VoiceFilter::Own);
        let all = tokens(&c, VoiceFilter::All);
        assert!(own.unigrams.groups["Alpha"].contains_key("liberated"));
        assert!(!own.unigrams.groups["Alpha"].contains_key("occupied"));
        assert!(!own.bigrams.groups["Alpha"].contains_key("occupied land"));
        assert_eq!(all.unigrams.groups["Alpha"]["occupied"], 1);
        assert_eq!(all.documents["Alpha"], 1);
    }

    #[test]
    fn lexicon_lookup_follows_inflection_and_wildcards() {
        let lex = crate::lexicon::parse(
            "t.csv",
            "#name: t\n#poles: a,b,neutral\nterm,concept,pole,match\nliberate,control,a,\noccup*,control,b,\nde facto authorities,status,neutral,\nshusha,place,a,exact\n",
        )
        .0;
        let en = Lang::english();
        let lx = std::slice::from_ref(&lex);
        let got =
            |t: &str| lexicon_entries(t, lx, en).into_iter().map(|r| r.term).collect::<Vec<_>>();
        assert_eq!(got("liberated"), vec!["liberate"]);
        assert_eq!(got("liberation"), vec!["liberate"]);
        assert_eq!(got("occupation"), vec!["occup*"]);
        assert_eq!(got("de facto authorities"), vec!["de facto authorities"]);
        assert!(got("shushas").is_empty());
        assert!(got("facto authorities").is_empty());
        assert!(covered("liberated villages", lx, en));
        assert!(!covered("talks resumed", lx, en));
    }
}
