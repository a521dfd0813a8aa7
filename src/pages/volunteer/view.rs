//! What the volunteer screens read, derived from the fold: the activities open to this member
//! (near them first), their own sign-ups and hours, an activity's page with the acts the
//! domain would accept, the matcher's suggestions for staff, and the roster whose hours wait
//! to be confirmed — prefilled from check-in and check-out.

use linli_domain::points::month_utc8;
use linli_domain::volunteers::act::{ActivityRef, Hours, Presence};
use linli_domain::volunteers::matching::{self, Grid};
use linli_domain::volunteers::{self, Activity, ActivityStatus};
use linli_domain::{Command, DeviceKey, EventId, MemberId, Space};

/// Where this member stands on an activity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mine {
    /// Not signed up.
    No,
    /// Confirmed.
    Confirmed,
    /// On the wait list, at this place (from 1).
    Waiting(usize),
}

/// An activity as a list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityRow {
    /// Its id.
    pub id: EventId,
    /// Title.
    pub title: String,
    /// Place.
    pub place: String,
    /// Start and end (ms).
    pub start: i64,
    /// End (ms).
    pub end: i64,
    /// Slots.
    pub slots: u32,
    /// Confirmed volunteers.
    pub confirmed: usize,
    /// On the wait list.
    pub waiting: usize,
    /// Whether it has a wait list.
    pub waitlist: bool,
    /// Open or cancelled.
    pub status: ActivityStatus,
    /// This member's place.
    pub mine: Mine,
    /// In this member's grid.
    pub near: bool,
    /// Points per hour, when it has a rule.
    pub per_hour: Option<i64>,
}

fn row(space: &Space, a: &Activity, me: Option<&MemberId>, grid: &str) -> ActivityRow {
    let mine = match me {
        Some(m) if a.is_confirmed(m) => Mine::Confirmed,
        Some(m) => a.waitlist_position(m).map_or(Mine::No, Mine::Waiting),
        None => Mine::No,
    };
    ActivityRow {
        id: a.id,
        title: a.title.to_string(),
        place: a.place.to_string(),
        start: a.start,
        end: a.end,
        slots: a.slots,
        confirmed: a.confirmed.len(),
        waiting: a.waiting.len(),
        waitlist: a.waitlist,
        status: a.status,
        mine,
        near: !grid.is_empty() && *a.grid == *grid,
        per_hour: a
            .rule
            .and_then(|r| space.state().points.rule(&r))
            .map(|r| r.points),
    }
}

/// One confirmation of this member's hours.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoursRow {
    /// The activity's title.
    pub title: String,
    /// The activity's start (ms).
    pub start: i64,
    /// Minutes.
    pub minutes: u32,
    /// Points it brought (0 without a rule or when a cap clipped it).
    pub points: i64,
    /// Taken back.
    pub reversed: bool,
}

/// 志愿 — the section's home.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Home {
    /// Whether this member is staff (posts activities, matches, confirms hours).
    pub staff: bool,
    /// Whether they have a volunteer profile.
    pub has_profile: bool,
    /// Their upcoming activities (confirmed or waiting), soonest first.
    pub mine: Vec<ActivityRow>,
    /// Upcoming open activities they are not on, with a free slot or a wait list: their grid
    /// first, then soonest.
    pub open: Vec<ActivityRow>,
    /// Staff: activities begun whose confirmed volunteers still wait for hours, latest first.
    pub to_confirm: Vec<ActivityRow>,
    /// Their hours, newest first.
    pub hours: Vec<HoursRow>,
    /// Their counted minutes, activities and points from hours.
    pub total: (u64, u32, i64),
    /// The community's counted minutes per month of the activity's start (UTC+8), the last 12
    /// months that have any, oldest first: (`year × 12 + month − 1`, minutes).
    pub months: Vec<(i64, u64)>,
}

/// The section's home for `me` at `now`.
pub fn home(space: &Space, me: &DeviceKey, now: i64) -> Option<Home> {
    let state = space.state();
    let actor = state.roster.actor(me).ok()?;
    let v = &state.volunteers;
    let profile = v.profile(&actor.id);
    let grid = profile.map(|p| p.grid.to_string()).unwrap_or_default();
    let mut mine = Vec::new();
    let mut open = Vec::new();
    let mut to_confirm = Vec::new();
    let mut months = std::collections::BTreeMap::<i64, u64>::new();
    for a in v.activities() {
        let minutes = a.minutes();
        if minutes > 0 {
            *months.entry(month_utc8(a.start)).or_default() += minutes;
        }
        if a.status != ActivityStatus::Open {
            continue;
        }
        let r = row(space, a, Some(&actor.id), &grid);
        if a.end > now {
            match r.mine {
                Mine::No if a.free() > 0 || a.waitlist => open.push(r.clone()),
                Mine::No => {}
                _ => mine.push(r.clone()),
            }
        }
        let waiting_hours = a
            .confirmed
            .iter()
            .any(|m| a.attendance_of(m).and_then(|x| x.counted()).is_none());
        if actor.role.is_staff() && a.start <= now && waiting_hours {
            to_confirm.push(r);
        }
    }
    mine.sort_by_key(|r| (r.start, r.id));
    open.sort_by_key(|r| (!r.near, r.start, r.id));
    to_confirm.sort_by_key(|r| (std::cmp::Reverse(r.start), r.id));
    let mut hours: Vec<HoursRow> = v
        .hours_of(&actor.id)
        .map(|s| HoursRow {
            title: s.activity.title.to_string(),
            start: s.activity.start,
            minutes: s.hours.minutes,
            points: state.points.entry(&s.hours.id).map_or(0, |e| e.amount),
            reversed: s.hours.reversed,
        })
        .collect();
    hours.reverse();
    let counted = hours.iter().filter(|h| !h.reversed);
    let total = counted.fold((0u64, 0u32, 0i64), |(m, n, p), h| {
        (m + u64::from(h.minutes), n + 1, p + h.points)
    });
    let months: Vec<(i64, u64)> = months.into_iter().collect();
    let months = months[months.len().saturating_sub(12)..].to_vec();
    Some(Home {
        staff: actor.role.is_staff(),
        has_profile: profile.is_some(),
        mine,
        open,
        to_confirm,
        hours,
        total,
        months,
    })
}

/// A volunteer on an activity's roster (staff read full names).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    /// The member.
    pub id: MemberId,
    /// Full name.
    pub name: String,
    /// Household.
    pub household: String,
    /// Confirmed, or waiting at a place.
    pub mine: Mine,
    /// Check-in ts.
    pub checkin: Option<i64>,
    /// Check-out ts.
    pub checkout: Option<i64>,
    /// Counted minutes, once confirmed.
    pub minutes: Option<u32>,
    /// Whether `me` may tick them in now.
    pub can_in: bool,
    /// Whether `me` may tick them out now.
    pub can_out: bool,
}

/// An activity's page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detail {
    /// As a list shows it.
    pub row: ActivityRow,
    /// Details.
    pub body: String,
    /// Grid (empty: the community).
    pub grid: String,
    /// Skills asked for.
    pub skills: Vec<String>,
    /// Why it was cancelled.
    pub cancel_reason: String,
    /// This member.
    pub me: MemberId,
    /// Staff see the roster, the QR code, the matcher and the hours.
    pub staff: bool,
    /// The domain would accept a sign-up (it confirms or waits).
    pub can_signup: bool,
    /// …a withdrawal.
    pub can_withdraw: bool,
    /// …their own check-in now.
    pub can_checkin: bool,
    /// …their own check-out now.
    pub can_checkout: bool,
    /// Their check-in and check-out.
    pub presence: (Option<i64>, Option<i64>),
    /// Staff: the roster, confirmed first (in order), then the wait list.
    pub people: Vec<Person>,
    /// This phone's latest act on the activity that the community's order refused, while it
    /// still matters (a sign-up while not on it, a check-in or check-out not recorded, a
    /// withdrawal while still on it): the act and why.
    pub refused: Option<(Refused, linli_domain::Code)>,
}

/// An act of a volunteer's own that the order can refuse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// 报名.
    Signup,
    /// 退出.
    Withdraw,
    /// 签到.
    Checkin,
    /// 签退.
    Checkout,
}

/// The page of activity `id` for `me` at `now`.
pub fn detail(space: &Space, me: &DeviceKey, id: &EventId, now: i64) -> Option<Detail> {
    let state = space.state();
    let actor = state.roster.actor(me).ok()?;
    let a = state.volunteers.activity(id)?;
    let grid = state
        .volunteers
        .profile(&actor.id)
        .map(|p| p.grid.to_string())
        .unwrap_or_default();
    let allows = |act: volunteers::Act| space.check_at(me, &Command::Volunteers(act), now).is_ok();
    let aref = ActivityRef { activity: a.id };
    let at = |member: MemberId| Presence {
        activity: a.id,
        member,
    };
    let staff = actor.role.is_staff();
    let people = if staff {
        let entry = |m: &MemberId, mine: Mine| {
            let member = state.roster.member(m);
            let att = a.attendance_of(m);
            Person {
                id: *m,
                name: member.map(|x| x.name.to_string()).unwrap_or_default(),
                household: member.map(|x| x.household.to_string()).unwrap_or_default(),
                mine,
                checkin: att.and_then(|x| x.checkin),
                checkout: att.and_then(|x| x.checkout),
                minutes: att.and_then(|x| x.counted()).map(|h| h.minutes),
                can_in: allows(volunteers::Act::Checkin(at(*m))),
                can_out: allows(volunteers::Act::Checkout(at(*m))),
            }
        };
        a.confirmed
            .iter()
            .map(|m| entry(m, Mine::Confirmed))
            .chain(
                a.waiting
                    .iter()
                    .enumerate()
                    .map(|(i, m)| entry(m, Mine::Waiting(i + 1))),
            )
            .collect()
    } else {
        Vec::new()
    };
    let own = a.attendance_of(&actor.id);
    let presence = (own.and_then(|x| x.checkin), own.and_then(|x| x.checkout));
    let row = row(space, a, Some(&actor.id), &grid);
    let refused = state
        .rejected()
        .filter_map(|(id, code)| {
            let e = space.get(&id).filter(|e| e.author == *me)?;
            let which = match e.payload.command()? {
                Command::Volunteers(volunteers::Act::Signup(x)) if x.activity == a.id => {
                    Refused::Signup
                }
                Command::Volunteers(volunteers::Act::Withdraw(x)) if x.activity == a.id => {
                    Refused::Withdraw
                }
                Command::Volunteers(volunteers::Act::Checkin(x)) if x.activity == a.id => {
                    Refused::Checkin
                }
                Command::Volunteers(volunteers::Act::Checkout(x)) if x.activity == a.id => {
                    Refused::Checkout
                }
                _ => return None,
            };
            Some((e.seq, which, code))
        })
        .max_by_key(|(seq, _, _)| *seq)
        .filter(|(_, which, _)| match which {
            Refused::Signup => row.mine == Mine::No,
            Refused::Withdraw => row.mine != Mine::No,
            Refused::Checkin => presence.0.is_none(),
            Refused::Checkout => presence.1.is_none(),
        })
        .map(|(_, which, code)| (which, code));
    Some(Detail {
        row,
        body: a.body.to_string(),
        grid: a.grid.to_string(),
        skills: a.skills.iter().map(|s| s.to_string()).collect(),
        cancel_reason: a.cancel_reason.to_string(),
        me: actor.id,
        staff,
        can_signup: allows(volunteers::Act::Signup(aref.clone())),
        can_withdraw: allows(volunteers::Act::Withdraw(aref)),
        can_checkin: allows(volunteers::Act::Checkin(at(actor.id))),
        can_checkout: allows(volunteers::Act::Checkout(at(actor.id))),
        presence,
        people,
        refused,
    })
}

/// A candidate the matcher ranked, with the reasons a worker reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The member.
    pub id: MemberId,
    /// Full name (staff read it).
    pub name: String,
    /// Household.
    pub household: String,
    /// Their score.
    pub score: i64,
    /// Skills they have of those asked for.
    pub skills: Vec<String>,
    /// Same grid as the activity.
    pub same_grid: bool,
    /// Confirmed minutes in the last 30 days.
    pub recent_minutes: u32,
    /// End of their last activity with hours.
    pub last_served: Option<i64>,
    /// On the wait list.
    pub asked: bool,
    /// In the optimal suggestion.
    pub suggested: bool,
}

/// Staff's match for one activity: the ranked candidates (at most 30), the suggestion ticked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Match {
    /// Free slots.
    pub free: u32,
    /// Ranked candidates.
    pub candidates: Vec<Candidate>,
}

/// The matcher's ranking and suggestion for activity `id` at `now` (empty for non-staff).
pub fn match_one(space: &Space, me: &DeviceKey, id: &EventId, now: i64) -> Match {
    let state = space.state();
    let staff = state.roster.actor(me).is_ok_and(|a| a.role.is_staff());
    if !staff {
        return Match::default();
    }
    let (openings, vols) = state.volunteers.match_inputs(&[*id], now);
    let Some(opening) = openings.first() else {
        return Match::default();
    };
    let suggestion = matching::assign(&openings, &vols, now);
    let chosen: Vec<MemberId> = suggestion
        .openings
        .iter()
        .flat_map(|f| f.chosen.iter().map(|r| r.member))
        .collect();
    let candidates = matching::rank(opening, &vols, now)
        .into_iter()
        .take(30)
        .map(|r| {
            let m = state.roster.member(&r.member);
            Candidate {
                id: r.member,
                name: m.map(|x| x.name.to_string()).unwrap_or_default(),
                household: m.map(|x| x.household.to_string()).unwrap_or_default(),
                score: r.score,
                skills: r.reasons.skills.iter().map(|s| s.to_string()).collect(),
                same_grid: r.reasons.grid == Grid::Same,
                recent_minutes: r.reasons.recent_minutes,
                last_served: r.reasons.last_served,
                asked: r.reasons.signed_up,
                suggested: chosen.contains(&r.member),
            }
        })
        .collect();
    Match {
        free: opening.free,
        candidates,
    }
}

/// The batch suggestion for every open, upcoming activity with free slots: per activity (by
/// start), its title and the members suggested.
pub fn match_all(space: &Space, me: &DeviceKey, now: i64) -> Vec<(EventId, String, Vec<MemberId>)> {
    let state = space.state();
    if !state.roster.actor(me).is_ok_and(|a| a.role.is_staff()) {
        return Vec::new();
    }
    let mut batch: Vec<&Activity> = state
        .volunteers
        .activities()
        .filter(|a| a.status == ActivityStatus::Open && a.start > now && a.free() > 0)
        .collect();
    batch.sort_by_key(|a| (a.start, a.id));
    let ids: Vec<EventId> = batch.iter().map(|a| a.id).collect();
    let (openings, vols) = state.volunteers.match_inputs(&ids, now);
    let result = matching::assign(&openings, &vols, now);
    batch
        .iter()
        .filter_map(|a| {
            let f = result.openings.iter().find(|f| f.activity == a.id)?;
            let members: Vec<MemberId> = f.chosen.iter().map(|r| r.member).collect();
            (!members.is_empty()).then(|| (a.id, a.title.to_string(), members))
        })
        .collect()
}

/// A volunteer whose hours wait on the confirmation screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    /// The member.
    pub id: MemberId,
    /// Full name.
    pub name: String,
    /// Minutes prefilled: check-in to check-out, else check-in to the end, else the activity's
    /// length — rounded to 5, 5 to 720.
    pub minutes: u32,
    /// Check-in and check-out.
    pub presence: (Option<i64>, Option<i64>),
    /// Already confirmed (minutes), shown but not sent again.
    pub done: Option<u32>,
    /// The domain would accept `me` confirming them (never their own).
    pub allowed: bool,
}

/// Minutes between two times, rounded to 5, at least 5 and at most 720.
pub fn prefill(from: i64, to: i64) -> u32 {
    let m = (to - from).max(0) as f64 / 60_000.0;
    ((m / 5.0).round() as u32 * 5).clamp(5, volunteers::act::MAX_MINUTES)
}

/// The hours confirmation of activity `id` for `me` at `now`: every confirmed volunteer.
pub fn pending(
    space: &Space,
    me: &DeviceKey,
    id: &EventId,
    now: i64,
) -> Option<(String, Vec<Pending>)> {
    let state = space.state();
    let actor = state.roster.actor(me).ok()?;
    if !actor.role.is_staff() {
        return None;
    }
    let a = state.volunteers.activity(id)?;
    let rows = a
        .confirmed
        .iter()
        .map(|m| {
            let att = a.attendance_of(m);
            let (checkin, checkout) = (att.and_then(|x| x.checkin), att.and_then(|x| x.checkout));
            let minutes = match (checkin, checkout) {
                (Some(i), Some(o)) => prefill(i, o),
                (Some(i), None) => prefill(i, a.end),
                _ => prefill(a.start, a.end),
            };
            let hours = volunteers::Act::Hours(Hours {
                activity: a.id,
                member: *m,
                minutes,
            });
            Pending {
                id: *m,
                name: state
                    .roster
                    .member(m)
                    .map(|x| x.name.to_string())
                    .unwrap_or_default(),
                minutes,
                presence: (checkin, checkout),
                done: att.and_then(|x| x.counted()).map(|h| h.minutes),
                allowed: space.check_at(me, &Command::Volunteers(hours), now).is_ok(),
            }
        })
        .collect();
    Some((a.title.to_string(), rows))
}

/// What the check-in QR code carries: `linli:checkin:{activity}:{ts}`.
pub fn qr_text(activity: &EventId, ts: i64) -> String {
    format!("linli:checkin:{}:{ts}", activity.to_hex())
}

/// Why a scanned check-in code is refused before anything is signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QrError {
    /// Not a check-in code.
    Bad,
    /// A code of another activity.
    OtherActivity,
    /// Older than 10 minutes by the worker's clock.
    Expired,
    /// This phone's clock is off the worker's by this many minutes (more than 10).
    ClockOff(i64),
}

/// How long a code stays valid, and how far a phone's clock may be off: 10 minutes.
pub const QR_VALID_MS: i64 = 10 * 60_000;

/// Reads a scanned code for `activity` on a phone whose clock says `now`.
///
/// The code's ts is the worker's clock when it was drawn (redrawn every 30 s): a phone more
/// than 10 minutes ahead of or behind it is `ClockOff` — unless the code is simply old, which
/// a phone cannot tell from a clock far ahead; so a code more than 10 minutes old reads as
/// `Expired` only when the phone's clock is otherwise plausible (within a day), and a phone
/// more than a day off is told to fix its clock.
pub fn read_qr(text: &str, activity: &EventId, now: i64) -> Result<(), QrError> {
    let rest = text
        .trim()
        .strip_prefix("linli:checkin:")
        .ok_or(QrError::Bad)?;
    let (id, ts) = rest.split_once(':').ok_or(QrError::Bad)?;
    let id = EventId::parse(id).map_err(|_| QrError::Bad)?;
    let ts: i64 = ts.parse().map_err(|_| QrError::Bad)?;
    if &id != activity {
        return Err(QrError::OtherActivity);
    }
    let off = now - ts;
    if !(-QR_VALID_MS..=86_400_000).contains(&off) {
        return Err(QrError::ClockOff(off / 60_000));
    }
    if off > QR_VALID_MS {
        return Err(QrError::Expired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_in_codes_are_read_strictly() {
        let a = EventId::parse(&"ab".repeat(32)).expect("id");
        let b = EventId::parse(&"cd".repeat(32)).expect("id");
        let ts = 1_800_000_000_000;
        let code = qr_text(&a, ts);
        assert_eq!(read_qr(&code, &a, ts + 1_000), Ok(()));
        assert_eq!(read_qr(&code, &a, ts + QR_VALID_MS), Ok(()));
        assert_eq!(read_qr(&code, &b, ts), Err(QrError::OtherActivity));
        assert_eq!(
            read_qr(&code, &a, ts + QR_VALID_MS + 1),
            Err(QrError::Expired)
        );
        assert_eq!(
            read_qr(&code, &a, ts - 20 * 60_000),
            Err(QrError::ClockOff(-20))
        );
        assert_eq!(
            read_qr(&code, &a, ts + 2 * 86_400_000),
            Err(QrError::ClockOff(2880))
        );
        assert_eq!(read_qr("linli:checkin:zz:1", &a, ts), Err(QrError::Bad));
        assert_eq!(read_qr("hello", &a, ts), Err(QrError::Bad));
    }

    #[test]
    fn minutes_are_prefilled_in_fives() {
        assert_eq!(prefill(0, 62 * 60_000), 60);
        assert_eq!(prefill(0, 63 * 60_000), 65);
        assert_eq!(prefill(0, 60_000), 5);
        assert_eq!(prefill(100, 0), 5);
        assert_eq!(prefill(0, 20 * 3_600_000), 720);
    }
}
