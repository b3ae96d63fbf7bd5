//! Header blocks: an optional run of `key: value` lines at the top of a text file, closed by a
//! line `---`. Consumes the decoded text; produces the fields and the line where the body
//! starts. It does not interpret values (dates are checked by the caller).

use std::collections::BTreeMap;

/// Keys the tool knows; a block of only these may be accepted without its closing `---`.
pub const KNOWN_KEYS: &[&str] =
    &["outlet", "date", "title", "url", "author", "source", "section", "language", "lang", "id"];

/// A parsed header block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// Fields by lower-case key; the first occurrence of a key wins.
    pub fields: BTreeMap<String, String>,
    /// Number of lines the block used, including the closing `---` (0 when none).
    pub lines: usize,
    /// Problems worth telling the user, with their 1-based line.
    pub warnings: Vec<(usize, String)>,
}

fn key_value(line: &str) -> Option<(&str, &str)> {
    let (k, v) = line.split_once(':')?;
    let k = k.trim();
    let mut chars = k.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && k.len() <= 40;
    ok.then_some((k, v.trim()))
}

/// Parses the header block at the top of `text`, if there is one.
pub fn parse(text: &str) -> Header {
    let mut header = Header::default();
    let mut pairs: Vec<(usize, &str, &str)> = Vec::new();
    let mut closed = false;
    for (i, line) in text.lines().enumerate().take(200) {
        if line.trim() == "---" {
            closed = !pairs.is_empty();
            break;
        }
        if line.trim().is_empty() && pairs.is_empty() {
            return header;
        }
        match key_value(line) {
            Some((k, v)) => pairs.push((i + 1, k, v)),
            None => break,
        }
    }
    if pairs.is_empty() {
        return header;
    }
    let all_known =
        pairs.iter().all(|(_, k, _)| KNOWN_KEYS.contains(&k.to_ascii_lowercase().as_str()));
    if !closed {
        // A headline such as "Lavrov: Russia ready to help" looks like a key; only a block of
        // known keys is taken as a header without its `---`.
        if !(all_known && pairs.len() >= 2) {
            return header;
        }
        header.warnings.push((
            pairs.len() + 1,
            format!(
                "header block is not closed by a line \"---\"; took lines 1-{} as the header",
                pairs.len()
            ),
        ));
        header.lines = pairs.len();
    } else {
        header.lines = pairs.len() + 1;
    }
    for (line, k, v) in pairs {
        let key = k.to_ascii_lowercase();
        if header.fields.contains_key(&key) {
            header
                .warnings
                .push((line, format!("duplicate header key \"{key}\"; the first value is kept")));
            continue;
        }
        header.fields.insert(key, v.to_string());
    }
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_block() {
        let h = parse("outlet: Caspian Courier\ndate: 2024-03-11\nRegion: south\n---\nBody text.");
        assert_eq!(h.lines, 4);
        assert_eq!(h.fields["outlet"], "Caspian Courier");
        assert_eq!(h.fields["region"], "south");
        assert!(h.warnings.is_empty());
    }

    #[test]
    fn headline_with_colon_is_not_a_header() {
        let h = parse("Lavrov: Russia ready to help\n\nBody --- with dashes\n---\nmore");
        assert_eq!(h.lines, 0);
        let h = parse(" date 2019-11-11 Lavrov: Russia ready\n---\n");
        assert_eq!(h.lines, 0);
    }

    #[test]
    fn unclosed_block_of_known_keys() {
        let h = parse("outlet: X\ndate: 2024-01-01\nThe article starts here.");
        assert_eq!(h.lines, 2);
        assert_eq!(h.warnings.len(), 1);
        assert!(h.warnings[0].1.contains("not closed"));
    }

    #[test]
    fn duplicate_keys_warn() {
        let h = parse("outlet: A\noutlet: B\n---\n");
        assert_eq!(h.fields["outlet"], "A");
        assert_eq!(h.warnings[0].0, 2);
    }
}
