//! Story clustering. Consumes the prepared features of every document; produces the corpus's
//! [`Story`]s with the evidence for each scored pair. Also holds the average-linkage clustering
//! that `passages` reuses. The similarity formula and the clustering rule are documented in
//! the `align` module docs; this file implements them and does not look at paragraphs.

use super::candidates::{self, Blocking};
use super::features::{self, shared_count, Sparse};
use super::terms::{self, Collected, DocTerms, RUN_END};
use super::{PairEvidence, Story, StoryOptions};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

/// Weights of the signals in the story similarity (they sum to 1).
pub(crate) const W_COSINE: f64 = 0.5;
pub(crate) const W_ENTITIES: f64 = 0.2;
pub(crate) const W_QUOTES: f64 = 0.15;
pub(crate) const W_NUMBERS: f64 = 0.15;
/// How much the date factor falls from 0 to `max_days` apart.
pub(crate) const DATE_DECAY: f64 = 0.2;

/// A quotation: the text shown in evidence and its shingles.
#[derive(Debug, Clone)]
pub(crate) struct Quote {
    pub shown: Box<str>,
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
    /// Word ids of runs of adjacent name words, each ended by `RUN_END`.
    pub runs: Vec<u32>,
}

/// The corpus-wide part of the features: IDF and how ids are shown.
pub(crate) struct Vocabulary {
    pub widf: Vec<f32>,
    pub nidf: Vec<f32>,
    /// Number keys by id.
    pub numbers: Vec<String>,
    /// Display forms of name ids.
    pub names: FxHashMap<u32, String>,
}

/// Computes the document features (consuming the collected ids) and the word and number IDF
/// over documents.
pub(crate) fn doc_features(c: Collected) -> (Vec<DocFeatures>, Vocabulary) {
    let Collected { docs, words, numbers, names } = c;
    let n = docs.len();
    let mut wdf = vec![0u32; words];
    let mut ndf = vec![0u32; numbers.len()];
    for d in &docs {
        for &(t, _) in &d.words {
            wdf[t as usize] += 1;
        }
        for &t in &d.numbers {
            ndf[t as usize] += 1;
        }
    }
    let widf: Vec<f32> = wdf.iter().map(|&d| features::idf(n, d)).collect();
    let nidf: Vec<f32> = ndf.iter().map(|&d| features::idf(n, d)).collect();
    drop((wdf, ndf));
    let feats = docs
        .into_par_iter()
        .map(|d: DocTerms| {
            let entities: Vec<u32> =
                d.words.iter().filter(|w| DocTerms::is_name(w.1)).map(|w| w.0).collect();
            let vector =
                features::tfidf(d.words.iter().map(|&(t, c)| (t, DocTerms::count(c))), &widf);
            let quotes = d
                .quotes
                .into_iter()
                .map(|(shown, keys)| Quote { shown, shingles: terms::shingles(&keys) })
                .collect();
            DocFeatures { vector, entities, numbers: d.numbers, quotes, days: d.days, runs: d.runs }
        })
        .collect();
    (feats, Vocabulary { widf, nidf, numbers, names })
}

/// IDF-weighted Dice overlap of two sorted id sets.
fn weighted_dice(a: &[u32], b: &[u32], idf: &[f32]) -> f64 {
    let total: f64 = a.iter().chain(b).map(|&t| f64::from(idf[t as usize])).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let s: f64 = shared(a, b).map(|t| f64::from(idf[t as usize])).sum();
    (2.0 * s / total).clamp(0.0, 1.0)
}

/// The values of `a` that are also in `b` (both sorted), in order.
fn shared<'a>(a: &'a [u32], b: &'a [u32]) -> impl Iterator<Item = u32> + 'a {
    a.iter().filter(|t| b.binary_search(t).is_ok()).copied()
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

/// The quotations of `a` that `b` also quotes.
fn shared_quotes<'a>(a: &'a DocFeatures, b: &'a DocFeatures) -> impl Iterator<Item = &'a Quote> {
    a.quotes.iter().filter(|qa| b.quotes.iter().any(|qb| quotes_match(&qa.shingles, &qb.shingles)))
}

/// Days between two dated documents.
fn days_apart(a: &DocFeatures, b: &DocFeatures) -> Option<i64> {
    a.days.zip(b.days).map(|(x, y)| (x - y).abs())
}

/// Names shared by documents `a` and `b`, as maximal runs of shared name words in `a`.
fn shared_names(vocab: &Vocabulary, runs: &[u32], shared: &[u32]) -> Vec<String> {
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut cur: Vec<&str> = Vec::new();
    for &id in runs {
        let name = if id != RUN_END && shared.binary_search(&id).is_ok() {
            vocab.names.get(&id)
        } else {
            None
        };
        match name {
            Some(name) => cur.push(name),
            None => {
                if !cur.is_empty() {
                    names.insert(cur.join(" "));
                    cur.clear();
                }
            }
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
    pub vocab: &'a Vocabulary,
    pub feats: &'a [DocFeatures],
    pub opts: &'a StoryOptions,
}

/// The similarity of a candidate pair (`a < b`) and its cosine.
pub(crate) fn similarity(s: &Scorer<'_>, a: usize, b: usize) -> (f64, f64) {
    let Scorer { vocab, feats, opts } = *s;
    let (fa, fb) = (&feats[a], &feats[b]);
    let cos = features::cosine(&fa.vector, &fb.vector);
    let e = weighted_dice(&fa.entities, &fb.entities, &vocab.widf);
    let nsim = weighted_dice(&fa.numbers, &fb.numbers, &vocab.nidf);
    let q = (shared_quotes(fa, fb).count() as f64 / 2.0).min(1.0);
    let date = match days_apart(fa, fb) {
        _ if cos >= opts.near_duplicate => 1.0,
        None => opts.undated,
        Some(d) if d > opts.max_days => 0.0,
        Some(d) if opts.max_days > 0 => 1.0 - DATE_DECAY * d as f64 / opts.max_days as f64,
        Some(_) => 1.0,
    };
    let similarity = (date * (W_COSINE * cos + W_ENTITIES * e + W_QUOTES * q + W_NUMBERS * nsim))
        .clamp(0.0, 1.0);
    (similarity, cos)
}

/// The evidence for a scored pair (`a < b`): what the two documents share.
pub(crate) fn evidence(
    s: &Scorer<'_>,
    a: usize,
    b: usize,
    similarity: f64,
    cosine: f64,
) -> PairEvidence {
    let (fa, fb) = (&s.feats[a], &s.feats[b]);
    let shared_ents: Vec<u32> = shared(&fa.entities, &fb.entities).collect();
    let quotes: Vec<String> = shared_quotes(fa, fb).map(|q| q.shown.to_string()).collect();
    let mut numbers: Vec<String> = shared(&fa.numbers, &fb.numbers)
        .map(|t| features::number_display(&s.vocab.numbers[t as usize]))
        .collect();
    numbers.sort();
    PairEvidence {
        a,
        b,
        similarity,
        cosine,
        entities: shared_names(s.vocab, &fa.runs, &shared_ents),
        quotes,
        numbers,
        days_apart: days_apart(fa, fb),
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

/// Runs story alignment over the collected documents; also returns how many pairs were
/// scored.
pub(crate) fn run(collected: Collected, opts: &StoryOptions) -> (Vec<Story>, usize) {
    let (feats, vocab) = doc_features(collected);
    let n = feats.len();
    // The IDF of a term found in one document only.
    let unique = features::idf(n, 1) - 1e-6;
    let keys: Vec<Vec<u32>> = feats
        .par_iter()
        .map(|f| index_keys(f, &vocab.widf, &vocab.nidf, unique, opts.keys))
        .collect();
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
    drop(keys);
    cands.extend(candidates::near_duplicates(
        n,
        |i| feats[i].vector.iter().map(|t| t.0),
        opts.max_postings,
    ));
    cands.sort_unstable();
    cands.dedup();
    let scored = cands.len();
    let scorer = Scorer { vocab: &vocab, feats: &feats, opts };
    // Similarities first; the evidence (strings) only for pairs that end in one story.
    let scores: Vec<(u32, u32, f64, f64)> = cands
        .par_iter()
        .map(|&(a, b)| {
            let (s, cos) = similarity(&scorer, a as usize, b as usize);
            (a, b, s, cos)
        })
        .filter(|p| p.2 > 0.0)
        .collect();
    drop(cands);
    let edges: Vec<(u32, u32, f64)> = scores.iter().map(|p| (p.0, p.1, p.2)).collect();
    let clusters = average_linkage(n, &edges, opts.threshold, None);
    drop(edges);
    let mut cluster_of = vec![0u32; n];
    for (ci, c) in clusters.iter().enumerate() {
        for &d in c {
            cluster_of[d as usize] = ci as u32;
        }
    }
    let pairs: Vec<PairEvidence> = scores
        .par_iter()
        .filter(|p| cluster_of[p.0 as usize] == cluster_of[p.1 as usize])
        .map(|&(a, b, s, cos)| evidence(&scorer, a as usize, b as usize, s, cos))
        .collect();
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
    use crate::corpus::{read, Corpus, Date, Document, ReadOptions};
    use crate::text::Lang;
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
        // Quotation keys as word ids: 0 continu, 1 vigorous, 2 effort, 3 national, 4 capacity,
        // 5 osce, 6 minsk, 7 group, 8 implement, 9 mediation, 10 mission, 11.. others.
        let a = terms::shingles(&[0, 1, 2, 3, 4, 5, 6, 7]);
        let b = terms::shingles(&[0, 8, 9, 10, 3, 4, 5, 6, 7]);
        let c = terms::shingles(&[3, 4, 5]);
        let d = terms::shingles(&[11, 12, 13]);
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
            let mut collector = terms::Collector::default();
            collector.add(&corpus.documents, Lang::english());
            let (stories, scored) = run(collector.finish(), &StoryOptions::default());
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
