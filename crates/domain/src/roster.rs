//! The roster (名册): who is a member, with which role and household, on which devices; and
//! the invitations that admit new members while the council is offline.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::envelope::Event;
use crate::id::{sorted, DeviceKey, Hex32, MemberId};
use crate::payload::{DeviceAdd, DeviceRevoke, Genesis, Invite, InviteRevoke, Join, Role, SetRole};
use crate::reject::Code;

/// A member of the community. Votes and points belong to the member, not the device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Member {
    /// The id of the event that admitted them (genesis or `member.join`).
    pub id: MemberId,
    /// Their role now.
    pub role: Role,
    /// Their household code (户), from the invitation.
    pub household: Arc<str>,
    /// Display name they chose when joining.
    pub name: Arc<str>,
    /// Every device ever admitted for them, active or revoked, sorted.
    pub devices: Vec<DeviceKey>,
}

/// A device key on the roster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Device {
    /// Whose device it is.
    pub member: MemberId,
    /// Revoked devices' later events stop counting.
    pub revoked: bool,
}

/// An invitation's life.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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

/// The roster part of the state. Hash maps for O(1) lookups in the fold; serialized in key
/// order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Roster {
    /// Members by id.
    #[serde(serialize_with = "sorted")]
    pub members: HashMap<MemberId, Member>,
    /// Devices by key.
    #[serde(serialize_with = "sorted")]
    pub devices: HashMap<DeviceKey, Device>,
    /// Invitations by the hash of their secret.
    #[serde(serialize_with = "sorted")]
    pub invites: HashMap<Hex32, InviteState>,
}

/// Who is acting: the member behind an active device, and their role at that point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The member.
    pub id: MemberId,
    /// Their role.
    pub role: Role,
}

impl Roster {
    /// The member an active device acts for, or why it does not count.
    pub fn actor(&self, device: &DeviceKey) -> Result<Actor, Code> {
        let d = self.devices.get(device).ok_or(Code::UnknownAuthor)?;
        if d.revoked {
            return Err(Code::RevokedDevice);
        }
        let m = self.members.get(&d.member).ok_or(Code::UnknownAuthor)?;
        Ok(Actor {
            id: m.id,
            role: m.role,
        })
    }

    /// The active devices of a member.
    pub fn active_devices<'a>(&'a self, member: &'a Member) -> impl Iterator<Item = &'a DeviceKey> {
        member
            .devices
            .iter()
            .filter(|d| self.devices.get(*d).is_some_and(|dev| !dev.revoked))
    }

    fn admit(
        &mut self,
        id: MemberId,
        device: DeviceKey,
        role: Role,
        household: Arc<str>,
        name: Arc<str>,
    ) {
        self.devices.insert(
            device,
            Device {
                member: id,
                revoked: false,
            },
        );
        self.members.insert(
            id,
            Member {
                id,
                role,
                household,
                name,
                devices: vec![device],
            },
        );
    }

    /// `space.genesis`: the founder becomes the admin.
    pub fn genesis(&mut self, event: &Event, g: &Genesis) {
        self.admit(
            event.id,
            event.author,
            Role::Admin,
            g.household.clone(),
            g.founder.clone(),
        );
    }

    /// `member.invite`: council and admin invite residents and workers; only the admin
    /// invites council members.
    pub fn invite(&mut self, by: &Actor, i: &Invite) -> Result<(), Code> {
        let allowed = match i.role {
            Role::Council => by.role == Role::Admin,
            _ => by.role.is_council_or_admin(),
        };
        if !allowed {
            return Err(Code::NotPermitted);
        }
        if self.invites.contains_key(&i.invite) {
            return Err(Code::InviteDuplicate);
        }
        self.invites.insert(
            i.invite,
            InviteState {
                role: i.role,
                household: i.household.clone(),
                by: by.id,
                used_by: None,
                revoked: false,
            },
        );
        Ok(())
    }

    /// `member.invite_revoke`: withdraw an unused invitation.
    pub fn invite_revoke(&mut self, by: &Actor, r: &InviteRevoke) -> Result<(), Code> {
        if !by.role.is_council_or_admin() {
            return Err(Code::NotPermitted);
        }
        let inv = self.invites.get_mut(&r.invite).ok_or(Code::InviteUnknown)?;
        usable(inv)?;
        inv.revoked = true;
        Ok(())
    }

    /// `member.join`: a new device reveals a secret; the member id is the join's id.
    pub fn join(&mut self, event: &Event, j: &Join) -> Result<(), Code> {
        if self.devices.contains_key(&event.author) {
            return Err(Code::DeviceTaken);
        }
        let inv = self.invites.get_mut(&j.invite).ok_or(Code::InviteUnknown)?;
        usable(inv)?;
        inv.used_by = Some(event.id);
        let (role, household) = (inv.role, inv.household.clone());
        self.admit(event.id, event.author, role, household, j.name.clone());
        Ok(())
    }

    /// `member.device_add`: council and admin give a member a new device.
    pub fn device_add(&mut self, by: &Actor, a: &DeviceAdd) -> Result<(), Code> {
        if !by.role.is_council_or_admin() {
            return Err(Code::NotPermitted);
        }
        if self.devices.contains_key(&a.device) {
            return Err(Code::DeviceTaken);
        }
        let member = self.members.get_mut(&a.member).ok_or(Code::UnknownMember)?;
        let at = member
            .devices
            .binary_search(&a.device)
            .unwrap_or_else(|i| i);
        member.devices.insert(at, a.device);
        self.devices.insert(
            a.device,
            Device {
                member: a.member,
                revoked: false,
            },
        );
        Ok(())
    }

    /// `member.device_revoke`: council and admin revoke a device; only the admin revokes an
    /// admin's device.
    pub fn device_revoke(&mut self, by: &Actor, r: &DeviceRevoke) -> Result<(), Code> {
        if !by.role.is_council_or_admin() {
            return Err(Code::NotPermitted);
        }
        let device = self.devices.get(&r.device).ok_or(Code::UnknownDevice)?;
        if device.revoked {
            return Err(Code::UnknownDevice);
        }
        let owner_is_admin = self
            .members
            .get(&device.member)
            .is_some_and(|m| m.role == Role::Admin);
        if owner_is_admin && by.role != Role::Admin {
            return Err(Code::NotPermitted);
        }
        if let Some(d) = self.devices.get_mut(&r.device) {
            d.revoked = true;
        }
        Ok(())
    }

    /// `member.role`: the admin appoints council members and workers (never another admin).
    pub fn set_role(&mut self, by: &Actor, s: &SetRole) -> Result<(), Code> {
        if by.role != Role::Admin {
            return Err(Code::NotPermitted);
        }
        let member = self.members.get_mut(&s.member).ok_or(Code::UnknownMember)?;
        if member.role == Role::Admin {
            return Err(Code::NotPermitted);
        }
        member.role = s.role;
        Ok(())
    }
}

fn usable(inv: &InviteState) -> Result<(), Code> {
    if inv.used_by.is_some() {
        Err(Code::InviteUsed)
    } else if inv.revoked {
        Err(Code::InviteRevoked)
    } else {
        Ok(())
    }
}
