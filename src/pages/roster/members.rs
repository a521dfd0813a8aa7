//! 成员名单 — the roster: masked names and roles, never households.

use leptos::prelude::*;

use super::view::members;
use crate::hooks::use_view;
use crate::i18n::roster::RosterText;
use crate::i18n::{use_i18n, use_texts};

/// Rows rendered at most: a phone stays responsive with a list of a few hundred.
const SHOWN: usize = 500;

/// The member list.
#[component]
pub fn Members() -> impl IntoView {
    let t = use_texts::<RosterText>();
    let i18n = use_i18n();
    let rows = use_view(members);
    view! {
        <h1 class="page__title">{move || t().members_title}</h1>
        <ul class="members" data-testid="members">
            <For each=move || rows.get().unwrap_or_default().into_iter().take(SHOWN) key=|m| m.clone() let:m>
                <li class="members__row">
                    <span class="members__name">
                        {m.name}
                        {m.me.then(|| view! { <span class="members__me">{move || t().members_me}</span> })}
                    </span>
                    <span class="members__role">{move || i18n.t().role(m.role)}</span>
                </li>
            </For>
        </ul>
        <Show when=move || rows.with(|r| r.as_ref().is_some_and(|r| r.len() > SHOWN))>
            <p class="card__muted">{move || t().members_first}</p>
        </Show>
    }
}
