//! A space's log: every event received, deduplicated, in total order, with the folded state
//! kept current incrementally.
//!
//! New events usually land at the end of the order and are applied directly. An event that
//! arrives late with a lower position (or a newly found fork) makes the state re-fold from the
//! last restore point before it, never from scratch unless it is older than every one.
//!
//! Counted checkpoints (`checkpoints`) are barriers of the order: the order is by
//! (epoch, position, id), where an event's epoch is the index of the first counted
//! checkpoint whose frontier covers it. A space may also start from a checkpoint's snapshot
//! instead of the genesis (`Space::from_snapshot`): then it holds only the events after that
//! frontier, and answers exactly as a space holding them all.

mod checkpoints;

pub use checkpoints::{
    verify_checkpoint, verify_checkpoint_hashed, verify_decoded, CheckpointError, CheckpointRow,
    Prepared, Verified,
};

use std::collections::{BTreeMap, HashMap};

use crate::checkpoint::{Checkpoint, Counted, Frontier};
use crate::command::{Command, Payload};
use crate::council::{self, CouncilActions, MeetingActions, ProposalActions};
use crate::envelope::{Event, Position, Unopened};
use crate::fold::{Forks, State};
use crate::id::{DeviceKey, EventId, Hex32, SpaceId};
use crate::reject::Code;
use crate::wire::FieldError;

/// Least number of events between restore points.
const MIN_CHECKPOINT_GAP: usize = 1024;
/// Most restore points kept; past it, every other one is dropped (the gaps double).
const MAX_CHECKPOINTS: usize = 16;

/// An event's place in the fold: its epoch (the first counted checkpoint covering it, or
/// [`NO_EPOCH`]), its position in the total order, its id (fork twins tie on position).
type Key = (u32, Position, EventId);

/// The epoch of events no counted checkpoint covers (and of other spaces' events).
const NO_EPOCH: u32 = u32::MAX;

/// What [`Space::insert`] did with each event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// New to the log (it may still be rejected by the fold: see [`Space::state`]).
    Added,
    /// Already held (or inside the snapshot this space started from).
    Duplicate,
}

/// Where a space that started from a snapshot starts.
#[derive(Clone, Debug)]
struct Base {
    /// The snapshot's state with its checkpoint counted.
    state: State,
    /// The snapshot's frontier: events it covers are in the state, never held.
    frontier: Frontier,
    /// How many events it covers.
    events: u64,
}

/// The events a snapshot covers ([`Space::cover`]).
#[derive(Clone, Debug)]
pub struct Cover {
    space: SpaceId,
    frontier: Frontier,
}

impl Cover {
    /// Whether the envelope is an event of this space inside the snapshot's frontier: one
    /// that [`Space::insert`] would skip (its effect is in the snapshot's state), so that its
    /// signature need not be checked now. An envelope whose body does not read is not.
    pub fn covers(&self, u: &crate::envelope::Unverified) -> bool {
        u.space_and_seq().is_some_and(|(space, seq)| {
            let belongs = space == Some(self.space) || (space.is_none() && u.id() == self.space);
            belongs && self.frontier.covers_event(&u.author(), seq)
        })
    }
}

/// One community's events and their fold.
#[derive(Clone, Debug)]
pub struct Space {
    space: SpaceId,
    events: HashMap<EventId, Event>,
    /// Every held event's key, sorted.
    order: Vec<Key>,
    /// Ids per (device, seq) among events of this space: more than one is a fork.
    slots: HashMap<(DeviceKey, u64), Vec<EventId>>,
    forks: Forks,
    unopened: BTreeMap<EventId, Unopened>,
    state: State,
    /// How many events of `order` the state has applied.
    applied: usize,
    /// States before the event at an index of `order`, to re-fold from.
    checkpoints: Vec<(usize, State)>,
    /// Counted checkpoints, oldest first: the barriers the order is built with.
    barriers: Vec<Counted>,
    /// Held `space.checkpoint` events of this space, by checkpoint key.
    candidates: BTreeMap<Hex32, (Checkpoint, Vec<EventId>)>,
    /// The snapshot this space started from, if any.
    base: Option<Base>,
    /// Every signed checkpoint's frontier: an event arriving inside it may change which
    /// checkpoints count.
    watch: Frontier,
    max_lamport: u64,
}

impl Space {
    /// An empty log for the space whose genesis has id `space`.
    pub fn new(space: SpaceId) -> Space {
        Space {
            space,
            events: HashMap::new(),
            order: Vec::new(),
            slots: HashMap::new(),
            forks: Forks::new(),
            unopened: BTreeMap::new(),
            state: State::new(space),
            applied: 0,
            checkpoints: Vec::new(),
            barriers: Vec::new(),
            candidates: BTreeMap::new(),
            base: None,
            watch: Frontier::default(),
            max_lamport: 0,
        }
    }

    /// The space id.
    pub fn id(&self) -> SpaceId {
        self.space
    }

    /// The folded state of everything held.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Envelopes that could not be opened, kept as evidence.
    pub fn unopened(&self) -> &BTreeMap<EventId, Unopened> {
        &self.unopened
    }

    /// Devices that forked, with the seq from which they stopped counting.
    pub fn forks(&self) -> &Forks {
        &self.forks
    }

    /// Events held, in the fold's order.
    pub fn events(&self) -> impl Iterator<Item = &Event> {
        self.order
            .iter()
            .filter_map(|(_, _, id)| self.events.get(id))
    }

    /// An event by id.
    pub fn get(&self, id: &EventId) -> Option<&Event> {
        self.events.get(id)
    }

    /// How many opened events are held (a space started from a snapshot holds only the
    /// events after its frontier).
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The highest lamport held: a device's next event must exceed it.
    pub fn max_lamport(&self) -> u64 {
        let base = self.base.as_ref().map_or(0, |b| {
            b.state
                .roster
                .chains()
                .map(|(_, h)| h.lamport)
                .max()
                .unwrap_or(0)
        });
        self.max_lamport.max(base)
    }

    /// Records an envelope that could not be opened.
    pub fn insert_unopened(&mut self, u: Unopened) -> Outcome {
        if self.unopened.contains_key(&u.id) || self.events.contains_key(&u.id) {
            return Outcome::Duplicate;
        }
        self.unopened.insert(u.id, u);
        Outcome::Added
    }

    /// Adds opened events (in any order, duplicates welcome) and brings the state up to date.
    pub fn insert(&mut self, batch: impl IntoIterator<Item = Event>) -> Vec<Outcome> {
        let mut earliest: Option<Key> = None;
        let mut lower = |key: Key| {
            if earliest.is_none_or(|e| key < e) {
                earliest = Some(key);
            }
        };
        let mut outcomes = Vec::new();
        let added_from = self.order.len();
        // Whether the counted checkpoints must be worked out again: a checkpoint signed, a
        // fork found, or an event arrived inside a counted frontier.
        let mut resettle = false;
        for event in batch {
            if self.events.contains_key(&event.id) || self.inside_base(&event) {
                outcomes.push(Outcome::Duplicate);
                continue;
            }
            // A body whose id was first seen as unopened (say, truncated) now opens.
            self.unopened.remove(&event.id);
            let key = self.key_of(&event);
            lower(key);
            if self.belongs(&event) {
                let slot = self.slots.entry((event.author, event.seq)).or_default();
                slot.push(event.id);
                if slot.len() > 1 {
                    resettle = true;
                    let from = self.forks.entry(event.author).or_insert(event.seq);
                    if event.seq <= *from {
                        *from = event.seq;
                        // Everything of that device from the fork on must be re-judged.
                        for k in &self.order {
                            if k.1.author == event.author && k.1.seq >= event.seq {
                                lower(*k);
                                break;
                            }
                        }
                        let twins = slot.clone();
                        for id in &twins {
                            if let Some(e) = self.events.get(id) {
                                lower(self.key_of(e));
                            }
                        }
                    }
                }
                // Inside a counted frontier, or one that may come to count: the roster at
                // that frontier may change.
                if key.0 != NO_EPOCH || self.watch.covers_event(&event.author, event.seq) {
                    resettle = true;
                }
                match &event.payload {
                    Payload::Command(Command::Checkpoint(crate::checkpoint::Act::Checkpoint(
                        c,
                    ))) => {
                        resettle = true;
                        self.candidates
                            .entry(c.key())
                            .or_insert_with(|| (c.clone(), Vec::new()))
                            .1
                            .push(event.id);
                    }
                    Payload::Command(Command::Checkpoint(crate::checkpoint::Act::Part(_))) => {
                        resettle = true;
                    }
                    _ => {}
                }
            }
            self.max_lamport = self.max_lamport.max(event.lamport);
            self.order.push(key);
            self.events.insert(event.id, event);
            outcomes.push(Outcome::Added);
        }
        if let Some(first) = earliest {
            self.merge_new_keys(added_from);
            let at = self.order.partition_point(|k| *k < first);
            self.refold_from(at, false);
        }
        if resettle {
            self.settle();
        }
        outcomes
    }

    /// Restores the order after new keys were pushed at `from`: usually they all sort after
    /// what was held (a plain append); a few late ones are inserted in place; many, re-sorted.
    fn merge_new_keys(&mut self, from: usize) {
        self.order[from..].sort_unstable();
        let held_last = from.checked_sub(1).map(|i| self.order[i]);
        match held_last {
            None => {}
            Some(last) if self.order[from] > last => {}
            Some(_) if self.order.len() - from <= 64 => {
                let fresh: Vec<_> = self.order.drain(from..).collect();
                for key in fresh {
                    let at = self.order.partition_point(|k| *k < key);
                    self.order.insert(at, key);
                }
            }
            Some(_) => self.order.sort_unstable(),
        }
    }

    fn belongs(&self, event: &Event) -> bool {
        event.space == Some(self.space) || (event.space.is_none() && event.id == self.space)
    }

    /// What the snapshot this space started from covers, to tell envelopes apart before their
    /// signatures are checked ([`Cover::covers`]); `None` when it started from the genesis.
    pub fn cover(&self) -> Option<Cover> {
        self.base.as_ref().map(|b| Cover {
            space: self.space,
            frontier: b.frontier.clone(),
        })
    }

    /// Whether the snapshot this space started from covers `event` (it is in the state).
    fn inside_base(&self, event: &Event) -> bool {
        self.base.as_ref().is_some_and(|b| {
            self.belongs(event) && b.frontier.covers_event(&event.author, event.seq)
        })
    }

    /// The epoch of an event under the current barriers.
    fn epoch_of(&self, event: &Event) -> u32 {
        if !self.belongs(event) {
            return NO_EPOCH;
        }
        epoch_under(&self.barriers, &event.author, event.seq)
    }

    fn key_of(&self, event: &Event) -> Key {
        (self.epoch_of(event), event.position(), event.id)
    }

    /// The state before any held event: empty, or the snapshot's.
    fn start_state(&self) -> State {
        match &self.base {
            Some(b) => b.state.clone(),
            None => State::new(self.space),
        }
    }

    /// Re-applies everything from index `at` of the order (`force`: even if `at` is past
    /// what was applied, because the barriers changed).
    fn refold_from(&mut self, at: usize, force: bool) {
        if at < self.applied || force {
            self.checkpoints.retain(|(i, _)| *i <= at);
            match self.checkpoints.last() {
                Some((i, s)) => {
                    self.applied = *i;
                    self.state = s.clone();
                }
                None => {
                    self.applied = 0;
                    self.state = self.start_state();
                }
            }
        }
        // About eight restore points over the log: each costs a clone of the state, so fewer
        // and farther apart is cheaper for appends and for late events alike, at the price of
        // replaying at most an eighth of the log.
        let gap = MIN_CHECKPOINT_GAP.max(self.order.len() / (MAX_CHECKPOINTS / 2));
        for i in self.applied..self.order.len() {
            let last = self.checkpoints.last().map_or(0, |(j, _)| *j);
            if i - last >= gap {
                self.checkpoints.push((i, self.state.clone()));
                if self.checkpoints.len() > MAX_CHECKPOINTS {
                    let mut keep = false;
                    self.checkpoints.retain(|_| {
                        keep = !keep;
                        keep
                    });
                }
            }
            let (epoch, _, id) = self.order[i];
            pass_barriers(&mut self.state, &self.barriers, epoch);
            if let Some(event) = self.events.get(&id) {
                self.state.apply(event, &self.forks);
            }
        }
        pass_barriers(&mut self.state, &self.barriers, NO_EPOCH);
        self.applied = self.order.len();
    }

    /// Whether `command`, signed by `device` as its next event, would be accepted by the
    /// rules: [`State::allows`], and not from a device that forked.
    pub fn allows(&self, device: &DeviceKey, command: &Command) -> Result<(), Code> {
        if self.forks.contains_key(device) {
            return Err(Code::Fork);
        }
        self.state.allows(device, command)
    }

    /// [`Command::validate`], then [`Space::allows`]: what a device asks before it signs.
    /// A command refused here is never signed.
    pub fn check(&self, device: &DeviceKey, command: &Command) -> Result<(), Code> {
        command.validate()?;
        self.allows(device, command)
    }

    /// [`Space::check`] for an event that will carry `ts` (see [`State::allows_at`]).
    pub fn check_at(&self, device: &DeviceKey, command: &Command, ts: i64) -> Result<(), Code> {
        command.validate()?;
        if self.forks.contains_key(device) {
            return Err(Code::Fork);
        }
        self.state.allows_at(device, command, ts)
    }

    /// The field at fault in `command` for `device`'s member: its own limits
    /// ([`Command::check`]), then for a proposal the standing rules' minimums and choices
    /// (`against_charter`). What a form shows beside the field; [`Space::check`] still has
    /// the last word.
    pub fn check_fields(&self, device: &DeviceKey, command: &Command) -> Result<(), FieldError> {
        command.check()?;
        if let Command::Council(council::Act::Create(c)) = command {
            let charter = self.state.council.charter();
            if let (Some(charter), Ok(by)) = (charter, self.state.roster.actor(device)) {
                charter.check_create(by.role, c)?;
            }
        }
        Ok(())
    }

    /// What `device`'s member may do in the council section now (propose, schedule).
    pub fn council_actions(&self, device: &DeviceKey) -> CouncilActions {
        CouncilActions::of(|act| self.allows(device, &Command::Council(act)))
    }

    /// What `device`'s member may do on a proposal now (`None`: no such proposal).
    pub fn proposal_actions(&self, device: &DeviceKey, id: &EventId) -> Option<ProposalActions> {
        let p = self.state.council.proposal(id)?;
        Some(ProposalActions::of(p, |act| {
            self.allows(device, &Command::Council(act))
        }))
    }

    /// What `device`'s member may do at a meeting now (`None`: no such meeting).
    pub fn meeting_actions(&self, device: &DeviceKey, id: &EventId) -> Option<MeetingActions> {
        let m = self.state.council.meeting(id)?;
        Some(MeetingActions::of(m, |act| {
            self.allows(device, &Command::Council(act))
        }))
    }

    /// Every rejection, opened or not, sorted by id.
    pub fn rejections(&self) -> Vec<(EventId, Code)> {
        let mut all: Vec<(EventId, Code)> = self.state.rejected().collect();
        all.extend(self.unopened.values().map(|u| (u.id, u.code)));
        all.sort();
        all
    }

    /// A fresh fold of everything held, from scratch — or from the snapshot this space
    /// started from (tests compare it with the incremental state).
    pub fn full_fold(&self) -> State {
        let mut state = self.start_state();
        for (epoch, _, id) in &self.order {
            pass_barriers(&mut state, &self.barriers, *epoch);
            if let Some(event) = self.events.get(id) {
                state.apply(event, &self.forks);
            }
        }
        pass_barriers(&mut state, &self.barriers, NO_EPOCH);
        state
    }
}

/// The epoch of event `seq` of `device` under `barriers`: the first whose frontier covers it.
fn epoch_under(barriers: &[Counted], device: &DeviceKey, seq: u64) -> u32 {
    barriers
        .iter()
        .position(|b| b.frontier.covers_event(device, seq))
        .map_or(NO_EPOCH, |i| i as u32)
}

/// Counts, in `state`, the barriers before `epoch` it has not passed yet.
fn pass_barriers(state: &mut State, barriers: &[Counted], epoch: u32) {
    let upto = barriers.len().min(epoch as usize);
    while state.checkpoints.counted().len() < upto {
        let next = barriers[state.checkpoints.counted().len()].clone();
        state.count_checkpoint(next);
    }
}
