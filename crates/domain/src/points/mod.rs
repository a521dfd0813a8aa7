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

use serde::{Deserialize, Serialize};

pub use act::{Act, List};

use crate::at::At;
use crate::id::{EventId, MemberId};
use crate::reject::Code;
use crate::roster::{Actor, Role, Roster};
use crate::table::{IdBuild, IdMap, RowSeq, SortedIds, Table};

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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// `points.award`.
    Award,
    /// An approved `points.claim`.
    Claim,
    /// `activity.hours`: confirmed volunteer minutes (`qty` is the minutes).
    Hours,
}

/// An appeal of an entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expiry {
    /// Its event id.
    pub id: EventId,
    /// The cut-off.
    pub before: i64,
    /// Per member, the points that lapsed (members with none left out), by member id.
    pub lapsed: BTreeMap<MemberId, i64>,
}

/// The points part of the state.
///
/// Records live in dense [`Table`]s: a rule finds a record by id once, and a judged change
/// carries its index, so the commit reaches it by position. Each entry row also holds the
/// indices of its member's holder and of its rule, so that counting it in or out needs no
/// lookup by id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Points {
    rules: Table<Rule>,
    entries: Table<EntryRow>,
    claims: Table<ClaimRow>,
    /// Appeal id → entry index.
    appeals: IdMap<u32>,
    items: Table<ItemState>,
    redemptions: Table<RedemptionRow>,
    /// Per member with an entry, a claim, a redemption or a privacy choice: their account
    /// (once they have one) and their latest entry and claim.
    holders: Table<Holder>,
    expiries: Vec<Expiry>,
    /// (holder index << 32 | rule index, month in UTC+8) → counted points under a capped rule.
    #[serde(deserialize_with = "caps_from_seq")]
    caps: HashMap<(u64, i64), i64, IdBuild>,
}

/// Reads the caps back from a snapshot's sorted `[[key, month], points]` list.
fn caps_from_seq<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<HashMap<(u64, i64), i64, IdBuild>, D::Error> {
    let rows: Vec<((u64, i64), i64)> = Vec::deserialize(d)?;
    Ok(rows.into_iter().collect())
}

impl Points {
    /// As a snapshot writes it (read back by its `Deserialize`): tables in fold order, maps
    /// in key order.
    pub(crate) fn dump(&self) -> impl Serialize + '_ {
        #[derive(Serialize)]
        struct Out<'a> {
            rules: RowSeq<'a, Rule>,
            entries: RowSeq<'a, EntryRow>,
            claims: RowSeq<'a, ClaimRow>,
            appeals: SortedIds<'a, u32>,
            items: RowSeq<'a, ItemState>,
            redemptions: RowSeq<'a, RedemptionRow>,
            holders: RowSeq<'a, Holder>,
            expiries: &'a [Expiry],
            caps: Vec<((u64, i64), i64)>,
        }
        let mut caps: Vec<((u64, i64), i64)> = self.caps.iter().map(|(k, v)| (*k, *v)).collect();
        caps.sort_unstable();
        Out {
            rules: RowSeq(&self.rules),
            entries: RowSeq(&self.entries),
            claims: RowSeq(&self.claims),
            appeals: SortedIds(&self.appeals),
            items: RowSeq(&self.items),
            redemptions: RowSeq(&self.redemptions),
            holders: RowSeq(&self.holders),
            expiries: &self.expiries,
            caps,
        }
    }
}

/// No row: the end of a member's list of entries or claims.
const NONE: u32 = u32::MAX;

/// An entry, with its member's holder index, its rule's index, and the index of the same
/// member's previous entry ([`NONE`] for their first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct EntryRow {
    entry: Entry,
    holder: u32,
    rule: u32,
    prev: u32,
}

/// A claim, with the index of the same member's previous claim ([`NONE`] for their first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct ClaimRow {
    claim: ClaimState,
    prev: u32,
}

/// A redemption, with its member's holder index, its item's index, and the index of the same
/// member's previous redemption ([`NONE`] for their first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct RedemptionRow {
    redemption: Redemption,
    holder: u32,
    item: u32,
    prev: u32,
}

/// A member's account, and the indices of their latest entry, claim and redemption (each row
/// links to the member's previous one: a member's history without scanning everyone's, and
/// nothing to allocate per member).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Holder {
    account: Account,
    /// Whether the account exists: from their first entry, redemption or privacy choice (a
    /// claim alone does not open one).
    open: bool,
    last_entry: u32,
    last_claim: u32,
    last_redemption: u32,
}

impl Default for Holder {
    fn default() -> Holder {
        Holder {
            account: Account::default(),
            open: false,
            last_entry: NONE,
            last_claim: NONE,
            last_redemption: NONE,
        }
    }
}

/// `{"rules", "entries", "claims", "items", "redemptions", "accounts", "expiries"}`, maps in
/// key order (the caps are derived from the entries).
impl Serialize for Points {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        /// A map in key order.
        struct Sorted<'a, T, V: ?Sized>(&'a Table<T>, fn(&T) -> Option<&V>);
        impl<T, V: Serialize> Serialize for Sorted<'_, T, V> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(None)?;
                for (id, row) in self.0.sorted() {
                    if let Some(v) = (self.1)(row) {
                        m.serialize_entry(id, v)?;
                    }
                }
                m.end()
            }
        }
        let mut m = s.serialize_map(Some(7))?;
        m.serialize_entry("rules", &Sorted(&self.rules, |r| Some(r)))?;
        m.serialize_entry("entries", &Sorted(&self.entries, |r| Some(&r.entry)))?;
        m.serialize_entry("claims", &Sorted(&self.claims, |r| Some(&r.claim)))?;
        m.serialize_entry("items", &Sorted(&self.items, |i| Some(i)))?;
        m.serialize_entry(
            "redemptions",
            &Sorted(&self.redemptions, |r| Some(&r.redemption)),
        )?;
        m.serialize_entry(
            "accounts",
            &Sorted(&self.holders, |h| h.open.then_some(&h.account)),
        )?;
        m.serialize_entry("expiries", &self.expiries)?;
        m.end()
    }
}

/// What a judged points act changes. Records are named by their index in their table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    Rule(Box<Rule>),
    Retire(u32),
    Entry(NewEntry),
    Claim(Box<ClaimState>),
    Decide {
        claim: u32,
        approve: bool,
        reason: Arc<str>,
        entry: Option<NewEntry>,
    },
    Status {
        entry: u32,
        status: EntryStatus,
    },
    Appeal {
        entry: u32,
        appeal: AppealState,
    },
    AppealDecided {
        entry: u32,
        grant: bool,
        reason: Arc<str>,
    },
    Rectified(u32),
    Privacy {
        member: MemberId,
        red_list: bool,
    },
    Expire(Box<Expiry>),
    Item(Box<ItemState>),
    Restock {
        item: u32,
        add: i64,
    },
    Redeem(Box<Redemption>, u32),
    Fulfil(u32),
    Cancel(u32),
}

/// A new entry, with its rule's index and its member's holder index if they have one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NewEntry {
    entry: Box<Entry>,
    rule: u32,
    holder: Option<u32>,
}

/// A shared empty text (no allocation per claim or appeal).
fn empty() -> Arc<str> {
    static EMPTY: std::sync::OnceLock<Arc<str>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Arc::from("")).clone()
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
        self.rules.sorted().into_iter().map(|(_, r)| r).collect()
    }

    /// An entry by id.
    pub fn entry(&self, id: &EventId) -> Option<&Entry> {
        self.entries.get(id).map(|r| &r.entry)
    }

    /// Every entry, in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().map(|(_, r)| &r.entry)
    }

    /// A member's entries, the latest first in the order of the log (without scanning the
    /// others').
    pub fn entries_of(&self, member: &MemberId) -> impl Iterator<Item = &Entry> {
        self.entry_rows_of(member).map(|r| &r.entry)
    }

    fn entry_rows_of(&self, member: &MemberId) -> impl Iterator<Item = &EntryRow> {
        let last = self.holders.get(member).map_or(NONE, |h| h.last_entry);
        let first = (last != NONE).then(|| &self.entries.at(last).1);
        std::iter::successors(first, |r| {
            (r.prev != NONE).then(|| &self.entries.at(r.prev).1)
        })
    }

    /// A claim by id.
    pub fn claim(&self, id: &EventId) -> Option<&ClaimState> {
        self.claims.get(id).map(|r| &r.claim)
    }

    /// Every claim, in no particular order.
    pub fn claims(&self) -> impl Iterator<Item = &ClaimState> {
        self.claims.iter().map(|(_, r)| &r.claim)
    }

    /// A member's claims, the latest first in the order of the log (without scanning the
    /// others').
    pub fn claims_of(&self, member: &MemberId) -> impl Iterator<Item = &ClaimState> {
        let last = self.holders.get(member).map_or(NONE, |h| h.last_claim);
        let first = (last != NONE).then(|| &self.claims.at(last).1);
        std::iter::successors(first, |r| {
            (r.prev != NONE).then(|| &self.claims.at(r.prev).1)
        })
        .map(|r| &r.claim)
    }

    /// The entry an appeal is about.
    pub fn appealed_entry(&self, appeal: &EventId) -> Option<&Entry> {
        let ix = *self.appeals.get(appeal)?;
        Some(&self.entries.at(ix).1.entry)
    }

    /// An item by id.
    pub fn item(&self, id: &EventId) -> Option<&ItemState> {
        self.items.get(id)
    }

    /// Every item, sorted by id.
    pub fn items(&self) -> Vec<&ItemState> {
        self.items.sorted().into_iter().map(|(_, i)| i).collect()
    }

    /// A redemption by id.
    pub fn redemption(&self, id: &EventId) -> Option<&Redemption> {
        self.redemptions.get(id).map(|r| &r.redemption)
    }

    /// Every redemption, in no particular order.
    pub fn redemptions(&self) -> impl Iterator<Item = &Redemption> {
        self.redemptions.iter().map(|(_, r)| &r.redemption)
    }

    /// A member's redemptions, the latest first in the order of the log (without scanning the
    /// others').
    pub fn redemptions_of(&self, member: &MemberId) -> impl Iterator<Item = &Redemption> {
        let last = self.holders.get(member).map_or(NONE, |h| h.last_redemption);
        let first = (last != NONE).then(|| &self.redemptions.at(last).1);
        std::iter::successors(first, |r| {
            (r.prev != NONE).then(|| &self.redemptions.at(r.prev).1)
        })
        .map(|r| &r.redemption)
    }

    /// A member's totals (`None`: no entry and no redemption yet).
    pub fn account(&self, member: &MemberId) -> Option<&Account> {
        self.holders
            .get(member)
            .and_then(|h| h.open.then_some(&h.account))
    }

    /// Every member with an entry or a redemption, and their totals.
    pub fn accounts(&self) -> impl Iterator<Item = (&MemberId, &Account)> {
        self.holders
            .iter()
            .filter(|(_, h)| h.open)
            .map(|(m, h)| (m, &h.account))
    }

    /// A member's balance (0 without entries).
    pub fn balance(&self, member: &MemberId) -> i64 {
        self.account(member).map_or(0, |a| a.balance)
    }

    /// The expiries, in order.
    pub fn expiries(&self) -> &[Expiry] {
        &self.expiries
    }

    /// 红榜: members who did not opt out with a positive sum under red rules, high first,
    /// then by member id.
    pub fn red_list(&self) -> Vec<RedRow> {
        let mut rows: Vec<RedRow> = self
            .accounts()
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
            .iter()
            .filter(|(_, r)| r.entry.status == EntryStatus::Counted && !r.entry.rectified)
            .filter(|(_, r)| self.rules.at(r.rule).1.list == List::Black)
            .map(|(_, r)| BlackRow {
                member: r.entry.member,
                entry: r.entry.id,
                rule: r.entry.rule,
                since: r.entry.ts,
                visible_from: r.entry.ts + VISIBLE_AFTER_MS,
            })
            .collect();
        rows.sort_by_key(|r| (r.since, r.entry));
        rows
    }

    /// A member's credit grade at `now` (the reader's clock: information only): the counted
    /// points dated in the 365 days up to `now`, and their black-list entries visible at `now`.
    pub fn grade(&self, member: &MemberId, now: i64) -> Grade {
        const YEAR: i64 = 365 * 86_400_000;
        let mut score = 0;
        let mut black = 0;
        for row in self.entry_rows_of(member) {
            let e = &row.entry;
            if e.status != EntryStatus::Counted {
                continue;
            }
            if e.ts > now - YEAR && e.ts <= now {
                score += e.amount;
            }
            let listed = self.rules.at(row.rule).1.list == List::Black;
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

    /// The rule of `id` and its index, if it may take new entries.
    fn rule_in_use(&self, id: &EventId) -> Result<(u32, &Rule), Code> {
        let ix = self.rules.find(id).ok_or(Code::UnknownRule)?;
        let rule = &self.rules.at(ix).1;
        if rule.retired {
            return Err(Code::RuleRetired);
        }
        Ok((ix, rule))
    }

    /// The amount of a new entry under `rule` (at index `rule_ix`) for the member whose
    /// holder is at `holder` (`None`: they have none yet), dated `ts`: `full` (points × qty, or
    /// for hours ⌊points × minutes / 60⌋) clipped by the monthly cap.
    fn amount(&self, rule_ix: u32, rule: &Rule, holder: Option<u32>, full: i64, ts: i64) -> i64 {
        if rule.points <= 0 || rule.cap_month == 0 {
            return full;
        }
        let used = holder.map_or(0, |h| {
            self.caps
                .get(&cap_key(h, rule_ix, ts))
                .copied()
                .unwrap_or(0)
        });
        full.min((rule.cap_month - used).max(0))
    }

    fn entry_of(&self, id: &EventId) -> Result<(u32, &Entry), Code> {
        let ix = self.entries.find(id).ok_or(Code::UnknownEntry)?;
        Ok((ix, &self.entries.at(ix).1.entry))
    }

    fn redemption_of(&self, id: &EventId) -> Result<(u32, &Redemption), Code> {
        let ix = self.redemptions.find(id).ok_or(Code::UnknownEntry)?;
        Ok((ix, &self.redemptions.at(ix).1.redemption))
    }

    /// The entry an `activity.hours` (at `at`, by staff member `by`) creates under the
    /// activity's `rule` for `member`: ⌊points × minutes / 60⌋, capped like an award.
    pub(crate) fn hours_entry(
        &self,
        rule: &EventId,
        member: MemberId,
        minutes: u32,
        by: MemberId,
        at: &At,
        note: Arc<str>,
    ) -> Result<NewEntry, Code> {
        let (rule_ix, r) = self.rule_in_use(rule)?;
        let holder = self.holders.find(&member);
        let amount = self.amount(
            rule_ix,
            r,
            holder,
            r.points * i64::from(minutes) / 60,
            at.ts,
        );
        Ok(NewEntry {
            entry: Box::new(Entry {
                id: at.id,
                member,
                rule: *rule,
                qty: minutes,
                amount,
                issuer: by,
                ts: at.ts,
                note,
                source: Source::Hours,
                status: EntryStatus::Counted,
                rectified: false,
                appeal: None,
            }),
            rule: rule_ix,
            holder,
        })
    }

    /// The id of the hours entry `change` makes void, if it does (the volunteer's minutes go
    /// with it).
    pub(crate) fn voided_hours(&self, change: &Change) -> Option<EventId> {
        match change {
            Change::Status {
                entry,
                status: EntryStatus::Void,
            } => {
                let e = &self.entries.at(*entry).1.entry;
                (e.source == Source::Hours).then_some(e.id)
            }
            _ => None,
        }
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
                    Some(old) => self.rule_in_use(old)?.1.version + 1,
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
                Change::Retire(self.rule_in_use(&r.rule)?.0)
            }
            Act::Award(a) => {
                if !staff {
                    return Err(Code::NotPermitted);
                }
                if a.member == by.id {
                    return Err(Code::SelfDealing);
                }
                roster.member(&a.member).ok_or(Code::UnknownMember)?;
                let (rule_ix, rule) = self.rule_in_use(&a.rule)?;
                let holder = self.holders.find(&a.member);
                let entry = Box::new(Entry {
                    id: at.id,
                    member: a.member,
                    rule: a.rule,
                    qty: a.qty,
                    amount: self.amount(
                        rule_ix,
                        rule,
                        holder,
                        rule.points * i64::from(a.qty),
                        at.ts,
                    ),
                    issuer: by.id,
                    ts: at.ts,
                    note: a.note.clone(),
                    source: Source::Award,
                    status: EntryStatus::Counted,
                    rectified: false,
                    appeal: None,
                });
                Change::Entry(NewEntry {
                    entry,
                    rule: rule_ix,
                    holder,
                })
            }
            Act::Claim(c) => {
                let (_, rule) = self.rule_in_use(&c.rule)?;
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
                    reason: empty(),
                }))
            }
            Act::Decide(d) => {
                if !staff {
                    return Err(Code::NotPermitted);
                }
                let claim_ix = self.claims.find(&d.claim).ok_or(Code::UnknownEntry)?;
                let claim = &self.claims.at(claim_ix).1.claim;
                if claim.member == by.id {
                    return Err(Code::SelfDealing);
                }
                if claim.approved.is_some() {
                    return Err(Code::WrongState);
                }
                let entry = if d.approve {
                    let (rule_ix, rule) = self.rule_in_use(&claim.rule)?;
                    let holder = self.holders.find(&claim.member);
                    let entry = Box::new(Entry {
                        id: claim.id,
                        member: claim.member,
                        rule: claim.rule,
                        qty: claim.qty,
                        amount: self.amount(
                            rule_ix,
                            rule,
                            holder,
                            rule.points * i64::from(claim.qty),
                            claim.ts,
                        ),
                        issuer: by.id,
                        ts: claim.ts,
                        note: claim.note.clone(),
                        source: Source::Claim,
                        status: EntryStatus::Counted,
                        rectified: false,
                        appeal: None,
                    });
                    Some(NewEntry {
                        entry,
                        rule: rule_ix,
                        holder,
                    })
                } else {
                    None
                };
                Change::Decide {
                    claim: claim_ix,
                    approve: d.approve,
                    reason: d.reason.clone(),
                    entry,
                }
            }
            Act::Reverse(r) => {
                let (ix, e) = self.entry_of(&r.entry)?;
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
                    entry: ix,
                    status: EntryStatus::Void,
                }
            }
            Act::Appeal(a) => {
                let (ix, e) = self.entry_of(&a.entry)?;
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
                    entry: ix,
                    appeal: AppealState {
                        id: at.id,
                        reason: a.reason.clone(),
                        granted: None,
                        decision: empty(),
                    },
                }
            }
            Act::AppealDecide(d) => {
                if !council {
                    return Err(Code::NotPermitted);
                }
                let ix = *self.appeals.get(&d.appeal).ok_or(Code::UnknownEntry)?;
                let e = &self.entries.at(ix).1.entry;
                if e.issuer == by.id {
                    return Err(Code::SelfDealing);
                }
                let pending = e.appeal.as_ref().is_some_and(|a| a.granted.is_none());
                if !pending || e.status != EntryStatus::Suspended {
                    return Err(Code::WrongState);
                }
                Change::AppealDecided {
                    entry: ix,
                    grant: d.grant,
                    reason: d.reason.clone(),
                }
            }
            Act::Rectified(r) => {
                if !staff {
                    return Err(Code::NotPermitted);
                }
                let (ix, e) = self.entry_of(&r.entry)?;
                if e.member == by.id {
                    return Err(Code::SelfDealing);
                }
                let black = self.rules.at(self.entries.at(ix).1.rule).1.list == List::Black;
                if !black || e.rectified || e.status != EntryStatus::Counted {
                    return Err(Code::WrongState);
                }
                Change::Rectified(ix)
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
                let item = self.items.find(&r.item).ok_or(Code::UnknownItem)?;
                Change::Restock { item, add: r.add }
            }
            Act::Redeem(r) => {
                let item_ix = self.items.find(&r.item).ok_or(Code::UnknownItem)?;
                let item = &self.items.at(item_ix).1;
                let qty = i64::from(r.qty);
                if self.balance(&by.id) < item.cost * qty {
                    return Err(Code::InsufficientPoints);
                }
                if item.stock < qty {
                    return Err(Code::OutOfStock);
                }
                Change::Redeem(
                    Box::new(Redemption {
                        id: at.id,
                        member: by.id,
                        item: item.id,
                        qty: r.qty,
                        cost: item.cost,
                        ts: at.ts,
                        status: RedemptionStatus::Pending,
                    }),
                    item_ix,
                )
            }
            Act::Fulfil(f) => {
                if !staff {
                    return Err(Code::NotPermitted);
                }
                let (ix, r) = self.redemption_of(&f.redemption)?;
                if r.status != RedemptionStatus::Pending {
                    return Err(Code::WrongState);
                }
                Change::Fulfil(ix)
            }
            Act::Cancel(c) => {
                let (ix, r) = self.redemption_of(&c.redemption)?;
                if r.member != by.id && !staff {
                    return Err(Code::NotPermitted);
                }
                if r.status != RedemptionStatus::Pending {
                    return Err(Code::WrongState);
                }
                Change::Cancel(ix)
            }
        })
    }

    /// What an expiry with cut-off `before` lapses, at this point of the order: per member,
    /// what counted entries dated before the cut-off brought, less everything redeemed so far
    /// (spending uses the oldest points first) and what earlier expiries lapsed — when that
    /// is positive.
    fn expiry(&self, id: EventId, before: i64) -> Expiry {
        // Per holder; a member with none of these has 0 carried, which never lapses.
        let mut carried = vec![0i64; self.holders.len()];
        for (_, r) in self.entries.iter() {
            if r.entry.status == EntryStatus::Counted && r.entry.ts < before {
                carried[r.holder as usize] += r.entry.amount;
            }
        }
        for (_, r) in self.redemptions.iter() {
            let r2 = &r.redemption;
            if r2.status != RedemptionStatus::Cancelled {
                carried[r.holder as usize] -= r2.cost * i64::from(r2.qty);
            }
        }
        let lapsed = self
            .holders
            .iter()
            .zip(carried)
            .filter(|((_, h), _)| h.open)
            .map(|((m, h), c)| (*m, c - h.account.lapsed))
            .filter(|(_, c)| *c > 0)
            .collect();
        Expiry { id, before, lapsed }
    }

    /// The index of `member`'s holder, added if they have none.
    fn holder(&mut self, member: MemberId) -> u32 {
        self.holders.intern(member, Holder::default)
    }

    /// The account of the holder at `ix`, opened if it was not.
    fn open_account(&mut self, ix: u32) -> &mut Account {
        let h = self.holders.at_mut(ix);
        h.open = true;
        &mut h.account
    }

    /// Moves the points of the entry at `ix` in or out of the totals: `sign` +1 when it
    /// starts counting, −1 when it stops.
    fn count(&mut self, ix: u32, sign: i64) {
        let row = &self.entries.at(ix).1;
        let (holder, rule, amount, ts) = (row.holder, row.rule, row.entry.amount, row.entry.ts);
        let r = &self.rules.at(rule).1;
        let (red, capped) = (r.list == List::Red, r.points > 0 && r.cap_month > 0);
        let account = &mut self.holders.at_mut(holder).account;
        account.balance += sign * amount;
        if red {
            account.red += sign * amount;
        }
        if capped {
            *self.caps.entry(cap_key(holder, rule, ts)).or_default() += sign * amount;
        }
    }

    fn add_entry(&mut self, new: NewEntry) {
        let NewEntry {
            entry,
            rule,
            holder,
        } = new;
        let entry = *entry;
        let holder = holder.unwrap_or_else(|| self.holder(entry.member));
        self.open_account(holder);
        let row = EntryRow {
            entry,
            holder,
            rule,
            prev: NONE,
        };
        match self.entries.insert(row.entry.id, row) {
            (ix, None) => {
                let h = self.holders.at_mut(holder);
                let prev = std::mem::replace(&mut h.last_entry, ix);
                self.entries.at_mut(ix).prev = prev;
                self.count(ix, 1);
            }
            // An entry replaced (ids are event ids: never): it keeps its place in the list.
            (ix, Some(old)) => {
                self.entries.at_mut(ix).prev = old.prev;
                self.count(ix, 1);
            }
        }
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
            Change::Retire(ix) => self.rules.at_mut(ix).retired = true,
            Change::Entry(new) => self.add_entry(new),
            Change::Claim(c) => {
                let holder = self.holder(c.member);
                let row = ClaimRow {
                    claim: *c,
                    prev: NONE,
                };
                let (ix, old) = self.claims.insert(row.claim.id, row);
                let prev = match old {
                    None => std::mem::replace(&mut self.holders.at_mut(holder).last_claim, ix),
                    Some(old) => old.prev,
                };
                self.claims.at_mut(ix).prev = prev;
            }
            Change::Decide {
                claim,
                approve,
                reason,
                entry,
            } => {
                let c = &mut self.claims.at_mut(claim).claim;
                c.approved = Some(approve);
                c.reason = reason;
                if let Some(new) = entry {
                    self.add_entry(new);
                }
            }
            Change::Status { entry, status } => {
                if self.entries.at(entry).1.entry.status == EntryStatus::Counted {
                    self.count(entry, -1);
                }
                self.entries.at_mut(entry).entry.status = status;
            }
            Change::Appeal { entry, appeal } => {
                self.appeals.insert(appeal.id, entry);
                self.count(entry, -1);
                let e = &mut self.entries.at_mut(entry).entry;
                e.status = EntryStatus::Suspended;
                e.appeal = Some(appeal);
            }
            Change::AppealDecided {
                entry,
                grant,
                reason,
            } => {
                let e = &mut self.entries.at_mut(entry).entry;
                if let Some(a) = e.appeal.as_mut() {
                    a.granted = Some(grant);
                    a.decision = reason;
                }
                e.status = if grant {
                    EntryStatus::Void
                } else {
                    EntryStatus::Counted
                };
                if !grant {
                    self.count(entry, 1);
                }
            }
            Change::Rectified(ix) => self.entries.at_mut(ix).entry.rectified = true,
            Change::Privacy { member, red_list } => {
                let holder = self.holder(member);
                self.open_account(holder).red_opt_out = !red_list;
            }
            Change::Expire(x) => {
                for (m, n) in &x.lapsed {
                    let holder = self.holder(*m);
                    let a = self.open_account(holder);
                    a.balance -= n;
                    a.lapsed += n;
                }
                self.expiries.push(*x);
            }
            Change::Item(i) => {
                self.items.insert(i.id, *i);
            }
            Change::Restock { item, add } => self.items.at_mut(item).stock += add,
            Change::Redeem(r, item) => {
                let (qty, spent) = (i64::from(r.qty), r.cost * i64::from(r.qty));
                let it = self.items.at_mut(item);
                it.stock -= qty;
                it.redeemed += qty;
                let holder = self.holder(r.member);
                self.open_account(holder).balance -= spent;
                let row = RedemptionRow {
                    redemption: *r,
                    holder,
                    item,
                    prev: NONE,
                };
                let (ix, old) = self.redemptions.insert(row.redemption.id, row);
                let prev = match old {
                    None => std::mem::replace(&mut self.holders.at_mut(holder).last_redemption, ix),
                    Some(old) => old.prev,
                };
                self.redemptions.at_mut(ix).prev = prev;
            }
            Change::Fulfil(ix) => {
                self.redemptions.at_mut(ix).redemption.status = RedemptionStatus::Fulfilled;
            }
            Change::Cancel(ix) => {
                let row = self.redemptions.at_mut(ix);
                row.redemption.status = RedemptionStatus::Cancelled;
                let (holder, item) = (row.holder, row.item);
                let (qty, spent) = (
                    i64::from(row.redemption.qty),
                    row.redemption.cost * i64::from(row.redemption.qty),
                );
                let it = self.items.at_mut(item);
                it.stock += qty;
                it.redeemed -= qty;
                self.holders.at_mut(holder).account.balance += spent;
            }
        }
    }
}

/// The key of `caps` for an entry of the holder at `holder` under the rule at `rule`, dated
/// `ts`.
fn cap_key(holder: u32, rule: u32, ts: i64) -> (u64, i64) {
    ((u64::from(holder) << 32) | u64::from(rule), month_utc8(ts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::Hex32;

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

    /// A member's entries and claims through their links are exactly those a scan finds,
    /// latest first.
    #[test]
    fn a_members_history_is_linked_latest_first() {
        let id = |tag: u8, i: u8| {
            let mut h = Hex32([tag; 32]);
            h.0[31] = i;
            h
        };
        let mut p = Points::default();
        let rule = id(1, 0);
        p.commit(Change::Rule(Box::new(Rule {
            id: rule,
            title: "垃圾分类".into(),
            points: 2,
            list: List::None,
            claimable: true,
            cap_month: 0,
            replaces: None,
            version: 1,
            retired: false,
        })));
        let members = [id(2, 0), id(2, 1), id(2, 2)];
        for i in 0..30u8 {
            let member = members[usize::from(i % 3 == 0)];
            let claim = ClaimState {
                id: id(4, i),
                member: members[usize::from(i % 2) * 2],
                rule,
                qty: 1,
                note: empty(),
                ts: i64::from(i),
                approved: None,
                reason: empty(),
            };
            p.commit(Change::Claim(Box::new(claim)));
            let entry = Entry {
                id: id(3, i),
                member,
                rule,
                qty: 1,
                amount: 2,
                issuer: id(9, 9),
                ts: i64::from(i),
                note: empty(),
                source: Source::Award,
                status: EntryStatus::Counted,
                rectified: false,
                appeal: None,
            };
            let holder = p.holders.find(&member);
            p.commit(Change::Entry(NewEntry {
                entry: Box::new(entry),
                rule: 0,
                holder,
            }));
        }
        p.commit(Change::Item(Box::new(ItemState {
            id: id(5, 0),
            title: "毛巾".into(),
            cost: 1,
            stock: 100,
            redeemed: 0,
        })));
        for i in 0..7u8 {
            let redemption = Redemption {
                id: id(6, i),
                member: members[usize::from(i % 3 != 0)],
                item: id(5, 0),
                qty: 1,
                cost: 1,
                ts: 100 + i64::from(i),
                status: RedemptionStatus::Pending,
            };
            p.commit(Change::Redeem(Box::new(redemption), 0));
        }
        for m in &members {
            let mut scanned: Vec<&Redemption> =
                p.redemptions().filter(|r| &r.member == m).collect();
            scanned.reverse();
            assert!(p.redemptions_of(m).eq(scanned));
            let spent = p.redemptions_of(m).count() as i64;
            let mut scanned: Vec<&Entry> = p.entries().filter(|e| &e.member == m).collect();
            scanned.reverse();
            assert!(p.entries_of(m).eq(scanned));
            let mut scanned: Vec<&ClaimState> = p.claims().filter(|c| &c.member == m).collect();
            scanned.reverse();
            assert!(p.claims_of(m).eq(scanned));
            assert_eq!(p.balance(m), 2 * p.entries_of(m).count() as i64 - spent);
        }
        assert_eq!(p.entries_of(&members[0]).count(), 20);
        assert_eq!(p.claims_of(&members[1]).count(), 0);
        assert_eq!(
            p.account(&members[2]),
            None,
            "a claim alone opens no account"
        );
        assert_eq!(p.entries_of(&id(7, 7)).count(), 0);
    }
}
