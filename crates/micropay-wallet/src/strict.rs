//! The Ed25519 check of every signature this crate reads: exactly the signatures
//! ed25519-dalek's `VerifyingKey::verify_strict` accepts, without its second square root.
//!
//! `verify_strict` accepts a signature `(R, s)` of a message `M` under a key `A` when
//!
//! 1. `s` is canonical (below the group order ℓ);
//! 2. `R`'s bytes decode to a curve point;
//! 3. neither that point nor `A` is of small order (of order 1, 2, 4 or 8);
//! 4. the canonical encoding of `[s]B − [k]A`, with `k = SHA-512(R ‖ A ‖ M) mod ℓ`, is `R`'s
//!    bytes.
//!
//! It decodes `R` for 2 and 3: a square root in the field, about a seventh of the check
//! (docs/performance.md). That decoding is not needed. When 4 holds, `R`'s bytes are the
//! canonical encoding of a point, so 2 holds, and decoding them gives that point back; it is of
//! small order exactly when its bytes are the canonical encoding of one of the eight points of
//! small order, [`SMALL_ORDER_ENCODINGS`]. So [`verify_strict`] runs ed25519-dalek's
//! `hazmat::raw_verify`, which checks 1 and 4, tests `A` for small order as `verify_strict`
//! does, and compares `R`'s bytes with those eight. When 4 fails, both refuse.
//!
//! The tests below and the `ed25519_strict` fuzz target compare the two on every kind of
//! input: valid signatures, altered ones, small-order and mixed-order keys and `R`s, and
//! non-canonical encodings.

use ed25519_dalek::{Signature, SignatureError, VerifyingKey, hazmat};
use sha2::Sha512;

/// The canonical encodings of the eight points of small order: the torsion subgroup of
/// edwards25519, which has exactly eight elements (checked by the tests).
pub const SMALL_ORDER_ENCODINGS: [[u8; 32]; 8] = {
    // The y coordinate of the points of order 8, and p − y: the two encodings of each differ
    // in the sign bit of x (the top bit).
    const Y8: [u8; 32] = [
        0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67,
        0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac,
        0x03, 0x7a,
    ];
    const P_MINUS_Y8: [u8; 32] = [
        0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98,
        0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53,
        0xfc, 0x05,
    ];
    let mut identity = [0; 32];
    identity[0] = 1;
    // (0, −1): y = p − 1 = 2^255 − 20.
    let mut order_2 = [0xff; 32];
    order_2[0] = 0xec;
    order_2[31] = 0x7f;
    // (±√−1, 0).
    let order_4 = [0; 32];
    let mut order_4_negative = [0; 32];
    order_4_negative[31] = 0x80;
    let mut y8_negative = Y8;
    y8_negative[31] |= 0x80;
    let mut p_minus_y8_negative = P_MINUS_Y8;
    p_minus_y8_negative[31] |= 0x80;
    [
        identity,
        order_2,
        order_4,
        order_4_negative,
        Y8,
        y8_negative,
        P_MINUS_Y8,
        p_minus_y8_negative,
    ]
};

/// Checks `signature` on `message` under `key`: accepts exactly what
/// `key.verify_strict(message, signature)` accepts (no small-order key or `R`, no
/// non-canonical `s` or `R`), with one point decoding less.
pub fn verify_strict(
    key: &VerifyingKey,
    message: &[u8],
    signature: &Signature,
) -> Result<(), SignatureError> {
    hazmat::raw_verify::<Sha512>(key, message, signature)?;
    // Here R's bytes are the canonical encoding of [s]B − [k]A (rule 4 of the module's doc).
    if key.is_weak() || SMALL_ORDER_ENCODINGS.contains(signature.r_bytes()) {
        return Err(SignatureError::new());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::constants::ED25519_BASEPOINT_POINT as B;
    use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
    use curve25519_dalek::scalar::Scalar;
    use curve25519_dalek::traits::Identity as _;
    use ed25519_dalek::{Signer as _, SigningKey};
    use proptest::prelude::*;
    use sha2::Digest as _;

    fn point(bytes: &[u8; 32]) -> EdwardsPoint {
        CompressedEdwardsY(*bytes).decompress().unwrap()
    }

    /// Both checks give the same verdict; returns it.
    fn agree(key: &VerifyingKey, message: &[u8], signature: &Signature) -> bool {
        let ours = verify_strict(key, message, signature).is_ok();
        let dalek = key.verify_strict(message, signature).is_ok();
        assert_eq!(
            ours, dalek,
            "key {key:?}, message {message:?}, signature {signature:?}"
        );
        ours
    }

    /// `k = SHA-512(R ‖ A ‖ M) mod ℓ`.
    fn challenge(r: &[u8; 32], key: &[u8; 32], message: &[u8]) -> Scalar {
        Scalar::from_hash(
            Sha512::new()
                .chain_update(r)
                .chain_update(key)
                .chain_update(message),
        )
    }

    fn signature(r: [u8; 32], s: Scalar) -> Signature {
        Signature::from_components(r, s.to_bytes())
    }

    /// A key `A = [a]B + T` for a point `T` of small order, and its bytes.
    fn key_with_torsion(a: Scalar, torsion: &[u8; 32]) -> Option<VerifyingKey> {
        let bytes = (B * a + point(torsion)).compress().to_bytes();
        VerifyingKey::from_bytes(&bytes).ok()
    }

    /// `[k]T` for a point `T` of small order: `[k mod 8]T`, added up.
    fn torsion_multiple(t: &EdwardsPoint, k: &Scalar) -> EdwardsPoint {
        (0..k.as_bytes()[0] % 8).fold(EdwardsPoint::identity(), |sum, _| sum + t)
    }

    #[test]
    fn the_list_is_the_whole_torsion_subgroup() {
        let points: Vec<EdwardsPoint> = SMALL_ORDER_ENCODINGS.iter().map(point).collect();
        for (bytes, point) in SMALL_ORDER_ENCODINGS.iter().zip(&points) {
            assert!(point.is_small_order());
            assert_eq!(&point.compress().to_bytes(), bytes, "canonical");
        }
        for (i, p) in points.iter().enumerate() {
            for q in &points[i + 1..] {
                assert_ne!(p, q);
            }
        }
        // Eight distinct points of small order: all of them. They are also a group.
        for p in &points {
            for q in &points {
                assert!(points.contains(&(p + q)));
            }
        }
    }

    #[test]
    fn valid_signatures_are_accepted_and_altered_ones_refused() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let message = b"a purchase request";
        let good = key.sign(message);
        assert!(agree(&key.verifying_key(), message, &good));
        assert!(!agree(&key.verifying_key(), b"another request", &good));
        let mut bytes = good.to_bytes();
        bytes[40] ^= 1;
        assert!(!agree(
            &key.verifying_key(),
            message,
            &Signature::from_bytes(&bytes)
        ));
    }

    #[test]
    fn a_non_canonical_s_is_refused() {
        let key = SigningKey::from_bytes(&[4; 32]);
        let message = b"m";
        let good = key.sign(message);
        // s + ℓ satisfies the same equation; it is below 2^253 for most s.
        let l = Scalar::ZERO - Scalar::ONE;
        let mut s_plus_l = [0u8; 32];
        let mut carry = 1u16; // ℓ = (ℓ − 1) + 1
        let s = good.s_bytes();
        for i in 0..32 {
            let sum = u16::from(s[i]) + u16::from(l.as_bytes()[i]) + carry;
            s_plus_l[i] = (sum & 0xff) as u8;
            carry = sum >> 8;
        }
        let altered = Signature::from_components(*good.r_bytes(), s_plus_l);
        assert!(!agree(&key.verifying_key(), message, &altered));
    }

    #[test]
    fn an_r_of_small_order_that_satisfies_the_equation_is_refused() {
        // R = identity, s = k·a: [s]B − [k]A = identity, whose encoding is R. The plain
        // equation holds, so only the small-order rule refuses it.
        let key = SigningKey::from_bytes(&[5; 32]);
        let public = key.verifying_key();
        let a = key.to_scalar();
        let r = SMALL_ORDER_ENCODINGS[0];
        let message = b"forged";
        let s = challenge(&r, public.as_bytes(), message) * a;
        let forged = signature(r, s);
        assert!(hazmat::raw_verify::<Sha512>(&public, message, &forged).is_ok());
        assert!(!agree(&public, message, &forged));
    }

    #[test]
    fn a_key_of_small_order_is_refused() {
        for torsion in &SMALL_ORDER_ENCODINGS {
            let Ok(key) = VerifyingKey::from_bytes(torsion) else {
                continue;
            };
            // [s]B − [k]A with s = 0 is −[k]A, of small order: try messages until some R
            // of small order is its encoding, so that the plain equation holds.
            let fits = (0u8..=255).find_map(|n| {
                let message = [n];
                SMALL_ORDER_ENCODINGS.iter().find_map(|r| {
                    let k = challenge(r, key.as_bytes(), &message);
                    ((-torsion_multiple(&point(torsion), &k))
                        .compress()
                        .to_bytes()
                        == *r)
                        .then_some((message, signature(*r, Scalar::ZERO)))
                })
            });
            let (message, forged) = fits.expect("some R fits");
            assert!(hazmat::raw_verify::<Sha512>(&key, &message, &forged).is_ok());
            assert!(!agree(&key, &message, &forged));
        }
    }

    #[test]
    fn mixed_order_keys_and_rs_are_judged_alike() {
        // A = [a]B + T. With s = r + k·a, [s]B − [k]A = [r]B − [k]T: R = [r]B + T' for a T'
        // of small order, which fits when T' = −[k]T (tried message by message). With r ≠ 0
        // neither point is of small order and both checks accept; with r = 0 the R is of
        // small order and both refuse, though the plain equation holds.
        let a = Scalar::from(1234u64);
        // The points of order 8 and of order 4.
        for torsion in [&SMALL_ORDER_ENCODINGS[4], &SMALL_ORDER_ENCODINGS[2]] {
            let key = key_with_torsion(a, torsion).unwrap();
            for r in [Scalar::from(99u64), Scalar::ZERO] {
                let fits = (0u8..=255).find_map(|n| {
                    let message = [n];
                    let r_bytes = (EdwardsPoint::mul_base(&r) + point(torsion))
                        .compress()
                        .to_bytes();
                    let k = challenge(&r_bytes, key.as_bytes(), &message);
                    let sig = signature(r_bytes, r + k * a);
                    hazmat::raw_verify::<Sha512>(&key, &message, &sig)
                        .is_ok()
                        .then_some((message, sig))
                });
                let (message, sig) = fits.expect("one message in eight fits");
                assert_eq!(agree(&key, &message, &sig), r != Scalar::ZERO);
            }
        }
    }

    #[test]
    fn non_canonical_encodings_of_r_are_refused() {
        // y + p for the small y (0 .. 19) that have one: never what the check computes.
        let key = SigningKey::from_bytes(&[6; 32]);
        let good = key.sign(b"m");
        for y in 0u8..19 {
            let mut r = [0xff; 32];
            r[0] = 0xed + y;
            r[31] = 0x7f;
            let altered = Signature::from_components(r, *good.s_bytes());
            assert!(!agree(&key.verifying_key(), b"m", &altered));
        }
    }

    proptest! {
        #[test]
        fn agrees_with_verify_strict_on_signed_and_altered_inputs(
            seed in any::<[u8; 32]>(),
            message in proptest::collection::vec(any::<u8>(), 0..64),
            flip in proptest::option::of((0usize..64, 0u8..8)),
            torsion in 0usize..8,
        ) {
            let key = SigningKey::from_bytes(&seed);
            let mut signature = key.sign(&message).to_bytes();
            if let Some((byte, bit)) = flip {
                signature[byte] ^= 1 << bit;
            }
            let signature = Signature::from_bytes(&signature);
            agree(&key.verifying_key(), &message, &signature);
            // The same under a key with a small-order part, and with an R of small order.
            if let Some(mixed) = key_with_torsion(key.to_scalar(), &SMALL_ORDER_ENCODINGS[torsion]) {
                agree(&mixed, &message, &signature);
            }
            let forged = Signature::from_components(
                SMALL_ORDER_ENCODINGS[torsion],
                *signature.s_bytes(),
            );
            agree(&key.verifying_key(), &message, &forged);
        }

        #[test]
        fn agrees_with_verify_strict_on_any_bytes(
            key in any::<[u8; 32]>(),
            signature in proptest::collection::vec(any::<u8>(), 64),
            message in proptest::collection::vec(any::<u8>(), 0..16),
        ) {
            if let Ok(key) = VerifyingKey::from_bytes(&key) {
                let signature = Signature::from_slice(&signature).unwrap();
                agree(&key, &message, &signature);
            }
        }
    }
}
