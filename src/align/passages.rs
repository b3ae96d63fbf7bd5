//! Passage alignment. Consumes the corpus, its stories and the language resources; produces
//! [`PassageGroup`]s: paragraphs of different outlets that state the same fact, within a story
//! or across the corpus (recurring background). It does not split paragraphs into sentences
//! and does not judge which wording is loaded (the lexicon stage does).
//!
//! Each paragraph becomes a TF-IDF vector over paragraphs (IDF computed over every paragraph of
//! the corpus) of its content words and names (entity variants unified as for stories), its
//! numbers and dates (weighted [`NUMBER_WEIGHT`] times, as they pin a fact down), where words of
//! one class of `lexicons/lang/en/equivalents.txt` count as one feature. Candidates share one of
//! a paragraph's highest-weight features (inverted index with a posting cap, no date blocking:
//! background passages recur for years). A candidate pair is a [`PassagePair`] when the
//! documents differ in outlet, share [`PassageOptions::min_shared`] features and reach the
//! threshold. Groups come from average linkage over all scored pairs of different documents
//! (same-outlet pairs too, as they tie an outlet's repeated background together), at most one
//! paragraph per document, and must hold at least one pair.

use super::candidates::{self, Blocking};
use super::features::{self, Kind, Prepared};
use super::stories::average_linkage;
use super::{Passage, PassageGroup, PassageOptions, PassagePair, Story};
use crate::corpus::{Corpus, UNKNOWN_OUTLET};
use crate::text::Lang;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How much more a number or date counts than a word of the same rarity.
pub(crate) const NUMBER_WEIGHT: f32 = 1.5;
/// How many shared words a group label shows.
const LABEL_WORDS: usize = 4;

/// Equivalence classes: stem → class index.
pub(crate) fn equivalents(lang: &Lang) -> HashMap<String, u32> {
    let mut map = HashMap::new();
    if lang.code != "en" {
        return map;
    }
    let text = include_str!("../../lexicons/lang/en/equivalents.txt");
    let lines = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
    for (ci, line) in lines.enumerate() {
        for w in line.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            for f in crate::text::fold_words(w) {
                map.entry(features::stem(&f)).or_insert(ci as u32);
            }
        }
    }
    map
}

/// A paragraph prepared for comparison.
struct Para {
    passage: Passage,
    /// Feature counts.
    counts: BTreeMap<u32, u32>,
    /// First written (folded) form of each feature in the paragraph.
    forms: BTreeMap<u32, String>,
    /// Feature counts of each sentence.
    sentence_counts: Vec<BTreeMap<u32, u32>>,
    vector: features::Sparse,
    sentence_vectors: Vec<features::Sparse>,
}

/// Builds the paragraphs of every document with their feature ids. Feature ids: words
/// `[0, W)`, equivalence classes `[W, W + C)`, numbers `[W + C, ..)`.
fn paragraphs(
    corpus: &Corpus,
    prep: &Prepared,
    classes: &HashMap<String, u32>,
) -> (Vec<Para>, Vec<bool>) {
    let w = prep.words.len() as u32;
    let c = classes.values().max().map_or(0, |m| m + 1);
    let per_doc: Vec<Vec<Para>> = prep
        .raws
        .par_iter()
        .enumerate()
        .map(|(di, raw)| {
            raw.paras
                .iter()
                .map(|p| {
                    let mut counts: BTreeMap<u32, u32> = BTreeMap::new();
                    let mut forms: BTreeMap<u32, String> = BTreeMap::new();
                    let mut sentence_counts: Vec<BTreeMap<u32, u32>> = Vec::new();
                    let mut last_sentence = None;
                    for it in &p.items {
                        let id = match it.kind {
                            Kind::Number => prep.numbers.id(&it.key).map(|n| w + c + n),
                            _ => {
                                let canon = prep.canonical(&it.key);
                                match classes.get(canon) {
                                    Some(&ci) => Some(w + ci),
                                    None => prep.words.id(canon),
                                }
                            }
                        };
                        if let Some(id) = id {
                            if last_sentence != Some(it.sentence) {
                                last_sentence = Some(it.sentence);
                                sentence_counts.push(BTreeMap::new());
                            }
                            if let Some(sc) = sentence_counts.last_mut() {
                                *sc.entry(id).or_default() += 1;
                            }
                            *counts.entry(id).or_default() += 1;
                            forms.entry(id).or_insert_with(|| it.form.clone());
                        }
                    }
                    let passage = Passage { doc: di, start: p.start, end: p.end, line: p.line };
                    let _ = corpus;
                    Para {
                        passage,
                        counts,
                        forms,
                        sentence_counts,
                        vector: Vec::new(),
                        sentence_vectors: Vec::new(),
                    }
                })
                .collect()
        })
        .collect();
    let paras: Vec<Para> = per_doc.into_iter().flatten().collect();
    let is_number: Vec<bool> =
        (0..w + c + prep.numbers.len() as u32).map(|id| id >= w + c).collect();
    (paras, is_number)
}

/// Paragraph similarity: the mean of the paragraph cosine and the best cosine between a
/// sentence of one and a sentence of the other, so that one sentence restated inside a long
/// paragraph is not diluted by the rest of it.
fn similarity(a: &Para, b: &Para) -> f64 {
    let whole = features::cosine(&a.vector, &b.vector);
    let best = a
        .sentence_vectors
        .iter()
        .flat_map(|x| b.sentence_vectors.iter().map(move |y| features::cosine(x, y)))
        .fold(0.0, f64::max);
    (whole + best) / 2.0
}

/// The outlet a document speaks for; documents of unknown outlet each count as their own.
fn outlet_key(corpus: &Corpus, doc: usize) -> String {
    let d = &corpus.documents[doc];
    if d.outlet == UNKNOWN_OUTLET {
        format!("\u{0}{}", d.id)
    } else {
        d.outlet.clone()
    }
}

/// A scored pair of paragraphs.
struct Scored {
    a: u32,
    b: u32,
    similarity: f64,
    shared: Vec<u32>,
}

/// Runs passage alignment.
pub(crate) fn run(
    corpus: &Corpus,
    stories: &[Story],
    lang: &Lang,
    opts: &PassageOptions,
) -> Vec<PassageGroup> {
    let prep = features::prepare(corpus, lang);
    let classes = equivalents(lang);
    let (mut paras, is_number) = paragraphs(corpus, &prep, &classes);
    // IDF over every paragraph with a feature.
    let mut df = vec![0u32; is_number.len()];
    let mut n = 0;
    for p in &paras {
        if !p.counts.is_empty() {
            n += 1;
        }
        for &t in p.counts.keys() {
            df[t as usize] += 1;
        }
    }
    let idf: Vec<f32> = df
        .iter()
        .zip(&is_number)
        .map(|(&d, &num)| features::idf(n, d) * if num { NUMBER_WEIGHT } else { 1.0 })
        .collect();
    paras.par_iter_mut().for_each(|p| {
        fn pairs(c: &BTreeMap<u32, u32>) -> impl Iterator<Item = (u32, u32)> + '_ {
            c.iter().map(|(&t, &n)| (t, n))
        }
        p.vector = features::tfidf(pairs(&p.counts), &idf);
        p.sentence_vectors =
            p.sentence_counts.iter().map(|c| features::tfidf(pairs(c), &idf)).collect();
    });
    // Only paragraphs with enough features take part.
    let eligible: Vec<usize> =
        (0..paras.len()).filter(|&i| paras[i].counts.len() >= opts.min_features).collect();
    let keys: Vec<Vec<u32>> = eligible
        .iter()
        .map(|&i| {
            // Features of one paragraph only pair nothing.
            let mut v: features::Sparse =
                paras[i].vector.iter().filter(|t| df[t.0 as usize] > 1).copied().collect();
            v.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            let mut k: Vec<u32> = v.iter().take(opts.keys).map(|t| t.0).collect();
            k.sort_unstable();
            k
        })
        .collect();
    let days = vec![None; eligible.len()];
    let cands = candidates::pairs(
        &keys,
        &days,
        Blocking { max_days: None, max_postings: opts.max_postings, min_shared_keys: 1 },
    );

    let mut story_of: Vec<Option<usize>> = vec![None; corpus.documents.len()];
    for s in stories {
        for &d in &s.docs {
            if let Some(slot) = story_of.get_mut(d) {
                *slot = Some(s.id);
            }
        }
    }
    let outlets: Vec<String> = (0..corpus.documents.len()).map(|d| outlet_key(corpus, d)).collect();
    let scored: Vec<Scored> = cands
        .par_iter()
        .filter_map(|&(x, y)| {
            let (pa, pb) = (&paras[eligible[x as usize]], &paras[eligible[y as usize]]);
            if pa.passage.doc == pb.passage.doc {
                return None;
            }
            let similarity = similarity(pa, pb);
            let shared: Vec<u32> =
                pa.counts.keys().filter(|t| pb.counts.contains_key(t)).copied().collect();
            (similarity > 0.0).then_some(Scored { a: x, b: y, similarity, shared })
        })
        .collect();
    let paired = |s: &Scored| {
        let (da, db) =
            (paras[eligible[s.a as usize]].passage.doc, paras[eligible[s.b as usize]].passage.doc);
        if outlets[da] == outlets[db] || s.shared.len() < opts.min_shared {
            return false;
        }
        let same_story = story_of[da].is_some() && story_of[da] == story_of[db];
        s.similarity
            >= if same_story { opts.story_threshold.min(opts.threshold) } else { opts.threshold }
    };
    let edges: Vec<(u32, u32, f64)> = scored.iter().map(|s| (s.a, s.b, s.similarity)).collect();
    let labels: Vec<u32> = eligible.iter().map(|&i| paras[i].passage.doc as u32).collect();
    let clusters = average_linkage(eligible.len(), &edges, opts.group_threshold, Some(&labels));
    let mut cluster_of = vec![usize::MAX; eligible.len()];
    for (ci, c) in clusters.iter().enumerate() {
        for &m in c {
            cluster_of[m as usize] = ci;
        }
    }
    let mut group_pairs: BTreeMap<usize, Vec<&Scored>> = BTreeMap::new();
    for s in scored.iter().filter(|s| paired(s)) {
        let c = cluster_of[s.a as usize];
        if c == cluster_of[s.b as usize] {
            group_pairs.entry(c).or_default().push(s);
        }
    }

    let display = |p: &Para, t: u32| p.forms.get(&t).cloned().unwrap_or_default();
    let mut groups: Vec<PassageGroup> = Vec::new();
    for (ci, pairs) in group_pairs {
        let members: Vec<&Para> =
            clusters[ci].iter().map(|&m| &paras[eligible[m as usize]]).collect();
        let mut passages: Vec<Passage> = members.iter().map(|p| p.passage).collect();
        passages.sort();
        let docs: BTreeSet<usize> = passages.iter().map(|p| p.doc).collect();
        let first_story = story_of[passages[0].doc];
        let story = if first_story.is_some() && docs.iter().all(|&d| story_of[d] == first_story) {
            first_story
        } else {
            None
        };
        // Label: features shared by the most pairs, weighted by rarity; shown in the form most
        // used by the group's passages.
        let mut weight: BTreeMap<u32, f64> = BTreeMap::new();
        let mut out_pairs: Vec<PassagePair> = Vec::with_capacity(pairs.len());
        for s in &pairs {
            let (pa, pb) = (&paras[eligible[s.a as usize]], &paras[eligible[s.b as usize]]);
            let (pa, pb) = if pa.passage <= pb.passage { (pa, pb) } else { (pb, pa) };
            let mut shared: Vec<String> = s
                .shared
                .iter()
                .map(|&t| {
                    *weight.entry(t).or_default() += f64::from(idf[t as usize]);
                    let (fa, fb) = (display(pa, t), display(pb, t));
                    if fa == fb {
                        fa
                    } else {
                        format!("{fa}/{fb}")
                    }
                })
                .collect();
            shared.sort();
            shared.dedup();
            out_pairs.push(PassagePair {
                a: pa.passage,
                b: pb.passage,
                similarity: s.similarity,
                shared,
            });
        }
        out_pairs.sort_by_key(|x| (x.a, x.b));
        let mut ranked: Vec<(u32, f64)> = weight.into_iter().collect();
        ranked.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        let mut label_words: Vec<String> = ranked
            .iter()
            .take(LABEL_WORDS)
            .map(|&(t, _)| {
                let mut forms: BTreeMap<String, u32> = BTreeMap::new();
                for p in &members {
                    if let Some(f) = p.forms.get(&t) {
                        *forms.entry(f.clone()).or_default() += 1;
                    }
                }
                forms
                    .iter()
                    .rev()
                    .max_by_key(|(_, &c)| c)
                    .map(|(f, _)| f.clone())
                    .unwrap_or_default()
            })
            .collect();
        label_words.sort();
        groups.push(PassageGroup {
            id: 0,
            story,
            passages,
            pairs: out_pairs,
            label: label_words.join(" "),
        });
    }
    groups.sort_by(|x, y| x.passages.cmp(&y.passages));
    for (i, g) in groups.iter_mut().enumerate() {
        g.id = i + 1;
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::super::{passages, stories, StoryOptions};
    use super::*;
    use crate::corpus::{read, ReadOptions};
    use std::path::PathBuf;

    fn seeds() -> Corpus {
        read(&[PathBuf::from("seeds")], &ReadOptions::default())
    }

    /// The passage of document `doc` (by id prefix) that contains `needle`.
    fn find(corpus: &Corpus, doc: &str, needle: &str) -> Passage {
        let (di, d) = corpus
            .documents
            .iter()
            .enumerate()
            .find(|(_, d)| d.id.starts_with(doc))
            .unwrap_or_else(|| panic!("no document {doc}"));
        let start = d.text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {doc}"));
        let line_start = d.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = d.text[start..].find('\n').map_or(d.text.len(), |i| start + i);
        Passage { doc: di, start: line_start, end: line_end, line: d.line_of(start) }
    }

    fn group_of(groups: &[PassageGroup], p: Passage) -> Option<&PassageGroup> {
        groups.iter().find(|g| g.passages.contains(&p))
    }

    fn show(corpus: &Corpus, groups: &[PassageGroup]) -> String {
        let mut s = String::new();
        for g in groups {
            s.push_str(&format!("group {} [{}] story {:?}\n", g.id, g.label, g.story));
            for p in &g.passages {
                let t = &corpus.documents[p.doc].text[p.start..p.end];
                s.push_str(&format!(
                    "  {} l{}: {}\n",
                    corpus.documents[p.doc].id,
                    p.line,
                    t.chars().take(90).collect::<String>()
                ));
            }
        }
        s
    }

    #[test]
    fn origin_of_the_conflict_is_one_group_in_the_seeds() {
        let corpus = seeds();
        let st = stories(&corpus, Lang::english(), &StoryOptions::default());
        let groups = passages(&corpus, &st, Lang::english(), &PassageOptions::default());
        let trend0 = find(
            &corpus,
            "000",
            "began in 1988 when Armenia made territorial claims against Azerbaijan",
        );
        let trend4 = find(
            &corpus,
            "004",
            "began in 1988 when Armenia made territorial claims against Azerbaijan",
        );
        let tass = find(&corpus, "002", "broke out in February 1988, when the Nagorno-Karabakh Autonomous Region declared its secession");
        let aa = find(
            &corpus,
            "001",
            "tense since 1991 when the Armenian military occupied Nagorno-Karabakh",
        );
        let ptv = find(
            &corpus,
            "003",
            "under Armenia's control since the early 1990s, when the territory declared secession",
        );
        let g = group_of(&groups, tass).unwrap_or_else(|| {
            panic!("TASS origin paragraph not grouped:\n{}", show(&corpus, &groups))
        });
        for p in [aa, ptv] {
            assert!(
                g.passages.contains(&p),
                "origin paragraphs apart:\n{}",
                show(&corpus, &groups)
            );
        }
        assert!(
            g.passages.contains(&trend0) || g.passages.contains(&trend4),
            "Trend apart:\n{}",
            show(&corpus, &groups)
        );
        assert_eq!(g.story, None, "background across stories");
        // One passage per document.
        let docs: BTreeSet<usize> = g.passages.iter().map(|p| p.doc).collect();
        assert_eq!(docs.len(), g.passages.len());
        // Pairs are across outlets.
        for p in &g.pairs {
            assert_ne!(corpus.documents[p.a.doc].outlet, corpus.documents[p.b.doc].outlet);
        }
    }

    #[test]
    fn unrelated_paragraphs_are_not_paired() {
        let corpus = seeds();
        let st = stories(&corpus, Lang::english(), &StoryOptions::default());
        let groups = passages(&corpus, &st, Lang::english(), &PassageOptions::default());
        let casualties = find(&corpus, "003", "376 of its military personnel");
        let lavrov = find(&corpus, "002", "held telephone talks with Foreign Ministers");
        for g in &groups {
            assert!(
                !(g.passages.contains(&casualties) && g.passages.contains(&lavrov)),
                "{}",
                show(&corpus, &groups)
            );
            for p in &g.pairs {
                assert!(
                    !((p.a == lavrov && p.b == casualties) || (p.a == casualties && p.b == lavrov))
                );
            }
        }
    }

    #[test]
    fn groups_are_deterministic_and_well_formed() {
        let corpus = seeds();
        let st = stories(&corpus, Lang::english(), &StoryOptions::default());
        let g1 = passages(&corpus, &st, Lang::english(), &PassageOptions::default());
        let g2 = passages(&corpus, &st, Lang::english(), &PassageOptions::default());
        assert_eq!(g1, g2);
        for (i, g) in g1.iter().enumerate() {
            assert_eq!(g.id, i + 1);
            assert!(!g.pairs.is_empty() && !g.label.is_empty());
            let outlets: BTreeSet<&str> =
                g.passages.iter().map(|p| corpus.documents[p.doc].outlet.as_str()).collect();
            assert!(outlets.len() >= 2);
            for p in &g.passages {
                assert_eq!(p.line, corpus.documents[p.doc].line_of(p.start));
            }
        }
    }

    #[test]
    fn equivalents_load() {
        let eq = equivalents(Lang::english());
        assert_eq!(eq.get(&features::stem("districts")), eq.get(&features::stem("regions")));
        assert_eq!(eq.get(&features::stem("declared")), None);
        assert_eq!(eq.get(&features::stem("secession")), eq.get(&features::stem("independence")));
        assert_ne!(eq.get(&features::stem("secession")), eq.get(&features::stem("regions")));
    }
}
