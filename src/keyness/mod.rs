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
//! of counting; every output is sorted by text and z, never by id. [`Counts`] hold a fixed
//! number of entries in memory and spill the rest to temporary files in sorted runs
//! ([`counts`]), so memory stays flat however large the corpus.
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

pub mod counts;
pub mod coverage;

pub use counts::Counts;
use counts::Sharded;

use crate::corpus::{Corpus, Document};
use crate::intern::Interner;
use crate::lexicon::Lexicon;
use crate::score::VoiceFilter;
use crate::text::{analyse, segment_into, Lang, Segmented};
use rayon::prelude::*;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

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

    /// Forgets every word, keeping the memory.
    fn clear(&mut self) {
        self.words.clear();
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

/// Unigram and bigram counts of a corpus, per group, over one vocabulary: what a
/// [`Counter`] gives when it is finished.
#[derive(Debug, Default)]
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
    let mut c = Counter::default();
    c.add(corpus, lang, voice, key, self_names);
    c.finish()
}

/// Unigram and bigram counts of one text (see the module docs for what counts), as one
/// document of a group named "".
pub fn count_document(
    text: &str,
    lang: &Lang,
    voice: VoiceFilter,
    self_names: &[String],
) -> Tokens {
    let mut c = Counter::default();
    let mut piece = Piece::default();
    piece.count(text, lang, voice, self_names, "");
    c.pieces.push(Mutex::new(piece));
    c.finish()
}

/// Counting in progress: documents added batch by batch ([`Counter::add`]), then
/// [`Counter::finish`] for the [`Tokens`]. A corpus read in batches is counted batch by
/// batch, holding only the counts.
///
/// Each worker thread counts into a piece of its own, with its own vocabulary, kept from
/// batch to batch up to 2^18 words. After each batch the pieces' bigrams are added to the
/// counts; their unigram counts, one array per group indexed by the piece's words, go on
/// growing and are added only when a piece starts its vocabulary again, when they pass
/// 2^22 counts (16 MB), or at the end: a word is then counted once per piece and group, not
/// once per batch.
#[derive(Debug)]
pub struct Counter {
    tokens: Tokens,
    /// The pieces of the parallel work, one per worker thread, kept with their memory: a
    /// batch then counts into tables already grown to size.
    pieces: Vec<Mutex<Piece>>,
    /// Words a piece keeps from batch to batch ([`PIECE_WORDS`]).
    piece_words: usize,
    /// Unigram counts a piece holds before it adds them ([`PIECE_COUNTS`]).
    piece_counts: usize,
}

impl Default for Counter {
    fn default() -> Self {
        Counter {
            tokens: Tokens::default(),
            pieces: Vec::new(),
            piece_words: PIECE_WORDS,
            piece_counts: PIECE_COUNTS,
        }
    }
}

impl Counter {
    /// Counts that spill to temporary files once either kind holds `budget` entries in
    /// memory (see [`Counts::with_budget`]).
    pub fn with_budget(budget: usize) -> Self {
        let tokens = Tokens {
            unigrams: Counts::with_budget(budget),
            bigrams: Counts::with_budget(budget),
            ..Tokens::default()
        };
        Counter { tokens, ..Counter::default() }
    }

    /// Adds the counts of more documents (see [`count`]).
    pub fn add(
        &mut self,
        corpus: &Corpus,
        lang: &Lang,
        voice: VoiceFilter,
        key: impl Fn(usize, &Document) -> Option<String> + Sync,
        self_names: impl Fn(&Document) -> Vec<String> + Sync,
    ) {
        // Documents go to whichever thread is free, so no thread waits on another's longer
        // share, and reading the next batch can run beside; counts are integers, so the
        // result does not depend on which piece counted which document.
        let threads = rayon::current_num_threads().max(1);
        self.pieces.resize_with(self.pieces.len().max(threads), Default::default);
        let pieces = &self.pieces;
        corpus.documents.par_iter().enumerate().for_each(|(i, d)| {
            if let Some(group) = key(i, d) {
                // Names matter only to tell voices apart.
                let names = if voice == VoiceFilter::All { Vec::new() } else { self_names(d) };
                let k = rayon::current_thread_index().unwrap_or(0) % threads;
                // A thread only ever waits here if counting on another one panicked.
                let mut p = pieces[k].lock().unwrap_or_else(|e| e.into_inner());
                p.count(&d.text, lang, voice, &names, &group);
            }
        });
        self.absorb(false);
    }

    /// The counts of every document added.
    pub fn finish(mut self) -> Tokens {
        self.absorb(true);
        self.tokens
    }

    /// Adds the pieces' bigram counts, and their unigram counts when `finish` or when a piece
    /// is due ([`Piece::due`]), interning only the words they counted. The words a piece met
    /// since the last batch are looked up in parallel, and only those new to this vocabulary
    /// are interned, one piece after another; the counts of each piece and group are then
    /// renumbered and sorted into shards in parallel, and appended. The pieces are emptied
    /// for the next batch.
    fn absorb(&mut self, finish: bool) {
        let (keep, most) = (self.piece_words, self.piece_counts);
        let Counter { tokens, pieces, .. } = self;
        // The counting is over: each piece is reached without its lock.
        let mut pieces: Vec<&mut Piece> =
            pieces.iter_mut().map(|p| p.get_mut().unwrap_or_else(|e| e.into_inner())).collect();
        let vocab = &tokens.words;
        let found: Vec<Vec<u32>> = pieces
            .par_iter()
            .map(|p| {
                let new = p.global.len()..p.words.len();
                (new.map(|id| match p.counted[id] {
                    true => vocab.id(p.words.word(id as u32)).unwrap_or(NO_WORD),
                    false => NO_WORD,
                }))
                .collect()
            })
            .collect();
        for (p, found) in pieces.iter_mut().zip(found) {
            for (id, m) in (p.global.len()..).zip(found) {
                let m = match m == NO_WORD && p.counted[id] {
                    true => tokens.words.intern(p.words.word(id as u32)),
                    false => m,
                };
                p.global.push(m);
            }
        }
        let flush: Vec<bool> = pieces.iter().map(|p| finish || p.due(keep, most)).collect();
        // (piece, group name, unigram group index if flushed, bigram group index if counted)
        let mut tasks = Vec::new();
        for (k, p) in pieces.iter().enumerate() {
            for (group, g) in &p.groups {
                let bi = (g.documents > 0).then(|| {
                    *tokens.documents.entry(group.clone()).or_default() += g.documents;
                    tokens.bigrams.group(group)
                });
                let uni =
                    (flush[k] && !g.unigrams.is_empty()).then(|| tokens.unigrams.group(group));
                if uni.is_some() || bi.is_some() {
                    tasks.push((k, group, uni, bi));
                }
            }
        }
        let sharded: Vec<(Option<Sharded>, Option<Sharded>)> = tasks
            .par_iter()
            .map(|&(k, group, ui, bi)| {
                let (g, map) = (&pieces[k].groups[group], &pieces[k].global);
                let uni = ui.map(|ui| {
                    let counted = g.unigrams.iter().enumerate().filter(|&(_, &n)| n > 0);
                    let counts = counted.map(|(id, &n)| (id, u64::from(n)));
                    // A count that wrapped gives 2^32 more (none but past billions of words):
                    // equal terms of a group are summed wherever they come in.
                    let carried = g.carries.iter().map(|&id| (id as usize, 1u64 << 32));
                    let all = counts.chain(carried).map(|(id, n)| (TermId::word(map[id]), n));
                    Sharded::new(ui, all)
                });
                let bi = bi.map(|bi| {
                    Sharded::from_occurrences(bi, g.bigrams.iter().map(|t| t.remap(map)))
                });
                (uni, bi)
            })
            .collect();
        // Emptying the pieces' tables takes a while: in parallel, beside the appending.
        let (uni, bi) = (&mut tokens.unigrams, &mut tokens.bigrams);
        let (u, b): (Vec<_>, Vec<_>) = sharded.into_iter().unzip();
        let (u, b) = (u.into_iter().flatten().collect(), b.into_iter().flatten().collect());
        rayon::join(
            || pieces.par_iter_mut().zip(flush).for_each(|(p, f)| p.clear(f, keep)),
            || rayon::join(|| uni.append_all(u), || bi.append_all(b)),
        );
    }
}

impl Tokens {
    /// The text of a term of these counts.
    pub fn term(&self, t: TermId) -> String {
        self.words.term(t)
    }

    /// How often `group` uses `term` (folded words joined by one space; one word is a
    /// unigram, two a bigram); 0 when it never does. Fails only if spilled counts cannot be
    /// read back.
    pub fn get(&self, group: &str, term: &str) -> std::io::Result<u64> {
        let Some(t) = self.words.term_id(term) else { return Ok(0) };
        let counts = if t.word_count() == 1 { &self.unigrams } else { &self.bigrams };
        counts.get(group, t)
    }

    /// Whether both count the same terms (as text) the same number of times in the same
    /// groups: ids depend on the order of counting, which is not part of the result.
    pub fn same_counts(&self, other: &Tokens) -> std::io::Result<bool> {
        Ok(self.documents == other.documents
            && self.by_text(&self.unigrams)? == other.by_text(&other.unigrams)?
            && self.by_text(&self.bigrams)? == other.by_text(&other.bigrams)?)
    }

    /// Group → term text → count: the counts without ids.
    fn by_text(&self, counts: &Counts) -> std::io::Result<BTreeMap<String, BTreeMap<String, u64>>> {
        let mut out: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
        counts.each(|g, t, n| {
            out.entry(g.to_string()).or_default().insert(self.term(t), n);
        })?;
        Ok(out)
    }

    /// Why counts could not be spilled to temporary files (they were then kept in memory).
    pub fn spill_failure(&self) -> Option<&str> {
        self.unigrams.spill_failure().or(self.bigrams.spill_failure())
    }
}

/// What one piece of the parallel work counts, with a local vocabulary that also holds the
/// words not counted (stop words, numbers), so that each distinct word is checked once per
/// piece rather than once per token. The vocabulary is kept from batch to batch, so that a
/// word is interned and checked once per piece rather than once per batch, until it holds
/// [`PIECE_WORDS`] words.
#[derive(Debug, Default)]
struct Piece {
    words: Vocab,
    /// By local id: whether the word counts (it has a letter and is not a stop word).
    counted: Vec<bool>,
    /// By local id: the word's id in the vocabulary of the [`Counter`] that holds this piece
    /// (`NO_WORD` for a word that does not count), for the words absorbed so far.
    global: Vec<u32>,
    groups: BTreeMap<String, PieceGroup>,
    /// Segmentation buffers, reused from document to document.
    seg: Segmented,
}

/// Words a piece keeps from batch to batch: past them its vocabulary starts again, so that
/// a corpus of ever new words (names, misspellings) holds a few megabytes per piece.
const PIECE_WORDS: usize = 1 << 18;

/// Unigram counts a piece holds (over all its groups' arrays) before it adds them to the
/// counts: 16 MB, however many groups there are.
const PIECE_COUNTS: usize = 1 << 22;

/// A piece's counts of one group, by local ids.
#[derive(Debug, Default)]
struct PieceGroup {
    /// Documents of this batch.
    documents: usize,
    /// Unigram counts by local id, since the piece last added them: an array add per token
    /// where a hash map would hash. Four bytes a count, so that more of the array stays in
    /// cache (a piece holds one per group); a count that passes `u32::MAX` goes on from 0
    /// with its id in `carries`.
    unigrams: Vec<u32>,
    /// The local id of each unigram count that wrapped, once per 2^32 occurrences.
    carries: Vec<u32>,
    /// Every bigram occurrence of this batch, in text order: appending is cheap where a count
    /// in a hash map is a random write per occurrence; they are counted when the piece is
    /// absorbed.
    bigrams: Vec<TermId>,
}

impl Piece {
    /// Whether the unigram counts must be added now: the vocabulary is about to start again
    /// (it holds more than `keep` words), or there are more than `most` counts.
    fn due(&self, keep: usize, most: usize) -> bool {
        self.words.len() > keep
            || self.groups.values().map(|g| g.unigrams.len()).sum::<usize>() > most
    }

    /// Forgets the batch's counts, keeping the memory: the bigrams, and the unigrams if they
    /// were added (`flushed`), then the vocabulary too if it holds more than `keep` words.
    /// Groups stay while they hold unigram counts or had documents in this batch, with no
    /// documents, so that their tables are reused ([`Counter::absorb`] skips them); a group
    /// unused for a whole batch is then dropped, so that a corpus of many small outlets does
    /// not keep a table for each.
    fn clear(&mut self, flushed: bool, keep: usize) {
        if flushed {
            for g in self.groups.values_mut() {
                g.unigrams.clear();
                g.carries.clear();
            }
            if self.words.len() > keep {
                self.words.clear();
                self.counted.clear();
                self.global.clear();
            }
        }
        self.groups.retain(|_, g| g.documents > 0 || !g.unigrams.is_empty());
        for g in self.groups.values_mut() {
            g.documents = 0;
            g.bigrams.clear();
        }
    }

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
        let admitted: Option<Vec<bool>> = if voice == VoiceFilter::All {
            segment_into(text, lang, &mut self.seg);
            None
        } else {
            let a = analyse(text, lang, names);
            self.seg = a.seg;
            Some(a.voices.iter().map(|v| voice.admits(v.kind)).collect())
        };
        let Piece { words, counted, groups, seg, .. } = self;
        if !groups.contains_key(group) {
            groups.insert(group.to_string(), PieceGroup::default());
        }
        let g = groups.get_mut(group).expect("inserted above");
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
            if g.unigrams.len() <= at {
                g.unigrams.resize(at + 1, 0);
            }
            match g.unigrams[at].checked_add(1) {
                Some(n) => g.unigrams[at] = n,
                None => {
                    g.unigrams[at] = 0;
                    g.carries.push(id);
                }
            }
            if let Some((p, pid)) = prev {
                let (tp, ti) = (&seg.tokens[p], &seg.tokens[i]);
                if tp.sentence == ti.sentence && joined(&text[tp.end..ti.start]) {
                    g.bigrams.push(TermId::pair(pid, id));
                }
            }
            prev = Some((i, id));
        }
        g.documents += 1;
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
/// and so are terms whose odds are undefined (a vocabulary of a single word). Fails only if
/// spilled counts cannot be read back.
pub fn keyness(
    counts: &Counts,
    words: &Vocab,
    opts: &Options,
    keep: Rows,
) -> std::io::Result<Ranking> {
    let groups: BTreeSet<&str> = counts.groups().collect();
    let groups: Vec<&str> = groups.into_iter().collect();
    ranking(&groups, words, keep, &[Scorer::new(counts, &groups, opts)])
}

/// Unigrams and bigrams scored each against their own totals (see [`keyness`]), merged:
/// sorted by group, then z (highest first), then term.
pub fn rank(tokens: &Tokens, opts: &Options, keep: Rows) -> std::io::Result<Ranking> {
    let groups: BTreeSet<&str> = tokens.unigrams.groups().chain(tokens.bigrams.groups()).collect();
    let groups: Vec<&str> = groups.into_iter().collect();
    let scorers =
        [Scorer::new(&tokens.unigrams, &groups, opts), Scorer::new(&tokens.bigrams, &groups, opts)];
    ranking(&groups, &tokens.words, keep, &scorers)
}

/// The rows of `groups` (sorted), each scored by every scorer.
fn ranking(
    groups: &[&str],
    words: &Vocab,
    keep: Rows,
    scorers: &[Scorer],
) -> std::io::Result<Ranking> {
    let by_z =
        |x: &Scored, y: &Scored| y.z.total_cmp(&x.z).then_with(|| words.cmp_terms(x.term, y.term));
    // Only the top rows are kept: lists are trimmed to them whenever they grow long.
    let (top, positive) = match keep {
        Rows::Top(n) if n > 0 => (Some(n), true),
        Rows::Top(_) => (None, true),
        Rows::All => (None, false),
    };
    let trim = |v: &mut Vec<Scored>| {
        if let Some(top) = top.filter(|&t| v.len() > t) {
            v.select_nth_unstable_by(top - 1, by_z);
            v.truncate(top);
        }
    };
    let long = top.map_or(usize::MAX, |t| t.saturating_mul(2).max(1024));
    // One shard at a time per thread, each term with its counts in every group. Per shard:
    // terms scored, and each group's scored terms.
    let per_shard: Vec<(usize, Vec<Vec<Scored>>)> = (0..counts::SHARDS)
        .into_par_iter()
        .map(|shard| {
            let mut lists: Vec<Vec<Scored>> = groups.iter().map(|_| Vec::new()).collect();
            let mut n = 0;
            for (k, s) in scorers.iter().enumerate() {
                if s.n == 0 || s.alpha0 <= 0.0 {
                    continue;
                }
                s.counts.shard(shard, |term, counts| {
                    let y = counts.iter().fold(0u64, |a, &(_, c)| a.saturating_add(c));
                    for &(g, yi) in counts {
                        let g = s.position[g as usize];
                        if yi < s.min_count {
                            continue;
                        }
                        let Some((_, z, _)) = s.stat(yi, y, s.totals[g]) else { continue };
                        n += 1;
                        if !positive || z > 0.0 {
                            let v = &mut lists[g];
                            v.push(Scored { term, z, corpus: y, count: yi, scorer: k });
                            if v.len() >= long {
                                trim(v);
                            }
                        }
                    }
                })?;
            }
            lists.iter_mut().for_each(trim);
            Ok((n, lists))
        })
        .collect::<std::io::Result<_>>()?;
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
        .enumerate()
        .map(|(i, (&g, mut v))| {
            trim(&mut v);
            v.sort_unstable_by(by_z);
            v.iter().map(|s| scorers[s.scorer].row(g, i, s, words)).collect()
        })
        .collect();
    Ok(Ranking { rows: rows.into_iter().flatten().collect(), scored })
}

/// A scored term of a group, before it becomes a [`Keyness`] row: small, because a group
/// may have millions.
struct Scored {
    term: TermId,
    z: f64,
    /// The corpus count (`y_w`).
    corpus: u64,
    /// The group's count (`y^i`).
    count: u64,
    /// Which scorer scored it.
    scorer: usize,
}

/// What scoring a group's terms needs besides their counts: the totals and the prior's size.
struct Scorer<'c> {
    counts: &'c Counts,
    /// By group index of the counts: the index in the ranking's groups.
    position: Vec<usize>,
    /// By index in the ranking's groups: `n^i` and `n^j`.
    totals: Vec<(f64, f64)>,
    n: u64,
    alpha0: f64,
    min_count: u64,
}

impl<'c> Scorer<'c> {
    fn new(counts: &'c Counts, groups: &[&str], opts: &Options) -> Self {
        let n = counts.grand_total();
        let totals = groups
            .iter()
            .map(|g| {
                let ni = counts.total(g) as f64;
                (ni, n as f64 - ni)
            })
            .collect();
        Scorer {
            counts,
            position: counts.positions(groups),
            totals,
            n,
            alpha0: opts.alpha0.unwrap_or(n as f64),
            min_count: opts.min_count.max(1),
        }
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

    /// The row of a term this scorer scored for group `g` (index `i` in the ranking).
    fn row(&self, g: &str, i: usize, s: &Scored, words: &Vocab) -> Keyness {
        let (delta, z, prior) =
            self.stat(s.count, s.corpus, self.totals[i]).expect("a scored term has odds");
        Keyness {
            group: g.to_string(),
            term: words.term(s.term),
            words: s.term.word_count(),
            z,
            delta,
            count: s.count,
            count_rest: s.corpus - s.count,
            prior,
        }
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

    /// A piece's four-byte count that passes `u32::MAX` carries into the total exactly.
    #[test]
    fn unigram_counts_carry_past_four_bytes() {
        let lang = Lang::english();
        let mut piece = Piece::default();
        piece.count("Alpha alpha alpha.", lang, VoiceFilter::All, &[], "A");
        let id = piece.words.id("alpha").expect("counted") as usize;
        piece.groups.get_mut("A").expect("counted").unigrams[id] = u32::MAX - 1;
        piece.count("Alpha alpha alpha.", lang, VoiceFilter::All, &[], "A");
        let mut c = Counter::default();
        c.pieces.push(Mutex::new(piece));
        let t = c.finish();
        assert_eq!(t.get("A", "alpha").unwrap(), u64::from(u32::MAX) + 2);
        assert_eq!(t.unigrams.total("A"), u64::from(u32::MAX) + 2);
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
        let ranking = rank(&t, &Options::default(), Rows::All).unwrap();
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
        let top = rank(&t, &Options::default(), Rows::Top(2)).unwrap();
        assert_eq!(top.scored, rows.len());
        let want: Vec<&Keyness> = ["Alpha", "Beta"]
            .iter()
            .flat_map(|g| rows.iter().filter(|r| r.group == *g && r.z > 0.0).take(2))
            .collect();
        assert_eq!(top.rows.iter().collect::<Vec<_>>(), want);
        let positive = rank(&t, &Options::default(), Rows::Top(0)).unwrap().rows;
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
        let keyness = |c: &Counts, o: &Options| keyness(c, &v, o, Rows::All).unwrap().rows;
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

    /// Counts spilled to temporary files many times over rank exactly as counts held in
    /// memory, on real text: the seeds and the test corpora.
    #[test]
    fn spilling_leaves_counts_and_ranking_unchanged() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let paths = [root.join("seeds"), root.join("tests/fixtures/stories")];
        let c = crate::corpus::read(&paths, &ReadOptions::default());
        assert!(c.documents.len() > 5);
        let outlet = |_: usize, d: &Document| Some(d.outlet.clone());
        let mem = count(&c, Lang::english(), VoiceFilter::All, outlet, |_| Vec::new());
        let mut disk = Counter::with_budget(64);
        disk.add(&c, Lang::english(), VoiceFilter::All, outlet, |_| Vec::new());
        let disk = disk.finish();
        assert_eq!(mem.bigrams.spilled(), 0);
        let runs = (disk.unigrams.spilled(), disk.bigrams.spilled());
        assert!(runs.0 > 10 && runs.1 > 10, "{runs:?}");
        assert!(disk.same_counts(&mem).unwrap());
        for keep in [Rows::All, Rows::Top(3)] {
            let opts = Options { alpha0: None, min_count: 2 };
            assert_eq!(rank(&disk, &opts, keep).unwrap(), rank(&mem, &opts, keep).unwrap());
        }
    }

    /// Counting a corpus batch by batch equals counting it at once, whether the pieces keep
    /// their words and unigram counts from batch to batch or add them after every batch.
    #[test]
    fn batches_count_as_the_whole_whatever_pieces_keep() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let paths = [root.join("seeds"), root.join("tests/fixtures/stories")];
        let c = crate::corpus::read(&paths, &ReadOptions::default());
        let outlet = |_: usize, d: &Document| Some(d.outlet.clone());
        let whole = count(&c, Lang::english(), VoiceFilter::All, outlet, |_| Vec::new());
        for (words, counts) in [(PIECE_WORDS, PIECE_COUNTS), (40, PIECE_COUNTS), (PIECE_WORDS, 0)] {
            let mut t = Counter { piece_words: words, piece_counts: counts, ..Counter::default() };
            for batch in c.documents.chunks(2) {
                let b = Corpus { documents: batch.to_vec(), ..Corpus::default() };
                t.add(&b, Lang::english(), VoiceFilter::All, outlet, |_| Vec::new());
            }
            let kept = t.pieces.iter_mut().map(|p| p.get_mut().unwrap().words.len()).max();
            let added = t.tokens.unigrams.grand_total();
            match (words, counts) {
                (PIECE_WORDS, PIECE_COUNTS) => {
                    assert!(kept > Some(300), "{kept:?} words kept");
                    assert_eq!(added, 0, "unigrams are added at the end");
                }
                (PIECE_WORDS, 0) => assert!(kept > Some(300) && added > 0, "{kept:?} {added}"),
                _ => assert!(kept.is_some_and(|k| k <= words) && added > 0, "{kept:?} {added}"),
            }
            let t = t.finish();
            assert!(t.same_counts(&whole).unwrap(), "pieces keep {words} words, {counts} counts");
        }
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
            let mut v: Vec<String> = Vec::new();
            c.each(|_, x, _| v.push(t.term(x))).unwrap();
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
        assert_eq!(own.get("Alpha", "liberated").unwrap(), 1);
        assert_eq!(own.get("Alpha", "occupied").unwrap(), 0);
        assert_eq!(own.get("Alpha", "occupied land").unwrap(), 0);
        assert_eq!(all.get("Alpha", "occupied").unwrap(), 1);
        assert_eq!(all.get("Alpha", "occupied land").unwrap(), 1);
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
