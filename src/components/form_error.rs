//! A form's or an action's error line, announced to screen readers.

use leptos::prelude::*;

/// Shows `error` while it is set.
#[component]
pub fn FormError(
    /// The message, in the user's language.
    #[prop(into)]
    error: Signal<Option<&'static str>>,
) -> impl IntoView {
    move || {
        error
            .get()
            .map(|e| view! { <p class="field__error" role="alert">{e}</p> })
    }
}
