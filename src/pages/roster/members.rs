//! 成员名单 — the roster, a page at a time: searched by name, filtered by role. Staff (admin,
//! council, workers, by the roster) see full names and households and search both; everyone
//! else sees masked names (张*明) only, searches those only, and never sees a household.

use std::sync::{Arc, Mutex};

use leptos::prelude::*;
use leptos_router::components::A;
use linli_domain::Role;

use super::view::{Directory, MemberQuery};
use crate::hooks::use_view;
use crate::i18n::roster::RosterText;
use crate::i18n::{fill, use_i18n, use_texts};

/// Whether an input event comes from an input method still composing (拼音 before the
/// characters are chosen): the search waits for the composed text.
fn composing(ev: &leptos::ev::Event) -> bool {
    js_sys::Reflect::get(ev, &"isComposing".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Back to the top of the page (after turning a page: the new names start there).
fn to_top() {
    window().scroll_to_with_x_and_y(0.0, 0.0);
}

/// The member list.
#[component]
pub fn Members() -> impl IntoView {
    let t = use_texts::<RosterText>();
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let role = RwSignal::new(None::<Role>);
    let page = RwSignal::new(0usize);
    // The page is computed from the fold: the roster as this viewer sees it is sorted once
    // per change of the log (the directory), each search is one pass over it, and only the
    // page's rows (plus the counts) come back.
    let directory = Arc::new(Mutex::new(None::<Directory>));
    let list = use_view(move |space, me| {
        let query = MemberQuery {
            text: text.get(),
            role: role.get(),
            page: page.get(),
        };
        let mut kept = directory.lock().unwrap_or_else(|e| e.into_inner());
        match kept.as_ref() {
            Some(d) if d.fresh(space, me) => d.page(space, &query),
            _ => kept.insert(Directory::of(space, me)).page(space, &query),
        }
    });
    let staff = move || list.with(|v| v.as_ref().is_some_and(|v| v.staff));
    let search = move |value: String| {
        text.set(value);
        page.set(0);
    };
    let turn = move |by: isize| {
        page.set(
            list.with_untracked(|v| v.as_ref().map_or(0, |v| v.page))
                .saturating_add_signed(by),
        );
        to_top();
    };
    // 全部 and each role, with how many of the search's matches it holds.
    let chips = move || {
        let (counts, all) = list.with(|v| v.as_ref().map_or(([0; 4], 0), |v| (v.counts, v.all)));
        std::iter::once((None, t().members_all, all))
            .chain(
                Role::ALL
                    .into_iter()
                    .zip(counts)
                    .map(|(r, n)| (Some(r), i18n.t().role(r), n)),
            )
            .map(|(option, label, n)| {
                view! {
                    <button type="button" class="members__chip"
                        aria-pressed=move || (role.get() == option).to_string()
                        on:click=move |_| {
                            role.set(option);
                            page.set(0);
                        }>
                        {label}" "<span class="members__n">{n}</span>
                    </button>
                }
            })
            .collect_view()
    };

    view! {
        <h1 class="page__title">{move || t().members_title}</h1>
        <p class="card__muted intro">
            {move || if staff() { t().members_staff_note } else { t().members_resident_note }}
        </p>
        <form class="members__search" role="search" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            <label class="field">
                <span class="field__label">
                    {move || if staff() { t().members_search_staff } else { t().members_search_resident }}
                </span>
                <input class="field__input" type="search" name="q" autocomplete="off"
                    enterkeyhint="search" prop:value=move || text.get()
                    on:input=move |ev| if !composing(&ev) { search(event_target_value(&ev)) }
                    on:compositionend=move |ev| search(event_target_value(&ev))/>
            </label>
        </form>
        <div class="members__filter" role="group" aria-label=move || t().members_filter>
            {chips}
        </div>
        <p class="members__count" data-testid="members-count" aria-live="polite">
            {move || list.with(|v| v.as_ref().map(|v| {
                if v.matched == 0 {
                    t().members_none.to_owned()
                } else {
                    fill(t().members_found, &[("n", &v.matched)])
                }
            }))}
        </p>
        <ul class="members" data-testid="members">
            <For each=move || list.get().map(|v| v.rows).unwrap_or_default() key=|m| m.clone() let:m>
                <li class="members__row">
                    <span class="members__who">
                        <A href=format!("/members/{}", m.id) attr:class="members__name">
                            {m.name}
                            {m.me.then(|| view! { <span class="members__me">{move || t().members_me}</span> })}
                        </A>
                        {m.household.filter(|h| !h.is_empty()).map(|h| view! {
                            <span class="members__household">{move || t().members_household}" "{h.clone()}</span>
                        })}
                    </span>
                    <span class="members__role">{move || i18n.t().role(m.role)}</span>
                </li>
            </For>
        </ul>
        <Show when=move || list.with(|v| v.as_ref().is_some_and(|v| v.pages > 1))>
            <nav class="members__pager" aria-label=move || t().members_pager>
                <button type="button" class="button button--secondary"
                    disabled=move || list.with(|v| v.as_ref().is_none_or(|v| v.page == 0))
                    on:click=move |_| turn(-1)>{move || t().members_prev}</button>
                <span class="members__page" data-testid="members-page">
                    {move || list.with(|v| v.as_ref().map(|v| {
                        fill(t().members_page, &[("page", &(v.page + 1)), ("pages", &v.pages)])
                    }))}
                </span>
                <button type="button" class="button button--secondary"
                    disabled=move || list.with(|v| v.as_ref().is_none_or(|v| v.page + 1 >= v.pages))
                    on:click=move |_| turn(1)>{move || t().members_next}</button>
            </nav>
        </Show>
    }
}
