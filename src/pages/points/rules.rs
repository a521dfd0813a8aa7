//! 积分细则 — the rules in use, for everyone; the council adds rules, changes them (a new
//! version that replaces the old: entries already recorded keep the old one) and retires them
//! here, and lets points lapse (积分清零, `points.expire`).

use leptos::prelude::*;
use linli_domain::points::act::{
    Claim, Expire as ExpireAct, Rule as RuleAct, RuleRef, MAX_NOTE, MAX_TITLE,
};
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
    // The rule the council is changing (修改): the form below fills with it.
    let editing = RwSignal::new(None::<RuleRow>);
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
                        {c.rules.into_iter().map(|r| view! { <Row r act editing/> }).collect_view()}
                    </ul>
                </section>
                {c.may_edit.then(|| view! { <NewRule act editing/> <Expire act/> })}
            }.into_any(),
        }}
    }
}

#[component]
fn Row(r: RuleRow, act: Acting, editing: RwSignal<Option<RuleRow>>) -> impl IntoView {
    let t = use_texts::<PointsText>();
    let i18n = use_i18n();
    let m = t();
    let open = RwSignal::new(false);
    let title = r.title.clone();
    let mut notes: Vec<String> = Vec::new();
    if r.version > 1 {
        notes.push(fill(m.rule_version, &[("n", &r.version)]));
    }
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
                {r.may_retire.then(|| {
                    let row = r.clone();
                    view! {
                        <button class="link-button" type="button" on:click=move |_| {
                            editing.set(Some(row.clone()));
                            if let Some(form) = document().get_element_by_id("rule-form") {
                                form.scroll_into_view();
                            }
                        }>{m.rule_change}</button>
                    }
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
fn NewRule(act: Acting, editing: RwSignal<Option<RuleRow>>) -> impl IntoView {
    let t = use_texts::<PointsText>();
    let title = RwSignal::new(String::new());
    let pts = RwSignal::new("5".to_owned());
    let cap = RwSignal::new("0".to_owned());
    let list = RwSignal::new(List::None);
    let claimable = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let reset = move || {
        title.set(String::new());
        pts.set("5".to_owned());
        cap.set("0".to_owned());
        list.set(List::None);
        claimable.set(false);
    };
    // 修改 fills the form with the rule being changed.
    Effect::new(move || {
        if let Some(r) = editing.get() {
            saved.set(false);
            title.set(r.title);
            pts.set(r.points.to_string());
            cap.set(r.cap_month.to_string());
            list.set(r.list);
            claimable.set(r.claimable);
        }
    });
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
            replaces: editing.get_untracked().map(|r| r.id),
        };
        act.send_then(points::Act::Rule(rule), move |_| {
            reset();
            editing.set(None);
            saved.set(true);
        });
    };
    view! {
        <section class="card" data-testid="new-rule" id="rule-form">
            <h2 class="card__title">{move || match editing.get() {
                Some(r) => fill(t().rule_changing, &[("title", &r.title), ("n", &(r.version + 1))]),
                None => t().rule_new.to_owned(),
            }}</h2>
            {move || editing.get().is_some().then(|| view! {
                <p class="card__muted">{t().rule_changing_hint}</p>
            })}
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
                {move || editing.get().is_some().then(|| view! {
                    <button class="button button--secondary button--wide" type="button"
                        on:click=move |_| { editing.set(None); reset(); }>{t().rule_change_cancel}</button>
                })}
            </form>
        </section>
    }
}

/// 积分清零: the council lets points earned before a date lapse (a `points.expire`; what was
/// spent counts against the oldest points first — `docs/protocol.md`).
#[component]
fn Expire(act: Acting) -> impl IntoView {
    let t = use_texts::<PointsText>();
    let i18n = use_i18n();
    let date = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let done = RwSignal::new(false);
    // The cut-off is the start of the chosen day in UTC+8 (China's day, whatever the phone's
    // zone).
    let before = move || {
        let d = js_sys::Date::parse(&format!("{}T00:00:00+08:00", date.get_untracked().trim()));
        (d.is_finite() && d > 0.0).then_some(d as i64)
    };
    let ask = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        if before().is_none() {
            act.fail_field(
                BEFORE,
                crate::components::Issue::Problem(linli_domain::wire::Problem::Missing),
            );
            return;
        }
        open.set(true);
    };
    let send = move || {
        let Some(before) = before() else { return };
        let x = points::Act::Expire(ExpireAct {
            before,
            note: note.get_untracked().trim().into(),
        });
        if act.check(&x.clone().into()) {
            act.send_then(x, move |_| {
                date.set(String::new());
                note.set(String::new());
                done.set(true);
            });
        }
    };
    view! {
        <section class="card" data-testid="expire">
            <h2 class="card__title">{move || t().expire_title}</h2>
            <p class="card__muted">{move || t().expire_intro}</p>
            <form class="form" on:submit=ask novalidate>
                <TextField label=Signal::derive(move || t().expire_before) name="before" value=date kind="date"
                    check=act.field(BEFORE)/>
                <TextField label=Signal::derive(move || t().expire_note) name="expire_note" value=note max=MAX_NOTE
                    check=act.field("points.expire/note")/>
                {move || done.get().then(|| view! { <p class="card__muted" role="status">{t().expire_done}</p> })}
                <button class="button button--secondary button--wide" type="submit" disabled=move || act.busy.get()>{move || t().expire_button}</button>
            </form>
            <Confirm open
                title=Signal::derive(move || fill(t().expire_confirm, &[("date", &date.get())]))
                body=Signal::derive(move || t().expire_confirm_body.to_owned())
                confirm=Signal::derive(move || t().expire_button)
                cancel=Signal::derive(move || i18n.t().cancel)
                testid="confirm-expire"
                on_confirm=send/>
        </section>
    }
}

const BEFORE: &str = "points.expire/before";
const POINTS: &str = "points.rule/points";
const CAP: &str = "points.rule/cap_month";
