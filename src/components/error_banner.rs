//! The banner that tells the user, in their language, when storage failed.

use leptos::prelude::*;

use crate::boot::{store_error_text, StoreErrors};
use crate::i18n::use_i18n;

/// Shows the last storage problem until the user dismisses it.
#[component]
pub fn ErrorBanner() -> impl IntoView {
    let i18n = use_i18n();
    let errors = expect_context::<StoreErrors>().0;
    move || {
        errors.get().map(|e| {
            let m = i18n.t();
            view! {
                <div class="banner" role="alert">
                    <p class="banner__text">{store_error_text(m, &e)}</p>
                    <button class="banner__close" on:click=move |_| errors.set(None)>
                        {m.dismiss}
                    </button>
                </div>
            }
        })
    }
}
