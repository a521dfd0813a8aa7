//! A proposal's page: what is proposed, seconds, discussion, the vote (large buttons with a
//! confirmation naming the choice), the tally and outcome, follow-up. Every button shows only
//! when the domain would accept its command.

use leptos::prelude::*;
use leptos_router::components::A;
use linli_domain::council::act::{
    Cast, HideComment, NewComment, ProgressReport, ProposalRef, MAX_TEXT,
};
use linli_domain::council::{Act, Outcome, Status};

use super::view::{proposal, ProposalDetail};
use super::{eligibility_text, option_text, status_text, threshold_text};
use crate::components::{Confirm, FormError, TallyBars, TextArea};
use crate::hooks::{use_act, use_detail, Acting, Detail};
use crate::i18n::council::CouncilText;
use crate::i18n::{use_i18n, use_texts};

/// The proposal page.
#[component]
pub fn Proposal() -> impl IntoView {
    let t = use_texts::<CouncilText>();
    let i18n = use_i18n();
    let detail = use_detail(proposal);
    let act = use_act();
    view! {
        <FormError error=act.error/>
        {move || match detail.get() {
            Detail::Loading => view! {
                <h1 class="page__title">{t().title}</h1>
                <p class="card__muted">{i18n.t().loading}</p>
            }.into_any(),
            Detail::Missing => view! {
                <h1 class="page__title">{t().title}</h1>
                <p class="card__muted">{t().p_not_found}</p>
            }.into_any(),
            Detail::Found(p) => view! { <Page p act/> }.into_any(),
        }}
    }
}

fn outcome_text(t: &'static CouncilText, o: Outcome) -> (&'static str, &'static str) {
    match o {
        Outcome::Passed => (t.p_outcome_passed, "passed"),
        Outcome::Rejected => (t.p_outcome_rejected, "rejected"),
        Outcome::NoQuorum => (t.p_outcome_no_quorum, "no-quorum"),
    }
}

#[component]
fn Page(p: ProposalDetail, act: Acting) -> impl IntoView {
    let t = use_texts::<CouncilText>();
    let m = t();
    let id = p.id;
    let a = p.actions.clone();
    let options: Vec<String> = p.options.iter().map(|o| option_text(m, o)).collect();
    view! {
        <h1 class="page__title">{p.title.clone()}</h1>
        <p class="status-line">
            <span class="status" data-status=format!("{:?}", p.status)>{status_text(m, p.status)}</span>
            <span class="card__muted">{p.category.clone()}</span>
        </p>
        {p.tally.as_ref().map(|tl| {
            let (text, class) = outcome_text(m, tl.outcome);
            view! {
                <div class=format!("outcome outcome--{class}") role="status" data-testid="outcome">{text}</div>
                <div class="actions">
                    <A href=format!("/council/{}/print", id.to_hex()) attr:class="button button--secondary">{m.p_print}</A>
                </div>
            }
        })}
        <section class="card">
            <p class="prewrap">{p.body.clone()}</p>
            <dl class="kv">
                <dt>{m.p_rules}</dt>
                <dd>{eligibility_text(m, p.eligibility)}" · "{threshold_text(m, p.threshold)}" · "{m.quorum}" "{p.quorum_pct}"%"</dd>
                <dt>{m.p_seconds}</dt>
                <dd data-testid="seconds">{p.seconds.0}" / "{p.seconds.1}</dd>
            </dl>
            {(a.second.is_ok() || p.seconded).then(|| view! {
                <button class="button button--wide button--secondary" type="button" disabled=p.seconded
                    on:click=move |_| act.send(Act::Second(ProposalRef { proposal: id }))>
                    {if p.seconded { m.p_seconded } else { m.p_second_action }}
                </button>
            })}
        </section>
        {(p.status == Status::Voting || p.tally.is_some()).then(|| view! {
            <Ballot p=p.clone() options=options.clone() act/>
        })}
        {(a.open.is_ok() || a.close.is_ok()).then(|| view! {
            <div class="actions">
                {a.open.is_ok().then(|| view! {
                    <button class="button" type="button" on:click=move |_| act.send(Act::Open(ProposalRef { proposal: id }))>{m.p_open}</button>
                })}
                {a.close.is_ok().then(|| view! {
                    <button class="button" type="button"
                        on:click=move |_| act.run(crate::engine::close_ballot(act.session(), id), |_| {})>{m.p_close}</button>
                })}
            </div>
        })}
        {a.withdraw.is_ok().then(|| view! {
            <button class="button button--secondary button--wide" type="button"
                on:click=move |_| act.send(Act::Withdraw(ProposalRef { proposal: id }))>{m.p_withdraw}</button>
        })}
        {(!p.progress.is_empty() || a.report.is_ok()).then(|| view! { <FollowUp p=p.clone() act/> })}
        <Discussion p act/>
    }
}

/// The vote: large buttons, a confirmation naming the choice, this member's vote, the tally.
#[component]
fn Ballot(p: ProposalDetail, options: Vec<String>, act: Acting) -> impl IntoView {
    let t = use_texts::<CouncilText>();
    let i18n = use_i18n();
    let m = t();
    let id = p.id;
    let choosing = RwSignal::new(None::<u32>);
    let open = RwSignal::new(false);
    Effect::new(move |_| {
        if !open.get() {
            choosing.set(None);
        }
    });
    let chosen = {
        let options = options.clone();
        move || {
            choosing
                .get()
                .and_then(|i| options.get(i as usize).cloned())
                .unwrap_or_default()
        }
    };
    let voting = p.status == Status::Voting;
    view! {
        <section class="card" data-testid="ballot">
            <h2 class="card__title">{m.p_vote}</h2>
            {(voting && p.actions.vote.is_ok()).then(|| view! {
                <div class="vote">
                    {options.iter().enumerate().map(|(i, o)| {
                        let i = i as u32;
                        view! {
                            <button type="button" class="vote__option"
                                aria-pressed=move || (choosing.get().or(p.my_vote) == Some(i)).to_string()
                                on:click=move |_| { choosing.set(Some(i)); open.set(true); }>
                                {o.clone()}
                            </button>
                        }
                    }).collect_view()}
                </div>
                <Confirm open
                    title=Signal::derive(move || t().p_confirm.replace("{}", &chosen()))
                    confirm=Signal::derive(move || t().p_vote)
                    cancel=Signal::derive(move || i18n.t().cancel)
                    testid="confirm-vote"
                    on_confirm=move || if let Some(choice) = choosing.get_untracked() {
                        act.send(Act::Vote(Cast { proposal: id, choice }));
                    }/>
                <p class="card__muted">{m.p_change_hint}</p>
            })}
            {(voting && p.member && p.actions.vote.is_err()).then(|| view! { <p class="card__muted">{m.p_not_eligible}</p> })}
            {p.my_vote.map(|v| view! {
                <p data-testid="my-vote">{m.p_your_vote}"："{options.get(v as usize).cloned().unwrap_or_default()}</p>
            })}
            {match p.counts.clone() {
                None => view! { <p class="card__muted">{m.p_tally_hidden}</p> }.into_any(),
                Some(counts) => view! { <TallyBars options=options.clone() counts/> }.into_any(),
            }}
            {p.tally.as_ref().map(|tl| view! {
                <p class="card__muted">{m.p_turnout}" "{tl.cast}" / "{tl.eligible}</p>
            })}
        </section>
    }
}

/// 落实 — follow-up reports on a passed decision.
#[component]
fn FollowUp(p: ProposalDetail, act: Acting) -> impl IntoView {
    let t = use_texts::<CouncilText>();
    let m = t();
    let id = p.id;
    let text = RwSignal::new(String::new());
    let report = move |done: bool| {
        let typed = text.get_untracked();
        let words = if typed.trim().is_empty() && done {
            t().p_progress_done.to_owned()
        } else {
            typed
        };
        if words.trim().is_empty() {
            return;
        }
        text.set(String::new());
        act.send(Act::Progress(ProgressReport {
            proposal: id,
            text: words.into(),
            done,
        }));
    };
    view! {
        <section class="card">
            <h2 class="card__title">{m.p_progress}</h2>
            <ol class="timeline">
                {p.progress.iter().map(|(text, done)| view! {
                    <li class:timeline__done=*done>{text.clone()}</li>
                }).collect_view()}
            </ol>
            {p.actions.report.is_ok().then(|| view! {
                <TextArea label=Signal::derive(move || t().p_progress_placeholder) name="progress" value=text max=MAX_TEXT rows=3/>
                <div class="actions">
                    <button class="button" type="button" on:click=move |_| report(false)>{m.p_progress_send}</button>
                    <button class="button button--secondary" type="button" on:click=move |_| report(true)>{m.p_progress_done}</button>
                </div>
            })}
        </section>
    }
}

/// 协商 — the discussion, with the council's moderation.
#[component]
fn Discussion(p: ProposalDetail, act: Acting) -> impl IntoView {
    let t = use_texts::<CouncilText>();
    let m = t();
    let id = p.id;
    let text = RwSignal::new(String::new());
    let hideable = p.actions.hide.clone();
    view! {
        <section class="card">
            <h2 class="card__title">{m.p_comments}" ("{p.comments.len()}")"</h2>
            <ul class="comments">
                {p.comments.iter().cloned().map(|c| {
                    let may_hide = hideable.contains(&c.id);
                    let cid = c.id;
                    view! {
                        <li class="comments__item">
                            <span class="comments__name">{c.name}</span>
                            {match c.hidden {
                                Some(reason) => view! { <p class="card__muted">{m.p_hidden}{reason}</p> }.into_any(),
                                None => view! {
                                    <p class="prewrap">{c.text}</p>
                                    {may_hide.then(|| view! {
                                        <button class="link-button" type="button"
                                            on:click=move |_| act.send(Act::Hide(HideComment { comment: cid, reason: t().p_hide_reason.into() }))>
                                            {m.p_hide}
                                        </button>
                                    })}
                                }.into_any(),
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {p.actions.comment.is_ok().then(|| view! {
                <TextArea label=Signal::derive(move || t().p_comment_placeholder) name="comment" value=text max=MAX_TEXT rows=3/>
                <button class="button button--wide button--secondary" type="button" on:click=move |_| {
                    let typed = text.get_untracked();
                    if !typed.trim().is_empty() {
                        text.set(String::new());
                        act.send(Act::Comment(NewComment { proposal: id, text: typed.into() }));
                    }
                }>{m.p_comment_send}</button>
            })}
        </section>
    }
}
