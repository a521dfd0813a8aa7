//! A confirmation that names what it confirms, for acts that cannot be undone.

use leptos::html;
use leptos::prelude::*;

/// Shown while `open` is set: a heading (the dialog's accessible name) saying what will
/// happen, an optional sentence, and two buttons. The confirm button takes focus, so a
/// screen reader lands on the question and a keyboard user on the answer.
#[component]
pub fn Confirm(
    /// Whether the dialog shows.
    open: RwSignal<bool>,
    /// The question, naming the act ("确认投「反对」？").
    #[prop(into)]
    title: Signal<String>,
    /// What the act does, in a sentence (may be empty).
    #[prop(optional, into)]
    body: Signal<String>,
    /// The confirm button's label.
    #[prop(into)]
    confirm: Signal<&'static str>,
    /// The cancel button's label.
    #[prop(into)]
    cancel: Signal<&'static str>,
    /// Runs on confirmation (the dialog closes first).
    on_confirm: impl Fn() + Clone + Send + Sync + 'static,
    /// For tests.
    #[prop(default = "confirm")]
    testid: &'static str,
    /// More to choose in the dialog (a reason, say), between the sentence and the buttons.
    #[prop(optional)]
    children: Option<ChildrenFn>,
) -> impl IntoView {
    let button = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if open.get() {
            if let Some(b) = button.get() {
                let _ = b.focus();
            }
        }
    });
    let id = format!("{testid}-title");
    move || {
        open.get().then(|| {
            let on_confirm = on_confirm.clone();
            view! {
                <div class="confirm" role="dialog" aria-modal="true" aria-labelledby=id.clone()
                    on:keydown=move |ev| if ev.key() == "Escape" { open.set(false) }>
                    <p class="confirm__title" id=id.clone()>{title}</p>
                    {move || { let b = body.get(); (!b.is_empty()).then(|| view! { <p class="confirm__body">{b}</p> }) }}
                    {children.clone().map(|c| c())}
                    <div class="actions">
                        <button type="button" class="button" node_ref=button data-testid=testid
                            on:click=move |_| { open.set(false); on_confirm(); }>{confirm}</button>
                        <button type="button" class="button button--secondary"
                            on:click=move |_| open.set(false)>{cancel}</button>
                    </div>
                </div>
            }
        })
    }
}
