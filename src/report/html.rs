//! The HTML report: one self-contained page that a teacher can open offline, project and
//! print. Consumes a plain [`ReportData`] (built by the `report` command from the corpus,
//! score and align stages); produces HTML on any `io::Write`. It computes nothing about
//! framing itself.
//!
//! # Safety and self-containment
//! - Every piece of article or corpus text (titles, outlet names, paths, passages, speakers,
//!   lexicon notes) goes through [`escape`], in element content and in attributes alike, so
//!   an article containing `<script>` or `"><img onerror=…>` shows as text.
//! - The page loads nothing: CSS is inline, charts are inline SVG, there is no script, no
//!   font, no image, and the [`CSP`] meta tag forbids every remote load should a browser
//!   meet one anyway. Links are in-page anchors only.
//! - Output is deterministic: no timestamps, order as given by the caller.
//!
//! # Reading without colour
//! Framing terms are marked with their pole's colour (the Okabe-Ito palette, readable with
//! the common colour-vision deficiencies) *and* a distinct underline style (solid, double,
//! dotted, dashed, wavy) *and* a pole label, so the marks survive black-and-white print.
//! In the slant chart, voices differ by marker shape and by a text label, not by colour.
//! Lexicon notes are on hover (`title`) and as numbered footnotes for print.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The Content-Security-Policy of every page framelens writes: nothing may load or run.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; \
                       script-src 'none'; base-uri 'none'; form-action 'none'";

/// Escapes text for HTML element content and quoted attribute values: `& < > " '`. Control
/// characters other than tab and newline, and bidirectional overrides, are dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            '\r' => out.push(' '),
            c if c.is_control()
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') => {}
            c => out.push(c),
        }
    }
    out
}

/// A framing term found in a piece of text, with what the lexicon says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Byte offset in the text it belongs to.
    pub start: usize,
    /// End byte offset.
    pub end: usize,
    /// The lexicon term as written in the lexicon (`liberat*`).
    pub term: String,
    /// The concept the term names.
    pub concept: String,
    /// The pole whose framing the wording reflects.
    pub pole: String,
    /// Whether the pole is one end of its lexicon's slant axis (not a neutral pole).
    pub axis: bool,
    /// The lexicon's note on the wording.
    pub note: String,
    /// The lexicon's neutral alternative, or empty.
    pub neutral: String,
    /// `own`, `quoted` or `reported`.
    pub voice: String,
    /// Speaker, when quoted or reported and named.
    pub speaker: Option<String>,
    /// Whether a negation precedes the term.
    pub negated: bool,
}

impl Mark {
    /// Whether a student should treat the wording as loaded: it belongs to a side of the axis,
    /// or the lexicon offers a more neutral alternative.
    pub fn loaded(&self) -> bool {
        self.axis || !self.neutral.trim().is_empty()
    }
}

/// A paragraph (or sentence) of a document, with its framing terms.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Excerpt {
    /// Document id.
    pub doc: String,
    /// Outlet name.
    pub outlet: String,
    /// Names the outlet goes by (name and aliases), hidden in worksheets.
    pub names: Vec<String>,
    /// Publication date, if known.
    pub date: Option<String>,
    /// Line in the input file.
    pub line: u32,
    /// The text, on one line.
    pub text: String,
    /// Framing terms in `text`, sorted by offset, not overlapping.
    pub marks: Vec<Mark>,
}

/// One document in the corpus table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocRow {
    /// Document id.
    pub id: String,
    /// Where it came from.
    pub path: String,
    /// Outlet name.
    pub outlet: String,
    /// Publication date, if known.
    pub date: Option<String>,
    /// Headline, if known.
    pub title: Option<String>,
    /// Words analysed.
    pub words: usize,
    /// Lexicon hits.
    pub hits: usize,
    /// Lines removed as page furniture: (line, reason, text).
    pub removed: Vec<(u32, String, String)>,
}

/// An input that was not read, or a warning about one that was.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InputNote {
    /// The input.
    pub input: String,
    /// The reason or message.
    pub message: String,
}

/// Marker shape of a slant series in the chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Filled circle.
    Circle,
    /// Hollow square.
    Square,
    /// Filled diamond.
    Diamond,
}

/// One point of the slant chart: an outlet's slant in some voices.
#[derive(Debug, Clone, PartialEq)]
pub struct SlantPoint {
    /// Which voices, e.g. "own voice", "all voices".
    pub label: String,
    /// Marker shape.
    pub shape: Shape,
    /// Slant in [-1, 1], `None` without axis hits.
    pub value: Option<f64>,
    /// 95% interval.
    pub ci: Option<(f64, f64)>,
    /// Axis hits behind it.
    pub hits: usize,
}

/// Hits of one pole, by voice.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PoleCounts {
    /// Pole name.
    pub pole: String,
    /// In the outlet's own voice.
    pub own: usize,
    /// In direct quotations.
    pub quoted: usize,
    /// In reported speech.
    pub reported: usize,
}

/// One outlet in the slant chart.
#[derive(Debug, Clone, PartialEq)]
pub struct OutletSlant {
    /// Outlet name.
    pub outlet: String,
    /// Documents.
    pub documents: usize,
    /// Words.
    pub words: usize,
    /// The series, drawn top to bottom.
    pub points: Vec<SlantPoint>,
    /// Hits per pole and voice.
    pub counts: Vec<PoleCounts>,
}

/// The slant chart of one lexicon.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Lexicon name.
    pub lexicon: String,
    /// (negative pole, positive pole).
    pub axis: (String, String),
    /// Outlets, in display order.
    pub outlets: Vec<OutletSlant>,
}

/// A matched wording and how often an outlet used it.
#[derive(Debug, Clone, PartialEq)]
pub struct Wording {
    /// The words as matched (lower case).
    pub words: String,
    /// Pole of the term.
    pub pole: String,
    /// Hits.
    pub count: usize,
}

/// Concept × outlet: the wording each outlet chose.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WordingTable {
    /// Lexicon name.
    pub lexicon: String,
    /// Column heads.
    pub outlets: Vec<String>,
    /// (concept, one cell per outlet).
    pub rows: Vec<(String, Vec<Vec<Wording>>)>,
}

/// Passages of several outlets that state the same fact.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupView {
    /// Group id.
    pub id: usize,
    /// Its most informative shared words.
    pub label: String,
    /// Words the passages share.
    pub shared: Vec<String>,
    /// One passage per document.
    pub passages: Vec<Excerpt>,
}

/// A story covered by two or more outlets.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StoryView {
    /// Story id.
    pub id: usize,
    /// Headline of its first report, with the dates.
    pub title: String,
    /// Its reports.
    pub docs: Vec<DocRow>,
    /// Its aligned passages.
    pub groups: Vec<GroupView>,
}

/// One lexicon hit in context.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KwicRow {
    /// Document id.
    pub doc: String,
    /// Outlet name.
    pub outlet: String,
    /// Line in the input.
    pub line: u32,
    /// Sentence number in the document.
    pub sentence: usize,
    /// The sentence, with one mark (the hit).
    pub context: Excerpt,
}

/// A lexicon in use.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LexiconInfo {
    /// Name.
    pub name: String,
    /// One-line description.
    pub description: String,
    /// Number of terms.
    pub terms: usize,
}

/// Everything the report shows, computed by the caller.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportData {
    /// Page title.
    pub title: String,
    /// Program name and version, for the footer.
    pub generator: String,
    /// Lexicons used.
    pub lexicons: Vec<LexiconInfo>,
    /// All poles, in lexicon order (decides the mark styles with the axes).
    pub poles: Vec<String>,
    /// Documents, in corpus order.
    pub documents: Vec<DocRow>,
    /// Inputs not read.
    pub skipped: Vec<InputNote>,
    /// Warnings about inputs that were read.
    pub warnings: Vec<InputNote>,
    /// One slant chart per lexicon with an axis.
    pub charts: Vec<Chart>,
    /// One wording table per lexicon.
    pub wording: Vec<WordingTable>,
    /// Stories covered by two or more outlets.
    pub stories: Vec<StoryView>,
    /// Passage groups that recur across stories (background passages).
    pub background: Vec<GroupView>,
    /// Every lexicon hit, in corpus order.
    pub kwic: Vec<KwicRow>,
}

/// Pole → style index (0..6): the axis poles first (positive, negative), then the others in
/// lexicon order. Index `i` has the CSS class `p{i}`.
#[derive(Debug, Clone, Default)]
pub struct PoleStyles(BTreeMap<String, usize>);

/// Okabe-Ito colours with an underline style and a light tint, by style index.
const STYLES: [(&str, &str, &str, &str); 6] = [
    ("#D55E00", "solid", "#FBE3D2", "solid underline"),
    ("#0072B2", "double", "#DCEBF6", "double underline"),
    ("#4D4D4D", "dotted", "#ECECEC", "dotted underline"),
    ("#CC79A7", "dashed", "#F7E3EE", "dashed underline"),
    ("#009E73", "wavy", "#D8F1EA", "wavy underline"),
    ("#E69F00", "solid", "#FBEFD2", "thin solid underline"),
];

impl PoleStyles {
    /// Styles for `poles`, axis poles first.
    pub fn new<'a>(poles: &[String], axes: impl IntoIterator<Item = &'a (String, String)>) -> Self {
        let mut order: Vec<&String> = Vec::new();
        for (neg, pos) in axes {
            for p in [pos, neg] {
                if !order.contains(&p) {
                    order.push(p);
                }
            }
        }
        for p in poles {
            if !order.contains(&p) {
                order.push(p);
            }
        }
        PoleStyles(
            order.into_iter().enumerate().map(|(i, p)| (p.clone(), i % STYLES.len())).collect(),
        )
    }

    /// Style index of `pole` (unknown poles share the last style).
    pub fn of(&self, pole: &str) -> usize {
        self.0.get(pole).copied().unwrap_or(STYLES.len() - 1)
    }

    /// Poles in style order.
    pub fn poles(&self) -> Vec<(&str, usize)> {
        let mut v: Vec<(&str, usize)> = self.0.iter().map(|(p, &i)| (p.as_str(), i)).collect();
        v.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
        v
    }
}

/// CSS for the mark styles `.p0` … `.p5`, shared with the worksheets.
pub fn pole_css() -> String {
    let mut css = String::new();
    for (i, (color, deco, tint, _)) in STYLES.iter().enumerate() {
        let _ = writeln!(
            css,
            "mark.p{i}{{background:{tint};text-decoration:underline {deco} {color};\
             text-decoration-thickness:2px;text-underline-offset:3px}}\
             .tag.p{i},.swatch.p{i}{{color:{color}}}"
        );
    }
    css
}

/// Footnotes: one number per lexicon entry, in order of first appearance.
#[derive(Debug, Default)]
struct Notes {
    index: BTreeMap<(String, String, String, String), usize>,
    list: Vec<Mark>,
}

impl Notes {
    fn number(&mut self, m: &Mark) -> usize {
        let key = (m.term.clone(), m.pole.clone(), m.concept.clone(), m.note.clone());
        if let Some(&n) = self.index.get(&key) {
            return n;
        }
        self.list.push(m.clone());
        let n = self.list.len();
        self.index.insert(key, n);
        n
    }
}

/// Text with its marks as HTML: each term in its pole's style, with the note on hover, a pole
/// label and a footnote number. Marks that overlap or do not fall on character boundaries
/// are skipped (the text still shows).
fn marked(text: &str, marks: &[Mark], styles: &PoleStyles, notes: &mut Notes) -> String {
    let mut out = String::new();
    let mut at = 0;
    for m in marks {
        if m.start < at
            || m.end > text.len()
            || m.start >= m.end
            || !text.is_char_boundary(m.start)
            || !text.is_char_boundary(m.end)
        {
            continue;
        }
        out.push_str(&escape(&text[at..m.start]));
        let p = styles.of(&m.pole);
        let n = notes.number(m);
        let neg = if m.negated { ", negated" } else { "" };
        let _ = write!(
            out,
            "<mark class=\"p{p}\" title=\"{}\">{}</mark><sup class=\"tag p{p}\">\
             <a href=\"#note-{n}\">{}{neg}&#160;{n}</a></sup>",
            escape(&format!("{} ({}{neg}) · {}: {}", m.term, m.pole, m.concept, m.note)),
            escape(&text[m.start..m.end]),
            escape(&m.pole),
        );
        at = m.end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

/// Writes the report.
pub fn render(data: &ReportData, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(page(data).as_bytes())
}

const CSS: &str = r#"
:root{--ink:#1a1a1a;--muted:#5a5a5a;--rule:#c8c8c8}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;color:var(--ink);background:#fff;line-height:1.5;margin:0 auto;max-width:72rem;padding:1.5rem}
h1{font-size:1.8rem;margin:0 0 .3rem}h2{font-size:1.35rem;border-bottom:2px solid var(--ink);padding-bottom:.2rem;margin-top:2.5rem}h3{font-size:1.1rem;margin-top:1.6rem}
.lede{color:var(--muted);margin:0 0 1rem}
nav.toc ol{columns:2;padding-left:1.2rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0 1rem;font-size:.92rem}
th,td{border:1px solid var(--rule);padding:.3rem .45rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
td.id{overflow-wrap:anywhere;min-width:7rem}
td.slant{text-align:right;font-variant-numeric:tabular-nums}
th{background:#f2f2f2}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.note{font-size:.9rem;color:var(--muted)}
.legend{display:flex;flex-wrap:wrap;gap:.4rem 1.4rem;padding:.5rem .8rem;border:1px solid var(--rule);font-size:.92rem}
mark{color:inherit;padding:0 .1em}
sup.tag{font-size:.68em;font-weight:600;white-space:nowrap;margin-left:.1em}
sup.tag a{color:inherit;text-decoration:none}
.side{display:grid;grid-template-columns:repeat(auto-fit,minmax(17rem,1fr));gap:.8rem}
.passage{border:1px solid var(--rule);border-radius:4px;padding:.5rem .8rem;break-inside:avoid}
.passage h5{margin:0 0 .3rem;font-size:.85rem}
.passage p{margin:.2rem 0;line-height:1.9}
.meta{color:var(--muted);font-size:.85rem;font-weight:normal}
svg.chart{width:100%;height:auto;max-width:62rem;display:block}
svg text{font-family:inherit}
details{margin:.3rem 0}
ol.notes li{margin:.25rem 0}
footer{margin-top:3rem;color:var(--muted);font-size:.85rem;border-top:1px solid var(--rule);padding-top:.5rem}
@page{size:A4;margin:14mm 12mm}
@media print{
 body{max-width:none;padding:0;font-size:9.5pt}
 nav.toc{display:none}
 h2{break-before:page;break-after:avoid}
 section:first-of-type h2{break-before:auto}
 h3,h4{break-after:avoid}
 table{font-size:8.5pt}
 thead{display:table-header-group}
 tr,.passage,svg.chart,.legend{break-inside:avoid}
 .side{display:block}.passage{margin:.4rem 0}
 mark,sup.tag,th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 a{color:inherit;text-decoration:none}
 details>summary{list-style:none}
}
"#;

/// Opens a page: doctype, the Content-Security-Policy, `title`, the stylesheet `css` with
/// the pole marks, and `<body>`. The report and the worksheets share it.
pub(crate) fn open_page(h: &mut String, title: &str, css: &str) {
    let _ = writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{css}{}</style>\n</head>\n<body>",
        escape(title),
        pole_css()
    );
}

fn page(d: &ReportData) -> String {
    let styles = PoleStyles::new(&d.poles, d.charts.iter().map(|c| &c.axis));
    let mut notes = Notes::default();
    let mut h = String::new();
    open_page(&mut h, &d.title, CSS);
    let outlets = outlet_names(&d.documents);
    let _ = writeln!(
        h,
        "<header>\n<h1>{}</h1>\n<p class=\"lede\">{} document{} from {} outlet{}; lexicon{}: {}.</p>\n</header>",
        escape(&d.title),
        d.documents.len(),
        plural(d.documents.len()),
        outlets.len(),
        plural(outlets.len()),
        plural(d.lexicons.len()),
        escape(
            &d.lexicons
                .iter()
                .map(|l| format!("{} ({} terms)", l.name, l.terms))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    h.push_str(
        "<nav class=\"toc\" aria-label=\"Contents\"><ol>\
         <li><a href=\"#corpus\">The corpus</a></li>\
         <li><a href=\"#slant\">Slant by outlet</a></li>\
         <li><a href=\"#wording\">Wording by concept</a></li>\
         <li><a href=\"#stories\">Stories and aligned passages</a></li>\
         <li><a href=\"#kwic\">Every framing term in context</a></li>\
         <li><a href=\"#notes\">Lexicon notes</a></li>\
         <li><a href=\"#limits\">What the numbers mean</a></li></ol></nav>\n",
    );
    corpus_section(&mut h, d);
    slant_section(&mut h, d);
    wording_section(&mut h, d, &styles);
    stories_section(&mut h, d, &styles, &mut notes);
    kwic_section(&mut h, d, &styles, &mut notes);
    notes_section(&mut h, &notes, &styles);
    limits_section(&mut h, d);
    let _ = writeln!(
        h,
        "<footer>Made by {} from the documents listed above. Offline page: no scripts, \
         no remote resources.</footer>\n</body>\n</html>",
        escape(&d.generator)
    );
    h
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn outlet_names(docs: &[DocRow]) -> Vec<&str> {
    let mut v: Vec<&str> = docs.iter().map(|d| d.outlet.as_str()).collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn corpus_section(h: &mut String, d: &ReportData) {
    h.push_str("<section id=\"corpus\">\n<h2>The corpus</h2>\n");
    let words: usize = d.documents.iter().map(|x| x.words).sum();
    let removed: usize = d.documents.iter().map(|x| x.removed.len()).sum();
    let mut dates: Vec<&str> = d.documents.iter().filter_map(|x| x.date.as_deref()).collect();
    dates.sort_unstable();
    let span = match (dates.first(), dates.last()) {
        (Some(a), Some(b)) if a != b => format!(", dated {a} to {b}"),
        (Some(a), _) => format!(", dated {a}"),
        _ => String::new(),
    };
    let _ = writeln!(
        h,
        "<p>{} document{} ({} words analysed){}; {} input{} skipped; {} line{} of page \
         furniture (bylines, share buttons, related links) removed before analysis.</p>",
        d.documents.len(),
        plural(d.documents.len()),
        words,
        escape(&span),
        d.skipped.len(),
        plural(d.skipped.len()),
        removed,
        plural(removed)
    );
    h.push_str(
        "<h3 id=\"corpus-outlets\">Outlets</h3>\n<table><thead><tr><th>outlet</th>\
                <th class=\"num\">documents</th><th class=\"num\">words</th><th>dates</th>\
                </tr></thead><tbody>\n",
    );
    for o in outlet_names(&d.documents) {
        let docs: Vec<&DocRow> = d.documents.iter().filter(|x| x.outlet == o).collect();
        let mut ds: Vec<&str> = docs.iter().filter_map(|x| x.date.as_deref()).collect();
        ds.sort_unstable();
        ds.dedup();
        let dates = match (ds.first(), ds.last()) {
            (Some(a), Some(b)) if a != b => format!("{a} to {b}"),
            (Some(a), _) => a.to_string(),
            _ => "undated".into(),
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            escape(o),
            docs.len(),
            docs.iter().map(|x| x.words).sum::<usize>(),
            escape(&dates)
        );
    }
    h.push_str("</tbody></table>\n");
    h.push_str(
        "<h3 id=\"corpus-documents\">Documents</h3>\n<table><thead><tr><th>document</th>\
         <th>outlet</th><th>date</th><th>title</th><th class=\"num\">words</th>\
         <th class=\"num\">framing hits</th><th>removed lines</th></tr></thead><tbody>\n",
    );
    for doc in &d.documents {
        let removed = if doc.removed.is_empty() {
            "none".to_string()
        } else {
            let mut s = format!(
                "<details><summary>{} line{}</summary><ul>",
                doc.removed.len(),
                plural(doc.removed.len())
            );
            for (line, reason, text) in &doc.removed {
                let _ = write!(
                    s,
                    "<li>line {line}: {} — <q>{}</q></li>",
                    escape(reason),
                    escape(&shorten(text, 140))
                );
            }
            s.push_str("</ul></details>");
            s
        };
        let _ = writeln!(
            h,
            "<tr><td class=\"id\" title=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td>{}</td></tr>",
            escape(&doc.path),
            escape(&doc.id),
            escape(&doc.outlet),
            escape(doc.date.as_deref().unwrap_or("—")),
            escape(doc.title.as_deref().unwrap_or("—")),
            doc.words,
            doc.hits,
            removed
        );
    }
    h.push_str("</tbody></table>\n<h3 id=\"corpus-skipped\">Skipped inputs</h3>\n");
    if d.skipped.is_empty() {
        h.push_str("<p>None: every input became a document.</p>\n");
    } else {
        h.push_str("<table><thead><tr><th>input</th><th>reason</th></tr></thead><tbody>\n");
        for s in &d.skipped {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td></tr>",
                escape(&s.input),
                escape(&s.message)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    if !d.warnings.is_empty() {
        h.push_str("<h3 id=\"corpus-warnings\">Warnings</h3>\n<ul>\n");
        for w in &d.warnings {
            let _ = writeln!(h, "<li>{}: {}</li>", escape(&w.input), escape(&w.message));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
}

/// The first `max` characters of `s`, with an ellipsis when cut.
fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

fn fmt_slant(x: f64) -> String {
    let s = format!("{x:+.2}");
    if s == "-0.00" {
        "+0.00".into()
    } else {
        s
    }
}

fn slant_section(h: &mut String, d: &ReportData) {
    h.push_str("<section id=\"slant\">\n<h2>Slant by outlet</h2>\n");
    if d.charts.is_empty() {
        h.push_str(
            "<p>No lexicon in use declares a slant axis, so there is no slant to chart.</p>\n",
        );
    }
    for c in &d.charts {
        let (neg, pos) = &c.axis;
        let _ = writeln!(
            h,
            "<h3 id=\"slant-{}\">Lexicon {}: from {} (−1) to {} (+1)</h3>",
            escape(&slug(&c.lexicon)),
            escape(&c.lexicon),
            escape(neg),
            escape(pos)
        );
        let _ = writeln!(
            h,
            "<p class=\"note\">Each row is one outlet's slant index (A − B) / (A + B) over the \
             framing terms of the two poles, with its 95% bootstrap interval as a bar. \
             ● own voice: the outlet's own words; □ quoted and reported: words the outlet \
             attributes to others; ◆ all voices together. n is the number of hits behind each \
             figure; under 10 is too few to generalise.</p>"
        );
        h.push_str(&chart_svg(c));
        let poles: Vec<&str> = c
            .outlets
            .first()
            .map(|o| o.counts.iter().map(|p| p.pole.as_str()).collect())
            .unwrap_or_default();
        let series: Vec<&str> = c
            .outlets
            .first()
            .map(|o| o.points.iter().map(|p| p.label.as_str()).collect())
            .unwrap_or_default();
        // The chart's figures as a table, for print and screen readers.
        h.push_str("<table class=\"slants\"><thead><tr><th>outlet</th>");
        for l in &series {
            let _ = write!(h, "<th class=\"num\">slant, {} (95% interval, n)</th>", escape(l));
        }
        h.push_str("</tr></thead><tbody>\n");
        for o in &c.outlets {
            let _ = write!(h, "<tr><td>{}</td>", escape(&o.outlet));
            for l in &series {
                let cell = match o.points.iter().find(|p| p.label == *l) {
                    Some(SlantPoint { value: Some(v), ci: Some((lo, hi)), hits, .. }) => format!(
                        "{} ({} to {}, n={hits})",
                        fmt_slant(*v),
                        fmt_slant(*lo),
                        fmt_slant(*hi)
                    ),
                    Some(SlantPoint { value: Some(v), hits, .. }) => {
                        format!("{} (n={hits})", fmt_slant(*v))
                    }
                    _ => "no hits on the axis".to_string(),
                };
                let _ = write!(h, "<td class=\"slant\">{}</td>", escape(&cell));
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody></table>\n");
        let _ = writeln!(
            h,
            "<h4 id=\"hits-{}\">Framing hits by pole and voice</h4>",
            escape(&slug(&c.lexicon))
        );
        h.push_str(
            "<table class=\"counts\"><thead><tr><th rowspan=\"2\">outlet</th>\
             <th rowspan=\"2\" class=\"num\">documents</th><th rowspan=\"2\" class=\"num\">words</th>",
        );
        for p in &poles {
            let _ = write!(h, "<th colspan=\"3\">{}</th>", escape(p));
        }
        h.push_str("</tr><tr>");
        for _ in &poles {
            h.push_str("<th class=\"num\">own</th><th class=\"num\">quoted</th><th class=\"num\">reported</th>");
        }
        h.push_str("</tr></thead><tbody>\n");
        for o in &c.outlets {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
                escape(&o.outlet),
                o.documents,
                o.words
            );
            for p in &poles {
                let cnt = o.counts.iter().find(|x| x.pole == *p).cloned().unwrap_or_default();
                let _ = write!(
                    h,
                    "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
                    cnt.own, cnt.quoted, cnt.reported
                );
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</section>\n");
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect()
}

/// The slant chart as inline SVG: a horizontal axis from −1 to +1 with the poles named at the
/// ends, and per outlet one row per series: a marker (shape by series) with its interval bar
/// and a text label.
pub fn chart_svg(c: &Chart) -> String {
    const W: f64 = 960.0;
    const X0: f64 = 350.0;
    const X1: f64 = 770.0;
    const ROW: f64 = 24.0;
    const TOP: f64 = 58.0;
    let x = |v: f64| X0 + (v.clamp(-1.0, 1.0) + 1.0) / 2.0 * (X1 - X0);
    let rows: usize = c.outlets.iter().map(|o| o.points.len().max(1)).sum::<usize>();
    let gaps = c.outlets.len().saturating_sub(1) as f64 * 10.0;
    let bottom = TOP + rows as f64 * ROW + gaps;
    let height = bottom + 44.0;
    let (neg, pos) = &c.axis;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg class=\"chart\" viewBox=\"0 0 {W} {height}\" \
         role=\"img\" aria-labelledby=\"chart-{id}-title chart-{id}-desc\">\
         <title id=\"chart-{id}-title\">Slant of each outlet, lexicon {lex}</title>\
         <desc id=\"chart-{id}-desc\">Horizontal axis from −1 ({n}) to +1 ({p}). Per outlet: own \
         voice as a filled circle, quoted and reported speech as a hollow square, all voices as a \
         diamond, each with its 95% interval.</desc>",
        id = escape(&slug(&c.lexicon)),
        lex = escape(&c.lexicon),
        n = escape(neg),
        p = escape(pos),
    );
    // Pole labels, ticks and grid.
    let _ = writeln!(
        s,
        "<text x=\"{X0}\" y=\"18\" font-size=\"14\" font-weight=\"bold\" text-anchor=\"start\">◀ −1 {}</text>\
         <text x=\"{X1}\" y=\"18\" font-size=\"14\" font-weight=\"bold\" text-anchor=\"end\">{} +1 ▶</text>\
         <text x=\"{}\" y=\"18\" font-size=\"12\" text-anchor=\"middle\" fill=\"#444\">0 balanced</text>",
        escape(neg),
        escape(pos),
        x(0.0)
    );
    for t in [-1.0, -0.5, 0.0, 0.5, 1.0] {
        let xt = x(t);
        let dash = if t == 0.0 { "" } else { " stroke-dasharray=\"3 4\"" };
        let _ = writeln!(
            s,
            "<line x1=\"{xt}\" y1=\"{}\" x2=\"{xt}\" y2=\"{bottom}\" stroke=\"#999\"{dash}/>\
             <text x=\"{xt}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\">{}</text>",
            TOP - 14.0,
            bottom + 16.0,
            if t == 0.0 { "0".to_string() } else { format!("{t:+}") }
        );
    }
    let _ = writeln!(
        s,
        "<line x1=\"{X0}\" y1=\"{bottom}\" x2=\"{X1}\" y2=\"{bottom}\" stroke=\"#222\"/>\
         <text x=\"{X0}\" y=\"{}\" font-size=\"12\" text-anchor=\"start\">more {} wording</text>\
         <text x=\"{X1}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">more {} wording</text>",
        bottom + 34.0,
        escape(neg),
        bottom + 34.0,
        escape(pos)
    );
    let mut y = TOP;
    for o in &c.outlets {
        let _ = writeln!(
            s,
            "<text x=\"8\" y=\"{}\" font-size=\"14\" font-weight=\"bold\">{}</text>",
            y + 5.0,
            escape(&shorten(&o.outlet, 20))
        );
        for pt in &o.points {
            let color = match pt.shape {
                Shape::Circle => "#0072B2",
                Shape::Square => "#D55E00",
                Shape::Diamond => "#000000",
            };
            let _ = write!(s, "<g><text x=\"168\" y=\"{}\" font-size=\"12\">", y + 4.0);
            let _ = write!(s, "{} {}</text>", glyph(pt.shape), escape(&pt.label));
            match pt.value {
                Some(v) => {
                    if let Some((lo, hi)) = pt.ci {
                        let (a, b) = (x(lo), x(hi));
                        let _ = write!(
                            s,
                            "<line x1=\"{a}\" y1=\"{y}\" x2=\"{b}\" y2=\"{y}\" stroke=\"{color}\" stroke-width=\"2.5\"/>\
                             <line x1=\"{a}\" y1=\"{}\" x2=\"{a}\" y2=\"{}\" stroke=\"{color}\" stroke-width=\"2\"/>\
                             <line x1=\"{b}\" y1=\"{}\" x2=\"{b}\" y2=\"{}\" stroke=\"{color}\" stroke-width=\"2\"/>",
                            y - 6.0,
                            y + 6.0,
                            y - 6.0,
                            y + 6.0
                        );
                    }
                    s.push_str(&marker(pt.shape, x(v), y, color));
                    let ci = pt.ci.map_or(String::new(), |(lo, hi)| {
                        format!(" [{}, {}]", fmt_slant(lo), fmt_slant(hi))
                    });
                    let _ = write!(
                        s,
                        "<text x=\"{}\" y=\"{}\" font-size=\"12\">{}{} n={}</text>",
                        X1 + 14.0,
                        y + 4.0,
                        fmt_slant(v),
                        ci,
                        pt.hits
                    );
                }
                None => {
                    let _ = write!(
                        s,
                        "<text x=\"{}\" y=\"{}\" font-size=\"12\" font-style=\"italic\" fill=\"#555\" \
                         text-anchor=\"middle\">no hits on the axis</text>",
                        x(0.0),
                        y + 4.0
                    );
                }
            }
            s.push_str("</g>\n");
            y += ROW;
        }
        if o.points.is_empty() {
            y += ROW;
        }
        y += 10.0;
    }
    s.push_str("</svg>\n");
    s
}

fn glyph(shape: Shape) -> &'static str {
    match shape {
        Shape::Circle => "●",
        Shape::Square => "□",
        Shape::Diamond => "◆",
    }
}

fn marker(shape: Shape, x: f64, y: f64, color: &str) -> String {
    match shape {
        Shape::Circle => format!("<circle cx=\"{x}\" cy=\"{y}\" r=\"6.5\" fill=\"{color}\" stroke=\"#000\"/>"),
        Shape::Square => format!(
            "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"#fff\" stroke=\"{color}\" stroke-width=\"3\"/>",
            x - 6.0,
            y - 6.0
        ),
        Shape::Diamond => format!(
            "<polygon points=\"{x},{} {},{y} {x},{} {},{y}\" fill=\"{color}\"/>",
            y - 8.0,
            x + 8.0,
            y + 8.0,
            x - 8.0
        ),
    }
}

fn legend(h: &mut String, styles: &PoleStyles) {
    h.push_str(
        "<div class=\"legend\" aria-label=\"How framing terms are marked\"><strong>Key:</strong>",
    );
    for (pole, i) in styles.poles() {
        let _ = write!(
            h,
            "<span><mark class=\"p{i}\">{}</mark><sup class=\"tag p{i}\">{}</sup> {} wording \
             ({})</span>",
            escape(pole),
            escape(pole),
            escape(pole),
            STYLES[i].3
        );
    }
    h.push_str(
        "<span>Number: the lexicon note at the end; hover a term to read it.</span></div>\n",
    );
}

fn wording_section(h: &mut String, d: &ReportData, styles: &PoleStyles) {
    h.push_str("<section id=\"wording\">\n<h2>Wording by concept</h2>\n");
    h.push_str(
        "<p class=\"note\">For each idea the lexicon tracks, the words each outlet used (all \
         voices, negated uses left out), with the number of uses and the pole the wording \
         belongs to.</p>\n",
    );
    legend(h, styles);
    for t in &d.wording {
        if d.wording.len() > 1 {
            let _ = writeln!(h, "<h3>Lexicon {}</h3>", escape(&t.lexicon));
        }
        if t.rows.is_empty() {
            h.push_str("<p>No framing terms found.</p>\n");
            continue;
        }
        h.push_str("<table><thead><tr><th>concept</th>");
        for o in &t.outlets {
            let _ = write!(h, "<th>{}</th>", escape(o));
        }
        h.push_str("</tr></thead><tbody>\n");
        for (concept, cells) in &t.rows {
            let _ = write!(h, "<tr><th scope=\"row\">{}</th>", escape(concept));
            for cell in cells {
                let parts: Vec<String> = cell
                    .iter()
                    .map(|w| {
                        let p = styles.of(&w.pole);
                        let n = if w.count > 1 { format!(" ×{}", w.count) } else { String::new() };
                        format!(
                            "<mark class=\"p{p}\">{}</mark><sup class=\"tag p{p}\">{}</sup>{n}",
                            escape(&w.words),
                            escape(&w.pole)
                        )
                    })
                    .collect();
                let _ = write!(
                    h,
                    "<td>{}</td>",
                    if parts.is_empty() { "—".into() } else { parts.join(", ") }
                );
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</section>\n");
}

fn group_html(h: &mut String, g: &GroupView, styles: &PoleStyles, notes: &mut Notes) {
    let _ =
        writeln!(h, "<h4 id=\"group-{}\">Passage group {}: {}</h4>", g.id, g.id, escape(&g.label));
    if !g.shared.is_empty() {
        let _ = writeln!(h, "<p class=\"note\">Shared words: {}</p>", escape(&g.shared.join(", ")));
    }
    h.push_str("<div class=\"side\">\n");
    for p in &g.passages {
        let _ = writeln!(
            h,
            "<article class=\"passage\"><h5 class=\"meta\">{} · {} · {} line {}</h5><p>{}</p></article>",
            escape(&p.outlet),
            escape(p.date.as_deref().unwrap_or("undated")),
            escape(&p.doc),
            p.line,
            marked(&p.text, &p.marks, styles, notes)
        );
    }
    h.push_str("</div>\n");
}

fn stories_section(h: &mut String, d: &ReportData, styles: &PoleStyles, notes: &mut Notes) {
    h.push_str("<section id=\"stories\">\n<h2>Stories and aligned passages</h2>\n");
    h.push_str(
        "<p class=\"note\">Reports of different outlets on the same events, and the passages \
         in which they state the same fact, side by side. Framing terms are marked.</p>\n",
    );
    legend(h, styles);
    if d.stories.is_empty() {
        h.push_str("<p>No story in this corpus is covered by two or more outlets.</p>\n");
    }
    for s in &d.stories {
        let _ = writeln!(
            h,
            "<h3 id=\"story-{}\">Story {}: {}</h3>\n<ul>",
            s.id,
            s.id,
            escape(&s.title)
        );
        for doc in &s.docs {
            let _ = writeln!(
                h,
                "<li>{} · {} · {} — {}</li>",
                escape(&doc.outlet),
                escape(doc.date.as_deref().unwrap_or("undated")),
                escape(&doc.id),
                escape(doc.title.as_deref().unwrap_or("untitled"))
            );
        }
        h.push_str("</ul>\n");
        if s.groups.is_empty() {
            h.push_str("<p>No passages of these reports state the same fact closely enough to align.</p>\n");
        }
        for g in &s.groups {
            group_html(h, g, styles, notes);
        }
    }
    h.push_str("<h3 id=\"background\">Background passages across stories</h3>\n");
    if d.background.is_empty() {
        h.push_str("<p>None: no passage recurs across reports of different stories.</p>\n");
    } else {
        h.push_str(
            "<p class=\"note\">Passages of reports on different events that repeat the same \
             background fact, often where framing shows most.</p>\n",
        );
    }
    for g in &d.background {
        group_html(h, g, styles, notes);
    }
    h.push_str("</section>\n");
}

fn kwic_section(h: &mut String, d: &ReportData, styles: &PoleStyles, notes: &mut Notes) {
    h.push_str("<section id=\"kwic\">\n<h2>Every framing term in context</h2>\n");
    let _ = writeln!(
        h,
        "<p class=\"note\">All {} lexicon hits, in document order, each with the sentence it is \
         in. Voice: own (the outlet's words), quoted (inside quotation marks) or reported \
         (“X said that …”).</p>",
        d.kwic.len()
    );
    if d.kwic.is_empty() {
        h.push_str("<p>No lexicon term was found.</p>\n</section>\n");
        return;
    }
    h.push_str(
        "<table class=\"kwic\"><thead><tr><th style=\"width:11%\">document</th>\
         <th style=\"width:10%\">outlet</th><th class=\"num\" style=\"width:5%\">line</th>\
         <th style=\"width:8%\">voice</th><th style=\"width:11%\">speaker</th>\
         <th style=\"width:13%\">term (concept)</th><th>sentence</th></tr></thead><tbody>\n",
    );
    for k in &d.kwic {
        let m = k.context.marks.first();
        let _ = writeln!(
            h,
            "<tr><td class=\"id\">{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td></tr>",
            escape(&k.doc),
            escape(&k.outlet),
            k.line,
            escape(m.map_or("", |m| m.voice.as_str())),
            escape(m.and_then(|m| m.speaker.as_deref()).unwrap_or("")),
            escape(&m.map_or(String::new(), |m| format!("{} ({})", m.term, m.concept))),
            marked(&k.context.text, &k.context.marks, styles, notes)
        );
    }
    h.push_str("</tbody></table>\n</section>\n");
}

fn notes_section(h: &mut String, notes: &Notes, styles: &PoleStyles) {
    h.push_str("<section id=\"notes\">\n<h2>Lexicon notes</h2>\n");
    h.push_str(
        "<p class=\"note\">Why each marked wording belongs to its pole, from the lexicon, with \
         its neutral alternative where the lexicon gives one. The numbers match the marks \
         above.</p>\n<ol class=\"notes\">\n",
    );
    for (i, m) in notes.list.iter().enumerate() {
        let p = styles.of(&m.pole);
        let neutral = if m.neutral.trim().is_empty() {
            String::new()
        } else {
            format!(" Neutral alternative: <q>{}</q>.", escape(&m.neutral))
        };
        let _ = writeln!(
            h,
            "<li id=\"note-{}\"><strong>{}</strong> <span class=\"tag p{p}\">[{}]</span> · {}: {}{}</li>",
            i + 1,
            escape(&m.term),
            escape(&m.pole),
            escape(&m.concept),
            escape(&m.note),
            neutral
        );
    }
    h.push_str("</ol>\n</section>\n");
}

fn limits_section(h: &mut String, d: &ReportData) {
    h.push_str(
        "<section id=\"limits\">\n<h2>What the numbers mean, and what they don't</h2>\n<ul>\n",
    );
    h.push_str(
        "<li>Counts show which wording a text chose and how often. They cannot show whether a \
         report is true, why its writer chose the words, or how readers took them.</li>\n\
         <li>A lexicon is a list of wordings that people on each side are known to use. A word \
         missing from it is not counted, and a listed word can be used in another sense.</li>\n\
         <li>Words in quotations are someone else's: the headline slant counts the outlet's own \
         voice; quoted and reported speech are shown apart.</li>\n\
         <li>Few hits give wide intervals. Under 10 hits, do not generalise about an outlet.</li>\n",
    );
    if d.documents.len() < 20 {
        let _ = writeln!(
            h,
            "<li>This corpus has {} document{}: it can illustrate wording, not describe an \
             outlet's coverage in general.</li>",
            d.documents.len(),
            plural(d.documents.len())
        );
    }
    h.push_str("</ul>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(start: usize, end: usize, pole: &str) -> Mark {
        Mark {
            start,
            end,
            term: "occupy".into(),
            concept: "control".into(),
            pole: pole.into(),
            axis: pole != "neutral",
            note: "a \"note\" <b>".into(),
            neutral: "held".into(),
            voice: "own".into(),
            speaker: None,
            negated: false,
        }
    }

    fn data() -> ReportData {
        let text =
            "<script>alert(1)</script> \"><img src=x onerror=alert(1)> occupied land".to_string();
        let at = text.find("occupied").unwrap();
        let ex = Excerpt {
            doc: "d<1>".into(),
            outlet: "Evil \"Wire\"".into(),
            line: 3,
            text: text.clone(),
            marks: vec![mark(at, at + 8, "az")],
            ..Excerpt::default()
        };
        ReportData {
            title: "t <i>".into(),
            generator: "framelens test".into(),
            poles: vec!["az".into(), "am".into(), "neutral".into()],
            documents: vec![DocRow {
                id: "d<1>".into(),
                outlet: "Evil \"Wire\"".into(),
                title: Some("'><svg onload=alert(1)>".into()),
                ..DocRow::default()
            }],
            charts: vec![Chart {
                lexicon: "k".into(),
                axis: ("am".into(), "az".into()),
                outlets: vec![OutletSlant {
                    outlet: "<Evil>".into(),
                    documents: 1,
                    words: 10,
                    points: vec![SlantPoint {
                        label: "own voice".into(),
                        shape: Shape::Circle,
                        value: Some(0.5),
                        ci: Some((-0.2, 1.0)),
                        hits: 4,
                    }],
                    counts: vec![],
                }],
            }],
            background: vec![GroupView {
                id: 1,
                label: "x".into(),
                shared: vec![],
                passages: vec![ex.clone(), ex.clone()],
            }],
            kwic: vec![KwicRow {
                doc: "d".into(),
                outlet: "o".into(),
                line: 3,
                sentence: 1,
                context: ex,
            }],
            ..ReportData::default()
        }
    }

    #[test]
    fn escape_covers_html_and_attributes() {
        assert_eq!(escape(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        assert_eq!(escape("a\u{0}b\u{202E}c\nd"), "abc\nd");
    }

    #[test]
    fn hostile_text_never_becomes_markup() {
        let mut out = Vec::new();
        render(&data(), &mut out).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(!html.contains("<script"), "no script element");
        assert!(!html.contains("<img"), "no img element");
        assert!(!html.contains("<svg onload"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("title=\"occupy (az) · control: a &quot;note&quot; &lt;b&gt;\""));
        assert!(html.contains(CSP));
        // The one note is numbered once though used three times.
        assert_eq!(html.matches("<li id=\"note-").count(), 1);
    }

    #[test]
    fn chart_maps_the_axis() {
        let svg = chart_svg(&data().charts[0]);
        // +0.5 lies three quarters along 350..770.
        assert!(svg.contains("<circle cx=\"665\""), "{svg}");
        assert!(svg.contains("&lt;Evil&gt;"));
        assert!(svg.contains("◀ −1 am") && svg.contains("az +1 ▶"));
    }

    #[test]
    fn pole_styles_put_the_axis_first() {
        let s = PoleStyles::new(
            &["az".into(), "am".into(), "neutral".into()],
            [&("am".to_string(), "az".to_string())],
        );
        assert_eq!((s.of("az"), s.of("am"), s.of("neutral")), (0, 1, 2));
    }

    #[test]
    fn bad_marks_are_skipped() {
        let mut notes = Notes::default();
        let styles = PoleStyles::default();
        let text = "héllo world";
        let out = marked(text, &[mark(2, 4, "x"), mark(6, 50, "x")], &styles, &mut notes);
        assert_eq!(out, "héllo world");
    }
}
