//! The bottom navigation bar: five sections, within thumb reach on a phone.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{Icon, IconKind};
use crate::i18n::{use_i18n, Common};

/// One entry of the bar.
struct Section {
    href: &'static str,
    icon: IconKind,
    label: fn(&Common) -> &'static str,
}

const SECTIONS: [Section; 5] = [
    Section {
        href: "/",
        icon: IconKind::Home,
        label: |m| m.nav_home,
    },
    Section {
        href: "/council",
        icon: IconKind::Council,
        label: |m| m.nav_council,
    },
    Section {
        href: "/points",
        icon: IconKind::Points,
        label: |m| m.nav_points,
    },
    Section {
        href: "/volunteer",
        icon: IconKind::Volunteer,
        label: |m| m.nav_volunteer,
    },
    Section {
        href: "/me",
        icon: IconKind::Me,
        label: |m| m.nav_me,
    },
];

/// The bottom navigation. The router marks the current link with `aria-current="page"`,
/// which is also what the CSS highlights.
#[component]
pub fn BottomNav() -> impl IntoView {
    let i18n = use_i18n();
    let links = SECTIONS
        .iter()
        .map(|s| {
            let label = s.label;
            view! {
                <A href=s.href attr:class="nav__link">
                    <Icon kind=s.icon/>
                    <span class="nav__label">{move || label(i18n.t())}</span>
                </A>
            }
        })
        .collect_view();
    view! {
        <nav class="nav" aria-label=move || i18n.t().nav_label>
            {links}
        </nav>
    }
}
