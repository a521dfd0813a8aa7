//! 成员名单 — the roster: masked names and roles, never households.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::pages::common::role_text;
use crate::session::Session;

/// The member list.
#[component]
pub fn Members() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let view_sig = expect_context::<Session>().view;
    view! {
        <h1 class="page__title">{move || t().members_title}</h1>
        <ul class="members" data-testid="members">
            {move || view_sig.get().map(|v| v.members.into_iter().map(|m| view! {
                <li class="members__row">
                    <span class="members__name">
                        {m.name}
                        {m.me.then(|| view! { <span class="members__me">{t().members_me}</span> })}
                    </span>
                    <span class="members__role">{role_text(t(), m.role)}</span>
                </li>
            }).collect_view())}
        </ul>
    }
}
