//! Where an act takes place: what every rule may know about the event carrying it, besides
//! its payload and its author's member.

use crate::id::{DeviceKey, EventId};

/// The event an act arrives in, or — when the app asks whether a command would be allowed —
/// the event it would become.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct At {
    /// The event id: the id of whatever the act creates (a proposal, a comment, a member).
    /// Zero for a command not signed yet.
    pub id: EventId,
    /// The signing device.
    pub author: DeviceKey,
    /// Its seq in the author's chain (a ballot's frontier counts votes by it).
    pub seq: u64,
    /// The advisory wall clock: recorded for display, never read by a rule.
    pub ts: i64,
}
