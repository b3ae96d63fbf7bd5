//! `framelens score`: counts, slant and traceability.

use crate::util::{fails, json, ok};
use std::collections::BTreeMap;

fn by_outlet(args: &[&str]) -> BTreeMap<String, serde_json::Value> {
    let v = json(args);
    assert_eq!(v["schema"], "framelens/score@1");
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["outlet"].as_str().unwrap().to_string(), r.clone()))
        .collect()
}

#[test]
fn seeds_rank_trend_and_anadolu_on_the_azerbaijani_side() {
    let rows = by_outlet(&["score", "seeds", "--by", "outlet"]);
    let slant = |o: &str| rows[o]["slant"].as_f64();
    let trend = slant("Trend").expect("Trend has own-voice hits");
    let aa = slant("Anadolu Agency").expect("Anadolu has own-voice hits");
    assert!(trend > 0.5 && aa > 0.5, "trend {trend} aa {aa}");
    // TASS uses no partisan wording in its own voice: no slant, or one nearer 0.
    let tass = slant("TASS").map_or(0.0, f64::abs);
    assert!(tass < trend && tass < aa, "tass {tass}");
    let tass_all = rows["TASS"]["slant_all"].as_f64().map_or(0.0, f64::abs);
    assert!(tass_all < trend.min(aa));
    for r in rows.values() {
        for key in ["outlet", "documents", "words", "slant", "slant_ci", "poles"] {
            assert!(r.get(key).is_some(), "{key} in {r}");
        }
        if let Some(ci) = r["slant_ci"].as_array() {
            let (lo, hi, s) =
                (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap(), r["slant"].as_f64().unwrap());
            assert!(-1.0 <= lo && lo <= s + 1e-9 && s <= hi + 1e-9 && hi <= 1.0, "{r}");
        }
    }
}

/// Every count in `score` is the number of `kwic --lexicon-hits` rows behind it.
#[test]
fn every_count_is_traced_by_kwic() {
    let rows = by_outlet(&["score", "seeds"]);
    let hits = json(&["kwic", "--lexicon-hits", "seeds"]);
    let mut recount: BTreeMap<(String, String, String), u64> = BTreeMap::new();
    for h in hits["hits"].as_array().unwrap() {
        if h["negated"] == true {
            continue;
        }
        let k = (
            h["outlet"].as_str().unwrap().into(),
            h["pole"].as_str().unwrap().into(),
            h["voice"].as_str().unwrap().into(),
        );
        *recount.entry(k).or_default() += 1;
    }
    let mut checked = 0;
    for (outlet, r) in &rows {
        for (pole, voices) in r["poles"].as_object().unwrap() {
            for voice in ["own", "quoted", "reported"] {
                let n = voices[voice].as_u64().unwrap();
                let k = (outlet.clone(), pole.clone(), voice.to_string());
                assert_eq!(n, recount.get(&k).copied().unwrap_or(0), "{k:?}");
                checked += n;
            }
        }
    }
    assert!(checked > 30);
}

#[test]
fn by_doc_and_concept_and_voice() {
    let v = json(&["score", "seeds", "--by", "doc"]);
    assert_eq!(v["rows"].as_array().unwrap().len(), 5);
    assert!(v["rows"][0]["doc"].is_string());
    let v = json(&["score", "seeds", "--by", "concept"]);
    assert!(v["rows"].as_array().unwrap().iter().any(|r| r["concept"] == "control of territory"));
    let own = json(&["score", "seeds", "--voice", "own"]);
    let all = json(&["score", "seeds", "--voice", "all"]);
    assert_eq!(all["voice"], "all");
    let hits = |v: &serde_json::Value| {
        v["rows"].as_array().unwrap().iter().map(|r| r["slant_hits"].as_u64().unwrap()).sum::<u64>()
    };
    assert!(hits(&all) > hits(&own));
}

#[test]
fn invented_outlets_slant_in_the_expected_direction() {
    // Each fixture states the direction it was written to show (`expect-slant`).
    let corpus = json(&["corpus", &crate::util::fixture("slant")]);
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    for d in corpus["documents"].as_array().unwrap() {
        expected.insert(
            d["outlet"].as_str().unwrap().into(),
            d["meta"]["expect-slant"].as_str().unwrap().into(),
        );
    }
    assert_eq!(expected.len(), 3);
    let rows = by_outlet(&["score", &crate::util::fixture("slant")]);
    for (outlet, want) in expected {
        let r = &rows[&outlet];
        let s = r["slant"].as_f64();
        let ci = r["slant_ci"].as_array().map(|c| (c[0].as_f64().unwrap(), c[1].as_f64().unwrap()));
        match want.as_str() {
            "azerbaijan" => assert!(s.unwrap() > 0.3 && ci.unwrap().0 > 0.0, "{outlet}: {r}"),
            "armenia" => assert!(s.unwrap() < -0.3 && ci.unwrap().1 < 0.0, "{outlet}: {r}"),
            "neutral" => {
                // No side in its own voice: no axis hits, or an interval that spans 0,
                // and its own words are mostly the neutral pole's.
                assert!(ci.is_none_or(|(lo, hi)| lo <= 0.0 && hi >= 0.0), "{outlet}: {r}");
                let own = |p: &str| r["poles"][p]["own"].as_u64().unwrap();
                assert!(own("neutral") > 3 * (own("azerbaijan") + own("armenia")), "{outlet}: {r}");
            }
            other => panic!("unknown expect-slant {other}"),
        }
    }
}

#[test]
fn same_bytes_with_one_thread_or_many() {
    for fmt in ["table", "csv", "json", "md"] {
        let (one, _) = ok(&["score", "seeds", "--jobs", "1", "--format", fmt]);
        let (many, _) = ok(&["score", "seeds", "--jobs", "8", "--format", fmt]);
        assert_eq!(one, many, "{fmt}");
    }
}

#[test]
fn usage_errors_exit_2() {
    fails(&["score", "--by", "weather"], 2);
    fails(&["score", "--jobs", "0"], 2);
    fails(&["frobnicate"], 2);
}
