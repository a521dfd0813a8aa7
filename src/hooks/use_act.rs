//! `use_act`: sends a command of this device's member — judged by the domain, signed, stored,
//! synced — and shows what went wrong in the user's language.
//!
//! ```ignore
//! let act = use_act();
//! view! { <button on:click=move |_| act.send(Act::Second(ProposalRef { proposal }))>…</button>
//!         <FormError error=act.error/> }
//! ```

use std::future::Future;

use leptos::prelude::*;
use linli_domain::{Code, Command, Event};

use crate::boot::store_error_text;
use crate::engine::ActError;
use crate::i18n::{use_i18n, Common, I18n};
use crate::session::{use_session, Session};

/// A page's acting state: its last error and whether an act is under way.
#[derive(Clone, Copy)]
pub struct Acting {
    /// What went wrong last, in the user's language.
    pub error: RwSignal<Option<&'static str>>,
    /// An act is under way (buttons wait).
    pub busy: RwSignal<bool>,
    session: Session,
    i18n: I18n,
}

/// The acting state of a page.
pub fn use_act() -> Acting {
    Acting {
        error: RwSignal::new(None),
        busy: RwSignal::new(false),
        session: use_session(),
        i18n: use_i18n(),
    }
}

impl Acting {
    /// Sends a command.
    pub fn send(self, command: impl Into<Command>) {
        self.send_then(command, |_| {});
    }

    /// Sends a command, then calls `done` with the event it became.
    pub fn send_then(self, command: impl Into<Command>, done: impl FnOnce(Event) + 'static) {
        let (session, command) = (self.session, command.into());
        self.run(crate::engine::act(session, command), done);
    }

    /// Runs any action that may fail with an [`ActError`], showing the failure.
    pub fn run<T: 'static>(
        self,
        action: impl Future<Output = Result<T, ActError>> + 'static,
        done: impl FnOnce(T) + 'static,
    ) {
        self.error.set(None);
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            let result = action.await;
            self.busy.set(false);
            match result {
                Ok(t) => done(t),
                Err(e) => self.error.set(Some(act_error_text(self.i18n.t(), &e))),
            }
        });
    }

    /// The session this page acts in.
    pub fn session(&self) -> Session {
        self.session
    }

    /// Shows a message of the page's own (a form that is not complete, say).
    pub fn fail(&self, message: &'static str) {
        self.error.set(Some(message));
    }
}

/// What to tell the user about a failed action, in their language.
pub fn act_error_text(m: &'static Common, e: &ActError) -> &'static str {
    match e {
        ActError::Store(e) => store_error_text(m, e),
        ActError::Sign(_) => m.err_sign,
        ActError::Net(_) => m.err_net,
        ActError::Refused(code) | ActError::Rejected(code) => code_text(m, *code),
        ActError::Part(_) => m.part_failed,
        ActError::NoCommunity => m.err_no_community,
        ActError::Invalid(_) => m.err_invalid,
    }
}

/// Why the community's rules refused an act, in the user's language.
pub fn code_text(m: &'static Common, code: Code) -> &'static str {
    match code {
        Code::NotPermitted => m.code_not_permitted,
        Code::WrongState => m.code_wrong_state,
        Code::Duplicate => m.code_duplicate,
        Code::NotEligible => m.code_not_eligible,
        Code::BadChoice | Code::MalformedPayload | Code::Malformed => m.code_malformed,
        Code::OverLimit => m.code_over_limit,
        Code::WrongCode => m.code_wrong_code,
        Code::UnknownProposal | Code::UnknownMember | Code::UnknownDevice => m.code_unknown,
        Code::UnknownAuthor | Code::RevokedDevice | Code::Fork => m.code_not_member,
        Code::InviteUsed | Code::InviteRevoked | Code::InviteUnknown => m.err_invite_used,
        Code::DeviceTaken => m.code_device_taken,
        Code::AgainstCharter => m.code_against_charter,
        _ => m.err_rejected,
    }
}
