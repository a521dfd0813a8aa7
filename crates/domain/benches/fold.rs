//! Benchmarks: `cargo bench -p linli-domain`.
//!
//! - verify: opening envelopes (base64, SHA-256, strict Ed25519, body parse) one by one and as
//!   a batch, against raw `ed25519-dalek` `verify_strict` on the same messages;
//! - fold: 100k and 1M synthetic events (council members inviting, new devices joining);
//! - incremental: 1,000 new events appended one at a time to a 100k log, and one late event
//!   that sorts into the middle (a re-fold from the nearest checkpoint);
//! - bytes per event of real signed envelopes (printed before the timings).

use std::sync::OnceLock;

use divan::Bencher;
use ed25519_dalek::{Signature, VerifyingKey};
use linli_domain::envelope::{open, open_batch, sha256, SIGNING_CONTEXT};
use linli_domain::roster::act::{Genesis, Invite, Join};
use linli_domain::roster::Act;
use linli_domain::Command;
use linli_domain::{ChainWriter, Event, Hex32, Opener, Payload, Role, Space, State};
use serde_json::json;

fn main() {
    let signed = signed_events();
    let bytes: usize = signed.iter().map(|e| e.envelope.len()).sum();
    println!(
        "bytes per event: {:.0} (envelope JSON, mean of {} invite/join events)",
        bytes as f64 / signed.len() as f64,
        signed.len()
    );
    verification_overhead(signed);
    divan::main();
}

/// Raw `verify_strict` and `Opener::open` over the same 1,000 envelopes, alternated seven times;
/// the fastest pass of each is compared, which cancels most of the noise of a shared machine.
fn verification_overhead(signed: &[Event]) {
    let raw = raw_inputs(signed);
    let envs: Vec<&str> = signed.iter().map(|e| e.envelope.as_str()).collect();
    let batch = format!("[{}]", envs.join(","));
    let (mut best_raw, mut best_open, mut best_batch) = (f64::MAX, f64::MAX, f64::MAX);
    let mut best_raw_keys = f64::MAX;
    for _ in 0..7 {
        let t = std::time::Instant::now();
        assert!(raw.iter().all(|(k, m, s)| k.verify_strict(m, s).is_ok()));
        best_raw = best_raw.min(t.elapsed().as_secs_f64());
        let t = std::time::Instant::now();
        assert!(raw
            .iter()
            .all(|(k, m, s)| VerifyingKey::from_bytes(k.as_bytes())
                .is_ok_and(|k| k.verify_strict(m, s).is_ok())));
        best_raw_keys = best_raw_keys.min(t.elapsed().as_secs_f64());
        let t = std::time::Instant::now();
        let mut opener = Opener::default();
        assert!(envs.iter().all(|e| opener.open(e).is_ok()));
        best_open = best_open.min(t.elapsed().as_secs_f64());
        let t = std::time::Instant::now();
        assert!(open_batch(&batch).is_ok_and(|v| v.iter().all(Result::is_ok)));
        best_batch = best_batch.min(t.elapsed().as_secs_f64());
    }
    let n = signed.len() as f64;
    println!(
        "verification, fastest of 7 alternating passes over {n} envelopes (half of them from a \
         device seen once): raw verify_strict, keys decompressed beforehand {:.1} k/s; raw with \
         the key decompressed per event {:.1} k/s; Opener::open {:.1} k/s ({:+.1} % time vs \
         the first); open_batch {:.1} k/s ({:+.1} %)",
        n / best_raw / 1e3,
        n / best_raw_keys / 1e3,
        n / best_open / 1e3,
        (best_open / best_raw - 1.0) * 100.0,
        n / best_batch / 1e3,
        (best_batch / best_raw - 1.0) * 100.0,
    );
}

/// Keys decompressed, messages assembled, signatures parsed: what raw `ed25519-dalek` needs.
fn raw_inputs(signed: &[Event]) -> Vec<(VerifyingKey, Vec<u8>, Signature)> {
    signed
        .iter()
        .map(|e| {
            let v: serde_json::Value = serde_json::from_str(&e.envelope).expect("json");
            use base64::Engine as _;
            let eng = base64::engine::general_purpose::URL_SAFE_NO_PAD;
            let body = eng.decode(v["body"].as_str().expect("body")).expect("b64");
            let sig = eng.decode(v["sig"].as_str().expect("sig")).expect("b64");
            let mut msg = SIGNING_CONTEXT.to_vec();
            msg.extend_from_slice(&body);
            let key = VerifyingKey::from_bytes(&e.author.0).expect("key");
            let sig = Signature::from_bytes(&sig.try_into().expect("64"));
            (key, msg, sig)
        })
        .collect()
}

/// 1,000 real signed events: invitations and joins.
fn signed_events() -> &'static Vec<Event> {
    static EVENTS: OnceLock<Vec<Event>> = OnceLock::new();
    EVENTS.get_or_init(|| {
        let mut admin = ChainWriter::new(&[1; 32], None);
        let mut events = vec![admin.sign("space.genesis", &json!({"name": "基准社区"}), 0, 0)];
        let space = events[0].id;
        let mut max = 1;
        for i in 0..500u32 {
            let secret = sha256(&i.to_le_bytes()).0;
            let inv = admin.sign(
                "member.invite",
                &json!({"invite": sha256(&secret).to_hex(), "role": "resident", "household": format!("{:02}-{:04}", i % 20, i)}),
                0,
                max,
            );
            max = inv.lamport;
            let mut dev = ChainWriter::new(&sha256(&secret).0, Some(space));
            let join = dev.sign(
                "member.join",
                &json!({"secret": linli_domain::id::encode_hex(&secret), "name": "张秀英"}),
                0,
                max,
            );
            max = join.lamport;
            events.push(inv);
            events.push(join);
        }
        events.truncate(1000);
        events
    })
}

#[divan::bench_group(sample_count = 20)]
mod verify {
    use super::*;

    /// Raw `verify_strict` over the same messages, keys already decompressed: the floor.
    #[divan::bench]
    fn raw_dalek_strict(b: Bencher) {
        let inputs = raw_inputs(signed_events());
        b.counter(divan::counter::ItemsCount::new(inputs.len()))
            .bench(|| inputs.iter().all(|(k, m, s)| k.verify_strict(m, s).is_ok()));
    }

    /// `Opener::open` on each envelope in turn, as a device or the hub receives a stream
    /// (author keys stay decompressed between events).
    #[divan::bench]
    fn open_one_by_one(b: Bencher) {
        let envs: Vec<&str> = signed_events()
            .iter()
            .map(|e| e.envelope.as_str())
            .collect();
        b.counter(divan::counter::ItemsCount::new(envs.len()))
            .bench(|| {
                let mut opener = Opener::default();
                envs.iter().all(|e| opener.open(e).is_ok())
            });
    }

    /// The free function `open`, which decompresses the author's key every time.
    #[divan::bench]
    fn open_cold(b: Bencher) {
        let envs: Vec<&str> = signed_events()
            .iter()
            .map(|e| e.envelope.as_str())
            .collect();
        b.counter(divan::counter::ItemsCount::new(envs.len()))
            .bench(|| envs.iter().all(|e| open(e).is_ok()));
    }

    /// `open_batch` on one JSON array of all of them.
    #[divan::bench]
    fn open_batch_of_1000(b: Bencher) {
        let envs: Vec<&str> = signed_events()
            .iter()
            .map(|e| e.envelope.as_str())
            .collect();
        let batch = format!("[{}]", envs.join(","));
        b.counter(divan::counter::ItemsCount::new(envs.len()))
            .bench(|| open_batch(&batch).map(|v| v.len()));
    }
}

/// Synthetic, already-verified events: 20 council devices invite; each invitation is redeemed
/// by a new device. Ids and keys are hashes of counters: the fold does not check signatures.
fn synthetic(n: usize) -> (Hex32, Vec<Event>) {
    let h = |tag: u8, i: u64| {
        let mut b = [tag; 9];
        b[1..].copy_from_slice(&i.to_le_bytes());
        sha256(&b)
    };
    let admin = h(0, 0);
    let genesis = sha256(b"genesis");
    let mut events = Vec::with_capacity(n);
    let mut lamport = 1;
    let mut heads: std::collections::HashMap<Hex32, (u64, Hex32, u64)> = Default::default();
    let mut push = |events: &mut Vec<Event>,
                    id: Hex32,
                    author: Hex32,
                    payload: Payload,
                    space: Option<Hex32>| {
        let (seq, prev, _) = heads
            .get(&author)
            .copied()
            .unwrap_or((0, Hex32::default(), 0));
        lamport += 1;
        events.push(Event {
            id,
            space,
            author,
            seq: seq + 1,
            prev: (seq > 0).then_some(prev),
            lamport,
            ts: 0,
            kind: payload
                .command()
                .map_or("member.join", Command::kind)
                .to_owned(),
            payload,
            envelope: String::new(),
        });
        heads.insert(author, (seq + 1, id, lamport));
    };
    push(
        &mut events,
        genesis,
        admin,
        Payload::Command(Command::Roster(Act::Genesis(Genesis {
            name: "基准社区".into(),
            founder: "".into(),
            household: "".into(),
        }))),
        None,
    );
    let mut i = 0u64;
    let mut council = Vec::new();
    while events.len() < n {
        i += 1;
        let secret_hash = h(3, i);
        let (inviter, role) = if council.len() < 20 {
            (admin, Role::Council)
        } else {
            (council[(i % 20) as usize], Role::Resident)
        };
        let invite = Payload::Command(Command::Roster(Act::Invite(Invite {
            invite: secret_hash,
            role,
            household: format!("{:02}-{:04}", i % 20, i / 20).into(),
            expires: None,
        })));
        push(&mut events, h(1, i), inviter, invite, Some(genesis));
        let device = h(2, i);
        let join = Payload::Command(Command::Roster(Act::Join(Join {
            secret: Default::default(),
            invite: secret_hash,
            name: "王桂兰".into(),
        })));
        push(&mut events, h(4, i), device, join, Some(genesis));
        if role == Role::Council {
            council.push(device);
        }
    }
    events.truncate(n);
    (genesis, events)
}

fn fold_all(space: Hex32, events: &[Event]) -> u64 {
    let forks = Default::default();
    let mut state = State::new(space);
    for e in events {
        state.apply(e, &forks);
    }
    state.accepted
}

#[divan::bench_group(sample_count = 5, sample_size = 1)]
mod fold {
    use super::*;

    #[divan::bench(args = [100_000, 1_000_000])]
    fn events(b: Bencher, n: usize) {
        let (space, events) = synthetic(n);
        assert_eq!(
            fold_all(space, &events),
            n as u64,
            "every synthetic event applies"
        );
        b.counter(divan::counter::ItemsCount::new(n))
            .bench(|| fold_all(space, &events));
    }
}

#[divan::bench_group(sample_count = 10, sample_size = 1)]
mod incremental {
    use super::*;

    fn base() -> &'static (Space, Vec<Event>) {
        static BASE: OnceLock<(Space, Vec<Event>)> = OnceLock::new();
        BASE.get_or_init(|| {
            let (space_id, events) = synthetic(101_001);
            let mut space = Space::new(space_id);
            space.insert(events[..100_000].iter().cloned());
            (space, events)
        })
    }

    /// 1,000 new events, inserted one at a time after everything held: each is applied
    /// directly; the cost includes the checkpoints taken on the way (one every 3,125 events
    /// at this size).
    #[divan::bench]
    fn append_1000_one_by_one(b: Bencher) {
        let (space, events) = base();
        b.counter(divan::counter::ItemsCount::new(1000usize))
            .with_inputs(|| space.clone())
            .bench_local_values(|mut s| {
                for e in &events[100_000..101_000] {
                    s.insert([e.clone()]);
                }
                s
            });
    }

    /// A late event that sorts into the middle of a 100k log: re-fold from a checkpoint.
    #[divan::bench]
    fn late_event_into_100k(b: Bencher) {
        let (space, events) = base();
        let mut late = events[101_000].clone();
        late.lamport = events[50_000].lamport;
        late.author = sha256(b"late device");
        late.seq = 1;
        late.prev = None;
        late.id = sha256(b"late");
        b.with_inputs(|| space.clone()).bench_local_values(|mut s| {
            s.insert([late.clone()]);
            s
        });
    }
}
