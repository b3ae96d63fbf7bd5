//! Story clustering. Consumes the prepared features of every document; produces the corpus's
//! [`Story`]s with the evidence for each scored pair. Also holds the average-linkage clustering
//! that `passages` reuses. The similarity formula and the clustering rule are documented in
//! the `align` module docs; this file implements them and does not look at paragraphs.

use super::candidates::{self, Blocking};
use super::features::{self, shared_count, Counted, Prepared, Sparse};
use super::{PairEvidence, Story, StoryOptions};
use crate::corpus::Corpus;
use crate::text::Lang;
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

/// Weights of the signals in the story similarity (they sum to 1).
pub(crate) const W_COSINE: f64 = 0.5;
pub(crate) const W_ENTITIES: f64 = 0.2;
pub(crate) const W_QUOTES: f64 = 0.15;
pub(crate) const W_NUMBERS: f64 = 0.15;
/// How much the date factor falls from 0 to `max_days` apart.
pub(crate) const DATE_DECAY: f64 = 0.2;
/// Quotations with fewer content words are not compared (too generic).
const MIN_QUOTE_WORDS: usize = 3;
/// Longest quotation text shown in evidence, in characters.
const QUOTE_SHOWN: usize = 100;

/// A quotation: span in the text and its shingles.
#[derive(Debug, Clone)]
pub(crate) struct Quote {
    pub start: usize,
    pub end: usize,
    pub shingles: Vec<u64>,
}

/// Document-level features with corpus statistics applied.
#[derive(Debug, Clone)]
pub(crate) struct DocFeatures {
    /// TF-IDF of content words and names, unit length.
    pub vector: Sparse,
    /// Word ids of names, sorted.
    pub entities: Vec<u32>,
    /// Number ids, sorted.
    pub numbers: Vec<u32>,
    pub quotes: Vec<Quote>,
    pub days: Option<i64>,
    /// Runs of adjacent entity words (stems), for showing shared names.
    pub runs: Vec<Vec<String>>,
}

/// Computes the document features and the word and number IDF over documents.
pub(crate) fn doc_features(
    corpus: &Corpus,
    prep: &Prepared,
    counted: Vec<Counted>,
) -> (Vec<DocFeatures>, Vec<f32>, Vec<f32>) {
    let mut feats: Vec<(BTreeMap<u32, u32>, DocFeatures)> = counted
        .into_par_iter()
        .zip(corpus.documents.par_iter())
        .map(|(c, doc)| {
            let mut words: BTreeMap<u32, u32> = BTreeMap::new();
            let mut ents: BTreeSet<u32> = BTreeSet::new();
            for (key, n, entity) in &c.words {
                if let Some(id) = prep.words.id(prep.canonical(key)) {
                    *words.entry(id).or_default() += n;
                    if *entity {
                        ents.insert(id);
                    }
                }
            }
            let mut numbers: Vec<u32> =
                c.numbers.iter().filter_map(|k| prep.numbers.id(k)).collect();
            numbers.sort_unstable();
            numbers.dedup();
            let quotes = c
                .quotes
                .iter()
                .filter(|q| q.keys.len() >= MIN_QUOTE_WORDS)
                .map(|q| {
                    let keys: Vec<&str> = q.keys.iter().map(|k| prep.canonical(k)).collect();
                    Quote { start: q.start, end: q.end, shingles: features::shingles(&keys) }
                })
                .collect();
            let f = DocFeatures {
                vector: Vec::new(),
                entities: ents.into_iter().collect(),
                numbers,
                quotes,
                days: doc.date.map(|d| d.days()),
                runs: c.runs,
            };
            (words, f)
        })
        .collect();
    let n = corpus.documents.len();
    let mut wdf = vec![0u32; prep.words.len()];
    let mut ndf = vec![0u32; prep.numbers.len()];
    for (w, f) in &feats {
        for &t in w.keys() {
            wdf[t as usize] += 1;
        }
        for &t in &f.numbers {
            ndf[t as usize] += 1;
        }
    }
    let widf: Vec<f32> = wdf.iter().map(|&d| features::idf(n, d)).collect();
    let nidf: Vec<f32> = ndf.iter().map(|&d| features::idf(n, d)).collect();
    feats.par_iter_mut().for_each(|(words, f)| {
        f.vector = features::tfidf(words, &widf);
        *words = BTreeMap::new();
    });
    (feats.into_iter().map(|(_, f)| f).collect(), widf, nidf)
}

/// IDF-weighted Dice overlap of two sorted id sets, and the shared ids.
fn weighted_dice(a: &[u32], b: &[u32], idf: &[f32]) -> (f64, Vec<u32>) {
    let total: f64 = a.iter().chain(b).map(|&t| f64::from(idf[t as usize])).sum();
    let shared: Vec<u32> = a.iter().filter(|t| b.binary_search(t).is_ok()).copied().collect();
    if total <= 0.0 {
        return (0.0, shared);
    }
    let s: f64 = shared.iter().map(|&t| f64::from(idf[t as usize])).sum();
    ((2.0 * s / total).clamp(0.0, 1.0), shared)
}

/// Whether two quotations (shingle sets) are the same quotation, translated or trimmed:
/// containment of at least one half, over at least two shingles unless one quote has fewer.
pub(crate) fn quotes_match(a: &[u64], b: &[u64]) -> bool {
    let small = a.len().min(b.len());
    if small == 0 {
        return false;
    }
    let shared = shared_count(a, b);
    shared >= small.min(2) && shared * 2 >= small
}

fn shorten(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() <= QUOTE_SHOWN {
        return s.to_string();
    }
    let cut: String = s.chars().take(QUOTE_SHOWN - 1).collect();
    format!("{}…", cut.trim_end())
}

/// Names shared by documents `a` and `b`, as maximal runs of shared name words in `a`.
fn shared_names(prep: &Prepared, runs: &[Vec<String>], shared: &[u32]) -> Vec<String> {
    let mut names: BTreeSet<String> = BTreeSet::new();
    for run in runs {
        let mut cur: Vec<&str> = Vec::new();
        for k in run.iter().map(|k| prep.words.id(prep.canonical(k))) {
            match k {
                Some(id) if shared.binary_search(&id).is_ok() => {
                    cur.push(&prep.display[id as usize])
                }
                _ => {
                    if !cur.is_empty() {
                        names.insert(cur.join(" "));
                        cur.clear();
                    }
                }
            }
        }
        if !cur.is_empty() {
            names.insert(cur.join(" "));
        }
    }
    let padded: Vec<String> = names.iter().map(|n| format!(" {n} ")).collect();
    names
        .iter()
        .filter(|n| {
            let p = format!(" {n} ");
            !padded.iter().any(|o| o.len() > p.len() && o.contains(&p))
        })
        .cloned()
        .collect()
}

/// What scoring a pair needs.
pub(crate) struct Scorer<'a> {
    pub corpus: &'a Corpus,
    pub prep: &'a Prepared,
    pub feats: &'a [DocFeatures],
    pub widf: &'a [f32],
    pub nidf: &'a [f32],
    pub opts: &'a StoryOptions,
}

/// Scores one candidate pair (`a < b`).
pub(crate) fn score(s: &Scorer<'_>, a: usize, b: usize) -> PairEvidence {
    let Scorer { corpus, prep, feats, widf, nidf, opts } = *s;
    let (fa, fb) = (&feats[a], &feats[b]);
    let cos = features::cosine(&fa.vector, &fb.vector);
    let (e, shared_ents) = weighted_dice(&fa.entities, &fb.entities, widf);
    let (nsim, shared_nums) = weighted_dice(&fa.numbers, &fb.numbers, nidf);
    let text = &corpus.documents[a].text;
    let quotes: Vec<String> = fa
        .quotes
        .iter()
        .filter(|qa| fb.quotes.iter().any(|qb| quotes_match(&qa.shingles, &qb.shingles)))
        .map(|q| shorten(&text[q.start..q.end]))
        .collect();
    let q = (quotes.len() as f64 / 2.0).min(1.0);
    let days_apart = fa.days.zip(fb.days).map(|(x, y)| (x - y).abs());
    let date = match days_apart {
        _ if cos >= opts.near_duplicate => 1.0,
        None => opts.undated,
        Some(d) if d > opts.max_days => 0.0,
        Some(d) if opts.max_days > 0 => 1.0 - DATE_DECAY * d as f64 / opts.max_days as f64,
        Some(_) => 1.0,
    };
    let similarity = (date * (W_COSINE * cos + W_ENTITIES * e + W_QUOTES * q + W_NUMBERS * nsim))
        .clamp(0.0, 1.0);
    let mut numbers: Vec<String> = shared_nums
        .iter()
        .map(|&t| features::number_display(&prep.numbers.terms[t as usize]))
        .collect();
    numbers.sort();
    PairEvidence {
        a,
        b,
        similarity,
        cosine: cos,
        entities: shared_names(prep, &fa.runs, &shared_ents),
        quotes,
        numbers,
        days_apart,
    }
}

/// Index keys of a document: its highest-weight terms and its rarest numbers, among those
/// that occur in at least one other document (a term of one document pairs nothing).
fn index_keys(f: &DocFeatures, widf: &[f32], nidf: &[f32], unique: f32, k: usize) -> Vec<u32> {
    let mut terms: Vec<(u32, f32)> =
        f.vector.iter().filter(|t| widf[t.0 as usize] < unique).copied().collect();
    terms.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    let mut keys: Vec<u32> = terms.iter().take(k).map(|t| t.0).collect();
    let mut nums: Vec<u32> =
        f.numbers.iter().filter(|&&n| nidf[n as usize] < unique).copied().collect();
    nums.sort_by(|x, y| nidf[*y as usize].total_cmp(&nidf[*x as usize]).then(x.cmp(y)));
    keys.extend(nums.iter().take(k.div_ceil(6)).map(|&n| widf.len() as u32 + n));
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Runs story alignment; also returns how many pairs were scored.
pub(crate) fn run(corpus: &Corpus, lang: &Lang, opts: &StoryOptions) -> (Vec<Story>, usize) {
    let (prep, counted) = features::prepare_counted(corpus, lang);
    let (feats, widf, nidf) = doc_features(corpus, &prep, counted);
    // The IDF of a term found in one document only.
    let unique = features::idf(corpus.documents.len(), 1) - 1e-6;
    let keys: Vec<Vec<u32>> =
        feats.iter().map(|f| index_keys(f, &widf, &nidf, unique, opts.keys)).collect();
    let days: Vec<Option<i64>> = feats.iter().map(|f| f.days).collect();
    let mut cands = candidates::pairs(
        &keys,
        &days,
        Blocking {
            max_days: Some(opts.max_days),
            max_postings: opts.max_postings,
            min_shared_keys: 2,
        },
    );
    let sets: Vec<Vec<u32>> =
        feats.iter().map(|f| f.vector.iter().map(|t| t.0).collect()).collect();
    cands.extend(candidates::near_duplicates(&sets, opts.max_postings));
    cands.sort_unstable();
    cands.dedup();
    let scored = cands.len();
    let scorer = Scorer { corpus, prep: &prep, feats: &feats, widf: &widf, nidf: &nidf, opts };
    let pairs: Vec<PairEvidence> = cands
        .par_iter()
        .map(|&(a, b)| score(&scorer, a as usize, b as usize))
        .filter(|p| p.similarity > 0.0)
        .collect();
    let edges: Vec<(u32, u32, f64)> =
        pairs.iter().map(|p| (p.a as u32, p.b as u32, p.similarity)).collect();
    let clusters = average_linkage(corpus.documents.len(), &edges, opts.threshold, None);
    (assemble(&clusters, pairs, &days), scored)
}

/// Turns clusters into numbered stories with their pairs.
fn assemble(clusters: &[Vec<u32>], pairs: Vec<PairEvidence>, days: &[Option<i64>]) -> Vec<Story> {
    let mut story_of = vec![0usize; days.len()];
    let mut order: Vec<(Option<i64>, usize, usize)> = clusters
        .iter()
        .enumerate()
        .map(|(ci, c)| {
            let earliest = c.iter().filter_map(|&d| days[d as usize]).min();
            (earliest, c.first().map_or(0, |&d| d as usize), ci)
        })
        .collect();
    order.sort_by_key(|&(e, first, _)| (e.is_none(), e, first));
    let mut stories: Vec<Story> = Vec::with_capacity(clusters.len());
    for (rank, &(_, _, ci)) in order.iter().enumerate() {
        for &d in &clusters[ci] {
            story_of[d as usize] = rank;
        }
        stories.push(Story {
            id: rank + 1,
            docs: clusters[ci].iter().map(|&d| d as usize).collect(),
            pairs: Vec::new(),
        });
    }
    for p in pairs {
        let s = story_of[p.a];
        if s == story_of[p.b] {
            stories[s].pairs.push(p);
        }
    }
    stories
}

/// One cluster during average linkage.
struct Cluster {
    members: Vec<u32>,
    /// Labels of the members (for `exclusive`), sorted.
    labels: Vec<u32>,
    /// Neighbouring cluster → sum of the similarities of the pairs between them.
    links: BTreeMap<usize, f64>,
    alive: bool,
}

/// Average-linkage clustering of `n` items over sparse similarities (`edges`, missing pairs
/// count as 0): merges the two clusters of highest mean similarity while it is at least
/// `threshold`, ties broken by the smaller cluster ids (deterministic). With `exclusive`, two
/// clusters that hold items of the same label never merge. Returns the clusters, each sorted,
/// ordered by first member.
pub(crate) fn average_linkage(
    n: usize,
    edges: &[(u32, u32, f64)],
    threshold: f64,
    exclusive: Option<&[u32]>,
) -> Vec<Vec<u32>> {
    let mut cl: Vec<Cluster> = (0..n)
        .map(|i| Cluster {
            members: vec![i as u32],
            labels: exclusive.map(|l| vec![l[i]]).unwrap_or_default(),
            links: BTreeMap::new(),
            alive: true,
        })
        .collect();
    for &(a, b, s) in edges {
        let (a, b) = (a as usize, b as usize);
        if a == b {
            continue;
        }
        *cl[a].links.entry(b).or_default() += s;
        *cl[b].links.entry(a).or_default() += s;
    }
    // Max-heap on (mean similarity, then smaller ids first). Means are non-negative, so their
    // bit patterns order like the numbers.
    let mut heap: BinaryHeap<(u64, Reverse<usize>, Reverse<usize>)> = BinaryHeap::new();
    let mean = |sum: f64, x: usize, y: usize| sum / (x * y) as f64;
    for (a, c) in cl.iter().enumerate() {
        for (&b, &s) in c.links.range(a + 1..) {
            let m = mean(s, 1, 1);
            if m >= threshold {
                heap.push((m.to_bits(), Reverse(a), Reverse(b)));
            }
        }
    }
    while let Some((_, Reverse(a), Reverse(b))) = heap.pop() {
        if !cl[a].alive || !cl[b].alive {
            continue;
        }
        if exclusive.is_some() && shared_count(&cl[a].labels, &cl[b].labels) > 0 {
            continue;
        }
        let c = cl.len();
        let mut members = std::mem::take(&mut cl[a].members);
        members.append(&mut cl[b].members);
        members.sort_unstable();
        let mut labels = std::mem::take(&mut cl[a].labels);
        labels.append(&mut cl[b].labels);
        labels.sort_unstable();
        let mut links = std::mem::take(&mut cl[a].links);
        for (k, s) in std::mem::take(&mut cl[b].links) {
            *links.entry(k).or_default() += s;
        }
        links.remove(&a);
        links.remove(&b);
        cl[a].alive = false;
        cl[b].alive = false;
        for (&k, &s) in &links {
            let other = &mut cl[k];
            other.links.remove(&a);
            other.links.remove(&b);
            other.links.insert(c, s);
            let m = mean(s, members.len(), other.members.len());
            if m >= threshold {
                heap.push((m.to_bits(), Reverse(k.min(c)), Reverse(k.max(c))));
            }
        }
        cl.push(Cluster { members, labels, links, alive: true });
    }
    let mut out: Vec<Vec<u32>> = cl.into_iter().filter(|c| c.alive).map(|c| c.members).collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{read, Date, Document, ReadOptions};
    use std::path::PathBuf;

    #[test]
    fn average_linkage_resists_chaining() {
        // 0~1 strongly, 1~2 moderately, 0 and 2 unrelated: 2 stays out.
        let edges = [(0, 1, 0.8), (1, 2, 0.4)];
        assert_eq!(average_linkage(3, &edges, 0.3, None), vec![vec![0, 1], vec![2]]);
        // With 0~2 as well, all three merge.
        let edges = [(0, 1, 0.8), (1, 2, 0.4), (0, 2, 0.3)];
        assert_eq!(average_linkage(3, &edges, 0.3, None), vec![vec![0, 1, 2]]);
        // Exclusive labels: items 0 and 2 share a label and never meet.
        let edges = [(0, 1, 0.8), (1, 2, 0.8), (0, 2, 0.8)];
        assert_eq!(average_linkage(3, &edges, 0.3, Some(&[7, 8, 7])), vec![vec![0, 1], vec![2]]);
    }

    #[test]
    fn quote_containment() {
        let a = features::shingles(&[
            "continu", "vigorous", "effort", "national", "capacity", "osce", "minsk", "group",
        ]);
        let b = features::shingles(&[
            "continu",
            "implement",
            "mediation",
            "mission",
            "national",
            "capacity",
            "osce",
            "minsk",
            "group",
        ]);
        let c = features::shingles(&["national", "capacity", "osce"]);
        let d = features::shingles(&["ceasefire", "violated", "repeatedly"]);
        assert!(quotes_match(&a, &b), "shares 'national capacity osce minsk group'");
        assert!(quotes_match(&a, &c), "a trimmed quote is contained");
        assert!(!quotes_match(&a, &d));
    }

    fn fixture() -> Corpus {
        read(&[PathBuf::from("tests/fixtures/stories")], &ReadOptions::default())
    }

    /// Pairwise precision and recall of `stories` against the `story:` headers.
    fn precision_recall(corpus: &Corpus, stories: &[Story]) -> (f64, f64) {
        let mut story_of = vec![0; corpus.documents.len()];
        for s in stories {
            for &d in &s.docs {
                story_of[d] = s.id;
            }
        }
        let truth: Vec<&str> = corpus
            .documents
            .iter()
            .map(|d| d.meta.get("story").map_or("", String::as_str))
            .collect();
        let (mut tp, mut fp, mut fnn) = (0, 0, 0);
        for a in 0..truth.len() {
            for b in a + 1..truth.len() {
                match (story_of[a] == story_of[b], truth[a] == truth[b]) {
                    (true, true) => tp += 1,
                    (true, false) => fp += 1,
                    (false, true) => fnn += 1,
                    _ => {}
                }
            }
        }
        (f64::from(tp) / f64::from((tp + fp).max(1)), f64::from(tp) / f64::from((tp + fnn).max(1)))
    }

    #[test]
    fn fixture_stories_match_their_headers() {
        let corpus = fixture();
        assert!(corpus.documents.len() >= 18, "fixture read: {:?}", corpus.skipped);
        assert!(corpus.documents.iter().all(|d| d.meta.contains_key("story")));
        let stories = super::super::stories(&corpus, Lang::english(), &StoryOptions::default());
        let (p, r) = precision_recall(&corpus, &stories);
        let show: Vec<Vec<&str>> = stories
            .iter()
            .map(|s| s.docs.iter().map(|&d| corpus.documents[d].id.as_str()).collect())
            .collect();
        assert!(p >= 0.9 && r >= 0.9, "precision {p:.3} recall {r:.3}: {show:?}");
    }

    #[test]
    fn same_people_a_year_apart_stay_apart() {
        let corpus = fixture();
        let stories = super::super::stories(&corpus, Lang::english(), &StoryOptions::default());
        let story_of = |d: usize| stories.iter().find(|s| s.docs.contains(&d)).map(|s| s.id);
        let docs = &corpus.documents;
        let truth = |d: usize| docs[d].meta.get("story").cloned().unwrap_or_default();
        for a in 0..docs.len() {
            for b in 0..docs.len() {
                if truth(a) == "border-2024" && truth(b) == "border-2025" {
                    assert_ne!(story_of(a), story_of(b), "{} and {}", docs[a].id, docs[b].id);
                }
            }
        }
    }

    #[test]
    fn stories_are_numbered_by_date_and_deterministic() {
        let corpus = fixture();
        let opts = StoryOptions::default();
        let s1 = super::super::stories(&corpus, Lang::english(), &opts);
        let s2 = super::super::stories(&corpus, Lang::english(), &opts);
        assert_eq!(s1, s2);
        let first_day = |s: &Story| s.docs.iter().filter_map(|&d| corpus.documents[d].date).min();
        for w in s1.windows(2) {
            assert!(first_day(&w[0]) <= first_day(&w[1]));
        }
        for (i, s) in s1.iter().enumerate() {
            assert_eq!(s.id, i + 1);
            assert!(s.docs.windows(2).all(|w| w[0] < w[1]));
        }
        let covered: usize = s1.iter().map(|s| s.docs.len()).sum();
        assert_eq!(covered, corpus.documents.len());
    }

    #[test]
    fn entity_variants_are_shared_evidence() {
        let corpus = read(&[PathBuf::from("seeds")], &ReadOptions::default());
        let prep = features::prepare(&corpus, Lang::english());
        assert_eq!(prep.canonical("zograb"), prep.canonical("zohrab"));
        assert_eq!(prep.canonical("mariya"), prep.canonical("maria"));
        assert_eq!(prep.canonical("karabah"), prep.canonical("karabakh"));
    }

    /// A synthetic corpus: `n` documents over a year, in stories of 3 documents a day or two
    /// apart, each with story-specific names and numbers over a shared news vocabulary.
    pub(crate) fn synthetic(n: usize) -> Corpus {
        let mut seed: u64 = 42;
        let mut rnd = move |m: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        let syllables = [
            "ka", "ro", "mi", "ta", "ve", "lo", "su", "na", "de", "pi", "gor", "zan", "bel", "tor",
        ];
        let word = |rnd: &mut dyn FnMut(u64) -> u64, parts: u64| -> String {
            (0..parts).map(|_| syllables[rnd(syllables.len() as u64) as usize]).collect()
        };
        let common: Vec<String> = (0..400).map(|_| word(&mut rnd, 3)).collect();
        let mut documents = Vec::with_capacity(n);
        let start = Date::new(2023, 1, 1).map_or(0, |d| d.days());
        let mut i = 0;
        while i < n {
            let day = start + rnd(365) as i64;
            let names: Vec<String> = (0..3)
                .map(|_| {
                    let w = word(&mut rnd, 4);
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                        .unwrap_or_default()
                })
                .collect();
            let topic: Vec<String> = (0..12).map(|_| word(&mut rnd, 4)).collect();
            let number = 100 + rnd(9000);
            for _ in 0..3.min(n - i) {
                let mut text = String::new();
                for p in 0..4 {
                    for s in 0..3 {
                        let mut sentence = vec!["The".to_string()];
                        for w in 0..12 {
                            let pick = rnd(10);
                            sentence.push(match pick {
                                0..=2 => topic[rnd(12) as usize].clone(),
                                3 if w > 2 => names[rnd(3) as usize].clone(),
                                _ => common[(rnd(20) * rnd(20)) as usize].clone(),
                            });
                        }
                        if s == 1 && p == 0 {
                            sentence.push(number.to_string());
                        }
                        text.push_str(&sentence.join(" "));
                        text.push_str(". ");
                    }
                    text.push('\n');
                }
                let d = day + rnd(3) as i64;
                documents.push(Document {
                    id: format!("s{i}"),
                    path: format!("s{i}"),
                    outlet: format!("outlet{}", i % 5),
                    date: date_from_days(d),
                    title: None,
                    url: None,
                    meta: BTreeMap::new(),
                    words: 0,
                    lines: (1..=4).collect(),
                    text,
                    removed: Vec::new(),
                });
                i += 1;
            }
        }
        Corpus { documents, ..Corpus::default() }
    }

    fn date_from_days(days: i64) -> Option<Date> {
        let mut d = Date::new(2023, 1, 1)?;
        while d.days() < days {
            let next = Date::new(d.year, d.month, d.day + 1)
                .or_else(|| Date::new(d.year, d.month + 1, 1))
                .or_else(|| Date::new(d.year + 1, 1, 1))?;
            d = next;
        }
        Some(d)
    }

    #[test]
    fn candidate_generation_is_not_quadratic() {
        for n in [1000usize, 2000] {
            let corpus = synthetic(n);
            let (stories, scored) = run(&corpus, Lang::english(), &StoryOptions::default());
            let all = n * (n - 1) / 2;
            assert!(scored * 10 < all, "{n} documents: {scored} pairs scored of {all}");
            assert_eq!(stories.iter().map(|s| s.docs.len()).sum::<usize>(), n);
            eprintln!(
                "{n} docs: {scored} pairs scored ({:.2}% of all pairs), {} stories",
                100.0 * scored as f64 / all as f64,
                stories.len()
            );
        }
    }
}
