//! 待审核 — what waits for staff: members' claims (通过 / 不通过, one tap each) and, for the
//! council, appeals of deductions (撤销扣分 / 维持). Only what the domain lets this member
//! decide is listed: never their own claim, never an appeal on an entry they recorded.

use leptos::prelude::*;
use linli_domain::points;
use linli_domain::points::act::{AppealDecide, Decide, Rectified, Reverse, MAX_NOTE};

use super::signed;
use super::view::{recent, review, AppealRow, RecentRow};
use linli_domain::wire::Problem;

use crate::components::{short_date, Confirm, FormError, Issue, TextField};
use crate::hooks::{use_act, use_view, Acting};
use crate::i18n::points::PointsText;
use crate::i18n::{fill, use_i18n, use_texts};

/// The review queue.
#[component]
pub fn Review() -> impl IntoView {
    let t = use_texts::<PointsText>();
    let i18n = use_i18n();
    let queue = use_view(review);
    let latest = use_view(recent);
    let act = use_act();
    let decide = move |claim, approve: bool| {
        act.send(points::Act::Decide(Decide {
            claim,
            approve,
            reason: "".into(),
        }));
    };
    view! {
        <h1 class="page__title">{move || t().review_title}</h1>
        <FormError error=act.error/>
        {move || match queue.get() {
            None => view! { <p class="card__muted">{i18n.t().loading}</p> }.into_any(),
            Some(q) => view! {
                <section class="card" data-testid="claims">
                    <h2 class="card__title">{t().review_claims}<span class="count">{q.claims.len()}</span></h2>
                    {q.claims.is_empty().then(|| view! { <p class="card__muted">{t().review_none}</p> })}
                    <ul class="ledger">
                        {q.claims.into_iter().map(|c| {
                            let id = c.id;
                            view! {
                                <li class="ledger__row">
                                    <span class="ledger__what">
                                        <span class="ledger__rule">{c.name}" · "{c.rule}" × "{c.qty}</span>
                                        <span class="card__muted">{short_date(c.ts as f64)}" "{c.note}</span>
                                        <span class="actions">
                                            <button class="button" type="button" on:click=move |_| decide(id, true)>{t().review_approve}</button>
                                            <button class="button button--secondary" type="button" on:click=move |_| decide(id, false)>{t().review_refuse}</button>
                                        </span>
                                    </span>
                                    <span class="ledger__amount">{signed(c.points)}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
                {(!q.appeals.is_empty()).then(|| view! {
                    <section class="card" data-testid="appeals">
                        <h2 class="card__title">{t().review_appeals}<span class="count">{q.appeals.len()}</span></h2>
                        <ul class="ledger">
                            {q.appeals.into_iter().map(|a| view! { <Appeal a act/> }).collect_view()}
                        </ul>
                    </section>
                })}
            }.into_any(),
        }}
        {move || latest.get().filter(|r| !r.is_empty()).map(|rows| view! {
            <section class="card" data-testid="recent">
                <h2 class="card__title">{t().recent_title}</h2>
                <p class="card__muted">{t().recent_hint}</p>
                <ul class="ledger">
                    {rows.into_iter().map(|r| view! { <Recent r act/> }).collect_view()}
                </ul>
            </section>
        })}
    }
}

/// An appeal for the council: 撤销扣分 or 维持, each confirmed with a reason the member reads
/// in their history (required to keep a deduction).
#[component]
fn Appeal(a: AppealRow, act: Acting) -> impl IntoView {
    let t = use_texts::<PointsText>();
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let grant = RwSignal::new(true);
    let reason = RwSignal::new(String::new());
    let id = a.id;
    let name = a.name.clone();
    let decide = move || {
        let why = reason.get_untracked().trim().to_owned();
        if !grant.get_untracked() && why.is_empty() {
            act.fail_field(REASON, Issue::Problem(Problem::Missing));
            open.set(true);
            return;
        }
        let d = points::Act::AppealDecide(AppealDecide {
            appeal: id,
            grant: grant.get_untracked(),
            reason: why.into(),
        });
        if act.check(&d.clone().into()) {
            act.send(d);
        } else {
            open.set(true);
        }
    };
    let ask = move |g: bool| {
        act.clear();
        grant.set(g);
        open.set(true);
    };
    view! {
        <li class="ledger__row">
            <span class="ledger__what">
                <span class="ledger__rule">{a.name}" · "{a.rule}</span>
                <span class="card__muted">{t().by}" "{a.issuer}</span>
                <span>{a.reason}</span>
                <span class="actions">
                    <button class="button" type="button" on:click=move |_| ask(true)>{t().review_grant}</button>
                    <button class="button button--secondary" type="button" on:click=move |_| ask(false)>{t().review_keep}</button>
                </span>
            </span>
            <span class="ledger__amount ledger__amount--minus">{signed(a.amount)}</span>
            <Confirm open
                title=Signal::derive(move || fill(
                    if grant.get() { t().appeal_grant_title } else { t().appeal_keep_title },
                    &[("name", &name)],
                ))
                body=Signal::derive(move || t().appeal_decide_body.to_owned())
                confirm=Signal::derive(move || if grant.get() { t().review_grant } else { t().review_keep })
                cancel=Signal::derive(move || i18n.t().cancel)
                testid="confirm-appeal-decide"
                on_confirm=decide>
                <TextField label=Signal::derive(move || if grant.get() { t().appeal_decide_reason_optional } else { t().appeal_decide_reason })
                    name="decide_reason" value=reason max=MAX_NOTE check=act.field(REASON)/>
            </Confirm>
        </li>
    }
}

const REASON: &str = "points.appeal_decide/reason";

/// One recent entry, with 撤销 (a reason required) and 已整改.
#[component]
fn Recent(r: RecentRow, act: Acting) -> impl IntoView {
    let t = use_texts::<PointsText>();
    let i18n = use_i18n();
    let m = t();
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let id = r.id;
    let reverse = move || {
        let rev = points::Act::Reverse(Reverse {
            entry: id,
            reason: reason.get_untracked().into(),
        });
        if act.check(&rev.clone().into()) {
            act.send(rev);
        } else {
            open.set(true);
        }
    };
    view! {
        <li class="ledger__row">
            <span class="ledger__what">
                <span class="ledger__rule">{r.name}" · "{r.rule}</span>
                <span class="card__muted">{short_date(r.ts as f64)}{r.listed.then(|| format!(" · {}", m.recent_listed))}</span>
                <span class="actions">
                    {r.may_rectify.then(|| view! {
                        <button class="button" type="button"
                            on:click=move |_| act.send(points::Act::Rectified(Rectified { entry: id, note: "".into() }))>{m.recent_rectify}</button>
                    })}
                    {r.may_reverse.then(|| view! {
                        <button class="button button--secondary" type="button" on:click=move |_| open.set(true)>{m.recent_reverse}</button>
                    })}
                </span>
            </span>
            <span class="ledger__amount" class:ledger__amount--minus=r.amount < 0>{signed(r.amount)}</span>
            <Confirm open
                title=Signal::derive(move || t().recent_reverse_title.to_owned())
                body=Signal::derive(move || t().recent_reverse_body.to_owned())
                confirm=Signal::derive(move || t().recent_reverse)
                cancel=Signal::derive(move || i18n.t().cancel)
                testid="confirm-reverse"
                on_confirm=reverse>
                <TextField label=Signal::derive(move || t().recent_reason) name="reverse_reason" value=reason max=MAX_NOTE
                    check=act.field("points.reverse/reason")/>
            </Confirm>
        </li>
    }
}
