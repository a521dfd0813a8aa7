//! What a member may do on a proposal or a meeting right now. Every answer is the judge's
//! verdict on the command the button would sign, so a page shows exactly the buttons whose
//! commands would be accepted, with the reason for the others.

use std::sync::Arc;

use super::act::{
    Act, Cast, Charter, Checkin, Close, Create, HideComment, Minutes, NewComment, Open,
    ProgressReport, ProposalRef, Schedule, MAX_SECONDS,
};
use super::ballot::{Eligibility, Threshold};
use super::{Meeting, Proposal};
use crate::id::EventId;
use crate::reject::Code;

/// A verdict: `Ok` when the command would be accepted, else why not.
pub type Verdict = Result<(), Code>;

/// The actions on one proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposalActions {
    /// 附议.
    pub second: Verdict,
    /// Withdraw (the proposer, before the ballot).
    pub withdraw: Verdict,
    /// Comment.
    pub comment: Verdict,
    /// Open the ballot (council).
    pub open: Verdict,
    /// Vote (any option: whether this member may vote at all).
    pub vote: Verdict,
    /// Close the ballot (council).
    pub close: Verdict,
    /// Report follow-up (staff, on a passed decision).
    pub report: Verdict,
    /// The comments this member may hide.
    pub hide: Vec<EventId>,
}

/// The actions on one meeting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeetingActions {
    /// Check in (with the right code).
    pub checkin: Verdict,
    /// Post the minutes.
    pub minutes: Verdict,
}

/// The actions in the council section, on nothing in particular.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CouncilActions {
    /// Propose (any member).
    pub propose: Verdict,
    /// Schedule a meeting (staff).
    pub schedule: Verdict,
    /// Adopt standing rules (admin, council).
    pub charter: Verdict,
}

impl CouncilActions {
    /// Asks `judge` about proposing and scheduling.
    pub fn of(judge: impl Fn(Act) -> Verdict) -> CouncilActions {
        CouncilActions {
            // Whether some proposal is open to this member: the strictest terms, with any of
            // the voters the charter lets them choose.
            propose: Eligibility::ALL
                .into_iter()
                .map(|eligibility| {
                    judge(Act::Create(Create {
                        title: text(),
                        body: text(),
                        category: text(),
                        options: Vec::new(),
                        eligibility,
                        quorum_pct: 100,
                        threshold: Threshold::Simple,
                        seconds_needed: MAX_SECONDS,
                        hide_tally: false,
                    }))
                })
                .reduce(|a, b| a.or(b))
                .unwrap_or(Err(Code::NotPermitted)),
            schedule: judge(Act::Schedule(Schedule {
                title: text(),
                at: 0,
                place: text(),
                code_hash: Default::default(),
            })),
            charter: judge(Act::Charter(Charter {
                min_quorum_pct: 0,
                min_seconds: 0,
                resident_eligibility: Eligibility::ALL.to_vec(),
            })),
        }
    }
}

/// Any text: the judge never reads payload text, which [`Act::validate`] checks on its own.
fn text() -> Arc<str> {
    Arc::from("·")
}

impl ProposalActions {
    /// Asks `judge` (the space's, for one device) about every action on `p`.
    pub fn of(p: &Proposal, judge: impl Fn(Act) -> Verdict) -> ProposalActions {
        let r = ProposalRef { proposal: p.id };
        ProposalActions {
            second: judge(Act::Second(r.clone())),
            withdraw: judge(Act::Withdraw(r.clone())),
            comment: judge(Act::Comment(NewComment {
                proposal: p.id,
                text: text(),
            })),
            open: judge(Act::Open(Open {
                proposal: p.id,
                ends: None,
            })),
            vote: judge(Act::Vote(Cast {
                proposal: p.id,
                choice: 0,
            })),
            close: judge(Act::Close(Close {
                proposal: p.id,
                frontier: Default::default(),
                parts: Vec::new(),
            })),
            report: judge(Act::Progress(ProgressReport {
                proposal: p.id,
                text: text(),
                done: false,
            })),
            hide: p
                .comments
                .iter()
                .filter(|c| {
                    judge(Act::Hide(HideComment {
                        comment: c.id,
                        reason: text(),
                    }))
                    .is_ok()
                })
                .map(|c| c.id)
                .collect(),
        }
    }
}

impl MeetingActions {
    /// Asks `judge` about the actions on `m`. Checking in is judged with the right code's
    /// place taken by "any code": what the member types is checked when they send it.
    pub fn of(m: &Meeting, judge: impl Fn(Act) -> Verdict) -> MeetingActions {
        let checkin = judge(Act::Checkin(Checkin {
            meeting: m.id,
            code: text(),
        }));
        MeetingActions {
            checkin: match checkin {
                Err(Code::WrongCode) => Ok(()),
                other => other,
            },
            minutes: judge(Act::Minutes(Minutes {
                meeting: m.id,
                text: text(),
            })),
        }
    }
}
