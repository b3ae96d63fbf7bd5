//! Terminal tables with comfy-table, fitted to a width when there is one (the terminal's, or
//! `--width`). Output is never wider than that width: headline, titles and notes are wrapped
//! at spaces, and a table whose columns cannot all fit (five characters of content each at
//! least) is shown as records instead (one `column  value` line per cell, values wrapped), as
//! `psql \x` does. Without a width (output to a file or a pipe) nothing is wrapped.
//!
//! Cell text is sanitised first: comfy-table would pass escape sequences from an article
//! straight to the terminal.

use super::{sanitize, Cell, Report, Style};
use comfy_table::{
    presets, Attribute, Cell as CCell, CellAlignment, ContentArrangement, Table as CTable,
};
use std::io::{self, Write};
use unicode_width::UnicodeWidthChar;

/// Narrowest column a grid may squeeze to (characters of content); below that, columns of
/// two letters a line are harder to read than records.
const MIN_COLUMN: usize = 5;

const EMPHASIS: (&str, &str) = ("\u{1b}[1;4m", "\u{1b}[0m");
const BOLD: (&str, &str) = ("\u{1b}[1m", "\u{1b}[0m");

fn marked(s: &str, marks: &[(usize, usize)], color: bool) -> String {
    let (open, close) = if color { EMPHASIS } else { ("[", "]") };
    let mut out = String::new();
    let mut at = 0;
    for &(a, b) in valid_marks(s, marks) {
        out.push_str(&sanitize(&s[at..a]));
        out.push_str(open);
        out.push_str(&sanitize(&s[a..b]));
        out.push_str(close);
        at = b;
    }
    out.push_str(&sanitize(&s[at..]));
    out
}

/// Marks in order that do not overlap and fall on character boundaries.
fn valid_marks<'m>(
    s: &'m str,
    marks: &'m [(usize, usize)],
) -> impl Iterator<Item = &'m (usize, usize)> + 'm {
    let mut at = 0;
    marks.iter().filter(move |&&(a, b)| {
        let ok = a >= at && b <= s.len() && s.is_char_boundary(a) && s.is_char_boundary(b);
        if ok {
            at = b;
        }
        ok
    })
}

/// Display width of a line as the terminal shows it (escape sequences take no room).
pub fn display_width(line: &str) -> usize {
    sanitize(line).chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Text with emphasised characters, for wrapping.
type Styled = Vec<(char, bool)>;

fn plain(s: &str) -> Styled {
    sanitize(s).chars().map(|c| (c, false)).collect()
}

/// A cell as styled text: marks emphasised (with colour) or bracketed (without).
fn styled(c: &Cell, color: bool) -> Styled {
    match c {
        Cell::Marked(s, marks) if color => {
            let mut out = Styled::new();
            let mut at = 0;
            for &(a, b) in valid_marks(s, marks) {
                out.extend(plain(&s[at..a]));
                out.extend(sanitize(&s[a..b]).chars().map(|c| (c, true)));
                at = b;
            }
            out.extend(plain(&s[at..]));
            out
        }
        Cell::Marked(s, marks) => plain(&marked(s, marks, false)),
        Cell::Text(s) => plain(s),
        other => {
            let p = other.plain();
            plain(if p.is_empty() { "—" } else { &p })
        }
    }
}

/// Breaks styled text into lines of at most `width` columns: at spaces where it can, inside a
/// word only when the word alone is wider than a line.
fn wrap(text: &[(char, bool)], width: usize) -> Vec<Styled> {
    let width = width.max(1);
    let cw = |c: char| c.width().unwrap_or(0);
    let mut lines: Vec<Styled> = Vec::new();
    let mut line = Styled::new();
    let mut used = 0;
    for word in text.split(|&(c, _)| c == ' ').filter(|w| !w.is_empty()) {
        let w: usize = word.iter().map(|&(c, _)| cw(c)).sum();
        let gap = usize::from(!line.is_empty());
        if used + gap + w <= width {
            if gap == 1 {
                line.push((' ', false));
            }
            line.extend_from_slice(word);
            used += gap + w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        for &(c, e) in word {
            if used + cw(c) > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push((c, e));
            used += cw(c);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Writes styled characters, emphasised runs in colour when `color` is set.
fn emit(line: &[(char, bool)], color: bool, out: &mut String) {
    let mut on = false;
    for &(c, e) in line {
        if color && e != on {
            out.push_str(if e { EMPHASIS.0 } else { EMPHASIS.1 });
            on = e;
        }
        out.push(c);
    }
    if on {
        out.push_str(EMPHASIS.1);
    }
}

/// Writes a line of text, wrapped to the width if there is one.
fn text_line(s: &str, bold: bool, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let (open, close) = if bold && style.color { BOLD } else { ("", "") };
    match style.width {
        None => writeln!(out, "{open}{}{close}", sanitize(s)),
        Some(w) => {
            for l in wrap(&plain(s), usize::from(w)) {
                let mut buf = String::new();
                emit(&l, false, &mut buf);
                writeln!(out, "{open}{buf}{close}")?;
            }
            Ok(())
        }
    }
}

/// The comfy-table grid of a table.
fn grid(t: &super::Table, style: Style) -> String {
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
    ct.to_string()
}

/// A table as records, for a width too narrow for its columns: each row is a block of
/// `column  value` lines (the value wrapped beside its name, or under it when even that does
/// not fit), blocks separated by a blank line.
fn records(t: &super::Table, width: usize, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let names: Vec<String> = t.columns.iter().map(|c| sanitize(c)).collect();
    let label = names.iter().map(|n| display_width(n)).max().unwrap_or(0);
    // Beside its name while the value keeps at least a third of the line, else under it.
    let beside = label + 2 + (width / 3).max(8) <= width;
    let (bold, unbold) = if color { BOLD } else { ("", "") };
    for (i, row) in t.rows.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        for (name, c) in names.iter().zip(row) {
            let pad = " ".repeat(label - display_width(name));
            let indent = if beside { label + 2 } else { 2 };
            let lines = wrap(&styled(c, color), width.saturating_sub(indent));
            if !beside {
                for l in wrap(&plain(name), width) {
                    let mut buf = String::new();
                    emit(&l, false, &mut buf);
                    writeln!(out, "{bold}{buf}{unbold}")?;
                }
            }
            for (k, l) in lines.iter().enumerate() {
                let mut buf = String::new();
                emit(l, color, &mut buf);
                if beside && k == 0 && buf.is_empty() {
                    writeln!(out, "{bold}{name}{unbold}")?;
                } else if beside && k == 0 {
                    writeln!(out, "{bold}{name}{unbold}{pad}  {buf}")?;
                } else {
                    writeln!(out, "{}{buf}", " ".repeat(indent))?;
                }
            }
        }
    }
    Ok(())
}

/// Writes the report's headline and tables for a terminal.
pub fn render(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    for line in &report.headline {
        text_line(line, false, style, out)?;
    }
    for (i, t) in report.tables.iter().enumerate() {
        if i > 0 || !report.headline.is_empty() {
            writeln!(out)?;
        }
        if !t.title.is_empty() {
            text_line(&t.title, true, style, out)?;
        }
        let g = grid(t, style);
        match style.width.map(usize::from) {
            Some(w)
                if t.columns.len() * (MIN_COLUMN + 3) + 1 > w
                    || g.lines().any(|l| display_width(l) > w) =>
            {
                records(t, w, style.color, out)?;
            }
            _ => writeln!(out, "{g}")?,
        }
        for n in &t.notes {
            text_line(n, false, style, out)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::Table;
    use super::*;

    fn lines(s: &str, w: usize) -> Vec<String> {
        wrap(&plain(s), w)
            .iter()
            .map(|l| {
                let mut b = String::new();
                emit(l, false, &mut b);
                b
            })
            .collect()
    }

    #[test]
    fn wrap_breaks_at_spaces_and_splits_only_overlong_words() {
        assert_eq!(lines("the quick brown fox", 9), ["the quick", "brown fox"]);
        assert_eq!(lines("Nagorno-Karabakh war", 8), ["Nagorno-", "Karabakh", "war"]);
        assert_eq!(lines("", 5), [""]);
        // Wide characters count two columns.
        assert_eq!(lines("日本語 ok", 4), ["日本", "語", "ok"]);
    }

    #[test]
    fn narrow_width_falls_back_to_records_never_wider() {
        let mut t = Table::new("T", &["outlet", "passage", "hits", "slant", "note", "extra"]);
        t.push(vec![
            Cell::text("Anadolu Agency"),
            Cell::Marked("the occupied territories were liberated".into(), vec![(4, 12)]),
            Cell::Int(3),
            Cell::float(None, 2),
            Cell::text(""),
            Cell::text("x"),
        ]);
        for w in [12u16, 20, 30, 45, 80] {
            let rep = Report { tables: vec![t.clone()], ..Report::default() };
            let mut buf = Vec::new();
            render(&rep, Style { width: Some(w), ..Style::default() }, &mut buf).unwrap();
            let text = String::from_utf8(buf).unwrap();
            for l in text.lines() {
                assert!(display_width(l) <= usize::from(w), "width {w}: {l:?}\n{text}");
            }
            assert!(text.contains("[occupied]"), "{text}");
        }
        let rep = Report { tables: vec![t], ..Report::default() };
        let mut buf = Vec::new();
        render(&rep, Style { width: Some(30), ..Style::default() }, &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert!(text.starts_with("T\noutlet   Anadolu Agency\n"), "{text}");
        assert!(text.contains("\nslant    —\n"), "{text}");
    }
}
