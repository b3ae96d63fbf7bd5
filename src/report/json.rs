//! JSON output: one pretty-printed object per run, with sorted keys, floats rounded to 4
//! decimals and missing values as `null`. Its `schema` field names the command and the
//! version of its layout; fields may be added within a version, and are only renamed or
//! removed with a new one. The schemas:
//!
//! | `schema` | command | data |
//! |---|---|---|
//! | `framelens/corpus@1` | `corpus` | `documents`, `skipped`, `warnings` |
//! | `framelens/score@1` | `score` | `by`, `voice`, `rows` |
//! | `framelens/kwic@1` | `kwic` | `hits` |
//! | `framelens/align-story@1` | `align` | `stories` |
//! | `framelens/align-passage@1` | `align --level passage` | `groups` |
//! | `framelens/keyness@1` | `keyness` | `by`, `voice`, `top`, `min_count`, `method`, `prior`, `groups` |
//! | `framelens/compare@1` | `compare` | `headline`, `outlets`, `wording`, `stories`, `passages` |
//! | `framelens/lexicon-check@1` | `lexicon check` | `errors`, `problems` |
//! | `framelens/lexicon@1` | `lexicon show`, `lexicon explain` | `entries` |
//! | `framelens/lexicon-coverage@1` | `lexicon coverage` | `voice`, `min_z`, `min_count`, `lexicons`, `candidates` |
//!
//! Every field, with a real example per command, is in `docs/SCHEMAS.md`; a test checks that
//! those examples are what the program prints and that this table names the same schemas.
//! For example, `framelens kwic occupied docs/examples --format json` prints:
//!
//! ```text
//! {
//!   "hits": [
//!     {
//!       "context": "\"These lands were occupied by Armenia for thirty years,\" the district head told reporters.",
//!       "date": "2024-03-11",
//!       "doc": "courier",
//!       "line": 7,
//!       "match": "occupied",
//!       "outlet": "Caspian Courier",
//!       "path": "docs/examples/courier.txt",
//!       "sentence": 2,
//!       "speaker": "the district head",
//!       "voice": "quoted"
//!     }
//!   ],
//!   "schema": "framelens/kwic@1"
//! }
//! ```

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
