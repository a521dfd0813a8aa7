//! 我的 — Me: this device's community, language and reading comfort.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::boot::{choose_lang, choose_large_text, LargeText, StoreHandle};
use crate::i18n::me::MeText;
use crate::i18n::{use_i18n, use_texts, Lang};
use crate::session::use_session;

/// The "me" section.
#[component]
pub fn Me() -> impl IntoView {
    let t = use_texts::<MeText>();
    let i18n = use_i18n();
    let large_text = expect_context::<LargeText>().0;
    let store = expect_context::<StoreHandle>();
    let digest = use_session().digest;

    let lang_buttons = Lang::ALL
        .into_iter()
        .map(|lang| {
            view! {
                <button class="segmented__option" lang=lang.tag()
                    aria-pressed=move || (i18n.lang.get() == lang).to_string()
                    on:click=move |_| choose_lang(lang)>
                    {lang.native_name()}
                </button>
            }
        })
        .collect_view();

    view! {
        <h1 class="page__title">{move || t().title}</h1>

        <section class="card">
            <h2 class="card__title">{move || t().community}</h2>
            {move || match digest.get() {
                None => view! { <p class="card__muted">{t().no_community}</p> }.into_any(),
                Some(d) => view! {
                    <p>{d.name}</p>
                    <p class="card__muted">{match d.snapshot.role {
                        Some(r) => i18n.t().role(r),
                        None if d.snapshot.stopped => t().stopped,
                        None if d.snapshot.following => t().following,
                        None => t().pending,
                    }}</p>
                }.into_any(),
            }}
            <A href="/sync" attr:class="button button--secondary button--wide">{move || t().sync_data}</A>
        </section>

        <super::phone::ChangePhone/>

        <section class="card">
            <h2 class="card__title">{move || t().settings}</h2>
            <div class="setting">
                <span class="setting__label" id="lang-label">{move || t().language}</span>
                <div class="segmented" role="group" aria-labelledby="lang-label">
                    {lang_buttons}
                </div>
            </div>
            <label class="setting setting--toggle">
                <span class="setting__text">
                    <span class="setting__label">{move || t().large_text}</span>
                    <span class="setting__hint">{move || t().large_text_hint}</span>
                </span>
                <input type="checkbox" role="switch" class="switch"
                    prop:checked=move || large_text.get()
                    on:change=move |ev| choose_large_text(event_target_checked(&ev))/>
            </label>
            <p class="card__muted">
                {move || if store.is_open() { t().saved_on_device } else { t().not_saved }}
            </p>
        </section>

        <section class="card">
            <h2 class="card__title">{move || t().about}</h2>
            <p>{move || t().about_body}</p>
        </section>
    }
}
