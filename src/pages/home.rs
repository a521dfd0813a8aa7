//! 首页 — Home. Before joining: what Linli is, and the two ways in (create or join). After:
//! the community at a glance and the next things to do.

use leptos::prelude::*;
use leptos_router::components::A;
use linli_domain::Role;

use crate::components::{EmptyState, IconKind};
use crate::i18n::use_i18n;
use crate::pages::common::role_text;
use crate::session::Session;

/// The home section.
#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let session = expect_context::<Session>();
    let t = move || i18n.t();
    let view = session.view;
    let started = session.started;
    // An invitation (or follow) link opens the app at its root: go on to the join page.
    let hash = window().location().hash().unwrap_or_default();
    if hash.starts_with("#e=") {
        let navigate = leptos_router::hooks::use_navigate();
        request_animation_frame(move || navigate(&format!("/join{hash}"), Default::default()));
    }
    view! {
        <h1 class="page__title">{move || t().home_title}</h1>
        {move || match view.get() {
            None if !started.get() => view! { <p class="card__muted">{t().home_loading}</p> }.into_any(),
            None => view! {
                <EmptyState
                    icon=IconKind::Home
                    title=Signal::derive(move || i18n.t().home_empty_title)
                    body=Signal::derive(move || i18n.t().home_empty_body)
                    items=Signal::derive(move || i18n.t().home_empty_steps)
                />
                <div class="actions">
                    <A href="/join" attr:class="button">{move || t().home_join}</A>
                    <A href="/create" attr:class="button button--secondary">{move || t().home_create}</A>
                </div>
            }.into_any(),
            Some(c) => {
                let can_invite = matches!(c.role, Some(Role::Admin | Role::Council));
                let voting: Vec<_> = c
                    .proposals
                    .iter()
                    .filter(|p| p.status == linli_domain::council::Status::Voting)
                    .cloned()
                    .collect();
                view! {
                    <section class="card" data-testid="community" data-loaded=c.loaded.to_string()>
                        <h2 class="card__title">{c.name.clone()}</h2>
                        <dl class="kv">
                            <dt>{t().home_members}</dt>
                            <dd data-testid="member-count">{c.member_count}</dd>
                            <dt>{t().home_your_role}</dt>
                            <dd>{match c.role {
                                Some(r) => role_text(t(), r),
                                None if c.loaded => t().home_pending,
                                None => t().home_loading,
                            }}</dd>
                        </dl>
                    </section>
                    {(!voting.is_empty()).then(|| view! {
                        <section class="card" data-testid="to-vote">
                            <h2 class="card__title">{t().st_voting}</h2>
                            <ul class="plist">
                                {voting.into_iter().map(|p| view! {
                                    <li>
                                        <A href=format!("/council/{}", p.id) attr:class="plist__item">
                                            <span class="plist__title">{p.title}</span>
                                            <span class="plist__meta">{p.category}</span>
                                        </A>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    })}
                    <div class="actions">
                        {can_invite.then(|| view! {
                            <A href="/invite" attr:class="button">{move || t().home_invite}</A>
                        })}
                        <A href="/members" attr:class="button button--secondary">{move || t().home_member_list}</A>
                    </div>
                }.into_any()
            }
        }}
    }
}
