//! The kinds of the everyday services (`DESIGN.md` §3.7, `docs/protocol.md`): requests for
//! help (困难群众直通车), polls (民调), the public board (公开) and the funds ledger — their
//! payloads as they travel. The limits here are the ones forms show.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::id::{EventId, MemberId};
use crate::reject::Code;
use crate::wire::{self, optional_text, text, FieldError, Wire};

/// Longest title or question, in characters.
pub const MAX_TITLE: usize = 100;
/// Longest body, note or post, in characters.
pub const MAX_TEXT: usize = 2000;
/// Longest category, grid or poll option, in characters.
pub const MAX_SHORT: usize = 40;
/// Longest reason or rating text, in characters.
pub const MAX_REASON: usize = 200;
/// Fewest and most options of a poll.
pub const MIN_OPTIONS: usize = 2;
/// Most options of a poll.
pub const MAX_OPTIONS: usize = 10;
/// The largest amount of one funds entry, either way: ¥100,000,000.00.
pub const MAX_FEN: i64 = 10_000_000_000;

/// What a board post is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 通知.
    Notice,
    /// 政策.
    Policy,
    /// 财务公开.
    Funds,
    /// 议事结果.
    Result,
}

/// An everyday-services act: the payload of one of the kinds of §3.7.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Act {
    /// `request.open` — a resident asks for help.
    Open(OpenRequest),
    /// `request.take` — staff take it (首问负责: the first owns it).
    Take(RequestRef),
    /// `request.transfer` — to another staff member, with a reason.
    Transfer(Transfer),
    /// `request.update` — the owner's progress note.
    Update(RequestText),
    /// `request.resolve` — the owner resolves it.
    Resolve(RequestText),
    /// `request.rate` — the requester rates the result.
    Rate(Rate),
    /// `request.reopen` — the requester, within 7 days of the resolve.
    Reopen(Reopen),
    /// `poll.create` — staff ask the residents.
    Poll(CreatePoll),
    /// `poll.answer` — a member answers (latest wins until the close).
    Answer(Answer),
    /// `board.post` — a notice, policy, funds disclosure or result for the public board.
    Post(Post),
    /// `funds.entry` — income (+) or spending (−) in the funds ledger.
    Funds(FundsEntry),
    /// `funds.void` — an entry voided by another council member.
    Void(Void),
}

impl Act {
    /// Every kind of the everyday services.
    pub const KINDS: [&'static str; 12] = [
        "request.open",
        "request.take",
        "request.transfer",
        "request.update",
        "request.resolve",
        "request.rate",
        "request.reopen",
        "poll.create",
        "poll.answer",
        "board.post",
        "funds.entry",
        "funds.void",
    ];

    /// The event kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Act::Open(_) => "request.open",
            Act::Take(_) => "request.take",
            Act::Transfer(_) => "request.transfer",
            Act::Update(_) => "request.update",
            Act::Resolve(_) => "request.resolve",
            Act::Rate(_) => "request.rate",
            Act::Reopen(_) => "request.reopen",
            Act::Poll(_) => "poll.create",
            Act::Answer(_) => "poll.answer",
            Act::Post(_) => "board.post",
            Act::Funds(_) => "funds.entry",
            Act::Void(_) => "funds.void",
        }
    }

    /// Parses one of these kinds' payloads; `None` when `kind` is not one.
    pub fn parse(kind: &str, json: &str) -> Option<Result<Act, Code>> {
        Some(match kind {
            "request.open" => wire::parse(json).map(Act::Open),
            "request.take" => wire::parse(json).map(Act::Take),
            "request.transfer" => wire::parse(json).map(Act::Transfer),
            "request.update" => wire::parse(json).map(Act::Update),
            "request.resolve" => wire::parse(json).map(Act::Resolve),
            "request.rate" => wire::parse(json).map(Act::Rate),
            "request.reopen" => wire::parse(json).map(Act::Reopen),
            "poll.create" => wire::parse(json).map(Act::Poll),
            "poll.answer" => wire::parse(json).map(Act::Answer),
            "board.post" => wire::parse(json).map(Act::Post),
            "funds.entry" => wire::parse(json).map(Act::Funds),
            "funds.void" => wire::parse(json).map(Act::Void),
            _ => return None,
        })
    }

    /// The field at fault, if any ([`Wire::check`]).
    pub fn check(&self) -> Result<(), FieldError> {
        match self {
            Act::Open(x) => x.check(),
            Act::Take(x) => x.check(),
            Act::Transfer(x) => x.check(),
            Act::Update(x) | Act::Resolve(x) => x.check(),
            Act::Rate(x) => x.check(),
            Act::Reopen(x) => x.check(),
            Act::Poll(x) => x.check(),
            Act::Answer(x) => x.check(),
            Act::Post(x) => x.check(),
            Act::Funds(x) => x.check(),
            Act::Void(x) => x.check(),
        }
    }

    /// The checks of [`Wire::validate`] for whichever payload this is.
    pub fn validate(&self) -> Result<(), Code> {
        self.check().map_err(|e| e.code)
    }
}

/// `request.open`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenRequest {
    /// A few words (买药, 水管漏水…).
    pub title: Arc<str>,
    /// More, if they like (may be empty).
    pub body: Arc<str>,
    /// 助老, 维修, 医疗, 政策咨询… (the community's words).
    pub category: Arc<str>,
    /// Urgent: overdue after 4 hours instead of 48.
    pub urgent: bool,
    /// Their grid (网格), from their household (may be empty).
    pub grid: Arc<str>,
}

impl Wire for OpenRequest {
    fn check(&self) -> Result<(), FieldError> {
        text("title", &self.title, MAX_TITLE)?;
        optional_text("body", &self.body, MAX_TEXT)?;
        text("category", &self.category, MAX_SHORT)?;
        optional_text("grid", &self.grid, MAX_SHORT)
    }
}

/// `{"request": id}` — `request.take`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestRef {
    /// The request.
    pub request: EventId,
}

impl Wire for RequestRef {}

/// `request.transfer`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// The request.
    pub request: EventId,
    /// The staff member who owns it from now on.
    pub to: MemberId,
    /// Why (may be absent on the wire; the app asks for one).
    #[serde(default = "empty")]
    pub reason: Arc<str>,
}

fn empty() -> Arc<str> {
    Arc::from("")
}

impl Wire for Transfer {
    fn check(&self) -> Result<(), FieldError> {
        optional_text("reason", &self.reason, MAX_REASON)
    }
}

/// `{"request": id, "text": str}` — `request.update`, `request.resolve`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestText {
    /// The request.
    pub request: EventId,
    /// What was done.
    pub text: Arc<str>,
}

impl Wire for RequestText {
    fn check(&self) -> Result<(), FieldError> {
        text("text", &self.text, MAX_TEXT)
    }
}

/// `request.rate`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    /// The request.
    pub request: EventId,
    /// 1–5.
    pub stars: u8,
    /// A word (may be empty).
    pub text: Arc<str>,
}

impl Wire for Rate {
    fn check(&self) -> Result<(), FieldError> {
        if !(1..=5).contains(&self.stars) {
            return Err(FieldError::range("stars", 1, 5, Code::MalformedPayload));
        }
        optional_text("text", &self.text, MAX_REASON)
    }
}

/// `request.reopen`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reopen {
    /// The request.
    pub request: EventId,
    /// Why (required).
    pub reason: Arc<str>,
}

impl Wire for Reopen {
    fn check(&self) -> Result<(), FieldError> {
        text("reason", &self.reason, MAX_REASON)
    }
}

/// `poll.create`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreatePoll {
    /// The question.
    pub question: Arc<str>,
    /// 2–10 options, each 1–40 characters, no repeats.
    pub options: Vec<Arc<str>>,
    /// Several choices allowed.
    pub multi: bool,
    /// Answers count while their ts is before this (ms).
    pub closes: i64,
    /// Results shown to everyone while it runs (else after the close).
    #[serde(default)]
    pub live: bool,
}

impl Wire for CreatePoll {
    fn check(&self) -> Result<(), FieldError> {
        text("question", &self.question, MAX_TITLE)?;
        let n = self.options.len();
        if n < MIN_OPTIONS {
            return Err(FieldError::range(
                "options",
                MIN_OPTIONS as i64,
                MAX_OPTIONS as i64,
                Code::MalformedPayload,
            ));
        }
        if n > MAX_OPTIONS {
            return Err(FieldError::range(
                "options",
                MIN_OPTIONS as i64,
                MAX_OPTIONS as i64,
                Code::OverLimit,
            ));
        }
        for (i, o) in self.options.iter().enumerate() {
            text("options", o, MAX_SHORT)?;
            if self.options[..i].contains(o) {
                return Err(FieldError::malformed("options"));
            }
        }
        if self.closes <= 0 {
            return Err(FieldError::malformed("closes"));
        }
        Ok(())
    }
}

/// `poll.answer`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The poll.
    pub poll: EventId,
    /// Indices into its options: one unless it is `multi`; no repeats.
    pub choices: Vec<u32>,
}

impl Wire for Answer {
    fn check(&self) -> Result<(), FieldError> {
        if self.choices.is_empty() {
            return Err(FieldError::malformed("choices"));
        }
        if self.choices.len() > MAX_OPTIONS {
            return Err(FieldError::range(
                "choices",
                1,
                MAX_OPTIONS as i64,
                Code::OverLimit,
            ));
        }
        let mut sorted = self.choices.clone();
        sorted.sort_unstable();
        if sorted.windows(2).any(|w| w[0] == w[1]) {
            return Err(FieldError::malformed("choices"));
        }
        Ok(())
    }
}

/// `board.post`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Post {
    /// Title.
    pub title: Arc<str>,
    /// The text.
    pub body: Arc<str>,
    /// Notice, policy, funds or result.
    pub category: Category,
    /// For a result: the proposal whose ballot it announces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal: Option<EventId>,
}

impl Wire for Post {
    fn check(&self) -> Result<(), FieldError> {
        text("title", &self.title, MAX_TITLE)?;
        optional_text("body", &self.body, MAX_TEXT)?;
        if self.proposal.is_some() && self.category != Category::Result {
            return Err(FieldError::malformed("proposal"));
        }
        Ok(())
    }
}

/// `funds.entry`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundsEntry {
    /// What (党群服务经费, 楼道灯维修…).
    pub title: Arc<str>,
    /// Fen (分): + income, − spending, not 0.
    pub amount_fen: i64,
    /// `YYYY-MM-DD`.
    pub date: Arc<str>,
    /// 上级拨款, 办公, 活动, 维修… (the community's words).
    pub category: Arc<str>,
}

/// Whether `s` is a real calendar date written `YYYY-MM-DD`.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1900 && (1..=days).contains(&d)
}

impl Wire for FundsEntry {
    fn check(&self) -> Result<(), FieldError> {
        text("title", &self.title, MAX_TITLE)?;
        if self.amount_fen == 0 {
            return Err(FieldError::malformed("amount_fen"));
        }
        if self.amount_fen.abs() > MAX_FEN {
            return Err(FieldError::range(
                "amount_fen",
                -MAX_FEN,
                MAX_FEN,
                Code::OverLimit,
            ));
        }
        if !is_date(&self.date) {
            return Err(FieldError::malformed("date"));
        }
        text("category", &self.category, MAX_SHORT)
    }
}

/// `funds.void`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Void {
    /// The entry.
    pub entry: EventId,
    /// Why (required).
    pub reason: Arc<str>,
}

impl Wire for Void {
    fn check(&self) -> Result<(), FieldError> {
        text("reason", &self.reason, MAX_REASON)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_calendar_dates() {
        for ok in ["2026-01-31", "2024-02-29", "2000-02-29", "2026-12-01"] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in [
            "2026-02-29",
            "1900-02-29",
            "2026-13-01",
            "2026-04-31",
            "2026-1-01",
            "26-01-01",
            "2026/01/01",
            "2026-00-10",
            "2026-01-00",
            "",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }

    #[test]
    fn payloads_travel_as_in_the_design() {
        let open = r#"{"title":"买药","body":"","category":"助老","urgent":true,"grid":"3网格"}"#;
        assert!(matches!(
            Act::parse("request.open", open),
            Some(Ok(Act::Open(_)))
        ));
        let transfer = format!(
            r#"{{"request":"{}","to":"{}"}}"#,
            "ab".repeat(32),
            "cd".repeat(32)
        );
        let Some(Ok(Act::Transfer(t))) = Act::parse("request.transfer", &transfer) else {
            panic!("transfer without a reason");
        };
        assert_eq!(&*t.reason, "");
        let poll =
            r#"{"question":"加装电梯？","options":["同意","不同意"],"multi":false,"closes":1}"#;
        assert!(matches!(
            Act::parse("poll.create", poll),
            Some(Ok(Act::Poll(_)))
        ));
        for (kind, bad) in [
            (
                "poll.create",
                r#"{"question":"q","options":["a"],"multi":false,"closes":1}"#,
            ),
            (
                "poll.create",
                r#"{"question":"q","options":["a","a"],"multi":false,"closes":1}"#,
            ),
            ("poll.answer", r#"{"poll":"00","choices":[]}"#),
            ("request.rate", r#"{"request":"00","stars":6,"text":""}"#),
        ] {
            assert_eq!(
                Act::parse(kind, bad).map(|r| r.err()),
                Some(Some(Code::MalformedPayload)),
                "{bad}"
            );
        }
        let funds =
            r#"{"title":"楼道灯","amount_fen":-12000,"date":"2026-02-30","category":"维修"}"#;
        assert_eq!(
            Act::parse("funds.entry", funds).map(|r| r.err()),
            Some(Some(Code::MalformedPayload))
        );
    }
}
