//! A page for the wall board (公示栏): plain, on A4, the navigation not printed.

use leptos::prelude::*;

/// The community's name, a heading, the content, today's date, and a print button that is
/// not printed.
#[component]
pub fn Notice(
    /// The community and the section ("幸福里社区 · 居民议事").
    #[prop(into)]
    org: Signal<String>,
    /// The notice's heading.
    title: &'static str,
    /// The print button's label.
    print: &'static str,
    /// Today's date, as printed.
    date: String,
    children: Children,
) -> impl IntoView {
    view! {
        <article class="notice" data-testid="notice">
            <p class="notice__org">{org}</p>
            <h1 class="notice__title">{title}</h1>
            {children()}
            <p class="notice__date">{date}</p>
            <button class="button no-print" type="button" on:click=move |_| { let _ = window().print(); }>{print}</button>
        </article>
    }
}
