//! 加入社区 — join from an invitation link: `/join#e={endpoint}&s={space}&k={secret}`. The
//! community is fetched first (its name, and the invitation the join will reveal), then the
//! device signs `member.join`.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::community::{parse_invite, ActError, Community, InviteLink};
use crate::i18n::use_i18n;
use crate::pages::common::{act_error_text, store};
use crate::session::Session;
use crate::sync::fetch_space;

/// Where the join stands.
#[derive(Clone)]
enum Stage {
    /// No usable link yet: ask for one.
    Paste,
    /// Reading the community.
    Loading,
    /// Ready to join.
    Ready(InviteLink, String),
}

/// The join page.
#[component]
pub fn Join() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = expect_context::<Session>();
    let handle = expect_context::<crate::app::StoreHandle>();
    let stage = RwSignal::new(Stage::Paste);
    let error = RwSignal::new(None::<&'static str>);
    let pasted = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let space_cache = StoredValue::new_local(None::<crate::sync::Fetched>);

    let open = move |fragment: String| {
        error.set(None);
        let Some(link) = parse_invite(&fragment) else {
            if !fragment.is_empty() {
                error.set(Some(i18n.t().join_bad_link));
            }
            stage.set(Stage::Paste);
            return;
        };
        stage.set(Stage::Loading);
        leptos::task::spawn_local(async move {
            match fetch_space(&link.endpoint, link.space).await {
                Ok(fetched) => {
                    let name = fetched.space.state().name.clone().unwrap_or_default();
                    space_cache.set_value(Some(fetched));
                    stage.set(Stage::Ready(link, name));
                }
                Err(_) => {
                    error.set(Some(i18n.t().err_net));
                    stage.set(Stage::Paste);
                }
            }
        });
    };
    // The link that opened the app.
    let hash = window().location().hash().unwrap_or_default();
    if session.view.get_untracked().is_some() {
        error.set(Some(i18n.t().join_already));
    } else {
        open(hash);
    }

    let join = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Stage::Ready(link, _) = stage.get_untracked() else {
            return;
        };
        if link.secret.is_some() && name.get_untracked().trim().is_empty() {
            error.set(Some(i18n.t().err_required));
            return;
        }
        let Some(space) = space_cache.try_update_value(Option::take).flatten() else {
            // Taken by an attempt that failed: read the community again.
            open(window().location().hash().unwrap_or_default());
            return;
        };
        let (session, navigate) = (session, navigate.clone());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = async {
                let store = store(handle)?;
                if session.view.get_untracked().is_some() {
                    return Err(ActError::Invalid("already joined"));
                }
                let c = match &link.secret {
                    Some(secret) => {
                        Community::join(
                            &store,
                            &link.endpoint,
                            space,
                            secret,
                            &name.get_untracked(),
                        )
                        .await?
                    }
                    None => Community::follow(&store, &link.endpoint, space).await?,
                };
                session.install(c).await;
                // Drop the secret from the address bar and history.
                let _ = window().history().and_then(|h| {
                    h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"))
                });
                session.sync_now(&store).await;
                Ok(())
            }
            .await;
            busy.set(false);
            match result {
                Ok(()) => navigate("/", Default::default()),
                Err(e) => error.set(Some(act_error_text(i18n.t(), &e))),
            }
        });
    };

    view! {
        <h1 class="page__title">{move || t().join_title}</h1>
        {move || error.get().map(|e| view! { <p class="field__error" role="alert">{e}</p> })}
        {move || match stage.get() {
            Stage::Paste => view! {
                <form class="form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    let text = pasted.get_untracked();
                    let fragment = text.split_once('#').map(|(_, f)| f.to_owned()).unwrap_or(text);
                    open(fragment);
                }>
                    <label class="field">
                        <span class="field__label">{t().join_paste}</span>
                        <textarea class="field__input field__input--area" name="link" rows="3" bind:value=pasted></textarea>
                    </label>
                    <button class="button button--wide" type="submit">{t().join_open}</button>
                </form>
            }.into_any(),
            Stage::Loading => view! { <p class="card__muted">{t().join_loading}</p> }.into_any(),
            Stage::Ready(link, community) => view! {
                <section class="card">
                    <p class="card__muted">{t().join_community}</p>
                    <h2 class="card__title" data-testid="join-community">{community}</h2>
                </section>
                <form class="form" on:submit=join.clone() novalidate>
                    {link.secret.is_some().then(|| view! {
                        <label class="field">
                            <span class="field__label">{t().join_name}</span>
                            <input class="field__input" name="name" maxlength="64" bind:value=name/>
                        </label>
                    })}
                    {link.secret.is_none().then(|| view! { <p class="card__muted">{t().join_follow_hint}</p> })}
                    <button class="button button--wide" type="submit" disabled=move || busy.get()>
                        {if link.secret.is_some() { t().join_submit } else { t().join_follow }}
                    </button>
                </form>
            }.into_any(),
        }}
    }
}
