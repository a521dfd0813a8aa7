//! The council's kinds and their payloads, as they travel (`DESIGN.md` §3.3,
//! `docs/protocol.md` §5). The limits here are the ones forms show.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::ballot::{Eligibility, Threshold};
use crate::id::{DeviceKey, EventId, Hex32};
use crate::reject::Code;
use crate::wire::{self, optional_text, text, FieldError, Wire};

/// Longest title, in characters.
pub const MAX_TITLE: usize = 100;
/// Longest proposal body, comment, progress report or minutes, in characters.
pub const MAX_TEXT: usize = 2000;
/// Most options of a ballot.
pub const MAX_OPTIONS: usize = 10;
/// Longest option, category or check-in code, in characters.
pub const MAX_OPTION: usize = 40;
/// Longest reason for hiding a comment, in characters.
pub const MAX_REASON: usize = 200;
/// Most seconds a proposal may ask for.
pub const MAX_SECONDS: u32 = 100;
/// Most entries in one frontier (a `ballot.close`'s own, or one `ballot.frontier` part): about
/// 11 KB of JSON, inside the 16 KiB body limit.
pub const MAX_FRONTIER: usize = 150;
/// The default options: 赞成 (yes), 反对 (no), 弃权 (abstain).
pub const DEFAULT_OPTIONS: [&str; 3] = ["赞成", "反对", "弃权"];

/// A council act: the payload of one of the council's kinds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Act {
    /// `proposal.create` — 提议.
    Create(Create),
    /// `proposal.second` — 附议.
    Second(ProposalRef),
    /// `proposal.comment` — 协商意见.
    Comment(NewComment),
    /// `comment.hide` — council moderation; the comment is kept, hidden with a reason.
    Hide(HideComment),
    /// `proposal.withdraw` — by the proposer, before the ballot opens.
    Withdraw(ProposalRef),
    /// `ballot.open` — by the council, once enough members seconded; may say when voting ends.
    Open(Open),
    /// `vote.cast` — 表决.
    Vote(Cast),
    /// `ballot.frontier` — part of the frontier of a coming close, when it is too long for
    /// one event (a large community's voters).
    FrontierPart(FrontierPart),
    /// `ballot.close` — by the council, naming the frontier it counts.
    Close(Close),
    /// `proposal.progress` — 落实: council or workers report on a passed decision.
    Progress(ProgressReport),
    /// `meeting.schedule` — 议事会会议.
    Schedule(Schedule),
    /// `meeting.checkin` — attendance, with the code announced at the meeting.
    Checkin(Checkin),
    /// `meeting.minutes` — 会议纪要; closes the check-in.
    Minutes(Minutes),
    /// `space.charter` — 议事规则, the council's standing rules for new proposals.
    Charter(Charter),
}

impl Act {
    /// Every kind of the council.
    pub const KINDS: [&'static str; 14] = [
        "proposal.create",
        "proposal.second",
        "proposal.comment",
        "comment.hide",
        "proposal.withdraw",
        "ballot.open",
        "vote.cast",
        "ballot.frontier",
        "ballot.close",
        "proposal.progress",
        "meeting.schedule",
        "meeting.checkin",
        "meeting.minutes",
        "space.charter",
    ];

    /// The event kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Act::Create(_) => "proposal.create",
            Act::Second(_) => "proposal.second",
            Act::Comment(_) => "proposal.comment",
            Act::Hide(_) => "comment.hide",
            Act::Withdraw(_) => "proposal.withdraw",
            Act::Open(_) => "ballot.open",
            Act::Vote(_) => "vote.cast",
            Act::FrontierPart(_) => "ballot.frontier",
            Act::Close(_) => "ballot.close",
            Act::Progress(_) => "proposal.progress",
            Act::Schedule(_) => "meeting.schedule",
            Act::Checkin(_) => "meeting.checkin",
            Act::Minutes(_) => "meeting.minutes",
            Act::Charter(_) => "space.charter",
        }
    }

    /// Parses a council kind's payload; `None` when `kind` is not one.
    pub fn parse(kind: &str, json: &str) -> Option<Result<Act, Code>> {
        Some(match kind {
            "proposal.create" => wire::parse(json).map(Act::Create),
            "proposal.second" => wire::parse(json).map(Act::Second),
            "proposal.comment" => wire::parse(json).map(Act::Comment),
            "comment.hide" => wire::parse(json).map(Act::Hide),
            "proposal.withdraw" => wire::parse(json).map(Act::Withdraw),
            "ballot.open" => wire::parse(json).map(Act::Open),
            "vote.cast" => wire::parse(json).map(Act::Vote),
            "ballot.frontier" => wire::parse(json).map(Act::FrontierPart),
            "ballot.close" => wire::parse(json).map(Act::Close),
            "proposal.progress" => wire::parse(json).map(Act::Progress),
            "meeting.schedule" => wire::parse(json).map(Act::Schedule),
            "meeting.checkin" => wire::parse(json).map(Act::Checkin),
            "meeting.minutes" => wire::parse(json).map(Act::Minutes),
            "space.charter" => wire::parse(json).map(Act::Charter),
            _ => return None,
        })
    }

    /// The checks of [`Wire::validate`] for whichever payload this is.
    pub fn validate(&self) -> Result<(), Code> {
        match self {
            Act::Second(x) | Act::Withdraw(x) => x.validate(),
            Act::Open(x) => x.validate(),
            Act::Vote(x) => x.validate(),
            Act::FrontierPart(x) => x.validate(),
            Act::Close(x) => x.validate(),
            _ => self.check().map_err(|e| e.code),
        }
    }

    /// The checks of [`Wire::check`]: the field at fault in a payload a form fills (the
    /// others have no fields a person types, and pass).
    pub fn check(&self) -> Result<(), FieldError> {
        match self {
            Act::Create(x) => x.check(),
            Act::Comment(x) => x.check(),
            Act::Hide(x) => x.check(),
            Act::Progress(x) => x.check(),
            Act::Schedule(x) => x.check(),
            Act::Checkin(x) => x.check(),
            Act::Minutes(x) => x.check(),
            Act::Charter(x) => Wire::check(x),
            Act::Second(_)
            | Act::Withdraw(_)
            | Act::Open(_)
            | Act::Vote(_)
            | Act::FrontierPart(_)
            | Act::Close(_) => Ok(()),
        }
    }
}

/// `proposal.create`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Create {
    /// Title.
    pub title: Arc<str>,
    /// Body.
    #[serde(default)]
    pub body: Arc<str>,
    /// Category (环境, 安全, 停车, …), free text.
    #[serde(default)]
    pub category: Arc<str>,
    /// Options; the first means yes, the second no. Empty: [`DEFAULT_OPTIONS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Arc<str>>,
    /// Who may vote.
    pub eligibility: Eligibility,
    /// Quorum, 0–100.
    pub quorum_pct: u8,
    /// Threshold.
    pub threshold: Threshold,
    /// Distinct members who must second before the ballot may open.
    pub seconds_needed: u32,
    /// Whether the tally stays hidden until the close.
    #[serde(default)]
    pub hide_tally: bool,
}

impl Wire for Create {
    fn check(&self) -> Result<(), FieldError> {
        text("title", &self.title, MAX_TITLE)?;
        optional_text("body", &self.body, MAX_TEXT)?;
        optional_text("category", &self.category, MAX_OPTION)?;
        if self.options.len() == 1 {
            return Err(FieldError::malformed("options"));
        }
        if self.options.len() > MAX_OPTIONS {
            return Err(FieldError::range(
                "options",
                2,
                MAX_OPTIONS as i64,
                Code::OverLimit,
            ));
        }
        if self.quorum_pct > 100 {
            return Err(FieldError::range(
                "quorum_pct",
                0,
                100,
                Code::MalformedPayload,
            ));
        }
        if self.seconds_needed > MAX_SECONDS {
            return Err(FieldError::range(
                "seconds_needed",
                0,
                i64::from(MAX_SECONDS),
                Code::OverLimit,
            ));
        }
        self.options
            .iter()
            .try_for_each(|o| text("options", o, MAX_OPTION))
    }
}

/// `{"proposal": id}` — `proposal.second`, `proposal.withdraw`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalRef {
    /// The proposal.
    pub proposal: EventId,
}

impl Wire for ProposalRef {}

/// `ballot.open`: `{"proposal": id, "ends"?: ms}`. `ends` announces when voting ends — what
/// the apps count down to and call overdue after. Like every `ts` it is advisory: no rule
/// reads it against a clock, and it never fixes a result (only the close, with its frontier,
/// does).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Open {
    /// The proposal.
    pub proposal: EventId,
    /// When voting is announced to end (ms since the epoch, > 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends: Option<i64>,
}

impl Wire for Open {
    fn validate(&self) -> Result<(), Code> {
        match self.ends {
            Some(ends) if ends <= 0 => Err(Code::MalformedPayload),
            _ => Ok(()),
        }
    }
}

/// `proposal.comment`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    /// The proposal.
    pub proposal: EventId,
    /// The text.
    pub text: Arc<str>,
}

impl Wire for NewComment {
    fn check(&self) -> Result<(), FieldError> {
        text("text", &self.text, MAX_TEXT)
    }
}

/// `comment.hide`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HideComment {
    /// The comment (its event id).
    pub comment: EventId,
    /// Why.
    pub reason: Arc<str>,
}

impl Wire for HideComment {
    fn check(&self) -> Result<(), FieldError> {
        text("reason", &self.reason, MAX_REASON)
    }
}

/// `vote.cast`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cast {
    /// The proposal.
    pub proposal: EventId,
    /// Index into the options.
    pub choice: u32,
}

impl Wire for Cast {}

/// `ballot.frontier`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontierPart {
    /// The proposal.
    pub proposal: EventId,
    /// Per author, the last seq counted.
    pub entries: BTreeMap<DeviceKey, u64>,
}

impl Wire for FrontierPart {
    fn validate(&self) -> Result<(), Code> {
        if self.entries.len() > MAX_FRONTIER {
            return Err(Code::OverLimit);
        }
        Ok(())
    }
}

/// `ballot.close`: its own frontier entries plus the `ballot.frontier` parts it lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Close {
    /// The proposal.
    pub proposal: EventId,
    /// Per author, the last seq counted.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub frontier: BTreeMap<Hex32, u64>,
    /// `ballot.frontier` events of this proposal whose entries count too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<EventId>,
}

impl Wire for Close {
    fn validate(&self) -> Result<(), Code> {
        if self.frontier.len() > MAX_FRONTIER || self.parts.len() > MAX_FRONTIER {
            return Err(Code::OverLimit);
        }
        Ok(())
    }
}

/// `proposal.progress`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgressReport {
    /// The proposal.
    pub proposal: EventId,
    /// What was done.
    pub text: Arc<str>,
    /// Whether the decision is now carried out.
    #[serde(default)]
    pub done: bool,
}

impl Wire for ProgressReport {
    fn check(&self) -> Result<(), FieldError> {
        text("text", &self.text, MAX_TEXT)
    }
}

/// `meeting.schedule`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// Title.
    pub title: Arc<str>,
    /// When (ms since the epoch; display only).
    pub at: i64,
    /// Where.
    #[serde(default)]
    pub place: Arc<str>,
    /// SHA-256 (hex) of `linli-meeting` NUL + the check-in code ([`super::code_hash`]).
    pub code_hash: Hex32,
}

impl Wire for Schedule {
    fn check(&self) -> Result<(), FieldError> {
        text("title", &self.title, MAX_TITLE)?;
        optional_text("place", &self.place, MAX_TITLE)
    }
}

/// `meeting.checkin`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkin {
    /// The meeting.
    pub meeting: EventId,
    /// The code announced at the meeting.
    pub code: Arc<str>,
}

impl Wire for Checkin {
    fn check(&self) -> Result<(), FieldError> {
        text("code", &self.code, MAX_OPTION)
    }
}

/// `meeting.minutes`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Minutes {
    /// The meeting.
    pub meeting: EventId,
    /// The minutes.
    pub text: Arc<str>,
}

impl Wire for Minutes {
    fn check(&self) -> Result<(), FieldError> {
        text("text", &self.text, MAX_TEXT)
    }
}

/// `space.charter`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Charter {
    /// No proposal may ask a lower quorum (%), 0–100.
    pub min_quorum_pct: u8,
    /// No proposal may ask fewer seconds, 0–[`MAX_SECONDS`].
    pub min_seconds: u32,
    /// The eligibilities a resident's proposal may choose: at least one, each once.
    pub resident_eligibility: Vec<Eligibility>,
}

impl Wire for Charter {
    fn check(&self) -> Result<(), FieldError> {
        if self.min_quorum_pct > 100 {
            return Err(FieldError::range(
                "min_quorum_pct",
                0,
                100,
                Code::MalformedPayload,
            ));
        }
        let mut seen = self.resident_eligibility.clone();
        seen.sort_by_key(|e| *e as u8);
        seen.dedup();
        if seen.is_empty() || seen.len() != self.resident_eligibility.len() {
            return Err(FieldError::malformed("resident_eligibility"));
        }
        if self.min_seconds > MAX_SECONDS {
            return Err(FieldError::range(
                "min_seconds",
                0,
                i64::from(MAX_SECONDS),
                Code::OverLimit,
            ));
        }
        Ok(())
    }
}
