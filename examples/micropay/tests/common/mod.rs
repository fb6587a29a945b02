//! What the binary's process tests share.

use std::time::{SystemTime, UNIX_EPOCH};

/// A small xorshift generator; the seed is printed so that a failure can be replayed.
pub struct Rng(u64);

impl Rng {
    pub fn new() -> Rng {
        let seed = std::env::var("MICROPAY_KILL_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
                u64::try_from(nanos.as_nanos() % u128::from(u64::MAX)).unwrap() | 1
            });
        println!("kill test seed: MICROPAY_KILL_SEED={seed}");
        Rng(seed)
    }

    pub fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}
