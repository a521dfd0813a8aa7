//! What a section shows before there is anything in it: what it will hold, in plain words.

use leptos::prelude::*;

use super::{Icon, IconKind};

/// An empty section: an icon, a title, a sentence and a short list of what will appear here.
/// It carries no buttons on purpose: it must never lead to a flow that does not exist yet.
#[component]
pub fn EmptyState(
    /// The section's icon, drawn large.
    icon: IconKind,
    /// One line: what is missing ("还没有议题").
    #[prop(into)]
    title: Signal<&'static str>,
    /// A sentence introducing the list.
    #[prop(into)]
    body: Signal<&'static str>,
    /// What the section will hold once the device has joined a community.
    #[prop(into)]
    items: Signal<[&'static str; 3]>,
) -> impl IntoView {
    view! {
        <section class="empty">
            <div class="empty__icon" aria-hidden="true"><Icon kind=icon/></div>
            <h2 class="empty__title">{title}</h2>
            <p class="empty__body">{body}</p>
            <ul class="empty__list">
                {move || items.get().map(|item| view! { <li>{item}</li> }).collect_view()}
            </ul>
        </section>
    }
}
