//! 红黑榜 — the red list (contributors who did not opt out) and the black list (曝光栏:
//! misconduct not yet put right, shown only after its 15-day appeal window), with masked names
//! only — never a full name, household, phone number or photo — and a page for the wall board
//! printed in one tap.

use leptos::prelude::*;

use super::view::lists;
use crate::components::{short_date, Notice};
use crate::hooks::use_view;
use crate::i18n::points::PointsText;
use crate::i18n::{fill, use_i18n, use_texts};
use crate::session::use_session;

/// The lists, as a notice for the wall board.
#[component]
pub fn Lists() -> impl IntoView {
    let t = use_texts::<PointsText>();
    let i18n = use_i18n();
    let now = js_sys::Date::now() as i64;
    let l = use_view(move |s, _| lists(s, now));
    let digest = use_session().digest;
    let org = Signal::derive(move || {
        let name = digest.with(|d| d.as_ref().map(|d| d.name.clone()).unwrap_or_default());
        format!("{name} · {}", t().title)
    });
    move || {
        let m = t();
        let Some(l) = l.get() else {
            return view! { <p class="card__muted">{i18n.t().loading}</p> }.into_any();
        };
        view! {
            <Notice org title=m.lists_title print=m.lists_print date=short_date(now as f64)>
                <h2>{m.red_title}</h2>
                {l.red.is_empty().then(|| view! { <p>{m.lists_none}</p> })}
                <table class="notice__table" data-testid="red-list">
                    <tbody>
                        {l.red.into_iter().enumerate().map(|(i, (name, n))| view! {
                            <tr><th>{i + 1}". "{name}</th><td>{n}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <h2>{m.black_title}</h2>
                {l.black.is_empty().then(|| view! { <p>{m.lists_none}</p> })}
                <table class="notice__table" data-testid="black-list">
                    <tbody>
                        {l.black.into_iter().map(|(name, rule, since)| view! {
                            <tr><th>{name}" · "{rule}</th><td>{short_date(since as f64)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                {(l.waiting > 0).then(|| view! { <p class="no-print card__muted">{fill(m.black_waiting, &[("n", &l.waiting)])}</p> })}
                <p>{m.lists_rules}</p>
            </Notice>
        }
        .into_any()
    }
}
