//! Hooks the area pages share (one per file, as leptos-use does): what a page reads of the
//! community, a detail loaded by the route's id, and acting with the outcome shown.
//!
//! They live in the parts that use them: nothing here is compiled into the first part.

mod use_act;
mod use_detail;
mod use_view;

pub use use_act::{act_error_text, code_text, use_act, Acting};
pub use use_detail::{use_detail, use_route_id, Detail};
pub use use_view::{use_view, with_community};
