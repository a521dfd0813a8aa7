//! One request: what, who has it and since when, its history; what this member may do now —
//! staff take it; the owner notes progress, resolves it or hands it on (with a reason); the
//! requester rates the result (1–5 stars and a word) or reopens it within 7 days. A take the
//! community's order refused says who took it first.

use leptos::prelude::*;
use linli_domain::services::act::{
    Rate, Reopen, RequestRef, RequestText, Transfer, MAX_REASON, MAX_TEXT,
};
use linli_domain::services::{self, RequestStatus};
use linli_domain::Hex32;

use super::help::Row;
use super::view::{detail, Detail, StepLine};
use crate::clock::now_ms;
use crate::components::{short_date, short_time, FormError, TextArea, TextField};
use crate::hooks::{use_act, use_route_id, use_view, Acting};
use crate::i18n::services::ServicesText;
use crate::i18n::{fill, use_i18n, use_texts};

/// The page.
#[component]
pub fn RequestPage() -> impl IntoView {
    let t = use_texts::<ServicesText>();
    let i18n = use_i18n();
    let id = use_route_id();
    let d = use_view(move |s, me| id.get().and_then(|id| detail(s, me, &id, now_ms() as i64)));
    let act = use_act();
    view! {
        <h1 class="page__title">{move || t().help_title}</h1>
        <FormError error=act.error/>
        {move || match d.get() {
            None => view! { <p class="card__muted">{i18n.t().loading}</p> }.into_any(),
            Some(None) => view! { <p class="card__muted">{t().not_found}</p> }.into_any(),
            Some(Some(d)) => view! { <Page d act/> }.into_any(),
        }}
    }
}

#[component]
fn Page(d: Detail, act: Acting) -> impl IntoView {
    let t = use_texts::<ServicesText>();
    let tt = t();
    let id = d.row.id;
    let note = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let to = RwSignal::new(
        d.transfer_to
            .first()
            .map(|(m, _)| m.to_hex())
            .unwrap_or_default(),
    );
    let stars = RwSignal::new(0u8);
    let word = RwSignal::new(String::new());
    let why = RwSignal::new(String::new());
    let work = move |resolve: bool| {
        let text = RequestText {
            request: id,
            text: note.get_untracked().trim().into(),
        };
        let a = if resolve {
            services::Act::Resolve(text)
        } else {
            services::Act::Update(text)
        };
        act.send_then(a, move |_| note.set(String::new()));
    };
    let transfer = move |_| {
        let Ok(to) = Hex32::parse(&to.get_untracked()) else {
            return;
        };
        act.send_then(
            services::Act::Transfer(Transfer {
                request: id,
                to,
                reason: reason.get_untracked().trim().into(),
            }),
            move |_| reason.set(String::new()),
        );
    };
    let rate = move |_| {
        act.send(services::Act::Rate(Rate {
            request: id,
            stars: stars.get_untracked(),
            text: word.get_untracked().trim().into(),
        }))
    };
    let reopen = move |_| {
        act.send(services::Act::Reopen(Reopen {
            request: id,
            reason: why.get_untracked().trim().into(),
        }))
    };
    view! {
        <ul class="plist"><Row r=d.row.clone()/></ul>
        {d.taken_by_other.clone().map(|name| view! {
            <p class="notice-line notice-line--warn" role="status" data-testid="taken-by-other">{fill(tt.taken_by_other, &[("name", &name)])}</p>
        })}
        {(!d.body.is_empty()).then(|| view! { <p class="prewrap">{d.body.clone()}</p> })}
        {d.rating.clone().map(|(s, w)| view! {
            <p class="notice-line" data-testid="rating">{fill(tt.rated, &[("stars", &s)])}{(!w.is_empty()).then(|| format!(" · {w}"))}</p>
        })}
        <section class="card" data-testid="steps">
            <ul class="ledger">
                {d.steps.iter().map(|s| {
                    let (text, ts) = match s {
                        StepLine::Take(n, ts) => (fill(tt.step_take, &[("name", n)]), *ts),
                        StepLine::Transfer(f, to, r, ts) => (fill(tt.step_transfer, &[("from", f), ("to", to), ("reason", r)]), *ts),
                        StepLine::Update(n, x, ts) => (fill(tt.step_update, &[("name", n), ("text", x)]), *ts),
                        StepLine::Resolve(n, x, ts) => (fill(tt.step_resolve, &[("name", n), ("text", x)]), *ts),
                        StepLine::Reopen(x, ts) => (fill(tt.step_reopen, &[("text", x)]), *ts),
                    };
                    view! {
                        <li class="ledger__row">
                            <span class="ledger__what"><span>{text}</span><span class="card__muted">{short_time(ts as f64)}</span></span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        {d.can_take.then(|| view! {
            <button class="button button--wide" type="button" data-testid="take" disabled=move || act.busy.get()
                on:click=move |_| act.send(services::Act::Take(RequestRef { request: id }))>{tt.take}</button>
        })}
        {d.can_work.then(|| view! {
            <section class="card form" data-testid="work">
                <TextArea label=Signal::derive(move || t().update_text) name="note" value=note rows=2 max=MAX_TEXT
                    check=act.field("request.resolve/text")/>
                <div class="actions">
                    <button class="button button--secondary" type="button" disabled=move || act.busy.get()
                        on:click=move |_| work(false)>{tt.update}</button>
                    <button class="button" type="button" data-testid="resolve" disabled=move || act.busy.get()
                        on:click=move |_| work(true)>{tt.resolve}</button>
                </div>
            </section>
        })}
        {(!d.transfer_to.is_empty()).then(|| {
            let choices = d.transfer_to.clone();
            view! {
                <section class="card form" data-testid="transfer">
                    <label class="field">
                        <span class="field__label">{tt.transfer_to}</span>
                        <select class="field__input" name="to" on:change=move |ev| to.set(event_target_value(&ev))>
                            {choices.into_iter().map(|(m, n)| view! { <option value=m.to_hex()>{n}</option> }).collect_view()}
                        </select>
                    </label>
                    <TextField label=Signal::derive(move || t().transfer_reason) name="reason" value=reason max=MAX_REASON
                        check=act.field("request.transfer/reason")/>
                    <button class="button button--secondary button--wide" type="button" disabled=move || act.busy.get()
                        on:click=transfer>{tt.transfer}</button>
                </section>
            }
        })}
        {d.can_rate.then(|| view! {
            <section class="card form" data-testid="rate">
                <fieldset class="field">
                    <legend class="field__label">{tt.rate}</legend>
                    <div class="segmented" role="group">
                        {(1..=5u8).map(|n| view! {
                            <button type="button" class="segmented__option" aria-pressed=move || (stars.get() == n).to_string()
                                on:click=move |_| stars.set(n)>{move || t().stars[usize::from(n) - 1]}</button>
                        }).collect_view()}
                    </div>
                </fieldset>
                <TextField label=Signal::derive(move || t().rate_word) name="word" value=word max=MAX_REASON/>
                <button class="button button--wide" type="button" data-testid="send-rating"
                    disabled=move || act.busy.get() || stars.get() == 0 on:click=rate>{tt.rate}</button>
            </section>
        })}
        {d.reopen_until.map(|until| view! {
            <section class="card form" data-testid="reopen">
                <p class="card__muted">{fill(tt.reopen_until, &[("date", &short_date(until as f64))])}</p>
                <TextField label=Signal::derive(move || t().reopen_reason) name="why" value=why max=MAX_REASON
                    check=act.field("request.reopen/reason")/>
                <button class="button button--secondary button--wide" type="button" disabled=move || act.busy.get()
                    on:click=reopen>{tt.reopen}</button>
            </section>
        })}
        {(d.row.status == RequestStatus::Resolved && d.rating.is_none() && !d.can_rate && d.reopen_until.is_none())
            .then(|| view! { <p class="card__muted">{tt.status_resolved}</p> })}
    }
}
