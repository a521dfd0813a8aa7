//! The sync badge in the top bar: whether this device can reach the network right now.
//!
//! It reads `navigator.onLine` and follows the window's `online`/`offline` events. The sync
//! issue adds the unsent count and the time of the last sync beside it.

use leptos::ev;
use leptos::prelude::*;

use crate::i18n::use_i18n;

/// Online/offline, as the browser reports it.
#[component]
pub fn SyncBadge() -> impl IntoView {
    let i18n = use_i18n();
    let online = RwSignal::new(window().navigator().on_line());
    let on = window_event_listener(ev::online, move |_| online.set(true));
    let off = window_event_listener(ev::offline, move |_| online.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
    });
    view! {
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
        </span>
    }
}
