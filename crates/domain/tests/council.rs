//! Resident councils: every rule and its rejection code; quorum and thresholds at their edges;
//! votes changed, late, outside the frontier, from a revoked device; households; meetings.

mod common;

use std::collections::BTreeMap;

use common::Town;
use linli_domain::council::{code_hash, Outcome, Status};
use linli_domain::{ChainWriter, Code, Event, EventId, Space};
use serde_json::{json, Value};

fn code(space: &Space, e: &Event) -> Option<Code> {
    space.state().rejection(&e.id)
}

fn proposal(town: &mut Town, by: &mut ChainWriter, extra: Value) -> Event {
    let mut p = json!({
        "title": "在3号楼前加装充电桩",
        "body": "电动车在楼道充电有火灾隐患，建议在3号楼前空地加装10个充电桩。",
        "category": "安全",
        "eligibility": "resident",
        "quorum_pct": 0,
        "threshold": "simple",
        "seconds_needed": 2
    });
    if let (Some(p), Some(extra)) = (p.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            p.insert(k.clone(), v.clone());
        }
    }
    town.act(by, "proposal.create", p)
}

fn pid(e: &Event) -> String {
    e.id.to_hex()
}

/// The frontier naming every device's last seq in the log so far.
fn frontier(town: &Town) -> Value {
    let mut f: BTreeMap<String, u64> = BTreeMap::new();
    for e in &town.log {
        let s = f.entry(e.author.to_hex()).or_default();
        *s = (*s).max(e.seq);
    }
    json!(f)
}

struct Setup {
    town: Town,
    council: ChainWriter,
    residents: Vec<(ChainWriter, EventId)>,
}

/// An admin, one council member (device 1) and `n` residents (devices 10…).
fn setup(n: u32) -> Setup {
    let mut town = Town::new();
    let (council, _) = town.member(1, "council");
    let residents = (0..n).map(|i| town.member(10 + i, "resident")).collect();
    Setup {
        town,
        council,
        residents,
    }
}

fn open_ballot(s: &mut Setup, extra: Value) -> Event {
    let mut r0 = s.residents.remove(0);
    let p = proposal(&mut s.town, &mut r0.0, extra);
    for r in s.residents.iter_mut().take(2) {
        s.town
            .act(&mut r.0, "proposal.second", json!({"proposal": pid(&p)}));
    }
    s.residents.insert(0, r0);
    let mut c = std::mem::replace(&mut s.council, ChainWriter::new(&[0; 32], None));
    s.town
        .act(&mut c, "ballot.open", json!({"proposal": pid(&p)}));
    s.council = c;
    p
}

fn vote(s: &mut Setup, who: usize, p: &Event, choice: u32) -> Event {
    let mut w = std::mem::replace(&mut s.residents[who].0, ChainWriter::new(&[0; 32], None));
    let e = s.town.act(
        &mut w,
        "vote.cast",
        json!({"proposal": pid(p), "choice": choice}),
    );
    s.residents[who].0 = w;
    e
}

fn close(s: &mut Setup, p: &Event, frontier: Value) -> Event {
    let mut c = std::mem::replace(&mut s.council, ChainWriter::new(&[0; 32], None));
    let e = s.town.act(
        &mut c,
        "ballot.close",
        json!({"proposal": pid(p), "frontier": frontier}),
    );
    s.council = c;
    e
}

#[test]
fn proposals_collect_seconds_from_distinct_members_then_open() {
    let mut s = setup(4);
    let mut author = s.residents.remove(0).0;
    let p = proposal(&mut s.town, &mut author, json!({}));
    let own = s
        .town
        .act(&mut author, "proposal.second", json!({"proposal": pid(&p)}));
    let mut c = s.council;
    let early = s
        .town
        .act(&mut c, "ballot.open", json!({"proposal": pid(&p)}));
    let first = s.town.act(
        &mut s.residents[0].0,
        "proposal.second",
        json!({"proposal": pid(&p)}),
    );
    let again = s.town.act(
        &mut s.residents[0].0,
        "proposal.second",
        json!({"proposal": pid(&p)}),
    );
    s.town.act(
        &mut s.residents[1].0,
        "proposal.second",
        json!({"proposal": pid(&p)}),
    );
    let by_resident = s.town.act(
        &mut s.residents[2].0,
        "ballot.open",
        json!({"proposal": pid(&p)}),
    );
    let open = s
        .town
        .act(&mut c, "ballot.open", json!({"proposal": pid(&p)}));
    let late_second = s.town.act(
        &mut s.residents[2].0,
        "proposal.second",
        json!({"proposal": pid(&p)}),
    );
    let unknown = s
        .town
        .act(&mut c, "ballot.open", json!({"proposal": "00".repeat(32)}));
    let space = s.town.fold();
    assert_eq!(code(&space, &own), Some(Code::NotEligible));
    assert_eq!(code(&space, &early), Some(Code::WrongState));
    assert_eq!(code(&space, &first), None);
    assert_eq!(code(&space, &again), Some(Code::Duplicate));
    assert_eq!(code(&space, &by_resident), Some(Code::NotPermitted));
    assert_eq!(code(&space, &open), None);
    assert_eq!(code(&space, &late_second), Some(Code::WrongState));
    assert_eq!(code(&space, &unknown), Some(Code::UnknownProposal));
    let prop = space.state().council.proposal(&p.id).expect("proposal");
    assert_eq!(prop.status, Status::Voting);
    assert_eq!(prop.seconds.len(), 2);
    assert_eq!(&*prop.spec.options[0], "赞成", "default options");
}

#[test]
fn an_announced_end_is_shown_never_enforced() {
    // The open may say when voting ends (ms > 0); no rule reads it against a clock.
    const DAY: i64 = 86_400_000;
    let mut s = setup(4);
    let mut author = s.residents.remove(0).0;
    let p = proposal(&mut s.town, &mut author, json!({"seconds_needed": 0}));
    let mut c = s.council;
    let negative = s.town.act(
        &mut c,
        "ballot.open",
        json!({"proposal": pid(&p), "ends": -5}),
    );
    let zero = s.town.act(
        &mut c,
        "ballot.open",
        json!({"proposal": pid(&p), "ends": 0}),
    );
    let extra = s.town.act(
        &mut c,
        "ballot.open",
        json!({"proposal": pid(&p), "ends": DAY, "closes": 1}),
    );
    let ends = s.town.next_ts + 7 * DAY;
    let open = s.town.act(
        &mut c,
        "ballot.open",
        json!({"proposal": pid(&p), "ends": ends}),
    );
    // Votes after the announced end still count: only the close fixes the result.
    s.town.next_ts = ends + DAY;
    let late = s.town.act(
        &mut s.residents[0].0,
        "vote.cast",
        json!({"proposal": pid(&p), "choice": 0}),
    );
    let f = frontier(&s.town);
    let close = s.town.act(
        &mut c,
        "ballot.close",
        json!({"proposal": pid(&p), "frontier": f}),
    );
    let space = s.town.fold();
    assert_eq!(code(&space, &negative), Some(Code::MalformedPayload));
    assert_eq!(code(&space, &zero), Some(Code::MalformedPayload));
    assert_eq!(code(&space, &extra), Some(Code::MalformedPayload));
    assert_eq!(code(&space, &open), None);
    assert_eq!(code(&space, &late), None);
    assert_eq!(code(&space, &close), None);
    let prop = space.state().council.proposal(&p.id).expect("p");
    let period = prop.period.expect("opened");
    assert_eq!((period.opened, period.ends), (open.ts, Some(ends)));
    assert!(!period.overdue(ends - 1) && period.overdue(ends));
    assert_eq!(prop.tally.as_ref().map(|t| t.cast), Some(1));
}

#[test]
fn votes_change_until_the_close_and_the_frontier_decides_what_counts() {
    let mut s = setup(5);
    let p = open_ballot(&mut s, json!({}));
    vote(&mut s, 0, &p, 0);
    vote(&mut s, 1, &p, 1);
    vote(&mut s, 1, &p, 0); // changed: yes counts, no does not
    vote(&mut s, 2, &p, 2);
    let bad = vote(&mut s, 3, &p, 7);
    // Resident 4 votes, but the closer has not seen it: its seq is outside the frontier.
    let f = frontier(&s.town);
    let unseen = vote(&mut s, 4, &p, 1);
    let c = close(&mut s, &p, f);
    let after = vote(&mut s, 3, &p, 1);
    let space = s.town.fold();
    assert_eq!(code(&space, &bad), Some(Code::BadChoice));
    assert_eq!(code(&space, &unseen), None, "recorded, not counted");
    assert_eq!(code(&space, &c), None);
    assert_eq!(code(&space, &after), Some(Code::WrongState));
    let t = space
        .state()
        .council
        .proposal(&p.id)
        .expect("p")
        .tally
        .clone()
        .expect("closed");
    assert_eq!(t.counts, vec![2, 0, 1]);
    assert_eq!(
        (t.cast, t.eligible),
        (3, 7),
        "admin + council + 5 residents"
    );
    assert_eq!(t.outcome, Outcome::Passed);
}

#[test]
fn quorum_and_thresholds_at_their_edges() {
    // 10 eligible (admin, council, 8 residents): quorum 30 % needs 100 × cast > 300, so 4.
    for (cast, yes, threshold, quorum, want) in [
        (3, 3, "simple", 30, Outcome::NoQuorum),
        (4, 3, "simple", 30, Outcome::Passed),
        (4, 2, "simple", 30, Outcome::Rejected), // 2 × 2 > 4 fails
        (6, 4, "two_thirds", 0, Outcome::Passed), // 4 × 3 ≥ 12
        (6, 3, "two_thirds", 0, Outcome::Rejected),
        (0, 0, "simple", 0, Outcome::NoQuorum), // quorum 0 still needs one vote
    ] {
        let mut s = setup(8);
        let p = open_ballot(
            &mut s,
            json!({"threshold": threshold, "quorum_pct": quorum}),
        );
        for i in 0..cast {
            vote(&mut s, i, &p, u32::from(i >= yes));
        }
        let f = frontier(&s.town);
        close(&mut s, &p, f);
        let space = s.town.fold();
        let t = space
            .state()
            .council
            .proposal(&p.id)
            .expect("p")
            .tally
            .clone()
            .expect("t");
        assert_eq!(t.eligible, 10);
        assert_eq!(
            t.outcome, want,
            "cast {cast} yes {yes} {threshold} {quorum}"
        );
    }
}

#[test]
fn households_vote_once_and_council_ballots_are_for_the_council() {
    let mut town = Town::new();
    let (mut c, _) = town.member(1, "council");
    town.invite(None, 20, "resident", "A-101");
    let (mut a1, _) = town.join(20, "张三");
    town.invite(None, 21, "resident", "A-101");
    let (mut a2, _) = town.join(21, "张三的妻子");
    town.invite(None, 22, "resident", "B-202");
    let (mut b, _) = town.join(22, "李四");
    let ph = town.act(
        &mut c,
        "proposal.create",
        json!({"title": "楼道粉刷", "eligibility": "household", "quorum_pct": 0, "threshold": "simple", "seconds_needed": 0}),
    );
    town.act(&mut c, "ballot.open", json!({"proposal": pid(&ph)}));
    town.act(
        &mut a1,
        "vote.cast",
        json!({"proposal": pid(&ph), "choice": 0}),
    );
    town.act(
        &mut a2,
        "vote.cast",
        json!({"proposal": pid(&ph), "choice": 1}),
    );
    town.act(
        &mut b,
        "vote.cast",
        json!({"proposal": pid(&ph), "choice": 0}),
    );
    let pc = town.act(
        &mut c,
        "proposal.create",
        json!({"title": "议事规则修订", "eligibility": "council", "quorum_pct": 50, "threshold": "two_thirds", "seconds_needed": 0}),
    );
    town.act(&mut c, "ballot.open", json!({"proposal": pid(&pc)}));
    let resident_vote = town.act(
        &mut b,
        "vote.cast",
        json!({"proposal": pid(&pc), "choice": 0}),
    );
    town.act(
        &mut c,
        "vote.cast",
        json!({"proposal": pid(&pc), "choice": 0}),
    );
    let mut f: BTreeMap<String, u64> = BTreeMap::new();
    for e in &town.log {
        f.insert(
            e.author.to_hex(),
            e.seq.max(f.get(&e.author.to_hex()).copied().unwrap_or(0)),
        );
    }
    town.act(
        &mut c,
        "ballot.close",
        json!({"proposal": pid(&ph), "frontier": f}),
    );
    town.act(
        &mut c,
        "ballot.close",
        json!({"proposal": pid(&pc), "frontier": f}),
    );
    let space = town.fold();
    let council = &space.state().council;
    let th = council
        .proposal(&ph.id)
        .expect("h")
        .tally
        .clone()
        .expect("t");
    // Households: A-101 (last vote: no), B-202 (yes), H-001 (the council member's), A-000.
    assert_eq!(th.counts, vec![1, 1, 0]);
    assert_eq!((th.cast, th.eligible), (2, 4));
    assert_eq!(th.outcome, Outcome::Rejected);
    assert_eq!(code(&space, &resident_vote), Some(Code::NotEligible));
    let tc = council
        .proposal(&pc.id)
        .expect("c")
        .tally
        .clone()
        .expect("t");
    // Exactly half is not a quorum: 100 × 1 > 50 × 2 fails.
    assert_eq!(
        (tc.cast, tc.eligible, tc.outcome),
        (1, 2, Outcome::NoQuorum)
    );
}

#[test]
fn a_revoked_device_votes_no_more_and_late_arrivals_do_not_change_a_closed_tally() {
    let mut s = setup(3);
    let p = open_ballot(&mut s, json!({}));
    let before = vote(&mut s, 0, &p, 0);
    let dev = s.residents[0].0.device().to_hex();
    s.town
        .admin_act("member.device_revoke", json!({"device": dev}));
    let after_revoke = vote(&mut s, 0, &p, 1);
    let f = frontier(&s.town);
    close(&mut s, &p, f);
    let space = s.town.fold();
    assert_eq!(code(&space, &before), None);
    assert_eq!(code(&space, &after_revoke), Some(Code::RevokedDevice));
    let t = space
        .state()
        .council
        .proposal(&p.id)
        .expect("p")
        .tally
        .clone()
        .expect("t");
    assert_eq!(t.counts, vec![1, 0, 0]);

    // Any arrival order: the same tally (a vote held back and delivered last).
    let mut log = s.town.log.clone();
    let held = log.remove(log.iter().position(|e| e.id == before.id).expect("vote"));
    let mut late = Space::new(s.town.space);
    late.insert(log);
    late.insert([held]);
    assert_eq!(
        late.state().to_canonical_json(),
        space.state().to_canonical_json()
    );
}

#[test]
fn withdraw_comments_moderation_and_follow_up() {
    let mut s = setup(4);
    let mut author = s.residents.remove(0).0;
    let p = proposal(&mut s.town, &mut author, json!({"seconds_needed": 0}));
    let comment = s.town.act(
        &mut s.residents[0].0,
        "proposal.comment",
        json!({"proposal": pid(&p), "text": "建议先征求一楼住户意见"}),
    );
    let rude = s.town.act(
        &mut s.residents[1].0,
        "proposal.comment",
        json!({"proposal": pid(&p), "text": "（不文明用语）"}),
    );
    let hide_by_resident = s.town.act(
        &mut s.residents[0].0,
        "comment.hide",
        json!({"comment": rude.id.to_hex(), "reason": "不文明"}),
    );
    let mut c = s.council;
    s.town.act(
        &mut c,
        "comment.hide",
        json!({"comment": rude.id.to_hex(), "reason": "含不文明用语"}),
    );
    let not_mine = s.town.act(
        &mut s.residents[0].0,
        "proposal.withdraw",
        json!({"proposal": pid(&p)}),
    );
    // A second proposal is withdrawn by its author before any ballot.
    let q = proposal(&mut s.town, &mut author, json!({}));
    let w = s.town.act(
        &mut author,
        "proposal.withdraw",
        json!({"proposal": pid(&q)}),
    );
    let open_withdrawn = s
        .town
        .act(&mut c, "ballot.open", json!({"proposal": pid(&q)}));
    // The first one passes, then is carried out.
    s.town
        .act(&mut c, "ballot.open", json!({"proposal": pid(&p)}));
    s.town.act(
        &mut c,
        "vote.cast",
        json!({"proposal": pid(&p), "choice": 0}),
    );
    let early_progress = s.town.act(
        &mut c,
        "proposal.progress",
        json!({"proposal": pid(&p), "text": "已联系供电公司"}),
    );
    let f = frontier(&s.town);
    s.town.act(
        &mut c,
        "ballot.close",
        json!({"proposal": pid(&p), "frontier": f}),
    );
    let by_resident = s.town.act(
        &mut s.residents[0].0,
        "proposal.progress",
        json!({"proposal": pid(&p), "text": "我看到施工了"}),
    );
    s.town.act(
        &mut c,
        "proposal.progress",
        json!({"proposal": pid(&p), "text": "施工队已进场"}),
    );
    s.town.act(
        &mut c,
        "proposal.progress",
        json!({"proposal": pid(&p), "text": "10个充电桩已投入使用", "done": true}),
    );
    let after_done = s.town.act(
        &mut c,
        "proposal.progress",
        json!({"proposal": pid(&p), "text": "再补一条"}),
    );
    let space = s.town.fold();
    let council = &space.state().council;
    let prop = council.proposal(&p.id).expect("p");
    assert_eq!(code(&space, &comment), None);
    assert_eq!(code(&space, &hide_by_resident), Some(Code::NotPermitted));
    assert_eq!(prop.comments.len(), 2, "hidden, never deleted");
    assert_eq!(prop.comments[1].hidden.as_deref(), Some("含不文明用语"));
    assert_eq!(code(&space, &not_mine), Some(Code::NotPermitted));
    assert_eq!(code(&space, &w), None);
    assert_eq!(
        council.proposal(&q.id).map(|q| q.status),
        Some(Status::Withdrawn)
    );
    assert_eq!(code(&space, &open_withdrawn), Some(Code::WrongState));
    assert_eq!(code(&space, &early_progress), Some(Code::WrongState));
    assert_eq!(code(&space, &by_resident), Some(Code::NotPermitted));
    assert_eq!(code(&space, &after_done), Some(Code::WrongState));
    assert_eq!(prop.status, Status::Done);
    assert_eq!(prop.progress.len(), 2);
}

#[test]
fn meetings_take_attendance_with_the_code_until_the_minutes() {
    let mut s = setup(3);
    let mut c = s.council;
    let m = s.town.act(
        &mut c,
        "meeting.schedule",
        json!({"title": "十一月居民议事会", "at": 1_700_000_000_000i64, "place": "社区活动室", "code_hash": code_hash("7Q4K-2M9X").to_hex()}),
    );
    let ok = s.town.act(
        &mut s.residents[0].0,
        "meeting.checkin",
        json!({"meeting": m.id.to_hex(), "code": "7Q4K-2M9X"}),
    );
    let twice = s.town.act(
        &mut s.residents[0].0,
        "meeting.checkin",
        json!({"meeting": m.id.to_hex(), "code": "7Q4K-2M9X"}),
    );
    let wrong = s.town.act(
        &mut s.residents[1].0,
        "meeting.checkin",
        json!({"meeting": m.id.to_hex(), "code": "0000-0000"}),
    );
    let by_resident = s.town.act(
        &mut s.residents[1].0,
        "meeting.schedule",
        json!({"title": "私自开会", "at": 0, "code_hash": code_hash("x").to_hex()}),
    );
    s.town.act(
        &mut c,
        "meeting.minutes",
        json!({"meeting": m.id.to_hex(), "text": "一、充电桩方案通过。二、下月讨论停车。"}),
    );
    let after = s.town.act(
        &mut s.residents[2].0,
        "meeting.checkin",
        json!({"meeting": m.id.to_hex(), "code": "7Q4K-2M9X"}),
    );
    let space = s.town.fold();
    assert_eq!(code(&space, &ok), None);
    assert_eq!(code(&space, &twice), Some(Code::Duplicate));
    assert_eq!(code(&space, &wrong), Some(Code::WrongCode));
    assert_eq!(code(&space, &by_resident), Some(Code::NotPermitted));
    assert_eq!(code(&space, &after), Some(Code::WrongState));
    let meeting = &space.state().council.meetings()[0];
    assert_eq!(meeting.attendance.len(), 1);
    assert!(meeting.minutes.is_some());
    let report = linli_domain::audit::report(&space);
    assert_eq!(report.meetings.len(), 1);
}

#[test]
fn malformed_council_payloads_are_rejected_with_their_codes() {
    let mut s = setup(1);
    let mut r = s.residents.remove(0).0;
    let long = "长".repeat(101);
    let cases = [
        (
            json!({"title": "", "eligibility": "resident", "quorum_pct": 0, "threshold": "simple", "seconds_needed": 0}),
            Code::MalformedPayload,
        ),
        (
            json!({"title": long, "eligibility": "resident", "quorum_pct": 0, "threshold": "simple", "seconds_needed": 0}),
            Code::OverLimit,
        ),
        (
            json!({"title": "t", "eligibility": "resident", "quorum_pct": 101, "threshold": "simple", "seconds_needed": 0}),
            Code::MalformedPayload,
        ),
        (
            json!({"title": "t", "eligibility": "everyone", "quorum_pct": 0, "threshold": "simple", "seconds_needed": 0}),
            Code::MalformedPayload,
        ),
        (
            json!({"title": "t", "options": ["只有一个"], "eligibility": "resident", "quorum_pct": 0, "threshold": "simple", "seconds_needed": 0}),
            Code::MalformedPayload,
        ),
        (
            json!({"title": "t", "eligibility": "resident", "quorum_pct": 0, "threshold": "simple", "seconds_needed": 0, "extra": 1}),
            Code::MalformedPayload,
        ),
    ];
    let events: Vec<(Event, Code)> = cases
        .into_iter()
        .map(|(payload, want)| (s.town.act(&mut r, "proposal.create", payload), want))
        .collect();
    let space = s.town.fold();
    for (e, want) in events {
        assert_eq!(code(&space, &e), Some(want));
    }
}

mod order {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Any arrival order and batching of the same events gives the same tally (and the
        /// same state, byte for byte).
        #[test]
        fn the_tally_does_not_depend_on_arrival_order(
            votes in proptest::collection::vec((0usize..6, 0u32..3), 1..30),
            seed in any::<u64>(),
            batches in 1usize..5,
        ) {
            let mut s = setup(6);
            let p = open_ballot(&mut s, json!({"quorum_pct": 20}));
            for (who, choice) in votes {
                vote(&mut s, who, &p, choice);
            }
            let f = frontier(&s.town);
            close(&mut s, &p, f);
            let in_order = s.town.fold();

            let space = s.town.fold_shuffled(seed, batches);
            prop_assert_eq!(
                space.state().to_canonical_json(),
                in_order.state().to_canonical_json()
            );
            prop_assert!(in_order.state().council.proposal(&p.id).and_then(|p| p.tally.clone()).is_some());
        }
    }
}

#[test]
fn a_long_frontier_comes_in_parts() {
    let mut s = setup(4);
    let p = open_ballot(&mut s, json!({}));
    vote(&mut s, 0, &p, 0);
    vote(&mut s, 1, &p, 0);
    vote(&mut s, 2, &p, 1);
    // The frontier split in two parts, plus nothing inline.
    let f = frontier(&s.town);
    let entries: Vec<(String, Value)> = f
        .as_object()
        .expect("map")
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let (a, b) = entries.split_at(entries.len() / 2);
    let mut c = std::mem::replace(&mut s.council, ChainWriter::new(&[0; 32], None));
    let part_a = s.town.act(
        &mut c,
        "ballot.frontier",
        json!({"proposal": pid(&p), "entries": a.iter().cloned().collect::<serde_json::Map<_, _>>()}),
    );
    let part_b = s.town.act(
        &mut c,
        "ballot.frontier",
        json!({"proposal": pid(&p), "entries": b.iter().cloned().collect::<serde_json::Map<_, _>>()}),
    );
    let missing = s.town.act(
        &mut c,
        "ballot.close",
        json!({"proposal": pid(&p), "parts": [pid(&p)]}),
    );
    let by_resident = s.town.act(
        &mut s.residents[3].0,
        "ballot.frontier",
        json!({"proposal": pid(&p), "entries": {}}),
    );
    let close = s.town.act(
        &mut c,
        "ballot.close",
        json!({"proposal": pid(&p), "parts": [pid(&part_a), pid(&part_b)]}),
    );
    let space = s.town.fold();
    assert_eq!(code(&space, &missing), Some(Code::MissingFrontier));
    assert_eq!(code(&space, &by_resident), Some(Code::NotPermitted));
    assert_eq!(code(&space, &close), None);
    let t = space
        .state()
        .council
        .proposal(&p.id)
        .expect("p")
        .tally
        .clone()
        .expect("t");
    assert_eq!(t.counts, vec![2, 1, 0]);
    let too_long: serde_json::Map<String, Value> = (0..151u32)
        .map(|i| {
            (
                linli_domain::envelope::sha256(&i.to_le_bytes()).to_hex(),
                json!(1),
            )
        })
        .collect();
    let big = s.town.act(
        &mut c,
        "ballot.frontier",
        json!({"proposal": pid(&p), "entries": too_long}),
    );
    assert_eq!(code(&s.town.fold(), &big), Some(Code::OverLimit));
}
