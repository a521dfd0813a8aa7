//! The snapshot file (快照): a checkpoint's state in one deterministic JSON file, published
//! beside the event files, so a new phone starts from it instead of the genesis.
//!
//! ```text
//! {"v":1,"space":hex,"frontier":[[device,seq],…],"events":n,"forks":[[device,seq],…],
//!  "state_sha256":hex,"state":{…}}
//! ```
//!
//! `state` is [`State::to_snapshot_json`]; `state_sha256` is [`State::state_digest`] of it (the
//! SHA-256 of its canonical JSON, which a reader recomputes). `forks` lists the devices that
//! forked at a seq inside the frontier (their later events stop counting). The file's
//! SHA-256 is the one a `space.checkpoint` names.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::checkpoint::Frontier;
use crate::fold::{Forks, State};
use crate::id::{sha256, DeviceKey, Hex32, SpaceId};

/// The snapshot file's version.
pub const SNAPSHOT_VERSION: u32 = 1;

/// A snapshot: the state at a frontier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// The space.
    pub space: SpaceId,
    /// The frontier it covers.
    pub frontier: Frontier,
    /// How many events of the space the frontier covers.
    pub events: u64,
    /// Devices that forked inside the frontier, and from which seq.
    pub forks: Forks,
    /// The fold of exactly those events (in the order of `docs/protocol.md`).
    pub state: State,
}

/// Why a snapshot file could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    /// Not the JSON described above.
    #[error("not a snapshot file: {0}")]
    Format(String),
    /// Another version.
    #[error("snapshot version {0}; this app reads {SNAPSHOT_VERSION}")]
    Version(u32),
    /// `state_sha256` is not the SHA-256 of the state's canonical JSON.
    #[error("the snapshot's state does not hash to its state_sha256")]
    StateHash,
}

#[derive(Serialize)]
struct Out<'a> {
    v: u32,
    space: SpaceId,
    frontier: &'a Frontier,
    events: u64,
    forks: Vec<(&'a DeviceKey, &'a u64)>,
    state_sha256: Hex32,
    state: &'a RawValue,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct In<'a> {
    v: u32,
    space: SpaceId,
    frontier: Frontier,
    events: u64,
    forks: Vec<(DeviceKey, u64)>,
    state_sha256: Hex32,
    #[serde(borrow)]
    state: &'a RawValue,
}

impl Snapshot {
    /// The file's bytes: deterministic, so every honest producer writes the same bytes for
    /// the same events and frontier.
    pub fn to_bytes(&self) -> Vec<u8> {
        let state = self.state.to_snapshot_json();
        let raw: Box<RawValue> = match RawValue::from_string(state) {
            Ok(raw) => raw,
            Err(_) => return Vec::new(),
        };
        let out = Out {
            v: SNAPSHOT_VERSION,
            space: self.space,
            frontier: &self.frontier,
            events: self.events,
            forks: self.forks.iter().collect(),
            state_sha256: self.state.state_digest(),
            state: &raw,
        };
        serde_json::to_vec(&out).unwrap_or_default()
    }

    /// Reads a file written by [`Snapshot::to_bytes`], checking `state_sha256`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Snapshot, SnapshotError> {
        Snapshot::read(bytes).map(|(snapshot, _)| snapshot)
    }

    /// [`Snapshot::from_bytes`], with the state digest it checked (so that a caller need not
    /// serialize the whole state a second time to learn it).
    pub fn read(bytes: &[u8]) -> Result<(Snapshot, Hex32), SnapshotError> {
        let unchecked = Snapshot::decode(bytes)?;
        let digest = sha256(unchecked.canonical_json().as_bytes());
        unchecked.check(digest)
    }

    /// Reads a file written by [`Snapshot::to_bytes`] without checking `state_sha256` yet:
    /// the caller hashes [`Unchecked::canonical_json`] (a browser in native code, several
    /// times faster than here on tens of megabytes) and hands the digest to
    /// [`Unchecked::check`].
    pub fn decode(bytes: &[u8]) -> Result<Unchecked, SnapshotError> {
        let d: In<'_> =
            serde_json::from_slice(bytes).map_err(|e| SnapshotError::Format(e.to_string()))?;
        if d.v != SNAPSHOT_VERSION {
            return Err(SnapshotError::Version(d.v));
        }
        let state = State::from_snapshot_value(d.state).map_err(SnapshotError::Format)?;
        if state.space != d.space {
            return Err(SnapshotError::Format("state of another space".into()));
        }
        Ok(Unchecked {
            snapshot: Snapshot {
                space: d.space,
                frontier: d.frontier,
                events: d.events,
                forks: d.forks.into_iter().collect(),
                state,
            },
            claimed: d.state_sha256,
        })
    }
}

/// A snapshot decoded, its `state_sha256` not yet checked ([`Snapshot::decode`]).
#[derive(Debug)]
pub struct Unchecked {
    snapshot: Snapshot,
    claimed: Hex32,
}

impl Unchecked {
    /// The canonical JSON of the decoded state: what `state_sha256` must be the SHA-256 of.
    pub fn canonical_json(&self) -> String {
        self.snapshot.state.to_canonical_json()
    }

    /// The snapshot and its state digest, when `digest` (the SHA-256 of
    /// [`Unchecked::canonical_json`]) is the one the file states.
    pub fn check(self, digest: Hex32) -> Result<(Snapshot, Hex32), SnapshotError> {
        if digest != self.claimed {
            return Err(SnapshotError::StateHash);
        }
        Ok((self.snapshot, digest))
    }
}

/// SHA-256 of a snapshot file's bytes (what a checkpoint's `snapshot.sha256` names).
pub fn file_sha256(bytes: &[u8]) -> Hex32 {
    sha256(bytes)
}
