//! 积分细则 — the rules in use, for everyone; the council adds rules and retires them here.

use leptos::prelude::*;
use linli_domain::points::act::{Claim, Rule as RuleAct, RuleRef, MAX_NOTE, MAX_TITLE};
use linli_domain::points::{self, List};

use super::signed;
use super::view::{catalogue, RuleRow};
use crate::components::{Choice, Confirm, FormError, TextField};
use crate::hooks::{use_act, use_view, Acting};
use crate::i18n::points::PointsText;
use crate::i18n::{fill, use_i18n, use_texts};

/// The catalogue.
#[component]
pub fn Rules() -> impl IntoView {
    let t = use_texts::<PointsText>();
    let i18n = use_i18n();
    let cat = use_view(catalogue);
    let act = use_act();
    view! {
        <h1 class="page__title">{move || t().rules_title}</h1>
        <p class="card__muted intro">{move || t().rules_intro}</p>
        <FormError error=act.error/>
        {move || match cat.get() {
            None => view! { <p class="card__muted">{i18n.t().loading}</p> }.into_any(),
            Some(c) => view! {
                <section class="card" data-testid="rules">
                    {c.rules.is_empty().then(|| view! { <p class="card__muted">{t().rules_none}</p> })}
                    <ul class="ledger">
                        {c.rules.into_iter().map(|r| view! { <Row r act/> }).collect_view()}
                    </ul>
                </section>
                {c.may_edit.then(|| view! { <NewRule act/> })}
            }.into_any(),
        }}
    }
}

#[component]
fn Row(r: RuleRow, act: Acting) -> impl IntoView {
    let t = use_texts::<PointsText>();
    let i18n = use_i18n();
    let m = t();
    let open = RwSignal::new(false);
    let title = r.title.clone();
    let mut notes: Vec<String> = Vec::new();
    if r.cap_month > 0 {
        notes.push(fill(m.rule_cap, &[("n", &r.cap_month)]));
    }
    if r.claimable {
        notes.push(m.rule_claimable.to_owned());
    }
    match r.list {
        List::Red => notes.push(m.rule_red.to_owned()),
        List::Black => notes.push(m.rule_black.to_owned()),
        List::None => {}
    }
    let id = r.id;
    let claiming = RwSignal::new(false);
    let claimed = RwSignal::new(false);
    let qty = RwSignal::new("1".to_owned());
    let note = RwSignal::new(String::new());
    let rule_title = r.title.clone();
    let claim = move || {
        let Some(n) = act.number::<u32>(qty, "points.claim/qty") else {
            claiming.set(true);
            return;
        };
        let c = points::Act::Claim(Claim {
            rule: id,
            qty: n,
            note: note.get_untracked().trim().into(),
        });
        if !act.check(&c.clone().into()) {
            claiming.set(true);
            return;
        }
        act.send_then(c, move |_| {
            note.set(String::new());
            claimed.set(true);
        });
    };
    view! {
        <li class="ledger__row">
            <span class="ledger__what">
                <span class="ledger__rule">{r.title.clone()}</span>
                {(!notes.is_empty()).then(|| view! { <span class="card__muted">{notes.join(" · ")}</span> })}
                {r.may_claim.then(|| view! {
                    <button class="link-button" type="button" on:click=move |_| { claimed.set(false); claiming.set(true); }>{m.claim}</button>
                    {move || claimed.get().then(|| view! { <span class="card__muted" role="status">{t().claim_sent}</span> })}
                    <Confirm open=claiming
                        title=Signal::derive(move || fill(t().claim_title, &[("rule", &rule_title)]))
                        body=Signal::derive(move || t().claim_body.to_owned())
                        confirm=Signal::derive(move || t().claim)
                        cancel=Signal::derive(move || i18n.t().cancel)
                        testid="confirm-claim"
                        on_confirm=claim>
                        <TextField label=Signal::derive(move || t().award_qty) name="qty" value=qty inputmode="numeric"
                            check=act.field("points.claim/qty")/>
                        <TextField label=Signal::derive(move || t().award_note) name="note" value=note max=MAX_NOTE
                            check=act.field("points.claim/note")/>
                    </Confirm>
                })}
                {r.may_retire.then(|| view! {
                    <button class="link-button" type="button" on:click=move |_| open.set(true)>{m.rule_retire}</button>
                    <Confirm open
                        title=Signal::derive(move || fill(t().rule_retire_title, &[("title", &title)]))
                        body=Signal::derive(move || t().rule_retire_body.to_owned())
                        confirm=Signal::derive(move || t().rule_retire)
                        cancel=Signal::derive(move || i18n.t().cancel)
                        testid="confirm-retire"
                        on_confirm=move || act.send(points::Act::Retire(RuleRef { rule: id }))/>
                })}
            </span>
            <span class="ledger__amount" class:ledger__amount--minus=r.points < 0>{signed(r.points)}" "{m.rule_per}</span>
        </li>
    }
}

/// The council's form for a new rule.
#[component]
fn NewRule(act: Acting) -> impl IntoView {
    let t = use_texts::<PointsText>();
    let title = RwSignal::new(String::new());
    let pts = RwSignal::new("5".to_owned());
    let cap = RwSignal::new("0".to_owned());
    let list = RwSignal::new(List::None);
    let claimable = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let lists = Signal::derive(move || {
        [List::None, List::Red, List::Black]
            .into_iter()
            .zip(t().rule_lists)
            .collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let Ok(points) = pts.get_untracked().trim().parse::<i64>() else {
            act.fail_field(POINTS, crate::components::Issue::NotANumber);
            return;
        };
        let Some(cap_month) = act.number::<u32>(cap, CAP) else {
            return;
        };
        let rule = RuleAct {
            title: title.get_untracked().trim().into(),
            points,
            list: list.get_untracked(),
            claimable: claimable.get_untracked(),
            cap_month: i64::from(cap_month),
            replaces: None,
        };
        act.send_then(points::Act::Rule(rule), move |_| {
            title.set(String::new());
            saved.set(true);
        });
    };
    view! {
        <section class="card" data-testid="new-rule">
            <h2 class="card__title">{move || t().rule_new}</h2>
            <form class="form" on:submit=submit novalidate>
                <TextField label=Signal::derive(move || t().rule_title) name="rule_title" value=title max=MAX_TITLE
                    check=act.field("points.rule/title")/>
                <TextField label=Signal::derive(move || t().rule_points) name="points" value=pts inputmode="numeric"
                    check=act.field(POINTS)/>
                <Choice legend=Signal::derive(move || t().rule_list) options=lists value=list/>
                <label class="setting setting--toggle">
                    <span class="setting__label">{move || t().rule_claimable_label}</span>
                    <input type="checkbox" role="switch" class="switch" bind:checked=claimable/>
                </label>
                <TextField label=Signal::derive(move || t().rule_cap_label) name="cap" value=cap inputmode="numeric"
                    check=act.field(CAP)/>
                {move || saved.get().then(|| view! { <p class="card__muted" role="status">{t().rule_saved}</p> })}
                <button class="button button--wide" type="submit" disabled=move || act.busy.get()>{move || t().rule_save}</button>
            </form>
        </section>
    }
}

const POINTS: &str = "points.rule/points";
const CAP: &str = "points.rule/cap_month";
