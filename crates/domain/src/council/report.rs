//! The council's sections of the audit report (`docs/protocol.md` §6): every ballot with its
//! numbers, every meeting with its attendance as member ids — never names.

use serde::Serialize;

use super::{Council, Outcome, Status};
use crate::id::{EventId, MemberId};

/// One proposal's ballot as the audit shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BallotReport {
    /// The proposal (its event id).
    pub proposal: EventId,
    /// Its title.
    pub title: String,
    /// Where it stands.
    pub status: Status,
    /// Eligible voters when the ballot closed (`null` until then).
    pub eligible: Option<u32>,
    /// Voters whose vote counted (`null` until the close).
    pub cast: Option<u32>,
    /// Votes per option: final once closed, running while open unless the proposal hides
    /// them until the close (`null` then).
    pub counts: Option<Vec<u32>>,
    /// `passed`, `rejected` or `no_quorum` (`null` until the close).
    pub outcome: Option<Outcome>,
}

/// One meeting as the audit shows it: no names, the attendance as member ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingReport {
    /// The meeting (its event id).
    pub id: EventId,
    /// Its title.
    pub title: String,
    /// Members who checked in.
    pub attendance: Vec<MemberId>,
    /// Whether minutes were posted.
    pub minutes: bool,
}

/// Every proposal's ballot, sorted by proposal id.
pub fn ballots(council: &Council) -> Vec<BallotReport> {
    council
        .proposals()
        .into_iter()
        .map(|p| BallotReport {
            proposal: p.id,
            title: p.spec.title.to_string(),
            status: p.status,
            eligible: p.tally.as_ref().map(|t| t.eligible),
            cast: p.tally.as_ref().map(|t| t.cast),
            counts: if p.status == Status::Voting || p.tally.is_some() {
                p.running_counts()
            } else {
                None
            },
            outcome: p.tally.as_ref().map(|t| t.outcome),
        })
        .collect()
}

/// Every meeting, sorted by id.
pub fn meetings(council: &Council) -> Vec<MeetingReport> {
    council
        .meetings()
        .into_iter()
        .map(|m| MeetingReport {
            id: m.id,
            title: m.schedule.title.to_string(),
            attendance: m.attendance.clone(),
            minutes: m.minutes.is_some(),
        })
        .collect()
}
