//! A small community for tests: an admin, devices that sign in turn, and a shared log.
#![allow(dead_code)]

use linli_domain::envelope::sha256;
use linli_domain::{ChainWriter, Event, EventId, Space, SpaceId};
use serde_json::{json, Value};

/// Deterministic seeds: device `n` always has the same key.
pub fn seed(n: u32) -> [u8; 32] {
    let mut s = [7u8; 32];
    s[..4].copy_from_slice(&n.to_le_bytes());
    s
}

/// The invitation secret for a number.
pub fn secret(n: u32) -> Vec<u8> {
    let mut s = vec![0x5a; 32];
    s[..4].copy_from_slice(&n.to_le_bytes());
    s
}

pub fn hex(bytes: &[u8]) -> String {
    linli_domain::id::encode_hex(bytes)
}

/// A community under construction: every event is appended to `log` as it is signed.
pub struct Town {
    pub admin: ChainWriter,
    pub space: SpaceId,
    pub log: Vec<Event>,
    pub max_seen: u64,
    pub next_ts: i64,
}

impl Town {
    pub fn new() -> Town {
        let mut admin = ChainWriter::new(&seed(0), None);
        let genesis = admin.sign(
            "space.genesis",
            &json!({"name": "幸福里社区", "founder": "王主任", "household": "A-000"}),
            1_700_000_000_000,
            0,
        );
        let space = genesis.id;
        Town {
            admin,
            space,
            max_seen: genesis.lamport,
            log: vec![genesis],
            next_ts: 1_700_000_000_001,
        }
    }

    /// A device of this town that has signed nothing yet.
    pub fn device(&self, n: u32) -> ChainWriter {
        ChainWriter::new(&seed(n), Some(self.space))
    }

    /// `who` signs an event, which joins the log.
    pub fn act(&mut self, who: &mut ChainWriter, kind: &str, payload: Value) -> Event {
        self.next_ts += 1000;
        let e = who.sign(kind, &payload, self.next_ts, self.max_seen);
        self.max_seen = self.max_seen.max(e.lamport);
        self.log.push(e.clone());
        e
    }

    /// `who` signs a typed command, which joins the log.
    pub fn command(&mut self, who: &mut ChainWriter, command: &linli_domain::Command) -> Event {
        self.act(who, command.kind(), command.payload())
    }

    /// The admin signs.
    pub fn admin_act(&mut self, kind: &str, payload: Value) -> Event {
        let mut admin = std::mem::replace(&mut self.admin, ChainWriter::new(&[0; 32], None));
        let e = self.act(&mut admin, kind, payload);
        self.admin = admin;
        e
    }

    /// `by` invites secret `n` with a role and household.
    pub fn invite(
        &mut self,
        by: Option<&mut ChainWriter>,
        n: u32,
        role: &str,
        household: &str,
    ) -> Event {
        let payload =
            json!({"invite": sha256(&secret(n)).to_hex(), "role": role, "household": household});
        match by {
            Some(w) => self.act(w, "member.invite", payload),
            None => self.admin_act("member.invite", payload),
        }
    }

    /// Device `n` joins with secret `n`; returns the device and the member id.
    pub fn join(&mut self, n: u32, name: &str) -> (ChainWriter, EventId) {
        let mut d = self.device(n);
        let e = self.act(
            &mut d,
            "member.join",
            json!({"secret": hex(&secret(n)), "name": name}),
        );
        (d, e.id)
    }

    /// Invited by the admin and joined.
    pub fn member(&mut self, n: u32, role: &str) -> (ChainWriter, EventId) {
        self.invite(None, n, role, &format!("H-{n:03}"));
        self.join(n, &format!("居民{n}"))
    }

    /// The log in a deterministic shuffle from `seed`, delivered in `batches` batches: what
    /// the order-independence properties fold.
    pub fn fold_shuffled(&self, seed: u64, batches: usize) -> Space {
        let mut log = self.log.clone();
        let mut x = seed | 1;
        for i in (1..log.len()).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            log.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let mut space = Space::new(self.space);
        let size = log.len().div_ceil(batches.max(1));
        for chunk in log.chunks(size.max(1)) {
            space.insert(chunk.iter().cloned());
        }
        space
    }

    /// The log folded from scratch.
    pub fn fold(&self) -> Space {
        let mut s = Space::new(self.space);
        s.insert(self.log.iter().cloned());
        s
    }
}
