//! The everyday services (`DESIGN.md` §3.7): requests for help owned by the first staff member
//! who takes them (困难群众直通车, 首问负责), polls of residents' opinion (民调), the public board
//! (公开) and the funds ledger (财务公开).
//!
//! - [`act`]: the kinds, their payloads and limits.
//! - [`report`]: the audit's `requests`, `polls` and `funds` sections.
//!
//! Every act is judged first (reading the state only) and then committed, like every area.

pub mod act;
pub mod report;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use act::{Act, Category};

use crate::at::At;
use crate::id::{EventId, MemberId};
use crate::reject::Code;
use crate::roster::{Actor, Roster};
use crate::table::{RowSeq, Table};

/// A resolved request may be reopened by its requester up to this long after the resolve.
pub const REOPEN_WINDOW_MS: i64 = 7 * 86_400_000;
/// An open request is overdue this long after it was opened…
pub const OVERDUE_MS: i64 = 48 * 3_600_000;
/// …an urgent one this long.
pub const OVERDUE_URGENT_MS: i64 = 4 * 3_600_000;

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Nobody has taken it yet.
    Open,
    /// Owned by a staff member.
    Taken,
    /// Resolved by its owner.
    Resolved,
}

/// One step in a request's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Step {
    /// Taken by `by`.
    Take {
        /// Who.
        by: MemberId,
        /// When.
        ts: i64,
    },
    /// Handed from one owner to another.
    Transfer {
        /// Who handed it on (the owner, or a council member).
        by: MemberId,
        /// The owner before.
        from: MemberId,
        /// The owner after.
        to: MemberId,
        /// Why.
        reason: Arc<str>,
        /// When.
        ts: i64,
    },
    /// A progress note.
    Update {
        /// The owner.
        by: MemberId,
        /// What.
        text: Arc<str>,
        /// When.
        ts: i64,
    },
    /// Resolved.
    Resolve {
        /// The owner.
        by: MemberId,
        /// What was done.
        text: Arc<str>,
        /// When.
        ts: i64,
    },
    /// Reopened by the requester.
    Reopen {
        /// Why.
        reason: Arc<str>,
        /// When.
        ts: i64,
    },
}

/// The requester's rating.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// 1–5.
    pub stars: u8,
    /// A word.
    pub text: Arc<str>,
    /// When.
    pub ts: i64,
}

/// A request for help.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// Its event id.
    pub id: EventId,
    /// The requester.
    pub by: MemberId,
    /// A few words.
    pub title: Arc<str>,
    /// More.
    pub body: Arc<str>,
    /// Category.
    pub category: Arc<str>,
    /// Urgent.
    pub urgent: bool,
    /// Grid.
    pub grid: Arc<str>,
    /// Opened (ms).
    pub ts: i64,
    /// Open, taken or resolved.
    pub status: RequestStatus,
    /// Who owns it now.
    pub owner: Option<MemberId>,
    /// When the current owner got it (take or transfer).
    pub owner_since: Option<i64>,
    /// The latest resolve's ts.
    pub resolved_at: Option<i64>,
    /// The rating, once given.
    pub rating: Option<Rating>,
    /// Its history, oldest first.
    pub steps: Vec<Step>,
}

impl Request {
    /// Whether it is overdue at `now`: not resolved, and open (not taken) longer than 48 hours
    /// — 4 hours when urgent — since it was opened.
    pub fn overdue(&self, now: i64) -> bool {
        let limit = if self.urgent {
            OVERDUE_URGENT_MS
        } else {
            OVERDUE_MS
        };
        self.status != RequestStatus::Resolved && now - self.ts > limit
    }
}

/// A poll.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Poll {
    /// Its event id.
    pub id: EventId,
    /// Who asked.
    pub by: MemberId,
    /// The question.
    pub question: Arc<str>,
    /// The options.
    pub options: Vec<Arc<str>>,
    /// Several choices allowed.
    pub multi: bool,
    /// Answers count while their ts is before this.
    pub closes: i64,
    /// Results shown while it runs.
    pub live: bool,
    /// Created (ms).
    pub ts: i64,
    /// Each member's latest answer.
    pub answers: BTreeMap<MemberId, Vec<u32>>,
}

impl Poll {
    /// Per option, how many members' latest answers include it.
    pub fn counts(&self) -> Vec<u64> {
        let mut counts = vec![0u64; self.options.len()];
        for choices in self.answers.values() {
            for &c in choices {
                if let Some(n) = counts.get_mut(c as usize) {
                    *n += 1;
                }
            }
        }
        counts
    }
}

/// A post on the public board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    /// Its event id.
    pub id: EventId,
    /// Who posted it.
    pub by: MemberId,
    /// Title.
    pub title: Arc<str>,
    /// Text.
    pub body: Arc<str>,
    /// Notice, policy, funds or result.
    pub category: Category,
    /// The proposal a result announces.
    pub proposal: Option<EventId>,
    /// When.
    pub ts: i64,
}

/// A voiding of a funds entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voided {
    /// Who voided it.
    pub by: MemberId,
    /// Why.
    pub reason: Arc<str>,
    /// When.
    pub ts: i64,
}

/// An entry of the funds ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funds {
    /// Its event id.
    pub id: EventId,
    /// Who entered it.
    pub by: MemberId,
    /// What.
    pub title: Arc<str>,
    /// Fen: + income, − spending.
    pub amount_fen: i64,
    /// `YYYY-MM-DD`.
    pub date: Arc<str>,
    /// Category.
    pub category: Arc<str>,
    /// When it was entered.
    pub ts: i64,
    /// Voided, and how.
    pub voided: Option<Voided>,
}

/// The everyday services' part of the state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Services {
    requests: Table<Request>,
    polls: Table<Poll>,
    posts: Table<Post>,
    funds: Table<Funds>,
}

/// `{"requests", "polls", "posts", "funds"}`, maps by id in key order.
impl Services {
    /// As a snapshot writes it (read back by its `Deserialize`).
    pub(crate) fn dump(&self) -> impl Serialize + '_ {
        #[derive(Serialize)]
        struct Out<'a> {
            requests: RowSeq<'a, Request>,
            polls: RowSeq<'a, Poll>,
            posts: RowSeq<'a, Post>,
            funds: RowSeq<'a, Funds>,
        }
        Out {
            requests: RowSeq(&self.requests),
            polls: RowSeq(&self.polls),
            posts: RowSeq(&self.posts),
            funds: RowSeq(&self.funds),
        }
    }
}

impl Serialize for Services {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use crate::table::SortedMap as Sorted;
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("requests", &Sorted(&self.requests))?;
        m.serialize_entry("polls", &Sorted(&self.polls))?;
        m.serialize_entry("posts", &Sorted(&self.posts))?;
        m.serialize_entry("funds", &Sorted(&self.funds))?;
        m.end()
    }
}

/// What a judged act changes. Records are named by their index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    Open(Box<Request>),
    /// A step of the request at the index: its new status and owner.
    Step {
        request: u32,
        step: Step,
        status: RequestStatus,
        owner: Option<MemberId>,
    },
    Rate(u32, Rating),
    Poll(Box<Poll>),
    Answer(u32, MemberId, Vec<u32>),
    Post(Box<Post>),
    Funds(Box<Funds>),
    Void(u32, Voided),
}

impl Services {
    /// A request by id.
    pub fn request(&self, id: &EventId) -> Option<&Request> {
        self.requests.get(id)
    }

    /// Every request, in the order they were opened.
    pub fn requests(&self) -> impl Iterator<Item = &Request> {
        self.requests.iter().map(|(_, r)| r)
    }

    /// A poll by id.
    pub fn poll(&self, id: &EventId) -> Option<&Poll> {
        self.polls.get(id)
    }

    /// Every poll, in the order they were created.
    pub fn polls(&self) -> impl Iterator<Item = &Poll> {
        self.polls.iter().map(|(_, p)| p)
    }

    /// Every board post, in the order they were posted.
    pub fn posts(&self) -> impl Iterator<Item = &Post> {
        self.posts.iter().map(|(_, p)| p)
    }

    /// A funds entry by id.
    pub fn funds_entry(&self, id: &EventId) -> Option<&Funds> {
        self.funds.get(id)
    }

    /// Every funds entry, in the order they were entered.
    pub fn funds(&self) -> impl Iterator<Item = &Funds> {
        self.funds.iter().map(|(_, f)| f)
    }

    fn request_ix(&self, id: &EventId) -> Result<(u32, &Request), Code> {
        let ix = self.requests.find(id).ok_or(Code::UnknownRequest)?;
        Ok((ix, &self.requests.at(ix).1))
    }

    /// Whether `act` by `by` may apply at `at`, and what it changes. Reads only; `proposal`
    /// says whether a proposal exists (a result post names one).
    pub(crate) fn judge(
        &self,
        roster: &Roster,
        proposal: impl Fn(&EventId) -> bool,
        by: &Actor,
        at: &At,
        act: &Act,
    ) -> Result<Change, Code> {
        let staff = by.role.is_staff();
        let council = by.role.is_council_or_admin();
        Ok(match act {
            Act::Open(o) => Change::Open(Box::new(Request {
                id: at.id,
                by: by.id,
                title: o.title.clone(),
                body: o.body.clone(),
                category: o.category.clone(),
                urgent: o.urgent,
                grid: o.grid.clone(),
                ts: at.ts,
                status: RequestStatus::Open,
                owner: None,
                owner_since: None,
                resolved_at: None,
                rating: None,
                steps: Vec::new(),
            })),
            Act::Take(t) => {
                if !staff {
                    return Err(Code::NotPermitted);
                }
                let (ix, r) = self.request_ix(&t.request)?;
                if r.owner.is_some() {
                    return Err(Code::AlreadyTaken);
                }
                Change::Step {
                    request: ix,
                    step: Step::Take {
                        by: by.id,
                        ts: at.ts,
                    },
                    status: RequestStatus::Taken,
                    owner: Some(by.id),
                }
            }
            Act::Transfer(t) => {
                let (ix, r) = self.request_ix(&t.request)?;
                let owner = r.owner.ok_or(Code::WrongState)?;
                if owner != by.id && !council {
                    return Err(Code::NotOwner);
                }
                if r.status != RequestStatus::Taken {
                    return Err(Code::WrongState);
                }
                let to = roster.member(&t.to).ok_or(Code::UnknownMember)?;
                if !to.role.is_staff() {
                    return Err(Code::NotStaff);
                }
                if t.to == owner {
                    return Err(Code::Duplicate);
                }
                Change::Step {
                    request: ix,
                    step: Step::Transfer {
                        by: by.id,
                        from: owner,
                        to: t.to,
                        reason: t.reason.clone(),
                        ts: at.ts,
                    },
                    status: RequestStatus::Taken,
                    owner: Some(t.to),
                }
            }
            Act::Update(u) | Act::Resolve(u) => {
                let (ix, r) = self.request_ix(&u.request)?;
                if r.owner != Some(by.id) {
                    return Err(Code::NotOwner);
                }
                if r.status != RequestStatus::Taken {
                    return Err(Code::WrongState);
                }
                let (step, status) = if let Act::Update(_) = act {
                    (
                        Step::Update {
                            by: by.id,
                            text: u.text.clone(),
                            ts: at.ts,
                        },
                        RequestStatus::Taken,
                    )
                } else {
                    (
                        Step::Resolve {
                            by: by.id,
                            text: u.text.clone(),
                            ts: at.ts,
                        },
                        RequestStatus::Resolved,
                    )
                };
                Change::Step {
                    request: ix,
                    step,
                    status,
                    owner: r.owner,
                }
            }
            Act::Rate(x) => {
                let (ix, r) = self.request_ix(&x.request)?;
                if r.by != by.id {
                    return Err(Code::NotPermitted);
                }
                if r.rating.is_some() {
                    return Err(Code::Duplicate);
                }
                if r.status != RequestStatus::Resolved {
                    return Err(Code::WrongState);
                }
                Change::Rate(
                    ix,
                    Rating {
                        stars: x.stars,
                        text: x.text.clone(),
                        ts: at.ts,
                    },
                )
            }
            Act::Reopen(x) => {
                let (ix, r) = self.request_ix(&x.request)?;
                if r.by != by.id {
                    return Err(Code::NotPermitted);
                }
                if r.status != RequestStatus::Resolved || r.rating.is_some() {
                    return Err(Code::WrongState);
                }
                if at.ts > r.resolved_at.unwrap_or(i64::MIN) + REOPEN_WINDOW_MS {
                    return Err(Code::ReopenLate);
                }
                Change::Step {
                    request: ix,
                    step: Step::Reopen {
                        reason: x.reason.clone(),
                        ts: at.ts,
                    },
                    status: RequestStatus::Taken,
                    owner: r.owner,
                }
            }
            Act::Poll(p) => {
                if !staff {
                    return Err(Code::NotPermitted);
                }
                Change::Poll(Box::new(Poll {
                    id: at.id,
                    by: by.id,
                    question: p.question.clone(),
                    options: p.options.clone(),
                    multi: p.multi,
                    closes: p.closes,
                    live: p.live,
                    ts: at.ts,
                    answers: BTreeMap::new(),
                }))
            }
            Act::Answer(a) => {
                let ix = self.polls.find(&a.poll).ok_or(Code::UnknownPoll)?;
                let p = &self.polls.at(ix).1;
                if at.ts >= p.closes {
                    return Err(Code::PollClosed);
                }
                if (!p.multi && a.choices.len() > 1)
                    || a.choices.iter().any(|&c| c as usize >= p.options.len())
                {
                    return Err(Code::BadChoice);
                }
                let mut choices = a.choices.clone();
                choices.sort_unstable();
                Change::Answer(ix, by.id, choices)
            }
            Act::Post(p) => {
                if !staff {
                    return Err(Code::NotPermitted);
                }
                if let Some(id) = &p.proposal {
                    if !proposal(id) {
                        return Err(Code::UnknownProposal);
                    }
                }
                Change::Post(Box::new(Post {
                    id: at.id,
                    by: by.id,
                    title: p.title.clone(),
                    body: p.body.clone(),
                    category: p.category,
                    proposal: p.proposal,
                    ts: at.ts,
                }))
            }
            Act::Funds(f) => {
                if !council {
                    return Err(Code::NotPermitted);
                }
                Change::Funds(Box::new(Funds {
                    id: at.id,
                    by: by.id,
                    title: f.title.clone(),
                    amount_fen: f.amount_fen,
                    date: f.date.clone(),
                    category: f.category.clone(),
                    ts: at.ts,
                    voided: None,
                }))
            }
            Act::Void(v) => {
                if !council {
                    return Err(Code::NotPermitted);
                }
                let ix = self.funds.find(&v.entry).ok_or(Code::UnknownEntry)?;
                let f = &self.funds.at(ix).1;
                if f.by == by.id {
                    return Err(Code::SelfDealing);
                }
                if f.voided.is_some() {
                    return Err(Code::WrongState);
                }
                Change::Void(
                    ix,
                    Voided {
                        by: by.id,
                        reason: v.reason.clone(),
                        ts: at.ts,
                    },
                )
            }
        })
    }

    /// Applies a judged change.
    pub(crate) fn commit(&mut self, change: Change) {
        match change {
            Change::Open(r) => {
                self.requests.insert(r.id, *r);
            }
            Change::Step {
                request,
                step,
                status,
                owner,
            } => {
                let r = self.requests.at_mut(request);
                match &step {
                    Step::Take { ts, .. } | Step::Transfer { ts, .. } => r.owner_since = Some(*ts),
                    Step::Resolve { ts, .. } => r.resolved_at = Some(*ts),
                    Step::Update { .. } | Step::Reopen { .. } => {}
                }
                r.status = status;
                r.owner = owner;
                r.steps.push(step);
            }
            Change::Rate(ix, rating) => self.requests.at_mut(ix).rating = Some(rating),
            Change::Poll(p) => {
                self.polls.insert(p.id, *p);
            }
            Change::Answer(ix, member, choices) => {
                self.polls.at_mut(ix).answers.insert(member, choices);
            }
            Change::Post(p) => {
                self.posts.insert(p.id, *p);
            }
            Change::Funds(f) => {
                self.funds.insert(f.id, *f);
            }
            Change::Void(ix, v) => self.funds.at_mut(ix).voided = Some(v),
        }
    }
}
