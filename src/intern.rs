//! String interning: each distinct string kept once and numbered densely in order of first
//! sight. Keyness counts terms and story alignment compares documents by these numbers, not
//! by strings, which is what lets both hold large corpora. Numbers depend on the order in
//! which strings were seen, so nothing that reaches the output is ordered by them.

use rustc_hash::FxHashMap;

/// Strings to dense ids, from [`Interner::base`] on.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    ids: FxHashMap<Box<str>, u32>,
    strings: Vec<Box<str>>,
    base: u32,
}

impl Interner {
    /// An empty interner whose ids follow those of `before`, so that ids given by either
    /// never collide.
    pub fn after(before: &Interner) -> Interner {
        Interner { base: before.end(), ..Interner::default() }
    }

    /// The id of `s`, if it was interned.
    pub fn get(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    /// The id of `s`, interning it if it is new.
    pub fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        // u32::MAX stays free for callers to use as "none".
        let id = u32::try_from(self.strings.len())
            .ok()
            .and_then(|n| self.base.checked_add(n))
            .filter(|&id| id != u32::MAX)
            .expect("an interner holds fewer than 2^32 - 1 strings");
        self.strings.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }

    /// The first id this interner gives.
    pub fn base(&self) -> u32 {
        self.base
    }

    /// One past the last id given.
    pub fn end(&self) -> u32 {
        self.base + self.strings.len() as u32
    }

    /// The string of `id`. Panics on an id this interner did not give.
    pub fn string(&self, id: u32) -> &str {
        &self.strings[(id - self.base) as usize]
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    /// Whether no string was interned.
    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }

    /// The strings, by id.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.strings.iter().map(|s| &**s)
    }

    /// The strings, by id.
    pub fn into_strings(self) -> Vec<Box<str>> {
        self.strings
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
