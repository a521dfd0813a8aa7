//! 首页 — Home. Until the device joins a community: what Linli is and how to join.

use leptos::prelude::*;

use crate::components::{EmptyState, IconKind};
use crate::i18n::use_i18n;

/// The home section.
#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="page__title">{move || i18n.t().home_title}</h1>
        <EmptyState
            icon=IconKind::Home
            title=Signal::derive(move || i18n.t().home_empty_title)
            body=Signal::derive(move || i18n.t().home_empty_body)
            items=Signal::derive(move || i18n.t().home_empty_steps)
        />
    }
}
