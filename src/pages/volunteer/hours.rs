//! 确认服务时长 — hours for the whole roster at once: every confirmed volunteer ticked, their
//! minutes prefilled from check-in and check-out (else the activity's length); the worker
//! changes what is wrong and confirms once. Ten volunteers: three taps from the activity
//! (确认服务时长, 确认 10 人的时长, 确认). Each becomes an `activity.hours` — points under the
//! activity's rule.

use leptos::prelude::*;
use linli_domain::volunteers::act::Hours;
use linli_domain::volunteers::{self};
use linli_domain::{Command, MemberId};

use super::hours;
use super::view::{pending, Pending};
use crate::clock::now_ms;
use crate::components::{short_time, Confirm, FormError};
use crate::engine::ActError;
use crate::hooks::{use_act, use_route_id, use_view};
use crate::i18n::volunteer::VolunteerText;
use crate::i18n::{fill, use_i18n, use_texts};

/// The confirmation screen.
#[component]
pub fn ConfirmHours() -> impl IntoView {
    let t = use_texts::<VolunteerText>();
    let i18n = use_i18n();
    let act = use_act();
    let id = use_route_id();
    let rows = use_view(move |s, me| id.get().and_then(|id| pending(s, me, &id, now_ms() as i64)));
    // The worker's changes: (member, minutes typed) and (member, ticked).
    let minutes = RwSignal::new(Vec::<(MemberId, String)>::new());
    let unticked = RwSignal::new(Vec::<MemberId>::new());
    let open = RwSignal::new(false);
    let saved = RwSignal::new(None::<usize>);
    let minutes_of = move |p: &Pending| {
        minutes.with(|m| {
            m.iter()
                .rev()
                .find(|(x, _)| *x == p.id)
                .map_or(p.minutes.to_string(), |(_, v)| v.clone())
        })
    };
    // What will be sent: the ticked rows that may be confirmed, with their minutes.
    let batch = move || -> Vec<(MemberId, String)> {
        let Some(Some((_, rows))) = rows.get() else {
            return Vec::new();
        };
        rows.iter()
            .filter(|p| p.allowed && p.done.is_none() && !unticked.with(|u| u.contains(&p.id)))
            .map(|p| (p.id, minutes_of(p)))
            .collect()
    };
    let ask = move |_| {
        if batch().is_empty() {
            act.fail(t().hours_pick);
            return;
        }
        open.set(true);
    };
    let record = move || {
        let Some(activity) = id.get_untracked() else {
            return;
        };
        let mut acts = Vec::new();
        for (member, typed) in batch() {
            let Ok(m) = typed.trim().parse::<u32>() else {
                act.fail_field(
                    &format!("activity.hours/minutes/{}", member.to_hex()),
                    crate::components::Issue::NotANumber,
                );
                return;
            };
            acts.push(Command::Volunteers(volunteers::Act::Hours(Hours {
                activity,
                member,
                minutes: m,
            })));
        }
        let session = act.session();
        act.run(
            async move {
                let n = acts.len();
                for a in acts {
                    crate::engine::act(session, a).await?;
                }
                Ok::<usize, ActError>(n)
            },
            move |n| {
                minutes.set(Vec::new());
                saved.set(Some(n));
            },
        );
    };
    let total_minutes = move || -> u64 {
        batch()
            .iter()
            .filter_map(|(_, m)| m.trim().parse::<u64>().ok())
            .sum()
    };
    view! {
        <h1 class="page__title">{move || t().hours_title}</h1>
        {move || rows.get().flatten().map(|(title, _)| view! { <p class="card__title">{title}</p> })}
        <p class="card__muted">{move || t().hours_intro}</p>
        <FormError error=act.error/>
        {move || saved.get().map(|n| view! { <p class="notice-line" role="status" data-testid="hours-saved">{fill(t().hours_saved, &[("n", &n)])}</p> })}
        {move || {
            let tt = t();
            let Some((_, list)) = rows.get().flatten() else {
                return view! { <p class="card__muted">{tt.not_found}</p> }.into_any();
            };
            if list.is_empty() {
                return view! { <p class="card__muted">{tt.hours_nobody}</p> }.into_any();
            }
            view! {
                <ul class="plist" data-testid="hours-rows">
                    {list.into_iter().map(|p| {
                        let member = p.id;
                        let key = format!("activity.hours/minutes/{}", member.to_hex());
                        let value = minutes_of(&p);
                        let presence = match p.presence {
                            (Some(i), Some(o)) => format!("{}–{}", short_time(i as f64), short_time(o as f64)),
                            (Some(i), None) => format!("{}–", short_time(i as f64)),
                            _ => String::new(),
                        };
                        let editable = p.allowed && p.done.is_none();
                        view! {
                            <li class="hours-row" data-testid="hours-row">
                                <label class="candidate__pick">
                                    <input type="checkbox" disabled=!editable
                                        prop:checked=move || editable && !unticked.with(|u| u.contains(&member))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            unticked.update(|u| {
                                                u.retain(|x| *x != member);
                                                if !on { u.push(member); }
                                            });
                                        }/>
                                    <span>
                                        <span class="candidate__name">{p.name.clone()}</span>
                                        <span class="card__muted">{presence}
                                            {p.done.map(|m| fill(tt.hours_done_row, &[("m", &m)]))}
                                            {(!p.allowed && p.done.is_none()).then_some(tt.hours_self)}
                                        </span>
                                    </span>
                                </label>
                                {editable.then(|| view! {
                                    <label class="hours-row__minutes">
                                        <input class="field__input" type="text" inputmode="numeric" name="minutes"
                                            data-field=key.clone() aria-label=format!("{} {}", p.name, tt.hours_minutes)
                                            prop:value=value
                                            on:input=move |ev| {
                                                let v = event_target_value(&ev);
                                                minutes.update(|m| m.push((member, v)));
                                            }/>
                                        <span>{tt.hours_minutes}</span>
                                    </label>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <button class="button button--wide" type="button" data-testid="hours-submit"
                    disabled=move || act.busy.get() on:click=ask>
                    {move || fill(t().hours_submit, &[("n", &batch().len())])}
                </button>
            }.into_any()
        }}
        <Confirm open
            title=Signal::derive(move || fill(t().hours_confirm, &[("n", &batch().len()), ("h", &hours(total_minutes()))]))
            body=Signal::derive(move || t().hours_confirm_body.to_owned())
            confirm=Signal::derive(move || t().hours_record)
            cancel=Signal::derive(move || i18n.t().cancel)
            testid="confirm-hours"
            on_confirm=record/>
    }
}
