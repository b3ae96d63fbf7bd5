//! Documentation examples are real: each ```console block in README.md and docs/SCHEMAS.md
//! that starts with `$ ` must show exactly what that command prints on stdout.
//! `FRAMELENS_BLESS=1 cargo test --test cli readme` rewrites the blocks from a fresh run.
//!
//! A command line is run directly when it is `framelens ARGS`, and by `sh -c` (with the
//! freshly built framelens first on PATH) when it is a pipeline or uses other shell syntax.

use crate::util::{fl, root, sh};

/// Splits a command line on spaces, honouring single and double quotes.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, ' ') => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Runs one documented command line and returns its stdout.
fn run(line: &str) -> String {
    let shell = line.contains(['|', ';', '<', '>', '&', '$']) || !line.starts_with("framelens ");
    let out = if shell {
        sh(line, &root())
    } else {
        fl().args(words(&line["framelens ".len()..])).output().unwrap()
    };
    assert!(out.status.success(), "{line}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A documented example: the command line and the output shown under it.
struct Example {
    command: String,
    shown: String,
}

/// The page split into text and examples: text before each example, then the example.
fn parse(page: &str) -> (Vec<(String, Example)>, String) {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut lines = page.lines().peekable();
    while let Some(line) = lines.next() {
        text.push_str(line);
        text.push('\n');
        if line != "```console" {
            continue;
        }
        let Some(cmd) = lines.next_if(|l| l.starts_with("$ ")) else { continue };
        text.push_str(cmd);
        text.push('\n');
        let mut shown = String::new();
        for l in lines.by_ref() {
            if l == "```" {
                break;
            }
            shown.push_str(l);
            shown.push('\n');
        }
        let ex = Example { command: cmd[2..].to_string(), shown };
        parts.push((std::mem::take(&mut text), ex));
        text.push_str("```\n");
    }
    (parts, text)
}

/// Checks (or, with FRAMELENS_BLESS, rewrites) every example of a Markdown file.
fn check(rel: &str, min: usize) {
    let path = root().join(rel);
    let (parts, tail) = parse(&std::fs::read_to_string(&path).unwrap());
    assert!(parts.len() >= min, "{rel} shows at least {min} commands");
    let bless = std::env::var_os("FRAMELENS_BLESS").is_some();
    let mut out = String::new();
    for (text, ex) in parts {
        let actual = run(&ex.command);
        if !bless {
            assert_eq!(
                ex.shown, actual,
                "{rel}: block for `{}` is stale; rerun with FRAMELENS_BLESS=1",
                ex.command
            );
        }
        out.push_str(&text);
        out.push_str(&actual);
    }
    out.push_str(&tail);
    if bless {
        std::fs::write(&path, out).unwrap();
    }
}

#[test]
fn readme_examples_are_what_the_program_prints() {
    check("README.md", 5);
}

#[test]
fn schema_examples_are_what_the_program_prints() {
    check("docs/SCHEMAS.md", 12);
}

/// Every CSV column and every top-level JSON field of every example is named in the page
/// (as `name`), so a new column cannot ship undocumented.
#[test]
fn schemas_name_every_csv_column_and_json_field() {
    let page = std::fs::read_to_string(root().join("docs/SCHEMAS.md")).unwrap();
    let documented = |name: &str| page.contains(&format!("`{name}`"));
    let mut csv_seen = 0;
    let mut json_seen = 0;
    for (_, ex) in parse(&page).0 {
        if ex.command.contains("--format csv") {
            let mut r = csv::Reader::from_reader(ex.shown.as_bytes());
            for col in r.headers().unwrap() {
                assert!(documented(col), "`{}`: CSV column {col:?} is not documented", ex.command);
            }
            csv_seen += 1;
        }
        if ex.command.contains("--format json") && !ex.command.contains("--format jsonl") {
            // The first JSON value; a line such as `exit 1` may follow it.
            let v: serde_json::Value = serde_json::Deserializer::from_str(&ex.shown)
                .into_iter()
                .next()
                .expect("a JSON example")
                .unwrap();
            for key in v.as_object().unwrap().keys() {
                assert!(documented(key), "`{}`: JSON field {key:?} is not documented", ex.command);
            }
            json_seen += 1;
        }
    }
    assert!(csv_seen >= 8 && json_seen >= 8, "{csv_seen} CSV and {json_seen} JSON examples");
}

/// The examples in the report stage's module docs: each ```text block is the start of what the
/// last `framelens ...` command named before it prints.
#[test]
fn report_module_doc_examples_are_what_the_program_prints() {
    let mut checked = 0;
    for rel in ["src/report/mod.rs", "src/report/json.rs"] {
        let src = std::fs::read_to_string(root().join(rel)).unwrap();
        let docs: Vec<&str> = src
            .lines()
            .filter_map(|l| l.strip_prefix("//!"))
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect();
        let mut command: Option<String> = None;
        let mut i = 0;
        while i < docs.len() {
            if docs[i] == "```text" {
                let end = i + docs[i..].iter().position(|l| *l == "```").unwrap();
                let block: Vec<&str> = docs[i + 1..end].to_vec();
                let cmd =
                    command.take().unwrap_or_else(|| panic!("{rel}: a command before line {i}"));
                let actual = run(&cmd);
                let head: Vec<&str> = actual.lines().take(block.len()).collect();
                assert_eq!(block, head, "{rel}: the example of `{cmd}` is stale");
                checked += 1;
                i = end + 1;
                continue;
            }
            for part in docs[i].split('`').skip(1).step_by(2) {
                if part.starts_with("framelens ") {
                    command = Some(part.to_string());
                }
            }
            i += 1;
        }
    }
    assert!(checked >= 3, "{checked} module doc examples");

    // The schema table of report/json.rs lists exactly the schemas the examples show.
    let json_rs = std::fs::read_to_string(root().join("src/report/json.rs")).unwrap();
    let page = std::fs::read_to_string(root().join("docs/SCHEMAS.md")).unwrap();
    let names = |text: &str, open: &str| {
        let mut v: Vec<String> = text
            .split(open)
            .skip(1)
            .filter_map(|rest| rest.split_once(['`', '"']))
            .map(|(name, _)| name.to_string())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let listed = names(&json_rs, "//! | `framelens/");
    assert!(listed.len() >= 10, "{listed:?}");
    assert_eq!(listed, names(&page, "\"schema\": \"framelens/"));
}
