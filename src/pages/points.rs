//! 积分 — the points scheme (积分制): rules, history, the points store and the red/black lists.
//!
//! Until the area is built (its issue), the section says what it will hold. One part.

use leptos::prelude::*;

use crate::components::{EmptyState, IconKind};
use crate::i18n::points::PointsText;
use crate::i18n::use_texts;
use crate::parts::Page;

/// The area's screens.
pub struct Pages {
    /// `/points`.
    pub home: Page,
}

crate::split!(points: pub fn pages() -> Pages {
    Pages {
        home: || view! { <Points/> }.into_any(),
    }
});

/// The section.
#[component]
pub fn Points() -> impl IntoView {
    let t = use_texts::<PointsText>();
    view! {
        <h1 class="page__title">{move || t().title}</h1>
        <EmptyState
            icon=IconKind::Points
            title=Signal::derive(move || t().empty_title)
            body=Signal::derive(move || t().empty_body)
            items=Signal::derive(move || t().empty_items)
        />
    }
}
