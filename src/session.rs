//! The joined community as the shell sees it: a [`Digest`] the home screen and the sync badge
//! show (from the stored record at once, then live), a revision that area views re-derive
//! from, and the sync status. Nothing here reads events: that is the engine's part
//! (`crate::engine`), which loads after the first paint and fills the session in.

use std::any::Any;
use std::rc::Rc;

use leptos::prelude::*;

use crate::store::log::{Snapshot, SpaceRecord};
use crate::store::{Store, StoreError};

/// What the home screen and the badge show about the community.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Digest {
    /// Space id (64 hex).
    pub space: String,
    /// Its name.
    pub name: String,
    /// Where it syncs.
    pub endpoint: String,
    /// This phone's device key (64 hex).
    pub device: String,
    /// The folded state's summary.
    pub snapshot: Snapshot,
    /// Last successful sync (ms since the epoch).
    pub last_sync_ms: Option<f64>,
    /// Whether it comes from the events read back (else from the stored record).
    pub live: bool,
}

impl Digest {
    /// The digest of a stored record.
    pub fn of_record(r: &SpaceRecord, live: bool) -> Digest {
        Digest {
            space: r.space.clone(),
            name: r.name.clone(),
            endpoint: r.endpoint.clone(),
            device: r.device.clone(),
            snapshot: r.snapshot.clone(),
            last_sync_ms: r.last_sync_ms,
            live,
        }
    }
}

/// Where sync stands.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum SyncStatus {
    /// Nothing to sync with, or not tried yet.
    #[default]
    Idle,
    /// Running.
    Syncing,
    /// The last attempt reached the endpoint.
    Synced,
    /// The endpoint could not be reached.
    Unreachable,
    /// The endpoint is a read-only mirror.
    ReadOnly,
    /// The last attempt did not finish: why, for the sync screen to say.
    Failed(SyncFault),
}

/// Why a sync did not finish (`docs/sync.md`, "Faults"). Whatever it had stored or settled
/// before stays, and the outbox keeps every event not acknowledged.
#[derive(Clone, Debug, PartialEq)]
pub enum SyncFault {
    /// The endpoint stopped answering (no answer, or no more of a file, in time).
    TimedOut,
    /// It answered with this error status.
    Http(u16),
    /// A file did not match the manifest (cut short, or altered), or the manifest or a
    /// receipt was not valid: nothing of it was used.
    Damaged,
    /// The manifest lists fewer events than the endpoint listed before.
    Rollback {
        /// Events it lists now.
        listed: u64,
        /// Events it listed before (at least).
        seen: u64,
    },
    /// Storing what was received, or settling the outbox, failed.
    Store(StoreError),
}

/// Whether the community's events have been read into memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Opened {
    /// Not yet asked.
    #[default]
    No,
    /// Loading the engine part and reading the events.
    Opening,
    /// Ready (or there is no community on this device).
    Yes,
    /// The engine part could not be loaded.
    Failed,
}

/// The session context: `Copy`, so closures and contexts take it freely.
#[derive(Clone, Copy)]
pub struct Session {
    /// The engine's community, type-erased so that nothing of it is compiled into the first
    /// part (`crate::engine::held` gets it back).
    held: StoredValue<Option<Rc<dyn Any>>, LocalStorage>,
    /// Bumped whenever the community's events change: area views re-derive from it and
    /// re-render only what differs.
    pub revision: RwSignal<u64>,
    /// What the home screen and the badge show; `None` until a community is joined.
    pub digest: RwSignal<Option<Digest>>,
    /// The badge's state.
    pub status: RwSignal<SyncStatus>,
    /// How the last finished sync ended: the sync screen says why it did not finish, also
    /// while the next attempt runs.
    pub outcome: RwSignal<SyncStatus>,
    /// Whether the store has been read (false: still starting).
    pub started: RwSignal<bool>,
    /// Whether the community's events have been read into memory.
    pub opened: RwSignal<Opened>,
    /// Storage problems to show in the banner.
    pub errors: RwSignal<Option<StoreError>>,
    store: RwSignal<Option<Rc<Store>>, LocalStorage>,
}

impl Session {
    /// No community yet. `store` is the boot's (filled in when IndexedDB answers); problems
    /// go to `errors` (the banner's signal).
    pub fn new(
        store: RwSignal<Option<Rc<Store>>, LocalStorage>,
        errors: RwSignal<Option<StoreError>>,
    ) -> Session {
        Session {
            held: StoredValue::new_local(None),
            revision: RwSignal::new(0),
            digest: RwSignal::new(None),
            status: RwSignal::new(SyncStatus::Idle),
            outcome: RwSignal::new(SyncStatus::Idle),
            started: RwSignal::new(false),
            opened: RwSignal::new(Opened::No),
            errors,
            store,
        }
    }

    /// The device's store, if it opened.
    pub fn store(&self) -> Option<Rc<Store>> {
        self.store.get_untracked()
    }

    /// The engine's community, if one is open.
    pub fn held(&self) -> Option<Rc<dyn Any>> {
        self.held.get_value()
    }

    /// Makes `held` the session's community (the engine calls this).
    pub fn set_held(&self, held: Rc<dyn Any>) {
        self.held.set_value(Some(held));
        self.changed();
    }

    /// Tells the views that the community's events changed.
    pub fn changed(&self) {
        self.revision.update(|r| *r += 1);
    }

    /// Reads the joined community's record: the digest at once; the events come with the
    /// engine part ([`crate::parts::open`]).
    pub async fn start(&self, store: &Store) -> Result<(), StoreError> {
        let records = store.spaces().await?;
        if let Some(record) = records.first() {
            self.digest.set(Some(Digest::of_record(record, false)));
        }
        self.started.set(true);
        Ok(())
    }
}

/// The session context.
pub fn use_session() -> Session {
    expect_context::<Session>()
}
