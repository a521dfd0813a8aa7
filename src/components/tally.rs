//! A ballot's counts as bars.

use leptos::prelude::*;

use crate::i18n::{fill, Common};

/// `part` of `whole` in per cent, to one decimal where it has one (38, 38.5).
pub fn percent(part: u32, whole: u32) -> String {
    if whole == 0 {
        return "0".to_owned();
    }
    let tenths = u64::from(part) * 1000 / u64::from(whole);
    if tenths % 10 == 0 {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// The live turnout: 已投 38 / 120（31.6%）.
pub fn turnout_text(m: &Common, cast: u32, eligible: u32) -> String {
    fill(
        m.turnout,
        &[
            ("cast", &cast),
            ("eligible", &eligible),
            ("pct", &percent(cast, eligible)),
        ],
    )
}

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
                        <span class="bars__bar"><span class="bars__fill" style:width=format!("{pct}%")></span></span>
                        <span class="bars__n">{n}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn percentages_keep_one_decimal_only_when_there_is_one() {
        assert_eq!(percent(380, 1000), "38");
        assert_eq!(percent(385, 1000), "38.5");
        assert_eq!(percent(1, 3), "33.3");
        assert_eq!(percent(0, 0), "0");
    }
}
