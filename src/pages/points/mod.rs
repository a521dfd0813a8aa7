//! 积分 — the points scheme (积分制): my points and their history (with the appeal of a
//! deduction inside its 15 days), the rules catalogue (积分细则) the council keeps, and the
//! staff's award screen (记分). One part.

pub mod award;
pub mod lists;
pub mod mine;
pub mod review;
pub mod rules;
pub mod store;
pub mod view;

use leptos::prelude::*;

use crate::parts::Page;

/// The area's screens.
pub struct Pages {
    /// `/points`.
    pub home: Page,
    /// `/points/rules`.
    pub rules: Page,
    /// `/points/award`.
    pub award: Page,
    /// `/points/review`.
    pub review: Page,
    /// `/points/store`.
    pub store: Page,
    /// `/points/lists`.
    pub lists: Page,
}

crate::split!(points: pub fn pages() -> Pages {
    Pages {
        home: || view! { <mine::Mine/> }.into_any(),
        rules: || view! { <rules::Rules/> }.into_any(),
        award: || view! { <award::Award/> }.into_any(),
        review: || view! { <review::Review/> }.into_any(),
        store: || view! { <store::Store/> }.into_any(),
        lists: || view! { <lists::Lists/> }.into_any(),
    }
});

/// `+5` or `−5`, as a points amount reads.
pub fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else if n < 0 {
        format!("−{}", -n)
    } else {
        "0".to_owned()
    }
}
