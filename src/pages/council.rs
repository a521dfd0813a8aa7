//! 议事 — the resident council (居民议事会): proposals by state, with counts; a proposal's
//! page; the form to propose. Before joining a community, the section says what it will hold.

use leptos::prelude::*;
use leptos_router::components::A;
use linli_domain::council::{Eligibility, Status, Threshold};

use crate::components::{EmptyState, IconKind};
use crate::i18n::{use_i18n, Messages};
use crate::session::Session;

/// A status's name.
pub fn status_text(m: &'static Messages, s: Status) -> &'static str {
    match s {
        Status::Collecting => m.st_collecting,
        Status::Deliberating => m.st_deliberating,
        Status::Voting => m.st_voting,
        Status::Decided => m.st_decided,
        Status::Implementing => m.st_implementing,
        Status::Done => m.st_done,
        Status::Withdrawn => m.st_withdrawn,
    }
}

/// Who votes, in words.
pub fn eligibility_text(m: &'static Messages, e: Eligibility) -> &'static str {
    match e {
        Eligibility::Resident => m.elig_resident,
        Eligibility::Household => m.elig_household,
        Eligibility::Council => m.elig_council,
    }
}

/// What passes, in words.
pub fn threshold_text(m: &'static Messages, t: Threshold) -> &'static str {
    match t {
        Threshold::Simple => m.thr_simple,
        Threshold::TwoThirds => m.thr_two_thirds,
    }
}

/// An option's label: the default options (赞成/反对/弃权, stored in Chinese in the event) in
/// the reader's language; any other option as its proposer wrote it.
pub fn option_text(m: &'static Messages, option: &str) -> String {
    match option {
        "赞成" => m.opt_yes.to_owned(),
        "反对" => m.opt_no.to_owned(),
        "弃权" => m.opt_abstain.to_owned(),
        other => other.to_owned(),
    }
}

/// The order of the sections: what needs residents now first.
const ORDER: [Status; 7] = [
    Status::Voting,
    Status::Collecting,
    Status::Deliberating,
    Status::Implementing,
    Status::Decided,
    Status::Done,
    Status::Withdrawn,
];

/// The council section.
#[component]
pub fn Council() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let view = expect_context::<Session>().view;
    view! {
        <h1 class="page__title">{move || t().council_title}</h1>
        {move || match view.get() {
            None => view! {
                <EmptyState
                    icon=IconKind::Council
                    title=Signal::derive(move || i18n.t().council_empty_title)
                    body=Signal::derive(move || i18n.t().council_empty_body)
                    items=Signal::derive(move || i18n.t().council_empty_items)
                />
            }.into_any(),
            Some(c) => {
                let member = c.role.is_some();
                let sections = ORDER
                    .into_iter()
                    .filter_map(|st| {
                        let rows: Vec<_> = c.proposals.iter().filter(|p| p.status == st).cloned().collect();
                        (!rows.is_empty()).then(|| view! {
                            <section class="card" data-status=format!("{st:?}")>
                                <h2 class="card__title">
                                    {status_text(t(), st)}
                                    <span class="count">{rows.len()}</span>
                                </h2>
                                <ul class="plist">
                                    {rows.into_iter().map(|p| view! {
                                        <li>
                                            <A href=format!("/council/{}", p.id) attr:class="plist__item">
                                                <span class="plist__title">{p.title}</span>
                                                <span class="plist__meta">
                                                    {p.category}
                                                    {(st == Status::Collecting).then(|| format!(" · {} {}/{}", t().p_seconds, p.seconds.0, p.seconds.1))}
                                                </span>
                                            </A>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        })
                    })
                    .collect_view();
                let organiser = matches!(c.role, Some(linli_domain::Role::Admin | linli_domain::Role::Council | linli_domain::Role::Worker));
                let meetings = c.meetings.clone();
                view! {
                    {member.then(|| view! {
                        <div class="actions">
                            <A href="/council/new" attr:class="button">{move || t().council_propose}</A>
                        </div>
                    })}
                    {(organiser || !meetings.is_empty()).then(|| view! {
                        <section class="card" data-testid="meetings">
                            <h2 class="card__title">{t().m_section}<span class="count">{meetings.len()}</span></h2>
                            <ul class="plist">
                                {meetings.into_iter().map(|m| view! {
                                    <li>
                                        <A href=format!("/meetings/{}", m.id) attr:class="plist__item">
                                            <span class="plist__title">{m.title}</span>
                                            <span class="plist__meta">{crate::pages::common::short_date(m.at as f64)}" · "{t().m_attendance}" "{m.attendance}</span>
                                        </A>
                                    </li>
                                }).collect_view()}
                            </ul>
                            {organiser.then(|| view! {
                                <A href="/meetings/new" attr:class="button button--secondary button--wide">{t().m_new}</A>
                            })}
                        </section>
                    })}
                    {c.proposals.is_empty().then(|| view! { <p class="card__muted">{t().council_none_yet}</p> })}
                    {sections}
                }.into_any()
            }
        }}
    }
}
