//! 换手机 — changing phones, in plain words. A member learns what to do before they need it;
//! a phone that follows a community read-only shows the code a council member adds to the
//! member it belongs to (`member.device_add`), as a QR code and as text to paste.

use leptos::prelude::*;

use crate::components::Qr;
use crate::engine::link::device_code;
use crate::i18n::me::MeText;
use crate::i18n::use_texts;
use crate::session::use_session;

/// The 换手机 card of 我的.
#[component]
pub fn ChangePhone() -> impl IntoView {
    let t = use_texts::<MeText>();
    let digest = use_session().digest;
    let copied = RwSignal::new(false);
    move || {
        let d = digest.get()?;
        let s = &d.snapshot;
        Some(if s.role.is_some() {
            // A member: what to do when the phone is lost or replaced.
            view! {
                <section class="card" data-testid="change-phone">
                    <h2 class="card__title">{move || t().phone_title}</h2>
                    <ol class="steps">
                        {move || t().phone_member_steps.iter().map(|s| view! { <li>{*s}</li> }).collect_view()}
                    </ol>
                    <p class="card__muted">{move || t().phone_member_note}</p>
                </section>
            }
            .into_any()
        } else if s.following {
            // A phone that is not a member's yet: the code the council adds.
            let code = device_code(&d.device);
            let copy = {
                let code = code.clone();
                move |_| {
                    let _ = window().navigator().clipboard().write_text(&code);
                    copied.set(true);
                }
            };
            view! {
                <section class="card" data-testid="change-phone">
                    <h2 class="card__title">{move || t().phone_new_title}</h2>
                    <p>{move || t().phone_new_body}</p>
                    <Qr text=code.clone() label=t().phone_new_qr/>
                    <button class="button button--secondary button--wide" type="button" on:click=copy>
                        {move || if copied.get() { t().phone_copied } else { t().phone_copy }}
                    </button>
                    <p class="linkbox" data-testid="device-code">{code}</p>
                </section>
            }
            .into_any()
        } else {
            return None;
        })
    }
}
