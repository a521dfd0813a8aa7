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
use crate::components::{FieldIssue, Issue};
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
    /// The field at fault in the last attempt: its key (`kind/field`) and what is wrong.
    field: RwSignal<Option<(String, Issue)>>,
    session: Session,
    i18n: I18n,
}

/// The acting state of a page.
pub fn use_act() -> Acting {
    Acting {
        error: RwSignal::new(None),
        busy: RwSignal::new(false),
        field: RwSignal::new(None),
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
        self.field.set(None);
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            let result = action.await;
            self.busy.set(false);
            match result {
                Ok(t) => done(t),
                Err(ActError::Field { kind, error }) => {
                    self.fail_field(
                        &format!("{kind}/{}", error.field),
                        Issue::Problem(error.problem),
                    );
                }
                Err(e) => self.error.set(Some(act_error_text(self.i18n.t(), &e))),
            }
        });
    }

    /// Forgets the last error and the field at fault (a form opened afresh).
    pub fn clear(&self) {
        self.error.set(None);
        self.field.set(None);
    }

    /// Marks field `key` (`kind/field`, as the form's [`FieldIssue`] names it) as wrong: the
    /// message beside it, a line above the button, and the focus on the field.
    pub fn fail_field(&self, key: &str, issue: Issue) {
        self.error.set(Some(self.i18n.t().err_fields));
        self.field.set(Some((key.to_owned(), issue)));
        let selector = format!("[data-field=\"{key}\"]");
        request_animation_frame(move || {
            let found = document().query_selector(&selector).ok().flatten();
            if let Some(el) =
                found.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
            {
                let _ = el.focus();
            }
        });
    }

    /// The whole number typed in `value` for field `key` (`kind/field`), or `None` with the
    /// field marked. One too large for its type becomes the type's largest, which the domain
    /// then refuses with its range.
    pub fn number<T: TryFrom<u64> + num_max::Max>(
        &self,
        value: RwSignal<String>,
        key: &str,
    ) -> Option<T> {
        match value.get_untracked().trim().parse::<u64>() {
            Ok(n) => Some(T::try_from(n).unwrap_or(T::MAX)),
            Err(_) => {
                self.fail_field(key, Issue::NotANumber);
                None
            }
        }
    }

    /// What is wrong with field `key` (`kind/field`, e.g. `proposal.create/title`), for the
    /// form's input to show.
    pub fn field(&self, key: &'static str) -> FieldIssue {
        let field = self.field;
        FieldIssue {
            key,
            issue: Signal::derive(move || {
                field.with(|f| f.as_ref().filter(|(k, _)| k == key).map(|(_, i)| *i))
            }),
        }
    }

    /// Checks `command`'s fields as the domain does (its limits only; the standing rules and
    /// everything else are checked when it is sent), marking the first at fault. For
    /// commands sent outside [`Acting::send`] (founding, joining).
    pub fn check(&self, command: &Command) -> bool {
        match command.check() {
            Ok(()) => true,
            Err(e) => {
                self.fail_field(
                    &format!("{}/{}", command.kind(), e.field),
                    Issue::Problem(e.problem),
                );
                false
            }
        }
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
        ActError::Distrusted => m.err_distrusted,
        ActError::Invalid(_) => m.err_invalid,
        ActError::Field { .. } => m.err_fields,
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
        Code::UnknownRule => m.code_unknown_rule,
        Code::RuleRetired => m.code_rule_retired,
        Code::NotClaimable => m.code_not_claimable,
        Code::SelfDealing => m.code_self_dealing,
        Code::UnknownEntry => m.code_unknown_entry,
        Code::NotAppealable => m.code_not_appealable,
        Code::AppealLate => m.code_appeal_late,
        Code::UnknownItem => m.code_unknown_item,
        Code::InsufficientPoints => m.code_insufficient_points,
        Code::OutOfStock => m.code_out_of_stock,
        Code::UnknownActivity => m.code_unknown_activity,
        Code::ActivityFull => m.code_activity_full,
        Code::NotSignedUp => m.code_not_signed_up,
        Code::NotConfirmed => m.code_not_confirmed,
        Code::OutsideTime => m.code_outside_time,
        Code::RuleNotPositive => m.code_rule_not_positive,
        Code::UnknownRequest => m.code_unknown_request,
        Code::AlreadyTaken => m.code_already_taken,
        Code::NotOwner => m.code_not_owner,
        Code::NotStaff => m.code_not_staff,
        Code::ReopenLate => m.code_reopen_late,
        Code::UnknownPoll => m.code_unknown_poll,
        Code::PollClosed => m.code_poll_closed,
        _ => m.err_rejected,
    }
}

/// The largest value of the integer types forms read.
pub mod num_max {
    /// A type's largest value.
    pub trait Max {
        /// It.
        const MAX: Self;
    }
    impl Max for u8 {
        const MAX: u8 = u8::MAX;
    }
    impl Max for u32 {
        const MAX: u32 = u32::MAX;
    }
}
