//! 创建社区 — found a community: this device signs the genesis and becomes the admin.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::community::Community;
use crate::i18n::use_i18n;
use crate::pages::common::{act_error_text, origin, store};
use crate::session::Session;

/// The create form.
#[component]
pub fn Create() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = expect_context::<Session>();
    let handle = expect_context::<crate::app::StoreHandle>();
    let name = RwSignal::new(String::new());
    let founder = RwSignal::new(String::new());
    let household = RwSignal::new(String::new());
    let endpoint = RwSignal::new(origin());
    let error = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let tried = RwSignal::new(false);
    let navigate = use_navigate();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        if name.get_untracked().trim().is_empty() || founder.get_untracked().trim().is_empty() {
            return;
        }
        let (session, navigate) = (session, navigate.clone());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = async {
                let store = store(handle)?;
                let c = Community::create(
                    &store,
                    endpoint.get_untracked().trim(),
                    &name.get_untracked(),
                    &founder.get_untracked(),
                    &household.get_untracked(),
                )
                .await?;
                session.install(c).await;
                session.sync_now(&store).await;
                Ok::<_, crate::community::ActError>(())
            }
            .await;
            busy.set(false);
            match result {
                Ok(()) => navigate("/", Default::default()),
                Err(e) => error.set(Some(act_error_text(i18n.t(), &e))),
            }
        });
    };
    let missing = move |s: RwSignal<String>| tried.get() && s.get().trim().is_empty();

    view! {
        <h1 class="page__title">{move || t().create_title}</h1>
        <p class="card__muted intro">{move || t().create_intro}</p>
        <form class="form" on:submit=submit novalidate>
            <label class="field">
                <span class="field__label">{move || t().create_name}</span>
                <input class="field__input" name="name" maxlength="64" bind:value=name/>
                <Show when=move || missing(name)><span class="field__error" role="alert">{move || t().err_required}</span></Show>
            </label>
            <label class="field">
                <span class="field__label">{move || t().create_founder}</span>
                <input class="field__input" name="founder" maxlength="64" bind:value=founder/>
                <Show when=move || missing(founder)><span class="field__error" role="alert">{move || t().err_required}</span></Show>
            </label>
            <label class="field">
                <span class="field__label">{move || t().create_household}</span>
                <input class="field__input" name="household" maxlength="64" bind:value=household/>
            </label>
            <label class="field">
                <span class="field__label">{move || t().create_endpoint}</span>
                <input class="field__input" name="endpoint" type="url" bind:value=endpoint/>
            </label>
            {move || error.get().map(|e| view! { <p class="field__error" role="alert">{e}</p> })}
            <button class="button button--wide" type="submit" disabled=move || busy.get()>
                {move || t().create_submit}
            </button>
        </form>
    }
}
