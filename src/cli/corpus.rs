//! `framelens corpus`: what was read.

use super::Plan;
use anyhow::Result;
use framelens::corpus::Corpus;
use framelens::report::{json::schema, Cell, Report, Table};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

/// List what was read: each document's id, path, outlet, date, title, word count and removed
/// lines, then every skipped input with its reason. `--format json` adds each document's
/// cleaned text and removed lines, so you can see exactly what is counted.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, folders (read recursively), CSV/JSONL corpora, or - for stdin [default: the bundled sample].
    paths: Vec<PathBuf>,
}

pub fn run(args: Args, plan: &Plan) -> Result<ExitCode> {
    let corpus = plan.corpus(&args.paths);
    plan.emit(&report(&corpus))?;
    Ok(ExitCode::SUCCESS)
}

fn report(c: &Corpus) -> Report {
    let mut docs =
        Table::new("Documents", &["id", "path", "outlet", "date", "title", "words", "removed"]);
    let mut long = Table::new(
        "",
        &[
            "status", "id", "path", "outlet", "date", "title", "words", "removed", "encoding",
            "reason",
        ],
    );
    for d in &c.documents {
        let date = d.date.map(|x| x.to_string()).unwrap_or_default();
        let title = d.title.clone().unwrap_or_default();
        docs.push(vec![
            Cell::text(&d.id),
            Cell::text(&d.path),
            Cell::text(&d.outlet),
            Cell::text(&date),
            Cell::text(&title),
            Cell::int(d.words),
            Cell::int(d.removed.len()),
        ]);
        long.push(vec![
            Cell::text("read"),
            Cell::text(&d.id),
            Cell::text(&d.path),
            Cell::text(&d.outlet),
            Cell::text(date),
            Cell::text(title),
            Cell::int(d.words),
            Cell::int(d.removed.len()),
            Cell::text(d.meta.get("encoding").cloned().unwrap_or_default()),
            Cell::text(""),
        ]);
    }
    let mut tables = vec![docs];
    if !c.skipped.is_empty() {
        let mut sk = Table::new("Skipped inputs", &["input", "reason"]);
        for s in &c.skipped {
            sk.push(vec![Cell::text(&s.input), Cell::text(&s.reason)]);
            let mut row = vec![Cell::text("skipped"), Cell::text(""), Cell::text(&s.input)];
            row.extend((0..6).map(|_| Cell::text("")));
            row.push(Cell::text(&s.reason));
            long.push(row);
        }
        tables.push(sk);
    }
    let words: usize = c.documents.iter().map(|d| d.words).sum();
    let headline = vec![format!(
        "{} documents ({} words) from {} outlets; {} inputs skipped.",
        c.documents.len(),
        words,
        {
            let mut o: Vec<&str> = c.documents.iter().map(|d| d.outlet.as_str()).collect();
            o.sort_unstable();
            o.dedup();
            o.len()
        },
        c.skipped.len()
    )];
    let json = json!({
        "schema": schema("corpus"),
        "documents": c.documents,
        "skipped": c.skipped,
        "warnings": c.warnings,
    });
    Report { headline, tables, csv: long, json }
}
