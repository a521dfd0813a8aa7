//! Sync of the open community with its endpoint: pull the manifest with revalidation and only
//! the files not held yet, each checked against its SHA-256 and every event verified; push the
//! outbox in batches, removing events only when the hub acknowledges them.
//!
//! Both directions are idempotent, so an interrupted sync simply runs again: a file counts as
//! held only after its events are stored, and an event leaves the outbox only after the hub
//! answered `accepted` or `duplicate` (or refused it for good).

use gloo_net::http::Request;

use super::community::{ActError, Community};
use crate::clock::now_ms;
use crate::store::log::{OutboxItem, Refused};

/// Refusals kept for the member to read.
const MAX_REFUSED_SHOWN: usize = 20;
use crate::store::{Store, StoreError};
use crate::sync::{
    fetch, fetch_files, http_error, manifest, space_url, FileEntry, Receipt, Report, SyncError,
    Timings, PUSH_BATCH,
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
pub async fn pull(store: &Store, c: &mut Community) -> Result<usize, SyncError> {
    let endpoint = c.record.endpoint.clone();
    if endpoint.is_empty() {
        return Ok(0);
    }
    let id = c.id();
    let (files, etag) = manifest(&endpoint, &id, c.record.etag.as_deref()).await?;
    let Some(files) = files else {
        return Ok(0);
    };
    let mut pulled = 0;
    let new: Vec<&FileEntry> = files
        .iter()
        .filter(|f| !c.record.held_files.contains(&f.path))
        .collect();
    let files_count = new.len();
    let mut timings = Timings::default();
    fetch_files(&endpoint, &id, &new, &mut timings, async |f, events| {
        // Held and stored commit in one transaction.
        c.record.held_files.push(f.path.clone());
        match c.keep_received(store, events).await {
            Ok(n) => {
                pulled += n;
                Ok(())
            }
            Err(e) => {
                c.record.held_files.retain(|p| p != &f.path);
                Err(e.into())
            }
        }
    })
    .await?;
    c.timings.fetch_ms += timings.fetch_ms;
    c.timings.verify_ms += timings.verify_ms;
    c.record.etag = etag;
    c.record.last_sync_ms = Some(now_ms());
    store.put_space(&c.record).await.map_err(SyncError::from)?;
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
pub async fn push(store: &Store, c: &mut Community) -> Result<(usize, usize), SyncError> {
    let endpoint = c.record.endpoint.clone();
    let outbox = store
        .outbox(&c.record.space)
        .await
        .map_err(SyncError::from)?;
    if endpoint.is_empty() || outbox.is_empty() {
        c.unsent = outbox.len();
        return Ok((0, 0));
    }
    let url = space_url(&endpoint, &c.id(), "events");
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
        let r = fetch(
            Request::post(&url)
                .header("Content-Type", "application/json")
                .body(body),
        )
        .await?;
        if matches!(r.status(), 405 | 501) {
            return Err(SyncError::ReadOnly);
        }
        if !r.ok() {
            return Err(http_error(r).await);
        }
        let receipt: Receipt = r
            .json()
            .await
            .map_err(|e| SyncError::Damaged(format!("receipt: {e}")))?;
        let mut done = Vec::new();
        let mut retried: Vec<OutboxItem> = Vec::new();
        for (item, res) in batch.iter().zip(&receipt.results) {
            if res.id != item.id {
                return Err(SyncError::Damaged("receipt out of order".into()));
            }
            match res.status.as_str() {
                "accepted" | "duplicate" => {
                    acked += 1;
                    done.push(item.id.clone());
                }
                _ if !res.retry => {
                    refused += 1;
                    done.push(item.id.clone());
                    c.record.refused.push(Refused {
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
        c.record.last_sync_ms = Some(now_ms());
        // A few are enough to say what went wrong; the log keeps every one as evidence.
        let excess = c.record.refused.len().saturating_sub(MAX_REFUSED_SHOWN);
        c.record.refused.drain(..excess);
        c.record.snapshot.refused = c.record.refused.len() as u64;
        store
            .settle(&c.record, &done, &retried)
            .await
            .map_err(SyncError::from)?;
    }
    c.unsent = store
        .outbox(&c.record.space)
        .await
        .map_err(SyncError::from)?
        .len();
    Ok((acked, refused))
}

/// One full sync: push what is waiting, then pull what is new.
pub async fn sync(store: &Store, c: &mut Community) -> Result<Report, SyncError> {
    let pushed = match push(store, c).await {
        Ok(p) => Some(p),
        // A mirror does not take events: still pull from it.
        Err(SyncError::ReadOnly) => None,
        Err(e) => return Err(e),
    };
    let pulled = pull(store, c).await?;
    // Events refused as "not yet" (an invitation still on its way) may pass now.
    if pushed.is_some() && c.unsent > 0 && pulled > 0 {
        push(store, c).await?;
    }
    let (pushed, refused) = pushed.unwrap_or((0, 0));
    Ok(Report {
        pulled,
        pushed,
        refused,
    })
}
