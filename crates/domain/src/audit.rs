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
    /// Every checkpoint signed (检查点), by key: its signers, whether it counts, and whether it
    /// matches the state recomputed at its frontier. A checkpoint that does not match is
    /// evidence against its signers.
    pub checkpoints: Vec<CheckpointReport>,
}

/// One checkpoint as the audit shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckpointReport {
    /// Its key: SHA-256 of its payload as signed.
    pub key: crate::id::Hex32,
    /// How many devices its whole frontier names (its own entries only while a part is
    /// missing).
    pub frontier: usize,
    /// How many `checkpoint.frontier` parts it lists.
    pub parts: usize,
    /// The event count it states.
    pub events: u64,
    /// The state digest it states.
    pub state: crate::id::Hex32,
    /// The snapshot file it names.
    pub snapshot: crate::checkpoint::SnapshotRef,
    /// Everyone who signed it, in the total order.
    pub signers: Vec<CheckpointSigner>,
    /// Distinct council members (at its frontier) among them.
    pub council_signers: usize,
    /// How many it needs to count.
    pub needed: usize,
    /// Whether it counts (a barrier of the order).
    pub counted: bool,
    /// The event count recomputed from the space's events.
    pub events_here: Option<u64>,
    /// The state digest recomputed at its frontier.
    pub state_here: Option<crate::id::Hex32>,
    /// Whether the count, the state digest and the snapshot's SHA-256 all match what it states
    /// (`null` when it cannot be recomputed).
    pub matches: Option<bool>,
    /// Devices that forked at a seq its frontier covers. A twin that arrived after the
    /// checkpoint changes the covered events: when `matches` is false and this is not empty,
    /// the fork may be the cause rather than the signers.
    pub forks_inside: Vec<DeviceKey>,
}

/// A checkpoint's signer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckpointSigner {
    /// The member.
    pub member: MemberId,
    /// Their name, masked (张*明).
    pub name: String,
    /// The signing device.
    pub device: DeviceKey,
    /// The `space.checkpoint` event.
    pub event: EventId,
    /// Whether the device was an active council (or admin) device at the frontier.
    pub council: bool,
}

fn checkpoints(space: &Space) -> Vec<CheckpointReport> {
    let roster = &space.state().roster;
    space
        .checkpoint_rows()
        .into_iter()
        .map(|row| CheckpointReport {
            key: row.key,
            frontier: row
                .frontier
                .as_ref()
                .map_or(row.checkpoint.frontier.len(), |f| f.len()),
            parts: row.checkpoint.parts.len(),
            events: row.checkpoint.events,
            state: row.checkpoint.state,
            snapshot: row.checkpoint.snapshot.clone(),
            signers: row
                .signatures
                .iter()
                .map(|(s, council)| CheckpointSigner {
                    member: s.member,
                    name: roster
                        .member(&s.member)
                        .map(|m| m.masked_name())
                        .unwrap_or_default(),
                    device: s.device,
                    event: s.event,
                    council: *council,
                })
                .collect(),
            council_signers: row.council_signers,
            needed: row.needed,
            counted: row.counted,
            events_here: row.events_here,
            state_here: row.state_here,
            matches: row.matches,
            forks_inside: space
                .forks()
                .iter()
                .filter(|(d, f)| {
                    row.frontier
                        .as_ref()
                        .unwrap_or(&row.checkpoint.frontier)
                        .covers_event(d, **f)
                })
                .map(|(d, _)| *d)
                .collect(),
        })
        .collect()
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
        checkpoints: checkpoints(space),
    }
}
