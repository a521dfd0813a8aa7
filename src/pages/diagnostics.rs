//! 同步与数据 — sync and data: what this device holds, the state check code every device of
//! the community should agree on, sync on demand, and files for when there is no network.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::use_i18n;
use crate::pages::common::{act_error_text, short_time, store};
use crate::session::Session;
use crate::sync::files::{download, export_all, export_unsent, import, ImportError};

/// The diagnostics page.
#[component]
pub fn Diagnostics() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = expect_context::<Session>();
    let handle = expect_context::<crate::app::StoreHandle>();
    let v = session.view;
    let message = RwSignal::new(None::<String>);
    // The state hash is computed only while this page is open.
    session.hash_wanted.set(true);
    leptos::task::spawn_local(async move { session.refresh().await });
    on_cleanup(move || session.hash_wanted.set(false));

    let sync_now = move |_| {
        let s = session;
        leptos::task::spawn_local(async move {
            if let Ok(store) = store(handle) {
                s.sync_now(&store).await;
            }
        });
    };
    let export = move |all: bool| {
        let s = session;
        leptos::task::spawn_local(async move {
            let Ok(store) = store(handle) else { return };
            let name = v
                .with_untracked(|v| v.as_ref().map(|v| v.id[..8].to_owned()))
                .unwrap_or_default();
            let result = s
                .with(async |c| {
                    if all {
                        Ok(export_all(c))
                    } else {
                        export_unsent(&store, c).await
                    }
                })
                .await;
            match result {
                Ok(Some((_, 0))) => message.set(Some(i18n.t().diag_nothing_unsent.to_owned())),
                Ok(Some((text, _))) => {
                    let kind = if all { "all" } else { "unsent" };
                    let _ = download(&format!("linli-{name}-{kind}.json"), &text);
                }
                Ok(None) => {}
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
        let s = session;
        leptos::task::spawn_local(async move {
            let Ok(store) = store(handle) else { return };
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            let Some(text) = text.ok().and_then(|t| t.as_string()) else {
                message.set(Some(i18n.t().import_bad_file.to_owned()));
                return;
            };
            let result = s
                .with(async |c| match import(&store, c, &text).await {
                    Ok(r) => Ok(Ok(r)),
                    Err(ImportError::NotAFile(_)) => Ok(Err(())),
                    Err(ImportError::Act(e)) => Err(e),
                })
                .await;
            let m = i18n.t();
            match result {
                Ok(Some(Ok(r))) => message.set(Some(format!(
                    "{} {} · {} {} · {} {}",
                    m.import_added,
                    r.added,
                    m.import_duplicate,
                    r.duplicate,
                    m.import_rejected,
                    r.rejected
                ))),
                Ok(Some(Err(()))) => message.set(Some(m.import_bad_file.to_owned())),
                Ok(None) => {}
                Err(e) => message.set(Some(act_error_text(m, &e).to_owned())),
            }
            s.sync_now(&store).await;
        });
    };

    view! {
        <h1 class="page__title">{move || t().diag_title}</h1>
        {move || v.get().map(|c| view! {
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
                    <dt>{t().diag_space}</dt><dd class="mono">{c.id[..16].to_owned()}"…"</dd>
                    <dt>{t().diag_device}</dt><dd class="mono">{c.device.get(..16).unwrap_or("").to_owned()}"…"</dd>
                    <dt>{t().diag_key_kind}</dt>
                    <dd>{match c.key_kind { "webcrypto" => t().key_webcrypto, "seed" => t().key_seed, _ => "" }}</dd>
                </dl>
                <button class="button button--wide" type="button" on:click=sync_now>{t().diag_sync_now}</button>
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
