//! Keyness: the distinctive words and two-word phrases of each group of documents (an
//! outlet, a story) against all the other groups, by the log-odds ratio with an informative
//! Dirichlet prior of Monroe, Colaresi and Quinn (2008), "Fightin' Words: Lexical Feature
//! Selection and Evaluation for Identifying the Content of Political Conflict", *Political
//! Analysis* 16(4), section 3.5.
//!
//! Consumes a [`Corpus`] (cleaned text) and the language resources; produces term
//! [`Counts`] per group ([`count`]), typed [`Keyness`] rows ([`keyness`], [`rank`]) and, for
//! any term, the lexicon entries that name it ([`lexicon_entries`]). It does not choose how
//! many rows to show (the caller asks for the top rows, [`Rows`]), print, or decide whether a
//! term *frames* anything: a high z says that a group uses a word more than the others, not
//! why.
//!
//! Counts are keyed by integers: words are interned in a [`Vocab`] and a term is the id of its
//! word or of its two words ([`TermId`]), so that counting a token hashes its word once and
//! copies nothing. Term texts are built only for the rows returned. Ids depend on the order
//! of counting; every output is sorted by text and z, never by id.
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
use crate::intern::Interner;
use crate::lexicon::Lexicon;
use crate::score::VoiceFilter;
use crate::text::{analyse, segment, Lang, Segmented};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// The low half of a [`TermId`] of a single word.
const NO_WORD: u32 = u32::MAX;

/// Interned words: each distinct folded word once, numbered from 0 in the order first seen.
/// Counting keys terms by these numbers, so that a word is hashed as a string once per token
/// and never copied; the strings come back only for the rows that are shown. Ids depend on
/// the order in which words were seen, so nothing is ever sorted by id.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    words: Interner,
}

impl Vocab {
    /// The id of `word`, if it was interned.
    pub fn id(&self, word: &str) -> Option<u32> {
        self.words.get(word)
    }

    /// The id of `word`, interning it if it is new.
    pub fn intern(&mut self, word: &str) -> u32 {
        self.words.id(word)
    }

    /// The word of `id`. Panics on an id this vocabulary did not give out.
    pub fn word(&self, id: u32) -> &str {
        self.words.string(id)
    }

    /// Number of distinct words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether no word was interned.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The words, by id.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.words.iter()
    }

    /// The term's text: its words joined by one space.
    pub fn term(&self, t: TermId) -> String {
        match t.words() {
            (a, None) => self.word(a).to_string(),
            (a, Some(b)) => [self.word(a), self.word(b)].join(" "),
        }
    }

    /// The id of a term given as text (folded words joined by one space), if every word is
    /// interned and the term has one or two words.
    pub fn term_id(&self, term: &str) -> Option<TermId> {
        match term.split_once(' ') {
            None => Some(TermId::word(self.id(term)?)),
            Some((a, b)) if !b.contains(' ') => Some(TermId::pair(self.id(a)?, self.id(b)?)),
            Some(_) => None,
        }
    }

    /// Compares two terms as their texts compare ([`Vocab::term`]), without building them.
    pub fn cmp_terms(&self, x: TermId, y: TermId) -> Ordering {
        self.bytes(x).cmp(self.bytes(y))
    }

    fn bytes(&self, t: TermId) -> impl Iterator<Item = u8> + '_ {
        let (a, b) = t.words();
        let rest = b.into_iter().flat_map(|b| std::iter::once(b' ').chain(self.word(b).bytes()));
        self.word(a).bytes().chain(rest)
    }
}

/// A term as the ids of its words in a [`Vocab`]: one word (a unigram) or two (a bigram),
/// packed in one integer so that a count is keyed by a single `u64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TermId(u64);

impl TermId {
    /// A single word.
    pub fn word(w: u32) -> Self {
        TermId::pair(w, NO_WORD)
    }

    /// Two words.
    pub fn pair(a: u32, b: u32) -> Self {
        TermId((a as u64) << 32 | b as u64)
    }

    /// The first word, and the second if there is one.
    pub fn words(self) -> (u32, Option<u32>) {
        let [a, b] = self.halves();
        (a, (b != NO_WORD).then_some(b))
    }

    /// The two 32-bit halves, as [`TermId::pair`] packed them.
    fn halves(self) -> [u32; 2] {
        [(self.0 >> 32) as u32, self.0 as u32]
    }

    /// Number of words (1 or 2).
    pub fn word_count(self) -> usize {
        1 + self.words().1.is_some() as usize
    }

    /// The same term with its words renumbered: `map[old id]` is the new id.
    fn remap(self, map: &[u32]) -> Self {
        match self.words() {
            (a, None) => TermId::word(map[a as usize]),
            (a, Some(b)) => TermId::pair(map[a as usize], map[b as usize]),
        }
    }
}

/// Shards of a [`TermCounts`].
const SHARDS: usize = 16;

/// Term → count of one group. Hash maps, because counting is the hot loop (every output
/// built from counts is sorted explicitly), split by a hash of the term into 16 maps
/// that partition the terms the same way in every group: scoring then needs the corpus counts
/// of one shard at a time, not of the whole vocabulary at once (hundreds of megabytes of
/// bigrams on a large corpus).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermCounts {
    shards: Vec<Shard>,
}

/// A term as two 32-bit halves: a map entry of a key and a 32-bit count takes 12 bytes
/// where a 64-bit key and count take 16. Hashed as one u64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key([u32; 2]);

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(TermId::from(*self).0);
    }
}

impl From<TermId> for Key {
    fn from(t: TermId) -> Key {
        Key(t.halves())
    }
}

impl From<Key> for TermId {
    fn from(Key([a, b]): Key) -> TermId {
        TermId::pair(a, b)
    }
}

/// One shard of a [`TermCounts`]. Counts that fit 32 bits (all but the most frequent terms
/// of corpora of billions of words) sit in the compact map: on a large corpus these entries
/// are most of keyness's memory. A count that outgrows 32 bits moves to `large`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Shard {
    small: FxHashMap<Key, u32>,
    large: FxHashMap<TermId, u64>,
}

impl Shard {
    fn add(&mut self, term: TermId, n: u64) {
        if let Some(c) = self.large.get_mut(&term) {
            *c = c.saturating_add(n);
            return;
        }
        let key = Key::from(term);
        let c = self.small.entry(key).or_insert(0);
        let sum = u64::from(*c).saturating_add(n);
        match u32::try_from(sum) {
            Ok(v) => *c = v,
            Err(_) => {
                self.small.remove(&key);
                self.large.insert(term, sum);
            }
        }
    }

    fn get(&self, term: TermId) -> Option<u64> {
        match self.small.get(&Key::from(term)) {
            Some(&c) => Some(u64::from(c)),
            None => self.large.get(&term).copied(),
        }
    }

    fn len(&self) -> usize {
        self.small.len() + self.large.len()
    }

    fn iter(&self) -> impl Iterator<Item = (TermId, u64)> + '_ {
        let small = self.small.iter().map(|(&k, &c)| (TermId::from(k), u64::from(c)));
        small.chain(self.large.iter().map(|(&t, &c)| (t, c)))
    }
}

impl Default for TermCounts {
    fn default() -> Self {
        TermCounts { shards: (0..SHARDS).map(|_| Shard::default()).collect() }
    }
}

impl TermCounts {
    /// The shard of a term: the top bits of a multiplicative hash (a different one from the
    /// maps' own, so that a shard's terms still spread over its map).
    fn shard_of(t: TermId) -> usize {
        (t.0.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 60) as usize
    }

    /// Adds `n` occurrences of `term`.
    pub fn add(&mut self, term: TermId, n: u64) {
        self.shards[Self::shard_of(term)].add(term, n);
    }

    /// The count of `term` (`None` if never counted).
    pub fn get(&self, term: TermId) -> Option<u64> {
        self.shards[Self::shard_of(term)].get(term)
    }

    /// Number of distinct terms.
    pub fn len(&self) -> usize {
        self.shards.iter().map(Shard::len).sum()
    }

    /// Whether no term was counted.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Terms and counts, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (TermId, u64)> + '_ {
        self.shards.iter().flat_map(Shard::iter)
    }

    /// Sum of the counts.
    pub fn total(&self) -> u64 {
        self.iter().map(|(_, n)| n).sum()
    }

    /// The terms and counts of one shard.
    fn shard(&self, i: usize) -> impl Iterator<Item = (TermId, u64)> + '_ {
        self.shards[i].iter()
    }
}

/// Counts of the terms of one kind (unigrams or bigrams) per group, keyed by the ids of a
/// [`Vocab`] kept beside them (as in [`Tokens`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Group → term → count.
    pub groups: BTreeMap<String, TermCounts>,
}

impl Counts {
    /// Adds `n` occurrences of `term` to `group`.
    pub fn add(&mut self, group: &str, term: TermId, n: u64) {
        if n == 0 {
            return;
        }
        self.group_mut(group).add(term, n);
    }

    fn group_mut(&mut self, group: &str) -> &mut TermCounts {
        if !self.groups.contains_key(group) {
            self.groups.insert(group.to_string(), TermCounts::default());
        }
        self.groups.get_mut(group).expect("inserted above")
    }

    /// Total count of all groups (the corpus's `n`).
    pub fn grand_total(&self) -> u64 {
        self.groups.values().map(TermCounts::total).sum()
    }

    /// Total count of a group (its `n^i`); 0 for an unknown group.
    pub fn total(&self, group: &str) -> u64 {
        self.groups.get(group).map_or(0, TermCounts::total)
    }

    /// The corpus counts of the terms of one shard.
    fn corpus_of(&self, shard: usize) -> FxHashMap<TermId, u64> {
        let mut all = FxHashMap::default();
        for g in self.groups.values() {
            for (t, c) in g.shard(shard) {
                *all.entry(t).or_default() += c;
            }
        }
        all
    }

    /// Adds the counts of `other`, whose ids `map` renumbers into this one's; one group per
    /// task.
    fn merge_mapped(&mut self, other: Counts, map: &[u32]) {
        let mut from = other.groups;
        for g in from.keys() {
            self.group_mut(g);
        }
        let pairs: Vec<(&mut TermCounts, TermCounts)> = self
            .groups
            .iter_mut()
            .filter_map(|(g, into)| from.remove(g).map(|f| (into, f)))
            .collect();
        pairs.into_par_iter().for_each(|(into, f)| {
            for (t, n) in f.iter() {
                into.add(t.remap(map), n);
            }
        });
    }
}

/// Unigram and bigram counts of a corpus, per group, over one vocabulary.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    /// The words the counts' ids stand for: every word counted, and no other.
    pub words: Vocab,
    /// Single words.
    pub unigrams: Counts,
    /// Two-word phrases.
    pub bigrams: Counts,
    /// Documents per group.
    pub documents: BTreeMap<String, usize>,
}

/// Equal when the same groups count the same terms (as text) the same number of times: ids
/// depend on the order of counting, which is not part of the result.
impl PartialEq for Tokens {
    fn eq(&self, other: &Self) -> bool {
        self.documents == other.documents
            && self.by_text(&self.unigrams) == other.by_text(&other.unigrams)
            && self.by_text(&self.bigrams) == other.by_text(&other.bigrams)
    }
}

impl Eq for Tokens {}

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

/// Unigram and bigram counts of one text (see the module docs for what counts), as one
/// document of a group named "".
pub fn count_document(
    text: &str,
    lang: &Lang,
    voice: VoiceFilter,
    self_names: &[String],
) -> Tokens {
    let mut piece = Piece::default();
    piece.count(text, lang, voice, self_names, "");
    let mut out = Tokens::default();
    out.absorb(piece);
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
        // Each piece of the work counts with its own vocabulary; the pieces are then merged
        // into this one, renumbering each piece's words once. Counts are integers, so the
        // result does not depend on how the work was split. Few, large pieces (about one per
        // thread): merging costs in proportion to the distinct terms of each piece.
        let docs = &corpus.documents;
        let per_thread = docs.len().div_ceil(rayon::current_num_threads().max(1));
        let pieces: Vec<Piece> = docs
            .par_iter()
            .enumerate()
            .with_min_len(per_thread.max(64))
            .fold(Piece::default, |mut p, (i, d)| {
                if let Some(group) = key(i, d) {
                    // Names matter only to tell voices apart.
                    let names = if voice == VoiceFilter::All { Vec::new() } else { self_names(d) };
                    p.count(&d.text, lang, voice, &names, &group);
                }
                p
            })
            .collect();
        for p in pieces {
            self.absorb(p);
        }
    }

    /// Adds the counts of `other`, renumbering its words into this vocabulary. Groups, and
    /// unigrams and bigrams, merge in parallel.
    pub fn merge(&mut self, other: Tokens) {
        let map: Vec<u32> = other.words.iter().map(|w| self.words.intern(w)).collect();
        self.merge_mapped(other, &map);
    }

    /// Merges a piece, interning only the words it counted.
    fn absorb(&mut self, piece: Piece) {
        let Piece { mut tokens, counted, unigrams } = piece;
        for (group, counts) in unigrams {
            let into = tokens.unigrams.group_mut(&group);
            for (id, n) in counts.into_iter().enumerate().filter(|&(_, n)| n > 0) {
                into.add(TermId::word(id as u32), n);
            }
        }
        let map: Vec<u32> = tokens
            .words
            .iter()
            .zip(counted)
            .map(|(w, c)| if c { self.words.intern(w) } else { NO_WORD })
            .collect();
        self.merge_mapped(tokens, &map);
    }

    fn merge_mapped(&mut self, other: Tokens, map: &[u32]) {
        for (group, docs) in other.documents {
            *self.documents.entry(group).or_default() += docs;
        }
        let (uni, bi) = (&mut self.unigrams, &mut self.bigrams);
        rayon::join(
            || uni.merge_mapped(other.unigrams, map),
            || bi.merge_mapped(other.bigrams, map),
        );
    }

    /// The text of a term of these counts.
    pub fn term(&self, t: TermId) -> String {
        self.words.term(t)
    }

    /// How often `group` uses `term` (folded words joined by one space; one word is a
    /// unigram, two a bigram); 0 when it never does.
    pub fn get(&self, group: &str, term: &str) -> u64 {
        let Some(t) = self.words.term_id(term) else { return 0 };
        let counts = if t.word_count() == 1 { &self.unigrams } else { &self.bigrams };
        counts.groups.get(group).and_then(|g| g.get(t)).unwrap_or(0)
    }

    /// Group → term text → count: the counts without ids.
    fn by_text<'a>(&'a self, counts: &'a Counts) -> BTreeMap<&'a str, BTreeMap<String, u64>> {
        counts
            .groups
            .iter()
            .map(|(g, terms)| (g.as_str(), terms.iter().map(|(t, n)| (self.term(t), n)).collect()))
            .collect()
    }
}

/// What one piece of the parallel work counts: [`Tokens`] with a local vocabulary that also
/// holds the words not counted (stop words, numbers), so that each distinct word is checked
/// once per piece rather than once per token.
#[derive(Default)]
struct Piece {
    tokens: Tokens,
    /// By local id: whether the word counts (it has a letter and is not a stop word).
    counted: Vec<bool>,
    /// Group → unigram counts by local id: an array add per token where a hash map would
    /// hash. Moved into `tokens.unigrams` when the piece is merged.
    unigrams: BTreeMap<String, Vec<u64>>,
}

impl Piece {
    /// Counts one document of `group`.
    fn count(
        &mut self,
        text: &str,
        lang: &Lang,
        voice: VoiceFilter,
        names: &[String],
        group: &str,
    ) {
        // Every voice needs only the words; a voice filter needs the full analysis.
        let (seg, admitted): (Segmented, Option<Vec<bool>>) = if voice == VoiceFilter::All {
            (segment(text, lang), None)
        } else {
            let a = analyse(text, lang, names);
            let admitted = a.voices.iter().map(|v| voice.admits(v.kind)).collect();
            (a.seg, Some(admitted))
        };
        let Piece { tokens, counted, unigrams } = self;
        let words = &mut tokens.words;
        let uni = unigrams.entry(group.to_string()).or_default();
        let bi = tokens.bigrams.group_mut(group);
        // The previous token, when it counts: the first word of a possible bigram.
        let mut prev: Option<(usize, u32)> = None;
        for i in 0..seg.tokens.len() {
            let w = seg.norm(i);
            let id = match words.id(w) {
                Some(id) => id,
                None => {
                    counted.push(w.chars().any(char::is_alphabetic) && !lang.stopwords.contains(w));
                    words.intern(w)
                }
            };
            if !counted[id as usize] || admitted.as_ref().is_some_and(|a| !a[i]) {
                prev = None;
                continue;
            }
            let at = id as usize;
            if uni.len() <= at {
                uni.resize(at + 1, 0);
            }
            uni[at] += 1;
            if let Some((p, pid)) = prev {
                let (tp, ti) = (&seg.tokens[p], &seg.tokens[i]);
                if tp.sentence == ti.sentence && joined(&text[tp.end..ti.start]) {
                    bi.add(TermId::pair(pid, id), 1);
                }
            }
            prev = Some((i, id));
        }
        *tokens.documents.entry(group.to_string()).or_default() += 1;
    }
}

/// Whether the text between two words lets them form a phrase: spaces and hyphens only.
fn joined(gap: &str) -> bool {
    gap.chars().all(|c| c.is_whitespace() || matches!(c, '-' | '\u{2010}' | '\u{2011}'))
}

/// Settings for [`keyness`] and [`rank`].
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

/// Which scored terms become [`Keyness`] rows. Every term is scored either way; only the
/// rows kept are built (with their strings), which is most of the cost on a large corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// Every scored term.
    All,
    /// Per group, the `n` highest rows with z > 0; every row with z > 0 when `n` is 0.
    Top(usize),
}

/// Scored terms: the rows kept, and how many terms were scored.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// Sorted by group, then z (highest first), then term.
    pub rows: Vec<Keyness>,
    /// Terms scored, over all groups: the rows [`Rows::All`] would keep.
    pub scored: usize,
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

/// Scores every term of every group of `counts` (whose ids are those of `words`) against the
/// rest (see the module docs). Rows are sorted by group, then z (highest first), then term.
/// Terms a group uses fewer than [`Options::min_count`] times are left out for that group,
/// and so are terms whose odds are undefined (a vocabulary of a single word).
pub fn keyness(counts: &Counts, words: &Vocab, opts: &Options, keep: Rows) -> Ranking {
    let scorer = Scorer::new(counts, opts);
    let groups: Vec<&str> = counts.groups.keys().map(String::as_str).collect();
    ranking(&groups, words, keep, &[&scorer])
}

/// Unigrams and bigrams scored each against their own totals (see [`keyness`]), merged:
/// sorted by group, then z (highest first), then term.
pub fn rank(tokens: &Tokens, opts: &Options, keep: Rows) -> Ranking {
    let (uni, bi) = (Scorer::new(&tokens.unigrams, opts), Scorer::new(&tokens.bigrams, opts));
    let groups: BTreeSet<&str> = tokens
        .unigrams
        .groups
        .keys()
        .chain(tokens.bigrams.groups.keys())
        .map(String::as_str)
        .collect();
    let groups: Vec<&str> = groups.into_iter().collect();
    ranking(&groups, &tokens.words, keep, &[&uni, &bi])
}

/// The rows of `groups`, in order, each scored by every scorer.
fn ranking(groups: &[&str], words: &Vocab, keep: Rows, scorers: &[&Scorer]) -> Ranking {
    let by_z =
        |x: &Scored, y: &Scored| y.z.total_cmp(&x.z).then_with(|| words.cmp_terms(x.term, y.term));
    // Only the top rows are kept: trimming each shard's rows keeps the lists short.
    let trim = |v: &mut Vec<Scored>| {
        if let Rows::Top(top) = keep {
            if top > 0 && v.len() > top {
                v.select_nth_unstable_by(top - 1, by_z);
                v.truncate(top);
            }
        }
    };
    let positive = matches!(keep, Rows::Top(_));
    // One shard at a time per thread: the corpus counts of its terms, then its terms of
    // every group. Per shard: terms scored, and each group's scored terms.
    let per_shard: Vec<(usize, Vec<Vec<Scored>>)> = (0..SHARDS)
        .into_par_iter()
        .map(|shard| {
            let corpora: Vec<FxHashMap<TermId, u64>> =
                scorers.iter().map(|s| s.counts.corpus_of(shard)).collect();
            let mut n = 0;
            let lists = groups
                .iter()
                .map(|&g| {
                    let mut v = Vec::new();
                    for (s, corpus) in scorers.iter().zip(&corpora) {
                        n += s.group(g, shard, corpus, positive, &mut v);
                    }
                    trim(&mut v);
                    v
                })
                .collect();
            (n, lists)
        })
        .collect();
    let scored = per_shard.iter().map(|(n, _)| n).sum();
    let mut per_group: Vec<Vec<Scored>> = groups.iter().map(|_| Vec::new()).collect();
    for (_, lists) in per_shard {
        for (all, v) in per_group.iter_mut().zip(lists) {
            all.extend(v);
        }
    }
    let rows: Vec<Vec<Keyness>> = groups
        .par_iter()
        .zip(per_group)
        .map(|(&g, mut v)| {
            trim(&mut v);
            v.sort_unstable_by(by_z);
            let row = |s: &Scored| {
                scorers.iter().find_map(|sc| sc.row(g, s, words)).expect("a scored term has a row")
            };
            v.iter().map(row).collect()
        })
        .collect();
    Ranking { rows: rows.into_iter().flatten().collect(), scored }
}

/// A scored term of a group, before it becomes a [`Keyness`] row: small, because a group
/// may have millions.
struct Scored {
    term: TermId,
    z: f64,
    /// The corpus count (`y_w`).
    corpus: u64,
}

/// What scoring one group's terms needs besides the corpus counts: the totals and the prior's
/// size.
struct Scorer<'c> {
    counts: &'c Counts,
    /// Group → its total (`n^i`).
    totals: BTreeMap<&'c str, u64>,
    n: u64,
    alpha0: f64,
    min_count: u64,
}

impl<'c> Scorer<'c> {
    fn new(counts: &'c Counts, opts: &Options) -> Self {
        let totals: BTreeMap<&str, u64> =
            counts.groups.iter().map(|(g, t)| (g.as_str(), t.total())).collect();
        let n: u64 = totals.values().sum();
        Scorer {
            counts,
            totals,
            n,
            alpha0: opts.alpha0.unwrap_or(n as f64),
            min_count: opts.min_count.max(1),
        }
    }

    /// `n^i` and `n^j` of a group.
    fn totals(&self, group: &str) -> (f64, f64) {
        let ni = self.totals.get(group).copied().unwrap_or(0) as f64;
        (ni, self.n as f64 - ni)
    }

    /// `(δ, z, α_w)` of a term the group uses `yi` times and the corpus `y` times; `None`
    /// when the odds are undefined.
    fn stat(&self, yi: u64, y: u64, (ni, nj): (f64, f64)) -> Option<(f64, f64, f64)> {
        let (n, alpha0) = (self.n, self.alpha0);
        let yj = (y - yi) as f64;
        let yi = yi as f64;
        let a = alpha0 * y as f64 / n as f64;
        let (di, dj) = (ni + alpha0 - yi - a, nj + alpha0 - yj - a);
        if di <= 0.0 || dj <= 0.0 {
            return None;
        }
        let delta = ((yi + a) / di).ln() - ((yj + a) / dj).ln();
        let sigma = (1.0 / (yi + a) + 1.0 / (yj + a)).sqrt();
        Some((delta, delta / sigma, a))
    }

    /// Scores the terms of one shard of one group into `out` (only those with z > 0 if
    /// `positive`); `corpus` holds the corpus counts of the shard. Returns how many terms
    /// were scored.
    fn group(
        &self,
        group: &str,
        shard: usize,
        corpus: &FxHashMap<TermId, u64>,
        positive: bool,
        out: &mut Vec<Scored>,
    ) -> usize {
        let Some(terms) = self.counts.groups.get(group) else { return 0 };
        if self.n == 0 || self.alpha0 <= 0.0 {
            return 0;
        }
        let totals = self.totals(group);
        let mut n = 0;
        for (term, yi) in terms.shard(shard) {
            if yi < self.min_count {
                continue;
            }
            let y = corpus.get(&term).copied().unwrap_or(yi);
            if let Some((_, z, _)) = self.stat(yi, y, totals) {
                n += 1;
                if !positive || z > 0.0 {
                    out.push(Scored { term, z, corpus: y });
                }
            }
        }
        n
    }

    /// The row of a scored term of a group; `None` if the term is not one of these counts.
    fn row(&self, group: &str, s: &Scored, words: &Vocab) -> Option<Keyness> {
        let yi = self.counts.groups.get(group)?.get(s.term)?;
        let (delta, z, prior) = self.stat(yi, s.corpus, self.totals(group))?;
        Some(Keyness {
            group: group.to_string(),
            term: words.term(s.term),
            words: s.term.word_count(),
            z,
            delta,
            count: yi,
            count_rest: s.corpus - yi,
            prior,
        })
    }
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

    #[test]
    fn counts_past_32_bits_are_kept_whole() {
        let mut c = TermCounts::default();
        let (t, u) = (TermId::pair(7, 9), TermId::word(3));
        c.add(t, u64::from(u32::MAX) - 1);
        c.add(u, 2);
        c.add(t, 1);
        assert_eq!(c.get(t), Some(u64::from(u32::MAX)));
        c.add(t, 5);
        c.add(t, 1 << 40);
        assert_eq!(c.get(t), Some(u64::from(u32::MAX) + 5 + (1 << 40)));
        assert_eq!((c.len(), c.get(u)), (2, Some(2)));
        let mut all: Vec<(TermId, u64)> = c.iter().collect();
        all.sort_by_key(|&(t, _)| t.0);
        assert_eq!(all, vec![(u, 2), (t, u64::from(u32::MAX) + 5 + (1 << 40))]);
        assert_eq!(c.total(), 2 + u64::from(u32::MAX) + 5 + (1 << 40));
    }
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
        let ranking = rank(&t, &Options::default(), Rows::All);
        assert_eq!(ranking.scored, ranking.rows.len());
        let rows = ranking.rows;
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
        // The top rows are the first rows with z > 0 of each group.
        let top = rank(&t, &Options::default(), Rows::Top(2));
        assert_eq!(top.scored, rows.len());
        let want: Vec<&Keyness> = ["Alpha", "Beta"]
            .iter()
            .flat_map(|g| rows.iter().filter(|r| r.group == *g && r.z > 0.0).take(2))
            .collect();
        assert_eq!(top.rows.iter().collect::<Vec<_>>(), want);
        let positive = rank(&t, &Options::default(), Rows::Top(0)).rows;
        assert_eq!(positive, rows.iter().filter(|r| r.z > 0.0).cloned().collect::<Vec<_>>());
    }

    /// Three groups: the rest is the other two pooled. Counts x: A 2, B 1, C 1; y: A 0, B 1,
    /// C 1 (n^A = 2, n = 6, α0 = 6, α_x = 4, α_y = 2).
    /// x, A vs rest: δ = ln((2+4)/(2+6−2−4)) − ln((2+4)/(4+6−2−4)) = ln 3 − ln 1.5 = ln 2
    ///   = 0.693147; σ² = 1/6 + 1/6, σ = 0.577350; z = 1.200566.
    #[test]
    fn the_rest_pools_the_other_groups() {
        let (mut c, mut v) = (Counts::default(), Vocab::default());
        for (g, t, n) in [("A", "x", 2), ("B", "x", 1), ("B", "y", 1), ("C", "x", 1), ("C", "y", 1)]
        {
            c.add(g, TermId::word(v.intern(t)), n);
        }
        let keyness = |c: &Counts, o: &Options| keyness(c, &v, o, Rows::All).rows;
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
        let t = count_document(
            "The Nagorno-Karabakh conflict began in 1988, Armenia, Azerbaijan and the G20 agreed.",
            Lang::english(),
            VoiceFilter::All,
            &[],
        );
        let terms = |c: &Counts| {
            let mut v: Vec<String> = c.groups[""].iter().map(|(x, _)| t.term(x)).collect();
            v.sort_unstable();
            v
        };
        let u = terms(&t.unigrams);
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
        let b = terms(&t.bigrams);
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
        assert_eq!(own.get("Alpha", "liberated"), 1);
        assert_eq!(own.get("Alpha", "occupied"), 0);
        assert_eq!(own.get("Alpha", "occupied land"), 0);
        assert_eq!(all.get("Alpha", "occupied"), 1);
        assert_eq!(all.get("Alpha", "occupied land"), 1);
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
