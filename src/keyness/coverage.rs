//! Lexicon coverage: how much of a lexicon a corpus uses, and which distinctive terms of the
//! corpus no lexicon lists yet. Consumes scored hits ([`crate::score::Scored`]) with their
//! matcher, and keyness rows; produces per-(concept, pole) [`ConceptCoverage`] and the
//! candidate rows. It does not find evidence lines (the caller runs a one-term matcher for
//! that) and does not decide whether a candidate frames anything: that is for a curator.

use super::{covered, Keyness};
use crate::lexicon::Matcher;
use crate::score::Scored;
use crate::text::{Lang, VoiceKind};
use serde::Serialize;
use std::collections::BTreeMap;

/// Hits of one lexicon entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct EntryHits {
    /// Every hit, any voice, negated ones included.
    pub hits: usize,
    /// Hits in the outlet's own voice.
    pub own: usize,
}

/// Coverage of one concept and pole of a lexicon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConceptCoverage {
    /// Lexicon name.
    pub lexicon: String,
    /// Concept.
    pub concept: String,
    /// Pole.
    pub pole: String,
    /// Entries of this concept and pole.
    pub entries: usize,
    /// Entries with at least one hit.
    pub matched: usize,
    /// Hits, any voice.
    pub hits: usize,
    /// Hits in the own voice.
    pub hits_own: usize,
    /// Terms of the entries that never matched, in file order (a term with several context
    /// rows appears once).
    pub unmatched: Vec<String>,
}

/// Hits per entry: `result[lexicon][entry]`.
pub fn entry_hits(scored: &Scored, matcher: &Matcher) -> Vec<Vec<EntryHits>> {
    let mut out: Vec<Vec<EntryHits>> =
        matcher.lexicons().iter().map(|l| vec![EntryHits::default(); l.entries.len()]).collect();
    for h in scored.hits.iter().flatten() {
        let e = &mut out[h.lexicon][h.entry];
        e.hits += 1;
        if h.voice == VoiceKind::Own {
            e.own += 1;
        }
    }
    out
}

/// Coverage per lexicon, concept and pole, in lexicon order, then concept and pole order.
pub fn coverage(scored: &Scored, matcher: &Matcher) -> Vec<ConceptCoverage> {
    let per_entry = entry_hits(scored, matcher);
    let mut out = Vec::new();
    for (li, lex) in matcher.lexicons().iter().enumerate() {
        let mut by: BTreeMap<(&str, &str), ConceptCoverage> = BTreeMap::new();
        for (ei, e) in lex.entries.iter().enumerate() {
            let c = by.entry((e.concept.as_str(), e.pole.as_str())).or_insert_with(|| {
                ConceptCoverage {
                    lexicon: lex.name.clone(),
                    concept: e.concept.clone(),
                    pole: e.pole.clone(),
                    entries: 0,
                    matched: 0,
                    hits: 0,
                    hits_own: 0,
                    unmatched: Vec::new(),
                }
            });
            let h = per_entry[li][ei];
            c.entries += 1;
            c.hits += h.hits;
            c.hits_own += h.own;
            if h.hits > 0 {
                c.matched += 1;
            } else if !c.unmatched.contains(&e.term) {
                c.unmatched.push(e.term.clone());
            }
        }
        out.extend(by.into_values());
    }
    out
}

/// Lexicon candidates among keyness rows: rows with `z >= min_z` whose term no lexicon
/// lists or contains ([`covered`]), at most `top` per group (0: no limit), in row order.
pub fn candidates<'a>(
    rows: &'a [Keyness],
    matcher: &Matcher,
    lang: &Lang,
    min_z: f64,
    top: usize,
) -> Vec<&'a Keyness> {
    let mut taken: BTreeMap<&str, usize> = BTreeMap::new();
    rows.iter()
        .filter(|r| r.z >= min_z && r.z > 0.0)
        .filter(|r| {
            let n = taken.get(r.group.as_str()).copied().unwrap_or(0);
            if top > 0 && n >= top {
                return false;
            }
            if covered(&r.term, matcher.lexicons(), lang) {
                return false;
            }
            taken.insert(r.group.as_str(), n + 1);
            true
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{read_bytes, ReadOptions};
    use crate::lexicon::parse;
    use crate::score::hits;

    #[test]
    fn counts_per_concept_and_candidates() {
        let lex = parse(
            "t.csv",
            "#name: t\n#poles: a,b,neutral\nterm,concept,pole\nliberate,control,a\noccupied,control,b\nblockade,siege,b\n",
        )
        .0;
        let m = Matcher::new(vec![lex], Lang::english());
        let text = "outlet: X\n---\nTroops liberated villages. \"It was liberated,\" he said.";
        let c = read_bytes("t.txt", text.as_bytes(), &ReadOptions::default());
        let s = hits(&c, &m, Lang::english(), |_| Vec::new(), crate::score::Detail::Speakers);
        let cov = coverage(&s, &m);
        type Row<'a> = (&'a str, &'a str, usize, usize, usize, Vec<&'a str>);
        let got: Vec<Row> = cov
            .iter()
            .map(|c| {
                (
                    c.concept.as_str(),
                    c.pole.as_str(),
                    c.matched,
                    c.hits,
                    c.hits_own,
                    c.unmatched.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("control", "a", 1, 2, 1, vec![]),
                ("control", "b", 0, 0, 0, vec!["occupied"]),
                ("siege", "b", 0, 0, 0, vec!["blockade"]),
            ]
        );
        let row = |g: &str, t: &str, z: f64| Keyness {
            group: g.into(),
            term: t.into(),
            words: t.split(' ').count(),
            z,
            delta: 0.0,
            count: 2,
            count_rest: 0,
            prior: 1.0,
        };
        let rows = vec![
            row("X", "liberated villages", 3.0),
            row("X", "villages", 2.5),
            row("X", "troops", 2.0),
            row("X", "talks", 0.5),
            row("Y", "siege", 2.0),
        ];
        let got: Vec<&str> = candidates(&rows, &m, Lang::english(), 1.0, 1)
            .iter()
            .map(|r| r.term.as_str())
            .collect();
        assert_eq!(got, vec!["villages", "siege"]);
    }
}
