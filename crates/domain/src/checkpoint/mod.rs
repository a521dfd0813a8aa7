//! Checkpoints (检查点): council members sign the state of the space at a frontier, so a new
//! phone can start from a snapshot of that state instead of every event since the genesis
//! (`docs/protocol.md`, "Checkpoints and snapshots").
//!
//! The fold judges each `space.checkpoint` event like any other (who may sign, whether its
//! frontier is plausible there) and records the signatures it accepts. Whether a checkpoint
//! *counts* — enough distinct council members signed it — is decided by [`crate::Space`] from
//! the roster at the checkpoint's own frontier, because a counted checkpoint changes the
//! order of the fold (it is a barrier); the fold only records, at the barrier, that it was
//! counted.
//!
//! - [`act`]: the kind and its payload.

pub mod act;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use act::{
    Act, Checkpoint, Frontier, FrontierPart, SnapshotRef, MAX_ALL_PARTS, MAX_CHECKPOINT_FRONTIER,
    MAX_PARTS,
};

use crate::at::At;
use crate::id::{DeviceKey, EventId, Hex32, MemberId};
use crate::reject::Code;
use crate::roster::{Actor, Roster};

/// How many distinct council members must sign a checkpoint for it to count, before the cap
/// by the council's size.
pub const DEFAULT_SIGNERS: usize = 2;

/// One signature of a checkpoint.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Signer {
    /// The member behind the device.
    pub member: MemberId,
    /// The signing device.
    pub device: DeviceKey,
    /// The `space.checkpoint` event.
    pub event: EventId,
}

/// A checkpoint the fold accepted signatures for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signed {
    /// The payload.
    pub checkpoint: Checkpoint,
    /// Per member, the first accepted signature.
    pub signers: BTreeMap<MemberId, Signer>,
}

/// A counted checkpoint: a barrier of the order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counted {
    /// [`Checkpoint::key`].
    pub key: Hex32,
    /// The payload.
    pub checkpoint: Checkpoint,
    /// The whole frontier: the payload's entries and its parts'. Kept for the latest counted
    /// checkpoint only (an older one's is covered by it): empty for the others in a state.
    pub frontier: Frontier,
    /// The signatures that made it count (distinct members, council at the frontier), in
    /// the total order.
    pub signers: Vec<Signer>,
}

/// The checkpoint part of the state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoints {
    /// Accepted signatures, by checkpoint key.
    signed: BTreeMap<Hex32, Signed>,
    /// Counted checkpoints, in the order the fold passed them.
    counted: Vec<Counted>,
}

/// What a judged checkpoint act changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    /// A signature of a checkpoint.
    Sign {
        key: Hex32,
        checkpoint: Box<Checkpoint>,
        signer: Signer,
    },
    /// A frontier part: nothing to record (a space finds parts among its events).
    Part,
}

impl Checkpoints {
    /// Whether nothing was signed or counted (the canonical state then leaves this part out,
    /// so spaces without checkpoints keep their state check codes).
    pub fn is_empty(&self) -> bool {
        self.signed.is_empty() && self.counted.is_empty()
    }

    /// Checkpoints with accepted signatures, by key.
    pub fn signed(&self) -> &BTreeMap<Hex32, Signed> {
        &self.signed
    }

    /// Counted checkpoints the fold has passed, oldest first.
    pub fn counted(&self) -> &[Counted] {
        &self.counted
    }

    /// The latest counted checkpoint passed.
    pub fn last_counted(&self) -> Option<&Counted> {
        self.counted.last()
    }

    /// Whether `act` by `by` may apply at `at`: a council member (or the admin) signs; the
    /// frontier names only events of chains already folded here, not this event itself
    /// (`checkpoint_ahead`), and covers the latest counted checkpoint (`checkpoint_behind`);
    /// a member signs a checkpoint once (`duplicate`).
    pub(crate) fn judge(
        &self,
        roster: &Roster,
        by: &Actor,
        at: &At,
        act: &Act,
    ) -> Result<Change, Code> {
        if !by.role.is_council_or_admin() {
            return Err(Code::NotPermitted);
        }
        let c = match act {
            Act::Checkpoint(c) => c,
            Act::Part(_) => return Ok(Change::Part),
        };
        if c.frontier.covers_event(&at.author, at.seq) {
            return Err(Code::CheckpointAhead);
        }
        for (device, &seq) in &c.frontier.0 {
            // The author's own entry is below `at.seq` (checked above), so below its head
            // whether this event is folded already or about to be signed.
            if roster.chain(device).map_or(0, |h| h.seq) < seq {
                return Err(Code::CheckpointAhead);
            }
        }
        // With parts, the fold sees only the entries the event carries: whether the whole
        // frontier covers the latest counted one is the counting's to check.
        if let Some(last) = self.counted.last() {
            if c.parts.is_empty() && !c.frontier.covers(&last.frontier) {
                return Err(Code::CheckpointBehind);
            }
        }
        let key = c.key();
        if self
            .signed
            .get(&key)
            .is_some_and(|s| s.signers.contains_key(&by.id))
        {
            return Err(Code::Duplicate);
        }
        Ok(Change::Sign {
            key,
            checkpoint: Box::new(c.clone()),
            signer: Signer {
                member: by.id,
                device: at.author,
                event: at.id,
            },
        })
    }

    /// Records an accepted signature.
    pub(crate) fn commit(&mut self, change: Change) {
        let Change::Sign {
            key,
            checkpoint,
            signer,
        } = change
        else {
            return;
        };
        self.signed
            .entry(key)
            .or_insert_with(|| Signed {
                checkpoint: *checkpoint,
                signers: BTreeMap::new(),
            })
            .signers
            .insert(signer.member, signer);
    }

    /// The fold passed a counted checkpoint's barrier.
    pub(crate) fn count(&mut self, counted: Counted) {
        if let Some(last) = self.counted.last_mut() {
            last.frontier = Frontier::default();
        }
        self.counted.push(counted);
    }
}

/// How many distinct council members must sign for a checkpoint to count, given how many
/// admin and council members the roster at its frontier has: [`DEFAULT_SIGNERS`], at most
/// that many, at least one.
pub fn signers_needed(council_size: usize) -> usize {
    DEFAULT_SIGNERS.min(council_size).max(1)
}

/// How many admin and council members `roster` has.
pub fn council_size(roster: &Roster) -> usize {
    roster
        .members()
        .filter(|m| m.role.is_council_or_admin())
        .count()
}
