//! `framelens lexicon`: check, show, explain.

use crate::util::{fails, fixture, fl, json, ok};

#[test]
fn bundled_lexicon_checks_clean() {
    let (out, _) = ok(&["lexicon", "check"]);
    assert!(out.contains("0 error(s)"), "{out}");
    let v = json(&["lexicon", "show"]);
    let entries = v["entries"].as_array().unwrap();
    assert!(entries.len() >= 150);
    let mut concepts: Vec<&str> = entries.iter().map(|e| e["concept"].as_str().unwrap()).collect();
    concepts.sort_unstable();
    concepts.dedup();
    assert!(concepts.len() >= 8, "{concepts:?}");
    let pole = |p: &str| entries.iter().filter(|e| e["pole"] == p).count();
    // Balanced: each side's wording is covered comparably.
    let (az, am) = (pole("azerbaijan"), pole("armenia"));
    assert!(az.min(am) * 3 >= az.max(am) * 2, "azerbaijan {az} vs armenia {am}");
    assert!(entries.iter().all(|e| !e["note"].as_str().unwrap().is_empty()));
}

#[test]
fn every_problem_of_a_bad_lexicon_is_named() {
    let out = fl().args(["lexicon", "check", &fixture("lexicons/bad.csv")]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    for (line, field) in
        [(9, "term"), (10, "pole"), (11, "term"), (12, "weight"), (13, "term"), (14, "term")]
    {
        let needle = format!("┆ {line:>4} ┆");
        let row = text
            .lines()
            .find(|l| l.contains(&needle))
            .unwrap_or_else(|| panic!("line {line} reported:\n{text}"));
        assert!(row.contains(field), "{row}");
    }
    let v: serde_json::Value = serde_json::from_slice(
        &fl()
            .args(["lexicon", "check", &fixture("lexicons/bad.csv"), "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(v["errors"], 6);
}

#[test]
fn a_bad_lexicon_stops_a_run_before_reading() {
    let err = fails(&["score", "seeds", "--lexicon", &fixture("lexicons/bad.csv")], 1);
    assert!(err.contains("bad.csv:10:3: error: pole: unknown pole \"azerbaijani\""), "{err}");
}

#[test]
fn explain_shows_the_note() {
    let v = json(&["lexicon", "explain", "Khankendi"]);
    let e = &v["entries"][0];
    assert_eq!(e["pole"], "azerbaijan");
    assert!(!e["note"].as_str().unwrap().is_empty());
    assert!(fails(&["lexicon", "explain", "zzzzqqq"], 1).contains("no lexicon entry"));
}

#[test]
fn explain_finds_the_entry_an_inflected_word_matches() {
    // "occupied" is matched in text by the entry `occupy` (inflected), "liberated" by `liberat*`.
    let v = json(&["lexicon", "explain", "occupied"]);
    let terms: Vec<&str> =
        v["entries"].as_array().unwrap().iter().map(|e| e["term"].as_str().unwrap()).collect();
    assert!(terms.contains(&"occupy"), "{terms:?}");
    let v = json(&["lexicon", "explain", "liberated"]);
    assert_eq!(v["entries"][0]["term"], "liberat*");
}

#[test]
fn user_lexicon_replaces_or_adds() {
    let v = json(&["lexicon", "show", "--lexicon", &fixture("lexicons/mini.csv")]);
    let names: std::collections::BTreeSet<&str> =
        v["entries"].as_array().unwrap().iter().map(|e| e["lexicon"].as_str().unwrap()).collect();
    assert!(names.contains("karabakh") && names.len() == 2, "{names:?}");
    let v = json(&["lexicon", "show", "--lexicon", &fixture("lexicons/mini.csv"), "--no-bundled"]);
    assert!(v["entries"].as_array().unwrap().iter().all(|e| e["lexicon"] != "karabakh"));
}
