//! Pieces shared by pages, one per file. Class names follow BEM (`block__element--modifier`);
//! each block's CSS is in `style/<block>.css`.
//!
//! The shell's own (bottom navigation, sync badge, error banner, icons, empty state, the lazy
//! screen) are in the first part; the rest load with the parts whose pages use them.

mod bottom_nav;
mod choice;
mod confirm;
mod empty_state;
mod error_banner;
mod field;
mod form_error;
mod icon;
mod lazy;
mod notice;
mod qr;
mod sync_badge;
mod tally;
mod time;

pub use bottom_nav::BottomNav;
pub use choice::Choice;
pub use confirm::Confirm;
pub use empty_state::EmptyState;
pub use error_banner::ErrorBanner;
pub use field::{FieldIssue, Issue, TextArea, TextField};
pub use form_error::FormError;
pub use icon::{Icon, IconKind};
pub use lazy::Lazy;
pub use notice::Notice;
pub use qr::Qr;
pub use sync_badge::SyncBadge;
pub use tally::{percent, turnout_text, TallyBars};
pub use time::{date_time, short_date, short_time, use_clock, Left, LocalTime};
