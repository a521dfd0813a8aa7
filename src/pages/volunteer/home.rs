//! 志愿 — the section's home: my activities (with my place on a wait list), the activities
//! open to me (my grid first), my hours and the points they brought, staff's activities whose
//! hours wait, and the community's hours by month.

use leptos::prelude::*;
use leptos_router::components::A;

use super::view::{home, ActivityRow, Home, Mine};
use super::{hours, when};
use crate::clock::now_ms;
use crate::components::{EmptyState, IconKind};
use crate::hooks::use_view;
use crate::i18n::volunteer::VolunteerText;
use crate::i18n::{fill, use_texts};
use crate::pages::points::signed;

/// The section.
#[component]
pub fn Volunteer() -> impl IntoView {
    let t = use_texts::<VolunteerText>();
    let v = use_view(|s, me| home(s, me, now_ms() as i64));
    view! {
        <h1 class="page__title">{move || t().title}</h1>
        {move || match v.get().flatten() {
            None => view! {
                <EmptyState
                    icon=IconKind::Volunteer
                    title=Signal::derive(move || t().empty_title)
                    body=Signal::derive(move || t().empty_body)
                    items=Signal::derive(move || t().empty_items)
                />
            }.into_any(),
            Some(h) => view! { <Sections h/> }.into_any(),
        }}
    }
}

#[component]
fn Sections(h: Home) -> impl IntoView {
    let t = use_texts::<VolunteerText>();
    let tt = t();
    let max = h.months.iter().map(|(_, m)| *m).max().unwrap_or(1).max(1);
    let (minutes, n, points) = h.total;
    view! {
        <div class="actions">
            <A href="/volunteer/profile" attr:class="button button--secondary">{tt.profile_link}</A>
            {h.staff.then(|| view! {
                <A href="/volunteer/new" attr:class="button">{tt.new_link}</A>
                <A href="/volunteer/match" attr:class="button button--secondary">{tt.match_all_link}</A>
            })}
        </div>
        {(!h.has_profile).then(|| view! { <p class="card__muted" data-testid="profile-missing">{tt.profile_missing}</p> })}
        {(!h.mine.is_empty()).then(|| view! {
            <section class="card" data-testid="my-activities">
                <h2 class="card__title">{tt.mine}</h2>
                <ul class="plist">{h.mine.iter().cloned().map(|r| view! { <Row r/> }).collect_view()}</ul>
            </section>
        })}
        <section class="card" data-testid="open-activities">
            <h2 class="card__title">{tt.open_title}</h2>
            {h.open.is_empty().then(|| view! { <p class="card__muted">{tt.open_none}</p> })}
            <ul class="plist">{h.open.iter().cloned().map(|r| view! { <Row r/> }).collect_view()}</ul>
        </section>
        {(!h.to_confirm.is_empty()).then(|| view! {
            <section class="card" data-testid="to-confirm">
                <h2 class="card__title">{tt.staff_title}</h2>
                <ul class="plist">{h.to_confirm.iter().map(|r| {
                    let href = format!("/volunteer/{}/hours", r.id.to_hex());
                    view! {
                        <li class="invites__row">
                            <span>{r.title.clone()}<br/><span class="card__muted">{when(r.start, r.end)}</span></span>
                            <A href=href attr:class="link-button">{tt.hours_link}</A>
                        </li>
                    }
                }).collect_view()}</ul>
            </section>
        })}
        <section class="card" data-testid="my-hours">
            <h2 class="card__title">{tt.my_hours}</h2>
            {if h.hours.is_empty() {
                view! { <p class="card__muted">{tt.my_hours_none}</p> }.into_any()
            } else {
                view! {
                    <p data-testid="my-hours-total">{fill(tt.my_hours_total, &[("hours", &hours(minutes)), ("n", &n), ("points", &points)])}</p>
                    <ul class="ledger">{h.hours.iter().map(|x| view! {
                        <li class="ledger__row" class:ledger__row--void=x.reversed>
                            <span class="ledger__what">
                                <span class="ledger__rule">{x.title.clone()}</span>
                                <span class="card__muted">
                                    {crate::components::short_date(x.start as f64)}" · "
                                    {fill(tt.minutes_of, &[("h", &hours(u64::from(x.minutes)))])}
                                    {x.reversed.then(|| format!(" · {}", tt.hours_reversed))}
                                </span>
                            </span>
                            <span class="ledger__amount">{signed(x.points)}</span>
                        </li>
                    }).collect_view()}</ul>
                }.into_any()
            }}
        </section>
        {(!h.months.is_empty()).then(|| view! {
            <section class="card">
                <h2 class="card__title">{tt.months}</h2>
                <ul class="bars bars--months" data-testid="volunteer-months">
                    {h.months.iter().map(|(month, m)| {
                        let pct = (*m * 100 / max).max(1);
                        view! {
                            <li class="bars__row">
                                <span class="bars__label">{format!("{}-{:02}", month / 12, month % 12 + 1)}</span>
                                <span class="bars__bar"><span class="bars__fill" style:width=format!("{pct}%")></span></span>
                                <span class="bars__n">{fill(tt.minutes_of, &[("h", &hours(*m))])}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

/// An activity in a list: title, time, place, slots, my place; the whole row opens it.
#[component]
pub fn Row(r: ActivityRow) -> impl IntoView {
    let t = use_texts::<VolunteerText>();
    let tt = t();
    let href = format!("/volunteer/{}", r.id.to_hex());
    let full = r.confirmed as u32 >= r.slots;
    view! {
        <li class="activity" data-testid="activity-row">
            <A href=href attr:class="activity__link">
                <span class="activity__title">{r.title.clone()}</span>
                <span class="card__muted">{when(r.start, r.end)}{(!r.place.is_empty()).then(|| format!(" · {}", r.place))}</span>
                <span class="activity__tags">
                    <span class="tag">{fill(tt.slots, &[("n", &r.confirmed), ("slots", &r.slots)])}</span>
                    {(r.waiting > 0).then(|| view! { <span class="tag">{fill(tt.waiting_n, &[("n", &r.waiting)])}</span> })}
                    {(full && r.mine == Mine::No).then(|| view! { <span class="tag tag--warn">{tt.full}</span> })}
                    {r.near.then(|| view! { <span class="tag tag--ok">{tt.near}</span> })}
                    {r.per_hour.map(|p| view! { <span class="tag">{fill(tt.per_hour, &[("n", &p)])}</span> })}
                    {match r.mine {
                        Mine::Confirmed => Some(view! { <span class="tag tag--ok">{tt.confirmed}</span> }.into_any()),
                        Mine::Waiting(n) => Some(view! { <span class="tag tag--warn">{fill(tt.waiting_at, &[("n", &n)])}</span> }.into_any()),
                        Mine::No => None,
                    }}
                </span>
            </A>
        </li>
    }
}
