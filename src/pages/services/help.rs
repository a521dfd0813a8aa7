//! 求助: a resident asks in three taps from home (求助, what about, 提交 — the few words are
//! typed); their requests with who has each and since when. Staff see the requests nobody has
//! taken — urgent first, then oldest, overdue marked, by grid — and take one in a tap, and the
//! ones they have in hand.

use leptos::prelude::*;
use leptos_router::components::A;
use linli_domain::services::act::{OpenRequest, RequestRef, MAX_TITLE};
use linli_domain::services::{self, RequestStatus};

use super::view::{help, Help, RequestRow};
use crate::clock::now_ms;
use crate::components::{short_time, FormError, TextField};
use crate::hooks::{use_act, use_view, Acting};
use crate::i18n::services::ServicesText;
use crate::i18n::{fill, use_texts};

/// The section.
#[component]
pub fn HelpPage() -> impl IntoView {
    let t = use_texts::<ServicesText>();
    let v = use_view(|s, me| help(s, me, now_ms() as i64));
    let act = use_act();
    let grid = Signal::derive(move || v.get().flatten().map(|h| h.grid).unwrap_or_default());
    view! {
        <h1 class="page__title">{move || t().help_title}</h1>
        <FormError error=act.error/>
        // Residents ask first; staff see the queue first and may still ask for help below it.
        <Show when=move || v.with(|h| matches!(h, Some(Some(h)) if !h.staff))>
            <NewRequest grid act/>
        </Show>
        {move || v.get().flatten().map(|h| view! { <Sections h act/> })}
        <Show when=move || v.with(|h| matches!(h, Some(Some(h)) if h.staff))>
            <NewRequest grid act/>
        </Show>
    }
}

/// 我要求助: what about (one tap), a few words, urgent or not, 提交. Outside the lists, so that
/// what was typed and the notice survive the lists changing.
#[component]
fn NewRequest(grid: Signal<String>, act: Acting) -> impl IntoView {
    let t = use_texts::<ServicesText>();
    let tt = t();
    let category = RwSignal::new(None::<usize>);
    let words = RwSignal::new(String::new());
    let urgent = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(c) = category.get_untracked() else {
            act.fail(t().new_pick);
            return;
        };
        let open = services::Act::Open(OpenRequest {
            title: words.get_untracked().trim().into(),
            body: "".into(),
            category: t().categories[c].into(),
            urgent: urgent.get_untracked(),
            grid: grid.get_untracked().as_str().into(),
        });
        act.send_then(open, move |_| {
            sent.set(true);
            category.set(None);
            words.set(String::new());
            urgent.set(false);
        });
    };
    view! {
        <form class="card form" data-testid="new-request" on:submit=submit novalidate>
            <h2 class="card__title">{tt.new_title}</h2>
            <fieldset class="field">
                <legend class="field__label">{tt.new_category}</legend>
                <div class="chips">
                    {(0..tt.categories.len()).map(|i| view! {
                        <button type="button" class="members__chip"
                            aria-pressed=move || (category.get() == Some(i)).to_string()
                            on:click=move |_| { sent.set(false); category.set(Some(i)); }>{move || t().categories[i]}</button>
                    }).collect_view()}
                </div>
            </fieldset>
            <TextField label=Signal::derive(move || t().new_words) name="words" value=words max=MAX_TITLE
                check=act.field("request.open/title")/>
            <label class="setting setting--toggle">
                <span class="setting__label">{tt.new_urgent}</span>
                <input type="checkbox" role="switch" class="switch" name="urgent" bind:checked=urgent/>
            </label>
            {move || sent.get().then(|| view! { <p class="notice-line" role="status" data-testid="request-sent">{t().new_sent}</p> })}
            <button class="button button--wide" type="submit" disabled=move || act.busy.get()>{tt.new_submit}</button>
        </form>
    }
}

#[component]
fn Sections(h: Help, act: Acting) -> impl IntoView {
    let t = use_texts::<ServicesText>();
    let tt = t();
    let filter = RwSignal::new(None::<String>);
    let queue = h.queue.clone();
    view! {
        {(!h.mine.is_empty() || !h.staff).then(|| view! {
            <section class="card" data-testid="my-requests">
                <h2 class="card__title">{tt.mine}</h2>
                {h.mine.is_empty().then(|| view! { <p class="card__muted">{tt.mine_none}</p> })}
                <ul class="plist">{h.mine.iter().cloned().map(|r| view! { <Row r/> }).collect_view()}</ul>
            </section>
        })}
        {h.staff.then(|| view! {
            <section class="card" data-testid="queue">
                <h2 class="card__title">{tt.queue}</h2>
                {(h.grids.len() > 1).then(|| {
                    let grids = h.grids.clone();
                    view! {
                        <div class="chips">
                            <button type="button" class="members__chip" aria-pressed=move || filter.get().is_none().to_string()
                                on:click=move |_| filter.set(None)>{tt.all_grids}</button>
                            {grids.into_iter().map(|g| {
                                let (on, set) = (g.clone(), g.clone());
                                view! {
                                    <button type="button" class="members__chip" aria-pressed=move || (filter.get().as_deref() == Some(on.as_str())).to_string()
                                        on:click=move |_| filter.set(Some(set.clone()))>{g}</button>
                                }
                            }).collect_view()}
                        </div>
                    }
                })}
                {queue.is_empty().then(|| view! { <p class="card__muted">{tt.queue_none}</p> })}
                <ul class="plist">
                    {move || queue.iter().filter(|r| filter.with(|f| f.as_ref().is_none_or(|g| *g == r.grid))).cloned().map(|r| {
                        let id = r.id;
                        view! {
                            <Row r>
                                <button class="button" type="button" data-testid="take" disabled=move || act.busy.get()
                                    on:click=move |_| act.send(services::Act::Take(RequestRef { request: id }))>{t().take}</button>
                            </Row>
                        }
                    }).collect_view()}
                </ul>
            </section>
            <section class="card" data-testid="owned">
                <h2 class="card__title">{tt.owned}</h2>
                <ul class="plist">{h.owned.iter().cloned().map(|r| view! { <Row r/> }).collect_view()}</ul>
            </section>
            {(!h.late.is_empty()).then(|| view! {
                <section class="card" data-testid="late">
                    <h2 class="card__title">{fill(tt.late, &[("n", &h.late.len())])}</h2>
                    <p class="card__muted">{tt.late_hint}</p>
                    <ul class="plist">{h.late.iter().cloned().map(|r| view! { <Row r/> }).collect_view()}</ul>
                </section>
            })}
        })}
    }
}

/// A request in a list: the whole row opens it; `children` (an action) below.
#[component]
pub fn Row(r: RequestRow, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let t = use_texts::<ServicesText>();
    let tt = t();
    let href = format!("/help/{}", r.id.to_hex());
    let status = match r.status {
        RequestStatus::Open => tt.status_open,
        RequestStatus::Taken => tt.status_taken,
        RequestStatus::Resolved => tt.status_resolved,
    };
    view! {
        <li class="activity" data-testid="request-row">
            <A href=href attr:class="activity__link">
                <span class="activity__title">{r.title.clone()}</span>
                <span class="card__muted">
                    {r.category.clone()}" · "{short_time(r.ts as f64)}
                    {(!r.requester.is_empty()).then(|| format!(" · {}", r.requester))}
                    {(!r.grid.is_empty()).then(|| format!(" · {}", r.grid))}
                </span>
                <span class="activity__tags">
                    <span class="tag" data-testid="request-status">{status}</span>
                    {r.urgent.then(|| view! { <span class="tag tag--warn">{tt.urgent}</span> })}
                    {r.overdue.then(|| view! { <span class="tag tag--warn" data-testid="overdue">{tt.overdue}</span> })}
                </span>
                {r.owner.clone().map(|(name, since)| view! {
                    <span class="card__muted" data-testid="owner">{fill(tt.owner_since, &[("name", &name), ("time", &short_time(since as f64))])}</span>
                })}
            </A>
            {children.map(|c| c())}
        </li>
    }
}
