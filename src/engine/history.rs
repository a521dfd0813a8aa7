//! 后台核对 — background verification of a fast-joined community (`docs/protocol.md` §7.7).
//!
//! A phone that joined from a counted checkpoint's snapshot trusts the checkpoint's signers
//! for the history before it. After a sync that reached the endpoint, this fetches the event
//! files the checkpoint covers (every signature verified, in the Web Workers), folds the whole
//! history from the genesis in slices (the page stays responsive), and compares the state at
//! the checkpoint's frontier with what the council signed. When they agree, the record says so
//! and the home screen stops saying the older history is being checked. When they do not, the
//! record keeps why, the home screen warns in plain words, and the phone signs nothing more
//! (`Community::act` refuses) until the community is joined again; the checkpoint's signers
//! are named in the audit.
//!
//! Not done yet: fetching a few files at a time while the app is idle, and resuming a check
//! half done after a restart (it starts again from the first covered file).

use std::cell::Cell;

use linli_domain::{Event, Space};

use super::Held;
use crate::clock::yield_now;
use crate::sync::{fetch_files, manifest, FileEntry, SyncError, Timings};

thread_local! {
    /// A check is under way (one per page).
    static RUNNING: Cell<bool> = const { Cell::new(false) };
}

/// Events folded between two yields to the browser.
const FOLD_BATCH: usize = 256;

/// Checks the history before the checkpoint the community started from, if it was not yet.
/// Returns whether the record changed.
pub async fn check(h: &Held) -> Result<bool, SyncError> {
    if RUNNING.with(|r| r.replace(true)) {
        return Ok(false);
    }
    let result = run(h).await;
    RUNNING.with(|r| r.set(false));
    result
}

async fn run(h: &Held) -> Result<bool, SyncError> {
    let (endpoint, id, held, frontier, signed) = {
        let c = h.community.lock().await;
        let Some(base) = c
            .record
            .base
            .clone()
            .filter(|b| !b.checked && b.refuted.is_none())
        else {
            return Ok(false);
        };
        let space = c.space();
        let Some(counted) = space
            .counted_checkpoints()
            .iter()
            .find(|k| k.key.to_hex() == base.checkpoint)
        else {
            return Ok(false);
        };
        let Some(frontier) = space.started_from().cloned() else {
            return Ok(false);
        };
        let held: Vec<Event> = space.events().cloned().collect();
        (
            c.record.endpoint.clone(),
            c.id(),
            held,
            frontier,
            (counted.checkpoint.state, counted.checkpoint.events),
        )
    };
    if endpoint.is_empty() {
        return Ok(false);
    }
    let (listing, _) = manifest(&endpoint, &id, None).await?;
    let files = listing.map(|l| l.files).unwrap_or_default();
    // Every listed file: the covered ones, and the others again (from the browser's cache),
    // since those hold covered events too that the fast start skipped.
    let wanted: Vec<&FileEntry> = files.iter().collect();
    let mut older: Vec<Event> = Vec::new();
    let mut timings = Timings::default();
    fetch_files(&endpoint, &id, &wanted, &mut timings, async |_, events| {
        older.extend(events);
        Ok(())
    })
    .await?;
    // From the genesis, in total order, a batch at a time.
    let mut all = older;
    all.extend(held);
    all.sort_by_key(|e| (e.position(), e.id));
    all.dedup_by_key(|e| e.id);
    let mut full = Space::new(id);
    let mut rest = all.into_iter().peekable();
    while rest.peek().is_some() {
        full.insert(rest.by_ref().take(FOLD_BATCH));
        yield_now().await;
    }
    let (digest, events) = full.state_digest_at(&frontier);
    let refuted = if digest != signed.0 {
        Some(format!(
            "the state at the checkpoint is {} folded from the genesis, {} signed",
            digest.to_hex(),
            signed.0.to_hex()
        ))
    } else if events != signed.1 {
        Some(format!(
            "{events} events at the checkpoint folded from the genesis, {} signed",
            signed.1
        ))
    } else {
        None
    };
    leptos::logging::log!(
        "linli history: {} events folded from the genesis; the checkpoint {}",
        full.len(),
        if refuted.is_none() {
            "agrees"
        } else {
            "DOES NOT MATCH"
        }
    );
    let mut c = h.community.lock().await;
    let Some(b) = c.record.base.as_mut() else {
        return Ok(false);
    };
    b.checked = refuted.is_none();
    b.refuted = refuted;
    let mut record = c.record.clone();
    record.snapshot = c.snapshot();
    h.store.put_space(&record).await?;
    c.record = record;
    Ok(true)
}
