//! A choice of one among a few, as a row of large buttons (a segmented control).

use leptos::prelude::*;

/// The options of `value`, each with its label; the chosen one is pressed.
#[component]
pub fn Choice<T>(
    /// What is being chosen, in the user's language.
    #[prop(into)]
    legend: Signal<&'static str>,
    /// The options and their labels (tracked: labels follow the language).
    #[prop(into)]
    options: Signal<Vec<(T, &'static str)>>,
    /// The chosen option.
    value: RwSignal<T>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    view! {
        <fieldset class="field">
            <legend class="field__label">{legend}</legend>
            <div class="segmented" role="group">
                {move || options.get().into_iter().map(|(option, label)| view! {
                    <button type="button" class="segmented__option"
                        aria-pressed=move || (value.get() == option).to_string()
                        on:click=move |_| value.set(option)>{label}</button>
                }).collect_view()}
            </div>
        </fieldset>
    }
}
