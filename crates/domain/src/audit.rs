//! The audit report (`DESIGN.md` §3.4): what anyone can check about a space without trusting
//! the hub or the app. Printed as JSON by `linli-hub audit --json`.

use serde::Serialize;

use crate::id::{DeviceKey, EventId, MemberId, SpaceId};
use crate::payload::Role;
use crate::reject::Code;
use crate::space::Space;

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The space id.
    pub space: SpaceId,
    /// Its name (`null` if the genesis is missing).
    pub name: Option<String>,
    /// Event counts.
    pub events: Counts,
    /// Every rejected event, opened or not, sorted by id.
    pub rejections: Vec<Rejection>,
    /// Devices that signed two different events with the same seq.
    pub forks: Vec<Fork>,
    /// The roster, sorted by member id.
    pub members: Vec<MemberReport>,
    /// Every proposal's ballot, sorted by proposal id.
    pub ballots: Vec<BallotReport>,
    /// Council meetings, sorted by id.
    pub meetings: Vec<MeetingReport>,
}

/// One proposal's ballot as the audit shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BallotReport {
    /// The proposal (its event id).
    pub proposal: EventId,
    /// Its title.
    pub title: String,
    /// Where it stands.
    pub status: crate::council::Status,
    /// Eligible voters when the ballot closed (`null` until then).
    pub eligible: Option<u32>,
    /// Voters whose vote counted (`null` until the close).
    pub cast: Option<u32>,
    /// Votes per option: final once closed, running while open unless the proposal hides
    /// them until the close (`null` then).
    pub counts: Option<Vec<u32>>,
    /// `passed`, `rejected` or `no_quorum` (`null` until the close).
    pub outcome: Option<crate::council::Outcome>,
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

/// Accepted and rejected events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Events that applied.
    pub accepted: u64,
    /// Events kept as evidence without effect (including envelopes that did not open).
    pub rejected: u64,
}

/// One rejected event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// Its id (SHA-256 of the body, or of the envelope when the body could not be decoded).
    pub id: EventId,
    /// Why.
    pub code: Code,
}

/// A forked device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fork {
    /// The device.
    pub device: DeviceKey,
    /// The first seq it signed twice.
    pub seq: u64,
}

/// One member as the audit shows them: no display name, only the household code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberReport {
    /// Member id.
    pub id: MemberId,
    /// Role now.
    pub role: Role,
    /// Household code.
    pub household: String,
    /// Active devices.
    pub devices: Vec<DeviceKey>,
    /// Revoked devices.
    pub revoked_devices: Vec<DeviceKey>,
}

/// Builds the report of a space.
pub fn report(space: &Space) -> Report {
    let state = space.state();
    let rejections: Vec<Rejection> = space
        .rejections()
        .into_iter()
        .map(|(id, code)| Rejection { id, code })
        .collect();
    let mut by_id: Vec<&crate::roster::Member> = state.roster.members().collect();
    by_id.sort_by_key(|m| m.id);
    let members = by_id
        .into_iter()
        .map(|m| {
            let (active, revoked): (Vec<DeviceKey>, Vec<DeviceKey>) = state
                .roster
                .devices_of(m)
                .into_iter()
                .partition(|d| state.roster.device(d).is_some_and(|x| !x.revoked));
            MemberReport {
                id: m.id,
                role: m.role,
                household: m.household.to_string(),
                devices: active,
                revoked_devices: revoked,
            }
        })
        .collect();
    Report {
        space: space.id(),
        name: state.name.clone(),
        events: Counts {
            accepted: state.accepted,
            rejected: rejections.len() as u64,
        },
        rejections,
        forks: space
            .forks()
            .iter()
            .map(|(d, s)| Fork {
                device: *d,
                seq: *s,
            })
            .collect(),
        members,
        ballots: state
            .council
            .proposals()
            .into_iter()
            .map(|p| BallotReport {
                proposal: p.id,
                title: p.spec.title.to_string(),
                status: p.status,
                eligible: p.tally.as_ref().map(|t| t.eligible),
                cast: p.tally.as_ref().map(|t| t.cast),
                counts: if p.status == crate::council::Status::Voting || p.tally.is_some() {
                    p.running_counts()
                } else {
                    None
                },
                outcome: p.tally.as_ref().map(|t| t.outcome),
            })
            .collect(),
        meetings: state
            .council
            .meetings()
            .into_iter()
            .map(|m| MeetingReport {
                id: m.id,
                title: m.schedule.title.to_string(),
                attendance: m.attendance.clone(),
                minutes: m.minutes.is_some(),
            })
            .collect(),
    }
}
