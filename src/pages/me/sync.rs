//! 同步与数据 — sync and data: what this device holds, the state check code every device of
//! the community should agree on, sync on demand, and files for when there is no network.

use leptos::prelude::*;
use linli_domain::Code;
use wasm_bindgen::JsCast;

use crate::boot::store_error_text;
use crate::components::short_time;
use crate::engine::files::{download, export_all, export_unsent, import, ImportError};
use crate::engine::{schedule, with, ActError};
use crate::hooks::{act_error_text, code_text, with_community};
use crate::i18n::me::MeText;
use crate::i18n::{use_i18n, use_texts};
use crate::session::{use_session, SyncFault, SyncStatus};
use crate::store::StoreError;
use crate::sync::SyncError;

/// What the page shows about the community.
#[derive(Clone, Debug, PartialEq)]
struct Held {
    state_hash: String,
    events: usize,
    accepted: u64,
    rejected: usize,
    unsent: usize,
    last_sync_ms: Option<f64>,
    endpoint: String,
    /// Where own events are posted, when not `endpoint`.
    push: Option<String>,
    space: String,
    device: String,
    key_kind: &'static str,
    /// Own events the hub refused for good: id and code.
    refused: Vec<(String, String)>,
    /// The checkpoint this phone started from was found false: why.
    refuted: Option<String>,
    /// Checkpoints found false and left: key and why.
    distrusted: Vec<(String, String)>,
}

/// The sync and data page.
#[component]
pub fn Sync() -> impl IntoView {
    let t = use_texts::<MeText>();
    let i18n = use_i18n();
    let session = use_session();
    let held = RwSignal::new(None::<Held>);
    let message = RwSignal::new(None::<String>);
    // Re-read whenever the events or the sync state change. The state hash is computed only
    // while this page is open (it serializes the whole state).
    Effect::new(move |_| {
        session.revision.track();
        session.status.track();
        leptos::task::spawn_local(async move {
            let h = with_community(session, |c| Held {
                state_hash: c.state_hash(),
                events: c.space().len(),
                accepted: c.space().state().accepted,
                rejected: c.space().state().rejected_count(),
                unsent: c.unsent,
                last_sync_ms: c.record.last_sync_ms,
                endpoint: c.record.endpoint.clone(),
                push: c.record.push.clone().filter(|p| *p != c.record.endpoint),
                space: c.record.space.clone(),
                device: c.record.device.clone(),
                key_kind: c.signer.kind(),
                refused: c
                    .record
                    .refused
                    .iter()
                    .map(|r| (r.id.clone(), r.code.clone()))
                    .collect(),
                refuted: c.record.base.as_ref().and_then(|b| b.refuted.clone()),
                distrusted: c
                    .record
                    .distrusted
                    .iter()
                    .map(|d| (d.checkpoint.clone(), d.reason.clone()))
                    .collect(),
            })
            .await;
            // Only when something changed: redrawing the cards would replace a button under
            // the resident's finger.
            if held.with_untracked(|old| *old != h) {
                held.set(h);
            }
        });
    });

    let sync_now = move |_| leptos::task::spawn_local(schedule::sync_now(session));
    // The refusals have been read: forget them (the events stay in the log as evidence).
    let dismiss = move |_| {
        leptos::task::spawn_local(async move {
            let result = with(session, async |c, store| {
                c.record.refused.clear();
                c.record.snapshot.refused = 0;
                store.put_space(&c.record).await.map_err(ActError::from)
            })
            .await;
            if let Err(e) = result {
                message.set(Some(act_error_text(i18n.t(), &e).to_owned()));
            }
            session.changed();
        });
    };
    // Leave a checkpoint found false for the history checked from the genesis.
    let adopting = RwSignal::new(false);
    let adopt = move |_| {
        if adopting.get_untracked() {
            return;
        }
        adopting.set(true);
        message.set(None);
        leptos::task::spawn_local(async move {
            let result = match crate::engine::held(session) {
                Some(h) => crate::engine::history::adopt_full(&h).await,
                None => Ok(()),
            };
            adopting.set(false);
            if let Err(e) = result {
                let m = t();
                message.set(Some(match e {
                    SyncError::Unreachable(_) => m.sync_unreachable.to_owned(),
                    SyncError::TimedOut(_) => m.sync_timed_out.to_owned(),
                    SyncError::Store(e) => store_error_text(i18n.t(), &e).to_owned(),
                    _ => m.sync_damaged.to_owned(),
                }));
            }
            crate::engine::refresh(session).await;
            session.changed();
        });
    };
    let export = move |all: bool| {
        leptos::task::spawn_local(async move {
            let result = with(session, async |c, store| {
                if all {
                    Ok(export_all(c))
                } else {
                    export_unsent(store, c).await
                }
            })
            .await;
            let name = held.with_untracked(|h| h.as_ref().map(|h| h.space[..8].to_owned()));
            match result {
                Ok((_, 0)) => message.set(Some(t().diag_nothing_unsent.to_owned())),
                Ok((text, _)) => {
                    let kind = if all { "all" } else { "unsent" };
                    let name = name.unwrap_or_default();
                    let _ = download(&format!("linli-{name}-{kind}.json"), &text);
                }
                Err(e) => message.set(Some(act_error_text(i18n.t(), &e).to_owned())),
            }
        });
    };
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            let Some(text) = text.ok().and_then(|t| t.as_string()) else {
                message.set(Some(t().import_bad_file.to_owned()));
                return;
            };
            let result = with(session, async |c, store| {
                match import(store, c, &text).await {
                    Ok(r) => Ok(Ok(r)),
                    Err(ImportError::NotAFile(_)) => Ok(Err(())),
                    Err(ImportError::Act(e)) => Err::<_, ActError>(e),
                }
            })
            .await;
            let m = t();
            match result {
                Ok(Ok(r)) => message.set(Some(format!(
                    "{} {} · {} {} · {} {}",
                    m.import_added,
                    r.added,
                    m.import_duplicate,
                    r.duplicate,
                    m.import_rejected,
                    r.rejected
                ))),
                Ok(Err(())) => message.set(Some(m.import_bad_file.to_owned())),
                Err(e) => message.set(Some(act_error_text(i18n.t(), &e).to_owned())),
            }
            schedule::sync_now(session).await;
        });
    };

    // Why the last sync did not finish, in plain words, and that nothing was lost (still
    // shown while the next attempt runs).
    let problem = move || {
        let m = t();
        let said = match session.outcome.get() {
            SyncStatus::Unreachable => m.sync_unreachable.to_owned(),
            SyncStatus::Failed(fault) => match fault {
                SyncFault::TimedOut => m.sync_timed_out.to_owned(),
                SyncFault::Http(429) => m.sync_busy.to_owned(),
                SyncFault::Http(status) if status >= 500 => {
                    m.sync_server_fault.replace("{status}", &status.to_string())
                }
                SyncFault::Http(status) => m.sync_refused.replace("{status}", &status.to_string()),
                SyncFault::Damaged => m.sync_damaged.to_owned(),
                SyncFault::Rollback { listed, seen } => m
                    .sync_rollback
                    .replace("{listed}", &listed.to_string())
                    .replace("{seen}", &seen.to_string()),
                SyncFault::Store(StoreError::Quota(_)) => m.sync_quota.to_owned(),
                SyncFault::Store(e) => store_error_text(i18n.t(), &e).to_owned(),
            },
            _ => return None,
        };
        let unsent = held.with(|h| h.as_ref().map_or(0, |h| h.unsent));
        let kept = if unsent > 0 {
            m.sync_kept_unsent.replace("{n}", &unsent.to_string())
        } else {
            m.sync_kept.to_owned()
        };
        Some(view! {
            <section class="card" data-testid="sync-problem" role="status">
                <p>{said}</p>
                <p class="card__muted">{kept}</p>
            </section>
        })
    };

    view! {
        <h1 class="page__title">{move || t().diag_title}</h1>
        {problem}
        {move || held.get().map(|c| view! {
            <section class="card">
                <dl class="kv kv--wide">
                    <dt>{t().diag_state}</dt><dd class="mono" data-testid="state-hash">{c.state_hash.clone()}</dd>
                    <dt>{t().diag_events}</dt><dd data-testid="event-count">{c.events}</dd>
                    <dt>{t().diag_accepted}</dt><dd>{c.accepted}</dd>
                    <dt>{t().diag_rejected}</dt><dd>{c.rejected}</dd>
                    <dt>{t().diag_unsent}</dt><dd data-testid="unsent">{c.unsent}</dd>
                    <dt>{t().diag_last_sync}</dt>
                    <dd>{c.last_sync_ms.map(short_time).unwrap_or_else(|| t().diag_never.to_owned())}</dd>
                    <dt>{t().diag_endpoint}</dt><dd class="mono">{c.endpoint.clone()}</dd>
                    {c.push.clone().map(|p| view! {
                        <dt>{t().diag_push}</dt><dd class="mono" data-testid="push-address">{p}</dd>
                    })}
                    <dt>{t().diag_space}</dt><dd class="mono">{c.space.get(..16).unwrap_or("").to_owned()}"…"</dd>
                    <dt>{t().diag_device}</dt><dd class="mono">{c.device.get(..16).unwrap_or("").to_owned()}"…"</dd>
                    <dt>{t().diag_key_kind}</dt>
                    <dd>{match c.key_kind { "webcrypto" => t().key_webcrypto, _ => t().key_seed }}</dd>
                </dl>
                <button class="button button--wide" type="button" on:click=sync_now>{t().diag_sync_now}</button>
            </section>
        })}
        {move || held.get().and_then(|h| h.refuted).map(|why| view! {
            <section class="card" data-testid="checkpoint-refuted">
                <h2 class="card__title">{t().refuted_title}</h2>
                <p>{t().refuted_body}</p>
                <p class="card__muted mono">{why}</p>
                <button class="button button--wide" type="button" on:click=adopt disabled=move || adopting.get()>
                    {move || if adopting.get() { t().refuted_adopting } else { t().refuted_adopt }}
                </button>
            </section>
        })}
        {move || held.get().filter(|h| !h.distrusted.is_empty()).map(|h| view! {
            <section class="card" data-testid="checkpoint-distrusted">
                <h2 class="card__title">{t().distrusted_title}</h2>
                <p class="card__muted">{t().distrusted_body}</p>
                <ul class="plist">
                    {h.distrusted.into_iter().map(|(key, why)| view! {
                        <li class="plist__item">
                            <span class="plist__title mono">{key.get(..12).unwrap_or("").to_owned()}</span>
                            <span class="plist__meta">{why}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {move || held.get().filter(|h| !h.refused.is_empty()).map(|h| view! {
            <section class="card" data-testid="refused">
                <h2 class="card__title">{t().refused_title}</h2>
                <p class="card__muted">{t().refused_body}</p>
                <ul class="plist">
                    {h.refused.into_iter().map(|(id, code)| view! {
                        <li class="plist__item">
                            <span class="plist__title">{Code::parse(&code).map_or(i18n.t().err_rejected, |c| code_text(i18n.t(), c))}</span>
                            <span class="plist__meta mono">{id.get(..12).unwrap_or("").to_owned()}</span>
                        </li>
                    }).collect_view()}
                </ul>
                <button class="button button--secondary button--wide" type="button" on:click=dismiss>{t().refused_dismiss}</button>
            </section>
        })}
        <section class="card">
            <p class="card__muted">{move || t().diag_files_hint}</p>
            <div class="actions">
                <button class="button button--secondary" type="button" on:click=move |_| export(false)>{move || t().diag_export_unsent}</button>
                <button class="button button--secondary" type="button" on:click=move |_| export(true)>{move || t().diag_export_all}</button>
                <label class="button button--secondary">
                    {move || t().diag_import}
                    <input type="file" accept="application/json,.json" class="visually-hidden" on:change=on_file/>
                </label>
            </div>
            {move || message.get().map(|m| view! { <p class="card__muted" role="status" data-testid="diag-message">{m}</p> })}
        </section>
    }
}
