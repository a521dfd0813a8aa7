//! The everyday services (§3.7): 求助 — a resident asks for help in three taps, staff take it
//! (the first owns it, 首问负责), hand it on, note progress and resolve it, and the resident
//! rates the result or reopens it within 7 days. One part.

pub mod help;
pub mod request;
pub mod view;

use leptos::prelude::*;

use crate::parts::Page;

/// The area's screens.
pub struct Pages {
    /// `/help`.
    pub help: Page,
    /// `/help/:id`.
    pub request: Page,
}

crate::split!(services: pub fn pages() -> Pages {
    Pages {
        help: || view! { <help::HelpPage/> }.into_any(),
        request: || view! { <request::RequestPage/> }.into_any(),
    }
});
