//! Pieces shared by pages. Class names follow BEM (`block__element--modifier`); their CSS is
//! in `style/main.css` under the block's name.

mod bottom_nav;
mod empty_state;
mod error_banner;
mod icon;
mod qr;
mod sync_badge;

pub use bottom_nav::BottomNav;
pub use empty_state::EmptyState;
pub use error_banner::ErrorBanner;
pub use icon::{Icon, IconKind};
pub use qr::Qr;
pub use sync_badge::SyncBadge;
