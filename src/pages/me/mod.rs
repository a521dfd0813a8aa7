//! 我的 — this device's community, language and reading comfort; and 同步与数据 (sync and
//! data): the state check code, sync on demand, files for when there is no network. One part.

pub mod phone;
pub mod settings;
pub mod sync;

use leptos::prelude::*;

use crate::parts::Page;

/// The screens of 我的.
pub struct Pages {
    /// `/me`.
    pub me: Page,
    /// `/sync`.
    pub sync: Page,
}

crate::split!(me: pub fn pages() -> Pages {
    Pages {
        me: || view! { <settings::Me/> }.into_any(),
        sync: || view! { <sync::Sync/> }.into_any(),
    }
});
