//! Why an event has no effect. The codes are stable: they are part of the protocol
//! (`docs/protocol.md`), printed by the audit tool and compared across implementations.

use serde::{Serialize, Serializer};

/// Every reason an event can be rejected. An event that fails a rule is kept as evidence; the
/// state records its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    // --- the envelope and the body (checked once, on receipt) ---
    /// The envelope is not `{"v":1,"body":…,"sig":…}` or its base64 is invalid.
    BadEnvelope,
    /// The signature does not verify (strictly) against `author` over the body.
    BadSignature,
    /// The envelope, body, a string or an array is over its limit.
    OverLimit,
    /// The body is not a JSON object with exactly the required fields of the right types.
    Malformed,
    // --- position in the log ---
    /// The event belongs to another space (or is a second genesis).
    WrongSpace,
    /// The author's previous event (`seq - 1`) is missing, so the chain cannot be checked.
    ChainGap,
    /// `prev` does not name the author's event at `seq - 1` (or is not null at `seq` 1).
    ChainMismatch,
    /// `lamport` is not greater than the lamport of the author's previous event.
    LamportNotIncreasing,
    /// The author signed two different events with the same `seq`; from there on, nothing of
    /// that device counts.
    Fork,
    // --- the roster ---
    /// The author is not a device of any member (and the event is not a join).
    UnknownAuthor,
    /// The author's device was revoked before this event.
    RevokedDevice,
    /// The author's role may not do this.
    NotPermitted,
    /// The payload does not fit its kind (missing, unknown or mistyped fields).
    MalformedPayload,
    /// No client knows this kind.
    UnknownKind,
    /// A join names a secret no invitation hashes to.
    InviteUnknown,
    /// The invitation was already used (invitations are one-use).
    InviteUsed,
    /// The invitation was withdrawn before the join.
    InviteRevoked,
    /// The invitation hash was already issued.
    InviteDuplicate,
    /// The device key already belongs to a member.
    DeviceTaken,
    /// The member named does not exist.
    UnknownMember,
    /// The device named is not on the roster, or already revoked.
    UnknownDevice,
    // --- councils (议事) ---
    /// The proposal (or comment, or meeting) named does not exist.
    UnknownProposal,
    /// The proposal is not in a state that allows this (seconding after the ballot opened,
    /// opening without enough seconds, voting before the open or after the close, …).
    WrongState,
    /// This member already seconded this proposal (or checked in to this meeting).
    Duplicate,
    /// The member may not vote on this proposal (its eligibility), or seconds their own.
    NotEligible,
    /// A vote names an option the proposal does not have.
    BadChoice,
    /// A meeting check-in code does not match.
    WrongCode,
    /// A close names a frontier part that is not a `ballot.frontier` of this proposal.
    MissingFrontier,
    /// A proposal asks less than the council's standing rules (议事规则, `space.charter`)
    /// require: a lower quorum, fewer seconds, or an eligibility a resident may not choose.
    AgainstCharter,
    // --- points (积分制) and the store ---
    /// No such points rule (`points.rule`).
    UnknownRule,
    /// The points rule was retired or replaced: no new entries under it.
    RuleRetired,
    /// A claim under a rule that is not claimable.
    NotClaimable,
    /// Staff acting on their own points: awarding themselves, deciding their own claim, reversing or rectifying their own entry, deciding an appeal on an entry they issued, confirming their own volunteer hours.
    SelfDealing,
    /// No such points entry (or claim, appeal or redemption) of this kind.
    UnknownEntry,
    /// An appeal on an entry that is not a deduction (amount ≥ 0).
    NotAppealable,
    /// An appeal more than 15 days (1,296,000,000 ms) after the entry's ts.
    AppealLate,
    /// No such item in the points store.
    UnknownItem,
    /// A redemption beyond the member's balance at its place in the order.
    InsufficientPoints,
    /// A redemption beyond the item's stock at its place in the order.
    OutOfStock,
    // --- volunteer services (志愿服务) ---
    /// No such activity.
    UnknownActivity,
    /// A sign-up when every slot is taken and the activity has no wait list, or an assignment
    /// beyond the free slots.
    ActivityFull,
    /// A withdrawal by a member who is neither confirmed nor on the wait list.
    NotSignedUp,
    /// A check-in, check-out or hours for a member who is not confirmed on the activity.
    NotConfirmed,
    /// A check-in or check-out whose ts is more than 2 hours before the activity's start or
    /// more than 6 hours after its end (a phone whose clock is far off).
    OutsideTime,
    /// An activity's points rule that does not award points (points ≤ 0).
    RuleNotPositive,
    // --- everyday services: requests, polls, the board, funds ---
    /// No such request for help.
    UnknownRequest,
    /// A take of a request someone already owns (首问负责: the first take owns it).
    AlreadyTaken,
    /// An update, resolve or transfer by someone who does not own the request (a transfer may
    /// also come from the council).
    NotOwner,
    /// A transfer to a member who is not staff.
    NotStaff,
    /// A reopen more than 7 days after the resolve.
    ReopenLate,
    /// No such poll.
    UnknownPoll,
    /// A poll answer whose ts is at or after the poll's close.
    PollClosed,
    // --- checkpoints (检查点) ---
    /// A checkpoint whose frontier names an event not folded before it, or itself.
    CheckpointAhead,
    /// A checkpoint whose frontier does not cover the latest counted checkpoint's.
    CheckpointBehind,
}

impl Code {
    /// Every code, in documentation order.
    pub const ALL: [Code; 54] = [
        Code::BadEnvelope,
        Code::BadSignature,
        Code::OverLimit,
        Code::Malformed,
        Code::WrongSpace,
        Code::ChainGap,
        Code::ChainMismatch,
        Code::LamportNotIncreasing,
        Code::Fork,
        Code::UnknownAuthor,
        Code::RevokedDevice,
        Code::NotPermitted,
        Code::MalformedPayload,
        Code::UnknownKind,
        Code::InviteUnknown,
        Code::InviteUsed,
        Code::InviteRevoked,
        Code::InviteDuplicate,
        Code::DeviceTaken,
        Code::UnknownMember,
        Code::UnknownDevice,
        Code::UnknownProposal,
        Code::WrongState,
        Code::Duplicate,
        Code::NotEligible,
        Code::BadChoice,
        Code::WrongCode,
        Code::MissingFrontier,
        Code::AgainstCharter,
        Code::UnknownRule,
        Code::RuleRetired,
        Code::NotClaimable,
        Code::SelfDealing,
        Code::UnknownEntry,
        Code::NotAppealable,
        Code::AppealLate,
        Code::UnknownItem,
        Code::InsufficientPoints,
        Code::OutOfStock,
        Code::UnknownActivity,
        Code::ActivityFull,
        Code::NotSignedUp,
        Code::NotConfirmed,
        Code::OutsideTime,
        Code::RuleNotPositive,
        Code::UnknownRequest,
        Code::AlreadyTaken,
        Code::NotOwner,
        Code::NotStaff,
        Code::ReopenLate,
        Code::UnknownPoll,
        Code::PollClosed,
        Code::CheckpointAhead,
        Code::CheckpointBehind,
    ];

    /// The code spelled `s` (as a hub or the audit tool writes it), if it is one.
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The stable snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::BadEnvelope => "bad_envelope",
            Code::BadSignature => "bad_signature",
            Code::OverLimit => "over_limit",
            Code::Malformed => "malformed",
            Code::WrongSpace => "wrong_space",
            Code::ChainGap => "chain_gap",
            Code::ChainMismatch => "chain_mismatch",
            Code::LamportNotIncreasing => "lamport_not_increasing",
            Code::Fork => "fork",
            Code::UnknownAuthor => "unknown_author",
            Code::RevokedDevice => "revoked_device",
            Code::NotPermitted => "not_permitted",
            Code::MalformedPayload => "malformed_payload",
            Code::UnknownKind => "unknown_kind",
            Code::InviteUnknown => "invite_unknown",
            Code::InviteUsed => "invite_used",
            Code::InviteRevoked => "invite_revoked",
            Code::InviteDuplicate => "invite_duplicate",
            Code::DeviceTaken => "device_taken",
            Code::UnknownMember => "unknown_member",
            Code::UnknownDevice => "unknown_device",
            Code::UnknownProposal => "unknown_proposal",
            Code::WrongState => "wrong_state",
            Code::Duplicate => "duplicate",
            Code::NotEligible => "not_eligible",
            Code::BadChoice => "bad_choice",
            Code::WrongCode => "wrong_code",
            Code::MissingFrontier => "missing_frontier",
            Code::AgainstCharter => "against_charter",
            Code::UnknownRule => "unknown_rule",
            Code::RuleRetired => "rule_retired",
            Code::NotClaimable => "not_claimable",
            Code::SelfDealing => "self_dealing",
            Code::UnknownEntry => "unknown_entry",
            Code::NotAppealable => "not_appealable",
            Code::AppealLate => "appeal_late",
            Code::UnknownItem => "unknown_item",
            Code::InsufficientPoints => "insufficient_points",
            Code::OutOfStock => "out_of_stock",
            Code::UnknownActivity => "unknown_activity",
            Code::ActivityFull => "activity_full",
            Code::NotSignedUp => "not_signed_up",
            Code::NotConfirmed => "not_confirmed",
            Code::OutsideTime => "outside_time",
            Code::RuleNotPositive => "rule_not_positive",
            Code::UnknownRequest => "unknown_request",
            Code::AlreadyTaken => "already_taken",
            Code::NotOwner => "not_owner",
            Code::NotStaff => "not_staff",
            Code::ReopenLate => "reopen_late",
            Code::UnknownPoll => "unknown_poll",
            Code::PollClosed => "poll_closed",
            Code::CheckpointAhead => "checkpoint_ahead",
            Code::CheckpointBehind => "checkpoint_behind",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Reads a code back from its stable spelling (snapshots carry the rejections).
impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Code::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown code {s}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for c in Code::ALL {
            let s = c.as_str();
            assert!(
                s.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'),
                "{s}"
            );
            assert!(seen.insert(s), "duplicate {s}");
            assert_eq!(Code::parse(s), Some(c));
        }
    }
}
