//! Line icons drawn inline (no icon font or image requests; they follow `currentColor`).

use leptos::prelude::*;

/// The icons the shell uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IconKind {
    Home,
    Council,
    Points,
    Volunteer,
    Me,
}

impl IconKind {
    fn path(self) -> &'static str {
        match self {
            IconKind::Home => "M3 11l9-7 9 7M5 10v10h5v-6h4v6h5V10",
            IconKind::Council => "M4 5h16v10H9l-5 4zM8 9h8M8 12h5",
            IconKind::Points => {
                "M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1-4.4-4.3 6.1-.9z"
            }
            IconKind::Volunteer => {
                "M12 20s-7-4.4-7-10a4 4 0 017-2.6A4 4 0 0119 10c0 5.6-7 10-7 10z"
            }
            IconKind::Me => "M12 12a4 4 0 100-8 4 4 0 000 8zM4 21a8 8 0 0116 0",
        }
    }
}

/// A 24×24 line icon.
#[component]
pub fn Icon(kind: IconKind) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=kind.path()/>
        </svg>
    }
}
