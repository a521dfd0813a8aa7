//! A proposal's life outside the ballot: 提议 (create), 附议 (second), 协商 (comments and their
//! moderation), withdrawal, and 落实 (follow-up reports on a passed decision).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::act::{Create, HideComment, NewComment, ProgressReport, ProposalRef, DEFAULT_OPTIONS};
use super::ballot::{Eligibility, Outcome, Period, Tally, Threshold, Vote};
use super::Council;
use crate::at::At;
use crate::id::{DeviceKey, EventId, MemberId};
use crate::reject::Code;
use crate::roster::Actor;

/// Where a proposal stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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

impl Status {
    /// Every status, in the order the council list shows them: what needs residents now
    /// first.
    pub const BY_URGENCY: [Status; 7] = [
        Status::Voting,
        Status::Collecting,
        Status::Deliberating,
        Status::Implementing,
        Status::Decided,
        Status::Done,
        Status::Withdrawn,
    ];

    /// Before the ballot opens: seconds are taken and the proposer may withdraw.
    pub fn before_ballot(self) -> bool {
        matches!(self, Status::Collecting | Status::Deliberating)
    }
}

/// The proposal's terms, from `proposal.create` (with the default options filled in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// One of the default options, which every reader sees in their own language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StandardOption {
    /// 赞成.
    Yes,
    /// 反对.
    No,
    /// 弃权.
    Abstain,
}

impl Spec {
    fn of(c: &Create) -> Spec {
        let options = if c.options.is_empty() {
            DEFAULT_OPTIONS.iter().map(|o| Arc::from(*o)).collect()
        } else {
            c.options.clone()
        };
        Spec {
            title: c.title.clone(),
            body: c.body.clone(),
            category: c.category.clone(),
            options,
            eligibility: c.eligibility,
            quorum_pct: c.quorum_pct,
            threshold: c.threshold,
            seconds_needed: c.seconds_needed,
            hide_tally: c.hide_tally,
        }
    }

    /// Whether option `i` is one of the defaults at its default place (so a reader's app
    /// may show it in their language); a proposer's own options are shown as written.
    pub fn standard_option(&self, i: usize) -> Option<StandardOption> {
        let text = self.options.get(i)?;
        let standard = [
            StandardOption::Yes,
            StandardOption::No,
            StandardOption::Abstain,
        ];
        (DEFAULT_OPTIONS.get(i) == Some(&&**text)).then(|| standard[i])
    }
}

/// A comment (协商意见).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// A follow-up report (落实).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// When the ballot opened and its announced end, once opened.
    pub period: Option<Period>,
    /// Votes recorded while the ballot was open, in order.
    pub votes: Vec<Vote>,
    /// The result, once closed.
    pub tally: Option<Tally>,
    /// Frontier parts published for the close (`ballot.frontier`), by event id.
    #[serde(skip)]
    pub frontier_parts: BTreeMap<EventId, BTreeMap<DeviceKey, u64>>,
    /// Follow-up reports.
    pub progress: Vec<Progress>,
    /// The ts of the close that decided it (the month a ledger counts it in).
    pub closed_at: Option<i64>,
}

impl Proposal {
    /// Whether the ballot closed with the decision passed.
    pub fn passed(&self) -> bool {
        self.tally
            .as_ref()
            .is_some_and(|t| t.outcome == Outcome::Passed)
    }

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

    /// A member's current vote (the last recorded one), if any.
    pub fn vote_of(&self, member: &MemberId) -> Option<u32> {
        self.votes
            .iter()
            .rev()
            .find(|v| &v.member == member)
            .map(|v| v.choice)
    }
}

/// What a judged proposal act changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    Create(Box<Proposal>),
    Second {
        proposal: EventId,
        member: MemberId,
    },
    Comment {
        proposal: EventId,
        comment: Comment,
    },
    Hide {
        proposal: EventId,
        comment: EventId,
        reason: Arc<str>,
    },
    Withdraw(EventId),
    Progress {
        proposal: EventId,
        report: Progress,
    },
}

impl Council {
    pub(crate) fn judge_create(&self, by: &Actor, at: &At, c: &Create) -> Result<Change, Code> {
        if let Some(charter) = &self.charter {
            charter.allows(by, c)?;
        }
        let spec = Spec::of(c);
        let status = if spec.seconds_needed == 0 {
            Status::Deliberating
        } else {
            Status::Collecting
        };
        Ok(Change::Create(Box::new(Proposal {
            id: at.id,
            by: by.id,
            ts: at.ts,
            spec,
            seconds: Vec::new(),
            comments: Vec::new(),
            status,
            period: None,
            votes: Vec::new(),
            tally: None,
            frontier_parts: BTreeMap::new(),
            progress: Vec::new(),
            closed_at: None,
        })))
    }

    pub(crate) fn judge_second(&self, by: &Actor, r: &ProposalRef) -> Result<Change, Code> {
        let p = self.get(&r.proposal)?;
        if !p.status.before_ballot() {
            return Err(Code::WrongState);
        }
        if p.by == by.id {
            return Err(Code::NotEligible);
        }
        if p.seconds.contains(&by.id) {
            return Err(Code::Duplicate);
        }
        Ok(Change::Second {
            proposal: p.id,
            member: by.id,
        })
    }

    pub(crate) fn judge_comment(
        &self,
        by: &Actor,
        at: &At,
        c: &NewComment,
    ) -> Result<Change, Code> {
        let p = self.get(&c.proposal)?;
        if p.status == Status::Withdrawn {
            return Err(Code::WrongState);
        }
        Ok(Change::Comment {
            proposal: p.id,
            comment: Comment {
                id: at.id,
                by: by.id,
                text: c.text.clone(),
                ts: at.ts,
                hidden: None,
            },
        })
    }

    pub(crate) fn judge_hide(&self, by: &Actor, h: &HideComment) -> Result<Change, Code> {
        if !by.role.is_council_or_admin() {
            return Err(Code::NotPermitted);
        }
        let proposal = self.comments.get(&h.comment).ok_or(Code::UnknownProposal)?;
        let p = self.get(proposal)?;
        let c = p
            .comments
            .iter()
            .find(|c| c.id == h.comment)
            .ok_or(Code::UnknownProposal)?;
        if c.hidden.is_some() {
            return Err(Code::Duplicate);
        }
        Ok(Change::Hide {
            proposal: p.id,
            comment: h.comment,
            reason: h.reason.clone(),
        })
    }

    pub(crate) fn judge_withdraw(&self, by: &Actor, r: &ProposalRef) -> Result<Change, Code> {
        let p = self.get(&r.proposal)?;
        if p.by != by.id {
            return Err(Code::NotPermitted);
        }
        if !p.status.before_ballot() {
            return Err(Code::WrongState);
        }
        Ok(Change::Withdraw(p.id))
    }

    pub(crate) fn judge_progress(
        &self,
        by: &Actor,
        at: &At,
        g: &ProgressReport,
    ) -> Result<Change, Code> {
        if !by.role.is_staff() {
            return Err(Code::NotPermitted);
        }
        let p = self.get(&g.proposal)?;
        if !p.passed() || p.status == Status::Done {
            return Err(Code::WrongState);
        }
        Ok(Change::Progress {
            proposal: p.id,
            report: Progress {
                id: at.id,
                by: by.id,
                text: g.text.clone(),
                done: g.done,
                ts: at.ts,
            },
        })
    }

    pub(crate) fn commit_proposal(&mut self, change: Change) {
        match change {
            Change::Create(p) => {
                self.proposals.insert(p.id, *p);
            }
            Change::Second { proposal, member } => {
                if let Some(p) = self.proposals.get_mut(&proposal) {
                    p.seconds.push(member);
                    if p.seconds.len() as u32 >= p.spec.seconds_needed {
                        p.status = Status::Deliberating;
                    }
                }
            }
            Change::Comment { proposal, comment } => {
                self.comments.insert(comment.id, proposal);
                if let Some(p) = self.proposals.get_mut(&proposal) {
                    p.comments.push(comment);
                }
            }
            Change::Hide {
                proposal,
                comment,
                reason,
            } => {
                let c = self
                    .proposals
                    .get_mut(&proposal)
                    .and_then(|p| p.comments.iter_mut().find(|c| c.id == comment));
                if let Some(c) = c {
                    c.hidden = Some(reason);
                }
            }
            Change::Withdraw(proposal) => {
                if let Some(p) = self.proposals.get_mut(&proposal) {
                    p.status = Status::Withdrawn;
                }
            }
            Change::Progress { proposal, report } => {
                if let Some(p) = self.proposals.get_mut(&proposal) {
                    p.status = if report.done {
                        Status::Done
                    } else {
                        Status::Implementing
                    };
                    p.progress.push(report);
                }
            }
        }
    }
}
