//! `framelens report` and `framelens exercise` in a real browser and as HTML.
//!
//! The browser test runs `/usr/bin/chromium` (Debian package `chromium`) headless when it is
//! installed; without it the test is skipped with a message, unless `CI` is set, when it
//! fails. Set `FRAMELENS_UPDATE_SCREENSHOTS=1` to rewrite `docs/report.png` and
//! `docs/worksheet.png` from the bundled sample.

use crate::util::{fails, ok, root, tmp};
use regex::Regex;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CSP_META: &str =
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
                        style-src 'unsafe-inline'; img-src 'none'; script-src 'none'; \
                        base-uri 'none'; form-action 'none'\">";

/// Two articles that try to inject markup: in the body, the title and the outlet name.
/// Both tell the same facts, so their passages align.
fn hostile_corpus(dir: &Path) -> String {
    let a = "outlet: Evil \"Wire\" <b>bold</b>\n\
             date: 2024-03-11\n\
             title: \"><img src=x onerror=\"document.body.dataset.pwned=1\">\n---\n\
             Troops <script>document.title='PWNED'</script> occupied the border villages of \
             Armenia on Monday, officials said.\n\n\
             The conflict began in 1988 when Armenia made territorial claims against Azerbaijan \
             \"><img src=x onerror=\"document.body.dataset.pwned=1\"> and the OSCE Minsk Group \
             has mediated since 1992 without a peace agreement.\n";
    let b = "outlet: Ledger <i>Daily</i>\n\
             date: 2024-03-12\n\
             title: Talks & 'quotes'\n---\n\
             Azerbaijani forces liberated the villages near the border on Monday, the ministry \
             said.\n\n\
             The conflict began in 1988 when the Nagorno-Karabakh region declared secession from \
             Azerbaijan, and the OSCE Minsk Group has mediated since 1992 without a peace \
             agreement.\n";
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).expect("corpus dir");
    std::fs::write(corpus.join("a.txt"), a).expect("write a");
    std::fs::write(corpus.join("b.txt"), b).expect("write b");
    corpus.display().to_string()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Asserts that a page loads nothing and runs nothing: no element that loads or runs
/// anything, no loading attribute on any element, no remote CSS, only in-page links.
fn assert_self_contained(page: &str, what: &str) {
    assert!(page.starts_with("<!DOCTYPE html>"), "{what}: doctype");
    assert!(page.contains(CSP_META), "{what}: CSP meta tag");
    let lower = page.to_lowercase();
    for bad in ["<script", "<img", "<iframe", "<link", "<object", "<embed", "<base", "<form"] {
        assert!(!lower.contains(bad), "{what}: contains {bad}");
    }
    // Attributes that load or run something, by name: quoted values are dropped first, since
    // escaped text in a title may read `src=x onerror=` but cannot leave its quotes (escaped
    // text has no raw `<`, `>` or `"`).
    let tag = Regex::new(r"<[a-zA-Z][^>]*>").expect("regex");
    let value = Regex::new(r#""[^"]*""#).expect("regex");
    let attr = Regex::new(r"(?i)\s(src|srcset|data|poster|action|formaction|on[a-z]+)\s*=")
        .expect("regex");
    for t in tag.find_iter(page) {
        let names = value.replace_all(t.as_str(), "\"\"");
        assert!(!attr.is_match(&names), "{what}: {}", t.as_str());
    }
    let style = Regex::new(r"(?s)<style>(.*?)</style>").expect("regex");
    for css in style.captures_iter(page) {
        assert!(!css[1].contains("url(") && !css[1].contains("@import"), "{what}: remote CSS");
    }
    let href = Regex::new(r#"href="([^"]*)""#).expect("regex");
    for c in href.captures_iter(page) {
        assert!(c[1].starts_with('#'), "{what}: only in-page links, found {}", &c[1]);
    }
}

/// Asserts that the hostile fixture's markup shows as text.
fn assert_escaped(page: &str, what: &str) {
    let lower = page.to_lowercase();
    assert!(!lower.contains("<script") && !lower.contains("<img"), "{what}: injected markup");
    assert!(!page.contains("<b>bold") && !page.contains("<i>Daily"), "{what}: injected outlet");
    assert!(page.contains("&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;"), "{what}");
    assert!(
        page.contains(
            "&quot;&gt;&lt;img src=x onerror=&quot;document.body.dataset.pwned=1&quot;&gt;"
        ),
        "{what}: the img payload shows as text"
    );
}

/// Headings (h1 to h3) and section ids: the page's structure, for snapshots.
fn outline(page: &str) -> String {
    let re =
        Regex::new(r#"<(section) id="([^"]*)"|<h([1-3])([^>]*)>(.*?)</h[1-3]>"#).expect("regex");
    let tags = Regex::new(r"<[^>]*>").expect("regex");
    let id = Regex::new(r#"id="([^"]*)""#).expect("regex");
    re.captures_iter(page)
        .map(|c| match (c.get(2), c.get(3)) {
            (Some(s), _) => format!("section #{}", s.as_str()),
            (_, Some(level)) => {
                let ident = id.captures(&c[4]).map(|i| format!(" #{}", &i[1])).unwrap_or_default();
                let text = tags.replace_all(&c[5], "");
                format!(
                    "{}h{}{ident} {text}",
                    "  ".repeat(level.as_str().parse::<usize>().unwrap_or(1) - 1),
                    level.as_str()
                )
            }
            _ => String::new(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn report_on_the_bundled_sample_is_one_self_contained_page() {
    let (page, err) = ok(&["report"]);
    assert!(err.contains("5 documents analysed"), "{err}");
    assert_self_contained(&page, "report");
    assert!(!page.contains("http://") && !page.contains("https://"), "no URL at all");
    for id in ["corpus", "slant", "wording", "stories", "kwic", "notes", "limits"] {
        assert!(page.contains(&format!("<section id=\"{id}\">")), "section {id}");
    }
    // The chart: an axis with both poles named, and each outlet with shape and label.
    assert!(page.contains("<svg class=\"chart\""));
    assert!(page.contains("◀ −1 armenia") && page.contains("azerbaijan +1 ▶"));
    for outlet in ["Trend", "Anadolu Agency", "TASS", "Press TV"] {
        assert!(page.contains(&format!("font-weight=\"bold\">{outlet}</text>")), "{outlet}");
    }
    for label in ["● own voice", "□ quoted and reported", "◆ all voices"] {
        assert!(page.contains(label), "{label}");
    }
    // Marks carry colour, a pole label and a footnote; notes are numbered.
    assert!(page.contains("<mark class=\"p0\" title=\""));
    assert!(page.contains("<sup class=\"tag p0\"><a href=\"#note-"));
    assert!(page.contains("<li id=\"note-1\">"));
    assert!(page.contains("@media print") && page.contains("size:A4"));
    // One KWIC row per lexicon hit.
    let hits =
        crate::util::json(&["kwic", "--lexicon-hits"])["hits"].as_array().map_or(0, Vec::len);
    let rows = page
        .split("<section id=\"kwic\">")
        .nth(1)
        .map_or(0, |s| s.matches("<tr><td class=\"id\">").count());
    assert_eq!(rows, hits);
}

#[test]
fn report_writes_the_same_bytes_to_a_file_every_time() {
    let dir = tmp();
    let (a, b) = (dir.path().join("a.html"), dir.path().join("b.html"));
    ok(&["report", "-q", "-o", a.to_str().unwrap()]);
    ok(&["report", "-q", "-o", b.to_str().unwrap()]);
    let (page, _) = ok(&["report", "-q"]);
    assert_eq!(read(&a), read(&b));
    assert_eq!(read(&a), page);
}

#[test]
fn report_rejects_other_formats() {
    assert!(fails(&["report", "--format", "csv"], 2).contains("HTML only"));
}

#[test]
fn hostile_articles_show_as_text_everywhere() {
    let dir = tmp();
    let corpus = hostile_corpus(dir.path());
    let (page, _) = ok(&["report", &corpus]);
    assert_self_contained(&page, "report");
    assert_escaped(&page, "report");
    // Also inside attributes: the lexicon note's title and the document path.
    assert!(page.contains("&lt;b&gt;bold&lt;/b&gt;"));
    let w = dir.path().join("w.html");
    let k = dir.path().join("k.html");
    ok(&["exercise", &corpus, "-o", w.to_str().unwrap(), "--answers", k.to_str().unwrap()]);
    for (p, what) in [(&w, "worksheet"), (&k, "key")] {
        let page = read(p);
        assert_self_contained(&page, what);
        assert_escaped(&page, what);
    }
    let (md, _) = ok(&["exercise", &corpus, "--format", "md", "--kind", "spot"]);
    assert!(md.contains("\\<script\\>"), "{md}");
    let raw = Regex::new(r"(^|[^\\])<").expect("regex");
    assert!(!raw.is_match(&md), "every < is escaped in Markdown: {:?}", raw.find(&md));
}

#[test]
fn hostile_lexicon_shows_as_text_in_every_page() {
    // Lexicons are shared files too: their name, poles, concepts, notes and neutral wordings
    // reach headings, table cells, title attributes and footnotes.
    let dir = tmp();
    let corpus = hostile_corpus(dir.path());
    let lexicon = dir.path().join("xss.csv");
    std::fs::write(
        &lexicon,
        "#name: <script>alert(1)</script>\n#poles: <b>a</b>,b' onmouseover=alert(3)\n\
         #axis: b' onmouseover=alert(3),<b>a</b>\nterm,concept,pole,note,neutral\n\
         occupied,\"<img src=x onerror=alert(1)>\",<b>a</b>,\"\"\"><script>alert(2)</script>\",<i>n</i>\n\
         liberat*,c,b' onmouseover=alert(3),</title><script>alert(4)</script>,\n",
    )
    .expect("write lexicon");
    let lex = lexicon.to_str().unwrap();
    let (page, _) = ok(&["report", &corpus, "--lexicon", lex, "--no-bundled", "-q"]);
    let (w, k) = (dir.path().join("w.html"), dir.path().join("k.html"));
    ok(&[
        "exercise",
        &corpus,
        "--lexicon",
        lex,
        "--no-bundled",
        "-q",
        "-o",
        w.to_str().unwrap(),
        "--answers",
        k.to_str().unwrap(),
    ]);
    for (page, what) in [(page, "report"), (read(&w), "worksheet"), (read(&k), "key")] {
        assert_self_contained(&page, what);
        assert!(!page.contains("<b>a") && !page.contains("<i>n"), "{what}: lexicon markup");
        assert!(!page.contains("' onmouseover"), "{what}: a quote breaks out of an attribute");
    }
}

#[test]
fn exercise_is_deterministic_for_a_seed_and_varies_across_seeds() {
    let run = |seed: &str| ok(&["exercise", "-q", "--seed", seed]).0;
    assert_eq!(run("7"), run("7"));
    let pages: BTreeSet<String> = ["1", "2", "3", "4", "5", "6"].into_iter().map(run).collect();
    assert!(pages.len() > 1, "different seeds give different orders");
    let dir = tmp();
    let keys: Vec<String> = (0..2)
        .map(|i| {
            let k = dir.path().join(format!("k{i}.html"));
            ok(&[
                "exercise",
                "-q",
                "--seed",
                "7",
                "-o",
                "/dev/null",
                "--answers",
                k.to_str().unwrap(),
            ]);
            read(&k)
        })
        .collect();
    assert_eq!(keys[0], keys[1]);
}

/// The text of every excerpt box in a worksheet.
fn excerpts(page: &str) -> Vec<String> {
    let re = Regex::new(r#"(?s)<div class="excerpt">(.*?)</div>"#).expect("regex");
    re.captures_iter(page).map(|c| c[1].to_string()).collect()
}

#[test]
fn worksheet_hides_the_outlets_and_the_key_names_them() {
    let dir = tmp();
    let (w, k) = (dir.path().join("w.html"), dir.path().join("k.html"));
    let (_, err) = ok(&[
        "exercise",
        "--seed",
        "3",
        "-o",
        w.to_str().unwrap(),
        "--answers",
        k.to_str().unwrap(),
    ]);
    assert!(!err.contains("no answer key"), "{err}");
    let (sheet, key) = (read(&w), read(&k));
    assert_self_contained(&sheet, "worksheet");
    for part in ["Part 1: Spot the framing", "Part 2: Who wrote it?", "Part 3: Neutral rewrite"] {
        assert!(sheet.contains(part) && key.contains(part), "{part}");
    }
    for must in [
        "Instructions",
        "Questions",
        "Time: about 25 minutes",
        "Suggested level: grades 9–12",
        "What counts can and cannot show:",
        "Source A",
        "Source B",
        "Passage 1",
        "(line ",
        "<u class=\"loaded\">",
    ] {
        assert!(sheet.contains(must), "worksheet has {must}");
    }
    let boxes = excerpts(&sheet);
    assert!(boxes.len() >= 6, "{}", boxes.len());
    for b in &boxes {
        for name in ["Trend", "Anadolu", "TASS", "Press TV", "PressTV"] {
            assert!(!b.contains(name), "outlet {name} is hidden in excerpts: {b}");
        }
    }
    // Never a judgement of an outlet.
    let judgement =
        Regex::new(r"(?i)\b(left-wing|right-wing|leftist|rightist|biased|propaganda|good|bad)\b")
            .expect("regex");
    let mut outside = sheet.clone();
    for b in &boxes {
        outside = outside.replace(b.as_str(), "");
    }
    assert!(!judgement.is_match(&outside), "{:?}", judgement.find(&outside));
    // The key: outlet of each source, every term with pole and note, neutral alternatives.
    for must in
        ["Source A: ", "— document ", "neutral alternative", "azerbaijan", "under Armenian control"]
    {
        assert!(key.contains(must), "key has {must}");
    }
    let source = Regex::new(r"<h3>Source [A-Z]: ([^<—]+) — document").expect("regex");
    let outlets: BTreeSet<&str> =
        source.captures_iter(&key).map(|c| c.get(1).map_or("", |m| m.as_str()).trim()).collect();
    assert!(outlets.len() >= 2, "{outlets:?}");
    assert!(!key.contains("<td></td>"), "every term row is filled");
}

#[test]
fn exercise_kinds_and_markdown() {
    let (spot, _) = ok(&["exercise", "-q", "--kind", "spot"]);
    assert!(spot.contains("Spot the framing") && !spot.contains("Who wrote it"));
    assert!(
        !spot.contains("<u class=\"loaded\">"),
        "spot the framing leaves underlining to students"
    );
    let (who, _) = ok(&["exercise", "-q", "--kind", "who"]);
    assert!(
        who.contains("Clues to look for") && who.contains("Anadolu Agency (Turkey; state-run)")
    );
    let (rewrite, _) = ok(&["exercise", "-q", "--kind", "rewrite"]);
    assert!(rewrite.contains("<u class=\"loaded\">") && !rewrite.contains("Spot the framing"));
    let dir = tmp();
    let k = dir.path().join("key.md");
    let (md, _) = ok(&["exercise", "-q", "--format", "md", "--answers", k.to_str().unwrap()]);
    assert!(md.starts_with("# How the news frames it"), "{md}");
    assert!(md.contains("> **Source A** (line "));
    assert!(read(&k).contains("| words in the text | pole | voice |"));
}

#[test]
fn exercise_without_aligned_passages_falls_back_and_says_so() {
    let dir = tmp();
    let corpus = dir.path().join("c");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("a.txt"), "outlet: Wire\ndate: 2024-01-02\n---\nAzerbaijani forces liberated Shusha after decades of Armenian occupation.\n").unwrap();
    std::fs::write(corpus.join("b.txt"), "outlet: Ledger\ndate: 2024-06-20\n---\nA new school opened in Stepanakert, the capital of Artsakh, on Friday.\n").unwrap();
    let c = corpus.to_str().unwrap();
    let (sheet, err) = ok(&["exercise", c, "--kind", "spot"]);
    assert!(err.contains("single passages rich in framing terms"), "{err}");
    assert!(sheet.contains("single passages rich in framing terms"));
    assert!(sheet.contains("Source A") && sheet.contains("Source B"));
}

#[test]
fn exercise_usage_errors() {
    assert!(fails(&["exercise", "--format", "json"], 2).contains("Markdown"));
    assert!(fails(&["exercise", "-o", "x.html", "--answers", "x.html"], 2).contains("--answers"));
    assert!(fails(&["exercise", "--answers", "-"], 2).contains("stdout"));
}

#[test]
fn html_outlines() {
    let (report, _) = ok(&["report", "-q"]);
    insta::assert_snapshot!("html_report_outline", outline(&report));
    let dir = tmp();
    let k = dir.path().join("k.html");
    let (sheet, _) = ok(&["exercise", "-q", "--seed", "1", "--answers", k.to_str().unwrap()]);
    insta::assert_snapshot!("html_worksheet_outline", outline(&sheet));
    insta::assert_snapshot!("html_key_outline", outline(&read(&k)));
}

// ---------------------------------------------------------------------------------------
// A real browser.

const CHROMIUM: &str = "/usr/bin/chromium";

/// Runs headless Chromium on `page` with `extra` flags; returns (stdout, stderr). Gives up
/// after two minutes.
fn chromium(page: &Path, extra: &[String], profile: &Path) -> (String, String) {
    let mut cmd = Command::new(CHROMIUM);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(extra)
    .arg(format!("file://{}", page.display()));
    // Files, not pipes: Chromium's log can fill a pipe while we wait for it to exit.
    std::fs::create_dir_all(profile).expect("profile dir");
    let (out, err) = (profile.join("stdout"), profile.join("stderr"));
    cmd.stdout(Stdio::from(std::fs::File::create(&out).expect("stdout file")))
        .stderr(Stdio::from(std::fs::File::create(&err).expect("stderr file")));
    let mut child = cmd.spawn().expect("chromium starts");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within two minutes on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let text =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    (text(&out), text(&err))
}

/// Console messages (CSP violations, errors, anything a page logs) in Chromium's log.
fn console_lines(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| {
            l.contains(":CONSOLE")
                || l.contains("Content Security Policy")
                || l.contains("Refused to")
        })
        .collect()
}

/// Loads `page`: the rendered DOM, checked for console output; a screenshot; an A4 PDF.
fn render_in_browser(page: &Path, out: &Path, name: &str) -> (String, PathBuf) {
    let (dom, log) =
        chromium(page, &["--dump-dom".into()], &out.join(format!("{name}-profile-dom")));
    assert!(
        console_lines(&log).is_empty(),
        "{name}: console output:\n{}",
        console_lines(&log).join("\n")
    );
    assert!(dom.contains("</html>"), "{name}: rendered DOM\n{log}");
    let png = out.join(format!("{name}.png"));
    let (_, log) = chromium(
        page,
        &[format!("--screenshot={}", png.display()), "--window-size=1200,2000".into()],
        &out.join(format!("{name}-profile-png")),
    );
    let bytes =
        std::fs::read(&png).unwrap_or_else(|e| panic!("{name}: no screenshot ({e}):\n{log}"));
    assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 20_000, "{name}: screenshot");
    let pdf = out.join(format!("{name}.pdf"));
    let (_, log) = chromium(
        page,
        &[format!("--print-to-pdf={}", pdf.display()), "--no-pdf-header-footer".into()],
        &out.join(format!("{name}-profile-pdf")),
    );
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{name}: no PDF ({e}):\n{log}"));
    assert!(bytes.starts_with(b"%PDF"), "{name}: PDF");
    // A4 is 595 × 842 points.
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("/MediaBox [0 0 594.9"), "{name}: printed on A4");
    (dom, png)
}

#[test]
fn pages_render_in_chromium_offline_without_running_injected_scripts() {
    if !Path::new(CHROMIUM).exists() {
        if std::env::var_os("CI").is_some() {
            panic!("{CHROMIUM} is missing: install the Debian package chromium (CI is set, so this test may not be skipped)");
        }
        eprintln!("skipped: {CHROMIUM} is missing; install the Debian package chromium to run the browser test");
        return;
    }
    let dir = tmp();
    let out = dir.path();
    // The hostile corpus: the payloads must show as text and never run.
    let corpus = hostile_corpus(out);
    let report = out.join("hostile-report.html");
    let sheet = out.join("hostile-worksheet.html");
    let key = out.join("hostile-key.html");
    ok(&["report", "-q", &corpus, "-o", report.to_str().unwrap()]);
    ok(&[
        "exercise",
        "-q",
        &corpus,
        "-o",
        sheet.to_str().unwrap(),
        "--answers",
        key.to_str().unwrap(),
    ]);
    for (page, name) in
        [(&report, "hostile-report"), (&sheet, "hostile-worksheet"), (&key, "hostile-key")]
    {
        let (dom, _) = render_in_browser(page, out, name);
        assert!(!dom.contains("data-pwned"), "{name}: an injected handler ran");
        assert!(!dom.contains("<title>PWNED"), "{name}: an injected script ran");
        assert!(
            dom.contains("&lt;script&gt;document.title='PWNED'&lt;/script&gt;"),
            "{name}: payload shows as text"
        );
        assert!(!dom.to_lowercase().contains("<img"), "{name}: no img element");
    }
    // The bundled sample: the chart renders; screenshots for the README.
    let report = out.join("report.html");
    let sheet = out.join("worksheet.html");
    ok(&["report", "-q", "-o", report.to_str().unwrap()]);
    ok(&["exercise", "-q", "-o", sheet.to_str().unwrap()]);
    let (dom, report_png) = render_in_browser(&report, out, "report");
    assert!(dom.contains("<svg class=\"chart\""), "the chart is in the rendered page");
    assert!(dom.contains("<circle") && dom.contains("<polygon") && dom.contains("<rect"));
    let (dom, sheet_png) = render_in_browser(&sheet, out, "worksheet");
    assert!(dom.contains("Spot the framing"));
    if std::env::var_os("FRAMELENS_UPDATE_SCREENSHOTS").is_some() {
        let docs = root().join("docs");
        std::fs::create_dir_all(&docs).expect("docs/");
        std::fs::copy(report_png, docs.join("report.png")).expect("copy report.png");
        std::fs::copy(sheet_png, docs.join("worksheet.png")).expect("copy worksheet.png");
    }
}
