//! 积分 — the points scheme (积分制): rules, history, the points store and the red/black lists.
//!
//! Until the device joins a community, the section says what it will hold.

use leptos::prelude::*;

use crate::components::{EmptyState, IconKind};
use crate::i18n::use_i18n;

/// The points section.
#[component]
pub fn Points() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="page__title">{move || i18n.t().points_title}</h1>
        <EmptyState
            icon=IconKind::Points
            title=Signal::derive(move || i18n.t().points_empty_title)
            body=Signal::derive(move || i18n.t().points_empty_body)
            items=Signal::derive(move || i18n.t().points_empty_items)
        />
    }
}
