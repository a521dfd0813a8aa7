//! One module per section of the bottom navigation, plus the not-found page.

mod council;
mod home;
mod me;
mod not_found;
mod points;
mod volunteer;

pub use council::Council;
pub use home::Home;
pub use me::Me;
pub use not_found::NotFound;
pub use points::Points;
pub use volunteer::Volunteer;
