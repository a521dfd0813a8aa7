//! The monthly ledger (台账): what the community did in one calendar month (UTC+8), compiled
//! from the folded state alone — nothing typed by hand (减负). A pure read model, like the
//! audit: the app shows and prints it, and anyone can recompute it.
//!
//! Each line is dated by the event that makes it belong to the month: a proposal by its
//! creation, a ballot by its close, a meeting by its scheduled time, a points entry by its
//! ts, a redemption by its ts, volunteer hours by the activity's start, a request by its
//! opening (opened), its latest resolve (resolved) or its rating (satisfaction), a poll by its
//! close, a funds entry by its `date`. The red and black lists are their sizes when the
//! ledger is made (the black list counting entries visible by the month's end).

use serde::Serialize;

use crate::council::{Outcome, Status};
use crate::fold::State;
use crate::id::EventId;
use crate::points::{month_utc8, EntryStatus, RedemptionStatus, VISIBLE_AFTER_MS};
use crate::services::RequestStatus;
use crate::volunteers::ActivityStatus;

/// A ballot closed in the month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BallotLine {
    /// The proposal.
    pub proposal: EventId,
    /// Its title.
    pub title: String,
    /// The result.
    pub outcome: Outcome,
    /// Eligible voters.
    pub eligible: u32,
    /// Votes counted.
    pub cast: u32,
}

/// A meeting held in the month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MeetingLine {
    /// The meeting.
    pub meeting: EventId,
    /// Its title.
    pub title: String,
    /// When (ms).
    pub at: i64,
    /// How many checked in.
    pub attendance: u32,
    /// Whether minutes were posted.
    pub minutes: bool,
}

/// An activity of the month with confirmed hours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActivityLine {
    /// The activity.
    pub activity: EventId,
    /// Its title.
    pub title: String,
    /// Its start (ms).
    pub start: i64,
    /// Volunteers with hours that count.
    pub volunteers: u32,
    /// Their minutes.
    pub minutes: u64,
}

/// A poll closed in the month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PollLine {
    /// The poll.
    pub poll: EventId,
    /// The question.
    pub question: String,
    /// Members who answered.
    pub answered: u64,
    /// Per option.
    pub counts: Vec<u64>,
}

/// One month's ledger.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Ledger {
    /// `year × 12 + month − 1` (UTC+8).
    pub month: i64,
    /// Proposals made.
    pub proposals: u32,
    /// Ballots closed.
    pub ballots: Vec<BallotLine>,
    /// Meetings held.
    pub meetings: Vec<MeetingLine>,
    /// Points awarded (counted entries > 0, their sum).
    pub awarded: i64,
    /// Points deducted (counted entries < 0, their sum as a positive number).
    pub deducted: i64,
    /// Counted entries dated in the month.
    pub entries: u32,
    /// Points spent in the store (redemptions not cancelled).
    pub redeemed: i64,
    /// Redemptions not cancelled.
    pub redemptions: u32,
    /// The red list's size now.
    pub red_list: u32,
    /// Black-list entries visible by the month's end, not rectified, now.
    pub black_list: u32,
    /// Activities that started in the month, with hours.
    pub activities: Vec<ActivityLine>,
    /// Activities that started in the month and were cancelled.
    pub activities_cancelled: u32,
    /// Requests opened.
    pub requests_opened: u32,
    /// Requests resolved (their latest resolve in the month).
    pub requests_resolved: u32,
    /// Requests still open at the month's end and overdue then.
    pub requests_overdue: u32,
    /// Ratings given, and how many had 4 or 5 stars.
    pub ratings: (u32, u32),
    /// Hours from opening to resolve of the requests resolved, median, in minutes.
    pub resolve_median_minutes: Option<i64>,
    /// Polls closed.
    pub polls: Vec<PollLine>,
    /// Funds: income, spending (positive) and entries, not voided, dated in the month.
    pub funds: (i64, i64, u32),
}

/// The month (`year × 12 + month − 1`) of a `YYYY-MM-DD` date.
fn month_of_date(date: &str) -> Option<i64> {
    let y: i64 = date.get(0..4)?.parse().ok()?;
    let m: i64 = date.get(5..7)?.parse().ok()?;
    Some(y * 12 + m - 1)
}

/// The first ms of month `month` in UTC+8.
pub fn month_start(month: i64) -> i64 {
    // Days from the epoch to the first of the month (Howard Hinnant's days_from_civil).
    let (y, m) = (month.div_euclid(12), month.rem_euclid(12) + 1);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400_000 - 8 * 3_600_000
}

/// The ledger of `month` (`year × 12 + month − 1`, UTC+8).
pub fn month(state: &State, month: i64) -> Ledger {
    let in_month = |ts: i64| month_utc8(ts) == month;
    let end = month_start(month + 1);
    let mut l = Ledger {
        month,
        ..Ledger::default()
    };
    for p in state.council.proposals() {
        if in_month(p.ts) {
            l.proposals += 1;
        }
        if let (Some(t), Some(closed)) = (&p.tally, p.closed_at) {
            if in_month(closed) && p.status != Status::Withdrawn {
                l.ballots.push(BallotLine {
                    proposal: p.id,
                    title: p.spec.title.to_string(),
                    outcome: t.outcome,
                    eligible: t.eligible,
                    cast: t.cast,
                });
            }
        }
    }
    for m in state.council.meetings() {
        if in_month(m.schedule.at) {
            l.meetings.push(MeetingLine {
                meeting: m.id,
                title: m.schedule.title.to_string(),
                at: m.schedule.at,
                attendance: m.attendance.len() as u32,
                minutes: m.minutes.is_some(),
            });
        }
    }
    l.meetings.sort_by_key(|m| (m.at, m.meeting));
    let points = &state.points;
    for e in points.entries() {
        if e.status == EntryStatus::Counted && in_month(e.ts) {
            l.entries += 1;
            if e.amount > 0 {
                l.awarded += e.amount;
            } else {
                l.deducted -= e.amount;
            }
        }
    }
    for r in points.redemptions() {
        if r.status != RedemptionStatus::Cancelled && in_month(r.ts) {
            l.redemptions += 1;
            l.redeemed += r.cost * i64::from(r.qty);
        }
    }
    l.red_list = points.red_list().len() as u32;
    l.black_list = points
        .black_list()
        .iter()
        .filter(|b| b.since + VISIBLE_AFTER_MS < end)
        .count() as u32;
    for a in state.volunteers.activities() {
        if !in_month(a.start) {
            continue;
        }
        if a.status == ActivityStatus::Cancelled {
            l.activities_cancelled += 1;
        }
        let counted: Vec<u32> = a
            .attendance
            .iter()
            .filter_map(|x| x.counted().map(|h| h.minutes))
            .collect();
        if !counted.is_empty() {
            l.activities.push(ActivityLine {
                activity: a.id,
                title: a.title.to_string(),
                start: a.start,
                volunteers: counted.len() as u32,
                minutes: counted.iter().map(|&m| u64::from(m)).sum(),
            });
        }
    }
    l.activities.sort_by_key(|a| (a.start, a.activity));
    let mut times = Vec::new();
    for r in state.services.requests() {
        if in_month(r.ts) {
            l.requests_opened += 1;
        }
        if let Some(at) = r.resolved_at.filter(|&at| in_month(at)) {
            if r.status == RequestStatus::Resolved {
                l.requests_resolved += 1;
                times.push((at - r.ts) / 60_000);
            }
        }
        let open_at_end = r.ts < end && r.resolved_at.is_none_or(|at| at >= end);
        if open_at_end && r.overdue(end) {
            l.requests_overdue += 1;
        }
        if let Some(rating) = r.rating.as_ref().filter(|x| in_month(x.ts)) {
            l.ratings.0 += 1;
            if rating.stars >= 4 {
                l.ratings.1 += 1;
            }
        }
    }
    times.sort_unstable();
    l.resolve_median_minutes = times
        .get(times.len() / 2)
        .copied()
        .filter(|_| !times.is_empty());
    for p in state.services.polls() {
        if in_month(p.closes - 1) {
            l.polls.push(PollLine {
                poll: p.id,
                question: p.question.to_string(),
                answered: p.answers.len() as u64,
                counts: p.counts(),
            });
        }
    }
    for f in state.services.funds() {
        if f.voided.is_none() && month_of_date(&f.date) == Some(month) {
            l.funds.2 += 1;
            if f.amount_fen > 0 {
                l.funds.0 += f.amount_fen;
            } else {
                l.funds.1 -= f.amount_fen;
            }
        }
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_start_at_midnight_in_china() {
        for m in [1970 * 12, 2024 * 12 + 1, 2026 * 12 + 11, 2025 * 12 + 2] {
            let start = month_start(m);
            assert_eq!(month_utc8(start), m);
            assert_eq!(month_utc8(start - 1), m - 1);
        }
        assert_eq!(month_of_date("2026-03-05"), Some(2026 * 12 + 2));
    }
}
