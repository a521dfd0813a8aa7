//! `use_view`: a read model of the open community, derived with a memo.
//!
//! ```ignore
//! let rows = use_view(|space, me| proposal_rows(space, me));
//! view! { <For each=move || rows.get().unwrap_or_default() key=|r| r.clone() let:row> … </For> }
//! ```
//!
//! The memo re-runs whenever the community's events change (the session's revision) and
//! notifies its readers only when its value differs: a vote on one proposal re-renders that
//! proposal's page, not the list, the meetings or another proposal.

use leptos::prelude::*;
use linli_domain::{DeviceKey, Space};

use crate::engine::{held, Community};
use crate::session::{use_session, Session};

/// `f` of the open community's fold and this device's key; `None` until the community is
/// open (or when this device has none).
pub fn use_view<T>(f: impl Fn(&Space, &DeviceKey) -> T + Send + Sync + 'static) -> Memo<Option<T>>
where
    T: PartialEq + Clone + Send + Sync + 'static,
{
    let session = use_session();
    Memo::new(move |_| {
        session.revision.track();
        let h = held(session)?;
        let space = h.space.borrow();
        Some(f(&space, &h.device))
    })
}

/// Runs `f` on the open community (for what is not a view of the fold: the record, the
/// outbox count, the state hash). Waits its turn behind an action or a sync.
pub async fn with_community<T>(session: Session, f: impl FnOnce(&Community) -> T) -> Option<T> {
    let h = held(session)?;
    let c = h.community.lock().await;
    Some(f(&c))
}
