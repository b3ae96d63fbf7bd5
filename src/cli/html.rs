//! `framelens report` and `framelens exercise`: the HTML report, and classroom worksheets
//! with their answer keys. This file only glues the stages (corpus, score, align) into the
//! plain structs of `report::html` and `report::exercise`, which do the rendering.

use super::align::{passage_text, story_options};
use super::{Plan, UsageError};
use anyhow::Result;
use framelens::align::{self, Passage, PassageGroup, PassageOptions, Story};
use framelens::corpus::Corpus;
use framelens::lexicon::Matcher;
use framelens::report::exercise::{self, Kind, Markup, OutletInfo};
use framelens::report::html::{
    self, Chart, DocRow, Excerpt, GroupView, InputNote, KwicRow, LexiconInfo, Mark, OutletSlant,
    PoleCounts, ReportData, Shape, SlantPoint, StoryView, Wording, WordingTable,
};
use framelens::report::Format;
use framelens::score::{self, HitRecord, Scored, Tally, VoiceFilter};
use framelens::text::VoiceKind;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Write one self-contained HTML page (inline CSS and SVG, no scripts, no network): the corpus,
/// each outlet's slant with its interval (own voice and others' words apart), the wording by
/// concept, stories and aligned passages side by side with framing terms marked, and every
/// term in context. Writes to -o FILE, else stdout. --format does not apply.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Files, folders, CSV/JSONL corpora, or - for stdin [default: the bundled sample].
    paths: Vec<PathBuf>,
    /// Minimum pair similarity for two reports to share a story.
    #[arg(long, value_name = "X")]
    threshold: Option<f64>,
    /// Reports further apart than this many days never share a story (unless near-identical).
    #[arg(long, value_name = "DAYS")]
    max_days: Option<i64>,
}

/// Write a printable classroom worksheet from passages that state the same fact in several
/// outlets (outlet names hidden), and its answer key with --answers. Kinds: spot the framing,
/// who wrote it, neutral rewrite. The same --seed gives the same sheet; another seed, another
/// order. HTML by default; --format md writes Markdown (csv and json are refused).
#[derive(Debug, clap::Args)]
pub struct ExerciseArgs {
    /// Files, folders, CSV/JSONL corpora, or - for stdin [default: the bundled sample].
    paths: Vec<PathBuf>,
    /// Write the answer key to FILE (- for stdout) [default: no key, with a warning].
    #[arg(long, value_name = "FILE")]
    answers: Option<PathBuf>,
    /// Which exercise.
    #[arg(long, value_enum, default_value_t = KindArg::All)]
    kind: KindArg,
    /// Seed for the choice and order of excerpts (printed on the sheet as its version).
    #[arg(long, value_name = "N", default_value_t = 1)]
    seed: u64,
    /// Minimum pair similarity for two reports to share a story.
    #[arg(long, value_name = "X")]
    threshold: Option<f64>,
    /// Reports further apart than this many days never share a story (unless near-identical).
    #[arg(long, value_name = "DAYS")]
    max_days: Option<i64>,
}

/// Exercise kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
    /// Spot the framing: the same fact in several outlets, names hidden.
    Spot,
    /// Who wrote it: match passages to outlets.
    Who,
    /// Neutral rewrite of a passage with its loaded words marked.
    Rewrite,
    /// All three, in that order.
    All,
}

/// What the stages found, shared by both commands.
struct Analysed {
    corpus: Corpus,
    scored: Scored,
    stories: Vec<Story>,
    groups: Vec<PassageGroup>,
}

fn analyse(
    plan: &Plan,
    paths: &[PathBuf],
    threshold: Option<f64>,
    max_days: Option<i64>,
) -> Result<Analysed> {
    let corpus = plan.corpus(paths);
    plan.require_documents(&corpus)?;
    let scored = plan.score(&corpus, framelens::score::Detail::Speakers);
    let stories = align::stories(&corpus, plan.lang, &story_options(threshold, max_days));
    let groups = align::passages(&corpus, &stories, plan.lang, &PassageOptions::default());
    super::messages::stage(
        plan.verbosity,
        &format!("align: {} stories, {} passage groups", stories.len(), groups.len()),
    );
    Ok(Analysed { corpus, scored, stories, groups })
}

pub fn run_report(args: ReportArgs, plan: &Plan) -> Result<ExitCode> {
    if plan.format != Format::Table {
        return Err(UsageError("report writes HTML only; leave out --format".into()).into());
    }
    let a = analyse(plan, &args.paths, args.threshold, args.max_days)?;
    let data = report_data(plan, &a);
    super::write_to(plan.output.as_deref(), |w| html::render(&data, w))?;
    Ok(ExitCode::SUCCESS)
}

pub fn run_exercise(args: ExerciseArgs, plan: &Plan) -> Result<ExitCode> {
    let markup = match plan.format {
        Format::Md => Markup::Markdown,
        Format::Table => Markup::Html,
        Format::Csv | Format::Json | Format::Jsonl => {
            return Err(UsageError(
                "exercise writes HTML (default) or Markdown (--format md)".into(),
            )
            .into())
        }
    };
    let same = |a: &Path, b: &Path| a == b && a != Path::new("-");
    if let (Some(o), Some(k)) = (&plan.output, &args.answers) {
        if same(o, k) {
            return Err(UsageError(
                "--answers must differ from -o: the key would overwrite the worksheet".into(),
            )
            .into());
        }
    }
    if plan.output.is_none() && args.answers.as_deref() == Some(Path::new("-")) {
        return Err(UsageError(
            "worksheet and answer key cannot both go to stdout; use -o FILE".into(),
        )
        .into());
    }
    let a = analyse(plan, &args.paths, args.threshold, args.max_days)?;
    let data = exercise_data(plan, &a);
    let kinds = match args.kind {
        KindArg::Spot => vec![Kind::Spot],
        KindArg::Who => vec![Kind::Who],
        KindArg::Rewrite => vec![Kind::Rewrite],
        KindArg::All => Kind::ALL.to_vec(),
    };
    if data.groups.is_empty() {
        super::messages::warn(
            plan.verbosity,
            "no passages state the same fact in two outlets; the worksheet uses single passages rich in framing terms",
        );
    }
    let ws = exercise::build(&data, &exercise::Options { kinds, seed: args.seed });
    super::write_to(plan.output.as_deref(), |w| exercise::write_worksheet(&ws, markup, w))?;
    match &args.answers {
        Some(k) => super::write_to(Some(k), |w| exercise::write_key(&ws, markup, w))?,
        None => super::messages::warn(plan.verbosity, "no answer key written; add --answers FILE"),
    }
    Ok(ExitCode::SUCCESS)
}

/// The lexicon's view of one hit, with offsets relative to `base`.
fn mark(matcher: &Matcher, h: &HitRecord, base: usize) -> Mark {
    let lex = &matcher.lexicons()[h.lexicon];
    let e = &lex.entries[h.entry];
    Mark {
        start: h.start - base,
        end: h.end - base,
        term: e.term.clone(),
        concept: e.concept.clone(),
        pole: e.pole.clone(),
        axis: lex.axis.as_ref().is_some_and(|(n, p)| e.pole == *n || e.pole == *p),
        note: e.note.clone(),
        neutral: e.neutral.clone(),
        voice: h.voice.name().to_string(),
        speaker: h.speaker.clone(),
        negated: h.negated,
    }
}

/// The text between `start` and `end` of a document, on one line, with its framing terms.
fn excerpt(plan: &Plan, a: &Analysed, doc: usize, start: usize, end: usize) -> Excerpt {
    let d = &a.corpus.documents[doc];
    let p = Passage { doc, start, end, line: d.line_of(start) };
    Excerpt {
        doc: d.id.clone(),
        outlet: d.outlet.clone(),
        names: plan.self_names(d),
        date: d.date.map(|x| x.to_string()),
        line: p.line,
        text: passage_text(&a.corpus, &p),
        marks: a.scored.hits[doc]
            .iter()
            .filter(|h| h.start >= start && h.end <= end)
            .map(|h| mark(&plan.matcher, h, start))
            .collect(),
    }
}

fn group_view(plan: &Plan, a: &Analysed, g: &PassageGroup) -> GroupView {
    let mut shared: Vec<String> = g.pairs.iter().flat_map(|p| p.shared.iter().cloned()).collect();
    shared.sort();
    shared.dedup();
    GroupView {
        id: g.id,
        label: g.label.clone(),
        shared,
        passages: g.passages.iter().map(|p| excerpt(plan, a, p.doc, p.start, p.end)).collect(),
    }
}

fn doc_row(a: &Analysed, i: usize) -> DocRow {
    let d = &a.corpus.documents[i];
    DocRow {
        id: d.id.clone(),
        path: d.path.clone(),
        outlet: d.outlet.clone(),
        date: d.date.map(|x| x.to_string()),
        title: d.title.clone(),
        words: d.words,
        hits: a.scored.hits[i].len(),
        removed: d.removed.iter().map(|r| (r.line, r.reason.clone(), r.text.clone())).collect(),
    }
}

fn point(label: &str, shape: Shape, t: Option<&Tally>) -> SlantPoint {
    let s = t.and_then(|t| t.slant);
    SlantPoint {
        label: label.into(),
        shape,
        value: s.map(|s| s.value),
        ci: s.map(|s| s.ci),
        hits: s.map_or(0, |s| s.hits),
    }
}

/// Per outlet and lexicon: the slant in the outlet's own voice, in others' words (quoted and
/// reported), and in all voices, each with its bootstrap interval.
fn charts(plan: &Plan, a: &Analysed) -> Vec<Chart> {
    let m = &plan.matcher;
    let by_outlet = |_: usize, d: &framelens::corpus::Document| Some(d.outlet.clone());
    let own = score::tally(&a.corpus, &a.scored, m, VoiceFilter::Own, by_outlet);
    let all = score::tally(&a.corpus, &a.scored, m, VoiceFilter::All, by_outlet);
    let mut charts = Vec::new();
    for (li, lex) in m.lexicons().iter().enumerate() {
        let Some(axis) = lex.axis.clone() else { continue };
        let outlets = own
            .iter()
            .filter(|t| t.lexicon == lex.name)
            .map(|t| {
                let docs: Vec<usize> = (0..a.corpus.documents.len())
                    .filter(|&i| a.corpus.documents[i].outlet == t.group)
                    .collect();
                let others = score::tally_hits(
                    &t.group,
                    lex,
                    t.documents,
                    t.words,
                    docs.iter()
                        .flat_map(|&d| a.scored.hits[d].iter())
                        .filter(|h| h.lexicon == li && h.voice != VoiceKind::Own),
                    m,
                    VoiceFilter::All,
                );
                let all_t = all.iter().find(|x| x.lexicon == lex.name && x.group == t.group);
                OutletSlant {
                    outlet: t.group.clone(),
                    documents: t.documents,
                    words: t.words,
                    points: vec![
                        point("own voice", Shape::Circle, Some(t)),
                        point("quoted and reported", Shape::Square, Some(&others)),
                        point("all voices", Shape::Diamond, all_t),
                    ],
                    counts: lex
                        .poles
                        .iter()
                        .map(|p| {
                            let c = t.poles.get(p).copied().unwrap_or_default();
                            PoleCounts {
                                pole: p.clone(),
                                own: c.own,
                                quoted: c.quoted,
                                reported: c.reported,
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        charts.push(Chart { lexicon: lex.name.clone(), axis, outlets });
    }
    charts
}

fn wording(plan: &Plan, a: &Analysed) -> Vec<WordingTable> {
    let tallies = score::tally(&a.corpus, &a.scored, &plan.matcher, VoiceFilter::All, |_, d| {
        Some(d.outlet.clone())
    });
    plan.matcher
        .lexicons()
        .iter()
        .map(|lex| {
            let ts: Vec<&Tally> = tallies.iter().filter(|t| t.lexicon == lex.name).collect();
            let mut concepts: Vec<&String> = ts.iter().flat_map(|t| t.wording.keys()).collect();
            concepts.sort();
            concepts.dedup();
            let rows = concepts
                .into_iter()
                .map(|c| {
                    let cells = ts
                        .iter()
                        .map(|t| {
                            t.wording
                                .get(c)
                                .into_iter()
                                .flatten()
                                .flat_map(|(pole, terms)| {
                                    terms.iter().map(move |(w, n)| Wording {
                                        words: w.clone(),
                                        pole: pole.clone(),
                                        count: *n,
                                    })
                                })
                                .collect()
                        })
                        .collect();
                    (c.clone(), cells)
                })
                .collect();
            WordingTable {
                lexicon: lex.name.clone(),
                outlets: ts.iter().map(|t| t.group.clone()).collect(),
                rows,
            }
        })
        .collect()
}

fn report_data(plan: &Plan, a: &Analysed) -> ReportData {
    let corpus = &a.corpus;
    let lexicons = plan.matcher.lexicons();
    let mut poles: Vec<String> = Vec::new();
    for p in lexicons.iter().flat_map(|l| l.poles.iter()) {
        if !poles.contains(p) {
            poles.push(p.clone());
        }
    }
    let stories = a
        .stories
        .iter()
        .filter(|s| corpus.outlets_in(&s.docs) > 1)
        .map(|s| StoryView {
            id: s.id,
            title: s.title(corpus),
            docs: s.docs.iter().map(|&d| doc_row(a, d)).collect(),
            groups: a
                .groups
                .iter()
                .filter(|g| g.story == Some(s.id))
                .map(|g| group_view(plan, a, g))
                .collect(),
        })
        .collect();
    let shown: Vec<usize> =
        a.stories.iter().filter(|s| corpus.outlets_in(&s.docs) > 1).map(|s| s.id).collect();
    let background = a
        .groups
        .iter()
        .filter(|g| g.story.is_none_or(|s| !shown.contains(&s)))
        .map(|g| group_view(plan, a, g))
        .collect();
    let kwic = a
        .scored
        .hits
        .iter()
        .flatten()
        .map(|h| {
            let d = &corpus.documents[h.doc];
            let (s, e) = h.sentence_span;
            let mut context = excerpt(plan, a, h.doc, s, e);
            context.marks = vec![mark(&plan.matcher, h, s)];
            KwicRow {
                doc: d.id.clone(),
                outlet: d.outlet.clone(),
                line: h.line,
                sentence: h.sentence,
                context,
            }
        })
        .collect();
    let outlets = corpus.outlets_in(&(0..corpus.documents.len()).collect::<Vec<_>>());
    ReportData {
        title: format!(
            "How {} outlet{} framed the news: {} report{}",
            outlets,
            if outlets == 1 { "" } else { "s" },
            corpus.documents.len(),
            if corpus.documents.len() == 1 { "" } else { "s" }
        ),
        generator: format!("framelens {}", env!("CARGO_PKG_VERSION")),
        lexicons: lexicons
            .iter()
            .map(|l| LexiconInfo {
                name: l.name.clone(),
                description: l.description.clone(),
                terms: l.entries.len(),
            })
            .collect(),
        poles,
        documents: (0..corpus.documents.len()).map(|i| doc_row(a, i)).collect(),
        skipped: corpus
            .skipped
            .iter()
            .map(|s| InputNote { input: s.input.clone(), message: s.reason.clone() })
            .collect(),
        warnings: corpus
            .warnings
            .iter()
            .map(|w| InputNote { input: w.input.clone(), message: w.message.clone() })
            .collect(),
        charts: charts(plan, a),
        wording: wording(plan, a),
        stories,
        background,
        kwic,
    }
}

/// Every paragraph (line of the cleaned text) with at least one framing term.
fn rich_paragraphs(plan: &Plan, a: &Analysed) -> Vec<Excerpt> {
    let mut out = Vec::new();
    for (i, d) in a.corpus.documents.iter().enumerate() {
        let mut start = 0;
        for line in d.text.split('\n') {
            let end = start + line.len();
            if !line.trim().is_empty()
                && a.scored.hits[i].iter().any(|h| h.start >= start && h.end <= end)
            {
                out.push(excerpt(plan, a, i, start, end));
            }
            start = end + 1;
        }
    }
    out
}

fn exercise_data(plan: &Plan, a: &Analysed) -> exercise::ExerciseData {
    let mut names: Vec<&str> = a.corpus.documents.iter().map(|d| d.outlet.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let outlets = names
        .into_iter()
        .map(|n| match plan.read.registry.get(n) {
            Some(o) => OutletInfo {
                name: o.name.clone(),
                country: o.country.clone(),
                ownership: o.ownership.clone(),
            },
            None => OutletInfo { name: n.to_string(), ..OutletInfo::default() },
        })
        .collect();
    exercise::ExerciseData {
        title: "How the news frames it: a close-reading worksheet".into(),
        groups: a.groups.iter().map(|g| group_view(plan, a, g)).collect(),
        rich: rich_paragraphs(plan, a),
        outlets,
    }
}
