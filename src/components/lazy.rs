//! A screen whose code is in a part that loads when first needed (`crate::parts`).

use std::future::Future;

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::parts::{why_failed, Page, PartError};
use crate::session::{use_session, Session};

/// Shows the screen `load` returns once its part has loaded: until then a short notice; if it
/// fails, a message and a retry — never a dead app — and a retry of its own when the
/// network comes back. A part that fails because a newer version was deployed (its file is
/// gone) offers a reload instead.
#[component]
pub fn Lazy<F, Fut>(
    /// Loads the part (and whatever it needs first) and picks the screen.
    load: F,
) -> impl IntoView
where
    F: Fn(Session) -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<Page, PartError>> + 'static,
{
    let i18n = use_i18n();
    let session = use_session();
    let page = RwSignal::new(None::<Result<Page, PartError>>);
    let fetch = move || {
        page.set(None);
        leptos::task::spawn_local(async move {
            let loaded = match load(session).await {
                Err(PartError::Failed) => Err(why_failed().await),
                other => other,
            };
            page.set(Some(loaded));
        });
    };
    fetch();
    let online = window_event_listener(leptos::ev::online, move |_| {
        if matches!(page.get_untracked(), Some(Err(PartError::Failed))) {
            fetch();
        }
    });
    on_cleanup(move || online.remove());
    move || {
        match page.get() {
        Some(Ok(page)) => page(),
        Some(Err(PartError::Outdated)) => view! {
            <div class="part-error" role="alert">
                <p>{move || i18n.t().new_version}</p>
                <button class="button" type="button" on:click=move |_| { let _ = window().location().reload(); }>
                    {move || i18n.t().reload}
                </button>
            </div>
        }
        .into_any(),
        Some(Err(PartError::Failed)) => view! {
            <div class="part-error" role="alert">
                <p>{move || i18n.t().part_failed}</p>
                <button class="button" type="button" on:click=move |_| fetch()>{move || i18n.t().retry}</button>
            </div>
        }
        .into_any(),
        None => view! { <p class="card__muted" aria-busy="true">{move || i18n.t().loading}</p> }.into_any(),
    }
    }
}
