//! An activity's page. For a volunteer: what, when, where, the slots and the wait list, sign
//! up or withdraw (with their place in line), and on the day check-in by scanning the
//! worker's QR code (or pasting it) and check-out. For staff: the QR code (redrawn every 30 s),
//! the roster with names to tick in and out, the matcher's ranked candidates with reasons and
//! its suggestion ticked (one tap assigns it; untick or tick to adjust), the hours link and
//! cancellation.

use leptos::prelude::*;
use leptos_router::components::A;
use linli_domain::volunteers::act::{ActivityRef, Assign, CancelActivity, Presence, MAX_REASON};
use linli_domain::volunteers::{self, ActivityStatus};
use linli_domain::{EventId, MemberId};

use super::view::{detail, match_one, qr_text, read_qr, Detail, Mine, QrError, Refused};
use super::{hours, when};
use crate::clock::{now_ms, sleep};
use crate::components::{short_date, short_time, Confirm, FormError, Qr, TextArea};
use crate::hooks::{code_text, use_act, use_route_id, use_view, Acting};
use crate::i18n::volunteer::VolunteerText;
use crate::i18n::{fill, use_i18n, use_texts};

/// The page.
#[component]
pub fn ActivityPage() -> impl IntoView {
    let t = use_texts::<VolunteerText>();
    let i18n = use_i18n();
    let id = use_route_id();
    let d = use_view(move |s, me| id.get().and_then(|id| detail(s, me, &id, now_ms() as i64)));
    let act = use_act();
    view! {
        <FormError error=act.error/>
        {move || match d.get() {
            None => view! {
                <h1 class="page__title">{t().title}</h1>
                <p class="card__muted">{i18n.t().loading}</p>
            }.into_any(),
            Some(None) => view! {
                <h1 class="page__title">{t().title}</h1>
                <p class="card__muted">{t().not_found}</p>
            }.into_any(),
            Some(Some(d)) => view! { <Page d act/> }.into_any(),
        }}
    }
}

#[component]
fn Page(d: Detail, act: Acting) -> impl IntoView {
    let t = use_texts::<VolunteerText>();
    let i18n = use_i18n();
    let tt = t();
    let r = d.row.clone();
    let id = r.id;
    let open = r.status == ActivityStatus::Open;
    let withdraw_open = RwSignal::new(false);
    let aref = ActivityRef { activity: id };
    let signup = {
        let a = aref.clone();
        move |_| act.send(volunteers::Act::Signup(a.clone()))
    };
    let withdraw = move || act.send(volunteers::Act::Withdraw(aref.clone()));
    let me = d.me;
    let free = r.slots.saturating_sub(r.confirmed as u32);
    view! {
        <h1 class="page__title">{r.title.clone()}</h1>
        <section class="card" data-testid="activity">
            <p>{when(r.start, r.end)}{(!r.place.is_empty()).then(|| format!(" · {}", r.place))}</p>
            {(!d.grid.is_empty()).then(|| view! { <p class="card__muted">{d.grid.clone()}</p> })}
            <p class="activity__tags">
                <span class="tag" data-testid="slots">{fill(tt.slots, &[("n", &r.confirmed), ("slots", &r.slots)])}</span>
                {(r.waiting > 0).then(|| view! { <span class="tag">{fill(tt.waiting_n, &[("n", &r.waiting)])}</span> })}
                {r.per_hour.map(|p| view! { <span class="tag">{fill(tt.per_hour, &[("n", &p)])}</span> })}
            </p>
            {(!d.skills.is_empty()).then(|| view! { <p class="card__muted">{tt.skills_needed}"：" {d.skills.join("、")}</p> })}
            {(!d.body.is_empty()).then(|| view! { <p class="prewrap">{d.body.clone()}</p> })}
            {(!open).then(|| view! { <p class="notice-line notice-line--warn" data-testid="cancelled">{fill(tt.cancelled_because, &[("reason", &d.cancel_reason)])}</p> })}
            {match r.mine {
                Mine::Confirmed => Some(view! { <p class="notice-line" data-testid="mine">{tt.signed_up}</p> }.into_any()),
                Mine::Waiting(n) => Some(view! { <p class="notice-line notice-line--warn" data-testid="mine">{fill(tt.waitlisted, &[("n", &n)])}</p> }.into_any()),
                Mine::No => None,
            }}
            {d.refused.map(|(which, code)| {
                let what = match which {
                    Refused::Signup => tt.signup,
                    Refused::Withdraw => tt.withdraw,
                    Refused::Checkin => tt.checkin_send,
                    Refused::Checkout => tt.checkout,
                };
                let why = code_text(i18n.t(), code);
                view! { <p class="notice-line notice-line--warn" role="status" data-testid="refused">{fill(tt.refused, &[("what", &what), ("why", &why)])}</p> }
            })}
            {d.presence.0.map(|ts| view! { <p class="card__muted" data-testid="checked-in">{fill(tt.checked_in, &[("time", &short_time(ts as f64))])}</p> })}
            {d.presence.1.map(|ts| view! { <p class="card__muted" data-testid="checked-out">{fill(tt.checked_out, &[("time", &short_time(ts as f64))])}</p> })}
            <div class="actions">
                {d.can_signup.then(|| view! {
                    <button class="button" type="button" data-testid="signup" disabled=move || act.busy.get() on:click=signup>
                        {if free > 0 { tt.signup } else { tt.signup_wait }}
                    </button>
                })}
                {d.can_withdraw.then(|| view! {
                    <button class="button button--secondary" type="button" data-testid="withdraw"
                        on:click=move |_| withdraw_open.set(true)>{tt.withdraw}</button>
                })}
                {d.can_checkout.then(|| view! {
                    <button class="button" type="button" data-testid="checkout" disabled=move || act.busy.get()
                        on:click=move |_| act.send(volunteers::Act::Checkout(Presence { activity: id, member: me }))>{tt.checkout}</button>
                })}
            </div>
            <Confirm open=withdraw_open
                title=Signal::derive(move || t().withdraw_title.to_owned())
                body=Signal::derive(move || t().withdraw_body.to_owned())
                confirm=Signal::derive(move || t().withdraw)
                cancel=Signal::derive(move || i18n.t().cancel)
                testid="confirm-withdraw"
                on_confirm=withdraw/>
        </section>
        {d.can_checkin.then(|| view! { <CheckIn activity=id me act/> })}
        {(d.staff && open).then(|| view! { <Staff d=d.clone() act/> })}
    }
}

/// The volunteer's check-in: the camera where the browser can read QR codes, or the code
/// pasted; checked against this activity and this phone's clock before anything is signed.
#[component]
fn CheckIn(activity: EventId, me: MemberId, act: Acting) -> impl IntoView {
    let t = use_texts::<VolunteerText>();
    let i18n = use_i18n();
    let code = RwSignal::new(String::new());
    // Why the code was refused before anything was signed (the code names no rule of the
    // community: these are the app's own checks).
    let refused = RwSignal::new(None::<String>);
    let send = move |text: String| {
        refused.set(None);
        match read_qr(&text, &activity, now_ms() as i64) {
            Ok(()) => act.send(volunteers::Act::Checkin(Presence {
                activity,
                member: me,
            })),
            Err(e) => refused.set(Some(match e {
                QrError::Bad => t().qr_bad.to_owned(),
                QrError::OtherActivity => t().qr_other_activity.to_owned(),
                QrError::Expired => t().qr_expired.to_owned(),
                QrError::ClockOff(n) => fill(t().clock_off, &[("n", &n.abs())]),
            })),
        }
    };
    let video = NodeRef::<leptos::html::Video>::new();
    let scanning = RwSignal::new(false);
    let scan = move |_| {
        scanning.set(true);
        leptos::task::spawn_local(async move {
            let wanted = |t: &str| t.starts_with("linli:checkin:");
            match crate::pages::roster::scan::scan_until(video, scanning, wanted).await {
                Ok(Some(text)) => send(text),
                Ok(None) => {}
                Err(()) => act.fail(t().no_camera),
            }
        });
    };
    view! {
        <section class="card" data-testid="checkin">
            <h2 class="card__title">{move || t().checkin}</h2>
            {crate::pages::roster::scan::available().then(|| view! {
                <button class="button button--wide" type="button" on:click=scan disabled=move || scanning.get()>{move || t().checkin}</button>
            })}
            <Show when=move || scanning.get()>
                <video class="scanner" node_ref=video playsinline=true aria-label=move || t().checkin></video>
                <button class="button button--secondary button--wide" type="button"
                    on:click=move |_| scanning.set(false)>{move || i18n.t().cancel}</button>
            </Show>
            <form class="form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                send(code.get_untracked());
            }>
                <TextArea label=Signal::derive(move || t().checkin_code) name="checkin-code" value=code rows=2/>
                {move || refused.get().map(|r| view! { <p class="field__error" role="alert" data-testid="checkin-refused">{r}</p> })}
                <button class="button button--secondary button--wide" type="submit" disabled=move || act.busy.get()>{move || t().checkin_send}</button>
            </form>
        </section>
    }
}

/// What staff see: the QR code, the matcher, the roster to tick, hours and cancellation.
#[component]
fn Staff(d: Detail, act: Acting) -> impl IntoView {
    let t = use_texts::<VolunteerText>();
    let i18n = use_i18n();
    let tt = t();
    let id = d.row.id;
    let now = now_ms() as i64;
    let qr_time = d.row.start - volunteers::PRESENCE_BEFORE_MS <= now
        && now <= d.row.end + volunteers::PRESENCE_AFTER_MS;
    // The code is redrawn every 30 s with the worker's clock.
    let drawn = RwSignal::new(now_ms() as i64);
    if qr_time {
        let alive = StoredValue::new(());
        leptos::task::spawn_local(async move {
            loop {
                sleep(30_000).await;
                if alive.try_get_value().is_none() {
                    break;
                }
                drawn.set(now_ms() as i64);
            }
        });
    }
    let cancel_open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let cancel = move || {
        act.send(volunteers::Act::Cancel(CancelActivity {
            activity: id,
            reason: reason.get_untracked().trim().into(),
        }))
    };
    let full = d.row.confirmed as u32 >= d.row.slots;
    let hours_href = format!("/volunteer/{}/hours", id.to_hex());
    let confirmed = d
        .people
        .iter()
        .filter(|p| p.mine == Mine::Confirmed)
        .count();
    view! {
        {qr_time.then(|| view! {
            <section class="card" data-testid="checkin-qr">
                <h2 class="card__title">{tt.qr_title}</h2>
                <p class="card__muted">{tt.qr_hint}</p>
                {move || {
                    let text = qr_text(&id, drawn.get());
                    view! {
                        <Qr text=text.clone() label=t().qr_title/>
                        <p class="linkbox" data-testid="checkin-code">{text}</p>
                    }
                }}
            </section>
        })}
        {(!full).then(|| view! { <MatchOne id act/> })}
        <section class="card" data-testid="people">
            <h2 class="card__title">{tt.people}</h2>
            {d.people.is_empty().then(|| view! { <p class="card__muted">{tt.people_none}</p> })}
            <ul class="plist">
                {d.people.iter().map(|p| {
                    let member = p.id;
                    view! {
                        <li class="invites__row" data-testid="person">
                            <span>
                                {p.name.clone()}" · "{p.household.clone()}<br/>
                                <span class="card__muted">
                                    {match p.mine {
                                        Mine::Waiting(n) => fill(tt.waiting_at, &[("n", &n)]),
                                        _ => String::new(),
                                    }}
                                    {p.checkin.map(|ts| fill(tt.checked_in, &[("time", &short_time(ts as f64))]))}
                                    {p.checkout.map(|ts| format!(" · {}", fill(tt.checked_out, &[("time", &short_time(ts as f64))])))}
                                    {p.minutes.map(|m| format!(" · {}", fill(tt.hours_done_row, &[("m", &m)])))}
                                </span>
                            </span>
                            <span class="actions">
                                {p.can_in.then(|| view! {
                                    <button class="link-button" type="button" data-testid="tick-in" disabled=move || act.busy.get()
                                        on:click=move |_| act.send(volunteers::Act::Checkin(Presence { activity: id, member }))>{tt.tick_in}</button>
                                })}
                                {p.can_out.then(|| view! {
                                    <button class="link-button" type="button" data-testid="tick-out" disabled=move || act.busy.get()
                                        on:click=move |_| act.send(volunteers::Act::Checkout(Presence { activity: id, member }))>{tt.tick_out}</button>
                                })}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <div class="actions">
                {(confirmed > 0 && d.row.start <= now).then(|| view! {
                    <A href=hours_href attr:class="button" attr:data-testid="hours-link">{tt.hours_link}</A>
                })}
                <button class="button button--secondary" type="button" data-testid="cancel-activity"
                    on:click=move |_| cancel_open.set(true)>{tt.cancel_activity}</button>
            </div>
            <Confirm open=cancel_open
                title=Signal::derive(move || t().cancel_activity.to_owned())
                confirm=Signal::derive(move || t().cancel_activity)
                cancel=Signal::derive(move || i18n.t().cancel)
                testid="confirm-cancel-activity"
                on_confirm=cancel>
                <TextArea label=Signal::derive(move || t().cancel_reason) name="reason" value=reason rows=2 max=MAX_REASON
                    check=act.field("activity.cancel/reason")/>
            </Confirm>
        </section>
    }
}

/// The matcher for one activity: ranked candidates with reasons, the optimal suggestion
/// ticked; one tap assigns what is ticked.
#[component]
fn MatchOne(id: EventId, act: Acting) -> impl IntoView {
    let t = use_texts::<VolunteerText>();
    let m = use_view(move |s, me| match_one(s, me, &id, now_ms() as i64));
    // Ticks the worker changed from the suggestion: (member, ticked).
    let changed = RwSignal::new(Vec::<(MemberId, bool)>::new());
    let ticked = move |member: MemberId, suggested: bool| {
        changed.with(|c| {
            c.iter()
                .rev()
                .find(|(m, _)| *m == member)
                .map_or(suggested, |(_, on)| *on)
        })
    };
    let chosen = move || -> Vec<MemberId> {
        m.get()
            .unwrap_or_default()
            .candidates
            .iter()
            .filter(|c| ticked(c.id, c.suggested))
            .map(|c| c.id)
            .collect()
    };
    let assign = move |_| {
        let members = chosen();
        if members.is_empty() {
            return;
        }
        act.send_then(
            volunteers::Act::Assign(Assign {
                activity: id,
                members,
            }),
            move |_| changed.set(Vec::new()),
        );
    };
    view! {
        <section class="card" data-testid="match">
            <h2 class="card__title">{move || t().match_title}</h2>
            {move || {
                let tt = t();
                let mm = m.get().unwrap_or_default();
                if mm.candidates.is_empty() {
                    return view! { <p class="card__muted">{tt.match_none}</p> }.into_any();
                }
                let n = chosen().len();
                let adjusted = !changed.with(Vec::is_empty);
                view! {
                    <p class="card__muted">{fill(tt.match_free, &[("n", &mm.free)])}</p>
                    <ul class="plist">
                        {mm.candidates.into_iter().map(|c| {
                            let (member, suggested) = (c.id, c.suggested);
                            let mut reasons = Vec::new();
                            if !c.skills.is_empty() {
                                reasons.push(fill(tt.reason_skills, &[("skills", &c.skills.join("、"))]));
                            }
                            reasons.push(tt.reason_free.to_owned());
                            if c.same_grid {
                                reasons.push(tt.reason_grid.to_owned());
                            }
                            if c.asked {
                                reasons.push(tt.reason_asked.to_owned());
                            }
                            reasons.push(fill(tt.reason_recent, &[("h", &hours(u64::from(c.recent_minutes)))]));
                            reasons.push(match c.last_served {
                                Some(ts) => fill(tt.reason_last, &[("date", &short_date(ts as f64))]),
                                None => tt.reason_never.to_owned(),
                            });
                            view! {
                                <li class="candidate" data-testid="candidate">
                                    <label class="candidate__pick">
                                        <input type="checkbox" prop:checked=move || ticked(member, suggested)
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                changed.update(|c| c.push((member, on)));
                                            }/>
                                        <span>
                                            <span class="candidate__name">{c.name}" · "{c.household}</span>
                                            <span class="card__muted candidate__why">{reasons.join(" · ")}</span>
                                        </span>
                                    </label>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <button class="button button--wide" type="button" data-testid="assign"
                        disabled=move || act.busy.get() || n == 0 on:click=assign>
                        {fill(if adjusted { tt.match_assign_some } else { tt.match_assign }, &[("n", &n)])}
                    </button>
                }.into_any()
            }}
        </section>
    }
}
