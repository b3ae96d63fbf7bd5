//! `framelens compare`: the main job.

use crate::util::{json, ok};

#[test]
fn compare_on_the_bundled_sample() {
    let (out, err) = ok(&["compare"]);
    assert!(err.contains("5 documents analysed"), "{err}");
    assert!(out.starts_with("5 reports from 4 outlets;"), "{out}");
    for outlet in ["Trend", "Anadolu Agency", "TASS", "Press TV"] {
        assert!(out.contains(outlet), "{outlet}");
    }
    assert!(out.contains("control of territory"));
}

#[test]
fn compare_json_has_outlets_and_wording() {
    let v = json(&["compare"]);
    assert_eq!(v["schema"], "framelens/compare@1");
    assert_eq!(v["outlets"].as_array().unwrap().len(), 4);
    assert!(!v["wording"]["karabakh"].as_object().unwrap().is_empty());
}

/// Issue 3: the four outlets' accounts of how the conflict began are aligned.
#[test]
fn origin_of_the_conflict_is_aligned_across_four_outlets() {
    let v = json(&["compare"]);
    let groups = v["passages"].as_array().unwrap();
    let wanted = [
        ("Trend", "began in 1988 when Armenia made territorial claims against Azerbaijan"),
        ("TASS", "broke out in February 1988, when the Nagorno-Karabakh Autonomous Region declared its secession"),
        ("Anadolu Agency", "tense since 1991 when the Armenian military occupied Nagorno-Karabakh"),
        ("Press TV", "under Armenia's control since the early 1990s, when the territory declared secession"),
    ];
    let found = groups.iter().any(|g| {
        let ps = g["passages"].as_array().unwrap();
        wanted.iter().all(|(outlet, text)| {
            ps.iter().any(|p| p["outlet"] == *outlet && p["text"].as_str().unwrap().contains(text))
        })
    });
    assert!(found, "no passage group holds all four accounts: {groups:#?}");
    let (table, _) = crate::util::ok(&["compare"]);
    assert!(table.contains("[occupied]"), "framing terms are marked in the passages");
}
