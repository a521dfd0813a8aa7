//! The audit's `activities` and `volunteers` sections (`DESIGN.md` §3.4): every activity with
//! its confirmed volunteers and wait list, and every volunteer's confirmed minutes — what
//! anyone recomputes from the files with their own code.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{ActivityStatus, Attendance, Volunteers};
use crate::id::{EventId, MemberId};

/// One activity of the audit's `activities`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityRow {
    /// Its id.
    pub activity: EventId,
    /// `open` or `cancelled`.
    pub status: ActivityStatus,
    /// Confirmed volunteers, in the order they became confirmed.
    pub confirmed: Vec<MemberId>,
    /// The wait list, first in line first.
    pub waitlist: Vec<MemberId>,
}

/// One volunteer of the audit's `volunteers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct VolunteerRow {
    /// The member.
    pub member: MemberId,
    /// Confirmed minutes not reversed.
    pub minutes: u64,
    /// On how many activities.
    pub activities: u32,
}

/// `activities`: every activity, by id.
pub fn activities(v: &Volunteers) -> Vec<ActivityRow> {
    let mut rows: Vec<ActivityRow> = v
        .activities()
        .map(|a| ActivityRow {
            activity: a.id,
            status: a.status,
            confirmed: a.confirmed.clone(),
            waitlist: a.waiting.clone(),
        })
        .collect();
    rows.sort_by_key(|r| r.activity);
    rows
}

/// `volunteers`: every member with confirmed minutes not reversed, by member id.
pub fn volunteers(v: &Volunteers) -> Vec<VolunteerRow> {
    let mut by: BTreeMap<MemberId, (u64, u32)> = BTreeMap::new();
    for a in v.activities() {
        for (member, h) in a
            .attendance
            .iter()
            .filter_map(|att| Some((att.member, Attendance::counted(att)?)))
        {
            let t = by.entry(member).or_default();
            t.0 += u64::from(h.minutes);
            t.1 += 1;
        }
    }
    by.into_iter()
        .map(|(member, (minutes, activities))| VolunteerRow {
            member,
            minutes,
            activities,
        })
        .collect()
}
