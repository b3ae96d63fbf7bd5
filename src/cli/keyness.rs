//! `framelens keyness`: distinctive words by outlet or story.

use super::score::round;
use super::Plan;
use anyhow::Result;
use framelens::corpus::Corpus;
use framelens::keyness::{self, Counter, Keyness, LexiconRef, Options, Rows, Tokens};
use framelens::report::{json::schema, Cell, Report, Table};
use framelens::score::VoiceFilter;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// List the words and two-word phrases each outlet (or story) uses more than all the others,
/// by the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn
/// 2008): z above 0 means more than the rest, |z| >= 1.96 is the conventional threshold.
/// Stop words and numbers are left out. Each term says whether a lexicon already lists it.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, folders, CSV/JSONL corpora, or - for stdin [default: the bundled sample].
    paths: Vec<PathBuf>,
    /// Compare outlets, or stories (stories from `align`).
    #[arg(long, value_enum, default_value_t = By::Outlet)]
    by: By,
    /// Terms to show per group (0: every term with z > 0).
    #[arg(long, default_value_t = 15, value_name = "N")]
    top: usize,
    /// Which voices count: every word, or only the outlet's own words (no quotes or reported
    /// speech).
    #[arg(long, value_enum, default_value_t = Voice::All)]
    voice: Voice,
    /// Show a term for a group only if the group uses it at least K times.
    #[arg(long, default_value_t = 2, value_name = "K")]
    min_count: u64,
}

/// How documents are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// One group per outlet.
    Outlet,
    /// One group per story.
    Story,
}

/// Voices counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Voice {
    /// The outlet's own words only.
    Own,
    /// Every word.
    All,
}

impl From<Voice> for VoiceFilter {
    fn from(v: Voice) -> Self {
        match v {
            Voice::Own => VoiceFilter::Own,
            Voice::All => VoiceFilter::All,
        }
    }
}

pub fn run(args: Args, plan: &Plan) -> Result<ExitCode> {
    let key = match args.by {
        By::Outlet => "outlet",
        By::Story => "story",
    };
    let voice = VoiceFilter::from(args.voice);
    let tokens = match args.by {
        // Counts by outlet need no view of the whole corpus: read and count in batches.
        By::Outlet => {
            let mut counter = Counter::default();
            // The next batch is read while this one is counted: counting hands documents to
            // whichever thread is free, reading among them.
            plan.stream(&args.paths, |batch| add_by_outlet(&mut counter, batch, plan, voice))?;
            counter.finish()
        }
        By::Story => {
            let corpus = plan.corpus(&args.paths);
            plan.require_documents(&corpus)?;
            let opts = super::align::story_options(None, None);
            let stories = framelens::align::stories(&corpus, plan.lang, &opts);
            let mut story_of = vec![0; corpus.documents.len()];
            for s in &stories {
                for &d in &s.docs {
                    story_of[d] = s.id;
                }
            }
            // Zero-padded so that story 10 sorts after story 9; shown as a number.
            keyness::count(
                &corpus,
                plan.lang,
                voice,
                |i, _| Some(format!("{:06}", story_of[i])),
                |d| plan.self_names(d),
            )
        }
    };
    if tokens.documents.len() < 2 {
        anyhow::bail!(
            "keyness compares groups with each other, and the corpus has only one {key}; \
             give documents of at least two"
        );
    }
    let opts = Options { alpha0: None, min_count: args.min_count };
    // Every term is scored; rows are built only for the terms shown.
    let ranking = rank(&tokens, &opts, Rows::Top(args.top), plan)?;
    super::messages::stage(
        plan.verbosity,
        &format!("keyness: {} groups, {} scored terms", tokens.documents.len(), ranking.scored),
    );
    plan.emit(&report(&tokens, &ranking.rows, key, voice, &args, plan))?;
    Ok(ExitCode::SUCCESS)
}

/// Scores the counts, after warning if they could not be spilled to temporary files.
pub fn rank(tokens: &Tokens, opts: &Options, keep: Rows, plan: &Plan) -> Result<keyness::Ranking> {
    if let Some(why) = tokens.spill_failure() {
        super::messages::warn(plan.verbosity, &format!("keyness: {why}"));
    }
    keyness::rank(tokens, opts, keep).map_err(|e| {
        anyhow::anyhow!(
            "keyness: cannot read back the counts spilled to temporary files in {}: {e}; \
             make sure nothing removes them while framelens runs, or set TMPDIR to another \
             folder",
            std::env::temp_dir().display()
        )
    })
}

/// Unigram and bigram counts per outlet.
pub fn count_by_outlet(corpus: &Corpus, plan: &Plan, voice: VoiceFilter) -> Tokens {
    let mut counter = Counter::default();
    add_by_outlet(&mut counter, corpus, plan, voice);
    counter.finish()
}

fn add_by_outlet(counter: &mut Counter, corpus: &Corpus, plan: &Plan, voice: VoiceFilter) {
    counter.add(corpus, plan.lang, voice, |_, d| Some(d.outlet.clone()), |d| plan.self_names(d));
}

/// Distinct values of one field of the entries, joined with "; ".
fn joined(refs: &[LexiconRef], f: impl Fn(&LexiconRef) -> &str) -> String {
    let mut v: Vec<&str> = refs.iter().map(f).collect();
    v.sort_unstable();
    v.dedup();
    v.join("; ")
}

fn group_label(key: &str, group: &str) -> String {
    if key == "story" {
        group.trim_start_matches('0').to_string()
    } else {
        group.to_string()
    }
}

fn report(
    tokens: &Tokens,
    rows: &[Keyness],
    key: &str,
    voice: VoiceFilter,
    args: &Args,
    plan: &Plan,
) -> Report {
    let lexicons = plan.matcher.lexicons();
    let mut long = Table::new(
        "",
        &[
            key,
            "term",
            "words",
            "z",
            "count",
            "count_rest",
            "in_lexicon",
            "lexicon",
            "concept",
            "pole",
        ],
    );
    let mut tables: Vec<Table> = Vec::new();
    let mut groups = Vec::new();
    // Rows are sorted by group: each group's rows are one run.
    let mut runs: BTreeMap<&str, &[Keyness]> = BTreeMap::new();
    for run in rows.chunk_by(|a, b| a.group == b.group) {
        runs.insert(&run[0].group, run);
    }
    for (group, docs) in &tokens.documents {
        let label = group_label(key, group);
        let words = tokens.unigrams.total(group);
        let mut table = Table::new(
            format!("{label}: {docs} document(s), {words} counted words"),
            &["#", "term", "z", "count", "rest", "in lexicon (concept / pole)"],
        );
        let mut terms = Vec::new();
        for (rank, r) in runs.get(group.as_str()).copied().unwrap_or_default().iter().enumerate() {
            let refs = keyness::lexicon_entries(&r.term, lexicons, plan.lang);
            let lex = joined(&refs, |x| x.lexicon.as_str());
            let concept = joined(&refs, |x| x.concept.as_str());
            let pole = joined(&refs, |x| x.pole.as_str());
            table.push(vec![
                Cell::int(rank + 1),
                Cell::text(&r.term),
                Cell::Float(r.z, 2),
                Cell::int(r.count as usize),
                Cell::int(r.count_rest as usize),
                Cell::text(if refs.is_empty() {
                    String::new()
                } else {
                    format!("{concept} / {pole}")
                }),
            ]);
            long.push(vec![
                Cell::text(&label),
                Cell::text(&r.term),
                Cell::int(r.words),
                Cell::Float(round(r.z), 4),
                Cell::int(r.count as usize),
                Cell::int(r.count_rest as usize),
                Cell::text(if refs.is_empty() { "no" } else { "yes" }),
                Cell::text(lex),
                Cell::text(concept),
                Cell::text(pole),
            ]);
            terms.push(json!({
                "term": r.term,
                "words": r.words,
                "z": round(r.z),
                "delta": round(r.delta),
                "count": r.count,
                "count_rest": r.count_rest,
                "in_lexicon": !refs.is_empty(),
                "lexicon": refs,
            }));
        }
        if table.rows.is_empty() {
            table.notes.push(format!("no term used at least {} times stands out", args.min_count));
        }
        tables.push(table);
        let mut g = json!({
            "documents": docs,
            "words": words,
            "bigrams": tokens.bigrams.total(group),
            "terms": terms,
        });
        g[key] =
            if key == "story" { json!(label.parse::<u64>().unwrap_or(0)) } else { json!(label) };
        groups.push(g);
    }
    if let Some(last) = tables.last_mut() {
        last.notes.push(
            "z: log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008), the \
             group against all others; |z| >= 1.96 is the usual threshold, and a few articles \
             describe themselves, not an outlet's habits. rest: count in all other groups."
                .into(),
        );
    }
    let (n_uni, n_bi) = (tokens.unigrams.grand_total(), tokens.bigrams.grand_total());
    let headline = vec![format!(
        "Distinctive terms of each {key} against all others: {} groups, {n_uni} words and {n_bi} \
         two-word phrases counted ({} voice{}), stop words and numbers left out.",
        tokens.documents.len(),
        voice.name(),
        if voice == VoiceFilter::Own { " only" } else { "s" },
    )];
    let json = json!({
        "schema": schema("keyness"),
        "by": key,
        "voice": voice.name(),
        "top": args.top,
        "min_count": args.min_count,
        "method": "log-odds ratio with informative Dirichlet prior (Monroe, Colaresi and Quinn 2008, section 3.5)",
        "prior": { "alpha0_unigrams": n_uni, "alpha0_bigrams": n_bi },
        "groups": groups,
    });
    Report { headline, tables, csv: long, json }
}
