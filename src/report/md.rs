//! Markdown output: the headline as a paragraph, then each table as a GitHub-flavoured table
//! with its title as a heading. Pipes, backslashes and newlines in cells are escaped; marked
//! terms become `**bold**`.

use super::{Cell, Report};
use std::io::{self, Write};

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in super::sanitize(s).chars() {
        match c {
            '|' | '\\' | '*' | '_' | '`' | '<' | '>' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn cell(c: &Cell) -> String {
    match c {
        Cell::Marked(s, marks) => {
            let mut out = String::new();
            let mut at = 0;
            for &(a, b) in marks {
                if a < at || b > s.len() || !s.is_char_boundary(a) || !s.is_char_boundary(b) {
                    continue;
                }
                out.push_str(&escape(&s[at..a]));
                out.push_str("**");
                out.push_str(&escape(&s[a..b]));
                out.push_str("**");
                at = b;
            }
            out.push_str(&escape(&s[at..]));
            out
        }
        other => escape(&other.plain()),
    }
}

/// Writes `report` as Markdown.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for line in &report.headline {
        writeln!(out, "{}  ", escape(line))?;
    }
    for t in &report.tables {
        if !report.headline.is_empty() || !t.title.is_empty() {
            writeln!(out)?;
        }
        if !t.title.is_empty() {
            writeln!(out, "### {}\n", escape(&t.title))?;
        }
        writeln!(
            out,
            "| {} |",
            t.columns.iter().map(|c| escape(c)).collect::<Vec<_>>().join(" | ")
        )?;
        writeln!(out, "|{}", t.columns.iter().map(|_| "---|").collect::<String>())?;
        for row in &t.rows {
            writeln!(out, "| {} |", row.iter().map(cell).collect::<Vec<_>>().join(" | "))?;
        }
        for n in &t.notes {
            writeln!(out, "\n{}", escape(n))?;
        }
    }
    Ok(())
}
