//! 发布活动 — the worker's activity editor — and 一键匹配, the matcher's optimal suggestion for
//! every activity still short of volunteers, assigned in one tap.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use linli_domain::volunteers::act::{Assign, Create, MAX_BODY, MAX_GRID, MAX_PLACE, MAX_TITLE};
use linli_domain::volunteers::{self};
use linli_domain::wire::Problem;
use linli_domain::{Command, EventId, Hex32};

use super::view::match_all;
use crate::clock::now_ms;
use crate::components::{FormError, Issue, TextArea, TextField};
use crate::engine::ActError;
use crate::hooks::{use_act, use_view};
use crate::i18n::volunteer::VolunteerText;
use crate::i18n::{fill, use_texts};

const WHEN: &str = "activity.create/start";
const SLOTS: &str = "activity.create/slots";

/// The points rules an activity may award per hour (points > 0, in use): id, title, points.
fn hourly_rules(space: &linli_domain::Space) -> Vec<(EventId, String, i64)> {
    let mut rules: Vec<_> = space
        .state()
        .points
        .rules()
        .into_iter()
        .filter(|r| r.points > 0 && !r.retired)
        .map(|r| (r.id, r.title.to_string(), r.points))
        .collect();
    // 志愿 rules first, then by title.
    rules.sort_by_key(|(id, title, _)| (!title.contains("志愿"), title.clone(), *id));
    rules
}

/// The editor.
#[component]
pub fn NewActivity() -> impl IntoView {
    let t = use_texts::<VolunteerText>();
    let act = use_act();
    let navigate = use_navigate();
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let grid = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let from = RwSignal::new("09:00".to_owned());
    let to = RwSignal::new("11:00".to_owned());
    let slots = RwSignal::new("2".to_owned());
    let skills = RwSignal::new(Vec::<&'static str>::new());
    let waitlist = RwSignal::new(true);
    let rules = use_view(|s, _| hourly_rules(s));
    let rule = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if rule.get_untracked().is_none() {
            if let Some(first) = rules.get().and_then(|r| r.first().cloned()) {
                rule.set(Some(first.0.to_hex()));
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let at = |time: RwSignal<String>| {
            js_sys::Date::parse(&format!(
                "{}T{}",
                date.get_untracked(),
                time.get_untracked()
            ))
        };
        let (start, end) = (at(from), at(to));
        if start.is_nan() || end.is_nan() {
            act.fail_field(WHEN, Issue::Problem(Problem::Missing));
            return;
        }
        let Some(n) = act.number::<u32>(slots, SLOTS) else {
            return;
        };
        let create = volunteers::Act::Create(Create {
            title: title.get_untracked().trim().into(),
            body: body.get_untracked().trim().into(),
            place: place.get_untracked().trim().into(),
            grid: grid.get_untracked().trim().into(),
            start: start as i64,
            end: end as i64,
            slots: n,
            skills: skills.get_untracked().iter().map(|s| (*s).into()).collect(),
            rule: rule
                .get_untracked()
                .filter(|r| !r.is_empty())
                .and_then(|r| Hex32::parse(&r).ok()),
            waitlist: waitlist.get_untracked(),
        });
        let navigate = navigate.clone();
        act.send_then(create, move |e| {
            navigate(&format!("/volunteer/{}", e.id.to_hex()), Default::default())
        });
    };
    view! {
        <h1 class="page__title">{move || t().new_title}</h1>
        <form class="form" on:submit=submit novalidate>
            <TextField label=Signal::derive(move || t().f_title) name="title" value=title max=MAX_TITLE
                check=act.field("activity.create/title")/>
            <TextField label=Signal::derive(move || t().f_place) name="place" value=place max=MAX_PLACE
                check=act.field("activity.create/place")/>
            <TextField label=Signal::derive(move || t().f_date) name="date" value=date kind="date"
                check=act.field(WHEN) error=Signal::derive(move || None)/>
            <div class="row2">
                <TextField label=Signal::derive(move || t().f_from) name="from" value=from kind="time"/>
                <TextField label=Signal::derive(move || t().f_to) name="to" value=to kind="time"
                    check=act.field("activity.create/end")/>
            </div>
            <TextField label=Signal::derive(move || t().f_slots) name="slots" value=slots inputmode="numeric"
                check=act.field(SLOTS)/>
            <fieldset class="field">
                <legend class="field__label">{move || t().skills_needed}</legend>
                <div class="chips">
                    {move || t().skill_names.iter().map(|s| {
                        let s: &'static str = s;
                        view! {
                            <button type="button" class="members__chip"
                                aria-pressed=move || skills.with(|l| l.contains(&s)).to_string()
                                on:click=move |_| skills.update(|l| match l.iter().position(|x| *x == s) {
                                    Some(i) => { l.remove(i); }
                                    None => l.push(s),
                                })>{s}</button>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <label class="field">
                <span class="field__label">{move || t().f_rule}</span>
                <select class="field__input" name="rule" data-field="activity.create/rule"
                    on:change=move |ev| rule.set(Some(event_target_value(&ev)))>
                    {move || rules.get().unwrap_or_default().into_iter().map(|(id, title, points)| {
                        let value = id.to_hex();
                        let selected = rule.get_untracked().as_deref() == Some(value.as_str());
                        view! { <option value=value selected=selected>{format!("{title}（{}）", fill(t().per_hour, &[("n", &points)]))}</option> }
                    }).collect_view()}
                    <option value="">{move || t().f_no_rule}</option>
                </select>
            </label>
            <label class="setting setting--toggle">
                <span class="setting__label">{move || t().f_waitlist}</span>
                <input type="checkbox" role="switch" class="switch" name="waitlist" bind:checked=waitlist/>
            </label>
            <TextField label=Signal::derive(move || t().f_grid) name="grid" value=grid max=MAX_GRID
                check=act.field("activity.create/grid")/>
            <TextArea label=Signal::derive(move || t().f_body) name="body" value=body max=MAX_BODY
                check=act.field("activity.create/body")/>
            <FormError error=act.error/>
            <button class="button button--wide" type="submit" disabled=move || act.busy.get()>{move || t().f_submit}</button>
        </form>
    }
}

/// 一键匹配: the optimal batch suggestion over every upcoming activity with free slots.
#[component]
pub fn MatchAll() -> impl IntoView {
    let t = use_texts::<VolunteerText>();
    let act = use_act();
    let plan = use_view(|s, me| {
        let rows = match_all(s, me, now_ms() as i64);
        let names = |ms: &[linli_domain::MemberId]| -> Vec<String> {
            ms.iter()
                .filter_map(|m| s.state().roster.member(m))
                .map(|m| m.name.to_string())
                .collect()
        };
        rows.into_iter()
            .map(|(id, title, members)| {
                let n = names(&members);
                (id, title, members, n)
            })
            .collect::<Vec<_>>()
    });
    let done = RwSignal::new(None::<usize>);
    let assign = move |_| {
        let rows = plan.get_untracked().unwrap_or_default();
        let session = act.session();
        act.run(
            async move {
                let mut n = 0;
                for (activity, _, members, _) in rows {
                    n += members.len();
                    let a =
                        Command::Volunteers(volunteers::Act::Assign(Assign { activity, members }));
                    crate::engine::act(session, a).await?;
                }
                Ok::<usize, ActError>(n)
            },
            move |n| done.set(Some(n)),
        );
    };
    view! {
        <h1 class="page__title">{move || t().match_all_title}</h1>
        <p class="card__muted">{move || t().match_all_intro}</p>
        <FormError error=act.error/>
        {move || done.get().map(|n| view! { <p class="notice-line" role="status" data-testid="match-all-done">{fill(t().match_done, &[("n", &n)])}</p> })}
        {move || {
            let rows = plan.get().unwrap_or_default();
            let people: usize = rows.iter().map(|r| r.2.len()).sum();
            if rows.is_empty() {
                return view! { <p class="card__muted">{t().match_none}</p> }.into_any();
            }
            view! {
                <p data-testid="match-all-total">{fill(t().match_all_total, &[("a", &rows.len()), ("n", &people)])}</p>
                <ul class="plist">
                    {rows.into_iter().map(|(_, title, _, names)| view! {
                        <li class="card"><p class="card__title">{title}</p><p class="card__muted">{names.join("、")}</p></li>
                    }).collect_view()}
                </ul>
                <button class="button button--wide" type="button" data-testid="match-all-assign"
                    disabled=move || act.busy.get() on:click=assign>{t().match_all_assign}</button>
            }.into_any()
        }}
    }
}
