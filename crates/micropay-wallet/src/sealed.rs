//! The master secret at rest under a passphrase: Argon2id (RFC 9106) derives a 32-byte key
//! from the passphrase and a random salt, and XChaCha20-Poly1305 seals the secret under it.
//! docs/wallet.md gives the format and the threat model.
//!
//! Sealed form, 102 bytes, integers big-endian:
//!
//! | offset | bytes | field |
//! |---|---|---|
//! | 0 | 1 | format version, 1 |
//! | 1 | 1 | key derivation: 1 = Argon2id, version 0x13 |
//! | 2 | 4 | Argon2 memory, KiB |
//! | 6 | 4 | Argon2 passes |
//! | 10 | 4 | Argon2 lanes |
//! | 14 | 16 | salt |
//! | 30 | 24 | XChaCha20-Poly1305 nonce |
//! | 54 | 48 | the 32-byte secret sealed, then the 16-byte tag |
//!
//! The associated data is [`SEALED_DOMAIN`] followed by bytes 0..54, so no parameter, salt or
//! nonce can be changed without the tag failing. The parameters are stored so that a later
//! build with stronger defaults still opens older ledgers; a new seal always uses
//! [`KdfParams::DEFAULT`].

use std::fmt;

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::error::{Error, fill_random};
use crate::keys::MasterSecret;

/// Domain tag at the head of the associated data of a sealed master secret.
pub const SEALED_DOMAIN: &str = "micropay/wallet/sealed-master-secret/v1";
const FORMAT_VERSION: u8 = 1;
const KDF_ARGON2ID_13: u8 = 1;
const HEADER_LEN: usize = 54;
const SEALED_LEN: usize = HEADER_LEN + 32 + 16;

/// A passphrase, wiped from memory when dropped and never printed by `Debug`.
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// The passphrase `text` (used as its UTF-8 bytes, exactly).
    pub fn new(text: impl Into<String>) -> Self {
        Passphrase(Zeroizing::new(text.into()))
    }

    /// Whether it is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether both are the same text (to check a passphrase typed twice).
    pub fn same_as(&self, other: &Passphrase) -> bool {
        self.0 == other.0
    }

    fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

/// Argon2id's cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KdfParams {
    /// Memory, KiB.
    memory_kib: u32,
    /// Passes over the memory.
    passes: u32,
    /// Lanes.
    lanes: u32,
}

impl KdfParams {
    /// RFC 9106 §4, the second recommended option: 64 MiB, 3 passes, 4 lanes.
    pub(crate) const DEFAULT: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        passes: 3,
        lanes: 4,
    };

    /// The most a stored seal may ask for (1 GiB, 64 passes, 64 lanes), so that a ledger
    /// cannot make opening it cost unbounded memory or time.
    const MAX: KdfParams = KdfParams {
        memory_kib: 1024 * 1024,
        passes: 64,
        lanes: 64,
    };

    /// What this crate's own unit tests seal with (256 KiB, 1 pass, 1 lane); nothing else
    /// can choose it: every seal of a build outside `cargo test` of this crate uses
    /// [`KdfParams::DEFAULT`].
    #[cfg(test)]
    const FOR_UNIT_TESTS: KdfParams = KdfParams {
        memory_kib: 256,
        passes: 1,
        lanes: 1,
    };

    /// The parameters of a new seal.
    fn for_new_seal() -> KdfParams {
        #[cfg(test)]
        return KdfParams::FOR_UNIT_TESTS;
        #[cfg(not(test))]
        KdfParams::DEFAULT
    }

    /// The 32-byte key for `passphrase` and `salt`.
    fn derive(self, passphrase: &Passphrase, salt: &[u8]) -> Result<Zeroizing<[u8; 32]>, Error> {
        let params = Params::new(self.memory_kib, self.passes, self.lanes, Some(32))
            .map_err(|e| Error::Corrupt(format!("the passphrase parameters are unusable: {e}")))?;
        let mut key = Zeroizing::new([0u8; 32]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(passphrase.as_bytes(), salt, key.as_mut())
            .map_err(|e| Error::Corrupt(format!("the passphrase key cannot be derived: {e}")))?;
        Ok(key)
    }
}

/// The associated data of a seal with `header`.
fn associated_data(header: &[u8]) -> Vec<u8> {
    [SEALED_DOMAIN.as_bytes(), header].concat()
}

/// `secret` sealed under `passphrase`, with a fresh salt and nonce.
pub(crate) fn seal(secret: &MasterSecret, passphrase: &Passphrase) -> Result<Vec<u8>, Error> {
    let params = KdfParams::for_new_seal();
    let mut header = Vec::with_capacity(SEALED_LEN);
    header.push(FORMAT_VERSION);
    header.push(KDF_ARGON2ID_13);
    for value in [params.memory_kib, params.passes, params.lanes] {
        header.extend_from_slice(&value.to_be_bytes());
    }
    let mut salt = [0u8; 16];
    fill_random(&mut salt)?;
    header.extend_from_slice(&salt);
    let mut nonce = [0u8; 24];
    fill_random(&mut nonce)?;
    header.extend_from_slice(&nonce);
    let key = params.derive(passphrase, &salt)?;
    let cipher = XChaCha20Poly1305::new_from_slice(key.as_ref())
        .map_err(|_| Error::Corrupt("a 32-byte key was refused".into()))?;
    let sealed = cipher
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: secret.as_bytes(),
                aad: &associated_data(&header),
            },
        )
        .map_err(|_| Error::Corrupt("the master secret could not be sealed".into()))?;
    header.extend_from_slice(&sealed);
    Ok(header)
}

/// The master secret `sealed` holds, opened with `passphrase`.
pub(crate) fn unseal(sealed: &[u8], passphrase: &Passphrase) -> Result<MasterSecret, Error> {
    let corrupt = |why: &str| Error::Corrupt(format!("the sealed master secret {why}"));
    if sealed.len() != SEALED_LEN {
        return Err(corrupt("has the wrong length"));
    }
    if sealed[0] != FORMAT_VERSION || sealed[1] != KDF_ARGON2ID_13 {
        return Err(corrupt("is of an unknown format"));
    }
    let number = |at: usize| u32::from_be_bytes(sealed[at..at + 4].try_into().expect("4 bytes"));
    let params = KdfParams {
        memory_kib: number(2),
        passes: number(6),
        lanes: number(10),
    };
    if params.memory_kib > KdfParams::MAX.memory_kib
        || params.passes > KdfParams::MAX.passes
        || params.lanes > KdfParams::MAX.lanes
    {
        return Err(corrupt("asks for more than 1 GiB, 64 passes or 64 lanes"));
    }
    let (header, body) = sealed.split_at(HEADER_LEN);
    let nonce: [u8; 24] = header[30..54].try_into().expect("24 bytes");
    let key = params.derive(passphrase, &header[14..30])?;
    let cipher = XChaCha20Poly1305::new_from_slice(key.as_ref())
        .map_err(|_| Error::Corrupt("a 32-byte key was refused".into()))?;
    let opened = Zeroizing::new(
        cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: body,
                    aad: &associated_data(header),
                },
            )
            .map_err(|_| Error::WrongPassphrase)?,
    );
    let bytes: [u8; 32] = opened
        .as_slice()
        .try_into()
        .map_err(|_| corrupt("is not 32 bytes"))?;
    Ok(MasterSecret::from_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seal_opens_with_its_passphrase_only() {
        let secret = MasterSecret::from_bytes([9; 32]);
        let passphrase = Passphrase::new("correct horse");
        let sealed = seal(&secret, &passphrase).unwrap();
        assert_eq!(sealed.len(), SEALED_LEN);
        assert_eq!(
            unseal(&sealed, &passphrase).unwrap().as_bytes(),
            secret.as_bytes()
        );
        assert!(matches!(
            unseal(&sealed, &Passphrase::new("correct horse ")),
            Err(Error::WrongPassphrase)
        ));
        // Fresh salt and nonce each time.
        assert_ne!(seal(&secret, &passphrase).unwrap(), sealed);
        // Any changed byte fails: the header is authenticated, the body is the ciphertext.
        for at in 0..sealed.len() {
            let mut altered = sealed.clone();
            altered[at] ^= 1;
            assert!(unseal(&altered, &passphrase).is_err(), "byte {at}");
        }
        assert!(matches!(
            unseal(&sealed[1..], &passphrase),
            Err(Error::Corrupt(_))
        ));
    }

    #[test]
    fn stored_parameters_are_bounded_and_the_default_is_rfc_9106() {
        assert_eq!(
            KdfParams::DEFAULT,
            KdfParams {
                memory_kib: 65536,
                passes: 3,
                lanes: 4
            }
        );
        let passphrase = Passphrase::new("p");
        let mut sealed = seal(&MasterSecret::from_bytes([1; 32]), &passphrase).unwrap();
        sealed[2..6].copy_from_slice(&(4 * 1024 * 1024u32).to_be_bytes());
        assert!(matches!(
            unseal(&sealed, &passphrase),
            Err(Error::Corrupt(_))
        ));
        assert_eq!(format!("{passphrase:?}"), "Passphrase(<redacted>)");
    }
}
