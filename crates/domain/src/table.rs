//! Dense tables keyed by 32-byte ids: the fold's hot path looks an id up once, gets a small
//! index, and from then on reaches the record by position — no more hashing of 32-byte keys
//! per rule. Rows live in fixed-size chunks shared between clones until written, so a table
//! never copies its rows as it grows, and a checkpoint of the state copies pointers.
//!
//! Keys are hashed with [`IdHasher`]: their first eight bytes mixed with a per-process secret
//! (see [`IdBuild`]), which is far cheaper than SipHash over 32 bytes while an author who grinds
//! keys still cannot aim them at one bucket without knowing the secret.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, OnceLock};

use serde::Serialize as _;

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

/// Rows per chunk of a [`Table`]: past the first chunk, rows are stored in chunks of this many
/// allocated whole, so a growing table never copies its rows (a table of 200k entries would
/// otherwise copy tens of megabytes as its vector doubles). Chunks are shared between clones
/// of a table until one of them writes to it: a checkpoint of the state copies pointers, not
/// rows.
const CHUNK_BITS: u32 = 12;
const CHUNK: usize = 1 << CHUNK_BITS;

/// Ids interned to dense indices, with one record per id. Rows are never removed, so an index
/// stays valid for the table's life (and across clones of it). A clone shares the rows until
/// either side changes them (copy on write, a chunk at a time).
///
/// The index maps the first eight bytes of an id to its row (16 bytes a slot instead of 40:
/// a big table's index stays in cache); the row holds the whole id, which a lookup compares.
/// An id whose first eight bytes are those of another id already held (which an author can
/// grind for) is indexed in `spill` by its whole id instead.
#[derive(Debug)]
pub struct Table<T> {
    index: HashMap<u64, u32, IdBuild>,
    spill: IdMap<u32>,
    /// Chunks of [`CHUNK`] rows (the last one possibly fewer), shared with clones.
    rows: Vec<Arc<Vec<(Hex32, T)>>>,
    len: usize,
}

/// A table as a map by id in key order (`{"<id>": row, …}`): how the canonical state writes
/// its tables.
pub struct SortedMap<'a, T>(pub &'a Table<T>);

impl<T: serde::Serialize> serde::Serialize for SortedMap<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        for (id, row) in self.0.sorted() {
            m.serialize_entry(id, row)?;
        }
        m.end()
    }
}

/// A table as a sequence of `[id, row]` in the order the ids were first seen: how a snapshot
/// writes its tables (the order is part of the state: it is the fold's order).
pub struct RowSeq<'a, T>(pub &'a Table<T>);

impl<T: serde::Serialize> serde::Serialize for RowSeq<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter())
    }
}

/// `serialize_with` for a [`Table`] in a snapshot: [`RowSeq`].
pub fn row_seq<T: serde::Serialize, S: serde::Serializer>(
    t: &Table<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    RowSeq(t).serialize(s)
}

/// A map keyed by id as a snapshot (and the canonical state) writes it: in key order.
pub struct SortedIds<'a, V>(pub &'a IdMap<V>);

impl<V: serde::Serialize> serde::Serialize for SortedIds<'_, V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let ordered: std::collections::BTreeMap<&Hex32, &V> = self.0.iter().collect();
        ordered.serialize(s)
    }
}

/// Reads a [`RowSeq`] back; an id that appears twice is an error.
impl<'de, T: serde::Deserialize<'de> + Clone> serde::Deserialize<'de> for Table<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let rows: Vec<(Hex32, T)> = Vec::deserialize(d)?;
        let mut t = Table::default();
        for (id, row) in rows {
            if t.insert_new(id, row).is_none() {
                return Err(serde::de::Error::custom(format!(
                    "id {id} twice in a table"
                )));
            }
        }
        Ok(t)
    }
}

impl<T> Clone for Table<T> {
    fn clone(&self) -> Table<T> {
        Table {
            index: self.index.clone(),
            spill: self.spill.clone(),
            rows: self.rows.clone(),
            len: self.len,
        }
    }
}

fn prefix(id: &Hex32) -> u64 {
    let mut first = [0u8; 8];
    first.copy_from_slice(&id.0[..8]);
    u64::from_le_bytes(first)
}

impl<T> Default for Table<T> {
    fn default() -> Table<T> {
        Table {
            index: HashMap::default(),
            spill: IdMap::default(),
            rows: Vec::new(),
            len: 0,
        }
    }
}

impl<T: PartialEq> PartialEq for Table<T> {
    /// Same ids with the same records in the same order (the index follows from the rows).
    fn eq(&self, other: &Table<T>) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<T: Eq> Eq for Table<T> {}

impl<T> Table<T> {
    /// The index of `id`, if it has a row.
    #[inline]
    pub fn find(&self, id: &Hex32) -> Option<u32> {
        let ix = *self.index.get(&prefix(id))?;
        if self.at(ix).0 == *id {
            Some(ix)
        } else if self.spill.is_empty() {
            None
        } else {
            self.spill.get(id).copied()
        }
    }

    /// The id and record at an index from [`Table::find`] or [`Table::intern`].
    #[inline]
    pub fn at(&self, ix: u32) -> &(Hex32, T) {
        let ix = ix as usize;
        &self.rows[ix >> CHUNK_BITS][ix & (CHUNK - 1)]
    }

    /// The record of `id`.
    #[inline]
    pub fn get(&self, id: &Hex32) -> Option<&T> {
        self.find(id).map(|ix| &self.at(ix).1)
    }

    /// Every row, in the order the ids were first seen.
    pub fn iter(&self) -> impl Iterator<Item = &(Hex32, T)> {
        self.rows.iter().flat_map(|chunk| chunk.iter())
    }

    /// Every row, sorted by id (for canonical output).
    pub fn sorted(&self) -> Vec<&(Hex32, T)> {
        let mut rows: Vec<&(Hex32, T)> = self.iter().collect();
        rows.sort_unstable_by_key(|r| r.0);
        rows
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Changing a table (a chunk shared with a clone is copied first: hence `Clone`).
impl<T: Clone> Table<T> {
    /// The index of `id` and `false`, or if it has no row, the index of a new row made by
    /// `make` and `true` — with one probe of the index.
    #[inline]
    fn find_or_add(&mut self, id: Hex32, make: impl FnOnce() -> T) -> (u32, bool) {
        let at = self.len as u32;
        match self.index.entry(prefix(&id)) {
            std::collections::hash_map::Entry::Occupied(o) => {
                let held = *o.get();
                let ix = held as usize;
                if self.rows[ix >> CHUNK_BITS][ix & (CHUNK - 1)].0 == id {
                    return (held, false);
                }
                match self.spill.entry(id) {
                    std::collections::hash_map::Entry::Occupied(o) => return (*o.get(), false),
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(at);
                    }
                }
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(at);
            }
        }
        let first = self.rows.len() <= 1;
        match self.rows.last_mut() {
            Some(chunk) if chunk.len() < CHUNK => {
                let shared = Arc::get_mut(chunk).is_none();
                let chunk = Arc::make_mut(chunk);
                if shared && !first {
                    // A copy has exactly its rows: room for the rest of the chunk at once.
                    chunk.reserve_exact(CHUNK - chunk.len());
                }
                chunk.push((id, make()));
            }
            _ => {
                // The first chunk grows as a vector does (most tables are small); later ones
                // are allocated whole.
                let mut chunk = Vec::with_capacity(if self.rows.is_empty() { 4 } else { CHUNK });
                chunk.push((id, make()));
                self.rows.push(Arc::new(chunk));
            }
        }
        self.len += 1;
        (at, true)
    }

    /// The index of `id`, adding a row made by `make` if it has none.
    #[inline]
    pub fn intern(&mut self, id: Hex32, make: impl FnOnce() -> T) -> u32 {
        self.find_or_add(id, make).0
    }

    /// Adds a row for an id that has none; `None` if it already has one.
    pub fn insert_new(&mut self, id: Hex32, row: T) -> Option<u32> {
        match self.find_or_add(id, || row) {
            (at, true) => Some(at),
            (_, false) => None,
        }
    }

    /// Sets the record of `id`, adding a row if it has none: its index, and the record it
    /// replaced (a map's `insert`; the row keeps its place when it is replaced).
    #[inline]
    pub fn insert(&mut self, id: Hex32, row: T) -> (u32, Option<T>) {
        let mut row = Some(row);
        let (at, _) = self.find_or_add(id, || row.take().expect("taken once"));
        let old = row.map(|row| std::mem::replace(self.at_mut(at), row));
        (at, old)
    }

    /// The record at an index, to change.
    #[inline]
    pub fn at_mut(&mut self, ix: u32) -> &mut T {
        let ix = ix as usize;
        &mut Arc::make_mut(&mut self.rows[ix >> CHUNK_BITS])[ix & (CHUNK - 1)].1
    }

    /// The record of `id`, to change.
    #[inline]
    pub fn get_mut(&mut self, id: &Hex32) -> Option<&mut T> {
        self.find(id).map(|ix| self.at_mut(ix))
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
        assert_eq!(u.insert(b, 21), (1, Some(20)));
        assert_eq!(u.insert(Hex32([3; 32]), 30), (2, None));
        assert_eq!(u.get(&b), Some(&21));
    }

    #[test]
    fn many_rows_span_chunks_and_keep_their_indices() {
        let mut t: Table<u32> = Table::default();
        let id = |i: u32| {
            let mut h = Hex32([0; 32]);
            // Two ids in a row share their first eight bytes: half of them spill.
            h.0[..4].copy_from_slice(&(i / 2).to_le_bytes());
            h.0[8..12].copy_from_slice(&i.to_le_bytes());
            h
        };
        let n = 3 * CHUNK as u32 + 5;
        for i in 0..n {
            assert_eq!(t.intern(id(i), || i), i);
        }
        assert_eq!(t.len(), n as usize);
        for i in 0..n {
            assert_eq!(t.find(&id(i)), Some(i));
            assert_eq!(t.at(i), &(id(i), i));
        }
        assert_eq!(t.find(&Hex32([9; 32])), None);
        let mut other = id(1);
        other.0[31] = 1;
        assert_eq!(t.find(&other), None, "a shared prefix is not a match");
        assert!(t.iter().map(|r| r.1).eq(0..n));
        assert_eq!(t.clone(), t);
        // A clone shares the rows until one side writes: the other never sees it.
        let mut c = t.clone();
        *c.at_mut(5) = 99;
        assert_eq!(c.intern(Hex32([7; 32]), || 7), n);
        *t.at_mut(n - 1) = 98;
        assert_eq!((t.at(5).1, c.at(5).1), (5, 99));
        assert_eq!((t.at(n - 1).1, c.at(n - 1).1), (98, n - 1));
        assert_eq!((t.len(), c.len()), (n as usize, n as usize + 1));
        assert_eq!(t.find(&Hex32([7; 32])), None);
    }
}
