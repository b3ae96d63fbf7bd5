//! `framelens lexicon`: check, show and explain lexicons; measure their coverage of a corpus
//! (with keyness candidates); start a new one; import LIWC and quanteda dictionaries.

use super::{messages, GlobalArgs, Plan, UsageError};
use anyhow::{Context, Result};
use framelens::lexicon::import::{self, PoleMap};
use framelens::lexicon::{self, Lexicon, Problem, Severity};
use framelens::report::{json::schema, Cell, Report, Table};
use framelens::text::fold_words;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Validate lexicon files (every problem with file, line and column), list their entries,
/// explain a term, measure a corpus's coverage, start a new lexicon or import a dictionary.
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
    /// Hits per concept and pole, entries that never matched, and outlet-distinctive terms
    /// (keyness) that no lexicon lists yet, with example lines.
    Coverage(CoverageArgs),
    /// Write a starter lexicon CSV (directives and example rows) to -o FILE or stdout.
    New {
        /// The lexicon's #name.
        name: String,
        /// Poles, comma-separated; the axis runs from the second to the first.
        #[arg(long, value_delimiter = ',', default_value = "side_a,side_b,neutral")]
        poles: Vec<String>,
    },
    /// Convert a LIWC .dic or quanteda YAML dictionary to a lexicon CSV (-o FILE or stdout);
    /// what cannot be carried over is reported on stderr.
    Import {
        /// The dictionary file (.dic: LIWC; .yml/.yaml: YAML; else by content).
        file: PathBuf,
        /// Poles of categories, e.g. posemo=positive,negemo=negative [default: neutral].
        #[arg(long, value_name = "CONCEPT=POLE,...")]
        poles_map: Option<String>,
        /// The lexicon's #name [default: the file stem].
        #[arg(long)]
        name: Option<String>,
    },
}

pub fn run(args: Args, plan: &Plan, g: &GlobalArgs) -> Result<ExitCode> {
    match args.action {
        Action::Coverage(a) => coverage(a, plan),
        Action::New { name, poles } => {
            let text = import::starter(&name, &poles).map_err(UsageError)?;
            if let Some(p) = g.output.as_ref().filter(|p| p.exists()) {
                anyhow::bail!("{} exists; remove it or choose another file", p.display());
            }
            write_text(g, &text)?;
            Ok(ExitCode::SUCCESS)
        }
        Action::Import { file, poles_map, name } => {
            import_dictionary(&file, poles_map.as_deref(), name, plan, g)
        }
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
            // The entries the matcher would find for these words: "occupied" explains the
            // entry `occupy` (inflected) and `liberat*` explains "liberated".
            let words: Vec<&str> = want.iter().map(String::as_str).collect();
            let rep =
                entries_report(plan.matcher.lexicons(), |e| e.matches_words(&words, plan.lang));
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

/// Writes a lexicon's text to `-o FILE` or stdout.
fn write_text(g: &GlobalArgs, text: &str) -> Result<()> {
    match &g.output {
        Some(p) => {
            std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display()))?
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(())
}

fn import_dictionary(
    file: &std::path::Path,
    poles_map: Option<&str>,
    name: Option<String>,
    plan: &Plan,
    g: &GlobalArgs,
) -> Result<ExitCode> {
    let map = PoleMap::parse(poles_map.unwrap_or(""))
        .map_err(|e| UsageError(format!("--poles-map: {e}")))?;
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let text = framelens::corpus::decode(&bytes).with_context(|| file.display().to_string())?.text;
    let source = file.display().to_string();
    let format = import::Format::detect(&source, &text);
    let dict = import::read(format, &text);
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("imported");
    let name = name.unwrap_or_else(|| {
        stem.chars()
            .map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
            .collect()
    });
    let (csv, more) = import::to_csv(&name, &source, &dict, &map);
    // The converter only writes what the parser accepts; a problem here is a bug, not the
    // user's dictionary.
    let (lex, problems) = lexicon::parse(&format!("{name}.csv"), &csv);
    if let Some(p) = problems.first() {
        anyhow::bail!("internal error: the converted lexicon does not parse: {p}");
    }
    for issue in dict.issues.iter().chain(&more) {
        messages::warn(plan.verbosity, &format!("{source}: {issue}"));
    }
    if dict.terms.is_empty() {
        anyhow::bail!("{source}: no term could be imported from this {} dictionary", format.name());
    }
    write_text(g, &csv)?;
    if plan.verbosity != messages::Verbosity::Quiet {
        eprintln!(
            "imported {} terms in {} concepts from {source} ({}); {} issue(s) reported above",
            lex.entries.len(),
            concepts(&lex),
            format.name(),
            dict.issues.len() + more.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Options of `lexicon coverage`.
#[derive(Debug, clap::Args)]
pub struct CoverageArgs {
    /// Files, folders, CSV/JSONL corpora, or - for stdin [default: the bundled sample].
    paths: Vec<PathBuf>,
    /// Candidates need at least this keyness z (1.96 is the usual test threshold; the lower
    /// default suits a corpus of a few articles).
    #[arg(long, default_value_t = 1.0, value_name = "Z")]
    min_z: f64,
    /// Candidates per outlet (0: no limit).
    #[arg(long, default_value_t = 10, value_name = "N")]
    top: usize,
    /// Example lines per candidate.
    #[arg(long, default_value_t = 2, value_name = "N")]
    examples: usize,
    /// Candidates must be used at least K times by their outlet.
    #[arg(long, default_value_t = 2, value_name = "K")]
    min_count: u64,
    /// Which voices keyness counts.
    #[arg(long, value_enum, default_value_t = super::keyness::Voice::All)]
    voice: super::keyness::Voice,
}

fn coverage(args: CoverageArgs, plan: &Plan) -> Result<ExitCode> {
    use framelens::keyness::{self, coverage as cov};
    use framelens::score::VoiceFilter;
    let corpus = plan.corpus(&args.paths);
    plan.require_documents(&corpus)?;
    let scored = plan.score(&corpus, framelens::score::Detail::Speakers);
    let concepts = cov::coverage(&scored, &plan.matcher);
    let voice = VoiceFilter::from(args.voice);
    let tokens = super::keyness::count_by_outlet(&corpus, plan, voice);
    let opts = keyness::Options { alpha0: None, min_count: args.min_count };
    // Candidates have z > 0: only those rows are built.
    let rows = if tokens.documents.len() >= 2 {
        super::keyness::rank(&tokens, &opts, keyness::Rows::Top(0), plan)?.rows
    } else {
        Vec::new()
    };
    let cands = cov::candidates(&rows, &plan.matcher, plan.lang, args.min_z, args.top);

    let mut summary = Table::new(
        "Hits per concept and pole",
        &["lexicon", "concept", "pole", "entries", "matched", "hits", "own voice"],
    );
    let mut missing = Table::new(
        "Entries that never matched",
        &["lexicon", "concept", "pole", "unmatched", "terms"],
    );
    let mut long = Table::new(
        "",
        &[
            "kind",
            "lexicon",
            "concept",
            "pole",
            "term",
            "hits",
            "hits_own",
            "outlet",
            "z",
            "count",
            "count_rest",
            "doc",
            "line",
            "context",
        ],
    );
    let per_entry = cov::entry_hits(&scored, &plan.matcher);
    for (li, lex) in plan.matcher.lexicons().iter().enumerate() {
        for (ei, e) in lex.entries.iter().enumerate() {
            let h = per_entry[li][ei];
            let mut row = vec![Cell::text("entry"), Cell::text(&lex.name), Cell::text(&e.concept)];
            row.extend([
                Cell::text(&e.pole),
                Cell::text(&e.term),
                Cell::int(h.hits),
                Cell::int(h.own),
            ]);
            row.extend([
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
            ]);
            long.push(row);
        }
    }
    let mut lex_json: Vec<serde_json::Value> = Vec::new();
    for lex in plan.matcher.lexicons() {
        let mine: Vec<&cov::ConceptCoverage> =
            concepts.iter().filter(|c| c.lexicon == lex.name).collect();
        for c in &mine {
            summary.push(vec![
                Cell::text(&c.lexicon),
                Cell::text(&c.concept),
                Cell::text(&c.pole),
                Cell::int(c.entries),
                Cell::int(c.matched),
                Cell::int(c.hits),
                Cell::int(c.hits_own),
            ]);
            if !c.unmatched.is_empty() {
                missing.push(vec![
                    Cell::text(&c.lexicon),
                    Cell::text(&c.concept),
                    Cell::text(&c.pole),
                    Cell::int(c.unmatched.len()),
                    Cell::text(c.unmatched.join(", ")),
                ]);
            }
        }
        let sum = |f: fn(&cov::ConceptCoverage) -> usize| mine.iter().map(|c| f(c)).sum::<usize>();
        lex_json.push(json!({
            "lexicon": lex.name,
            "entries": sum(|c| c.entries),
            "matched": sum(|c| c.matched),
            "hits": sum(|c| c.hits),
            "hits_own": sum(|c| c.hits_own),
            "concepts": mine,
        }));
    }

    let mut evidence = Table::new(
        format!(
            "Candidates: outlet-distinctive terms no lexicon lists (keyness z >= {:.2})",
            args.min_z
        ),
        &["outlet", "term", "z", "count", "rest", "doc", "line", "voice", "context"],
    );
    let mut cand_json = Vec::new();
    for r in &cands {
        let examples = examples_of(&corpus, &r.group, &r.term, args.examples, plan)?;
        let mut ex_json = Vec::new();
        let head = [
            Cell::text(&r.group),
            Cell::text(&r.term),
            Cell::Float(r.z, 2),
            Cell::int(r.count as usize),
            Cell::int(r.count_rest as usize),
        ];
        let none = (String::new(), 0, String::new(), Cell::text(""));
        for (doc, line, voice, ctx) in
            examples.iter().cloned().chain(examples.is_empty().then_some(none))
        {
            let mut row = head.to_vec();
            row.extend([
                Cell::text(&doc),
                Cell::int(line as usize),
                Cell::text(&voice),
                ctx.clone(),
            ]);
            evidence.push(row);
            long.push(vec![
                Cell::text("candidate"),
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::text(&r.term),
                Cell::Null,
                Cell::Null,
                Cell::text(&r.group),
                Cell::Float(super::score::round(r.z), 4),
                Cell::int(r.count as usize),
                Cell::int(r.count_rest as usize),
                Cell::text(&doc),
                if doc.is_empty() { Cell::Null } else { Cell::int(line as usize) },
                Cell::text(ctx.plain()),
            ]);
            if !doc.is_empty() {
                ex_json.push(
                    json!({ "doc": doc, "line": line, "voice": voice, "context": ctx.plain() }),
                );
            }
        }
        cand_json.push(json!({
            "outlet": r.group, "term": r.term, "words": r.words, "z": super::score::round(r.z),
            "count": r.count, "count_rest": r.count_rest, "examples": ex_json,
        }));
    }

    let mut headline: Vec<String> = lex_json
        .iter()
        .map(|l| {
            format!(
                "{}: {} of {} entries matched, {} hits ({} in the outlets' own voice).",
                l["lexicon"].as_str().unwrap_or(""),
                l["matched"],
                l["entries"],
                l["hits"],
                l["hits_own"]
            )
        })
        .collect();
    headline.push(if tokens.documents.len() < 2 {
        "No candidates: keyness needs documents from at least two outlets.".to_string()
    } else {
        format!(
            "{} candidate(s): terms with keyness z >= {:.2}, used at least {} times by an outlet, \
             that no lexicon lists or contains. Examples are evidence to read, not verdicts.",
            cands.len(),
            args.min_z,
            args.min_count
        )
    });
    let json = json!({
        "schema": schema("lexicon-coverage"),
        "voice": voice.name(),
        "min_z": args.min_z,
        "min_count": args.min_count,
        "lexicons": lex_json,
        "candidates": cand_json,
    });
    let mut tables = vec![summary];
    if !missing.rows.is_empty() {
        tables.push(missing);
    }
    tables.push(evidence);
    plan.emit(&Report { headline, tables, csv: long, json })?;
    Ok(ExitCode::SUCCESS)
}

/// Up to `n` lines of `outlet`'s documents where `term` occurs: (doc, line, voice, the
/// sentence with the term marked), found by a one-term matcher as `kwic` builds it.
fn examples_of(
    corpus: &framelens::corpus::Corpus,
    outlet: &str,
    term: &str,
    n: usize,
    plan: &Plan,
) -> Result<Vec<(String, u32, String, Cell)>> {
    let matcher = super::kwic::pattern_matcher(term, plan)?;
    let mut out = Vec::new();
    for (di, d) in corpus.documents.iter().enumerate().filter(|(_, d)| d.outlet == outlet) {
        if out.len() >= n {
            break;
        }
        for h in framelens::score::doc_hits(
            di,
            d,
            &matcher,
            plan.lang,
            &plan.self_names(d),
            framelens::score::Detail::Speakers,
        ) {
            if out.len() >= n {
                break;
            }
            let (s, e) = h.sentence_span;
            let ctx = Cell::Marked(d.text[s..e].to_string(), vec![(h.start - s, h.end - s)]);
            out.push((d.id.clone(), h.line, h.voice.name().to_string(), ctx));
        }
    }
    Ok(out)
}
