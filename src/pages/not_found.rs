//! Shown for a path no section owns (an old or mistyped link).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;

/// The not-found page, with the way back home.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="page__title">{move || i18n.t().not_found_title}</h1>
        <p class="card">{move || i18n.t().not_found_body}</p>
        <A href="/" attr:class="button">{move || i18n.t().not_found_back}</A>
    }
}
