//! Command-line interface: the clap definitions, the options shared by all commands
//! ([`GlobalArgs`]), and the [`Plan`] they resolve to before any document is read (lexicons
//! parsed and compiled, registry loaded, output opened), so a typo fails in milliseconds.
//! One file per subcommand holds its arguments and the few lines that glue stages together.

mod align;
mod compare;
mod completions;
mod corpus;
mod html;
mod keyness;
mod kwic;
mod lexicon;
mod man;
pub mod messages;
mod score;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use framelens::corpus::{Corpus, Date, Document, InputKind, ReadOptions, Registry, Rules};
use framelens::lexicon::{self as lex, Matcher};
use framelens::report::{self, Format, Report, Style};
use framelens::score::{Detail, Scored};
use framelens::text::Lang;
use messages::Verbosity;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Compare how news outlets frame the same events.
///
/// Reads articles, matches curated framing lexicons, and shows each outlet's word choices side
/// by side. With no PATH, commands use the bundled sample corpus (five reports on the
/// Nagorno-Karabakh conflict).
#[derive(Debug, Parser)]
#[command(name = "framelens", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    global: GlobalArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    Compare(compare::Args),
    Align(align::Args),
    Keyness(keyness::Args),
    Report(html::ReportArgs),
    Exercise(html::ExerciseArgs),
    Corpus(corpus::Args),
    Score(score::Args),
    Kwic(kwic::Args),
    Lexicon(lexicon::Args),
    Completions(completions::Args),
    Man(man::Args),
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    /// When writing to a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// How to read inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum InputArg {
    /// By extension; stdin is sniffed.
    #[default]
    Auto,
    /// One article per file.
    Text,
    /// CSV corpus or manifest.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// Options shared by every command.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Lexicon CSV, or the name of a bundled lexicon (repeatable); replaces the bundled lexicon
    /// of the same #name, else adds one.
    #[arg(long, global = true, value_name = "FILE")]
    lexicon: Vec<PathBuf>,
    /// Do not use the bundled lexicons.
    #[arg(long, global = true)]
    no_bundled: bool,
    /// Outlet registry CSV [default: bundled lexicons/outlets.csv].
    #[arg(long, global = true, value_name = "FILE")]
    outlets: Option<PathBuf>,
    /// Boilerplate rules CSV [default: bundled lexicons/boilerplate.csv].
    #[arg(long, global = true, value_name = "FILE")]
    boilerplate: Option<PathBuf>,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write output to FILE instead of stdout.
    #[arg(short, long, global = true, value_name = "FILE")]
    output: Option<PathBuf>,
    /// When to use colour.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Fit output to N columns, at least 20 [default: the terminal's width; unlimited when
    /// not a terminal].
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
    width: Option<u16>,
    /// Start CSV output with a byte-order mark (for Excel).
    #[arg(long, global = true)]
    bom: bool,
    /// How to read inputs.
    #[arg(long, global = true, value_enum, default_value_t = InputArg::Auto)]
    input: InputArg,
    /// Skip inputs larger than this many bytes.
    #[arg(long, global = true, default_value_t = 20 * 1024 * 1024, value_name = "N")]
    max_bytes: u64,
    /// Worker threads [default: all cores].
    #[arg(long, global = true, value_name = "N")]
    jobs: Option<usize>,
    /// Print errors only.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print one line of counts per stage.
    #[arg(short, long, global = true)]
    verbose: bool,
}

/// A usage error (exit code 2) found after parsing.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Everything resolved from the global options, before reading documents.
pub struct Plan {
    pub verbosity: Verbosity,
    pub read: ReadOptions,
    pub lang: &'static Lang,
    pub matcher: Matcher,
    format: Format,
    style: Style,
    output: Option<PathBuf>,
}

/// Inputs per batch when streaming: enough to keep every core busy, few enough that memory
/// stays flat (a batch of 600-word articles is a few megabytes).
const BATCH: usize = 1024;

/// The bundled sample corpus, embedded so `framelens compare` works anywhere.
const SEEDS: &[(&str, &str)] = &[
    ("seeds/000_b56c73ee0fe4b283.txt", include_str!("../../seeds/000_b56c73ee0fe4b283.txt")),
    ("seeds/001_ad256211f7d105d4.txt", include_str!("../../seeds/001_ad256211f7d105d4.txt")),
    ("seeds/002_778b9e0790c24e14.txt", include_str!("../../seeds/002_778b9e0790c24e14.txt")),
    ("seeds/003_c4922a6e2bb285a2.txt", include_str!("../../seeds/003_c4922a6e2bb285a2.txt")),
    ("seeds/004_0215c4c0f4dc5f71.txt", include_str!("../../seeds/004_0215c4c0f4dc5f71.txt")),
];

impl Plan {
    fn new(g: &GlobalArgs) -> Result<Plan> {
        let verbosity = if g.quiet {
            Verbosity::Quiet
        } else if g.verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        };
        if let Some(n) = g.jobs {
            if n == 0 {
                return Err(UsageError("--jobs must be at least 1".into()).into());
            }
            // Fails only if a pool was already built, which cannot happen before this point.
            let _ = rayon::ThreadPoolBuilder::new().num_threads(n).build_global();
        }
        // The boilerplate rules take the longest to build: the rest, the lexicons' matcher
        // included, is built beside them. Errors are reported in the order the files were
        // always read.
        let lang = Lang::english();
        let (rules, (registry, matcher)) = rayon::join(
            || data_file(&g.boilerplate, Rules::parse, Rules::builtin),
            || {
                let registry = data_file(&g.outlets, Registry::parse, Registry::builtin);
                let lexicons = load_lexicons(&g.lexicon, g.no_bundled);
                (registry, lexicons.map(|l| Matcher::new(l, lang)))
            },
        );
        let (registry, rules, matcher) = (registry?, rules?, matcher?);
        let lexicons = matcher.lexicons();
        let terms: usize = lexicons.iter().map(|l| l.entries.len()).sum();
        messages::stage(
            verbosity,
            &format!("lexicon: {} lexicon(s), {terms} terms, 0 errors", lexicons.len()),
        );
        let kind = match g.input {
            InputArg::Auto => InputKind::Auto,
            InputArg::Text => InputKind::Text,
            InputArg::Csv => InputKind::Csv,
            InputArg::Jsonl => InputKind::Jsonl,
        };
        let read =
            ReadOptions { registry, rules, max_bytes: g.max_bytes, today: Some(today()), kind };
        let to_terminal = g.output.is_none() && std::io::stdout().is_terminal();
        let color = match g.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        } && g.format == Format::Table;
        let width =
            g.width.or_else(|| if to_terminal { comfy_table::Table::new().width() } else { None });
        Ok(Plan {
            verbosity,
            read,
            lang,
            matcher,
            format: g.format,
            style: Style { color, width, bom: g.bom },
            output: g.output.clone(),
        })
    }

    /// Reads the inputs (the bundled sample when none are given) and prints the summary.
    pub fn corpus(&self, paths: &[PathBuf]) -> Corpus {
        let mut corpus = Corpus::default();
        self.read_batches(paths, usize::MAX, false, |batch| {
            corpus.documents.extend(batch.documents);
            corpus.skipped.extend(batch.skipped);
            corpus.warnings.extend(batch.warnings);
        });
        messages::corpus_summary(self.verbosity, &corpus);
        corpus
    }

    /// Reads the inputs in batches, handing each to `each` in input order and dropping it
    /// after, so that memory stays flat whatever the corpus size; then prints the summary.
    /// Fails, after the summary, when no input became a document. The next batch is read
    /// while `each` works on the last (see [`framelens::corpus::stream`]).
    pub fn stream(&self, paths: &[PathBuf], mut each: impl FnMut(&Corpus) + Send) -> Result<()> {
        let mut summary = Corpus::default();
        let mut documents = 0;
        self.read_batches(paths, BATCH, true, |batch| {
            documents += batch.documents.len();
            each(&batch);
            summary.skipped.extend(batch.skipped);
            summary.warnings.extend(batch.warnings);
            // Thousands of allocations, freed beside the next batch's work rather than before
            // it: here only one thread would be busy.
            let documents = batch.documents;
            rayon::spawn(move || drop(documents));
        });
        messages::summary(self.verbosity, documents, &summary.skipped, &summary.warnings);
        if documents == 0 {
            self.require_documents(&summary)?;
        }
        Ok(())
    }

    fn read_batches(
        &self,
        paths: &[PathBuf],
        batch: usize,
        ahead: bool,
        mut each: impl FnMut(Corpus) + Send,
    ) {
        let mut progress = messages::Progress::new(self.verbosity);
        if paths.is_empty() {
            let mut c = Corpus::default();
            for (name, text) in SEEDS {
                let part = framelens::corpus::read_bytes(name, text.as_bytes(), &self.read);
                c.documents.extend(part.documents);
                c.skipped.extend(part.skipped);
                c.warnings.extend(part.warnings);
            }
            each(c);
        } else {
            framelens::corpus::stream(paths, &self.read, batch, ahead, |c| {
                progress.advance(c.documents.len() + c.skipped.len());
                each(c);
            });
        }
        progress.finish();
    }

    /// Fails when no input became a document: nothing can be compared.
    pub fn require_documents(&self, corpus: &Corpus) -> Result<()> {
        if corpus.documents.is_empty() {
            // With -q the reasons were not printed, and this error is all the user sees.
            if self.verbosity == Verbosity::Quiet && !corpus.skipped.is_empty() {
                let reasons: Vec<String> = corpus
                    .skipped
                    .iter()
                    .map(|s| {
                        format!("{}: {}", report::sanitize(&s.input), report::sanitize(&s.reason))
                    })
                    .collect();
                anyhow::bail!("no documents to analyse ({})", reasons.join("; "));
            }
            anyhow::bail!(
                "no documents to analyse ({} input(s) skipped; see the reasons above)",
                corpus.skipped.len()
            );
        }
        Ok(())
    }

    /// Outlet name and aliases of a document, which the text stage never takes as a speaker.
    pub fn self_names(&self, d: &Document) -> Vec<String> {
        match self.read.registry.get(&d.outlet) {
            Some(o) => std::iter::once(o.name.clone()).chain(o.aliases.iter().cloned()).collect(),
            None => vec![d.outlet.clone()],
        }
    }

    /// Hits of every document, with the voice `detail` asked for.
    pub fn score(&self, corpus: &Corpus, detail: Detail) -> Scored {
        let scored = framelens::score::hits(
            corpus,
            &self.matcher,
            self.lang,
            |d| self.self_names(d),
            detail,
        );
        self.score_stage(scored.hits.iter().map(Vec::len).sum(), corpus.documents.len());
        scored
    }

    /// The `-v` line of the score stage.
    pub fn score_stage(&self, hits: usize, documents: usize) {
        self.stage(&format!("score: {hits} lexicon hits in {documents} documents"));
    }

    /// One line of counts for a stage, with `-v`.
    pub fn stage(&self, msg: &str) {
        messages::stage(self.verbosity, msg);
    }

    /// Renders a report to stdout or the output file.
    pub fn emit(&self, rep: &Report) -> Result<()> {
        let rows = match self.format.shows_tables() {
            false => rep.csv.rows.len(),
            true => rep.tables.iter().map(|t| t.rows.len()).sum(),
        };
        messages::stage(
            self.verbosity,
            &format!("report: {rows} rows as {}", format!("{:?}", self.format).to_lowercase()),
        );
        write_to(self.output.as_deref(), |w| report::render(rep, self.format, self.style, w))
    }
}

/// Writes output that is not a report (a script, a manual page) to -o FILE or stdout.
fn write_plain(
    g: &GlobalArgs,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    write_to(g.output.as_deref(), write)
}

/// Opens `path` (or stdout for `None` or `-`) and runs `write` on it.
pub(crate) fn write_to(
    path: Option<&std::path::Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    match path.filter(|p| *p != std::path::Path::new("-")) {
        Some(p) => {
            let f = std::fs::File::create(p)
                .with_context(|| format!("cannot create {}", p.display()))?;
            let mut w = std::io::BufWriter::new(f);
            write(&mut w).with_context(|| format!("cannot write {}", p.display()))?;
            w.flush().with_context(|| format!("cannot write {}", p.display()))?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            write(&mut w)?;
            w.flush()?;
        }
    }
    Ok(())
}

/// A data file given on the command line, parsed, else the bundled one.
fn data_file<T, E>(
    path: &Option<PathBuf>,
    parse: impl Fn(&str, &str) -> std::result::Result<T, E>,
    builtin: impl Fn() -> T,
) -> Result<T>
where
    E: std::error::Error + Send + Sync + 'static,
{
    match path {
        Some(p) => Ok(parse(&p.display().to_string(), &read_text(p)?)?),
        None => Ok(builtin()),
    }
}

fn read_text(p: &PathBuf) -> Result<String> {
    let bytes = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
    Ok(framelens::corpus::decode(&bytes).with_context(|| p.display().to_string())?.text)
}

/// Parses every lexicon file, reporting all problems of all files at once.
fn load_lexicons(files: &[PathBuf], no_bundled: bool) -> Result<Vec<lex::Lexicon>> {
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    for f in files {
        // A bare name that is not a file selects a bundled lexicon: `--lexicon war`.
        let name = f.to_string_lossy();
        if !f.exists() && !name.contains(['/', '\\', '.']) {
            match lex::bundled(&name)? {
                Some(l) => loaded.push(l),
                None => errors
                    .push(format!("{name}: no such file, and no bundled lexicon of that name")),
            }
            continue;
        }
        match lex::load(f) {
            Ok(l) => loaded.push(l),
            Err(e) => errors.push(e.to_string()),
        }
    }
    if !errors.is_empty() {
        anyhow::bail!(
            "lexicon errors (run `framelens lexicon check FILE` for all details):\n{}",
            errors.join("\n")
        );
    }
    let all = if no_bundled { loaded } else { lex::resolve(loaded)? };
    if all.is_empty() {
        return Err(UsageError(
            "no lexicon: --no-bundled needs at least one --lexicon FILE".into(),
        )
        .into());
    }
    Ok(all)
}

/// Today's date (UTC), for "date in the future" warnings only; never part of output.
fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    // Civil date from days since epoch (Howard Hinnant's civil_from_days).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
    Date::new(y, m, d).unwrap_or(Date { year: 2100, month: 1, day: 1 })
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    // These describe the command line itself: no lexicon or corpus to load first.
    let command = match cli.command {
        Command::Completions(a) => return completions::run(a, &cli.global),
        Command::Man(a) => return man::run(a, &cli.global),
        other => other,
    };
    let plan = Plan::new(&cli.global)?;
    match command {
        Command::Compare(a) => compare::run(a, &plan),
        Command::Align(a) => align::run(a, &plan),
        Command::Keyness(a) => keyness::run(a, &plan),
        Command::Report(a) => html::run_report(a, &plan),
        Command::Exercise(a) => html::run_exercise(a, &plan),
        Command::Corpus(a) => corpus::run(a, &plan),
        Command::Score(a) => score::run(a, &plan),
        Command::Kwic(a) => kwic::run(a, &plan),
        Command::Lexicon(a) => lexicon::run(a, &plan, &cli.global),
        Command::Completions(a) => completions::run(a, &cli.global),
        Command::Man(a) => man::run(a, &cli.global),
    }
}
