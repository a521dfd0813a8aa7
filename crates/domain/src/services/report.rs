//! The audit's `requests`, `polls` and `funds` sections (`DESIGN.md` §3.4).

use serde::Serialize;

use super::{RequestStatus, Services};
use crate::id::{EventId, MemberId};

/// One request of the audit's `requests`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RequestRow {
    /// Its id.
    pub request: EventId,
    /// Open, taken or resolved.
    pub status: RequestStatus,
    /// Who owns it (`null` while nobody has taken it).
    pub owner: Option<MemberId>,
    /// The rating's stars (`null` until rated).
    pub stars: Option<u8>,
}

/// One poll of the audit's `polls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PollRow {
    /// Its id.
    pub poll: EventId,
    /// Members with an answer that counts.
    pub answered: u64,
    /// Per option, the members whose answer includes it.
    pub counts: Vec<u64>,
}

/// The audit's `funds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FundsRow {
    /// Income not voided, in fen.
    pub income_fen: i64,
    /// Spending not voided, in fen (a positive number).
    pub spending_fen: i64,
    /// Income − spending.
    pub balance_fen: i64,
}

/// `requests`: every request, by id.
pub fn requests(s: &Services) -> Vec<RequestRow> {
    let mut rows: Vec<RequestRow> = s
        .requests()
        .map(|r| RequestRow {
            request: r.id,
            status: r.status,
            owner: r.owner,
            stars: r.rating.as_ref().map(|x| x.stars),
        })
        .collect();
    rows.sort_by_key(|r| r.request);
    rows
}

/// `polls`: every poll, by id.
pub fn polls(s: &Services) -> Vec<PollRow> {
    let mut rows: Vec<PollRow> = s
        .polls()
        .map(|p| PollRow {
            poll: p.id,
            answered: p.answers.len() as u64,
            counts: p.counts(),
        })
        .collect();
    rows.sort_by_key(|r| r.poll);
    rows
}

/// `funds`: the totals of the entries not voided.
pub fn funds(s: &Services) -> FundsRow {
    let (mut income, mut spending) = (0i64, 0i64);
    for f in s.funds().filter(|f| f.voided.is_none()) {
        if f.amount_fen > 0 {
            income += f.amount_fen;
        } else {
            spending -= f.amount_fen;
        }
    }
    FundsRow {
        income_fen: income,
        spending_fen: spending,
        balance_fen: income - spending,
    }
}
