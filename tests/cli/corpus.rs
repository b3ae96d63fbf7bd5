//! `framelens corpus`: what is read, detected and removed.

use crate::util::{fails, fixture, fl, json, ok, tmp};

#[test]
fn seeds_outlet_date_title_detected() {
    let v = json(&["corpus", "seeds"]);
    assert_eq!(v["schema"], "framelens/corpus@1");
    let docs = v["documents"].as_array().unwrap();
    let got: Vec<(String, String, String, String)> = docs
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or("").to_string();
            (s("id")[..3].to_string(), s("outlet"), s("date"), s("title"))
        })
        .collect();
    let want = [
        ("000", "Trend", "2020-10-29", "Russia is making vigorous efforts to de-escalate Karabakh conflict as soon as possible"),
        ("001", "Anadolu Agency", "2023-09-19", "Russia calls on Armenia, Azerbaijan to stop combat activities"),
        ("002", "TASS", "2020-07-13", "Russia’s top diplomat urges Armenia, Azerbaijan to immediately cease fire"),
        ("003", "Press TV", "2020-10-09", "Armenia, Azerbaijan agree to attend peace talks on Karabakh: Russia"),
        ("004", "Trend", "2019-11-11", "Lavrov: Russia ready to further render most active mediation assistance in Karabakh conflict settlement"),
    ];
    let want: Vec<(String, String, String, String)> = want
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn seeds_text_has_no_page_furniture() {
    let v = json(&["corpus", "seeds"]);
    for d in v["documents"].as_array().unwrap() {
        let text = d["text"].as_str().unwrap();
        for furniture in [
            "Related news",
            "Abone Ol",
            "mailing list",
            "donation",
            "Follow the author",
            "Follow Trend",
            "Read more on the site",
            "Iran Press TV",
            "Publication:",
            "Politics 15:10",
            "Latest",
        ] {
            assert!(!text.contains(furniture), "{} still contains {furniture:?}", d["id"]);
        }
        assert!(d["words"].as_u64().unwrap() > 200);
    }
    // The article text itself survives: the last paragraph of Press TV's report.
    let presstv = &v["documents"][3]["text"];
    assert!(presstv
        .as_str()
        .unwrap()
        .ends_with("accused Turkey of military involvement in the conflict."));
}

#[test]
fn bundled_sample_is_the_default_input() {
    let (with_default, _) = ok(&["corpus", "--format", "csv"]);
    let (explicit, _) = ok(&["corpus", "seeds", "--format", "csv"]);
    assert_eq!(with_default, explicit);
}

#[test]
fn detection_on_unseen_furniture() {
    let expected = std::fs::read_to_string(fixture("detect/expected.csv")).unwrap();
    let v = json(&["corpus", &fixture("detect")]);
    let docs = v["documents"].as_array().unwrap();
    let mut rdr = csv::Reader::from_reader(expected.as_bytes());
    let mut n = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let d = docs
            .iter()
            .find(|d| d["path"].as_str().unwrap().ends_with(&rec[0]))
            .unwrap_or_else(|| panic!("{} read", &rec[0]));
        assert_eq!(d["outlet"], rec[1].to_string(), "{}", &rec[0]);
        assert_eq!(d["date"], rec[2].to_string(), "{}", &rec[0]);
        assert_eq!(d["title"], rec[3].to_string(), "{}", &rec[0]);
        let text = d["text"].as_str().unwrap();
        assert!(
            !text.contains("Related news") && !text.contains("Read more on the site"),
            "{}",
            &rec[0]
        );
        n += 1;
    }
    assert_eq!(n, 5);
}

#[test]
fn every_encoding_decodes_to_the_same_text() {
    let v = json(&["corpus", &fixture("encodings")]);
    let docs = v["documents"].as_array().unwrap();
    let good: Vec<&serde_json::Value> =
        docs.iter().filter(|d| !d["path"].as_str().unwrap().contains("/bad/")).collect();
    assert_eq!(good.len(), 7);
    let text = good[0]["text"].as_str().unwrap();
    assert!(text.contains('“') && text.contains('’') && text.contains("Khankendi"));
    for d in &good {
        assert_eq!(d["text"].as_str().unwrap(), text, "{}", d["path"]);
        assert_eq!(d["outlet"], "Caspian Courier");
    }
    let enc =
        |name: &str| good.iter().find(|d| d["id"] == name).unwrap()["meta"]["encoding"].clone();
    assert_eq!(enc("utf16le_bom"), "UTF-16LE");
    assert_eq!(enc("utf16be_bom"), "UTF-16BE");
    assert_eq!(enc("cp1252"), "windows-1252");
}

#[test]
fn bad_inputs_are_skipped_with_reasons_and_counts_add_up() {
    let out =
        fl().args(["corpus", &fixture("encodings/bad"), "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let skipped = v["skipped"].as_array().unwrap();
    let reason = |name: &str| {
        skipped
            .iter()
            .find(|s| s["input"].as_str().unwrap().ends_with(name))
            .map(|s| s["reason"].as_str().unwrap().to_string())
    };
    assert!(reason("empty.txt").unwrap().contains("empty"));
    assert!(reason("blank.txt").unwrap().contains("empty"));
    assert!(reason("nul.txt").unwrap().contains("NUL"));
    assert!(reason("binary.png").is_some());
    let docs = v["documents"].as_array().unwrap();
    let invalid = docs.iter().find(|d| d["id"] == "invalid_utf8").unwrap();
    assert!(invalid["text"].as_str().unwrap().contains('\u{FFFD}'));
    let unclosed = docs.iter().find(|d| d["id"] == "unclosed_header").unwrap();
    assert_eq!(unclosed["outlet"], "Caspian Courier");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("not closed by a line \"---\""), "{stderr}");
    assert!(stderr.contains("invalid UTF-8 sequence"), "{stderr}");
    let inputs = std::fs::read_dir(fixture("encodings/bad")).unwrap().count();
    assert_eq!(docs.len() + skipped.len(), inputs);
    assert!(
        stderr.contains(&format!(
            "corpus: {inputs} inputs: {} documents analysed, {} skipped",
            docs.len(),
            skipped.len()
        )),
        "{stderr}"
    );
}

#[test]
fn csv_jsonl_and_manifest_corpora() {
    let v = json(&["corpus", &fixture("corpora")]);
    let docs = v["documents"].as_array().unwrap();
    let skipped = v["skipped"].as_array().unwrap();
    let skip = |name: &str| {
        skipped
            .iter()
            .find(|s| s["input"].as_str().unwrap().ends_with(name))
            .map(|s| s["reason"].as_str().unwrap().to_string())
    };
    assert!(skip("ragged.csv:4:4").unwrap().contains("3 fields"));
    assert!(skip("broken.jsonl:3").unwrap().contains("invalid JSON"));
    assert!(
        skip("unclosed.csv").unwrap().contains("unclosed.csv:3:"),
        "{:?}",
        skip("unclosed.csv")
    );
    assert!(skip("notext.csv").unwrap().contains("no \"text\" column"));
    // good.csv: a cell with a comma, quotes and a newline stays one document.
    let gc2 = docs.iter().find(|d| d["id"] == "gc-002").unwrap();
    assert!(
        gc2["text"].as_str().unwrap().contains('\n') || gc2["text"].as_str().unwrap().contains('"')
    );
    assert!(
        docs.iter().any(|d| d["meta"]["lang"].is_string()),
        "extra JSONL fields kept as metadata"
    );
    // Manifest: its files are read once, with the manifest's metadata.
    let manifest_docs: Vec<_> =
        docs.iter().filter(|d| d["path"].as_str().unwrap().contains("manifest_docs")).collect();
    assert_eq!(manifest_docs.len(), 2);
    assert!(manifest_docs.iter().all(|d| d["meta"]["outlet_source"] == "manifest"));
}

#[test]
fn stdin_text_and_jsonl() {
    let out = fl()
        .args(["corpus", "-", "--format", "json"])
        .write_stdin("outlet: Test Wire\ndate: 2024-01-02\ntitle: A test\n---\nSome words here.")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"][0]["outlet"], "Test Wire");
    assert_eq!(v["documents"][0]["path"], "-");
    let out = fl()
        .args(["corpus", "-", "--format", "json"])
        .write_stdin("{\"id\":\"x\",\"outlet\":\"AA\",\"text\":\"Words.\"}\n")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"][0]["outlet"], "Anadolu Agency");
}

#[test]
fn header_problems_warn() {
    let dir = tmp();
    let p = dir.path().join("a.txt");
    std::fs::write(
        &p,
        "outlet: X\noutlet: Y\ndate: 2023-02-30\nmood: calm\n---\nText of the article.",
    )
    .unwrap();
    let out = fl().args(["corpus", p.to_str().unwrap(), "--format", "json"]).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("a.txt:2: duplicate header key \"outlet\""), "{stderr}");
    assert!(stderr.contains("date \"2023-02-30\" does not exist"), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"][0]["outlet"], "X");
    assert_eq!(v["documents"][0]["meta"]["mood"], "calm");
    assert!(v["documents"][0]["date"].is_null());
}

#[test]
fn unknown_outlet_is_said_not_guessed() {
    let dir = tmp();
    let p = dir.path().join("plain.txt");
    std::fs::write(&p, "A plain article with no byline at all.\n\nIt has two paragraphs.").unwrap();
    let (out, err) = ok(&["corpus", p.to_str().unwrap(), "--format", "csv"]);
    assert!(out.contains(",unknown,"), "{out}");
    assert!(err.contains("no outlet recognised"), "{err}");
}

#[test]
fn nothing_readable_is_a_failure() {
    let err = fails(&["score", "/nonexistent/path"], 1);
    assert!(err.contains("no documents"), "{err}");
    assert!(err.contains("cannot open"), "{err}");
}
