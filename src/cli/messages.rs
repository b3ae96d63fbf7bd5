//! Messages to stderr: warnings, skipped inputs and the run summary, silenced by `-q`.

use framelens::corpus::Corpus;

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
    if v == Verbosity::Quiet {
        return;
    }
    for w in &corpus.warnings {
        warn(v, &format!("{}: {}", w.input, w.message));
    }
    for s in &corpus.skipped {
        eprintln!(
            "skipped: {}: {}",
            framelens::report::sanitize(&s.input),
            framelens::report::sanitize(&s.reason)
        );
    }
    let n = corpus.documents.len();
    let k = corpus.skipped.len();
    eprintln!(
        "corpus: {} inputs: {n} document{} analysed, {k} skipped",
        n + k,
        if n == 1 { "" } else { "s" }
    );
}
