//! A community's events on this device: its record, the events in chunks of about 1,000, and
//! the outbox of own events the hub has not acknowledged yet.
//!
//! Appending is one read-write transaction over `spaces`, `chunks` and `outbox`: the record,
//! the grown chunk and the outbox entries commit together or not at all, so a crash or a full
//! disk never leaves an event in the outbox that is missing from the log (or the reverse).
//! Everything is serialized before the transaction opens.

use idb::{KeyRange, Query};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

use linli_domain::Role;

use super::{put, Store, StoreError, CHUNKS, OUTBOX, SPACES};

/// Events per chunk record.
pub const CHUNK_EVENTS: usize = 1000;

/// A joined community as this device keeps it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SpaceRecord {
    /// The space id (64 hex).
    pub space: String,
    /// Its name, from the genesis.
    pub name: String,
    /// Base URL of the hub or mirror it syncs with (`https://host`); empty for none.
    pub endpoint: String,
    /// This device's key in that space (64 hex).
    pub device: String,
    /// This device's chain head: last seq, its id, its lamport.
    pub seq: u64,
    /// The id of this device's last event.
    pub prev: Option<String>,
    /// This device's last lamport.
    pub lamport: u64,
    /// Chunk records written (the last one may be partly full).
    pub chunks: u32,
    /// Events in the last chunk.
    pub last_chunk_len: u32,
    /// Events stored in all chunks.
    pub events: u64,
    /// The manifest's ETag at the last pull.
    pub etag: Option<String>,
    /// Files of the manifest already fetched and stored.
    pub held_files: Vec<String>,
    /// When the last sync that reached the endpoint finished (ms since the epoch).
    pub last_sync_ms: Option<f64>,
    /// What the first screen shows before the events are read back: the folded state's
    /// summary as of `events`.
    pub snapshot: Snapshot,
    /// Own events the hub refused for good, until the member has seen why (newest last).
    #[serde(default)]
    pub refused: Vec<Refused>,
    /// The fewest events the endpoint's manifest may list now: the most it has listed, plus
    /// the own events it accepted since. A manifest listing fewer is a rollback
    /// (`docs/sync.md`, "Faults").
    #[serde(default)]
    pub listed: u64,
    /// In a rollback, the `listed` count it fell short of when this phone queued every event
    /// it signed to be sent again (once per rollback: the endpoint may have lost them; it
    /// answers `duplicate` for those it kept). `None` outside a rollback.
    #[serde(default)]
    pub resent_at: Option<u64>,
    /// Where to post own events when the manifest names a hub other than `endpoint` (files
    /// read from a bucket, a CDN or a mirror); `None`: post to `endpoint`.
    #[serde(default)]
    pub push: Option<String>,
    /// Joined fast, from a council-signed checkpoint (`docs/protocol.md` §7.7): the events it
    /// covers are not in the log; the snapshot is kept beside it ([`Store::base`]).
    #[serde(default)]
    pub base: Option<Base>,
    /// Checkpoints this phone started from, found false by the background check and left
    /// for the history checked from the genesis (kept as evidence, oldest first).
    #[serde(default)]
    pub distrusted: Vec<Distrusted>,
}

/// A checkpoint found false and left ([`crate::engine::history::adopt_full`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Distrusted {
    /// The checkpoint's key (hex); its signatures stay in the log, its snapshot in the store.
    pub checkpoint: String,
    /// What the background check found.
    pub reason: String,
    /// When the phone left it (ms since the epoch).
    pub at_ms: f64,
}

/// Where a fast-joined community starts: a counted checkpoint's snapshot.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Base {
    /// The checkpoint's key (hex).
    pub checkpoint: String,
    /// Events its frontier covers.
    pub events: u64,
    /// The manifest's files the frontier wholly covers: not fetched at the join.
    pub covered: Vec<String>,
    /// Whether the whole history was checked against it (folded from the genesis, the same
    /// state). Until then the home screen says the older history is still being checked.
    #[serde(default)]
    pub checked: bool,
    /// The background check found that the history does not agree with the checkpoint: why
    /// (kept as evidence). The phone then signs nothing more.
    #[serde(default)]
    pub refuted: Option<String>,
}

/// An own event the hub refused for good: it stays in the log as evidence, out of the outbox.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refused {
    /// The event id.
    pub id: String,
    /// The hub's reason, a code of `docs/protocol.md` §4.
    pub code: String,
}

/// The folded state's summary at a frontier: what the home screen and the badge show at once
/// on a warm start, before (and without) the code that reads the events back.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Events the summary covers.
    pub events: u64,
    /// Members on the roster.
    pub members: u32,
    /// Accepted events.
    pub accepted: u64,
    /// Rejected events.
    pub rejected: u64,
    /// First 12 hex digits of SHA-256 of the canonical state.
    pub state_hash: String,
    /// This device's member's role (`None`: following, or the join not synced yet).
    #[serde(default)]
    pub role: Option<Role>,
    /// Ballots this device's member may vote on now, newest first.
    #[serde(default)]
    pub to_vote: Vec<BallotLink>,
    /// Own events the hub has not acknowledged.
    #[serde(default)]
    pub unsent: u64,
    /// Own events the hub refused for good, not dismissed yet.
    #[serde(default)]
    pub refused: u64,
    /// This device follows the community read-only: it never signed anything in it.
    #[serde(default)]
    pub following: bool,
    /// This phone was stopped by the council (换手机: its member moved to another phone).
    #[serde(default)]
    pub stopped: bool,
    /// Meetings without minutes yet, soonest first (at most three): the home screen shows
    /// the next one still ahead.
    #[serde(default)]
    pub meetings: Vec<MeetingLink>,
    /// For staff: the rules they award most (at most three), one tap from home to the award
    /// screen with the rule chosen.
    #[serde(default)]
    pub quick_rules: Vec<RuleLink>,
    /// Open polls this device's member has not answered yet, soonest to close first (at most
    /// three): one tap from home to the poll.
    #[serde(default)]
    pub polls: Vec<PollLink>,
    /// Joined fast from a checkpoint, and the older history is still being checked.
    #[serde(default)]
    pub unchecked: bool,
    /// The older history does not agree with the checkpoint this phone started from.
    #[serde(default)]
    pub refuted: bool,
}

/// A poll waiting for this member's answer, on the home screen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollLink {
    /// The poll id (64 hex).
    pub id: String,
    /// Its question.
    pub question: String,
    /// When it closes (ms since the epoch).
    pub closes: i64,
}

/// A points rule on the home screen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleLink {
    /// The rule id (64 hex).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Points per unit (negative: a deduction).
    pub points: i64,
}

/// A meeting on the home screen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingLink {
    /// The meeting id (64 hex).
    pub id: String,
    /// Its title.
    pub title: String,
    /// When (ms since the epoch).
    pub at: i64,
    /// Where.
    #[serde(default)]
    pub place: String,
}

/// A ballot on the home screen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotLink {
    /// The proposal id (64 hex).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its category.
    pub category: String,
    /// Whether this member has voted on it (they may change the vote until the close).
    #[serde(default)]
    pub voted: bool,
    /// When voting was announced to end (ms), if the council said.
    #[serde(default)]
    pub ends: Option<i64>,
    /// Voters counted so far (the live turnout).
    #[serde(default)]
    pub cast: u32,
    /// Eligible voters now.
    #[serde(default)]
    pub eligible: u32,
}

/// An own event waiting for the hub's acknowledgement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    /// The event id.
    pub id: String,
    /// The envelope, exactly as signed.
    pub envelope: String,
    /// Failed attempts so far.
    pub tries: u32,
}

/// A chunk record is the bytes of a JSON array of envelopes, exactly the format of the hub's
/// files, stored as one `Uint8Array`: one copy in and out of wasm memory per 1,000 events
/// instead of a string conversion per event.
fn chunk_value(bytes: &[u8]) -> JsValue {
    js_sys::Uint8Array::from(bytes).into()
}

fn chunk_bytes(v: &JsValue) -> Result<Vec<u8>, StoreError> {
    if !v.is_instance_of::<js_sys::Uint8Array>() {
        return Err(StoreError::Read("a chunk is not bytes".into()));
    }
    Ok(js_sys::Uint8Array::new(v).to_vec())
}

/// The envelopes of a chunk's bytes.
pub fn envelopes_of(bytes: &[u8]) -> Result<Vec<String>, StoreError> {
    chunk_envelopes(bytes)
}

fn chunk_envelopes(bytes: &[u8]) -> Result<Vec<String>, StoreError> {
    let items: Vec<&serde_json::value::RawValue> =
        serde_json::from_slice(bytes).map_err(StoreError::read)?;
    Ok(items.into_iter().map(|r| r.get().to_owned()).collect())
}

/// Appends envelopes to a chunk's bytes (`[` … `]`).
fn extend_chunk(bytes: &mut Vec<u8>, envelopes: &[String]) {
    if bytes.last() == Some(&b']') {
        bytes.pop();
    }
    if bytes.is_empty() {
        bytes.push(b'[');
    }
    for env in envelopes {
        if bytes.len() > 1 {
            bytes.push(b',');
        }
        bytes.extend_from_slice(env.as_bytes());
    }
    bytes.push(b']');
}

fn chunk_key(space: &str, n: u32) -> JsValue {
    JsValue::from_str(&format!("{space}/{n:08}"))
}

/// Every key of a space in a store keyed `{space}/…` (`0` follows `/` in ASCII).
/// `{space}#snapshot`: `#` sorts before `/`, so the log's range never includes it.
fn base_key(space: &str) -> JsValue {
    JsValue::from_str(&format!("{space}#snapshot"))
}

fn space_range(space: &str) -> Result<Query, StoreError> {
    KeyRange::bound(
        &JsValue::from_str(&format!("{space}/")),
        &JsValue::from_str(&format!("{space}0")),
        Some(false),
        Some(true),
    )
    .map(Query::from)
    .map_err(StoreError::read)
}

/// Every value of `store` (within `query`), in key order.
async fn get_all(
    tx: &idb::Transaction,
    store: &str,
    query: Option<Query>,
) -> Result<Vec<JsValue>, StoreError> {
    tx.object_store(store)
        .map_err(StoreError::read)?
        .get_all(query, None)
        .map_err(StoreError::read)?
        .await
        .map_err(StoreError::read)
}

/// The value at `key` of `store`, `None` if there is none.
async fn get(
    tx: &idb::Transaction,
    store: &str,
    key: JsValue,
) -> Result<Option<JsValue>, StoreError> {
    let v = tx
        .object_store(store)
        .map_err(StoreError::read)?
        .get(key)
        .map_err(StoreError::read)?
        .await
        .map_err(StoreError::read)?;
    Ok(v.filter(|v| !v.is_undefined()))
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, StoreError> {
    // Maps as plain objects, so records read back the same in devtools and other code.
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(StoreError::write)
}

fn from_js<T: for<'de> Deserialize<'de>>(v: JsValue) -> Result<T, StoreError> {
    serde_wasm_bindgen::from_value(v).map_err(StoreError::read)
}

impl Store {
    /// Every joined community.
    pub async fn spaces(&self) -> Result<Vec<SpaceRecord>, StoreError> {
        let all = self
            .reading(&[SPACES], async |tx| get_all(tx, SPACES, None).await)
            .await?;
        all.into_iter().map(from_js).collect()
    }

    /// Replaces a community's record (sync state, snapshot).
    pub async fn put_space(&self, record: &SpaceRecord) -> Result<(), StoreError> {
        let value = to_js(record)?;
        let key = JsValue::from_str(&record.space);
        self.writing(&[SPACES], async |tx| put(tx, SPACES, &value, &key).await)
            .await
    }

    /// Appends envelopes to a space's log and own new events to its outbox, and stores the
    /// updated record, in one transaction. `record` is updated (chunk counters, event count)
    /// only when the transaction committed; when it did not, nothing of it is kept.
    pub async fn append(
        &self,
        record: &mut SpaceRecord,
        envelopes: &[String],
        outbox: &[OutboxItem],
    ) -> Result<(), StoreError> {
        let mut next = record.clone();
        let space = record.space.clone();
        let outbox_values = outbox
            .iter()
            .map(|o| Ok((JsValue::from_str(&format!("{space}/{}", o.id)), to_js(o)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.writing(&[SPACES, CHUNKS, OUTBOX], async |tx| {
            let mut records: Vec<(JsValue, JsValue)> = Vec::new();
            let mut rest = envelopes;
            while !rest.is_empty() {
                let partial = next.chunks > 0 && (next.last_chunk_len as usize) < CHUNK_EVENTS;
                let (n, held, mut bytes) = if partial {
                    let n = next.chunks - 1;
                    let bytes = match get(tx, CHUNKS, chunk_key(&space, n)).await? {
                        Some(v) => chunk_bytes(&v)?,
                        None => Vec::new(),
                    };
                    (n, next.last_chunk_len as usize, bytes)
                } else {
                    next.chunks += 1;
                    (next.chunks - 1, 0, Vec::new())
                };
                let take = CHUNK_EVENTS.saturating_sub(held).max(1).min(rest.len());
                extend_chunk(&mut bytes, &rest[..take]);
                rest = &rest[take..];
                next.last_chunk_len = (held + take) as u32;
                next.events += take as u64;
                records.push((chunk_value(&bytes), chunk_key(&space, n)));
            }
            // Requests of one transaction run in order: issue them all, then wait for all,
            // rather than a round trip per chunk.
            let puts = records
                .iter()
                .map(|(v, k)| put(tx, CHUNKS, v, k))
                .chain(outbox_values.iter().map(|(k, v)| put(tx, OUTBOX, v, k)));
            for r in futures::future::join_all(puts).await {
                r?;
            }
            put(tx, SPACES, &to_js(&next)?, &JsValue::from_str(&space)).await
        })
        .await?;
        *record = next;
        Ok(())
    }

    /// Every envelope of a space's log, in the order stored.
    pub async fn events(&self, space: &str) -> Result<Vec<String>, StoreError> {
        let mut out = Vec::new();
        for chunk in self.chunks(space).await? {
            out.extend(chunk_envelopes(&chunk)?);
        }
        Ok(out)
    }

    /// Chunk `n` of a space's log: the bytes of a JSON array of envelopes (split them with
    /// [`envelopes_of`]); `None` if there is no such chunk. One chunk per request, so that a
    /// caller that must not block the page (reading a large log back) takes each in a task
    /// of its own rather than all of them at once.
    pub async fn chunk(&self, space: &str, n: u32) -> Result<Option<Vec<u8>>, StoreError> {
        let value = self
            .reading(&[CHUNKS], async |tx| {
                get(tx, CHUNKS, chunk_key(space, n)).await
            })
            .await?;
        value.as_ref().map(chunk_bytes).transpose()
    }

    /// Keeps the snapshot a fast-joined community starts from (outside the log's key range).
    pub async fn put_base(&self, space: &str, bytes: &[u8]) -> Result<(), StoreError> {
        let value = chunk_value(bytes);
        self.writing(&[CHUNKS], async |tx| {
            put(tx, CHUNKS, &value, &base_key(space)).await
        })
        .await
    }

    /// The snapshot a fast-joined community starts from, if kept.
    pub async fn base(&self, space: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let value = self
            .reading(&[CHUNKS], async |tx| get(tx, CHUNKS, base_key(space)).await)
            .await?;
        value.as_ref().map(chunk_bytes).transpose()
    }

    /// Every chunk of a space's log, in the order stored.
    pub async fn chunks(&self, space: &str) -> Result<Vec<Vec<u8>>, StoreError> {
        let all = self
            .reading(&[CHUNKS], async |tx| {
                get_all(tx, CHUNKS, Some(space_range(space)?)).await
            })
            .await?;
        all.iter().map(chunk_bytes).collect()
    }

    /// The outbox of a space, oldest first.
    pub async fn outbox(&self, space: &str) -> Result<Vec<OutboxItem>, StoreError> {
        let all = self
            .reading(&[OUTBOX], async |tx| {
                get_all(tx, OUTBOX, Some(space_range(space)?)).await
            })
            .await?;
        all.into_iter().map(from_js).collect()
    }

    /// Removes acknowledged (or finally refused) events from the outbox and stores the
    /// record, in one transaction.
    pub async fn settle(
        &self,
        record: &SpaceRecord,
        done: &[String],
        retried: &[OutboxItem],
    ) -> Result<(), StoreError> {
        let value = to_js(record)?;
        let space = record.space.clone();
        let retried = retried
            .iter()
            .map(|o| Ok((JsValue::from_str(&format!("{space}/{}", o.id)), to_js(o)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.writing(&[SPACES, OUTBOX], async |tx| {
            let out = tx.object_store(OUTBOX).map_err(StoreError::write)?;
            for id in done {
                out.delete(JsValue::from_str(&format!("{space}/{id}")))
                    .map_err(StoreError::write)?
                    .await
                    .map_err(StoreError::write)?;
            }
            for (key, v) in &retried {
                put(tx, OUTBOX, v, key).await?;
            }
            put(tx, SPACES, &value, &JsValue::from_str(&space)).await
        })
        .await
    }
}
