//! `framelens kwic`: hits in context.

use crate::util::{fails, json, ok};

#[test]
fn pattern_in_context_with_voice_and_speaker() {
    let v = json(&["kwic", "occupied", "seeds"]);
    let hits = v["hits"].as_array().unwrap();
    assert!(hits.len() >= 4, "{hits:?}");
    for h in hits {
        let ctx = h["context"].as_str().unwrap();
        assert!(ctx.to_lowercase().contains(&h["match"].as_str().unwrap().to_lowercase()));
        assert!(h["line"].as_u64().unwrap() > 0);
    }
    // Anadolu's "occupied" is its own voice, not a quote.
    assert!(hits.iter().any(|h| h["outlet"] == "Anadolu Agency" && h["voice"] == "own"));
}

#[test]
fn quoted_hits_name_the_speaker() {
    let v = json(&["kwic", "Stepanakert", "seeds"]);
    let aa =
        v["hits"].as_array().unwrap().iter().find(|h| h["outlet"] == "Anadolu Agency").unwrap();
    assert_eq!(aa["voice"], "quoted");
    assert_eq!(aa["speaker"], "Maria Zakharova");
}

#[test]
fn wildcard_pattern() {
    let v = json(&["kwic", "liberat*", "seeds"]);
    let words: Vec<&str> =
        v["hits"].as_array().unwrap().iter().map(|h| h["match"].as_str().unwrap()).collect();
    assert!(words.contains(&"liberated"));
}

#[test]
fn lexicon_hits_lists_every_match() {
    let v = json(&["kwic", "--lexicon-hits", "seeds"]);
    let hits = v["hits"].as_array().unwrap();
    assert!(hits.iter().all(|h| h["term"].is_string()
        && h["pole"].is_string()
        && h["sentence"].as_u64().unwrap() > 0));
    let (table, _) = ok(&["kwic", "--lexicon-hits", "seeds"]);
    assert!(table.contains("[occupied]"), "hits are marked in context");
}

#[test]
fn empty_or_wildcard_only_pattern_is_a_usage_error() {
    assert!(fails(&["kwic", "", "seeds"], 2).contains("empty term"));
    assert!(fails(&["kwic", "*", "seeds"], 2).contains("wildcard alone"));
    assert!(fails(&["kwic", "**", "seeds"], 2).contains("PATTERN"));
    fails(&["kwic"], 2);
}
