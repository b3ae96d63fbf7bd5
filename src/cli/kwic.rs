//! `framelens kwic`: every hit in context.

use super::{Plan, UsageError};
use anyhow::Result;
use framelens::corpus::Corpus;
use framelens::lexicon::{self, Matcher};
use framelens::report::{json::schema, Cell, Report, Table};
use framelens::score::{self, HitRecord, Scored};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

/// Show every match of PATTERN in context (the whole sentence, from the original text) with
/// outlet, date, line, voice and speaker. PATTERN uses lexicon term syntax: words or a phrase,
/// a trailing * for a prefix. With --lexicon-hits, list every lexicon match instead (all
/// arguments are then paths), one row each, so every number in `score` can be re-counted.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// PATTERN, then files, folders or - [default paths: the bundled sample].
    #[arg(value_name = "PATTERN|PATH")]
    args: Vec<String>,
    /// List every lexicon hit; all arguments are paths.
    #[arg(long)]
    lexicon_hits: bool,
}

pub fn run(args: Args, plan: &Plan) -> Result<ExitCode> {
    let (pattern, paths): (Option<String>, Vec<PathBuf>) = if args.lexicon_hits {
        (None, args.args.iter().map(PathBuf::from).collect())
    } else {
        let mut it = args.args.into_iter();
        let Some(p) = it.next() else {
            return Err(UsageError("kwic needs a PATTERN (or --lexicon-hits)".into()).into());
        };
        (Some(p), it.map(PathBuf::from).collect())
    };
    let own;
    let matcher: &Matcher = match &pattern {
        Some(p) => {
            own = pattern_matcher(p, plan)?;
            &own
        }
        None => &plan.matcher,
    };
    // Read in batches: only the hit rows are kept, not the texts.
    let mut hits = Hits::new(pattern.is_some());
    plan.stream(&paths, |batch| {
        let scored =
            score::hits(batch, matcher, plan.lang, |d| plan.self_names(d), score::Detail::Speakers);
        hits.add(batch, &scored, matcher);
    })?;
    super::messages::stage(plan.verbosity, &format!("score: {} hits in context", hits.rows.len()));
    plan.emit(&hits.report())?;
    Ok(ExitCode::SUCCESS)
}

/// A one-entry lexicon for PATTERN, checked like any lexicon term.
pub(crate) fn pattern_matcher(p: &str, plan: &Plan) -> Result<Matcher> {
    let quoted = format!("\"{}\"", p.replace('"', "\"\""));
    let text = format!("#poles: match\nterm,concept,pole,match\n{quoted},pattern,match,exact\n");
    let (lex, problems) = lexicon::parse("PATTERN", &text);
    if let Some(pr) = problems.first() {
        return Err(UsageError(format!("PATTERN {p:?}: {}", pr.message)).into());
    }
    Ok(Matcher::new(vec![lex], plan.lang))
}

fn context(corpus: &Corpus, h: &HitRecord) -> Cell {
    let text = &corpus.documents[h.doc].text;
    let (s, e) = h.sentence_span;
    Cell::Marked(text[s..e].to_string(), vec![(h.start - s, h.end - s)])
}

/// The rows of a keyword-in-context list, gathered batch by batch.
struct Hits {
    pattern: bool,
    table: Table,
    rows: Vec<serde_json::Value>,
    documents: usize,
}

impl Hits {
    fn new(pattern: bool) -> Self {
        let cols: &[&str] = if pattern {
            &["doc", "outlet", "date", "line", "match", "voice", "speaker", "context"]
        } else {
            &[
                "doc", "outlet", "date", "line", "sentence", "match", "term", "concept", "pole",
                "voice", "speaker", "negated", "context",
            ]
        };
        Hits { pattern, table: Table::new("", cols), rows: Vec::new(), documents: 0 }
    }

    fn add(&mut self, corpus: &Corpus, scored: &Scored, matcher: &Matcher) {
        let pattern = self.pattern;
        self.documents += corpus.documents.len();
        for h in scored.hits.iter().flatten() {
            let d = &corpus.documents[h.doc];
            let e = &matcher.lexicons()[h.lexicon].entries[h.entry];
            let date = d.date.map(|x| x.to_string()).unwrap_or_default();
            let mut row = vec![
                Cell::text(&d.id),
                Cell::text(&d.outlet),
                Cell::text(&date),
                Cell::int(h.line as usize),
            ];
            if !pattern {
                row.push(Cell::int(h.sentence));
            }
            row.push(Cell::text(&h.matched));
            if !pattern {
                row.extend([Cell::text(&e.term), Cell::text(&e.concept), Cell::text(&e.pole)]);
            }
            row.extend([
                Cell::text(h.voice.name()),
                Cell::text(h.speaker.clone().unwrap_or_default()),
            ]);
            if !pattern {
                row.push(Cell::text(if h.negated { "yes" } else { "" }));
            }
            row.push(context(corpus, h));
            self.table.push(row);
            let mut obj = json!({
                "doc": d.id, "path": d.path, "outlet": d.outlet, "date": date, "line": h.line,
                "sentence": h.sentence, "match": h.matched, "voice": h.voice, "speaker": h.speaker,
                "context": context(corpus, h).plain(),
            });
            if !pattern {
                obj["term"] = json!(e.term);
                obj["concept"] = json!(e.concept);
                obj["pole"] = json!(e.pole);
                obj["lexicon"] = json!(matcher.lexicons()[h.lexicon].name);
                obj["negated"] = json!(h.negated);
                obj["cue"] = json!(h.cue);
            }
            self.rows.push(obj);
        }
    }

    fn report(self) -> Report {
        let headline = vec![format!("{} hits in {} documents.", self.rows.len(), self.documents)];
        let json = json!({ "schema": schema("kwic"), "hits": self.rows });
        Report { headline, csv: self.table.clone(), tables: vec![self.table], json }
    }
}
