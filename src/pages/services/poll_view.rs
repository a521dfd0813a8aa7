//! What the 民调 screens read, derived from the fold: the polls (open ones first, soonest to
//! close first, with this member's answer), and one poll with what the domain would accept
//! now. Counts are shown to everyone after the close, and while it runs only if its creator
//! chose so (`live`); the turnout (answered / members) always. Never a name.

use linli_domain::services::act::Answer;
use linli_domain::services::{self, Poll};
use linli_domain::{Command, DeviceKey, EventId, Space};

/// A poll as the screens show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollRow {
    /// Its id.
    pub id: EventId,
    /// The question.
    pub question: String,
    /// The options.
    pub options: Vec<String>,
    /// Several choices allowed.
    pub multi: bool,
    /// When it closes (ms).
    pub closes: i64,
    /// Still open at `now`.
    pub open: bool,
    /// Results shown while it runs.
    pub live: bool,
    /// This member's latest answer (option indices, sorted).
    pub mine: Option<Vec<u32>>,
    /// Members who answered.
    pub answered: u32,
    /// Members of the community (the turnout's whole).
    pub members: u32,
    /// Per option, how many answers include it — when they may be shown.
    pub counts: Option<Vec<u32>>,
}

impl PollRow {
    /// The option with most answers and its count (the first of a tie), when counts show.
    pub fn leading(&self) -> Option<(String, u32)> {
        let counts = self.counts.as_ref()?;
        let (i, n) = counts
            .iter()
            .enumerate()
            .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))?;
        (*n > 0).then(|| (self.options[i].clone(), *n))
    }
}

fn row(space: &Space, p: &Poll, me: Option<linli_domain::MemberId>, now: i64) -> PollRow {
    let open = now < p.closes;
    PollRow {
        id: p.id,
        question: p.question.to_string(),
        options: p.options.iter().map(|o| o.to_string()).collect(),
        multi: p.multi,
        closes: p.closes,
        open,
        live: p.live,
        mine: me.and_then(|m| p.answers.get(&m).cloned()),
        answered: p.answers.len() as u32,
        members: space.state().roster.member_count() as u32,
        counts: (!open || p.live).then(|| p.counts().into_iter().map(|n| n as u32).collect()),
    }
}

/// 民调: the section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Polls {
    /// Staff may ask.
    pub staff: bool,
    /// Open polls, soonest to close first.
    pub open: Vec<PollRow>,
    /// Closed polls, latest closed first.
    pub closed: Vec<PollRow>,
}

/// The section for `me` at `now`.
pub fn polls(space: &Space, me: &DeviceKey, now: i64) -> Option<Polls> {
    let state = space.state();
    let actor = state.roster.actor(me).ok()?;
    let (mut open, mut closed): (Vec<_>, Vec<_>) = state
        .services
        .polls()
        .map(|p| row(space, p, Some(actor.id), now))
        .partition(|r| r.open);
    open.sort_by_key(|r| (r.closes, r.id));
    closed.sort_by_key(|r| (std::cmp::Reverse(r.closes), r.id));
    Some(Polls {
        staff: actor.role.is_staff(),
        open,
        closed,
    })
}

/// One poll's page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollDetail {
    /// As the list shows it.
    pub row: PollRow,
    /// The domain would accept an answer from `me` now.
    pub can_answer: bool,
}

/// The page of poll `id` for `me` at `now` (a follower, not a member, reads it too).
pub fn poll(space: &Space, me: &DeviceKey, id: &EventId, now: i64) -> Option<PollDetail> {
    let state = space.state();
    let p = state.services.poll(id)?;
    let actor = state.roster.actor(me).ok().map(|a| a.id);
    let answer = services::Act::Answer(Answer {
        poll: p.id,
        choices: vec![0],
    });
    Some(PollDetail {
        row: row(space, p, actor, now),
        can_answer: space.check_at(me, &Command::Services(answer), now).is_ok(),
    })
}
