//! 首页 — Home. Before joining: what Linli is, and the two ways in (create or join). After:
//! the community at a glance and the ballots waiting for this member's vote.
//!
//! It is in the first part and reads only the session's digest — what the stored record
//! says at once, then what the engine computes live — so it is usable before any event is
//! read back.

use leptos::prelude::*;
use leptos_router::components::A;
use linli_domain::Role;

use crate::boot::LargeText;
use crate::components::{date_time, turnout_text, EmptyState, IconKind, Left};
use crate::first_paint;
use crate::i18n::home::HomeText;
use crate::i18n::{use_i18n, use_texts};
use crate::session::{use_session, Digest};

/// The home section.
#[component]
pub fn Home() -> impl IntoView {
    let t = use_texts::<HomeText>();
    let session = use_session();
    let (digest, started) = (session.digest, session.started);
    // An invitation (or follow) link opens the app at its root: go on to the join page —
    // also when the link is opened in a tab already showing the home screen.
    let navigate = leptos_router::hooks::use_navigate();
    let follow_link = move || {
        let hash = window().location().hash().unwrap_or_default();
        if hash.starts_with("#e=") {
            let navigate = navigate.clone();
            request_animation_frame(move || navigate(&format!("/join{hash}"), Default::default()));
        }
    };
    follow_link();
    let listener = window_event_listener(leptos::ev::hashchange, move |_| follow_link());
    on_cleanup(move || listener.remove());
    // Keep the screen as drawn for the next start's first paint.
    let i18n = use_i18n();
    let large_text = expect_context::<LargeText>().0;
    Effect::new(move |_| {
        digest.track();
        let (lang, large) = (i18n.lang.get(), large_text.get());
        if started.get() {
            request_animation_frame(move || first_paint::keep(lang.tag(), large));
        }
    });
    view! {
        <h1 class="page__title">{move || t().title}</h1>
        {move || match digest.get() {
            None if !started.get() => view! { <p class="card__muted">{t().loading}</p> }.into_any(),
            None => view! {
                <EmptyState
                    icon=IconKind::Home
                    title=Signal::derive(move || t().empty_title)
                    body=Signal::derive(move || t().empty_body)
                    items=Signal::derive(move || t().empty_steps)
                />
                <div class="actions">
                    <A href="/join" attr:class="button">{move || t().join}</A>
                    <A href="/create" attr:class="button button--secondary">{move || t().create}</A>
                </div>
            }.into_any(),
            Some(d) => view! { <Community d/> }.into_any(),
        }}
    }
}

#[component]
fn Community(d: Digest) -> impl IntoView {
    let t = use_texts::<HomeText>();
    let i18n = use_i18n();
    let s = d.snapshot;
    // The domain's answer to "may this member invite a neighbour?".
    let can_invite = s.role.is_some_and(|r| r.may_invite(Role::Resident));
    let staff = s.role.is_some_and(|r| r.is_staff());
    let now = js_sys::Date::now() as i64;
    // The next meeting still ahead or under way (three hours after it starts).
    let meeting = s
        .meetings
        .iter()
        .find(|m| m.at + 3 * 3_600_000 > now)
        .cloned();
    view! {
        <section class="card" data-testid="community" data-loaded=d.live.to_string()>
            <h2 class="card__title">{d.name}</h2>
            <dl class="kv">
                <dt>{move || t().members}</dt>
                <dd data-testid="member-count">{s.members}</dd>
                <dt>{move || t().your_role}</dt>
                <dd>{move || match s.role {
                    Some(r) => i18n.t().role(r),
                    None if s.stopped => t().stopped,
                    None if s.following => t().following,
                    None if d.live => t().pending,
                    None => t().loading,
                }}</dd>
            </dl>
            {s.refuted.then(|| view! {
                <p class="field__error" role="alert" data-testid="history-refuted">
                    {move || t().refuted}" "<A href="/sync">{move || t().refuted_fix}</A>
                </p>
            })}
            {s.unchecked.then(|| view! {
                <p class="card__muted" role="status" data-testid="history-unchecked">{move || t().unchecked}</p>
            })}
        </section>
        {meeting.map(|m| view! {
            <section class="card" data-testid="next-meeting">
                <h2 class="card__title">{move || t().next_meeting}</h2>
                <A href=format!("/meetings/{}", m.id) attr:class="plist__item">
                    <span class="plist__title">{m.title}</span>
                    <span class="plist__meta">
                        {date_time(m.at as f64)}
                        {(!m.place.is_empty()).then(|| format!(" · {}", m.place))}
                    </span>
                </A>
            </section>
        })}
        {(!s.quick_rules.is_empty()).then(|| view! {
            <section class="card" data-testid="quick-award">
                <h2 class="card__title">{move || t().quick_award}</h2>
                <p class="card__muted">{move || t().quick_award_hint}</p>
                <div class="rule-grid">
                    {s.quick_rules.into_iter().map(|r| {
                        let label = format!("{} {}", r.title, crate::pages::points::signed(r.points));
                        let class = if r.points < 0 { "rule-grid__rule rule-grid__rule--minus" } else { "rule-grid__rule" };
                        view! { <A href=format!("/points/award?r={}", r.id) attr:class=class>{label}</A> }
                    }).collect_view()}
                </div>
            </section>
        })}
        {(!s.to_vote.is_empty()).then(|| view! {
            <section class="card" data-testid="to-vote">
                <h2 class="card__title">{move || t().to_vote}</h2>
                <ul class="plist">
                    {s.to_vote.into_iter().map(|b| view! {
                        <li>
                            <A href=format!("/council/{}", b.id) attr:class="plist__item">
                                <span class="plist__title">{b.title}</span>
                                <span class="plist__meta">
                                    {b.category}
                                    {b.voted.then(|| view! { <span class="tag" data-testid="voted">{move || t().voted}</span> })}
                                </span>
                                <span class="plist__meta" data-testid="ballot-progress">
                                    {move || turnout_text(i18n.t(), b.cast, b.eligible)}
                                    {b.ends.map(|e| {
                                        let left = Left::until(e, now);
                                        view! { " · "<span class:overdue=left == Left::Past>{move || left.text(i18n.t())}</span> }
                                    })}
                                </span>
                            </A>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!s.polls.is_empty()).then(|| view! {
            <section class="card" data-testid="to-answer">
                <h2 class="card__title">{move || t().to_answer}</h2>
                <ul class="plist">
                    {s.polls.into_iter().map(|p| {
                        let left = Left::until(p.closes, now);
                        view! {
                            <li>
                                <A href=format!("/polls/{}", p.id) attr:class="plist__item">
                                    <span class="plist__title">{p.question}</span>
                                    <span class="plist__meta">{move || left.text(i18n.t())}</span>
                                </A>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
        <div class="actions">
            {can_invite.then(|| view! {
                <A href="/invite" attr:class="button">{move || t().invite}</A>
            })}
            <A href="/help" attr:class="button button--secondary">{move || t().help}</A>
            <A href="/polls" attr:class="button button--secondary">{move || t().polls}</A>
            <A href="/board" attr:class="button button--secondary">{move || t().board}</A>
            <A href="/members" attr:class="button button--secondary">{move || t().member_list}</A>
            {staff.then(|| view! {
                <A href="/ledger" attr:class="button button--secondary">{move || t().ledger}</A>
            })}
        </div>
    }
}
