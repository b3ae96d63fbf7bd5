//! Messages to stderr: warnings, skipped inputs and the run summary, silenced by `-q`.

use framelens::corpus::{Corpus, Skipped, Warning};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// How much to say on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    /// Errors only (`-q`).
    Quiet,
    /// Warnings and the summary.
    Normal,
    /// Also one line of counts per stage (`-v`).
    Verbose,
}

/// Prints a warning.
pub fn warn(v: Verbosity, msg: &str) {
    if v != Verbosity::Quiet {
        eprintln!("warning: {}", framelens::report::sanitize(msg));
    }
}

/// Prints a per-stage line in verbose mode.
pub fn stage(v: Verbosity, msg: &str) {
    if v == Verbosity::Verbose {
        eprintln!("{msg}");
    }
}

/// Prints warnings and skipped inputs, then the summary: inputs read, analysed, skipped.
pub fn corpus_summary(v: Verbosity, corpus: &Corpus) {
    summary(v, corpus.documents.len(), &corpus.skipped, &corpus.warnings);
}

/// [`corpus_summary`] for a corpus read in batches: only the counts and messages are kept.
pub fn summary(v: Verbosity, documents: usize, skipped: &[Skipped], warnings: &[Warning]) {
    if v == Verbosity::Quiet {
        return;
    }
    for w in warnings {
        warn(v, &format!("{}: {}", w.input, w.message));
    }
    for s in skipped {
        eprintln!(
            "skipped: {}: {}",
            framelens::report::sanitize(&s.input),
            framelens::report::sanitize(&s.reason)
        );
    }
    let n = documents;
    let k = skipped.len();
    eprintln!(
        "corpus: {} inputs: {n} document{} analysed, {k} skipped",
        n + k,
        if n == 1 { "" } else { "s" }
    );
}

/// A progress line on stderr for long reads: shown only after a second (or after
/// `FRAMELENS_PROGRESS_AFTER_MS` milliseconds), only when stderr is a terminal, never with
/// `-q`; cleared when done so that it leaves no trace.
pub struct Progress {
    enabled: bool,
    started: Instant,
    after: Duration,
    inputs: u64,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A progress line that may appear later.
    pub fn new(v: Verbosity) -> Self {
        let enabled = v != Verbosity::Quiet && std::io::stderr().is_terminal();
        let after = std::env::var("FRAMELENS_PROGRESS_AFTER_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(Duration::from_secs(1), Duration::from_millis);
        Progress { enabled, started: Instant::now(), after, inputs: 0, bar: None }
    }

    /// Counts `n` more inputs read.
    pub fn advance(&mut self, n: usize) {
        self.inputs += n as u64;
        if !self.enabled {
            return;
        }
        if self.bar.is_none() && self.started.elapsed() >= self.after {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {pos} inputs read ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            // Drawn once here: with the steady tick on, only its thread draws, and on a busy
            // machine it may not run before a short job ends.
            bar.set_position(self.inputs);
            bar.tick();
            bar.enable_steady_tick(Duration::from_millis(200));
            self.bar = Some(bar);
        } else if let Some(bar) = &self.bar {
            bar.set_position(self.inputs);
        }
    }

    /// Clears the line.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
