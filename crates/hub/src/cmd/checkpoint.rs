//! `linli-hub checkpoint PATH`: publishes the snapshot (快照) of every counted checkpoint of a
//! space folder, beside its event files.
//!
//! Council phones sign `space.checkpoint` events naming a snapshot's SHA-256; they upload
//! events only. The snapshot encoding is deterministic, so the hub folds the space, writes the
//! snapshot at each counted checkpoint's frontier, and publishes it only if its bytes hash to
//! what the council signed (a checkpoint that does not is left to the audit, which names its
//! signers). For each, it also writes the checkpoint's signatures and frontier parts as one
//! file of envelopes, so a new phone needs three requests before it folds the tail:
//!
//! ```text
//! {space}/snapshots.json                      {"space", "snapshots": [{"checkpoint", "path",
//!                                               "sha256", "events", "devices", "covered",
//!                                               "partial", "tail": {"path", "sha256", "events"},
//!                                               "signatures": {"path", "sha256", "events"}}]}
//! {space}/snapshots/{sha256}.json             the snapshot file (docs/protocol.md)
//! {space}/snapshots/signatures-{hash16}.json  a JSON array of envelopes
//! {space}/snapshots/tail-{hash16}.json        the uncovered envelopes of the partial files
//! ```

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use linli_domain::{Space, SpaceId};
use serde::{Deserialize, Serialize};

use crate::files::{locate_space, read_space, segment, FileEntry};
use crate::storage::{Folder, Storage};

/// The index of a space's published snapshots.
pub const SNAPSHOTS_INDEX: &str = "snapshots.json";

/// `snapshots.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotIndex {
    /// The space id.
    pub space: String,
    /// One per counted checkpoint whose snapshot matches, oldest first.
    pub snapshots: Vec<SnapshotEntry>,
}

/// A published snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotEntry {
    /// The checkpoint's key.
    pub checkpoint: String,
    /// The snapshot file, relative to the space folder.
    pub path: String,
    /// Its SHA-256 (what the checkpoint names).
    pub sha256: String,
    /// Events its frontier covers.
    pub events: u64,
    /// Devices its frontier names.
    pub devices: usize,
    /// The checkpoint's signatures and frontier parts, as a file of envelopes.
    pub signatures: FileEntry,
    /// The manifest's event files every event of which the frontier covers: a phone that
    /// starts from this snapshot skips them (it fetches them later, to verify in the
    /// background). Saying one is covered when it is not only withholds events, which a hub
    /// can do anyway by leaving them out of the manifest: the background check finds it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub covered: Vec<String>,
    /// The manifest's event files the frontier covers only in part: a phone that starts from
    /// this snapshot skips them too, and fetches `tail` instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partial: Vec<String>,
    /// The events of the `partial` files that the frontier does not cover (those in the
    /// signatures file left out), as a file of envelopes: the few hundred events a new phone
    /// needs instead of those files' thousands. The same trust as `covered`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tail: Option<FileEntry>,
}

/// Publish the snapshot of every counted checkpoint of a space folder.
#[derive(Debug, Args)]
pub struct Checkpoint {
    /// The space folder (holding manifest.json), or a base folder with one space under
    /// spaces/.
    path: PathBuf,
}

impl Checkpoint {
    /// Runs the command.
    pub fn run(self) -> anyhow::Result<()> {
        let dir = locate_space(&self.path)?;
        let root = dir
            .parent()
            .and_then(|p| p.parent())
            .context("a space folder lives under {root}/spaces/")?;
        let space = read_space(&dir)?;
        let index = publish(&Folder::new(root), &space)?;
        for s in &index.snapshots {
            println!("{} {} events {}", s.checkpoint, s.events, s.path);
        }
        Ok(())
    }
}

/// Writes the snapshot and the signatures of every counted checkpoint of `space` whose
/// snapshot hashes to what its signers named, then the index. Returns the index.
pub fn publish(storage: &dyn Storage, space: &Space) -> anyhow::Result<SnapshotIndex> {
    let mut snapshots = Vec::new();
    for counted in space.counted_checkpoints() {
        let prepared = space
            .checkpoint_at(&counted.frontier)
            .map_err(|e| anyhow::anyhow!("checkpoint {}: {e}", counted.key))?;
        let signed = &counted.checkpoint.snapshot;
        if prepared.snapshot.sha256 != signed.sha256 || prepared.state != counted.checkpoint.state {
            eprintln!(
                "linli-hub: checkpoint {} does not match the events (see the audit); not published",
                counted.key
            );
            continue;
        }
        snapshots.push(publish_one(storage, space, counted, &prepared.bytes)?);
    }
    write_index(storage, &space.id(), snapshots)
}

/// Publishes `bytes` as the snapshot of the counted checkpoint `counted`, with its signatures
/// file, and returns its index entry. [`publish`] gives it the snapshot the events make;
/// `linli-hub demo --false-checkpoint` a forged one, to show what a phone does with it.
pub(crate) fn publish_one(
    storage: &dyn Storage,
    space: &Space,
    counted: &linli_domain::checkpoint::Counted,
    bytes: &[u8],
) -> anyhow::Result<SnapshotEntry> {
    let id: SpaceId = space.id();
    let signed = &counted.checkpoint.snapshot;
    put_with_siblings(storage, &id, &signed.path, bytes)?;
    let mut envelopes: Vec<&str> = Vec::new();
    // Every part of the whole frontier: those the checkpoint names and their chains.
    for part in space
        .frontier_parts(&counted.checkpoint)
        .unwrap_or_default()
    {
        if let Some(e) = space.get(&part) {
            envelopes.push(&e.envelope);
        }
    }
    if let Some(row) = space
        .checkpoint_rows()
        .into_iter()
        .find(|r| r.key == counted.key)
    {
        for (signer, _) in &row.signatures {
            if let Some(e) = space.get(&signer.event) {
                envelopes.push(&e.envelope);
            }
        }
    }
    let in_signatures: std::collections::HashSet<&str> = envelopes.iter().copied().collect();
    let (mut entry, file) = segment(envelopes.iter().copied());
    entry.path = format!("snapshots/signatures-{}.json", &entry.sha256[..16]);
    put_with_siblings(storage, &id, &entry.path, &file)?;
    let split = split_files(storage, &id, &counted.frontier, &in_signatures)?;
    let tail = if split.partial.is_empty() {
        None
    } else {
        let (mut tail, file) = segment(split.tail.iter().map(String::as_str));
        tail.path = format!("snapshots/tail-{}.json", &tail.sha256[..16]);
        put_with_siblings(storage, &id, &tail.path, &file)?;
        Some(tail)
    };
    Ok(SnapshotEntry {
        checkpoint: counted.key.to_hex(),
        path: signed.path.to_string(),
        sha256: signed.sha256.to_hex(),
        events: counted.checkpoint.events,
        devices: counted.frontier.len(),
        signatures: entry,
        covered: split.covered,
        partial: split.partial,
        tail,
    })
}

/// Writes `snapshots.json` listing `snapshots`; returns it.
pub(crate) fn write_index(
    storage: &dyn Storage,
    id: &SpaceId,
    snapshots: Vec<SnapshotEntry>,
) -> anyhow::Result<SnapshotIndex> {
    let index = SnapshotIndex {
        space: id.to_hex(),
        snapshots,
    };
    storage
        .put_file(id, SNAPSHOTS_INDEX, &serde_json::to_vec_pretty(&index)?)
        .context("cannot write snapshots.json")?;
    Ok(index)
}

/// Brotli and gzip levels of a published snapshot's siblings: written once, read by every
/// phone that joins, so the top levels but one (brotli 11 takes minutes on a large snapshot).
const BROTLI_LEVEL: u32 = 9;
const GZIP_LEVEL: u32 = 9;

/// Writes an immutable published file and its `.br` and `.gz` siblings (the siblings first:
/// the file's presence is what says it is published). The hub serves a sibling to a client
/// that accepts it; compressing a large snapshot on a first request would hold that join.
pub(crate) fn put_with_siblings(
    storage: &dyn Storage,
    id: &SpaceId,
    path: &str,
    bytes: &[u8],
) -> anyhow::Result<()> {
    for (enc, level) in [("br", BROTLI_LEVEL), ("gzip", GZIP_LEVEL)] {
        let sibling = crate::files::sibling_name(path, enc);
        let packed = crate::files::encode(bytes, enc, level)
            .with_context(|| format!("cannot compress {path}"))?;
        storage
            .put_file(id, &sibling, &packed)
            .with_context(|| format!("cannot write {sibling}"))?;
    }
    storage
        .put_file(id, path, bytes)
        .with_context(|| format!("cannot write {path}"))
}

/// The manifest's event files, by how much of them a frontier covers.
struct Split {
    /// Every envelope opens and is covered.
    covered: Vec<String>,
    /// Some are covered, some not.
    partial: Vec<String>,
    /// The envelopes of `partial` files that are not covered and open, in file order,
    /// without those of the signatures file.
    tail: Vec<String>,
}

/// Sorts the manifest's files by how much of them `frontier` covers.
fn split_files(
    storage: &dyn Storage,
    id: &SpaceId,
    frontier: &linli_domain::checkpoint::Frontier,
    in_signatures: &std::collections::HashSet<&str>,
) -> anyhow::Result<Split> {
    let mut split = Split {
        covered: Vec::new(),
        partial: Vec::new(),
        tail: Vec::new(),
    };
    let Some(text) = storage.read(id, crate::storage::MANIFEST)? else {
        return Ok(split);
    };
    let (_, manifest) = crate::files::parse_manifest(&text, "the space")?;
    let mut opener = linli_domain::Opener::default();
    for f in &manifest.files {
        let Some(bytes) = storage.read(id, &f.path)? else {
            continue;
        };
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let Ok(opened) = opener.open_batch(text) else {
            continue;
        };
        let inside = |e: &linli_domain::Event| {
            (e.space == Some(*id) || e.space.is_none()) && frontier.covers_event(&e.author, e.seq)
        };
        let covered = opened
            .iter()
            .filter(|e| e.as_ref().is_ok_and(inside))
            .count();
        if covered == 0 {
            continue;
        }
        // An envelope that does not open is never covered: a file holding one is partial
        // (a phone would drop it anyway).
        if covered == opened.len() {
            split.covered.push(f.path.clone());
            continue;
        }
        split.partial.push(f.path.clone());
        split.tail.extend(
            opened
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| !inside(e) && !in_signatures.contains(e.envelope.as_str()))
                .map(|e| e.envelope),
        );
    }
    Ok(split)
}
