//! Points (积分制) and the points store (积分超市), `DESIGN.md` §3.5: a catalogue of rules the
//! council adopts (with versions and retirement), awards by staff and claims by members,
//! reversals, appeals of deductions within 15 days, monthly caps in UTC+8, a store whose
//! redemptions are judged in total order, rectification, the red-list opt-out, the council's
//! expiry cut-off — and from them balances, the red and black lists, and credit grades.
//!
//! - [`act`]: the kinds, their payloads and limits.
//! - [`report`]: the audit's `points` section.
//!
//! Every act is judged first (reading the state only) and then committed, like every area.

pub mod act;
pub mod report;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

pub use act::{Act, List};

use crate::at::At;
use crate::id::{EventId, MemberId};
use crate::reject::Code;
use crate::roster::{Actor, Role, Roster};
use crate::table::IdMap;

/// An appeal may come at most this long after the entry's ts: 15 days.
pub const APPEAL_WINDOW_MS: i64 = 15 * 86_400_000;
/// A black-list entry shows from this long after its ts: the appeal window comes first.
pub const VISIBLE_AFTER_MS: i64 = APPEAL_WINDOW_MS;
/// China Standard Time, in which months are counted for caps: UTC+8.
const UTC8_MS: i64 = 8 * 3_600_000;

/// The calendar month of `ts` (ms since the epoch) in UTC+8, as `year × 12 + month − 1`.
pub fn month_utc8(ts: i64) -> i64 {
    let days = (ts + UTC8_MS).div_euclid(86_400_000);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    year * 12 + month - 1
}

/// A rule of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Its event id.
    pub id: EventId,
    /// Title.
    pub title: Arc<str>,
    /// Points per unit.
    pub points: i64,
    /// The list its entries count toward.
    pub list: List,
    /// Members may claim it.
    pub claimable: bool,
    /// Monthly cap per member (0: none).
    pub cap_month: i64,
    /// The rule it replaced, if it is a new version.
    pub replaces: Option<EventId>,
    /// Version: 1, or one more than the rule it replaced.
    pub version: u32,
    /// Retired (or replaced): no new entries.
    pub retired: bool,
}

/// Where an entry stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// Counted in the balance and the lists.
    Counted,
    /// An appeal is pending: not counted.
    Suspended,
    /// Reversed, or the appeal was granted.
    Void,
}

/// How an entry came about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// `points.award`.
    Award,
    /// An approved `points.claim`.
    Claim,
}

/// An appeal of an entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppealState {
    /// Its event id.
    pub id: EventId,
    /// Why.
    pub reason: Arc<str>,
    /// `None` while pending; granted or not.
    pub granted: Option<bool>,
    /// The council's reason for its decision (empty while pending, or when none was given).
    pub decision: Arc<str>,
}

/// A signed change of one member's points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The award's id, or the claim's.
    pub id: EventId,
    /// Whose points.
    pub member: MemberId,
    /// The rule.
    pub rule: EventId,
    /// Units.
    pub qty: u32,
    /// Points: the rule's points × qty, clipped by the cap when it was created.
    pub amount: i64,
    /// Who issued it: the awarding staff member, or the one who approved the claim.
    pub issuer: MemberId,
    /// Its date: the award's or the claim's ts.
    pub ts: i64,
    /// The note.
    pub note: Arc<str>,
    /// Award or claim.
    pub source: Source,
    /// Counted, suspended or void.
    pub status: EntryStatus,
    /// 整改: put right (off the black list; the points stay).
    pub rectified: bool,
    /// The appeal, if any.
    pub appeal: Option<AppealState>,
}

/// A claim and its decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClaimState {
    /// Its event id.
    pub id: EventId,
    /// The claimant.
    pub member: MemberId,
    /// The rule.
    pub rule: EventId,
    /// Units.
    pub qty: u32,
    /// What was done.
    pub note: Arc<str>,
    /// When.
    pub ts: i64,
    /// `None` while pending; approved or not.
    pub approved: Option<bool>,
    /// The decision's reason.
    pub reason: Arc<str>,
}

/// An item of the store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemState {
    /// Its event id.
    pub id: EventId,
    /// Title.
    pub title: Arc<str>,
    /// Points per unit now.
    pub cost: i64,
    /// Units in stock now.
    pub stock: i64,
    /// Units redeemed and not cancelled.
    pub redeemed: i64,
}

/// Where a redemption stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RedemptionStatus {
    /// Waiting to be handed over.
    Pending,
    /// Handed over.
    Fulfilled,
    /// Cancelled: points and stock came back.
    Cancelled,
}

/// A redemption.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Redemption {
    /// Its event id.
    pub id: EventId,
    /// The redeemer.
    pub member: MemberId,
    /// The item.
    pub item: EventId,
    /// Units.
    pub qty: u32,
    /// Points per unit at the time.
    pub cost: i64,
    /// When.
    pub ts: i64,
    /// Pending, fulfilled or cancelled.
    pub status: RedemptionStatus,
}

/// A member's running totals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Account {
    /// Counted entries − redemptions not cancelled − lapsed by expiry.
    pub balance: i64,
    /// Counted entries under red rules.
    pub red: i64,
    /// Lapsed by expiries so far.
    pub lapsed: i64,
    /// Whether the member keeps off the red list.
    pub red_opt_out: bool,
}

/// One expiry cut-off and what lapsed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Expiry {
    /// Its event id.
    pub id: EventId,
    /// The cut-off.
    pub before: i64,
    /// Per member, the points that lapsed (members with none left out), by member id.
    pub lapsed: BTreeMap<MemberId, i64>,
}

/// The points part of the state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Points {
    rules: IdMap<Rule>,
    entries: IdMap<Entry>,
    claims: IdMap<ClaimState>,
    /// Appeal id → entry id.
    appeals: IdMap<EventId>,
    items: IdMap<ItemState>,
    redemptions: IdMap<Redemption>,
    accounts: IdMap<Account>,
    expiries: Vec<Expiry>,
    /// (member, rule, month in UTC+8) → counted points under a capped rule.
    caps: HashMap<(MemberId, EventId, i64), i64>,
}

/// `{"rules", "entries", "claims", "items", "redemptions", "accounts", "expiries"}`, maps in
/// key order (the caps are derived from the entries).
impl Serialize for Points {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        fn sorted<T>(m: &IdMap<T>) -> BTreeMap<&EventId, &T> {
            m.iter().collect()
        }
        let mut m = s.serialize_map(Some(7))?;
        m.serialize_entry("rules", &sorted(&self.rules))?;
        m.serialize_entry("entries", &sorted(&self.entries))?;
        m.serialize_entry("claims", &sorted(&self.claims))?;
        m.serialize_entry("items", &sorted(&self.items))?;
        m.serialize_entry("redemptions", &sorted(&self.redemptions))?;
        m.serialize_entry("accounts", &sorted(&self.accounts))?;
        m.serialize_entry("expiries", &self.expiries)?;
        m.end()
    }
}

/// What a judged points act changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    Rule(Box<Rule>),
    Retire(EventId),
    Entry(Box<Entry>),
    Claim(Box<ClaimState>),
    Decide {
        claim: EventId,
        approve: bool,
        reason: Arc<str>,
        entry: Option<Box<Entry>>,
    },
    Status {
        entry: EventId,
        status: EntryStatus,
    },
    Appeal {
        entry: EventId,
        appeal: AppealState,
    },
    AppealDecided {
        entry: EventId,
        grant: bool,
        reason: Arc<str>,
    },
    Rectified(EventId),
    Privacy {
        member: MemberId,
        red_list: bool,
    },
    Expire(Box<Expiry>),
    Item(Box<ItemState>),
    Restock {
        item: EventId,
        add: i64,
    },
    Redeem(Box<Redemption>),
    Fulfil(EventId),
    Cancel(EventId),
}

/// A member's place on the red list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct RedRow {
    /// The member.
    pub member: MemberId,
    /// Counted points under red rules.
    pub points: i64,
}

/// An entry on the black list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct BlackRow {
    /// The member.
    pub member: MemberId,
    /// The entry.
    pub entry: EventId,
    /// Its rule.
    pub rule: EventId,
    /// The entry's ts.
    pub since: i64,
    /// `since` + 15 days: screens show it only from then on.
    pub visible_from: i64,
}

/// A credit grade (信用等级): information only, never a reason to refuse anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Grade {
    /// 优秀: 100 points or more in the last 12 months, nothing on the black list.
    A,
    /// 良好: 20 points or more in the last 12 months, nothing on the black list.
    B,
    /// 一般: otherwise, with at most one entry on the black list.
    C,
    /// 待改进: negative points in the last 12 months, or two or more entries on the black list.
    D,
}

impl Points {
    /// A rule by id.
    pub fn rule(&self, id: &EventId) -> Option<&Rule> {
        self.rules.get(id)
    }

    /// Every rule, sorted by id.
    pub fn rules(&self) -> Vec<&Rule> {
        let mut all: Vec<&Rule> = self.rules.values().collect();
        all.sort_by_key(|r| r.id);
        all
    }

    /// An entry by id.
    pub fn entry(&self, id: &EventId) -> Option<&Entry> {
        self.entries.get(id)
    }

    /// Every entry, in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }

    /// A claim by id.
    pub fn claim(&self, id: &EventId) -> Option<&ClaimState> {
        self.claims.get(id)
    }

    /// Every claim, in no particular order.
    pub fn claims(&self) -> impl Iterator<Item = &ClaimState> {
        self.claims.values()
    }

    /// The entry an appeal is about.
    pub fn appealed_entry(&self, appeal: &EventId) -> Option<&Entry> {
        self.entries.get(self.appeals.get(appeal)?)
    }

    /// An item by id.
    pub fn item(&self, id: &EventId) -> Option<&ItemState> {
        self.items.get(id)
    }

    /// Every item, sorted by id.
    pub fn items(&self) -> Vec<&ItemState> {
        let mut all: Vec<&ItemState> = self.items.values().collect();
        all.sort_by_key(|i| i.id);
        all
    }

    /// A redemption by id.
    pub fn redemption(&self, id: &EventId) -> Option<&Redemption> {
        self.redemptions.get(id)
    }

    /// Every redemption, in no particular order.
    pub fn redemptions(&self) -> impl Iterator<Item = &Redemption> {
        self.redemptions.values()
    }

    /// A member's totals (`None`: no entry and no redemption yet).
    pub fn account(&self, member: &MemberId) -> Option<&Account> {
        self.accounts.get(member)
    }

    /// Every member with an entry or a redemption, and their totals.
    pub fn accounts(&self) -> impl Iterator<Item = (&MemberId, &Account)> {
        self.accounts.iter()
    }

    /// A member's balance (0 without entries).
    pub fn balance(&self, member: &MemberId) -> i64 {
        self.accounts.get(member).map_or(0, |a| a.balance)
    }

    /// The expiries, in order.
    pub fn expiries(&self) -> &[Expiry] {
        &self.expiries
    }

    /// 红榜: members who did not opt out with a positive sum under red rules, high first,
    /// then by member id.
    pub fn red_list(&self) -> Vec<RedRow> {
        let mut rows: Vec<RedRow> = self
            .accounts
            .iter()
            .filter(|(_, a)| a.red > 0 && !a.red_opt_out)
            .map(|(m, a)| RedRow {
                member: *m,
                points: a.red,
            })
            .collect();
        rows.sort_by(|a, b| b.points.cmp(&a.points).then(a.member.cmp(&b.member)));
        rows
    }

    /// 黑榜: counted, unrectified entries under black rules, oldest first (then by id). A
    /// screen shows a row only from its `visible_from`.
    pub fn black_list(&self) -> Vec<BlackRow> {
        let mut rows: Vec<BlackRow> = self
            .entries
            .values()
            .filter(|e| e.status == EntryStatus::Counted && !e.rectified)
            .filter(|e| {
                self.rules
                    .get(&e.rule)
                    .is_some_and(|r| r.list == List::Black)
            })
            .map(|e| BlackRow {
                member: e.member,
                entry: e.id,
                rule: e.rule,
                since: e.ts,
                visible_from: e.ts + VISIBLE_AFTER_MS,
            })
            .collect();
        rows.sort_by_key(|r| (r.since, r.entry));
        rows
    }

    /// A member's credit grade at `now` (the reader's clock: information only): the counted
    /// points dated in the 365 days up to `now`, and their black-list entries visible at `now`.
    pub fn grade(&self, member: &MemberId, now: i64) -> Grade {
        const YEAR: i64 = 365 * 86_400_000;
        let mine = self.entries.values().filter(|e| &e.member == member);
        let mut score = 0;
        let mut black = 0;
        for e in mine.filter(|e| e.status == EntryStatus::Counted) {
            if e.ts > now - YEAR && e.ts <= now {
                score += e.amount;
            }
            let listed = self
                .rules
                .get(&e.rule)
                .is_some_and(|r| r.list == List::Black);
            if listed && !e.rectified && e.ts + VISIBLE_AFTER_MS <= now {
                black += 1;
            }
        }
        match (score, black) {
            (s, b) if s < 0 || b >= 2 => Grade::D,
            (_, 1) => Grade::C,
            (s, _) if s >= 100 => Grade::A,
            (s, _) if s >= 20 => Grade::B,
            _ => Grade::C,
        }
    }

    fn rule_in_use(&self, id: &EventId) -> Result<&Rule, Code> {
        let rule = self.rules.get(id).ok_or(Code::UnknownRule)?;
        if rule.retired {
            return Err(Code::RuleRetired);
        }
        Ok(rule)
    }

    /// The amount of a new entry under `rule` for `member`, dated `ts`: points × qty, clipped
    /// by the monthly cap.
    fn amount(&self, rule: &Rule, member: MemberId, qty: u32, ts: i64) -> i64 {
        let full = rule.points * i64::from(qty);
        if rule.points <= 0 || rule.cap_month == 0 {
            return full;
        }
        let used = self
            .caps
            .get(&(member, rule.id, month_utc8(ts)))
            .copied()
            .unwrap_or(0);
        full.min((rule.cap_month - used).max(0))
    }

    fn entry_of(&self, id: &EventId) -> Result<&Entry, Code> {
        self.entries.get(id).ok_or(Code::UnknownEntry)
    }

    /// Whether `act` by `by` may apply at `at`, and what it changes. Reads only.
    pub(crate) fn judge(
        &self,
        roster: &Roster,
        by: &Actor,
        at: &At,
        act: &Act,
    ) -> Result<Change, Code> {
        let council = by.role.is_council_or_admin();
        let staff = by.role.is_staff();
        Ok(match act {
            Act::Rule(r) => {
                if !council {
                    return Err(Code::NotPermitted);
                }
                let version = match &r.replaces {
                    Some(old) => self.rule_in_use(old)?.version + 1,
                    None => 1,
                };
                Change::Rule(Box::new(Rule {
                    id: at.id,
                    title: r.title.clone(),
                    points: r.points,
                    list: r.list,
                    claimable: r.claimable,
                    cap_month: r.cap_month,
                    replaces: r.replaces,
                    version,
                    retired: false,
                }))
            }
            Act::Retire(r) => {
                if !council {
                    return Err(Code::NotPermitted);
                }
                self.rule_in_use(&r.rule)?;
                Change::Retire(r.rule)
            }
            Act::Award(a) => {
                if !staff {
                    return Err(Code::NotPermitted);
                }
                if a.member == by.id {
                    return Err(Code::SelfDealing);
                }
                roster.member(&a.member).ok_or(Code::UnknownMember)?;
                let rule = self.rule_in_use(&a.rule)?;
                Change::Entry(Box::new(Entry {
                    id: at.id,
                    member: a.member,
                    rule: a.rule,
                    qty: a.qty,
                    amount: self.amount(rule, a.member, a.qty, at.ts),
                    issuer: by.id,
                    ts: at.ts,
                    note: a.note.clone(),
                    source: Source::Award,
                    status: EntryStatus::Counted,
                    rectified: false,
                    appeal: None,
                }))
            }
            Act::Claim(c) => {
                let rule = self.rule_in_use(&c.rule)?;
                if !rule.claimable {
                    return Err(Code::NotClaimable);
                }
                Change::Claim(Box::new(ClaimState {
                    id: at.id,
                    member: by.id,
                    rule: c.rule,
                    qty: c.qty,
                    note: c.note.clone(),
                    ts: at.ts,
                    approved: None,
                    reason: Arc::from(""),
                }))
            }
            Act::Decide(d) => {
                if !staff {
                    return Err(Code::NotPermitted);
                }
                let claim = self.claims.get(&d.claim).ok_or(Code::UnknownEntry)?;
                if claim.member == by.id {
                    return Err(Code::SelfDealing);
                }
                if claim.approved.is_some() {
                    return Err(Code::WrongState);
                }
                let entry = if d.approve {
                    let rule = self.rule_in_use(&claim.rule)?;
                    Some(Box::new(Entry {
                        id: claim.id,
                        member: claim.member,
                        rule: claim.rule,
                        qty: claim.qty,
                        amount: self.amount(rule, claim.member, claim.qty, claim.ts),
                        issuer: by.id,
                        ts: claim.ts,
                        note: claim.note.clone(),
                        source: Source::Claim,
                        status: EntryStatus::Counted,
                        rectified: false,
                        appeal: None,
                    }))
                } else {
                    None
                };
                Change::Decide {
                    claim: claim.id,
                    approve: d.approve,
                    reason: d.reason.clone(),
                    entry,
                }
            }
            Act::Reverse(r) => {
                let e = self.entry_of(&r.entry)?;
                match by.role {
                    Role::Admin | Role::Council => {}
                    Role::Worker if e.issuer == by.id => return Err(Code::SelfDealing),
                    Role::Worker => {}
                    Role::Resident => return Err(Code::NotPermitted),
                }
                if e.status == EntryStatus::Void {
                    return Err(Code::WrongState);
                }
                Change::Status {
                    entry: e.id,
                    status: EntryStatus::Void,
                }
            }
            Act::Appeal(a) => {
                let e = self.entry_of(&a.entry)?;
                if e.member != by.id {
                    return Err(Code::NotPermitted);
                }
                if e.amount >= 0 {
                    return Err(Code::NotAppealable);
                }
                if e.appeal.is_some() || e.status != EntryStatus::Counted {
                    return Err(Code::WrongState);
                }
                if at.ts > e.ts + APPEAL_WINDOW_MS {
                    return Err(Code::AppealLate);
                }
                Change::Appeal {
                    entry: e.id,
                    appeal: AppealState {
                        id: at.id,
                        reason: a.reason.clone(),
                        granted: None,
                        decision: "".into(),
                    },
                }
            }
            Act::AppealDecide(d) => {
                if !council {
                    return Err(Code::NotPermitted);
                }
                let e = self
                    .appeals
                    .get(&d.appeal)
                    .and_then(|id| self.entries.get(id))
                    .ok_or(Code::UnknownEntry)?;
                if e.issuer == by.id {
                    return Err(Code::SelfDealing);
                }
                let pending = e.appeal.as_ref().is_some_and(|a| a.granted.is_none());
                if !pending || e.status != EntryStatus::Suspended {
                    return Err(Code::WrongState);
                }
                Change::AppealDecided {
                    entry: e.id,
                    grant: d.grant,
                    reason: d.reason.clone(),
                }
            }
            Act::Rectified(r) => {
                if !staff {
                    return Err(Code::NotPermitted);
                }
                let e = self.entry_of(&r.entry)?;
                if e.member == by.id {
                    return Err(Code::SelfDealing);
                }
                let black = self
                    .rules
                    .get(&e.rule)
                    .is_some_and(|r| r.list == List::Black);
                if !black || e.rectified || e.status != EntryStatus::Counted {
                    return Err(Code::WrongState);
                }
                Change::Rectified(e.id)
            }
            Act::Privacy(p) => Change::Privacy {
                member: by.id,
                red_list: p.red_list,
            },
            Act::Expire(x) => {
                if !council {
                    return Err(Code::NotPermitted);
                }
                Change::Expire(Box::new(self.expiry(at.id, x.before)))
            }
            Act::Item(i) => {
                if !staff {
                    return Err(Code::NotPermitted);
                }
                Change::Item(Box::new(ItemState {
                    id: at.id,
                    title: i.title.clone(),
                    cost: i.cost,
                    stock: i.stock,
                    redeemed: 0,
                }))
            }
            Act::Restock(r) => {
                if !staff {
                    return Err(Code::NotPermitted);
                }
                self.items.get(&r.item).ok_or(Code::UnknownItem)?;
                Change::Restock {
                    item: r.item,
                    add: r.add,
                }
            }
            Act::Redeem(r) => {
                let item = self.items.get(&r.item).ok_or(Code::UnknownItem)?;
                let qty = i64::from(r.qty);
                if self.balance(&by.id) < item.cost * qty {
                    return Err(Code::InsufficientPoints);
                }
                if item.stock < qty {
                    return Err(Code::OutOfStock);
                }
                Change::Redeem(Box::new(Redemption {
                    id: at.id,
                    member: by.id,
                    item: item.id,
                    qty: r.qty,
                    cost: item.cost,
                    ts: at.ts,
                    status: RedemptionStatus::Pending,
                }))
            }
            Act::Fulfil(f) => {
                if !staff {
                    return Err(Code::NotPermitted);
                }
                let r = self
                    .redemptions
                    .get(&f.redemption)
                    .ok_or(Code::UnknownEntry)?;
                if r.status != RedemptionStatus::Pending {
                    return Err(Code::WrongState);
                }
                Change::Fulfil(r.id)
            }
            Act::Cancel(c) => {
                let r = self
                    .redemptions
                    .get(&c.redemption)
                    .ok_or(Code::UnknownEntry)?;
                if r.member != by.id && !staff {
                    return Err(Code::NotPermitted);
                }
                if r.status != RedemptionStatus::Pending {
                    return Err(Code::WrongState);
                }
                Change::Cancel(r.id)
            }
        })
    }

    /// What an expiry with cut-off `before` lapses, at this point of the order: per member,
    /// what counted entries dated before the cut-off brought, less everything redeemed so far
    /// (spending uses the oldest points first) and what earlier expiries lapsed — when that
    /// is positive.
    fn expiry(&self, id: EventId, before: i64) -> Expiry {
        let mut carried: BTreeMap<MemberId, i64> = BTreeMap::new();
        for e in self.entries.values() {
            if e.status == EntryStatus::Counted && e.ts < before {
                *carried.entry(e.member).or_default() += e.amount;
            }
        }
        for r in self.redemptions.values() {
            if r.status != RedemptionStatus::Cancelled {
                *carried.entry(r.member).or_default() -= r.cost * i64::from(r.qty);
            }
        }
        for (m, a) in &self.accounts {
            if let Some(c) = carried.get_mut(m) {
                *c -= a.lapsed;
            }
        }
        carried.retain(|_, v| *v > 0);
        Expiry {
            id,
            before,
            lapsed: carried,
        }
    }

    fn account_mut(&mut self, member: MemberId) -> &mut Account {
        self.accounts.entry(member).or_default()
    }

    /// Moves an entry's points in or out of the totals: `sign` +1 when it starts counting,
    /// −1 when it stops.
    fn count(&mut self, id: &EventId, sign: i64) {
        let Some(e) = self.entries.get(id) else {
            return;
        };
        let (member, rule, amount, ts) = (e.member, e.rule, e.amount, e.ts);
        let (red, capped) = self.rules.get(&rule).map_or((false, false), |r| {
            (r.list == List::Red, r.points > 0 && r.cap_month > 0)
        });
        let account = self.account_mut(member);
        account.balance += sign * amount;
        if red {
            account.red += sign * amount;
        }
        if capped {
            *self.caps.entry((member, rule, month_utc8(ts))).or_default() += sign * amount;
        }
    }

    fn add_entry(&mut self, e: Entry) {
        let id = e.id;
        self.account_mut(e.member);
        self.entries.insert(id, e);
        self.count(&id, 1);
    }

    /// Applies a judged change.
    pub(crate) fn commit(&mut self, change: Change) {
        match change {
            Change::Rule(r) => {
                if let Some(old) = r.replaces.and_then(|o| self.rules.get_mut(&o)) {
                    old.retired = true;
                }
                self.rules.insert(r.id, *r);
            }
            Change::Retire(id) => {
                if let Some(r) = self.rules.get_mut(&id) {
                    r.retired = true;
                }
            }
            Change::Entry(e) => self.add_entry(*e),
            Change::Claim(c) => {
                self.claims.insert(c.id, *c);
            }
            Change::Decide {
                claim,
                approve,
                reason,
                entry,
            } => {
                if let Some(c) = self.claims.get_mut(&claim) {
                    c.approved = Some(approve);
                    c.reason = reason;
                }
                if let Some(e) = entry {
                    self.add_entry(*e);
                }
            }
            Change::Status { entry, status } => {
                let was = self.entries.get(&entry).map(|e| e.status);
                if was == Some(EntryStatus::Counted) {
                    self.count(&entry, -1);
                }
                if let Some(e) = self.entries.get_mut(&entry) {
                    e.status = status;
                }
            }
            Change::Appeal { entry, appeal } => {
                self.appeals.insert(appeal.id, entry);
                self.count(&entry, -1);
                if let Some(e) = self.entries.get_mut(&entry) {
                    e.status = EntryStatus::Suspended;
                    e.appeal = Some(appeal);
                }
            }
            Change::AppealDecided {
                entry,
                grant,
                reason,
            } => {
                if let Some(e) = self.entries.get_mut(&entry) {
                    if let Some(a) = e.appeal.as_mut() {
                        a.granted = Some(grant);
                        a.decision = reason;
                    }
                    e.status = if grant {
                        EntryStatus::Void
                    } else {
                        EntryStatus::Counted
                    };
                }
                if !grant {
                    self.count(&entry, 1);
                }
            }
            Change::Rectified(id) => {
                if let Some(e) = self.entries.get_mut(&id) {
                    e.rectified = true;
                }
            }
            Change::Privacy { member, red_list } => {
                self.account_mut(member).red_opt_out = !red_list;
            }
            Change::Expire(x) => {
                for (m, n) in &x.lapsed {
                    let a = self.account_mut(*m);
                    a.balance -= n;
                    a.lapsed += n;
                }
                self.expiries.push(*x);
            }
            Change::Item(i) => {
                self.items.insert(i.id, *i);
            }
            Change::Restock { item, add } => {
                if let Some(i) = self.items.get_mut(&item) {
                    i.stock += add;
                }
            }
            Change::Redeem(r) => {
                let (qty, spent) = (i64::from(r.qty), r.cost * i64::from(r.qty));
                if let Some(i) = self.items.get_mut(&r.item) {
                    i.stock -= qty;
                    i.redeemed += qty;
                }
                self.account_mut(r.member).balance -= spent;
                self.redemptions.insert(r.id, *r);
            }
            Change::Fulfil(id) => {
                if let Some(r) = self.redemptions.get_mut(&id) {
                    r.status = RedemptionStatus::Fulfilled;
                }
            }
            Change::Cancel(id) => {
                let Some(r) = self.redemptions.get_mut(&id) else {
                    return;
                };
                r.status = RedemptionStatus::Cancelled;
                let (member, item, qty, spent) = (
                    r.member,
                    r.item,
                    i64::from(r.qty),
                    r.cost * i64::from(r.qty),
                );
                if let Some(i) = self.items.get_mut(&item) {
                    i.stock += qty;
                    i.redeemed -= qty;
                }
                self.account_mut(member).balance += spent;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::month_utc8;

    #[test]
    fn months_turn_at_midnight_in_china() {
        // 2026-01-31T16:00:00Z is 2026-02-01 00:00 in UTC+8.
        let feb_first_cst = 1_769_875_200_000;
        assert_eq!(month_utc8(feb_first_cst - 1), 2026 * 12);
        assert_eq!(month_utc8(feb_first_cst), 2026 * 12 + 1);
        // Leap day 2024-02-29 12:00 UTC+8.
        assert_eq!(month_utc8(1_709_179_200_000), 2024 * 12 + 1);
        // Before the epoch.
        assert_eq!(month_utc8(-1), 1970 * 12);
        assert_eq!(month_utc8(-8 * 3_600_000 - 1), 1969 * 12 + 11);
    }
}
