//! Percentile bootstrap for the slant index, with a fixed-seed generator so that the same
//! input always gives the same interval. SplitMix64 is used rather than an external RNG
//! crate so that the stream (and every published interval) cannot change with a dependency
//! upgrade.

use rayon::prelude::*;

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and good enough for resampling.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

/// The increment of SplitMix64's state at each draw.
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The generator from `seed` after `draws` draws: its state only ever grows by the
    /// same constant, so any point of the stream is reached at once.
    pub fn after(seed: u64, draws: u64) -> Self {
        SplitMix64(seed.wrapping_add(draws.wrapping_mul(GAMMA)))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GAMMA);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform index below `n` (n > 0), by Lemire's multiply-shift.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

/// FNV-1a, to derive a per-group seed from its name.
pub fn seed_for(key: &str) -> u64 {
    crate::fnv1a(key.bytes())
}

/// Resamples: the bootstrap replicates of the statistic (even: they are drawn in pairs).
pub const REPLICATES: usize = 2000;

/// 95% percentile interval of the slant `(A - B) / (A + B)` over signed weights
/// (`+w` for the positive pole, `-w` for the negative), resampling the hits with replacement.
/// `None` when there are no hits.
pub fn slant_interval(signed: &[f64], seed: u64) -> Option<(f64, f64)> {
    if signed.is_empty() {
        return None;
    }
    // Resample in a canonical order: the interval is a function of which hits there are, not
    // of the order the documents were given in.
    let mut signed = signed.to_vec();
    signed.sort_by(f64::total_cmp);
    let n = signed.len();
    // Replicate `r` draws from where replicate `r - 1` stopped, so replicates run in
    // parallel and give what one generator drawing them in turn gives: on a large corpus
    // the bootstrap of the largest group would otherwise finish alone.
    // Two replicates at a time, each summed in its own order as before: four running sums
    // that do not wait on each other, where one replicate's two waited on every addition.
    let pairs: Vec<[f64; 2]> = (0..REPLICATES / 2)
        .into_par_iter()
        .with_min_len(REPLICATES / 32)
        .map(|pair| {
            let r = 2 * pair as u64;
            let mut a = SplitMix64::after(seed, r * n as u64);
            let mut b = SplitMix64::after(seed, (r + 1) * n as u64);
            let (mut num_a, mut den_a, mut num_b, mut den_b) = (0.0, 0.0, 0.0, 0.0);
            for _ in 0..n {
                let (x, y) = (signed[a.below(n)], signed[b.below(n)]);
                num_a += x;
                den_a += x.abs();
                num_b += y;
                den_b += y.abs();
            }
            [num_a / den_a, num_b / den_b]
        })
        .collect();
    let mut stats: Vec<f64> = pairs.into_iter().flatten().collect();
    stats.sort_by(f64::total_cmp);
    let at = |q: f64| stats[((q * (REPLICATES - 1) as f64).round() as usize).min(REPLICATES - 1)];
    Some((at(0.025), at(0.975)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_bounded() {
        let x = [1.0, 1.0, -1.0, 2.0, -0.5, 1.0];
        let a = slant_interval(&x, 7).unwrap();
        assert_eq!(a, slant_interval(&x, 7).unwrap());
        assert!(-1.0 <= a.0 && a.0 <= a.1 && a.1 <= 1.0);
        assert_eq!(slant_interval(&[1.0, 1.0], 1), Some((1.0, 1.0)));
        assert_eq!(slant_interval(&[], 1), None);
        let mut shuffled = x;
        shuffled.reverse();
        assert_eq!(slant_interval(&shuffled, 7), Some(a), "order of hits does not matter");
    }

    /// Replicates drawn in parallel from jumped generators equal one generator's draws.
    #[test]
    fn parallel_replicates_equal_one_stream() {
        let x = [1.0, -1.0, 0.5, 2.0, -0.25, 1.0, 0.1];
        let mut sorted = x.to_vec();
        sorted.sort_by(f64::total_cmp);
        let mut rng = SplitMix64::new(99);
        let mut stats: Vec<f64> = (0..REPLICATES)
            .map(|_| {
                let (mut num, mut den) = (0.0, 0.0);
                for _ in 0..sorted.len() {
                    let v = sorted[rng.below(sorted.len())];
                    num += v;
                    den += f64::abs(v);
                }
                num / den
            })
            .collect();
        stats.sort_by(f64::total_cmp);
        let at = |q: f64| stats[(q * (REPLICATES - 1) as f64).round() as usize];
        assert_eq!(slant_interval(&x, 99), Some((at(0.025), at(0.975))));
        let mut a = SplitMix64::new(5);
        (0..37).for_each(|_| {
            a.next_u64();
        });
        assert_eq!(a.next_u64(), SplitMix64::after(5, 37).next_u64());
    }

    #[test]
    fn below_is_in_range() {
        let mut r = SplitMix64::new(1);
        assert!((0..1000).all(|_| r.below(3) < 3));
    }
}
