//! 议事会会议 — council meetings: scheduling (with a check-in code shown as text and QR on the
//! organiser's phone), check-in, attendance, minutes, and the minutes for the wall board.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use linli_domain::Role;
use serde_json::json;

use crate::app::StoreHandle;
use crate::community::ActError;
use crate::components::Qr;
use crate::i18n::use_i18n;
use crate::pages::common::{act_error_text, run, short_date, short_time, store};
use crate::session::{MeetingDetail, Session};
use crate::store::keys::random_bytes;

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

/// The schedule form.
#[component]
pub fn NewMeeting() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = expect_context::<Session>();
    let handle = expect_context::<StoreHandle>();
    let navigate = use_navigate();
    let title = RwSignal::new(String::new());
    let at = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if title.get_untracked().trim().is_empty() {
            error.set(Some(i18n.t().err_required));
            return;
        }
        let when = js_sys::Date::parse(&at.get_untracked());
        let when = if when.is_nan() {
            js_sys::Date::now()
        } else {
            when
        };
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let result = async {
                let store = store(handle)?;
                let code = new_code()?;
                let payload = json!({
                    "title": title.get_untracked().trim(), "at": when as i64,
                    "place": place.get_untracked().trim(),
                    "code_hash": linli_domain::council::code_hash(&code).to_hex()
                });
                let e = session
                    .with(async |c| c.act(&store, "meeting.schedule", &payload).await)
                    .await?
                    .ok_or(ActError::Invalid("community"))?;
                store.put(&code_key(&e.id.to_hex()), &code).await?;
                session.sync_now(&store).await;
                Ok::<_, ActError>(e.id.to_hex())
            }
            .await;
            match result {
                Ok(id) => navigate(&format!("/meetings/{id}"), Default::default()),
                Err(e) => error.set(Some(act_error_text(i18n.t(), &e))),
            }
        });
    };
    view! {
        <h1 class="page__title">{move || t().m_new}</h1>
        <form class="form" on:submit=submit novalidate>
            <label class="field">
                <span class="field__label">{move || t().m_title_field}</span>
                <input class="field__input" name="title" maxlength="100" bind:value=title/>
            </label>
            <label class="field">
                <span class="field__label">{move || t().m_at_field}</span>
                <input class="field__input" name="at" type="datetime-local" bind:value=at/>
            </label>
            <label class="field">
                <span class="field__label">{move || t().m_place_field}</span>
                <input class="field__input" name="place" maxlength="100" bind:value=place/>
            </label>
            {move || error.get().map(|e| view! { <p class="field__error" role="alert">{e}</p> })}
            <button class="button button--wide" type="submit">{move || t().m_submit}</button>
        </form>
    }
}

/// A meeting's page.
#[component]
pub fn Meeting() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = expect_context::<Session>();
    let handle = expect_context::<StoreHandle>();
    let params = use_params_map();
    let detail = RwSignal::new(None::<MeetingDetail>);
    let loaded = RwSignal::new(false);
    let code = RwSignal::new(None::<String>);
    let typed = RwSignal::new(String::new());
    let minutes = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    Effect::new(move |_| {
        session.view.track();
        let id = params.with(|p| p.get("id").unwrap_or_default());
        leptos::task::spawn_local(async move {
            detail.set(session.meeting(&id).await);
            loaded.set(true);
            if let Some(store) = handle.get() {
                code.set(store.get::<String>(&code_key(&id)).await.ok().flatten());
            }
        });
    });
    let role = move || session.view.with(|v| v.as_ref().and_then(|v| v.role));
    let may_minute = move || matches!(role(), Some(Role::Admin | Role::Council | Role::Worker));
    let act = move |kind: &'static str, payload: serde_json::Value| {
        run(session, handle, error, i18n, kind, payload)
    };
    view! {
        {move || error.get().map(|e| view! { <p class="field__error" role="alert">{e}</p> })}
        {move || match detail.get() {
            None => view! {
                <h1 class="page__title">{move || t().m_section}</h1>
                <p class="card__muted">{move || if loaded.get() { t().m_not_found } else { t().home_loading }}</p>
            }.into_any(),
            Some(m) => {
                let tt = t();
                let id = m.id.clone();
                let open = m.minutes.is_none();
                view! {
                    <h1 class="page__title">{m.title.clone()}</h1>
                    <section class="card">
                        <dl class="kv">
                            <dt>{tt.m_at_field}</dt><dd>{short_date(m.at as f64)}" "{short_time(m.at as f64)}</dd>
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
                    {(open && role().is_some()).then(|| {
                        let id = id.clone();
                        view! {
                            <section class="card">
                                {if m.checked_in {
                                    view! { <p data-testid="checked-in">{tt.m_checked_in}</p> }.into_any()
                                } else {
                                    view! {
                                        <input class="field__input" name="code" autocomplete="off" bind:value=typed placeholder=tt.m_code_placeholder/>
                                        <button class="button button--wide" type="button" on:click=move |_| {
                                            let c = typed.get_untracked().trim().to_uppercase();
                                            if !c.is_empty() {
                                                act("meeting.checkin", json!({"meeting": id.clone(), "code": c}));
                                            }
                                        }>{tt.m_checkin}</button>
                                    }.into_any()
                                }}
                            </section>
                        }
                    })}
                    <section class="card">
                        <h2 class="card__title">{tt.m_attendance}" ("{m.attendance.len()}")"</h2>
                        <p>{m.attendance.join("、")}</p>
                    </section>
                    <section class="card">
                        <h2 class="card__title">{tt.m_minutes}</h2>
                        {match m.minutes.clone() {
                            Some(text) => {
                                let href = format!("/meetings/{}/print", m.id);
                                view! {
                                    <p class="prewrap" data-testid="minutes">{text}</p>
                                    <leptos_router::components::A href=href attr:class="button button--secondary">{tt.m_print}</leptos_router::components::A>
                                }.into_any()
                            }
                            None if may_minute() => {
                                let id = id.clone();
                                view! {
                                    <textarea class="field__input field__input--area" name="minutes" rows="5" bind:value=minutes placeholder=tt.m_minutes_placeholder></textarea>
                                    <button class="button button--wide" type="button" on:click=move |_| {
                                        let text = minutes.get_untracked();
                                        if !text.trim().is_empty() {
                                            act("meeting.minutes", json!({"meeting": id.clone(), "text": text}));
                                        }
                                    }>{tt.m_minutes_send}</button>
                                }.into_any()
                            }
                            None => view! { <p class="card__muted">"—"</p> }.into_any(),
                        }}
                    </section>
                }.into_any()
            }
        }}
    }
}

/// 会议纪要 for the wall board: title, time, place, attendance count, the minutes.
#[component]
pub fn PrintMeeting() -> impl IntoView {
    let i18n = use_i18n();
    let session = expect_context::<Session>();
    let params = use_params_map();
    let detail = RwSignal::new(None::<MeetingDetail>);
    Effect::new(move |_| {
        session.view.track();
        let id = params.with(|p| p.get("id").unwrap_or_default());
        leptos::task::spawn_local(async move { detail.set(session.meeting(&id).await) });
    });
    let community = move || {
        session
            .view
            .with(|v| v.as_ref().map(|v| v.name.clone()).unwrap_or_default())
    };
    view! {
        {move || detail.get().map(|m| {
            let t = i18n.t();
            view! {
                <article class="notice" data-testid="notice">
                    <p class="notice__org">{community()}</p>
                    <h1 class="notice__title">{t.m_minutes}</h1>
                    <h2>{m.title.clone()}</h2>
                    <p>{short_date(m.at as f64)}" "{short_time(m.at as f64)}" · "{m.place.clone()}</p>
                    <p>{t.m_attendance}" "{m.attendance.len()}</p>
                    <p class="prewrap">{m.minutes.clone().unwrap_or_default()}</p>
                    <button class="button no-print" type="button" on:click=move |_| { let _ = window().print(); }>{t.m_print}</button>
                </article>
            }
        })}
    }
}
