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
//! Accepted events go into one new immutable file, written durably, and then the manifest is
//! replaced atomically; only then is the request answered. A hub killed at any moment has on
//! disk a manifest naming only complete files, and every event it acknowledged is in one.
//! Small files are packed: once [`PACK_AFTER`] small files sit at the end of the manifest,
//! the next write replaces them with one file holding all of their events.

use std::collections::{HashMap, HashSet};
use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use linli_domain::envelope::{split_batch, BatchError, MAX_BATCH};
use linli_domain::{roster, Code, Command, Event, EventId, Opener, Space, SpaceId};
use serde::Serialize;
use serde_json::value::RawValue;

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

/// A space as the hub holds it in memory: the folded log and the manifest it came from.
struct Loaded {
    space: Space,
    manifest: Manifest,
}

/// The ingest side of the hub: the storage and the spaces loaded from it.
pub struct Hub {
    storage: Arc<dyn Storage>,
    spaces: Mutex<HashMap<SpaceId, Arc<Mutex<Option<Loaded>>>>>,
    allow_new_spaces: bool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a space lock leaves `None` or a consistent `Loaded` behind (state
    // changes happen only after durable writes), so the data is safe to keep using.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Hub {
    /// A hub over `storage`; `allow_new_spaces` lets a batch that carries a genesis found a
    /// space.
    pub fn new(storage: Arc<dyn Storage>, allow_new_spaces: bool) -> Hub {
        Hub {
            storage,
            spaces: Mutex::new(HashMap::new()),
            allow_new_spaces,
        }
    }

    /// The storage, for readers.
    pub fn storage(&self) -> &Arc<dyn Storage> {
        &self.storage
    }

    /// Opens, admits and stores a batch (a JSON array of envelopes). Blocking: call it off
    /// the async executor.
    pub fn ingest(&self, space_id: SpaceId, batch: &str) -> Result<Receipt, IngestError> {
        let items = split_batch(batch).map_err(|e| match e {
            BatchError::NotAnArray(e) => IngestError::NotAnArray(e),
            BatchError::TooMany(n) => IngestError::TooMany(n),
        })?;
        // Signatures are checked before any lock: the expensive part runs in parallel.
        let mut opener = Opener::default();
        let opened: Vec<_> = items.iter().map(|raw| opener.open(raw.get())).collect();
        let founds = opened.iter().any(|item| {
            item.as_ref()
                .is_ok_and(|e| e.id == space_id && e.space.is_none() && e.kind == "space.genesis")
        });

        let slot = {
            let mut spaces = lock(&self.spaces);
            Arc::clone(spaces.entry(space_id).or_default())
        };
        let mut guard = lock(&slot);
        if guard.is_none() {
            *guard = self.load(space_id, founds)?;
        }
        let Some(loaded) = guard.as_mut() else {
            return Err(IngestError::NoSuchSpace(space_id));
        };
        let result = admit_and_store(&*self.storage, loaded, space_id, opened);
        if result.is_err() {
            // The in-memory log may be ahead of the disk now: forget it, reload next time.
            *guard = None;
        }
        result
    }

    /// Reads a space from storage; `Ok(None)` when it does not exist and `founds` is false.
    fn load(&self, space_id: SpaceId, founds: bool) -> Result<Option<Loaded>, IngestError> {
        let Some(text) = self.storage.read(&space_id, MANIFEST)? else {
            if !founds {
                return Err(IngestError::NoSuchSpace(space_id));
            }
            if !self.allow_new_spaces {
                return Err(IngestError::NewSpacesClosed);
            }
            return Ok(Some(Loaded {
                space: Space::new(space_id),
                manifest: Manifest {
                    space: space_id.to_hex(),
                    files: Vec::new(),
                },
            }));
        };
        let whence = format!("space {space_id}");
        let corrupt = |e: anyhow::Error| IngestError::Corrupt(format!("{e:#}"));
        let (id, manifest) = parse_manifest(&text, &whence).map_err(corrupt)?;
        if id != space_id {
            return Err(IngestError::Corrupt(format!(
                "the manifest of {space_id} names space {id}"
            )));
        }
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
        Ok(Some(Loaded { space, manifest }))
    }
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
fn admission(space: &Space, batch: &mut Admitted, event: &Event) -> Result<(), Code> {
    let roster = &space.state().roster;
    let known = (event.kind == "space.genesis" && event.space.is_none() && event.id == space.id())
        || roster.device(&event.author).is_some()
        || batch.devices.contains(&event.author);
    if !known {
        let Some(Command::Roster(roster::Act::Join(join))) = event.payload.command() else {
            return Err(Code::UnknownAuthor);
        };
        match roster.invite_state(&join.invite) {
            Some(inv) if inv.used_by.is_some() => return Err(Code::InviteUsed),
            Some(inv) if inv.revoked => return Err(Code::InviteRevoked),
            Some(_) => {}
            None if batch.invites.contains(&join.invite) => {}
            None => return Err(Code::InviteUnknown),
        }
        if !batch.used.insert(join.invite) {
            return Err(Code::InviteUsed);
        }
    }
    if let Some(Command::Roster(act)) = event.payload.command() {
        match act {
            roster::Act::Genesis(_) | roster::Act::Join(_) => {
                batch.devices.insert(event.author);
            }
            roster::Act::DeviceAdd(add) => {
                batch.devices.insert(add.device);
            }
            roster::Act::Invite(inv) => {
                batch.invites.insert(inv.invite);
            }
            _ => {}
        }
    }
    Ok(())
}

fn retryable(code: Code) -> bool {
    matches!(code, Code::UnknownAuthor | Code::InviteUnknown)
}

fn admit_and_store(
    storage: &dyn Storage,
    loaded: &mut Loaded,
    space_id: SpaceId,
    opened: Vec<Result<Event, linli_domain::Unopened>>,
) -> Result<Receipt, IngestError> {
    let rejected = |id, code: Code| ItemResult {
        id,
        status: Status::Rejected {
            code,
            retry: retryable(code),
        },
    };
    let mut results: Vec<Option<ItemResult>> = vec![None; opened.len()];
    let mut seen: HashSet<EventId> = HashSet::new();
    let mut candidates: Vec<(usize, Event)> = Vec::new();
    for (i, item) in opened.into_iter().enumerate() {
        match item {
            Err(u) => results[i] = Some(rejected(u.id, u.code)),
            Ok(e) => {
                let belongs = match e.space {
                    Some(s) => s == space_id,
                    None => e.id == space_id,
                };
                if loaded.space.get(&e.id).is_some() || !seen.insert(e.id) {
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
    // device's later events, within one batch.
    candidates.sort_by_key(|(_, e)| (e.position(), e.id));
    let mut admitted: Vec<Event> = Vec::new();
    let mut batch = Admitted::default();
    for (i, event) in candidates {
        match admission(&loaded.space, &mut batch, &event) {
            Ok(()) => {
                results[i] = Some(ItemResult {
                    id: event.id,
                    status: Status::Accepted,
                });
                admitted.push(event);
            }
            Err(code) => results[i] = Some(rejected(event.id, code)),
        }
    }
    if !admitted.is_empty() {
        // Durable first; only then does the in-memory log (and so the next batch) see them.
        loaded.manifest = write_files(storage, space_id, &loaded.manifest, &admitted)?;
        loaded.space.insert(admitted);
    }
    let results: Vec<ItemResult> = results.into_iter().flatten().collect();
    let count = |f: fn(&Status) -> bool| results.iter().filter(|r| f(&r.status)).count();
    Ok(Receipt {
        accepted: count(|s| matches!(s, Status::Accepted)),
        duplicate: count(|s| matches!(s, Status::Duplicate)),
        rejected: count(|s| matches!(s, Status::Rejected { .. })),
        results,
    })
}

/// Writes the new events (packed with the small files at the end of the manifest when there
/// are enough of them), then the new manifest. Returns the manifest now on disk.
fn write_files(
    storage: &dyn Storage,
    space_id: SpaceId,
    old: &Manifest,
    events: &[Event],
) -> Result<Manifest, IngestError> {
    let small_tail = old
        .files
        .iter()
        .rev()
        .take_while(|f| f.events < SMALL_FILE)
        .count();
    let mut files: Vec<FileEntry> = old.files.clone();
    let mut pack: Vec<String> = Vec::new();
    if small_tail + 1 > PACK_AFTER {
        let tail = &old.files[old.files.len() - small_tail..];
        let total: usize = tail.iter().map(|f| f.events).sum::<usize>() + events.len();
        if total <= MAX_BATCH {
            for entry in tail {
                let bytes = storage.read(&space_id, &entry.path)?.ok_or_else(|| {
                    IngestError::Corrupt(format!("{} is listed but missing", entry.path))
                })?;
                let items: Vec<&RawValue> = serde_json::from_slice(&bytes)
                    .map_err(|e| IngestError::Corrupt(format!("{}: {e}", entry.path)))?;
                pack.extend(items.iter().map(|r| r.get().to_owned()));
            }
            files.truncate(old.files.len() - small_tail);
        }
    }
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
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
    storage.put_manifest(&space_id, &json)?;
    Ok(manifest)
}
