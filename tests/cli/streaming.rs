//! Reading and tallying in batches gives what reading the whole corpus at once gives: the
//! commands stream with batches of 1,024 inputs, which the small test corpora never fill, so
//! these tests use batches of one and two inputs through the library.

use crate::util::fixture;
use framelens::corpus::{self, Corpus, ReadOptions};
use framelens::keyness::{self, Counter};
use framelens::lexicon::{self, Matcher};
use framelens::score::{self, Grouping, Tallier, VoiceFilter};
use framelens::text::Lang;
use std::path::PathBuf;

/// Folders and files with several outlets, a manifest, repeated ids and skipped inputs.
fn inputs() -> Vec<PathBuf> {
    ["stories", "corpora", "slant", "corpora/good.csv"].iter().map(|p| fixture(p).into()).collect()
}

/// Batches of `batch` inputs, read one after the other and read ahead (the next batch read
/// while the last is handed on): both give the same batches.
fn batches(batch: usize) -> Vec<Corpus> {
    let mut out = Vec::new();
    corpus::stream(&inputs(), &ReadOptions::default(), batch, false, |c| out.push(c));
    let mut ahead = Vec::new();
    corpus::stream(&inputs(), &ReadOptions::default(), batch, true, |c| ahead.push(c));
    assert_eq!(ahead.len(), out.len());
    for (a, b) in ahead.iter().zip(&out) {
        let key = |c: &Corpus| {
            let docs: Vec<_> = c.documents.iter().map(|d| (&d.id, &d.path, &d.text)).collect();
            format!("{docs:?} {:?} {:?}", c.skipped, c.warnings)
        };
        assert_eq!(key(a), key(b), "batch of {batch} read ahead");
    }
    out
}

#[test]
fn batches_concatenate_to_the_whole_corpus() {
    let whole = corpus::read(&inputs(), &ReadOptions::default());
    assert!(whole.documents.len() > 20 && !whole.skipped.is_empty());
    for size in [1, 2, 7] {
        let parts = batches(size);
        assert!(parts.len() > 1);
        let docs: Vec<_> = parts.iter().flat_map(|c| &c.documents).collect();
        assert_eq!(docs.len(), whole.documents.len(), "batch {size}");
        for (a, b) in docs.iter().zip(&whole.documents) {
            assert_eq!((&a.id, &a.path, &a.outlet, &a.text), (&b.id, &b.path, &b.outlet, &b.text));
        }
        let skipped: Vec<_> = parts.iter().flat_map(|c| &c.skipped).collect();
        assert_eq!(skipped, whole.skipped.iter().collect::<Vec<_>>(), "batch {size}");
    }
    // The manifest's documents are read once, from the manifest, whatever the batch.
    let ids: Vec<&str> = whole.documents.iter().map(|d| d.id.as_str()).collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "ids stay unique across batches");
}

#[test]
fn tallies_and_counts_in_batches_equal_the_whole() {
    let lang = Lang::english();
    let m = Matcher::new(lexicon::resolve(Vec::new()).unwrap(), lang);
    let whole = corpus::read(&inputs(), &ReadOptions::default());
    let scored = score::hits(&whole, &m, lang, |_| Vec::new(), score::Detail::Speakers);
    let by_outlet =
        score::tally(&whole, &scored, &m, VoiceFilter::Own, |_, d| Some(d.outlet.clone()));
    let by_concept = score::tally_by_concept(&whole, &scored, &m, VoiceFilter::Own);
    let outlet = |_: usize, d: &corpus::Document| Some(d.outlet.clone());
    let counted = keyness::count(&whole, lang, VoiceFilter::All, outlet, |_| Vec::new());

    let mut t = Tallier::new(&m, VoiceFilter::Own, Grouping::Key);
    let mut c = Tallier::new(&m, VoiceFilter::Own, Grouping::Concept);
    let mut counter = Counter::default();
    for b in batches(2) {
        let s = score::hits(&b, &m, lang, |_| Vec::new(), score::Detail::Speakers);
        for (d, h) in b.documents.iter().zip(&s.hits) {
            t.add(&d.outlet, d.words, h);
            c.add("", d.words, h);
        }
        counter.add(&b, lang, VoiceFilter::All, outlet, |_| Vec::new());
    }
    let json = |x: &Vec<score::Tally>| serde_json::to_string(x).unwrap();
    assert_eq!(json(&t.finish()), json(&by_outlet));
    assert_eq!(json(&c.finish()), json(&by_concept));
    assert!(counter.finish().same_counts(&counted).unwrap());
    assert!(by_outlet.iter().any(|t| t.slant.is_some()), "the fixtures have axis hits");
}

/// The progress line shows on a terminal (a pseudo-terminal from `script`), and never with
/// -q or when stderr is not a terminal. The one-second delay is set to zero for the test.
#[test]
fn progress_shows_on_a_terminal_only() {
    if !crate::util::have_tool("script", "run framelens on a pseudo-terminal") {
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("framelens");
    let stories = fixture("stories");
    let on_tty = |quiet: &str| {
        let cmd = format!("{} score {quiet} {stories} --format csv", bin.display());
        let out = std::process::Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .env("FRAMELENS_PROGRESS_AFTER_MS", "0")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(on_tty("").contains("inputs read"), "{}", on_tty(""));
    assert!(!on_tty("-q").contains("inputs read"));
    let piped = crate::util::fl()
        .args(["score", &stories])
        .env("FRAMELENS_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&piped.stderr).contains("inputs read"));
}
