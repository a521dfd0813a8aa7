//! The community flows: 创建社区 (create), 加入社区 (join from an invitation link, or follow
//! read-only), 邀请邻居 (invite), 成员名单 (members). One part.

pub mod create;
pub mod invite;
pub mod invites;
pub mod join;
pub mod member;
pub mod members;
pub mod scan;
pub mod view;

use leptos::prelude::*;

use crate::parts::Page;

/// The community flows' screens.
pub struct Pages {
    /// `/create`.
    pub create: Page,
    /// `/join`.
    pub join: Page,
    /// `/invite`.
    pub invite: Page,
    /// `/members`.
    pub members: Page,
    /// `/members/:id`.
    pub member: Page,
    /// `/invite/sheet`.
    pub sheet: Page,
}

crate::split!(roster: pub fn pages() -> Pages {
    Pages {
        create: || view! { <create::Create/> }.into_any(),
        join: || view! { <join::Join/> }.into_any(),
        invite: || view! { <invite::Invite/> }.into_any(),
        members: || view! { <members::Members/> }.into_any(),
        member: || view! { <member::Member/> }.into_any(),
        sheet: || view! { <invites::SheetPage/> }.into_any(),
    }
});
