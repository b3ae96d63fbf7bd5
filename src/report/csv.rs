//! CSV output: RFC 4180 (quoted as needed, CRLF-free `\n` rows as the csv crate writes them),
//! a header row, numbers left as numbers, and text cells neutralised against formula
//! injection (OWASP "CSV Injection"): a cell starting with `=`, `+`, `-`, `@`, tab or CR is
//! prefixed with a single quote so spreadsheets show it as text.

use super::{Cell, Table};
use std::io::{self, Write};

/// Makes a text cell safe to open in a spreadsheet.
pub fn neutralise(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// The text of a cell as written to CSV.
pub fn cell(c: &Cell) -> String {
    if c.is_number() {
        c.plain()
    } else {
        neutralise(&c.plain())
    }
}

/// Writes `table` as CSV, with a UTF-8 byte-order mark first when `bom` is set.
pub fn render(table: &Table, bom: bool, out: &mut dyn Write) -> io::Result<()> {
    if bom {
        out.write_all("\u{FEFF}".as_bytes())?;
    }
    let mut w = ::csv::WriterBuilder::new().from_writer(out);
    w.write_record(table.columns.iter().map(|c| neutralise(c))).map_err(io_error)?;
    for row in &table.rows {
        w.write_record(row.iter().map(cell)).map_err(io_error)?;
    }
    w.flush()
}

/// The underlying I/O error of a CSV error. The csv crate's own conversion hides it inside an
/// `Other` error without a source, and `main` must see a broken pipe to exit quietly.
fn io_error(e: ::csv::Error) -> io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        // Only a row of the wrong width gets here, which `Table::push` already guards against.
        other => io::Error::other(format!("csv: {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_numbers_kept() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("plain"), "plain");
        assert_eq!(cell(&Cell::Float(-0.5, 3)), "-0.500");
        assert_eq!(cell(&Cell::text("-0.5")), "'-0.5");
    }

    #[test]
    fn rfc4180_quoting_round_trips() {
        let mut t = Table::new("t", &["a", "b"]);
        t.push(vec![Cell::text("x, \"y\"\nz"), Cell::Int(3)]);
        let mut buf = Vec::new();
        render(&t, false, &mut buf).unwrap();
        let mut r = ::csv::Reader::from_reader(buf.as_slice());
        let rec = r.records().next().unwrap().unwrap();
        assert_eq!(&rec[0], "x, \"y\"\nz");
        assert_eq!(&rec[1], "3");
    }
}
