//! String interning: each distinct string kept once and numbered densely in order of first
//! sight. Keyness counts terms and story alignment compares documents by these numbers, not
//! by strings, which is what lets both hold large corpora. Numbers depend on the order in
//! which strings were seen, so nothing that reaches the output is ordered by them.

use hashbrown::HashTable;
use std::hash::{BuildHasher, BuildHasherDefault};

type Hasher = BuildHasherDefault<rustc_hash::FxHasher>;

/// Strings to dense ids, from [`Interner::base`] on. The strings sit end to end in one
/// buffer and the table holds only ids, so interning allocates nothing per string and
/// dropping an interner frees three buffers: keyness interns a fresh vocabulary for every
/// piece of every batch.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    /// Ids (less the base), found by the hash of their string.
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
        self.table.find(hash(s), |&i| self.local(i) == s).map(|&i| self.base + i)
    }

    /// The id of `s`, interning it if it is new.
    pub fn id(&mut self, s: &str) -> u32 {
        let h = hash(s);
        if let Some(&i) = self.table.find(h, |&i| self.local(i) == s) {
            return self.base + i;
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
        let Interner { table, text, ends, .. } = self;
        table.insert_unique(h, i, |&j| hash(string_at(text, ends, j)));
        id
    }

    /// Forgets every string, keeping the memory for the next ones.
    pub fn clear(&mut self) {
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
}
