//! One poll: the question and big options — a single choice is sent with its tap, several
//! are ticked and sent with 提交 — changeable until the close; the results as bars with counts
//! and shares of those who answered, and the turnout (answered / members): live if its
//! creator chose so, otherwise after the close. And the result for the wall board (公示), on
//! A4, counts only, never a name.

use leptos::prelude::*;
use leptos_router::components::A;
use linli_domain::services;
use linli_domain::services::act::Answer;

use super::poll_view::{poll, PollDetail, PollRow};
use super::polls::{choice_text, turnout};
use crate::clock::now_ms;
use crate::components::{percent, short_date, short_time, use_clock, FormError, Left, Notice};
use crate::hooks::{use_act, use_detail, Acting, Detail};
use crate::i18n::polls::PollsText;
use crate::i18n::{fill, use_i18n, use_texts};
use crate::session::use_session;

/// The page.
#[component]
pub fn PollPage() -> impl IntoView {
    let t = use_texts::<PollsText>();
    let i18n = use_i18n();
    let d = use_detail(|s, me, id| poll(s, me, id, now_ms() as i64));
    let act = use_act();
    // Ticked options of a multiple choice not sent yet (None: as last answered). Here, not
    // in the poll's view, which is drawn anew whenever the community changes.
    let picked = RwSignal::new(None::<Vec<u32>>);
    view! {
        <h1 class="page__title">{move || t().title}</h1>
        {move || match d.get() {
            Detail::Loading => view! { <p class="card__muted">{i18n.t().loading}</p> }.into_any(),
            Detail::Missing => view! { <p class="card__muted">{t().not_found}</p> }.into_any(),
            Detail::Found(d) => view! { <Page d act picked/> }.into_any(),
        }}
    }
}

#[component]
fn Page(d: PollDetail, act: Acting, picked: RwSignal<Option<Vec<u32>>>) -> impl IntoView {
    let t = use_texts::<PollsText>();
    let i18n = use_i18n();
    let tt = t();
    let r = d.row;
    let id = r.id;
    let clock = use_clock();
    let closes = r.closes;
    let open = r.open;
    let left = move || Left::until(closes, clock.get());
    let mine = r.mine.clone().unwrap_or_default();
    let answer = move |choices: Vec<u32>| {
        if choices.is_empty() {
            act.fail(t().pick_first);
            return;
        }
        act.send_then(
            services::Act::Answer(Answer { poll: id, choices }),
            move |_| picked.set(None),
        );
    };
    let ticked = {
        let mine = mine.clone();
        move |i: u32| picked.with(|p| p.as_ref().unwrap_or(&mine).contains(&i))
    };
    let toggle = {
        let mine = mine.clone();
        move |i: u32| {
            let mut now = picked.get_untracked().unwrap_or_else(|| mine.clone());
            if let Some(at) = now.iter().position(|&c| c == i) {
                now.remove(at);
            } else {
                now.push(i);
                now.sort_unstable();
            }
            picked.set(Some(now));
        }
    };
    view! {
        <section class="card" data-testid="poll">
            <h2 class="card__title poll__question">{r.question.clone()}</h2>
            <p class="card__muted" data-testid="poll-closes">
                {move || if open {
                    format!("{} · {}", fill(tt.closes_at, &[("date", &short_time(closes as f64))]), left().text(i18n.t()))
                } else {
                    fill(tt.closed_at, &[("date", &short_time(closes as f64))])
                }}
            </p>
            <p class="activity__tags">
                {r.multi.then(|| view! { <span class="tag">{tt.multi_tag}</span> })}
                {(r.live && r.open).then(|| view! { <span class="tag">{tt.live_tag}</span> })}
            </p>
            {d.can_answer.then(|| {
                let options = r.options.clone();
                if r.multi {
                    view! {
                        <p class="card__muted">{tt.pick_many}</p>
                        <div class="poll-choices" data-testid="choices">
                            {options.into_iter().enumerate().map(|(i, o)| {
                                let i = i as u32;
                                let (ticked, toggle) = (ticked.clone(), toggle.clone());
                                view! {
                                    <label class="poll-check">
                                        <input type="checkbox" name="choice" prop:checked=move || ticked(i)
                                            on:change=move |_| toggle(i)/>
                                        <span>{o}</span>
                                    </label>
                                }
                            }).collect_view()}
                        </div>
                        <button class="button button--wide" type="button" data-testid="send-answer" disabled=move || act.busy.get()
                            on:click={
                                let mine = mine.clone();
                                move |_| answer(picked.get_untracked().unwrap_or_else(|| mine.clone()))
                            }>{tt.send}</button>
                    }.into_any()
                } else {
                    view! {
                        <p class="card__muted">{tt.pick_one}</p>
                        <div class="vote" data-testid="choices">
                            {options.into_iter().enumerate().map(|(i, o)| {
                                let i = i as u32;
                                let on = mine.contains(&i);
                                view! {
                                    <button type="button" class="vote__option" aria-pressed=on.to_string()
                                        disabled=move || act.busy.get() on:click=move |_| answer(vec![i])>{o}</button>
                                }
                            }).collect_view()}
                        </div>
                    }.into_any()
                }
            })}
            <FormError error=act.error/>
            {r.mine.as_ref().map(|m| view! {
                <p class="notice-line" role="status" data-testid="my-answer">
                    {fill(if r.open { tt.sent } else { tt.my_answer }, &[("choice", &choice_text(&r, m))])}
                </p>
            })}
        </section>
        <Results r=r.clone()/>
        {r.counts.is_some().then(|| view! {
            <div class="actions">
                <A href=format!("/polls/{}/print", id.to_hex()) attr:class="button button--secondary">{tt.print}</A>
            </div>
        })}
    }
}

/// The results as bars — count and share of those who answered — and the turnout; or that
/// they come after the close.
#[component]
fn Results(r: PollRow) -> impl IntoView {
    let t = use_texts::<PollsText>();
    let tt = t();
    view! {
        <section class="card" data-testid="results">
            <h2 class="card__title">{tt.results}</h2>
            <p data-testid="turnout">{turnout(tt, &r)}</p>
            {match r.counts.clone() {
                None => view! { <p class="card__muted" data-testid="results-later">{tt.results_later}</p> }.into_any(),
                Some(counts) => view! {
                    <ul class="pbars" data-testid="tally">
                        {r.options.iter().cloned().zip(counts).map(|(o, n)| {
                            let width = (u64::from(n) * 100).checked_div(u64::from(r.answered)).unwrap_or(0);
                            view! {
                                <li class="pbars__row">
                                    <span class="pbars__label">{o}</span>
                                    <span class="pbars__n">{fill(tt.count, &[("n", &n), ("pct", &percent(n, r.answered))])}</span>
                                    <span class="bars__bar"><span class="bars__fill" style:width=format!("{width}%")></span></span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// 民调结果 for the wall board: the question, the counts and shares, the turnout. No names.
#[component]
pub fn PrintPoll() -> impl IntoView {
    let t = use_texts::<PollsText>();
    let d = use_detail(|s, me, id| poll(s, me, id, now_ms() as i64));
    let digest = use_session().digest;
    let name = Signal::derive(move || {
        digest.with(|d| d.as_ref().map(|d| d.name.clone()).unwrap_or_default())
    });
    move || {
        let Detail::Found(d) = d.get() else {
            return None;
        };
        let m = t();
        let r = d.row;
        let org = Signal::derive(move || format!("{} · {}", name.get(), t().title));
        Some(view! {
            <Notice org title=m.print_title print=m.print_button date=short_date(now_ms())>
                <h2>{r.question.clone()}</h2>
                <p>{if r.open {
                    fill(m.closes_at, &[("date", &short_time(r.closes as f64))])
                } else {
                    fill(m.closed_at, &[("date", &short_time(r.closes as f64))])
                }}{r.multi.then(|| format!(" · {}", m.multi_tag))}</p>
                {match r.counts.clone() {
                    None => view! { <p data-testid="print-hidden">{m.print_hidden}</p> }.into_any(),
                    Some(counts) => view! {
                        <table class="notice__table" data-testid="print-tally">
                            <tbody>
                                {r.options.iter().cloned().zip(counts).map(|(o, n)| view! {
                                    <tr><th>{o}</th><td>{fill(m.count, &[("n", &n), ("pct", &percent(n, r.answered))])}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <p class="notice__outcome">{turnout(m, &r)}</p>
                    }.into_any(),
                }}
            </Notice>
        })
    }
}
