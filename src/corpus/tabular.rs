//! Tabular corpora: CSV files with one article per row (`id,outlet,date,title,text`, other
//! columns kept as metadata), manifests that map files to metadata (`path,outlet,date,title`),
//! and JSONL with one article per line. A bad row or line is skipped with its position and
//! reason; the rest is read.

use super::read::{document, Fields, Part, ReadOptions};
use std::collections::BTreeMap;
use std::path::Path;

/// Checks quote balance before the csv crate sees the text: it would otherwise let an
/// unterminated quote swallow the rest of the file as one cell. Returns the line and column
/// (1-based) of the quote that is never closed.
pub fn unclosed_quote(text: &str) -> Option<(usize, usize)> {
    let (mut line, mut col) = (1usize, 0usize);
    let mut open: Option<(usize, usize)> = None;
    let mut at_field_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        col += 1;
        match (open.is_some(), c) {
            (_, '\n') => {
                line += 1;
                col = 0;
                if open.is_none() {
                    at_field_start = true;
                }
            }
            (false, '"') if at_field_start => {
                open = Some((line, col));
                at_field_start = false;
            }
            (true, '"') => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    col += 1;
                } else {
                    open = None;
                }
            }
            (false, ',') => at_field_start = true,
            (false, _) => at_field_start = false,
            (true, _) => {}
        }
    }
    open
}

/// A path a manifest lists, resolved against the manifest's folder, canonical when it exists.
fn listed_path(rel: &str, dir: Option<&Path>) -> std::path::PathBuf {
    let path = dir.map_or_else(|| Path::new(rel).to_path_buf(), |d| d.join(rel));
    std::fs::canonicalize(&path).unwrap_or(path)
}

/// The files a CSV lists when it is a manifest (none when it is a corpus or unreadable):
/// what [`read_csv`] would claim, found without reading those files.
pub(crate) fn manifest_claims(text: &str, dir: Option<&Path>) -> Vec<std::path::PathBuf> {
    if unclosed_quote(text).is_some() {
        return Vec::new();
    }
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let Ok(headers) = rdr.headers() else { return Vec::new() };
    let headers: Vec<String> = headers.iter().map(|s| s.trim().to_ascii_lowercase()).collect();
    let (Some(at), false) =
        (headers.iter().position(|h| h == "path"), headers.iter().any(|h| h == "text"))
    else {
        return Vec::new();
    };
    rdr.records()
        .filter_map(Result::ok)
        .filter_map(|r| r.get(at).map(|rel| listed_path(rel, dir)))
        .collect()
}

pub(crate) fn read_csv(name: &str, text: &str, dir: Option<&Path>, opts: &ReadOptions) -> Part {
    if let Some((line, col)) = unclosed_quote(text) {
        return Part::skip(
            name,
            format!("{name}:{line}:{col}: quote opened here is never closed; close it, or double a quote inside a cell (\"\")"),
        );
    }
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let headers: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_ascii_lowercase()).collect(),
        Err(e) => return Part::skip(name, format!("{name}:1: cannot read the header row: {e}")),
    };
    let has = |c: &str| headers.iter().any(|h| h == c);
    let manifest = has("path") && !has("text");
    if !manifest && !has("text") {
        return Part::skip(
            name,
            format!("{name}:1: no \"text\" column (columns: {}); a CSV corpus needs id,outlet,date,title,text, a manifest needs path", headers.join(",")),
        );
    }
    let mut part = Part::default();
    for (row_no, rec) in rdr.records().enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let (input, why) = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        let (len, expected) = (*len as usize, *expected_len as usize);
                        ragged(name, line, len, expected, &headers)
                    }
                    _ => (format!("{name}:{line}"), e.to_string()),
                };
                part.skipped.push(super::Skipped { input, reason: why });
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line()) as u32;
        let mut values: BTreeMap<String, String> =
            headers.iter().cloned().zip(rec.iter().map(str::to_string)).collect();
        let here = format!("{name}:{line}");
        let sub = if manifest {
            let rel = values.remove("path").unwrap_or_default();
            manifest_entry(&here, &rel, dir, values, opts)
        } else {
            let text = values.remove("text").unwrap_or_default();
            let id =
                values.get("id").filter(|s| !s.trim().is_empty()).cloned().unwrap_or_else(|| {
                    let stem = Path::new(name).file_stem().and_then(|s| s.to_str()).unwrap_or(name);
                    format!("{stem}-{}", row_no + 1)
                });
            document(&here, &text, id, Fields { values, source: "column" }, line, opts)
        };
        part.documents.extend(sub.documents);
        part.skipped.extend(sub.skipped);
        part.warnings.extend(sub.warnings);
    }
    part
}

/// Where a row with the wrong number of fields goes wrong: `name:line:column` of the first
/// missing or extra field, and which columns that leaves out.
fn ragged(
    name: &str,
    line: u64,
    len: usize,
    expected: usize,
    headers: &[String],
) -> (String, String) {
    let col = len.min(expected) + 1;
    let what = if len < expected {
        let missing = headers.get(len..).unwrap_or_default().join(", ");
        let span = if col == expected {
            format!("column {col}")
        } else {
            format!("columns {col}-{expected}")
        };
        format!("{span} ({missing}) {} missing", if col == expected { "is" } else { "are" })
    } else {
        format!("column {col} onwards has no header")
    };
    (
        format!("{name}:{line}:{col}"),
        format!("row has {len} fields, the header has {expected}: {what}; fix the row (quote cells that contain commas)"),
    )
}

fn manifest_entry(
    here: &str,
    rel: &str,
    dir: Option<&Path>,
    values: BTreeMap<String, String>,
    opts: &ReadOptions,
) -> Part {
    if rel.trim().is_empty() {
        return Part::skip(here, "empty \"path\" cell");
    }
    let path = dir.map_or_else(|| Path::new(rel).to_path_buf(), |d| d.join(rel));
    let shown = path.display().to_string();
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => return Part::skip(here, format!("cannot read {shown}: {e}")),
    };
    let decoded = match super::decode(&bytes) {
        Ok(d) => d,
        Err(e) => return Part::skip(&shown, e.to_string()),
    };
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or(rel).to_string();
    let mut part =
        document(&shown, &decoded.text, stem, Fields { values, source: "manifest" }, 1, opts);
    for d in &mut part.documents {
        d.meta.insert("manifest".into(), here.to_string());
    }
    if let Some(w) = decoded.warning {
        part.warn(&shown, w);
    }
    part
}

pub(crate) fn read_jsonl(name: &str, text: &str, opts: &ReadOptions) -> Part {
    let mut part = Part::default();
    for (i, line) in text.split('\n').enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let here = format!("{name}:{line_no}");
        let obj = match serde_json::from_str::<serde_json::Value>(line) {
            Ok(serde_json::Value::Object(o)) => o,
            Ok(_) => {
                part.skipped
                    .push(super::Skipped { input: here, reason: "not a JSON object".into() });
                continue;
            }
            Err(e) => {
                let reason = format!(
                    "invalid JSON at column {}: {}; fix or remove the line",
                    e.column(),
                    strip_position(&e.to_string())
                );
                part.skipped.push(super::Skipped { input: here, reason });
                continue;
            }
        };
        let mut values: BTreeMap<String, String> = obj
            .into_iter()
            .map(|(k, v)| {
                let s = match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                (k.to_ascii_lowercase(), s)
            })
            .collect();
        let Some(text) = values.remove("text") else {
            part.skipped.push(super::Skipped { input: here, reason: "no \"text\" field".into() });
            continue;
        };
        let stem = Path::new(name).file_stem().and_then(|s| s.to_str()).unwrap_or(name);
        let id = values
            .get("id")
            .filter(|s| !s.is_empty())
            .cloned()
            .unwrap_or_else(|| format!("{stem}-{line_no}"));
        let sub = document(&here, &text, id, Fields { values, source: "field" }, 1, opts);
        part.documents.extend(sub.documents);
        part.skipped.extend(sub.skipped);
        part.warnings.extend(sub.warnings);
    }
    part
}

/// serde_json appends " at line L column C"; the caller gives the position itself.
fn strip_position(msg: &str) -> &str {
    msg.rfind(" at line ").map_or(msg, |i| &msg[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unclosed_quote_is_located() {
        assert_eq!(unclosed_quote("a,b\n1,\"x\"\"y\"\n"), None);
        assert_eq!(unclosed_quote("a,b\n1,2\n3,\"oops\n4,5\n"), Some((3, 3)));
        // A quote inside an unquoted cell is literal, as in RFC 4180 readers.
        assert_eq!(unclosed_quote("a,b\n1,he said \"hi\n"), None);
    }

    #[test]
    fn csv_rows_and_errors() {
        let text = "id,outlet,date,title,text,section\nx1,TASS,2020-07-13,T,\"MOSCOW. Talks, today.\",world\nx2,AA,2020-07-14,T2\nx3,,2020-07-15,T3,Plain words here.,\n";
        let p = read_csv("c.csv", text, None, &ReadOptions::default());
        assert_eq!(p.documents.len(), 2);
        assert_eq!(p.documents[0].meta["section"], "world");
        assert_eq!(p.documents[0].path, "c.csv:2");
        assert_eq!(p.skipped.len(), 1);
        assert_eq!(p.skipped[0].input, "c.csv:3:5");
        assert!(
            p.skipped[0].reason.contains("columns 5-6 (text, section) are missing"),
            "{:?}",
            p.skipped[0]
        );
        assert_eq!(p.documents[1].outlet, "unknown");
    }

    #[test]
    fn jsonl_skips_broken_lines() {
        let text = "{\"id\":\"a\",\"text\":\"Words here.\",\"lang\":\"en\"}\n{broken\n{\"text\":\"More words.\"}\n";
        let p = read_jsonl("c.jsonl", text, &ReadOptions::default());
        assert_eq!(p.documents.len(), 2);
        assert_eq!(p.documents[0].meta["lang"], "en");
        assert_eq!(p.documents[1].id, "c-3");
        assert_eq!(p.skipped[0].input, "c.jsonl:2");
    }
}
