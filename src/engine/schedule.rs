//! When to sync: on opening, when the browser comes back online, every [`SYNC_EVERY_MS`]
//! while the app is open (backing off after failures, up to [`MAX_BACKOFF_MS`]), after every
//! action, and when asked.

use std::cell::Cell;

use leptos::prelude::*;

use super::{held, Held};
use crate::session::{Session, SyncFault, SyncStatus};
use crate::sync::SyncError;

/// Period of the background sync.
pub const SYNC_EVERY_MS: f64 = 20_000.0;
/// Longest wait between attempts after failures.
pub const MAX_BACKOFF_MS: f64 = 300_000.0;

/// Failures in a row and the time of the next attempt.
#[derive(Default)]
pub struct State {
    failures: Cell<u32>,
    next_try_ms: Cell<f64>,
    /// A sync is under way (one at a time).
    running: Cell<bool>,
    /// Another sync was asked for while one ran.
    again: Cell<bool>,
}

impl State {
    /// Whether a sync is under way.
    pub(crate) fn is_running(&self) -> bool {
        self.running.get()
    }
}

thread_local! {
    /// Whether the tick and the online listener run (one pair per page, whichever community
    /// is open).
    static STARTED: Cell<bool> = const { Cell::new(false) };
}

/// Syncs now. When a sync is already running, it runs once more right after, so that
/// whatever asked (an act, the button) is covered by a sync that started after it.
pub async fn sync_now(session: Session) {
    let Some(h) = held(session) else { return };
    if h.schedule.running.replace(true) {
        h.schedule.again.set(true);
        return;
    }
    loop {
        h.schedule.again.set(false);
        sync_once(session, &h).await;
        if !h.schedule.again.get() {
            break;
        }
    }
    h.schedule.running.set(false);
}

/// One sync and its outcome: the status, and when the next one is due.
async fn sync_once(session: Session, h: &Held) {
    let (endpoint, before) = {
        let c = h.community.lock().await;
        let len = c.space().len();
        (c.record.endpoint.clone(), len)
    };
    if endpoint.is_empty() {
        return;
    }
    session.status.set(SyncStatus::Syncing);
    let result = super::exchange::sync(h).await;
    if result.is_ok() {
        // Joined fast: check the older history once the endpoint answered, beside the syncs
        // (they carry on meanwhile). The result is kept in the record; a check that failed is
        // tried again after the next sync.
        leptos::task::spawn_local(async move {
            let Some(h) = held(session) else { return };
            match super::history::check(&h).await {
                Ok(true) => {
                    let c = h.community.lock().await;
                    let len = c.space().len();
                    super::publish(session, &c, len);
                }
                Ok(false) => {}
                Err(e) => leptos::logging::log!("linli history: not checked yet: {e}"),
            }
        });
    }
    super::publish(session, &*h.community.lock().await, before);
    if let Err(e) = &result {
        leptos::logging::log!("linli sync: did not finish: {e}");
    }
    let status = match result {
        Ok(_) => SyncStatus::Synced,
        Err(SyncError::Unreachable(_)) => SyncStatus::Unreachable,
        Err(SyncError::ReadOnly) => SyncStatus::ReadOnly,
        Err(SyncError::TimedOut(_)) => SyncStatus::Failed(SyncFault::TimedOut),
        Err(SyncError::Http { status, .. }) => SyncStatus::Failed(SyncFault::Http(status)),
        Err(SyncError::Damaged(_) | SyncError::FalseCheckpoint(_) | SyncError::UnderSigned(_)) => {
            SyncStatus::Failed(SyncFault::Damaged)
        }
        Err(SyncError::Rollback { listed, seen }) => {
            SyncStatus::Failed(SyncFault::Rollback { listed, seen })
        }
        Err(SyncError::Store(e)) => SyncStatus::Failed(SyncFault::Store(e)),
    };
    let ok = matches!(status, SyncStatus::Synced | SyncStatus::ReadOnly);
    let failures = if ok { 0 } else { h.schedule.failures.get() + 1 };
    h.schedule.failures.set(failures);
    let wait = if ok {
        SYNC_EVERY_MS
    } else {
        (5_000.0 * 2f64.powi(failures.min(10) as i32)).min(MAX_BACKOFF_MS)
    };
    h.schedule.next_try_ms.set(js_sys::Date::now() + wait);
    session.outcome.set(status.clone());
    session.status.set(status);
}

/// Starts the background schedule (once per page): a tick every few seconds that syncs the
/// open community when due, and a sync whenever the browser comes back online.
pub fn start(session: Session) {
    if STARTED.with(|s| s.replace(true)) {
        return;
    }
    let online = window_event_listener(leptos::ev::online, move |_| {
        if let Some(h) = held(session) {
            h.schedule.next_try_ms.set(0.0);
        }
        leptos::task::spawn_local(sync_now(session));
    });
    // Lives as long as the page.
    std::mem::forget(online);
    let _ = set_interval_with_handle(
        move || {
            // Not while a sync runs: the tick is no reason to run again right after it (a
            // sync that failed waits its back-off).
            let due = held(session).is_some_and(|h| {
                !h.schedule.running.get() && js_sys::Date::now() >= h.schedule.next_try_ms.get()
            });
            if due {
                leptos::task::spawn_local(sync_now(session));
            }
        },
        std::time::Duration::from_millis(3_000),
    );
}
