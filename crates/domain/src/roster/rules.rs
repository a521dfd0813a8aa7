//! How each roster act is judged, and what it changes. [`Roster::judge`] only reads; the fold
//! commits what it returns, and the app asks the same question before it signs.

use std::sync::Arc;

use super::{Act, Actor, DeviceRow, InviteState, Member, Role, Roster};
use crate::at::At;
use crate::id::{DeviceKey, Hex32, MemberId};
use crate::reject::Code;

/// What a judged roster act changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    /// A new member on the acting device: the founder (genesis) or an invitee (join, which
    /// also uses up the invitation).
    Admit {
        role: Role,
        household: Arc<str>,
        name: Arc<str>,
        invite: Option<Hex32>,
    },
    /// A new invitation.
    Invite(Hex32, InviteState),
    /// An invitation withdrawn.
    InviteRevoke(Hex32),
    /// Another device for a member (by index).
    DeviceAdd { member: u32, device: DeviceKey },
    /// A device (by index) revoked.
    DeviceRevoke(u32),
    /// A member (by index) gets a role.
    SetRole { member: u32, role: Role },
}

impl Roster {
    /// Whether `act` may apply, signed at `at` by `by` (`None` for the two acts of a device
    /// that is not on the roster yet: the genesis and a join), and what it changes.
    pub(crate) fn judge(&self, by: Option<&Actor>, at: &At, act: &Act) -> Result<Change, Code> {
        let by = match (act, by) {
            (Act::Genesis(g), _) => {
                return Ok(Change::Admit {
                    role: Role::Admin,
                    household: g.household.clone(),
                    name: g.founder.clone(),
                    invite: None,
                })
            }
            (Act::Join(j), _) => {
                if self
                    .devices
                    .get(&at.author)
                    .is_some_and(|d| d.member.is_some())
                {
                    return Err(Code::DeviceTaken);
                }
                let inv = self.invites.get(&j.invite).ok_or(Code::InviteUnknown)?;
                usable(inv)?;
                return Ok(Change::Admit {
                    role: inv.role,
                    household: inv.household.clone(),
                    name: j.name.clone(),
                    invite: Some(j.invite),
                });
            }
            (_, Some(by)) => by,
            (_, None) => return Err(Code::UnknownAuthor),
        };
        match act {
            Act::Genesis(_) | Act::Join(_) => Err(Code::UnknownKind),
            Act::Invite(i) => {
                if !by.role.may_invite(i.role) {
                    return Err(Code::NotPermitted);
                }
                if self.invites.contains_key(&i.invite) {
                    return Err(Code::InviteDuplicate);
                }
                Ok(Change::Invite(
                    i.invite,
                    InviteState {
                        role: i.role,
                        household: i.household.clone(),
                        by: by.id,
                        used_by: None,
                        revoked: false,
                    },
                ))
            }
            Act::InviteRevoke(r) => {
                if !by.role.is_council_or_admin() {
                    return Err(Code::NotPermitted);
                }
                usable(self.invites.get(&r.invite).ok_or(Code::InviteUnknown)?)?;
                Ok(Change::InviteRevoke(r.invite))
            }
            Act::DeviceAdd(a) => {
                if !by.role.is_council_or_admin() {
                    return Err(Code::NotPermitted);
                }
                if self
                    .devices
                    .get(&a.device)
                    .is_some_and(|d| d.member.is_some())
                {
                    return Err(Code::DeviceTaken);
                }
                let member = self.members.find(&a.member).ok_or(Code::UnknownMember)?;
                Ok(Change::DeviceAdd {
                    member,
                    device: a.device,
                })
            }
            Act::DeviceRevoke(r) => {
                if !by.role.is_council_or_admin() {
                    return Err(Code::NotPermitted);
                }
                let dix = self.devices.find(&r.device).ok_or(Code::UnknownDevice)?;
                let row = self.devices.at(dix).1;
                let member = match row.member {
                    Some(m) if !row.revoked => m,
                    _ => return Err(Code::UnknownDevice),
                };
                // Only the admin revokes an admin's device.
                if self.members.at(member).1.role == Role::Admin && by.role != Role::Admin {
                    return Err(Code::NotPermitted);
                }
                Ok(Change::DeviceRevoke(dix))
            }
            Act::SetRole(s) => {
                if by.role != Role::Admin {
                    return Err(Code::NotPermitted);
                }
                let member = self.members.find(&s.member).ok_or(Code::UnknownMember)?;
                if self.members.at(member).1.role == Role::Admin {
                    return Err(Code::NotPermitted);
                }
                Ok(Change::SetRole {
                    member,
                    role: s.role,
                })
            }
        }
    }

    /// Applies a judged change made at `at`.
    pub(crate) fn commit(&mut self, at: &At, change: Change) {
        match change {
            Change::Admit {
                role,
                household,
                name,
                invite,
            } => {
                if let Some(inv) = invite.and_then(|i| self.invites.get_mut(&i)) {
                    inv.used_by = Some(at.id);
                }
                let device = self.device_ix(at.author);
                self.admit(at.id, device, role, household, name);
            }
            Change::Invite(hash, state) => {
                self.invites.insert(hash, state);
            }
            Change::InviteRevoke(hash) => {
                if let Some(inv) = self.invites.get_mut(&hash) {
                    inv.revoked = true;
                }
            }
            Change::DeviceAdd { member, device } => {
                let dix = self.device_ix(device);
                self.devices.at_mut(dix).member = Some(member);
                self.members.at_mut(member).more_devices.push(dix);
            }
            Change::DeviceRevoke(dix) => self.devices.at_mut(dix).revoked = true,
            Change::SetRole { member, role } => self.members.at_mut(member).role = role,
        }
    }

    /// Admits a new member on the device at `device`; `id` (an event id) is new.
    fn admit(
        &mut self,
        id: MemberId,
        device: u32,
        role: Role,
        household: Arc<str>,
        name: Arc<str>,
    ) {
        let member = Member {
            id,
            role,
            household,
            name,
            first_device: device,
            more_devices: Vec::new(),
        };
        if let Some(mix) = self.members.insert_new(id, member) {
            self.devices.at_mut(device).member = Some(mix);
        }
    }

    /// The index of a device key, adding it (unadmitted, no chain) if it is new.
    pub(crate) fn device_ix(&mut self, key: DeviceKey) -> u32 {
        self.devices.intern(key, || DeviceRow {
            member: None,
            revoked: false,
            chain: None,
        })
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
