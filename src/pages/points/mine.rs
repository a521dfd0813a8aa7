//! 我的积分 — the balance, the credit grade (information only), points by month, and the
//! history: each entry's rule, amount, date, who recorded it, its status, and 申诉 on a
//! deduction while its 15 days last.

use leptos::prelude::*;
use leptos_router::components::A;
use linli_domain::points::act::Appeal;
use linli_domain::points::{self, EntryStatus, Grade, APPEAL_WINDOW_MS};

use super::signed;
use super::view::{grade, my_points, EntryRow, MyPoints, RowKind};
use crate::components::{short_date, Confirm, EmptyState, FormError, IconKind, TextField};
use crate::hooks::{use_act, use_view, Acting};
use crate::i18n::points::PointsText;
use crate::i18n::{fill, use_i18n, use_texts};

/// The section.
#[component]
pub fn Mine() -> impl IntoView {
    let t = use_texts::<PointsText>();
    let mine = use_view(my_points);
    let act = use_act();
    view! {
        <h1 class="page__title">{move || t().title}</h1>
        <FormError error=act.error/>
        {move || match mine.get().flatten() {
            Some(m) => view! { <Page m act/> }.into_any(),
            None => view! {
                <EmptyState
                    icon=IconKind::Points
                    title=Signal::derive(move || t().empty_title)
                    body=Signal::derive(move || t().empty_body)
                    items=Signal::derive(move || t().empty_items)
                />
            }.into_any(),
        }}
    }
}

fn grade_text(t: &PointsText, g: Grade) -> &'static str {
    t.grade_names[match g {
        Grade::A => 0,
        Grade::B => 1,
        Grade::C => 2,
        Grade::D => 3,
    }]
}

#[component]
fn Page(m: MyPoints, act: Acting) -> impl IntoView {
    let t = use_texts::<PointsText>();
    let now = js_sys::Date::now() as i64;
    let my_grade = use_view(move |s, me| grade(s, me, now));
    let staff = m.staff;
    let max = m
        .months
        .iter()
        .map(|(_, n)| n.abs())
        .max()
        .unwrap_or(0)
        .max(1);
    view! {
        <section class="card points-balance" data-testid="balance-card">
            <p class="card__muted">{move || t().balance}</p>
            <p class="points-balance__n" data-testid="balance">{m.balance}</p>
            {move || my_grade.get().flatten().map(|g| view! {
                <p class="card__muted" data-testid="grade">{t().grade}": "{grade_text(t(), g)}</p>
            })}
            {(m.pending_claims > 0).then(|| view! {
                <p class="card__muted">{fill(t().pending_claims, &[("n", &m.pending_claims)])}</p>
            })}
        </section>
        <div class="actions">
            <A href="/points/rules" attr:class="button button--secondary">{move || t().rules_link}</A>
            <A href="/points/store" attr:class="button button--secondary">{move || t().store_link}</A>
            <A href="/points/lists" attr:class="button button--secondary">{move || t().lists_link}</A>
            {staff.then(|| view! {
                <A href="/points/award" attr:class="button">{move || t().award_link}</A>
                <A href="/points/review" attr:class="button button--secondary">{move || t().review_link}</A>
            })}
        </div>
        <MyCode member=m.member red_list=m.red_list act/>
        {(!m.months.is_empty()).then(|| view! {
            <section class="card">
                <h2 class="card__title">{move || t().months}</h2>
                <ul class="bars bars--months" data-testid="months">
                    {m.months.iter().map(|(month, n)| {
                        let pct = n.abs() * 100 / max;
                        view! {
                            <li class="bars__row">
                                <span class="bars__label">{format!("{}-{:02}", month / 12, month % 12 + 1)}</span>
                                <span class="bars__bar"><span class="bars__fill" class:bars__fill--minus=*n < 0 style:width=format!("{pct}%")></span></span>
                                <span class="bars__n">{signed(*n)}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section class="card">
            <h2 class="card__title">{move || t().history}</h2>
            {m.entries.is_empty().then(|| view! { <p class="card__muted">{t().no_entries}</p> })}
            <ul class="ledger" data-testid="history">
                {m.entries.into_iter().map(|e| view! { <Row e act now/> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Row(e: EntryRow, act: Acting, now: i64) -> impl IntoView {
    let t = use_texts::<PointsText>();
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let m = t();
    let status = match (e.what, e.status, e.appeal) {
        (RowKind::Redeemed { cancelled: true }, ..) => Some(m.redeem_cancelled),
        (RowKind::Redeemed { .. } | RowKind::Lapsed, ..) => None,
        (_, EntryStatus::Void, Some(Some(true))) => Some(m.appeal_granted),
        (_, EntryStatus::Void, _) => Some(m.status_void),
        (_, EntryStatus::Suspended, _) => Some(m.status_suspended),
        (_, EntryStatus::Counted, Some(Some(false))) => Some(m.appeal_refused),
        _ => None,
    };
    let until = e.ts + APPEAL_WINDOW_MS;
    let can_appeal = e.appealable && now <= until;
    let id = e.id;
    view! {
        <li class="ledger__row" class:ledger__row--void=e.status != EntryStatus::Counted>
            <span class="ledger__what">
                <span class="ledger__rule">{match e.what {
                    RowKind::Entry => e.rule.clone(),
                    RowKind::Redeemed { .. } => fill(m.history_redeemed, &[("item", &e.rule)]),
                    RowKind::Lapsed => m.history_lapsed.to_owned(),
                }}</span>
                <span class="card__muted">{match e.what {
                    RowKind::Entry => format!("{} · {} {}", short_date(e.ts as f64), m.by, e.issuer),
                    RowKind::Redeemed { .. } => short_date(e.ts as f64),
                    RowKind::Lapsed => fill(m.history_lapsed_before, &[("date", &short_date(e.ts as f64))]),
                }}</span>
                {(!e.note.is_empty()).then(|| view! { <span class="card__muted">{e.note.clone()}</span> })}
                {status.map(|s| view! { <span class="tag">{s}</span> })}
                {(!e.decision.is_empty()).then(|| view! {
                    <span class="card__muted">{fill(m.appeal_decision, &[("reason", &e.decision)])}</span>
                })}
                {can_appeal.then(|| view! {
                    <span class="card__muted">{fill(m.appeal_until, &[("date", &short_date(until as f64))])}</span>
                    <button class="link-button" type="button" on:click=move |_| open.set(true)>{m.appeal}</button>
                })}
            </span>
            <span class="ledger__amount" class:ledger__amount--minus=e.amount < 0>{signed(e.amount)}</span>
            {can_appeal.then(|| view! {
                <Confirm open
                    title=Signal::derive(move || t().appeal_title.to_owned())
                    body=Signal::derive(move || t().appeal_body.to_owned())
                    confirm=Signal::derive(move || t().appeal)
                    cancel=Signal::derive(move || i18n.t().cancel)
                    testid="confirm-appeal"
                    on_confirm=move || {
                        let appeal = points::Act::Appeal(Appeal { entry: id, reason: reason.get_untracked().into() });
                        if act.check(&appeal.clone().into()) {
                            act.send(appeal);
                        } else {
                            open.set(true);
                        }
                    }>
                    <TextField label=Signal::derive(move || t().appeal_reason) name="reason" value=reason
                        max=linli_domain::points::act::MAX_NOTE check=act.field("points.appeal/reason")/>
                </Confirm>
            })}
        </li>
    }
}

/// 我的积分码 — the QR code a worker scans to record points for this member (it opens 记分
/// with them chosen: a rule and the confirmation later, the award is recorded), and whether
/// they appear on the red list.
#[component]
fn MyCode(member: linli_domain::EventId, red_list: bool, act: Acting) -> impl IntoView {
    let t = use_texts::<PointsText>();
    let shown = RwSignal::new(false);
    let link = format!(
        "{}/points/award?m={}",
        window().location().origin().unwrap_or_default(),
        member.to_hex()
    );
    let attr = link.clone();
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        act.send(points::Act::Privacy(linli_domain::points::act::Privacy {
            red_list: on,
        }));
    };
    view! {
        <section class="card" data-testid="my-code" data-link=attr>
            <button class="button button--secondary button--wide" type="button" aria-expanded=move || shown.get().to_string()
                on:click=move |_| shown.update(|s| *s = !*s)>{move || t().my_code}</button>
            <Show when=move || shown.get()>
                <p class="card__muted">{move || t().my_code_hint}</p>
                <crate::components::Qr text=link.clone() label=t().my_code/>
            </Show>
            <label class="setting setting--toggle">
                <span class="setting__text">
                    <span class="setting__label">{move || t().red_opt}</span>
                    <span class="setting__hint">{move || t().red_opt_hint}</span>
                </span>
                <input type="checkbox" role="switch" class="switch" name="red_list" prop:checked=red_list on:change=toggle/>
            </label>
        </section>
    }
}
