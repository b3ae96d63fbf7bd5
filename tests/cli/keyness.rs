//! `framelens keyness` and the lexicon tooling built on it: `lexicon coverage`, `lexicon new`,
//! `lexicon import`, and the second bundled lexicon (`war`) on its invented corpus.

use crate::util::{fails, fixture, fl, json, ok, tmp};
use std::collections::BTreeMap;

fn war_corpus() -> String {
    fixture("keyness/war")
}

#[test]
fn keyness_snapshots_on_the_sample() {
    let (table, _) = ok(&["keyness"]);
    insta::assert_snapshot!("keyness_table", table);
    let (csv, _) = ok(&["keyness", "--format", "csv"]);
    insta::assert_snapshot!("keyness_csv", csv);
    let (json, _) = ok(&["keyness", "--format", "json", "--top", "5"]);
    insta::assert_snapshot!("keyness_json", json);
}

#[test]
fn keyness_json_lists_each_outlet_best_first() {
    let v = json(&["keyness", "--top", "0"]);
    assert_eq!(v["schema"], "framelens/keyness@1");
    assert_eq!(v["by"], "outlet");
    let groups = v["groups"].as_array().unwrap();
    let names: Vec<&str> = groups.iter().map(|g| g["outlet"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Anadolu Agency", "Press TV", "TASS", "Trend"]);
    for g in groups {
        let terms = g["terms"].as_array().unwrap();
        assert!(!terms.is_empty(), "{g}");
        let z: Vec<f64> = terms.iter().map(|t| t["z"].as_f64().unwrap()).collect();
        assert!(z.windows(2).all(|w| w[0] >= w[1]), "sorted by z: {z:?}");
        assert!(z.iter().all(|z| *z > 0.0));
        assert!(terms.iter().all(|t| t["count"].as_u64().unwrap() >= 2), "default --min-count 2");
    }
    // Trend's own formula "Armenian armed forces occupied ... surrounding districts" stands out,
    // and "occupied" is a lexicon term under control of territory.
    let trend = &groups[3]["terms"];
    let find = |t: &str| trend.as_array().unwrap().iter().find(|x| x["term"] == t).cloned();
    assert!(find("surrounding districts").is_some(), "{trend}");
    let occupied = find("occupied").expect("occupied listed for Trend");
    assert_eq!(occupied["in_lexicon"], true);
    assert_eq!(occupied["count"], 3);
    assert!(occupied["lexicon"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["concept"] == "control of territory" && e["pole"] == "azerbaijan"));
}

#[test]
fn keyness_csv_has_the_documented_columns() {
    let (out, _) = ok(&["keyness", "--format", "csv", "--top", "3"]);
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        vec![
            "outlet",
            "term",
            "words",
            "z",
            "count",
            "count_rest",
            "in_lexicon",
            "lexicon",
            "concept",
            "pole"
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4 * 3);
    assert!(rows.iter().all(|r| matches!(&r[6], "yes" | "no")));
}

#[test]
fn keyness_by_story_and_own_voice() {
    let v = json(&["keyness", "--by", "story", "--top", "3"]);
    let ids: Vec<u64> =
        v["groups"].as_array().unwrap().iter().map(|g| g["story"].as_u64().unwrap()).collect();
    assert_eq!(ids, vec![1, 2, 3, 4, 5]);
    // "conflicting parties" is in Anadolu's own voice once and in a quotation once: the own
    // voice count drops it below --min-count 2.
    let count = |args: &[&str]| -> Option<u64> {
        let v = json(args);
        v["groups"][0]["terms"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["term"] == "conflicting parties")
            .map(|t| t["count"].as_u64().unwrap())
    };
    assert_eq!(count(&["keyness", "--top", "0"]), Some(2));
    assert_eq!(count(&["keyness", "--top", "0", "--voice", "own"]), None);
    let v = json(&["keyness", "--voice", "own"]);
    assert_eq!(v["voice"], "own");
}

#[test]
fn keyness_needs_two_groups() {
    let err = fails(&["keyness", &fixture("keyness/war/wire_2024-04-02_dorvan.txt")], 1);
    assert!(err.contains("only one outlet"), "{err}");
}

#[test]
fn keyness_marks_the_war_lexicon_terms() {
    let lex = format!("{}/lexicons/war.csv", env!("CARGO_MANIFEST_DIR"));
    let v = json(&["keyness", &war_corpus(), "--lexicon", &lex, "--no-bundled", "--top", "10"]);
    let voice = &v["groups"][0];
    assert_eq!(voice["outlet"], "Kessaly Voice");
    let top = &voice["terms"][0];
    assert_eq!(top["term"], "occupation");
    assert_eq!(top["lexicon"][0]["pole"], "delegitimising");
}

#[test]
fn coverage_lists_hits_unmatched_entries_and_candidates() {
    let v = json(&["lexicon", "coverage"]);
    assert_eq!(v["schema"], "framelens/lexicon-coverage@1");
    let lex = &v["lexicons"][0];
    assert_eq!(lex["lexicon"], "karabakh");
    let (entries, matched) = (lex["entries"].as_u64().unwrap(), lex["matched"].as_u64().unwrap());
    assert!(matched > 0 && matched < entries, "{matched} of {entries}");
    let concepts = lex["concepts"].as_array().unwrap();
    let sum: u64 = concepts.iter().map(|c| c["entries"].as_u64().unwrap()).sum();
    assert_eq!(sum, entries);
    // Every concept/pole's unmatched list plus its matched entries covers its entries (a
    // term with several context rows is listed once).
    assert!(concepts.iter().all(|c| {
        c["unmatched"].as_array().unwrap().len() as u64 + c["matched"].as_u64().unwrap()
            <= c["entries"].as_u64().unwrap()
    }));
    let cands = v["candidates"].as_array().unwrap();
    assert!(!cands.is_empty());
    for c in cands {
        assert!(c["z"].as_f64().unwrap() >= 1.0, "{c}");
        let ex = c["examples"].as_array().unwrap();
        assert!(!ex.is_empty() && ex.len() <= 2, "{c}");
        // The evidence line contains the term's words.
        let ctx = ex[0]["context"].as_str().unwrap().to_lowercase();
        let first = c["term"].as_str().unwrap().split(' ').next().unwrap();
        assert!(ctx.contains(first), "{c}");
        // Candidates are not lexicon terms.
        let explained =
            fl().args(["lexicon", "explain", c["term"].as_str().unwrap(), "-q"]).output().unwrap();
        assert_eq!(explained.status.code(), Some(1), "{c}");
    }
    let (table, _) = ok(&["lexicon", "coverage", "--min-z", "1.5", "--examples", "1"]);
    assert!(table.contains("Entries that never matched"), "{table}");
    assert!(table.contains("Candidates"), "{table}");
    assert!(table.contains("Shushi"), "unmatched place names are listed: {table}");
    let (csv, _) = ok(&["lexicon", "coverage", "--format", "csv"]);
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let kinds: Vec<String> = rdr.records().map(|r| r.unwrap()[0].to_string()).collect();
    assert_eq!(kinds.iter().filter(|k| *k == "entry").count() as u64, entries);
    assert!(kinds.iter().any(|k| k == "candidate"));
}

#[test]
fn new_writes_a_lexicon_that_checks_clean() {
    let dir = tmp();
    let path = dir.path().join("migration.csv");
    let p = path.to_str().unwrap();
    ok(&["lexicon", "new", "migration", "--poles", "restrictive,liberal,neutral", "-o", p]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("#name: migration\n"), "{text}");
    assert!(text.contains("#axis: liberal,restrictive"), "{text}");
    assert!(text.contains("EXAMPLE row"), "{text}");
    let (out, _) = ok(&["lexicon", "check", p]);
    assert!(out.contains("0 error(s), 0 warning(s)"), "{out}");
    assert!(out.contains("5 terms"), "{out}");
    // It can be used at once, and it does not overwrite.
    ok(&["score", &war_corpus(), "--lexicon", p, "--no-bundled"]);
    assert!(fails(&["lexicon", "new", "other", "-o", p], 1).contains("exists"));
    let (stdout, _) = ok(&["lexicon", "new", "mine"]);
    assert!(stdout.contains("#poles: side_a,side_b,neutral"), "{stdout}");
    assert!(fails(&["lexicon", "new", "x", "--poles", "only"], 2).contains("two poles"));
}

#[test]
fn import_liwc_reports_what_it_cannot_carry() {
    let dir = tmp();
    let out = dir.path().join("war_mini.csv");
    let o = out.to_str().unwrap();
    let dic = fixture("keyness/import/war_mini.dic");
    let map = "legitimising=legitimising,delegitimising=delegitimising";
    let (_, err) = ok(&["lexicon", "import", &dic, "--poles-map", map, "-o", o]);
    for needle in [
        "line 14: \"like\": conditional category rule",
        "line 15: \":)\"",
        "line 16: \"occupie?\"",
        "line 17: \"*cleansing\"",
        "line 18: \"ab*\"",
        "line 19: \"unknown\": unknown category id \"9\"",
        "3 term(s) belong to several categories",
        "imported 8 terms in 3 concepts",
    ] {
        assert!(err.contains(needle), "{needle:?} in\n{err}");
    }
    let (check, _) = ok(&["lexicon", "check", o]);
    assert!(check.contains("0 error(s)"), "{check}");
    let v = json(&["lexicon", "show", o]);
    let entries = v["entries"].as_array().unwrap();
    let pole = |t: &str| entries.iter().find(|e| e["term"] == t).unwrap()["pole"].clone();
    assert_eq!(pole("liberat*"), "legitimising");
    assert_eq!(pole("terrorist*"), "delegitimising");
    assert_eq!(pole("fighter*"), "neutral");
    // The imported lexicon scores the invented corpus.
    let v = json(&["score", &war_corpus(), "--lexicon", o, "--no-bundled"]);
    assert!(!v["rows"].as_array().unwrap().is_empty());
    // -q silences the report, not the output.
    let (csv, err) = ok(&["lexicon", "import", &dic, "-q"]);
    assert!(err.is_empty(), "{err}");
    assert!(csv.contains("#poles: neutral\n"), "{csv}");
}

#[test]
fn import_yaml_nested_keys_become_concepts() {
    let yml = fixture("keyness/import/war_mini.yml");
    let map = "framing.legitimising=legitimising,framing.delegitimising=delegitimising";
    let (csv, err) = ok(&["lexicon", "import", &yml, "--poles-map", map, "--name", "mini"]);
    for needle in [
        "line 13: \"occupie?\"",
        "line 14: \"*cleansing\"",
        "line 15: \"&anchor alias\"",
        "line 16: \"[nested, list]\"",
        "imported 7 terms in 3 concepts",
    ] {
        assert!(err.contains(needle), "{needle:?} in\n{err}");
    }
    assert!(csv.starts_with("#name: mini\n"), "{csv}");
    assert!(csv.contains("\nregime,framing.delegitimising,delegitimising,"), "{csv}");
    assert!(csv.contains("\nfighter*,actors,neutral,"), "{csv}");
    let dir = tmp();
    let path = dir.path().join("mini.csv");
    std::fs::write(&path, &csv).unwrap();
    let (check, _) = ok(&["lexicon", "check", path.to_str().unwrap()]);
    assert!(check.contains("0 error(s)"), "{check}");
    let err = fails(&["lexicon", "import", &yml, "--poles-map", "framing"], 2);
    assert!(err.contains("--poles-map"), "{err}");
}

#[test]
fn war_lexicon_is_bundled_but_not_default() {
    let v = json(&["lexicon", "show"]);
    assert!(v["entries"].as_array().unwrap().iter().all(|e| e["lexicon"] == "karabakh"));
    let v = json(&["lexicon", "show", "--lexicon", "war", "--no-bundled"]);
    let entries = v["entries"].as_array().unwrap();
    assert!(entries.len() >= 80, "{}", entries.len());
    assert!(entries.iter().all(|e| e["lexicon"] == "war"));
    assert!(entries.iter().all(|e| !e["note"].as_str().unwrap().is_empty()));
    // Every loaded (non-neutral) row offers a neutral alternative.
    assert!(entries
        .iter()
        .filter(|e| e["pole"] != "neutral")
        .all(|e| !e["neutral"].as_str().unwrap().is_empty()));
    let pole = |p: &str| entries.iter().filter(|e| e["pole"] == p).count();
    let (d, l) = (pole("delegitimising"), pole("legitimising"));
    assert!(d.min(l) * 3 >= d.max(l) * 2, "delegitimising {d} vs legitimising {l}");
    assert!(pole("neutral") >= 30);
}

#[test]
fn war_lexicon_scores_its_corpus_in_the_expected_direction() {
    // Each fixture states the expected own-voice slant of its outlet in its header.
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    for f in std::fs::read_dir(war_corpus()).unwrap() {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        let header = |k: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{k}: ")))
                .unwrap_or_else(|| panic!("{k} in {text}"))
                .to_string()
        };
        assert_eq!(header("invented"), "yes");
        let prev = expected.insert(header("outlet"), header("expect-slant"));
        assert!(prev.is_none_or(|p| p == expected[&header("outlet")]));
    }
    assert_eq!(expected.len(), 3);
    let lex = format!("{}/lexicons/war.csv", env!("CARGO_MANIFEST_DIR"));
    let v = json(&["score", &war_corpus(), "--lexicon", &lex, "--no-bundled"]);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    for r in rows {
        let outlet = r["outlet"].as_str().unwrap();
        let slant = r["slant"].as_f64();
        match expected[outlet].as_str() {
            "delegitimising" => assert!(slant.unwrap() > 0.5, "{outlet}: {r}"),
            "legitimising" => assert!(slant.unwrap() < -0.5, "{outlet}: {r}"),
            "neutral" => assert!(slant.is_none_or(|s| s.abs() < 0.34), "{outlet}: {r}"),
            other => panic!("{outlet}: unknown expect-slant {other}"),
        }
    }
    // Selected by name, the bundled copy gives the same result.
    let by_name = json(&["score", &war_corpus(), "--lexicon", "war", "--no-bundled"]);
    assert_eq!(by_name["rows"], v["rows"]);
}
