//! `framelens compare`: the main job, outlets side by side.

use super::align::{passage_text, story_options};
use super::score::tally_report;
use super::Plan;
use anyhow::Result;
use framelens::align::{self, PassageGroup, PassageOptions, Story};
use framelens::corpus::Corpus;
use framelens::lexicon::Matcher;
use framelens::report::{json::schema, Cell, Report, Table};
use framelens::score::{self, Detail, Scored, Tally, VoiceFilter};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// Compare outlets side by side: a headline summary; each outlet's pole counts in its own
/// voice, in quotations and in reported speech, with its slant and interval; the wording each
/// outlet chose for each concept; then each story covered by two or more outlets, and the
/// passages in which different outlets state the same fact, framing terms marked. With no
/// PATH, the bundled sample corpus.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, folders, CSV/JSONL corpora, or - for stdin [default: the bundled sample].
    paths: Vec<PathBuf>,
    /// Minimum pair similarity for two reports to share a story.
    #[arg(long, value_name = "X")]
    threshold: Option<f64>,
    /// Reports further apart than this many days never share a story (unless near-identical).
    #[arg(long, value_name = "DAYS")]
    max_days: Option<i64>,
}

pub fn run(args: Args, plan: &Plan) -> Result<ExitCode> {
    let corpus = plan.corpus(&args.paths);
    plan.require_documents(&corpus)?;
    // Tallies need voice kinds, not speakers.
    let scored = plan.score(&corpus, Detail::Kinds);
    let stories = align::stories(&corpus, plan.lang, &story_options(args.threshold, args.max_days));
    let groups = align::passages(&corpus, &stories, plan.lang, &PassageOptions::default());
    super::messages::stage(
        plan.verbosity,
        &format!("align: {} stories, {} passage groups", stories.len(), groups.len()),
    );
    let voice = VoiceFilter::Own;
    let tallies =
        score::tally(&corpus, &scored, &plan.matcher, voice, |_, d| Some(d.outlet.clone()));
    let (mut outlets, long, rows) = tally_report(&tallies, "outlet", voice, &plan.matcher);
    outlets.title = "Outlets side by side, whole corpus (hits in own voice/quoted/reported)".into();
    let lexicons: Vec<String> = plan.matcher.lexicons().iter().map(|l| l.name.clone()).collect();
    let of = |name: &str| -> Vec<Tally> {
        tallies.iter().filter(|t| t.lexicon == name).cloned().collect()
    };
    let shared: Vec<&Story> = stories.iter().filter(|s| corpus.outlets_in(&s.docs) > 1).collect();
    let mut headline = vec![format!(
        "{} reports from {} outlets; {} stories covered by two or more outlets; {} groups of passages stating the same fact.",
        corpus.documents.len(),
        corpus.documents.iter().map(|d| &d.outlet).collect::<std::collections::BTreeSet<_>>().len(),
        shared.len(),
        groups.len()
    )];
    let mut tables = vec![outlets];
    for name in &lexicons {
        let prefix = if lexicons.len() > 1 { format!("[{name}] ") } else { String::new() };
        headline.extend(slant_lines(&of(name)).into_iter().map(|l| format!("{prefix}{l}")));
        let mut w = wording_table(&of(name));
        if lexicons.len() > 1 {
            w.title = format!("{} — {name}", w.title);
        }
        tables.push(w);
    }
    let mut csv = compare_csv(&long);
    let mut story_json = Vec::new();
    for s in &shared {
        let in_story = |i: usize| s.docs.contains(&i);
        let t = score::tally(&corpus, &scored, &plan.matcher, voice, |i, d| {
            in_story(i).then(|| d.outlet.clone())
        });
        let (mut table, story_long, story_rows) = tally_report(&t, "outlet", voice, &plan.matcher);
        table.title = format!("Story {}: {}", s.id, s.title(&corpus));
        tables.push(table);
        append_scores(&mut csv, &format!("story {}", s.id), &story_long);
        story_json.push(json!({
            "story": s.id,
            "title": s.title(&corpus),
            "docs": s.docs.iter().map(|&d| corpus.documents[d].id.clone()).collect::<Vec<_>>(),
            "outlets": story_rows,
        }));
    }
    let mut passage_json = Vec::new();
    for g in &groups {
        let (table, rows) = passage_table(&corpus, &scored, &plan.matcher, g, &mut csv);
        tables.push(table);
        passage_json
            .push(json!({ "group": g.id, "story": g.story, "label": g.label, "passages": rows }));
    }
    let json = json!({
        "schema": schema("compare"),
        "headline": headline,
        "outlets": rows,
        "wording": lexicons.iter().map(|n| (n.clone(), wording_json(&of(n)))).collect::<BTreeMap<_, _>>(),
        "stories": story_json,
        "passages": passage_json,
    });
    plan.emit(&Report { headline, tables, csv, json })?;
    Ok(ExitCode::SUCCESS)
}

/// One sentence per outlet, most positive slant first.
fn slant_lines(tallies: &[Tally]) -> Vec<String> {
    let mut ranked: Vec<&Tally> = tallies.iter().collect();
    ranked.sort_by(|a, b| {
        let key = |t: &Tally| t.slant.map_or(f64::NEG_INFINITY, |s| s.value);
        key(b).total_cmp(&key(a)).then(a.group.cmp(&b.group))
    });
    ranked
        .into_iter()
        .map(|t| match t.slant {
            Some(s) => format!(
                "{}: slant {:+.2} ({:+.2} to {:+.2}) from {} framing hit{} in its own voice{}",
                t.group,
                s.value,
                s.ci.0,
                s.ci.1,
                s.hits,
                if s.hits == 1 { "" } else { "s" },
                if s.hits < 10 { ", too few to generalise." } else { "." }
            ),
            None => format!("{}: no framing hits on the axis in its own voice.", t.group),
        })
        .collect()
}

/// Concept × outlet: the wording each outlet chose, "term ×n".
fn wording_table(tallies: &[Tally]) -> Table {
    let mut cols = vec!["concept"];
    cols.extend(tallies.iter().map(|t| t.group.as_str()));
    let mut table = Table::new("Wording by concept (all voices; pole in brackets)", &cols);
    let mut concepts: Vec<&String> = tallies.iter().flat_map(|t| t.wording.keys()).collect();
    concepts.sort();
    concepts.dedup();
    for c in concepts {
        let mut row = vec![Cell::text(c)];
        for t in tallies {
            let mut parts: Vec<String> = Vec::new();
            for (pole, terms) in t.wording.get(c).into_iter().flatten() {
                for (term, n) in terms {
                    parts.push(if *n > 1 {
                        format!("{term} ×{n} [{pole}]")
                    } else {
                        format!("{term} [{pole}]")
                    });
                }
            }
            row.push(Cell::text(parts.join(", ")));
        }
        table.push(row);
    }
    table
}

/// concept → pole → term → count, as in [`Tally::wording`].
type Wording = BTreeMap<String, BTreeMap<String, BTreeMap<String, usize>>>;

fn wording_json(tallies: &[Tally]) -> Value {
    let m: BTreeMap<&str, &Wording> =
        tallies.iter().map(|t| (t.group.as_str(), &t.wording)).collect();
    json!(m)
}

const CSV_COLUMNS: &[&str] = &[
    "scope",
    "lexicon",
    "outlet",
    "pole",
    "voice",
    "hits",
    "per_1000_words",
    "slant",
    "slant_low",
    "slant_high",
    "passage_group",
    "doc",
    "line",
    "passage",
    "framing_terms",
];

/// The compare CSV: score rows (scope `corpus` or `story N`) and passage rows in one long table.
fn compare_csv(corpus_long: &Table) -> Table {
    let mut t = Table::new("", CSV_COLUMNS);
    append_scores(&mut t, "corpus", corpus_long);
    t
}

fn append_scores(t: &mut Table, scope: &str, long: &Table) {
    // long columns: lexicon, outlet, pole, voice, hits, per_1000_words, documents, words, slant, low, high
    for r in &long.rows {
        let mut row = vec![Cell::text(scope)];
        row.extend(
            [&r[0], &r[1], &r[2], &r[3], &r[4], &r[5], &r[8], &r[9], &r[10]].into_iter().cloned(),
        );
        row.extend((0..5).map(|_| Cell::text("")));
        t.push(row);
    }
}

/// A passage group: one row per passage, framing terms marked, and its CSV and JSON rows.
fn passage_table(
    corpus: &Corpus,
    scored: &Scored,
    matcher: &Matcher,
    g: &PassageGroup,
    csv: &mut Table,
) -> (Table, Vec<Value>) {
    let scope =
        g.story.map_or_else(|| "background (across stories)".to_string(), |s| format!("story {s}"));
    let mut table = Table::new(
        format!("Passages {}: {} — {scope}", g.id, g.label),
        &["outlet", "doc", "line", "passage", "framing terms"],
    );
    let mut rows = Vec::new();
    for p in &g.passages {
        let d = &corpus.documents[p.doc];
        let text = passage_text(corpus, p);
        let hits: Vec<_> =
            scored.hits[p.doc].iter().filter(|h| h.start >= p.start && h.end <= p.end).collect();
        let marks: Vec<(usize, usize)> =
            hits.iter().map(|h| (h.start - p.start, h.end - p.start)).collect();
        let terms: Vec<String> = hits
            .iter()
            .filter(|h| !h.negated)
            .map(|h| {
                format!(
                    "{} ({}, {})",
                    h.matched,
                    matcher.lexicons()[h.lexicon].entries[h.entry].pole,
                    h.voice.name()
                )
            })
            .collect();
        table.push(vec![
            Cell::text(&d.outlet),
            Cell::text(&d.id),
            Cell::int(p.line as usize),
            Cell::Marked(text.clone(), marks),
            Cell::text(terms.join("; ")),
        ]);
        let mut row = vec![Cell::text(&scope), Cell::text(""), Cell::text(&d.outlet)];
        row.extend((0..7).map(|_| Cell::text("")));
        row.extend([
            Cell::int(g.id),
            Cell::text(&d.id),
            Cell::int(p.line as usize),
            Cell::text(&text),
            Cell::text(terms.join("; ")),
        ]);
        csv.push(row);
        rows.push(json!({
            "outlet": d.outlet, "doc": d.id, "line": p.line, "text": text,
            "terms": hits.iter().map(|h| {
                let e = &matcher.lexicons()[h.lexicon].entries[h.entry];
                json!({"match": h.matched, "term": e.term, "concept": e.concept, "pole": e.pole, "voice": h.voice, "negated": h.negated})
            }).collect::<Vec<_>>(),
        }));
    }
    (table, rows)
}
