//! micropay's strict Ed25519 check (`micropay_wallet::strict::verify_strict`) accepts exactly
//! what ed25519-dalek's `VerifyingKey::verify_strict` accepts.
//!
//! Random bytes almost never make a signature that verifies, so most inputs build one: a key
//! `[a]B + T` and an `R = [r]B + T'` for points `T`, `T'` of small order chosen by the input,
//! with `s = r + k·a`. The plain equation then holds whenever `T' = −[k]T`, one time in eight
//! or so, and the inputs reach every rule: keys and `R`s of small order (`a` or `r` zero), of
//! mixed order, canonical or not, with altered bytes.
#![no_main]

use arbitrary::Arbitrary;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use ed25519_dalek::{Signature, VerifyingKey};
use libfuzzer_sys::fuzz_target;
use micropay_wallet::strict::{SMALL_ORDER_ENCODINGS, verify_strict};
use sha2::{Digest, Sha512};

#[derive(Arbitrary, Debug)]
enum Input {
    /// Any bytes.
    Raw {
        key: [u8; 32],
        signature: [u8; 64],
        message: Vec<u8>,
    },
    /// A signature built to satisfy the plain equation often, then perhaps altered.
    Built {
        a: u64,
        key_torsion: u8,
        r: u64,
        r_torsion: u8,
        /// Adds ℓ to s (a non-canonical s that satisfies the same equation).
        s_plus_order: bool,
        /// A bit of the signature to flip.
        flip: Option<u16>,
        message: Vec<u8>,
    },
}

fn torsion(index: u8) -> EdwardsPoint {
    CompressedEdwardsY(SMALL_ORDER_ENCODINGS[usize::from(index % 8)])
        .decompress()
        .expect("a point")
}

/// The 32 bytes of `s + ℓ`, when that stays below 2^256.
fn plus_order(s: &Scalar) -> [u8; 32] {
    let l_minus_1 = (Scalar::ZERO - Scalar::ONE).to_bytes();
    let mut out = [0u8; 32];
    let mut carry = 1u16;
    for (i, byte) in out.iter_mut().enumerate() {
        let sum = u16::from(s.as_bytes()[i]) + u16::from(l_minus_1[i]) + carry;
        *byte = (sum & 0xff) as u8;
        carry = sum >> 8;
    }
    out
}

fn check(key: &VerifyingKey, message: &[u8], signature: &Signature) {
    assert_eq!(
        verify_strict(key, message, signature).is_ok(),
        key.verify_strict(message, signature).is_ok(),
        "{key:?} {signature:?} {message:?}"
    );
}

fuzz_target!(|input: Input| {
    match input {
        Input::Raw {
            key,
            signature,
            message,
        } => {
            if let Ok(key) = VerifyingKey::from_bytes(&key) {
                check(&key, &message, &Signature::from_bytes(&signature));
            }
        }
        Input::Built {
            a,
            key_torsion,
            r,
            r_torsion,
            s_plus_order,
            flip,
            message,
        } => {
            let a = Scalar::from(a);
            let r = Scalar::from(r);
            let key_bytes = (EdwardsPoint::mul_base(&a) + torsion(key_torsion)).compress();
            let Ok(key) = VerifyingKey::from_bytes(key_bytes.as_bytes()) else {
                return;
            };
            let r_bytes = (EdwardsPoint::mul_base(&r) + torsion(r_torsion)).compress();
            let k = Scalar::from_hash(
                Sha512::new()
                    .chain_update(r_bytes.as_bytes())
                    .chain_update(key_bytes.as_bytes())
                    .chain_update(&message),
            );
            let s = r + k * a;
            let s_bytes = if s_plus_order {
                plus_order(&s)
            } else {
                s.to_bytes()
            };
            let mut bytes = Signature::from_components(r_bytes.to_bytes(), s_bytes).to_bytes();
            if let Some(bit) = flip {
                let bit = usize::from(bit) % 512;
                bytes[bit / 8] ^= 1 << (bit % 8);
            }
            check(&key, &message, &Signature::from_bytes(&bytes));
        }
    }
});
