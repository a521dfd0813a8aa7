//! Resident councils (居民议事会): proposals, seconds (附议), comments with moderation, the
//! ballot with its frontier, the tally, follow-up (落实), and council meetings with check-in and
//! minutes (`DESIGN.md` §3.2–3.3, `docs/protocol.md` §5).
//!
//! A proposal moves through 征集附议 (collecting seconds) → 协商中 (enough seconds, deliberating)
//! → 表决中 (ballot open) → 已表决 (closed, with an outcome) → 落实中 (a decision being carried
//! out) → 已完成 (done); or it is withdrawn by its proposer before the ballot opens.
//!
//! - [`act`]: the kinds, their payloads and limits.
//! - [`proposal`]: proposals, seconds, comments, withdrawal, follow-up.
//! - [`ballot`]: open, votes, frontier, close, the tally.
//! - [`charter`]: 议事规则, the standing rules new proposals must meet.
//! - [`meeting`]: meetings, check-in, minutes.
//! - [`actions`]: what a member may do on a proposal or a meeting, asked of the same judge.
//! - [`report`]: the council's sections of the audit report.
//!
//! Every act is judged first (reading the state only) and then committed: the fold does both,
//! the app only the first, before it signs — so the two can never disagree.

pub mod act;
pub mod actions;
pub mod ballot;
pub mod charter;
pub mod meeting;
pub mod proposal;
pub mod report;

use std::collections::BTreeMap;

use serde::Serialize;

pub use act::{Act, DEFAULT_OPTIONS, MAX_FRONTIER, MAX_OPTION, MAX_OPTIONS, MAX_TEXT, MAX_TITLE};
pub use actions::{CouncilActions, MeetingActions, ProposalActions, Verdict};
pub use ballot::{Eligibility, Outcome, Period, Tally, Threshold, Vote};
pub use charter::Charter;
pub use meeting::{code_hash, Meeting};
pub use proposal::{Comment, Progress, Proposal, Spec, StandardOption, Status};

use crate::at::At;
use crate::id::EventId;
use crate::reject::Code;
use crate::roster::{Actor, Roster};
use crate::table::IdMap;

/// The council part of the state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Council {
    proposals: IdMap<Proposal>,
    /// Comment id → proposal id.
    comments: IdMap<EventId>,
    meetings: IdMap<Meeting>,
    charter: Option<Charter>,
}

/// What a judged council act changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    Proposal(proposal::Change),
    Ballot(ballot::Change),
    Meeting(meeting::Change),
    Charter(charter::Change),
}

/// The council as a snapshot writes it: maps in key order, and the frontier parts the
/// canonical JSON leaves out.
#[derive(Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CouncilDump<P, C, M, F> {
    proposals: P,
    comments: C,
    meetings: M,
    charter: Option<Charter>,
    parts: F,
}

/// Frontier parts per proposal, as a snapshot carries them.
type Parts = BTreeMap<EventId, BTreeMap<EventId, BTreeMap<crate::id::DeviceKey, u64>>>;

impl Council {
    /// As a snapshot writes it.
    pub(crate) fn dump(&self) -> impl Serialize + '_ {
        let parts: BTreeMap<&EventId, &BTreeMap<EventId, BTreeMap<crate::id::DeviceKey, u64>>> =
            self.proposals
                .iter()
                .filter(|(_, p)| !p.frontier_parts.is_empty())
                .map(|(id, p)| (id, &p.frontier_parts))
                .collect();
        CouncilDump {
            proposals: crate::table::SortedIds(&self.proposals),
            comments: crate::table::SortedIds(&self.comments),
            meetings: crate::table::SortedIds(&self.meetings),
            charter: self.charter.clone(),
            parts,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Council {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let dump: CouncilDump<IdMap<Proposal>, IdMap<EventId>, IdMap<Meeting>, Parts> =
            CouncilDump::deserialize(d)?;
        let mut proposals = dump.proposals;
        for (id, parts) in dump.parts {
            let p = proposals
                .get_mut(&id)
                .ok_or_else(|| serde::de::Error::custom("frontier parts of no proposal"))?;
            p.frontier_parts = parts;
        }
        Ok(Council {
            proposals,
            comments: dump.comments,
            meetings: dump.meetings,
            charter: dump.charter,
        })
    }
}

/// `{"proposals": {id: proposal}, "meetings": {id: meeting}, "charter": charter or null}`, in
/// key order.
impl Serialize for Council {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let proposals: BTreeMap<_, _> = self.proposals.iter().collect();
        let meetings: BTreeMap<_, _> = self.meetings.iter().collect();
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("proposals", &proposals)?;
        m.serialize_entry("meetings", &meetings)?;
        m.serialize_entry("charter", &self.charter)?;
        m.end()
    }
}

impl Council {
    /// A proposal by id.
    pub fn proposal(&self, id: &EventId) -> Option<&Proposal> {
        self.proposals.get(id)
    }

    /// Every proposal, sorted by id (for canonical output; the UI sorts by time).
    pub fn proposals(&self) -> Vec<&Proposal> {
        let mut all: Vec<&Proposal> = self.proposals.values().collect();
        all.sort_by_key(|p| p.id);
        all
    }

    /// A meeting by id.
    pub fn meeting(&self, id: &EventId) -> Option<&Meeting> {
        self.meetings.get(id)
    }

    /// Every meeting, sorted by id.
    pub fn meetings(&self) -> Vec<&Meeting> {
        let mut all: Vec<&Meeting> = self.meetings.values().collect();
        all.sort_by_key(|m| m.id);
        all
    }

    fn get(&self, id: &EventId) -> Result<&Proposal, Code> {
        self.proposals.get(id).ok_or(Code::UnknownProposal)
    }

    /// Whether `act` by `by` (an active device's member) may apply at `at`, and what it
    /// changes. Reads only.
    pub(crate) fn judge(
        &self,
        roster: &Roster,
        by: &Actor,
        at: &At,
        act: &Act,
    ) -> Result<Change, Code> {
        Ok(match act {
            Act::Create(c) => Change::Proposal(self.judge_create(by, at, c)?),
            Act::Second(r) => Change::Proposal(self.judge_second(by, r)?),
            Act::Comment(c) => Change::Proposal(self.judge_comment(by, at, c)?),
            Act::Hide(h) => Change::Proposal(self.judge_hide(by, h)?),
            Act::Withdraw(r) => Change::Proposal(self.judge_withdraw(by, r)?),
            Act::Progress(g) => Change::Proposal(self.judge_progress(by, at, g)?),
            Act::Open(o) => Change::Ballot(self.judge_open(by, at, o)?),
            Act::Vote(v) => Change::Ballot(self.judge_vote(roster, by, at, v)?),
            Act::FrontierPart(f) => Change::Ballot(self.judge_frontier_part(by, at, f)?),
            Act::Close(c) => Change::Ballot(self.judge_close(roster, by, at, c)?),
            Act::Schedule(s) => Change::Meeting(self.judge_schedule(by, at, s)?),
            Act::Checkin(k) => Change::Meeting(self.judge_checkin(by, k)?),
            Act::Minutes(m) => Change::Meeting(self.judge_minutes(by, m)?),
            Act::Charter(c) => Change::Charter(self.judge_charter(by, c)?),
        })
    }

    /// Applies a judged change.
    pub(crate) fn commit(&mut self, change: Change) {
        match change {
            Change::Proposal(c) => self.commit_proposal(c),
            Change::Ballot(c) => self.commit_ballot(c),
            Change::Meeting(c) => self.commit_meeting(c),
            Change::Charter(c) => self.commit_charter(c),
        }
    }
}
