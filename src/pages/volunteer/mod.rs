//! 志愿 — volunteer services (志愿服务): my profile (skills, weekly free time), activities open
//! to me with sign-up and the wait list, the worker's activity editor, the matcher's
//! suggestions, check-in by QR code on the day, hours confirmed for the whole roster in a few
//! taps (they become points), my hours, and the community's hours by month. One part.

pub mod activity;
pub mod editor;
pub mod home;
pub mod hours;
pub mod profile;
pub mod view;

use leptos::prelude::*;

use crate::parts::Page;

/// The area's screens.
pub struct Pages {
    /// `/volunteer`.
    pub home: Page,
    /// `/volunteer/profile`.
    pub profile: Page,
    /// `/volunteer/new`.
    pub new: Page,
    /// `/volunteer/match`.
    pub match_all: Page,
    /// `/volunteer/:id`.
    pub activity: Page,
    /// `/volunteer/:id/hours`.
    pub hours: Page,
}

crate::split!(volunteer: pub fn pages() -> Pages {
    Pages {
        home: || view! { <home::Volunteer/> }.into_any(),
        profile: || view! { <profile::Profile/> }.into_any(),
        new: || view! { <editor::NewActivity/> }.into_any(),
        match_all: || view! { <editor::MatchAll/> }.into_any(),
        activity: || view! { <activity::ActivityPage/> }.into_any(),
        hours: || view! { <hours::ConfirmHours/> }.into_any(),
    }
});

/// `2.5` hours from minutes, as people read them (no trailing `.0`).
pub fn hours(minutes: u64) -> String {
    let tenths = (minutes * 10 + 30) / 60;
    if tenths.is_multiple_of(10) {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// `12-05 09:00–11:00` (the end's date too when it is another day).
pub fn when(start: i64, end: i64) -> String {
    use crate::components::LocalTime;
    let (s, e) = (LocalTime::of(start as f64), LocalTime::of(end as f64));
    let day = format!("{}-{:02}-{:02}", s.year, s.month, s.day);
    if (s.year, s.month, s.day) == (e.year, e.month, e.day) {
        format!("{day} {}–{}", s.time(), e.time())
    } else {
        format!("{day} {}–{}", s.time(), e.date_time())
    }
}
