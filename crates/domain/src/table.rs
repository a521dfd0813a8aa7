//! Dense tables keyed by 32-byte ids: the fold's hot path looks an id up once, gets a small
//! index, and from then on reaches the record by position in a `Vec` — no more hashing of
//! 32-byte keys per rule, and a checkpoint of the state is a copy of a few flat vectors.
//!
//! Keys are hashed with [`IdHasher`]: their first eight bytes mixed with a per-process secret
//! (see [`IdBuild`]), which is far cheaper than SipHash over 32 bytes while an author who grinds
//! keys still cannot aim them at one bucket without knowing the secret.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;

use crate::id::Hex32;

/// A hash map keyed by [`Hex32`] with the fast [`IdHasher`].
pub type IdMap<V> = HashMap<Hex32, V, IdBuild>;

/// Builds [`IdHasher`]s with this process's secret.
#[derive(Clone, Copy, Debug)]
pub struct IdBuild {
    seed: u64,
}

impl Default for IdBuild {
    fn default() -> IdBuild {
        static SEED: OnceLock<u64> = OnceLock::new();
        let seed = *SEED.get_or_init(|| {
            // std's per-process random keys (fixed keys where the platform has no randomness,
            // as in wasm32-unknown-unknown: still correct, only predictable).
            std::collections::hash_map::RandomState::new().hash_one(0x006c_696e_6c69_u64)
        });
        IdBuild { seed }
    }
}

impl BuildHasher for IdBuild {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher { state: self.seed }
    }
}

/// Mixes 64-bit words with a folded 128-bit multiply (as foldhash and wyhash do).
#[derive(Clone, Copy, Debug)]
pub struct IdHasher {
    state: u64,
}

const MUL: u64 = 0x9e37_79b9_7f4a_7c15;

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Only reached by keys other than `Hex32` (which writes one u64): fold 8 bytes at a time.
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, word: u64) {
        let m = u128::from(self.state ^ word) * u128::from(MUL);
        self.state = (m as u64) ^ ((m >> 64) as u64);
    }

    fn finish(&self) -> u64 {
        self.state
    }
}

/// Ids interned to dense indices, with one record per id. Rows are never removed, so an index
/// stays valid for the table's life (and across clones of it).
#[derive(Clone, Debug)]
pub struct Table<T> {
    index: IdMap<u32>,
    rows: Vec<(Hex32, T)>,
}

impl<T> Default for Table<T> {
    fn default() -> Table<T> {
        Table {
            index: IdMap::default(),
            rows: Vec::new(),
        }
    }
}

impl<T: PartialEq> PartialEq for Table<T> {
    /// Same ids with the same records in the same order (the index follows from the rows).
    fn eq(&self, other: &Table<T>) -> bool {
        self.rows == other.rows
    }
}

impl<T: Eq> Eq for Table<T> {}

impl<T> Table<T> {
    /// The index of `id`, if it has a row.
    pub fn find(&self, id: &Hex32) -> Option<u32> {
        self.index.get(id).copied()
    }

    /// The index of `id`, adding a row made by `make` if it has none.
    pub fn intern(&mut self, id: Hex32, make: impl FnOnce() -> T) -> u32 {
        let next = self.rows.len() as u32;
        let at = *self.index.entry(id).or_insert(next);
        if at == next {
            self.rows.push((id, make()));
        }
        at
    }

    /// Adds a row for an id that has none; `None` if it already has one.
    pub fn insert_new(&mut self, id: Hex32, row: T) -> Option<u32> {
        let next = self.rows.len() as u32;
        match self.index.entry(id) {
            std::collections::hash_map::Entry::Occupied(_) => None,
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(next);
                self.rows.push((id, row));
                Some(next)
            }
        }
    }

    /// The id and record at an index from [`Table::find`] or [`Table::intern`].
    pub fn at(&self, ix: u32) -> &(Hex32, T) {
        &self.rows[ix as usize]
    }

    /// The record at an index, to change.
    pub fn at_mut(&mut self, ix: u32) -> &mut T {
        &mut self.rows[ix as usize].1
    }

    /// The record of `id`.
    pub fn get(&self, id: &Hex32) -> Option<&T> {
        self.find(id).map(|ix| &self.rows[ix as usize].1)
    }

    /// The record of `id`, to change.
    pub fn get_mut(&mut self, id: &Hex32) -> Option<&mut T> {
        self.find(id).map(|ix| &mut self.rows[ix as usize].1)
    }

    /// Every row, in the order the ids were first seen.
    pub fn iter(&self) -> impl Iterator<Item = &(Hex32, T)> {
        self.rows.iter()
    }

    /// Every row, sorted by id (for canonical output).
    pub fn sorted(&self) -> Vec<&(Hex32, T)> {
        let mut rows: Vec<&(Hex32, T)> = self.rows.iter().collect();
        rows.sort_unstable_by_key(|r| r.0);
        rows
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_is_stable_and_dense() {
        let mut t: Table<u8> = Table::default();
        let a = Hex32([1; 32]);
        let mut b = Hex32([1; 32]);
        b.0[31] = 2; // same first eight bytes: same hash, still a different row
        assert_eq!(t.intern(a, || 10), 0);
        assert_eq!(t.intern(b, || 20), 1);
        assert_eq!(t.intern(a, || 99), 0);
        assert_eq!(t.insert_new(a, 7), None);
        assert_eq!(t.get(&b), Some(&20));
        assert_eq!(t.at(1).0, b);
        assert_eq!(t.len(), 2);
        let mut u = t.clone();
        assert_eq!(u, t);
        *u.at_mut(0) = 11;
        assert_ne!(u, t);
    }
}
