//! `linli-hub demo`: a deterministic demo community written as a space folder.

use std::path::PathBuf;

use clap::Args;
use linli_domain::envelope::sha256;
use linli_domain::{ChainWriter, Event, SpaceId};
use serde_json::json;

use crate::files::write_space;

/// Generate a demo community (the same bytes for the same flags) under OUT/spaces/{space}/.
#[derive(Debug, Args)]
pub struct Demo {
    /// Base folder; the space is written to OUT/spaces/{space}/.
    #[arg(long, default_value = "data")]
    out: PathBuf,
    /// Seed for every key, secret and choice.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Households (户).
    #[arg(long, default_value_t = 2000)]
    households: u32,
    /// Residents, spread over the households.
    #[arg(long, default_value_t = 5000)]
    residents: u32,
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "桂兰", "建国", "玉兰", "志强", "海燕", "红梅",
];

/// A small deterministic generator (splitmix64): the domain has no randomness, and the demo
/// must be the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn bytes32(&mut self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for chunk in out.chunks_mut(8) {
            chunk.copy_from_slice(&self.next().to_le_bytes());
        }
        out
    }
}

/// The community as it is written: every device's chain and the shared clock.
struct Builder {
    rng: Rng,
    events: Vec<Event>,
    max_seen: u64,
    ts: i64,
}

impl Builder {
    fn act(&mut self, who: &mut ChainWriter, kind: &str, payload: serde_json::Value) -> Event {
        self.ts += 1 + self.rng.below(90_000) as i64;
        let e = who.sign(kind, &payload, self.ts, self.max_seen);
        self.max_seen = self.max_seen.max(e.lamport);
        self.events.push(e.clone());
        e
    }

    fn device(&mut self, space: SpaceId) -> ChainWriter {
        let seed = self.rng.bytes32();
        ChainWriter::new(&seed, Some(space))
    }

    fn name(&mut self) -> String {
        let s = SURNAMES[self.rng.below(SURNAMES.len())];
        let g = GIVEN[self.rng.below(GIVEN.len())];
        format!("{s}{g}")
    }

    /// `by` invites, a new device joins: returns the new member's device and id.
    fn admit(
        &mut self,
        by: &mut ChainWriter,
        space: SpaceId,
        role: &str,
        household: &str,
    ) -> (ChainWriter, Event) {
        let secret = self.rng.bytes32();
        self.act(
            by,
            "member.invite",
            json!({"invite": sha256(&secret).to_hex(), "role": role, "household": household}),
        );
        let mut device = self.device(space);
        let name = self.name();
        let join = self.act(
            &mut device,
            "member.join",
            json!({"secret": linli_domain::id::encode_hex(&secret), "name": name}),
        );
        (device, join)
    }
}

impl Demo {
    /// Generates and writes the community.
    pub fn run(self) -> anyhow::Result<()> {
        let started = std::time::Instant::now();
        let (space, events, invites) = generate(self.seed, self.households, self.residents);
        let dir = write_space(&self.out, space, &events, linli_domain::envelope::MAX_BATCH)?;
        // Open invitations for whoever tries the demo. Beside the spaces, not in them: the
        // hub never serves this file (their secrets are the whole point of an invitation).
        let list: Vec<serde_json::Value> = invites
            .iter()
            .map(|i| json!({"space": space.to_hex(), "role": i.role, "household": i.household, "secret": i.secret}))
            .collect();
        let path = self.out.join("demo-invites.json");
        std::fs::write(&path, serde_json::to_vec_pretty(&list)?)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        eprintln!(
            "linli-hub: demo community {space} ({} events, {} households, {} residents) in {} ({:.1}s)",
            events.len(),
            self.households,
            self.residents,
            dir.display(),
            started.elapsed().as_secs_f64()
        );
        println!("{space}");
        Ok(())
    }
}

/// An unused invitation of the demo, for someone trying it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoInvite {
    /// `council` or `resident`.
    pub role: &'static str,
    /// The household it admits to.
    pub household: String,
    /// The secret (hex), which the invitation link carries.
    pub secret: String,
}

/// The demo's events: 7 council members, 12 grid workers, residents spread over households
/// in 20 buildings, a few revoked phones replaced by new ones, some members with two devices.
pub fn generate(
    seed: u64,
    households: u32,
    residents: u32,
) -> (SpaceId, Vec<Event>, Vec<DemoInvite>) {
    let mut b = Builder {
        rng: Rng(seed),
        events: Vec::new(),
        max_seen: 0,
        ts: 1_772_323_200_000,
    };
    let founder_seed = b.rng.bytes32();
    let mut admin = ChainWriter::new(&founder_seed, None);
    let genesis = b.act(
        &mut admin,
        "space.genesis",
        json!({"name": "幸福里社区", "founder": "王主任", "household": "办公室"}),
    );
    let space = genesis.id;

    let household_code = |i: u32| format!("{:02}-{:04}", i % 20 + 1, i / 20 + 1);
    let mut council = Vec::new();
    for i in 0..7 {
        let (device, _) = b.admit(
            &mut admin,
            space,
            "council",
            &household_code(i * 97 % households.max(1)),
        );
        council.push(device);
    }
    let mut members: Vec<(ChainWriter, Event)> = Vec::new();
    for i in 0..12 {
        let inviter = &mut council[i % 7];
        let admitted = {
            let mut by = std::mem::replace(inviter, ChainWriter::new(&[0; 32], None));
            let r = b.admit(&mut by, space, "worker", "网格站");
            *inviter = by;
            r
        };
        members.push(admitted);
    }
    for r in 0..residents {
        // Every household gets a first resident before any gets a second.
        let household = household_code(r % households.max(1));
        let k = b.rng.below(council.len());
        let mut by = std::mem::replace(&mut council[k], ChainWriter::new(&[0; 32], None));
        let admitted = b.admit(&mut by, space, "resident", &household);
        council[k] = by;
        members.push(admitted);
    }
    // Lost phones: the council revokes the old key and admits a new one for the same member.
    let lost = (residents / 250).max(3) as usize;
    for _ in 0..lost.min(members.len()) {
        let i = b.rng.below(members.len());
        let k = b.rng.below(council.len());
        let old = members[i].0.device();
        let member = members[i].1.id;
        let mut by = std::mem::replace(&mut council[k], ChainWriter::new(&[0; 32], None));
        b.act(
            &mut by,
            "member.device_revoke",
            json!({"device": old.to_hex()}),
        );
        let new_phone = b.device(space);
        b.act(
            &mut by,
            "member.device_add",
            json!({"member": member.to_hex(), "device": new_phone.device().to_hex()}),
        );
        council[k] = by;
        members[i].0 = new_phone;
    }
    // Some residents also use a tablet.
    for _ in 0..(residents / 100) {
        let i = b.rng.below(members.len());
        let member = members[i].1.id;
        let tablet = b.device(space);
        let k = b.rng.below(council.len());
        let mut by = std::mem::replace(&mut council[k], ChainWriter::new(&[0; 32], None));
        b.act(
            &mut by,
            "member.device_add",
            json!({"member": member.to_hex(), "device": tablet.device().to_hex()}),
        );
        council[k] = by;
    }
    // Open invitations, unused: two council seats and three residents' for people trying it.
    let mut invites = Vec::new();
    for (n, role) in ["council", "council", "resident", "resident", "resident"]
        .into_iter()
        .enumerate()
    {
        let secret = b.rng.bytes32();
        let household = format!("演示-{}", n + 1);
        b.act(
            &mut admin,
            "member.invite",
            json!({"invite": sha256(&secret).to_hex(), "role": role, "household": household}),
        );
        invites.push(DemoInvite {
            role,
            household,
            secret: linli_domain::id::encode_hex(&secret),
        });
    }
    (space, b.events, invites)
}
