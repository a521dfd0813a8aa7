//! 邀请邻居 — a council member or the admin invites: a one-time secret whose hash is signed
//! into `member.invite`; the link (and its QR code) carries the secret in the fragment.

use leptos::prelude::*;
use linli_domain::roster::act::MAX_NAME_CHARS;
use linli_domain::{Hex32, Role};

use super::view::invite_roles;
use crate::components::{Choice, FormError, Qr, TextField};
use crate::engine::link::invite_link;
use crate::engine::{with, ActError};
use crate::hooks::{use_act, use_view};
use crate::i18n::roster::RosterText;
use crate::i18n::{use_i18n, use_texts};

/// This page's origin (`https://host`): where invitation links open the app.
fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// The invite page.
#[component]
pub fn Invite() -> impl IntoView {
    let t = use_texts::<RosterText>();
    let i18n = use_i18n();
    let act = use_act();
    let roles = use_view(invite_roles);
    let role = RwSignal::new(Role::Resident);
    let household = RwSignal::new(String::new());
    let link = RwSignal::new(None::<String>);
    let copied = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        copied.set(false);
        let (session, role, household) = (
            act.session(),
            role.get_untracked(),
            household.get_untracked(),
        );
        act.run(
            async move {
                let made = with(session, async |c, store| {
                    let secret = c.invite(store, role, &household).await?;
                    Ok((secret, c.record.endpoint.clone(), c.id()))
                })
                .await?;
                leptos::task::spawn_local(crate::engine::schedule::sync_now(session));
                Ok::<_, ActError>(made)
            },
            move |(secret, endpoint, space): ([u8; 32], String, Hex32)| {
                link.set(Some(invite_link(&origin(), &endpoint, &space, &secret)))
            },
        );
    };
    let copy = move |_| {
        if let Some(l) = link.get_untracked() {
            let _ = window().navigator().clipboard().write_text(&l);
            copied.set(true);
        }
    };
    let options = Signal::derive(move || {
        roles
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r, i18n.t().role(r)))
            .collect::<Vec<_>>()
    });

    view! {
        <h1 class="page__title">{move || t().invite_title}</h1>
        {move || if roles.with(|r| r.as_ref().is_none_or(Vec::is_empty)) {
            view! { <p class="card__muted">{t().invite_not_allowed}</p> }.into_any()
        } else {
            view! {
                <form class="form" on:submit=submit novalidate>
                    <Choice legend=Signal::derive(move || t().invite_role) options value=role/>
                    <TextField label=Signal::derive(move || t().invite_household) name="household" value=household max=MAX_NAME_CHARS
                        check=act.field("member.invite/household")/>
                    <FormError error=act.error/>
                    <button class="button button--wide" type="submit" disabled=move || act.busy.get()>
                        {t().invite_submit}
                    </button>
                </form>
            }.into_any()
        }}
        {move || link.get().map(|l| view! {
            <section class="card invite">
                <h2 class="card__title">{t().invite_link}</h2>
                <p class="card__muted">{t().invite_qr}</p>
                <Qr text=l.clone() label=t().invite_qr/>
                <button class="button button--secondary button--wide" type="button" on:click=copy>
                    {move || if copied.get() { t().invite_copied } else { t().invite_copy }}
                </button>
                <p class="linkbox" data-testid="invite-link">{l}</p>
            </section>
        })}
        {move || roles.with(|r| r.as_ref().is_some_and(|r| r.contains(&Role::Resident))).then(|| view! {
            <super::invites::SheetForm/>
        })}
        <super::invites::OpenInvites/>
    }
}
