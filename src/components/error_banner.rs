//! The banner that tells the user, in their language, when storage failed.

use leptos::prelude::*;

use crate::boot::{store_error_text, StoreErrors};
use crate::i18n::use_i18n;
use crate::store::StoreError;

/// Shows the last storage problem until the user dismisses it; when another tab's upgrade
/// closed the database, it offers a reload instead (nothing can be saved until then).
#[component]
pub fn ErrorBanner() -> impl IntoView {
    let i18n = use_i18n();
    let errors = expect_context::<StoreErrors>().0;
    move || {
        errors.get().map(|e| {
            let m = i18n.t();
            let reload = e == StoreError::Upgraded;
            view! {
                <div class="banner" role="alert" data-testid="store-error">
                    <p class="banner__text">{store_error_text(m, &e)}</p>
                    <button class="banner__close" on:click=move |_| {
                        if reload {
                            let _ = window().location().reload();
                        } else {
                            errors.set(None);
                        }
                    }>
                        {if reload { m.reload } else { m.dismiss }}
                    </button>
                </div>
            }
        })
    }
}
