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
fn fifty_megabytes_on_one_line_is_skipped_with_the_limit_named() {
    let dir = tmp();
    let line = "Armenian forces occupied the hill, officials said. ".repeat(1_100_000);
    let p = write(dir.path(), "big.txt", &line.as_bytes()[..50 * 1024 * 1024]);
    let (code, _, err) = run(&["corpus", &p]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "big.txt: 52428800 bytes is over the 20971520 byte limit; raise it with --max-bytes"
        ),
        "{err}"
    );
    assert!(err.contains("corpus: 1 inputs: 0 documents analysed, 1 skipped"), "{err}");
}

#[test]
fn stdin_over_the_limit_is_skipped_not_swallowed() {
    let out = fl()
        .args(["corpus", "-", "--max-bytes", "1000"])
        .write_stdin("Armenian forces occupied the hill. ".repeat(100))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("skipped: -: standard input is over the 1000 byte limit"), "{err}");
    assert!(err.contains("corpus: 1 inputs: 0 documents analysed, 1 skipped"), "{err}");
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
    // Unreadable even for root, which permissions do not stop: a dangling link and a FIFO
    // (reading it would block forever).
    std::os::unix::fs::symlink(sub.join("gone.txt"), sub.join("dangling.txt")).unwrap();
    let fifo = sub.join("pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    let (code, out, err) = run(&["corpus", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0);
    assert!(err.contains("already read"), "{err}");
    assert!(err.contains("dangling.txt: cannot open"), "{err}");
    if made {
        assert!(err.contains("pipe.txt: not a regular file or folder"), "{err}");
    }
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

/// Inputs of every kind, good and bad, with how many each should count for in the summary.
fn mixed_inputs(dir: &Path) -> (Vec<String>, usize, usize) {
    let folder = dir.join("folder");
    std::fs::create_dir_all(folder.join("sub")).unwrap();
    let article = |outlet: &str, n: usize| {
        format!(
            "outlet: {outlet}\ndate: 2024-03-1{n}\ntitle: Report {n}\n---\n\
             Armenian forces occupied the border villages on Monday, officials said.\n\n\
             The conflict began in 1988 and the OSCE Minsk Group has mediated since 1992.\n"
        )
    };
    write(&folder, "a.txt", article("Wire", 1).as_bytes());
    write(&folder.join("sub"), "b.txt", article("Ledger", 2).as_bytes());
    write(&folder, "empty.txt", b"");
    write(&folder, "blank.txt", b"  \n\t\n");
    write(&folder, "image.png.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    write(&folder, "nul.txt", b"text\0with\0NULs");
    write(&folder, "ignored.docx", b"PK\x03\x04");
    write(&folder, ".hidden.txt", b"outlet: Wire\n---\nA hidden article.");
    std::fs::create_dir_all(folder.join(".git/objects")).unwrap();
    write(&folder.join(".git/objects"), "x.txt", b"not an article");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&folder, folder.join("sub/loop")).unwrap();
    let csv = write(
        dir,
        "rows.csv",
        format!(
            "id,outlet,title,text\nr1,Wire,T,\"{}\"\nr2,Ledger\nr3,Courier,T3,\"Troops liberated the town, the ministry said.\"\nr4,Wire,T4,\n",
            article("Wire", 3).replace('"', "\"\"")
        )
        .as_bytes(),
    );
    let jsonl = write(
        dir,
        "lines.jsonl",
        b"{\"id\":\"j1\",\"outlet\":\"Ledger\",\"text\":\"Troops occupied the hill, officials said.\"}\n{broken\n\n[1]\n{\"id\":\"j2\",\"title\":\"no text\"}\n{\"id\":\"j3\",\"outlet\":\"Wire\",\"text\":\"The OSCE Minsk Group met.\"}\n",
    );
    let missing = dir.join("missing.txt").display().to_string();
    // folder: a, b read; empty, blank, png, nul skipped; .docx skipped by extension;
    // .hidden.txt and .git skipped as hidden (not recursed); the loop skipped. rows.csv: r1, r3 read; r2 ragged, r4 empty. lines.jsonl: j1, j3 read; broken,
    // [1], no text skipped (the blank line is not an input). missing.txt skipped.
    let loops = usize::from(cfg!(unix));
    let documents = 2 + 2 + 2;
    let skipped = 5 + 2 + loops + 2 + 3 + 1;
    (vec![folder.display().to_string(), csv, jsonl, missing], documents, skipped)
}

#[test]
fn every_command_that_reads_a_corpus_accounts_for_every_input() {
    let dir = tmp();
    let (paths, documents, skipped) = mixed_inputs(dir.path());
    let html = dir.path().join("r.html").display().to_string();
    let sheet = dir.path().join("w.html").display().to_string();
    let commands: Vec<Vec<&str>> = vec![
        vec!["corpus"],
        vec!["score"],
        vec!["score", "--by", "doc"],
        vec!["kwic", "occupied"],
        vec!["kwic", "--lexicon-hits"],
        vec!["compare"],
        vec!["align", "--level", "passage"],
        vec!["keyness"],
        vec!["lexicon", "coverage"],
        vec!["report", "-o", &html],
        vec!["exercise", "-o", &sheet],
    ];
    let summary = format!(
        "corpus: {} inputs: {documents} documents analysed, {skipped} skipped",
        documents + skipped
    );
    for cmd in commands {
        let mut args = cmd.clone();
        args.extend(paths.iter().map(String::as_str));
        let (code, _, err) = run(&args);
        assert_eq!(code, 0, "{cmd:?}: {err}");
        assert!(err.contains(&summary), "{cmd:?}: expected {summary:?} in\n{err}");
        assert_eq!(err.matches("skipped: ").count(), skipped, "{cmd:?}: one line per skip\n{err}");
    }
}

#[test]
fn csv_errors_name_file_line_and_column() {
    let dir = tmp();
    let p = write(
        dir.path(),
        "c.csv",
        b"id,outlet,date,title,text\nx1,Wire,2024-01-01,T,Some words here.\nx2,Wire,2024-01-02\nx3,Wire,2024-01-03,T,Words,extra\n",
    );
    let (code, out, err) = run(&["corpus", &p, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let reasons: Vec<String> = v["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| format!("{}: {}", s["input"].as_str().unwrap(), s["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].contains("c.csv:3:")
            && reasons[0].contains("columns 4-5 (title, text) are missing"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].contains("c.csv:4:6:") && reasons[1].contains("has no header"),
        "{reasons:?}"
    );
    let (_, _, err) = run(&["corpus", &fixture("corpora/notext.csv")]);
    assert!(err.contains("notext.csv:1: no \"text\" column"), "{err}");
    let (_, _, err) = run(&["corpus", &fixture("corpora/unclosed.csv")]);
    assert!(err.contains("unclosed.csv:3:") && err.contains("never closed; close it"), "{err}");
}

#[test]
fn broken_jsonl_line_names_line_and_column() {
    let (_, out, _) = run(&["corpus", &fixture("corpora/broken.jsonl"), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["documents"].as_array().unwrap().len(), 3);
    let s = &v["skipped"][0];
    assert!(s["input"].as_str().unwrap().ends_with("broken.jsonl:3"), "{s}");
    assert!(s["reason"].as_str().unwrap().starts_with("invalid JSON at column "), "{s}");
}

#[test]
fn kwic_patterns_that_match_nothing_sensible_are_refused() {
    for pattern in ["", " ", "*", "**", "* *", "...", "?!"] {
        let (code, _, err) = run(&["kwic", pattern, "seeds"]);
        assert_eq!(code, 2, "{pattern:?}: {err}");
        assert!(err.contains("PATTERN"), "{pattern:?}: {err}");
    }
}

/// Characters a terminal acts on: ESC (CSI, OSC), the one-byte C1 CSI, BEL, backspace, CR,
/// and the bidi override that reorders what follows.
const TERMINAL_CONTROLS: &[char] = &['\u{1b}', '\u{9b}', '\u{7}', '\u{8}', '\r', '\u{202e}'];

#[test]
fn nothing_from_an_article_or_a_lexicon_reaches_the_terminal_raw() {
    let dir = tmp();
    let nasty = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{8}\u{202e}";
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    write(
        &folder,
        &format!("evil{}.txt", "\u{1b}[31m"),
        format!(
            "outlet: Wire{nasty}\ntitle: Title{nasty}\ndate: 2024-02-30\n---\n\
             Armenian forces{nasty} occupied the hill, officials said.\n\n\
             \"We{nasty} liberated it,\" the ministry{nasty} said.\n"
        )
        .as_bytes(),
    );
    write(&folder, &format!("bad{}.txt", "\u{1b}[31m"), b"\x89PNG\r\n\x1a\n");
    let input = folder.display().to_string();
    let lexicon = write(
        dir.path(),
        "lex.csv",
        format!(
            "#poles: a,b\nterm,concept,pole,note\noccupied,c{nasty},a,n{nasty}\nx,c,b{nasty},\n"
        )
        .as_bytes(),
    );
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for fmt in ["table", "md"] {
        for cmd in [
            &["corpus"][..],
            &["score"],
            &["kwic", "occupied"],
            &["kwic", "--lexicon-hits"],
            &["compare"],
            &["align", "--level", "passage"],
            &["keyness"],
        ] {
            let mut a = cmd.to_vec();
            a.extend([input.as_str(), "--format", fmt]);
            runs.push(a);
        }
    }
    runs.push(vec!["lexicon", "check", &lexicon]);
    runs.push(vec!["lexicon", "show", &lexicon]);
    runs.push(vec!["score", &input, "--lexicon", &lexicon]);
    for args in runs {
        let (_, out, err) = run(&args);
        for (what, text) in [("stdout", &out), ("stderr", &err)] {
            let found: Vec<char> =
                TERMINAL_CONTROLS.iter().copied().filter(|c| text.contains(*c)).collect();
            assert!(found.is_empty(), "{args:?}: {what} passes {found:?} through:\n{text}");
        }
    }
}

/// A name that starts with a dot is hidden whether or not the rest is UTF-8 (before, a
/// non-UTF-8 dot name was read); folders list in name order.
#[cfg(unix)]
#[test]
fn dot_names_are_hidden_whatever_their_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tmp();
    let body = b"outlet: Wire\n---\nArmenian forces occupied the border villages on Monday.";
    write(dir.path(), "b.txt", body);
    write(dir.path(), "a.txt", body);
    let odd = std::ffi::OsStr::from_bytes(b".\xffsecret.txt");
    std::fs::write(dir.path().join(odd), body).unwrap();
    let v = crate::util::json(&["corpus", &dir.path().display().to_string()]);
    let ids: Vec<&str> =
        v["documents"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "b"]);
    let skipped = v["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(skipped[0]["reason"].as_str().unwrap().starts_with("hidden"), "{skipped:?}");
}
