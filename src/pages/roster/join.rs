//! 加入社区 — join from an invitation link: `/#e={endpoint}&s={space}&k={secret}`. The
//! community is fetched first (its name, and the invitation the join will reveal), then the
//! device signs `member.join`. A link without a secret follows the community read-only.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use linli_domain::roster::act::MAX_NAME_CHARS;

use crate::components::{FormError, TextArea, TextField};
use crate::engine::link::{parse_invite, InviteLink};
use crate::engine::{held, install, ActError, Community};
use crate::hooks::use_act;
use crate::i18n::roster::RosterText;
use crate::i18n::{use_i18n, use_texts, Common, Texts};
use crate::sync::{fetch_space, Fetched};

/// Where the join stands.
#[derive(Clone)]
enum Stage {
    /// No usable link yet: ask for one.
    Paste,
    /// Reading the community.
    Loading,
    /// Ready to join: the link and the community's name.
    Ready(InviteLink, String),
}

/// The join page.
#[component]
pub fn Join() -> impl IntoView {
    let t = use_texts::<RosterText>();
    let i18n = use_i18n();
    let act = use_act();
    let session = act.session();
    let stage = RwSignal::new(Stage::Paste);
    let pasted = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let navigate = use_navigate();
    // The community as fetched, kept until the join (taken by it).
    let fetched = StoredValue::new_local(None::<Fetched>);

    let open = move |fragment: String| {
        act.error.set(None);
        let Some(link) = parse_invite(&fragment) else {
            if !fragment.is_empty() {
                act.fail(t().join_bad_link);
            }
            stage.set(Stage::Paste);
            return;
        };
        stage.set(Stage::Loading);
        leptos::task::spawn_local(async move {
            match fetch_space(&link.endpoint, link.space).await {
                Ok(f) => {
                    let community = f.space.state().name.clone().unwrap_or_default();
                    fetched.set_value(Some(f));
                    stage.set(Stage::Ready(link, community));
                }
                Err(_) => {
                    act.fail(Common::of(i18n.lang.get_untracked()).err_net);
                    stage.set(Stage::Paste);
                }
            }
        });
    };
    // The link that opened the app.
    if held(session).is_some() {
        act.fail(t().join_already);
    } else {
        open(window().location().hash().unwrap_or_default());
    }

    let join = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Stage::Ready(link, _) = stage.get_untracked() else {
            return;
        };
        let Some(space) = fetched.try_update_value(Option::take).flatten() else {
            // Taken by an attempt that failed: read the community again.
            open(window().location().hash().unwrap_or_default());
            return;
        };
        let name = name.get_untracked();
        let navigate = navigate.clone();
        act.run(
            async move {
                let store = session.store().ok_or(ActError::NoCommunity)?;
                if held(session).is_some() {
                    return Err(ActError::Invalid("already joined"));
                }
                let c = match &link.secret {
                    Some(secret) => {
                        Community::join(&store, &link.endpoint, space, secret, &name).await?
                    }
                    None => Community::follow(&store, &link.endpoint, space).await?,
                };
                install(session, store, c);
                // Drop the secret from the address bar and history.
                let _ = window().history().and_then(|h| {
                    h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"))
                });
                Ok(())
            },
            move |()| navigate("/", Default::default()),
        );
    };

    view! {
        <h1 class="page__title">{move || t().join_title}</h1>
        <FormError error=act.error/>
        {move || match stage.get() {
            Stage::Paste => view! {
                <form class="form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    let text = pasted.get_untracked();
                    let fragment = text.split_once('#').map(|(_, f)| f.to_owned()).unwrap_or(text);
                    open(fragment);
                }>
                    <TextArea label=Signal::derive(move || t().join_paste) name="link" value=pasted rows=3/>
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
                        <TextField label=Signal::derive(move || t().join_name) name="name" value=name max=MAX_NAME_CHARS/>
                    })}
                    {link.secret.is_none().then(|| view! { <p class="card__muted">{t().join_follow_hint}</p> })}
                    <button class="button button--wide" type="submit" disabled=move || act.busy.get()>
                        {if link.secret.is_some() { t().join_submit } else { t().join_follow }}
                    </button>
                </form>
            }.into_any(),
        }}
    }
}
