//! Stage 4, score: runs the text analysis and the matcher over a corpus and tallies the hits
//! by document, outlet, concept (or any grouping the caller gives), per pole and voice, with
//! rates per 1,000 words and the slant index `(A - B) / (A + B)` on each lexicon's axis,
//! with a 95% bootstrap interval from a fixed seed. Every figure can be traced back to its
//! [`HitRecord`]s (document, line, sentence). It does not render anything.

pub mod bootstrap;

use crate::corpus::{Corpus, Document};
use crate::lexicon::Hit;
use crate::lexicon::Matcher;
use crate::text::{analyse, segment_into, voice_kinds, Lang, Segmented, VoiceKind};
use rayon::prelude::*;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// One lexicon hit, with everything needed to show and re-count it.
#[derive(Debug, Clone, Serialize)]
pub struct HitRecord {
    /// Index of the document in the corpus.
    #[serde(skip)]
    pub doc: usize,
    /// Index of the lexicon in the matcher.
    #[serde(skip)]
    pub lexicon: usize,
    /// Index of the entry in its lexicon.
    #[serde(skip)]
    pub entry: usize,
    /// The matched words as written.
    pub matched: String,
    /// Byte offset in the document's cleaned text.
    pub start: usize,
    /// End byte offset.
    pub end: usize,
    /// Line in the input file.
    pub line: u32,
    /// Sentence number in the document (1-based).
    pub sentence: usize,
    /// Byte span of the sentence in the cleaned text.
    #[serde(skip)]
    pub sentence_span: (usize, usize),
    /// Voice of the hit.
    pub voice: VoiceKind,
    /// Speaker, when the voice is quoted or reported and a speaker is named.
    pub speaker: Option<String>,
    /// Whether a negation cue precedes the hit.
    pub negated: bool,
    /// The context cue that decided the entry, if any.
    pub cue: Option<String>,
}

/// Hits of every document, in corpus order.
#[derive(Debug, Clone, Default)]
pub struct Scored {
    /// Hits of document `i` are `hits[i]`.
    pub hits: Vec<Vec<HitRecord>>,
}

/// How much of each hit's voice to work out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Voice kind and speaker, from the analysis of the whole document (kwic, reports).
    Speakers,
    /// Voice kind only, [`HitRecord::speaker`] left empty: attributions are sought only in
    /// sentences with hits, which is enough for tallies and saves most of the voice analysis.
    Kinds,
}

/// Analyses every document and collects its hits, with the voice `detail` asked for.
/// Documents are processed in parallel; the result is in corpus order.
pub fn hits(
    corpus: &Corpus,
    matcher: &Matcher,
    lang: &Lang,
    self_names: impl Fn(&Document) -> Vec<String> + Sync,
    detail: Detail,
) -> Scored {
    let hits = corpus
        .documents
        .par_iter()
        .enumerate()
        .map(|(di, d)| doc_hits(di, d, matcher, lang, &self_names(d), detail))
        .collect();
    Scored { hits }
}

/// Hits of one document, with the voice `detail` asked for.
pub fn doc_hits(
    di: usize,
    d: &Document,
    matcher: &Matcher,
    lang: &Lang,
    self_names: &[String],
    detail: Detail,
) -> Vec<HitRecord> {
    match detail {
        Detail::Speakers => {
            let a = analyse(&d.text, lang, self_names);
            let hits = matcher.hits(&a);
            records(di, d, &a.seg, hits, &a.speakers)
        }
        Detail::Kinds => with_segmented(|seg| {
            segment_into(&d.text, lang, seg);
            let mut hits = matcher.unvoiced_hits(seg);
            let firsts: Vec<usize> = hits.iter().map(|h| h.tokens.start).collect();
            for (h, kind) in
                hits.iter_mut().zip(voice_kinds(&d.text, seg, lang, self_names, &firsts))
            {
                h.voice.kind = kind;
            }
            records(di, d, seg, hits, &[])
        }),
    }
}

thread_local! {
    /// Each thread's segmentation buffers, reused from document to document.
    static SEGMENTED: RefCell<Segmented> = RefCell::default();
}

/// Runs `f` with this thread's segmentation buffers, or fresh ones should they be in use.
fn with_segmented<T>(f: impl FnOnce(&mut Segmented) -> T) -> T {
    SEGMENTED.with(|cell| match cell.try_borrow_mut() {
        Ok(mut seg) => f(&mut seg),
        Err(_) => f(&mut Segmented::default()),
    })
}

/// The records of a document's hits.
fn records(
    di: usize,
    d: &Document,
    seg: &Segmented,
    hits: Vec<Hit>,
    speakers: &[String],
) -> Vec<HitRecord> {
    let newlines: Vec<usize> = memchr::memchr_iter(b'\n', d.text.as_bytes()).collect();
    let line_of = |offset: usize| {
        d.lines.get(newlines.partition_point(|&p| p < offset)).copied().unwrap_or(0)
    };
    hits.into_iter()
        .map(|h| {
            let s = &seg.sentences[h.sentence];
            HitRecord {
                doc: di,
                lexicon: h.lexicon,
                entry: h.entry,
                matched: d.text[h.start..h.end].to_string(),
                start: h.start,
                end: h.end,
                line: line_of(h.start),
                sentence: h.sentence + 1,
                sentence_span: (s.start, s.end),
                voice: h.voice.kind,
                speaker: h.voice.speaker.map(|i| speakers[i as usize].clone()),
                negated: h.negated,
                cue: h.cue,
            }
        })
        .collect()
}

/// Hit counts by voice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ByVoice {
    /// The outlet's own words.
    pub own: usize,
    /// Direct quotations.
    pub quoted: usize,
    /// Reported speech.
    pub reported: usize,
}

impl ByVoice {
    /// Count for one voice.
    pub fn get(&self, v: VoiceKind) -> usize {
        match v {
            VoiceKind::Own => self.own,
            VoiceKind::Quoted => self.quoted,
            VoiceKind::Reported => self.reported,
        }
    }
    fn add(&mut self, v: VoiceKind) {
        match v {
            VoiceKind::Own => self.own += 1,
            VoiceKind::Quoted => self.quoted += 1,
            VoiceKind::Reported => self.reported += 1,
        }
    }
    /// Sum over all voices.
    pub fn total(&self) -> usize {
        self.own + self.quoted + self.reported
    }
}

/// Which voices the headline slant counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VoiceFilter {
    /// The outlet's own words (default): its own word choices.
    #[default]
    Own,
    /// Quotations only.
    Quoted,
    /// Reported speech only.
    Reported,
    /// Everything.
    All,
}

impl VoiceFilter {
    /// Whether a hit in voice `v` counts.
    pub fn admits(self, v: VoiceKind) -> bool {
        match self {
            VoiceFilter::Own => v == VoiceKind::Own,
            VoiceFilter::Quoted => v == VoiceKind::Quoted,
            VoiceFilter::Reported => v == VoiceKind::Reported,
            VoiceFilter::All => true,
        }
    }
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            VoiceFilter::Own => "own",
            VoiceFilter::Quoted => "quoted",
            VoiceFilter::Reported => "reported",
            VoiceFilter::All => "all",
        }
    }
}

/// The slant of a group on a lexicon's axis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Slant {
    /// `(A - B) / (A + B)` over weighted hits, A the positive pole; in [-1, 1].
    pub value: f64,
    /// 95% bootstrap interval.
    pub ci: (f64, f64),
    /// Axis hits it rests on.
    pub hits: usize,
}

/// The tally of one group for one lexicon.
#[derive(Debug, Clone, Serialize)]
pub struct Tally {
    /// Group name (outlet, document id, concept …).
    pub group: String,
    /// Lexicon name.
    pub lexicon: String,
    /// Documents in the group.
    pub documents: usize,
    /// Words in those documents.
    pub words: usize,
    /// Hits per pole and voice (negated hits excluded).
    pub poles: BTreeMap<String, ByVoice>,
    /// Negated hits, any pole.
    pub negated: usize,
    /// Slant in the chosen voices; `None` without axis hits or without an axis.
    pub slant: Option<Slant>,
    /// Slant over all voices, for comparison.
    pub slant_all: Option<f64>,
    /// Hits per concept, pole and matched term (own voice first in importance, all voices
    /// counted): concept → pole → term → count.
    pub wording: BTreeMap<String, BTreeMap<String, BTreeMap<String, usize>>>,
}

impl Tally {
    /// Rate per 1,000 words of `count`.
    pub fn rate(&self, count: usize) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            count as f64 * 1000.0 / self.words as f64
        }
    }
}

/// Groups documents by `key` (each document in at most one group; `None` leaves it out) and
/// tallies every lexicon for each group, in group-name order.
pub fn tally(
    corpus: &Corpus,
    scored: &Scored,
    matcher: &Matcher,
    voice: VoiceFilter,
    key: impl Fn(usize, &Document) -> Option<String>,
) -> Vec<Tally> {
    let mut t = Tallier::new(matcher, voice, Grouping::Key);
    t.add_corpus(corpus, scored, key);
    t.finish()
}

/// Tallies hits by concept (across the given documents), one group per concept.
pub fn tally_by_concept(
    corpus: &Corpus,
    scored: &Scored,
    matcher: &Matcher,
    voice: VoiceFilter,
) -> Vec<Tally> {
    let mut t = Tallier::new(matcher, voice, Grouping::Concept);
    t.add_corpus(corpus, scored, |_, _| Some(""));
    t.finish()
}

/// How a [`Tallier`] groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// By the key given with each document.
    Key,
    /// By the concept of each hit; every document counts towards the words of all.
    Concept,
}

/// Tallies documents as they come, keeping per group only the counts and the signed axis
/// weights the bootstrap needs: a corpus can be scored in batches without holding it.
/// Documents must be added in corpus order for the result to equal [`tally`]'s.
pub struct Tallier<'m> {
    matcher: &'m Matcher,
    voice: VoiceFilter,
    grouping: Grouping,
    /// For each lexicon, by index: group → running tally. Nested so that a group is found
    /// by a borrowed name: the tally runs serially, between batches.
    groups: Vec<BTreeMap<String, Running>>,
    /// Documents and words seen, for concept grouping.
    documents: usize,
    words: usize,
}

/// A group's tally in progress.
#[derive(Default)]
struct Running {
    documents: usize,
    words: usize,
    /// The last document counted, so that a document with several hits counts once.
    last_doc: Option<usize>,
    poles: BTreeMap<String, ByVoice>,
    negated: usize,
    wording: BTreeMap<String, BTreeMap<String, BTreeMap<String, usize>>>,
    signed: Vec<f64>,
    signed_all: Vec<f64>,
}

impl<'m> Tallier<'m> {
    /// An empty tally.
    pub fn new(matcher: &'m Matcher, voice: VoiceFilter, grouping: Grouping) -> Self {
        let mut groups: Vec<BTreeMap<String, Running>> =
            matcher.lexicons().iter().map(|_| BTreeMap::new()).collect();
        if grouping == Grouping::Concept {
            for (lex, groups) in matcher.lexicons().iter().zip(&mut groups) {
                for e in &lex.entries {
                    crate::slot(groups, &e.concept);
                }
            }
        }
        Tallier { matcher, voice, grouping, groups, documents: 0, words: 0 }
    }

    /// Adds every document of `corpus` that `key` gives a group, with its hits in `scored`;
    /// returns the number of hits added.
    pub fn add_corpus<'c, K: AsRef<str>>(
        &mut self,
        corpus: &'c Corpus,
        scored: &Scored,
        key: impl Fn(usize, &'c Document) -> Option<K>,
    ) -> usize {
        let mut added = 0;
        for (i, (d, hits)) in corpus.documents.iter().zip(&scored.hits).enumerate() {
            if let Some(k) = key(i, d) {
                self.add(k.as_ref(), d.words, hits);
                added += hits.len();
            }
        }
        added
    }

    /// Adds one document of `words` words with its hits, under `key` (ignored when grouping
    /// by concept).
    pub fn add(&mut self, key: &str, words: usize, hits: &[HitRecord]) {
        let doc = self.documents;
        self.documents += 1;
        self.words += words;
        match self.grouping {
            Grouping::Key => {
                for (li, groups) in self.groups.iter_mut().enumerate() {
                    let r = crate::slot(groups, key);
                    r.documents += 1;
                    r.words += words;
                    for h in hits.iter().filter(|h| h.lexicon == li) {
                        r.add(h, self.matcher, self.voice);
                    }
                }
            }
            Grouping::Concept => {
                for h in hits {
                    let lex = &self.matcher.lexicons()[h.lexicon];
                    let concept = &lex.entries[h.entry].concept;
                    if let Some(r) = self.groups[h.lexicon].get_mut(concept) {
                        if r.last_doc != Some(doc) {
                            r.last_doc = Some(doc);
                            r.documents += 1;
                        }
                        r.add(h, self.matcher, self.voice);
                    }
                }
            }
        }
    }

    /// The tallies, by lexicon, then group name.
    pub fn finish(self) -> Vec<Tally> {
        let all_words = self.words;
        let concept = self.grouping == Grouping::Concept;
        // Groups in parallel: each bootstraps its hits, which on a large corpus is seconds
        // of work. The order of the list is the map's.
        let groups: Vec<((usize, String), Running)> = (self.groups.into_iter().enumerate())
            .flat_map(|(li, groups)| groups.into_iter().map(move |(g, r)| ((li, g), r)))
            .collect();
        groups
            .into_par_iter()
            .map(|((li, group), mut r)| {
                if concept {
                    r.words = all_words;
                }
                r.finish(&group, &self.matcher.lexicons()[li])
            })
            .collect()
    }
}

impl Running {
    fn add(&mut self, h: &HitRecord, matcher: &Matcher, voice: VoiceFilter) {
        let lex = &matcher.lexicons()[h.lexicon];
        let e = &lex.entries[h.entry];
        if h.negated {
            self.negated += 1;
            return;
        }
        // Keys are cloned only when new: a tally adds every hit of the corpus.
        crate::slot(&mut self.poles, &e.pole).add(h.voice);
        let wording = crate::slot(&mut self.wording, &e.concept);
        let wording = crate::slot(wording, &e.pole);
        *crate::slot(wording, &crate::lowercase(&h.matched)) += 1;
        if let Some((neg, pos)) = &lex.axis {
            let sign = if e.pole == *pos {
                1.0
            } else if e.pole == *neg {
                -1.0
            } else {
                0.0
            };
            if sign != 0.0 {
                self.signed_all.push(sign * e.weight);
                if voice.admits(h.voice) {
                    self.signed.push(sign * e.weight);
                }
            }
        }
    }

    fn finish(mut self, group: &str, lex: &crate::lexicon::Lexicon) -> Tally {
        for p in &lex.poles {
            self.poles.entry(p.clone()).or_default();
        }
        let ratio = |xs: &[f64]| -> Option<f64> {
            let den: f64 = xs.iter().map(|x| x.abs()).sum();
            (den > 0.0).then(|| xs.iter().sum::<f64>() / den)
        };
        let seed = bootstrap::seed_for(&format!("{}/{group}", lex.name));
        let slant = match (ratio(&self.signed), bootstrap::slant_interval(&self.signed, seed)) {
            (Some(value), Some(ci)) => Some(Slant { value, ci, hits: self.signed.len() }),
            _ => None,
        };
        Tally {
            group: group.to_string(),
            lexicon: lex.name.clone(),
            documents: self.documents,
            words: self.words,
            poles: self.poles,
            negated: self.negated,
            slant,
            slant_all: ratio(&self.signed_all),
            wording: self.wording,
        }
    }
}

/// Tallies a set of hits of one lexicon.
pub fn tally_hits<'a>(
    group: &str,
    lexicon: &crate::lexicon::Lexicon,
    documents: usize,
    words: usize,
    hits: impl Iterator<Item = &'a HitRecord>,
    matcher: &Matcher,
    voice: VoiceFilter,
) -> Tally {
    let mut r = Running { documents, words, ..Running::default() };
    for h in hits {
        r.add(h, matcher, voice);
    }
    r.finish(group, lexicon)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{read_bytes, ReadOptions};
    use crate::lexicon::parse;

    #[test]
    fn slant_counts_own_voice_by_default() {
        let lex = parse("t.csv", "#poles: az,am,neutral\n#axis: am,az\nterm,concept,pole\nliberated,control,az\noccupied,control,az\nartsakh,place,am\n").0;
        let m = Matcher::new(vec![lex], Lang::english());
        let text = "outlet: Test Outlet\n---\nTroops liberated villages. Land occupied for years. \"Artsakh stands,\" he said.";
        let c = read_bytes("t.txt", text.as_bytes(), &ReadOptions::default());
        let s = hits(&c, &m, Lang::english(), |_| Vec::new(), Detail::Speakers);
        let t = tally(&c, &s, &m, VoiceFilter::Own, |_, d| Some(d.outlet.clone()));
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].poles["az"], ByVoice { own: 2, quoted: 0, reported: 0 });
        assert_eq!(t[0].poles["am"], ByVoice { own: 0, quoted: 1, reported: 0 });
        assert_eq!(t[0].slant.unwrap().value, 1.0);
        assert!((t[0].slant_all.unwrap() - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.hits[0][0].line, 3);
        let t = tally(&c, &s, &m, VoiceFilter::All, |_, d| Some(d.outlet.clone()));
        assert!((t[0].slant.unwrap().value - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn kinds_detail_keeps_every_hit_and_voice() {
        let m =
            Matcher::new(crate::lexicon::resolve(Vec::new()).expect("bundled"), Lang::english());
        let text = "outlet: Trend\n---\nAzerbaijani troops liberated Shusha, Trend reports. \
            According to the ministry, the occupied lands were liberated. \
            \"Artsakh will stand,\" he said. Pashinyan said that Karabakh was occupied.";
        let c = read_bytes("t.txt", text.as_bytes(), &ReadOptions::default());
        let names = |_: &Document| vec!["Trend".to_string()];
        let full = hits(&c, &m, Lang::english(), names, Detail::Speakers);
        let kinds = hits(&c, &m, Lang::english(), names, Detail::Kinds);
        assert!(full.hits[0].iter().any(|h| h.speaker.is_some()));
        assert!(VoiceKind::ALL.iter().all(|&k| full.hits[0].iter().any(|h| h.voice == k)));
        let strip = |h: &HitRecord| (h.start, h.end, h.lexicon, h.entry, h.voice, h.negated);
        assert_eq!(
            full.hits[0].iter().map(strip).collect::<Vec<_>>(),
            kinds.hits[0].iter().map(strip).collect::<Vec<_>>()
        );
        assert!(kinds.hits[0].iter().all(|h| h.speaker.is_none()));
    }
}
