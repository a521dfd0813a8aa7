//! Sync of the open community with its endpoint: pull the manifest with revalidation and only
//! the files not held yet, each checked against its SHA-256 and every event verified; push the
//! outbox in batches, removing events only when the hub acknowledges them.
//!
//! Both directions are idempotent, so an interrupted sync simply runs again: a file counts as
//! held only after its events are stored, and an event leaves the outbox only after the hub
//! answered `accepted` or `duplicate` (or refused it for good).
//!
//! The community's lock is held only while the sync reads or changes what this device keeps,
//! never across the network or the workers' checks: a resident's act on a slow or stalled
//! connection is stored at once, not after the sync gives up. One sync runs at a time
//! ([`schedule`](super::schedule) sees to it), so only acts interleave with it, and acts only
//! add events and outbox items — which the next round picks up.

use gloo_net::http::Request;

use super::community::ActError;
use super::Held;
use crate::clock::now_ms;
use crate::store::log::{OutboxItem, Refused};

/// Refusals kept for the member to read.
const MAX_REFUSED_SHOWN: usize = 20;
use crate::store::StoreError;
use crate::sync::{
    fetch, fetch_files, http_error, listed, manifest, space_url, FileEntry, Listing, Receipt,
    Report, SyncError, Timings, PUSH_BATCH,
};

impl From<ActError> for SyncError {
    fn from(e: ActError) -> SyncError {
        match e {
            ActError::Store(e) => SyncError::Store(e),
            other => SyncError::Store(StoreError::Write(other.to_string())),
        }
    }
}

/// Pulls what is new at the endpoint into the community's store.
///
/// A manifest that lists fewer events than the endpoint listed before (the most seen, plus
/// what it accepted since) is a rollback: its new files are still taken (every event in them
/// is signed), nothing held is dropped — the fold only ever grows — and neither its ETag nor
/// its count is kept, so that every sync checks again until the endpoint has caught up. The
/// sync then reports [`SyncError::Rollback`].
pub async fn pull(h: &Held) -> Result<usize, SyncError> {
    let store = &h.store;
    let (endpoint, id, etag, held, seen) = {
        let c = h.community.lock().await;
        let r = &c.record;
        (
            r.endpoint.clone(),
            c.id(),
            r.etag.clone(),
            r.held_files.clone(),
            r.listed,
        )
    };
    if endpoint.is_empty() {
        return Ok(0);
    }
    let (listing, new_etag) = manifest(&endpoint, &id, etag.as_deref()).await?;
    let Some(Listing { files, push }) = listing else {
        return Ok(0);
    };
    if push != h.community.lock().await.record.push {
        let mut c = h.community.lock().await;
        c.record.push = push;
        store.put_space(&c.record).await.map_err(SyncError::from)?;
    }
    let listed = listed(&files);
    let rollback = listed.filter(|&l| l < seen);
    let mut pulled = 0;
    let new: Vec<&FileEntry> = files.iter().filter(|f| !held.contains(&f.path)).collect();
    let files_count = new.len();
    let mut timings = Timings::default();
    fetch_files(&endpoint, &id, &new, &mut timings, async |f, events| {
        let mut c = h.community.lock().await;
        // Held and stored commit in one transaction.
        c.record.held_files.push(f.path.clone());
        let kept = c.keep_received(store, events).await;
        if kept.is_err() {
            c.record.held_files.retain(|p| p != &f.path);
        }
        pulled += kept?;
        Ok(())
    })
    .await?;
    let mut c = h.community.lock().await;
    c.timings.fetch_ms += timings.fetch_ms;
    c.timings.verify_ms += timings.verify_ms;
    if rollback.is_none() {
        c.record.etag = new_etag;
        c.record.listed = c.record.listed.max(listed.unwrap_or(0));
        c.record.resent_at = None;
    }
    c.record.last_sync_ms = Some(now_ms());
    if rollback.is_some() && c.record.resent_at != Some(seen) {
        // The endpoint was restored from an older backup, say: what it lost of this phone's
        // events only this phone has. Every event it signed is queued to be sent again, once.
        let device = c.device();
        let outbox: Vec<OutboxItem> = c
            .space()
            .events()
            .filter(|e| e.author == device)
            .map(|e| OutboxItem {
                id: e.id.to_hex(),
                envelope: e.envelope.clone(),
                tries: 0,
            })
            .collect();
        let mut record = c.record.clone();
        record.resent_at = Some(seen);
        store
            .append(&mut record, &[], &outbox)
            .await
            .map_err(SyncError::from)?;
        c.record = record;
        c.unsent = store
            .outbox(&c.record.space)
            .await
            .map_err(SyncError::from)?
            .len();
        leptos::logging::log!(
            "linli sync: rollback; {} events this phone signed queued to be sent again",
            outbox.len()
        );
    } else {
        store.put_space(&c.record).await.map_err(SyncError::from)?;
    }
    if let Some(listed) = rollback {
        return Err(SyncError::Rollback { listed, seen });
    }
    if files_count > 0 {
        let t = c.timings;
        leptos::logging::log!(
            "linli sync: {pulled} new events from {files_count} files; so far fetch {} ms, verify {} ms, fold {} ms, store {} ms",
            t.fetch_ms as u64,
            t.verify_ms as u64,
            t.fold_ms as u64,
            t.store_ms as u64
        );
    }
    Ok(pulled)
}

/// Pushes the outbox. Returns (acknowledged, refused for good).
pub async fn push(h: &Held) -> Result<(usize, usize), SyncError> {
    let store = &h.store;
    // Where the manifest says to post (the files may be read from a bucket or a mirror),
    // else where they are read.
    let (endpoint, id, space, elsewhere) = {
        let c = h.community.lock().await;
        let r = &c.record;
        let to = match &r.push {
            Some(push) if !r.endpoint.is_empty() => push.clone(),
            _ => r.endpoint.clone(),
        };
        let elsewhere = to != r.endpoint;
        (to, c.id(), r.space.clone(), elsewhere)
    };
    let outbox = store.outbox(&space).await.map_err(SyncError::from)?;
    if endpoint.is_empty() || outbox.is_empty() {
        h.community.lock().await.unsent = outbox.len();
        return Ok((0, 0));
    }
    let url = space_url(&endpoint, &id, "events");
    let (mut acked, mut refused) = (0, 0);
    for batch in outbox.chunks(PUSH_BATCH) {
        let body = format!(
            "[{}]",
            batch
                .iter()
                .map(|o| o.envelope.as_str())
                .collect::<Vec<_>>()
                .join(",")
        );
        let (r, call) = fetch(
            Request::post(&url).header("Content-Type", "application/json"),
            Some(body),
        )
        .await?;
        if matches!(r.status(), 405 | 501) {
            return Err(SyncError::ReadOnly);
        }
        if !r.ok() {
            return Err(http_error(r, &call).await);
        }
        let receipt: Receipt = call
            .within(async {
                r.json()
                    .await
                    .map_err(|e| SyncError::Damaged(format!("receipt: {e}")))
            })
            .await?;
        let mut done = Vec::new();
        // New at the endpoint: its manifest lists at least these more from now on.
        let mut accepted = 0;
        let mut retried: Vec<OutboxItem> = Vec::new();
        let mut refusals = Vec::new();
        for (item, res) in batch.iter().zip(&receipt.results) {
            if res.id != item.id {
                return Err(SyncError::Damaged("receipt out of order".into()));
            }
            match res.status.as_str() {
                "accepted" | "duplicate" => {
                    acked += 1;
                    accepted += usize::from(res.status == "accepted");
                    done.push(item.id.clone());
                }
                _ if !res.retry => {
                    refused += 1;
                    done.push(item.id.clone());
                    refusals.push(Refused {
                        id: item.id.clone(),
                        code: res.code.clone().unwrap_or_default(),
                    });
                }
                _ => retried.push(OutboxItem {
                    tries: item.tries + 1,
                    ..item.clone()
                }),
            }
        }
        // The record as it is now (an act may have moved it on meanwhile), with the receipt.
        let mut c = h.community.lock().await;
        let mut record = c.record.clone();
        record.refused.extend(refusals);
        // What a hub accepted shows in the manifest it writes; a bucket's copy or a mirror
        // read elsewhere may lag behind it, which is no rollback.
        // Nor, in a rollback, what it takes again: the count it fell short of had them.
        if !elsewhere && record.resent_at.is_none() {
            record.listed += accepted as u64;
        }
        record.last_sync_ms = Some(now_ms());
        // A few are enough to say what went wrong; the log keeps every one as evidence.
        let excess = record.refused.len().saturating_sub(MAX_REFUSED_SHOWN);
        record.refused.drain(..excess);
        record.snapshot.refused = record.refused.len() as u64;
        store
            .settle(&record, &done, &retried)
            .await
            .map_err(SyncError::from)?;
        c.record = record;
    }
    let mut c = h.community.lock().await;
    c.unsent = store.outbox(&space).await.map_err(SyncError::from)?.len();
    Ok((acked, refused))
}

/// One full sync: push what is waiting, then pull what is new.
pub async fn sync(h: &Held) -> Result<Report, SyncError> {
    let pushed = match push(h).await {
        Ok(p) => Some(p),
        // A mirror does not take events: still pull from it.
        Err(SyncError::ReadOnly) => None,
        Err(e) => return Err(e),
    };
    let pulled = match pull(h).await {
        Ok(n) => n,
        Err(rollback @ SyncError::Rollback { .. }) => {
            // What it queued to be sent again goes out now.
            if pushed.is_some() && h.community.lock().await.unsent > 0 {
                push(h).await?;
            }
            return Err(rollback);
        }
        Err(e) => return Err(e),
    };
    // Events refused as "not yet" (an invitation still on its way) may pass now.
    let unsent = h.community.lock().await.unsent;
    if pushed.is_some() && unsent > 0 && pulled > 0 {
        push(h).await?;
    }
    let (pushed, refused) = pushed.unwrap_or((0, 0));
    Ok(Report {
        pulled,
        pushed,
        refused,
    })
}
