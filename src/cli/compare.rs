//! `framelens compare`: the main job, outlets side by side.

use super::score::tally_report;
use super::Plan;
use anyhow::Result;
use framelens::report::{json::schema, Cell, Report, Table};
use framelens::score::{self, Tally, VoiceFilter};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// Compare outlets side by side: a headline summary, each outlet's pole counts in its own
/// voice and in quotes with its slant and interval, and the wording each outlet chose for
/// each concept. With no PATH, the bundled sample corpus.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, folders, CSV/JSONL corpora, or - for stdin [default: the bundled sample].
    paths: Vec<PathBuf>,
}

pub fn run(args: Args, plan: &Plan) -> Result<ExitCode> {
    let corpus = plan.corpus(&args.paths);
    plan.require_documents(&corpus)?;
    let scored = plan.score(&corpus);
    let voice = VoiceFilter::Own;
    let tallies = score::tally(&corpus, &scored, &plan.matcher, voice, |d| d.outlet.clone());
    let (mut outlets, long, rows) = tally_report(&tallies, "outlet", voice, &plan.matcher);
    outlets.title = "Outlets side by side (hits: own voice / quoted / reported)".into();
    let wording = wording_table(&tallies);
    let headline = headline(&tallies, corpus.documents.len());
    let json = json!({
        "schema": schema("compare"),
        "headline": headline,
        "outlets": rows,
        "wording": wording.rows.iter().map(|r| r.iter().map(Cell::plain).collect::<Vec<_>>()).collect::<Vec<_>>(),
    });
    plan.emit(&Report { headline, tables: vec![outlets, wording], csv: long, json })?;
    Ok(ExitCode::SUCCESS)
}

/// One sentence per outlet, most positive slant first.
fn headline(tallies: &[Tally], docs: usize) -> Vec<String> {
    let mut lines = vec![format!(
        "{docs} reports from {} outlets.",
        tallies.iter().map(|t| &t.group).collect::<std::collections::BTreeSet<_>>().len()
    )];
    let mut ranked: Vec<&Tally> = tallies.iter().collect();
    ranked.sort_by(|a, b| {
        let key = |t: &Tally| t.slant.map_or(f64::NEG_INFINITY, |s| s.value);
        key(b).total_cmp(&key(a)).then(a.group.cmp(&b.group))
    });
    for t in ranked {
        let line = match t.slant {
            Some(s) => format!(
                "{}: slant {:+.2} [{:+.2}, {:+.2}] from {} framing hits in its own voice.",
                t.group, s.value, s.ci.0, s.ci.1, s.hits
            ),
            None => format!("{}: no framing hits on the axis in its own voice.", t.group),
        };
        lines.push(line);
    }
    lines
}

/// Concept × outlet: the wording each outlet chose, "term ×n".
fn wording_table(tallies: &[Tally]) -> Table {
    let outlets: Vec<&str> = tallies.iter().map(|t| t.group.as_str()).collect();
    let mut cols = vec!["concept"];
    cols.extend(outlets.iter().copied());
    let mut table = Table::new("Wording by concept (all voices; pole in brackets)", &cols);
    let mut concepts: BTreeMap<&str, ()> = BTreeMap::new();
    for t in tallies {
        for c in t.wording.keys() {
            concepts.insert(c, ());
        }
    }
    for c in concepts.keys() {
        let mut row = vec![Cell::text(*c)];
        for t in tallies {
            let mut parts: Vec<String> = Vec::new();
            if let Some(poles) = t.wording.get(*c) {
                for (pole, terms) in poles {
                    for (term, n) in terms {
                        parts.push(if *n > 1 {
                            format!("{term} ×{n} [{pole}]")
                        } else {
                            format!("{term} [{pole}]")
                        });
                    }
                }
            }
            row.push(Cell::text(parts.join(", ")));
        }
        table.push(row);
    }
    table
}
