//! Seeded randomness: one independent stream per purpose and per account, so the data depends
//! only on (seed, anchor) and never on batch sizes, commit points or generation order.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// ChaCha8 is fast, portable and its output is fixed by its specification, so a seed means the
/// same workspace on every machine and every release of `rand_chacha`.
pub(crate) type DemoRng = ChaCha8Rng;

/// What a random stream is for; each purpose draws from its own stream.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Stream {
    Catalog = 1,
    Accounts = 2,
    People = 3,
    /// Which accepted leads and deals get calls, and each deal's story on the calls.
    CallStories = 4,
    /// The words of each call.
    CallScripts = 5,
}

/// The stream for `purpose` and `index` (an account's position, say) under `seed`.
pub(crate) fn stream(seed: u64, purpose: Stream, index: u64) -> DemoRng {
    ChaCha8Rng::seed_from_u64(hash(seed, purpose, index))
}

/// A well-mixed number for `purpose` and `index` under `seed`, for ordering things at random
/// without building a whole stream per item.
pub(crate) fn hash(seed: u64, purpose: Stream, index: u64) -> u64 {
    splitmix64(splitmix64(seed ^ ((purpose as u64) << 56)) ^ index)
}

/// SplitMix64's finaliser: neighbouring inputs give unrelated outputs.
fn splitmix64(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub(crate) fn chance(rng: &mut DemoRng, probability: f64) -> bool {
    rng.gen::<f64>() < probability
}

pub(crate) fn between(rng: &mut DemoRng, low: f64, high: f64) -> f64 {
    low + (high - low) * rng.gen::<f64>()
}

/// An exponentially distributed wait with the given mean: most waits are short, a few long,
/// which is how response times and sales cycles look.
pub(crate) fn exponential(rng: &mut DemoRng, mean: f64) -> f64 {
    -mean * (1.0 - rng.gen::<f64>()).ln()
}

pub(crate) fn pick<'a, T>(rng: &mut DemoRng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

/// An index drawn with the given (not necessarily normalised) weights. The tables are short,
/// so a linear scan beats building a cumulative table.
pub(crate) fn weighted(rng: &mut DemoRng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut target = rng.gen::<f64>() * total;
    for (index, weight) in weights.iter().enumerate() {
        if target < *weight {
            return index;
        }
        target -= weight;
    }
    weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_independent() {
        let draw = |seed, purpose, index| stream(seed, purpose, index).gen::<u64>();
        assert_eq!(draw(7, Stream::People, 3), draw(7, Stream::People, 3));
        assert_ne!(draw(7, Stream::People, 3), draw(7, Stream::People, 4));
        assert_ne!(draw(7, Stream::People, 3), draw(8, Stream::People, 3));
        assert_ne!(draw(7, Stream::People, 3), draw(7, Stream::Accounts, 3));
    }

    #[test]
    fn weighted_follows_the_weights() {
        let mut rng = stream(1, Stream::Catalog, 0);
        let mut counts = [0u32; 3];
        for _ in 0..10_000 {
            counts[weighted(&mut rng, &[1.0, 0.0, 3.0])] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!((2_300..2_700).contains(&counts[0]), "{counts:?}");
    }
}
