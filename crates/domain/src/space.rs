//! A space's log: every event received, deduplicated, in total order, with the folded state
//! kept current incrementally.
//!
//! New events usually land at the end of the order and are applied directly. An event that
//! arrives late with a lower position (or a newly found fork) makes the state re-fold from the
//! last checkpoint before it, never from scratch unless it is older than every checkpoint.

use std::collections::{BTreeMap, HashMap};

use crate::command::Command;
use crate::council::{self, CouncilActions, MeetingActions, ProposalActions};
use crate::envelope::{Event, Position, Unopened};
use crate::fold::{Forks, State};
use crate::id::{DeviceKey, EventId, SpaceId};
use crate::reject::Code;
use crate::wire::FieldError;

/// Least number of events between checkpoints.
const MIN_CHECKPOINT_GAP: usize = 1024;
/// Most checkpoints kept; past it, every other one is dropped (the gaps double).
const MAX_CHECKPOINTS: usize = 16;

/// What [`Space::insert`] did with each event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// New to the log (it may still be rejected by the fold: see [`Space::state`]).
    Added,
    /// Already held.
    Duplicate,
}

/// One community's events and their fold.
#[derive(Clone, Debug)]
pub struct Space {
    space: SpaceId,
    events: HashMap<EventId, Event>,
    /// Every held event's (position, id), sorted; the id breaks ties between fork twins.
    order: Vec<(Position, EventId)>,
    /// Ids per (device, seq) among events of this space: more than one is a fork.
    slots: HashMap<(DeviceKey, u64), Vec<EventId>>,
    forks: Forks,
    unopened: BTreeMap<EventId, Unopened>,
    state: State,
    /// How many events of `order` the state has applied.
    applied: usize,
    checkpoints: Vec<(usize, State)>,
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

    /// Events held, in total order.
    pub fn events(&self) -> impl Iterator<Item = &Event> {
        self.order.iter().filter_map(|(_, id)| self.events.get(id))
    }

    /// An event by id.
    pub fn get(&self, id: &EventId) -> Option<&Event> {
        self.events.get(id)
    }

    /// How many opened events are held.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The highest lamport held: a device's next event must exceed it.
    pub fn max_lamport(&self) -> u64 {
        self.order.last().map_or(0, |(p, _)| p.lamport)
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
        let mut earliest: Option<(Position, EventId)> = None;
        let mut lower = |key: (Position, EventId)| {
            if earliest.is_none_or(|e| key < e) {
                earliest = Some(key);
            }
        };
        let mut outcomes = Vec::new();
        let added_from = self.order.len();
        for event in batch {
            if self.events.contains_key(&event.id) {
                outcomes.push(Outcome::Duplicate);
                continue;
            }
            // A body whose id was first seen as unopened (say, truncated) now opens.
            self.unopened.remove(&event.id);
            let key = (event.position(), event.id);
            lower(key);
            if self.belongs(&event) {
                let slot = self.slots.entry((event.author, event.seq)).or_default();
                slot.push(event.id);
                if slot.len() > 1 {
                    let from = self.forks.entry(event.author).or_insert(event.seq);
                    if event.seq <= *from {
                        *from = event.seq;
                        // Everything of that device from the fork on must be re-judged.
                        for (p, id) in &self.order {
                            if p.author == event.author && p.seq >= event.seq {
                                lower((*p, *id));
                                break;
                            }
                        }
                        for id in slot.iter() {
                            if let Some(e) = self.events.get(id) {
                                lower((e.position(), *id));
                            }
                        }
                    }
                }
            }
            self.order.push(key);
            self.events.insert(event.id, event);
            outcomes.push(Outcome::Added);
        }
        if let Some(first) = earliest {
            self.merge_new_keys(added_from);
            let at = self.order.partition_point(|k| *k < first);
            self.refold_from(at);
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

    /// Re-applies everything from index `at` of the order.
    fn refold_from(&mut self, at: usize) {
        if at < self.applied {
            self.checkpoints.retain(|(i, _)| *i <= at);
            match self.checkpoints.last() {
                Some((i, s)) => {
                    self.applied = *i;
                    self.state = s.clone();
                }
                None => {
                    self.applied = 0;
                    self.state = State::new(self.space);
                }
            }
        }
        // About eight checkpoints over the log: each costs a clone of the state, so fewer and
        // farther apart is cheaper for appends and for late events alike, at the price of
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
            if let Some(event) = self.events.get(&self.order[i].1) {
                self.state.apply(event, &self.forks);
            }
        }
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

    /// A fresh fold of everything held, from scratch (tests compare it with the incremental
    /// state).
    pub fn full_fold(&self) -> State {
        let mut state = State::new(self.space);
        for event in self.events() {
            state.apply(event, &self.forks);
        }
        state
    }
}
