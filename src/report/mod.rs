//! Stage 7, report: renders results. Every tabular result is a [`Table`]; a command hands
//! the report stage a [`Report`] (tables for people, one tidy long table for CSV, and a JSON
//! value), and [`render`] writes it in the chosen [`Format`] to any `io::Write`. This is the
//! only stage, with `cli`, that writes anywhere.
//!
//! What each format holds:
//! - [`Format::Table`] ([`table`]): the headline and tables for people, fitted to a width and
//!   never wider (records when the columns cannot fit), coloured only when asked.
//! - [`Format::Csv`] ([`csv`]): the tidy long table ([`Report::csv`]), RFC 4180.
//! - [`Format::Jsonl`] ([`jsonl`]): the same rows as the CSV, one JSON object per line,
//!   keys in column order, typed values, each line flushed.
//! - [`Format::Json`] ([`json`]): the command's JSON document, with a `schema` field
//!   (`framelens/<command>@1`; the list is in [`json`]).
//! - [`Format::Md`] ([`md`]): the headline and tables as GitHub-flavoured Markdown.
//!
//! Every command's CSV columns and JSON fields are written down, with a real example each, in
//! `docs/SCHEMAS.md`; the test `tests/cli/readme.rs` checks the examples against the program
//! and that every column and top-level field shown is documented there, and that the
//! examples here are what the program prints. For example,
//! `framelens kwic --lexicon-hits docs/examples --format csv` starts:
//!
//! ```text
//! doc,outlet,date,line,sentence,match,term,concept,pole,voice,speaker,negated,context
//! courier,Caspian Courier,2024-03-11,5,1,Khankendi,Khankendi,place names,azerbaijan,own,,,The road to Khankendi reopened on Monday after sappers cleared the liberated villages along it of mines.
//! ```
//!
//! and `framelens kwic --lexicon-hits docs/examples --format jsonl` starts:
//!
//! ```text
//! {"doc":"courier","outlet":"Caspian Courier","date":"2024-03-11","line":5,"sentence":1,"match":"Khankendi","term":"Khankendi","concept":"place names","pole":"azerbaijan","voice":"own","speaker":"","negated":"","context":"The road to Khankendi reopened on Monday after sappers cleared the liberated villages along it of mines."}
//! ```
//!
//! Safety of outputs is decided here, once: terminal cells lose control characters and
//! escape sequences ([`sanitize`]), CSV text cells that a spreadsheet would run as a formula
//! are neutralised ([`csv::neutralise`]), Markdown escapes table syntax.

pub mod csv;
pub mod exercise;
pub mod html;
pub mod json;
pub mod jsonl;
pub mod md;
pub mod table;

use serde::Serialize;
use std::io::{self, Write};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Aligned table for the terminal.
    #[default]
    Table,
    /// Comma-separated values (RFC 4180), tidy long format.
    Csv,
    /// JSON document with a schema version.
    Json,
    /// Markdown tables.
    Md,
    /// JSON Lines: one object per row of the CSV table, flushed line by line.
    Jsonl,
}

impl Format {
    /// Whether the format renders a [`Report`]'s tables (else its long table or JSON).
    pub fn shows_tables(self) -> bool {
        matches!(self, Format::Table | Format::Md)
    }

    /// Whether the format renders a [`Report`]'s JSON document.
    pub fn shows_json(self) -> bool {
        self == Format::Json
    }
}

/// A value in a table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    /// Text.
    Text(String),
    /// Whole number.
    Int(i64),
    /// Number shown with the given decimals.
    Float(f64, #[serde(skip)] usize),
    /// No value.
    Null,
    /// Text with byte ranges to emphasise (framing terms).
    Marked(String, #[serde(skip)] Vec<(usize, usize)>),
}

impl Cell {
    /// Text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
    /// Integer cell.
    pub fn int(n: usize) -> Cell {
        Cell::Int(n as i64)
    }
    /// Number with `d` decimals, or null.
    pub fn float(x: Option<f64>, d: usize) -> Cell {
        x.map_or(Cell::Null, |x| Cell::Float(x, d))
    }
    /// Plain text rendering (no emphasis).
    pub fn plain(&self) -> String {
        match self {
            Cell::Text(s) | Cell::Marked(s, _) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Float(x, d) => format!("{x:.d$}", d = *d),
            Cell::Null => String::new(),
        }
    }
    /// Whether the cell is numeric (CSV keeps numbers as numbers).
    pub fn is_number(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Float(..))
    }
}

/// A titled table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Heading shown above the table (terminal, Markdown).
    pub title: String,
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
    /// Lines shown under the table (terminal, Markdown).
    pub notes: Vec<String>,
}

impl Table {
    /// An empty table with columns.
    pub fn new(title: impl Into<String>, columns: &[&str]) -> Table {
        Table {
            title: title.into(),
            columns: columns.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
            notes: Vec::new(),
        }
    }
    /// Adds a row.
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len(), "row width matches the columns");
        self.rows.push(row);
    }
}

/// A command's result, ready to render.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Lines shown first (terminal, Markdown): the headline summary.
    pub headline: Vec<String>,
    /// Tables for people (terminal, Markdown).
    pub tables: Vec<Table>,
    /// The tidy long table for CSV.
    pub csv: Table,
    /// The JSON document.
    pub json: serde_json::Value,
}

/// Rendering options.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Use colour and bold (terminal only).
    pub color: bool,
    /// Fit tables to this width (terminal only).
    pub width: Option<u16>,
    /// Start CSV with a byte-order mark, for Excel.
    pub bom: bool,
}

/// Writes `report` in `format`.
pub fn render(
    report: &Report,
    format: Format,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Table => table::render(report, style, out),
        Format::Csv => csv::render(&report.csv, style.bom, out),
        Format::Json => json::render(&report.json, out),
        Format::Md => md::render(report, out),
        Format::Jsonl => jsonl::render(&report.csv, out),
    }
}

/// Removes what must not reach a terminal from article text: ANSI escape sequences and other
/// control characters (tabs and newlines become spaces).
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => {
                // CSI: ESC [ params final; OSC: ESC ] … BEL or ESC \; others: ESC + one char.
                match chars.peek() {
                    Some('[') => {
                        chars.next();
                        for n in chars.by_ref() {
                            if ('@'..='~').contains(&n) {
                                break;
                            }
                        }
                    }
                    Some(']') => {
                        chars.next();
                        while let Some(n) = chars.next() {
                            if n == '\u{7}' || (n == '\u{1b}' && chars.next_if_eq(&'\\').is_some())
                            {
                                break;
                            }
                        }
                    }
                    Some(_) => {
                        chars.next();
                    }
                    None => {}
                }
            }
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control()
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_strips_escapes_and_controls() {
        assert_eq!(sanitize("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        assert_eq!(sanitize("x\u{1b}]0;title\u{7}y"), "xy");
        assert_eq!(sanitize("tab\there\u{0}\u{8}"), "tab here");
        assert_eq!(sanitize("bidi\u{202E}txet"), "biditxet");
        assert_eq!(sanitize("Khankendi “ok”"), "Khankendi “ok”");
    }
}
