//! 议事 — the resident council (居民议事会): proposals by state with counts, a proposal's
//! page, the form to propose, meetings, and printable notices for the wall board. Before
//! joining a community, the section says what it will hold.
//!
//! - [`view`]: what the screens read (rows, details, the acts the domain allows).
//! - [`list`], [`proposal`], [`propose`], [`meeting`], [`print`], [`charter`]: the screens.
//!
//! The whole area is one part (`crate::parts`), loaded the first time one of its screens opens.

pub mod charter;
pub mod list;
pub mod meeting;
pub mod print;
pub mod proposal;
pub mod propose;
pub mod publish;
pub mod view;

use leptos::prelude::*;
use linli_domain::council::{Eligibility, StandardOption, Status, Threshold};

use crate::i18n::council::CouncilText;
use crate::parts::Page;
use view::OptionLabel;

/// The council's screens.
pub struct Pages {
    /// `/council`.
    pub list: Page,
    /// `/council/new`.
    pub propose: Page,
    /// `/council/:id`.
    pub proposal: Page,
    /// `/council/:id/print`.
    pub print: Page,
    /// `/meetings/new`.
    pub schedule: Page,
    /// `/meetings/:id`.
    pub meeting: Page,
    /// `/meetings/:id/print`.
    pub print_meeting: Page,
    /// `/council/charter`.
    pub charter: Page,
}

crate::split!(council: pub fn pages() -> Pages {
    Pages {
        list: || view! { <list::Council/> }.into_any(),
        propose: || view! { <propose::Propose/> }.into_any(),
        proposal: || view! { <proposal::Proposal/> }.into_any(),
        print: || view! { <print::PrintProposal/> }.into_any(),
        schedule: || view! { <meeting::Schedule/> }.into_any(),
        meeting: || view! { <meeting::Meeting/> }.into_any(),
        print_meeting: || view! { <print::PrintMeeting/> }.into_any(),
        charter: || view! { <charter::StandingRules/> }.into_any(),
    }
});

/// A status's name.
pub fn status_text(t: &'static CouncilText, s: Status) -> &'static str {
    match s {
        Status::Collecting => t.st_collecting,
        Status::Deliberating => t.st_deliberating,
        Status::Voting => t.st_voting,
        Status::Decided => t.st_decided,
        Status::Implementing => t.st_implementing,
        Status::Done => t.st_done,
        Status::Withdrawn => t.st_withdrawn,
    }
}

/// Who votes, in words.
pub fn eligibility_text(t: &'static CouncilText, e: Eligibility) -> &'static str {
    match e {
        Eligibility::Resident => t.elig_resident,
        Eligibility::Household => t.elig_household,
        Eligibility::Council => t.elig_council,
    }
}

/// What passes, in words.
pub fn threshold_text(t: &'static CouncilText, th: Threshold) -> &'static str {
    match th {
        Threshold::Simple => t.thr_simple,
        Threshold::TwoThirds => t.thr_two_thirds,
    }
}

/// An option's label in the reader's language.
pub fn option_text(t: &'static CouncilText, o: &OptionLabel) -> String {
    match o {
        OptionLabel::Standard(StandardOption::Yes) => t.opt_yes.to_owned(),
        OptionLabel::Standard(StandardOption::No) => t.opt_no.to_owned(),
        OptionLabel::Standard(StandardOption::Abstain) => t.opt_abstain.to_owned(),
        OptionLabel::Own(s) => s.clone(),
    }
}
