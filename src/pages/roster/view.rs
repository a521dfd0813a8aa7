//! What the community flows read: the member list (masked names, never households) and the
//! roles this device's member may invite, as the domain answers them.

use linli_domain::roster::act::Invite;
use linli_domain::{roster, Command, DeviceKey, Role, Space};

/// One roster entry as shown: the display name masked (张*明), never a household.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MemberRow {
    /// Member id (hex).
    pub id: String,
    /// Masked display name.
    pub name: String,
    /// Role now.
    pub role: Role,
    /// Active devices.
    pub devices: usize,
    /// Whether it is this device's member.
    pub me: bool,
}

/// The roster, sorted by role then name.
pub fn members(space: &Space, me: &DeviceKey) -> Vec<MemberRow> {
    let roster = &space.state().roster;
    let mine = roster.actor(me).ok().map(|a| a.id);
    let mut rows: Vec<MemberRow> = roster
        .members()
        .map(|m| MemberRow {
            id: m.id.to_hex(),
            name: m.masked_name(),
            role: m.role,
            devices: roster.active_devices(m).len(),
            me: Some(m.id) == mine,
        })
        .collect();
    rows.sort_by(|a, b| (a.role, &a.name, &a.id).cmp(&(b.role, &b.name, &b.id)));
    rows
}

/// The roles `me`'s member may invite now: each the judge's verdict on an invitation.
pub fn invite_roles(space: &Space, me: &DeviceKey) -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|&role| {
            // A secret nobody holds: only the role decides.
            let invite = Invite::new(&[0; 32], role, "·");
            space
                .allows(me, &Command::Roster(roster::Act::Invite(invite)))
                .is_ok()
        })
        .collect()
}
