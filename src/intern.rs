//! String interning: each distinct string kept once and numbered densely in order of first
//! sight. Keyness counts terms and story alignment compares documents by these numbers, not
//! by strings, which is what lets both hold large corpora. Numbers depend on the order in
//! which strings were seen, so nothing that reaches the output is ordered by them.

use hashbrown::HashTable;
use std::hash::{BuildHasher, BuildHasherDefault};

type Hasher = BuildHasherDefault<rustc_hash::FxHasher>;

/// Strings to dense ids, from [`Interner::base`] on. The strings sit end to end in one
/// buffer and the tables hold only ids and short keys, so interning allocates nothing per
/// string and dropping an interner frees five buffers: keyness interns a fresh vocabulary
/// for every piece of every batch.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    /// Strings of at most eight bytes (most words of prose), by their bytes packed into one
    /// integer: a lookup compares the key in the table instead of following an id to the
    /// string's end and then to its text, two reads that miss the cache in a large table.
    short: HashTable<Short>,
    /// Strings of nine to sixteen bytes the same way, by their first and last eight bytes.
    medium: HashTable<Medium>,
    /// Ids (less the base) of the longer strings, found by the hash of their string.
    table: HashTable<u32>,
    /// Every string, end to end.
    text: String,
    /// Where each string ends in `text`, by id less the base.
    ends: Vec<u32>,
    base: u32,
}

fn hash(s: &str) -> u64 {
    Hasher::default().hash_one(s)
}

/// A string of one to eight bytes in [`Interner::short`]: its bytes, its length (which
/// tells "a" from "a\0") and its id less the base.
#[derive(Debug, Clone, Copy)]
struct Short {
    key: u64,
    len: u8,
    id: u32,
}

/// The key of a string of one to eight bytes: its bytes, first byte lowest, zero above.
/// Two or three overlapping loads cover every length without a loop or a copy.
fn short_key(b: &[u8]) -> u64 {
    let n = b.len();
    debug_assert!((1..=8).contains(&n));
    if n >= 4 {
        let four =
            |at: usize| u64::from(u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]));
        four(0) | (four(n - 4) << (8 * (n - 4)))
    } else {
        u64::from(b[0])
            | (u64::from(b[n / 2]) << (8 * (n / 2)))
            | (u64::from(b[n - 1]) << (8 * (n - 1)))
    }
}

fn short_hash(key: u64, len: usize) -> u64 {
    Hasher::default().hash_one(key ^ ((len as u64) << 59))
}

/// A string of nine to sixteen bytes in [`Interner::medium`]: its first and last eight
/// bytes (overlapping below sixteen), which with its length tell it apart, and its id less
/// the base. Kept apart from [`Short`] so that the table of the commonest words stays small.
#[derive(Debug, Clone, Copy)]
struct Medium {
    key: (u64, u64),
    len: u8,
    id: u32,
}

fn medium_key(b: &[u8]) -> (u64, u64) {
    use crate::text::fast::swar::load;
    debug_assert!((9..=16).contains(&b.len()));
    (load(b, 0), load(b, b.len() - 8))
}

fn medium_hash(key: (u64, u64), len: usize) -> u64 {
    Hasher::default().hash_one((key.0, key.1 ^ ((len as u64) << 59)))
}

/// How a string is looked up: by its short key ([`short_key`], its length and their hash)
/// when it has one to eight bytes, by the hash of its text otherwise. Computed once per
/// call, for the lookup and for the insertion that may follow.
enum Key {
    Short(u64, u8, u64),
    Medium((u64, u64), u8, u64),
    Long(u64),
}

fn key_of(s: &str) -> Key {
    let n = s.len();
    match n {
        1..=8 => {
            let key = short_key(s.as_bytes());
            Key::Short(key, n as u8, short_hash(key, n))
        }
        9..=16 => {
            let key = medium_key(s.as_bytes());
            Key::Medium(key, n as u8, medium_hash(key, n))
        }
        _ => Key::Long(hash(s)),
    }
}

/// String `i` of strings laid end to end in `text`, string `k` ending at `ends[k]`.
fn string_at<'t>(text: &'t str, ends: &[u32], i: u32) -> &'t str {
    let i = i as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &text[start..ends[i] as usize]
}

impl Interner {
    /// An empty interner whose ids follow those of `before`, so that ids given by either
    /// never collide.
    pub fn after(before: &Interner) -> Interner {
        Interner { base: before.end(), ..Interner::default() }
    }

    /// The string of a local index (an id less the base).
    fn local(&self, i: u32) -> &str {
        string_at(&self.text, &self.ends, i)
    }

    /// The id of `s`, if it was interned.
    pub fn get(&self, s: &str) -> Option<u32> {
        self.find(s, &key_of(s))
    }

    fn find(&self, s: &str, key: &Key) -> Option<u32> {
        let i = match *key {
            Key::Short(key, len, h) => self.short.find(h, |e| e.key == key && e.len == len)?.id,
            Key::Medium(key, len, h) => self.medium.find(h, |e| e.key == key && e.len == len)?.id,
            Key::Long(h) => *self.table.find(h, |&i| self.local(i) == s)?,
        };
        Some(self.base + i)
    }

    /// The id of `s`, interning it if it is new.
    pub fn id(&mut self, s: &str) -> u32 {
        let key = key_of(s);
        if let Some(id) = self.find(s, &key) {
            return id;
        }
        // u32::MAX stays free for callers to use as "none"; the buffer's offsets are u32.
        let id = u32::try_from(self.ends.len())
            .ok()
            .and_then(|n| self.base.checked_add(n))
            .filter(|&id| id != u32::MAX)
            .expect("an interner holds fewer than 2^32 - 1 strings");
        self.text.push_str(s);
        let end = u32::try_from(self.text.len()).expect("an interner holds under 4 GB of text");
        let i = self.ends.len() as u32;
        self.ends.push(end);
        match key {
            Key::Short(key, len, h) => {
                let entry = Short { key, len, id: i };
                self.short.insert_unique(h, entry, |e| short_hash(e.key, e.len.into()));
            }
            Key::Medium(key, len, h) => {
                let entry = Medium { key, len, id: i };
                self.medium.insert_unique(h, entry, |e| medium_hash(e.key, e.len.into()));
            }
            Key::Long(h) => {
                let Interner { table, text, ends, .. } = self;
                table.insert_unique(h, i, |&j| hash(string_at(text, ends, j)));
            }
        }
        id
    }

    /// Forgets every string, keeping the memory for the next ones.
    pub fn clear(&mut self) {
        self.short.clear();
        self.medium.clear();
        self.table.clear();
        self.text.clear();
        self.ends.clear();
    }

    /// The first id this interner gives.
    pub fn base(&self) -> u32 {
        self.base
    }

    /// One past the last id given.
    pub fn end(&self) -> u32 {
        self.base + self.ends.len() as u32
    }

    /// The string of `id`. Panics on an id this interner did not give.
    pub fn string(&self, id: u32) -> &str {
        self.local(id - self.base)
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether no string was interned.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The strings, by id.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len() as u32).map(|i| self.local(i))
    }

    /// The strings, by id.
    pub fn into_strings(self) -> Vec<Box<str>> {
        self.iter().map(Box::from).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_dense_in_order_of_first_sight_and_follow_a_base() {
        let mut a = Interner::default();
        assert_eq!((a.id("occupied"), a.id("liberated"), a.id("occupied")), (0, 1, 0));
        assert_eq!((a.get("liberated"), a.get("freed")), (Some(1), None));
        let mut b = Interner::after(&a);
        assert_eq!((b.base(), b.id("freed"), b.end()), (2, 2, 3));
        assert_eq!((b.string(2), a.string(1)), ("freed", "liberated"));
        assert_eq!(a.iter().collect::<Vec<_>>(), ["occupied", "liberated"]);
        assert_eq!(&*b.into_strings(), [Box::from("freed")]);
    }

    #[test]
    fn short_keys_tell_every_length_and_byte_apart() {
        let words = [
            "a",
            "a\0",
            "\0a",
            "ab",
            "ba",
            "abc",
            "abcd",
            "abcde",
            "abcdefgh",
            "abcdefghi",
            "abcdefghi\0",
            "\0abcdefghi",
            "abcdefghijklmnop",
            "abcdefghijklmnopq",
            "bbcdefghijklmnop",
            "abcdefghijklmnoq",
        ];
        let mut i = Interner::default();
        let ids: Vec<u32> = words.iter().map(|w| i.id(w)).collect();
        assert_eq!(ids, (0..words.len() as u32).collect::<Vec<_>>());
        for (w, id) in words.iter().zip(ids) {
            assert_eq!((i.get(w), i.string(id)), (Some(id), *w));
        }
        assert_eq!((i.get(""), i.get("abcdefg"), i.get("abcdefghij")), (None, None, None));
        assert_eq!((i.get("abcdefghijklmno"), i.get("abcdefghijklmnopqr")), (None, None));
    }

    proptest::proptest! {
        /// Against a hash map of the strings: the same ids, whatever the lengths and bytes,
        /// and cleared means empty.
        #[test]
        fn ids_match_a_map(words in proptest::collection::vec("[ab\\x00é]{0,19}", 0..200)) {
            let mut i = Interner::default();
            let mut map = std::collections::HashMap::new();
            for w in &words {
                let next = map.len() as u32;
                let want = *map.entry(w.clone()).or_insert(next);
                proptest::prop_assert_eq!(i.get(w).unwrap_or(next), want);
                proptest::prop_assert_eq!(i.id(w), want);
                proptest::prop_assert_eq!(i.string(want), w.as_str());
            }
            i.clear();
            proptest::prop_assert!(words.iter().all(|w| i.get(w).is_none()));
        }
    }
}
