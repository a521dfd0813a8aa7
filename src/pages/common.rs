//! What the community pages share: the texts for roles and errors, and the store handle.

use std::rc::Rc;

use leptos::prelude::*;
use linli_domain::{Code, Role};

use crate::app::{store_error_text, StoreHandle};
use crate::community::ActError;
use crate::i18n::Messages;
use crate::session::Session;
use crate::store::{Store, StoreError};

/// A role's name.
pub fn role_text(m: &'static Messages, role: Role) -> &'static str {
    match role {
        Role::Admin => m.role_admin,
        Role::Council => m.role_council,
        Role::Worker => m.role_worker,
        Role::Resident => m.role_resident,
    }
}

/// What to tell the user about a failed action, in their language.
pub fn act_error_text(m: &'static Messages, e: &ActError) -> &'static str {
    match e {
        ActError::Store(e) => store_error_text(m, e),
        ActError::Sign(_) => m.err_sign,
        ActError::Net(_) => m.err_net,
        ActError::Rejected(Code::InviteUsed | Code::InviteRevoked | Code::InviteUnknown) => {
            m.err_invite_used
        }
        ActError::Rejected(Code::WrongCode) => m.m_wrong_code,
        ActError::Rejected(_) => m.err_rejected,
        ActError::Invalid(_) => m.err_required,
    }
}

/// The open store, or the error that says it is not there. Takes the handle (read from the
/// context in the component body) because async tasks run outside any reactive owner.
pub fn store(handle: StoreHandle) -> Result<Rc<Store>, ActError> {
    handle
        .get()
        .ok_or_else(|| ActError::Store(StoreError::Unavailable("no database".into())))
}

/// This page's origin (`https://host`), the default sync address.
pub fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// A time as `HH:MM` today, or `MM-DD HH:MM` otherwise (local time).
pub fn short_time(ms: f64) -> String {
    let d = js_sys::Date::new(&ms.into());
    let now = js_sys::Date::new_0();
    let hm = format!("{:02}:{:02}", d.get_hours(), d.get_minutes());
    if d.to_date_string() == now.to_date_string() {
        hm
    } else {
        format!("{:02}-{:02} {hm}", d.get_month() + 1, d.get_date())
    }
}

/// A date as `YYYY-MM-DD` (local time), for notices.
pub fn short_date(ms: f64) -> String {
    let d = js_sys::Date::new(&ms.into());
    format!(
        "{}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

/// Signs an act of this device's member, syncs, and shows a failure on the page.
pub fn run(
    session: Session,
    handle: StoreHandle,
    error: RwSignal<Option<&'static str>>,
    i18n: crate::i18n::I18n,
    kind: &'static str,
    payload: serde_json::Value,
) {
    leptos::task::spawn_local(async move {
        let result = async {
            let store = store(handle)?;
            session
                .with(async |c| c.act(&store, kind, &payload).await.map(|_| ()))
                .await?;
            session.sync_now(&store).await;
            Ok::<_, ActError>(())
        }
        .await;
        error.set(result.err().map(|e| act_error_text(i18n.t(), &e)));
    });
}
