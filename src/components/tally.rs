//! A ballot's counts as bars.

use leptos::prelude::*;

/// One bar per option: its label, the share of the votes cast, the count.
#[component]
pub fn TallyBars(
    /// The options, in the reader's language.
    options: Vec<String>,
    /// Votes per option.
    counts: Vec<u32>,
) -> impl IntoView {
    let total: u32 = counts.iter().sum();
    view! {
        <ul class="bars" data-testid="tally">
            {options.into_iter().zip(counts).map(|(o, n)| {
                let pct = (n * 100).checked_div(total).unwrap_or(0);
                view! {
                    <li class="bars__row">
                        <span class="bars__label">{o}</span>
                        <span class="bars__bar"><span class="bars__fill" style=format!("width:{pct}%")></span></span>
                        <span class="bars__n">{n}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
