//! Taking events in: `POST /spaces/{space}/events` without the HTTP.
//!
//! Every envelope is opened (limits, base64, strict signature, body) by `linli-domain` before
//! any lock is taken. Under the space's lock, each new event is admitted or refused:
//!
//! - the space's genesis, events of devices on the roster (revoked ones too: their events from
//!   before the revocation still count), and joins that reveal a usable invitation are
//!   **accepted** — stored even if the fold then rejects them, because a signed event is
//!   evidence and a later event can change its verdict (a chain gap filled in, say);
//! - everything else is **rejected** with a code: envelopes that do not open, events of
//!   another space, and events of devices the hub does not know. The last two kinds
//!   (`unknown_author`, `invite_unknown`) carry `retry: true`: the invitation or the device's
//!   admission may simply not have reached the hub yet, so clients keep them and try again.
//!
//! A loaded space is held as [`Known`]: the roster the full fold left at load time and the ids
//! of the events held, not the log itself, so memory does not grow with a space's history.
//!
//! Accepted events go into one new immutable file, written durably, and then the manifest is
//! replaced atomically; only then is the request answered. A hub killed at any moment has on
//! disk a manifest naming only complete files, and every event it acknowledged is in one.
//! Small files are packed: once [`PACK_AFTER`] small files sit at the end of the manifest,
//! the next write replaces them with one file holding all of their events.

use std::collections::{HashMap, HashSet};
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use linli_domain::envelope::{split_batch, BatchError, MAX_BATCH};
use linli_domain::{roster, Code, Command, Event, EventId, Opener, Space, SpaceId};
use serde::Serialize;
use serde_json::value::RawValue;

use crate::commits::{record_name, Log, Record};
use crate::files::{load_file, parse_manifest, segment, FileEntry, Manifest};
use crate::storage::{Storage, MANIFEST};

/// A file with fewer events than this is small, and gets packed.
pub const SMALL_FILE: usize = 1_000;
/// How many small files may sit at the end of a manifest before they are packed into one.
pub const PACK_AFTER: usize = 8;

/// What happened to one envelope of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Status {
    /// Stored: it is in a file the manifest lists.
    Accepted,
    /// Already stored before (or earlier in the same batch).
    Duplicate,
    /// Not stored.
    Rejected {
        /// Why.
        code: Code,
        /// Whether sending it again later may succeed (its author's admission has not
        /// arrived yet).
        retry: bool,
    },
}

/// One envelope's result, in the order of the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ItemResult {
    /// The event id (or, for an envelope that did not decode, the SHA-256 of its text).
    pub id: EventId,
    /// What happened.
    #[serde(flatten)]
    pub status: Status,
}

/// The answer to a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receipt {
    /// Newly stored.
    pub accepted: usize,
    /// Held already.
    pub duplicate: usize,
    /// Not stored.
    pub rejected: usize,
    /// Per envelope, in request order.
    pub results: Vec<ItemResult>,
}

/// Why a whole batch was refused; nothing of it was stored.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The body is not a JSON array.
    #[error("the body must be a JSON array of envelopes: {0}")]
    NotAnArray(String),
    /// Over [`MAX_BATCH`] envelopes.
    #[error("{0} envelopes in one batch; at most {MAX_BATCH}")]
    TooMany(usize),
    /// No such space here, and the batch does not found it.
    #[error("no space {0} on this hub")]
    NoSuchSpace(SpaceId),
    /// This hub does not take new spaces.
    #[error("this hub does not accept new spaces")]
    NewSpacesClosed,
    /// The stored space could not be read back (a damaged file, say).
    #[error("the stored space cannot be read: {0}")]
    Corrupt(String),
    /// Writing failed; nothing of the batch is acknowledged.
    #[error("storage failed: {0}")]
    Storage(#[from] io::Error),
}

/// A space as the hub holds it in memory: what admission needs of it ([`Known`]), the
/// manifest it came from, and the files a pack replaced (deleted once [`Options::grace`] has
/// passed: a reader holding the previous manifest can still fetch them).
struct Loaded {
    known: Known,
    manifest: Manifest,
    retired: Vec<(String, Instant)>,
    /// On shared storage, the commit records read so far ([`crate::commits`]).
    log: Option<Log>,
}

/// What admission needs of a stored space, and nothing more: the roster as the full fold left
/// it when the space was loaded, the ids of the events held, and the devices and invitations
/// the hub admitted since (exactly as within one commit: see [`Admitted`]). The log itself
/// (every event's body and the folded state) is dropped once loaded, so a space costs the
/// hub about a hundred bytes per event instead of kilobytes: a district's hub holds its
/// active spaces in tens of megabytes (README → "Running a district").
struct Known {
    roster: roster::Roster,
    ids: HashSet<EventId>,
    /// Devices, invitations and used invitations admitted since the load.
    since: Admitted,
}

impl Known {
    /// The view of a fully folded space.
    fn of(space: &Space) -> Known {
        Known {
            roster: space.state().roster.clone(),
            ids: space.events().map(|e| e.id).collect(),
            since: Admitted::default(),
        }
    }

    /// A space founded by the commit being written.
    fn empty() -> Known {
        Known {
            roster: roster::Roster::default(),
            ids: HashSet::new(),
            since: Admitted::default(),
        }
    }

    /// Takes in the events another hub admitted (read from its commit's files): what they
    /// widen admission by, as if this hub had admitted them.
    fn absorb_theirs<'a>(&mut self, events: impl Iterator<Item = &'a Event>) {
        for event in events {
            self.ids.insert(event.id);
            self.since.note(event);
            if let Some(Command::Roster(roster::Act::Join(join))) = event.payload.command() {
                self.since.used.insert(join.invite);
            }
        }
    }

    /// Takes in a commit's events once they are durable: the devices and invitations they
    /// admit, and the invitations their joins used (only the holder of an invitation's secret
    /// can use it, so a second device revealing it is refused, as the fold would). A revoked
    /// invitation is left to the fold: any member can sign a revocation the fold then rejects,
    /// and the hub must never refuse an event the fold would count.
    fn absorb(&mut self, events: &[Event], batch: Admitted) {
        self.ids.extend(events.iter().map(|e| e.id));
        self.since.devices.extend(batch.devices);
        self.since.invites.extend(batch.invites);
        self.since.used.extend(batch.used);
    }
}

/// How the hub keeps spaces in memory and files on disk.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// How long a file replaced by a pack stays on disk for readers of the previous manifest.
    pub grace: Duration,
    /// A space nobody posted to for this long is dropped from memory (read back on demand).
    pub idle: Duration,
    /// On shared storage, how often each loaded space's manifest is checked against its
    /// commit records and rewritten if it misses one (a hub died between its manifest write
    /// and its re-list).
    pub reconcile: Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            grace: Duration::from_secs(120),
            idle: Duration::from_secs(600),
            reconcile: Duration::from_secs(2),
        }
    }
}

/// A queued post's ticket and its answer.
type Answer = (u64, Result<Receipt, IngestError>);

/// One request waiting in a space's commit queue.
struct Waiting {
    ticket: u64,
    opened: Vec<Result<Event, linli_domain::Unopened>>,
    founds: bool,
    may_found: bool,
}

/// A space's slot: its loaded state and its commit queue. Posts queue here; the first one to
/// find no commit running becomes the committer and writes every queued post in one file and
/// one manifest swap (group commit), then answers each of them.
#[derive(Default)]
struct Slot {
    inner: Mutex<SlotInner>,
    done: Condvar,
}

#[derive(Default)]
struct SlotInner {
    /// `None` until loaded, and while a committer has it out.
    loaded: Option<Loaded>,
    queue: Vec<Waiting>,
    committing: bool,
    answers: HashMap<u64, Result<Receipt, IngestError>>,
    next_ticket: u64,
    last_used: Option<Instant>,
}

/// What [`Hub::status`] reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct HubStatus {
    /// Spaces with a slot in memory.
    pub slots: usize,
    /// Spaces whose log is loaded.
    pub loaded: usize,
    /// Events held in memory over all loaded spaces.
    pub events: usize,
    /// Commits written since start (each one file and one manifest swap).
    pub commits: u64,
    /// Posts those commits carried.
    pub committed_posts: u64,
}

/// The ingest side of the hub: the storage and the spaces loaded from it.
pub struct Hub {
    storage: Arc<dyn Storage>,
    spaces: Mutex<HashMap<SpaceId, Arc<Slot>>>,
    options: Options,
    /// Written into every manifest this hub writes ([`Manifest::push`]).
    push: Option<String>,
    commits: AtomicU64,
    committed_posts: AtomicU64,
    /// This process's name in commit record names (random: two hubs never share one).
    id: String,
    /// Commit records written since start (numbers them).
    records: AtomicU64,
}

/// Eight random hex digits (the standard library's random hasher keys, and the time).
fn hub_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.write_u32(std::process::id());
    format!("{:08x}", h.finish() as u32)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a space lock leaves a consistent slot behind (state changes
    // happen only after durable writes), so the data is safe to keep using.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An error for each of several requests (an `io::Error` is not `Clone`).
fn copy_error(e: &IngestError) -> IngestError {
    match e {
        IngestError::NotAnArray(m) => IngestError::NotAnArray(m.clone()),
        IngestError::TooMany(n) => IngestError::TooMany(*n),
        IngestError::NoSuchSpace(s) => IngestError::NoSuchSpace(*s),
        IngestError::NewSpacesClosed => IngestError::NewSpacesClosed,
        IngestError::Corrupt(m) => IngestError::Corrupt(m.clone()),
        IngestError::Storage(io) => IngestError::Storage(io::Error::new(io.kind(), io.to_string())),
    }
}

impl Hub {
    /// A hub over `storage`.
    pub fn new(storage: Arc<dyn Storage>, options: Options) -> Hub {
        Hub {
            storage,
            spaces: Mutex::new(HashMap::new()),
            options,
            push: None,
            commits: AtomicU64::new(0),
            committed_posts: AtomicU64::new(0),
            id: hub_id(),
            records: AtomicU64::new(0),
        }
    }

    /// Names `url` as where phones post, in every manifest this hub writes (for files read
    /// from a bucket, a CDN or a mirror: [`Manifest::push`]).
    pub fn with_push(mut self, url: Option<String>) -> Hub {
        self.push = url;
        self
    }

    /// The storage, for readers.
    pub fn storage(&self) -> &Arc<dyn Storage> {
        &self.storage
    }

    /// Opens, admits and stores a batch (a JSON array of envelopes); `may_found` says whether
    /// this client may found a new space with it. Blocking: call it off the async executor.
    ///
    /// Signatures are checked first, in the caller's thread (concurrent posts verify in
    /// parallel); then the post joins its space's commit queue and is answered once its
    /// events are durable.
    pub fn ingest(
        &self,
        space_id: SpaceId,
        batch: &str,
        may_found: bool,
    ) -> Result<Receipt, IngestError> {
        let items = split_batch(batch).map_err(|e| match e {
            BatchError::NotAnArray(e) => IngestError::NotAnArray(e),
            BatchError::TooMany(n) => IngestError::TooMany(n),
        })?;
        let mut opener = Opener::default();
        let opened: Vec<_> = items.iter().map(|raw| opener.open(raw.get())).collect();
        drop(items);
        let founds = opened.iter().any(|item| {
            item.as_ref()
                .is_ok_and(|e| e.id == space_id && e.space.is_none() && e.kind == "space.genesis")
        });
        // Nothing that opens (an empty batch, or only damaged envelopes): answered without
        // reading the space, which may be large.
        if opened.iter().all(Result::is_err) {
            if self.storage.read(&space_id, MANIFEST)?.is_none() {
                return Err(IngestError::NoSuchSpace(space_id));
            }
            let results = opened
                .into_iter()
                .filter_map(Result::err)
                .map(|u| rejected(u.id, u.code))
                .collect();
            return Ok(receipt(results));
        }

        let slot = {
            let mut spaces = lock(&self.spaces);
            Arc::clone(spaces.entry(space_id).or_default())
        };
        let mut inner = lock(&slot.inner);
        let ticket = inner.next_ticket;
        inner.next_ticket += 1;
        inner.queue.push(Waiting {
            ticket,
            opened,
            founds,
            may_found,
        });
        loop {
            if let Some(answer) = inner.answers.remove(&ticket) {
                drop(inner);
                self.forget_if_absent(space_id, &slot);
                return answer;
            }
            if inner.committing {
                inner = slot
                    .done
                    .wait(inner)
                    .unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            // No commit running: this post commits everything queued, its own included.
            inner.committing = true;
            let queue = std::mem::take(&mut inner.queue);
            let loaded = inner.loaded.take();
            drop(inner);
            let (loaded, answers) = self.commit(space_id, loaded, queue);
            inner = lock(&slot.inner);
            inner.loaded = loaded;
            inner.answers.extend(answers);
            inner.committing = false;
            inner.last_used = Some(Instant::now());
            slot.done.notify_all();
        }
    }

    /// Drops the slot of a space that does not exist (a post to a wrong id must not leave
    /// anything behind), unless another post holds it.
    fn forget_if_absent(&self, space_id: SpaceId, slot: &Arc<Slot>) {
        let mut spaces = lock(&self.spaces);
        let absent = {
            let inner = lock(&slot.inner);
            inner.loaded.is_none() && !inner.committing && inner.queue.is_empty()
        };
        // The map's reference and ours: nobody else can be about to queue on it.
        if absent && Arc::strong_count(slot) == 2 {
            spaces.remove(&space_id);
        }
    }

    /// Admits and stores every queued post in one file and one manifest swap.
    fn commit(
        &self,
        space_id: SpaceId,
        mut loaded: Option<Loaded>,
        queue: Vec<Waiting>,
    ) -> (Option<Loaded>, Vec<Answer>) {
        let mut answers = Vec::with_capacity(queue.len());
        let refreshed = if let Some(l) = loaded.as_mut() {
            // Another hub may have committed since: its roster changes decide admissions.
            self.refresh(space_id, l)
        } else {
            self.load(space_id).map(|l| loaded = l)
        };
        if let Err(e) = refreshed {
            return (
                None,
                queue
                    .iter()
                    .map(|w| (w.ticket, Err(copy_error(&e))))
                    .collect(),
            );
        }
        // Each post admitted in turn on top of the ones before it in this commit.
        let mut batch = Admitted::default();
        let mut seen: HashSet<EventId> = HashSet::new();
        let mut admitted: Vec<Event> = Vec::new();
        let mut pending: Vec<(u64, Vec<Option<ItemResult>>)> = Vec::new();
        for w in queue {
            if loaded.is_none() {
                if !w.founds {
                    answers.push((w.ticket, Err(IngestError::NoSuchSpace(space_id))));
                    continue;
                }
                if !w.may_found {
                    answers.push((w.ticket, Err(IngestError::NewSpacesClosed)));
                    continue;
                }
                loaded = Some(Loaded {
                    known: Known::empty(),
                    manifest: Manifest {
                        space: space_id.to_hex(),
                        files: Vec::new(),
                        push: None,
                    },
                    retired: Vec::new(),
                    log: self
                        .storage
                        .shared()
                        .then(|| Log::with_push(self.push.clone())),
                });
            }
            let Some(l) = loaded.as_ref() else { continue };
            let results = admit(
                &l.known,
                space_id,
                w.opened,
                &mut batch,
                &mut seen,
                &mut admitted,
            );
            pending.push((w.ticket, results));
        }
        let Some(mut l) = loaded else {
            return (None, answers);
        };
        if !admitted.is_empty() {
            // Durable first; only then does the in-memory log (and so the next commit) see them.
            let written = if l.log.is_some() {
                self.write_shared(space_id, &mut l, &admitted)
            } else {
                write_files(
                    &*self.storage,
                    space_id,
                    &l.manifest,
                    &admitted,
                    self.push.as_deref(),
                )
            };
            match written {
                Ok((manifest, replaced)) => {
                    l.manifest = manifest;
                    let now = Instant::now();
                    l.retired.extend(replaced.into_iter().map(|p| (p, now)));
                    l.known.absorb(&admitted, batch);
                    self.commits.fetch_add(1, Ordering::Relaxed);
                    self.committed_posts
                        .fetch_add(pending.len() as u64, Ordering::Relaxed);
                }
                Err(e) => {
                    // Nothing of this commit is acknowledged; the in-memory log may be ahead
                    // of the disk now: forget it, read it back next time.
                    answers.extend(pending.iter().map(|(t, _)| (*t, Err(copy_error(&e)))));
                    return (None, answers);
                }
            }
        }
        self.sweep_retired(space_id, &mut l, self.options.grace);
        answers.extend(
            pending
                .into_iter()
                .map(|(t, results)| (t, Ok(receipt(results.into_iter().flatten().collect())))),
        );
        (Some(l), answers)
    }

    /// Deletes the files a pack replaced once they are older than `grace` (with their
    /// compressed siblings). Best effort: a file left behind is removed by the next sweep.
    fn sweep_retired(&self, space_id: SpaceId, loaded: &mut Loaded, grace: Duration) {
        loaded.retired.retain(|(path, when)| {
            if when.elapsed() < grace {
                return true;
            }
            for name in [path.clone(), format!("{path}.br"), format!("{path}.gz")] {
                if let Err(e) = self.storage.remove(&space_id, &name) {
                    eprintln!("linli-hub: {space_id}: cannot remove {name}: {e}");
                }
            }
            false
        });
    }

    /// Drops from memory every space idle for longer than [`Options::idle`] (after deleting
    /// its retired files), and every slot of a space that does not exist. Returns how many
    /// were dropped.
    pub fn evict_idle(&self) -> usize {
        let mut spaces = lock(&self.spaces);
        let before = spaces.len();
        let idle = self.options.idle;
        let mut drop_ids = Vec::new();
        for (id, slot) in spaces.iter() {
            // Only the map holds it (checked under the map's lock, where posts take their
            // reference): nobody is queued on it or about to be.
            if Arc::strong_count(slot) != 1 {
                continue;
            }
            let mut inner = lock(&slot.inner);
            if inner.committing || !inner.queue.is_empty() {
                continue;
            }
            let stale = inner.last_used.is_none_or(|t| t.elapsed() >= idle);
            if inner.loaded.is_none() || stale {
                if let Some(mut l) = inner.loaded.take() {
                    self.sweep_retired(*id, &mut l, Duration::ZERO);
                }
                drop_ids.push(*id);
            }
        }
        for id in drop_ids {
            spaces.remove(&id);
        }
        before - spaces.len()
    }

    /// What the hub holds in memory.
    pub fn status(&self) -> HubStatus {
        let spaces = lock(&self.spaces);
        let mut s = HubStatus {
            slots: spaces.len(),
            commits: self.commits.load(Ordering::Relaxed),
            committed_posts: self.committed_posts.load(Ordering::Relaxed),
            ..HubStatus::default()
        };
        for slot in spaces.values() {
            if let Ok(inner) = slot.inner.try_lock() {
                if let Some(l) = &inner.loaded {
                    s.loaded += 1;
                    s.events += l.known.ids.len();
                }
            }
        }
        s
    }

    /// Reads a space from storage (`None` when it does not exist), and removes what a crash
    /// or an earlier pack left in its folder: temporary files and files no manifest lists.
    fn load(&self, space_id: SpaceId) -> Result<Option<Loaded>, IngestError> {
        if self.storage.shared() {
            return self.load_shared(space_id);
        }
        let Some(text) = self.storage.read(&space_id, MANIFEST)? else {
            return Ok(None);
        };
        let whence = format!("space {space_id}");
        let corrupt = |e: anyhow::Error| IngestError::Corrupt(format!("{e:#}"));
        let (id, manifest) = parse_manifest(&text, &whence).map_err(corrupt)?;
        if id != space_id {
            return Err(IngestError::Corrupt(format!(
                "the manifest of {space_id} names space {id}"
            )));
        }
        sweep_space(&*self.storage, space_id, &manifest, self.options.grace);
        let mut space = Space::new(space_id);
        let mut opener = Opener::default();
        for entry in &manifest.files {
            let bytes = self.storage.read(&space_id, &entry.path)?.ok_or_else(|| {
                IngestError::Corrupt(format!(
                    "the manifest lists {} but it is missing",
                    entry.path
                ))
            })?;
            load_file(&mut space, &mut opener, entry, &bytes).map_err(corrupt)?;
        }
        Ok(Some(Loaded {
            known: Known::of(&space),
            manifest,
            retired: Vec::new(),
            log: None,
        }))
    }

    /// Reads a shared space from its commit records, makes sure its manifest is the one
    /// they make (the start of service of a space), and sweeps its folder against that.
    fn load_shared(&self, space_id: SpaceId) -> Result<Option<Loaded>, IngestError> {
        let Some((space, log)) = Log::open(&*self.storage, space_id)? else {
            return Ok(None);
        };
        let mut log = log.named(self.push.clone());
        log.reconcile(&*self.storage, space_id)?;
        let manifest = log.manifest(space_id);
        let keep = log.keep(space_id, self.options.grace);
        sweep_space(&*self.storage, space_id, &keep, self.options.grace);
        Ok(Some(Loaded {
            known: Known::of(&space),
            manifest,
            retired: Vec::new(),
            log: Some(log),
        }))
    }

    /// On shared storage: reads the commit records other hubs wrote since this one last
    /// looked (one LIST), and the files they add.
    fn refresh(&self, space_id: SpaceId, loaded: &mut Loaded) -> Result<(), IngestError> {
        if let Some(log) = loaded.log.as_mut() {
            log.refresh(&*self.storage, space_id)?;
            // Their events, opened and checked, then only what admission needs of them kept.
            let mut theirs = Space::new(space_id);
            log.load_files(&*self.storage, space_id, &mut theirs)?;
            loaded.known.absorb_theirs(theirs.events());
        }
        Ok(())
    }

    /// On shared storage: the new events as one segment, then this commit's record (the
    /// acknowledgement's condition), then the manifest the records make, republished until
    /// no other hub's record appeared meanwhile. Returns the manifest and the files the
    /// commit's pack retired (deleted after the grace, as on a folder).
    fn write_shared(
        &self,
        space_id: SpaceId,
        loaded: &mut Loaded,
        events: &[Event],
    ) -> Result<(Manifest, Vec<String>), IngestError> {
        let Some(log) = loaded.log.as_mut() else {
            return Err(IngestError::Corrupt("not a shared space".into()));
        };
        // Packing as on a folder, over the view of every record read: the pack holds every
        // event of the files it retires, so two hubs packing the same tail at once both keep
        // every event (the manifest then lists both packs; readers dedupe).
        let view = log.manifest(space_id);
        let (pack, mut retires) = pack_tail(&*self.storage, space_id, &view.files, events.len())?;
        let (entry, bytes) = segment(
            pack.iter()
                .map(String::as_str)
                .chain(events.iter().map(|e| e.envelope.as_str())),
        );
        self.storage.put_file(&space_id, &entry.path, &bytes)?;
        retires.retain(|p| p != &entry.path);
        let record = Record {
            adds: vec![entry],
            retires: retires.clone(),
        };
        let name = record_name(&self.id, self.records.fetch_add(1, Ordering::Relaxed));
        let json = serde_json::to_vec(&record).map_err(io::Error::other)?;
        self.storage.put_file(&space_id, &name, &json)?;
        log.insert(name, record);
        let (manifest, growing) = log.publish(&*self.storage, space_id)?;
        if growing {
            eprintln!(
                "linli-hub: {space_id}: the commit list still grew after {} rounds; the \
                 reconcile sweep finishes the manifest",
                crate::commits::PUBLISH_ROUNDS
            );
        }
        Ok((manifest, retires))
    }

    /// On shared storage: checks each loaded space's manifest against its commit records
    /// and rewrites it if it misses one. Skips a space while a commit runs on it (that
    /// commit publishes anyway). Returns how many manifests were rewritten.
    pub fn reconcile_loaded(&self) -> usize {
        if !self.storage.shared() {
            return 0;
        }
        let slots: Vec<(SpaceId, Arc<Slot>)> = lock(&self.spaces)
            .iter()
            .map(|(id, slot)| (*id, Arc::clone(slot)))
            .collect();
        let mut rewritten = 0;
        for (space_id, slot) in slots {
            let mut inner = lock(&slot.inner);
            if inner.committing || inner.loaded.is_none() {
                continue;
            }
            // Taken out as a committer would: posts queue meanwhile.
            inner.committing = true;
            let mut loaded = inner.loaded.take();
            drop(inner);
            if let Some(l) = loaded.as_mut() {
                let result = self.refresh(space_id, l).and_then(|()| {
                    let log = l
                        .log
                        .as_mut()
                        .ok_or_else(|| IngestError::Corrupt("not a shared space".into()))?;
                    Ok(log.reconcile(&*self.storage, space_id)?)
                });
                match result {
                    Ok(true) => rewritten += 1,
                    Ok(false) => {}
                    Err(e) => {
                        eprintln!("linli-hub: {space_id}: reconcile failed: {e}");
                        loaded = None;
                    }
                }
            }
            let mut inner = lock(&slot.inner);
            inner.loaded = loaded;
            inner.committing = false;
            slot.done.notify_all();
        }
        rewritten
    }

    /// Sweeps every stored space's folder ([`sweep_space`]); for the hub's start, in the
    /// background. Returns the number of files removed. On shared storage each space's
    /// manifest is first made the one its commit records make, and the sweep keeps what
    /// they list.
    pub fn sweep_all(&self) -> usize {
        let Ok(ids) = self.storage.spaces() else {
            return 0;
        };
        let mut removed = 0;
        for id in ids {
            // A space being written to now is swept when it is next loaded instead.
            if lock(&self.spaces).contains_key(&id) {
                continue;
            }
            if self.storage.shared() {
                let mut log = Log::with_push(self.push.clone());
                let reconciled = log
                    .refresh(&*self.storage, id)
                    .and_then(|_| log.reconcile(&*self.storage, id));
                if let Err(e) = reconciled {
                    eprintln!("linli-hub: {id}: cannot reconcile the manifest: {e}");
                } else if !log.is_empty() {
                    let keep = log.keep(id, self.options.grace);
                    removed += sweep_space(&*self.storage, id, &keep, self.options.grace);
                }
                continue;
            }
            let Ok(Some(text)) = self.storage.read(&id, MANIFEST) else {
                continue;
            };
            if let Ok((_, manifest)) = parse_manifest(&text, "sweep") {
                removed += sweep_space(&*self.storage, id, &manifest, self.options.grace);
            }
        }
        removed
    }
}

/// Whether a stored name belongs to a manifest: the manifest itself, a listed file, or a
/// compressed sibling of one. Commit records are never swept: they are the shared truth.
fn listed(manifest: &Manifest, name: &str) -> bool {
    if name.starts_with(crate::commits::DIR) {
        return true;
    }
    let base = name
        .strip_suffix(".br")
        .or_else(|| name.strip_suffix(".gz"))
        .unwrap_or(name);
    // Published snapshots (`linli-hub checkpoint`) are listed in their own index.
    base == MANIFEST
        || base == crate::cmd::SNAPSHOTS_INDEX
        || base.starts_with("snapshots/")
        || manifest.files.iter().any(|f| f.path == base)
}

/// Removes a space's temporary files (left by a crash mid-write) and the files its manifest
/// no longer lists (left by a pack, or by a crash between a file and its manifest), once
/// older than `grace`. Returns how many were removed.
pub fn sweep_space(
    storage: &dyn Storage,
    space_id: SpaceId,
    manifest: &Manifest,
    grace: Duration,
) -> usize {
    let Ok(files) = storage.list(&space_id) else {
        return 0;
    };
    let now = SystemTime::now();
    let mut removed = 0;
    for (name, modified) in files {
        let old = now.duration_since(modified).unwrap_or_default() >= grace;
        if old && !listed(manifest, &name) && storage.remove(&space_id, &name).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// What a batch has admitted so far, on top of the stored roster: devices and invitations
/// that will exist once the batch is stored. (Admission only decides what is worth storing;
/// the fold still judges every event, inviter's role included.)
#[derive(Default)]
struct Admitted {
    devices: HashSet<linli_domain::DeviceKey>,
    invites: HashSet<linli_domain::Hex32>,
    used: HashSet<linli_domain::Hex32>,
}

/// Whether the hub stores an event of an author it may not know yet (see the module docs).
fn admission(
    known: &Known,
    space_id: SpaceId,
    batch: &mut Admitted,
    event: &Event,
) -> Result<(), Code> {
    let roster = &known.roster;
    let since = &known.since;
    let is_known = (event.kind == "space.genesis" && event.space.is_none() && event.id == space_id)
        || roster.device(&event.author).is_some()
        || since.devices.contains(&event.author)
        || batch.devices.contains(&event.author);
    if !is_known {
        let Some(Command::Roster(roster::Act::Join(join))) = event.payload.command() else {
            return Err(Code::UnknownAuthor);
        };
        match roster.invite_state(&join.invite) {
            Some(inv) if inv.used_by.is_some() => return Err(Code::InviteUsed),
            Some(inv) if inv.revoked => return Err(Code::InviteRevoked),
            Some(_) => {}
            None if since.invites.contains(&join.invite)
                || batch.invites.contains(&join.invite) => {}
            None => return Err(Code::InviteUnknown),
        }
        if since.used.contains(&join.invite) || !batch.used.insert(join.invite) {
            return Err(Code::InviteUsed);
        }
    }
    batch.note(event);
    Ok(())
}

impl Admitted {
    /// What an admitted event widens admission by: the device a genesis, join or device
    /// addition brings, and the invitation an invite creates. (A join's used invitation is
    /// noted by [`admission`], which checks it.)
    fn note(&mut self, event: &Event) {
        if let Some(Command::Roster(act)) = event.payload.command() {
            match act {
                roster::Act::Genesis(_) | roster::Act::Join(_) => {
                    self.devices.insert(event.author);
                }
                roster::Act::DeviceAdd(add) => {
                    self.devices.insert(add.device);
                }
                roster::Act::Invite(inv) => {
                    self.invites.insert(inv.invite);
                }
                _ => {}
            }
        }
    }
}

fn retryable(code: Code) -> bool {
    matches!(code, Code::UnknownAuthor | Code::InviteUnknown)
}

fn rejected(id: EventId, code: Code) -> ItemResult {
    ItemResult {
        id,
        status: Status::Rejected {
            code,
            retry: retryable(code),
        },
    }
}

fn receipt(results: Vec<ItemResult>) -> Receipt {
    let count = |f: fn(&Status) -> bool| results.iter().filter(|r| f(&r.status)).count();
    Receipt {
        accepted: count(|s| matches!(s, Status::Accepted)),
        duplicate: count(|s| matches!(s, Status::Duplicate)),
        rejected: count(|s| matches!(s, Status::Rejected { .. })),
        results,
    }
}

/// Admits one post's envelopes on top of the stored space and of what this commit admitted
/// before it (`batch`, `seen`, `admitted`); returns its results in request order.
fn admit(
    known: &Known,
    space_id: SpaceId,
    opened: Vec<Result<Event, linli_domain::Unopened>>,
    batch: &mut Admitted,
    seen: &mut HashSet<EventId>,
    admitted: &mut Vec<Event>,
) -> Vec<Option<ItemResult>> {
    let mut results: Vec<Option<ItemResult>> = vec![None; opened.len()];
    let mut candidates: Vec<(usize, Event)> = Vec::new();
    for (i, item) in opened.into_iter().enumerate() {
        match item {
            Err(u) => results[i] = Some(rejected(u.id, u.code)),
            Ok(e) => {
                let belongs = match e.space {
                    Some(s) => s == space_id,
                    None => e.id == space_id,
                };
                if known.ids.contains(&e.id) || !seen.insert(e.id) {
                    results[i] = Some(ItemResult {
                        id: e.id,
                        status: Status::Duplicate,
                    });
                } else if !belongs {
                    results[i] = Some(rejected(e.id, Code::WrongSpace));
                } else {
                    candidates.push((i, e));
                }
            }
        }
    }
    // In total order, so that an invitation admits the join after it, and the join the
    // device's later events, within one post.
    candidates.sort_by_key(|(_, e)| (e.position(), e.id));
    for (i, event) in candidates {
        match admission(known, space_id, batch, &event) {
            Ok(()) => {
                results[i] = Some(ItemResult {
                    id: event.id,
                    status: Status::Accepted,
                });
                admitted.push(event);
            }
            Err(code) => {
                // Refused: a later post of this commit may carry it again and succeed.
                seen.remove(&event.id);
                results[i] = Some(rejected(event.id, code));
            }
        }
    }
    results
}

/// The envelopes of the small files at the end of `files` and their paths, when there are
/// enough of them to pack with `new` more events ([`PACK_AFTER`], at most [`MAX_BATCH`] in
/// all); nothing otherwise. Each file is checked against its SHA-256.
fn pack_tail(
    storage: &dyn Storage,
    space_id: SpaceId,
    files: &[FileEntry],
    new: usize,
) -> Result<(Vec<String>, Vec<String>), IngestError> {
    let small_tail = files
        .iter()
        .rev()
        .take_while(|f| f.events < SMALL_FILE)
        .count();
    let tail = &files[files.len() - small_tail..];
    let total: usize = tail.iter().map(|f| f.events).sum::<usize>() + new;
    if small_tail < PACK_AFTER || total > MAX_BATCH {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut pack = Vec::new();
    for entry in tail {
        let bytes = storage
            .read(&space_id, &entry.path)?
            .ok_or_else(|| IngestError::Corrupt(format!("{} is listed but missing", entry.path)))?;
        if crate::files::sha256_hex(&bytes) != entry.sha256 {
            return Err(IngestError::Corrupt(format!(
                "{} does not match its SHA-256",
                entry.path
            )));
        }
        let items: Vec<&RawValue> = serde_json::from_slice(&bytes)
            .map_err(|e| IngestError::Corrupt(format!("{}: {e}", entry.path)))?;
        pack.extend(items.iter().map(|r| r.get().to_owned()));
    }
    Ok((pack, tail.iter().map(|f| f.path.clone()).collect()))
}

/// Writes the new events (packed with the small files at the end of the manifest when there
/// are enough of them), then the new manifest. Returns the manifest now on disk.
fn write_files(
    storage: &dyn Storage,
    space_id: SpaceId,
    old: &Manifest,
    events: &[Event],
    push: Option<&str>,
) -> Result<(Manifest, Vec<String>), IngestError> {
    let mut files: Vec<FileEntry> = old.files.clone();
    let (pack, mut replaced) = pack_tail(storage, space_id, &old.files, events.len())?;
    files.truncate(old.files.len() - replaced.len());
    let (entry, bytes) = segment(
        pack.iter()
            .map(String::as_str)
            .chain(events.iter().map(|e| e.envelope.as_str())),
    );
    storage.put_file(&space_id, &entry.path, &bytes)?;
    files.push(entry);
    let manifest = Manifest {
        space: space_id.to_hex(),
        files,
        push: push.map(str::to_owned),
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
    storage.put_manifest(&space_id, &json)?;
    // A file packed into the new one stays listed if its name is the new one's (the same
    // bytes): never retire what the manifest still names.
    replaced.retain(|p| !manifest.files.iter().any(|f| &f.path == p));
    Ok((manifest, replaced))
}
