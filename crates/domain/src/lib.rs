//! # linli-domain
//!
//! Linli's rulebook: the signed event log and the pure, deterministic fold that turns it into
//! state (`DESIGN.md` §3, `docs/protocol.md`). No I/O, no clock, no randomness: every phone,
//! the hub and any auditor compute the same state from the same events, in any arrival order.
//!
//! # Layout
//!
//! - [`audit`]: the audit report anyone can compute from a space's files.
//! - [`chain`]: a device writing its own chain (next seq, prev, lamport).
//! - [`council`]: resident councils — proposals, seconds, comments, ballots, tallies,
//!   follow-up, meetings.
//! - [`id`]: 32-byte ids as 64 lowercase hex digits (events, devices, members, spaces).
//! - [`envelope`]: the wire format — envelope, body, id, strict Ed25519, limits, signing.
//! - [`fastverify`]: handing the signature check to a faster engine without changing a verdict.
//! - [`payload`]: each kind's payload, parsed once.
//! - [`reject`]: the stable rejection codes.
//! - [`roster`]: members, roles, households, devices and invitations.
//! - [`fold`]: [`fold::State`] and how one event applies.
//! - [`space`]: a space's log, deduplicated and ordered, folded incrementally.
//! - [`table`]: dense tables keyed by 32-byte ids, and the fast id hasher.

pub mod audit;
pub mod chain;
pub mod council;
pub mod envelope;
pub mod fastverify;
pub mod fold;
pub mod id;
pub mod payload;
pub mod reject;
pub mod roster;
pub mod space;
pub mod table;

pub use chain::ChainWriter;
pub use envelope::{
    next_lamport, open, open_batch, DeviceSigner, Draft, Event, Opener, Position, Unopened,
    Unverified,
};
pub use fold::State;
pub use id::{DeviceKey, EventId, Hex32, MemberId, SpaceId};
pub use payload::{Payload, Role};
pub use reject::Code;
pub use space::{Outcome, Space};
