//! 32-byte identifiers written as 64 lowercase hex digits: event ids (SHA-256 of a body),
//! device keys (Ed25519 public keys), space ids and member ids (ids of events).

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

/// 32 bytes, shown and parsed as exactly 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Hex32(pub [u8; 32]);

/// Why a string is not a [`Hex32`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected 64 lowercase hex digits")]
pub struct HexError;

impl Hex32 {
    /// Parses exactly 64 lowercase hex digits; uppercase is refused so that every id has one
    /// spelling (ids are compared as strings by other implementations).
    pub fn parse(s: &str) -> Result<Hex32, HexError> {
        let bytes = s.as_bytes();
        if bytes.len() != 64 {
            return Err(HexError);
        }
        let mut out = [0u8; 32];
        // Any digit that is not lowercase hex sets the high bit of `bad`.
        let mut bad = 0u8;
        for (o, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
            let (hi, lo) = (NIBBLE[usize::from(pair[0])], NIBBLE[usize::from(pair[1])]);
            bad |= hi | lo;
            *o = (hi << 4) | (lo & 15);
        }
        if bad & 0x80 != 0 {
            return Err(HexError);
        }
        Ok(Hex32(out))
    }

    /// The 64-digit lowercase form.
    pub fn to_hex(&self) -> String {
        self.with_hex(str::to_owned)
    }

    /// Calls `f` with the 64-digit lowercase form, written on the stack (no allocation: ids
    /// are written by the million when a state is serialized).
    pub fn with_hex<T>(&self, f: impl FnOnce(&str) -> T) -> T {
        let mut buf = [0u8; 64];
        for (pair, b) in buf.chunks_exact_mut(2).zip(self.0) {
            pair[0] = DIGITS[usize::from(b >> 4)];
            pair[1] = DIGITS[usize::from(b & 15)];
        }
        // Only ASCII digits were written.
        f(std::str::from_utf8(&buf).unwrap_or_default())
    }
}

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// The value of each lowercase hex digit; 0x80 for every other byte.
const NIBBLE: [u8; 256] = {
    let mut t = [0x80u8; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = match c as u8 {
            d @ b'0'..=b'9' => d - b'0',
            d @ b'a'..=b'f' => d - b'a' + 10,
            _ => 0x80,
        };
        c += 1;
    }
    t
};

fn nibble(c: u8) -> Result<u8, HexError> {
    match NIBBLE[usize::from(c)] {
        0x80 => Err(HexError),
        n => Ok(n),
    }
}

/// SHA-256 of some bytes as a [`Hex32`] (event ids, invitation and check-in code hashes).
pub fn sha256(bytes: &[u8]) -> Hex32 {
    Hex32(Sha256::digest(bytes).into())
}

/// Lowercase hex of any bytes.
pub fn encode_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// Parses lowercase hex of any even length.
pub fn decode_hex(s: &str) -> Result<Vec<u8>, HexError> {
    let bytes = s.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return Err(HexError);
    }
    bytes
        .chunks_exact(2)
        .map(|p| Ok((nibble(p[0])? << 4) | nibble(p[1])?))
        .collect()
}

/// Hashes the first eight bytes only: every `Hex32` is a SHA-256 digest or an Ed25519 key, so
/// those bytes are already spread evenly, and hashing the other 24 only costs time. Equal ids
/// have equal first bytes, so this agrees with `Eq`.
impl std::hash::Hash for Hex32 {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let mut first = [0u8; 8];
        first.copy_from_slice(&self.0[..8]);
        state.write_u64(u64::from_le_bytes(first));
    }
}

impl fmt::Display for Hex32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.with_hex(|hex| f.write_str(hex))
    }
}

impl fmt::Debug for Hex32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Short form: enough to tell ids apart in test output.
        write!(f, "{}…", &self.to_hex()[..12])
    }
}

impl Serialize for Hex32 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.with_hex(|hex| s.serialize_str(hex))
    }
}

impl<'de> Deserialize<'de> for Hex32 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Hex32::parse(&s).map_err(|_| de::Error::custom("expected 64 lowercase hex digits"))
    }
}

/// Serializes a hash map in key order, so state serializes canonically while lookups stay
/// O(1) during the fold.
pub fn sorted<S, K, V>(map: &std::collections::HashMap<K, V>, s: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    K: Ord + Serialize,
    V: Serialize,
{
    let ordered: std::collections::BTreeMap<&K, &V> = map.iter().collect();
    ordered.serialize(s)
}

/// An event id: lowercase hex of SHA-256 of the body bytes.
pub type EventId = Hex32;
/// A device's Ed25519 public key.
pub type DeviceKey = Hex32;
/// A member: the id of the `member.join` (or genesis) event that admitted them.
pub type MemberId = Hex32;
/// A space (community): the id of its genesis event.
pub type SpaceId = Hex32;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_other_spellings() {
        let h = Hex32([0xab; 32]);
        assert_eq!(Hex32::parse(&h.to_hex()), Ok(h));
        assert_eq!(Hex32::parse(&h.to_hex().to_uppercase()), Err(HexError));
        assert_eq!(Hex32::parse("ab"), Err(HexError));
        assert_eq!(Hex32::parse(&"g".repeat(64)), Err(HexError));
        assert_eq!(decode_hex("00ff"), Ok(vec![0, 255]));
        assert_eq!(decode_hex("0"), Err(HexError));
    }

    #[test]
    fn every_byte_round_trips_and_every_other_digit_is_refused_anywhere() {
        let h = Hex32(std::array::from_fn(|i| (i * 8 + 3) as u8));
        let all: Vec<u8> = (0..=255).collect();
        for chunk in all.chunks(32) {
            let mut bytes = [0u8; 32];
            bytes[..chunk.len()].copy_from_slice(chunk);
            let id = Hex32(bytes);
            assert_eq!(id.to_hex(), encode_hex(&bytes));
            assert_eq!(Hex32::parse(&id.to_hex()), Ok(id));
            assert_eq!(
                serde_json::to_string(&id).ok(),
                Some(format!("\"{}\"", id.to_hex()))
            );
        }
        let good = h.to_hex();
        for at in [0, 1, 31, 62, 63] {
            for c in ['A', 'F', 'g', '/', ':', '`', ' ', 'é'] {
                let mut bad: Vec<char> = good.chars().collect();
                bad[at] = c;
                let bad: String = bad.into_iter().collect();
                assert_eq!(Hex32::parse(&bad), Err(HexError), "{c:?} at {at}");
            }
        }
        assert_eq!(format!("{h}"), good);
    }
}
