//! `framelens compare`: the main job.

use crate::util::{json, ok};

#[test]
fn compare_on_the_bundled_sample() {
    let (out, err) = ok(&["compare"]);
    assert!(err.contains("5 documents analysed"), "{err}");
    assert!(out.starts_with("5 reports from 4 outlets."), "{out}");
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
    assert!(!v["wording"].as_array().unwrap().is_empty());
}
