//! A fast, non-cryptographic hasher for maps whose keys are long strings and paths.
//!
//! The standard `HashMap` hashes with SipHash, which resists hash flooding but costs about
//! two instructions a byte: on a corpus run, hashing script texts for the parse memo and
//! paths for the build-context cache was ~1.5 % of all instructions. These maps are keyed by
//! the user's own files, so flooding is not a concern. The mixing step is rustc's FxHash (a
//! rotate, a xor and a multiply per 8 bytes); the final rotation moves the well-mixed high bits
//! down to where hashbrown picks its buckets, as rustc-hash 2 does.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
/// A `HashSet` with [`FastHasher`].
pub type FastSet<T> = HashSet<T, BuildHasherDefault<FastHasher>>;

const SEED: u64 = 0xf135_7aea_2e62_a9c5;

#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher {
    hash: u64,
}

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.add(word.try_into().map_or(0, u64::from_le_bytes));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        self.hash.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn equal_keys_hash_equal_and_near_keys_differ() {
        let build = BuildHasherDefault::<FastHasher>::default();
        let texts = [
            "",
            "a",
            "apt-get update",
            "apt-get update ",
            "apt-get updatf",
        ];
        let hashes: Vec<u64> = texts.iter().map(|t| build.hash_one(t)).collect();
        for (i, text) in texts.iter().enumerate() {
            assert_eq!(build.hash_one(text), hashes[i]);
            for j in i + 1..texts.len() {
                assert_ne!(hashes[i], hashes[j], "{text:?} and {:?}", texts[j]);
            }
        }
    }

    #[test]
    fn maps_spread_keys_over_buckets() {
        // Paths that differ only in their last bytes must not pile up in a few buckets.
        let build = BuildHasherDefault::<FastHasher>::default();
        let buckets: FastSet<u64> = (0..4096)
            .map(|i| build.hash_one(format!("/work/corpus/repo/file-{i}")) & 4095)
            .collect();
        assert!(
            buckets.len() > 2000,
            "only {} of 4096 buckets used",
            buckets.len()
        );
    }
}
