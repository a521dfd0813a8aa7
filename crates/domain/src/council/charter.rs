//! 议事规则 — the council's standing rules (`space.charter`, `DESIGN.md` §3.3): the least
//! quorum and the fewest seconds any proposal may ask, and which voters a resident may choose.
//! The latest charter in the order applies to proposals created after it; before any, there
//! are no minimums.

pub use super::act::Charter;
use super::act::Create;
use super::Council;
use crate::reject::Code;
use crate::roster::{Actor, Role};
use crate::wire::{FieldError, Problem};

impl Charter {
    /// The rules a new community starts from (the app proposes them when a community is
    /// founded): a quorum of at least 30 %, at least three seconds, and residents choosing
    /// between one vote each and one per household.
    pub fn recommended() -> Charter {
        Charter {
            min_quorum_pct: 30,
            min_seconds: 3,
            resident_eligibility: vec![
                super::ballot::Eligibility::Resident,
                super::ballot::Eligibility::Household,
            ],
        }
    }

    /// Whether `by` may create `c` under these rules (`against_charter` if not): staff may
    /// choose any eligibility; nobody a lower quorum or fewer seconds.
    pub fn allows(&self, by: &Actor, c: &Create) -> Result<(), Code> {
        self.check_create(by.role, c).map_err(|e| e.code)
    }

    /// [`Charter::allows`] for a member with `role`, naming the field at fault (what the
    /// propose form shows beside it).
    pub fn check_create(&self, role: Role, c: &Create) -> Result<(), FieldError> {
        let at_fault = |field, problem| FieldError {
            field,
            problem,
            code: Code::AgainstCharter,
        };
        if c.quorum_pct < self.min_quorum_pct {
            let min = i64::from(self.min_quorum_pct);
            return Err(at_fault("quorum_pct", Problem::BelowCharter { min }));
        }
        if c.seconds_needed < self.min_seconds {
            let min = i64::from(self.min_seconds);
            return Err(at_fault("seconds_needed", Problem::BelowCharter { min }));
        }
        if role == Role::Resident && !self.resident_eligibility.contains(&c.eligibility) {
            return Err(at_fault("eligibility", Problem::NotAllowed));
        }
        Ok(())
    }
}

/// What a judged charter changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Change(Charter);

impl Council {
    /// The standing rules in force, if the council adopted any.
    pub fn charter(&self) -> Option<&Charter> {
        self.charter.as_ref()
    }

    pub(crate) fn judge_charter(&self, by: &Actor, c: &Charter) -> Result<Change, Code> {
        if !by.role.is_council_or_admin() {
            return Err(Code::NotPermitted);
        }
        Ok(Change(c.clone()))
    }

    pub(crate) fn commit_charter(&mut self, change: Change) {
        self.charter = Some(change.0);
    }
}
