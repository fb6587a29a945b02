//! Secrets and signing keys: the wallet's master secret, the per-merchant-origin keys derived
//! from it, and the merchant's own key with its key file.
//!
//! Every secret is wiped from memory when dropped and never appears in `Debug` output.
//!
//! A wallet signs each purchase request with a key derived from its master secret for the
//! request's merchant origin (HKDF-SHA256, see [`MasterSecret::origin_key`]), so two merchants
//! see two unrelated public keys and cannot link the same user's purchases by key.

use std::fmt;
use std::io::Write as _;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::canon::Writer;
use crate::error::{Error, fill_random};
use crate::files::{new_temp_for, persist_new};
use crate::origin::MerchantOrigin;

/// HKDF salt of the per-origin key derivation.
pub const ORIGIN_KEY_SALT: &str = "micropay/wallet/origin-key-salt/v1";
/// Domain tag of the HKDF info of the per-origin key derivation.
pub const ORIGIN_KEY_INFO_DOMAIN: &str = "micropay/wallet/origin-key/v1";
/// First line of a merchant key file, before the base64url seed.
const KEY_FILE_PREFIX: &str = "micropay-merchant-key-v1 ";

/// The wallet's 32-byte master secret, from which every signing key is derived.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct MasterSecret([u8; 32]);

impl MasterSecret {
    /// 32 fresh bytes from the operating system's random source.
    pub fn generate() -> Result<Self, Error> {
        let mut secret = MasterSecret([0; 32]);
        fill_random(&mut secret.0)?;
        Ok(secret)
    }

    /// A master secret from known bytes (restoring a backup, test vectors).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        MasterSecret(bytes)
    }

    /// The secret bytes, for storing them in the ledger.
    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The signing key for `origin`:
    /// `HKDF-SHA256(ikm = master secret, salt = ORIGIN_KEY_SALT,
    /// info = len-prefixed ORIGIN_KEY_INFO_DOMAIN || len-prefixed origin)`, 32 bytes of output
    /// used as the Ed25519 secret key.
    pub fn origin_key(&self, origin: &MerchantOrigin) -> OriginKey {
        let mut info = Writer::new(ORIGIN_KEY_INFO_DOMAIN);
        info.text(origin.as_str());
        let info = info.finish();
        let hkdf = Hkdf::<Sha256>::new(Some(ORIGIN_KEY_SALT.as_bytes()), &self.0);
        let mut okm = Zeroizing::new([0u8; 32]);
        hkdf.expand(&info, okm.as_mut())
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        OriginKey {
            origin: origin.clone(),
            key: SigningKey::from_bytes(&okm),
        }
    }
}

impl fmt::Debug for MasterSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterSecret(<redacted>)")
    }
}

/// A wallet's signing key for one merchant origin.
pub struct OriginKey {
    origin: MerchantOrigin,
    key: SigningKey,
}

impl OriginKey {
    /// The merchant origin this key is for.
    pub fn origin(&self) -> &MerchantOrigin {
        &self.origin
    }

    /// The public key the merchant sees.
    pub fn public_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    pub(crate) fn sign(&self, message: &[u8]) -> Signature {
        self.key.sign(message)
    }
}

impl fmt::Debug for OriginKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OriginKey")
            .field("origin", &self.origin)
            .field("public_key", &self.public_key())
            .finish_non_exhaustive()
    }
}

/// The merchant's signing key, which signs receipts.
pub struct MerchantKey {
    key: SigningKey,
}

impl MerchantKey {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> Result<Self, Error> {
        let mut seed = Zeroizing::new([0u8; 32]);
        fill_random(seed.as_mut())?;
        Ok(Self::from_seed(&seed))
    }

    /// The key whose 32-byte Ed25519 secret is `seed`.
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        MerchantKey {
            key: SigningKey::from_bytes(seed),
        }
    }

    /// The public key, which receipts carry and wallets check.
    pub fn public_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// Writes the key to a new file, readable by its owner only (mode 0600); refuses to
    /// overwrite an existing file. The file is written under a temporary name beside it and
    /// put in place complete, so a process killed meanwhile leaves no file or the whole key.
    /// Format: one line, `micropay-merchant-key-v1 <base64url of the 32-byte secret>`.
    pub fn save_new(&self, path: &Path) -> Result<(), Error> {
        let mut temp = new_temp_for(path)?;
        let mut line = Zeroizing::new(String::from(KEY_FILE_PREFIX));
        URL_SAFE_NO_PAD.encode_string(self.key.as_bytes(), &mut line);
        line.push('\n');
        temp.write_all(line.as_bytes())
            .map_err(|e| Error::io("write", path, e))?;
        persist_new(temp, path)
    }

    /// Reads a key written by [`MerchantKey::save_new`]. Reads no more than a key file can
    /// hold, whatever the path names (a device such as `/dev/zero` never ends).
    pub fn load(path: &Path) -> Result<Self, Error> {
        // The prefix, 43 characters of base64url and a line feed; a little more is read to
        // tell a longer file.
        const MOST: usize = 128;
        // Room for all of it, so that reading never moves the secret to a larger buffer.
        let mut text = Zeroizing::new(String::with_capacity(MOST + 1));
        std::fs::File::open(path)
            .and_then(|file| {
                std::io::Read::read_to_string(
                    &mut std::io::Read::take(file, MOST as u64),
                    &mut text,
                )
            })
            .map_err(|e| Error::io("read", path, e))?;
        let bad = |reason| Error::KeyFile {
            path: path.to_owned(),
            reason,
        };
        let encoded = text
            .strip_prefix(KEY_FILE_PREFIX)
            .and_then(|rest| rest.strip_suffix('\n'))
            .ok_or_else(|| bad("expected one line `micropay-merchant-key-v1 <secret>`"))?;
        let seed = Zeroizing::new(
            URL_SAFE_NO_PAD
                .decode(encoded)
                .map_err(|_| bad("the secret is not base64url"))?,
        );
        let seed: &[u8; 32] = seed
            .as_slice()
            .try_into()
            .map_err(|_| bad("the secret is not 32 bytes"))?;
        Ok(Self::from_seed(seed))
    }

    pub(crate) fn sign(&self, message: &[u8]) -> Signature {
        self.key.sign(message)
    }
}

impl fmt::Debug for MerchantKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MerchantKey")
            .field("public_key", &self.public_key())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(text: &str) -> MerchantOrigin {
        MerchantOrigin::parse(text).unwrap()
    }

    #[test]
    fn derivation_is_deterministic_and_separates_origins() {
        let master = MasterSecret::from_bytes([7; 32]);
        let a = master.origin_key(&origin("https://a.example"));
        let a_again = MasterSecret::from_bytes([7; 32]).origin_key(&origin("https://a.example"));
        let b = master.origin_key(&origin("https://b.example"));
        let a_http = master.origin_key(&origin("http://a.example"));
        let other = MasterSecret::from_bytes([8; 32]).origin_key(&origin("https://a.example"));
        assert_eq!(a.public_key(), a_again.public_key());
        for different in [&b, &a_http, &other] {
            assert_ne!(a.public_key(), different.public_key());
        }
    }

    #[test]
    fn generated_secrets_differ() {
        let a = MasterSecret::generate().unwrap();
        let b = MasterSecret::generate().unwrap();
        assert_ne!(a.0, b.0);
    }

    #[test]
    fn debug_never_prints_secrets() {
        let master = MasterSecret::from_bytes([0xAB; 32]);
        let printed = format!("{master:?}");
        assert!(!printed.contains("171") && !printed.to_lowercase().contains("ab, "));
        let key = master.origin_key(&origin("https://a.example"));
        let printed = format!("{key:?}");
        assert!(printed.contains("https://a.example"));
        let merchant = MerchantKey::from_seed(&[0xCD; 32]);
        let printed = format!("{merchant:?}");
        assert!(!printed.contains("205"), "{printed}");
    }

    #[test]
    fn key_file_round_trip_mode_and_no_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("merchant.key");
        let key = MerchantKey::generate().unwrap();
        key.save_new(&path).unwrap();
        assert_eq!(
            MerchantKey::load(&path).unwrap().public_key(),
            key.public_key()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let other = MerchantKey::generate().unwrap();
        assert!(matches!(
            other.save_new(&path),
            Err(Error::AlreadyExists(_))
        ));
        assert_eq!(
            MerchantKey::load(&path).unwrap().public_key(),
            key.public_key()
        );
    }

    #[test]
    fn malformed_key_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for (name, content) in [
            ("empty", ""),
            ("prefix", "some-other-key AAAA\n"),
            ("short", "micropay-merchant-key-v1 AAAA\n"),
            (
                "no-newline",
                "micropay-merchant-key-v1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            ),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, content).unwrap();
            assert!(
                matches!(MerchantKey::load(&path), Err(Error::KeyFile { .. })),
                "{name}"
            );
        }
    }
}
