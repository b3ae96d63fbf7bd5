//! Reading inputs: walks paths (folders recursively and sorted, symlink loops detected),
//! decides each input's kind, decodes it and builds documents. Files are read in parallel and
//! merged back in input order, so the result does not depend on thread timing.

use super::clean::clean;
use super::dates::Date;
use super::header;
use super::outlets::Identified;
use super::tabular;
use super::{
    decode, decode_owned, Corpus, Document, Registry, Rules, Skipped, Warning, UNKNOWN_OUTLET,
};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

/// How to read an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputKind {
    /// By extension (`.csv`, `.jsonl`/`.ndjson`, anything else is text); stdin is sniffed.
    #[default]
    Auto,
    /// One article per input.
    Text,
    /// A CSV corpus (`id,outlet,date,title,text`) or a manifest (`path,outlet,date,title`).
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// Settings for reading.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Outlet registry for detection and alias resolution. Default: bundled.
    pub registry: Registry,
    /// Boilerplate rules. Default: bundled.
    pub rules: Rules,
    /// Inputs larger than this are skipped. Default: 20 MB.
    pub max_bytes: u64,
    /// Dates after this day get a warning. Default: none (no check).
    pub today: Option<Date>,
    /// How to read stdin and files. Default: [`InputKind::Auto`].
    pub kind: InputKind,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            registry: Registry::builtin(),
            rules: Rules::builtin(),
            max_bytes: 20 * 1024 * 1024,
            today: None,
            kind: InputKind::Auto,
        }
    }
}

/// What one input produced.
#[derive(Default)]
pub(crate) struct Part {
    pub documents: Vec<Document>,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<Warning>,
}

impl Part {
    pub(crate) fn skip(input: impl Into<String>, reason: impl Into<String>) -> Part {
        Part {
            skipped: vec![Skipped { input: input.into(), reason: reason.into() }],
            ..Part::default()
        }
    }
    pub(crate) fn warn(&mut self, input: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning { input: input.into(), message: message.into() });
    }
}

enum Input {
    Stdin,
    File(PathBuf),
    Problem(String, String),
}

/// Reads every path (`-` is stdin) into a corpus.
pub fn read(paths: &[PathBuf], opts: &ReadOptions) -> Corpus {
    let mut corpus = Corpus::default();
    stream(paths, opts, usize::MAX, false, |batch| {
        corpus.documents.extend(batch.documents);
        corpus.skipped.extend(batch.skipped);
        corpus.warnings.extend(batch.warnings);
    });
    corpus
}

/// Reads every path (`-` is stdin) in batches of at most `batch` inputs, handing each batch
/// to `sink` in input order, so that a corpus larger than memory can be analysed with
/// memory bounded by two batches. Inputs within a batch are read in parallel; with `ahead`,
/// the next batch is read while `sink` works on the last (worth it when `sink`'s own work
/// spreads over the cores in small pieces). Document ids are made unique across
/// batches; files listed in a manifest are read from the manifest only, wherever the
/// manifest comes in the input order. A CSV or JSONL corpus is one input.
pub fn stream(
    paths: &[PathBuf],
    opts: &ReadOptions,
    batch: usize,
    ahead: bool,
    mut sink: impl FnMut(Corpus) + Send,
) {
    let mut inputs = Vec::new();
    let mut visited = HashSet::new();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else {
            walk(p, true, &mut visited, &mut inputs);
        }
    }
    let claimed: HashSet<PathBuf> = inputs
        .par_iter()
        .flat_map_iter(|input| match input {
            Input::File(path) if kind_of(path, opts) == InputKind::Csv => std::fs::read(path)
                .ok()
                .and_then(|b| decode(&b).ok())
                .map(|d| tabular::manifest_claims(&d.text, path.parent()))
                .unwrap_or_default(),
            _ => Vec::new(),
        })
        .collect();
    // Only looked up, never listed: a hash map, which stays fast at 100,000 ids (this
    // runs serially after each batch is read).
    let mut ids = FxHashMap::default();
    let mut inputs = inputs.into_iter().peekable();
    let mut read_next = |inputs: &mut std::iter::Peekable<std::vec::IntoIter<Input>>| {
        let chunk: Vec<Input> = inputs.by_ref().take(batch.max(1)).collect();
        (!chunk.is_empty()).then(|| read_batch(chunk, opts, &claimed, &mut ids))
    };
    let mut current = read_next(&mut inputs);
    while let Some(batch) = current {
        current = match inputs.peek() {
            Some(_) if ahead => rayon::join(|| sink(batch), || read_next(&mut inputs)).1,
            _ => {
                sink(batch);
                read_next(&mut inputs)
            }
        };
    }
}

/// Reads one batch of inputs in parallel into a corpus, in input order.
fn read_batch(
    chunk: Vec<Input>,
    opts: &ReadOptions,
    claimed: &HashSet<PathBuf>,
    ids: &mut FxHashMap<String, usize>,
) -> Corpus {
    let parts: Vec<Part> = chunk
        .into_par_iter()
        .map(|input| match input {
            Input::Stdin => {
                let mut bytes = Vec::new();
                // The size limit holds for stdin too: read one byte past it, no further.
                let limit = opts.max_bytes.saturating_add(1);
                match std::io::stdin().lock().take(limit).read_to_end(&mut bytes) {
                    Ok(n) if n as u64 > opts.max_bytes => Part::skip(
                        "-",
                        format!(
                            "standard input is over the {} byte limit; raise it with --max-bytes",
                            opts.max_bytes
                        ),
                    ),
                    Ok(_) => part_from_bytes("-", bytes, opts),
                    Err(e) => Part::skip("-", format!("cannot read standard input: {e}")),
                }
            }
            Input::File(path) => read_file(&path, opts),
            Input::Problem(input, reason) => Part::skip(input, reason),
        })
        .collect();
    let mut out = Corpus::default();
    for part in parts {
        for d in part.documents {
            let standalone = !d.meta.contains_key("manifest");
            let path = Path::new(&d.path);
            if standalone
                && !claimed.is_empty()
                && path.exists()
                && claimed
                    .contains(&std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
            {
                out.skipped.push(Skipped {
                    input: d.path.clone(),
                    reason: "listed in a manifest, read from there".into(),
                });
                continue;
            }
            out.documents.push(d);
        }
        out.skipped.extend(part.skipped);
        out.warnings.extend(part.warnings);
    }
    dedupe_ids(&mut out.documents, ids);
    out
}

fn walk(path: &Path, explicit: bool, visited: &mut HashSet<PathBuf>, out: &mut Vec<Input>) {
    let shown = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            out.push(Input::Problem(shown, format!("cannot open: {e}")));
            return;
        }
    };
    if meta.is_file() {
        add_file(path, explicit, out);
        return;
    }
    if !meta.is_dir() {
        out.push(Input::Problem(shown, "not a regular file or folder".into()));
        return;
    }
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if !visited.insert(canonical) {
        out.push(Input::Problem(
            shown,
            "folder already read (a symbolic-link loop?); skipped".into(),
        ));
        return;
    }
    let entries = match std::fs::read_dir(path) {
        Ok(rd) => rd,
        Err(e) => {
            out.push(Input::Problem(shown, format!("cannot list folder: {e}")));
            return;
        }
    };
    // Each entry with whether it is a regular file, known from the listing itself: a
    // folder of 100,000 articles needs no stat per file here.
    let mut children: Vec<(std::ffi::OsString, bool)> = Vec::new();
    for e in entries {
        match e {
            Ok(e) => children.push((e.file_name(), e.file_type().is_ok_and(|t| t.is_file()))),
            Err(e) => out.push(Input::Problem(shown.clone(), format!("cannot list an entry: {e}"))),
        }
    }
    // By name: the order of the paths, which share their folder, without comparing the
    // folder's components again for each pair (a folder of 100,000 articles spent a tenth
    // of a second here, before any reading could start). Names in a folder are unique.
    children.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (name, file) in children {
        let child = path.join(&name);
        let hidden = name.as_encoded_bytes().first() == Some(&b'.');
        if hidden {
            // Not read (`.git`, `.DS_Store`), but listed: nothing is dropped silently.
            out.push(Input::Problem(
                child.display().to_string(),
                "hidden (the name starts with a dot); give its path to read it".into(),
            ));
        } else if file {
            add_file(&child, false, out);
        } else {
            // Folders, and links, which `walk` follows.
            walk(&child, false, visited, out);
        }
    }
}

/// Lists the regular file `path`: to read if named by the user or a corpus file by its
/// extension, else as skipped.
fn add_file(path: &Path, explicit: bool, out: &mut Vec<Input>) {
    if explicit || is_corpus_file(path) {
        out.push(Input::File(path.to_path_buf()));
    } else {
        out.push(Input::Problem(
            path.display().to_string(),
            "not a text, CSV or JSONL file (by its extension); name it .txt to read it".into(),
        ));
    }
}

/// The extension of `path` in lower case (`""` for none) if it is one of a corpus file.
fn extension(path: &Path) -> Option<&'static str> {
    let e = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    ["", "txt", "text", "md", "csv", "jsonl", "ndjson"]
        .into_iter()
        .find(|k| k.eq_ignore_ascii_case(e))
}

fn is_corpus_file(path: &Path) -> bool {
    extension(path).is_some()
}

fn read_file(path: &Path, opts: &ReadOptions) -> Part {
    let shown = path.display().to_string();
    let max = opts.max_bytes;
    let cannot = |e: std::io::Error| Part::skip(&shown, format!("cannot read: {e}"));
    let over = |size: u64| {
        Part::skip(
            &shown,
            format!("{size} bytes is over the {max} byte limit; raise it with --max-bytes"),
        )
    };
    // Opened once; the size comes from the open file, not a second lookup of the path.
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        // The size limit is the more useful reason when both apply.
        Err(e) => match std::fs::metadata(path) {
            Ok(m) if m.len() > max => return over(m.len()),
            _ => return cannot(e),
        },
    };
    let size = match file.metadata() {
        Ok(m) => m.len(),
        Err(e) => return cannot(e),
    };
    if size > max {
        return over(size);
    }
    // Room for the whole file, asked for without aborting when memory is short.
    let mut bytes = Vec::new();
    let room = usize::try_from(size).ok().and_then(|n| n.checked_add(1));
    if room.is_none_or(|n| bytes.try_reserve_exact(n).is_err()) {
        return cannot(std::io::ErrorKind::OutOfMemory.into());
    }
    // A file larger than its stated size (one that grew, or a /proc file that states 0) is
    // read one byte past the limit, no further.
    if let Err(e) = file.take(max.saturating_add(1)).read_to_end(&mut bytes) {
        return cannot(e);
    }
    if bytes.len() as u64 > max {
        return Part::skip(
            &shown,
            format!("more than {max} bytes, over the byte limit; raise it with --max-bytes"),
        );
    }
    read_kind(&shown, bytes, kind_of(path, opts), path.parent(), opts)
}

/// How a file is read: by the option, else by its extension.
fn kind_of(path: &Path, opts: &ReadOptions) -> InputKind {
    match (opts.kind, extension(path)) {
        (InputKind::Auto, Some("csv")) => InputKind::Csv,
        (InputKind::Auto, Some("jsonl" | "ndjson")) => InputKind::Jsonl,
        (InputKind::Auto, _) => InputKind::Text,
        (k, _) => k,
    }
}

/// Reads one input given as bytes; `name` is how it is shown (`-` for stdin).
pub fn read_bytes(name: &str, bytes: &[u8], opts: &ReadOptions) -> Corpus {
    let part = part_from_bytes(name, bytes.to_vec(), opts);
    Corpus { documents: part.documents, skipped: part.skipped, warnings: part.warnings }
}

fn part_from_bytes(name: &str, bytes: Vec<u8>, opts: &ReadOptions) -> Part {
    let kind = match opts.kind {
        InputKind::Auto => {
            let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
            if first == Some(&b'{') {
                InputKind::Jsonl
            } else {
                InputKind::Text
            }
        }
        k => k,
    };
    read_kind(name, bytes, kind, None, opts)
}

fn read_kind(
    name: &str,
    bytes: Vec<u8>,
    kind: InputKind,
    dir: Option<&Path>,
    opts: &ReadOptions,
) -> Part {
    let decoded = match decode_owned(bytes) {
        Ok(d) => d,
        Err(e) => return Part::skip(name, format!("{e}; framelens reads text files only")),
    };
    let mut part = match kind {
        InputKind::Csv => tabular::read_csv(name, &decoded.text, dir, opts),
        InputKind::Jsonl => tabular::read_jsonl(name, &decoded.text, opts),
        InputKind::Auto | InputKind::Text => {
            document(name, &decoded.text, stem(name), Fields::default(), 1, opts)
        }
    };
    if let Some(w) = decoded.warning {
        part.warn(name, w);
    }
    for d in &mut part.documents {
        d.meta.insert("encoding".into(), decoded.encoding.to_string());
    }
    part
}

fn stem(name: &str) -> String {
    if name == "-" {
        return "stdin".into();
    }
    Path::new(name).file_stem().and_then(|s| s.to_str()).unwrap_or(name).to_string()
}

/// Metadata given outside the text (CSV columns, JSONL fields, a manifest).
#[derive(Debug, Clone, Default)]
pub(crate) struct Fields {
    pub values: BTreeMap<String, String>,
    pub source: &'static str,
}

/// Builds a document from text. `given` fields win over the text's header, which wins over
/// detection. `first_line` is the input line where `text` starts (for CSV cells, the row).
pub(crate) fn document(
    name: &str,
    text: &str,
    id: String,
    given: Fields,
    first_line: u32,
    opts: &ReadOptions,
) -> Part {
    let mut part = Part::default();
    if text.trim().is_empty() {
        return Part::skip(name, "empty: no text to analyse");
    }
    let head = header::parse(text);
    for (line, w) in &head.warnings {
        part.warn(format!("{name}:{}", first_line as usize + line - 1), w.clone());
    }
    // The text after the header's lines, without copying it.
    let body = match head.lines {
        0 => text,
        n => memchr::memchr_iter(b'\n', text.as_bytes()).nth(n - 1).map_or("", |i| &text[i + 1..]),
    };
    let cleaned = clean(body, first_line + head.lines as u32, &opts.rules, &opts.registry);
    let words = cleaned.words;
    if words == 0 {
        return Part::skip(
            name,
            "no article text left after removing the header and page furniture",
        );
    }
    let mut fields: BTreeMap<String, (String, &'static str)> = BTreeMap::new();
    for (k, v) in head.fields {
        fields.insert(k, (v, "header"));
    }
    for (k, v) in given.values {
        if !v.trim().is_empty() {
            fields.insert(k, (v, given.source));
        }
    }
    let mut meta = BTreeMap::new();
    let mut take = |k: &str| fields.remove(k);

    let outlet = match take("outlet") {
        Some((o, src)) => {
            meta.insert("outlet_source".into(), src.to_string());
            opts.registry.canonical(&o)
        }
        None => match opts.registry.identify(text) {
            Identified::Outlet(o) => {
                meta.insert("outlet_source".into(), "detected".into());
                o
            }
            Identified::Ambiguous(names) => {
                part.warn(name, format!("outlet unclear: the text matches {} equally; grouped as \"{UNKNOWN_OUTLET}\" (add a header line `outlet: NAME`)", names.join(", ")));
                UNKNOWN_OUTLET.to_string()
            }
            Identified::Unknown => {
                part.warn(name, format!("no outlet recognised; grouped as \"{UNKNOWN_OUTLET}\" (add a header line `outlet: NAME`, or a row to lexicons/outlets.csv)"));
                UNKNOWN_OUTLET.to_string()
            }
        },
    };
    let date = match take("date") {
        Some((d, src)) => match parse_given_date(&d) {
            Ok(date) => {
                meta.insert("date_source".into(), src.to_string());
                Some(date)
            }
            Err(e) => {
                part.warn(name, format!("{e}; date left unknown"));
                None
            }
        },
        None => cleaned.date().map(|(d, how)| {
            meta.insert("date_source".into(), how.to_string());
            d
        }),
    };
    if let (Some(d), Some(today)) = (date, opts.today) {
        if d > today {
            part.warn(name, format!("date {d} is in the future; check it"));
        }
    }
    let title = match take("title") {
        Some((t, src)) => {
            meta.insert("title_source".into(), src.to_string());
            Some(t)
        }
        None => cleaned.title.clone().map(|(t, how)| {
            meta.insert("title_source".into(), how.to_string());
            t
        }),
    };
    let url = take("url").map(|(u, _)| u);
    let id = take("id").map_or(id, |(i, _)| i);
    for (k, (v, _)) in fields {
        meta.insert(k, v);
    }
    part.documents.push(Document {
        id,
        path: name.to_string(),
        outlet,
        date,
        title,
        url,
        meta,
        text: cleaned.text,
        lines: cleaned.lines,
        removed: cleaned.removed,
        words,
    });
    part
}

/// Dates given in headers and columns: ISO first, then any form the recogniser knows.
fn parse_given_date(s: &str) -> Result<Date, String> {
    match Date::parse_iso(s) {
        Ok(d) => Ok(d),
        Err(super::dates::DateError::Impossible(_)) => Err(format!("date \"{s}\" does not exist")),
        Err(e) => super::dates::find(s).first().map(|f| f.date).ok_or_else(|| e.to_string()),
    }
}

/// Makes ids unique: a repeated id gets `~2`, `~3`, ... in input order. `seen` counts the
/// ids of earlier batches.
fn dedupe_ids(docs: &mut [Document], seen: &mut FxHashMap<String, usize>) {
    for d in docs.iter_mut() {
        // Most ids are new: looked up by reference, cloned only to be inserted.
        let n = match seen.get_mut(&d.id) {
            Some(n) => n,
            None => seen.entry(d.id.clone()).or_insert(0),
        };
        *n += 1;
        if *n > 1 {
            d.id = format!("{}~{}", d.id, n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repeated id gets `~2`, `~3`, ... in input order, across batches too.
    #[test]
    fn repeated_ids_are_numbered_in_input_order() {
        let opts = ReadOptions::default();
        let doc = |id: &str| {
            let text = b"outlet: Wire\n---\nTroops crossed the river on Monday.";
            read_bytes(&format!("{id}.txt"), text, &opts).documents.remove(0)
        };
        let mut seen = FxHashMap::default();
        let mut first = vec![doc("a"), doc("b"), doc("a")];
        dedupe_ids(&mut first, &mut seen);
        let mut second = vec![doc("a"), doc("c"), doc("b")];
        dedupe_ids(&mut second, &mut seen);
        let ids: Vec<&str> = first.iter().chain(&second).map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "a~2", "a~3", "c", "b~2"]);
    }
}
