//! 议事会会议 — council meetings: scheduling (with a check-in code shown as text and QR on the
//! organiser's phone), check-in, attendance, minutes.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use linli_domain::council::act::{Checkin, Minutes, Schedule as ScheduleAct, MAX_TEXT, MAX_TITLE};
use linli_domain::council::{code_hash, Act};
use linli_domain::Command;

use super::view::{meeting, MeetingDetail};
use crate::components::{date_time, FormError, Issue, Qr, TextArea, TextField};
use crate::engine::ActError;
use crate::hooks::{use_act, use_detail, use_route_id, Acting, Detail};
use crate::i18n::council::CouncilText;
use crate::i18n::{use_i18n, use_texts};
use crate::session::use_session;
use crate::store::keys::random_bytes;
use linli_domain::wire::Problem;

/// Letters of check-in codes: no 0/O, 1/I/L, easy to read out (31 of them: about 40 bits in
/// eight).
const CODE_LETTERS: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A new check-in code: 8 characters.
fn new_code() -> Result<String, ActError> {
    let bytes = random_bytes::<8>()?;
    Ok(bytes
        .iter()
        .map(|b| CODE_LETTERS[usize::from(b % 31)] as char)
        .collect())
}

/// Where this device keeps the codes of the meetings it scheduled (never in an event).
fn code_key(meeting: &str) -> String {
    format!("meeting-code/{meeting}")
}

/// The meeting time's field (display only: the form's own requirement).
const AT: &str = "meeting.schedule/at";

/// The schedule form.
#[component]
pub fn Schedule() -> impl IntoView {
    let t = use_texts::<CouncilText>();
    let act = use_act();
    let navigate = use_navigate();
    let title = RwSignal::new(String::new());
    let at = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let when = js_sys::Date::parse(&at.get_untracked());
        if when.is_nan() {
            act.fail_field(AT, Issue::Problem(Problem::Missing));
            return;
        }
        let (title, place) = (title.get_untracked(), place.get_untracked());
        let session = act.session();
        let navigate = navigate.clone();
        act.run(
            async move {
                let code = new_code()?;
                let schedule = Command::Council(Act::Schedule(ScheduleAct {
                    title: title.trim().into(),
                    at: when as i64,
                    place: place.trim().into(),
                    code_hash: code_hash(&code),
                }));
                let e = crate::engine::act(session, schedule).await?;
                if let Some(store) = session.store() {
                    store.put(&code_key(&e.id.to_hex()), &code).await?;
                }
                Ok(e.id.to_hex())
            },
            move |id| navigate(&format!("/meetings/{id}"), Default::default()),
        );
    };
    view! {
        <h1 class="page__title">{move || t().m_new}</h1>
        <form class="form" on:submit=submit novalidate>
            <TextField label=Signal::derive(move || t().m_title_field) name="title" value=title max=MAX_TITLE
                check=act.field("meeting.schedule/title")/>
            <TextField label=Signal::derive(move || t().m_at_field) name="at" value=at kind="datetime-local"
                check=act.field(AT)/>
            <TextField label=Signal::derive(move || t().m_place_field) name="place" value=place max=MAX_TITLE/>
            <FormError error=act.error/>
            <button class="button button--wide" type="submit" disabled=move || act.busy.get()>{move || t().m_submit}</button>
        </form>
    }
}

/// A meeting's page.
#[component]
pub fn Meeting() -> impl IntoView {
    let t = use_texts::<CouncilText>();
    let i18n = use_i18n();
    let detail = use_detail(meeting);
    let act = use_act();
    // The check-in code, on the phone that scheduled the meeting.
    let code = RwSignal::new(None::<String>);
    let id = use_route_id();
    let session = use_session();
    Effect::new(move |_| {
        let Some(id) = id.get() else { return };
        let Some(store) = session.store() else { return };
        leptos::task::spawn_local(async move {
            code.set(
                store
                    .get::<String>(&code_key(&id.to_hex()))
                    .await
                    .ok()
                    .flatten(),
            );
        });
    });
    view! {
        <FormError error=act.error/>
        {move || match detail.get() {
            Detail::Loading => view! {
                <h1 class="page__title">{t().m_section}</h1>
                <p class="card__muted">{i18n.t().loading}</p>
            }.into_any(),
            Detail::Missing => view! {
                <h1 class="page__title">{t().m_section}</h1>
                <p class="card__muted">{t().m_not_found}</p>
            }.into_any(),
            Detail::Found(m) => view! { <Page m code act/> }.into_any(),
        }}
    }
}

#[component]
fn Page(m: MeetingDetail, code: RwSignal<Option<String>>, act: Acting) -> impl IntoView {
    let t = use_texts::<CouncilText>();
    let tt = t();
    let id = m.id;
    let open = m.minutes.is_none();
    let typed = RwSignal::new(String::new());
    let minutes = RwSignal::new(String::new());
    view! {
        <h1 class="page__title">{m.title.clone()}</h1>
        <section class="card">
            <dl class="kv">
                <dt>{tt.m_at_field}</dt><dd data-testid="meeting-time">{date_time(m.at as f64)}</dd>
                <dt>{tt.m_place_field}</dt><dd>{m.place.clone()}</dd>
                <dt>{tt.m_attendance}</dt><dd data-testid="attendance">{m.attendance.len()}</dd>
            </dl>
        </section>
        {move || code.get().filter(|_| open).map(|c| view! {
            <section class="card">
                <h2 class="card__title">{t().m_code}</h2>
                <p class="bigcode" data-testid="checkin-code">{c.clone()}</p>
                <p class="card__muted">{t().m_code_hint}</p>
                <Qr text=c label=t().m_code/>
            </section>
        })}
        {m.checked_in.then(|| view! { <section class="card"><p data-testid="checked-in">{tt.m_checked_in}</p></section> })}
        {m.actions.checkin.is_ok().then(|| view! {
            <section class="card">
                <TextField label=Signal::derive(move || t().m_code_placeholder) name="code" value=typed
                    check=act.field("meeting.checkin/code")/>
                <button class="button button--wide" type="button" on:click=move |_| {
                    let c = typed.get_untracked().trim().to_uppercase();
                    act.send(Act::Checkin(Checkin { meeting: id, code: c.into() }));
                }>{tt.m_checkin}</button>
            </section>
        })}
        <section class="card">
            <h2 class="card__title">{tt.m_attendance}" ("{m.attendance.len()}")"</h2>
            <p>{m.attendance.join("、")}</p>
        </section>
        <section class="card">
            <h2 class="card__title">{tt.m_minutes}</h2>
            {match m.minutes.clone() {
                Some(text) => view! {
                    <p class="prewrap" data-testid="minutes">{text}</p>
                    <A href=format!("/meetings/{}/print", id.to_hex()) attr:class="button button--secondary">{tt.m_print}</A>
                }.into_any(),
                None if m.actions.minutes.is_ok() => view! {
                    <TextArea label=Signal::derive(move || t().m_minutes_placeholder) name="minutes" value=minutes max=MAX_TEXT rows=5
                        check=act.field("meeting.minutes/text")/>
                    <button class="button button--wide" type="button" on:click=move |_| {
                        let text = minutes.get_untracked();
                        act.send(Act::Minutes(Minutes { meeting: id, text: text.into() }));
                    }>{tt.m_minutes_send}</button>
                }.into_any(),
                None => view! { <p class="card__muted">"—"</p> }.into_any(),
            }}
        </section>
    }
}
