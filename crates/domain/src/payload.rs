//! Kind-specific payloads. Each kind's payload is parsed once, when the event is opened; a
//! payload that does not fit its kind still occupies its place in the author's chain and is
//! rejected by the fold with [`Code::MalformedPayload`] or [`Code::OverLimit`].

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::id::{decode_hex, DeviceKey, Hex32, MemberId};
use crate::reject::Code;

/// Longest community, member or household name, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// Shortest and longest invitation secret, in bytes.
pub const SECRET_BYTES: std::ops::RangeInclusive<usize> = 16..=64;

/// A member's role on the roster.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Signed the genesis; appoints the council.
    Admin,
    /// 议事会/两委 — council member.
    Council,
    /// 网格员/社工 — grid or social worker.
    Worker,
    /// 居民 — resident.
    Resident,
}

impl Role {
    /// May sign invitations, device changes and, later, council acts.
    pub fn is_council_or_admin(self) -> bool {
        matches!(self, Role::Admin | Role::Council)
    }
}

/// A parsed payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payload {
    /// `space.genesis`.
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
    /// `proposal.create` and the other council kinds (see [`crate::council`]).
    Council(crate::council::Act),
    /// A kind this version does not know.
    Unknown,
    /// A known kind whose payload does not fit it.
    Invalid(Code),
}

/// `space.genesis` — founds a community; the signer becomes its admin.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
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

/// `member.invite` — a one-use invitation: the hash of a secret the invitee will reveal.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
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
    #[serde(default)]
    pub expires: Option<i64>,
}

/// `member.invite_revoke` — withdraws an unused invitation.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteRevoke {
    /// The invitation's hash.
    pub invite: Hex32,
}

/// `member.join` — a new device reveals an invitation's secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Join {
    /// SHA-256 of the revealed secret: the invitation it redeems (hashed once, on receipt).
    pub invite: Hex32,
    /// The new member's display name.
    pub name: Arc<str>,
}

/// `member.device_add` — gives a member another device (a new phone).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceAdd {
    /// The member.
    pub member: MemberId,
    /// The new device's key.
    pub device: DeviceKey,
}

/// `member.device_revoke` — a lost or replaced device stops counting.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceRevoke {
    /// The device's key.
    pub device: DeviceKey,
}

/// `member.role` — the admin appoints or stands down council members and workers.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetRole {
    /// The member.
    pub member: MemberId,
    /// The new role (never `admin`).
    pub role: Role,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJoin {
    secret: String,
    name: String,
}

fn name_ok(s: &str) -> bool {
    s.chars().count() <= MAX_NAME_CHARS
}

impl Payload {
    /// Parses the payload of `kind` from its JSON text.
    pub fn parse(kind: &str, json: &str) -> Payload {
        fn de<T: for<'a> Deserialize<'a>>(json: &str) -> Result<T, Code> {
            serde_json::from_str(json).map_err(|_| Code::MalformedPayload)
        }
        let parsed = match kind {
            "space.genesis" => de::<Genesis>(json).and_then(|g| {
                if g.name.trim().is_empty() {
                    Err(Code::MalformedPayload)
                } else if [&g.name, &g.founder, &g.household]
                    .into_iter()
                    .all(|s| name_ok(s))
                {
                    Ok(Payload::Genesis(g))
                } else {
                    Err(Code::OverLimit)
                }
            }),
            "member.invite" => de::<Invite>(json).and_then(|i| {
                if i.role == Role::Admin {
                    Err(Code::MalformedPayload)
                } else if !name_ok(&i.household) {
                    Err(Code::OverLimit)
                } else {
                    Ok(Payload::Invite(i))
                }
            }),
            "member.invite_revoke" => de(json).map(Payload::InviteRevoke),
            "member.join" => de::<RawJoin>(json).and_then(|j| {
                let secret = decode_hex(&j.secret).map_err(|_| Code::MalformedPayload)?;
                if !SECRET_BYTES.contains(&secret.len()) || j.name.trim().is_empty() {
                    Err(Code::MalformedPayload)
                } else if !name_ok(&j.name) {
                    Err(Code::OverLimit)
                } else {
                    Ok(Payload::Join(Join {
                        invite: crate::envelope::sha256(&secret),
                        name: j.name.into(),
                    }))
                }
            }),
            "member.device_add" => de(json).map(Payload::DeviceAdd),
            "member.device_revoke" => de(json).map(Payload::DeviceRevoke),
            "member.role" => de::<SetRole>(json).and_then(|r| {
                if r.role == Role::Admin {
                    Err(Code::MalformedPayload)
                } else {
                    Ok(Payload::SetRole(r))
                }
            }),
            other => match crate::council::Act::parse(other, json) {
                Some(act) => act.map(Payload::Council),
                None => Ok(Payload::Unknown),
            },
        };
        parsed.unwrap_or_else(Payload::Invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                Payload::parse("space.genesis", json),
                Payload::Invalid(Code::MalformedPayload),
                "{json}"
            );
        }
        let long = format!(r#"{{"name":"{}"}}"#, "社".repeat(65));
        assert_eq!(
            Payload::parse("space.genesis", &long),
            Payload::Invalid(Code::OverLimit)
        );
        let ok = format!(r#"{{"name":"{}"}}"#, "社".repeat(64));
        assert!(matches!(
            Payload::parse("space.genesis", &ok),
            Payload::Genesis(_)
        ));
    }

    #[test]
    fn invitations_never_make_admins_and_secrets_are_sized() {
        let inv = format!(
            r#"{{"invite":"{}","role":"admin","household":"1-1"}}"#,
            "a".repeat(64)
        );
        assert_eq!(
            Payload::parse("member.invite", &inv),
            Payload::Invalid(Code::MalformedPayload)
        );
        let short = r#"{"secret":"00ff","name":"张三"}"#;
        assert_eq!(
            Payload::parse("member.join", short),
            Payload::Invalid(Code::MalformedPayload)
        );
        let ok = format!(r#"{{"secret":"{}","name":"张三"}}"#, "0f".repeat(32));
        assert!(matches!(
            Payload::parse("member.join", &ok),
            Payload::Join(_)
        ));
        assert_eq!(Payload::parse("future.kind", "{}"), Payload::Unknown);
    }
}
