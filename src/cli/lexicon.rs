//! `framelens lexicon`: check, show and explain lexicons.

use super::{GlobalArgs, Plan, UsageError};
use anyhow::Result;
use framelens::lexicon::{self, Lexicon, Problem, Severity};
use framelens::report::{json::schema, Cell, Report, Table};
use framelens::text::fold_words;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

/// Validate lexicon files (every problem with file, line and column), list their entries, or
/// explain a term: its concept, pole, note and neutral alternative.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Validate lexicon files [default: the lexicons in use].
    Check { files: Vec<PathBuf> },
    /// List the entries of lexicon files [default: the lexicons in use].
    Show { files: Vec<PathBuf> },
    /// Show the entries for TERM and why each is classed as it is.
    Explain { term: String },
}

pub fn run(args: Args, plan: &Plan, _g: &GlobalArgs) -> Result<ExitCode> {
    match args.action {
        Action::Check { files } => check(&files, plan),
        Action::Show { files } => {
            let lexicons = if files.is_empty() {
                plan.matcher.lexicons().to_vec()
            } else {
                parse_files(&files)?.0
            };
            plan.emit(&entries_report(&lexicons, |_| true))?;
            Ok(ExitCode::SUCCESS)
        }
        Action::Explain { term } => {
            let want = fold_words(term.trim_end_matches('*'));
            if want.is_empty() {
                return Err(UsageError(format!("TERM {term:?} has no letters or digits")).into());
            }
            let rep = entries_report(plan.matcher.lexicons(), |e| e.words == want);
            if rep.tables[0].rows.is_empty() {
                anyhow::bail!(
                    "no lexicon entry for {term:?}; `framelens lexicon show` lists them all"
                );
            }
            plan.emit(&rep)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn parse_files(files: &[PathBuf]) -> Result<(Vec<Lexicon>, Vec<Problem>)> {
    let mut lexicons = Vec::new();
    let mut problems = Vec::new();
    for f in files {
        let name = f.display().to_string();
        let bytes = match std::fs::read(f) {
            Ok(b) => b,
            Err(e) => {
                problems.push(Problem {
                    file: name,
                    line: 0,
                    column: None,
                    field: None,
                    severity: Severity::Error,
                    message: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        let text = framelens::corpus::decode(&bytes).map(|d| d.text).unwrap_or_default();
        let (lex, p) = lexicon::parse(&name, &text);
        lexicons.push(lex);
        problems.extend(p);
    }
    Ok((lexicons, problems))
}

fn check(files: &[PathBuf], plan: &Plan) -> Result<ExitCode> {
    let (lexicons, problems) = if files.is_empty() {
        (plan.matcher.lexicons().to_vec(), Vec::new())
    } else {
        parse_files(files)?
    };
    let mut table = Table::new("", &["file", "line", "column", "field", "severity", "message"]);
    for p in &problems {
        table.push(vec![
            Cell::text(&p.file),
            Cell::int(p.line as usize),
            p.column.map_or(Cell::Null, Cell::int),
            Cell::text(p.field.clone().unwrap_or_default()),
            Cell::text(if p.severity == Severity::Error { "error" } else { "warning" }),
            Cell::text(&p.message),
        ]);
    }
    let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
    let mut headline: Vec<String> = lexicons
        .iter()
        .map(|l| {
            format!(
                "{} ({}): {} terms, {} concepts, poles {}",
                l.name,
                l.source,
                l.entries.len(),
                concepts(l),
                l.poles.join("/")
            )
        })
        .collect();
    headline.push(format!("{errors} error(s), {} warning(s)", problems.len() - errors));
    let json = json!({ "schema": schema("lexicon-check"), "errors": errors, "problems": problems });
    let tables = if problems.is_empty() { Vec::new() } else { vec![table.clone()] };
    plan.emit(&Report { headline, tables, csv: table, json })?;
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn concepts(l: &Lexicon) -> usize {
    let mut c: Vec<&str> = l.entries.iter().map(|e| e.concept.as_str()).collect();
    c.sort_unstable();
    c.dedup();
    c.len()
}

fn entries_report(lexicons: &[Lexicon], keep: impl Fn(&lexicon::Entry) -> bool) -> Report {
    let mut table = Table::new(
        "",
        &[
            "lexicon", "line", "term", "concept", "pole", "weight", "near", "not_near", "neutral",
            "note",
        ],
    );
    let mut rows = Vec::new();
    for l in lexicons {
        for e in l.entries.iter().filter(|e| keep(e)) {
            let cues = |c: &[lexicon::Cue]| {
                c.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(";")
            };
            table.push(vec![
                Cell::text(&l.name),
                Cell::int(e.line as usize),
                Cell::text(&e.term),
                Cell::text(&e.concept),
                Cell::text(&e.pole),
                Cell::Float(e.weight, 1),
                Cell::text(cues(&e.near)),
                Cell::text(cues(&e.not_near)),
                Cell::text(&e.neutral),
                Cell::text(&e.note),
            ]);
            let mut v = json!(e);
            v["lexicon"] = json!(l.name);
            rows.push(v);
        }
    }
    Report {
        headline: Vec::new(),
        tables: vec![table.clone()],
        csv: table,
        json: json!({ "schema": schema("lexicon"), "entries": rows }),
    }
}
