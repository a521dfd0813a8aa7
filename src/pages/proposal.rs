//! A proposal's page: what is proposed, seconds, discussion, the vote (large buttons with a
//! confirmation), the tally and outcome, follow-up; council tools where the role allows.
//! And the form to propose.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use linli_domain::council::{Outcome, Status};
use linli_domain::Role;
use serde_json::json;

use crate::app::StoreHandle;
use crate::community::ActError;
use crate::i18n::use_i18n;
use crate::pages::common::{act_error_text, run, store};
use crate::pages::council::{eligibility_text, option_text, status_text, threshold_text};
use crate::session::{ProposalDetail, Session};

/// The proposal page.
#[component]
pub fn Proposal() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = expect_context::<Session>();
    let handle = expect_context::<StoreHandle>();
    let params = use_params_map();
    let detail = RwSignal::new(None::<ProposalDetail>);
    let loaded = RwSignal::new(false);
    let error = RwSignal::new(None::<&'static str>);
    let comment = RwSignal::new(String::new());
    let progress = RwSignal::new(String::new());
    let pending_choice = RwSignal::new(None::<u32>);
    Effect::new(move |_| {
        session.view.track();
        let id = params.with(|p| p.get("id").unwrap_or_default());
        leptos::task::spawn_local(async move {
            detail.set(session.proposal(&id).await);
            loaded.set(true);
        });
    });
    let role = move || session.view.with(|v| v.as_ref().and_then(|v| v.role));
    let is_council = move || matches!(role(), Some(Role::Admin | Role::Council));
    let can_report = move || matches!(role(), Some(Role::Admin | Role::Council | Role::Worker));
    let act = move |kind: &'static str, payload: serde_json::Value| {
        run(session, handle, error, i18n, kind, payload)
    };
    let close = move |id: String| {
        leptos::task::spawn_local(async move {
            let result = async {
                let store = store(handle)?;
                let pid = linli_domain::Hex32::parse(&id).map_err(|_| ActError::Invalid("id"))?;
                session
                    .with(async |c| c.close_ballot(&store, pid).await)
                    .await?;
                session.sync_now(&store).await;
                Ok::<_, ActError>(())
            }
            .await;
            error.set(result.err().map(|e| act_error_text(i18n.t(), &e)));
        });
    };

    view! {
        {move || error.get().map(|e| view! { <p class="field__error" role="alert">{e}</p> })}
        {move || match detail.get() {
            None => view! {
                <h1 class="page__title">{move || t().council_title}</h1>
                <p class="card__muted">{move || if loaded.get() { t().p_not_found } else { t().home_loading }}</p>
            }.into_any(),
            Some(p) => {
                let m = t();
                let id = p.id.clone();
                let voting = p.status == Status::Voting;
                let total: u32 = p.counts.as_ref().map(|c| c.iter().sum()).unwrap_or(0);
                let outcome = p.tally.as_ref().map(|tl| match tl.outcome {
                    Outcome::Passed => (m.p_outcome_passed, "passed"),
                    Outcome::Rejected => (m.p_outcome_rejected, "rejected"),
                    Outcome::NoQuorum => (m.p_outcome_no_quorum, "no-quorum"),
                });
                let passed = p.tally.as_ref().is_some_and(|tl| tl.outcome == Outcome::Passed);
                view! {
                    <h1 class="page__title">{p.title.clone()}</h1>
                    <p class="status-line">
                        <span class="status" data-status=format!("{:?}", p.status)>{status_text(m, p.status)}</span>
                        <span class="card__muted">{p.category.clone()}</span>
                    </p>
                    {outcome.map(|(text, class)| {
                        let href = format!("/council/{id}/print");
                        view! {
                            <div class=format!("outcome outcome--{class}") role="status" data-testid="outcome">{text}</div>
                            <div class="actions">
                                <leptos_router::components::A href=href attr:class="button button--secondary">{m.p_print}</leptos_router::components::A>
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
                        {(matches!(p.status, Status::Collecting | Status::Deliberating) && !p.mine && role().is_some()).then(|| {
                            let id = id.clone();
                            view! {
                                <button class="button button--wide button--secondary" type="button"
                                    disabled=p.seconded
                                    on:click=move |_| act("proposal.second", json!({"proposal": id}))>
                                    {if p.seconded { m.p_seconded } else { m.p_second_action }}
                                </button>
                            }
                        })}
                    </section>

                    {(voting || p.tally.is_some()).then(|| {
                        let options: Vec<String> = p.options.iter().map(|o| option_text(m, o)).collect();
                        let counts = p.counts.clone();
                        view! {
                            <section class="card" data-testid="ballot">
                                <h2 class="card__title">{m.p_vote}</h2>
                                {(voting && p.can_vote).then(|| {
                                    let id = id.clone();
                                    view! {
                                        <div class="vote">
                                            {options.iter().enumerate().map(|(i, o)| {
                                                let i = i as u32;
                                                view! {
                                                    <button type="button" class="vote__option"
                                                        aria-pressed=(p.my_vote == Some(i)).to_string()
                                                        on:click=move |_| pending_choice.set(Some(i))>
                                                        {o.clone()}
                                                    </button>
                                                }
                                            }).collect_view()}
                                        </div>
                                        {move || pending_choice.get().map(|i| {
                                            let id = id.clone();
                                            view! {
                                                <div class="confirm" role="dialog">
                                                    <p>{t().p_confirm}</p>
                                                    <button type="button" class="button" data-testid="confirm-vote"
                                                        on:click=move |_| {
                                                            pending_choice.set(None);
                                                            act("vote.cast", json!({"proposal": id.clone(), "choice": i}));
                                                        }>
                                                        {t().p_vote}
                                                    </button>
                                                    <button type="button" class="button button--secondary" on:click=move |_| pending_choice.set(None)>
                                                        {t().cancel}
                                                    </button>
                                                </div>
                                            }
                                        })}
                                        <p class="card__muted">{m.p_change_hint}</p>
                                    }
                                })}
                                {(voting && !p.can_vote && role().is_some()).then(|| view! { <p class="card__muted">{m.p_not_eligible}</p> })}
                                {p.my_vote.map(|v| view! {
                                    <p data-testid="my-vote">{m.p_your_vote}"："{p.options.get(v as usize).map(|o| option_text(m, o)).unwrap_or_default()}</p>
                                })}
                                {match counts {
                                    None => view! { <p class="card__muted">{m.p_tally_hidden}</p> }.into_any(),
                                    Some(counts) => view! {
                                        <ul class="bars" data-testid="tally">
                                            {options.iter().zip(counts).map(|(o, n)| {
                                                let pct = (n * 100).checked_div(total).unwrap_or(0);
                                                view! {
                                                    <li class="bars__row">
                                                        <span class="bars__label">{o.clone()}</span>
                                                        <span class="bars__bar"><span class="bars__fill" style=format!("width:{pct}%")></span></span>
                                                        <span class="bars__n">{n}</span>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    }.into_any(),
                                }}
                                {p.tally.as_ref().map(|tl| view! {
                                    <p class="card__muted">{m.p_turnout}" "{tl.cast}" / "{tl.eligible}</p>
                                })}
                            </section>
                        }
                    })}

                    {is_council().then(|| {
                        let (a, b) = (id.clone(), id.clone());
                        view! {
                            <div class="actions">
                                {(p.status == Status::Deliberating).then(|| view! {
                                    <button class="button" type="button" on:click=move |_| act("ballot.open", json!({"proposal": a.clone()}))>{m.p_open}</button>
                                })}
                                {voting.then(|| view! {
                                    <button class="button" type="button" on:click=move |_| close(b.clone())>{m.p_close}</button>
                                })}
                            </div>
                        }
                    })}
                    {(p.mine && matches!(p.status, Status::Collecting | Status::Deliberating)).then(|| {
                        let id = id.clone();
                        view! {
                            <button class="button button--secondary button--wide" type="button"
                                on:click=move |_| act("proposal.withdraw", json!({"proposal": id.clone()}))>{m.p_withdraw}</button>
                        }
                    })}

                    {(!p.progress.is_empty() || (passed && can_report() && p.status != Status::Done)).then(|| {
                        let id = id.clone();
                        view! {
                            <section class="card">
                                <h2 class="card__title">{m.p_progress}</h2>
                                <ol class="timeline">
                                    {p.progress.iter().map(|(text, done)| view! {
                                        <li class:timeline__done=*done>{text.clone()}</li>
                                    }).collect_view()}
                                </ol>
                                {(can_report() && passed && p.status != Status::Done).then(|| {
                                    let (a, b) = (id.clone(), id.clone());
                                    view! {
                                        <textarea class="field__input field__input--area" bind:value=progress placeholder=m.p_progress_placeholder></textarea>
                                        <div class="actions">
                                            <button class="button" type="button" on:click=move |_| {
                                                let text = progress.get_untracked();
                                                if !text.trim().is_empty() {
                                                    progress.set(String::new());
                                                    act("proposal.progress", json!({"proposal": a.clone(), "text": text}));
                                                }
                                            }>{m.p_progress_send}</button>
                                            <button class="button button--secondary" type="button" on:click=move |_| {
                                                let text = progress.get_untracked();
                                                let text = if text.trim().is_empty() { t().p_progress_done.to_owned() } else { text };
                                                progress.set(String::new());
                                                act("proposal.progress", json!({"proposal": b.clone(), "text": text, "done": true}));
                                            }>{m.p_progress_done}</button>
                                        </div>
                                    }
                                })}
                            </section>
                        }
                    })}

                    <section class="card">
                        <h2 class="card__title">{m.p_comments}" ("{p.comments.len()}")"</h2>
                        <ul class="comments">
                            {p.comments.iter().cloned().map(|cm| {
                                let cid = cm.id.clone();
                                view! {
                                    <li class="comments__item">
                                        <span class="comments__name">{cm.name}</span>
                                        {match cm.hidden {
                                            Some(reason) => view! { <p class="card__muted">{m.p_hidden}{reason}</p> }.into_any(),
                                            None => view! {
                                                <p>{cm.text}</p>
                                                {is_council().then(|| view! {
                                                    <button class="link-button" type="button"
                                                        on:click=move |_| act("comment.hide", json!({"comment": cid.clone(), "reason": t().p_hide_reason}))>
                                                        {m.p_hide}
                                                    </button>
                                                })}
                                            }.into_any(),
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {(role().is_some() && p.status != Status::Withdrawn).then(|| {
                            let id = id.clone();
                            view! {
                                <textarea class="field__input field__input--area" name="comment" bind:value=comment placeholder=m.p_comment_placeholder></textarea>
                                <button class="button button--wide button--secondary" type="button" on:click=move |_| {
                                    let text = comment.get_untracked();
                                    if !text.trim().is_empty() {
                                        comment.set(String::new());
                                        act("proposal.comment", json!({"proposal": id.clone(), "text": text}));
                                    }
                                }>{m.p_comment_send}</button>
                            }
                        })}
                    </section>
                }.into_any()
            }
        }}
    }
}

/// The form to propose.
#[component]
pub fn NewProposal() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = expect_context::<Session>();
    let handle = expect_context::<StoreHandle>();
    let navigate = use_navigate();
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let eligibility = RwSignal::new("resident");
    let threshold = RwSignal::new("simple");
    let quorum = RwSignal::new("20".to_owned());
    let seconds = RwSignal::new("3".to_owned());
    let hide = RwSignal::new(false);
    let error = RwSignal::new(None::<&'static str>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let m = i18n.t();
        if title.get_untracked().trim().is_empty() {
            error.set(Some(m.err_required));
            return;
        }
        let (Ok(q), Ok(s)) = (
            quorum.get_untracked().trim().parse::<u8>(),
            seconds.get_untracked().trim().parse::<u32>(),
        ) else {
            error.set(Some(m.new_bad_number));
            return;
        };
        if q > 100 || s > 100 {
            error.set(Some(m.new_bad_number));
            return;
        }
        let payload = json!({
            "title": title.get_untracked().trim(), "body": body.get_untracked().trim(),
            "category": category.get_untracked().trim(), "eligibility": eligibility.get_untracked(),
            "quorum_pct": q, "threshold": threshold.get_untracked(), "seconds_needed": s,
            "hide_tally": hide.get_untracked()
        });
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let result = async {
                let store = store(handle)?;
                let e = session
                    .with(async |c| c.act(&store, "proposal.create", &payload).await)
                    .await?;
                session.sync_now(&store).await;
                Ok::<_, ActError>(e)
            }
            .await;
            match result {
                Ok(Some(e)) => navigate(&format!("/council/{}", e.id.to_hex()), Default::default()),
                Ok(None) => {}
                Err(e) => error.set(Some(act_error_text(i18n.t(), &e))),
            }
        });
    };
    let choice = move |sig: RwSignal<&'static str>, options: Vec<(&'static str, &'static str)>| {
        view! {
            <div class="segmented" role="group">
                {options.into_iter().map(|(value, label)| view! {
                    <button type="button" class="segmented__option"
                        aria-pressed=move || (sig.get() == value).to_string()
                        on:click=move |_| sig.set(value)>{label}</button>
                }).collect_view()}
            </div>
        }
    };
    view! {
        <h1 class="page__title">{move || t().new_title}</h1>
        <form class="form" on:submit=submit novalidate>
            <label class="field">
                <span class="field__label">{move || t().new_title_field}</span>
                <input class="field__input" name="title" maxlength="100" bind:value=title/>
            </label>
            <label class="field">
                <span class="field__label">{move || t().new_body_field}</span>
                <textarea class="field__input field__input--area" name="body" rows="5" bind:value=body></textarea>
            </label>
            <label class="field">
                <span class="field__label">{move || t().new_category_field}</span>
                <input class="field__input" name="category" maxlength="40" bind:value=category/>
            </label>
            <fieldset class="field">
                <legend class="field__label">{move || t().new_eligibility}</legend>
                {move || choice(eligibility, vec![("resident", t().elig_resident), ("household", t().elig_household), ("council", t().elig_council)])}
            </fieldset>
            <fieldset class="field">
                <legend class="field__label">{move || t().new_threshold}</legend>
                {move || choice(threshold, vec![("simple", t().thr_simple), ("two_thirds", t().thr_two_thirds)])}
            </fieldset>
            <label class="field">
                <span class="field__label">{move || t().new_quorum}</span>
                <input class="field__input" name="quorum" inputmode="numeric" bind:value=quorum/>
            </label>
            <label class="field">
                <span class="field__label">{move || t().new_seconds}</span>
                <input class="field__input" name="seconds" inputmode="numeric" bind:value=seconds/>
            </label>
            <label class="setting setting--toggle">
                <span class="setting__label">{move || t().new_hide}</span>
                <input type="checkbox" role="switch" class="switch" bind:checked=hide/>
            </label>
            {move || error.get().map(|e| view! { <p class="field__error" role="alert">{e}</p> })}
            <button class="button button--wide" type="submit">{move || t().new_submit}</button>
        </form>
    }
}

/// 公示 — a ballot's result for the wall board: the community, the proposal, the rules, the
/// tally and the outcome, on a plain page that prints on A4 (the navigation is not printed).
/// Names never appear: only counts.
#[component]
pub fn PrintProposal() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = expect_context::<Session>();
    let params = use_params_map();
    let detail = RwSignal::new(None::<ProposalDetail>);
    Effect::new(move |_| {
        session.view.track();
        let id = params.with(|p| p.get("id").unwrap_or_default());
        leptos::task::spawn_local(async move { detail.set(session.proposal(&id).await) });
    });
    let community = move || {
        session
            .view
            .with(|v| v.as_ref().map(|v| v.name.clone()).unwrap_or_default())
    };
    view! {
        {move || detail.get().map(|p| {
            let m = t();
            view! {
                <article class="notice" data-testid="notice">
                    <p class="notice__org">{community()}" · "{m.council_title}</p>
                    <h1 class="notice__title">{m.notice_ballot}</h1>
                    <h2>{p.title.clone()}</h2>
                    <p class="prewrap">{p.body.clone()}</p>
                    <p>{eligibility_text(m, p.eligibility)}" · "{threshold_text(m, p.threshold)}" · "{m.quorum}" "{p.quorum_pct}"%"</p>
                    {p.tally.clone().map(|tl| view! {
                        <table class="notice__table">
                            <tbody>
                                {p.options.iter().zip(tl.counts.iter()).map(|(o, n)| view! {
                                    <tr><th>{option_text(m, o)}</th><td>{*n}</td></tr>
                                }).collect_view()}
                                <tr><th>{m.p_turnout}</th><td>{tl.cast}" / "{tl.eligible}</td></tr>
                            </tbody>
                        </table>
                        <p class="notice__outcome">{match tl.outcome {
                            Outcome::Passed => m.p_outcome_passed,
                            Outcome::Rejected => m.p_outcome_rejected,
                            Outcome::NoQuorum => m.p_outcome_no_quorum,
                        }}</p>
                    })}
                    <p class="notice__date">{crate::pages::common::short_date(js_sys::Date::now())}</p>
                    <button class="button no-print" type="button" on:click=move |_| { let _ = window().print(); }>{m.p_print}</button>
                </article>
            }
        })}
    }
}
