//! The draws of generated data: [`rand`]'s Xoshiro256++ (a named, portable
//! algorithm, so a seed gives the same register on every platform and
//! version of the crate), one stream per supplier, so a supplier's data
//! does not depend on how many came before it.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{Rng as _, RngExt, SeedableRng};

#[derive(Debug)]
pub(super) struct Rng(Xoshiro256PlusPlus);

impl Rng {
    /// The stream of item `n` under `seed`.
    pub(super) fn new(seed: u64, n: u64) -> Rng {
        Rng(Xoshiro256PlusPlus::seed_from_u64(
            seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15),
        ))
    }

    pub(super) fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// 0 ≤ n < `bound`.
    pub(super) fn below(&mut self, bound: u64) -> u64 {
        self.0.random_range(0..bound.max(1))
    }

    /// `lo` ≤ n ≤ `hi`.
    pub(super) fn between(&mut self, lo: u64, hi: u64) -> u64 {
        self.0.random_range(lo..=hi.max(lo))
    }

    /// True `percent` times in a hundred.
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.0.random_range(0..items.len().max(1))]
    }

    /// An item chosen with the given weights.
    pub(super) fn weighted<T: Copy>(&mut self, items: &[(u64, T)]) -> T {
        let total: u64 = items.iter().map(|(w, _)| w).sum();
        let mut n = self.below(total);
        for (weight, item) in items {
            if n < *weight {
                return *item;
            }
            n -= weight;
        }
        items[0].1
    }
}
