//! `framelens align`: stories and passages across outlets.

use super::Plan;
use anyhow::Result;
use framelens::align::{self, PassageGroup, PassageOptions, Story, StoryOptions};
use framelens::corpus::{Corpus, Document};
use framelens::report::{json::schema, Cell, Format, Report, Table};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

/// Group reports that cover the same story (TF-IDF cosine, shared names, quotes, numbers and
/// dates; candidates from an inverted index, blocked by date), or pair passages from different
/// outlets that state the same fact. Each pair shows its similarity and the evidence.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, folders, CSV/JSONL corpora, or - for stdin [default: the bundled sample].
    paths: Vec<PathBuf>,
    /// Align whole reports into stories, or passages within and across them.
    #[arg(long, value_enum, default_value_t = Level::Story)]
    level: Level,
    /// Minimum pair similarity for two reports to share a story.
    #[arg(long, value_name = "X")]
    threshold: Option<f64>,
    /// Reports further apart than this many days never share a story (unless near-identical).
    #[arg(long, value_name = "DAYS")]
    max_days: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Level {
    Story,
    Passage,
}

/// Story options from the flags, defaults otherwise.
pub fn story_options(threshold: Option<f64>, max_days: Option<i64>) -> StoryOptions {
    let mut o = StoryOptions::default();
    if let Some(t) = threshold {
        o.threshold = t;
    }
    if let Some(d) = max_days {
        o.max_days = d;
    }
    o
}

pub fn run(args: Args, plan: &Plan) -> Result<ExitCode> {
    let opts = story_options(args.threshold, args.max_days);
    let (corpus, stories) = match args.level {
        // Stories need compact per-document features only: read in batches and keep each
        // document's header, not its text.
        Level::Story => {
            let mut aligner = align::StoryAligner::new(plan.lang, &opts);
            let mut corpus = Corpus::default();
            plan.stream(&args.paths, |batch| {
                aligner.add(&batch.documents);
                corpus.documents.extend(batch.documents.iter().map(header));
            })?;
            (corpus, aligner.finish())
        }
        Level::Passage => {
            let corpus = plan.corpus(&args.paths);
            plan.require_documents(&corpus)?;
            let stories = align::stories(&corpus, plan.lang, &opts);
            (corpus, stories)
        }
    };
    let multi = stories.iter().filter(|s| s.docs.len() > 1).count();
    super::messages::stage(
        plan.verbosity,
        &format!("align: {} stories, {multi} with two or more reports", stories.len()),
    );
    let rep = match args.level {
        Level::Story => story_report(&corpus, &stories, plan.format),
        Level::Passage => {
            let groups = align::passages(&corpus, &stories, plan.lang, &PassageOptions::default());
            passage_report(&corpus, &groups)
        }
    };
    plan.emit(&rep)?;
    Ok(ExitCode::SUCCESS)
}

/// What the story report shows of a document: its header, without text or metadata.
fn header(d: &Document) -> Document {
    Document {
        id: d.id.clone(),
        path: d.path.clone(),
        outlet: d.outlet.clone(),
        date: d.date,
        title: d.title.clone(),
        url: None,
        meta: Default::default(),
        text: String::new(),
        lines: Vec::new(),
        removed: Vec::new(),
        words: 0,
    }
}

fn date(corpus: &Corpus, d: usize) -> String {
    corpus.documents[d].date.map(|x| x.to_string()).unwrap_or_default()
}

/// The story report, with only the parts that `format` renders (at 100,000 reports an unused
/// JSON tree alone takes hundreds of megabytes).
fn story_report(corpus: &Corpus, stories: &[Story], format: Format) -> Report {
    let tables_shown = format.shows_tables();
    let mut reports = Table::new("Stories", &["story", "doc", "outlet", "date", "title"]);
    let mut pairs = Table::new(
        "Why they belong together",
        &[
            "story",
            "pair",
            "similarity",
            "cosine",
            "days apart",
            "shared names",
            "shared quotes",
            "shared numbers",
        ],
    );
    let mut long = Table::new(
        "",
        &[
            "story",
            "path",
            "doc",
            "outlet",
            "date",
            "title",
            "best_similarity",
            "shared_entities",
            "shared_quotes",
            "shared_numbers",
        ],
    );
    for s in stories {
        for &d in &s.docs {
            let doc = &corpus.documents[d];
            if tables_shown {
                reports.push(vec![
                    Cell::int(s.id),
                    Cell::text(&doc.id),
                    Cell::text(&doc.outlet),
                    Cell::text(date(corpus, d)),
                    Cell::text(doc.title.clone().unwrap_or_default()),
                ]);
            }
            let mine: Vec<_> = s.pairs.iter().filter(|p| p.a == d || p.b == d).collect();
            let best = mine
                .iter()
                .map(|p| p.similarity)
                .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x))));
            let join = |f: &dyn Fn(&align::PairEvidence) -> &Vec<String>| {
                let mut v: Vec<String> = mine.iter().flat_map(|p| f(p).iter().cloned()).collect();
                v.sort();
                v.dedup();
                v.join("; ")
            };
            long.push(vec![
                Cell::int(s.id),
                Cell::text(&doc.path),
                Cell::text(&doc.id),
                Cell::text(&doc.outlet),
                Cell::text(date(corpus, d)),
                Cell::text(doc.title.clone().unwrap_or_default()),
                Cell::float(best, 3),
                Cell::text(join(&|p| &p.entities)),
                Cell::text(join(&|p| &p.quotes)),
                Cell::text(join(&|p| &p.numbers)),
            ]);
        }
        for p in s.pairs.iter().filter(|_| tables_shown) {
            pairs.push(vec![
                Cell::int(s.id),
                Cell::text(format!("{} ~ {}", corpus.documents[p.a].id, corpus.documents[p.b].id)),
                Cell::Float(p.similarity, 3),
                Cell::Float(p.cosine, 3),
                p.days_apart.map_or(Cell::Null, Cell::Int),
                Cell::text(p.entities.join("; ")),
                Cell::text(p.quotes.join(" | ")),
                Cell::text(p.numbers.join("; ")),
            ]);
        }
    }
    let multi = stories.iter().filter(|s| s.docs.len() > 1).count();
    let headline = vec![format!(
        "{} reports in {} stories; {multi} stories have two or more reports.",
        corpus.documents.len(),
        stories.len()
    )];
    let json = if !format.shows_json() {
        serde_json::Value::Null
    } else {
        json!({
        "schema": schema("align-story"),
        "stories": stories.iter().map(|s| json!({
            "story": s.id,
            "docs": s.docs.iter().map(|&d| json!({"doc": corpus.documents[d].id, "path": corpus.documents[d].path, "outlet": corpus.documents[d].outlet, "date": corpus.documents[d].date})).collect::<Vec<_>>(),
            "pairs": s.pairs.iter().map(|p| json!({"a": corpus.documents[p.a].id, "b": corpus.documents[p.b].id, "similarity": super::score::round(p.similarity), "cosine": super::score::round(p.cosine), "days_apart": p.days_apart, "entities": p.entities, "quotes": p.quotes, "numbers": p.numbers})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        })
    };
    let mut tables = vec![reports];
    if !pairs.rows.is_empty() {
        tables.push(pairs);
    }
    Report { headline, tables, csv: long, json }
}

/// The text of a passage, on one line.
pub fn passage_text(corpus: &Corpus, p: &align::Passage) -> String {
    corpus.documents[p.doc].text[p.start..p.end].replace('\n', " ")
}

fn passage_report(corpus: &Corpus, groups: &[PassageGroup]) -> Report {
    let mut table =
        Table::new("Aligned passages", &["group", "story", "doc", "outlet", "line", "passage"]);
    let mut long = Table::new(
        "",
        &["group", "story", "label", "doc", "path", "outlet", "line", "best_similarity", "passage"],
    );
    for g in groups {
        for p in &g.passages {
            let d = &corpus.documents[p.doc];
            let best = g
                .pairs
                .iter()
                .filter(|x| x.a == *p || x.b == *p)
                .map(|x| x.similarity)
                .fold(0.0, f64::max);
            let story = g.story.map_or(Cell::text("background"), Cell::int);
            table.push(vec![
                Cell::int(g.id),
                story.clone(),
                Cell::text(&d.id),
                Cell::text(&d.outlet),
                Cell::int(p.line as usize),
                Cell::text(passage_text(corpus, p)),
            ]);
            long.push(vec![
                Cell::int(g.id),
                story,
                Cell::text(&g.label),
                Cell::text(&d.id),
                Cell::text(&d.path),
                Cell::text(&d.outlet),
                Cell::int(p.line as usize),
                Cell::Float(best, 3),
                Cell::text(passage_text(corpus, p)),
            ]);
        }
    }
    let headline = vec![format!(
        "{} groups of passages that state the same fact in different reports.",
        groups.len()
    )];
    let json = json!({
        "schema": schema("align-passage"),
        "groups": groups.iter().map(|g| json!({
            "group": g.id, "story": g.story, "label": g.label,
            "passages": g.passages.iter().map(|p| json!({"doc": corpus.documents[p.doc].id, "outlet": corpus.documents[p.doc].outlet, "line": p.line, "start": p.start, "end": p.end, "text": passage_text(corpus, p)})).collect::<Vec<_>>(),
            "pairs": g.pairs.iter().map(|x| json!({"a": corpus.documents[x.a.doc].id, "a_line": x.a.line, "b": corpus.documents[x.b.doc].id, "b_line": x.b.line, "similarity": super::score::round(x.similarity), "shared": x.shared})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    Report { headline, tables: vec![table], csv: long, json }
}
