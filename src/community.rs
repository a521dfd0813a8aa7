//! The community this device has joined: its record and log in the store, the folded
//! [`Space`] in memory, and this device's signer. Every action signs first, then stores the
//! event and its outbox entry in one transaction, then folds it in.

use linli_domain::envelope::sha256;
use linli_domain::{next_lamport, Draft, Event, Hex32, Opener, Space};
use serde_json::json;

use crate::store::keys::{new_signer, random_bytes, SignError, Signer};
use crate::store::log::{OutboxItem, Snapshot, SpaceRecord};
use crate::store::{Store, StoreError};
use crate::sync::Fetched;

/// Why an action did not happen. Nothing already stored is lost by any of these.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ActError {
    /// The device's storage refused.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The key could not sign.
    #[error(transparent)]
    Sign(#[from] SignError),
    /// The community could not be reached.
    #[error("network: {0}")]
    Net(String),
    /// The fold rejected the event this device just signed (it is kept as evidence).
    #[error("rejected: {0}")]
    Rejected(linli_domain::Code),
    /// An input was not acceptable (an empty name, a broken link…).
    #[error("invalid: {0}")]
    Invalid(&'static str),
}

/// A joined community.
pub struct Community {
    /// What the store keeps about it.
    pub record: SpaceRecord,
    /// Its events, folded.
    pub space: Space,
    /// This device's key in it.
    pub signer: Signer,
    /// Own events the hub has not acknowledged.
    pub unsent: usize,
    /// Where the time of receiving events went (diagnostics and benchmarks).
    pub timings: Timings,
    /// The state hash and the log length it was computed at: serializing a large state
    /// takes a while, so it is computed only when asked and only once per change.
    hash_cache: std::cell::RefCell<Option<(usize, String)>>,
}

/// Milliseconds spent receiving events since the community was opened.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Timings {
    /// Downloading files.
    pub fetch_ms: f64,
    /// Opening envelopes: SHA-256, strict Ed25519, parsing.
    pub verify_ms: f64,
    /// Folding them into the state.
    pub fold_ms: f64,
    /// Writing them to IndexedDB.
    pub store_ms: f64,
}

/// The state hash shown on the diagnostics screen: first 12 hex digits of SHA-256 of the
/// canonical state.
pub fn state_hash(space: &Space) -> String {
    sha256(space.state().to_canonical_json().as_bytes()).to_hex()[..12].to_owned()
}

/// Milliseconds since the epoch (display only).
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Community {
    /// The summary the first screen shows (with the state hash if it is known already).
    pub fn snapshot(&self) -> Snapshot {
        let state = self.space.state();
        let len = self.space.len();
        Snapshot {
            events: len as u64,
            members: state.roster.member_count() as u32,
            accepted: state.accepted,
            rejected: state.rejected_count() as u64,
            state_hash: match &*self.hash_cache.borrow() {
                Some((at, h)) if *at == len => h.clone(),
                _ => String::new(),
            },
        }
    }

    /// The state hash of everything held (computed once per change of the log).
    pub fn state_hash(&self) -> String {
        let len = self.space.len();
        if let Some((at, h)) = &*self.hash_cache.borrow() {
            if *at == len {
                return h.clone();
            }
        }
        let h = state_hash(&self.space);
        *self.hash_cache.borrow_mut() = Some((len, h.clone()));
        h
    }

    /// The space id.
    pub fn id(&self) -> Hex32 {
        self.space.id()
    }

    /// This device's member entry and role, if it is on the roster.
    pub fn me(&self) -> Option<linli_domain::roster::Actor> {
        self.space.state().roster.actor(&self.signer.device()).ok()
    }

    /// Founds a community: this device signs the genesis and becomes its admin.
    pub async fn create(
        store: &Store,
        endpoint: &str,
        name: &str,
        founder: &str,
        household: &str,
    ) -> Result<Community, ActError> {
        let (name, founder, household) = (name.trim(), founder.trim(), household.trim());
        if name.is_empty() || founder.is_empty() {
            return Err(ActError::Invalid("name"));
        }
        let (signer, seed) = new_signer().await?;
        let payload = json!({"name": name, "founder": founder, "household": household});
        let draft = Draft {
            space: None,
            seq: 1,
            prev: None,
            lamport: 1,
            ts: now_ms() as i64,
            kind: "space.genesis",
            payload: &payload,
        };
        let genesis = signer.sign(&draft).await?;
        let space_id = genesis.id;
        store
            .put_key(&space_id.to_hex(), &signer, seed.as_ref())
            .await?;
        let mut c = Community {
            record: SpaceRecord {
                space: space_id.to_hex(),
                name: name.to_owned(),
                endpoint: endpoint.to_owned(),
                device: signer.device().to_hex(),
                ..SpaceRecord::default()
            },
            space: Space::new(space_id),
            signer,
            unsent: 0,
            timings: Timings::default(),
            hash_cache: Default::default(),
        };
        c.keep_own(store, genesis).await?;
        Ok(c)
    }

    /// Joins from an invitation: the community has been fetched from `endpoint` already
    /// (so the invitation and the name are known); this device keeps it and signs
    /// `member.join` with the secret.
    pub async fn join(
        store: &Store,
        endpoint: &str,
        fetched: Fetched,
        secret: &[u8],
        name: &str,
    ) -> Result<Community, ActError> {
        if name.trim().is_empty() {
            return Err(ActError::Invalid("name"));
        }
        let mut c = Self::adopt(store, endpoint, fetched).await?;
        let payload = json!({"secret": linli_domain::id::encode_hex(secret), "name": name.trim()});
        c.act(store, "member.join", &payload).await?;
        Ok(c)
    }

    /// Follows a community without joining (a read-only view, from a hub or a mirror): its
    /// events are kept and folded like a member's, and this device signs nothing. A key is
    /// still made, so that joining later keeps this device's log.
    pub async fn follow(
        store: &Store,
        endpoint: &str,
        fetched: Fetched,
    ) -> Result<Community, ActError> {
        Self::adopt(store, endpoint, fetched).await
    }

    /// Keeps a fetched community: a new key, and every event stored in one transaction.
    async fn adopt(store: &Store, endpoint: &str, fetched: Fetched) -> Result<Community, ActError> {
        let (signer, seed) = new_signer().await?;
        let space = fetched.space;
        let space_id = space.id();
        store
            .put_key(&space_id.to_hex(), &signer, seed.as_ref())
            .await?;
        let mut c = Community {
            record: SpaceRecord {
                space: space_id.to_hex(),
                name: space.state().name.clone().unwrap_or_default(),
                endpoint: endpoint.to_owned(),
                device: signer.device().to_hex(),
                held_files: fetched.files,
                etag: fetched.etag,
                last_sync_ms: Some(now_ms()),
                ..SpaceRecord::default()
            },
            space,
            signer,
            unsent: 0,
            timings: fetched.timings,
            hash_cache: Default::default(),
        };
        let envelopes: Vec<String> = c.space.events().map(|e| e.envelope.clone()).collect();
        let mut record = c.record.clone();
        record.snapshot = c.snapshot();
        let started = now_ms();
        store.append(&mut record, &envelopes, &[]).await?;
        c.timings.store_ms += now_ms() - started;
        c.record = record;
        let t = c.timings;
        leptos::logging::log!(
            "linli sync: {} events fetched for a new device: fetch {} ms, verify {} ms, fold {} ms, store {} ms",
            envelopes.len(),
            t.fetch_ms as u64,
            t.verify_ms as u64,
            t.fold_ms as u64,
            t.store_ms as u64
        );
        Ok(c)
    }

    /// Reads a community back from the store: its events (verified when they were stored, so
    /// only parsed now), its key and its outbox.
    pub async fn load(store: &Store, record: SpaceRecord) -> Result<Community, ActError> {
        let id = Hex32::parse(&record.space).map_err(|_| ActError::Invalid("space"))?;
        let signer = store
            .key(&record.space)
            .await?
            .ok_or(ActError::Invalid("key"))?;
        let envelopes = store.events(&record.space).await?;
        let mut opener = Opener::default();
        let events: Vec<Event> = envelopes
            .iter()
            .filter_map(|e| opener.open_trusted(e).ok())
            .collect();
        let mut space = Space::new(id);
        space.insert(events);
        let unsent = store.outbox(&record.space).await?.len();
        Ok(Community {
            record,
            space,
            signer,
            unsent,
            timings: Timings::default(),
            hash_cache: Default::default(),
        })
    }

    /// Signs an event of this device's chain, stores it with its outbox entry, folds it in.
    pub async fn act(
        &mut self,
        store: &Store,
        kind: &str,
        payload: &serde_json::Value,
    ) -> Result<Event, ActError> {
        let prev = match &self.record.prev {
            Some(p) => Some(Hex32::parse(p).map_err(|_| ActError::Invalid("prev"))?),
            None => None,
        };
        let draft = Draft {
            space: Some(self.id()),
            seq: self.record.seq + 1,
            prev,
            lamport: next_lamport(self.record.lamport, self.space.max_lamport()),
            ts: now_ms() as i64,
            kind,
            payload,
        };
        // Sign before any transaction opens.
        let event = self.signer.sign(&draft).await?;
        self.keep_own(store, event.clone()).await?;
        match self.space.state().rejection(&event.id) {
            Some(code) => Err(ActError::Rejected(code)),
            None => Ok(event),
        }
    }

    async fn keep_own(&mut self, store: &Store, event: Event) -> Result<(), ActError> {
        let mut record = self.record.clone();
        record.seq = event.seq;
        record.prev = Some(event.id.to_hex());
        record.lamport = event.lamport;
        let item = OutboxItem {
            id: event.id.to_hex(),
            envelope: event.envelope.clone(),
            tries: 0,
        };
        self.space.insert([event.clone()]);
        record.snapshot = self.snapshot();
        if let Err(e) = store
            .append(&mut record, std::slice::from_ref(&event.envelope), &[item])
            .await
        {
            // Not stored: take it back out of memory by reloading the log as it was.
            let mut space = Space::new(self.id());
            space.insert(self.space.events().filter(|e| e.id != event.id).cloned());
            self.space = space;
            return Err(e.into());
        }
        self.record = record;
        self.unsent += 1;
        Ok(())
    }

    /// Stores events received from the hub or a mirror (already verified) and folds them in.
    /// Returns how many were new.
    pub async fn keep_received(
        &mut self,
        store: &Store,
        events: Vec<Event>,
    ) -> Result<usize, ActError> {
        self.keep(store, events, false).await
    }

    /// Stores events imported from a file (already verified), folds them in, and queues them
    /// for the hub too: they are usually another phone's unsent events.
    pub async fn keep_imported(
        &mut self,
        store: &Store,
        events: Vec<Event>,
    ) -> Result<usize, ActError> {
        self.keep(store, events, true).await
    }

    async fn keep(
        &mut self,
        store: &Store,
        events: Vec<Event>,
        to_outbox: bool,
    ) -> Result<usize, ActError> {
        let fresh: Vec<Event> = events
            .into_iter()
            .filter(|e| self.space.get(&e.id).is_none())
            .collect();
        let mut seen = std::collections::HashSet::new();
        let fresh: Vec<Event> = fresh.into_iter().filter(|e| seen.insert(e.id)).collect();
        if fresh.is_empty() {
            return Ok(0);
        }
        let envelopes: Vec<String> = fresh.iter().map(|e| e.envelope.clone()).collect();
        let outbox: Vec<OutboxItem> = if to_outbox {
            fresh
                .iter()
                .map(|e| OutboxItem {
                    id: e.id.to_hex(),
                    envelope: e.envelope.clone(),
                    tries: 0,
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut record = self.record.clone();
        let n = fresh.len();
        let ids: std::collections::HashSet<Hex32> = fresh.iter().map(|e| e.id).collect();
        let started = now_ms();
        // Folded in place (a copy of a large log per batch would cost more than the batch);
        // taken back out below in the rare case the store refuses.
        self.space.insert(fresh);
        let folded = now_ms();
        if record.name.is_empty() {
            record.name = self.space.state().name.clone().unwrap_or_default();
        }
        // This device's own chain may have been restored from elsewhere (a file).
        let me = self.signer.device();
        if let Some(head) = self.space.state().roster.chain(&me) {
            if head.seq > record.seq {
                record.seq = head.seq;
                record.prev = Some(head.id.to_hex());
                record.lamport = head.lamport;
            }
        }
        record.snapshot = self.snapshot();
        if let Err(e) = store.append(&mut record, &envelopes, &outbox).await {
            let mut space = Space::new(self.id());
            space.insert(
                self.space
                    .events()
                    .filter(|e| !ids.contains(&e.id))
                    .cloned(),
            );
            self.space = space;
            return Err(e.into());
        }
        self.timings.fold_ms += folded - started;
        self.timings.store_ms += now_ms() - folded;
        self.record = record;
        self.unsent += outbox.len();
        Ok(n)
    }

    /// A new invitation: a fresh secret whose hash is signed into `member.invite`. Returns
    /// the secret (for the link).
    pub async fn invite(
        &mut self,
        store: &Store,
        role: &str,
        household: &str,
    ) -> Result<[u8; 32], ActError> {
        let household = household.trim();
        if household.is_empty() {
            return Err(ActError::Invalid("household"));
        }
        let secret = random_bytes::<32>()?;
        let payload =
            json!({"invite": sha256(&secret).to_hex(), "role": role, "household": household});
        self.act(store, "member.invite", &payload).await?;
        Ok(secret)
    }
}

impl Community {
    /// Closes a ballot: signs the frontier (in parts when it is long) and the close.
    pub async fn close_ballot(&mut self, store: &Store, proposal: Hex32) -> Result<(), ActError> {
        let parts = self
            .space
            .state()
            .council
            .proposal(&proposal)
            .ok_or(ActError::Invalid("proposal"))?
            .closing_frontier();
        let hex = |f: &std::collections::BTreeMap<Hex32, u64>| -> serde_json::Map<String, serde_json::Value> {
            f.iter().map(|(k, v)| (k.to_hex(), json!(v))).collect()
        };
        let payload = if parts.len() <= 1 {
            let frontier = parts.first().map(hex).unwrap_or_default();
            json!({"proposal": proposal.to_hex(), "frontier": frontier})
        } else {
            let mut ids = Vec::new();
            for part in &parts {
                let e = self
                    .act(
                        store,
                        "ballot.frontier",
                        &json!({"proposal": proposal.to_hex(), "entries": hex(part)}),
                    )
                    .await?;
                ids.push(e.id.to_hex());
            }
            json!({"proposal": proposal.to_hex(), "parts": ids})
        };
        self.act(store, "ballot.close", &payload).await.map(|_| ())
    }
}

/// An invitation link: the app's root with the endpoint, space and secret in the fragment. A
/// fragment never reaches any server or log, and the root exists on every static host (no
/// deep-link fallback needed); the app moves to its join page when it sees one.
pub fn invite_link(app_origin: &str, endpoint: &str, space: &Hex32, secret: &[u8]) -> String {
    format!(
        "{app_origin}/#e={}&s={}&k={}",
        js_sys::encode_uri_component(endpoint),
        space.to_hex(),
        linli_domain::id::encode_hex(secret)
    )
}

/// What a link's fragment carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InviteLink {
    /// Where the community syncs.
    pub endpoint: String,
    /// Its id.
    pub space: Hex32,
    /// The one-time secret; `None` in a link to follow a community read-only.
    pub secret: Option<Vec<u8>>,
}

/// Reads `#e=…&s=…&k=…` (with or without the `#`).
pub fn parse_invite(fragment: &str) -> Option<InviteLink> {
    let mut endpoint = None;
    let mut space = None;
    let mut secret = None;
    for pair in fragment.trim_start_matches('#').split('&') {
        let (k, v) = pair.split_once('=')?;
        match k {
            "e" => {
                endpoint = js_sys::decode_uri_component(v)
                    .ok()
                    .and_then(|s| s.as_string())
            }
            "s" => space = Hex32::parse(v).ok(),
            "k" => secret = linli_domain::id::decode_hex(v).ok(),
            _ => {}
        }
    }
    if secret
        .as_ref()
        .is_some_and(|s| !(16..=64).contains(&s.len()))
    {
        return None;
    }
    Some(InviteLink {
        endpoint: endpoint.filter(|e| e.starts_with("http://") || e.starts_with("https://"))?,
        space: space?,
        secret,
    })
}
