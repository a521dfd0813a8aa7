//! 邀请邻居 — a council member or the admin invites: a one-time secret whose hash is signed
//! into `member.invite`; the link (and its QR code) carries the secret in the fragment.

use leptos::prelude::*;
use linli_domain::Role;

use crate::community::invite_link;
use crate::components::Qr;
use crate::i18n::use_i18n;
use crate::pages::common::{act_error_text, origin, role_text, store};
use crate::session::Session;

/// The invite page.
#[component]
pub fn Invite() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = expect_context::<Session>();
    let handle = expect_context::<crate::app::StoreHandle>();
    let view_sig = session.view;
    let role = RwSignal::new(Role::Resident);
    let household = RwSignal::new(String::new());
    let link = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<&'static str>);
    let copied = RwSignal::new(false);
    let busy = RwSignal::new(false);

    let my_role = move || view_sig.with(|v| v.as_ref().and_then(|v| v.role));
    let roles = move || match my_role() {
        Some(Role::Admin) => vec![Role::Resident, Role::Worker, Role::Council],
        Some(Role::Council) => vec![Role::Resident, Role::Worker],
        _ => Vec::new(),
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if household.get_untracked().trim().is_empty() {
            error.set(Some(i18n.t().err_required));
            return;
        }
        error.set(None);
        copied.set(false);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = async {
                let store = store(handle)?;
                let role_tag = match role.get_untracked() {
                    Role::Council => "council",
                    Role::Worker => "worker",
                    _ => "resident",
                };
                let secret = session
                    .with(async |c| c.invite(&store, role_tag, &household.get_untracked()).await)
                    .await?;
                let endpoint = session
                    .view
                    .with_untracked(|v| v.as_ref().map(|v| (v.endpoint.clone(), v.id.clone())));
                if let (Some(secret), Some((endpoint, id))) = (secret, endpoint) {
                    let space = linli_domain::Hex32::parse(&id)
                        .map_err(|_| crate::community::ActError::Invalid("space"))?;
                    link.set(Some(invite_link(&origin(), &endpoint, &space, &secret)));
                }
                session.sync_now(&store).await;
                Ok::<_, crate::community::ActError>(())
            }
            .await;
            busy.set(false);
            if let Err(e) = result {
                error.set(Some(act_error_text(i18n.t(), &e)));
            }
        });
    };

    let copy = move |_| {
        if let Some(l) = link.get_untracked() {
            let _ = window().navigator().clipboard().write_text(&l);
            copied.set(true);
        }
    };

    view! {
        <h1 class="page__title">{move || t().invite_title}</h1>
        {move || if roles().is_empty() {
            view! { <p class="card__muted">{t().invite_not_allowed}</p> }.into_any()
        } else {
            view! {
                <form class="form" on:submit=submit novalidate>
                    <fieldset class="field">
                        <legend class="field__label">{t().invite_role}</legend>
                        <div class="segmented" role="group">
                            {roles().into_iter().map(|r| view! {
                                <button type="button" class="segmented__option"
                                    aria-pressed=move || (role.get() == r).to_string()
                                    on:click=move |_| role.set(r)>
                                    {move || role_text(i18n.t(), r)}
                                </button>
                            }).collect_view()}
                        </div>
                    </fieldset>
                    <label class="field">
                        <span class="field__label">{t().invite_household}</span>
                        <input class="field__input" name="household" maxlength="64" bind:value=household/>
                    </label>
                    {move || error.get().map(|e| view! { <p class="field__error" role="alert">{e}</p> })}
                    <button class="button button--wide" type="submit" disabled=move || busy.get()>
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
    }
}
