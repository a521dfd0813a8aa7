//! 公示 — notices for the wall board: a ballot's result (counts only, never names) and a
//! meeting's minutes, on plain pages that print on A4.

use leptos::prelude::*;

use super::view::{meeting, proposal};
use super::{eligibility_text, option_text, threshold_text};
use crate::components::{date_time, short_date, Notice};
use crate::hooks::{use_detail, Detail};
use crate::i18n::council::CouncilText;
use crate::i18n::use_texts;
use crate::session::use_session;

/// The community's name, for the notice's heading.
fn community() -> Signal<String> {
    let digest = use_session().digest;
    Signal::derive(move || digest.with(|d| d.as_ref().map(|d| d.name.clone()).unwrap_or_default()))
}

/// A ballot's result.
#[component]
pub fn PrintProposal() -> impl IntoView {
    let t = use_texts::<CouncilText>();
    let detail = use_detail(proposal);
    let name = community();
    move || {
        let Detail::Found(p) = detail.get() else {
            return None;
        };
        let m = t();
        let org = Signal::derive(move || format!("{} · {}", name.get(), t().title));
        Some(view! {
            <Notice org title=m.notice_ballot print=m.p_print date=short_date(js_sys::Date::now())>
                <h2>{p.title.clone()}</h2>
                <p class="prewrap">{p.body.clone()}</p>
                <p>{eligibility_text(m, p.eligibility)}" · "{threshold_text(m, p.threshold)}" · "{m.quorum}" "{p.quorum_pct}"%"</p>
                {p.tally.clone().map(|tl| view! {
                    <table class="notice__table">
                        <tbody>
                            {p.options.iter().zip(tl.counts.iter()).map(|(o, n)| view! {
                                <tr><th>{option_text(m, o)}</th><td>{*n}</td></tr>
                            }).collect_view()}
                            <tr><th>{m.p_turnout}</th><td>{tl.cast}" / "{tl.eligible}</td></tr>
                        </tbody>
                    </table>
                    <p class="notice__outcome">{match tl.outcome {
                        linli_domain::council::Outcome::Passed => m.p_outcome_passed,
                        linli_domain::council::Outcome::Rejected => m.p_outcome_rejected,
                        linli_domain::council::Outcome::NoQuorum => m.p_outcome_no_quorum,
                    }}</p>
                })}
            </Notice>
        })
    }
}

/// 会议纪要 for the wall board: title, time, place, attendance count, the minutes.
#[component]
pub fn PrintMeeting() -> impl IntoView {
    let t = use_texts::<CouncilText>();
    let detail = use_detail(meeting);
    let name = community();
    move || {
        let Detail::Found(mt) = detail.get() else {
            return None;
        };
        let m = t();
        Some(view! {
            <Notice org=name title=m.m_minutes print=m.m_print date=short_date(js_sys::Date::now())>
                <h2>{mt.title.clone()}</h2>
                <p data-testid="meeting-time">{date_time(mt.at as f64)}" · "{mt.place.clone()}</p>
                <p>{m.m_attendance}" "{mt.attendance.len()}</p>
                <p class="prewrap">{mt.minutes.clone().unwrap_or_default()}</p>
            </Notice>
        })
    }
}
