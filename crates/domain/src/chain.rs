//! Writing a device's own chain: the next `seq`, `prev` and `lamport` for each event it signs.

use crate::command::Command;
use crate::envelope::{next_lamport, DeviceSigner, Draft, Event};
use crate::id::{DeviceKey, EventId, SpaceId};

/// A device's signer and the head of its chain.
pub struct ChainWriter {
    signer: DeviceSigner,
    space: Option<SpaceId>,
    seq: u64,
    prev: Option<EventId>,
    lamport: u64,
}

impl ChainWriter {
    /// A device that has signed nothing yet in `space` (`None` to sign a genesis first).
    pub fn new(seed: &[u8; 32], space: Option<SpaceId>) -> ChainWriter {
        ChainWriter {
            signer: DeviceSigner::from_seed(seed),
            space,
            seq: 0,
            prev: None,
            lamport: 0,
        }
    }

    /// Resumes a device's chain from its last event.
    pub fn resume(seed: &[u8; 32], space: SpaceId, last: &Event) -> ChainWriter {
        ChainWriter {
            signer: DeviceSigner::from_seed(seed),
            space: Some(space),
            seq: last.seq,
            prev: Some(last.id),
            lamport: last.lamport,
        }
    }

    /// The device key.
    pub fn device(&self) -> DeviceKey {
        self.signer.device()
    }

    /// Signs the next event after having seen events up to lamport `max_seen`. A genesis
    /// sets the space for every later event.
    pub fn sign(
        &mut self,
        kind: &str,
        payload: &serde_json::Value,
        ts: i64,
        max_seen: u64,
    ) -> Event {
        let draft = Draft {
            space: self.space,
            seq: self.seq + 1,
            prev: self.prev,
            lamport: next_lamport(self.lamport, max_seen),
            ts,
            kind,
            payload,
        };
        let event = self.signer.sign(&draft);
        self.seq = event.seq;
        self.prev = Some(event.id);
        self.lamport = event.lamport;
        if self.space.is_none() {
            self.space = Some(event.id);
        }
        event
    }

    /// Signs a typed command (not checked: tests and the demo sign what they like; the app
    /// asks [`crate::Space::check`] first).
    pub fn sign_command(&mut self, command: &Command, ts: i64, max_seen: u64) -> Event {
        self.sign(command.kind(), &command.payload(), ts, max_seen)
    }

    /// The underlying signer (for deliberately odd events in tests).
    pub fn signer(&self) -> &DeviceSigner {
        &self.signer
    }
}
