//! The ballot (表决): opening it, votes, the close with its frontier, and the tally
//! (`DESIGN.md` §3.3).
//!
//! A vote counts when it is cast by an active device of an eligible member after the ballot
//! opened and lies within the close's frontier (its author's seq ≤ the frontier's entry for
//! that author). Per voter — the member, or for `household` ballots the household — the last
//! counted vote in the total order wins. Events beyond the frontier never change a closed
//! tally, however late they arrive: a vote after the close in the total order is rejected
//! (`wrong_state`); one before it but outside the frontier stays recorded and uncounted.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::act::{Cast, Close, FrontierPart, Open, MAX_FRONTIER};
use super::proposal::{Proposal, Status};
use super::Council;
use crate::at::At;
use crate::id::{DeviceKey, EventId, MemberId};
use crate::reject::Code;
use crate::roster::{Actor, Roster};

/// Who may vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Eligibility {
    /// Every member, one vote each.
    Resident,
    /// One vote per household (户): a member's vote replaces their household's earlier one.
    Household,
    /// Council members and the admin only.
    Council,
}

impl Eligibility {
    /// Every eligibility, in the order a form offers them.
    pub const ALL: [Eligibility; 3] = [
        Eligibility::Resident,
        Eligibility::Household,
        Eligibility::Council,
    ];
}

/// What a passing vote needs, with the first option meaning yes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Threshold {
    /// More than half of the votes cast: yes × 2 > cast.
    Simple,
    /// At least two thirds of the votes cast: yes × 3 ≥ cast × 2.
    TwoThirds,
}

impl Threshold {
    /// Every threshold, in the order a form offers them.
    pub const ALL: [Threshold; 2] = [Threshold::Simple, Threshold::TwoThirds];
}

/// A ballot's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Quorum met and the threshold reached.
    Passed,
    /// Quorum met, threshold not reached.
    Rejected,
    /// Too few voted: 100 × cast ≤ quorum_pct × eligible.
    NoQuorum,
}

/// When the ballot opened and when its voting was announced to end (display only: the close
/// alone fixes a result).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// The `ballot.open`'s `ts`.
    pub opened: i64,
    /// The announced end, if the open gave one.
    pub ends: Option<i64>,
}

impl Period {
    /// Whether voting ran past its announced end at `now` (ms).
    pub fn overdue(&self, now: i64) -> bool {
        self.ends.is_some_and(|e| now >= e)
    }
}

/// A recorded vote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    /// The member who voted.
    pub member: MemberId,
    /// Whose vote it is: the member, or their household.
    pub voter: Arc<str>,
    /// The option.
    pub choice: u32,
    /// The device and its seq (for the frontier).
    pub author: DeviceKey,
    /// Its seq.
    pub seq: u64,
}

/// A ballot's numbers: final once closed, or what a close now would count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Eligible voters when the ballot closed.
    pub eligible: u32,
    /// Voters whose vote counted.
    pub cast: u32,
    /// Votes per option.
    pub counts: Vec<u32>,
    /// The result.
    pub outcome: Outcome,
}

impl Proposal {
    /// Whose vote `by`'s would be on this ballot — the member, or their household — or why
    /// they may not vote (`not_eligible`).
    pub fn voter(&self, roster: &Roster, by: &Actor) -> Result<Arc<str>, Code> {
        let member = roster.member(&by.id).ok_or(Code::UnknownMember)?;
        match self.spec.eligibility {
            Eligibility::Resident => Ok(by.id.to_hex().into()),
            Eligibility::Council if by.role.is_council_or_admin() => Ok(by.id.to_hex().into()),
            Eligibility::Council => Err(Code::NotEligible),
            Eligibility::Household if member.household.trim().is_empty() => Err(Code::NotEligible),
            Eligibility::Household => Ok(member.household.clone()),
        }
    }

    /// The frontier a closing council device names for this ballot: the last seq of every
    /// device that voted, as recorded here, in parts of at most [`MAX_FRONTIER`] entries
    /// (the first goes into the close itself when it is the only one).
    pub fn closing_frontier(&self) -> Vec<BTreeMap<DeviceKey, u64>> {
        let mut last: BTreeMap<DeviceKey, u64> = BTreeMap::new();
        for v in &self.votes {
            let s = last.entry(v.author).or_default();
            *s = (*s).max(v.seq);
        }
        let all: Vec<(DeviceKey, u64)> = last.into_iter().collect();
        all.chunks(MAX_FRONTIER)
            .map(|c| c.iter().copied().collect())
            .collect()
    }

    /// What a close naming every recorded vote would count now, with the voters eligible
    /// now: the turnout and outcome a council member sees before closing.
    pub fn tally_now(&self, roster: &Roster) -> Tally {
        let frontier: BTreeMap<DeviceKey, u64> = self
            .closing_frontier()
            .into_iter()
            .flat_map(|part| part.into_iter())
            .collect();
        tally(
            self,
            &frontier,
            eligible_count(roster, self.spec.eligibility),
        )
    }
}

/// What a judged ballot act changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    Open {
        proposal: EventId,
        period: Period,
    },
    Vote {
        proposal: EventId,
        vote: Vote,
    },
    FrontierPart {
        proposal: EventId,
        part: EventId,
        entries: BTreeMap<DeviceKey, u64>,
    },
    Close {
        proposal: EventId,
        tally: Tally,
        ts: i64,
    },
}

impl Council {
    pub(crate) fn judge_open(&self, by: &Actor, at: &At, o: &Open) -> Result<Change, Code> {
        if !by.role.is_council_or_admin() {
            return Err(Code::NotPermitted);
        }
        let p = self.get(&o.proposal)?;
        if p.status != Status::Deliberating {
            return Err(Code::WrongState);
        }
        Ok(Change::Open {
            proposal: p.id,
            period: Period {
                opened: at.ts,
                ends: o.ends,
            },
        })
    }

    pub(crate) fn judge_vote(
        &self,
        roster: &Roster,
        by: &Actor,
        at: &At,
        v: &Cast,
    ) -> Result<Change, Code> {
        let p = self.get(&v.proposal)?;
        if p.status != Status::Voting {
            return Err(Code::WrongState);
        }
        if v.choice as usize >= p.spec.options.len() {
            return Err(Code::BadChoice);
        }
        let voter = p.voter(roster, by)?;
        Ok(Change::Vote {
            proposal: p.id,
            vote: Vote {
                member: by.id,
                voter,
                choice: v.choice,
                author: at.author,
                seq: at.seq,
            },
        })
    }

    pub(crate) fn judge_frontier_part(
        &self,
        by: &Actor,
        at: &At,
        f: &FrontierPart,
    ) -> Result<Change, Code> {
        if !by.role.is_council_or_admin() {
            return Err(Code::NotPermitted);
        }
        let p = self.get(&f.proposal)?;
        if p.status != Status::Voting {
            return Err(Code::WrongState);
        }
        Ok(Change::FrontierPart {
            proposal: p.id,
            part: at.id,
            entries: f.entries.clone(),
        })
    }

    pub(crate) fn judge_close(
        &self,
        roster: &Roster,
        by: &Actor,
        at: &At,
        c: &Close,
    ) -> Result<Change, Code> {
        if !by.role.is_council_or_admin() {
            return Err(Code::NotPermitted);
        }
        let p = self.get(&c.proposal)?;
        if p.status != Status::Voting {
            return Err(Code::WrongState);
        }
        let mut all = c.frontier.clone();
        for part in &c.parts {
            let entries = p.frontier_parts.get(part).ok_or(Code::MissingFrontier)?;
            for (k, v) in entries {
                let e = all.entry(*k).or_insert(*v);
                *e = (*e).max(*v);
            }
        }
        let eligible = eligible_count(roster, p.spec.eligibility);
        Ok(Change::Close {
            proposal: p.id,
            tally: tally(p, &all, eligible),
            ts: at.ts,
        })
    }

    pub(crate) fn commit_ballot(&mut self, change: Change) {
        let id = match &change {
            Change::Open { proposal, .. }
            | Change::Vote { proposal, .. }
            | Change::FrontierPart { proposal, .. }
            | Change::Close { proposal, .. } => proposal,
        };
        let Some(p) = self.proposals.get_mut(id) else {
            return;
        };
        match change {
            Change::Open { period, .. } => {
                p.status = Status::Voting;
                p.period = Some(period);
            }
            Change::Vote { vote, .. } => p.votes.push(vote),
            Change::FrontierPart { part, entries, .. } => {
                p.frontier_parts.insert(part, entries);
            }
            Change::Close { tally, ts, .. } => {
                p.tally = Some(tally);
                p.closed_at = Some(ts);
                p.status = Status::Decided;
            }
        }
    }
}

/// Eligible voters now: members, households, or council members and the admin.
fn eligible_count(roster: &Roster, e: Eligibility) -> u32 {
    match e {
        Eligibility::Resident => roster.member_count() as u32,
        Eligibility::Council => roster
            .members()
            .filter(|m| m.role.is_council_or_admin())
            .count() as u32,
        Eligibility::Household => {
            let mut households: Vec<&str> = roster
                .members()
                .map(|m| &*m.household)
                .filter(|h| !h.trim().is_empty())
                .collect();
            households.sort_unstable();
            households.dedup();
            households.len() as u32
        }
    }
}

/// The tally of a closing ballot: votes within the frontier, the last per voter.
fn tally(p: &Proposal, frontier: &BTreeMap<DeviceKey, u64>, eligible: u32) -> Tally {
    let mut last: HashMap<&str, u32> = HashMap::new();
    for v in &p.votes {
        if frontier.get(&v.author).is_some_and(|&f| v.seq <= f) {
            last.insert(&v.voter, v.choice);
        }
    }
    let mut counts = vec![0u32; p.spec.options.len()];
    for c in last.values() {
        counts[*c as usize] += 1;
    }
    let cast = last.len() as u32;
    let yes = counts.first().copied().unwrap_or(0);
    let outcome = if u64::from(cast) * 100 <= u64::from(p.spec.quorum_pct) * u64::from(eligible) {
        Outcome::NoQuorum
    } else {
        let passes = match p.spec.threshold {
            Threshold::Simple => u64::from(yes) * 2 > u64::from(cast),
            Threshold::TwoThirds => u64::from(yes) * 3 >= u64::from(cast) * 2,
        };
        if passes {
            Outcome::Passed
        } else {
            Outcome::Rejected
        }
    };
    Tally {
        eligible,
        cast,
        counts,
        outcome,
    }
}
