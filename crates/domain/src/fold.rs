//! The fold (`DESIGN.md` §3.2): state is a pure function of the events, applied in total
//! order. Each event either applies or is recorded as rejected with one [`Code`].

use std::collections::BTreeMap;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::at::At;
use crate::command::{Command, Payload};
use crate::envelope::Event;
use crate::id::{DeviceKey, EventId, Hex32, SpaceId};
use crate::reject::Code;
pub use crate::roster::ChainHead;
use crate::roster::{self, Actor, Roster};
use crate::table::IdMap;
use crate::{checkpoint, council, points, services, volunteers, Role};

/// What a judged command changes, per area.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Change {
    /// The community is founded: its name, and the founder admitted.
    Genesis(std::sync::Arc<str>, roster::Change),
    Roster(roster::Change),
    Council(council::Change),
    Points(points::Change),
    Volunteers(volunteers::Change),
    Services(services::Change),
    Checkpoint(checkpoint::Change),
}

/// The lowest forked `seq` of each device that forked: from there on, nothing it signed counts.
pub type Forks = BTreeMap<DeviceKey, u64>;

/// Everything the community's events say, folded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    /// The community: the genesis event's id.
    pub space: SpaceId,
    /// Its name, once the genesis is applied.
    pub name: Option<String>,
    /// Members, devices (with each device's chain head) and invitations.
    pub roster: Roster,
    /// Proposals, ballots and meetings (议事).
    pub council: crate::council::Council,
    /// Points, the store, the red and black lists (积分).
    pub points: points::Points,
    /// Volunteers' profiles, activities and hours (志愿服务).
    pub volunteers: volunteers::Volunteers,
    /// Requests for help, polls, the public board and the funds ledger.
    pub services: services::Services,
    /// Checkpoint signatures, and the counted checkpoints passed (检查点).
    pub checkpoints: checkpoint::Checkpoints,
    /// How many events applied.
    pub accepted: u64,
    /// Events that had no effect, and why.
    rejected: IdMap<Code>,
}

/// `{"space", "name", "roster", "council", "points", "volunteers", "services", "chains":
/// {device: head}, "accepted", "rejected": {id: code}}`, maps in key order, then
/// `"checkpoints"` once a checkpoint was signed (so states without any keep their bytes).
impl Serialize for State {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Chains<'a>(&'a Roster);
        impl Serialize for Chains<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.0.serialize_chains(s)
            }
        }
        let rejected: BTreeMap<_, _> = self.rejected.iter().collect();
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("space", &self.space)?;
        map.serialize_entry("name", &self.name)?;
        map.serialize_entry("roster", &self.roster)?;
        map.serialize_entry("council", &self.council)?;
        map.serialize_entry("points", &self.points)?;
        map.serialize_entry("volunteers", &self.volunteers)?;
        map.serialize_entry("services", &self.services)?;
        map.serialize_entry("chains", &Chains(&self.roster))?;
        map.serialize_entry("accepted", &self.accepted)?;
        map.serialize_entry("rejected", &rejected)?;
        if !self.checkpoints.is_empty() {
            map.serialize_entry("checkpoints", &self.checkpoints)?;
        }
        map.end()
    }
}

/// The state as a snapshot carries it: everything the fold needs to go on, tables in fold
/// order and maps in key order (the canonical JSON leaves out what it can derive; a
/// snapshot cannot).
#[derive(Serialize)]
struct DumpOut<'a, R, C, P, V, S> {
    space: SpaceId,
    name: &'a Option<String>,
    roster: R,
    council: C,
    points: P,
    volunteers: V,
    services: S,
    checkpoints: &'a checkpoint::Checkpoints,
    accepted: u64,
    rejected: BTreeMap<&'a EventId, &'a Code>,
}

/// [`DumpOut`] read back.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DumpIn {
    space: SpaceId,
    name: Option<String>,
    roster: Roster,
    council: council::Council,
    points: points::Points,
    volunteers: volunteers::Volunteers,
    services: services::Services,
    checkpoints: checkpoint::Checkpoints,
    accepted: u64,
    rejected: BTreeMap<EventId, Code>,
}

impl State {
    /// The state before any event of `space`.
    pub fn new(space: SpaceId) -> State {
        State {
            space,
            name: None,
            roster: Roster::default(),
            council: Default::default(),
            points: Default::default(),
            volunteers: Default::default(),
            services: Default::default(),
            checkpoints: Default::default(),
            accepted: 0,
            rejected: IdMap::default(),
        }
    }

    /// Why an event was rejected, if it was.
    pub fn rejection(&self, id: &EventId) -> Option<Code> {
        self.rejected.get(id).copied()
    }

    /// Every rejected event and its code, in no particular order.
    pub fn rejected(&self) -> impl Iterator<Item = (EventId, Code)> + '_ {
        self.rejected.iter().map(|(id, c)| (*id, *c))
    }

    /// How many events were rejected.
    pub fn rejected_count(&self) -> usize {
        self.rejected.len()
    }

    /// Canonical JSON of the whole state: maps in key order, no whitespace. Two devices that
    /// hold the same events produce the same bytes.
    pub fn to_canonical_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The state check code (状态校验码): the first 12 hex digits of SHA-256 of
    /// [`State::to_canonical_json`] — the same on every device holding the same events, shown
    /// by the app and printed by the audit.
    pub fn state_hash(&self) -> String {
        crate::id::sha256(self.to_canonical_json().as_bytes()).to_hex()[..12].to_owned()
    }

    /// The full SHA-256 of [`State::to_canonical_json`]: what a checkpoint's `state` names.
    pub fn state_digest(&self) -> Hex32 {
        crate::id::sha256(self.to_canonical_json().as_bytes())
    }

    /// The state as a snapshot carries it (JSON, no whitespace): deterministic, and read
    /// back exactly by [`State::from_snapshot_json`].
    pub fn to_snapshot_json(&self) -> String {
        let out = DumpOut {
            space: self.space,
            name: &self.name,
            roster: self.roster.dump(),
            council: self.council.dump(),
            points: self.points.dump(),
            volunteers: self.volunteers.dump(),
            services: self.services.dump(),
            checkpoints: &self.checkpoints,
            accepted: self.accepted,
            rejected: self.rejected.iter().collect(),
        };
        serde_json::to_string(&out).unwrap_or_default()
    }

    /// Reads [`State::to_snapshot_json`] back.
    pub fn from_snapshot_value(value: &serde_json::value::RawValue) -> Result<State, String> {
        let d: DumpIn = serde_json::from_str(value.get()).map_err(|e| e.to_string())?;
        Ok(State {
            space: d.space,
            name: d.name,
            roster: d.roster,
            council: d.council,
            points: d.points,
            volunteers: d.volunteers,
            services: d.services,
            checkpoints: d.checkpoints,
            accepted: d.accepted,
            rejected: d.rejected.into_iter().collect(),
        })
    }

    /// Reads [`State::to_snapshot_json`] back from its text.
    pub fn from_snapshot_json(json: &str) -> Result<State, String> {
        let raw: &serde_json::value::RawValue =
            serde_json::from_str(json).map_err(|e| e.to_string())?;
        State::from_snapshot_value(raw)
    }

    /// The fold passed a counted checkpoint's barrier (see [`crate::Space`]).
    pub(crate) fn count_checkpoint(&mut self, counted: checkpoint::Counted) {
        self.checkpoints.count(counted);
    }

    /// Applies one event at its place in the order. `forks` comes from the whole log.
    pub fn apply(&mut self, event: &Event, forks: &Forks) {
        match self.check_and_apply(event, forks) {
            Ok(()) => self.accepted += 1,
            Err(code) => {
                self.rejected.insert(event.id, code);
            }
        }
    }

    fn check_and_apply(&mut self, event: &Event, forks: &Forks) -> Result<(), Code> {
        self.check_space(event)?;
        if !forks.is_empty()
            && forks
                .get(&event.author)
                .is_some_and(|&from| event.seq >= from)
        {
            return Err(Code::Fork);
        }
        // The author's one lookup by key; every rule below reaches it by index.
        let device = self.roster.device_ix(event.author);
        self.advance_chain(event, device)?;
        let command = match &event.payload {
            Payload::Invalid(code) => return Err(*code),
            Payload::Unknown => return Err(Code::UnknownKind),
            Payload::Command(c) => c,
        };
        let at = event.at();
        if let Command::Points(act) = command {
            // What `judge` and `commit` do for points, without wrapping the points' change
            // (a new entry is a few hundred bytes) in the fold's.
            let actor = self.roster.actor_at(device)?;
            match self.points.judge(&self.roster, &actor, &at, act) {
                Ok(change) => {
                    let hours = self.points.voided_hours(&change);
                    self.points.commit(change);
                    if let Some(id) = hours {
                        self.volunteers.hours_voided(&id);
                    }
                }
                Err(code) => {
                    let change = self.reverse_minutes(&actor, act, code)?;
                    self.volunteers.commit(change);
                }
            }
            return Ok(());
        }
        let change = self.judge(|| self.roster.actor_at(device), &at, command)?;
        self.commit(&at, change);
        Ok(())
    }

    /// The rules: whether `command` may apply at `at`, and what it changes. `actor` finds
    /// the author's member (only asked for acts of members: not for a genesis or a join).
    fn judge(
        &self,
        actor: impl FnOnce() -> Result<Actor, Code>,
        at: &At,
        command: &Command,
    ) -> Result<Change, Code> {
        match command {
            Command::Roster(act @ roster::Act::Genesis(g)) => Ok(Change::Genesis(
                g.name.clone(),
                self.roster.judge(None, at, act)?,
            )),
            Command::Roster(act @ roster::Act::Join(_)) => {
                self.roster.judge(None, at, act).map(Change::Roster)
            }
            Command::Roster(act) => self
                .roster
                .judge(Some(&actor()?), at, act)
                .map(Change::Roster),
            Command::Council(act) => self
                .council
                .judge(&self.roster, &actor()?, at, act)
                .map(Change::Council),
            Command::Points(act) => {
                let actor = actor()?;
                match self.points.judge(&self.roster, &actor, at, act) {
                    Ok(change) => Ok(Change::Points(change)),
                    Err(code) => self
                        .reverse_minutes(&actor, act, code)
                        .map(Change::Volunteers),
                }
            }
            Command::Volunteers(act) => self
                .volunteers
                .judge(&self.roster, &self.points, &actor()?, at, act)
                .map(Change::Volunteers),
            Command::Checkpoint(act) => self
                .checkpoints
                .judge(&self.roster, &actor()?, at, act)
                .map(Change::Checkpoint),
            Command::Services(act) => self
                .services
                .judge(
                    &self.roster,
                    |p| self.council.proposal(p).is_some(),
                    &actor()?,
                    at,
                    act,
                )
                .map(Change::Services),
        }
    }

    /// A `points.reverse` the points refused with `code` because it names no entry: it may
    /// name hours with no entry (an activity with no rule), whose minutes it takes back.
    fn reverse_minutes(
        &self,
        actor: &Actor,
        act: &points::Act,
        code: Code,
    ) -> Result<volunteers::Change, Code> {
        match act {
            points::Act::Reverse(r) if code == Code::UnknownEntry => {
                self.volunteers.judge_reverse(actor, &r.entry)
            }
            _ => Err(code),
        }
    }

    fn commit(&mut self, at: &At, change: Change) {
        match change {
            Change::Genesis(name, admit) => {
                self.name = Some(name.to_string());
                self.roster.commit(at, admit);
            }
            Change::Roster(c) => self.roster.commit(at, c),
            Change::Council(c) => self.council.commit(c),
            Change::Points(c) => {
                let hours = self.points.voided_hours(&c);
                self.points.commit(c);
                if let Some(id) = hours {
                    self.volunteers.hours_voided(&id);
                }
            }
            Change::Volunteers(mut c) => {
                if let Some(entry) = c.take_entry() {
                    self.points.commit(points::Change::Entry(entry));
                }
                self.volunteers.commit(c);
            }
            Change::Services(c) => self.services.commit(c),
            Change::Checkpoint(c) => self.checkpoints.commit(c),
        }
    }

    /// Whether `command`, signed by `device` as its next event, would be accepted by the
    /// rules — exactly the judgement the fold makes when the event arrives in this state.
    /// The payload's own checks are [`Command::validate`]'s; [`State::check`] asks both.
    pub fn allows(&self, device: &DeviceKey, command: &Command) -> Result<(), Code> {
        self.allows_at(device, command, 0)
    }

    /// [`State::allows`] for an event that will carry `ts`: the rules that read an event's
    /// time (an appeal's window, the month a cap counts in) judge it as they will when it
    /// arrives. [`State::allows`] asks with `ts` 0, where those rules are lenient.
    pub fn allows_at(&self, device: &DeviceKey, command: &Command, ts: i64) -> Result<(), Code> {
        if matches!(command, Command::Roster(roster::Act::Genesis(_))) {
            // This space is founded already.
            return Err(Code::WrongSpace);
        }
        let at = At {
            id: Hex32::default(),
            author: *device,
            seq: self.roster.chain(device).map_or(1, |h| h.seq + 1),
            ts,
        };
        self.judge(|| self.roster.actor(device), &at, command)
            .map(|_| ())
    }

    /// [`Command::validate`], then [`State::allows`]: what a device asks before it signs.
    pub fn check(&self, device: &DeviceKey, command: &Command) -> Result<(), Code> {
        command.validate()?;
        self.allows(device, command)
    }

    /// The role of the member behind an active device, if it has one.
    pub fn role_of(&self, device: &DeviceKey) -> Option<Role> {
        self.roster.actor(device).ok().map(|a| a.role)
    }

    /// Only this space's genesis may lack `space`; every other event must name it.
    fn check_space(&self, event: &Event) -> Result<(), Code> {
        // By kind, not by payload: a genesis with a malformed payload is still a genesis.
        let is_genesis = event.kind == "space.genesis";
        match (event.space, is_genesis) {
            (None, true) if event.id == self.space => Ok(()),
            (Some(space), false) if space == self.space => Ok(()),
            _ => Err(Code::WrongSpace),
        }
    }

    /// Chain checks; on success the event becomes its device's chain head, whatever the
    /// rules then say about it (a rejected event still holds its place in the chain).
    fn advance_chain(&mut self, event: &Event, device: u32) -> Result<(), Code> {
        let head = self.roster.chain_at(device);
        if event.seq == 1 {
            if event.prev.is_some() {
                return Err(Code::ChainMismatch);
            }
        } else {
            let head = head.ok_or(Code::ChainGap)?;
            if head.seq + 1 != event.seq {
                return Err(Code::ChainGap);
            }
            if event.prev != Some(head.id) {
                return Err(Code::ChainMismatch);
            }
            if event.lamport <= head.lamport {
                return Err(Code::LamportNotIncreasing);
            }
        }
        self.roster.set_chain_at(
            device,
            ChainHead {
                seq: event.seq,
                id: event.id,
                lamport: event.lamport,
            },
        );
        Ok(())
    }
}
