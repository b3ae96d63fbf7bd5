//! JSON Lines output: the command's tidy long table (the same rows and columns as its CSV),
//! one JSON object per row and one row per line, each line flushed as soon as it is written
//! so framelens can sit inside a pipeline (`| head`, `xargs -P`, a distributed engine's pipe
//! operator) without holding rows back.
//!
//! Keys are the CSV column names, in column order. Values keep their type: numbers are JSON
//! numbers (with the precision the CSV shows), missing numbers `null`, text a string. Text is
//! not neutralised against spreadsheet formulas: that guard belongs to CSV only.

use super::{Cell, Table};
use serde_json::{Number, Value};
use std::io::{self, Write};

/// Writes rows of one table as JSON Lines, flushing after each line. A command that produces
/// rows one at a time can push them as they come; [`render`] writes a whole table.
pub struct Writer<'a> {
    columns: &'a [String],
    out: &'a mut dyn Write,
}

impl<'a> Writer<'a> {
    /// A writer for rows with these columns.
    pub fn new(columns: &'a [String], out: &'a mut dyn Write) -> Writer<'a> {
        Writer { columns, out }
    }

    /// Writes one row as one line and flushes it.
    pub fn row(&mut self, row: &[Cell]) -> io::Result<()> {
        // Built by hand: serde_json's map sorts keys, and the keys must keep column order.
        let mut line = String::from("{");
        for (i, (k, c)) in self.columns.iter().zip(row).enumerate() {
            if i > 0 {
                line.push(',');
            }
            line.push_str(&Value::from(k.as_str()).to_string());
            line.push(':');
            line.push_str(&value(c).to_string());
        }
        line.push_str("}\n");
        self.out.write_all(line.as_bytes())?;
        self.out.flush()
    }
}

/// The JSON value of a cell. A float keeps the decimals the CSV shows, so the two formats
/// agree digit for digit; a value JSON cannot hold (NaN, infinity) becomes `null`.
pub fn value(c: &Cell) -> Value {
    match c {
        Cell::Int(n) => Value::from(*n),
        Cell::Float(..) => c
            .plain()
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Cell::Null => Value::Null,
        Cell::Text(s) | Cell::Marked(s, _) => Value::String(s.clone()),
    }
}

/// Writes every row of `table` as JSON Lines.
pub fn render(table: &Table, out: &mut dyn Write) -> io::Result<()> {
    let mut w = Writer::new(&table.columns, out);
    for row in &table.rows {
        w.row(row)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_typed_object_per_row_in_column_order() {
        let mut t = Table::new("t", &["name", "n", "x", "gap"]);
        t.push(vec![Cell::text("=a\nb"), Cell::Int(3), Cell::Float(0.12345, 3), Cell::Null]);
        t.push(vec![Cell::text(""), Cell::Int(-1), Cell::Float(f64::NAN, 2), Cell::float(None, 2)]);
        let mut buf = Vec::new();
        render(&t, &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert_eq!(
            text,
            "{\"name\":\"=a\\nb\",\"n\":3,\"x\":0.123,\"gap\":null}\n\
             {\"name\":\"\",\"n\":-1,\"x\":null,\"gap\":null}\n"
        );
    }

    /// Records what reached the underlying writer at each flush.
    struct Flushes {
        buf: Vec<u8>,
        seen: Vec<String>,
    }

    impl Write for Flushes {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.buf.extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            self.seen.push(String::from_utf8(self.buf.clone()).unwrap());
            Ok(())
        }
    }

    #[test]
    fn each_line_is_flushed_as_it_is_written() {
        let mut t = Table::new("t", &["n"]);
        t.push(vec![Cell::Int(1)]);
        t.push(vec![Cell::Int(2)]);
        let mut f = Flushes { buf: Vec::new(), seen: Vec::new() };
        render(&t, &mut f).unwrap();
        assert_eq!(f.seen, ["{\"n\":1}\n", "{\"n\":1}\n{\"n\":2}\n"]);
    }

    #[test]
    fn empty_table_writes_nothing() {
        let mut buf = Vec::new();
        render(&Table::new("t", &["a"]), &mut buf).unwrap();
        assert!(buf.is_empty());
    }
}
