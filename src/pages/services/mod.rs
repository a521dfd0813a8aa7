//! The everyday services (§3.7): 求助 — a resident asks for help in three taps, staff take it
//! (the first owns it, 首问负责), hand it on, note progress and resolve it, and the resident
//! rates the result or reopens it within 7 days. 民调 — staff ask, residents answer in two
//! taps and may change their answer until the close, the result is printed for the wall
//! board. 公开 — the public board and the funds ledger, printable for the wall. 台账 — the
//! monthly ledger compiled from the log, printed in one tap. One part.

pub mod board;
pub mod funds;
pub mod help;
pub mod ledger;
pub mod poll;
pub mod poll_view;
pub mod polls;
pub mod public;
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
    /// `/polls`.
    pub polls: Page,
    /// `/polls/new`.
    pub new_poll: Page,
    /// `/polls/:id`.
    pub poll: Page,
    /// `/polls/:id/print`.
    pub print_poll: Page,
    /// `/board`.
    pub board: Page,
    /// `/board/new`.
    pub board_new: Page,
    /// `/board/:id/print`.
    pub board_print: Page,
    /// `/funds`.
    pub funds: Page,
    /// `/funds/print`.
    pub funds_print: Page,
    /// `/ledger`: the monthly ledger (台账).
    pub ledger: Page,
}

crate::split!(services: pub fn pages() -> Pages {
    Pages {
        help: || view! { <help::HelpPage/> }.into_any(),
        request: || view! { <request::RequestPage/> }.into_any(),
        polls: || view! { <polls::PollsPage/> }.into_any(),
        new_poll: || view! { <polls::NewPoll/> }.into_any(),
        poll: || view! { <poll::PollPage/> }.into_any(),
        print_poll: || view! { <poll::PrintPoll/> }.into_any(),
        board: || view! { <board::BoardPage/> }.into_any(),
        board_new: || view! { <board::NewPostPage/> }.into_any(),
        board_print: || view! { <board::PrintPostPage/> }.into_any(),
        funds: || view! { <funds::FundsPage/> }.into_any(),
        funds_print: || view! { <funds::PrintFundsPage/> }.into_any(),
        ledger: || view! { <ledger::LedgerPage/> }.into_any(),
    }
});
