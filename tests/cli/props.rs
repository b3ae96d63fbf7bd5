//! Property tests of the parsers and the matcher.

use framelens::corpus::{dates, header, read, read_bytes, ReadOptions};
use framelens::lexicon::{parse, Matcher};
use framelens::report::{self, Cell, Table};
use framelens::text::{analyse, segment, Lang};
use proptest::prelude::*;

const LEX: &str = "#poles: az,am,neutral\n#axis: am,az\nterm,concept,pole,near\noccupied,c,az,armenia*\nliberat*,c,az,\nnagorno-karabakh,p,neutral,\nartsakh,p,am,\nunder armenian control,c,neutral,\n";

/// The default reading options, built once: the boilerplate rules take milliseconds to
/// compile, and proptest runs hundreds of cases.
fn read_options() -> &'static ReadOptions {
    static OPTS: std::sync::OnceLock<ReadOptions> = std::sync::OnceLock::new();
    OPTS.get_or_init(ReadOptions::default)
}

fn news_text() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "Armenia",
        "occupied",
        "liberated",
        "Nagorno-Karabakh",
        "Artsakh",
        "under",
        "Armenian",
        "control",
        "said",
        "the",
        "ministry",
        "\"",
        "“",
        "”",
        "«",
        "»",
        ",",
        ".",
        "\n",
        "\n\n",
        "Oct.",
        "29",
        "STRASSE",
        "Straße",
        "’s",
        "é",
        "不",
        "\u{1b}[31m",
        "\t",
        "according",
        "to",
    ]);
    prop::collection::vec(words, 0..60).prop_map(|w| w.join(" "))
}

proptest! {
    #[test]
    fn header_parser_never_panics_and_counts_lines(s in "\\PC{0,200}") {
        let h = header::parse(&s);
        prop_assert!(h.lines <= s.split('\n').count());
    }

    #[test]
    fn header_round_trips(outlet in "[A-Za-z][A-Za-z ]{0,20}", title in "[^\n]{0,40}", y in 1900i32..2100, m in 1u8..13, d in 1u8..29) {
        let text = format!("outlet: {outlet}\ndate: {y:04}-{m:02}-{d:02}\ntitle: {title}\n---\nBody.");
        let h = header::parse(&text);
        prop_assert_eq!(h.lines, 4);
        prop_assert_eq!(h.fields["outlet"].as_str(), outlet.trim());
        prop_assert_eq!(dates::Date::parse_iso(&h.fields["date"]).unwrap().to_string(), format!("{y:04}-{m:02}-{d:02}"));
    }

    #[test]
    fn dates_found_are_real_and_inside_the_text(s in "\\PC{0,120}") {
        for f in dates::find(&s) {
            prop_assert!(f.end <= s.len() && f.start < f.end);
            prop_assert!(dates::Date::new(f.date.year, f.date.month, f.date.day).is_some());
        }
    }

    #[test]
    fn lexicon_parser_never_panics(s in "\\PC{0,300}") {
        let _ = parse("p.csv", &s);
    }

    #[test]
    fn corpus_readers_never_panic(s in "\\PC{0,300}") {
        for name in ["x.txt", "x.csv", "x.jsonl"] {
            let c = read_bytes(name, s.as_bytes(), read_options());
            prop_assert!(c.documents.len() + c.skipped.len() >= 1 || s.trim().is_empty() || name != "x.txt");
        }
    }

    /// A document's word count (taken line by line while cleaning) is the count of its text.
    #[test]
    fn word_counts_equal_counting_the_text(s in news_text(), repeat in any::<bool>()) {
        // A repeated paragraph is removed and must not be counted.
        let s = if repeat { format!("{s}\n\n{s}") } else { s };
        for d in read_bytes("x.txt", s.as_bytes(), read_options()).documents {
            prop_assert_eq!(d.words, framelens::corpus::count_words(&d.text));
        }
    }

    #[test]
    fn token_offsets_lie_inside_the_text(s in news_text()) {
        let seg = segment(&s, Lang::english());
        for t in &seg.tokens {
            prop_assert!(t.start < t.end && t.end <= s.len());
            prop_assert!(s.is_char_boundary(t.start) && s.is_char_boundary(t.end));
            let sent = &seg.sentences[t.sentence];
            prop_assert!(sent.start <= t.start && t.end <= sent.end);
        }
        let a = analyse(&s, Lang::english(), &[]);
        prop_assert_eq!(a.voices.len(), a.seg.tokens.len());
    }

    #[test]
    fn matching_is_case_insensitive_and_on_word_boundaries(s in news_text()) {
        let lex = parse("p.csv", LEX).0;
        let m = Matcher::new(vec![lex], Lang::english());
        let lower = analyse(&s, Lang::english(), &[]);
        // Upper-case every letter but the first of each word: sentence breaks, which depend
        // on the case of the letter after a period, stay where they were.
        let upper_text: String = s
            .split(' ')
            .map(|w| match w.char_indices().find(|(_, c)| c.is_alphabetic()) {
                Some((i, c)) => {
                    let keep = i + c.len_utf8();
                    format!("{}{}", &w[..keep], w[keep..].to_uppercase())
                }
                None => w.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" ");
        let upper = analyse(&upper_text, Lang::english(), &[]);
        let h1: Vec<(usize, usize)> = m.hits(&lower).iter().map(|h| (h.lexicon, h.entry)).collect();
        let h2: Vec<(usize, usize)> = m.hits(&upper).iter().map(|h| (h.lexicon, h.entry)).collect();
        prop_assert_eq!(&h1, &h2);
        for h in m.hits(&lower) {
            let before = s[..h.start].chars().next_back();
            let after = s[h.end..].chars().next();
            prop_assert!(before.is_none_or(|c| !c.is_alphanumeric()), "starts inside a word");
            prop_assert!(after.is_none_or(|c| !c.is_alphanumeric() || c == '’'), "ends inside a word");
        }
    }

    #[test]
    fn hits_come_out_in_text_order(s in news_text()) {
        let lex = parse("p.csv", LEX).0;
        let m = Matcher::new(vec![lex], Lang::english());
        let hits = m.hits(&analyse(&s, Lang::english(), &[]));
        prop_assert!(hits.windows(2).all(|w| w[0].end <= w[1].start));
    }

    #[test]
    fn csv_survives_a_round_trip(cells in prop::collection::vec("\\PC{0,20}", 1..6), n in -1000i64..1000) {
        let mut cols: Vec<String> = (0..cells.len()).map(|i| format!("c{i}")).collect();
        cols.push("n".into());
        let mut t = Table { title: String::new(), columns: cols, rows: Vec::new(), notes: Vec::new() };
        let mut row: Vec<Cell> = cells.iter().map(|c| Cell::text(c.clone())).collect();
        row.push(Cell::Int(n));
        t.rows.push(row);
        let mut buf = Vec::new();
        report::csv::render(&t, false, &mut buf).unwrap();
        let mut rdr = csv::Reader::from_reader(buf.as_slice());
        let rec = rdr.records().next().unwrap().unwrap();
        for (i, c) in cells.iter().enumerate() {
            prop_assert_eq!(&rec[i], report::csv::neutralise(c));
        }
        prop_assert_eq!(rec[cells.len()].parse::<i64>().unwrap(), n);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Files in a folder come out sorted by path, whatever order they were written in, and a
    /// second read gives the same documents.
    #[test]
    fn folder_reads_are_sorted_and_repeatable(
        files in prop::collection::btree_map("[a-z0-9_]{1,6}", news_text(), 1..8),
        order in any::<prop::sample::Index>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        // Write in a rotated order, so creation order is not name order.
        let mut names: Vec<&String> = files.keys().collect();
        let k = order.index(names.len());
        names.rotate_left(k);
        for name in names {
            let body = format!("outlet: Wire\n---\nWords {name}. {}", files[name]);
            std::fs::write(dir.path().join(format!("{name}.txt")), body).unwrap();
        }
        let opts = ReadOptions::default();
        let a = read(&[dir.path().to_path_buf()], &opts);
        let b = read(&[dir.path().to_path_buf()], &opts);
        prop_assert_eq!(a.documents.len() + a.skipped.len(), files.len());
        let paths: Vec<&str> = a.documents.iter().map(|d| d.path.as_str()).collect();
        let mut sorted = paths.clone();
        sorted.sort_unstable();
        prop_assert_eq!(&paths, &sorted);
        let key = |c: &framelens::corpus::Corpus| -> Vec<(String, String)> {
            c.documents.iter().map(|d| (d.id.clone(), d.text.clone())).collect()
        };
        prop_assert_eq!(key(&a), key(&b));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// Tables grouped by outlet do not depend on the order the inputs were given in.
    #[test]
    fn outlet_tables_do_not_depend_on_input_order(
        docs in prop::collection::vec((0..3usize, news_text()), 2..6),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut paths = Vec::new();
        for (i, (outlet, text)) in docs.iter().enumerate() {
            let p = dir.path().join(format!("d{i}.txt"));
            // The first two differ: keyness needs two groups.
            let name = ["Wire", "Ledger", "Courier"][if i < 2 { i } else { *outlet }];
            std::fs::write(&p, format!("outlet: {name}\n---\nArmenian forces occupied it. {text}")).unwrap();
            paths.push(p.display().to_string());
        }
        let run = |paths: &[String], args: &[&str]| {
            let mut a: Vec<&str> = args.to_vec();
            a.extend(paths.iter().map(String::as_str));
            a.push("-q");
            crate::util::ok(&a).0
        };
        let reversed: Vec<String> = paths.iter().rev().cloned().collect();
        for args in [&["score", "--format", "csv"][..], &["keyness", "--format", "csv"]] {
            prop_assert_eq!(run(&paths, args), run(&reversed, args), "{:?}", args);
        }
    }
}

/// The bundled karabakh lexicon without its context rules: one entry per term.
fn plain_lexicon() -> framelens::lexicon::Lexicon {
    let text = std::fs::read_to_string(crate::util::root().join("lexicons/karabakh.csv")).unwrap();
    let rows: String = text.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n");
    let mut out = String::from("#poles: azerbaijan,armenia,neutral\nterm,concept,pole,match\n");
    let mut seen = std::collections::BTreeSet::new();
    for r in csv::Reader::from_reader(rows.as_bytes())
        .deserialize::<std::collections::HashMap<String, String>>()
    {
        let r = r.unwrap();
        let (term, m) = (r["term"].clone(), r.get("match").cloned().unwrap_or_default());
        if seen.insert(framelens::text::fold_words(term.trim_end_matches('*'))) {
            let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            out.push_str(&format!("{},{},{},{}\n", q(&term), q(&r["concept"]), r["pole"], m));
        }
    }
    let (lex, problems) = parse("plain.csv", &out);
    assert!(
        problems.iter().all(|p| p.severity != framelens::lexicon::Severity::Error),
        "{problems:?}"
    );
    lex
}

/// The straightforward matcher: at each word, the longest entry whose words are there
/// (inflected or extended as the entry allows), then on after it; never across sentences.
fn reference_hits(
    a: &framelens::text::Analysis,
    lex: &framelens::lexicon::Lexicon,
) -> Vec<(usize, usize)> {
    let seg = &a.seg;
    let mut out = Vec::new();
    for s in &seg.sentences {
        let words: Vec<&str> = s.tokens.clone().map(|i| seg.norm(i)).collect();
        let mut i = 0;
        while i < words.len() {
            let best = (1..=words.len() - i).rev().find(|&k| {
                lex.entries.iter().any(|e| e.matches_words(&words[i..i + k], Lang::english()))
            });
            match best {
                Some(k) => {
                    let (t0, t1) = (s.tokens.start + i, s.tokens.start + i + k - 1);
                    out.push((seg.tokens[t0].start, seg.tokens[t1].end));
                    i += k;
                }
                None => i += 1,
            }
        }
    }
    out
}

/// Lexicon hits equal the straightforward matcher's on every seed and fixture text.
#[test]
fn matcher_equals_the_reference_on_real_text() {
    let lex = plain_lexicon();
    assert!(lex.entries.len() > 300);
    let m = Matcher::new(vec![lex.clone()], Lang::english());
    let root = crate::util::root();
    let corpus = read(&[root.join("seeds"), root.join("tests/fixtures")], &ReadOptions::default());
    assert!(corpus.documents.len() > 30);
    let mut total = 0;
    for d in &corpus.documents {
        let a = analyse(&d.text, Lang::english(), &[]);
        let got: Vec<(usize, usize)> = m.hits(&a).iter().map(|h| (h.start, h.end)).collect();
        assert_eq!(got, reference_hits(&a, &lex), "{}", d.path);
        total += got.len();
    }
    assert!(total > 100, "only {total} hits");
}
