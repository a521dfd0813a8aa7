//! The engine: everything that reads or writes a community's events — the log read back from
//! the store and folded, acts judged, signed and stored, sync with the endpoint, files. It is
//! a part of its own (`crate::parts`), loaded after the first paint: the first screen never
//! waits for it.
//!
//! - [`community`]: [`Community`], the joined community and its acts.
//! - [`digest`]: what the home screen and the badge show, kept with the record.
//! - [`exchange`]: sync with the endpoint (pull, push).
//! - [`files`]: export and import of files when there is no network.
//! - [`link`]: invitation links.
//! - [`schedule`]: when to sync.
//!
//! The session (in the first part) holds the open community type-erased; [`held`] gets it
//! back, and [`with`] runs an action on it: one at a time, with the digest and the views
//! refreshed after.

pub mod community;
pub mod digest;
pub mod exchange;
pub mod files;
pub mod history;
pub mod link;
pub mod schedule;

use std::rc::Rc;

use futures::lock::Mutex;
use leptos::prelude::*;
use linli_domain::{Command, DeviceKey, Event, Hex32};

pub use community::{ActError, Community, SharedSpace};

use crate::session::{Opened, Session};
use crate::store::Store;

/// The open community, as the session holds it.
pub struct Held {
    /// The community; its lock makes actions and syncs take turns.
    pub community: Mutex<Community>,
    /// Its fold, readable by views at any time.
    pub space: SharedSpace,
    /// This device's key.
    pub device: DeviceKey,
    /// The store it lives in.
    pub store: Rc<Store>,
    /// The sync schedule's state.
    pub(crate) schedule: schedule::State,
}

/// The session's open community.
pub fn held(session: Session) -> Option<Rc<Held>> {
    session.held()?.downcast::<Held>().ok()
}

/// Opens this device's community, if it has one: reads its events back, installs it, and
/// starts the sync schedule. The shell calls this through [`crate::parts::open`].
pub async fn open(session: Session, store: Rc<Store>) {
    session.opened.set(Opened::Opening);
    let result = async {
        let records = store.spaces().await?;
        if let Some(record) = records.into_iter().next() {
            let c = Community::load(&store, record).await?;
            install(session, store, c);
        }
        Ok::<_, ActError>(())
    }
    .await;
    if let Err(e) = result {
        session.errors.set(Some(match e {
            ActError::Store(e) => e,
            other => crate::store::StoreError::Read(other.to_string()),
        }));
    }
    session.started.set(true);
    session.opened.set(Opened::Yes);
}

/// Makes `c` the session's community and starts syncing it.
pub fn install(session: Session, store: Rc<Store>, c: Community) {
    let held = Rc::new(Held {
        space: c.space.clone(),
        device: c.device(),
        store,
        schedule: Default::default(),
        community: Mutex::new(c),
    });
    session.set_held(held);
    history::listen_for_input();
    schedule::start(session);
    leptos::task::spawn_local(async move {
        refresh(session).await;
        schedule::sync_now(session).await;
    });
}

/// Runs an action on the open community, then refreshes the digest and, when events were
/// added, the views.
pub async fn with<T>(
    session: Session,
    f: impl AsyncFnOnce(&mut Community, &Store) -> Result<T, ActError>,
) -> Result<T, ActError> {
    let h = held(session).ok_or(ActError::NoCommunity)?;
    let mut c = h.community.lock().await;
    let before = c.space().len();
    let result = f(&mut c, &h.store).await;
    publish(session, &c, before);
    result
}

/// The digest of `c` into the session, and a new revision if the log grew from `before`.
fn publish(session: Session, c: &Community, before: usize) {
    let d = digest::digest(c);
    if session
        .digest
        .with_untracked(|old| old.as_ref() != Some(&d))
    {
        session.digest.set(Some(d));
    }
    if c.space().len() != before {
        session.changed();
    }
}

/// Recomputes the digest (after a page asked for the state hash, say).
pub async fn refresh(session: Session) {
    let _ = with(session, async |_, _| Ok(())).await;
}

/// Judges, signs, stores and folds a command of this device's member, then syncs.
pub async fn act(session: Session, command: Command) -> Result<Event, ActError> {
    let event = with(session, async |c, store| c.act(store, command).await).await?;
    leptos::task::spawn_local(schedule::sync_now(session));
    Ok(event)
}

/// Closes a ballot (the frontier, in parts when long, then the close), then syncs.
pub async fn close_ballot(session: Session, proposal: Hex32) -> Result<(), ActError> {
    with(session, async |c, store| {
        c.close_ballot(store, proposal).await
    })
    .await?;
    leptos::task::spawn_local(schedule::sync_now(session));
    Ok(())
}
