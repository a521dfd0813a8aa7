//! What the points screens read, derived from the fold: this member's points, the catalogue,
//! the people staff may award — each with the acts the domain would accept.

use linli_domain::points::act::{Appeal, Award, Claim, Rule as RuleAct, RuleRef};
use linli_domain::points::{self, EntryStatus, Grade, List, APPEAL_WINDOW_MS};
use linli_domain::{Command, DeviceKey, EventId, Hex32, Space};

/// One entry of a member's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryRow {
    /// Its id.
    pub id: EventId,
    /// The rule's title.
    pub rule: String,
    /// Points (may be 0 when a cap clipped it).
    pub amount: i64,
    /// Its date (ms).
    pub ts: i64,
    /// Who issued it (masked).
    pub issuer: String,
    /// Counted, suspended or void.
    pub status: EntryStatus,
    /// The appeal's outcome: `None` without one, `Some(None)` while pending.
    pub appeal: Option<Option<bool>>,
    /// The council's reason for deciding the appeal (may be empty).
    pub decision: String,
    /// Whether this member may still appeal it (a deduction, counted, not appealed) until
    /// `ts` + 15 days.
    pub appealable: bool,
    /// The note.
    pub note: String,
    /// A points entry, or spending, or a lapse: every row the balance is made of.
    pub what: RowKind,
}

/// What a history row records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// An award or an approved claim (`rule` is the rule's title).
    Entry,
    /// A redemption in the store (`rule` is the item and quantity); cancelled or not.
    Redeemed {
        /// Cancelled: the points came back.
        cancelled: bool,
    },
    /// Points that lapsed by a `points.expire` (dated by its cut-off).
    Lapsed,
}

/// A rule's title as the screens name it (empty for a rule this phone has not seen).
fn rule_title(p: &points::Points, rule: &EventId) -> String {
    p.rule(rule)
        .map(|r| r.title.to_string())
        .unwrap_or_default()
}

/// 我的积分.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MyPoints {
    /// This member's id (their points QR code opens 记分 for them).
    pub member: EventId,
    /// Whether they appear on the red list when they qualify (they may opt out).
    pub red_list: bool,
    /// The balance.
    pub balance: i64,
    /// Entries, newest first.
    pub entries: Vec<EntryRow>,
    /// Claims still waiting for a decision.
    pub pending_claims: usize,
    /// Whether this member is staff (may award).
    pub staff: bool,
    /// Counted points per month (UTC+8), the last 12 months that have any, oldest first:
    /// (`year × 12 + month − 1`, points).
    pub months: Vec<(i64, i64)>,
}

/// This device's member's points (`None` for a phone that is not a member's).
pub fn my_points(space: &Space, me: &DeviceKey) -> Option<MyPoints> {
    let state = space.state();
    let actor = state.roster.actor(me).ok()?;
    let p = &state.points;
    let name = |m: &EventId| {
        state
            .roster
            .member(m)
            .map(|m| m.masked_name())
            .unwrap_or_default()
    };
    let mut entries: Vec<EntryRow> = p
        .entries_of(&actor.id)
        .map(|e| {
            let appeal = Command::Points(points::Act::Appeal(Appeal {
                entry: e.id,
                reason: "·".into(),
            }));
            EntryRow {
                id: e.id,
                rule: rule_title(p, &e.rule),
                amount: e.amount,
                ts: e.ts,
                issuer: name(&e.issuer),
                status: e.status,
                appeal: e.appeal.as_ref().map(|a| a.granted),
                decision: e
                    .appeal
                    .as_ref()
                    .map(|a| a.decision.to_string())
                    .unwrap_or_default(),
                // Judged at the last moment of the window: the screen hides it after that.
                appealable: space.check_at(me, &appeal, e.ts + APPEAL_WINDOW_MS).is_ok(),
                note: e.note.to_string(),
                what: RowKind::Entry,
            }
        })
        .collect();
    entries.extend(p.redemptions_of(&actor.id).map(|r| {
        let cancelled = r.status == points::RedemptionStatus::Cancelled;
        EntryRow {
            id: r.id,
            rule: format!(
                "{} × {}",
                p.item(&r.item).map(|i| &*i.title).unwrap_or_default(),
                r.qty
            ),
            amount: -r.cost * i64::from(r.qty),
            ts: r.ts,
            issuer: String::new(),
            status: if cancelled {
                EntryStatus::Void
            } else {
                EntryStatus::Counted
            },
            appeal: None,
            decision: String::new(),
            appealable: false,
            note: String::new(),
            what: RowKind::Redeemed { cancelled },
        }
    }));
    entries.extend(p.expiries().iter().filter_map(|x| {
        let n = *x.lapsed.get(&actor.id)?;
        Some(EntryRow {
            id: x.id,
            rule: String::new(),
            amount: -n,
            ts: x.before,
            issuer: String::new(),
            status: EntryStatus::Counted,
            appeal: None,
            decision: String::new(),
            appealable: false,
            note: String::new(),
            what: RowKind::Lapsed,
        })
    }));
    entries.sort_by(|a, b| b.ts.cmp(&a.ts).then(a.id.cmp(&b.id)));
    let mut by_month: std::collections::BTreeMap<i64, i64> = Default::default();
    // Points earned and lost by month (spending is not a loss of standing).
    for e in entries
        .iter()
        .filter(|e| e.status == EntryStatus::Counted && e.what == RowKind::Entry)
    {
        *by_month.entry(points::month_utc8(e.ts)).or_default() += e.amount;
    }
    let skip = by_month.len().saturating_sub(12);
    Some(MyPoints {
        member: actor.id,
        red_list: p.account(&actor.id).is_none_or(|a| !a.red_opt_out),
        balance: p.balance(&actor.id),
        pending_claims: p
            .claims_of(&actor.id)
            .filter(|c| c.approved.is_none())
            .count(),
        staff: actor.role.is_staff(),
        months: by_month.into_iter().skip(skip).collect(),
        entries,
    })
}

/// This member's credit grade at `now` (information only).
pub fn grade(space: &Space, me: &DeviceKey, now: i64) -> Option<Grade> {
    let state = space.state();
    let actor = state.roster.actor(me).ok()?;
    Some(state.points.grade(&actor.id, now))
}

/// A rule of the catalogue as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleRow {
    /// Its id.
    pub id: EventId,
    /// Title.
    pub title: String,
    /// Points per unit.
    pub points: i64,
    /// Its list.
    pub list: List,
    /// Members may claim it.
    pub claimable: bool,
    /// Monthly cap (0: none).
    pub cap_month: i64,
    /// Version.
    pub version: u32,
    /// Entries made under it (how often it is used: frequent rules first on the award
    /// screen).
    pub uses: usize,
    /// Whether this member may retire it.
    pub may_retire: bool,
    /// Whether this member may claim it.
    pub may_claim: bool,
}

/// 积分细则: the rules in use, and what this member may do with them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalogue {
    /// Rules in use: additions first, then deductions, most used first.
    pub rules: Vec<RuleRow>,
    /// May adopt rules (admin, council).
    pub may_edit: bool,
    /// May award (staff).
    pub may_award: bool,
}

/// The catalogue for `me`.
pub fn catalogue(space: &Space, me: &DeviceKey) -> Catalogue {
    let p = &space.state().points;
    let mut uses: std::collections::HashMap<EventId, usize> = Default::default();
    for e in p.entries() {
        *uses.entry(e.rule).or_default() += 1;
    }
    let allows = |a: points::Act| space.allows(me, &Command::Points(a)).is_ok();
    let mut rules: Vec<RuleRow> = p
        .rules()
        .into_iter()
        .filter(|r| !r.retired)
        .map(|r| RuleRow {
            id: r.id,
            title: r.title.to_string(),
            points: r.points,
            list: r.list,
            claimable: r.claimable,
            cap_month: r.cap_month,
            version: r.version,
            uses: uses.get(&r.id).copied().unwrap_or(0),
            may_retire: allows(points::Act::Retire(RuleRef { rule: r.id })),
            may_claim: allows(points::Act::Claim(Claim {
                rule: r.id,
                qty: 1,
                note: "".into(),
            })),
        })
        .collect();
    rules.sort_by(|a, b| {
        (b.points > 0, b.uses, &a.title, a.id).cmp(&(a.points > 0, a.uses, &b.title, b.id))
    });
    let sample_rule = RuleAct {
        title: "·".into(),
        points: 1,
        list: List::None,
        claimable: false,
        cap_month: 0,
        replaces: None,
    };
    Catalogue {
        may_edit: allows(points::Act::Rule(sample_rule)),
        may_award: space
            .state()
            .roster
            .actor(me)
            .is_ok_and(|a| a.role.is_staff()),
        rules,
    }
}

/// A member staff may award.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Member id.
    pub id: EventId,
    /// Full name (staff see it).
    pub name: String,
    /// Household code.
    pub household: String,
}

/// How many recent people the award screen offers before anything is typed.
pub const RECENT: usize = 6;

/// Members whose name or household contains `query`, whom `me` may award under `rule` (the
/// domain's verdict: never themselves), at most 20, by name; with nothing typed, the last
/// [`RECENT`] people `me` recorded points for, newest first.
pub fn candidates(
    space: &Space,
    me: &DeviceKey,
    query: &str,
    rule: Option<EventId>,
) -> Vec<Candidate> {
    let q = query.trim();
    let state = space.state();
    let Ok(actor) = state.roster.actor(me) else {
        return Vec::new();
    };
    if !actor.role.is_staff() {
        return Vec::new();
    }
    let row = |m: &linli_domain::roster::Member| Candidate {
        id: m.id,
        name: m.name.to_string(),
        household: m.household.to_string(),
    };
    let mut found: Vec<Candidate> = if q.is_empty() {
        // Nothing typed: the people this member recorded points for lately, newest first.
        let mut mine: Vec<_> = state
            .points
            .entries()
            .filter(|e| e.issuer == actor.id && e.source == points::Source::Award)
            .map(|e| (e.ts, e.member))
            .collect();
        mine.sort_unstable_by(|a, b| b.cmp(a));
        let mut seen = std::collections::HashSet::new();
        mine.into_iter()
            .filter(|(_, m)| seen.insert(*m))
            .filter_map(|(_, m)| state.roster.member(&m))
            .take(RECENT)
            .map(row)
            .collect()
    } else {
        let mut found: Vec<Candidate> = state
            .roster
            .members()
            .filter(|m| m.id != actor.id)
            .filter(|m| m.name.contains(q) || m.household.contains(q))
            .map(row)
            .collect();
        found.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
        found.truncate(20);
        found
    };
    if let Some(rule) = rule {
        found.retain(|c| {
            let award = points::Act::Award(Award {
                rule,
                member: c.id,
                qty: 1,
                note: "".into(),
            });
            space.allows(me, &Command::Points(award)).is_ok()
        });
    }
    found
}

/// A member by id, as the award screen names them (staff: the full name).
pub fn candidate(space: &Space, me: &DeviceKey, id: &Hex32) -> Option<Candidate> {
    let state = space.state();
    let actor = state.roster.actor(me).ok()?;
    let m = state.roster.member(id)?;
    Some(Candidate {
        id: m.id,
        name: if actor.role.is_staff() {
            m.name.to_string()
        } else {
            m.masked_name()
        },
        household: if actor.role.is_staff() {
            m.household.to_string()
        } else {
            String::new()
        },
    })
}

/// A claim waiting for staff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimRow {
    /// The claim's id.
    pub id: EventId,
    /// The claimant (full name: staff read it).
    pub name: String,
    /// The rule's title.
    pub rule: String,
    /// Units.
    pub qty: u32,
    /// Points it would bring before any cap.
    pub points: i64,
    /// What they did.
    pub note: String,
    /// When (ms).
    pub ts: i64,
}

/// An appeal waiting for the council.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppealRow {
    /// The appeal's id.
    pub id: EventId,
    /// The appellant (full name).
    pub name: String,
    /// The rule's title.
    pub rule: String,
    /// The deduction.
    pub amount: i64,
    /// Who recorded it (full name).
    pub issuer: String,
    /// Why they appeal.
    pub reason: String,
}

/// What waits for `me`: the claims they may decide and the appeals they may decide (the
/// domain's verdicts: never their own claim, never an appeal on an entry they issued).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Review {
    /// Claims, oldest first.
    pub claims: Vec<ClaimRow>,
    /// Appeals, oldest first.
    pub appeals: Vec<AppealRow>,
}

/// The review queue for `me`.
pub fn review(space: &Space, me: &DeviceKey) -> Review {
    use linli_domain::points::act::{AppealDecide, Decide};
    let state = space.state();
    let p = &state.points;
    let name = |m: &EventId| {
        state
            .roster
            .member(m)
            .map(|m| m.name.to_string())
            .unwrap_or_default()
    };
    let allows = |a: points::Act| space.allows(me, &Command::Points(a)).is_ok();
    let mut claims: Vec<ClaimRow> = p
        .claims()
        .filter(|c| c.approved.is_none())
        .filter(|c| {
            allows(points::Act::Decide(Decide {
                claim: c.id,
                approve: false,
                reason: "".into(),
            }))
        })
        .map(|c| ClaimRow {
            id: c.id,
            name: name(&c.member),
            rule: rule_title(p, &c.rule),
            qty: c.qty,
            points: p.rule(&c.rule).map_or(0, |r| r.points * i64::from(c.qty)),
            note: c.note.to_string(),
            ts: c.ts,
        })
        .collect();
    claims.sort_by_key(|c| (c.ts, c.id));
    let mut appeals: Vec<(i64, AppealRow)> = p
        .entries()
        .filter_map(|e| {
            let a = e.appeal.as_ref().filter(|a| a.granted.is_none())?;
            let decide = points::Act::AppealDecide(AppealDecide {
                appeal: a.id,
                grant: false,
                reason: "".into(),
            });
            allows(decide).then(|| {
                (
                    e.ts,
                    AppealRow {
                        id: a.id,
                        name: name(&e.member),
                        rule: rule_title(p, &e.rule),
                        amount: e.amount,
                        issuer: name(&e.issuer),
                        reason: a.reason.to_string(),
                    },
                )
            })
        })
        .collect();
    appeals.sort_by_key(|(ts, a)| (*ts, a.id));
    Review {
        claims,
        appeals: appeals.into_iter().map(|(_, a)| a).collect(),
    }
}

/// An item of the store as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemRow {
    /// Its id.
    pub id: EventId,
    /// Title.
    pub title: String,
    /// Points per unit.
    pub cost: i64,
    /// In stock.
    pub stock: i64,
    /// Whether this member may redeem one now, or why not (the domain's verdict).
    pub redeem: Result<(), linli_domain::Code>,
}

/// A redemption as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedemptionRow {
    /// Its id.
    pub id: EventId,
    /// The redeemer (full name for staff, else masked).
    pub name: String,
    /// The item's title.
    pub item: String,
    /// Units.
    pub qty: u32,
    /// Points spent.
    pub spent: i64,
    /// When (ms).
    pub ts: i64,
    /// Pending, fulfilled or cancelled.
    pub status: points::RedemptionStatus,
    /// Whether this member may cancel it.
    pub may_cancel: bool,
    /// Why the community's order refused it (a redemption this phone signed that lost the
    /// race for the last item, say); such a row spent nothing.
    pub refused: Option<linli_domain::Code>,
}

/// 积分超市 for `me`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreView {
    /// This member's balance.
    pub balance: i64,
    /// Items, by title.
    pub items: Vec<ItemRow>,
    /// This member's redemptions, newest first.
    pub mine: Vec<RedemptionRow>,
    /// For staff: everyone's pending redemptions, oldest first.
    pub to_fulfil: Vec<RedemptionRow>,
    /// Whether this member is staff (adds items, restocks, hands over).
    pub staff: bool,
}

/// The store for `me` (`None` for a phone that is not a member's).
pub fn store(space: &Space, me: &DeviceKey) -> Option<StoreView> {
    use linli_domain::points::act::{Cancel, Redeem};
    use linli_domain::points::RedemptionStatus;
    let state = space.state();
    let actor = state.roster.actor(me).ok()?;
    let p = &state.points;
    let staff = actor.role.is_staff();
    let name = |m: &EventId| {
        state
            .roster
            .member(m)
            .map(|m| {
                if staff {
                    m.name.to_string()
                } else {
                    m.masked_name()
                }
            })
            .unwrap_or_default()
    };
    let row = |r: &points::Redemption| RedemptionRow {
        id: r.id,
        name: name(&r.member),
        item: p
            .item(&r.item)
            .map(|i| i.title.to_string())
            .unwrap_or_default(),
        qty: r.qty,
        spent: r.cost * i64::from(r.qty),
        ts: r.ts,
        status: r.status,
        refused: None,
        may_cancel: space
            .allows(
                me,
                &Command::Points(points::Act::Cancel(Cancel {
                    redemption: r.id,
                    reason: "".into(),
                })),
            )
            .is_ok(),
    };
    let mut items: Vec<ItemRow> = p
        .items()
        .into_iter()
        .map(|i| ItemRow {
            id: i.id,
            title: i.title.to_string(),
            cost: i.cost,
            stock: i.stock,
            redeem: space.allows(
                me,
                &Command::Points(points::Act::Redeem(Redeem { item: i.id, qty: 1 })),
            ),
        })
        .collect();
    items.sort_by(|a, b| (&a.title, a.id).cmp(&(&b.title, b.id)));
    let mut mine: Vec<RedemptionRow> = p
        .redemptions()
        .filter(|r| r.member == actor.id)
        .map(row)
        .collect();
    // This phone's redemptions the order refused, with the reason.
    for (id, code) in state.rejected() {
        let Some(e) = space.get(&id).filter(|e| e.author == *me) else {
            continue;
        };
        if let Some(Command::Points(points::Act::Redeem(r))) = e.payload.command() {
            mine.push(RedemptionRow {
                id,
                name: String::new(),
                item: p
                    .item(&r.item)
                    .map(|i| i.title.to_string())
                    .unwrap_or_default(),
                qty: r.qty,
                spent: 0,
                ts: e.ts,
                status: RedemptionStatus::Cancelled,
                may_cancel: false,
                refused: Some(code),
            });
        }
    }
    mine.sort_by(|a, b| b.ts.cmp(&a.ts).then(a.id.cmp(&b.id)));
    let mut to_fulfil: Vec<RedemptionRow> = if staff {
        p.redemptions()
            .filter(|r| r.status == RedemptionStatus::Pending)
            .map(row)
            .collect()
    } else {
        Vec::new()
    };
    to_fulfil.sort_by_key(|r| (r.ts, r.id));
    Some(StoreView {
        balance: p.balance(&actor.id),
        items,
        mine,
        to_fulfil,
        staff,
    })
}

/// 红黑榜 as a public view shows it: masked names only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lists {
    /// 红榜: masked name and points, high first.
    pub red: Vec<(String, i64)>,
    /// 黑榜 rows visible now: masked name, the rule's title, since (ms).
    pub black: Vec<(String, String, i64)>,
    /// Black-list rows still inside their appeal window (counted, not shown).
    pub waiting: usize,
}

/// The lists at `now` (a black-list row shows from its `visible_from`).
pub fn lists(space: &Space, now: i64) -> Lists {
    let state = space.state();
    let p = &state.points;
    let masked = |m: &EventId| {
        state
            .roster
            .member(m)
            .map(|m| m.masked_name())
            .unwrap_or_default()
    };
    let black = p.black_list();
    let waiting = black.iter().filter(|r| r.visible_from > now).count();
    Lists {
        red: p
            .red_list()
            .iter()
            .map(|r| (masked(&r.member), r.points))
            .collect(),
        black: black
            .iter()
            .filter(|r| r.visible_from <= now)
            .map(|r| {
                let rule = rule_title(p, &r.rule);
                (masked(&r.member), rule, r.since)
            })
            .collect(),
        waiting,
    }
}

/// A recent entry as staff see it, with what they may do to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecentRow {
    /// Its id.
    pub id: EventId,
    /// Whose (full name: staff read it).
    pub name: String,
    /// The rule's title.
    pub rule: String,
    /// Points.
    pub amount: i64,
    /// When (ms).
    pub ts: i64,
    /// On the black list now (counted, unrectified, under a black rule).
    pub listed: bool,
    /// Whether `me` may reverse it (the domain's verdict).
    pub may_reverse: bool,
    /// Whether `me` may mark it rectified.
    pub may_rectify: bool,
}

/// The 30 most recent counted or suspended entries, for staff to correct: reverse one
/// recorded by mistake, mark misconduct put right (整改).
pub fn recent(space: &Space, me: &DeviceKey) -> Vec<RecentRow> {
    use linli_domain::points::act::{Rectified, Reverse};
    let state = space.state();
    let p = &state.points;
    if !state.roster.actor(me).is_ok_and(|a| a.role.is_staff()) {
        return Vec::new();
    }
    let mut live: Vec<&points::Entry> = p
        .entries()
        .filter(|e| e.status != EntryStatus::Void)
        .collect();
    live.sort_by(|a, b| b.ts.cmp(&a.ts).then(a.id.cmp(&b.id)));
    live.truncate(30);
    let allows = |a: points::Act| space.allows(me, &Command::Points(a)).is_ok();
    let black = |e: &points::Entry| p.rule(&e.rule).is_some_and(|r| r.list == List::Black);
    live.into_iter()
        .map(|e| RecentRow {
            id: e.id,
            name: state
                .roster
                .member(&e.member)
                .map(|m| m.name.to_string())
                .unwrap_or_default(),
            rule: rule_title(p, &e.rule),
            amount: e.amount,
            ts: e.ts,
            listed: black(e) && !e.rectified && e.status == EntryStatus::Counted,
            may_reverse: allows(points::Act::Reverse(Reverse {
                entry: e.id,
                reason: "·".into(),
            })),
            may_rectify: allows(points::Act::Rectified(Rectified {
                entry: e.id,
                note: "".into(),
            })),
        })
        .collect()
}
