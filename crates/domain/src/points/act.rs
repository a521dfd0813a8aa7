//! The kinds of points (积分制) and the store (积分超市), and their payloads as they travel
//! (`DESIGN.md` §3.5, `docs/protocol.md` §6). The limits here are the ones forms show.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::id::{EventId, MemberId};
use crate::reject::Code;
use crate::wire::{self, optional_text, text, FieldError, Wire};

/// Longest rule or item title, in characters.
pub const MAX_TITLE: usize = 100;
/// Longest note or reason, in characters.
pub const MAX_NOTE: usize = 200;
/// The largest points a rule may give or take (either way).
pub const MAX_POINTS: i64 = 1000;
/// Most units in one award or claim.
pub const MAX_QTY: u32 = 100;
/// Most items in one redemption.
pub const MAX_REDEEM: u32 = 10;
/// The largest cost of an item, and the most a restock adds.
pub const MAX_COST: i64 = 1_000_000;

/// Which public list a rule's entries put a member on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum List {
    /// Neither list.
    None,
    /// 红榜: contributors (rules with points > 0).
    Red,
    /// 黑榜 / 曝光栏: unrectified misconduct (rules with points < 0).
    Black,
}

/// A points act: the payload of one of the points or store kinds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Act {
    /// `points.rule` — a rule of the catalogue (积分细则), or a new version of one.
    Rule(Rule),
    /// `points.rule_retire` — no new entries under a rule.
    Retire(RuleRef),
    /// `points.award` — staff record points for a member.
    Award(Award),
    /// `points.claim` — a member asks for points under a claimable rule.
    Claim(Claim),
    /// `points.decide` — staff approve or refuse a claim.
    Decide(Decide),
    /// `points.reverse` — an entry made void.
    Reverse(Reverse),
    /// `points.appeal` — the member contests a deduction.
    Appeal(Appeal),
    /// `points.appeal_decide` — the council decides an appeal.
    AppealDecide(AppealDecide),
    /// `points.rectified` — 整改: the misconduct was put right; off the black list.
    Rectified(Rectified),
    /// `points.privacy` — on or off the red list.
    Privacy(Privacy),
    /// `points.expire` — the council's cut-off: positive balances carried from before it lapse.
    Expire(Expire),
    /// `store.item` — an item of the points store.
    Item(Item),
    /// `store.restock` — more of an item.
    Restock(Restock),
    /// `store.redeem` — a member spends points on an item.
    Redeem(Redeem),
    /// `store.fulfil` — the item handed over.
    Fulfil(RedemptionRef),
    /// `store.cancel` — a redemption cancelled: points and stock come back.
    Cancel(Cancel),
}

impl Act {
    /// Every kind of points and the store.
    pub const KINDS: [&'static str; 16] = [
        "points.rule",
        "points.rule_retire",
        "points.award",
        "points.claim",
        "points.decide",
        "points.reverse",
        "points.appeal",
        "points.appeal_decide",
        "points.rectified",
        "points.privacy",
        "points.expire",
        "store.item",
        "store.restock",
        "store.redeem",
        "store.fulfil",
        "store.cancel",
    ];

    /// The event kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Act::Rule(_) => "points.rule",
            Act::Retire(_) => "points.rule_retire",
            Act::Award(_) => "points.award",
            Act::Claim(_) => "points.claim",
            Act::Decide(_) => "points.decide",
            Act::Reverse(_) => "points.reverse",
            Act::Appeal(_) => "points.appeal",
            Act::AppealDecide(_) => "points.appeal_decide",
            Act::Rectified(_) => "points.rectified",
            Act::Privacy(_) => "points.privacy",
            Act::Expire(_) => "points.expire",
            Act::Item(_) => "store.item",
            Act::Restock(_) => "store.restock",
            Act::Redeem(_) => "store.redeem",
            Act::Fulfil(_) => "store.fulfil",
            Act::Cancel(_) => "store.cancel",
        }
    }

    /// Parses a points or store kind's payload; `None` when `kind` is not one.
    pub fn parse(kind: &str, json: &str) -> Option<Result<Act, Code>> {
        Some(match kind {
            "points.rule" => wire::parse(json).map(Act::Rule),
            "points.rule_retire" => wire::parse(json).map(Act::Retire),
            "points.award" => wire::parse(json).map(Act::Award),
            "points.claim" => wire::parse(json).map(Act::Claim),
            "points.decide" => wire::parse(json).map(Act::Decide),
            "points.reverse" => wire::parse(json).map(Act::Reverse),
            "points.appeal" => wire::parse(json).map(Act::Appeal),
            "points.appeal_decide" => wire::parse(json).map(Act::AppealDecide),
            "points.rectified" => wire::parse(json).map(Act::Rectified),
            "points.privacy" => wire::parse(json).map(Act::Privacy),
            "points.expire" => wire::parse(json).map(Act::Expire),
            "store.item" => wire::parse(json).map(Act::Item),
            "store.restock" => wire::parse(json).map(Act::Restock),
            "store.redeem" => wire::parse(json).map(Act::Redeem),
            "store.fulfil" => wire::parse(json).map(Act::Fulfil),
            "store.cancel" => wire::parse(json).map(Act::Cancel),
            _ => return None,
        })
    }

    /// The field at fault, if any ([`Wire::check`]).
    pub fn check(&self) -> Result<(), FieldError> {
        match self {
            Act::Rule(x) => x.check(),
            Act::Retire(x) => x.check(),
            Act::Award(x) => x.check(),
            Act::Claim(x) => x.check(),
            Act::Decide(x) => x.check(),
            Act::Reverse(x) => x.check(),
            Act::Appeal(x) => x.check(),
            Act::AppealDecide(x) => x.check(),
            Act::Rectified(x) => x.check(),
            Act::Privacy(x) => x.check(),
            Act::Expire(x) => x.check(),
            Act::Item(x) => x.check(),
            Act::Restock(x) => x.check(),
            Act::Redeem(x) => x.check(),
            Act::Fulfil(x) => x.check(),
            Act::Cancel(x) => x.check(),
        }
    }

    /// The checks of [`Wire::validate`] for whichever payload this is.
    pub fn validate(&self) -> Result<(), Code> {
        self.check().map_err(|e| e.code)
    }
}

fn qty(field: &'static str, q: u32, max: u32) -> Result<(), FieldError> {
    if q == 0 {
        return Err(FieldError::range(
            field,
            1,
            i64::from(max),
            Code::MalformedPayload,
        ));
    }
    if q > max {
        return Err(FieldError::range(field, 1, i64::from(max), Code::OverLimit));
    }
    Ok(())
}

/// `points.rule`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// What it is for (清理楼道堆物, 乱扔垃圾…).
    pub title: Arc<str>,
    /// Points per unit: −1000…1000, not 0 (negative: a deduction).
    pub points: i64,
    /// The public list its entries count toward.
    pub list: List,
    /// Whether members may claim it themselves (points > 0 only).
    pub claimable: bool,
    /// Most points per member per calendar month (UTC+8) under it; 0: no cap.
    pub cap_month: i64,
    /// The rule this one replaces (its next version): that rule is retired by this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<EventId>,
}

impl Wire for Rule {
    fn check(&self) -> Result<(), FieldError> {
        text("title", &self.title, MAX_TITLE)?;
        if self.points == 0 {
            return Err(FieldError::malformed("points"));
        }
        if self.points.abs() > MAX_POINTS {
            return Err(FieldError::range(
                "points",
                -MAX_POINTS,
                MAX_POINTS,
                Code::OverLimit,
            ));
        }
        let list_ok = match self.list {
            List::None => true,
            List::Red => self.points > 0,
            List::Black => self.points < 0,
        };
        if !list_ok {
            return Err(FieldError::malformed("list"));
        }
        if self.claimable && self.points < 0 {
            return Err(FieldError::malformed("claimable"));
        }
        if self.cap_month < 0 {
            return Err(FieldError::range(
                "cap_month",
                0,
                MAX_COST,
                Code::MalformedPayload,
            ));
        }
        if self.cap_month > MAX_COST {
            return Err(FieldError::range("cap_month", 0, MAX_COST, Code::OverLimit));
        }
        Ok(())
    }
}

/// `{"rule": id}` — `points.rule_retire`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleRef {
    /// The rule.
    pub rule: EventId,
}

impl Wire for RuleRef {}

/// `points.award`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Award {
    /// The rule.
    pub rule: EventId,
    /// The member.
    pub member: MemberId,
    /// Units, 1–100.
    pub qty: u32,
    /// What for (may be empty).
    pub note: Arc<str>,
}

impl Wire for Award {
    fn check(&self) -> Result<(), FieldError> {
        qty("qty", self.qty, MAX_QTY)?;
        optional_text("note", &self.note, MAX_NOTE)
    }
}

/// `points.claim`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// The rule (claimable).
    pub rule: EventId,
    /// Units, 1–100.
    pub qty: u32,
    /// What was done (may be empty).
    pub note: Arc<str>,
}

impl Wire for Claim {
    fn check(&self) -> Result<(), FieldError> {
        qty("qty", self.qty, MAX_QTY)?;
        optional_text("note", &self.note, MAX_NOTE)
    }
}

/// `points.decide`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decide {
    /// The claim.
    pub claim: EventId,
    /// Approved (the claim becomes an entry) or refused.
    pub approve: bool,
    /// Why (may be empty).
    pub reason: Arc<str>,
}

impl Wire for Decide {
    fn check(&self) -> Result<(), FieldError> {
        optional_text("reason", &self.reason, MAX_NOTE)
    }
}

/// `points.reverse`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reverse {
    /// The entry.
    pub entry: EventId,
    /// Why (required).
    pub reason: Arc<str>,
}

impl Wire for Reverse {
    fn check(&self) -> Result<(), FieldError> {
        text("reason", &self.reason, MAX_NOTE)
    }
}

/// `points.appeal`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Appeal {
    /// The entry (a deduction of the appellant's).
    pub entry: EventId,
    /// Why (required).
    pub reason: Arc<str>,
}

impl Wire for Appeal {
    fn check(&self) -> Result<(), FieldError> {
        text("reason", &self.reason, MAX_NOTE)
    }
}

/// `points.appeal_decide`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppealDecide {
    /// The appeal.
    pub appeal: EventId,
    /// Granted (the entry becomes void) or refused (counted again).
    pub grant: bool,
    /// Why (may be empty).
    pub reason: Arc<str>,
}

impl Wire for AppealDecide {
    fn check(&self) -> Result<(), FieldError> {
        optional_text("reason", &self.reason, MAX_NOTE)
    }
}

/// `points.rectified`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rectified {
    /// The entry (under a black-list rule).
    pub entry: EventId,
    /// What was verified (may be empty).
    pub note: Arc<str>,
}

impl Wire for Rectified {
    fn check(&self) -> Result<(), FieldError> {
        optional_text("note", &self.note, MAX_NOTE)
    }
}

/// `points.privacy`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Privacy {
    /// Whether the member may appear on the red list.
    pub red_list: bool,
}

impl Wire for Privacy {}

/// `points.expire`: `{"before": ms, "note": str}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expire {
    /// The cut-off (ms since the epoch, > 0): what was earned before it and not spent lapses.
    pub before: i64,
    /// Why (may be empty): 年度积分清零.
    pub note: Arc<str>,
}

impl Wire for Expire {
    fn check(&self) -> Result<(), FieldError> {
        if self.before <= 0 {
            return Err(FieldError::malformed("before"));
        }
        optional_text("note", &self.note, MAX_NOTE)
    }
}

/// `store.item`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// What it is (洗衣液, 理发券…).
    pub title: Arc<str>,
    /// Points per unit, > 0.
    pub cost: i64,
    /// Units in stock, ≥ 0.
    pub stock: i64,
}

impl Wire for Item {
    fn check(&self) -> Result<(), FieldError> {
        text("title", &self.title, MAX_TITLE)?;
        if self.cost <= 0 {
            return Err(FieldError::range(
                "cost",
                1,
                MAX_COST,
                Code::MalformedPayload,
            ));
        }
        if self.cost > MAX_COST {
            return Err(FieldError::range("cost", 1, MAX_COST, Code::OverLimit));
        }
        if self.stock < 0 {
            return Err(FieldError::range(
                "stock",
                0,
                MAX_COST,
                Code::MalformedPayload,
            ));
        }
        if self.stock > MAX_COST {
            return Err(FieldError::range("stock", 0, MAX_COST, Code::OverLimit));
        }
        Ok(())
    }
}

/// `store.restock`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Restock {
    /// The item.
    pub item: EventId,
    /// Units added, ≥ 1.
    pub add: i64,
}

impl Wire for Restock {
    fn check(&self) -> Result<(), FieldError> {
        if self.add < 1 {
            return Err(FieldError::range(
                "add",
                1,
                MAX_COST,
                Code::MalformedPayload,
            ));
        }
        if self.add > MAX_COST {
            return Err(FieldError::range("add", 1, MAX_COST, Code::OverLimit));
        }
        Ok(())
    }
}

/// `store.redeem`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Redeem {
    /// The item.
    pub item: EventId,
    /// Units, 1–10.
    pub qty: u32,
}

impl Wire for Redeem {
    fn check(&self) -> Result<(), FieldError> {
        qty("qty", self.qty, MAX_REDEEM)
    }
}

/// `{"redemption": id}` — `store.fulfil`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedemptionRef {
    /// The redemption.
    pub redemption: EventId,
}

impl Wire for RedemptionRef {}

/// `store.cancel`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cancel {
    /// The redemption.
    pub redemption: EventId,
    /// Why (may be empty).
    pub reason: Arc<str>,
}

impl Wire for Cancel {
    fn check(&self) -> Result<(), FieldError> {
        optional_text("reason", &self.reason, MAX_NOTE)
    }
}
