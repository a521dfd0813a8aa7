//! Resident councils (居民议事会): proposals, seconds (附议), comments with moderation, the
//! ballot with its frontier, the tally, follow-up (落实), and council meetings with check-in and
//! minutes (`DESIGN.md` §3.2–3.3, `docs/protocol.md`).
//!
//! A proposal moves through 征集附议 (collecting seconds) → 协商中 (enough seconds, deliberating)
//! → 表决中 (ballot open) → 已表决 (closed, with an outcome) → 落实中 (a decision being carried
//! out) → 已完成 (done); or it is withdrawn by its proposer before the ballot opens.
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

use crate::envelope::{sha256, Event};
use crate::id::{DeviceKey, EventId, Hex32, MemberId};
use crate::payload::Role;
use crate::reject::Code;
use crate::roster::{Actor, Roster};
use crate::table::IdMap;

/// Longest title, in characters.
pub const MAX_TITLE: usize = 100;
/// Longest proposal body, comment, progress report or minutes, in characters.
pub const MAX_TEXT: usize = 2000;
/// Most options of a ballot.
pub const MAX_OPTIONS: usize = 10;
/// Longest option or category, in characters.
pub const MAX_OPTION: usize = 40;
/// Most seconds a proposal may ask for.
pub const MAX_SECONDS: u32 = 100;
/// Most entries in one frontier (a `ballot.close`'s own, or one `ballot.frontier` part): about
/// 11 KB of JSON, inside the 16 KiB body limit.
pub const MAX_FRONTIER: usize = 150;
/// The default options: 赞成 (yes), 反对 (no), 弃权 (abstain).
pub const DEFAULT_OPTIONS: [&str; 3] = ["赞成", "反对", "弃权"];

/// Who may vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Eligibility {
    /// Every member, one vote each.
    Resident,
    /// One vote per household (户): a member's vote replaces their household's earlier one.
    Household,
    /// Council members and the admin only.
    Council,
}

/// What a passing vote needs, with the first option meaning yes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Threshold {
    /// More than half of the votes cast: yes × 2 > cast.
    Simple,
    /// At least two thirds of the votes cast: yes × 3 ≥ cast × 2.
    TwoThirds,
}

/// A ballot's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Quorum met and the threshold reached.
    Passed,
    /// Quorum met, threshold not reached.
    Rejected,
    /// Too few voted: 100 × cast ≤ quorum_pct × eligible.
    NoQuorum,
}

/// Where a proposal stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 征集附议 — waiting for seconds.
    Collecting,
    /// 协商中 — enough seconds; the council may open the ballot.
    Deliberating,
    /// 表决中 — the ballot is open.
    Voting,
    /// 已表决 — closed, with an outcome.
    Decided,
    /// 落实中 — a passed decision with progress reported.
    Implementing,
    /// 已完成 — carried out.
    Done,
    /// 已撤回 — withdrawn by its proposer before the ballot opened.
    Withdrawn,
}

/// A council act: the payload of one of the council kinds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Act {
    /// `proposal.create`.
    Create(Create),
    /// `proposal.second` — 附议.
    Second {
        /// The proposal.
        proposal: EventId,
    },
    /// `proposal.comment`.
    Comment {
        /// The proposal.
        proposal: EventId,
        /// The text.
        text: Arc<str>,
    },
    /// `comment.hide` — council moderation; the comment is kept, hidden with a reason.
    Hide {
        /// The comment (its event id).
        comment: EventId,
        /// Why.
        reason: Arc<str>,
    },
    /// `proposal.withdraw` — by the proposer, before the ballot opens.
    Withdraw {
        /// The proposal.
        proposal: EventId,
    },
    /// `ballot.open` — by the council, once enough members seconded.
    Open {
        /// The proposal.
        proposal: EventId,
    },
    /// `vote.cast`.
    Vote {
        /// The proposal.
        proposal: EventId,
        /// Index into the options.
        choice: u32,
    },
    /// `ballot.frontier` — part of the frontier of a coming close, when it is too long for
    /// one event (a large community's voters).
    FrontierPart {
        /// The proposal.
        proposal: EventId,
        /// Per author, the last seq counted.
        entries: BTreeMap<DeviceKey, u64>,
    },
    /// `ballot.close` — by the council, naming the frontier it counts: its own entries plus
    /// the `ballot.frontier` parts it lists.
    Close {
        /// The proposal.
        proposal: EventId,
        /// Per author, the last seq counted.
        frontier: BTreeMap<DeviceKey, u64>,
        /// `ballot.frontier` events of this proposal whose entries count too.
        parts: Vec<EventId>,
    },
    /// `proposal.progress` — 落实: council or workers report on a passed decision.
    Progress {
        /// The proposal.
        proposal: EventId,
        /// What was done.
        text: Arc<str>,
        /// Whether the decision is now carried out.
        done: bool,
    },
    /// `meeting.schedule` — 议事会会议.
    Schedule(Schedule),
    /// `meeting.checkin` — attendance, with the code announced at the meeting.
    Checkin {
        /// The meeting.
        meeting: EventId,
        /// The code.
        code: Arc<str>,
    },
    /// `meeting.minutes` — 会议纪要; closes the check-in.
    Minutes {
        /// The meeting.
        meeting: EventId,
        /// The minutes.
        text: Arc<str>,
    },
}

/// `proposal.create`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Create {
    /// Title.
    pub title: Arc<str>,
    /// Body.
    #[serde(default)]
    pub body: Arc<str>,
    /// Category (环境, 安全, 停车, …), free text.
    #[serde(default)]
    pub category: Arc<str>,
    /// Options; the first means yes, the second no.
    #[serde(default)]
    pub options: Vec<Arc<str>>,
    /// Who may vote.
    pub eligibility: Eligibility,
    /// Quorum, 0–100.
    pub quorum_pct: u8,
    /// Threshold.
    pub threshold: Threshold,
    /// Distinct members who must second before the ballot may open.
    pub seconds_needed: u32,
    /// Whether the tally stays hidden until the close.
    #[serde(default)]
    pub hide_tally: bool,
}

/// `meeting.schedule`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// Title.
    pub title: Arc<str>,
    /// When (ms since the epoch; display only).
    pub at: i64,
    /// Where.
    #[serde(default)]
    pub place: Arc<str>,
    /// SHA-256 (hex) of `linli-meeting` NUL + the check-in code.
    pub code_hash: Hex32,
}

/// The hash a check-in code is compared by.
pub fn code_hash(code: &str) -> Hex32 {
    let mut bytes = b"linli-meeting\0".to_vec();
    bytes.extend_from_slice(code.trim().as_bytes());
    sha256(&bytes)
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

impl Act {
    /// Parses a council kind's payload; `None` when `kind` is not a council kind.
    pub fn parse(kind: &str, json: &str) -> Option<Result<Act, Code>> {
        fn de<T: for<'a> Deserialize<'a>>(json: &str) -> Result<T, Code> {
            serde_json::from_str(json).map_err(|_| Code::MalformedPayload)
        }
        fn text_ok(t: &str, max: usize) -> Result<(), Code> {
            if t.trim().is_empty() {
                Err(Code::MalformedPayload)
            } else if chars(t) > max {
                Err(Code::OverLimit)
            } else {
                Ok(())
            }
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct P {
            proposal: EventId,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Text {
            proposal: EventId,
            text: Arc<str>,
        }
        Some(match kind {
            "proposal.create" => de::<Create>(json).and_then(|mut c| {
                text_ok(&c.title, MAX_TITLE)?;
                if chars(&c.body) > MAX_TEXT || chars(&c.category) > MAX_OPTION {
                    return Err(Code::OverLimit);
                }
                if c.options.is_empty() {
                    c.options = DEFAULT_OPTIONS.iter().map(|o| Arc::from(*o)).collect();
                }
                if c.options.len() < 2 || c.quorum_pct > 100 {
                    return Err(Code::MalformedPayload);
                }
                if c.options.len() > MAX_OPTIONS || c.seconds_needed > MAX_SECONDS {
                    return Err(Code::OverLimit);
                }
                for o in &c.options {
                    text_ok(o, MAX_OPTION)?;
                }
                Ok(Act::Create(c))
            }),
            "proposal.second" => de::<P>(json).map(|p| Act::Second {
                proposal: p.proposal,
            }),
            "proposal.withdraw" => de::<P>(json).map(|p| Act::Withdraw {
                proposal: p.proposal,
            }),
            "ballot.open" => de::<P>(json).map(|p| Act::Open {
                proposal: p.proposal,
            }),
            "proposal.comment" => de::<Text>(json).and_then(|t| {
                text_ok(&t.text, MAX_TEXT)?;
                Ok(Act::Comment {
                    proposal: t.proposal,
                    text: t.text,
                })
            }),
            "comment.hide" => {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct H {
                    comment: EventId,
                    reason: Arc<str>,
                }
                de::<H>(json).and_then(|h| {
                    text_ok(&h.reason, MAX_OPTION * 5)?;
                    Ok(Act::Hide {
                        comment: h.comment,
                        reason: h.reason,
                    })
                })
            }
            "vote.cast" => {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct V {
                    proposal: EventId,
                    choice: u32,
                }
                de::<V>(json).map(|v| Act::Vote {
                    proposal: v.proposal,
                    choice: v.choice,
                })
            }
            "ballot.close" => {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct C {
                    proposal: EventId,
                    #[serde(default)]
                    frontier: BTreeMap<Hex32, u64>,
                    #[serde(default)]
                    parts: Vec<EventId>,
                }
                de::<C>(json).and_then(|c| {
                    if c.frontier.len() > MAX_FRONTIER || c.parts.len() > MAX_FRONTIER {
                        return Err(Code::OverLimit);
                    }
                    Ok(Act::Close {
                        proposal: c.proposal,
                        frontier: c.frontier,
                        parts: c.parts,
                    })
                })
            }
            "ballot.frontier" => {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct F {
                    proposal: EventId,
                    entries: BTreeMap<Hex32, u64>,
                }
                de::<F>(json).and_then(|f| {
                    if f.entries.len() > MAX_FRONTIER {
                        return Err(Code::OverLimit);
                    }
                    Ok(Act::FrontierPart {
                        proposal: f.proposal,
                        entries: f.entries,
                    })
                })
            }
            "proposal.progress" => {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct G {
                    proposal: EventId,
                    text: Arc<str>,
                    #[serde(default)]
                    done: bool,
                }
                de::<G>(json).and_then(|g| {
                    text_ok(&g.text, MAX_TEXT)?;
                    Ok(Act::Progress {
                        proposal: g.proposal,
                        text: g.text,
                        done: g.done,
                    })
                })
            }
            "meeting.schedule" => de::<Schedule>(json).and_then(|m| {
                text_ok(&m.title, MAX_TITLE)?;
                if chars(&m.place) > MAX_TITLE {
                    return Err(Code::OverLimit);
                }
                Ok(Act::Schedule(m))
            }),
            "meeting.checkin" => {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct K {
                    meeting: EventId,
                    code: Arc<str>,
                }
                de::<K>(json).and_then(|k| {
                    text_ok(&k.code, MAX_OPTION)?;
                    Ok(Act::Checkin {
                        meeting: k.meeting,
                        code: k.code,
                    })
                })
            }
            "meeting.minutes" => {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct M {
                    meeting: EventId,
                    text: Arc<str>,
                }
                de::<M>(json).and_then(|m| {
                    text_ok(&m.text, MAX_TEXT)?;
                    Ok(Act::Minutes {
                        meeting: m.meeting,
                        text: m.text,
                    })
                })
            }
            _ => return None,
        })
    }
}

/// A comment (协商意见).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// Its event id.
    pub id: EventId,
    /// Who wrote it.
    pub by: MemberId,
    /// The text.
    pub text: Arc<str>,
    /// When (display only).
    pub ts: i64,
    /// Hidden by the council, with the reason (never deleted).
    pub hidden: Option<Arc<str>>,
}

/// A recorded vote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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

/// A closed ballot's numbers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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

/// A follow-up report (落实).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Its event id.
    pub id: EventId,
    /// Who reported.
    pub by: MemberId,
    /// What was done.
    pub text: Arc<str>,
    /// Whether this report marked the decision done.
    pub done: bool,
    /// When (display only).
    pub ts: i64,
}

/// A proposal and everything that happened to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// Its event id.
    pub id: EventId,
    /// The proposer.
    pub by: MemberId,
    /// When (display only).
    pub ts: i64,
    /// What was proposed.
    #[serde(flatten)]
    pub spec: Spec,
    /// Members who seconded, in order.
    pub seconds: Vec<MemberId>,
    /// Comments, in order.
    pub comments: Vec<Comment>,
    /// Where it stands.
    pub status: Status,
    /// Votes recorded while the ballot was open, in order.
    pub votes: Vec<Vote>,
    /// The result, once closed.
    pub tally: Option<Tally>,
    /// Frontier parts published for the close (`ballot.frontier`), by event id.
    #[serde(skip)]
    pub frontier_parts: BTreeMap<EventId, BTreeMap<DeviceKey, u64>>,
    /// Follow-up reports.
    pub progress: Vec<Progress>,
}

/// The proposal's terms, from `proposal.create`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Spec {
    /// Title.
    pub title: Arc<str>,
    /// Body.
    pub body: Arc<str>,
    /// Category.
    pub category: Arc<str>,
    /// Options.
    pub options: Vec<Arc<str>>,
    /// Who may vote.
    pub eligibility: Eligibility,
    /// Quorum, 0–100.
    pub quorum_pct: u8,
    /// Threshold.
    pub threshold: Threshold,
    /// Seconds needed.
    pub seconds_needed: u32,
    /// Tally hidden until the close.
    pub hide_tally: bool,
}

impl Proposal {
    /// The tally so far (for an open ballot, as if it closed now with every recorded vote;
    /// `None` when the proposal hides it until the close).
    pub fn running_counts(&self) -> Option<Vec<u32>> {
        if let Some(t) = &self.tally {
            return Some(t.counts.clone());
        }
        if self.spec.hide_tally {
            return None;
        }
        let mut last: HashMap<&str, u32> = HashMap::new();
        for v in &self.votes {
            last.insert(&v.voter, v.choice);
        }
        let mut counts = vec![0; self.spec.options.len()];
        for c in last.values() {
            if let Some(n) = counts.get_mut(*c as usize) {
                *n += 1;
            }
        }
        Some(counts)
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

    /// Whose vote `by`'s would be on this ballot — the member, or their household — or why
    /// they may not vote (`not_eligible`).
    pub fn voter(&self, roster: &Roster, by: &Actor) -> Result<Arc<str>, Code> {
        let member = roster.member(&by.id).ok_or(Code::UnknownMember)?;
        match self.spec.eligibility {
            Eligibility::Resident => Ok(by.id.to_hex().into()),
            Eligibility::Council if is_council(by.role) => Ok(by.id.to_hex().into()),
            Eligibility::Council => Err(Code::NotEligible),
            Eligibility::Household if member.household.trim().is_empty() => Err(Code::NotEligible),
            Eligibility::Household => Ok(member.household.clone()),
        }
    }

    /// A member's current vote (the last recorded one), if any.
    pub fn vote_of(&self, member: &MemberId) -> Option<u32> {
        self.votes
            .iter()
            .rev()
            .find(|v| &v.member == member)
            .map(|v| v.choice)
    }
}

/// A council meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Meeting {
    /// Its event id.
    pub id: EventId,
    /// Who scheduled it.
    pub by: MemberId,
    /// Title, time, place, code hash.
    #[serde(flatten)]
    pub schedule: Schedule,
    /// Members who checked in, in order.
    pub attendance: Vec<MemberId>,
    /// The minutes, once posted (check-in closes then).
    pub minutes: Option<Arc<str>>,
}

/// The council part of the state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Council {
    proposals: IdMap<Proposal>,
    /// Comment id → proposal id.
    comments: IdMap<EventId>,
    meetings: IdMap<Meeting>,
}

/// `{"proposals": {id: proposal}, "meetings": {id: meeting}}`, in key order.
impl Serialize for Council {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let proposals: BTreeMap<_, _> = self.proposals.iter().collect();
        let meetings: BTreeMap<_, _> = self.meetings.iter().collect();
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("proposals", &proposals)?;
        m.serialize_entry("meetings", &meetings)?;
        m.end()
    }
}

fn is_council(role: Role) -> bool {
    role.is_council_or_admin()
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

    /// Every meeting, sorted by id.
    pub fn meetings(&self) -> Vec<&Meeting> {
        let mut all: Vec<&Meeting> = self.meetings.values().collect();
        all.sort_by_key(|m| m.id);
        all
    }

    /// Applies a council act by `by` (an active device's member) at `event`'s place.
    pub fn apply(
        &mut self,
        roster: &Roster,
        by: &Actor,
        event: &Event,
        act: &Act,
    ) -> Result<(), Code> {
        match act {
            Act::Create(c) => {
                let spec = Spec {
                    title: c.title.clone(),
                    body: c.body.clone(),
                    category: c.category.clone(),
                    options: c.options.clone(),
                    eligibility: c.eligibility,
                    quorum_pct: c.quorum_pct,
                    threshold: c.threshold,
                    seconds_needed: c.seconds_needed,
                    hide_tally: c.hide_tally,
                };
                let status = if c.seconds_needed == 0 {
                    Status::Deliberating
                } else {
                    Status::Collecting
                };
                self.proposals.insert(
                    event.id,
                    Proposal {
                        id: event.id,
                        by: by.id,
                        ts: event.ts,
                        spec,
                        seconds: Vec::new(),
                        comments: Vec::new(),
                        status,
                        votes: Vec::new(),
                        tally: None,
                        frontier_parts: BTreeMap::new(),
                        progress: Vec::new(),
                    },
                );
                Ok(())
            }
            Act::Second { proposal } => {
                let p = self
                    .proposals
                    .get_mut(proposal)
                    .ok_or(Code::UnknownProposal)?;
                if !matches!(p.status, Status::Collecting | Status::Deliberating) {
                    return Err(Code::WrongState);
                }
                if p.by == by.id {
                    return Err(Code::NotEligible);
                }
                if p.seconds.contains(&by.id) {
                    return Err(Code::Duplicate);
                }
                p.seconds.push(by.id);
                if p.seconds.len() as u32 >= p.spec.seconds_needed {
                    p.status = Status::Deliberating;
                }
                Ok(())
            }
            Act::Comment { proposal, text } => {
                let p = self
                    .proposals
                    .get_mut(proposal)
                    .ok_or(Code::UnknownProposal)?;
                if p.status == Status::Withdrawn {
                    return Err(Code::WrongState);
                }
                p.comments.push(Comment {
                    id: event.id,
                    by: by.id,
                    text: text.clone(),
                    ts: event.ts,
                    hidden: None,
                });
                self.comments.insert(event.id, *proposal);
                Ok(())
            }
            Act::Hide { comment, reason } => {
                if !is_council(by.role) {
                    return Err(Code::NotPermitted);
                }
                let proposal = self.comments.get(comment).ok_or(Code::UnknownProposal)?;
                let p = self
                    .proposals
                    .get_mut(proposal)
                    .ok_or(Code::UnknownProposal)?;
                let c = p
                    .comments
                    .iter_mut()
                    .find(|c| &c.id == comment)
                    .ok_or(Code::UnknownProposal)?;
                if c.hidden.is_some() {
                    return Err(Code::Duplicate);
                }
                c.hidden = Some(reason.clone());
                Ok(())
            }
            Act::Withdraw { proposal } => {
                let p = self
                    .proposals
                    .get_mut(proposal)
                    .ok_or(Code::UnknownProposal)?;
                if p.by != by.id {
                    return Err(Code::NotPermitted);
                }
                if !matches!(p.status, Status::Collecting | Status::Deliberating) {
                    return Err(Code::WrongState);
                }
                p.status = Status::Withdrawn;
                Ok(())
            }
            Act::Open { proposal } => {
                if !is_council(by.role) {
                    return Err(Code::NotPermitted);
                }
                let p = self
                    .proposals
                    .get_mut(proposal)
                    .ok_or(Code::UnknownProposal)?;
                if p.status != Status::Deliberating {
                    return Err(Code::WrongState);
                }
                p.status = Status::Voting;
                Ok(())
            }
            Act::Vote { proposal, choice } => {
                let p = self
                    .proposals
                    .get_mut(proposal)
                    .ok_or(Code::UnknownProposal)?;
                if p.status != Status::Voting {
                    return Err(Code::WrongState);
                }
                if *choice as usize >= p.spec.options.len() {
                    return Err(Code::BadChoice);
                }
                let voter = p.voter(roster, by)?;
                p.votes.push(Vote {
                    member: by.id,
                    voter,
                    choice: *choice,
                    author: event.author,
                    seq: event.seq,
                });
                Ok(())
            }
            Act::FrontierPart { proposal, entries } => {
                if !is_council(by.role) {
                    return Err(Code::NotPermitted);
                }
                let p = self
                    .proposals
                    .get_mut(proposal)
                    .ok_or(Code::UnknownProposal)?;
                if p.status != Status::Voting {
                    return Err(Code::WrongState);
                }
                p.frontier_parts.insert(event.id, entries.clone());
                Ok(())
            }
            Act::Close {
                proposal,
                frontier,
                parts,
            } => {
                if !is_council(by.role) {
                    return Err(Code::NotPermitted);
                }
                let p = self
                    .proposals
                    .get_mut(proposal)
                    .ok_or(Code::UnknownProposal)?;
                if p.status != Status::Voting {
                    return Err(Code::WrongState);
                }
                let mut all = frontier.clone();
                for part in parts {
                    let entries = p.frontier_parts.get(part).ok_or(Code::MissingFrontier)?;
                    for (k, v) in entries {
                        let e = all.entry(*k).or_insert(*v);
                        *e = (*e).max(*v);
                    }
                }
                let eligible = eligible_count(roster, p.spec.eligibility);
                p.tally = Some(tally(p, &all, eligible));
                p.status = Status::Decided;
                Ok(())
            }
            Act::Progress {
                proposal,
                text,
                done,
            } => {
                if !(is_council(by.role) || by.role == Role::Worker) {
                    return Err(Code::NotPermitted);
                }
                let p = self
                    .proposals
                    .get_mut(proposal)
                    .ok_or(Code::UnknownProposal)?;
                let passed = p
                    .tally
                    .as_ref()
                    .is_some_and(|t| t.outcome == Outcome::Passed);
                if !passed || p.status == Status::Done {
                    return Err(Code::WrongState);
                }
                p.progress.push(Progress {
                    id: event.id,
                    by: by.id,
                    text: text.clone(),
                    done: *done,
                    ts: event.ts,
                });
                p.status = if *done {
                    Status::Done
                } else {
                    Status::Implementing
                };
                Ok(())
            }
            Act::Schedule(s) => {
                if !(is_council(by.role) || by.role == Role::Worker) {
                    return Err(Code::NotPermitted);
                }
                self.meetings.insert(
                    event.id,
                    Meeting {
                        id: event.id,
                        by: by.id,
                        schedule: s.clone(),
                        attendance: Vec::new(),
                        minutes: None,
                    },
                );
                Ok(())
            }
            Act::Checkin { meeting, code } => {
                let m = self
                    .meetings
                    .get_mut(meeting)
                    .ok_or(Code::UnknownProposal)?;
                if m.minutes.is_some() {
                    return Err(Code::WrongState);
                }
                if code_hash(code) != m.schedule.code_hash {
                    return Err(Code::WrongCode);
                }
                if m.attendance.contains(&by.id) {
                    return Err(Code::Duplicate);
                }
                m.attendance.push(by.id);
                Ok(())
            }
            Act::Minutes { meeting, text } => {
                if !(is_council(by.role) || by.role == Role::Worker) {
                    return Err(Code::NotPermitted);
                }
                let m = self
                    .meetings
                    .get_mut(meeting)
                    .ok_or(Code::UnknownProposal)?;
                if m.minutes.is_some() {
                    return Err(Code::Duplicate);
                }
                m.minutes = Some(text.clone());
                Ok(())
            }
        }
    }
}

/// Eligible voters now: members, households, or council members and the admin.
fn eligible_count(roster: &Roster, e: Eligibility) -> u32 {
    match e {
        Eligibility::Resident => roster.member_count() as u32,
        Eligibility::Council => roster.members().filter(|m| is_council(m.role)).count() as u32,
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
