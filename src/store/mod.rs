//! The device's own storage: IndexedDB through `rexie`.
//!
//! This module is the only place in the app that touches IndexedDB. It knows nothing about
//! the UI; callers get typed values and a [`StoreError`] they can show in the user's language.
//!
//! # Schema
//!
//! Every object store has out-of-line string keys. [`STORES`] lists each store with the
//! version that introduced it; opening declares all of them, because rexie deletes the stores
//! a version does not declare — a store is never removed from that list, and the browser test
//! `upgrading_from_version_1_keeps_everything` opens a version-1 database and checks that
//! nothing is lost.
//!
//! | store | since | key | value |
//! |---|---|---|---|
//! | `settings` | 1 | setting name | one plain JS value ([`settings`]) |
//! | `spaces` | 2 | space id | the joined community's record ([`log::SpaceRecord`]) |
//! | `chunks` | 2 | `{space}/{n:08}` | bytes of a JSON array of ~1,000 envelopes ([`log`]) |
//! | `outbox` | 2 | `{space}/{event id}` | an own event the hub has not acknowledged |
//! | `keys` | 2 | space id | this device's signing key for that space ([`keys`]) |

pub mod keys;
pub mod log;
pub mod settings;

use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::JsValue;

/// The database every Linli tab on this origin shares.
pub const DB_NAME: &str = "linli";
/// Current schema version: the highest `since` in [`STORES`].
pub const DB_VERSION: u32 = 2;
const SETTINGS: &str = "settings";
const SPACES: &str = "spaces";
const CHUNKS: &str = "chunks";
const OUTBOX: &str = "outbox";
const KEYS: &str = "keys";

/// Every object store and the schema version that added it. Never remove an entry: a store
/// missing here would be deleted, with its data, on the next upgrade.
pub const STORES: &[(&str, u32)] = &[
    (SETTINGS, 1),
    (SPACES, 2),
    (CHUNKS, 2),
    (OUTBOX, 2),
    (KEYS, 2),
];

/// Why the store could not do what was asked. Nothing already stored is lost by any of these:
/// a failed write aborts its own transaction and leaves the previous value in place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// IndexedDB is missing or refused to open (private browsing, blocked, disabled).
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// The browser's storage quota is exhausted.
    #[error("storage full: {0}")]
    Quota(String),
    /// A read failed, or a stored value did not have the expected shape.
    #[error("read failed: {0}")]
    Read(String),
    /// A write failed and was rolled back.
    #[error("write failed: {0}")]
    Write(String),
}

impl StoreError {
    pub(crate) fn write(err: impl std::fmt::Display) -> Self {
        let text = err.to_string();
        if text.contains("QuotaExceeded") {
            StoreError::Quota(text)
        } else {
            StoreError::Write(text)
        }
    }

    pub(crate) fn read(err: impl std::fmt::Display) -> Self {
        StoreError::Read(err.to_string())
    }
}

/// An open connection to the device's database.
pub struct Store {
    db: Rexie,
}

impl Store {
    /// Opens (creating or upgrading as needed) the app's database.
    pub async fn open() -> Result<Store, StoreError> {
        Self::open_named(DB_NAME).await
    }

    /// Opens a database by name; tests use their own names so they never touch the app's data.
    pub async fn open_named(name: &str) -> Result<Store, StoreError> {
        let mut builder = Rexie::builder(name).version(DB_VERSION);
        for (store, _) in STORES {
            builder = builder.add_object_store(ObjectStore::new(store));
        }
        let db = builder
            .build()
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        Ok(Store { db })
    }

    /// Reads one value; `Ok(None)` when the key was never written.
    pub async fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        let tx = self
            .db
            .transaction(&[SETTINGS], TransactionMode::ReadOnly)
            .map_err(StoreError::read)?;
        let store = tx.store(SETTINGS).map_err(StoreError::read)?;
        let value = store
            .get(JsValue::from_str(key))
            .await
            .map_err(StoreError::read)?;
        tx.done().await.map_err(StoreError::read)?;
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
        let tx = self
            .db
            .transaction(&[SETTINGS], TransactionMode::ReadWrite)
            .map_err(StoreError::write)?;
        let store = tx.store(SETTINGS).map_err(StoreError::write)?;
        store
            .put(&value, Some(&JsValue::from_str(key)))
            .await
            .map_err(StoreError::write)?;
        tx.commit().await.map_err(StoreError::write)?;
        Ok(())
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
