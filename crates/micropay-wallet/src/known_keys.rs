//! The buyers' public keys a verifier has already read, by their 32 bytes.
//!
//! A request names its buyer's key as the 32 bytes of a compressed curve point; reading them
//! means decompressing the point (a square root in the field), 4 µs, a tenth of the
//! `verify_strict` that follows. A wallet signs every purchase at one merchant with the key
//! it derives for that merchant's origin, so a merchant meets the same keys again and again:
//! a returning buyer's key is read once. The answer for given bytes never changes, so a
//! remembered key is exactly what reading the bytes again would give; only keys that read
//! as canonical are remembered.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use ed25519_dalek::VerifyingKey;

/// At most this many keys are remembered; when full, the table starts again empty (a server
/// with more distinct buyers than this between two clears pays the decompression again).
const CAPACITY: usize = 4096;

/// Keys read before, shared by the threads of a verifier.
#[derive(Debug, Default)]
pub(crate) struct KnownKeys {
    keys: Mutex<HashMap<[u8; 32], VerifyingKey>>,
}

impl KnownKeys {
    /// The key `bytes` encode, from the table or else from `read`, whose answer is kept when
    /// it is a key.
    pub(crate) fn get_or_read<E>(
        &self,
        bytes: [u8; 32],
        read: impl FnOnce() -> Result<VerifyingKey, E>,
    ) -> Result<VerifyingKey, E> {
        // A thread that panicked while holding the lock left the table as it was before or
        // after one insert: still sound.
        if let Some(key) = self.lock().get(&bytes) {
            return Ok(*key);
        }
        let key = read()?;
        let mut keys = self.lock();
        if keys.len() >= CAPACITY {
            keys.clear();
        }
        keys.insert(bytes, key);
        Ok(key)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], VerifyingKey>> {
        self.keys.lock().unwrap_or_else(PoisonError::into_inner)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    fn key(seed: u8) -> VerifyingKey {
        SigningKey::from_bytes(&[seed; 32]).verifying_key()
    }

    #[test]
    fn a_key_is_read_once_and_refusals_are_not_kept() {
        let known = KnownKeys::default();
        let bytes = key(1).to_bytes();
        let mut reads = 0;
        for _ in 0..3 {
            let got = known.get_or_read(bytes, || {
                reads += 1;
                Ok::<_, ()>(key(1))
            });
            assert_eq!(got, Ok(key(1)));
        }
        assert_eq!(reads, 1);
        assert_eq!(
            known.get_or_read([9; 32], || Err("not a key")),
            Err("not a key")
        );
        assert_eq!(known.len(), 1);
    }

    #[test]
    fn the_table_never_grows_past_its_capacity() {
        let known = KnownKeys::default();
        let k = key(2);
        for i in 0..=CAPACITY {
            let mut bytes = [0; 32];
            bytes[..8].copy_from_slice(&(i as u64).to_le_bytes());
            known.get_or_read(bytes, || Ok::<_, ()>(k)).unwrap();
        }
        assert!(known.len() <= CAPACITY);
        assert_eq!(known.len(), 1, "cleared when full, then the last one kept");
    }
}
