//! Compact story features. Consumes documents batch by batch (cleaned text, date) and keeps,
//! per document, only interned ids: its distinct word stems with counts and a name flag, its
//! numbers and dates, its quotations (as shown in evidence, with their key ids) and its runs
//! of name words. [`Collector::finish`] turns these into the corpus vocabulary (entity variants
//! unified, ids in sorted order of the canonical stems) and per-document term counts that
//! `stories` weights. It keeps no text, so a corpus can be aligned into stories with memory
//! that grows with its vocabulary and the number of documents, not with their length.
//!
//! The features are those of `features::extract` (the module docs of `align` describe them),
//! computed once per distinct folded form rather than once per occurrence. It does not build
//! paragraph features: passages need the text and use `features::prepare`.

use super::entities;
use super::features::{
    bare_name, date_days, month_days, name_words, number_key, same_name, stem, CALENDAR,
};
use crate::corpus::Document;
use crate::intern::Interner;
use crate::text::{quotes, segment, Lang};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Marks a quotation key that is a number id rather than a word id.
pub(crate) const NUMBER_KEY: u32 = 1 << 31;
/// Separates runs of name words in [`DocTerms::runs`].
pub(crate) const RUN_END: u32 = u32::MAX;
/// Marks a name occurrence in the count of [`DocTerms::words`].
const NAME_BIT: u32 = 1 << 31;
/// Quotations with fewer content words are not compared (too generic).
pub(crate) const MIN_QUOTE_WORDS: usize = 3;
/// Longest quotation text shown in evidence, in characters.
const QUOTE_SHOWN: usize = 100;
/// No id (a form that is not a content word, a token without a number key).
const NONE: u32 = u32::MAX;

/// What extraction needs to know of a folded word form, worked out at its first sight.
#[derive(Clone, Copy)]
struct Form {
    /// Stem id of a content word, else [`NONE`].
    stem: u32,
    /// Number id of a token with a digit and a number key, else [`NONE`].
    number: u32,
    digits: bool,
    calendar: bool,
    /// A number key of at most two characters (the day of a date).
    small: bool,
}

/// Vocabulary tables: the corpus's, or a chunk's additions to them while a batch is
/// extracted (ids after the corpus's).
#[derive(Default)]
struct Tables {
    /// Folded word forms seen.
    forms: FxHashMap<Box<str>, Form>,
    stems: Interner,
    numbers: Interner,
    /// Written forms of names (a chunk's are its own, from 0).
    written: Interner,
    /// (stem id, written id) → occurrences as a name.
    name_written: FxHashMap<(u32, u32), u32>,
}

/// One document's features as ids of a [`Tables`].
#[derive(Debug, Clone, Default)]
pub(crate) struct DocTerms {
    /// (stem id, occurrences with [`NAME_BIT`] set when any occurrence is a name); stems
    /// distinct.
    pub words: Vec<(u32, u32)>,
    /// Distinct number ids.
    pub numbers: Vec<u32>,
    /// Quotations of at least [`MIN_QUOTE_WORDS`] keys: the text shown in evidence and the
    /// keys (word ids, or number ids with [`NUMBER_KEY`]) in order.
    pub quotes: Vec<(Box<str>, Vec<u32>)>,
    /// Stem ids of runs of adjacent name words, each run ended by [`RUN_END`].
    pub runs: Vec<u32>,
    /// Date in days.
    pub days: Option<i64>,
}

/// A chunk of a batch while it is extracted: the corpus tables so far (read only) and what
/// the chunk adds to them.
struct Chunk<'a> {
    lang: &'a Lang,
    corpus: &'a Tables,
    new: Tables,
}

impl Chunk<'_> {
    fn form(&mut self, w: &str) -> Form {
        if let Some(&f) = self.corpus.forms.get(w).or_else(|| self.new.forms.get(w)) {
            return f;
        }
        let digits = w.chars().any(|c| c.is_ascii_digit());
        let mut form = Form { stem: NONE, number: NONE, digits, calendar: false, small: false };
        if digits {
            if let Some(k) = number_key(w) {
                form.small = k.len() <= 2;
                form.number = self.number(&k);
            }
        } else if w.chars().count() > 1 && !self.lang.stopwords.contains(w) {
            let s = stem(w);
            form.stem = self.corpus.stems.get(&s).unwrap_or_else(|| self.new.stems.id(&s));
            form.calendar = CALENDAR.contains(&w);
        }
        self.new.forms.insert(w.into(), form);
        form
    }

    fn number(&mut self, key: &str) -> u32 {
        self.corpus.numbers.get(key).unwrap_or_else(|| self.new.numbers.id(key))
    }

    /// Extracts one document into ids of this chunk's tables.
    fn extract(&mut self, doc: &Document) -> DocTerms {
        let text = &doc.text;
        let seg = segment(text, self.lang);
        let forms: Vec<Form> = (0..seg.tokens.len()).map(|i| self.form(seg.norm(i))).collect();
        let info = |i: usize| forms[i];
        let dates = month_days(text);
        let in_date = date_days(&seg, &dates, |i| info(i).small);
        let entity = name_words(
            &seg,
            text,
            |i| info(i).stem != NONE,
            |i| info(i).calendar,
            |i| info(i).stem,
        );
        let mut d = DocTerms { days: doc.date.map(|x| x.days()), ..DocTerms::default() };
        // Words with a name flag; sorted and counted below.
        let mut words: Vec<u32> = Vec::with_capacity(seg.tokens.len());
        let mut prev: Option<usize> = None;
        for (i, t) in seg.tokens.iter().enumerate() {
            let f = info(i);
            if f.digits {
                if f.number != NONE && !in_date[i] {
                    d.numbers.push(f.number);
                }
                continue;
            }
            if f.stem == NONE {
                continue;
            }
            if !entity[i] {
                words.push(f.stem << 1);
                continue;
            }
            words.push(f.stem << 1 | 1);
            let written = self.new.written.id(bare_name(&text[t.start..t.end]));
            *self.new.name_written.entry((f.stem, written)).or_default() += 1;
            if prev.is_some_and(|p| !same_name(&seg, text, p, i)) {
                d.runs.push(RUN_END);
            }
            d.runs.push(f.stem);
            prev = Some(i);
        }
        if prev.is_some() {
            d.runs.push(RUN_END);
        }
        // Dates count when they lie within one line (a paragraph), as in `features::extract`.
        for (start, end, key) in &dates {
            if !text[*start..*end].contains('\n') {
                d.numbers.push(self.number(key));
            }
        }
        d.numbers.sort_unstable();
        d.numbers.dedup();
        words.sort_unstable();
        for w in words {
            let (stem, name) = (w >> 1, (w & 1) * NAME_BIT);
            match d.words.last_mut() {
                Some(last) if last.0 == stem => last.1 = (last.1 + 1) | name,
                _ => d.words.push((stem, 1 | name)),
            }
        }
        for q in quotes::find(text) {
            let first = seg.tokens.partition_point(|t| t.start < q.start);
            let keys: Vec<u32> = (first..seg.tokens.len())
                .take_while(|&i| seg.tokens[i].start < q.end)
                .filter(|&i| seg.tokens[i].end <= q.end)
                .filter_map(|i| {
                    let f = info(i);
                    if f.digits {
                        (f.number != NONE).then_some(f.number | NUMBER_KEY)
                    } else {
                        (f.stem != NONE).then_some(f.stem)
                    }
                })
                .collect();
            if keys.len() >= MIN_QUOTE_WORDS {
                d.quotes.push((shorten(&text[q.start..q.end]).into(), keys));
            }
        }
        d
    }
}

/// A quotation as shown in evidence: trimmed, and cut at [`QUOTE_SHOWN`] characters.
fn shorten(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() <= QUOTE_SHOWN {
        return s.to_string();
    }
    let cut: String = s.chars().take(QUOTE_SHOWN - 1).collect();
    format!("{}…", cut.trim_end())
}

/// Gathers the documents' compact features batch by batch.
#[derive(Default)]
pub(crate) struct Collector {
    tables: Tables,
    docs: Vec<DocTerms>,
}

/// The corpus vocabulary and every document's features in its ids.
pub(crate) struct Collected {
    /// Per document, in input order: `words` hold final word ids, sorted; quotation keys and
    /// runs hold final ids too.
    pub docs: Vec<DocTerms>,
    /// Number of word ids.
    pub words: usize,
    /// Number keys, indexed by number id (sorted).
    pub numbers: Vec<String>,
    /// Display form of the word ids of names: the most frequent written form (ties
    /// alphabetical).
    pub names: FxHashMap<u32, String>,
}

impl Collector {
    /// Extracts a batch of documents (in parallel) and adds them after the ones before.
    pub fn add(&mut self, documents: &[Document], lang: &Lang) {
        let per_chunk = documents.len().div_ceil(2 * rayon::current_num_threads()).max(16);
        let corpus = &self.tables;
        let chunks: Vec<(Tables, Vec<DocTerms>)> = documents
            .par_chunks(per_chunk)
            .map(|docs| {
                let new = Tables {
                    stems: Interner::after(&corpus.stems),
                    numbers: Interner::after(&corpus.numbers),
                    ..Tables::default()
                };
                let mut chunk = Chunk { lang, corpus, new };
                let docs: Vec<DocTerms> = docs.iter().map(|d| chunk.extract(d)).collect();
                (chunk.new, docs)
            })
            .collect();
        for (new, docs) in chunks {
            self.merge(new, docs);
        }
    }

    /// Adds a chunk's new forms, stems, numbers and name counts to the corpus tables, and moves
    /// its documents into corpus ids.
    fn merge(&mut self, new: Tables, mut docs: Vec<DocTerms>) {
        let g = &mut self.tables;
        // Ids below a chunk interner's base are the corpus's already.
        let remap = |from: Interner, into: &mut Interner| -> (u32, Vec<u32>) {
            (from.base(), from.iter().map(|s| into.id(s)).collect())
        };
        let stems = remap(new.stems, &mut g.stems);
        let numbers = remap(new.numbers, &mut g.numbers);
        let written = remap(new.written, &mut g.written).1;
        let map = |(base, map): &(u32, Vec<u32>), id: u32| {
            if id < *base {
                id
            } else {
                map[(id - base) as usize]
            }
        };
        for (w, mut f) in new.forms {
            if f.stem != NONE {
                f.stem = map(&stems, f.stem);
            }
            if f.number != NONE {
                f.number = map(&numbers, f.number);
            }
            g.forms.entry(w).or_insert(f);
        }
        for ((s, w), n) in new.name_written {
            *g.name_written.entry((map(&stems, s), written[w as usize])).or_default() += n;
        }
        for d in &mut docs {
            d.renumber(|w| map(&stems, w), |n| map(&numbers, n));
        }
        self.docs.append(&mut docs);
    }

    /// Unifies name variants, numbers the vocabulary in sorted order and moves every
    /// document into the final ids.
    pub fn finish(self) -> Collected {
        let Tables { forms, stems, numbers, written, name_written } = self.tables;
        drop(forms);
        let stems = stems.into_strings();
        let mut name_count: FxHashMap<u32, u32> = FxHashMap::default();
        for (&(s, _), &n) in &name_written {
            *name_count.entry(s).or_default() += n;
        }
        let counts: BTreeMap<String, u32> =
            name_count.into_iter().map(|(s, n)| (stems[s as usize].to_string(), n)).collect();
        let canon = entities::unify(&counts);
        drop(counts);
        // Final word ids: ranks of the canonical stems.
        let canonical = |s: usize| canon.get(&*stems[s]).map_or(&*stems[s], String::as_str);
        let (word_id, _, words) = dense_ranks(stems.len(), canonical);
        // Display forms of names: a canonical stem's own most frequent written form.
        let written = written.into_strings();
        let mut best: FxHashMap<u32, (u32, u32)> = FxHashMap::default();
        for (&(s, w), &n) in &name_written {
            let e = best.entry(s).or_insert((n, w));
            if n > e.0 || (n == e.0 && written[w as usize] < written[e.1 as usize]) {
                *e = (n, w);
            }
        }
        let names: FxHashMap<u32, String> = best
            .into_iter()
            .filter(|&(s, _)| !canon.contains_key(&*stems[s as usize]))
            .map(|(s, (_, w))| (word_id[s as usize], written[w as usize].to_string()))
            .collect();
        drop((stems, written, name_written, canon));
        let numbers = numbers.into_strings();
        // Interned keys are distinct: each has a rank of its own.
        let (number_id, number_order, _) = dense_ranks(numbers.len(), |n| &*numbers[n]);
        let numbers: Vec<String> =
            number_order.iter().map(|&n| numbers[n as usize].to_string()).collect();
        let mut docs = self.docs;
        docs.par_iter_mut().for_each(|d| {
            d.renumber(|w| word_id[w as usize], |n| number_id[n as usize]);
            // Variants of one name now share an id: add their counts.
            d.words.sort_unstable_by_key(|w| w.0);
            d.words.dedup_by(|b, a| {
                if a.0 == b.0 {
                    a.1 = ((a.1 & !NAME_BIT) + (b.1 & !NAME_BIT))
                        | (a.1 & NAME_BIT)
                        | (b.1 & NAME_BIT);
                    true
                } else {
                    false
                }
            });
            d.words.shrink_to_fit();
            d.numbers.sort_unstable();
        });
        Collected { docs, words, numbers, names }
    }
}

/// Items `0..n` numbered in the order of `key`, equal keys sharing a number: each item's
/// number, the items in that order, and how many numbers there are.
fn dense_ranks<K: Ord>(n: usize, key: impl Fn(usize) -> K + Sync) -> (Vec<u32>, Vec<u32>, usize) {
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.par_sort_unstable_by(|&a, &b| key(a as usize).cmp(&key(b as usize)));
    let mut rank = vec![0u32; n];
    let mut next = 0u32;
    for (r, &i) in order.iter().enumerate() {
        if r > 0 && key(order[r - 1] as usize) != key(i as usize) {
            next += 1;
        }
        rank[i as usize] = next;
    }
    let distinct = if n == 0 { 0 } else { next as usize + 1 };
    (rank, order, distinct)
}

impl DocTerms {
    /// Gives every word id `word(id)` and every number id `number(id)`: in the words, the
    /// numbers, the quotation keys and the runs of names.
    fn renumber(&mut self, word: impl Fn(u32) -> u32, number: impl Fn(u32) -> u32) {
        for w in &mut self.words {
            w.0 = word(w.0);
        }
        for n in &mut self.numbers {
            *n = number(*n);
        }
        for (_, keys) in &mut self.quotes {
            for k in keys {
                *k = match *k & NUMBER_KEY {
                    0 => word(*k),
                    _ => number(*k & !NUMBER_KEY) | NUMBER_KEY,
                };
            }
        }
        for r in &mut self.runs {
            if *r != RUN_END {
                *r = word(*r);
            }
        }
    }

    /// Occurrences of a `words` entry.
    pub fn count(w: u32) -> u32 {
        w & !NAME_BIT
    }

    /// Whether any occurrence of a `words` entry is a name.
    pub fn is_name(w: u32) -> bool {
        w & NAME_BIT != 0
    }
}

/// Word 3-gram shingles of a quotation's keys, hashed (FNV-1a over the ids, fixed across
/// builds), sorted and deduplicated.
pub(crate) fn shingles(keys: &[u32]) -> Vec<u64> {
    let mut out: Vec<u64> =
        keys.windows(3).map(|w| crate::fnv1a(w.iter().flat_map(|k| k.to_le_bytes()))).collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::features::{prepare, Kind};

    #[test]
    fn collected_features_match_the_paragraph_features() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let corpus = crate::corpus::read(
            &[root.join("seeds"), root.join("tests/fixtures/stories")],
            &crate::corpus::ReadOptions::default(),
        );
        assert!(corpus.documents.len() > 20);
        let whole = prepare(&corpus, Lang::english());
        // In two batches, as the command line streams them.
        let mut collector = Collector::default();
        let (first, second) = corpus.documents.split_at(corpus.documents.len() / 2);
        collector.add(first, Lang::english());
        collector.add(second, Lang::english());
        let c = collector.finish();
        assert_eq!(c.words, whole.words.len());
        // Numbers only seen as the day of a date or in quotations have ids too.
        let mut used: Vec<u32> = c.docs.iter().flat_map(|d| d.numbers.iter().copied()).collect();
        used.sort_unstable();
        used.dedup();
        let used: Vec<&str> = used.iter().map(|&n| c.numbers[n as usize].as_str()).collect();
        assert_eq!(used, whole.numbers.terms);
        assert_eq!(c.docs.len(), corpus.documents.len());
        let word = |k: &str| whole.words.id(whole.canonical(k)).expect("in the vocabulary");
        for (raw, d) in whole.raws.iter().zip(&c.docs) {
            let items: Vec<_> = raw.paras.iter().flat_map(|p| &p.items).collect();
            let mut words: BTreeMap<u32, (u32, bool)> = BTreeMap::new();
            let mut numbers: Vec<u32> = Vec::new();
            for it in &items {
                if it.kind == Kind::Number {
                    numbers.extend(c.numbers.binary_search(&it.key).ok().map(|n| n as u32));
                } else {
                    let e = words.entry(word(&it.key)).or_default();
                    e.0 += 1;
                    e.1 |= it.kind == Kind::Entity;
                }
            }
            numbers.sort_unstable();
            numbers.dedup();
            let got: Vec<(u32, (u32, bool))> = d
                .words
                .iter()
                .map(|&(t, n)| (t, (DocTerms::count(n), DocTerms::is_name(n))))
                .collect();
            assert_eq!(got, words.into_iter().collect::<Vec<_>>());
            assert_eq!(d.numbers, numbers);
            let runs: Vec<u32> =
                raw.runs.iter().flat_map(|r| r.iter().map(|k| word(k)).chain([RUN_END])).collect();
            assert_eq!(d.runs, runs);
            for &(t, n) in &d.words {
                assert!(!DocTerms::is_name(n) || c.names.contains_key(&t), "name {t} shown");
            }
        }
    }

    #[test]
    fn shingles_and_overlap() {
        let a = shingles(&[1, 2, 3, 4, 5]);
        let b = shingles(&[2, 3, 4, 5, 6]);
        assert_eq!(a.len(), 3);
        assert_eq!(crate::align::features::shared_count(&a, &b), 2);
        assert_eq!(shingles(&[1, 2]), Vec::<u64>::new());
    }
}
