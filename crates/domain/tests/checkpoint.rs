//! Checkpoints and snapshots: the snapshot reads back exactly; a phone that starts from a
//! counted checkpoint's snapshot and folds the tail equals a phone that folds everything; a
//! false or under-signed checkpoint is refused by the phone and shown by the audit.

mod common;

use common::Town;
use linli_domain::checkpoint::{self, Checkpoint, Frontier};
use linli_domain::space::CheckpointError;
use linli_domain::{ChainWriter, Code, Command, EventId, Space, State};
use proptest::prelude::*;
use serde_json::json;

/// A community with something in every area: council, points, the store, volunteers,
/// requests, polls, funds, a meeting, and a rejected event.
struct Rich {
    town: Town,
    c1: ChainWriter,
    c2: ChainWriter,
    w: ChainWriter,
    r1: ChainWriter,
    r2: ChainWriter,
    r1_id: EventId,
    r2_id: EventId,
    c2_id: EventId,
    poll: EventId,
    rule: EventId,
    item: EventId,
    request: EventId,
}

fn rich() -> Rich {
    let mut town = Town::new();
    let (mut c1, _) = town.member(1, "council");
    let (c2, c2_id) = town.member(2, "council");
    let (mut w, _) = town.member(3, "worker");
    let (mut r1, r1_id) = town.member(4, "resident");
    let (mut r2, r2_id) = town.member(5, "resident");
    let p = town
        .act(
            &mut r1,
            "proposal.create",
            json!({"title": "楼道粉刷", "eligibility": "resident", "quorum_pct": 0, "threshold": "simple", "seconds_needed": 0}),
        )
        .id;
    town.act(&mut c1, "ballot.open", json!({"proposal": p}));
    let v1 = town.act(&mut r1, "vote.cast", json!({"proposal": p, "choice": 0}));
    let v2 = town.act(&mut r2, "vote.cast", json!({"proposal": p, "choice": 1}));
    let mut frontier = serde_json::Map::new();
    frontier.insert(v1.author.to_hex(), json!(v1.seq));
    frontier.insert(v2.author.to_hex(), json!(v2.seq));
    town.act(
        &mut c1,
        "ballot.close",
        json!({"proposal": p, "frontier": frontier}),
    );
    let rule = town
        .admin_act(
            "points.rule",
            json!({"title": "志愿服务", "points": 10, "list": "red", "claimable": true, "cap_month": 0}),
        )
        .id;
    town.act(
        &mut w,
        "points.award",
        json!({"rule": rule, "member": r1_id, "qty": 2, "note": ""}),
    );
    town.act(
        &mut r2,
        "points.claim",
        json!({"rule": rule, "qty": 1, "note": "扫雪"}),
    );
    let item = town
        .act(
            &mut w,
            "store.item",
            json!({"title": "毛巾", "cost": 4, "stock": 5}),
        )
        .id;
    town.act(&mut r1, "store.redeem", json!({"item": item, "qty": 1}));
    let start = town.next_ts + 3_600_000;
    let a = town
        .act(
            &mut w,
            "activity.create",
            json!({"title": "义诊", "body": "", "place": "活动室", "grid": "1", "start": start, "end": start + 7_200_000, "slots": 1, "skills": [], "rule": rule, "waitlist": true}),
        )
        .id;
    town.act(&mut r2, "activity.signup", json!({"activity": a}));
    town.act(&mut r1, "activity.signup", json!({"activity": a}));
    let request = town
        .act(
            &mut r1,
            "request.open",
            json!({"title": "买药", "body": "", "category": "助老", "urgent": true, "grid": ""}),
        )
        .id;
    town.act(&mut w, "request.take", json!({"request": request}));
    let poll = town
        .act(
            &mut w,
            "poll.create",
            json!({"question": "q", "options": ["a", "b"], "multi": false, "closes": 1_900_000_000_000i64}),
        )
        .id;
    town.act(
        &mut r2,
        "poll.answer",
        json!({"poll": poll, "choices": [1]}),
    );
    town.act(
        &mut c1,
        "funds.entry",
        json!({"title": "经费", "amount_fen": 100, "date": "2026-03-05", "category": "x"}),
    );
    let code = linli_domain::council::code_hash("ABCD2345").to_hex();
    let m = town
        .act(
            &mut c1,
            "meeting.schedule",
            json!({"title": "议事会", "at": 0, "code_hash": code}),
        )
        .id;
    town.act(
        &mut r2,
        "meeting.checkin",
        json!({"meeting": m, "code": "ABCD2345"}),
    );
    // Rejected (a resident may not write the funds ledger): rejections are state too.
    town.act(
        &mut r2,
        "funds.entry",
        json!({"title": "x", "amount_fen": 1, "date": "2026-03-05", "category": "x"}),
    );
    Rich {
        town,
        c1,
        c2,
        w,
        r1,
        r2,
        r1_id,
        r2_id,
        c2_id,
        poll,
        rule,
        item,
        request,
    }
}

fn sign(town: &mut Town, who: &mut ChainWriter, c: &Checkpoint) -> linli_domain::Event {
    town.command(
        who,
        &Command::Checkpoint(checkpoint::Act::Checkpoint(c.clone())),
    )
}

#[test]
fn the_rich_town_is_what_it_claims() {
    let r = rich();
    let space = r.town.fold();
    let rejected: Vec<Code> = space.rejections().into_iter().map(|(_, c)| c).collect();
    assert_eq!(
        rejected,
        vec![Code::NotPermitted],
        "only the deliberate one"
    );
    let state = space.state();
    assert_eq!(state.points.balance(&r.r1_id), 16);
    assert!(state.volunteers.activities().next().is_some());
}

#[test]
fn a_snapshot_reads_back_exactly() {
    let r = rich();
    let space = r.town.fold();
    let state = space.state();
    let json = state.to_snapshot_json();
    let back = State::from_snapshot_json(&json).expect("reads back");
    assert_eq!(&back, state);
    assert_eq!(back.to_canonical_json(), state.to_canonical_json());
    assert_eq!(back.to_snapshot_json(), json, "deterministic");
    // A damaged snapshot is refused, not half read.
    let damaged = json.replacen("\"accepted\":", "\"accepted_\":", 1);
    assert!(State::from_snapshot_json(&damaged).is_err());
}

/// The checkpoint of what the council sees now (its parts signed by the first council
/// member when it has any), and the snapshot's bytes.
fn prepare(r: &mut Rich) -> (Checkpoint, Vec<u8>) {
    let view = r.town.fold();
    let prepared = view.next_checkpoint().expect("checkpoint");
    let cp = prepared.sign_parts(|part| r.town.command(&mut r.c1, &Command::Checkpoint(part)).id);
    (cp, prepared.bytes)
}

/// Signs a counted checkpoint of what the council sees now: the first council member
/// prepares and signs it, the second co-signs what its own phone offers.
fn counted_checkpoint(r: &mut Rich) -> (Checkpoint, Vec<u8>) {
    let (cp, bytes) = prepare(r);
    sign(&mut r.town, &mut r.c1, &cp);
    let offered = r.town.fold().cosignable(&r.c2.device());
    assert_eq!(offered, vec![cp.clone()]);
    assert!(
        r.town.fold().cosignable(&r.c1.device()).is_empty(),
        "signed already"
    );
    assert!(
        r.town.fold().cosignable(&r.r1.device()).is_empty(),
        "not council"
    );
    sign(&mut r.town, &mut r.c2, &cp);
    assert!(
        r.town.fold().cosignable(&r.c2.device()).is_empty(),
        "counted"
    );
    (cp, bytes)
}

fn keys(space: &Space) -> Vec<linli_domain::Hex32> {
    space.counted_checkpoints().iter().map(|c| c.key).collect()
}

/// Events after the checkpoint, some of them late: signed by a device that had not seen the
/// others (a low lamport), so without the barrier they would sort before covered events.
fn tail(r: &mut Rich) {
    let late = r.town.admin.sign(
        "funds.entry",
        &json!({"title": "迟到", "amount_fen": 5, "date": "2026-03-06", "category": "x"}),
        5,
        0,
    );
    r.town.log.push(late);
    let late =
        r.r2.sign("store.redeem", &json!({"item": r.item, "qty": 1}), 5, 0);
    r.town.log.push(late);
    let late = r.w.sign(
        "request.resolve",
        &json!({"request": r.request, "text": "送到"}),
        6,
        0,
    );
    r.town.log.push(late);
    r.town.act(
        &mut r.w,
        "points.award",
        json!({"rule": r.rule, "member": r.r2_id, "qty": 1, "note": ""}),
    );
    r.town.act(
        &mut r.r1,
        "request.rate",
        json!({"request": r.request, "stars": 5, "text": ""}),
    );
}

fn assert_same(phone: &Space, full: &Space) {
    assert_eq!(
        phone.state().to_canonical_json(),
        full.state().to_canonical_json()
    );
    assert_eq!(phone.state(), full.state());
    assert_eq!(keys(phone), keys(full));
}

#[test]
fn a_phone_from_the_snapshot_equals_a_phone_from_the_genesis() {
    let mut r = rich();
    let (cp, bytes) = counted_checkpoint(&mut r);
    tail(&mut r);
    let full = r.town.fold();
    assert_eq!(full.counted_checkpoints().len(), 1);
    assert_eq!(full.counted_checkpoints()[0].checkpoint, cp);
    let phone = Space::from_snapshot(r.town.space, &bytes, r.town.log.clone()).expect("joins");
    assert_same(&phone, &full);
    assert!(phone.len() < full.len(), "the phone holds only the tail");
    // Both answer the same questions.
    for who in [&r.c1, &r.w, &r.r1, &r.r2] {
        let funds = json!({"title": "x", "amount_fen": 1, "date": "2026-03-05", "category": "x"});
        let c = Command::parse("funds.entry", &funds.to_string())
            .expect("a kind")
            .expect("a payload");
        assert_eq!(
            phone.check(&who.device(), &c),
            full.check(&who.device(), &c)
        );
        let redeem = Command::parse(
            "store.redeem",
            &json!({"item": r.item, "qty": 3}).to_string(),
        )
        .expect("test data")
        .expect("test data");
        assert_eq!(
            phone.check(&who.device(), &redeem),
            full.check(&who.device(), &redeem)
        );
    }
    // Background verification: the full fold at the frontier is what the checkpoint says.
    assert_eq!(full.state_digest_at(&cp.frontier), (cp.state, cp.events));
    let rows = full.checkpoint_rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].matches, Some(true));
    assert!(rows[0].counted);
    // A delivery order other than the log's gives the same state.
    for seed in 1..6 {
        let shuffled = r.town.fold_shuffled(seed, 3);
        assert_same(&shuffled, &full);
    }
}

#[test]
fn a_counted_checkpoint_is_a_barrier() {
    let mut r = rich();
    counted_checkpoint(&mut r);
    // The admin last signed long ago: its next event, signed without having seen the
    // others, has a lamport below many covered events — yet is folded after all of them.
    let late = r.town.admin.sign(
        "funds.entry",
        &json!({"title": "迟到", "amount_fen": 5, "date": "2026-03-06", "category": "x"}),
        5,
        0,
    );
    r.town.log.push(late.clone());
    let full = r.town.fold();
    let covered = full.counted_checkpoints()[0].checkpoint.frontier.clone();
    let order: Vec<&linli_domain::Event> = full.events().collect();
    let late_at = order
        .iter()
        .position(|e| e.id == late.id)
        .expect("test data");
    let last_covered = order
        .iter()
        .rposition(|e| covered.covers_event(&e.author, e.seq))
        .expect("test data");
    assert!(late_at > last_covered);
    let highest_covered = order
        .iter()
        .filter(|e| covered.covers_event(&e.author, e.seq))
        .map(|e| e.lamport)
        .max()
        .expect("test data");
    assert!(
        late.lamport < highest_covered,
        "the test needs a late event ({} < {highest_covered})",
        late.lamport
    );
    assert_eq!(full.state().rejection(&late.id), None);
}

#[test]
fn a_closed_tally_does_not_move_across_a_barrier() {
    let mut r = rich();
    let p = r
        .town
        .act(
            &mut r.r1,
            "proposal.create",
            json!({"title": "加装电梯", "eligibility": "resident", "quorum_pct": 0, "threshold": "simple", "seconds_needed": 0}),
        )
        .id;
    r.town.act(&mut r.c1, "ballot.open", json!({"proposal": p}));
    let v1 = r
        .town
        .act(&mut r.r1, "vote.cast", json!({"proposal": p, "choice": 0}));
    let mut frontier = serde_json::Map::new();
    frontier.insert(v1.author.to_hex(), json!(v1.seq));
    // r2 votes without having seen the ballot's later events: a low lamport, sorting
    // before the close, outside its frontier. It arrives after the checkpoint.
    let late_vote =
        r.r2.sign("vote.cast", &json!({"proposal": p, "choice": 1}), 5, 0);
    let close = r.town.act(
        &mut r.c1,
        "ballot.close",
        json!({"proposal": p, "frontier": frontier}),
    );
    assert!(
        late_vote.lamport < close.lamport,
        "the vote sorts before the close"
    );
    counted_checkpoint(&mut r);
    let before = r.town.fold();
    let tally = before
        .state()
        .council
        .proposal(&p)
        .and_then(|x| x.tally.clone());
    r.town.log.push(late_vote.clone());
    let after = r.town.fold();
    assert_eq!(
        after
            .state()
            .council
            .proposal(&p)
            .and_then(|x| x.tally.clone()),
        tally
    );
    assert_eq!(
        tally.as_ref().map(|t| (t.cast, t.counts.clone())),
        Some((1, vec![1, 0, 0]))
    );
    // Folded after the close now: too late, rather than recorded and not counted.
    assert_eq!(
        after.state().rejection(&late_vote.id),
        Some(Code::WrongState)
    );
}

/// The known limit of version 1 (`docs/protocol.md` §7.4): a twin inside a counted frontier,
/// arriving after the checkpoint, changes the covered events. The audit shows the fork beside
/// the mismatch, so that the signers are not blamed for it.
#[test]
fn a_fork_twin_inside_a_counted_frontier_is_shown_beside_the_mismatch() {
    let mut r = rich();
    let (cp, _) = counted_checkpoint(&mut r);
    let full = r.town.fold();
    let original = full
        .events()
        .find(|e| e.author == r.r1.device() && e.seq == 3)
        .cloned()
        .expect("r1's third event");
    assert!(cp.frontier.covers_event(&original.author, original.seq));
    let twin = r.r1.signer().sign(&linli_domain::Draft {
        space: Some(r.town.space),
        seq: original.seq,
        prev: original.prev,
        lamport: original.lamport,
        ts: 0,
        kind: "proposal.comment",
        payload: &json!({"proposal": original.id, "text": "两个版本"}),
    });
    r.town.log.push(twin);
    let after = r.town.fold();
    let report = linli_domain::audit::report(&after);
    let c = &report.checkpoints[0];
    assert_eq!(c.matches, Some(false));
    assert_eq!(c.forks_inside, vec![r.r1.device()]);
    let before = linli_domain::audit::report(&full);
    assert!(before.checkpoints[0].forks_inside.is_empty());
}

#[test]
fn a_second_checkpoint_covers_the_first_and_a_phone_joins_from_it() {
    let mut r = rich();
    counted_checkpoint(&mut r);
    tail(&mut r);
    let (cp2, bytes2) = counted_checkpoint(&mut r);
    r.town.act(
        &mut r.r1,
        "poll.create",
        json!({"question": "q", "options": ["a", "b"], "multi": false, "closes": 1}),
    );
    let full = r.town.fold();
    assert_eq!(full.counted_checkpoints().len(), 2);
    assert_eq!(full.counted_checkpoints()[1].checkpoint, cp2);
    let phone = Space::from_snapshot(r.town.space, &bytes2, r.town.log.clone()).expect("joins");
    assert_same(&phone, &full);
    assert!(full
        .checkpoint_rows()
        .iter()
        .all(|row| row.matches == Some(true)));
}

#[test]
fn a_false_state_is_refused_by_the_phone_and_shown_by_the_audit() {
    let mut r = rich();
    let (mut cp, bytes) = prepare(&mut r);
    cp.state = linli_domain::envelope::sha256(b"a state the events do not give");
    let a = sign(&mut r.town, &mut r.c1, &cp);
    let b = sign(&mut r.town, &mut r.c2, &cp);
    match Space::from_snapshot(r.town.space, &bytes, r.town.log.clone()) {
        Err(CheckpointError::StateMismatch { signers, .. }) => {
            let events: Vec<EventId> = signers.iter().map(|s| s.event).collect();
            assert_eq!(events, vec![a.id, b.id]);
        }
        other => panic!("expected a state mismatch, got {other:?}"),
    }
    let full = r.town.fold();
    let report = linli_domain::audit::report(&full);
    assert_eq!(report.checkpoints.len(), 1);
    let c = &report.checkpoints[0];
    assert!(c.counted, "two council members signed it");
    assert_eq!(c.matches, Some(false));
    assert_eq!(c.signers.len(), 2);
    assert!(c.signers.iter().all(|s| s.council));
    assert_ne!(c.state_here, Some(c.state));
}

#[test]
fn too_few_signers_is_refused_by_the_phone_and_not_counted_by_the_audit() {
    let mut r = rich();
    let (cp, bytes) = prepare(&mut r);
    sign(&mut r.town, &mut r.c1, &cp);
    // A worker's signature does not help: the fold rejects it, and the roster at the
    // frontier does not count it.
    let w = sign(&mut r.town, &mut r.w, &cp);
    let err = Space::from_snapshot(r.town.space, &bytes, r.town.log.clone()).expect_err("refused");
    assert_eq!(err, CheckpointError::TooFewSigners { have: 1, need: 2 });
    let full = r.town.fold();
    assert_eq!(full.state().rejection(&w.id), Some(Code::NotPermitted));
    assert!(full.counted_checkpoints().is_empty());
    let report = linli_domain::audit::report(&full);
    let c = &report.checkpoints[0];
    assert!(!c.counted);
    assert_eq!((c.council_signers, c.needed), (1, 2));
    assert_eq!(c.matches, Some(true));
}

#[test]
fn a_damaged_snapshot_is_refused() {
    let mut r = rich();
    let (_, bytes) = counted_checkpoint(&mut r);
    let text = String::from_utf8(bytes.clone()).expect("test data");
    let damaged = text.replacen("\"balance\":16", "\"balance\":99", 1);
    assert_ne!(damaged, text);
    let err = Space::from_snapshot(r.town.space, damaged.as_bytes(), r.town.log.clone());
    assert!(matches!(
        err,
        Err(CheckpointError::Snapshot(
            linli_domain::snapshot::SnapshotError::StateHash
        ))
    ));
    // Damaged and re-hashed: no checkpoint names those bytes.
    let snap = linli_domain::snapshot::Snapshot::from_bytes(&bytes).expect("test data");
    let mut other = snap.clone();
    other.events += 1;
    let err = Space::from_snapshot(r.town.space, &other.to_bytes(), r.town.log.clone());
    assert_eq!(err.expect_err("refused"), CheckpointError::NoCheckpoint);
}

#[test]
fn a_checkpoint_whose_frontier_is_in_parts_counts_and_a_phone_joins_from_it() {
    let mut r = rich();
    let view = r.town.fold();
    let prepared = view.next_checkpoint().expect("test data");
    assert!(!prepared.needs_parts(), "a small town fits in one event");
    // Split it anyway, as a large community's would be: two parts signed by two members.
    let chunks: Vec<Frontier> = {
        let all: Vec<_> = prepared.frontier.0.iter().map(|(d, s)| (*d, *s)).collect();
        all.chunks(4)
            .map(|c| Frontier(c.iter().copied().collect()))
            .collect()
    };
    assert_eq!(chunks.len(), 2);
    let p1 = r.town.command(
        &mut r.c1,
        &Command::Checkpoint(checkpoint::Act::Part(checkpoint::FrontierPart {
            entries: chunks[0].clone(),
            more: None,
        })),
    );
    let p2 = r.town.command(
        &mut r.c2,
        &Command::Checkpoint(checkpoint::Act::Part(checkpoint::FrontierPart {
            entries: chunks[1].clone(),
            more: None,
        })),
    );
    let cp = prepared.checkpoint(&[p1.id, p2.id]);
    assert!(cp.frontier.is_empty());
    sign(&mut r.town, &mut r.c1, &cp);
    sign(&mut r.town, &mut r.c2, &cp);
    tail(&mut r);
    let full = r.town.fold();
    assert_eq!(full.counted_checkpoints().len(), 1);
    assert_eq!(full.counted_checkpoints()[0].frontier, prepared.frontier);
    let row = &full.checkpoint_rows()[0];
    assert_eq!(row.events_here, Some(prepared.events));
    assert_eq!(row.state_here, Some(prepared.state));
    assert_eq!(row.matches, Some(true));
    let phone =
        Space::from_snapshot(r.town.space, &prepared.bytes, r.town.log.clone()).expect("test data");
    assert_same(&phone, &full);
    // Without a part the phone cannot check the frontier, and says so.
    let without: Vec<_> = r
        .town
        .log
        .iter()
        .filter(|e| e.id != p2.id)
        .cloned()
        .collect();
    let err = Space::from_snapshot(r.town.space, &prepared.bytes, without).expect_err("refused");
    assert_eq!(err, CheckpointError::MissingPart);
    // A part inside the frontier it belongs to is refused (a phone from the snapshot would
    // not hold it).
    let mut inside = chunks[0].clone();
    inside.0.insert(r.c1.device(), p1.seq);
    let bad = linli_domain::checkpoint::Checkpoint {
        frontier: inside,
        ..cp.clone()
    };
    assert_eq!(full.resolve(&bad), None);
}

/// A frontier longer than a checkpoint can name in parts (more than 100 × 180 devices: a
/// 50,000-resident community) is signed as a chain: each part names the one before it, and
/// the checkpoint names the last. Here a small town's frontier in a chain of three.
#[test]
fn a_checkpoint_naming_a_chain_of_parts_counts_and_a_phone_joins_from_it() {
    let mut r = rich();
    let view = r.town.fold();
    let prepared = view.next_checkpoint().expect("test data");
    let all: Vec<_> = prepared.frontier.0.iter().map(|(d, s)| (*d, *s)).collect();
    let chunks: Vec<Frontier> = all
        .chunks(all.len().div_ceil(3))
        .map(|c| Frontier(c.iter().copied().collect()))
        .collect();
    assert_eq!(chunks.len(), 3);
    let mut ids = Vec::new();
    for entries in &chunks {
        let part = checkpoint::FrontierPart {
            entries: entries.clone(),
            more: ids.last().copied(),
        };
        let e = r
            .town
            .command(&mut r.c1, &Command::Checkpoint(checkpoint::Act::Part(part)));
        ids.push(e.id);
    }
    let last = *ids.last().expect("three parts");
    let cp = prepared.checkpoint(&[last]);
    sign(&mut r.town, &mut r.c1, &cp);
    sign(&mut r.town, &mut r.c2, &cp);
    tail(&mut r);
    let full = r.town.fold();
    assert_eq!(full.counted_checkpoints().len(), 1);
    assert_eq!(full.counted_checkpoints()[0].frontier, prepared.frontier);
    assert_eq!(full.checkpoint_rows()[0].matches, Some(true));
    // Every part of the chain, for the published signatures file.
    assert_eq!(full.frontier_parts(&cp), Some(ids.clone()));
    let phone =
        Space::from_snapshot(r.town.space, &prepared.bytes, r.town.log.clone()).expect("test data");
    assert_same(&phone, &full);
    // A part missing in the middle of the chain: the phone cannot check the frontier.
    let without: Vec<_> = r
        .town
        .log
        .iter()
        .filter(|e| e.id != ids[1])
        .cloned()
        .collect();
    let err = Space::from_snapshot(r.town.space, &prepared.bytes, without).expect_err("refused");
    assert_eq!(err, CheckpointError::MissingPart);
    // The checkpoint naming only the first part covers less: its frontier is not the one
    // the snapshot was made at, so it does not match it.
    let short = prepared.checkpoint(&[ids[0]]);
    assert_ne!(full.resolve(&short), Some(prepared.frontier.clone()));
}

/// `Prepared::sign_parts` chains the parts of a frontier too long for one event.
#[test]
fn sign_parts_chains_a_long_frontier() {
    let r = rich();
    let view = r.town.fold();
    let mut prepared = view.next_checkpoint().expect("test data");
    // A frontier of 400 made-up devices (only its shape matters here).
    prepared.frontier = Frontier(
        (0..400u32)
            .map(|i| {
                let mut key = [0u8; 32];
                key[..4].copy_from_slice(&i.to_be_bytes());
                (linli_domain::id::Hex32(key), 1)
            })
            .collect(),
    );
    assert!(prepared.needs_parts());
    let mut signed = Vec::new();
    let cp = prepared.sign_parts(|act| {
        let checkpoint::Act::Part(p) = &act else {
            panic!("only parts before the checkpoint")
        };
        let id = linli_domain::id::sha256(format!("{}", signed.len()).as_bytes());
        signed.push((p.clone(), id));
        id
    });
    assert_eq!(signed.len(), 3, "180 + 180 + 40");
    assert_eq!(signed[0].0.more, None);
    assert_eq!(signed[1].0.more, Some(signed[0].1));
    assert_eq!(signed[2].0.more, Some(signed[1].1));
    assert_eq!(cp.parts, vec![signed[2].1]);
    assert!(cp.frontier.is_empty());
    let mut whole = Frontier::default();
    for (p, _) in &signed {
        whole.merge(&p.entries);
    }
    assert_eq!(whole, prepared.frontier);
}

#[test]
fn the_fold_judges_checkpoint_events() {
    let mut r = rich();
    let (cp, _) = prepare(&mut r);
    // A resident may not sign one.
    let e = sign(&mut r.town, &mut r.r1, &cp);
    // Naming events the signer had not folded.
    let mut ahead = cp.clone();
    *ahead.frontier.0.get_mut(&r.r2.device()).expect("test data") += 50;
    let f = sign(&mut r.town, &mut r.c1, &ahead);
    // Naming itself.
    let mut itself = cp.clone();
    itself.frontier.0.insert(r.c2.device(), 1_000);
    let g = sign(&mut r.town, &mut r.c2, &itself);
    // An unsorted frontier is malformed.
    let mut entries: Vec<_> = cp.frontier.0.iter().map(|(d, s)| json!([d, s])).collect();
    entries.reverse();
    let h = r.town.act(
        &mut r.c1,
        "space.checkpoint",
        json!({"frontier": entries, "events": cp.events, "state": cp.state, "snapshot": cp.snapshot}),
    );
    // Counted, then one that does not cover it.
    sign(&mut r.town, &mut r.c1, &cp);
    sign(&mut r.town, &mut r.c2, &cp);
    let mut behind = cp.clone();
    behind.frontier = Frontier([(r.town.admin.device(), 1)].into_iter().collect());
    let i = sign(&mut r.town, &mut r.c1, &behind);
    // Twice by one member.
    let j = sign(&mut r.town, &mut r.c1, &cp);
    let space = r.town.fold();
    let code = |id| space.state().rejection(&id);
    assert_eq!(code(e.id), Some(Code::NotPermitted));
    assert_eq!(code(f.id), Some(Code::CheckpointAhead));
    assert_eq!(code(g.id), Some(Code::CheckpointAhead));
    assert_eq!(code(h.id), Some(Code::MalformedPayload));
    assert_eq!(code(i.id), Some(Code::CheckpointBehind));
    assert_eq!(code(j.id), Some(Code::Duplicate));
    assert_eq!(space.counted_checkpoints().len(), 1);
}

/// One step of a random history: who acts, what they do, whether they sign it late (without
/// having seen anyone else's events), and whether the council first checkpoints (0: no, 1:
/// one signer only, 2+: both).
type Step = (u8, u8, bool, u8);

fn random_history(steps: &[Step]) -> (Rich, Vec<Vec<u8>>) {
    let mut r = rich();
    let mut snapshots = Vec::new();
    for &(who, what, late, ckpt) in steps {
        if ckpt > 0 {
            {
                let (cp, bytes) = prepare(&mut r);
                sign(&mut r.town, &mut r.c1, &cp);
                if ckpt > 1 {
                    sign(&mut r.town, &mut r.c2, &cp);
                }
                snapshots.push(bytes);
            }
        }
        let (kind, payload) = match what % 6 {
            0 => (
                "points.award",
                json!({"rule": r.rule, "member": if who % 2 == 0 { r.r1_id } else { r.r2_id }, "qty": 1, "note": ""}),
            ),
            1 => ("store.redeem", json!({"item": r.item, "qty": 1})),
            2 => (
                "poll.answer",
                json!({"poll": r.poll, "choices": [usize::from(what) % 2]}),
            ),
            3 => (
                "funds.entry",
                json!({"title": "x", "amount_fen": 1 + i64::from(what), "date": "2026-03-05", "category": "x"}),
            ),
            4 => ("store.restock", json!({"item": r.item, "add": 1})),
            _ => (
                "member.role",
                json!({"member": r.c2_id, "role": if what % 4 == 1 { "resident" } else { "council" }}),
            ),
        };
        let ts = r.town.next_ts + 1;
        let actor = match who % 6 {
            0 => &mut r.c1,
            1 => &mut r.c2,
            2 => &mut r.w,
            3 => &mut r.r1,
            4 => &mut r.r2,
            _ => &mut r.town.admin,
        };
        let e = if late {
            actor.sign(kind, &payload, ts, 0)
        } else {
            actor.sign(kind, &payload, ts, r.town.max_seen)
        };
        r.town.next_ts += 1000;
        r.town.max_seen = r.town.max_seen.max(e.lamport);
        r.town.log.push(e);
    }
    (r, snapshots)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// For random histories with checkpoints (some under-signed, some made while the signer
    /// is demoted, events signed late), a phone that starts from any counted checkpoint's
    /// snapshot and folds every event equals a phone that folds every event from the genesis,
    /// whatever the delivery order.
    #[test]
    fn snapshot_plus_tail_equals_the_full_fold(
        steps in proptest::collection::vec((0u8..6, 0u8..24, any::<bool>(), prop_oneof![4 => Just(0u8), 1 => Just(1u8), 2 => Just(2u8)]), 1..40),
        seed in 1u64..1000,
        batches in 1usize..5,
    ) {
        let (r, snapshots) = random_history(&steps);
        let full = r.town.fold();
        prop_assert_eq!(full.state(), &full.full_fold());
        let shuffled = r.town.fold_shuffled(seed, batches);
        prop_assert_eq!(shuffled.state(), full.state());
        prop_assert_eq!(keys(&shuffled), keys(&full));
        for row in full.checkpoint_rows() {
            prop_assert_eq!(row.matches, Some(true), "every checkpoint here is honest");
        }
        for bytes in &snapshots {
            let sha = linli_domain::envelope::sha256(bytes);
            let counted = full
                .counted_checkpoints()
                .iter()
                .any(|c| c.checkpoint.snapshot.sha256 == sha);
            let phone = Space::from_snapshot(r.town.space, bytes, r.town.log.clone());
            match phone {
                Ok(phone) => {
                    prop_assert!(counted, "the phone counted what the full fold did not");
                    prop_assert_eq!(phone.state().to_canonical_json(), full.state().to_canonical_json());
                    prop_assert_eq!(phone.state(), full.state());
                    prop_assert_eq!(keys(&phone), keys(&full));
                }
                Err(e) => prop_assert!(!counted, "counted by the full fold, refused: {e}"),
            }
        }
    }
}

/// The app leaves out, before checking their signatures, the envelopes a snapshot covers
/// (`Space::cover`): exactly those `insert` would skip, so a phone that never opens them
/// holds the same state.
#[test]
fn the_envelopes_a_snapshot_covers_are_told_apart_before_their_signatures_are_checked() {
    let mut r = rich();
    let (cp, bytes) = counted_checkpoint(&mut r);
    tail(&mut r);
    let full = r.town.fold();
    let verified = linli_domain::space::verify_checkpoint(r.town.space, &bytes, &r.town.log)
        .expect("a counted checkpoint");
    let phone = Space::from_verified(verified);
    let cover = phone.cover().expect("started from a snapshot");
    assert!(full.cover().is_none(), "folded from the genesis");
    let mut opener = linli_domain::Opener::default();
    let mut kept = Vec::new();
    let mut skipped = 0;
    for e in &r.town.log {
        let u = opener.prepare(&e.envelope).expect("a good envelope");
        let inside = cp.frontier.covers_event(&e.author, e.seq);
        assert_eq!(cover.covers(&u), inside, "seq {} of {:?}", e.seq, e.author);
        if inside {
            skipped += 1;
        } else {
            kept.push(e.clone());
        }
    }
    assert!(skipped > 0 && !kept.is_empty());
    let mut phone = phone;
    phone.insert(kept);
    assert_same(&phone, &full);
    // An event of another community is never covered, whatever its seq: the same device
    // (seq 1, inside the frontier here) signing in a space of another id.
    let mut elsewhere =
        linli_domain::ChainWriter::new(&common::seed(0), Some(linli_domain::Hex32([7; 32])));
    let stranger = elsewhere.sign("funds.entry", &json!({"title": "x"}), 1, 0);
    assert!(cp.frontier.covers_event(&stranger.author, stranger.seq));
    let u = opener.prepare(&stranger.envelope).expect("a good envelope");
    assert!(!cover.covers(&u));
    assert!(cover.covers(
        &opener
            .prepare(&r.town.log[0].envelope)
            .expect("the genesis")
    ));
}
