//! Benchmarks: `cargo bench -p linli-domain`.
//!
//! - verify: opening envelopes (base64, SHA-256, strict Ed25519, body parse) one by one and as
//!   a batch, against raw `ed25519-dalek` `verify_strict` on the same messages;
//! - fold: 100k and 1M synthetic events (council members inviting, new devices joining);
//! - incremental: 1,000 new events appended one at a time to a 100k log, and one late event
//!   that sorts into the middle (a re-fold from the nearest checkpoint);
//! - points: a synthetic year of a 3,000-household community's points (`synth`): the points
//!   events folded onto the prepared roster, the whole log from scratch and through
//!   [`Space::insert`], and what 我的积分 reads from that state (printed first, then timed);
//! - bytes per event of real signed envelopes (printed before the timings).

mod synth;

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
    points_summary();
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

/// The synthetic year, its roster folded, and everything folded.
struct PointsYear {
    year: synth::Year,
    roster: State,
    full: State,
}

fn points_year() -> &'static PointsYear {
    static YEAR: OnceLock<PointsYear> = OnceLock::new();
    YEAR.get_or_init(|| {
        let year = synth::year();
        let roster = synth::fold(year.space, year.roster());
        let full = synth::fold(year.space, &year.events);
        assert_eq!(full.rejected_count(), 0, "every synthetic event applies");
        assert_eq!(full.accepted as usize, year.events.len());
        PointsYear { year, roster, full }
    })
}

/// Members by how many entries they have: (member, entries), most first.
fn histories(points: &linli_domain::points::Points) -> Vec<(Hex32, usize)> {
    let mut n: std::collections::HashMap<Hex32, usize> = Default::default();
    for e in points.entries() {
        *n.entry(e.member).or_default() += 1;
    }
    let mut v: Vec<(Hex32, usize)> = n.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// The member with the median history and the one with the largest: (member, entries).
fn typical_and_largest(points: &linli_domain::points::Points) -> [(Hex32, usize); 2] {
    let h = histories(points);
    [h[h.len() / 2], h[0]]
}

/// What 我的积分 derives from the domain for one member, as `my_points` in the app's
/// `src/pages/points/view.rs` does it (less the strings and the appeal check per entry): their
/// entries and redemptions found by scanning everyone's, newest first, their counted points
/// per month, their pending claims (another scan), their balance and grade.
fn my_points_scan(p: &linli_domain::points::Points, member: &Hex32, now: i64) -> usize {
    let mut mine: Vec<_> = p.entries().filter(|e| &e.member == member).collect();
    let redeemed = p.redemptions().filter(|r| &r.member == member).count();
    let pending = p
        .claims()
        .filter(|c| &c.member == member && c.approved.is_none())
        .count();
    redeemed + my_points_rest(p, member, now, &mut mine, pending)
}

/// The same with [`linli_domain::points::Points::entries_of`], `redemptions_of` and
/// `claims_of`: only this member's rows are read.
fn my_points_indexed(p: &linli_domain::points::Points, member: &Hex32, now: i64) -> usize {
    let mut mine: Vec<_> = p.entries_of(member).collect();
    let redeemed = p.redemptions_of(member).count();
    let pending = p.claims_of(member).filter(|c| c.approved.is_none()).count();
    redeemed + my_points_rest(p, member, now, &mut mine, pending)
}

fn my_points_rest(
    p: &linli_domain::points::Points,
    member: &Hex32,
    now: i64,
    mine: &mut [&linli_domain::points::Entry],
    pending: usize,
) -> usize {
    use linli_domain::points::{month_utc8, EntryStatus};
    mine.sort_by(|a, b| b.ts.cmp(&a.ts).then(a.id.cmp(&b.id)));
    let mut by_month: std::collections::BTreeMap<i64, i64> = Default::default();
    for e in mine.iter().filter(|e| e.status == EntryStatus::Counted) {
        *by_month.entry(month_utc8(e.ts)).or_default() += e.amount;
    }
    let grade = p.grade(member, now);
    mine.len() + by_month.len() + pending + p.balance(member) as usize + grade as usize
}

/// The year's make-up, and the folds timed as the fastest of five alternating passes (the
/// divan table below measures them one after another).
fn points_summary() {
    let py = points_year();
    let (year, full) = (&py.year, &py.full);
    let p = &full.points;
    let n_points = year.points().len();
    let kinds: Vec<String> = year
        .kinds()
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    let counted = p
        .entries()
        .filter(|e| e.status == linli_domain::points::EntryStatus::Counted)
        .count();
    let clipped = p
        .entries()
        .filter(|e| {
            p.rule(&e.rule)
                .is_some_and(|r| e.amount != r.points * i64::from(e.qty))
        })
        .count();
    let [typical, largest] = typical_and_largest(p);
    println!(
        "points year: {} members, {} roster events, {} points events ({}), {} entries ({} counted, \
         {} clipped by a monthly cap), {} claims, {} redemptions, {} follow-ups dropped by the \
         generator, 0 rejected; histories: median member {} entries, largest {}",
        full.roster.member_count(),
        year.roster_len,
        n_points,
        kinds.join(", "),
        p.entries().count(),
        counted,
        clipped,
        p.claims().count(),
        p.redemptions().count(),
        year.dropped,
        typical.1,
        largest.1,
    );
    let (mut best_points, mut best_all, mut best_space) = (f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..5 {
        let mut s = py.roster.clone();
        let t = std::time::Instant::now();
        synth::fold_onto(&mut s, year.points());
        best_points = best_points.min(t.elapsed().as_secs_f64());
        assert_eq!(s.accepted as usize, year.events.len());
        drop(s);
        let t = std::time::Instant::now();
        let s = synth::fold(year.space, &year.events);
        best_all = best_all.min(t.elapsed().as_secs_f64());
        drop(s);
        let t = std::time::Instant::now();
        let mut space = Space::new(year.space);
        space.insert(year.events.iter().cloned());
        best_space = best_space.min(t.elapsed().as_secs_f64());
        assert_eq!(space.state().accepted as usize, year.events.len());
    }
    let all = year.events.len() as f64;
    println!(
        "points fold, fastest of 5: the {n_points} points events onto the folded roster {:.2} M \
         events/s ({:.1} ms); the whole log of {} events from scratch {:.2} M events/s ({:.1} \
         ms); Space::insert of the whole log (ordering, checkpoints, clones of the events) {:.2} \
         M events/s ({:.1} ms)",
        n_points as f64 / best_points / 1e6,
        best_points * 1e3,
        all,
        all / best_all / 1e6,
        best_all * 1e3,
        all / best_space / 1e6,
        best_space * 1e3,
    );
}

#[divan::bench_group(sample_count = 10, sample_size = 1)]
mod points {
    use super::*;

    /// The year's points events folded onto the state of its roster (~7,500 members).
    #[divan::bench]
    fn points_onto_roster(b: Bencher) {
        let py = points_year();
        b.counter(divan::counter::ItemsCount::new(py.year.points().len()))
            .with_inputs(|| py.roster.clone())
            .bench_local_values(|mut s| {
                synth::fold_onto(&mut s, py.year.points());
                s
            });
    }

    /// The whole log (roster and points) from scratch.
    #[divan::bench]
    fn whole_year(b: Bencher) {
        let py = points_year();
        b.counter(divan::counter::ItemsCount::new(py.year.events.len()))
            .bench(|| synth::fold(py.year.space, &py.year.events));
    }

    /// The whole log through `Space::insert`, as the app reads a stored log back.
    #[divan::bench]
    fn whole_year_space(b: Bencher) {
        let py = points_year();
        b.counter(divan::counter::ItemsCount::new(py.year.events.len()))
            .with_inputs(|| py.year.events.clone())
            .bench_local_values(|events| {
                let mut space = Space::new(py.year.space);
                space.insert(events);
                space
            });
    }
}

#[divan::bench_group(sample_count = 50)]
mod my_points {
    use super::*;

    /// What 我的积分 reads as the app finds it now (scanning every entry and claim), for the
    /// member with the median history (0) and the largest (1).
    #[divan::bench(args = [0, 1])]
    fn view_scan(b: Bencher, which: usize) {
        let py = points_year();
        let member = typical_and_largest(&py.full.points)[which].0;
        let now = synth::START + synth::YEAR_MS;
        b.bench(|| my_points_scan(&py.full.points, &member, now));
    }

    /// The same through `entries_of` and `claims_of`.
    #[divan::bench(args = [0, 1])]
    fn view_indexed(b: Bencher, which: usize) {
        let py = points_year();
        let member = typical_and_largest(&py.full.points)[which].0;
        let now = synth::START + synth::YEAR_MS;
        assert_eq!(
            my_points_indexed(&py.full.points, &member, now),
            my_points_scan(&py.full.points, &member, now)
        );
        b.bench(|| my_points_indexed(&py.full.points, &member, now));
    }

    /// `Points::grade` alone.
    #[divan::bench(args = [0, 1])]
    fn grade(b: Bencher, which: usize) {
        let py = points_year();
        let member = typical_and_largest(&py.full.points)[which].0;
        let now = synth::START + synth::YEAR_MS;
        b.bench(|| py.full.points.grade(&member, now));
    }

    /// `Points::balance` alone.
    #[divan::bench(args = [0, 1])]
    fn balance(b: Bencher, which: usize) {
        let py = points_year();
        let member = typical_and_largest(&py.full.points)[which].0;
        b.bench(|| py.full.points.balance(&member));
    }
}
