//! The community this device has joined: its record and log in the store, the folded
//! [`Space`] in memory, and this device's signer.
//!
//! A command flows one way: the domain judges it ([`Space::check`]; a refused command is never
//! signed) → sign → store the event with its outbox entry in one transaction → fold it in.
//! The fold lives in a [`SharedSpace`] that views read synchronously at any time; it is only
//! changed in short synchronous steps, never across an await.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use linli_domain::council::act::{Charter, Close, FrontierPart};
use linli_domain::roster::act::{Genesis, Invite, Join};
use linli_domain::roster::Actor;
use linli_domain::{council, roster, Code, Command, DeviceKey, Draft, Event, Hex32, Opener};
use linli_domain::{next_lamport, Role, Space};

use crate::clock::{now_ms, yield_now};
use crate::store::keys::{new_signer, random_bytes, SignError, Signer};
use crate::store::log::{envelopes_of, Base, OutboxItem, Snapshot, SpaceRecord};
use crate::store::{Store, StoreError};
use crate::sync::{Fetched, Timings};

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
    /// The domain refused the command before it was signed: why.
    #[error("refused: {0}")]
    Refused(Code),
    /// The fold rejected an event this device signed (kept as evidence). Only possible when
    /// the state changed between the check and the fold, which one lock rules out.
    #[error("rejected: {0}")]
    Rejected(Code),
    /// A part of the app could not be loaded.
    #[error(transparent)]
    Part(#[from] crate::parts::PartError),
    /// No community on this device, or it is still being read.
    #[error("no community")]
    NoCommunity,
    /// The older history did not agree with the checkpoint this phone joined from: it signs
    /// nothing more until it goes on with the history from the genesis
    /// (`super::history::adopt_full`).
    #[error("the history does not agree with the checkpoint")]
    Distrusted,
    /// A link or a stored value was broken.
    #[error("invalid: {0}")]
    Invalid(&'static str),
    /// A field of the form is at fault (the domain's limits, or the standing rules): nothing
    /// was signed.
    #[error("{kind}: field {}", error.field)]
    Field {
        /// The command's kind.
        kind: &'static str,
        /// Which field, and how.
        error: linli_domain::wire::FieldError,
    },
}

/// The fold, shared with the views: read with `borrow()` in a synchronous step.
pub type SharedSpace = Rc<RefCell<Space>>;

/// A joined community.
pub struct Community {
    /// What the store keeps about it.
    pub record: SpaceRecord,
    /// Its events, folded.
    pub space: SharedSpace,
    /// This device's key in it.
    pub signer: Signer,
    /// Own events the hub has not acknowledged.
    pub unsent: usize,
    /// Where the time of receiving events went (diagnostics and benchmarks).
    pub timings: Timings,
    /// The state hash and the log length it was computed at: serializing a large state
    /// takes a while, so it is computed only when asked and only once per change.
    hash_cache: RefCell<Option<(usize, String)>>,
}

/// How long the app works on reading a log back before it lets the browser paint and handle
/// input: short enough that a slow phone never sees a long task.
const SLICE_MS: f64 = 8.0;

/// Events folded between two looks at the clock.
const FOLD_BATCH: usize = 64;

/// Work cut into slices of about [`SLICE_MS`].
struct Slices {
    since: f64,
}

impl Slices {
    fn new() -> Slices {
        Slices { since: clock() }
    }

    /// Yields when the current slice is used up.
    async fn tick(&mut self) {
        if clock() - self.since >= SLICE_MS {
            yield_now().await;
            self.since = clock();
        }
    }
}

/// A monotonic clock in ms (the page's `performance.now()`).
fn clock() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(now_ms, |p| p.now())
}

impl Community {
    fn new(record: SpaceRecord, space: Space, signer: Signer, timings: Timings) -> Community {
        Community {
            record,
            space: Rc::new(RefCell::new(space)),
            signer,
            unsent: 0,
            timings,
            hash_cache: Default::default(),
        }
    }

    /// The fold, for a synchronous read.
    pub fn space(&self) -> Ref<'_, Space> {
        self.space.borrow()
    }

    /// The space id.
    pub fn id(&self) -> Hex32 {
        self.space().id()
    }

    /// This device's key.
    pub fn device(&self) -> DeviceKey {
        self.signer.device()
    }

    /// This device's member and role, if it is on the roster.
    pub fn me(&self) -> Option<Actor> {
        self.space().state().roster.actor(&self.device()).ok()
    }

    /// The summary the first screen shows on the next start (with the state hash if it is
    /// known already).
    pub fn snapshot(&self) -> Snapshot {
        let space = self.space();
        let state = space.state();
        let len = space.len();
        Snapshot {
            events: len as u64,
            members: state.roster.member_count() as u32,
            accepted: state.accepted,
            rejected: state.rejected_count() as u64,
            state_hash: match &*self.hash_cache.borrow() {
                Some((at, h)) if *at == len => h.clone(),
                _ => String::new(),
            },
            role: self.me().map(|a| a.role),
            to_vote: super::digest::to_vote(&space, &self.device()),
            unsent: self.unsent as u64,
            refused: self.record.refused.len() as u64,
            following: self.record.seq == 0,
            stopped: state
                .roster
                .device(&self.device())
                .is_some_and(|d| d.revoked),
            meetings: super::digest::meetings(&space, crate::clock::now_ms() as i64),
            quick_rules: super::digest::quick_rules(&space, &self.device()),
            polls: super::digest::polls(&space, &self.device(), crate::clock::now_ms() as i64),
            unchecked: self
                .record
                .base
                .as_ref()
                .is_some_and(|b| !b.checked && b.refuted.is_none()),
            refuted: self
                .record
                .base
                .as_ref()
                .is_some_and(|b| b.refuted.is_some()),
        }
    }

    /// Puts another fold of the same community in place (the history from the genesis instead
    /// of a false checkpoint's snapshot), returning the one it replaces.
    pub fn replace_space(&mut self, space: Space) -> Space {
        *self.hash_cache.borrow_mut() = None;
        std::mem::replace(&mut *self.space.borrow_mut(), space)
    }

    /// The state hash of everything held (computed once per change of the log): the first
    /// 12 hex digits of SHA-256 of the canonical state.
    pub fn state_hash(&self) -> String {
        let len = self.space().len();
        if let Some((at, h)) = &*self.hash_cache.borrow() {
            if *at == len {
                return h.clone();
            }
        }
        let h = self.space().state().state_hash();
        *self.hash_cache.borrow_mut() = Some((len, h.clone()));
        h
    }

    /// Founds a community: this device signs the genesis and becomes its admin, then adopts
    /// the standing rules the founder chose (议事规则), if any.
    pub async fn create(
        store: &Store,
        endpoint: &str,
        genesis: Genesis,
        charter: Option<Charter>,
    ) -> Result<Community, ActError> {
        let genesis = Command::Roster(roster::Act::Genesis(genesis));
        genesis.validate().map_err(ActError::Refused)?;
        let charter = charter.map(|c| Command::Council(council::Act::Charter(c)));
        if let Some(c) = &charter {
            c.validate().map_err(ActError::Refused)?;
        }
        let (signer, seed) = new_signer().await?;
        let payload = genesis.payload();
        let draft = Draft {
            space: None,
            seq: 1,
            prev: None,
            lamport: 1,
            ts: now_ms() as i64,
            kind: genesis.kind(),
            payload: &payload,
        };
        let event = signer.sign(&draft).await?;
        let space_id = event.id;
        store
            .put_key(&space_id.to_hex(), &signer, seed.as_ref())
            .await?;
        let record = SpaceRecord {
            space: space_id.to_hex(),
            name: match genesis {
                Command::Roster(roster::Act::Genesis(g)) => g.name.to_string(),
                _ => String::new(),
            },
            endpoint: endpoint.trim().to_owned(),
            device: signer.device().to_hex(),
            ..SpaceRecord::default()
        };
        let mut c = Community::new(record, Space::new(space_id), signer, Timings::default());
        c.keep_own(store, event).await?;
        if let Some(charter) = charter {
            c.act(store, charter).await?;
        }
        Ok(c)
    }

    /// Joins from an invitation: the community has been fetched from `endpoint` already (so
    /// the invitation and the name are known); this device keeps it and signs `member.join`
    /// with the secret.
    pub async fn join(
        store: &Store,
        endpoint: &str,
        fetched: Fetched,
        secret: &[u8],
        name: &str,
    ) -> Result<Community, ActError> {
        let join = Command::Roster(roster::Act::Join(Join::new(secret, name)));
        // Asked before anything is kept: a used invitation or a blank name leaves no trace.
        fetched
            .space
            .check(&DeviceKey::default(), &join)
            .map_err(ActError::Refused)?;
        let mut c = Self::adopt(store, endpoint, fetched).await?;
        c.act(store, join).await?;
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
        let record = SpaceRecord {
            space: space_id.to_hex(),
            name: space.state().name.clone().unwrap_or_default(),
            endpoint: endpoint.to_owned(),
            device: signer.device().to_hex(),
            held_files: fetched.files,
            etag: fetched.etag,
            listed: fetched.listed.unwrap_or(0),
            push: fetched.push,
            last_sync_ms: Some(now_ms()),
            base: fetched.start.as_ref().map(|s| Base {
                checkpoint: s.checkpoint.clone(),
                events: s.events,
                covered: s.covered.clone(),
                checked: false,
                refuted: None,
            }),
            ..SpaceRecord::default()
        };
        let started = now_ms();
        if let Some(start) = &fetched.start {
            store.put_base(&space_id.to_hex(), &start.snapshot).await?;
        }
        let envelopes: Vec<String> = space.events().map(|e| e.envelope.clone()).collect();
        let mut c = Community::new(record, space, signer, fetched.timings);
        let mut record = c.record.clone();
        record.snapshot = c.snapshot();
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
    /// only parsed now), its key and its outbox. Works in slices of a few milliseconds,
    /// yielding to the browser in between, so that the screen stays responsive (and a slow
    /// phone sees no long task) while a large log is read.
    pub async fn load(store: &Store, record: SpaceRecord) -> Result<Community, ActError> {
        let id = Hex32::parse(&record.space).map_err(|_| ActError::Invalid("space"))?;
        let signer = store
            .key(&record.space)
            .await?
            .ok_or(ActError::Invalid("key"))?;
        let mut opener = Opener::default();
        let mut events: Vec<Event> = Vec::with_capacity(record.events as usize);
        let mut slices = Slices::new();
        for n in 0..record.chunks {
            let Some(chunk) = store.chunk(&record.space, n).await? else {
                continue;
            };
            for e in envelopes_of(&chunk)? {
                events.extend(opener.open_trusted(&e).ok());
                slices.tick().await;
            }
        }
        // In total order, each batch only appends: no step re-folds what came before.
        events.sort_by_key(|e| (e.position(), e.id));
        let mut space = match &record.base {
            // Joined fast: the snapshot again (its checkpoint's signatures are in the log).
            Some(_) => {
                let bytes = store
                    .base(&record.space)
                    .await?
                    .ok_or(ActError::Invalid("snapshot"))?;
                let sha = crate::sync::sha256_native(&bytes).await;
                let verified = crate::sync::fast::verify_snapshot(id, &bytes, sha, &events)
                    .await
                    .map_err(|_| ActError::Invalid("snapshot"))?;
                Space::from_verified(verified)
            }
            None => Space::new(id),
        };
        let mut rest = events.into_iter().peekable();
        while rest.peek().is_some() {
            space.insert(rest.by_ref().take(FOLD_BATCH));
            slices.tick().await;
        }
        let unsent = store.outbox(&record.space).await?.len();
        let mut c = Community::new(record, space, signer, Timings::default());
        c.unsent = unsent;
        Ok(c)
    }

    /// Judges, signs, stores and folds in a command of this device's member. A command the
    /// domain refuses is never signed: the error says why.
    pub async fn act(&mut self, store: &Store, command: Command) -> Result<Event, ActError> {
        if self
            .record
            .base
            .as_ref()
            .is_some_and(|b| b.refuted.is_some())
        {
            return Err(ActError::Distrusted);
        }
        let device = self.device();
        let kind = command.kind();
        self.space()
            .check_fields(&device, &command)
            .map_err(|error| ActError::Field { kind, error })?;
        // Judged with the time the event will carry (an appeal's window, a cap's month).
        let ts = now_ms() as i64;
        self.space()
            .check_at(&device, &command, ts)
            .map_err(ActError::Refused)?;
        let prev = match &self.record.prev {
            Some(p) => Some(Hex32::parse(p).map_err(|_| ActError::Invalid("prev"))?),
            None => None,
        };
        let payload = command.payload();
        let draft = Draft {
            space: Some(self.id()),
            seq: self.record.seq + 1,
            prev,
            lamport: next_lamport(self.record.lamport, self.space().max_lamport()),
            ts,
            kind: command.kind(),
            payload: &payload,
        };
        // Sign before any transaction opens.
        let event = self.signer.sign(&draft).await?;
        self.keep_own(store, event.clone()).await?;
        match self.space().state().rejection(&event.id) {
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
        self.space.borrow_mut().insert([event.clone()]);
        self.unsent += 1;
        record.snapshot = self.snapshot();
        if let Err(e) = store
            .append(&mut record, std::slice::from_ref(&event.envelope), &[item])
            .await
        {
            // Not stored: take it back out of memory.
            self.unsent -= 1;
            self.forget(&[event.id]);
            return Err(e.into());
        }
        self.record = record;
        Ok(())
    }

    /// Takes events back out of the fold (they could not be stored).
    fn forget(&self, ids: &[Hex32]) {
        let id = self.id();
        let mut space = Space::new(id);
        space.insert(
            self.space()
                .events()
                .filter(|e| !ids.contains(&e.id))
                .cloned(),
        );
        *self.space.borrow_mut() = space;
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
        let mut seen = std::collections::HashSet::new();
        let fresh: Vec<Event> = {
            let space = self.space();
            events
                .into_iter()
                .filter(|e| space.get(&e.id).is_none() && seen.insert(e.id))
                .collect()
        };
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
        let ids: Vec<Hex32> = fresh.iter().map(|e| e.id).collect();
        let started = now_ms();
        // Folded in place (a copy of a large log per batch would cost more than the batch);
        // taken back out below in the rare case the store refuses.
        self.space.borrow_mut().insert(fresh);
        let folded = now_ms();
        if record.name.is_empty() {
            record.name = self.space().state().name.clone().unwrap_or_default();
        }
        // This device's own chain may have been restored from elsewhere (a file).
        let head = self.space().state().roster.chain(&self.device());
        if let Some(head) = head {
            if head.seq > record.seq {
                record.seq = head.seq;
                record.prev = Some(head.id.to_hex());
                record.lamport = head.lamport;
            }
        }
        self.unsent += outbox.len();
        record.snapshot = self.snapshot();
        if let Err(e) = store.append(&mut record, &envelopes, &outbox).await {
            self.unsent -= outbox.len();
            self.forget(&ids);
            return Err(e.into());
        }
        self.timings.fold_ms += folded - started;
        self.timings.store_ms += now_ms() - folded;
        self.record = record;
        Ok(n)
    }

    /// A new invitation: a fresh secret whose hash is signed into `member.invite`. Returns
    /// the secret (for the link).
    pub async fn invite(
        &mut self,
        store: &Store,
        role: Role,
        household: &str,
    ) -> Result<[u8; 32], ActError> {
        let secret = random_bytes::<32>()?;
        let invite = Command::Roster(roster::Act::Invite(Invite::new(&secret, role, household)));
        self.act(store, invite).await?;
        Ok(secret)
    }

    /// Closes a ballot: signs the frontier (in parts when it is long) and the close.
    pub async fn close_ballot(&mut self, store: &Store, proposal: Hex32) -> Result<(), ActError> {
        let parts = self
            .space()
            .state()
            .council
            .proposal(&proposal)
            .ok_or(ActError::Refused(Code::UnknownProposal))?
            .closing_frontier();
        let close = if parts.len() <= 1 {
            Close {
                proposal,
                frontier: parts.into_iter().next().unwrap_or_default(),
                parts: Vec::new(),
            }
        } else {
            let mut ids = Vec::new();
            for entries in parts {
                let part = council::Act::FrontierPart(FrontierPart { proposal, entries });
                ids.push(self.act(store, part.into()).await?.id);
            }
            Close {
                proposal,
                frontier: Default::default(),
                parts: ids,
            }
        };
        self.act(store, council::Act::Close(close).into())
            .await
            .map(|_| ())
    }
}
