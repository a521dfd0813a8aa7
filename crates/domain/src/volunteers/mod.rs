//! Volunteer services (志愿服务), `DESIGN.md` §3.6: volunteers' profiles, activities with
//! slots and an optional wait list, sign-up and withdrawal judged in total order (a freed slot
//! goes to the earliest on the wait list), assignment by staff, check-in and check-out, and
//! confirmed hours — which become points entries under the activity's rule (§3.5), capped like
//! an award, and are taken back with the entry when it is reversed.
//!
//! - [`act`]: the kinds, their payloads and limits.
//! - [`matching`]: ranking volunteers for an activity and the optimal batch assignment — a
//!   pure function of the folded state, never part of the fold.
//! - [`report`]: the audit's `activities` and `volunteers` sections.
//!
//! Every act is judged first (reading the state only) and then committed, like every area.

pub mod act;
pub mod matching;
pub mod report;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use act::{Act, HhMm, Window};

use crate::at::At;
use crate::id::{EventId, MemberId};
use crate::points::{self, Points};
use crate::reject::Code;
use crate::roster::{Actor, Role, Roster};
use crate::table::{IdMap, RowSeq, SortedIds, Table};

/// A check-in or check-out counts from this long before the activity's start…
pub const PRESENCE_BEFORE_MS: i64 = 2 * 3_600_000;
/// …to this long after its end (by the event's ts): a phone whose clock is far off is refused.
pub const PRESENCE_AFTER_MS: i64 = 6 * 3_600_000;

/// A member's volunteer profile (the latest `volunteer.profile`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Skills.
    pub skills: Vec<Arc<str>>,
    /// Weekly free time (UTC+8).
    pub availability: Vec<Window>,
    /// Grid (网格).
    pub grid: Arc<str>,
    /// Taking part now.
    pub active: bool,
    /// When it was last set.
    pub ts: i64,
}

/// One confirmation of hours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursRecord {
    /// The `activity.hours` event id (and the id of its points entry, if the activity has a
    /// rule).
    pub id: EventId,
    /// Minutes.
    pub minutes: u32,
    /// The staff member who confirmed them.
    pub by: MemberId,
    /// When.
    pub ts: i64,
    /// Taken back (`points.reverse` of it): the minutes no longer count.
    pub reversed: bool,
}

/// A volunteer's presence and hours on an activity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    /// The volunteer.
    pub member: MemberId,
    /// Check-in ts.
    pub checkin: Option<i64>,
    /// Check-out ts.
    pub checkout: Option<i64>,
    /// Every confirmation of hours, oldest first; at most one not reversed.
    pub hours: Vec<HoursRecord>,
}

impl Attendance {
    /// The hours that count, if any.
    pub fn counted(&self) -> Option<&HoursRecord> {
        self.hours.iter().find(|h| !h.reversed)
    }
}

/// Where an activity stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityStatus {
    /// Taking sign-ups, check-ins and hours.
    Open,
    /// Called off.
    Cancelled,
}

/// An activity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    /// Its event id.
    pub id: EventId,
    /// Title.
    pub title: Arc<str>,
    /// Details.
    pub body: Arc<str>,
    /// Place.
    pub place: Arc<str>,
    /// Grid served (empty: the whole community).
    pub grid: Arc<str>,
    /// Start, ms.
    pub start: i64,
    /// End, ms.
    pub end: i64,
    /// Volunteers needed.
    pub slots: u32,
    /// Skills asked for.
    pub skills: Vec<Arc<str>>,
    /// Points rule per hour.
    pub rule: Option<EventId>,
    /// Whether sign-ups beyond the slots wait in line.
    pub waitlist: bool,
    /// Who posted it.
    pub by: MemberId,
    /// When.
    pub ts: i64,
    /// Open or cancelled.
    pub status: ActivityStatus,
    /// Why it was cancelled (empty while open).
    pub cancel_reason: Arc<str>,
    /// Confirmed volunteers, in the order they became confirmed.
    pub confirmed: Vec<MemberId>,
    /// The wait list, first in line first.
    pub waiting: Vec<MemberId>,
    /// Presence and hours, per volunteer who has any, in the order of their first.
    pub attendance: Vec<Attendance>,
}

impl Activity {
    /// Slots not taken.
    pub fn free(&self) -> u32 {
        self.slots.saturating_sub(self.confirmed.len() as u32)
    }

    /// Whether `member` is confirmed.
    pub fn is_confirmed(&self, member: &MemberId) -> bool {
        self.confirmed.contains(member)
    }

    /// `member`'s place on the wait list, from 1.
    pub fn waitlist_position(&self, member: &MemberId) -> Option<usize> {
        self.waiting.iter().position(|m| m == member).map(|p| p + 1)
    }

    /// `member`'s presence and hours.
    pub fn attendance_of(&self, member: &MemberId) -> Option<&Attendance> {
        self.attendance.iter().find(|a| &a.member == member)
    }

    /// Counted minutes of all its volunteers.
    pub fn minutes(&self) -> u64 {
        self.attendance
            .iter()
            .filter_map(Attendance::counted)
            .map(|h| u64::from(h.minutes))
            .sum()
    }

    fn attendance_mut(&mut self, member: MemberId) -> &mut Attendance {
        let ix = match self.attendance.iter().position(|a| a.member == member) {
            Some(ix) => ix,
            None => {
                self.attendance.push(Attendance {
                    member,
                    checkin: None,
                    checkout: None,
                    hours: Vec::new(),
                });
                self.attendance.len() - 1
            }
        };
        &mut self.attendance[ix]
    }
}

/// The volunteer part of the state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Volunteers {
    profiles: Table<Profile>,
    activities: Table<Activity>,
    /// `activity.hours` id → the activity's index.
    hours: IdMap<u32>,
}

/// `{"profiles": {member: profile}, "activities": {id: activity}}`, maps in key order.
impl Volunteers {
    /// As a snapshot writes it (read back by its `Deserialize`).
    pub(crate) fn dump(&self) -> impl Serialize + '_ {
        #[derive(Serialize)]
        struct Out<'a> {
            profiles: RowSeq<'a, Profile>,
            activities: RowSeq<'a, Activity>,
            hours: SortedIds<'a, u32>,
        }
        Out {
            profiles: RowSeq(&self.profiles),
            activities: RowSeq(&self.activities),
            hours: SortedIds(&self.hours),
        }
    }
}

impl Serialize for Volunteers {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use crate::table::SortedMap as Sorted;
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("profiles", &Sorted(&self.profiles))?;
        m.serialize_entry("activities", &Sorted(&self.activities))?;
        m.end()
    }
}

/// What a judged volunteer act changes. Activities are named by their index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    Profile(MemberId, Box<Profile>),
    Create(Box<Activity>),
    Cancel(u32, Arc<str>),
    Signup {
        activity: u32,
        member: MemberId,
        confirmed: bool,
    },
    Withdraw(u32, MemberId),
    Assign(u32, Vec<MemberId>),
    Checkin(u32, MemberId, i64),
    Checkout(u32, MemberId, i64),
    Hours {
        activity: u32,
        member: MemberId,
        record: HoursRecord,
        entry: Option<points::NewEntry>,
    },
    /// Hours without a points entry (an activity with no rule) taken back by a reversal.
    Reverse(u32, EventId),
}

impl Change {
    /// The points entry this change creates, taken out of it (hours under a rule).
    pub(crate) fn take_entry(&mut self) -> Option<points::NewEntry> {
        match self {
            Change::Hours { entry, .. } => entry.take(),
            _ => None,
        }
    }
}

/// One volunteer's confirmed hours on one activity (see [`Volunteers::hours_of`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Served<'a> {
    /// The activity.
    pub activity: &'a Activity,
    /// The hours.
    pub hours: &'a HoursRecord,
}

impl Volunteers {
    /// A member's profile.
    pub fn profile(&self, member: &MemberId) -> Option<&Profile> {
        self.profiles.get(member)
    }

    /// Every profile, in no particular order.
    pub fn profiles(&self) -> impl Iterator<Item = (&MemberId, &Profile)> {
        self.profiles.iter().map(|(m, p)| (m, p))
    }

    /// An activity by id.
    pub fn activity(&self, id: &EventId) -> Option<&Activity> {
        self.activities.get(id)
    }

    /// Every activity, in the order they were created.
    pub fn activities(&self) -> impl Iterator<Item = &Activity> {
        self.activities.iter().map(|(_, a)| a)
    }

    /// The activity whose hours are `hours` (an `activity.hours` id).
    pub fn activity_of_hours(&self, hours: &EventId) -> Option<&Activity> {
        self.hours.get(hours).map(|&ix| &self.activities.at(ix).1)
    }

    /// `member`'s confirmed hours, reversed ones included (see [`HoursRecord::reversed`]),
    /// in the order the activities were created.
    pub fn hours_of<'a>(&'a self, member: &'a MemberId) -> impl Iterator<Item = Served<'a>> {
        self.activities().flat_map(move |activity| {
            activity
                .attendance_of(member)
                .into_iter()
                .flat_map(|a| a.hours.iter())
                .map(move |hours| Served { activity, hours })
        })
    }

    /// `member`'s counted minutes, and on how many activities.
    pub fn minutes_of(&self, member: &MemberId) -> (u64, u32) {
        self.hours_of(member)
            .filter(|s| !s.hours.reversed)
            .fold((0, 0), |(m, n), s| (m + u64::from(s.hours.minutes), n + 1))
    }

    /// The matcher's inputs for the open activities `batch` (those unknown or cancelled are
    /// left out) at reader's time `now`: one opening per activity (its free slots, its
    /// confirmed volunteers excluded), and every active profile — with their confirmed minutes
    /// on activities that started in the 30 days up to `now`, the end of the last activity
    /// they have hours for, the open activities outside the batch they are confirmed on
    /// (busy), and the batch's activities they wait for.
    pub fn match_inputs(
        &self,
        batch: &[EventId],
        now: i64,
    ) -> (Vec<matching::Opening>, Vec<matching::Volunteer>) {
        const MONTH: i64 = 30 * 86_400_000;
        let openings: Vec<matching::Opening> = batch
            .iter()
            .filter_map(|id| self.activities.get(id))
            .filter(|a| a.status == ActivityStatus::Open)
            .map(|a| matching::Opening {
                activity: a.id,
                start: a.start,
                end: a.end,
                grid: a.grid.clone(),
                skills: a.skills.clone(),
                free: a.free(),
                exclude: a.confirmed.clone(),
            })
            .collect();
        let in_batch = |id: &EventId| openings.iter().any(|o| &o.activity == id);
        #[derive(Default)]
        struct Seen {
            recent: u32,
            last: Option<i64>,
            busy: Vec<(i64, i64)>,
            waiting: Vec<EventId>,
        }
        let mut seen: IdMap<Seen> = IdMap::default();
        for a in self.activities() {
            for att in &a.attendance {
                if let Some(h) = att.counted() {
                    let s = seen.entry(att.member).or_default();
                    if a.start > now - MONTH && a.start <= now {
                        s.recent = s.recent.saturating_add(h.minutes);
                    }
                    s.last = s.last.max(Some(a.end));
                }
            }
            if a.status != ActivityStatus::Open {
                continue;
            }
            if in_batch(&a.id) {
                for m in &a.waiting {
                    seen.entry(*m).or_default().waiting.push(a.id);
                }
            } else {
                for m in &a.confirmed {
                    seen.entry(*m).or_default().busy.push((a.start, a.end));
                }
            }
        }
        let mut volunteers: Vec<matching::Volunteer> = self
            .profiles
            .iter()
            .filter(|(_, p)| p.active)
            .map(|(m, p)| {
                let s = seen.remove(m).unwrap_or_default();
                matching::Volunteer {
                    member: *m,
                    skills: p.skills.clone(),
                    availability: p.availability.clone(),
                    grid: p.grid.clone(),
                    recent_minutes: s.recent,
                    last_served: s.last,
                    busy: s.busy,
                    signed_up: s.waiting,
                }
            })
            .collect();
        volunteers.sort_by_key(|v| v.member);
        (openings, volunteers)
    }

    fn activity_ix(&self, id: &EventId) -> Result<(u32, &Activity), Code> {
        let ix = self.activities.find(id).ok_or(Code::UnknownActivity)?;
        Ok((ix, &self.activities.at(ix).1))
    }

    /// The activity of `id`, if it is open.
    fn open(&self, id: &EventId) -> Result<(u32, &Activity), Code> {
        let (ix, a) = self.activity_ix(id)?;
        if a.status != ActivityStatus::Open {
            return Err(Code::WrongState);
        }
        Ok((ix, a))
    }

    /// Whether `act` by `by` may apply at `at`, and what it changes. Reads only. `points`
    /// judges the entry hours create.
    pub(crate) fn judge(
        &self,
        roster: &Roster,
        points: &Points,
        by: &Actor,
        at: &At,
        act: &Act,
    ) -> Result<Change, Code> {
        let staff = by.role.is_staff();
        Ok(match act {
            Act::Profile(p) => Change::Profile(
                by.id,
                Box::new(Profile {
                    skills: p.skills.clone(),
                    availability: p.availability.clone(),
                    grid: p.grid.clone(),
                    active: p.active,
                    ts: at.ts,
                }),
            ),
            Act::Create(c) => {
                if !staff {
                    return Err(Code::NotPermitted);
                }
                if let Some(rule) = &c.rule {
                    let rule = points.rule(rule).ok_or(Code::UnknownRule)?;
                    if rule.retired {
                        return Err(Code::RuleRetired);
                    }
                    if rule.points <= 0 {
                        return Err(Code::RuleNotPositive);
                    }
                }
                Change::Create(Box::new(Activity {
                    id: at.id,
                    title: c.title.clone(),
                    body: c.body.clone(),
                    place: c.place.clone(),
                    grid: c.grid.clone(),
                    start: c.start,
                    end: c.end,
                    slots: c.slots,
                    skills: c.skills.clone(),
                    rule: c.rule,
                    waitlist: c.waitlist,
                    by: by.id,
                    ts: at.ts,
                    status: ActivityStatus::Open,
                    cancel_reason: Arc::from(""),
                    confirmed: Vec::new(),
                    waiting: Vec::new(),
                    attendance: Vec::new(),
                }))
            }
            Act::Cancel(c) => {
                if !staff {
                    return Err(Code::NotPermitted);
                }
                Change::Cancel(self.open(&c.activity)?.0, c.reason.clone())
            }
            Act::Signup(s) => {
                let (ix, a) = self.open(&s.activity)?;
                if a.is_confirmed(&by.id) || a.waiting.contains(&by.id) {
                    return Err(Code::Duplicate);
                }
                let confirmed = a.free() > 0;
                if !confirmed && !a.waitlist {
                    return Err(Code::ActivityFull);
                }
                Change::Signup {
                    activity: ix,
                    member: by.id,
                    confirmed,
                }
            }
            Act::Withdraw(w) => {
                let (ix, a) = self.open(&w.activity)?;
                if !a.is_confirmed(&by.id) && !a.waiting.contains(&by.id) {
                    return Err(Code::NotSignedUp);
                }
                if a.attendance_of(&by.id)
                    .and_then(Attendance::counted)
                    .is_some()
                {
                    // Their hours are confirmed: withdrawing now would orphan them.
                    return Err(Code::WrongState);
                }
                Change::Withdraw(ix, by.id)
            }
            Act::Assign(s) => {
                if !staff {
                    return Err(Code::NotPermitted);
                }
                let (ix, a) = self.open(&s.activity)?;
                for m in &s.members {
                    roster.member(m).ok_or(Code::UnknownMember)?;
                }
                let new: Vec<MemberId> = s
                    .members
                    .iter()
                    .filter(|m| !a.is_confirmed(m))
                    .copied()
                    .collect();
                if new.len() > a.free() as usize {
                    return Err(Code::ActivityFull);
                }
                Change::Assign(ix, new)
            }
            Act::Checkin(p) | Act::Checkout(p) => {
                if !staff && p.member != by.id {
                    return Err(Code::NotPermitted);
                }
                let (ix, a) = self.open(&p.activity)?;
                if !a.is_confirmed(&p.member) {
                    return Err(Code::NotConfirmed);
                }
                if at.ts < a.start - PRESENCE_BEFORE_MS || at.ts > a.end + PRESENCE_AFTER_MS {
                    return Err(Code::OutsideTime);
                }
                let seen = a.attendance_of(&p.member);
                if let Act::Checkin(_) = act {
                    if seen.is_some_and(|s| s.checkin.is_some()) {
                        return Err(Code::Duplicate);
                    }
                    Change::Checkin(ix, p.member, at.ts)
                } else {
                    match seen {
                        Some(s) if s.checkout.is_some() => return Err(Code::Duplicate),
                        Some(s) if s.checkin.is_some() => {}
                        _ => return Err(Code::WrongState),
                    }
                    Change::Checkout(ix, p.member, at.ts)
                }
            }
            Act::Hours(h) => {
                if !staff {
                    return Err(Code::NotPermitted);
                }
                if h.member == by.id {
                    return Err(Code::SelfDealing);
                }
                let (ix, a) = self.open(&h.activity)?;
                if !a.is_confirmed(&h.member) {
                    return Err(Code::NotConfirmed);
                }
                if a.attendance_of(&h.member)
                    .and_then(Attendance::counted)
                    .is_some()
                {
                    return Err(Code::Duplicate);
                }
                let entry = match &a.rule {
                    Some(rule) => Some(points.hours_entry(
                        rule,
                        h.member,
                        h.minutes,
                        by.id,
                        at,
                        a.title.clone(),
                    )?),
                    None => None,
                };
                Change::Hours {
                    activity: ix,
                    member: h.member,
                    record: HoursRecord {
                        id: at.id,
                        minutes: h.minutes,
                        by: by.id,
                        ts: at.ts,
                        reversed: false,
                    },
                    entry,
                }
            }
        })
    }

    /// A `points.reverse` of hours that have no points entry (an activity with no rule): the
    /// same permissions as reversing an entry.
    pub(crate) fn judge_reverse(&self, by: &Actor, hours: &EventId) -> Result<Change, Code> {
        let &ix = self.hours.get(hours).ok_or(Code::UnknownEntry)?;
        let record = self
            .activities
            .at(ix)
            .1
            .attendance
            .iter()
            .find_map(|a| a.hours.iter().find(|h| &h.id == hours));
        let record = record.ok_or(Code::UnknownEntry)?;
        match by.role {
            Role::Admin | Role::Council => {}
            Role::Worker if record.by == by.id => return Err(Code::SelfDealing),
            Role::Worker => {}
            Role::Resident => return Err(Code::NotPermitted),
        }
        if record.reversed {
            return Err(Code::WrongState);
        }
        Ok(Change::Reverse(ix, *hours))
    }

    /// The hours of `id` (an `activity.hours` whose entry was just made void) stop counting.
    pub(crate) fn hours_voided(&mut self, id: &EventId) {
        if let Some(&ix) = self.hours.get(id) {
            self.reverse(ix, id);
        }
    }

    fn reverse(&mut self, ix: u32, id: &EventId) {
        let a = self.activities.at_mut(ix);
        for att in &mut a.attendance {
            for h in &mut att.hours {
                if &h.id == id {
                    h.reversed = true;
                }
            }
        }
    }

    /// Applies a judged change (its points entry, if any, is the fold's to commit).
    pub(crate) fn commit(&mut self, change: Change) {
        match change {
            Change::Profile(member, p) => {
                self.profiles.insert(member, *p);
            }
            Change::Create(a) => {
                self.activities.insert(a.id, *a);
            }
            Change::Cancel(ix, reason) => {
                let a = self.activities.at_mut(ix);
                a.status = ActivityStatus::Cancelled;
                a.cancel_reason = reason;
            }
            Change::Signup {
                activity,
                member,
                confirmed,
            } => {
                let a = self.activities.at_mut(activity);
                if confirmed {
                    a.confirmed.push(member);
                } else {
                    a.waiting.push(member);
                }
            }
            Change::Withdraw(ix, member) => {
                let a = self.activities.at_mut(ix);
                if let Some(p) = a.confirmed.iter().position(|m| m == &member) {
                    a.confirmed.remove(p);
                    if a.free() > 0 && !a.waiting.is_empty() {
                        let next = a.waiting.remove(0);
                        a.confirmed.push(next);
                    }
                } else {
                    a.waiting.retain(|m| m != &member);
                }
            }
            Change::Assign(ix, members) => {
                let a = self.activities.at_mut(ix);
                a.waiting.retain(|m| !members.contains(m));
                a.confirmed.extend(members);
            }
            Change::Checkin(ix, member, ts) => {
                self.activities.at_mut(ix).attendance_mut(member).checkin = Some(ts);
            }
            Change::Checkout(ix, member, ts) => {
                self.activities.at_mut(ix).attendance_mut(member).checkout = Some(ts);
            }
            Change::Hours {
                activity,
                member,
                record,
                entry: _,
            } => {
                self.hours.insert(record.id, activity);
                self.activities
                    .at_mut(activity)
                    .attendance_mut(member)
                    .hours
                    .push(record);
            }
            Change::Reverse(ix, id) => self.reverse(ix, &id),
        }
    }
}
