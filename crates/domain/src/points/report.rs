//! The audit's `points` section (`DESIGN.md` §3.4): balances, entries, both lists and the
//! store's items — what anyone recomputes from the files with their own code.

use serde::Serialize;

use super::{BlackRow, EntryStatus, Points, RedRow};
use crate::id::{EventId, MemberId};

/// `points` of the audit report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PointsReport {
    /// Every member with an entry or a redemption, by member id.
    pub balances: Vec<BalanceRow>,
    /// Every entry, by id.
    pub entries: Vec<EntryRow>,
    /// 红榜, high first.
    pub red_list: Vec<RedRow>,
    /// 黑榜, oldest first.
    pub black_list: Vec<BlackRow>,
    /// The store's items, by id.
    pub items: Vec<ItemRow>,
}

/// A member's balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BalanceRow {
    /// The member.
    pub member: MemberId,
    /// Their balance.
    pub balance: i64,
}

/// An entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EntryRow {
    /// Its id.
    pub id: EventId,
    /// Whose.
    pub member: MemberId,
    /// Its rule.
    pub rule: EventId,
    /// Points.
    pub amount: i64,
    /// Counted, suspended or void.
    pub status: EntryStatus,
}

/// An item of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ItemRow {
    /// Its id.
    pub item: EventId,
    /// In stock.
    pub stock: i64,
    /// Redeemed and not cancelled.
    pub redeemed: i64,
}

/// The section of `points`.
pub fn points(p: &Points) -> PointsReport {
    let mut balances: Vec<BalanceRow> = p
        .accounts()
        .map(|(m, a)| BalanceRow {
            member: *m,
            balance: a.balance,
        })
        .collect();
    balances.sort_by_key(|b| b.member);
    let mut entries: Vec<EntryRow> = p
        .entries()
        .map(|e| EntryRow {
            id: e.id,
            member: e.member,
            rule: e.rule,
            amount: e.amount,
            status: e.status,
        })
        .collect();
    entries.sort_by_key(|e| e.id);
    PointsReport {
        balances,
        entries,
        red_list: p.red_list(),
        black_list: p.black_list(),
        items: p
            .items()
            .into_iter()
            .map(|i| ItemRow {
                item: i.id,
                stock: i.stock,
                redeemed: i.redeemed,
            })
            .collect(),
    }
}
