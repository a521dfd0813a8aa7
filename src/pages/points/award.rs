//! 记分 — staff record points: the member (found by name or household, or opened from the
//! link in their QR code: `/points/award?m={member}`), a rule (the most used first, one tap),
//! how many times and a note in the confirmation, then 记录.
//!
//! Either comes first. Person first (the QR code): after each award the person stays and the
//! rule is cleared. Rule first (快速记分 on home: `/points/award?r={rule}`, or a rule tapped
//! before anyone is chosen): picking a resident opens the confirmation at once, and after each
//! award the rule stays for the next resident — home, resident, 记录: three taps.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use linli_domain::points::act::{Award as AwardAct, MAX_NOTE};
use linli_domain::points::{self};
use linli_domain::Hex32;

use super::signed;
use super::view::{candidate, candidates, catalogue, Candidate};
use crate::components::{Confirm, FormError, TextField};
use crate::hooks::{use_act, use_view};
use crate::i18n::points::PointsText;
use crate::i18n::{fill, use_i18n, use_texts};

/// The award screen.
#[component]
pub fn Award() -> impl IntoView {
    let t = use_texts::<PointsText>();
    let i18n = use_i18n();
    let act = use_act();
    let query = use_query_map();
    let chosen =
        RwSignal::new(query.with_untracked(|q| q.get("m").and_then(|m| Hex32::parse(&m).ok())));
    let search = RwSignal::new(String::new());
    let rule_id =
        RwSignal::new(query.with_untracked(|q| q.get("r").and_then(|r| Hex32::parse(&r).ok())));
    // The rule came before the person: it stays for the next one.
    let rule_first = StoredValue::new(rule_id.get_untracked().is_some());
    let qty = RwSignal::new("1".to_owned());
    let note = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let cat = use_view(catalogue);
    let rule = Signal::derive(move || {
        let id = rule_id.get()?;
        cat.with(|c| {
            c.as_ref()
                .and_then(|c| c.rules.iter().find(|r| r.id == id).cloned())
        })
    });
    let person = use_view(move |s, me| chosen.get().and_then(|id| candidate(s, me, &id)));
    let found = use_view(move |s, me| candidates(s, me, &search.get(), None));
    let record = move || {
        let (Some(member), Some(r)) = (chosen.get_untracked(), rule.get_untracked()) else {
            act.fail(t().award_pick_first);
            return;
        };
        let Some(n) = act.number::<u32>(qty, QTY) else {
            open.set(true);
            return;
        };
        let award = points::Act::Award(AwardAct {
            rule: r.id,
            member,
            qty: n,
            note: note.get_untracked().trim().into(),
        });
        if !act.check(&award.clone().into()) {
            open.set(true);
            return;
        }
        let name = person
            .get_untracked()
            .flatten()
            .map(|c| c.name)
            .unwrap_or_default();
        let points = signed(r.points * i64::from(n));
        act.send_then(award, move |_| {
            done.set(Some(fill(
                t().award_done,
                &[("name", &name), ("points", &points)],
            )));
            if rule_first.get_value() {
                chosen.set(None);
                search.set(String::new());
            } else {
                rule_id.set(None);
            }
            qty.set("1".to_owned());
            note.set(String::new());
        });
    };
    let confirm_title = Signal::derive(move || {
        let name = person.get().flatten().map(|c| c.name).unwrap_or_default();
        let n = qty.get().trim().parse::<i64>().unwrap_or(1);
        rule.get()
            .map(|r| {
                fill(
                    t().award_confirm,
                    &[
                        ("name", &name),
                        ("points", &signed(r.points * n)),
                        ("rule", &r.title),
                    ],
                )
            })
            .unwrap_or_default()
    });
    view! {
        <h1 class="page__title">{move || t().award_title}</h1>
        <FormError error=act.error/>
        {move || done.get().map(|d| view! { <p class="notice-line" role="status" data-testid="award-done">{d}</p> })}
        {move || match person.get().flatten() {
            Some(c) => view! { <Chosen c on_change=move || chosen.set(None)/> }.into_any(),
            None => view! {
                <section class="card">
                    {move || rule.get().map(|r| view! {
                        <p class="notice-line" data-testid="award-rule-chosen">
                            {fill(t().award_rule_chosen, &[("rule", &format!("{} {}", r.title, signed(r.points)))])}
                        </p>
                    })}
                    <TextField label=Signal::derive(move || t().award_who) name="who" value=search
                        focus=rule_first.get_value()/>
                    {move || (search.get().trim().is_empty() && found.with(|f| f.as_ref().is_some_and(|f| !f.is_empty())))
                        .then(|| view! { <p class="card__muted">{t().award_recent}</p> })}
                    <ul class="plist" data-testid="candidates">
                        {move || found.get().unwrap_or_default().into_iter().map(|c| {
                            let id = c.id;
                            view! {
                                <li class="invites__row">
                                    <span>{c.name}" · "{c.household}</span>
                                    <button class="link-button" type="button" on:click=move |_| {
                                        done.set(None);
                                        chosen.set(Some(id));
                                        if rule.get_untracked().is_some() { open.set(true); }
                                    }>{move || t().award_pick}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {move || (!search.get().trim().is_empty() && found.with(|f| f.as_ref().is_some_and(Vec::is_empty)))
                        .then(|| view! { <p class="card__muted">{t().award_none}</p> })}
                </section>
            }.into_any(),
        }}
        <section class="card" data-testid="award-rules">
            <h2 class="card__title">{move || t().award_rule}</h2>
            {move || cat.get().map(|c| {
                if c.rules.is_empty() {
                    return view! { <p class="card__muted">{t().award_no_rules}</p> }.into_any();
                }
                view! {
                    <div class="rule-grid">
                        {c.rules.into_iter().map(|r| {
                            let label = format!("{} {}", r.title, signed(r.points));
                            let minus = r.points < 0;
                            let id = r.id;
                            view! {
                                <button type="button" class="rule-grid__rule" class:rule-grid__rule--minus=minus
                                    aria-pressed=move || (rule_id.get() == Some(id)).to_string()
                                    on:click=move |_| {
                                        done.set(None);
                                        rule_id.set(Some(id));
                                        if chosen.get_untracked().is_some() {
                                            open.set(true);
                                        } else {
                                            rule_first.set_value(true);
                                        }
                                    }>{label}</button>
                            }
                        }).collect_view()}
                    </div>
                }.into_any()
            })}
        </section>
        <Confirm open
            title=confirm_title
            body=Signal::derive(move || t().award_confirm_body.to_owned())
            confirm=Signal::derive(move || t().award_record)
            cancel=Signal::derive(move || i18n.t().cancel)
            testid="confirm-award"
            on_confirm=record>
            <TextField label=Signal::derive(move || t().award_qty) name="qty" value=qty inputmode="numeric"
                check=act.field(QTY)/>
            <TextField label=Signal::derive(move || t().award_note) name="note" value=note max=MAX_NOTE
                check=act.field("points.award/note")/>
        </Confirm>
    }
}

const QTY: &str = "points.award/qty";

/// The member chosen, with 换人.
#[component]
fn Chosen(c: Candidate, on_change: impl Fn() + 'static) -> impl IntoView {
    let t = use_texts::<PointsText>();
    view! {
        <section class="card" data-testid="award-member">
            <p class="card__title">{c.name}</p>
            {(!c.household.is_empty()).then(|| view! { <p class="card__muted">{c.household}</p> })}
            <button class="link-button" type="button" on:click=move |_| on_change()>{move || t().award_change}</button>
        </section>
    }
}
