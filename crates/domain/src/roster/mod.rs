//! The roster (名册): who is a member, with which role and household, on which devices; and
//! the invitations that admit new members while the council is offline.
//!
//! Devices and members live in dense [`Table`]s: the fold looks the author's key up once per
//! event and reaches its chain head, its member and that member's role by index.
//!
//! - [`act`]: the roster's kinds and payloads.
//! - [`role`]: [`Role`] and what each role may do on the roster.
//! - `rules`: how each act is judged and what it changes.

pub mod act;
mod role;
mod rules;

pub use act::Act;
pub use role::Role;
pub(crate) use rules::Change;

use std::sync::Arc;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use crate::id::{DeviceKey, EventId, Hex32, MemberId};
use crate::reject::Code;
use crate::table::{IdMap, RowSeq, SortedIds, Table};

/// The last event of a device's chain that passed the chain checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHead {
    /// Its seq.
    pub seq: u64,
    /// Its id (the next event's `prev`).
    pub id: EventId,
    /// Its lamport (the next event's must be greater).
    pub lamport: u64,
}

/// A member of the community. Votes and points belong to the member, not the device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The id of the event that admitted them (genesis or `member.join`).
    pub id: MemberId,
    /// Their role now.
    pub role: Role,
    /// Their household code (户), from the invitation.
    pub household: Arc<str>,
    /// Display name they chose when joining.
    pub name: Arc<str>,
    /// The device they joined with (an index into the device table).
    first_device: u32,
    /// Devices added later (most members have none: no allocation).
    more_devices: Vec<u32>,
}

/// A device key that signed something or was admitted: its chain and, once admitted, whose it
/// is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct DeviceRow {
    /// The member it acts for (an index into the member table), once admitted.
    member: Option<u32>,
    /// Revoked devices' later events stop counting.
    revoked: bool,
    /// The head of its chain, once it signed an event that passed the chain checks.
    chain: Option<ChainHead>,
}

/// An admitted device, as callers see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Device {
    /// Whose device it is.
    pub member: MemberId,
    /// Revoked devices' later events stop counting.
    pub revoked: bool,
}

/// An invitation's life.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteState {
    /// The role it grants.
    pub role: Role,
    /// The household it admits to.
    pub household: Arc<str>,
    /// The member who issued it.
    pub by: MemberId,
    /// The member it admitted, once used.
    pub used_by: Option<MemberId>,
    /// Withdrawn before use.
    pub revoked: bool,
}

/// The roster part of the state, plus every device's chain head. Serialized in key order;
/// read back from a snapshot ([`Roster::dump`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roster {
    members: Table<Member>,
    devices: Table<DeviceRow>,
    invites: IdMap<InviteState>,
}

/// Who is acting: the member behind an active device, and their role at that point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The member.
    pub id: MemberId,
    /// Their role.
    pub role: Role,
}

impl Member {
    /// The name as public lists show it (`DESIGN.md` §3.2): first and last character kept,
    /// the rest starred (张*明, 王*, 欧**娜) — never the full name.
    pub fn masked_name(&self) -> String {
        mask_name(&self.name)
    }
}

/// Masks a display name for public lists: first and last character kept (张*明, 王*).
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.len() {
        0 => String::new(),
        1 | 2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

impl Roster {
    /// A member by id.
    pub fn member(&self, id: &MemberId) -> Option<&Member> {
        self.members.get(id)
    }

    /// Every member, in the order they joined.
    pub fn members(&self) -> impl Iterator<Item = &Member> {
        self.members.iter().map(|(_, m)| m)
    }

    /// How many members.
    pub fn member_count(&self) -> usize {
        self.members.len()
    }

    /// An admitted device by key.
    pub fn device(&self, key: &DeviceKey) -> Option<Device> {
        let row = self.devices.get(key)?;
        let member = row.member?;
        Some(Device {
            member: self.members.at(member).0,
            revoked: row.revoked,
        })
    }

    /// Every device ever admitted for a member, active or revoked, sorted.
    pub fn devices_of(&self, member: &Member) -> Vec<DeviceKey> {
        let mut keys: Vec<DeviceKey> = std::iter::once(&member.first_device)
            .chain(&member.more_devices)
            .map(|&ix| self.devices.at(ix).0)
            .collect();
        keys.sort_unstable();
        keys
    }

    /// The active devices of a member, sorted.
    pub fn active_devices(&self, member: &Member) -> Vec<DeviceKey> {
        let mut keys = self.devices_of(member);
        keys.retain(|k| self.devices.get(k).is_some_and(|d| !d.revoked));
        keys
    }

    /// An invitation by the hash of its secret.
    pub fn invite_state(&self, invite: &Hex32) -> Option<&InviteState> {
        self.invites.get(invite)
    }

    /// Invitations neither used nor revoked, by the hash of their secret (in no particular
    /// order).
    pub fn open_invites(&self) -> impl Iterator<Item = (&Hex32, &InviteState)> {
        self.invites
            .iter()
            .filter(|(_, i)| i.used_by.is_none() && !i.revoked)
    }

    /// The head of a device's chain.
    pub fn chain(&self, device: &DeviceKey) -> Option<ChainHead> {
        self.devices.get(device).and_then(|d| d.chain)
    }

    /// Every device's chain head, in no particular order.
    pub fn chains(&self) -> impl Iterator<Item = (DeviceKey, ChainHead)> + '_ {
        self.devices
            .iter()
            .filter_map(|(key, row)| row.chain.map(|h| (*key, h)))
    }

    /// The chain head of the device at `ix`.
    pub(crate) fn chain_at(&self, ix: u32) -> Option<ChainHead> {
        self.devices.at(ix).1.chain
    }

    /// Moves the chain head of the device at `ix`.
    pub(crate) fn set_chain_at(&mut self, ix: u32, head: ChainHead) {
        self.devices.at_mut(ix).chain = Some(head);
    }

    /// The member an active device acts for, or why it does not count.
    pub fn actor(&self, device: &DeviceKey) -> Result<Actor, Code> {
        self.devices
            .find(device)
            .ok_or(Code::UnknownAuthor)
            .and_then(|ix| self.actor_at(ix))
    }

    /// [`Roster::actor`] by device index.
    pub(crate) fn actor_at(&self, ix: u32) -> Result<Actor, Code> {
        let d = &self.devices.at(ix).1;
        let member = d.member.ok_or(Code::UnknownAuthor)?;
        if d.revoked {
            return Err(Code::RevokedDevice);
        }
        let m = &self.members.at(member).1;
        Ok(Actor {
            id: m.id,
            role: m.role,
        })
    }

    /// The roster as a snapshot writes it: tables as rows in fold order, maps in key order
    /// (read back by its `Deserialize`).
    pub(crate) fn dump(&self) -> impl Serialize + '_ {
        #[derive(Serialize)]
        struct Out<'a> {
            members: RowSeq<'a, Member>,
            devices: RowSeq<'a, DeviceRow>,
            invites: SortedIds<'a, InviteState>,
        }
        Out {
            members: RowSeq(&self.members),
            devices: RowSeq(&self.devices),
            invites: SortedIds(&self.invites),
        }
    }

    /// Chain heads of every device that has one, sorted by key (for the state's JSON).
    pub(crate) fn serialize_chains<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let rows = self.devices.sorted();
        let mut map = s.serialize_map(None)?;
        for (key, row) in rows {
            if let Some(head) = &row.chain {
                map.serialize_entry(key, head)?;
            }
        }
        map.end()
    }
}

/// `{"members": {id: member}, "devices": {key: device}, "invites": {hash: invite}}`, every map
/// in key order; a member lists all their devices, sorted.
impl Serialize for Roster {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Members<'a>(&'a Roster);
        impl Serialize for Members<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                #[derive(Serialize)]
                struct Out<'a> {
                    id: &'a MemberId,
                    role: Role,
                    household: &'a str,
                    name: &'a str,
                    devices: Vec<DeviceKey>,
                }
                let mut map = s.serialize_map(Some(self.0.members.len()))?;
                for (id, m) in self.0.members.sorted() {
                    let out = Out {
                        id: &m.id,
                        role: m.role,
                        household: &m.household,
                        name: &m.name,
                        devices: self.0.devices_of(m),
                    };
                    map.serialize_entry(id, &out)?;
                }
                map.end()
            }
        }
        struct Devices<'a>(&'a Roster);
        impl Serialize for Devices<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(None)?;
                for (key, _) in self.0.devices.sorted() {
                    if let Some(d) = self.0.device(key) {
                        map.serialize_entry(key, &d)?;
                    }
                }
                map.end()
            }
        }
        let mut out = s.serialize_map(Some(3))?;
        out.serialize_entry("members", &Members(self))?;
        out.serialize_entry("devices", &Devices(self))?;
        let invites: std::collections::BTreeMap<_, _> = self.invites.iter().collect();
        out.serialize_entry("invites", &invites)?;
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::mask_name;

    #[test]
    fn names_are_masked() {
        assert_eq!(mask_name("张三明"), "张*明");
        assert_eq!(mask_name("王五"), "王*");
        assert_eq!(mask_name("欧阳娜娜"), "欧**娜");
        assert_eq!(mask_name("A"), "A*");
        assert_eq!(mask_name("  "), "");
    }
}
