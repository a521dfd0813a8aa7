//! The audit report (`DESIGN.md` §3.4): what anyone can check about a space without trusting
//! the hub or the app. Printed as JSON by `linli-hub audit --json`.

use serde::Serialize;

use crate::council::report::{BallotReport, MeetingReport};
use crate::id::{DeviceKey, EventId, MemberId, SpaceId};
use crate::reject::Code;
use crate::roster::Role;
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
    /// The state check code (状态校验码, [`crate::State::state_hash`]): what the app's 同步与数据
    /// and its printed monthly ledger show.
    pub state_hash: String,
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
    /// The council's standing rules in force (议事规则, `null` before any).
    pub charter: Option<crate::council::Charter>,
    /// Points: balances, entries, the red and black lists, the store's items.
    pub points: crate::points::report::PointsReport,
    /// Every activity, by id: status, confirmed volunteers, wait list.
    pub activities: Vec<crate::volunteers::report::ActivityRow>,
    /// Every volunteer with confirmed minutes not reversed, by member id.
    pub volunteers: Vec<crate::volunteers::report::VolunteerRow>,
    /// Every request for help, by id: status, owner, stars.
    pub requests: Vec<crate::services::report::RequestRow>,
    /// Every poll, by id: how many answered, and the counts per option.
    pub polls: Vec<crate::services::report::PollRow>,
    /// The funds ledger's totals, voided entries left out.
    pub funds: crate::services::report::FundsRow,
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
        state_hash: state.state_hash(),
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
        ballots: crate::council::report::ballots(&state.council),
        meetings: crate::council::report::meetings(&state.council),
        charter: state.council.charter().cloned(),
        points: crate::points::report::points(&state.points),
        activities: crate::volunteers::report::activities(&state.volunteers),
        volunteers: crate::volunteers::report::volunteers(&state.volunteers),
        requests: crate::services::report::requests(&state.services),
        polls: crate::services::report::polls(&state.services),
        funds: crate::services::report::funds(&state.services),
    }
}
