//! Candidate generation: which pairs of items (documents or paragraphs) are worth scoring.
//! Consumes, per item, a short list of its most informative keys (term, entity and number
//! ids) and, optionally, its date; produces a sorted list of candidate pairs. It does not
//! score anything.
//!
//! Two items are candidates when they share at least one key in an inverted index and, for
//! dated items, lie within `max_days` of each other (each posting list is sorted by date and
//! only a sliding window of it is paired; undated items pair with the whole list). A key whose
//! list holds more than `max_postings` items around an item (within its date window) says
//! little about that item and is skipped for it, so the work per item is bounded: with `k` keys
//! per item and a cap of `c`, at most `k · c` pairs per item are looked at, and the total
//! grows linearly with the corpus rather than with its square.
//!
//! Requiring two shared keys rather than one (stories do) drops most pairs that meet by the
//! chance of one mid-frequency word.
//!
//! Near-duplicates far apart in time (a wire story re-run a year later) are found separately
//! by MinHash with banding over the items' term sets ([`near_duplicates`]).

use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// How candidates are blocked.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Blocking {
    /// Dated items further apart than this are never paired; `None` = no date blocking.
    pub max_days: Option<i64>,
    /// Skip a key for an item when more than this many items share it in its window.
    pub max_postings: usize,
    /// Pairs must share at least this many (uncrowded) keys.
    pub min_shared_keys: usize,
}

/// Candidate pairs `(a, b)`, `a < b`, sorted and deduplicated. `keys[i]` are item `i`'s
/// index keys; `days[i]` its date in days (ignored without `max_days`).
pub(crate) fn pairs(keys: &[Vec<u32>], days: &[Option<i64>], block: Blocking) -> Vec<(u32, u32)> {
    let mut postings: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for (i, ks) in keys.iter().enumerate() {
        for &k in ks {
            postings.entry(k).or_default().push(i as u32);
        }
    }
    let mut out: Vec<(u32, u32)> = Vec::new();
    let push = |out: &mut Vec<(u32, u32)>, a: u32, b: u32| {
        if a != b {
            out.push((a.min(b), a.max(b)));
        }
    };
    for list in postings.values() {
        if list.len() < 2 {
            continue;
        }
        let (mut dated, undated): (Vec<(i64, u32)>, Vec<u32>) = match block.max_days {
            None => (Vec::new(), list.clone()),
            Some(_) => {
                let mut dated = Vec::new();
                let mut undated = Vec::new();
                for &i in list {
                    match days[i as usize] {
                        Some(d) => dated.push((d, i)),
                        None => undated.push(i),
                    }
                }
                (dated, undated)
            }
        };
        if !undated.is_empty() && list.len() <= block.max_postings {
            for (x, &u) in undated.iter().enumerate() {
                for &v in &undated[x + 1..] {
                    push(&mut out, u, v);
                }
                for &(_, v) in &dated {
                    push(&mut out, u, v);
                }
            }
        }
        if dated.len() < 2 {
            continue;
        }
        let max_days = block.max_days.unwrap_or(i64::MAX);
        dated.sort_unstable();
        let day: Vec<i64> = dated.iter().map(|x| x.0).collect();
        let window: Vec<(usize, usize)> = day
            .iter()
            .map(|&d| {
                (
                    day.partition_point(|&x| x < d.saturating_sub(max_days)),
                    day.partition_point(|&x| x <= d.saturating_add(max_days)),
                )
            })
            .collect();
        let ok: Vec<bool> = window
            .iter()
            .map(|(lo, hi)| hi - lo - 1 + undated.len() <= block.max_postings)
            .collect();
        for i in 0..dated.len() {
            if !ok[i] {
                continue;
            }
            for j in i + 1..window[i].1 {
                if ok[j] {
                    push(&mut out, dated[i].1, dated[j].1);
                }
            }
        }
    }
    out.sort_unstable();
    // Each shared key pushed the pair once: keep pairs pushed often enough.
    let mut kept = Vec::with_capacity(out.len() / 2);
    let mut i = 0;
    while i < out.len() {
        let mut j = i + 1;
        while j < out.len() && out[j] == out[i] {
            j += 1;
        }
        if j - i >= block.min_shared_keys.max(1) {
            kept.push(out[i]);
        }
        i = j;
    }
    kept
}

/// A fixed 64-bit mixer (splitmix64), the MinHash hash family.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// MinHash bands and rows: 8 bands of 4 rows pair sets with Jaccard 0.7 with probability
/// 0.89 and 0.8 with 0.99, and sets with Jaccard 0.3 with probability 0.06.
const BANDS: usize = 8;
const ROWS: usize = 4;

/// Candidate near-duplicate pairs regardless of date: items whose term sets (`set(i)`, the
/// ids of item `i` of `n`) agree on every MinHash of at least one band. Buckets larger than
/// `max_bucket` are skipped.
pub(crate) fn near_duplicates<I: ExactSizeIterator<Item = u32> + Clone>(
    n: usize,
    set: impl Fn(usize) -> I + Sync,
    max_bucket: usize,
) -> Vec<(u32, u32)> {
    let seeds: Vec<u64> = (0..BANDS * ROWS).map(|r| mix(r as u64 + 1)).collect();
    // Band hashes of each item, in parallel; one pass over its set for all the MinHashes.
    let bands: Vec<Option<[u64; BANDS]>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let set = set(i);
            if set.len() < 5 {
                return None;
            }
            let mut min = [u64::MAX; BANDS * ROWS];
            for t in set {
                for (m, &seed) in min.iter_mut().zip(&seeds) {
                    *m = (*m).min(mix(u64::from(t) ^ seed));
                }
            }
            let mut out = [0u64; BANDS];
            for (band, h) in out.iter_mut().enumerate() {
                *h = band as u64;
                for row in 0..ROWS {
                    *h = mix(*h ^ min[band * ROWS + row]);
                }
            }
            Some(out)
        })
        .collect();
    let mut buckets: FxHashMap<(usize, u64), Vec<u32>> = FxHashMap::default();
    for (i, b) in bands.iter().enumerate() {
        for (band, &h) in b.iter().flatten().enumerate() {
            buckets.entry((band, h)).or_default().push(i as u32);
        }
    }
    let mut out = Vec::new();
    for list in buckets.values() {
        if list.len() < 2 || list.len() > max_bucket {
            continue;
        }
        for (x, &a) in list.iter().enumerate() {
            for &b in &list[x + 1..] {
                out.push((a.min(b), a.max(b)));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_keys_within_the_window_pair() {
        let keys = vec![vec![1, 2], vec![2, 3], vec![3], vec![1], vec![9]];
        let days = vec![Some(0), Some(3), Some(30), None, Some(1)];
        let got = pairs(
            &keys,
            &days,
            Blocking { max_days: Some(10), max_postings: 10, min_shared_keys: 1 },
        );
        // 0-1 share key 2 (3 days); 1-2 share key 3 but are 27 days apart; 3 is undated and
        // shares key 1 with 0; 4 shares nothing.
        assert_eq!(got, vec![(0, 1), (0, 3)]);
        let got =
            pairs(&keys, &days, Blocking { max_days: None, max_postings: 10, min_shared_keys: 1 });
        assert_eq!(got, vec![(0, 1), (0, 3), (1, 2)]);
        let got =
            pairs(&keys, &days, Blocking { max_days: None, max_postings: 10, min_shared_keys: 2 });
        assert!(got.is_empty());
    }

    #[test]
    fn crowded_keys_are_skipped() {
        // 50 items all share key 0; items 0 and 1 also share key 7.
        let mut keys: Vec<Vec<u32>> = (0..50).map(|_| vec![0]).collect();
        keys[0].push(7);
        keys[1].push(7);
        let days = vec![Some(5); 50];
        let got = pairs(
            &keys,
            &days,
            Blocking { max_days: Some(10), max_postings: 20, min_shared_keys: 1 },
        );
        assert_eq!(got, vec![(0, 1)]);
    }

    #[test]
    fn near_duplicates_are_found_across_time() {
        let base: Vec<u32> = (0..60).collect();
        let mut copy = base.clone();
        copy[59] = 1000;
        let other: Vec<u32> = (500..560).collect();
        let sets = [base, other, copy];
        let got = near_duplicates(sets.len(), |i| sets[i].iter().copied(), 10);
        assert_eq!(got, vec![(0, 2)]);
    }
}
