//! The bad-input battery: every kind of broken input gets a clear error or a warning and a
//! skip, never a panic (exit 101) and never a silently lost document.

use crate::util::{fixture, fl, tmp};
use std::path::Path;

/// Runs `args`, asserts no panic, and that the summary's counts add up; returns
/// (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = fl().args(args).output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_ne!(code, 101, "panic on {args:?}:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    if let Some(line) = stderr.lines().find(|l| l.starts_with("corpus: ")) {
        let nums: Vec<usize> =
            line.split(|c: char| !c.is_ascii_digit()).filter_map(|x| x.parse().ok()).collect();
        assert_eq!(nums[0], nums[1] + nums[2], "counts add up: {line}");
    }
    (code, stdout, stderr)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

#[test]
fn oversized_file_is_skipped_with_the_limit_named() {
    let dir = tmp();
    let big = vec![b'a'; 21 * 1024 * 1024];
    let p = write(dir.path(), "big.txt", &big);
    let (code, _, err) = run(&["corpus", &p]);
    assert_eq!(code, 0);
    assert!(err.contains("byte limit") && err.contains("--max-bytes"), "{err}");
}

#[test]
fn long_single_line_is_read() {
    let dir = tmp();
    let line = "Armenian forces occupied the hill, officials said. ".repeat(40_000);
    let p = write(dir.path(), "one-line.txt", line.as_bytes());
    let (code, out, _) = run(&["score", &p, "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["rows"][0]["words"], 280_000);
}

#[test]
fn crlf_and_lone_cr_line_endings() {
    let v = |name: &str| {
        let (_, out, _) =
            run(&["corpus", &fixture(&format!("encodings/{name}")), "--format", "json"]);
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["documents"][0]["text"].clone()
    };
    assert_eq!(v("crlf.txt"), v("utf8.txt"));
    assert_eq!(v("cr.txt"), v("utf8.txt"));
    assert!(!v("cr.txt").as_str().unwrap().contains('\r'));
}

#[test]
fn future_date_warns() {
    let dir = tmp();
    let p = write(dir.path(), "f.txt", b"outlet: X\ndate: 2999-01-01\n---\nWords here.");
    let (_, _, err) = run(&["corpus", &p]);
    assert!(err.contains("2999-01-01 is in the future"), "{err}");
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_unreadable_files() {
    let dir = tmp();
    let sub = dir.path().join("a");
    std::fs::create_dir(&sub).unwrap();
    write(&sub, "ok.txt", b"outlet: X\n---\nSome words.");
    std::os::unix::fs::symlink(dir.path(), sub.join("loop")).unwrap();
    let locked = write(&sub, "locked.txt", b"outlet: X\n---\nSecret words.");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let (code, out, err) = run(&["corpus", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0);
    assert!(err.contains("already read"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let docs = v["documents"].as_array().unwrap().len();
    if std::fs::read(&locked).is_err() {
        assert!(err.contains("locked.txt: cannot read"), "{err}");
        assert_eq!(docs, 1);
    } else {
        // Running as root: permissions do not stop reads.
        assert_eq!(docs, 2);
    }
}

#[test]
fn ten_megabyte_csv_cell_and_many_tiny_files() {
    let dir = tmp();
    let cell = "word ".repeat(2 * 1024 * 1024);
    let p = write(dir.path(), "big.csv", format!("id,outlet,text\nx,AA,\"{cell}\"\n").as_bytes());
    let (code, out, _) = run(&["corpus", &p, "--format", "csv"]);
    assert_eq!(code, 0);
    assert!(out.contains(",Anadolu Agency,"), "{}", &out[..200.min(out.len())]);

    let many = dir.path().join("many");
    std::fs::create_dir(&many).unwrap();
    for i in 0..10_000 {
        std::fs::write(
            many.join(format!("{i:05}.txt")),
            format!("outlet: W\n---\nShort note {i}."),
        )
        .unwrap();
    }
    let (code, _, err) = run(&["corpus", many.to_str().unwrap(), "--format", "csv", "-q"]);
    assert_eq!(code, 0);
    assert!(err.is_empty(), "-q is quiet: {err}");
    let (_, _, err) = run(&["corpus", many.to_str().unwrap(), "--format", "csv"]);
    assert!(err.contains("corpus: 10000 inputs: 10000 documents analysed, 0 skipped"), "{err}");
}

#[test]
fn huge_lexicon_loads() {
    let dir = tmp();
    let mut csv = String::from("#poles: a,b,neutral\n#axis: b,a\nterm,concept,pole\n");
    for i in 0..100_000 {
        csv.push_str(&format!(
            "term{i} word{},c{},{}\n",
            i % 977,
            i % 13,
            ["a", "b", "neutral"][i % 3]
        ));
    }
    let p = write(dir.path(), "huge.csv", csv.as_bytes());
    let (code, out, _) = run(&["lexicon", "check", &p]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("100000 terms"), "{out}");
    let doc =
        write(dir.path(), "d.txt", b"outlet: X\n---\nThe term5 word5 appears, then term6 word6.");
    let (code, out, _) = run(&["score", &doc, "--lexicon", &p, "--no-bundled", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // term5 is row 5 (5 % 3 = 2: neutral), term6 is row 6 (a).
    assert_eq!(v["rows"][0]["poles"]["a"]["own"], 1);
    assert_eq!(v["rows"][0]["poles"]["b"]["own"], 0);
    assert_eq!(v["rows"][0]["poles"]["neutral"]["own"], 1);
}

#[test]
fn lexicon_errors_name_file_line_and_column() {
    let (code, _, err) = run(&["score", "--lexicon", &fixture("lexicons/bad.csv")]);
    assert_eq!(code, 1);
    for needle in [
        "bad.csv:9:1",
        "bad.csv:10:3",
        "bad.csv:11:1",
        "bad.csv:12:4",
        "bad.csv:13:1",
        "bad.csv:14:1",
    ] {
        assert!(err.contains(needle), "{needle} in {err}");
    }
    let (code, _, err) = run(&["score", "--lexicon", "/no/such/lexicon.csv"]);
    assert_eq!(code, 1);
    assert!(err.contains("/no/such/lexicon.csv") && err.contains("cannot read"), "{err}");
}

#[test]
fn every_bad_fixture_is_accounted_for() {
    let bad = fixture("encodings/bad");
    let corpora = fixture("corpora");
    for cmd in ["corpus", "score", "kwic --lexicon-hits", "compare", "align"] {
        let mut args: Vec<&str> = cmd.split(' ').collect();
        args.push(&bad);
        args.push(&corpora);
        let (code, _, err) = run(&args);
        assert_eq!(code, 0, "{cmd}: {err}");
        assert!(err.contains("skipped: "), "{cmd}: {err}");
    }
}
