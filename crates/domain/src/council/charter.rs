//! 议事规则 — the council's standing rules (`space.charter`, `DESIGN.md` §3.3): the least
//! quorum and the fewest seconds any proposal may ask, and which voters a resident may choose.
//! The latest charter in the order applies to proposals created after it; before any, there
//! are no minimums.

pub use super::act::Charter;
use super::act::Create;
use super::Council;
use crate::reject::Code;
use crate::roster::{Actor, Role};

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
        let eligibility_ok =
            by.role != Role::Resident || self.resident_eligibility.contains(&c.eligibility);
        if c.quorum_pct < self.min_quorum_pct
            || c.seconds_needed < self.min_seconds
            || !eligibility_ok
        {
            return Err(Code::AgainstCharter);
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
