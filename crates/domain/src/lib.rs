//! # linli-domain
//!
//! Linli's rulebook: the signed event log and the pure, deterministic fold that turns it into
//! state (`DESIGN.md` §3, `docs/protocol.md`). No I/O, no clock, no randomness: every phone,
//! the hub and any auditor compute the same state from the same events, in any arrival order.
//!
//! # Layout
//!
//! From the bottom up — each module uses only those above it:
//!
//! - [`id`]: 32-byte ids as 64 lowercase hex digits, and SHA-256.
//! - [`table`]: dense tables keyed by 32-byte ids, and the fast id hasher.
//! - [`reject`]: the stable rejection codes.
//! - [`wire`]: parsing payloads with those codes; text limits.
//! - [`at`]: where an act takes place (its event's id, author, seq, time).
//! - [`roster`]: members, roles, households, devices and invitations — its kinds, state and
//!   rules.
//! - [`council`]: resident councils — proposals, seconds, comments, ballots, tallies,
//!   follow-up, meetings; what a member may do on each.
//! - [`points`]: points (积分制), the store, the red and black lists.
//! - [`volunteers`]: volunteer services (志愿服务) — profiles, activities, hours that become
//!   points entries — and the matcher.
//! - [`services`]: the everyday services — requests for help, polls, the public board and
//!   the funds ledger.
//! - [`checkpoint`]: checkpoints (检查点) the council signs — a frontier, its event count, the
//!   state's digest and the snapshot file.
//! - [`command`]: [`Command`], the typed acts of every area, parsed and written by the same
//!   types.
//! - [`envelope`]: the wire format — envelope, body, id, strict Ed25519, limits, signing.
//! - [`fastverify`]: handing the signature check to a faster engine without changing a
//!   verdict.
//! - [`chain`]: a device writing its own chain (next seq, prev, lamport).
//! - [`fold`]: [`fold::State`]: each command judged (read-only), then committed; the same
//!   judge answers the app before it signs.
//! - [`snapshot`]: the snapshot file — a checkpoint's state, read back exactly.
//! - [`space`]: a space's log, deduplicated and ordered, folded incrementally.
//! - [`audit`]: the audit report anyone can compute from a space's files.
//!
//! Each area (roster, council, points, volunteers, services) is a folder with its kinds
//! (`act`), its state and rules (one file per concept), what a member may do (`actions`) and
//! its audit sections (`report`); the fold only dispatches.

pub mod at;
pub mod audit;
pub mod chain;
pub mod checkpoint;
pub mod command;
pub mod council;
pub mod envelope;
pub mod fastverify;
pub mod fold;
pub mod id;
pub mod ledger;
pub mod points;
pub mod push;
pub mod reject;
pub mod roster;
pub mod services;
pub mod snapshot;
pub mod space;
pub mod table;
pub mod volunteers;
pub mod wire;

pub use chain::ChainWriter;
pub use command::{Command, Payload};
pub use envelope::{
    next_lamport, open, open_batch, DeviceSigner, Draft, Event, Opener, Position, Unopened,
    Unverified,
};
pub use fold::State;
pub use id::{DeviceKey, EventId, Hex32, MemberId, SpaceId};
pub use reject::Code;
pub use roster::Role;
pub use space::{Outcome, Space};
