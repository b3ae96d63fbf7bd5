//! Output formats: snapshots of every format on the bundled sample, CSV safety and shape.

use crate::util::{fl, ok, tmp};

fn snap(name: &str, args: &[&str]) {
    let (out, _) = ok(args);
    insta::assert_snapshot!(name, out);
}

#[test]
fn snapshots_of_every_command_and_format() {
    snap("corpus_table", &["corpus"]);
    snap("corpus_csv", &["corpus", "--format", "csv"]);
    snap("corpus_json", &["corpus", "--format", "json"]);
    snap("kwic_occupied_json", &["kwic", "occupied", "--format", "json"]);
    snap("kwic_occupied_csv", &["kwic", "occupied", "--format", "csv"]);
    snap("lexicon_check_table", &["lexicon", "check"]);
    snap("lexicon_explain_json", &["lexicon", "explain", "occupy", "--format", "json"]);
    snap("lexicon_explain_csv", &["lexicon", "explain", "occupy", "--format", "csv"]);
    snap("align_story_table", &["align"]);
    snap("align_story_csv", &["align", "--format", "csv"]);
    snap("align_story_json", &["align", "--format", "json"]);
    snap("align_passage_table", &["align", "--level", "passage"]);
    snap("align_passage_csv", &["align", "--level", "passage", "--format", "csv"]);
    snap("align_passage_json", &["align", "--level", "passage", "--format", "json"]);
    snap("compare_csv", &["compare", "--format", "csv"]);
    snap("score_table", &["score"]);
    snap("score_csv", &["score", "--format", "csv"]);
    snap("score_json", &["score", "--format", "json"]);
    snap("score_md", &["score", "--format", "md"]);
    snap("score_concept_table", &["score", "--by", "concept"]);
    snap("kwic_occupied_table", &["kwic", "occupied"]);
    snap("kwic_hits_csv", &["kwic", "--lexicon-hits", "--format", "csv"]);
    snap("compare_table", &["compare"]);
    snap("compare_md", &["compare", "--format", "md"]);
    snap("compare_json", &["compare", "--format", "json"]);
}

#[test]
fn csv_is_tidy_long_rfc4180() {
    let (out, _) = ok(&["score", "--format", "csv"]);
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(&headers[1], "outlet");
    assert_eq!(&headers[2], "pole");
    assert_eq!(&headers[3], "voice");
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    // 4 outlets x 3 poles x 3 voices.
    assert_eq!(rows.len(), 4 * 3 * 3);
    assert!(rows.iter().all(|r| r[4].parse::<u64>().is_ok()));
}

#[test]
fn csv_neutralises_formulas_and_bom_is_optional() {
    let dir = tmp();
    let p = dir.path().join("evil.txt");
    std::fs::write(&p, "outlet: =HYPERLINK(\"http://x\")\ntitle: +cmd|' /C calc'!A0\n---\n@SUM(1+1) Armenian forces occupied the hill.").unwrap();
    let (out, _) = ok(&["corpus", p.to_str().unwrap(), "--format", "csv"]);
    assert!(out.contains("'=HYPERLINK"), "{out}");
    assert!(out.contains("'+cmd"), "{out}");
    assert!(!out.contains(",=") && !out.contains(",+") && !out.contains(",@"));
    let (bom, _) = ok(&["corpus", p.to_str().unwrap(), "--format", "csv", "--bom"]);
    assert!(bom.starts_with('\u{FEFF}'));
    assert!(!out.starts_with('\u{FEFF}'));
}

#[test]
fn terminal_output_strips_escape_sequences() {
    let dir = tmp();
    let p = dir.path().join("esc.txt");
    std::fs::write(&p, "outlet: Evil\u{1b}[31m Wire\ntitle: Bell\u{7} title\n---\nThe \u{1b}]0;pwned\u{7}hill was occupied by Armenian forces.").unwrap();
    for args in [vec!["corpus"], vec!["kwic", "occupied"], vec!["score"]] {
        let mut a = args.clone();
        a.push(p.to_str().unwrap());
        let (out, _) = ok(&a);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{args:?}: {out}");
    }
}

#[test]
fn output_file_and_markdown() {
    let dir = tmp();
    let p = dir.path().join("out.md");
    let out = fl().args(["score", "--format", "md", "-o", p.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let md = std::fs::read_to_string(&p).unwrap();
    assert!(md.contains("| outlet |"), "{md}");
}
