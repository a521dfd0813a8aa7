//! The council section: proposals by state, with counts; meetings; the way to propose.

use leptos::prelude::*;
use leptos_router::components::A;
use linli_domain::council::Status;

use super::status_text;
use super::view::{council, CouncilView, ProposalRow};
use crate::components::{short_date, turnout_text, EmptyState, IconKind, Left};
use crate::hooks::use_view;
use crate::i18n::council::CouncilText;
use crate::i18n::{use_i18n, use_texts};
use crate::session::use_session;

/// The council section.
#[component]
pub fn Council() -> impl IntoView {
    let t = use_texts::<CouncilText>();
    let section = use_view(council);
    let joined = use_session().digest;
    let i18n = use_i18n();
    view! {
        <h1 class="page__title">{move || t().title}</h1>
        {move || match section.get() {
            Some(c) => view! { <Section c/> }.into_any(),
            None if joined.with(Option::is_some) => view! { <p class="card__muted">{move || i18n.t().loading}</p> }.into_any(),
            None => view! {
                <EmptyState
                    icon=IconKind::Council
                    title=Signal::derive(move || t().empty_title)
                    body=Signal::derive(move || t().empty_body)
                    items=Signal::derive(move || t().empty_items)
                />
            }.into_any(),
        }}
    }
}

#[component]
fn Section(c: CouncilView) -> impl IntoView {
    let t = use_texts::<CouncilText>();
    let i18n = use_i18n();
    let now = js_sys::Date::now() as i64;
    let sections = Status::BY_URGENCY
        .into_iter()
        .filter_map(|st| {
            let rows: Vec<ProposalRow> = c.proposals.iter().filter(|p| p.status == st).cloned().collect();
            (!rows.is_empty()).then(|| view! {
                <section class="card" data-status=format!("{st:?}")>
                    <h2 class="card__title">{status_text(t(), st)}<span class="count">{rows.len()}</span></h2>
                    <ul class="plist">
                        {rows.into_iter().map(|p| view! {
                            <li>
                                <A href=format!("/council/{}", p.id) attr:class="plist__item">
                                    <span class="plist__title">{p.title}</span>
                                    <span class="plist__meta">
                                        {p.category}
                                        {(st == Status::Collecting).then(|| format!(" · {} {}/{}", t().p_seconds, p.seconds.0, p.seconds.1))}
                                    </span>
                                    {p.turnout.map(|(cast, eligible)| {
                                        let left = p.ends.map(|e| Left::until(e, now));
                                        view! {
                                            <span class="plist__meta" data-testid="ballot-progress">
                                                {move || turnout_text(i18n.t(), cast, eligible)}
                                                {left.map(|l| view! { " · "<span class:overdue=l == Left::Past>{move || l.text(i18n.t())}</span> })}
                                            </span>
                                        }
                                    })}
                                </A>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })
        })
        .collect_view();
    let (propose, schedule) = (c.actions.propose.is_ok(), c.actions.schedule.is_ok());
    let meetings = c.meetings;
    view! {
        {propose.then(|| view! {
            <div class="actions">
                <A href="/council/new" attr:class="button">{move || t().propose}</A>
            </div>
        })}
        {(schedule || !meetings.is_empty()).then(|| view! {
            <section class="card" data-testid="meetings">
                <h2 class="card__title">{t().m_section}<span class="count">{meetings.len()}</span></h2>
                <ul class="plist">
                    {meetings.into_iter().map(|m| view! {
                        <li>
                            <A href=format!("/meetings/{}", m.id) attr:class="plist__item">
                                <span class="plist__title">{m.title}</span>
                                <span class="plist__meta">{short_date(m.at as f64)}" · "{t().m_attendance}" "{m.attendance}</span>
                            </A>
                        </li>
                    }).collect_view()}
                </ul>
                {schedule.then(|| view! {
                    <A href="/meetings/new" attr:class="button button--secondary button--wide">{t().m_new}</A>
                })}
            </section>
        })}
        {c.proposals.is_empty().then(|| view! { <p class="card__muted">{t().none_yet}</p> })}
        {sections}
        <A href="/council/charter" attr:class="button button--secondary button--wide">{move || t().charter_link}</A>
    }
}
