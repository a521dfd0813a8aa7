//! What the 求助 screens read, derived from the fold: my requests, the staff's queue (urgent
//! first, then oldest; overdue marked) and what they have in hand, and one request with the
//! acts the domain would accept now.

use linli_domain::services::act::{Rate, Reopen, RequestRef, RequestText, Transfer};
use linli_domain::services::{self, Request, RequestStatus, Step, REOPEN_WINDOW_MS};
use linli_domain::{Code, Command, DeviceKey, EventId, MemberId, Space};

/// A request as a list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRow {
    /// Its id.
    pub id: EventId,
    /// A few words.
    pub title: String,
    /// Category.
    pub category: String,
    /// Urgent.
    pub urgent: bool,
    /// Grid.
    pub grid: String,
    /// Opened (ms).
    pub ts: i64,
    /// Open, taken or resolved.
    pub status: RequestStatus,
    /// The owner's name, and since when.
    pub owner: Option<(String, i64)>,
    /// Overdue now.
    pub overdue: bool,
    /// Who asked (staff see the name; others an empty string).
    pub requester: String,
}

fn name(space: &Space, m: &MemberId) -> String {
    space
        .state()
        .roster
        .member(m)
        .map(|x| x.name.to_string())
        .unwrap_or_default()
}

fn row(space: &Space, r: &Request, staff: bool, now: i64) -> RequestRow {
    RequestRow {
        id: r.id,
        title: r.title.to_string(),
        category: r.category.to_string(),
        urgent: r.urgent,
        grid: r.grid.to_string(),
        ts: r.ts,
        status: r.status,
        owner: r
            .owner
            .map(|o| (name(space, &o), r.owner_since.unwrap_or(r.ts))),
        overdue: r.overdue(now),
        requester: if staff {
            name(space, &r.by)
        } else {
            String::new()
        },
    }
}

/// 求助: the section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Help {
    /// Staff see the queue.
    pub staff: bool,
    /// The grid a new request carries (the member's volunteer profile's, if any).
    pub grid: String,
    /// This member's requests, newest first.
    pub mine: Vec<RequestRow>,
    /// Staff: requests nobody has taken, urgent first, then oldest first.
    pub queue: Vec<RequestRow>,
    /// Staff: requests they own, not resolved, oldest first.
    pub owned: Vec<RequestRow>,
    /// Staff: requests taken by anyone and overdue now (open > 48 h, urgent > 4 h, by the
    /// request's ts), oldest first — who holds each, for the council to follow up. Overdue
    /// requests nobody has taken are in the queue, marked.
    pub late: Vec<RequestRow>,
    /// The grids of the queue, for the filter.
    pub grids: Vec<String>,
}

/// The section for `me` at `now`.
pub fn help(space: &Space, me: &DeviceKey, now: i64) -> Option<Help> {
    let state = space.state();
    let actor = state.roster.actor(me).ok()?;
    let staff = actor.role.is_staff();
    let s = &state.services;
    let mut mine: Vec<RequestRow> = s
        .requests()
        .filter(|r| r.by == actor.id)
        .map(|r| row(space, r, false, now))
        .collect();
    mine.sort_by_key(|r| (std::cmp::Reverse(r.ts), r.id));
    let (mut queue, mut owned, mut late) = (Vec::new(), Vec::new(), Vec::new());
    if staff {
        for r in s.requests() {
            if r.status == RequestStatus::Taken && r.overdue(now) {
                late.push(row(space, r, true, now));
            }
            match r.status {
                RequestStatus::Open => queue.push(row(space, r, true, now)),
                RequestStatus::Taken if r.owner == Some(actor.id) => {
                    owned.push(row(space, r, true, now))
                }
                _ => {}
            }
        }
    }
    queue.sort_by_key(|r| (!r.urgent, r.ts, r.id));
    owned.sort_by_key(|r| (r.ts, r.id));
    late.sort_by_key(|r| (r.ts, r.id));
    let mut grids: Vec<String> = queue
        .iter()
        .map(|r| r.grid.clone())
        .filter(|g| !g.is_empty())
        .collect();
    grids.sort();
    grids.dedup();
    Some(Help {
        staff,
        grid: state
            .volunteers
            .profile(&actor.id)
            .map(|p| p.grid.to_string())
            .unwrap_or_default(),
        mine,
        queue,
        owned,
        late,
        grids,
    })
}

/// A line of a request's history, with names resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepLine {
    /// Taken by a name.
    Take(String, i64),
    /// From, to, why.
    Transfer(String, String, String, i64),
    /// A progress note by a name.
    Update(String, String, i64),
    /// Resolved by a name.
    Resolve(String, String, i64),
    /// Reopened, why.
    Reopen(String, i64),
}

/// One request's page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detail {
    /// As a list shows it.
    pub row: RequestRow,
    /// More.
    pub body: String,
    /// Its history.
    pub steps: Vec<StepLine>,
    /// The rating, if given: stars and word.
    pub rating: Option<(u8, String)>,
    /// The domain would accept, from `me` now: a take…
    pub can_take: bool,
    /// …a progress note or a resolve (the owner).
    pub can_work: bool,
    /// …a transfer (the owner or the council), and to whom: staff but the owner.
    pub transfer_to: Vec<(MemberId, String)>,
    /// …a rating (the requester, resolved, not rated).
    pub can_rate: bool,
    /// …a reopen, until when.
    pub reopen_until: Option<i64>,
    /// This phone's take the community's order refused: the owner's name.
    pub taken_by_other: Option<String>,
}

/// The page of request `id` for `me` at `now`.
pub fn detail(space: &Space, me: &DeviceKey, id: &EventId, now: i64) -> Option<Detail> {
    let state = space.state();
    let actor = state.roster.actor(me).ok()?;
    let r = state.services.request(id)?;
    let staff = actor.role.is_staff();
    if !staff && r.by != actor.id {
        return None;
    }
    let allows = |a: services::Act| space.check_at(me, &Command::Services(a), now).is_ok();
    let rref = RequestRef { request: r.id };
    let text = |t: &str| RequestText {
        request: r.id,
        text: t.into(),
    };
    let steps = r
        .steps
        .iter()
        .map(|s| match s {
            Step::Take { by, ts } => StepLine::Take(name(space, by), *ts),
            Step::Transfer {
                from,
                to,
                reason,
                ts,
                ..
            } => StepLine::Transfer(name(space, from), name(space, to), reason.to_string(), *ts),
            Step::Update { by, text, ts } => {
                StepLine::Update(name(space, by), text.to_string(), *ts)
            }
            Step::Resolve { by, text, ts } => {
                StepLine::Resolve(name(space, by), text.to_string(), *ts)
            }
            Step::Reopen { reason, ts } => StepLine::Reopen(reason.to_string(), *ts),
        })
        .collect();
    let transfer_to = if r.status == RequestStatus::Taken {
        state
            .roster
            .members()
            .filter(|m| m.role.is_staff() && Some(m.id) != r.owner)
            .filter(|m| {
                allows(services::Act::Transfer(Transfer {
                    request: r.id,
                    to: m.id,
                    reason: "".into(),
                }))
            })
            .map(|m| (m.id, m.name.to_string()))
            .collect()
    } else {
        Vec::new()
    };
    let can_reopen = allows(services::Act::Reopen(Reopen {
        request: r.id,
        reason: "x".into(),
    }));
    let taken_by_other = state
        .rejected()
        .filter(|(_, code)| *code == Code::AlreadyTaken)
        .filter_map(|(eid, _)| space.get(&eid).filter(|e| e.author == *me))
        .any(|e| {
            matches!(e.payload.command(), Some(Command::Services(services::Act::Take(t))) if t.request == r.id)
        })
        .then(|| r.owner.map(|o| name(space, &o)))
        .flatten();
    Some(Detail {
        row: row(space, r, staff, now),
        body: r.body.to_string(),
        steps,
        rating: r.rating.as_ref().map(|x| (x.stars, x.text.to_string())),
        can_take: allows(services::Act::Take(rref)),
        can_work: allows(services::Act::Resolve(text("x"))),
        transfer_to,
        can_rate: allows(services::Act::Rate(Rate {
            request: r.id,
            stars: 5,
            text: "".into(),
        })),
        reopen_until: can_reopen
            .then(|| r.resolved_at.map(|at| at + REOPEN_WINDOW_MS))
            .flatten(),
        taken_by_other,
    })
}
