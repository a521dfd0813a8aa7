//! 成员名单 — the roster: masked names and roles, never households.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::pages::common::role_text;
use crate::session::Session;

/// Rows rendered at most: a phone stays responsive with a list of a few hundred.
const SHOWN: usize = 500;

/// The member list.
#[component]
pub fn Members() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = expect_context::<Session>();
    let rows = RwSignal::new(Vec::new());
    // Read again whenever the community changes (a sync brought new members, say).
    Effect::new(move |_| {
        session.view.track();
        leptos::task::spawn_local(async move { rows.set(session.members().await) });
    });
    view! {
        <h1 class="page__title">{move || t().members_title}</h1>
        <ul class="members" data-testid="members">
            {move || rows.get().into_iter().take(SHOWN).map(|m| view! {
                <li class="members__row">
                    <span class="members__name">
                        {m.name}
                        {m.me.then(|| view! { <span class="members__me">{t().members_me}</span> })}
                    </span>
                    <span class="members__role">{role_text(t(), m.role)}</span>
                </li>
            }).collect_view()}
        </ul>
        <Show when=move || rows.with(|r| r.len() > SHOWN)>
            <p class="card__muted">{move || t().members_first}</p>
        </Show>
    }
}
