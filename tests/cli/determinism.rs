//! Same input, same bytes: every command's output is identical with one worker thread and
//! with eight, on a corpus large enough for the threads to interleave (the story and slant
//! fixtures, plus a CSV and a JSONL corpus).

use crate::util::{fixture, ok, tmp};

#[test]
fn every_command_writes_the_same_bytes_with_one_thread_or_eight() {
    let dir = tmp();
    let inputs = [
        fixture("stories"),
        fixture("slant"),
        fixture("corpora/good.csv"),
        fixture("corpora/good.jsonl"),
    ];
    let runs: &[&[&str]] = &[
        &["corpus", "--format", "json"],
        &["score", "--format", "csv"],
        &["score", "--by", "story", "--format", "json"],
        &["kwic", "--lexicon-hits", "--format", "csv"],
        &["kwic", "border", "--format", "table"],
        &["compare", "--format", "json"],
        &["compare", "--format", "md"],
        &["align", "--level", "story", "--format", "json"],
        &["align", "--level", "passage", "--format", "csv"],
        &["keyness", "--format", "csv"],
        // Every row, by outlet and by story: each thread counts into a vocabulary of its own,
        // with documents handed out as threads come free.
        &["keyness", "--top", "0", "--format", "csv"],
        &["keyness", "--by", "story", "--top", "0", "--format", "json"],
        &["lexicon", "coverage", "--format", "json"],
        &["report"],
        &["exercise", "--seed", "7"],
    ];
    for args in runs {
        let out = |jobs: &str| {
            let key = dir.path().join(format!("key-{jobs}.html")).display().to_string();
            let mut a: Vec<&str> = args.to_vec();
            a.extend(inputs.iter().map(String::as_str));
            a.extend(["--jobs", jobs, "-q"]);
            if args[0] == "exercise" {
                a.extend(["--answers", &key]);
            }
            let (stdout, _) = ok(&a);
            let key = std::fs::read_to_string(&key).unwrap_or_default();
            (stdout, key)
        };
        let (one, key_one) = out("1");
        let (eight, key_eight) = out("8");
        assert!(!one.is_empty(), "{args:?}: no output");
        assert!(one == eight, "{args:?}: output differs between --jobs 1 and --jobs 8");
        assert!(key_one == key_eight, "{args:?}: answer key differs");
    }
}
