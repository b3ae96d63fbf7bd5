//! Terminal tables with comfy-table, fitted to the terminal width when there is one. Cell
//! text is sanitised first: comfy-table would pass escape sequences from an article straight
//! to the terminal.

use super::{sanitize, Cell, Report, Style};
use comfy_table::{
    presets, Attribute, Cell as CCell, CellAlignment, ContentArrangement, Table as CTable,
};
use std::io::{self, Write};

fn marked(s: &str, marks: &[(usize, usize)], color: bool) -> String {
    let (open, close) = if color { ("\u{1b}[1;4m", "\u{1b}[0m") } else { ("[", "]") };
    let mut out = String::new();
    let mut at = 0;
    for &(a, b) in marks {
        if a < at || b > s.len() || !s.is_char_boundary(a) || !s.is_char_boundary(b) {
            continue;
        }
        out.push_str(&sanitize(&s[at..a]));
        out.push_str(open);
        out.push_str(&sanitize(&s[a..b]));
        out.push_str(close);
        at = b;
    }
    out.push_str(&sanitize(&s[at..]));
    out
}

/// Writes the report's headline and tables for a terminal.
pub fn render(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    for line in &report.headline {
        writeln!(out, "{}", sanitize(line))?;
    }
    for (i, t) in report.tables.iter().enumerate() {
        if i > 0 || !report.headline.is_empty() {
            writeln!(out)?;
        }
        if !t.title.is_empty() {
            if style.color {
                writeln!(out, "\u{1b}[1m{}\u{1b}[0m", sanitize(&t.title))?;
            } else {
                writeln!(out, "{}", sanitize(&t.title))?;
            }
        }
        let mut ct = CTable::new();
        ct.load_preset(presets::UTF8_FULL_CONDENSED);
        match style.width {
            Some(w) => {
                ct.set_content_arrangement(ContentArrangement::Dynamic);
                ct.set_width(w);
            }
            None => {
                ct.set_content_arrangement(ContentArrangement::Disabled);
            }
        }
        if !style.color {
            ct.force_no_tty();
        } else {
            ct.enforce_styling();
        }
        ct.set_header(t.columns.iter().map(|c| {
            let cell = CCell::new(sanitize(c));
            if style.color {
                cell.add_attribute(Attribute::Bold)
            } else {
                cell
            }
        }));
        for row in &t.rows {
            ct.add_row(row.iter().map(|c| {
                let (text, right) = match c {
                    Cell::Marked(s, m) => (marked(s, m, style.color), false),
                    other => (sanitize(&other.plain()), other.is_number()),
                };
                let cell = CCell::new(if text.is_empty() && !matches!(c, Cell::Text(_)) {
                    "—".to_string()
                } else {
                    text
                });
                if right {
                    cell.set_alignment(CellAlignment::Right)
                } else {
                    cell
                }
            }));
        }
        writeln!(out, "{ct}")?;
        for n in &t.notes {
            writeln!(out, "{}", sanitize(n))?;
        }
    }
    Ok(())
}
