//! Replays the fuzz seed corpus and every input a fuzzer found (`fuzz/corpus/<target>/`,
//! `fuzz/regressions/<target>/`) through the same entry points and invariants as the fuzz
//! targets, so CI keeps found crashes fixed without running a fuzzer. Run the fuzzers
//! themselves with `bash .ci/fuzz SECONDS`.

#[path = "../../fuzz/src/checks.rs"]
mod checks;

use crate::util::root;
use std::panic::catch_unwind;
use std::path::Path;

type Entry = fn(&[u8]);

const TARGETS: &[(&str, Entry)] = &[
    ("header", checks::header),
    ("dates", checks::dates),
    ("lexicon", checks::lexicon),
    ("corpus", checks::corpus),
    ("quotes", checks::quotes),
];

/// Files of a folder, sorted; none when it does not exist.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn fuzz_replay_corpus_and_regressions() {
    let mut failures = Vec::new();
    let mut replayed = 0;
    for (name, entry) in TARGETS {
        let seeds = files(&root().join("fuzz/corpus").join(name));
        assert!(seeds.len() >= 3, "fuzz/corpus/{name} needs seed inputs");
        for path in seeds.iter().chain(&files(&root().join("fuzz/regressions").join(name))) {
            let data = std::fs::read(path).expect("readable fuzz input");
            replayed += 1;
            if catch_unwind(|| entry(&data)).is_err() {
                failures.push(path.display().to_string());
            }
        }
    }
    assert!(failures.is_empty(), "fuzz inputs that fail (see the panics above): {failures:#?}");
    assert!(replayed >= 5 * 3);
}

#[test]
fn fuzz_folders_name_only_known_targets() {
    for dir in ["fuzz/corpus", "fuzz/regressions", "fuzz/dict"] {
        let Ok(entries) = std::fs::read_dir(root().join(dir)) else { continue };
        for sub in entries.flatten() {
            let file = sub.file_name().to_string_lossy().to_string();
            let name = file.strip_suffix(".dict").unwrap_or(&file);
            assert!(
                TARGETS.iter().any(|(t, _)| *t == name),
                "{dir}/{name} is not a fuzz target (known: header, dates, lexicon, corpus, quotes)"
            );
        }
    }
}
