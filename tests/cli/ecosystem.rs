//! framelens among other tools: version, shell completions, man page, JSON Lines in and out
//! of pipelines (1,000 documents, partitions through `xargs -P`, a reader that stops early),
//! colour and width on terminals, and what `-q` and `-v` print.

use crate::util::{fails, fixture, fl, have_tool, ok, sh, tmp};
use framelens::report::table::display_width;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

/// How many times doc `i` of the synthetic corpus says Khankendi (azerbaijan pole) and
/// Stepanakert (armenia pole), each in its own sentence, in the outlet's own voice.
fn expected(i: usize) -> (usize, usize) {
    (i % 4, (i / 4) % 3)
}

/// `n` JSONL documents whose ids (`doc-0000`...) come in a shuffled order, so that input
/// order and id order differ.
fn synthetic(n: usize) -> (String, Vec<String>) {
    let outlets = ["Caspian Courier", "Yerevan Ledger", "Geneva Wire Service"];
    let mut text = String::new();
    let mut ids = Vec::new();
    for k in 0..n {
        // 379 is coprime with 1,000, so this visits every index once.
        let i = (k * 379) % n;
        let (a, b) = expected(i);
        let mut body = format!("Report number {i} on the mountain road.");
        for j in 0..a {
            body.push_str(&format!(" Trucks reached Khankendi on day {j}."));
        }
        for j in 0..b {
            body.push_str(&format!(" Families left Stepanakert on day {j}."));
        }
        let id = format!("doc-{i:04}");
        let line = serde_json::json!({
            "id": id, "outlet": outlets[i % 3], "date": format!("2024-02-{:02}", 1 + i % 28),
            "title": format!("Road report {i}"), "text": body,
        });
        text.push_str(&line.to_string());
        text.push('\n');
        ids.push(id);
    }
    (text, ids)
}

/// Runs framelens with `stdin`, asserts success, returns stdout.
fn with_stdin(args: &[&str], stdin: &str) -> String {
    let out = fl().args(args).write_stdin(stdin).output().expect("runs");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The binary as a std Command (assert_cmd's cannot spawn), run like `fl()`.
fn spawnable() -> std::process::Command {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("framelens"));
    c.current_dir(crate::util::root()).env("NO_COLOR", "1").env_remove("COLUMNS");
    c
}

fn objects(jsonl: &str) -> Vec<serde_json::Value> {
    jsonl.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect()
}

#[test]
fn version_is_the_package_version() {
    let (out, _) = ok(&["--version"]);
    assert_eq!(out, format!("framelens {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn bash_completion_loads_and_completes() {
    let dir = tmp();
    let script = dir.path().join("framelens.bash");
    ok(&["completions", "bash", "-o", script.to_str().unwrap()]);
    // Loads the script, then asks it what to complete as bash would on a Tab press.
    let complete = |words: &str| {
        let probe = format!(
            "source {s} || exit 9; complete -p framelens || exit 8; \
             COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             COMP_LINE='{words}'; COMP_POINT=${{#COMP_LINE}}; \
             _framelens framelens \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            s = script.display()
        );
        let out = std::process::Command::new("bash").arg("-c").arg(probe).output().unwrap();
        assert!(out.status.success(), "{words}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let first = complete("framelens sc");
    assert!(first.lines().next().unwrap().ends_with("-F _framelens framelens"), "{first}");
    assert!(first.lines().any(|l| l == "score"), "{first}");
    let formats = complete("framelens score --format js");
    let mut got: Vec<&str> = formats.lines().skip(1).collect();
    got.sort_unstable();
    assert_eq!(got, ["json", "jsonl"]);
}

#[test]
fn completions_for_every_shell_know_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (out, _) = ok(&["completions", shell]);
        for word in ["compare", "kwic", "keyness", "completions", "no-bundled"] {
            assert!(out.contains(word), "{shell} completion lacks {word}");
        }
        // These three also complete option values (PowerShell and elvish do not).
        if ["bash", "zsh", "fish"].contains(&shell) {
            assert!(out.contains("jsonl"), "{shell} completion lacks --format jsonl");
        }
    }
    // Syntax checks where the shell is installed; bash always is.
    for (shell, check) in [("bash", "bash -n"), ("zsh", "zsh -n"), ("fish", "fish --no-execute")] {
        if !crate::util::installed(shell) {
            continue;
        }
        let dir = tmp();
        let out = sh(&format!("framelens completions {shell} > c && {check} c"), dir.path());
        assert!(out.status.success(), "{shell}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn man_page_renders_with_man() {
    let dir = tmp();
    let page = dir.path().join("framelens.1");
    ok(&["man", "-o", page.to_str().unwrap()]);
    let roff = std::fs::read_to_string(&page).unwrap();
    assert!(roff.contains(".TH framelens 1"), "{roff}");
    ok(&["man", "--dir", dir.path().join("man1").to_str().unwrap()]);
    assert!(dir.path().join("man1/framelens-score.1").exists());
    if !have_tool("man", "render the manual page") {
        return;
    }
    let render = |file: &std::path::Path| {
        let out = std::process::Command::new("man")
            .arg("-l")
            .arg(file)
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .env("MANWIDTH", "80")
            .output()
            .unwrap();
        assert!(out.status.success(), "man -l: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let text = render(&page);
    assert!(text.contains("framelens - Compare how news outlets frame the same events"), "{text}");
    for word in ["SYNOPSIS", "--format", "jsonl", "completions"] {
        assert!(text.contains(word), "man page lacks {word}:\n{text}");
    }
    let score = render(&dir.path().join("man1/framelens-score.1"));
    assert!(score.contains("--by"), "{score}");
}

/// Checks one row: the JSON object has the CSV's keys in the CSV's order, and the same values
/// (numbers as numbers, missing as null, text as text without the formula guard).
fn same_row(headers: &csv::StringRecord, rec: &csv::StringRecord, line: &str, what: &str) {
    let obj: serde_json::Value = serde_json::from_str(line).expect("JSON object");
    let obj = obj.as_object().expect("an object");
    assert_eq!(obj.len(), headers.len(), "{what}: {line}");
    let mut at = 0;
    for (col, field) in headers.iter().zip(rec.iter()) {
        let key = format!("{}:", serde_json::Value::from(col));
        let pos = line[at..].find(&key).unwrap_or_else(|| panic!("{what}: {col} out of order"));
        at += pos + key.len();
        match &obj[col] {
            serde_json::Value::Null => assert_eq!(field, "", "{what}: {col}"),
            serde_json::Value::Number(n) => {
                let x: f64 = field.parse().unwrap_or_else(|_| panic!("{what}: {col}={field}"));
                assert!((x - n.as_f64().unwrap()).abs() < 1e-9, "{what}: {col} {x} vs {n}");
            }
            serde_json::Value::String(s) => {
                assert!(field == s || *field == format!("'{s}"), "{what}: {col} {field:?} vs {s:?}")
            }
            other => panic!("{what}: {col} is {other}"),
        }
    }
}

#[test]
fn jsonl_rows_are_the_csv_rows_of_every_command() {
    let commands: &[&[&str]] = &[
        &["corpus"],
        &["corpus", "tests/fixtures/encodings"],
        &["score"],
        &["score", "--by", "doc"],
        &["score", "--by", "concept"],
        &["score", "--by", "story", "tests/fixtures/stories"],
        &["kwic", "occupied"],
        &["kwic", "--lexicon-hits"],
        &["align"],
        &["align", "--level", "passage"],
        &["keyness"],
        &["compare"],
        &["lexicon", "show"],
        &["lexicon", "explain", "occupy"],
        &["lexicon", "check", "tests/fixtures/lexicons/mini.csv"],
        &["lexicon", "coverage"],
    ];
    for args in commands {
        let mut a = args.to_vec();
        a.extend(["--format", "csv"]);
        let (csv_out, _) = ok(&a);
        a.pop();
        a.push("jsonl");
        let (jsonl_out, _) = ok(&a);
        let mut r = csv::Reader::from_reader(csv_out.as_bytes());
        let headers = r.headers().unwrap().clone();
        let records: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        let lines: Vec<&str> = jsonl_out.lines().collect();
        assert_eq!(records.len(), lines.len(), "{args:?}: rows");
        assert!(!lines.is_empty() || args[0] == "lexicon", "{args:?} has rows");
        for (rec, line) in records.iter().zip(&lines) {
            same_row(&headers, rec, line, &format!("{args:?}"));
        }
    }
    // The HTML pages are not tables: they refuse it as they refuse CSV.
    fails(&["report", "--format", "jsonl"], 2);
    fails(&["exercise", "--format", "jsonl"], 2);
}

#[test]
fn a_thousand_documents_through_stdin_nothing_lost_or_reordered() {
    let (corpus, ids) = synthetic(1000);
    let args = ["-", "--input", "jsonl", "--format", "jsonl"];

    let read = objects(&with_stdin(&[&["corpus"], &args[..]].concat(), &corpus));
    let got: Vec<&str> = read.iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert_eq!(got, ids, "corpus: every document, in input order");

    // Every hit, documents in input order, each document's hits as many as it holds.
    let hits = objects(&with_stdin(&[&["kwic", "--lexicon-hits"], &args[..]].concat(), &corpus));
    let mut per_doc: Vec<(String, usize, usize)> = Vec::new();
    for h in &hits {
        let doc = h["doc"].as_str().unwrap();
        if per_doc.last().is_none_or(|(d, ..)| d != doc) {
            per_doc.push((doc.to_string(), 0, 0));
        }
        let last = per_doc.last_mut().unwrap();
        match h["term"].as_str().unwrap() {
            "Khankendi" => last.1 += 1,
            "Stepanakert" => last.2 += 1,
            other => panic!("unexpected hit {other} in {doc}"),
        }
    }
    let with_hits: Vec<(String, usize, usize)> = ids
        .iter()
        .map(|id| {
            let (a, b) = expected(id[4..].parse().unwrap());
            (id.clone(), a, b)
        })
        .filter(|(_, a, b)| a + b > 0)
        .collect();
    assert_eq!(per_doc, with_hits, "kwic: hits per document, in input order");

    // Per-document scores: 3 poles x 3 voices for every document, sorted by id.
    let rows = objects(&with_stdin(&[&["score", "--by", "doc"], &args[..]].concat(), &corpus));
    assert_eq!(rows.len(), 1000 * 9);
    let mut sorted = ids.clone();
    sorted.sort();
    let docs: Vec<&str> = rows.iter().step_by(9).map(|r| r["doc"].as_str().unwrap()).collect();
    assert_eq!(docs, sorted);
    for r in rows.iter().filter(|r| r["voice"] == "own") {
        let (a, b) = expected(r["doc"].as_str().unwrap()[4..].parse().unwrap());
        let want = match r["pole"].as_str().unwrap() {
            "azerbaijan" => a,
            "armenia" => b,
            _ => 0,
        };
        assert_eq!(r["hits"], want, "{r}");
    }
}

#[test]
fn partitions_through_xargs_p_give_the_same_rows_as_one_run() {
    let dir = tmp();
    let (corpus, _) = synthetic(1000);
    std::fs::write(dir.path().join("corpus.jsonl"), &corpus).unwrap();
    let run = |script: &str| {
        let out = sh(script, dir.path());
        assert!(out.status.success(), "{script}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let kwic = "framelens -q kwic --lexicon-hits {} --input jsonl --format jsonl";
    let whole = run(&kwic.replace("{}", "corpus.jsonl"));
    let parts = run(&format!(
        "split -n l/4 -d corpus.jsonl part. && \
         ls part.0? | xargs -P 4 -I{{}} sh -c '{kwic} > {{}}.out' && cat part.0?.out"
    ));
    assert!(whole.lines().count() > 1000);
    assert_eq!(parts, whole, "kwic: partitions concatenated in order = one run");

    // Per-document scores do not depend on the other documents of the run.
    let score = "framelens -q score --by doc {} --input jsonl --format jsonl";
    let whole = run(&score.replace("{}", "corpus.jsonl"));
    let parts = run(&format!("for p in part.0?; do {}; done", score.replace("{}", "$p")));
    let mut a: Vec<&str> = whole.lines().collect();
    let mut b: Vec<&str> = parts.lines().collect();
    a.sort_unstable();
    b.sort_unstable();
    assert_eq!(a, b, "score --by doc: the same rows");
}

#[test]
fn output_is_the_same_whatever_the_jobs() {
    let (corpus, _) = synthetic(300);
    for cmd in [&["kwic", "--lexicon-hits"][..], &["score", "--by", "doc"], &["compare"]] {
        let one = with_stdin(
            &[cmd, &["-", "--input", "jsonl", "--format", "jsonl", "--jobs", "1"]].concat(),
            &corpus,
        );
        let two = with_stdin(
            &[cmd, &["-", "--input", "jsonl", "--format", "jsonl", "--jobs", "2"]].concat(),
            &corpus,
        );
        assert_eq!(one, two, "{cmd:?}");
    }
}

#[test]
fn a_reader_that_stops_early_ends_the_run_quietly_with_success() {
    let dir = tmp();
    let (corpus, _) = synthetic(1000);
    let path = dir.path().join("corpus.jsonl");
    std::fs::write(&path, &corpus).unwrap();
    let path = path.to_str().unwrap();
    let big: Vec<Vec<&str>> = ["csv", "jsonl", "json", "table", "md"]
        .iter()
        .flat_map(|f| {
            [
                vec!["score", "--by", "doc", path, "--input", "jsonl", "--format", f],
                vec!["kwic", "--lexicon-hits", path, "--input", "jsonl", "--format", f],
            ]
        })
        .collect();
    for args in &big {
        let mut child = spawnable()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        assert!(!first.is_empty(), "{args:?} wrote something");
        // The reader is gone (as `head -n 1` exits); the output is far larger than a pipe.
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("framelens:")
                && !stderr.contains("panicked")
                && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
    }
    // Small outputs: the pipe is closed before the program writes.
    for args in [&["completions", "bash"][..], &["completions", "zsh"], &["man"]] {
        let mut child =
            spawnable().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stderr.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

const ESC: char = '\u{1b}';

#[test]
fn colour_only_for_tables_and_when_asked_or_on_a_terminal() {
    // fl() sets NO_COLOR and pipes stdout: no colour unless forced.
    assert!(!ok(&["score"]).0.contains(ESC));
    assert!(!ok(&["score", "--color", "never"]).0.contains(ESC));
    let (always, _) = ok(&["score", "--color", "always"]);
    assert!(always.contains("\u{1b}[1m"), "{always}");
    for f in ["csv", "json", "jsonl", "md"] {
        assert!(!ok(&["score", "--color", "always", "--format", f]).0.contains(ESC), "{f}");
    }
    let (marked, _) = ok(&["kwic", "occupied", "--color", "always"]);
    assert!(marked.contains("\u{1b}[1;4moccupied\u{1b}[0m"), "{marked}");

    // On a terminal (a pseudo-terminal from `script`), auto means colour unless NO_COLOR is
    // set to something; the table is fitted to the terminal's 60 columns.
    if !have_tool("script", "run framelens on a pseudo-terminal") {
        return;
    }
    let on_tty = |no_color: Option<&str>| {
        let bin = assert_cmd::cargo::cargo_bin("framelens");
        let mut c = std::process::Command::new("script");
        c.args(["-qec", &format!("stty cols 60 rows 40; {} -q score", bin.display()), "/dev/null"])
            .current_dir(crate::util::root())
            .env_remove("COLUMNS")
            .stdin(Stdio::null());
        match no_color {
            Some(v) => c.env("NO_COLOR", v),
            None => c.env_remove("NO_COLOR"),
        };
        let out = c.output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().replace('\r', "")
    };
    for (no_color, colour) in [(None, true), (Some("1"), false), (Some(""), true)] {
        let out = on_tty(no_color);
        assert_eq!(out.contains(ESC), colour, "NO_COLOR={no_color:?}:\n{out}");
        assert!(out.contains("Anadolu Agency"), "{out}");
        for l in out.lines() {
            assert!(display_width(l) <= 60, "wider than the terminal: {l:?}");
        }
    }
}

#[test]
fn output_is_never_wider_than_the_width() {
    let commands: &[&[&str]] = &[
        &["corpus"],
        &["score"],
        &["score", "--by", "concept"],
        &["compare"],
        &["kwic", "occupied"],
        &["kwic", "--lexicon-hits"],
        &["align"],
        &["align", "--level", "passage"],
        &["keyness"],
        &["lexicon", "show"],
        &["lexicon", "coverage"],
    ];
    for args in commands {
        for w in ["20", "50", "80"] {
            for color in ["never", "always"] {
                let (out, _) = ok(&[args, &["--width", w, "--color", color][..]].concat());
                let max = w.parse().unwrap();
                for l in out.lines() {
                    assert!(display_width(l) <= max, "{args:?} --width {w}: {l:?}");
                }
            }
        }
    }
    fails(&["score", "--width", "5"], 2);
    // Without a width (not a terminal), nothing is wrapped: the note stays on one line.
    let (out, _) = ok(&["score"]);
    assert!(out.lines().any(|l| l.starts_with("slant runs") && l.ends_with("left out.")));
}

#[test]
fn quiet_prints_errors_only() {
    let noisy = fixture("encodings");
    let (out, err) = ok(&["corpus", &noisy]);
    assert!(err.contains("skipped:") && err.contains("corpus:"), "{err}");
    let (quiet_out, quiet_err) = ok(&["-q", "corpus", &noisy]);
    assert_eq!(quiet_out, out, "-q changes messages, not data");
    assert_eq!(quiet_err, "");
    let (_, err) = ok(&["-q", "compare"]);
    assert_eq!(err, "");

    let err = fails(&["-q", "score", "no/such/file.txt"], 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("framelens: no documents to analyse (no/such/file.txt: "), "{err}");
}

#[test]
fn verbose_prints_one_line_of_counts_per_stage() {
    let cases: &[(&[&str], &[&str])] = &[
        (&["compare"], &["lexicon", "corpus", "score", "align", "report"]),
        (&["kwic", "occupied"], &["lexicon", "corpus", "score", "report"]),
        (&["keyness"], &["lexicon", "corpus", "keyness", "report"]),
        (&["align"], &["lexicon", "corpus", "align", "report"]),
    ];
    for (args, stages) in cases {
        let (_, err) = ok(&[&["-v"], *args].concat());
        let got: Vec<&str> = err.lines().map(|l| l.split(':').next().unwrap()).collect();
        let mut want = stages.to_vec();
        let mut have = got.clone();
        want.sort_unstable();
        have.sort_unstable();
        assert_eq!(have, want, "{args:?}:\n{err}");
        for l in err.lines() {
            assert!(l.chars().any(|c| c.is_ascii_digit()), "a line of counts: {l}");
        }
    }
    fails(&["-q", "-v", "score"], 2);
}
