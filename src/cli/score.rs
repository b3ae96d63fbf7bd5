//! `framelens score`: framing hits, rates and slant by document, outlet or concept.

use super::Plan;
use anyhow::Result;
use framelens::lexicon::Matcher;
use framelens::report::{json::schema, Cell, Report, Table};
use framelens::score::{self, Detail, Grouping, Tallier, Tally, VoiceFilter};
use framelens::text::VoiceKind;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::ExitCode;

/// Count lexicon hits per pole and voice, with rates per 1,000 words and the slant index
/// (A - B) / (A + B) on each lexicon's axis with a 95% bootstrap interval (fixed seed).
/// The headline slant counts the outlet's own voice; per-voice counts are always shown.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, folders, CSV/JSONL corpora, or - for stdin [default: the bundled sample].
    paths: Vec<PathBuf>,
    /// Group results by document, outlet, concept, or outlet within story.
    #[arg(long, value_enum, default_value_t = By::Outlet)]
    by: By,
    /// Which voices the slant counts.
    #[arg(long, value_enum, default_value_t = VoiceArg::Own)]
    voice: VoiceArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    Doc,
    Outlet,
    Concept,
    /// Each outlet within each story (stories from `align`).
    Story,
}

/// Voices counted by the slant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum VoiceArg {
    /// The outlet's own words.
    Own,
    /// Direct quotations.
    Quoted,
    /// Reported speech.
    Reported,
    /// All of them.
    All,
}

impl From<VoiceArg> for VoiceFilter {
    fn from(v: VoiceArg) -> Self {
        match v {
            VoiceArg::Own => VoiceFilter::Own,
            VoiceArg::Quoted => VoiceFilter::Quoted,
            VoiceArg::Reported => VoiceFilter::Reported,
            VoiceArg::All => VoiceFilter::All,
        }
    }
}

pub fn run(args: Args, plan: &Plan) -> Result<ExitCode> {
    let voice = VoiceFilter::from(args.voice);
    let (key, tallies) = match args.by {
        By::Story => {
            let corpus = plan.corpus(&args.paths);
            plan.require_documents(&corpus)?;
            // Tallies need voice kinds, not speakers.
            let scored = plan.score(&corpus, Detail::Kinds);
            let stories = framelens::align::stories(
                &corpus,
                plan.lang,
                &super::align::story_options(None, None),
            );
            let mut story_of = vec![0; corpus.documents.len()];
            for s in &stories {
                for &d in &s.docs {
                    story_of[d] = s.id;
                }
            }
            // Zero-padded so that story 10 sorts after story 9.
            (
                "story",
                score::tally(&corpus, &scored, &plan.matcher, voice, |i, d| {
                    Some(format!("{:04} {}", story_of[i], d.outlet))
                }),
            )
        }
        // The other groupings need no view of the whole corpus: read and tally in batches.
        by => {
            let grouping = if by == By::Concept { Grouping::Concept } else { Grouping::Key };
            let mut tallier = Tallier::new(&plan.matcher, voice, grouping);
            let (mut docs, mut hits) = (0, 0);
            plan.stream(&args.paths, |batch| {
                let names = |d: &_| plan.self_names(d);
                let scored = score::hits(batch, &plan.matcher, plan.lang, names, Detail::Kinds);
                hits += tallier.add_corpus(batch, &scored, |_, d| {
                    Some(if by == By::Doc { &d.id } else { &d.outlet })
                });
                docs += batch.documents.len();
            })?;
            plan.score_stage(hits, docs);
            let key = match by {
                By::Doc => "doc",
                By::Concept => "concept",
                _ => "outlet",
            };
            (key, tallier.finish())
        }
    };
    let (table, long, rows) = tally_report(&tallies, key, voice, &plan.matcher);
    let json = json!({ "schema": schema("score"), "by": key, "voice": voice.name(), "rows": rows });
    plan.emit(&Report { headline: Vec::new(), tables: vec![table], csv: long, json })?;
    Ok(ExitCode::SUCCESS)
}

fn fmt_slant(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), |v| format!("{v:+.2}"))
}

/// The tallies as a table for people, a tidy long table (one row per group × pole × voice)
/// and JSON rows.
pub fn tally_report(
    tallies: &[Tally],
    key: &str,
    voice: VoiceFilter,
    matcher: &Matcher,
) -> (Table, Table, Vec<Value>) {
    let multi = matcher.lexicons().len() > 1;
    let poles: Vec<String> =
        matcher.lexicons().iter().flat_map(|l| l.poles.clone()).fold(Vec::new(), |mut v, p| {
            if !v.contains(&p) {
                v.push(p);
            }
            v
        });
    let axis = matcher.lexicons().first().and_then(|l| l.axis.clone());
    let mut cols: Vec<String> = Vec::new();
    if multi {
        cols.push("lexicon".into());
    }
    cols.extend([key.to_string(), "docs".into(), "words".into()]);
    cols.extend(poles.iter().map(|p| format!("{p} own/quo/rep")));
    cols.extend([format!("slant {}", voice.name()), "95% CI".into(), "slant all".into()]);
    let mut table =
        Table { title: String::new(), columns: cols, rows: Vec::new(), notes: Vec::new() };
    if let Some((neg, pos)) = &axis {
        table.notes.push(format!("slant runs from -1 ({neg}) to +1 ({pos}); — means no hits on the axis; n is the number of axis hits behind it (under 10: too few to generalise). Negated hits are left out."));
    }
    let mut long = Table::new(
        "",
        &[
            "lexicon",
            key,
            "pole",
            "voice",
            "hits",
            "per_1000_words",
            "documents",
            "words",
            "slant",
            "slant_low",
            "slant_high",
        ],
    );
    let mut rows = Vec::new();
    for t in tallies {
        let mut row = Vec::new();
        if multi {
            row.push(Cell::text(&t.lexicon));
        }
        row.extend([Cell::text(&t.group), Cell::int(t.documents), Cell::int(t.words)]);
        for p in &poles {
            let c = t.poles.get(p).copied().unwrap_or_default();
            row.push(Cell::text(format!("{}/{}/{}", c.own, c.quoted, c.reported)));
        }
        let s = t.slant;
        row.push(Cell::text(fmt_slant(s.map(|s| s.value))));
        row.push(Cell::text(s.map_or_else(String::new, |s| {
            format!("[{:+.2}, {:+.2}] n={}", s.ci.0, s.ci.1, s.hits)
        })));
        row.push(Cell::text(fmt_slant(t.slant_all)));
        table.push(row);
        for (p, c) in &t.poles {
            for v in VoiceKind::ALL {
                let n = c.get(v);
                long.push(vec![
                    Cell::text(&t.lexicon),
                    Cell::text(&t.group),
                    Cell::text(p),
                    Cell::text(v.name()),
                    Cell::int(n),
                    Cell::Float(t.rate(n), 3),
                    Cell::int(t.documents),
                    Cell::int(t.words),
                    Cell::float(s.map(|s| s.value), 4),
                    Cell::float(s.map(|s| s.ci.0), 4),
                    Cell::float(s.map(|s| s.ci.1), 4),
                ]);
            }
        }
        let rates: serde_json::Map<String, Value> =
            t.poles.iter().map(|(p, c)| (p.clone(), json!(round(t.rate(c.total()))))).collect();
        let mut obj = json!({
            "lexicon": t.lexicon,
            "documents": t.documents,
            "words": t.words,
            "slant": s.map(|s| round(s.value)),
            "slant_ci": s.map(|s| [round(s.ci.0), round(s.ci.1)]),
            "slant_hits": s.map_or(0, |s| s.hits),
            "slant_voice": voice.name(),
            "slant_all": t.slant_all.map(round),
            "poles": t.poles,
            "per_1000_words": rates,
            "negated": t.negated,
            "wording": t.wording,
        });
        obj[key] = json!(t.group);
        rows.push(obj);
    }
    (table, long, rows)
}

/// Rounds to 4 decimals so JSON output does not depend on the last bits of float sums.
pub fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
