//! Fast join (秒进, `docs/protocol.md` §7.7): a new phone starts from the latest counted
//! checkpoint's snapshot instead of the genesis. It fetches `snapshots.json`, the snapshot and
//! the checkpoint's signatures, checks both files' SHA-256, the snapshot's state digest and
//! enough council signatures ([`verify_snapshot`]), then fetches and verifies only the events
//! the frontier does not cover: the index's `tail` file (those of the files it covers in part,
//! `partial`) and the files neither `covered` nor `partial`; it folds them after the snapshot.
//!
//! Nothing is kept unless every check passed. A snapshot that does not match its checkpoint,
//! or one signed by too few council members, is refused ([`SyncError::FalseCheckpoint`],
//! [`SyncError::UnderSigned`]) and the phone says why; the user may then read everything
//! instead.

use gloo_net::http::Request;
use linli_domain::snapshot::Snapshot;
use linli_domain::space::{verify_decoded, CheckpointError, Verified};
use linli_domain::{Event, Hex32, Space};
use serde::Deserialize;
use web_sys::RequestCache;

use super::{
    fetch, fetch_files, fetch_files_skipping, fetch_text, http_error, listed, manifest, space_url,
    FileEntry, Listing, Progress, SyncError, Timings,
};
use crate::clock::now_ms;

/// `snapshots.json`, as the hub writes it (`linli-hub checkpoint`).
#[derive(Deserialize)]
struct Index {
    space: String,
    snapshots: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    checkpoint: String,
    path: String,
    sha256: String,
    events: u64,
    signatures: FileEntry,
    #[serde(default)]
    covered: Vec<String>,
    /// Files the frontier covers in part, whose uncovered events `tail` holds.
    #[serde(default)]
    partial: Vec<String>,
    #[serde(default)]
    tail: Option<FileEntry>,
}

/// Where a fast-joined community started: kept with its record so that it reloads from the
/// snapshot and the background check knows what to compare.
#[derive(Clone, Debug)]
pub struct Started {
    /// The snapshot file's bytes (what the checkpoint's signers named by SHA-256).
    pub snapshot: Vec<u8>,
    /// The checkpoint's key (hex).
    pub checkpoint: String,
    /// Events its frontier covers (not downloaded).
    pub events: u64,
    /// The manifest's files the frontier wholly covers (not downloaded).
    pub covered: Vec<String>,
}

/// Why a checkpoint was refused, in the words of [`CheckpointError`].
fn refused(e: CheckpointError) -> SyncError {
    match e {
        CheckpointError::TooFewSigners { .. } => SyncError::UnderSigned(e.to_string()),
        _ => SyncError::FalseCheckpoint(e.to_string()),
    }
}

/// `linli_domain::space::verify_checkpoint_hashed`, with the state digest (SHA-256 of tens of
/// megabytes of canonical JSON) computed in the browser's native code: decodes the snapshot,
/// checks its state digest, and checks the checkpoint signatures among `events` against it.
/// `sha` is the file's SHA-256, already checked by the caller.
pub(crate) async fn verify_snapshot(
    space: Hex32,
    bytes: &[u8],
    sha: Hex32,
    events: &[Event],
) -> Result<Verified, CheckpointError> {
    let t = now_ms();
    let unchecked = Snapshot::decode(bytes)?;
    let decoded = now_ms();
    let canonical = unchecked.canonical_json();
    let written = now_ms();
    let digest = super::sha256_native(canonical.as_bytes()).await;
    drop(canonical);
    let hashed = now_ms();
    let (snapshot, digest) = unchecked.check(digest)?;
    let verified = verify_decoded(space, snapshot, digest, sha, events);
    leptos::logging::log!(
        "linli snapshot: {} bytes decoded in {} ms, canonical JSON {} ms, its SHA-256 {} ms, signatures {} ms",
        bytes.len(),
        (decoded - t) as u64,
        (written - decoded) as u64,
        (hashed - written) as u64,
        (now_ms() - hashed) as u64
    );
    verified
}

/// A relative path inside the space folder.
fn safe(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains("..")
        && !path.contains(['?', '#', '\\'])
}

/// The index's latest snapshot, or `None` when the endpoint publishes none.
async fn latest(endpoint: &str, space: &Hex32) -> Result<Option<Entry>, SyncError> {
    let req =
        Request::get(&space_url(endpoint, space, "snapshots.json")).cache(RequestCache::NoCache);
    let (r, call) = fetch(req, None).await?;
    if r.status() == 404 {
        return Ok(None);
    }
    if !r.ok() {
        return Err(http_error(r, &call).await);
    }
    let index: Index = call
        .within(async {
            r.json()
                .await
                .map_err(|e| SyncError::Damaged(format!("snapshots.json: {e}")))
        })
        .await?;
    if index.space != space.to_hex() {
        return Err(SyncError::Damaged("snapshots.json of another space".into()));
    }
    Ok(index
        .snapshots
        .into_iter()
        .rev()
        .find(|e| safe(&e.path) && safe(&e.signatures.path)))
}

/// Reads a community from its latest counted checkpoint: `Ok(None)` when the endpoint
/// publishes no snapshot (the caller reads everything instead).
pub async fn fetch_from_checkpoint(
    endpoint: &str,
    space_id: Hex32,
    mut progress: impl FnMut(&Progress, &Space),
) -> Result<Option<super::Fetched>, SyncError> {
    let Some(entry) = latest(endpoint, &space_id).await? else {
        return Ok(None);
    };
    let mut timings = Timings::default();
    let (listing, etag) = manifest(endpoint, &space_id, None).await?;
    let Listing { files, push } =
        listing.ok_or_else(|| SyncError::Damaged("no manifest".into()))?;
    // The tail file (the uncovered events of the files the frontier covers in part), then
    // every file neither covered nor replaced by it.
    let tail_file = entry.tail.as_ref().filter(|t| safe(&t.path));
    let tail: Vec<&FileEntry> = tail_file
        .into_iter()
        .chain(files.iter().filter(|f| {
            let replaced = tail_file.is_some() && entry.partial.contains(&f.path);
            !(entry.covered.contains(&f.path) || replaced)
        }))
        .collect();
    let mut now = Progress {
        files_total: tail.len() + 2,
        events_total: tail
            .iter()
            .try_fold(entry.signatures.events.unwrap_or(0), |sum, f| {
                sum.checked_add(f.events?)
            }),
        ..Progress::default()
    };
    let mut space = Space::new(space_id);
    progress(&now, &space);
    // The snapshot, checked against the SHA-256 the index gives (the checkpoint's signers
    // named the same one: [`verify_snapshot`] checks that).
    let snap_entry = FileEntry {
        path: entry.path.clone(),
        sha256: entry.sha256.clone(),
        events: None,
    };
    let snapshot = fetch_text(endpoint, &space_id, &snap_entry, &mut timings)
        .await?
        .into_bytes();
    now.files += 1;
    now.bytes += snapshot.len() as u64;
    progress(&now, &space);
    // The signatures and frontier parts, every envelope verified.
    let mut signatures: Vec<Event> = Vec::new();
    fetch_files(
        endpoint,
        &space_id,
        &[&entry.signatures],
        &mut timings,
        async |_, events| {
            signatures.extend(events);
            Ok(())
        },
    )
    .await?;
    let t = now_ms();
    // `fetch_text` checked the file against the index's SHA-256 (natively, in WebCrypto).
    let sha = Hex32::parse(&entry.sha256)
        .map_err(|_| SyncError::Damaged("snapshots.json: a bad sha256".into()))?;
    let verified = verify_snapshot(space_id, &snapshot, sha, &signatures)
        .await
        .map_err(refused)?;
    if verified.key.to_hex() != entry.checkpoint || verified.snapshot.events != entry.events {
        return Err(SyncError::FalseCheckpoint(
            "the index names another checkpoint than its snapshot's".into(),
        ));
    }
    space = Space::from_verified(verified);
    now.files += 1;
    now.verified += signatures.len();
    space.insert(signatures);
    timings.fold_ms += now_ms() - t;
    progress(&now, &space);
    // The tail: every file the frontier does not wholly cover, without checking the
    // signatures of the events in them it does cover (they are in the snapshot's state; the
    // background check verifies them).
    let mut fold_ms = 0.0;
    let cover = space.cover();
    fetch_files_skipping(
        endpoint,
        &space_id,
        &tail,
        &mut timings,
        |u| cover.as_ref().is_some_and(|c| c.covers(u)),
        async |f, events| {
            // The file's events, those skipped as covered included (progress is by file).
            let n = f.events.unwrap_or(0).max(events.len());
            now.files += 1;
            now.received += n;
            now.verified += n;
            let t = now_ms();
            space.insert(events);
            fold_ms += now_ms() - t;
            progress(&now, &space);
            Ok(())
        },
    )
    .await?;
    timings.fold_ms += fold_ms;
    Ok(Some(super::Fetched {
        space,
        files: files.iter().map(|f| f.path.clone()).collect(),
        etag,
        listed: listed(&files),
        push,
        timings,
        start: Some(Started {
            snapshot,
            checkpoint: entry.checkpoint,
            events: entry.events,
            covered: entry.covered,
        }),
    }))
}
