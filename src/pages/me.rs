//! 我的 — Me: this device's community, language and reading comfort.

use leptos::prelude::*;

use leptos_router::components::A;

use crate::app::{choose_lang, choose_large_text, LargeText, StoreHandle};
use crate::i18n::{use_i18n, Lang};
use crate::pages::common::role_text;
use crate::session::Session;

/// The "me" section.
#[component]
pub fn Me() -> impl IntoView {
    let i18n = use_i18n();
    let large_text = expect_context::<LargeText>().0;
    let store = expect_context::<StoreHandle>();
    let t = move || i18n.t();
    let community = expect_context::<Session>().view;

    let lang_buttons = Lang::ALL
        .into_iter()
        .map(|lang| {
            view! {
                <button
                    class="segmented__option"
                    lang=lang.tag()
                    aria-pressed=move || (i18n.lang.get() == lang).to_string()
                    on:click=move |_| choose_lang(lang)
                >
                    {lang.native_name()}
                </button>
            }
        })
        .collect_view();

    view! {
        <h1 class="page__title">{move || t().me_title}</h1>

        <section class="card">
            <h2 class="card__title">{move || t().me_community}</h2>
            {move || match community.get() {
                None => view! { <p class="card__muted">{t().me_no_community}</p> }.into_any(),
                Some(c) => view! {
                    <p>{c.name}</p>
                    <p class="card__muted">{c.role.map(|r| role_text(t(), r)).unwrap_or(t().home_pending)}</p>
                }.into_any(),
            }}
            <A href="/sync" attr:class="button button--secondary button--wide">{move || t().me_sync_data}</A>
        </section>

        <section class="card">
            <h2 class="card__title">{move || t().me_settings}</h2>
            <div class="setting">
                <span class="setting__label" id="lang-label">{move || t().me_language}</span>
                <div class="segmented" role="group" aria-labelledby="lang-label">
                    {lang_buttons}
                </div>
            </div>
            <label class="setting setting--toggle">
                <span class="setting__text">
                    <span class="setting__label">{move || t().me_large_text}</span>
                    <span class="setting__hint">{move || t().me_large_text_hint}</span>
                </span>
                <input
                    type="checkbox"
                    role="switch"
                    class="switch"
                    prop:checked=move || large_text.get()
                    on:change=move |ev| choose_large_text(event_target_checked(&ev))
                />
            </label>
            <p class="card__muted">
                {move || if store.is_open() { t().me_saved_on_device } else { t().me_not_saved }}
            </p>
        </section>

        <section class="card">
            <h2 class="card__title">{move || t().me_about}</h2>
            <p>{move || t().me_about_body}</p>
        </section>
    }
}
