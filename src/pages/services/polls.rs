//! 民调: the list — open polls first (soonest to close first) with the time left and this
//! member's answer, then closed ones with their result — and staff's form to ask: a question,
//! 2–10 options, one or several choices, a closing time (1, 3 or 7 days, or a date), results
//! shown while it runs or only after the close.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use linli_domain::services;
use linli_domain::services::act::{CreatePoll, MAX_OPTIONS, MAX_SHORT, MAX_TITLE, MIN_OPTIONS};
use linli_domain::wire::Problem;

use super::poll_view::{polls, PollRow, Polls};
use crate::clock::now_ms;
use crate::components::{
    percent, short_date, short_time, use_clock, Choice, FormError, Issue, Left, TextField,
};
use crate::hooks::{use_act, use_view};
use crate::i18n::polls::PollsText;
use crate::i18n::{fill, use_i18n, use_texts};

/// The section.
#[component]
pub fn PollsPage() -> impl IntoView {
    let t = use_texts::<PollsText>();
    let i18n = use_i18n();
    let v = use_view(|s, me| polls(s, me, now_ms() as i64));
    view! {
        <h1 class="page__title">{move || t().title}</h1>
        {move || match v.get() {
            None => view! { <p class="card__muted">{i18n.t().loading}</p> }.into_any(),
            Some(None) => view! { <p class="card__muted">{t().not_member}</p> }.into_any(),
            Some(Some(p)) => view! { <Lists p/> }.into_any(),
        }}
    }
}

#[component]
fn Lists(p: Polls) -> impl IntoView {
    let t = use_texts::<PollsText>();
    let tt = t();
    view! {
        {p.staff.then(|| view! {
            <div class="actions"><A href="/polls/new" attr:class="button">{tt.new_link}</A></div>
        })}
        <section class="card" data-testid="open-polls">
            <h2 class="card__title">{tt.open}</h2>
            {p.open.is_empty().then(|| view! { <p class="card__muted">{tt.open_none}</p> })}
            <ul class="plist">{p.open.into_iter().map(|r| view! { <PollItem r/> }).collect_view()}</ul>
        </section>
        {(!p.closed.is_empty()).then(|| view! {
            <section class="card" data-testid="closed-polls">
                <h2 class="card__title">{tt.closed}</h2>
                <ul class="plist">{p.closed.into_iter().map(|r| view! { <PollItem r/> }).collect_view()}</ul>
            </section>
        })}
    }
}

/// The options chosen, joined for reading.
pub fn choice_text(r: &PollRow, choices: &[u32]) -> String {
    choices
        .iter()
        .filter_map(|&c| r.options.get(c as usize).cloned())
        .collect::<Vec<_>>()
        .join("、")
}

/// 已答 3 / 40 人（7.5%）.
pub fn turnout(t: &PollsText, r: &PollRow) -> String {
    fill(
        t.turnout,
        &[
            ("n", &r.answered),
            ("members", &r.members),
            ("pct", &percent(r.answered, r.members)),
        ],
    )
}

/// A poll in a list: the whole row opens it.
#[component]
fn PollItem(r: PollRow) -> impl IntoView {
    let t = use_texts::<PollsText>();
    let i18n = use_i18n();
    let tt = t();
    let clock = use_clock();
    let closes = r.closes;
    let open = r.open;
    let left = move || Left::until(closes, clock.get());
    view! {
        <li class="activity" data-testid="poll-row">
            <A href=format!("/polls/{}", r.id.to_hex()) attr:class="activity__link">
                <span class="activity__title">{r.question.clone()}</span>
                <span class="card__muted">
                    {move || if open {
                        format!("{} · {}", fill(tt.closes_at, &[("date", &short_time(closes as f64))]), left().text(i18n.t()))
                    } else {
                        fill(tt.closed_at, &[("date", &short_date(closes as f64))])
                    }}
                </span>
                <span class="activity__tags">
                    {match &r.mine {
                        Some(_) => view! { <span class="tag tag--ok" data-testid="answered">{tt.answered_tag}</span> }.into_any(),
                        None if r.open => view! { <span class="tag tag--warn">{tt.not_answered}</span> }.into_any(),
                        None => ().into_any(),
                    }}
                    {r.multi.then(|| view! { <span class="tag">{tt.multi_tag}</span> })}
                </span>
                {r.mine.as_ref().map(|m| view! {
                    <span class="card__muted" data-testid="my-answer">{fill(tt.my_answer, &[("choice", &choice_text(&r, m))])}</span>
                })}
                <span class="card__muted">{turnout(tt, &r)}</span>
                {(!r.open).then(|| r.leading()).flatten().map(|(o, n)| view! {
                    <span data-testid="leading">{fill(tt.leading, &[("option", &o), ("n", &n)])}</span>
                })}
            </A>
        </li>
    }
}

/// How long a poll runs: days, or until a date typed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Closing {
    Days(i64),
    Date,
}

/// The options' field (one message for the list, beside its first input).
const OPTIONS: &str = "poll.create/options";
/// The closing date's field.
const CLOSES: &str = "poll.create/closes";

/// 发起民调 (staff).
#[component]
pub fn NewPoll() -> impl IntoView {
    let t = use_texts::<PollsText>();
    let tt = t();
    let act = use_act();
    let navigate = use_navigate();
    let question = RwSignal::new(String::new());
    // Each option with a key of its own, so that removing one keeps the others' inputs.
    let next = StoredValue::new(2usize);
    let options = RwSignal::new(vec![
        (0usize, RwSignal::new(String::new())),
        (1usize, RwSignal::new(String::new())),
    ]);
    let multi = RwSignal::new(false);
    let closing = RwSignal::new(Closing::Days(3));
    let date = RwSignal::new(String::new());
    let live = RwSignal::new(false);
    let kinds = Signal::derive(move || vec![(false, t().single), (true, t().multi)]);
    let closings = Signal::derive(move || {
        let m = t();
        [1, 3, 7]
            .into_iter()
            .zip(m.presets)
            .map(|(d, label)| (Closing::Days(d), label))
            .chain(std::iter::once((Closing::Date, m.pick_date)))
            .collect::<Vec<_>>()
    });
    let add = move |_| {
        let k = next.get_value();
        next.set_value(k + 1);
        options.update(|o| o.push((k, RwSignal::new(String::new()))));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let now = now_ms() as i64;
        let closes = match closing.get_untracked() {
            Closing::Days(d) => now + d * 86_400_000,
            Closing::Date => {
                let at = js_sys::Date::parse(&date.get_untracked());
                if at.is_nan() {
                    act.fail_field(CLOSES, Issue::Problem(Problem::Missing));
                    return;
                }
                if (at as i64) <= now {
                    act.fail_field(CLOSES, Issue::Says(t().date_past));
                    return;
                }
                at as i64
            }
        };
        // Blank options are left out; at least two must remain, none twice.
        let list: Vec<String> = options
            .get_untracked()
            .iter()
            .map(|(_, v)| v.get_untracked().trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect();
        if list.len() < MIN_OPTIONS {
            act.fail_field(OPTIONS, Issue::Says(t().too_few));
            return;
        }
        if list.iter().enumerate().any(|(i, o)| list[..i].contains(o)) {
            act.fail_field(OPTIONS, Issue::Says(t().dup_option));
            return;
        }
        let poll = services::Act::Poll(CreatePoll {
            question: question.get_untracked().trim().into(),
            options: list.into_iter().map(Into::into).collect(),
            multi: multi.get_untracked(),
            closes,
            live: live.get_untracked(),
        });
        let navigate = navigate.clone();
        act.send_then(poll, move |e| {
            navigate(&format!("/polls/{}", e.id.to_hex()), Default::default())
        });
    };
    let rows = move || options.get().into_iter().enumerate().collect::<Vec<_>>();
    view! {
        <h1 class="page__title">{move || t().new_title}</h1>
        <form class="form" data-testid="new-poll" on:submit=submit novalidate>
            <TextField label=Signal::derive(move || t().question) name="question" value=question max=MAX_TITLE
                check=act.field("poll.create/question")/>
            <fieldset class="field">
                <legend class="field__label">{tt.options}</legend>
                <For each=rows key=|(i, (k, _))| (*i, *k)
                    children=move |(i, (k, value)): (usize, (usize, RwSignal<String>))| {
                        let n = i + 1;
                        let label = Signal::derive(move || t().option_n[i.min(MAX_OPTIONS - 1)]);
                        view! {
                            <div class="poll-option">
                                {if i == 0 {
                                    view! { <TextField label name="option" value max=MAX_SHORT check=act.field(OPTIONS)/> }.into_any()
                                } else {
                                    view! { <TextField label name="option" value max=MAX_SHORT/> }.into_any()
                                }}
                                <button type="button" class="button button--secondary poll-option__remove"
                                    aria-label=move || fill(t().remove_option, &[("n", &n)])
                                    disabled=move || options.with(|o| o.len() <= MIN_OPTIONS)
                                    on:click=move |_| options.update(|o| o.retain(|(x, _)| *x != k))>"✕"</button>
                            </div>
                        }
                    }/>
                <button type="button" class="button button--secondary" data-testid="add-option"
                    disabled=move || options.with(|o| o.len() >= MAX_OPTIONS) on:click=add>{tt.add_option}</button>
            </fieldset>
            <Choice legend=Signal::derive(move || t().kind) options=kinds value=multi/>
            <Choice legend=Signal::derive(move || t().closes) options=closings value=closing/>
            <Show when=move || closing.get() == Closing::Date>
                <TextField label=Signal::derive(move || t().date_field) name="closes" value=date kind="datetime-local"
                    check=act.field(CLOSES)/>
            </Show>
            <label class="setting setting--toggle">
                <span class="setting__label">{tt.live}</span>
                <input type="checkbox" role="switch" class="switch" name="live" bind:checked=live/>
            </label>
            <FormError error=act.error/>
            <button class="button button--wide" type="submit" disabled=move || act.busy.get()>{tt.submit}</button>
        </form>
    }
}
