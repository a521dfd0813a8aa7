//! 公布结果 — a closed ballot's result posted on the public board in one tap: a `result` post
//! naming the proposal, its title and body made from the proposal, the outcome, the turnout
//! and the counts (never names). Shown to staff, once: not after a result post names it.

use leptos::prelude::*;
use leptos_router::components::A;
use linli_domain::council::Outcome;
use linli_domain::services::act::{Category, Post, MAX_TEXT, MAX_TITLE};
use linli_domain::services::Act;
use linli_domain::{Command, EventId, Space};

use super::option_text;
use super::view::ProposalDetail;
use crate::components::percent;
use crate::hooks::{use_view, Acting};
use crate::i18n::board::BoardText;
use crate::i18n::council::CouncilText;
use crate::i18n::{fill, use_texts};

/// Whether a result post on the board names `proposal`.
fn posted(space: &Space, proposal: &EventId) -> bool {
    space
        .state()
        .services
        .posts()
        .any(|p| p.category == Category::Result && p.proposal == Some(*proposal))
}

/// The first `max` characters of `s`.
fn clip(s: String, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => s[..i].to_owned(),
        None => s,
    }
}

/// The button (or, once posted, a link to the board).
#[component]
pub fn PublishResult(p: ProposalDetail, act: Acting) -> impl IntoView {
    let b = use_texts::<BoardText>();
    let c = use_texts::<CouncilText>();
    let id = p.id;
    // (may post a result naming it, already posted)
    let state = use_view(move |s, me| {
        let probe = Command::Services(Act::Post(Post {
            title: "·".into(),
            body: "".into(),
            category: Category::Result,
            proposal: Some(id),
        }));
        (s.allows(me, &probe).is_ok(), posted(s, &id))
    });
    let tally = p.tally.clone()?;
    let publish = move |_| {
        let (bt, ct) = (b(), c());
        let outcome = match tally.outcome {
            Outcome::Passed => ct.p_outcome_passed,
            Outcome::Rejected => ct.p_outcome_rejected,
            Outcome::NoQuorum => ct.p_outcome_no_quorum,
        };
        let counts: Vec<String> = p
            .options
            .iter()
            .zip(&tally.counts)
            .map(|(o, n)| {
                fill(
                    bt.result_count,
                    &[("option", &option_text(ct, o)), ("n", n)],
                )
            })
            .collect();
        let body = fill(
            bt.result_body,
            &[
                ("outcome", &outcome),
                ("cast", &tally.cast),
                ("eligible", &tally.eligible),
                ("pct", &percent(tally.cast, tally.eligible)),
                ("counts", &counts.join(bt.result_sep)),
            ],
        );
        act.send(Act::Post(Post {
            title: clip(fill(bt.result_title, &[("title", &p.title)]), MAX_TITLE).into(),
            body: clip(body, MAX_TEXT).into(),
            category: Category::Result,
            proposal: Some(id),
        }));
    };
    Some(view! {
        <Show when=move || state.get().is_some_and(|(can, done)| can && !done)>
            <button class="button" type="button" data-testid="publish-result" disabled=move || act.busy.get()
                on:click=publish.clone()>{move || b().publish}</button>
        </Show>
        <Show when=move || state.get().is_some_and(|(_, done)| done)>
            <A href="/board" attr:class="button button--secondary" attr:data-testid="result-published">{move || b().published}</A>
        </Show>
    })
}
