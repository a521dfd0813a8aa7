//! Roles on the roster (`DESIGN.md` §3.2).

use serde::{Deserialize, Serialize};

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
    /// Every role, in the order lists show them.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Council, Role::Worker, Role::Resident];

    /// The admin and council members: they invite, manage devices, and run ballots.
    pub fn is_council_or_admin(self) -> bool {
        matches!(self, Role::Admin | Role::Council)
    }

    /// "Staff" in `DESIGN.md` §3.5: admin, council or worker — they organise meetings and
    /// report on decisions.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Resident)
    }

    /// The roles a member of this role may invite: council and admin invite residents and
    /// workers; only the admin invites council members; nobody invites an admin.
    pub fn may_invite(self, role: Role) -> bool {
        match role {
            Role::Admin => false,
            Role::Council => self == Role::Admin,
            Role::Worker | Role::Resident => self.is_council_or_admin(),
        }
    }
}
