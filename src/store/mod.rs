//! The device's own storage: IndexedDB through the `idb` crate (its futures, with the raw
//! transaction at hand to read why one aborted).
//!
//! This module is the only place in the app that touches IndexedDB. It knows nothing about
//! the UI; callers get typed values and a [`StoreError`] they can show in the user's language.
//!
//! # Faults (`docs/sync.md`, "Faults")
//!
//! - Every write is one transaction that commits whole or not at all ([`Store::writing`]):
//!   on any failure the store aborts it itself, so a request that throws never leaves the
//!   requests before it to commit on their own; a full disk, which the browser reports only
//!   when committing, is [`StoreError::Quota`] (the transaction's own error says so).
//! - An upgrade blocked by another tab (an older app holding the database open) is told to
//!   the page ([`Notice::Blocked`]) and opening carries on once that tab lets go.
//! - When another tab asks for a newer version, the connection closes at once so that tab is
//!   never blocked by this one ([`Notice::Closed`]); every later call, and an open that finds
//!   the database newer than [`DB_VERSION`], answers [`StoreError::Upgraded`]: reload.
//!
//! # Schema
//!
//! Every object store has out-of-line string keys. [`STORES`] lists each store with the
//! version that introduced it; an upgrade creates the ones a database lacks and touches
//! nothing else, and the browser test `upgrading_from_version_1_keeps_everything` opens a
//! version-1 database and checks that nothing is lost.
//!
//! | store | since | key | value |
//! |---|---|---|---|
//! | `settings` | 1 | setting name | one plain JS value ([`settings`]) |
//! | `spaces` | 2 | space id | the joined community's record ([`log::SpaceRecord`]) |
//! | `chunks` | 2 | `{space}/{n:08}` | bytes of a JSON array of ~1,000 envelopes ([`log`]) |
//! | `chunks` | 2 | `{space}#snapshot` | a fast-joined community's snapshot file ([`log::Base`]) |
//! | `outbox` | 2 | `{space}/{event id}` | an own event the hub has not acknowledged |
//! | `keys` | 2 | space id | this device's signing key for that space ([`keys`]) |

pub mod keys;
pub mod log;
pub mod settings;

use std::cell::Cell;
use std::rc::Rc;

use idb::{Database, Factory, ObjectStoreParams, Transaction, TransactionMode, TransactionResult};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::IdbTransaction;

/// The database every Linli tab on this origin shares.
pub const DB_NAME: &str = "linli";
/// Current schema version: the highest `since` in [`STORES`].
pub const DB_VERSION: u32 = 2;
const SETTINGS: &str = "settings";
const SPACES: &str = "spaces";
const CHUNKS: &str = "chunks";
const OUTBOX: &str = "outbox";
const KEYS: &str = "keys";

/// Every object store and the schema version that added it. An upgrade only ever creates the
/// stores a database lacks: never remove an entry (the store would still be there, but
/// nothing would read it).
pub const STORES: &[(&str, u32)] = &[
    (SETTINGS, 1),
    (SPACES, 2),
    (CHUNKS, 2),
    (OUTBOX, 2),
    (KEYS, 2),
];

/// Why the store could not do what was asked. Nothing already stored is lost by any of these:
/// a failed write aborts its whole transaction and leaves the previous values in place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// IndexedDB is missing or refused to open (private browsing, disabled).
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// The browser's storage quota is exhausted.
    #[error("storage full: {0}")]
    Quota(String),
    /// A read failed, or a stored value did not have the expected shape.
    #[error("read failed: {0}")]
    Read(String),
    /// A write failed and was rolled back (its transaction aborted).
    #[error("write failed: {0}")]
    Write(String),
    /// Opening waits: another tab holds the database open at an older version and does not
    /// let it be upgraded. Opening carries on by itself once that tab closes.
    #[error("blocked by another tab")]
    Blocked,
    /// Another tab upgraded the database (a newer version of the app): this page closed its
    /// connection to let it, or found the database newer than it knows. Reloading loads the
    /// newer app; the data is untouched.
    #[error("upgraded by another tab")]
    Upgraded,
}

/// What the store tells the page while it opens or is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Opening is blocked by another tab (see [`StoreError::Blocked`]).
    Blocked,
    /// The connection was closed for another tab's upgrade (see [`StoreError::Upgraded`]).
    Closed,
}

/// The name of a DOM exception (`QuotaExceededError`, `AbortError`, …) in an error's text.
fn named(text: &str, name: &str) -> bool {
    text.contains(name)
}

impl StoreError {
    pub(crate) fn write(err: impl std::fmt::Display) -> Self {
        let text = err.to_string();
        if named(&text, "QuotaExceededError") {
            StoreError::Quota(text)
        } else if named(&text, "InvalidStateError") {
            // The connection is closing or closed: only another tab's upgrade closes it.
            StoreError::Upgraded
        } else {
            StoreError::Write(text)
        }
    }

    pub(crate) fn read(err: impl std::fmt::Display) -> Self {
        let text = err.to_string();
        if named(&text, "InvalidStateError") {
            StoreError::Upgraded
        } else {
            StoreError::Read(text)
        }
    }
}

/// An open connection to the device's database.
///
/// It closes itself when another tab asks for a newer version (a newer app, `versionchange`),
/// so that tab's upgrade is never blocked by this one; from then on every call answers
/// [`StoreError::Upgraded`].
pub struct Store {
    db: Database,
    closed: Rc<Cell<bool>>,
}

impl Store {
    /// Opens (creating or upgrading as needed) the app's database.
    pub async fn open(notify: impl Fn(Notice) + 'static) -> Result<Store, StoreError> {
        Self::open_with(DB_NAME, notify).await
    }

    /// Opens a database by name; tests use their own names so they never touch the app's data.
    pub async fn open_named(name: &str) -> Result<Store, StoreError> {
        Self::open_with(name, |_| {}).await
    }

    /// Opens a database by name, telling `notify` when the open is blocked by another tab and
    /// when the connection closes for another tab's upgrade. A blocked open still resolves
    /// once the other tab lets go.
    pub async fn open_with(
        name: &str,
        notify: impl Fn(Notice) + 'static,
    ) -> Result<Store, StoreError> {
        let unavailable = |e: idb::Error| StoreError::Unavailable(e.to_string());
        let mut request = Factory::new()
            .map_err(unavailable)?
            .open(name, Some(DB_VERSION))
            .map_err(unavailable)?;
        let notify = Rc::new(notify);
        let on_blocked = notify.clone();
        request.on_blocked(move |_| on_blocked(Notice::Blocked));
        request.on_upgrade_needed(|event| {
            let Ok(db) = idb::DatabaseEvent::database(&event) else {
                return;
            };
            let have = db.store_names();
            for (store, _) in STORES {
                if !have.iter().any(|h| h == store) {
                    let _ = db.create_object_store(store, ObjectStoreParams::new());
                }
            }
        });
        let mut db = request.await.map_err(|e| {
            let text = e.to_string();
            if named(&text, "VersionError") {
                StoreError::Upgraded
            } else {
                StoreError::Unavailable(text)
            }
        })?;
        let closed = Rc::new(Cell::new(false));
        let (flag, tell) = (closed.clone(), notify.clone());
        db.on_version_change(move |event| {
            flag.set(true);
            if let Some(db) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::IdbDatabase>().ok())
            {
                db.close();
            }
            tell(Notice::Closed);
        });
        let (flag, tell) = (closed.clone(), notify);
        db.on_close(move |_| {
            // The browser closed it (storage cleared, say).
            if !flag.replace(true) {
                tell(Notice::Closed);
            }
        });
        Ok(Store { db, closed })
    }

    /// A transaction, and its raw handle (to read why it aborted).
    fn transaction(
        &self,
        stores: &[&str],
        mode: TransactionMode,
    ) -> Result<(Transaction, IdbTransaction), StoreError> {
        if self.closed.get() {
            return Err(StoreError::Upgraded);
        }
        let tx = self.db.transaction(stores, mode).map_err(|e| {
            if mode == TransactionMode::ReadOnly {
                StoreError::read(e)
            } else {
                StoreError::write(e)
            }
        })?;
        let raw = IdbTransaction::from(tx);
        Ok((Transaction::from(raw.clone()), raw))
    }

    /// Runs `work` in a read-only transaction.
    pub(crate) async fn reading<T>(
        &self,
        stores: &[&str],
        work: impl AsyncFnOnce(&Transaction) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let (tx, _) = self.transaction(stores, TransactionMode::ReadOnly)?;
        work(&tx).await
    }

    /// Runs `work` in a read-write transaction and commits it; resolves only once the
    /// transaction has committed, so a caller that saw `Ok` can rely on every write surviving.
    /// If `work` fails, or the browser aborts the transaction (a full disk is reported only
    /// when committing), the transaction is aborted as a whole: nothing of it is kept — not
    /// even the requests that had succeeded — and the error says why.
    pub(crate) async fn writing(
        &self,
        stores: &[&str],
        work: impl AsyncFnOnce(&Transaction) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let (tx, raw) = self.transaction(stores, TransactionMode::ReadWrite)?;
        if let Err(e) = work(&tx).await {
            // Already aborted when a request failed; not yet when a request could not even be
            // made (it threw), and then the requests made so far would commit on their own.
            let _ = raw.abort();
            return Err(self.aborted(&raw).unwrap_or(e));
        }
        match tx.commit().map_err(StoreError::write)?.await {
            Ok(TransactionResult::Committed) => Ok(()),
            Ok(TransactionResult::Aborted) | Err(_) => Err(self
                .aborted(&raw)
                .unwrap_or_else(|| StoreError::Write("the transaction was aborted".into()))),
        }
    }

    /// Why a transaction aborted, if the browser says (`None`: aborted by the app itself).
    fn aborted(&self, raw: &IdbTransaction) -> Option<StoreError> {
        if self.closed.get() {
            return Some(StoreError::Upgraded);
        }
        let e = raw.error()?;
        let text = format!("{}: {}", e.name(), e.message());
        Some(StoreError::write(text))
    }

    /// Reads one value; `Ok(None)` when the key was never written.
    pub async fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        let value = self
            .reading(&[SETTINGS], async |tx| {
                let store = tx.object_store(SETTINGS).map_err(StoreError::read)?;
                store
                    .get(JsValue::from_str(key))
                    .map_err(StoreError::read)?
                    .await
                    .map_err(StoreError::read)
            })
            .await?;
        match value {
            None => Ok(None),
            Some(v) if v.is_undefined() => Ok(None),
            Some(v) => serde_wasm_bindgen::from_value(v)
                .map(Some)
                .map_err(StoreError::read),
        }
    }

    /// Writes one value, replacing what was there, in its own transaction; resolves only once
    /// the transaction has committed, so a caller that saw `Ok` can rely on the value surviving.
    pub async fn put<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        // Serialize before the transaction opens: an await on anything but IndexedDB inside
        // it would commit it early.
        let value = serde_wasm_bindgen::to_value(value).map_err(StoreError::write)?;
        self.writing(&[SETTINGS], async |tx| {
            put(tx, SETTINGS, &value, &JsValue::from_str(key)).await
        })
        .await
    }

    /// The names of the object stores the open database has.
    pub fn store_names(&self) -> Vec<String> {
        self.db.store_names()
    }

    /// Closes the connection (tests reopen to prove durability).
    pub fn close(self) {
        self.db.close();
    }
}

/// Puts `value` at `key` in `store` within `tx`.
pub(crate) async fn put(
    tx: &Transaction,
    store: &str,
    value: &JsValue,
    key: &JsValue,
) -> Result<(), StoreError> {
    tx.object_store(store)
        .map_err(StoreError::write)?
        .put(value, Some(key))
        .map_err(StoreError::write)?
        .await
        .map(drop)
        .map_err(StoreError::write)
}

/// Asks the browser to keep this origin's storage when space runs low, so a phone does not
/// silently drop residents' unsent events. Best effort: browsers may say no, and old ones
/// have no `navigator.storage`; either way the app works, so the answer is only reported.
pub async fn request_persistence() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let storage = window.navigator().storage();
    let Ok(promise) = storage.persist() else {
        return false;
    };
    matches!(
        wasm_bindgen_futures::JsFuture::from(promise).await,
        Ok(v) if v.as_bool() == Some(true)
    )
}
