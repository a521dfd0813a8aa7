//! 志愿 — volunteer services (志愿服务): profiles, tasks, sign-ups and confirmed hours.
//!
//! Until the device joins a community, the section says what it will hold.

use leptos::prelude::*;

use crate::components::{EmptyState, IconKind};
use crate::i18n::use_i18n;

/// The volunteer section.
#[component]
pub fn Volunteer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="page__title">{move || i18n.t().volunteer_title}</h1>
        <EmptyState
            icon=IconKind::Volunteer
            title=Signal::derive(move || i18n.t().volunteer_empty_title)
            body=Signal::derive(move || i18n.t().volunteer_empty_body)
            items=Signal::derive(move || i18n.t().volunteer_empty_items)
        />
    }
}
