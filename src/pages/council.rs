//! 议事 — the resident council (居民议事会): proposals, seconds, deliberation and votes.
//!
//! Until the device joins a community, the section says what it will hold.

use leptos::prelude::*;

use crate::components::{EmptyState, IconKind};
use crate::i18n::use_i18n;

/// The council section.
#[component]
pub fn Council() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="page__title">{move || i18n.t().council_title}</h1>
        <EmptyState
            icon=IconKind::Council
            title=Signal::derive(move || i18n.t().council_empty_title)
            body=Signal::derive(move || i18n.t().council_empty_body)
            items=Signal::derive(move || i18n.t().council_empty_items)
        />
    }
}
