//! Stage 5, align: which reports cover the same story ([`stories()`]), and which passages in them
//! state the same fact ([`passages()`]). Consumes a [`Corpus`] (cleaned text, outlet, date) and the
//! language resources; produces plain [`Story`] and [`PassageGroup`] values with the evidence
//! behind every link. It does not score framing (that is `score`), does not decide which
//! outlet is right, and does not translate: it compares English texts.
//!
//! # Features (per document)
//! - **Content words**: folded words minus the language's stop words, lightly stemmed
//!   (plural, -ed, -ing, final -e), weighted TF-IDF (`1 + ln tf` times `ln((N + 1) / df)`
//!   over the documents), L2-normalised sparse vectors.
//! - **Names**: capitalized words not at the start of a sentence, sentence-initial ones that
//!   also occur so elsewhere in the document, and sentence-initial ones directly before such a
//!   name ("Mariya Zakharova said"). Spelling and transliteration variants
//!   (Zohrab/Zograb, Mamedyarov/Mammadyarov, Mariya/Maria, Karabakh/Karabah) are unified
//!   corpus-wide to one canonical spelling, the most frequent (see the `entities` module).
//!   Names also count as content words, in their canonical spelling.
//! - **Quotes**: the content words of each direct quotation, as word 3-gram shingles.
//! - **Numbers and dates**: numbers of two digits or more ("376", "30,000", "1988", "1990s")
//!   and month-day dates ("September 27", "Sept. 27" → `Sep 27`).
//!
//! # Story similarity
//! For two documents `a` and `b`:
//!
//! ```text
//! s = D · (0.50·cos + 0.20·E + 0.15·Q + 0.15·N)
//! ```
//!
//! - `cos`: cosine of the TF-IDF vectors;
//! - `E`: IDF-weighted Dice overlap of the name sets, `2·Σ shared idf / (Σ idf(a) + Σ idf(b))`;
//! - `Q`: `min(1, m / 2)` where `m` is the number of quotations of `a` that match one of `b`
//!   (3-gram containment `|A ∩ B| / min(|A|, |B|)` ≥ 0.5 over at least two shingles, or all
//!   of a shorter quotation);
//! - `N`: IDF-weighted Dice overlap of the number and date sets;
//! - `D`, date proximity: `1 − 0.2·days / max_days` for dated pairs within
//!   [`StoryOptions::max_days`]; [`StoryOptions::undated`] when either date is missing; `0`
//!   beyond `max_days`, unless `cos ≥` [`StoryOptions::near_duplicate`], when `D = 1`.
//!
//! # Candidates
//! Only pairs that share one of each document's [`StoryOptions::keys`] highest-weight terms
//! or rarest numbers, within the date window, are scored (an inverted index sorted by date; a
//! key held by more than [`StoryOptions::max_postings`] documents in the window is skipped),
//! plus MinHash near-duplicate candidates at any distance. Work grows about linearly with the
//! corpus (see the `candidates` module).
//!
//! # Clustering
//! Average linkage over the scored pairs (unscored pairs count as 0): repeatedly merge the two
//! clusters with the highest mean pairwise similarity while it is at least
//! [`StoryOptions::threshold`]; ties go to the clusters with the smaller ids. A chain A ~ B ~ C
//! with A and C unrelated does not merge: C joins {A, B} only if `(s(A,C) + s(B,C)) / 2` reaches
//! the threshold. Every document ends in exactly one story; a document alone is a story of one.
//!
//! # Passages
//! Paragraphs (lines of the cleaned text) of different outlets are compared with a second
//! TF-IDF over paragraphs, where numbers count 1.5 times and words of one equivalence class in
//! `lexicons/lang/en/equivalents.txt` ("secession, independence") count as one word. The
//! similarity of two paragraphs is the mean of their cosine and the best cosine between one
//! sentence of each (a restated sentence inside a long paragraph is not diluted). Pairs at
//! or above [`PassageOptions::threshold`] ([`PassageOptions::story_threshold`] when both
//! documents are in one story) are grouped by average linkage, at most one paragraph per
//! document in a group, and every group has at least two outlets.

mod candidates;
mod entities;
mod features;
mod passages;
mod stories;
mod terms;

use crate::corpus::Corpus;
use crate::text::Lang;
use serde::Serialize;

/// Settings for [`stories()`].
#[derive(Debug, Clone, Serialize)]
pub struct StoryOptions {
    /// Minimum mean pair similarity for clusters to merge. Default: 0.25.
    pub threshold: f64,
    /// Dated documents further apart than this many days are never one story (unless near
    /// duplicates). Default: 10.
    pub max_days: i64,
    /// Cosine at or above which two documents are near-duplicates, whatever their dates.
    /// Default: 0.9.
    pub near_duplicate: f64,
    /// Date factor when either document has no date. Default: 0.9.
    pub undated: f64,
    /// Index keys per document for candidate generation. Default: 24.
    pub keys: usize,
    /// A key shared by more documents than this within the date window is not used to find
    /// candidates. Default: 64.
    pub max_postings: usize,
}

impl Default for StoryOptions {
    fn default() -> Self {
        StoryOptions {
            threshold: 0.25,
            max_days: 10,
            near_duplicate: 0.9,
            undated: 0.9,
            keys: 24,
            max_postings: 64,
        }
    }
}

/// Why two documents were linked: the similarity and the signals behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairEvidence {
    /// Index of the first document in the corpus (`a < b`).
    pub a: usize,
    /// Index of the second document.
    pub b: usize,
    /// Combined similarity in [0, 1] (see the module docs).
    pub similarity: f64,
    /// TF-IDF cosine of the content words.
    pub cosine: f64,
    /// Shared names, in canonical spelling, sorted.
    pub entities: Vec<String>,
    /// Shared quotations, as written in `a`, in text order.
    pub quotes: Vec<String>,
    /// Shared numbers and dates, sorted.
    pub numbers: Vec<String>,
    /// Days between the two dates, when both are known.
    pub days_apart: Option<i64>,
}

/// Reports that cover the same story.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Story {
    /// 1-based; stories are ordered by earliest date (undated last), then first document.
    pub id: usize,
    /// Indices into `corpus.documents`, sorted.
    pub docs: Vec<usize>,
    /// Every scored pair of the story's documents, sorted by `(a, b)`.
    pub pairs: Vec<PairEvidence>,
}

impl Story {
    /// A label for people: the first report's title (or id) with the span of the reports'
    /// dates, e.g. "Talks resume in Geneva (2024-05-14 to 2024-05-15)".
    pub fn title(&self, corpus: &Corpus) -> String {
        let first = &corpus.documents[self.docs[0]];
        let mut dates: Vec<String> = self
            .docs
            .iter()
            .filter_map(|&d| corpus.documents[d].date.map(|x| x.to_string()))
            .collect();
        dates.sort();
        dates.dedup();
        let span = match (dates.first(), dates.last()) {
            (Some(a), Some(b)) if a != b => format!(" ({a} to {b})"),
            (Some(a), _) => format!(" ({a})"),
            _ => String::new(),
        };
        format!("{}{span}", first.title.clone().unwrap_or_else(|| first.id.clone()))
    }
}

/// Groups the corpus's documents into stories. Every document is in exactly one story.
pub fn stories(corpus: &Corpus, lang: &Lang, opts: &StoryOptions) -> Vec<Story> {
    let mut aligner = StoryAligner::new(lang, opts);
    aligner.add(&corpus.documents);
    aligner.finish()
}

/// [`stories()`] over a corpus read in batches: [`add`](StoryAligner::add) each batch in input
/// order, then [`finish`](StoryAligner::finish). It keeps compact per-document features only
/// (term ids and counts, names, numbers, quotations as shown), never the texts, so the
/// batches can be dropped as soon as they are added. Document indices in the stories count
/// across batches, in the order added; the result equals [`stories()`] on the whole corpus.
pub struct StoryAligner<'a> {
    lang: &'a Lang,
    opts: StoryOptions,
    collector: terms::Collector,
}

impl<'a> StoryAligner<'a> {
    /// An aligner with no documents yet.
    pub fn new(lang: &'a Lang, opts: &StoryOptions) -> Self {
        StoryAligner { lang, opts: opts.clone(), collector: terms::Collector::default() }
    }

    /// Extracts the features of a batch of documents (in parallel).
    pub fn add(&mut self, documents: &[crate::corpus::Document]) {
        self.collector.add(documents, self.lang);
    }

    /// Groups every document added into stories.
    pub fn finish(self) -> Vec<Story> {
        stories::run(self.collector.finish(), &self.opts).0
    }
}

/// Settings for [`passages()`].
#[derive(Debug, Clone, Serialize)]
pub struct PassageOptions {
    /// Minimum paragraph similarity for a pair from documents of different stories.
    /// Default: 0.15.
    pub threshold: f64,
    /// Minimum paragraph similarity for a pair from documents of the same story. Default: 0.12.
    pub story_threshold: f64,
    /// Minimum mean similarity for groups to merge. Default: 0.12.
    pub group_threshold: f64,
    /// Paragraphs with fewer distinct features (content words, names, numbers) are not
    /// aligned. Default: 5.
    pub min_features: usize,
    /// Minimum number of shared features of a pair. Default: 3.
    pub min_shared: usize,
    /// Index keys per paragraph for candidate generation. Default: 20.
    pub keys: usize,
    /// A key held by more paragraphs than this is not used to find candidates. Default: 100.
    pub max_postings: usize,
}

impl Default for PassageOptions {
    fn default() -> Self {
        PassageOptions {
            threshold: 0.15,
            story_threshold: 0.12,
            group_threshold: 0.12,
            min_features: 5,
            min_shared: 3,
            keys: 20,
            max_postings: 100,
        }
    }
}

/// A paragraph of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Passage {
    /// Index into `corpus.documents`.
    pub doc: usize,
    /// Byte offset in the document's cleaned text.
    pub start: usize,
    /// End byte offset.
    pub end: usize,
    /// Line in the input file.
    pub line: u32,
}

/// Two passages of different outlets that state the same fact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PassagePair {
    /// The passage of the document with the smaller index.
    pub a: Passage,
    /// The other passage.
    pub b: Passage,
    /// Cosine similarity of the paragraph vectors, in [0, 1].
    pub similarity: f64,
    /// Shared content words, names and numbers, sorted; words of one equivalence class that
    /// differ are shown as `a/b` ("districts/regions").
    pub shared: Vec<String>,
}

/// Passages of several outlets that state the same fact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PassageGroup {
    /// 1-based; groups are ordered by their first passage.
    pub id: usize,
    /// The story id when every passage's document is in one story, else `None` (a recurring
    /// background passage).
    pub story: Option<usize>,
    /// At most one passage per document, sorted by document.
    pub passages: Vec<Passage>,
    /// The pairs of passages from different outlets at or above the pair threshold, sorted.
    pub pairs: Vec<PassagePair>,
    /// The group's most informative shared words, alphabetical (e.g. "1988 conflict declared
    /// secession").
    pub label: String,
}

/// Aligns paragraphs across outlets, within stories and across the whole corpus (recurring
/// background passages). `stories` are the result of [`stories()`] on the same corpus (used to
/// relax the threshold inside a story and to label groups); pass `&[]` to ignore stories.
pub fn passages(
    corpus: &Corpus,
    stories: &[Story],
    lang: &Lang,
    opts: &PassageOptions,
) -> Vec<PassageGroup> {
    passages::run(corpus, stories, lang, opts)
}
