//! Handing the signature check to a faster engine (the browser's WebCrypto Ed25519) without
//! changing a single verdict.
//!
//! [`Opener::prepare`] does everything [`Opener::open`] does except the curve arithmetic, and
//! [`Opener::finish`] completes an envelope with an engine's verdict. `ed25519-dalek`'s
//! `verify_strict` — the rule of `docs/protocol.md` — accepts exactly when
//!
//! 1. `S` is canonical (`S < L`),
//! 2. `A` decodes to a point and is not of small order,
//! 3. `R` decodes to a point and is not of small order,
//! 4. the encoding of `[S]B − [k]A`, with `k = SHA-512(R ‖ A ‖ M)`, equals the bytes of `R`.
//!
//! An engine that implements RFC 8032 §5.1.7 without the cofactor (as BoringSSL, behind
//! Chromium's WebCrypto, does) checks 1, that `A` decodes, and 4. Checks 2 and 3 are done
//! here from the bytes alone ([`is_small_order_encoding`]: every encoding of a small-order
//! point, canonical or not, with either sign bit); anything they flag goes to
//! `verify_strict`. So "the engine accepts and the checks
//! here pass" is exactly `verify_strict`. Whatever the engine rejects, or anything that fails
//! a check here, is decided by `verify_strict` itself — a slow path only bad events take.
//!
//! Engines differ (cofactored equations, missing `S < L` checks), so an engine is used only
//! after it passed [`engine_probes`]: an honest signature it must accept, and a cofactored-only
//! signature, a non-canonical `S` and a wrong message it must reject.

use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use ed25519_dalek::{Signer as _, SigningKey};
use sha2::{Digest, Sha512};

use crate::envelope::signing_message;
pub use crate::envelope::strict::{canonical_s, is_small_order_encoding, SMALL_ORDER_ENCODINGS};
use crate::id::decode_hex;

/// One test an engine must pass before it is trusted with verdicts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    /// What it tests.
    pub name: &'static str,
    /// The public key.
    pub key: [u8; 32],
    /// The signed bytes (context and body, as for an event).
    pub message: Vec<u8>,
    /// The signature.
    pub sig: [u8; 64],
    /// What `verify_strict` says, and so what the engine must say.
    pub valid: bool,
}

/// The probes: an honest signature, and three an RFC 8032 cofactorless engine with the
/// `S < L` check rejects but laxer engines accept.
pub fn engine_probes() -> Vec<Probe> {
    let seed = [7u8; 32];
    let key = SigningKey::from_bytes(&seed);
    let public = key.verifying_key().to_bytes();
    let message = signing_message(br#"{"probe":"linli"}"#);
    let honest = key.sign(&message).to_bytes();

    // The secret scalar `a` and a nonce `r`, to build a signature by hand.
    let h = Sha512::digest(seed);
    let mut a_bytes = [0u8; 32];
    a_bytes.copy_from_slice(&h[..32]);
    a_bytes[0] &= 248;
    a_bytes[31] &= 127;
    a_bytes[31] |= 64;
    let a = Scalar::from_bytes_mod_order(a_bytes);
    let r = Scalar::from_bytes_mod_order_wide(&Sha512::digest(b"linli probe nonce").into());
    // R = [r]B + T, T of order 8: the cofactored equation holds, the cofactorless one not.
    let torsion = decode_hex(SMALL_ORDER_ENCODINGS[4])
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| CompressedEdwardsY(b).decompress())
        .unwrap_or_default();
    let big_r = (EdwardsPoint::mul_base(&r) + torsion).compress();
    let k = Scalar::from_hash(
        Sha512::new()
            .chain_update(big_r.as_bytes())
            .chain_update(public)
            .chain_update(&message),
    );
    let s = r + k * a;
    let mut cofactored = [0u8; 64];
    cofactored[..32].copy_from_slice(big_r.as_bytes());
    cofactored[32..].copy_from_slice(s.as_bytes());

    // S + L: the same signature with a non-canonical S.
    let mut high_s = honest;
    let order: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let mut carry = 0u16;
    for i in 0..32 {
        let sum = u16::from(high_s[32 + i]) + u16::from(order[i]) + carry;
        high_s[32 + i] = sum as u8;
        carry = sum >> 8;
    }

    let mut other = message.clone();
    other.push(b' ');
    vec![
        Probe {
            name: "honest",
            key: public,
            message: message.clone(),
            sig: honest,
            valid: true,
        },
        Probe {
            name: "cofactored only",
            key: public,
            message: message.clone(),
            sig: cofactored,
            valid: false,
        },
        Probe {
            name: "S not reduced",
            key: public,
            message: message.clone(),
            sig: high_s,
            valid: false,
        },
        Probe {
            name: "other message",
            key: public,
            message: other,
            sig: honest,
            valid: false,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::strict::SMALL_ORDER_Y;
    use ed25519_dalek::{Signature, VerifyingKey};

    #[test]
    fn the_small_order_encodings_are_the_eight_torsion_points() {
        let mut seen = std::collections::HashSet::new();
        for hex in SMALL_ORDER_ENCODINGS {
            let bytes: [u8; 32] = decode_hex(hex).expect("hex").try_into().expect("32");
            let point = CompressedEdwardsY(bytes).decompress().expect("a point");
            assert!(point.is_small_order(), "{hex}");
            assert_eq!(point.compress().to_bytes(), bytes, "canonical: {hex}");
            seen.insert(point.compress().to_bytes());
        }
        assert_eq!(seen.len(), 8);
        // …and every small-order point is among them: T, 2T, …, 8T for T of order 8, with
        // the other coset member of each order.
        let t = CompressedEdwardsY(
            decode_hex(SMALL_ORDER_ENCODINGS[4])
                .expect("hex")
                .try_into()
                .expect("32"),
        )
        .decompress()
        .expect("point");
        let mut p = t;
        for _ in 0..8 {
            assert!(is_small_order_encoding(p.compress().as_bytes()));
            assert!(is_small_order_encoding((-p).compress().as_bytes()));
            p += t;
        }
        let honest = SigningKey::from_bytes(&[3; 32]).verifying_key();
        assert!(!is_small_order_encoding(honest.as_bytes()));
    }

    /// The byte test agrees with decompression and `is_small_order` on every encoding it
    /// lists (with both sign bits) and on many others.
    #[test]
    fn the_byte_test_agrees_with_decompression() {
        let mut candidates: Vec<[u8; 32]> = Vec::new();
        for hex in SMALL_ORDER_Y {
            let y: [u8; 32] = decode_hex(hex).expect("hex").try_into().expect("32");
            let mut neg = y;
            neg[31] |= 0x80;
            candidates.push(y);
            candidates.push(neg);
        }
        for i in 0..2000u32 {
            let h = Sha512::digest(i.to_le_bytes());
            candidates.push(h[..32].try_into().expect("32"));
            // Small integers and values near p, where non-canonical encodings live.
            let mut small = [0u8; 32];
            small[..4].copy_from_slice(&i.to_le_bytes());
            candidates.push(small);
            let mut near_p: [u8; 32] = decode_hex(SMALL_ORDER_Y[3])
                .expect("hex")
                .try_into()
                .expect("32");
            near_p[0] = near_p[0].wrapping_add((i % 40) as u8);
            candidates.push(near_p);
        }
        let mut flagged = 0;
        for c in &candidates {
            if let Some(point) = CompressedEdwardsY(*c).decompress() {
                assert_eq!(
                    is_small_order_encoding(c),
                    point.is_small_order(),
                    "{c:02x?}"
                );
                flagged += usize::from(point.is_small_order());
            }
        }
        assert!(flagged >= 12, "{flagged} small-order encodings decoded");
    }

    #[test]
    fn probes_say_what_verify_strict_says() {
        let probes = engine_probes();
        assert_eq!(probes.len(), 4);
        for p in &probes {
            let key = VerifyingKey::from_bytes(&p.key).expect("key");
            let ok = key
                .verify_strict(&p.message, &Signature::from_bytes(&p.sig))
                .is_ok();
            assert_eq!(ok, p.valid, "{}", p.name);
        }
        // The cofactored-only probe really is valid under the cofactored equation: an engine
        // that uses it would accept, which is what the probe is there to catch.
        let p = &probes[1];
        let a = CompressedEdwardsY(p.key).decompress().expect("A");
        let r = CompressedEdwardsY(p.sig[..32].try_into().expect("R"))
            .decompress()
            .expect("R");
        let s =
            Scalar::from_canonical_bytes(p.sig[32..].try_into().expect("S")).expect("canonical S");
        let k = Scalar::from_hash(
            Sha512::new()
                .chain_update(&p.sig[..32])
                .chain_update(p.key)
                .chain_update(&p.message),
        );
        let lhs = EdwardsPoint::mul_base(&s) - k * a;
        assert_ne!(lhs, r, "cofactorless fails");
        assert_eq!(
            lhs.mul_by_cofactor(),
            r.mul_by_cofactor(),
            "cofactored holds"
        );
        assert!(!canonical_s(&probes[2].sig));
        assert!(canonical_s(&probes[0].sig));
    }
}
