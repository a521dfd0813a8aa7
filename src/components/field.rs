//! Labelled form fields. Lengths come from the domain's limits (`max`), so a form never allows
//! what the rules would refuse, and never refuses what they allow.

use leptos::prelude::*;

/// A one-line text field.
#[component]
pub fn TextField(
    /// The label, in the user's language.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The form name (tests and autofill find the field by it).
    name: &'static str,
    /// The value.
    value: RwSignal<String>,
    /// Longest value in characters: the domain's limit.
    #[prop(optional)]
    max: Option<usize>,
    /// `type` (text by default).
    #[prop(default = "text")]
    kind: &'static str,
    /// `inputmode`, for a numeric keyboard.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// A message under the field while set.
    #[prop(optional, into)]
    error: Signal<Option<&'static str>>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span class="field__label">{label}</span>
            <input class="field__input" name=name type=kind inputmode=inputmode
                maxlength=max.map(|m| m.to_string()) bind:value=value
                aria-invalid=move || error.get().is_some().then_some("true")/>
            {move || error.get().map(|e| view! { <span class="field__error" role="alert">{e}</span> })}
        </label>
    }
}

/// A text area.
#[component]
pub fn TextArea(
    /// The label, in the user's language.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The form name.
    name: &'static str,
    /// The value.
    value: RwSignal<String>,
    /// Longest value in characters: the domain's limit, when the text goes into an event.
    #[prop(optional)]
    max: Option<usize>,
    /// Visible rows.
    #[prop(default = 4)]
    rows: u32,
) -> impl IntoView {
    view! {
        <label class="field">
            <span class="field__label">{label}</span>
            <textarea class="field__input field__input--area" name=name rows=rows
                maxlength=max.map(|m| m.to_string()) bind:value=value></textarea>
        </label>
    }
}
