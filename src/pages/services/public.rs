//! What the 公开 screens read, derived from the fold: the board's posts (newest first), one
//! post, whether a ballot's result is posted yet, and the funds ledger with its totals per
//! month and year. Nothing here names a member: the board and the ledger are for the wall.

use std::collections::BTreeMap;

use linli_domain::services::act::{Category, FundsEntry, Void};
use linli_domain::services::{self, report};
use linli_domain::{Code, Command, DeviceKey, EventId, Space};

/// A post as the board shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostRow {
    /// Its id.
    pub id: EventId,
    /// Title.
    pub title: String,
    /// Text (shown as plain text).
    pub body: String,
    /// Notice, policy, funds or result.
    pub category: Category,
    /// The proposal a result announces.
    pub proposal: Option<EventId>,
    /// When (ms).
    pub ts: i64,
}

fn post_row(p: &services::Post) -> PostRow {
    PostRow {
        id: p.id,
        title: p.title.to_string(),
        body: p.body.to_string(),
        category: p.category,
        proposal: p.proposal,
        ts: p.ts,
    }
}

/// The board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Board {
    /// Every post, newest first.
    pub posts: Vec<PostRow>,
    /// This member may post (staff).
    pub can_post: bool,
}

/// The board for `me` (anyone who holds the community may read it).
pub fn board(space: &Space, me: &DeviceKey) -> Board {
    let mut posts: Vec<PostRow> = space.state().services.posts().map(post_row).collect();
    posts.sort_by_key(|p| (std::cmp::Reverse(p.ts), p.id));
    Board {
        posts,
        can_post: staff(space, me),
    }
}

/// Whether `me` is staff (posts on the board).
pub fn staff(space: &Space, me: &DeviceKey) -> bool {
    space
        .state()
        .roster
        .actor(me)
        .is_ok_and(|a| a.role.is_staff())
}

/// One post.
pub fn post(space: &Space, id: &EventId) -> Option<PostRow> {
    space
        .state()
        .services
        .posts()
        .find(|p| p.id == *id)
        .map(post_row)
}

/// Whether a result post names `proposal`.
pub fn result_posted(space: &Space, proposal: &EventId) -> bool {
    space
        .state()
        .services
        .posts()
        .any(|p| p.category == Category::Result && p.proposal == Some(*proposal))
}

/// An entry of the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryRow {
    /// Its id.
    pub id: EventId,
    /// What.
    pub title: String,
    /// Fen: + income, − spending.
    pub amount_fen: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Category.
    pub category: String,
    /// Voided: why.
    pub voided: Option<String>,
    /// Whether `me` may try to void it: `Ok`, or the domain's reason (only ever shown for
    /// `self_dealing`: the void button is there for a council member, who is told why not).
    pub void: Option<Result<(), Code>>,
}

/// Income and spending of a month (`2026-03`) or a year (`2026`), entries not voided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Totals {
    /// The month or year.
    pub period: String,
    /// Fen in.
    pub income_fen: i64,
    /// Fen out (a positive number).
    pub spending_fen: i64,
}

/// The funds ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ledger {
    /// Every entry, latest date first.
    pub entries: Vec<EntryRow>,
    /// Per month, latest first.
    pub months: Vec<Totals>,
    /// Per year, latest first.
    pub years: Vec<Totals>,
    /// All entries not voided.
    pub total: Totals,
    /// The member is staff (sees the form).
    pub staff: bool,
    /// What the domain says to an entry by `me` now.
    pub enter: Result<(), Code>,
}

impl Ledger {
    /// Income − spending.
    pub fn balance_fen(&self) -> i64 {
        self.total.income_fen - self.total.spending_fen
    }
}

/// Sums `entries` (not voided) by the key `key` takes of their date.
pub fn totals<'a>(
    entries: impl Iterator<Item = (&'a str, i64)>,
    key: impl Fn(&str) -> &str,
) -> Vec<Totals> {
    let mut by: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for (date, fen) in entries {
        let t = by.entry(key(date).to_owned()).or_default();
        if fen > 0 {
            t.0 += fen;
        } else {
            t.1 -= fen;
        }
    }
    by.into_iter()
        .rev()
        .map(|(period, (income_fen, spending_fen))| Totals {
            period,
            income_fen,
            spending_fen,
        })
        .collect()
}

/// The ledger for `me` at `now`.
pub fn ledger(space: &Space, me: &DeviceKey, now: i64) -> Ledger {
    let s = &space.state().services;
    let allows = |a: services::Act| space.check_at(me, &Command::Services(a), now);
    let council = space
        .state()
        .roster
        .actor(me)
        .is_ok_and(|a| a.role.is_council_or_admin());
    let mut entries: Vec<EntryRow> = s
        .funds()
        .map(|f| EntryRow {
            id: f.id,
            title: f.title.to_string(),
            amount_fen: f.amount_fen,
            date: f.date.to_string(),
            category: f.category.to_string(),
            voided: f.voided.as_ref().map(|v| v.reason.to_string()),
            void: (council && f.voided.is_none()).then(|| {
                allows(services::Act::Void(Void {
                    entry: f.id,
                    reason: "·".into(),
                }))
            }),
        })
        .collect();
    entries.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| b.id.cmp(&a.id)));
    let live = || {
        s.funds()
            .filter(|f| f.voided.is_none())
            .map(|f| (&*f.date, f.amount_fen))
    };
    let all = report::funds(s);
    Ledger {
        entries,
        months: totals(live(), |d| d.get(..7).unwrap_or(d)),
        years: totals(live(), |d| d.get(..4).unwrap_or(d)),
        total: Totals {
            period: String::new(),
            income_fen: all.income_fen,
            spending_fen: all.spending_fen,
        },
        staff: staff(space, me),
        enter: allows(services::Act::Funds(FundsEntry {
            title: "·".into(),
            amount_fen: 1,
            date: "2026-01-01".into(),
            category: "·".into(),
        })),
    }
}

/// Fen as yuan with two decimals and thousands separated: `1234567` → `12,345.67`.
pub fn yuan(fen: i64) -> String {
    let abs = fen.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if fen < 0 { "−" } else { "" };
    format!("{sign}{grouped}.{:02}", abs % 100)
}

/// Fen with its sign always shown: `+200.00`, `−350.00`.
pub fn signed_yuan(fen: i64) -> String {
    if fen > 0 {
        format!("+{}", yuan(fen))
    } else {
        yuan(fen)
    }
}

/// Yuan as typed (`350`, `350.5`, `1,234.56`, `¥12`) in fen; `None` unless a number with at
/// most two decimals. Zero is returned as 0 (the domain refuses it, beside the field).
pub fn parse_yuan(text: &str) -> Option<i64> {
    let t: String = text
        .trim()
        .trim_start_matches(['¥', '￥'])
        .chars()
        .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
        .collect();
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w, f),
        None => (t.as_str(), ""),
    };
    if whole.is_empty() && frac.is_empty()
        || frac.len() > 2
        || !whole
            .chars()
            .chain(frac.chars())
            .all(|c| c.is_ascii_digit())
        || whole.len() > 12
    {
        return None;
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let f: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().ok()?
    };
    Some(w * 100 + f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_from_fen() {
        assert_eq!(yuan(0), "0.00");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(35_000), "350.00");
        assert_eq!(yuan(-35_050), "−350.50");
        assert_eq!(yuan(123_456_789), "1,234,567.89");
        assert_eq!(signed_yuan(2_000_000), "+20,000.00");
        assert_eq!(signed_yuan(-1), "−0.01");
    }

    #[test]
    fn yuan_as_typed() {
        assert_eq!(parse_yuan("350"), Some(35_000));
        assert_eq!(parse_yuan(" 350.5 "), Some(35_050));
        assert_eq!(parse_yuan("1,234.56"), Some(123_456));
        assert_eq!(parse_yuan("¥12"), Some(1_200));
        assert_eq!(parse_yuan(".5"), Some(50));
        assert_eq!(parse_yuan("0"), Some(0));
        for bad in [
            "",
            ".",
            "abc",
            "1.234",
            "-5",
            "1e3",
            "12.3.4",
            "1234567890123",
        ] {
            assert_eq!(parse_yuan(bad), None, "{bad}");
        }
    }

    #[test]
    fn totals_by_month_and_year() {
        let rows = [
            ("2026-03-01", 2_000_000),
            ("2026-03-05", -35_000),
            ("2026-04-02", -10_000),
            ("2025-12-31", 500),
        ];
        let months = totals(rows.iter().map(|(d, f)| (*d, *f)), |d| &d[..7]);
        assert_eq!(
            months
                .iter()
                .map(|t| (t.period.as_str(), t.income_fen, t.spending_fen))
                .collect::<Vec<_>>(),
            [
                ("2026-04", 0, 10_000),
                ("2026-03", 2_000_000, 35_000),
                ("2025-12", 500, 0)
            ]
        );
        let years = totals(rows.iter().map(|(d, f)| (*d, *f)), |d| &d[..4]);
        assert_eq!(years[0].spending_fen, 45_000);
        assert_eq!(years[1].period, "2025");
    }
}
