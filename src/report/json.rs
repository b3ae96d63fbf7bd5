//! JSON output. Every document is an object with `schema` (`framelens/<command>@<version>`)
//! and the command's data; the per-command fields are documented in README ("Output
//! formats"). Floats are written as JSON numbers, missing values as `null`.

use std::io::{self, Write};

/// Schema version of all JSON documents.
pub const VERSION: u32 = 1;

/// The `schema` value for `command`.
pub fn schema(command: &str) -> String {
    format!("framelens/{command}@{VERSION}")
}

/// Writes `value`, pretty-printed, with a final newline.
pub fn render(value: &serde_json::Value, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}
