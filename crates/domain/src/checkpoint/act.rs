//! `space.checkpoint`, as it travels: the frontier a checkpoint covers, how many events that
//! is, the SHA-256 of the canonical state there, and the snapshot file that carries that state.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::id::{DeviceKey, Hex32};
use crate::reject::Code;
use crate::wire::{self, FieldError, Wire};

/// Most entries in a checkpoint's frontier: about 13.5 KB of JSON, inside the 16 KiB body.
pub const MAX_CHECKPOINT_FRONTIER: usize = 180;
/// Most frontier parts one checkpoint names (the ids take about 6.6 KB of the body). Each part
/// may name the part signed before it (`more`), so a checkpoint reaches further parts through
/// those chains.
pub const MAX_PARTS: usize = 100;
/// Most parts a checkpoint's whole frontier may take, through its parts and their chains:
/// with [`MAX_CHECKPOINT_FRONTIER`] entries each, 1.8 million devices.
pub const MAX_ALL_PARTS: usize = 10_000;
/// Longest snapshot path, in characters.
pub const MAX_SNAPSHOT_PATH: usize = 200;

/// A frontier: per device, the last seq covered. Written on the wire as `[[device, seq], …]`
/// sorted by device, each device once, every seq ≥ 1.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Frontier(pub BTreeMap<DeviceKey, u64>);

impl Frontier {
    /// Whether the frontier covers the event `seq` of `device` (`seq` ≤ its entry).
    pub fn covers_event(&self, device: &DeviceKey, seq: u64) -> bool {
        self.0.get(device).is_some_and(|&s| seq <= s)
    }

    /// Adds `other`'s entries, keeping the higher seq of a device named in both.
    pub fn merge(&mut self, other: &Frontier) {
        for (d, s) in &other.0 {
            let e = self.0.entry(*d).or_insert(*s);
            *e = (*e).max(*s);
        }
    }

    /// The frontier in parts of at most [`MAX_CHECKPOINT_FRONTIER`] entries, in key order.
    pub fn chunks(&self) -> Vec<Frontier> {
        let all: Vec<(DeviceKey, u64)> = self.0.iter().map(|(d, s)| (*d, *s)).collect();
        all.chunks(MAX_CHECKPOINT_FRONTIER)
            .map(|c| Frontier(c.iter().copied().collect()))
            .collect()
    }

    /// Whether it covers every event `other` covers.
    pub fn covers(&self, other: &Frontier) -> bool {
        other
            .0
            .iter()
            .all(|(d, s)| self.0.get(d).is_some_and(|mine| mine >= s))
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it names no device.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Frontier {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter())
    }
}

impl<'de> Deserialize<'de> for Frontier {
    /// Refuses an unsorted list, a repeated device or a seq of 0: one spelling per frontier,
    /// so that equal checkpoints have equal payloads.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let pairs: Vec<(DeviceKey, u64)> = Vec::deserialize(d)?;
        let mut map = BTreeMap::new();
        let mut last: Option<DeviceKey> = None;
        for (device, seq) in pairs {
            if last.is_some_and(|l| l >= device) || seq == 0 {
                return Err(serde::de::Error::custom(
                    "frontier: devices sorted, each once, seq ≥ 1",
                ));
            }
            last = Some(device);
            map.insert(device, seq);
        }
        Ok(Frontier(map))
    }
}

/// Where the snapshot file is and its SHA-256.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotRef {
    /// Path relative to the space folder (no `..`, no leading `/`).
    pub path: Arc<str>,
    /// Lowercase hex SHA-256 of the snapshot file's bytes.
    pub sha256: Hex32,
}

/// `space.checkpoint` — 检查点: a council member's signed statement of the state at a
/// frontier. It counts once enough distinct council members signed the same one
/// (`docs/protocol.md`, "Checkpoints and snapshots").
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// The last seq covered per device (with `parts`: some of the devices, or none).
    pub frontier: Frontier,
    /// `checkpoint.frontier` events holding the rest of the frontier, for a community whose
    /// frontier does not fit in one event. The checkpoint's frontier is the union of its own
    /// entries and its parts' (the higher seq of a device named twice).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<crate::id::EventId>,
    /// How many events of the space the frontier covers.
    pub events: u64,
    /// SHA-256 of the canonical state JSON at the frontier ([`crate::State::state_digest`]).
    pub state: Hex32,
    /// The snapshot file carrying that state.
    pub snapshot: SnapshotRef,
}

impl Checkpoint {
    /// The checkpoint's key: SHA-256 of its payload's JSON as this crate writes it. Signers
    /// of equal payloads sign the same checkpoint.
    pub fn key(&self) -> Hex32 {
        crate::id::sha256(serde_json::to_string(self).unwrap_or_default().as_bytes())
    }
}

impl Wire for Checkpoint {
    fn check(&self) -> Result<(), FieldError> {
        if self.frontier.is_empty() && self.parts.is_empty() {
            return Err(FieldError::malformed("frontier"));
        }
        if self.parts.len() > MAX_PARTS {
            return Err(FieldError::range(
                "parts",
                0,
                MAX_PARTS as i64,
                Code::OverLimit,
            ));
        }
        let mut ids = self.parts.clone();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() != self.parts.len() {
            return Err(FieldError::malformed("parts"));
        }
        if self.frontier.len() > MAX_CHECKPOINT_FRONTIER {
            return Err(FieldError::range(
                "frontier",
                1,
                MAX_CHECKPOINT_FRONTIER as i64,
                Code::OverLimit,
            ));
        }
        let path = &*self.snapshot.path;
        wire::text("snapshot", path, MAX_SNAPSHOT_PATH)?;
        if path.starts_with('/') || path.split('/').any(|p| p == ".." || p.is_empty()) {
            return Err(FieldError::malformed("snapshot"));
        }
        Ok(())
    }
}

/// `checkpoint.frontier` — part of a coming checkpoint's frontier, for a community with more
/// devices than one event can name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontierPart {
    /// Last seq per device, 1–[`MAX_CHECKPOINT_FRONTIER`] entries.
    pub entries: Frontier,
    /// The part of the same frontier signed before this one, whose entries (and its own
    /// `more`'s, and so on) belong to the frontier too: a checkpoint naming the last part of
    /// such a chain takes them all. Absent on the first part of a chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub more: Option<crate::id::EventId>,
}

impl Wire for FrontierPart {
    fn check(&self) -> Result<(), FieldError> {
        if self.entries.is_empty() {
            return Err(FieldError::malformed("entries"));
        }
        if self.entries.len() > MAX_CHECKPOINT_FRONTIER {
            return Err(FieldError::range(
                "entries",
                1,
                MAX_CHECKPOINT_FRONTIER as i64,
                Code::OverLimit,
            ));
        }
        Ok(())
    }
}

/// A checkpoint act.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Act {
    /// `space.checkpoint`.
    Checkpoint(Checkpoint),
    /// `checkpoint.frontier`.
    Part(FrontierPart),
}

impl Act {
    /// Every kind of this area.
    pub const KINDS: [&'static str; 2] = ["space.checkpoint", "checkpoint.frontier"];

    /// The event kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Act::Checkpoint(_) => "space.checkpoint",
            Act::Part(_) => "checkpoint.frontier",
        }
    }

    /// Parses the payload of `kind`; `None` for another area's kind.
    pub fn parse(kind: &str, json: &str) -> Option<Result<Act, Code>> {
        match kind {
            "space.checkpoint" => Some(wire::parse(json).map(Act::Checkpoint)),
            "checkpoint.frontier" => Some(wire::parse(json).map(Act::Part)),
            _ => None,
        }
    }

    /// The payload's own checks.
    pub fn validate(&self) -> Result<(), Code> {
        match self {
            Act::Checkpoint(c) => c.validate(),
            Act::Part(p) => p.validate(),
        }
    }

    /// [`Act::validate`] naming the field.
    pub fn check(&self) -> Result<(), FieldError> {
        match self {
            Act::Checkpoint(c) => Wire::check(c),
            Act::Part(p) => Wire::check(p),
        }
    }
}
