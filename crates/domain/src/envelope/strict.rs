//! What `verify_strict` rejects that can be told from the bytes alone: small-order points and
//! a non-canonical `S`. [`crate::envelope::Opener::prepare`] uses these to decide whether
//! another engine's verdict may stand ([`crate::fastverify`] has the argument).

use curve25519_dalek::scalar::Scalar;

use crate::id::decode_hex;

/// The canonical encodings of the eight points of small order.
pub const SMALL_ORDER_ENCODINGS: [&str; 8] = [
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
];

/// Every encoding that decodes to a point of small order is one of these with the sign bit
/// (the top bit of the last byte) possibly set: the y-coordinates 0, 1, −1 and the two of the
/// points of order 8, plus the non-canonical p (≡ 0) and p + 1 (≡ 1). The same list libsodium
/// checks keys against.
pub(crate) const SMALL_ORDER_Y: [&str; 7] = [
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
];

/// Whether 32 bytes, if they decode to a point at all, decode to one of small order — decided
/// from the bytes alone, without the square root a decompression costs.
pub fn is_small_order_encoding(bytes: &[u8]) -> bool {
    if bytes.len() != 32 {
        return false;
    }
    let mut y = [0u8; 32];
    y.copy_from_slice(bytes);
    y[31] &= 0x7f;
    SMALL_ORDER_Y
        .iter()
        .any(|hex| decode_hex(hex).is_ok_and(|e| e == y))
}

/// Whether a signature's `S` half is canonical.
pub fn canonical_s(sig: &[u8; 64]) -> bool {
    let mut s = [0u8; 32];
    s.copy_from_slice(&sig[32..]);
    bool::from(Scalar::from_canonical_bytes(s).is_some())
}
