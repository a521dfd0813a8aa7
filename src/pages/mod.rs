//! One module per section of the bottom navigation, the community flows (create, join,
//! invite, members, sync and data), and the not-found page.

pub mod common;
pub mod council;
mod create;
mod diagnostics;
mod home;
mod invite;
mod join;
mod me;
mod meeting;
mod members;
mod not_found;
mod points;
mod proposal;
mod volunteer;

pub use council::Council;
pub use create::Create;
pub use diagnostics::Diagnostics;
pub use home::Home;
pub use invite::Invite;
pub use join::Join;
pub use me::Me;
pub use meeting::{Meeting, NewMeeting, PrintMeeting};
pub use members::Members;
pub use not_found::NotFound;
pub use points::Points;
pub use proposal::{NewProposal, PrintProposal, Proposal};
pub use volunteer::Volunteer;
