//! The roster's kinds and their payloads, as they travel (`DESIGN.md` §3.3,
//! `docs/protocol.md` §4).

use std::sync::Arc;

use serde::{Deserialize, Serialize, Serializer};

use super::Role;
use crate::id::{decode_hex, encode_hex, sha256, DeviceKey, Hex32, MemberId};
use crate::reject::Code;
use crate::wire::{self, optional_text, text, FieldError, Wire};

/// Longest community, member or household name, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// Shortest and longest invitation secret, in bytes.
pub const SECRET_BYTES: std::ops::RangeInclusive<usize> = 16..=64;

/// A roster act: the payload of one of the roster's kinds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Act {
    /// `space.genesis` — founds a community; the signer becomes its admin.
    Genesis(Genesis),
    /// `member.invite`.
    Invite(Invite),
    /// `member.invite_revoke`.
    InviteRevoke(InviteRevoke),
    /// `member.join`.
    Join(Join),
    /// `member.device_add`.
    DeviceAdd(DeviceAdd),
    /// `member.device_revoke`.
    DeviceRevoke(DeviceRevoke),
    /// `member.role`.
    SetRole(SetRole),
}

impl Act {
    /// Every kind of the roster.
    pub const KINDS: [&'static str; 7] = [
        "space.genesis",
        "member.invite",
        "member.invite_revoke",
        "member.join",
        "member.device_add",
        "member.device_revoke",
        "member.role",
    ];

    /// The event kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Act::Genesis(_) => "space.genesis",
            Act::Invite(_) => "member.invite",
            Act::InviteRevoke(_) => "member.invite_revoke",
            Act::Join(_) => "member.join",
            Act::DeviceAdd(_) => "member.device_add",
            Act::DeviceRevoke(_) => "member.device_revoke",
            Act::SetRole(_) => "member.role",
        }
    }

    /// Parses a roster kind's payload; `None` when `kind` is not one.
    pub fn parse(kind: &str, json: &str) -> Option<Result<Act, Code>> {
        Some(match kind {
            "space.genesis" => wire::parse(json).map(Act::Genesis),
            "member.invite" => wire::parse(json).map(Act::Invite),
            "member.invite_revoke" => wire::parse(json).map(Act::InviteRevoke),
            "member.join" => wire::parse(json).map(Act::Join),
            "member.device_add" => wire::parse(json).map(Act::DeviceAdd),
            "member.device_revoke" => wire::parse(json).map(Act::DeviceRevoke),
            "member.role" => wire::parse(json).map(Act::SetRole),
            _ => return None,
        })
    }

    /// The checks of [`Wire::validate`] for whichever payload this is.
    pub fn validate(&self) -> Result<(), Code> {
        match self {
            Act::InviteRevoke(x) => x.validate(),
            Act::DeviceAdd(x) => x.validate(),
            Act::DeviceRevoke(x) => x.validate(),
            Act::SetRole(x) => x.validate(),
            _ => self.check().map_err(|e| e.code),
        }
    }

    /// The field at fault in a payload a form fills (the others pass).
    pub fn check(&self) -> Result<(), FieldError> {
        match self {
            Act::Genesis(x) => x.check(),
            Act::Invite(x) => x.check(),
            Act::Join(x) => x.check(),
            Act::InviteRevoke(_) | Act::DeviceAdd(_) | Act::DeviceRevoke(_) | Act::SetRole(_) => {
                Ok(())
            }
        }
    }
}

/// `space.genesis`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genesis {
    /// The community's name (社区名称).
    pub name: Arc<str>,
    /// The founder's display name.
    #[serde(default)]
    pub founder: Arc<str>,
    /// The founder's household, if any.
    #[serde(default)]
    pub household: Arc<str>,
}

impl Wire for Genesis {
    fn check(&self) -> Result<(), FieldError> {
        text("name", &self.name, MAX_NAME_CHARS)?;
        optional_text("founder", &self.founder, MAX_NAME_CHARS)?;
        optional_text("household", &self.household, MAX_NAME_CHARS)
    }
}

/// `member.invite` — a one-use invitation: the hash of a secret the invitee will reveal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Invite {
    /// Lowercase hex SHA-256 of the secret's bytes.
    pub invite: Hex32,
    /// The role the new member gets (never `admin`).
    pub role: Role,
    /// The household (户) the member belongs to, e.g. "3-2-401" — never shown publicly.
    pub household: Arc<str>,
    /// Advisory expiry (ms since the epoch) for the joining app; not a fold rule, since
    /// rules never read clocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<i64>,
}

impl Invite {
    /// The invitation for a secret the inviter keeps (and puts in the link).
    pub fn new(secret: &[u8], role: Role, household: &str) -> Invite {
        Invite {
            invite: sha256(secret),
            role,
            household: household.trim().into(),
            expires: None,
        }
    }
}

impl Wire for Invite {
    fn check(&self) -> Result<(), FieldError> {
        match self.role {
            Role::Admin => Err(FieldError::malformed("role")),
            // A resident votes and earns points as part of a household (户).
            Role::Resident => text("household", &self.household, MAX_NAME_CHARS),
            Role::Council | Role::Worker => {
                optional_text("household", &self.household, MAX_NAME_CHARS)
            }
        }
    }
}

/// `member.invite_revoke` — withdraws an unused invitation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteRevoke {
    /// The invitation's hash.
    pub invite: Hex32,
}

impl Wire for InviteRevoke {}

/// `member.join` — a new device reveals an invitation's secret: `{"secret": hex, "name"}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawJoin")]
pub struct Join {
    /// The revealed secret.
    pub secret: Arc<[u8]>,
    /// Its SHA-256: the invitation it redeems (hashed once, on receipt).
    pub invite: Hex32,
    /// The new member's display name.
    pub name: Arc<str>,
}

impl Join {
    /// Joins with the secret of an invitation link.
    pub fn new(secret: &[u8], name: &str) -> Join {
        Join {
            secret: secret.into(),
            invite: sha256(secret),
            name: name.trim().into(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJoin {
    secret: String,
    name: Arc<str>,
}

impl TryFrom<RawJoin> for Join {
    type Error = &'static str;
    fn try_from(raw: RawJoin) -> Result<Join, &'static str> {
        let secret = decode_hex(&raw.secret).map_err(|_| "secret is not hex")?;
        Ok(Join {
            invite: sha256(&secret),
            secret: secret.into(),
            name: raw.name,
        })
    }
}

impl Serialize for Join {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("secret", &encode_hex(&self.secret))?;
        m.serialize_entry("name", &self.name)?;
        m.end()
    }
}

impl Wire for Join {
    fn check(&self) -> Result<(), FieldError> {
        if !SECRET_BYTES.contains(&self.secret.len()) {
            return Err(FieldError::malformed("secret"));
        }
        text("name", &self.name, MAX_NAME_CHARS)
    }
}

/// `member.device_add` — gives a member another device (a new phone).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceAdd {
    /// The member.
    pub member: MemberId,
    /// The new device's key.
    pub device: DeviceKey,
}

impl Wire for DeviceAdd {}

/// `member.device_revoke` — a lost or replaced device stops counting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceRevoke {
    /// The device's key.
    pub device: DeviceKey,
}

impl Wire for DeviceRevoke {}

/// `member.role` — the admin appoints or stands down council members and workers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetRole {
    /// The member.
    pub member: MemberId,
    /// The new role (never `admin`).
    pub role: Role,
}

impl Wire for SetRole {
    fn validate(&self) -> Result<(), Code> {
        if self.role == Role::Admin {
            Err(Code::MalformedPayload)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(kind: &str, json: &str) -> Result<Act, Code> {
        Act::parse(kind, json).expect("a roster kind")
    }

    #[test]
    fn duplicate_unknown_and_missing_fields_are_malformed() {
        let bad = [
            r#"{"name":"a","name":"b"}"#,
            r#"{"name":"a","extra":1}"#,
            r#"{"founder":"a"}"#,
            r#"{"name":"   "}"#,
        ];
        for json in bad {
            assert_eq!(
                parse("space.genesis", json),
                Err(Code::MalformedPayload),
                "{json}"
            );
        }
        let long = format!(r#"{{"name":"{}"}}"#, "社".repeat(65));
        assert_eq!(parse("space.genesis", &long), Err(Code::OverLimit));
        let ok = format!(r#"{{"name":"{}"}}"#, "社".repeat(64));
        assert!(matches!(parse("space.genesis", &ok), Ok(Act::Genesis(_))));
    }

    #[test]
    fn invitations_never_make_admins_and_secrets_are_sized() {
        let inv = format!(
            r#"{{"invite":"{}","role":"admin","household":"1-1"}}"#,
            "a".repeat(64)
        );
        assert_eq!(parse("member.invite", &inv), Err(Code::MalformedPayload));
        let short = r#"{"secret":"00ff","name":"张三"}"#;
        assert_eq!(parse("member.join", short), Err(Code::MalformedPayload));
        let no_household = format!(
            r#"{{"invite":"{}","role":"resident","household":" "}}"#,
            "a".repeat(64)
        );
        assert_eq!(
            parse("member.invite", &no_household),
            Err(Code::MalformedPayload)
        );
        let worker = format!(
            r#"{{"invite":"{}","role":"worker","household":""}}"#,
            "a".repeat(64)
        );
        assert!(parse("member.invite", &worker).is_ok());
        let not_hex = r#"{"secret":"zz","name":"张三"}"#;
        assert_eq!(parse("member.join", not_hex), Err(Code::MalformedPayload));
        let ok = format!(r#"{{"secret":"{}","name":"张三"}}"#, "0f".repeat(32));
        assert!(matches!(parse("member.join", &ok), Ok(Act::Join(_))));
        assert!(Act::parse("future.kind", "{}").is_none());
    }

    #[test]
    fn what_is_written_parses_back_to_the_same_act() {
        let acts = [
            Act::Genesis(Genesis {
                name: "幸福里社区".into(),
                founder: "王主任".into(),
                household: "".into(),
            }),
            Act::Invite(Invite::new(&[7; 32], Role::Worker, " 3-2-401 ")),
            Act::Join(Join::new(&[9; 24], " 李四 ")),
            Act::SetRole(SetRole {
                member: Hex32([1; 32]),
                role: Role::Council,
            }),
        ];
        for act in acts {
            let json = serde_json::to_string(&act).expect("json");
            assert_eq!(parse(act.kind(), &json), Ok(act.clone()), "{json}");
        }
    }
}
