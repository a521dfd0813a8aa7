//! 后台核对 — background verification of a fast-joined community (`docs/protocol.md` §7.7).
//!
//! A phone that joined from a counted checkpoint's snapshot trusts the checkpoint's signers
//! for the history before it. After a sync that reached the endpoint, this fetches the event
//! files one at a time (every signature verified, in the Web Workers), folds the whole history
//! from the genesis in slices, and compares the state at the checkpoint's frontier with what
//! the council signed. When they agree, the record says so and the home screen stops saying
//! the older history is being checked. When they do not, the record keeps why, the home
//! screen warns in plain words, and the phone signs nothing more (`Community::act` refuses)
//! until the resident chooses, on 同步与数据, to go on with the history checked from the
//! genesis ([`adopt_full`]); the checkpoint stays in the record as evidence and its signers
//! are named in the audit.
//!
//! Politely: before each file and each slice of the fold it waits until the page is visible,
//! no sync is running and the resident has not touched the screen or a key for
//! [`QUIET_MS`] — so it never competes with what the resident is doing, and stops when the
//! app is in the background. Resumably: the SHA-256 of every file whose signatures it checked
//! is kept (`history/{space}` in the settings store) as it goes; after a restart those files
//! are read again (from the browser's cache, their SHA-256 checked) without checking their
//! signatures a second time. Only the fold from the genesis is redone, which is the cheap part.

use std::cell::Cell;

use linli_domain::envelope::split_batch;
use linli_domain::{Event, Opener, Space};
use serde::{Deserialize, Serialize};

use super::Held;
use crate::clock::{now_ms, sleep, yield_now};
use crate::sync::{fetch_files, fetch_text, manifest, FileEntry, SyncError, Timings};

thread_local! {
    /// A check is under way (one per page).
    static RUNNING: Cell<bool> = const { Cell::new(false) };
    /// When the resident last touched the screen or a key (ms since the epoch).
    static LAST_INPUT: Cell<f64> = const { Cell::new(0.0) };
    /// Whether the input listeners are installed (once per page).
    static LISTENING: Cell<bool> = const { Cell::new(false) };
}

/// Events folded between two yields to the browser.
const FOLD_BATCH: usize = 256;

/// How long after the resident's last touch or key the check waits before its next step.
pub const QUIET_MS: f64 = 1_500.0;

/// What a check has done so far, kept across restarts.
#[derive(Default, Serialize, Deserialize)]
struct Progress {
    /// The checkpoint being checked (hex key); progress for another one is dropped.
    checkpoint: String,
    /// SHA-256 of the files whose every signature was checked.
    verified: Vec<String>,
}

fn progress_key(space: &str) -> String {
    format!("history/{space}")
}

/// Records the time of the resident's input, once per page (from when a community is opened,
/// so that the first check after a join waits for the resident too).
pub(crate) fn listen_for_input() {
    if LISTENING.with(|l| l.replace(true)) {
        return;
    }
    fn touched() {
        LAST_INPUT.with(|t| t.set(now_ms()));
    }
    use leptos::prelude::window_event_listener as on;
    for handle in [
        on(leptos::ev::pointerdown, |_| touched()),
        on(leptos::ev::keydown, |_| touched()),
        on(leptos::ev::scroll, |_| touched()),
    ] {
        // Lives as long as the page.
        std::mem::forget(handle);
    }
}

/// Waits until the page is visible, no sync is running and the resident has been still for
/// [`QUIET_MS`].
async fn idle(h: &Held) {
    loop {
        let visible = web_sys::window()
            .and_then(|w| w.document())
            .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible);
        let quiet = now_ms() - LAST_INPUT.with(Cell::get) >= QUIET_MS;
        if visible && quiet && !h.schedule.is_running() {
            return;
        }
        sleep(500).await;
    }
}

/// Checks the history before the checkpoint the community started from, if it was not yet.
/// Returns whether the record changed.
pub async fn check(h: &Held) -> Result<bool, SyncError> {
    if RUNNING.with(|r| r.replace(true)) {
        return Ok(false);
    }
    listen_for_input();
    let result = run(h).await;
    RUNNING.with(|r| r.set(false));
    result
}

async fn run(h: &Held) -> Result<bool, SyncError> {
    let (endpoint, id, held, frontier, signed, base_key) = {
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
            base.checkpoint,
        )
    };
    if endpoint.is_empty() {
        return Ok(false);
    }
    let older = whole_history(h, &endpoint, id, &base_key, true).await?;
    // Events outside the frontier among them: the fast start should have had them all (the
    // files it skipped were said to be wholly covered, an unsigned hint); any it lacks are
    // kept now, like events received in a sync.
    let outside: Vec<Event> = older
        .iter()
        .filter(|e| {
            let belongs = e.space == Some(id) || (e.space.is_none() && e.id == id);
            !(belongs && frontier.covers_event(&e.author, e.seq))
        })
        .cloned()
        .collect();
    let full = from_genesis(h, id, older, held, true).await;
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
    if refuted.is_none() && !outside.is_empty() {
        // Before the verdict is kept: if storing fails, the check runs again.
        let kept = c
            .keep_received(&h.store, outside)
            .await
            .map_err(|e| match e {
                crate::engine::ActError::Store(e) => SyncError::Store(e),
                other => SyncError::Damaged(other.to_string()),
            })?;
        if kept > 0 {
            leptos::logging::log!(
                "linli history: {kept} events outside the checkpoint were missing; kept now"
            );
        }
    }
    let Some(b) = c.record.base.as_mut() else {
        return Ok(false);
    };
    let agrees = refuted.is_none();
    b.checked = agrees;
    b.refuted = refuted;
    let mut record = c.record.clone();
    record.snapshot = c.snapshot();
    h.store.put_space(&record).await?;
    c.record = record;
    drop(c);
    if agrees {
        let _ = h
            .store
            .put(&progress_key(&id.to_hex()), &Progress::default())
            .await;
    }
    // When it does not agree the files' progress is kept: leaving the checkpoint for the
    // history from the genesis ([`adopt_full`]) reads them again without checking every
    // signature a second time.
    Ok(true)
}

/// Folds every event from the genesis, in total order, a batch at a time (waiting for the
/// resident to be idle between batches when `polite`).
async fn from_genesis(
    h: &Held,
    id: linli_domain::Hex32,
    older: Vec<Event>,
    held: Vec<Event>,
    polite: bool,
) -> Space {
    let mut all = older;
    all.extend(held);
    all.sort_by_key(|e| (e.position(), e.id));
    all.dedup_by_key(|e| e.id);
    let mut full = Space::new(id);
    let mut rest = all.into_iter().peekable();
    while rest.peek().is_some() {
        full.insert(rest.by_ref().take(FOLD_BATCH));
        yield_now().await;
        if polite {
            idle(h).await;
        }
    }
    full
}

/// Leaves a checkpoint the background check found false for the history checked from the
/// genesis: every event file is read again (those whose signatures the check verified, from
/// the browser's cache with their SHA-256 checked), the events the snapshot stood for are
/// stored in the log, and the community is folded from the genesis, as on a phone that
/// joined the old way. The checkpoint, the reason and the time stay in the record as
/// evidence (its signatures stay in the log, its snapshot in the store); the phone may act
/// again. Nothing changes unless everything was read and stored.
pub async fn adopt_full(h: &Held) -> Result<(), SyncError> {
    let (endpoint, id, base) = {
        let c = h.community.lock().await;
        let Some(base) = c.record.base.clone().filter(|b| b.refuted.is_some()) else {
            return Ok(());
        };
        (c.record.endpoint.clone(), c.id(), base)
    };
    let older = whole_history(h, &endpoint, id, &base.checkpoint, false).await?;
    let mut c = h.community.lock().await;
    // What the log holds now (events may have arrived meanwhile): only the others are stored.
    let held: Vec<Event> = c.space().events().cloned().collect();
    let held_ids: std::collections::HashSet<_> = held.iter().map(|e| e.id).collect();
    let missing: Vec<String> = older
        .iter()
        .filter(|e| !held_ids.contains(&e.id))
        .map(|e| e.envelope.clone())
        .collect();
    let full = from_genesis(h, id, older, held, false).await;
    let mut record = c.record.clone();
    record.base = None;
    record.distrusted.push(crate::store::log::Distrusted {
        checkpoint: base.checkpoint,
        reason: base.refuted.unwrap_or_default(),
        at_ms: now_ms(),
    });
    let old_space = c.replace_space(full);
    let old_record = std::mem::replace(&mut c.record, record);
    // The name the genesis gives (the false snapshot may have said another).
    let name = c.space().state().name.clone().unwrap_or_default();
    c.record.name = name;
    c.record.snapshot = c.snapshot();
    let mut record = c.record.clone();
    if let Err(e) = h.store.append(&mut record, &missing, &[]).await {
        c.replace_space(old_space);
        c.record = old_record;
        return Err(e.into());
    }
    c.record = record;
    leptos::logging::log!(
        "linli history: left the checkpoint for the history from the genesis ({} events stored)",
        missing.len()
    );
    drop(c);
    let _ = h
        .store
        .put(&progress_key(&id.to_hex()), &Progress::default())
        .await;
    Ok(())
}

/// Every event file of the community, every signature checked (or, for a file checked before
/// a restart of the same check, its SHA-256), waiting for the resident to be idle before each
/// file when `polite`.
async fn whole_history(
    h: &Held,
    endpoint: &str,
    id: linli_domain::Hex32,
    base_key: &str,
    polite: bool,
) -> Result<Vec<Event>, SyncError> {
    let (listing, _) = manifest(endpoint, &id, None).await?;
    let files = listing.map(|l| l.files).unwrap_or_default();
    let key = progress_key(&id.to_hex());
    let mut progress = match h.store.get::<Progress>(&key).await {
        Ok(Some(p)) if p.checkpoint == base_key => p,
        _ => Progress {
            checkpoint: base_key.to_owned(),
            verified: Vec::new(),
        },
    };
    // Every listed file: the covered ones, and the others again (from the browser's cache),
    // since those hold covered events too that the fast start skipped.
    let mut older: Vec<Event> = Vec::new();
    let mut timings = Timings::default();
    let mut opener = Opener::default();
    let mut resumed = 0;
    for f in &files {
        if polite {
            idle(h).await;
        }
        if progress.verified.contains(&f.sha256) {
            // Checked before a restart: the same bytes (their SHA-256 checked again), so
            // their signatures are not checked a second time.
            let text = fetch_text(endpoint, &id, f, &mut timings).await?;
            let envelopes =
                split_batch(&text).map_err(|e| SyncError::Damaged(format!("{}: {e}", f.path)))?;
            older.extend(
                envelopes
                    .into_iter()
                    .filter_map(|e| opener.open_trusted(e.get()).ok()),
            );
            resumed += 1;
            continue;
        }
        let one: [&FileEntry; 1] = [f];
        fetch_files(endpoint, &id, &one, &mut timings, async |_, events| {
            older.extend(events);
            Ok(())
        })
        .await?;
        progress.verified.push(f.sha256.clone());
        // Progress lost to a failed write only costs checking that file again.
        let _ = h.store.put(&key, &progress).await;
        leptos::logging::log!(
            "linli history: checked the signatures of {} of {} files",
            progress.verified.len(),
            files.len()
        );
    }
    if resumed > 0 {
        leptos::logging::log!(
            "linli history: resumed; {resumed} of {} files were checked before",
            files.len()
        );
    }
    Ok(older)
}
