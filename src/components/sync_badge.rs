//! The sync badge in the top bar: whether this device can reach the network right now.
//!
//! It reads `navigator.onLine` and follows the window's `online`/`offline` events; with a
//! community joined it adds the sync state, the number of unsent events and the time of the
//! last sync. Tapping it opens 同步与数据 (sync and data).

use leptos::ev;
use leptos::prelude::*;

use leptos_router::components::A;

use super::short_time;
use crate::i18n::use_i18n;
use crate::session::{use_session, SyncStatus};

/// Online/offline, as the browser reports it.
#[component]
pub fn SyncBadge() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let (status, digest) = (session.status, session.digest);
    let online = RwSignal::new(window().navigator().on_line());
    let on = window_event_listener(ev::online, move |_| online.set(true));
    let off = window_event_listener(ev::offline, move |_| online.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
    });
    let detail = move || {
        let m = i18n.t();
        let d = digest.get()?;
        let state = match status.get() {
            SyncStatus::Syncing => m.badge_syncing.to_owned(),
            SyncStatus::Unreachable => m.badge_unreachable.to_owned(),
            SyncStatus::ReadOnly => m.badge_readonly.to_owned(),
            SyncStatus::Failed(_) => m.badge_failed.to_owned(),
            SyncStatus::Synced | SyncStatus::Idle => match d.last_sync_ms {
                Some(ms) => format!("{} {}", m.badge_synced, short_time(ms)),
                None => String::new(),
            },
        };
        let (unsent, refused) = (d.snapshot.unsent, d.snapshot.refused);
        let unsent = (unsent > 0).then(|| format!("{unsent} {}", m.badge_unsent));
        let refused = (refused > 0).then(|| format!("{refused} {}", m.badge_refused));
        Some(
            [Some(state), unsent, refused]
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
        )
    };
    view! {
        <A href="/sync" attr:class="badge-link" attr:data-testid="sync-badge">
        <span
            class="badge"
            class:badge--offline=move || !online.get()
            role="status"
            title=move || {
                let m = i18n.t();
                if online.get() { m.badge_online_hint } else { m.badge_offline_hint }
            }
        >
            <span class="badge__dot" aria-hidden="true"></span>
            {move || {
                let m = i18n.t();
                if online.get() { m.badge_online } else { m.badge_offline }
            }}
            {move || detail().filter(|d| !d.is_empty()).map(|d| view! {
                <span class="badge__detail" data-testid="sync-detail">{d}</span>
            })}
        </span>
        </A>
    }
}
