//! A proposal's page: what is proposed, seconds, discussion, the vote (large buttons with a
//! confirmation naming the choice), the tally and outcome, follow-up. Every button shows only
//! when the domain would accept its command.

use leptos::prelude::*;
use leptos_router::components::A;
use linli_domain::council::act::{
    Cast, HideComment, NewComment, Open, ProgressReport, ProposalRef, MAX_REASON, MAX_TEXT,
};
use linli_domain::council::{Act, Outcome, Status, Tally, Threshold};

use super::publish::PublishResult;
use super::view::{proposal, ProposalDetail};
use super::{eligibility_text, option_text, status_text, threshold_text};
use crate::components::{
    date_time, percent, turnout_text, Choice, Confirm, FormError, Left, TallyBars, TextArea,
    TextField,
};
use crate::hooks::{use_act, use_detail, Acting, Detail};
use crate::i18n::council::CouncilText;
use crate::i18n::{fill, use_i18n, use_texts};

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
                <p class="outcome__why" data-testid="outcome-why">{why(m, tl, p.threshold, p.quorum_pct)}</p>
                <div class="actions">
                    <A href=format!("/council/{}/print", id.to_hex()) attr:class="button button--secondary">{m.p_print}</A>
                    <PublishResult p=p.clone() act/>
                </div>
            }
        })}
        <section class="card">
            <p class="prewrap">{p.body.clone()}</p>
            <dl class="kv">
                <dt>{m.p_rules}</dt>
                <dd>{eligibility_text(m, p.eligibility)}" · "{threshold_text(m, p.threshold)}" · "{m.quorum}" "{p.quorum_pct}"%"</dd>
                <dt>{m.p_seconds}</dt>
                <dd data-testid="seconds">{seconds_text(m, p.seconds)}</dd>
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
                {a.open.is_ok().then(|| view! { <OpenBallot id act/> })}
                {a.close.is_ok().then(|| view! { <CloseBallot p=p.clone() act/> })}
            </div>
        })}
        {a.withdraw.is_ok().then(|| view! { <Withdraw id act/> })}
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
                <p data-testid="my-vote">{m.p_your_vote.replace("{}", &options.get(v as usize).cloned().unwrap_or_default())}</p>
            })}
            {match p.counts.clone() {
                None => view! { <p class="card__muted">{m.p_tally_hidden}</p> }.into_any(),
                Some(counts) => view! { <TallyBars options=options.clone() counts/> }.into_any(),
            }}
            {p.tally.as_ref().map(|tl| view! {
                <p class="card__muted">{m.p_turnout}" "{tl.cast}" / "{tl.eligible}</p>
            })}
            {voting.then(|| view! { <Period p=p.clone()/> })}
        </section>
    }
}

/// While voting: when it ends (and the time left, or that it is past its end) and the live
/// turnout against the quorum.
#[component]
fn Period(p: ProposalDetail) -> impl IntoView {
    let t = use_texts::<CouncilText>();
    let i18n = use_i18n();
    let now = js_sys::Date::now() as i64;
    let ends = p.period.and_then(|x| x.ends);
    let left = ends.map(|e| Left::until(e, now));
    let turnout = p.tally_now.as_ref().map(|tl| (tl.cast, tl.eligible));
    let quorum = p.quorum_pct;
    view! {
        <dl class="kv" data-testid="period">
            <dt>{move || t().p_ends}</dt>
            <dd data-testid="ends">{move || match (ends, left) {
                (Some(e), Some(l)) => format!("{} · {}", date_time(e as f64), l.text(i18n.t())),
                _ => t().p_ends_none.to_owned(),
            }}</dd>
            <dt>{move || t().p_turnout}</dt>
            <dd data-testid="turnout">{move || turnout.map(|(c, e)| format!(
                "{} · {} {}%", turnout_text(i18n.t(), c, e), t().quorum, quorum
            ))}</dd>
        </dl>
        {(left == Some(Left::Past)).then(|| view! {
            <p class="overdue" role="status" data-testid="overdue">{move || t().p_overdue_hint}</p>
        })}
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
        // An empty report is the domain's to refuse, beside the field; the text typed is
        // cleared only once it is sent.
        let report = Act::Progress(ProgressReport {
            proposal: id,
            text: words.into(),
            done,
        });
        act.send_then(report, move |_| text.set(String::new()));
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
                <TextArea label=Signal::derive(move || t().p_progress_placeholder) name="progress" value=text max=MAX_TEXT rows=3
                    check=act.field("proposal.progress/text")/>
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
                                    {may_hide.then(|| view! { <Hide comment=cid act/> })}
                                }.into_any(),
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {p.actions.comment.is_ok().then(|| view! {
                <TextArea label=Signal::derive(move || t().p_comment_placeholder) name="comment" value=text max=MAX_TEXT rows=3
                    check=act.field("proposal.comment/text")/>
                <button class="button button--wide button--secondary" type="button" on:click=move |_| {
                    // Empty or too long: the domain says so beside the box. The text stays
                    // until it is sent.
                    let comment = Act::Comment(NewComment { proposal: id, text: text.get_untracked().into() });
                    act.send_then(comment, move |_| text.set(String::new()));
                }>{m.p_comment_send}</button>
            })}
        </section>
    }
}

/// Seconds so far against the number needed: `2 / 5`, or `6（已达到 5）` once reached.
fn seconds_text(m: &'static CouncilText, (have, need): (usize, u32)) -> String {
    if have as u64 >= u64::from(need) && need > 0 {
        fill(m.p_seconds_reached, &[("have", &have), ("need", &need)])
    } else {
        format!("{have} / {need}")
    }
}

/// Why a ballot came out as it did, in a sentence: the rule and the numbers.
fn why(m: &'static CouncilText, tl: &Tally, threshold: Threshold, quorum_pct: u8) -> String {
    let pct = percent(tl.cast, tl.eligible);
    match tl.outcome {
        Outcome::NoQuorum => fill(
            m.p_why_no_quorum,
            &[
                ("cast", &tl.cast),
                ("eligible", &tl.eligible),
                ("pct", &pct),
                ("quorum", &quorum_pct),
            ],
        ),
        outcome => {
            let verdict = if outcome == Outcome::Passed {
                m.p_why_passed
            } else {
                m.p_why_failed
            };
            let template = match threshold {
                Threshold::Simple => m.p_why_simple,
                Threshold::TwoThirds => m.p_why_two_thirds,
            };
            let yes = tl.counts.first().copied().unwrap_or(0);
            fill(
                template,
                &[("yes", &yes), ("cast", &tl.cast), ("verdict", &verdict)],
            )
        }
    }
}

/// 开始表决, confirmed, with the voting period chosen (a week unless changed).
#[component]
fn OpenBallot(id: linli_domain::EventId, act: Acting) -> impl IntoView {
    let t = use_texts::<CouncilText>();
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    // Days of voting, or None for no announced end.
    let days = RwSignal::new(Some(7u32));
    let periods = Signal::derive(move || {
        let m = t();
        [3, 7, 14]
            .into_iter()
            .zip(m.p_period_days)
            .map(|(d, label)| (Some(d), label))
            .chain(std::iter::once((None, m.p_period_none)))
            .collect::<Vec<_>>()
    });
    view! {
        <button class="button" type="button" on:click=move |_| open.set(true)>{move || t().p_open}</button>
        <Confirm open
            title=Signal::derive(move || t().p_open_title.to_owned())
            body=Signal::derive(move || t().p_open_body.to_owned())
            confirm=Signal::derive(move || t().p_open)
            cancel=Signal::derive(move || i18n.t().cancel)
            testid="confirm-open"
            on_confirm=move || {
                let ends = days
                    .get_untracked()
                    .map(|d| js_sys::Date::now() as i64 + i64::from(d) * 86_400_000);
                act.send(Act::Open(Open { proposal: id, ends }));
            }>
            <Choice legend=Signal::derive(move || t().p_open_period) options=periods value=days/>
        </Confirm>
    }
}

/// 结束表决并计票, confirmed with the turnout now and whether the quorum is met.
#[component]
fn CloseBallot(p: ProposalDetail, act: Acting) -> impl IntoView {
    let t = use_texts::<CouncilText>();
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let id = p.id;
    let (now, quorum) = (p.tally_now.clone(), p.quorum_pct);
    let body = Signal::derive(move || {
        let m = t();
        now.as_ref().map_or_else(String::new, |tl| {
            let met = if tl.outcome == Outcome::NoQuorum {
                m.p_quorum_not_met
            } else {
                m.p_quorum_met
            };
            fill(
                m.p_close_body,
                &[
                    ("cast", &tl.cast),
                    ("eligible", &tl.eligible),
                    ("pct", &percent(tl.cast, tl.eligible)),
                    ("quorum", &quorum),
                    ("met", &met),
                ],
            )
        })
    });
    view! {
        <button class="button" type="button" on:click=move |_| open.set(true)>{move || t().p_close}</button>
        <Confirm open
            title=Signal::derive(move || t().p_close_title.to_owned())
            body
            confirm=Signal::derive(move || t().p_close)
            cancel=Signal::derive(move || i18n.t().cancel)
            testid="confirm-close"
            on_confirm=move || act.run(crate::engine::close_ballot(act.session(), id), |_| {})/>
    }
}

/// 撤回议题, confirmed.
#[component]
fn Withdraw(id: linli_domain::EventId, act: Acting) -> impl IntoView {
    let t = use_texts::<CouncilText>();
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    view! {
        <button class="button button--secondary button--wide" type="button" on:click=move |_| open.set(true)>{move || t().p_withdraw}</button>
        <Confirm open
            title=Signal::derive(move || t().p_withdraw_title.to_owned())
            body=Signal::derive(move || t().p_withdraw_body.to_owned())
            confirm=Signal::derive(move || t().p_withdraw)
            cancel=Signal::derive(move || i18n.t().cancel)
            testid="confirm-withdraw"
            on_confirm=move || act.send(Act::Withdraw(ProposalRef { proposal: id }))/>
    }
}

/// 隐藏, confirmed with a reason chosen or typed.
#[component]
fn Hide(comment: linli_domain::EventId, act: Acting) -> impl IntoView {
    let t = use_texts::<CouncilText>();
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    // An index into the fixed reasons, or None for one typed.
    let choice = RwSignal::new(Some(0usize));
    let typed = RwSignal::new(String::new());
    let reasons = Signal::derive(move || {
        let m = t();
        m.p_hide_reasons
            .iter()
            .enumerate()
            .map(|(i, r)| (Some(i), *r))
            .chain(std::iter::once((None, m.p_hide_other)))
            .collect::<Vec<_>>()
    });
    view! {
        <button class="link-button" type="button" on:click=move |_| open.set(true)>{move || t().p_hide}</button>
        <Confirm open
            title=Signal::derive(move || t().p_hide_title.to_owned())
            body=Signal::derive(move || t().p_hide_body.to_owned())
            confirm=Signal::derive(move || t().p_hide)
            cancel=Signal::derive(move || i18n.t().cancel)
            testid="confirm-hide"
            on_confirm=move || {
                let reason = match choice.get_untracked() {
                    Some(i) => t().p_hide_reasons.get(i).copied().unwrap_or_default().to_owned(),
                    None => typed.get_untracked(),
                };
                let hide = Act::Hide(HideComment { comment, reason: reason.into() });
                // A reason typed wrong (empty, too long): ask again, with the field marked.
                if act.check(&hide.clone().into()) {
                    act.send(hide);
                } else {
                    open.set(true);
                }
            }>
            <Choice legend=Signal::derive(move || t().p_hide_reason_label) options=reasons value=choice/>
            <Show when=move || choice.get().is_none()>
                <TextField label=Signal::derive(move || t().p_hide_other) name="reason" value=typed max=MAX_REASON
                    check=act.field("comment.hide/reason")/>
            </Show>
        </Confirm>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, Texts};

    fn tally(counts: [u32; 3], eligible: u32, outcome: Outcome) -> Tally {
        Tally {
            eligible,
            cast: counts.iter().sum(),
            counts: counts.to_vec(),
            outcome,
        }
    }

    #[test]
    fn each_outcome_says_why() {
        let zh = CouncilText::of(Lang::ZhCn);
        // The example: 513 for, 406 against, 423 abstain → not passed.
        let rejected = tally([513, 406, 423], 3000, Outcome::Rejected);
        assert_eq!(
            why(zh, &rejected, Threshold::Simple, 40),
            "赞成 513 票，需要超过全部 1342 票（弃权也计入）的一半：没有达到，未通过。"
        );
        let no_quorum = tally([300, 50, 30], 1000, Outcome::NoQuorum);
        assert_eq!(
            why(zh, &no_quorum, Threshold::Simple, 40),
            "参与 380 / 1000（38%），没有达到法定参与比例 40%，表决无效。"
        );
        let en = CouncilText::of(Lang::En);
        let passed = tally([20, 5, 5], 40, Outcome::Passed);
        assert_eq!(
            why(en, &passed, Threshold::TwoThirds, 50),
            "20 yes of 30 votes cast (abstentions count): two thirds are needed — reached, passed."
        );
    }
}
