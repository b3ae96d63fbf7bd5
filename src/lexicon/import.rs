//! Importing the dictionary formats researchers already have: LIWC `.dic` files and
//! quanteda YAML dictionaries. Consumes the dictionary's text; produces the terms it could
//! carry over ([`Dictionary`]), an [`Issue`] for everything it could not, and the framelens
//! lexicon CSV ([`to_csv`]). Categories become concepts; poles come from a mapping given by
//! the user, else `neutral`. It reads no files and does not judge whether the terms frame
//! anything: an imported lexicon is a starting point to curate, not a finished one.
//!
//! # What carries over, and what does not
//! - **LIWC** (`%` line, `id<TAB>category` lines, `%` line, then `term<TAB>id id …`): each
//!   term with its categories. Conditional entries of LIWC 2007 (`02/10`, `(02 134)125/464`,
//!   used for "like" and "kind") cannot be expressed; their plain category ids are kept and
//!   the rest is reported.
//! - **quanteda YAML** (nested keys, lists of terms): a subset of YAML is read: block mappings
//!   (`key:`), block lists (`- term`), flow lists (`key: [a, b]`), a single scalar
//!   (`key: term`), quotes and `#` comments. Nested keys become one concept joined with `.`
//!   (`politics.domestic`), as quanteda flattens them. Anchors, aliases, multi-line scalars
//!   and flow mappings are reported and skipped.
//! - **Patterns**: a trailing `*` is a framelens wildcard (at least 3 letters before it).
//!   A leading or inner `*`, the glob `?`, and regular-expression syntax have no framelens
//!   equivalent; such terms are reported and left out.
//! - **Matching**: both formats match words exactly (no inflection), so imported terms
//!   without a wildcard get `match` = `exact`.
//! - **One row per term.** A framelens lexicon may not list the same term twice with the
//!   same context (`lexicon check` calls that a duplicate or conflicting entry), so a term
//!   in several categories becomes one row under its first category that has a pole in the
//!   mapping (else its first category), and its note names the other categories. This is
//!   reported once, with a count.

use crate::text::fold_words;
use std::collections::BTreeMap;
use std::fmt;

/// A dictionary format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// LIWC `.dic`.
    Liwc,
    /// quanteda YAML dictionary.
    Yaml,
}

impl Format {
    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Liwc => "LIWC",
            Format::Yaml => "YAML",
        }
    }

    /// The format of a file: by extension (`.dic`, `.yml`, `.yaml`), else by content (a
    /// first non-blank line `%` means LIWC).
    pub fn detect(file: &str, text: &str) -> Format {
        let lower = file.to_ascii_lowercase();
        if lower.ends_with(".dic") {
            Format::Liwc
        } else if lower.ends_with(".yml") || lower.ends_with(".yaml") {
            Format::Yaml
        } else if text.lines().map(str::trim).find(|l| !l.is_empty()) == Some("%") {
            Format::Liwc
        } else {
            Format::Yaml
        }
    }
}

/// Something in the dictionary that did not carry over, or carried over changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// 1-based line in the dictionary, when one line is at fault.
    pub line: Option<u64>,
    /// What happened.
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

/// A term carried over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term as framelens writes it (a trailing `*` for a prefix).
    pub term: String,
    /// Its categories, in the order the dictionary gives them (at least one).
    pub categories: Vec<String>,
    /// 1-based line of its first occurrence.
    pub line: u64,
}

/// A dictionary read from text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dictionary {
    /// The format it was read as.
    pub format: Format,
    /// Category names, in the order the dictionary declares or first uses them.
    pub categories: Vec<String>,
    /// Terms, in dictionary order, one per distinct term.
    pub terms: Vec<Term>,
    /// Everything that did not carry over.
    pub issues: Vec<Issue>,
}

impl Dictionary {
    fn new(format: Format) -> Dictionary {
        Dictionary { format, categories: Vec::new(), terms: Vec::new(), issues: Vec::new() }
    }

    fn issue(&mut self, line: u64, message: String) {
        self.issues.push(Issue { line: Some(line), message });
    }

    /// Adds `raw` under `category`, or reports why it cannot be carried over.
    fn add(&mut self, raw: &str, category: &str, line: u64, index: &mut BTreeMap<String, usize>) {
        if !self.categories.iter().any(|c| c == category) {
            self.categories.push(category.to_string());
        }
        let term = raw.trim();
        if term.is_empty() {
            return;
        }
        let body = term.strip_suffix('*').unwrap_or(term);
        let wildcard = body.len() != term.len();
        let words = fold_words(body.trim_start_matches('*'));
        let why = if words.is_empty() {
            Some("it has no letters or digits")
        } else if term.contains('?') {
            Some("the glob \"?\" (any one character) has no framelens equivalent")
        } else if body.contains('*') {
            Some("\"*\" is supported only at the end of a term")
        } else if term.contains(['[', ']', '(', ')', '{', '}', '^', '$', '|', '\\', '+']) {
            Some("regular-expression syntax is not supported")
        } else {
            None
        };
        if let Some(why) = why {
            self.issue(line, format!("\"{term}\" ({category}) left out: {why}"));
            return;
        }
        if wildcard && words.last().is_some_and(|w| w.chars().count() < 3) {
            self.issue(
                line,
                format!(
                    "\"{term}\" ({category}) left out: a wildcard needs at least 3 letters \
                     before the \"*\""
                ),
            );
            return;
        }
        let key = format!("{}{}", words.join(" "), if wildcard { "*" } else { "" });
        match index.get(&key) {
            Some(&i) => {
                let t = &mut self.terms[i];
                if !t.categories.iter().any(|c| c == category) {
                    t.categories.push(category.to_string());
                } else if t.term != term {
                    let msg = format!(
                        "\"{term}\" ({category}) is the same term as \"{}\" on line {} once \
                         folded; kept once",
                        t.term, t.line
                    );
                    self.issue(line, msg);
                }
            }
            None => {
                index.insert(key, self.terms.len());
                self.terms.push(Term {
                    term: term.to_string(),
                    categories: vec![category.to_string()],
                    line,
                });
            }
        }
    }
}

/// Reads a dictionary in `format`.
pub fn read(format: Format, text: &str) -> Dictionary {
    match format {
        Format::Liwc => liwc(text),
        Format::Yaml => yaml(text),
    }
}

/// Reads a LIWC `.dic` dictionary.
pub fn liwc(text: &str) -> Dictionary {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut d = Dictionary::new(Format::Liwc);
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut index = BTreeMap::new();
    let mut section = 0; // 0 before the first %, 1 categories, 2 terms
    for (i, line) in text.lines().enumerate() {
        let n = i as u64 + 1;
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if t == "%" {
            section += 1;
            if section > 2 {
                d.issue(n, "a third \"%\" line; the rest is read as terms".into());
                section = 2;
            }
            continue;
        }
        match section {
            0 => d.issue(n, "text before the first \"%\" line is ignored".into()),
            1 => {
                let mut parts = t.split_whitespace();
                match (parts.next(), parts.next()) {
                    (Some(id), Some(name)) => {
                        ids.insert(id.to_string(), name.to_string());
                        d.categories.push(name.to_string());
                    }
                    _ => d.issue(n, format!("category line \"{t}\" needs an id and a name")),
                }
            }
            _ => {
                // term<TAB>ids; without tabs, trailing fields that are ids are the ids.
                let (term, fields): (String, Vec<&str>) = if line.contains('\t') {
                    let mut it = line.split('\t');
                    let term = it.next().unwrap_or("").trim().to_string();
                    // A conditional rule ("(43 1)131/125") is one field even with spaces.
                    let fields = it
                        .flat_map(|f| {
                            if f.contains(['/', '(']) {
                                vec![f.trim()]
                            } else {
                                f.split_whitespace().collect()
                            }
                        })
                        .collect();
                    (term, fields)
                } else {
                    let parts: Vec<&str> = t.split_whitespace().collect();
                    let k = parts.iter().rev().take_while(|p| is_field(p)).count();
                    let k = k.min(parts.len().saturating_sub(1));
                    (parts[..parts.len() - k].join(" "), parts[parts.len() - k..].to_vec())
                };
                let mut cats = Vec::new();
                for f in &fields {
                    match ids.get(*f) {
                        Some(c) => cats.push(c.clone()),
                        None if f.contains(['/', '(', ')', '<', '>']) => d.issue(
                            n,
                            format!(
                                "\"{term}\": conditional category rule \"{f}\" is not supported; \
                                 only its plain categories are kept"
                            ),
                        ),
                        None => {
                            d.issue(n, format!("\"{term}\": unknown category id \"{f}\" ignored"))
                        }
                    }
                }
                if cats.is_empty() {
                    d.issue(n, format!("\"{term}\" left out: no usable category"));
                    continue;
                }
                for c in cats {
                    d.add(&term, &c, n, &mut index);
                }
            }
        }
    }
    if section < 2 {
        d.issues.push(Issue {
            line: None,
            message: "not a LIWC dictionary: it needs a \"%\" line before and after the \
                      category list"
                .into(),
        });
    }
    d
}

fn is_field(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_digit() || matches!(c, '/' | '(' | ')'))
}

/// Reads a quanteda YAML dictionary (the subset described in the module docs).
pub fn yaml(text: &str) -> Dictionary {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut d = Dictionary::new(Format::Yaml);
    let mut index = BTreeMap::new();
    // Open keys: (indent, key).
    let mut stack: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i as u64 + 1;
        let line = strip_comment(raw);
        let content = line.trim();
        if content.is_empty()
            || content == "---"
            || content == "..."
            || (stack.is_empty() && content.starts_with('%'))
        {
            continue;
        }
        if line.starts_with('\t') || line.trim_start_matches(' ').starts_with('\t') {
            d.issue(n, "tabs cannot indent YAML; line skipped".into());
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if let Some(item) = content.strip_prefix('-').filter(|r| r.is_empty() || r.starts_with(' '))
        {
            stack.retain(|(k, _)| *k <= indent);
            let Some(concept) = path(&stack) else {
                d.issue(n, "a list item outside any key is ignored".into());
                continue;
            };
            let item = item.trim();
            if key_value(item).is_some() {
                d.issue(n, format!("\"{item}\": a mapping inside a list is not supported"));
                continue;
            }
            match scalar(item) {
                Ok(v) => d.add(&v, &concept, n, &mut index),
                Err(why) => d.issue(n, format!("\"{item}\" left out: {why}")),
            }
            continue;
        }
        let Some((key, value)) = key_value(content) else {
            d.issue(n, format!("\"{content}\" is neither \"key:\" nor \"- term\"; skipped"));
            continue;
        };
        stack.retain(|(k, _)| *k < indent);
        let key = match scalar(&key) {
            Ok(k) => k,
            Err(why) => {
                d.issue(n, format!("key \"{key}\" skipped: {why}"));
                continue;
            }
        };
        stack.push((indent, key));
        let Some(concept) = path(&stack) else { continue };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        if let Some(inner) = value.strip_prefix('[') {
            let Some(inner) = inner.strip_suffix(']') else {
                d.issue(n, "a flow list \"[…]\" must close on the same line".into());
                continue;
            };
            for item in split_flow(inner) {
                match scalar(item.trim()) {
                    Ok(v) => d.add(&v, &concept, n, &mut index),
                    Err(why) => d.issue(n, format!("\"{}\" left out: {why}", item.trim())),
                }
            }
        } else {
            match scalar(value) {
                Ok(v) => d.add(&v, &concept, n, &mut index),
                Err(why) => d.issue(n, format!("\"{value}\" left out: {why}")),
            }
        }
    }
    if d.terms.is_empty() && d.issues.is_empty() {
        d.issues.push(Issue { line: None, message: "no terms found".into() });
    }
    d
}

/// The concept of the open keys: joined with ".".
fn path(stack: &[(usize, String)]) -> Option<String> {
    (!stack.is_empty()).then(|| stack.iter().map(|(_, k)| k.as_str()).collect::<Vec<_>>().join("."))
}

/// Removes a `#` comment (at the start, or after a space, outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') if prev == ' ' || prev == '[' || prev == ',' || prev == '-' => {
                quote = Some(c)
            }
            (Some(q), c) if c == q => quote = None,
            (None, '#') if prev.is_whitespace() || i == 0 => return &line[..i],
            _ => {}
        }
        prev = c;
    }
    line
}

/// Splits `key: value` (or `key:`) at the first `:` that ends the line or precedes a space,
/// outside quotes.
fn key_value(s: &str) -> Option<(String, String)> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') if i == 0 => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ':') => {
                let rest = &s[i + 1..];
                if rest.is_empty() || rest.starts_with(' ') {
                    return Some((s[..i].trim().to_string(), rest.to_string()));
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits the inside of a flow list at commas outside quotes.
fn split_flow(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ',') => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out.into_iter().filter(|x| !x.trim().is_empty()).collect()
}

/// A scalar: quotes removed; the YAML features this reader does not support are errors.
fn scalar(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    if let Some(inner) = s.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
        return Ok(inner.replace("\\\"", "\"").replace("\\\\", "\\"));
    }
    if let Some(inner) = s.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')) {
        return Ok(inner.replace("''", "'"));
    }
    match s.chars().next() {
        Some('&') => Err("YAML anchors are not supported"),
        Some('|' | '>') => Err("multi-line scalars are not supported"),
        Some('{') => Err("flow mappings are not supported"),
        Some('[') => Err("a list inside a list is not supported"),
        Some('!') => Err("YAML tags are not supported"),
        Some('"' | '\'') => Err("a quote is not closed"),
        _ => Ok(s.to_string()),
    }
}

/// Maps concepts to poles: `concept=pole` pairs; a key also maps every concept nested under
/// it (`politics` maps `politics.domestic`), and the longest key wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoleMap {
    /// (concept key, pole), in the order given.
    pub pairs: Vec<(String, String)>,
}

impl PoleMap {
    /// Parses `concept=pole,concept=pole`. Errors name the bad pair.
    pub fn parse(spec: &str) -> Result<PoleMap, String> {
        let mut pairs = Vec::new();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((c, p)) = part.split_once('=') else {
                return Err(format!("\"{part}\" is not concept=pole"));
            };
            let (c, p) = (c.trim(), p.trim());
            if c.is_empty() || p.is_empty() || p.contains(';') {
                return Err(format!("\"{part}\" needs a concept and a pole name"));
            }
            pairs.push((c.to_string(), p.to_string()));
        }
        Ok(PoleMap { pairs })
    }

    /// The pole of a concept, if the map gives one.
    pub fn pole(&self, concept: &str) -> Option<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| {
                concept == k || concept.strip_prefix(k.as_str()).is_some_and(|r| r.starts_with('.'))
            })
            .max_by_key(|(k, _)| k.len())
            .map(|(_, p)| p.as_str())
    }

    /// The poles it names, in order, without duplicates.
    pub fn poles(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for (_, p) in &self.pairs {
            if !out.contains(&p.as_str()) {
                out.push(p);
            }
        }
        out
    }
}

/// The framelens lexicon CSV for a dictionary: directives (`#name`, `#description`,
/// `#poles` = the mapped poles then `neutral`, and `#axis` = the second mapped pole (−1) to
/// the first (+1) when the map names two), the header, and one row per term. Returns the
/// text and the further issues found while converting (categories the map names that the
/// dictionary lacks; terms in several categories).
pub fn to_csv(name: &str, source: &str, dict: &Dictionary, map: &PoleMap) -> (String, Vec<Issue>) {
    let mut issues = Vec::new();
    for (k, _) in &map.pairs {
        let used = dict
            .categories
            .iter()
            .any(|c| c == k || c.strip_prefix(k.as_str()).is_some_and(|r| r.starts_with('.')));
        if !used {
            issues.push(Issue {
                line: None,
                message: format!(
                    "--poles-map names \"{k}\", which is not a category of the dictionary \
                     (categories: {})",
                    dict.categories.join(", ")
                ),
            });
        }
    }
    let mut poles: Vec<&str> = map.poles().into_iter().filter(|p| *p != "neutral").collect();
    let sided = poles.len();
    poles.push("neutral");
    let one_line = |s: &str| s.replace(['\n', '\r'], " ");
    let mut out = String::new();
    out.push_str(&format!("#name: {}\n", one_line(name)));
    out.push_str(&format!(
        "#description: Imported from {} ({} dictionary) by framelens lexicon import; check \
         poles and notes before use\n",
        one_line(source),
        dict.format.name()
    ));
    out.push_str("#language: en\n");
    out.push_str(&format!("#poles: {}\n", poles.join(",")));
    if sided >= 2 {
        out.push_str(&format!("#axis: {},{}\n", poles[1], poles[0]));
    }
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut multi = 0;
    let header = [
        "term", "concept", "pole", "weight", "note", "neutral", "near", "not_near", "window",
        "match",
    ];
    let mut rows: Vec<[String; 10]> = Vec::new();
    for t in &dict.terms {
        let chosen =
            t.categories.iter().find(|c| map.pole(c).is_some()).unwrap_or(&t.categories[0]).clone();
        let pole = map.pole(&chosen).unwrap_or("neutral").to_string();
        let others: Vec<&str> =
            t.categories.iter().filter(|c| **c != chosen).map(String::as_str).collect();
        if !others.is_empty() {
            multi += 1;
        }
        let mut note = format!(
            "Imported from the {} category \"{chosen}\" of {} (line {}); no note yet.",
            dict.format.name(),
            one_line(source),
            t.line
        );
        if !others.is_empty() {
            note.push_str(&format!(" Also in: {}.", others.join(", ")));
        }
        let exact = if t.term.ends_with('*') { "" } else { "exact" };
        rows.push([
            t.term.clone(),
            chosen,
            pole,
            "1".into(),
            note,
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            exact.into(),
        ]);
    }
    let written = w.write_record(header).is_ok() && rows.iter().all(|r| w.write_record(r).is_ok());
    let body = w.into_inner().ok().filter(|_| written).unwrap_or_default();
    out.push_str(&String::from_utf8_lossy(&body));
    if multi > 0 {
        issues.push(Issue {
            line: None,
            message: format!(
                "{multi} term(s) belong to several categories; framelens allows one row per term, \
                 so each is filed under its first mapped (else first) category and its note \
                 names the others"
            ),
        });
    }
    (out, issues)
}

/// A starter lexicon for `name` with the given poles: directives (the axis runs from the
/// second pole that is not `neutral`, at −1, to the first, at +1), the header, and example
/// rows whose notes say they are examples, one for each feature of the format (inflection,
/// wildcard, exact name, `near` cue, a neutral row when `neutral` is a pole). Errors when
/// there are fewer than two poles, a pole is repeated, or a name contains a comma,
/// semicolon or line break.
pub fn starter(name: &str, poles: &[String]) -> Result<String, String> {
    let bad = |s: &str| s.trim().is_empty() || s.contains([',', ';', '\n', '\r', '"']);
    if bad(name) {
        return Err(format!("lexicon name {name:?} must be non-empty, without , ; or quotes"));
    }
    if let Some(p) = poles.iter().find(|p| bad(p)) {
        return Err(format!("pole {p:?} must be non-empty, without , ; or quotes"));
    }
    if poles.len() < 2 {
        return Err("give at least two poles, e.g. --poles side_a,side_b,neutral".into());
    }
    if let Some(p) = poles.iter().enumerate().find(|(i, p)| poles[..*i].contains(p)) {
        return Err(format!("pole \"{}\" is given twice", p.1));
    }
    let sides: Vec<&str> = poles.iter().map(|p| p.trim()).filter(|p| *p != "neutral").collect();
    let (a, b) = match sides.as_slice() {
        [a, b, ..] => (*a, *b),
        [a] => (*a, "neutral"),
        [] => return Err("give at least one pole besides neutral".into()),
    };
    let mut out = format!(
        "#name: {name}\n\
         #description: What this lexicon covers, in one line (started with framelens lexicon new)\n\
         #language: en\n\
         #poles: {}\n",
        poles.iter().map(|p| p.trim()).collect::<Vec<_>>().join(",")
    );
    if sides.len() >= 2 {
        out.push_str(&format!("#axis: {b},{a}\n"));
    }
    out.push_str(
        "# The rows below are EXAMPLES: replace them with your own. Every column is explained \
         in lexicons/README.md; check the file with framelens lexicon check FILE\n\
         term,concept,pole,weight,note,neutral,near,not_near,window,match\n",
    );
    let rows = [
        format!("example term,example concept,{a},1,\"EXAMPLE row, replace it: wording typical of {a}. The note tells students whose usage the wording reflects and why; inflected forms (example terms) match too.\",neutral wording,,,,"),
        format!("example prefix*,example concept,{b},1,\"EXAMPLE row, replace it: a trailing * matches every word that starts with the prefix (at least 3 letters), e.g. liberat* for liberated and liberation.\",neutral wording,,,,"),
        format!("Example Town,place names,{b},0.5,\"EXAMPLE row, replace it: a place name one side prefers; match exact keeps names from being inflected, and weight 0.5 marks mildly loaded wording.\",Example Town/Other Name,,,,exact"),
        format!("example context,example concept,{a},1,\"EXAMPLE row, replace it: counts only when a near cue occurs within window words in the same sentence.\",,cue word;other cue*,,8,"),
    ];
    for r in rows {
        out.push_str(&r);
        out.push('\n');
    }
    if poles.iter().any(|p| p.trim() == "neutral") {
        out.push_str("example neutral wording,example concept,neutral,1,\"EXAMPLE row, replace it: wording that wire agencies and international bodies use without taking sides.\",,,,,\n");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::parse;

    const DIC: &str =
        "%\n1\tposemo\n2\tnegemo\n3\twar\n%\nhappy\t1\nliberat*\t1\t3\noccupation\t2\t3\n\
        kind\t(43 1)131/125\t1\nabandon*\t2\n:)\t1\nsad?\t2\n*ness\t2\na*\t1\nfree fire\t3\n\
        mystery\t99\n";

    #[test]
    fn liwc_terms_categories_and_issues() {
        let d = liwc(DIC);
        assert_eq!(d.categories, vec!["posemo", "negemo", "war"]);
        let terms: Vec<(&str, Vec<&str>)> = d
            .terms
            .iter()
            .map(|t| (t.term.as_str(), t.categories.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            terms,
            vec![
                ("happy", vec!["posemo"]),
                ("liberat*", vec!["posemo", "war"]),
                ("occupation", vec!["negemo", "war"]),
                ("kind", vec!["posemo"]),
                ("abandon*", vec!["negemo"]),
                ("free fire", vec!["war"]),
            ]
        );
        let msgs: Vec<String> = d.issues.iter().map(|i| i.to_string()).collect();
        let has = |line: u64, needle: &str| {
            assert!(
                d.issues.iter().any(|i| i.line == Some(line) && i.message.contains(needle)),
                "line {line} {needle:?} in {msgs:#?}"
            )
        };
        has(9, "conditional category rule");
        has(11, "no letters or digits");
        has(12, "glob");
        has(13, "only at the end");
        has(14, "at least 3 letters");
        has(16, "unknown category id \"99\"");
        assert_eq!(d.issues.len(), 7, "{msgs:#?}");
    }

    #[test]
    fn liwc_without_tabs_and_without_header() {
        let d = liwc("%\n1 funct\n%\na lot 1\n");
        assert_eq!(d.terms[0].term, "a lot");
        let d = liwc("happy 1\n");
        assert!(d.issues.iter().any(|i| i.message.starts_with("not a LIWC dictionary")));
    }

    const YAML: &str = "# a quanteda dictionary\n---\neconomy:\n  - tax*\n  - \"budget deficit\"   # quoted\n\
        politics:\n  domestic:\n    - election\n    - 'vote''s'\n  foreign: [treaty, \"summit\", embass?]\n\
        war: invasion\nbad:\n  - &anchor x\n  - key: value\n  - ab*\nempty:\n";

    #[test]
    fn yaml_nested_keys_become_concepts() {
        let d = yaml(YAML);
        let terms: Vec<(&str, &str)> =
            d.terms.iter().map(|t| (t.term.as_str(), t.categories[0].as_str())).collect();
        assert_eq!(
            terms,
            vec![
                ("tax*", "economy"),
                ("budget deficit", "economy"),
                ("election", "politics.domestic"),
                ("vote's", "politics.domestic"),
                ("treaty", "politics.foreign"),
                ("summit", "politics.foreign"),
                ("invasion", "war"),
            ]
        );
        let msgs: Vec<String> = d.issues.iter().map(|i| i.to_string()).collect();
        assert_eq!(msgs.len(), 4, "{msgs:#?}");
        assert!(msgs[0].starts_with("line 10:") && msgs[0].contains("glob"), "{msgs:#?}");
        assert!(msgs[1].starts_with("line 13:") && msgs[1].contains("anchors"), "{msgs:#?}");
        assert!(msgs[2].starts_with("line 14:") && msgs[2].contains("mapping inside a list"));
        assert!(msgs[3].starts_with("line 15:") && msgs[3].contains("3 letters"));
        assert_eq!(d.terms[1].line, 5);
    }

    #[test]
    fn yaml_items_at_the_key_indent() {
        let d = yaml("a:\n- x\nb:\n- y\n- x\n");
        assert_eq!(d.terms.len(), 2);
        assert_eq!(d.terms[0].categories, vec!["a", "b"]);
    }

    #[test]
    fn starter_parses_cleanly() {
        let poles: Vec<String> = ["us", "them", "neutral"].iter().map(|s| s.to_string()).collect();
        let text = starter("mine", &poles).unwrap();
        let (lex, problems) = parse("mine.csv", &text);
        assert!(problems.is_empty(), "{problems:#?}\n{text}");
        assert_eq!(lex.name, "mine");
        assert_eq!(lex.axis, Some(("them".into(), "us".into())));
        assert_eq!(lex.entries.len(), 5);
        assert!(lex.entries.iter().all(|e| e.note.starts_with("EXAMPLE row")));
        assert!(starter("x", &poles[..1]).is_err());
        assert!(starter("x", &["a".into(), "a".into()]).is_err());
        assert!(starter("a,b", &poles).is_err());
        let two = starter("x", &["a".into(), "neutral".into()]).unwrap();
        assert!(parse("x.csv", &two).1.is_empty());
    }

    #[test]
    fn pole_map_longest_key_wins() {
        let m = PoleMap::parse("politics=left, politics.foreign=right").unwrap();
        assert_eq!(m.pole("politics.domestic"), Some("left"));
        assert_eq!(m.pole("politics.foreign"), Some("right"));
        assert_eq!(m.pole("politicsx"), None);
        assert_eq!(m.poles(), vec!["left", "right"]);
        assert!(PoleMap::parse("politics").is_err());
    }

    #[test]
    fn csv_output_passes_the_lexicon_parser() {
        let d = liwc(DIC);
        let map = PoleMap::parse("war=hawkish,posemo=dovish,nothere=x").unwrap();
        let (csv, issues) = to_csv("imp", "test.dic", &d, &map);
        let (lex, problems) = parse("imp.csv", &csv);
        assert!(problems.is_empty(), "{problems:#?}\n{csv}");
        assert_eq!(lex.poles, vec!["hawkish", "dovish", "x", "neutral"]);
        assert_eq!(lex.axis, Some(("dovish".into(), "hawkish".into())));
        let e = |t: &str| lex.entries.iter().find(|e| e.term == t).unwrap();
        // Mapped category first: liberat* is posemo and war; war is mapped first in the map,
        // but the term's own order decides among mapped categories.
        assert_eq!(
            (e("liberat*").concept.as_str(), e("liberat*").pole.as_str()),
            ("posemo", "dovish")
        );
        assert!(e("liberat*").note.contains("Also in: war."));
        assert_eq!(
            (e("occupation").concept.as_str(), e("occupation").pole.as_str()),
            ("war", "hawkish")
        );
        assert_eq!(e("abandon*").pole, "neutral");
        assert!(!e("happy").inflect && !e("abandon*").inflect);
        assert!(issues.iter().any(|i| i.message.contains("\"nothere\"")));
        assert!(issues.iter().any(|i| i.message.starts_with("2 term(s) belong to several")));
    }
}
