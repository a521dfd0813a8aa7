//! The screens, one folder (or file) per area. [`home`] and [`not_found`] are in the first
//! part; every other area is a part of its own, with its split point in its `mod.rs`.

pub mod council;
pub mod home;
pub mod me;
pub mod not_found;
pub mod points;
pub mod roster;
pub mod services;
pub mod volunteer;
