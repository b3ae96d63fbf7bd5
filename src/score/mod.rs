//! Stage 4, score: runs the text analysis and the matcher over a corpus and tallies the hits
//! by document, outlet, concept (or any grouping the caller gives), per pole and voice, with
//! rates per 1,000 words and the slant index `(A - B) / (A + B)` on each lexicon's axis,
//! with a 95% bootstrap interval from a fixed seed. Every figure can be traced back to its
//! [`HitRecord`]s (document, line, sentence). It does not render anything.

pub mod bootstrap;

use crate::corpus::{Corpus, Document};
use crate::lexicon::Matcher;
use crate::text::{analyse, Lang, VoiceKind};
use rayon::prelude::*;
use serde::Serialize;
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

/// Analyses every document and collects its hits. Documents are processed in parallel;
/// the result is in corpus order.
pub fn hits(
    corpus: &Corpus,
    matcher: &Matcher,
    lang: &Lang,
    self_names: impl Fn(&Document) -> Vec<String> + Sync,
) -> Scored {
    let hits = corpus
        .documents
        .par_iter()
        .enumerate()
        .map(|(di, d)| doc_hits(di, d, matcher, lang, &self_names(d)))
        .collect();
    Scored { hits }
}

/// Hits of one document.
pub fn doc_hits(
    di: usize,
    d: &Document,
    matcher: &Matcher,
    lang: &Lang,
    self_names: &[String],
) -> Vec<HitRecord> {
    let a = analyse(&d.text, lang, self_names);
    let newlines: Vec<usize> = d.text.match_indices('\n').map(|(i, _)| i).collect();
    let line_of = |offset: usize| {
        d.lines.get(newlines.partition_point(|&p| p < offset)).copied().unwrap_or(0)
    };
    matcher
        .hits(&a)
        .into_iter()
        .map(|h| {
            let s = &a.seg.sentences[h.sentence];
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
                speaker: h.voice.speaker.map(|i| a.speakers[i as usize].clone()),
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
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, d) in corpus.documents.iter().enumerate() {
        if let Some(k) = key(i, d) {
            groups.entry(k).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for (li, lex) in matcher.lexicons().iter().enumerate() {
        for (name, docs) in &groups {
            let hits = docs.iter().flat_map(|&d| scored.hits[d].iter()).filter(|h| h.lexicon == li);
            let words = docs.iter().map(|&d| corpus.documents[d].words).sum();
            out.push(tally_hits(name, lex.name.as_str(), docs.len(), words, hits, matcher, voice));
        }
    }
    out
}

/// Tallies hits by concept (across the given documents), one group per concept.
pub fn tally_by_concept(
    corpus: &Corpus,
    scored: &Scored,
    matcher: &Matcher,
    voice: VoiceFilter,
) -> Vec<Tally> {
    let mut out = Vec::new();
    let words = corpus.documents.iter().map(|d| d.words).sum();
    for (li, lex) in matcher.lexicons().iter().enumerate() {
        let mut concepts: Vec<&str> = lex.entries.iter().map(|e| e.concept.as_str()).collect();
        concepts.sort_unstable();
        concepts.dedup();
        for c in concepts {
            let hits = scored
                .hits
                .iter()
                .flatten()
                .filter(|h| h.lexicon == li && lex.entries[h.entry].concept == c);
            let mut t =
                tally_hits(c, &lex.name, corpus.documents.len(), words, hits, matcher, voice);
            t.documents = {
                let mut ds: Vec<usize> = scored
                    .hits
                    .iter()
                    .flatten()
                    .filter(|h| h.lexicon == li && lex.entries[h.entry].concept == c)
                    .map(|h| h.doc)
                    .collect();
                ds.dedup();
                ds.len()
            };
            out.push(t);
        }
    }
    out
}

/// Tallies a set of hits of one lexicon.
pub fn tally_hits<'a>(
    group: &str,
    lexicon: &str,
    documents: usize,
    words: usize,
    hits: impl Iterator<Item = &'a HitRecord>,
    matcher: &Matcher,
    voice: VoiceFilter,
) -> Tally {
    let mut t = Tally {
        group: group.to_string(),
        lexicon: lexicon.to_string(),
        documents,
        words,
        poles: BTreeMap::new(),
        negated: 0,
        slant: None,
        slant_all: None,
        wording: BTreeMap::new(),
    };
    let mut axis = None;
    let mut signed: Vec<f64> = Vec::new();
    let mut signed_all: Vec<f64> = Vec::new();
    for h in hits {
        let lex = &matcher.lexicons()[h.lexicon];
        axis = axis.or(lex.axis.clone());
        for p in &lex.poles {
            t.poles.entry(p.clone()).or_default();
        }
        let e = &lex.entries[h.entry];
        if h.negated {
            t.negated += 1;
            continue;
        }
        t.poles.entry(e.pole.clone()).or_default().add(h.voice);
        *t.wording
            .entry(e.concept.clone())
            .or_default()
            .entry(e.pole.clone())
            .or_default()
            .entry(h.matched.to_lowercase())
            .or_default() += 1;
        if let Some((neg, pos)) = &lex.axis {
            let sign = if e.pole == *pos {
                1.0
            } else if e.pole == *neg {
                -1.0
            } else {
                0.0
            };
            if sign != 0.0 {
                signed_all.push(sign * e.weight);
                if voice.admits(h.voice) {
                    signed.push(sign * e.weight);
                }
            }
        }
    }
    if let Some(lex) = matcher.lexicons().iter().find(|l| l.name == lexicon) {
        for p in &lex.poles {
            t.poles.entry(p.clone()).or_default();
        }
    }
    let ratio = |xs: &[f64]| -> Option<f64> {
        let den: f64 = xs.iter().map(|x| x.abs()).sum();
        (den > 0.0).then(|| xs.iter().sum::<f64>() / den)
    };
    if let (Some(value), Some(ci)) = (
        ratio(&signed),
        bootstrap::slant_interval(&signed, bootstrap::seed_for(&format!("{lexicon}/{group}"))),
    ) {
        t.slant = Some(Slant { value, ci, hits: signed.len() });
    }
    t.slant_all = ratio(&signed_all);
    t
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
        let s = hits(&c, &m, Lang::english(), |_| Vec::new());
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
}
