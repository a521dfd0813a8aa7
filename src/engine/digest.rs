//! What the home screen and the badge show, computed from the fold and stored with the record
//! so that the next start shows it before any event is read back.

use linli_domain::council::act::Cast;
use linli_domain::council::{Act, Status};
use std::collections::HashMap;

use linli_domain::points::Source;
use linli_domain::services::act::Answer;
use linli_domain::{Command, DeviceKey, EventId, Space};

use super::community::Community;
use crate::session::Digest;
use crate::store::log::{BallotLink, MeetingLink, PollLink, RuleLink};

/// The ballots `device`'s member may vote on now — those not voted on yet first, then newest
/// first: the domain's verdict on a vote, so a household ballot does not appear for a member
/// without a household, nor a council ballot for a resident.
pub fn to_vote(space: &Space, device: &DeviceKey) -> Vec<BallotLink> {
    let mut open: Vec<_> = space
        .state()
        .council
        .proposals()
        .into_iter()
        .filter(|p| p.status == Status::Voting)
        .filter(|p| {
            let vote = Act::Vote(Cast {
                proposal: p.id,
                choice: 0,
            });
            space.allows(device, &Command::Council(vote)).is_ok()
        })
        .collect();
    let roster = &space.state().roster;
    let me = roster.actor(device).ok().map(|a| a.id);
    let voted = |p: &linli_domain::council::Proposal| me.is_some_and(|m| p.vote_of(&m).is_some());
    // Those still waiting for this member's vote first; among them the soonest to end, then
    // the newest.
    let ends =
        |p: &linli_domain::council::Proposal| p.period.and_then(|x| x.ends).unwrap_or(i64::MAX);
    open.sort_by(|a, b| (voted(a), ends(a), b.ts, a.id).cmp(&(voted(b), ends(b), a.ts, b.id)));
    open.into_iter()
        .map(|p| {
            let now = p.tally_now(roster);
            BallotLink {
                id: p.id.to_hex(),
                title: p.spec.title.to_string(),
                category: p.spec.category.to_string(),
                voted: voted(p),
                ends: p.period.and_then(|x| x.ends),
                cast: now.cast,
                eligible: now.eligible,
            }
        })
        .collect()
}

/// Meetings without minutes that have not long passed (up to six hours ago, by this phone's
/// clock), soonest first, at most three: the home screen shows the first still ahead or
/// under way when it draws (a meeting's minutes close it).
pub fn meetings(space: &Space, now: i64) -> Vec<MeetingLink> {
    let mut open: Vec<_> = space
        .state()
        .council
        .meetings()
        .into_iter()
        .filter(|m| m.minutes.is_none() && m.schedule.at > now - 6 * 3_600_000)
        .collect();
    open.sort_by_key(|m| (m.schedule.at, m.id));
    open.into_iter()
        .take(3)
        .map(|m| MeetingLink {
            id: m.id.to_hex(),
            title: m.schedule.title.to_string(),
            at: m.schedule.at,
            place: m.schedule.place.to_string(),
        })
        .collect()
}

/// For a staff member: the three rules in force they have awarded most (all staff's awards
/// when they have recorded none yet, then the catalogue's order), for 快速记分 on home.
pub fn quick_rules(space: &Space, device: &DeviceKey) -> Vec<RuleLink> {
    let state = space.state();
    let Ok(me) = state.roster.actor(device) else {
        return Vec::new();
    };
    if !me.role.is_staff() {
        return Vec::new();
    }
    let points = &state.points;
    let mut mine: HashMap<EventId, usize> = HashMap::new();
    let mut all: HashMap<EventId, usize> = HashMap::new();
    for e in points.entries() {
        if e.source == Source::Award {
            *all.entry(e.rule).or_default() += 1;
            if e.issuer == me.id {
                *mine.entry(e.rule).or_default() += 1;
            }
        }
    }
    let count = |m: &HashMap<EventId, usize>, id| m.get(id).copied().unwrap_or(0);
    let mut rules: Vec<_> = points.rules().into_iter().filter(|r| !r.retired).collect();
    rules.sort_by(|a, b| {
        (count(&mine, &b.id), count(&all, &b.id), a.points < 0, a.id).cmp(&(
            count(&mine, &a.id),
            count(&all, &a.id),
            b.points < 0,
            b.id,
        ))
    });
    rules
        .into_iter()
        .take(3)
        .map(|r| RuleLink {
            id: r.id.to_hex(),
            title: r.title.to_string(),
            points: r.points,
        })
        .collect()
}

/// Open polls `device`'s member may answer at `now` and has not, soonest to close first, at
/// most three.
pub fn polls(space: &Space, device: &DeviceKey, now: i64) -> Vec<PollLink> {
    let state = space.state();
    let Ok(me) = state.roster.actor(device) else {
        return Vec::new();
    };
    let mut open: Vec<_> = state
        .services
        .polls()
        .filter(|p| now < p.closes && !p.answers.contains_key(&me.id))
        .filter(|p| {
            let answer = linli_domain::services::Act::Answer(Answer {
                poll: p.id,
                choices: vec![0],
            });
            space
                .check_at(device, &Command::Services(answer), now)
                .is_ok()
        })
        .collect();
    open.sort_by_key(|p| (p.closes, p.id));
    open.into_iter()
        .take(3)
        .map(|p| PollLink {
            id: p.id.to_hex(),
            question: p.question.to_string(),
            closes: p.closes,
        })
        .collect()
}

/// The live digest of an open community.
pub fn digest(c: &Community) -> Digest {
    let mut d = Digest::of_record(&c.record, true);
    d.snapshot = c.snapshot();
    d
}
