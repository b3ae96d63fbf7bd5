//! Entity unification: maps spelling and transliteration variants of a name (Zohrab/Zograb,
//! Mamedyarov/Mammadyarov, Mariya/Maria, Karabakh/Karabah) to one canonical form, corpus-wide.
//! Consumes the folded, stemmed entity words of the whole corpus with their counts; produces a
//! variant → canonical map. It works word by word (a multi-word name unifies when each of its
//! words does) and deliberately does not resolve aliases that share no spelling ("Khankendi" and
//! "Stepanakert" stay two names: that choice is framing, which the lexicons score).
//!
//! Two words are variants when all of these hold:
//! - both have at least [`MIN_CHARS`] characters and the same first letter;
//! - their Jaro-Winkler similarity is at least [`MIN_JARO_WINKLER`];
//! - their transliteration skeletons ([`skeleton`]) are equal, or both have at least
//!   [`MIN_EDIT_CHARS`] characters and differ by one edit.
//!
//! The canonical form of a group is its most frequent spelling (ties: alphabetical). Words are
//! visited from most to least frequent, and each joins the first earlier canonical form it is
//! a variant of; so every variant is directly similar to its canonical form, and a chain
//! a ≈ b ≈ c never pulls `c` to `a` through `b`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Shortest word considered for unification (shorter names such as "Iran"/"Iraq" are too
/// easily confused).
pub const MIN_CHARS: usize = 4;
/// Shortest skeleton for which one edit is still a variant.
pub const MIN_EDIT_CHARS: usize = 5;
/// Minimum Jaro-Winkler similarity of the folded words.
pub const MIN_JARO_WINKLER: f64 = 0.85;

/// A transliteration skeleton: the folded word with common romanisation alternatives merged
/// (`kh`→`h`, `gh`→`g`, `zh`→`j`, `ph`→`f`, `w`→`v`, `y`→`i`, `ou`→`u`) and doubled letters
/// collapsed, so that "Mariya" and "Maria" or "Karabakh" and "Karabah" meet.
pub fn skeleton(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let (mapped, skip) = match (c, next) {
            ('k', Some('h')) => ('h', 2),
            ('g', Some('h')) => ('g', 2),
            ('z', Some('h')) => ('j', 2),
            ('p', Some('h')) => ('f', 2),
            ('o', Some('u')) => ('u', 2),
            ('w', _) => ('v', 1),
            ('y', _) => ('i', 1),
            _ => (c, 1),
        };
        if out.last() != Some(&mapped) {
            out.push(mapped);
        }
        i += skip;
    }
    out.into_iter().collect()
}

/// Whether two folded words are spelling variants of one name (see the module docs).
pub fn are_variants(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (ca, cb) = (a.chars().count(), b.chars().count());
    if ca < MIN_CHARS || cb < MIN_CHARS || a.chars().next() != b.chars().next() {
        return false;
    }
    if strsim::jaro_winkler(a, b) < MIN_JARO_WINKLER {
        return false;
    }
    let (sa, sb) = (skeleton(a), skeleton(b));
    if sa == sb {
        return true;
    }
    sa.chars().count().min(sb.chars().count()) >= MIN_EDIT_CHARS
        && strsim::levenshtein(&sa, &sb) <= 1
}

/// Keys that two skeletons within one edit of each other always share: the skeleton and each
/// one-character deletion of it (the symmetric-deletion trick), so candidate variants are found
/// without comparing every pair of words.
fn deletion_keys(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut keys = vec![s.to_string()];
    if chars.len() >= MIN_EDIT_CHARS {
        for i in 0..chars.len() {
            let k: String = chars[..i].iter().chain(&chars[i + 1..]).collect();
            keys.push(k);
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// Unifies entity words. `counts` holds each folded entity word and how often it occurs
/// capitalized in the corpus. Returns the words whose canonical form differs from themselves,
/// mapped to that form.
pub fn unify(counts: &BTreeMap<String, u32>) -> HashMap<String, String> {
    let mut order: Vec<(&String, u32)> = counts.iter().map(|(w, &c)| (w, c)).collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    // deletion key -> canonical words (by rank) that produce it.
    let mut index: HashMap<String, BTreeSet<usize>> = HashMap::new();
    let mut map = HashMap::new();
    for (i, (word, _)) in order.iter().enumerate() {
        if word.chars().count() < MIN_CHARS {
            continue;
        }
        let keys = deletion_keys(&skeleton(word));
        let mut candidates: BTreeSet<usize> = BTreeSet::new();
        for k in &keys {
            if let Some(set) = index.get(k) {
                candidates.extend(set.iter().copied());
            }
        }
        let canonical = candidates.into_iter().map(|r| order[r].0).find(|c| are_variants(c, word));
        match canonical {
            Some(c) => {
                map.insert((*word).clone(), c.clone());
            }
            None => {
                for k in keys {
                    index.entry(k).or_default().insert(i);
                }
            }
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(words: &[(&str, u32)]) -> BTreeMap<String, u32> {
        words.iter().map(|(w, c)| (w.to_string(), *c)).collect()
    }

    #[test]
    fn transliteration_variants_unify() {
        for (a, b) in [
            ("zohrab", "zograb"),
            ("mamedyarov", "mammadyarov"),
            ("mariya", "maria"),
            ("karabakh", "karabah"),
            ("aliyev", "aliev"),
        ] {
            assert!(are_variants(a, b), "{a} ~ {b}");
        }
    }

    #[test]
    fn different_names_stay_apart() {
        for (a, b) in [
            ("iran", "iraq"),
            ("austria", "australia"),
            ("lavrov", "zakharova"),
            ("baku", "bako"),
            ("moscow", "mosul"),
            ("georgia", "geneva"),
        ] {
            assert!(!are_variants(a, b), "{a} !~ {b}");
        }
    }

    #[test]
    fn canonical_is_most_frequent_then_alphabetical() {
        let m = unify(&counts(&[
            ("zohrab", 3),
            ("zograb", 1),
            ("maria", 2),
            ("mariya", 2),
            ("lavrov", 5),
        ]));
        assert_eq!(m.get("zograb").map(String::as_str), Some("zohrab"));
        assert_eq!(m.get("mariya").map(String::as_str), Some("maria"));
        assert!(!m.contains_key("zohrab") && !m.contains_key("maria") && !m.contains_key("lavrov"));
    }

    #[test]
    fn chains_do_not_pull_through_a_middle_word() {
        // "abcdefgh" ~ "abcdefgx"? and a third word two edits away joins neither through it.
        let m = unify(&counts(&[("mnatsakanyan", 4), ("mnatsakanian", 2), ("mnatsakanin", 1)]));
        assert_eq!(m.get("mnatsakanian").map(String::as_str), Some("mnatsakanyan"));
        // skeletons "mnatsakanian" vs "mnatsakanin" are one edit apart, but the canonical
        // "mnatsakanyan" is the only form it may join, and it does only if directly similar.
        if let Some(c) = m.get("mnatsakanin") {
            assert!(are_variants(c, "mnatsakanin"));
        }
    }
}
