//! 志愿 — volunteer services (志愿服务): profiles, activities, sign-up, hours that become points.
//!
//! Until the area is built (its issue), the section says what it will hold. One part.

use leptos::prelude::*;

use crate::components::{EmptyState, IconKind};
use crate::i18n::use_texts;
use crate::i18n::volunteer::VolunteerText;
use crate::parts::Page;

/// The area's screens.
pub struct Pages {
    /// `/volunteer`.
    pub home: Page,
}

crate::split!(volunteer: pub fn pages() -> Pages {
    Pages {
        home: || view! { <Volunteer/> }.into_any(),
    }
});

/// The section.
#[component]
pub fn Volunteer() -> impl IntoView {
    let t = use_texts::<VolunteerText>();
    view! {
        <h1 class="page__title">{move || t().title}</h1>
        <EmptyState
            icon=IconKind::Volunteer
            title=Signal::derive(move || t().empty_title)
            body=Signal::derive(move || t().empty_body)
            items=Signal::derive(move || t().empty_items)
        />
    }
}
