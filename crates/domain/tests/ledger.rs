//! The monthly ledger (台账): one month of a small community's business — a ballot, a
//! meeting, points and the store, volunteer hours, requests, a poll and the funds — compiled
//! from the fold alone; what falls outside the month stays out.

mod common;

use std::collections::BTreeMap;

use common::Town;
use linli_domain::council::Outcome;
use linli_domain::ledger::{month, month_start};
use linli_domain::points::month_utc8;
use linli_domain::Event;
use serde_json::{json, Value};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn id(e: &Event) -> String {
    e.id.to_hex()
}

fn frontier(town: &Town) -> Value {
    let mut f: BTreeMap<String, u64> = BTreeMap::new();
    for e in &town.log {
        let s = f.entry(e.author.to_hex()).or_default();
        *s = (*s).max(e.seq);
    }
    json!(f)
}

#[test]
fn a_month_of_business_from_the_log_alone() {
    let mut town = Town::new();
    let march = 2026 * 12 + 2;
    let (mut council, _) = town.member(1, "council");
    let (mut council2, _) = town.member(4, "council");
    let (mut worker, _) = town.member(2, "worker");
    let (mut r0, m0) = town.member(10, "resident");
    let (mut r1, m1) = town.member(11, "resident");
    // February: a request and points outside the month.
    town.next_ts = month_start(march) - DAY;
    let rule = town.act(
        &mut council,
        "points.rule",
        json!({"title": "志愿服务", "points": 10, "list": "red", "claimable": false, "cap_month": 0}),
    );
    let minus = town.act(
        &mut council,
        "points.rule",
        json!({"title": "乱扔垃圾", "points": -5, "list": "black", "claimable": false, "cap_month": 0}),
    );
    town.act(
        &mut worker,
        "points.award",
        json!({"rule": id(&rule), "member": m0.to_hex(), "qty": 1, "note": ""}),
    );
    let old = town.act(
        &mut r0,
        "request.open",
        json!({"title": "路灯坏了", "body": "", "category": "维修", "urgent": false, "grid": ""}),
    );
    // March.
    town.next_ts = month_start(march) + 2 * DAY;
    let p = town.act(
        &mut r0,
        "proposal.create",
        json!({"title": "加装充电桩", "body": "", "eligibility": "resident", "quorum_pct": 0,
               "threshold": "simple", "seconds_needed": 0}),
    );
    town.act(&mut council, "ballot.open", json!({"proposal": id(&p)}));
    town.act(
        &mut r0,
        "vote.cast",
        json!({"proposal": id(&p), "choice": 0}),
    );
    town.act(
        &mut r1,
        "vote.cast",
        json!({"proposal": id(&p), "choice": 0}),
    );
    let f = frontier(&town);
    town.act(
        &mut council,
        "ballot.close",
        json!({"proposal": id(&p), "frontier": f}),
    );
    town.act(
        &mut worker,
        "points.award",
        json!({"rule": id(&rule), "member": m1.to_hex(), "qty": 3, "note": ""}),
    );
    town.act(
        &mut worker,
        "points.award",
        json!({"rule": id(&minus), "member": m1.to_hex(), "qty": 1, "note": ""}),
    );
    let item = town.act(
        &mut worker,
        "store.item",
        json!({"title": "毛巾", "cost": 4, "stock": 5}),
    );
    town.act(
        &mut r1,
        "store.redeem",
        json!({"item": id(&item), "qty": 2}),
    );
    let start = town.next_ts + HOUR;
    let a = town.act(
        &mut worker,
        "activity.create",
        json!({"title": "楼道清理", "body": "", "place": "", "grid": "", "start": start, "end": start + 2 * HOUR,
               "slots": 2, "skills": [], "rule": id(&rule), "waitlist": false}),
    );
    town.act(&mut r0, "activity.signup", json!({"activity": id(&a)}));
    town.act(&mut r1, "activity.signup", json!({"activity": id(&a)}));
    for m in [m0, m1] {
        town.act(
            &mut worker,
            "activity.hours",
            json!({"activity": id(&a), "member": m.to_hex(), "minutes": 90}),
        );
    }
    let req = town.act(
        &mut r1,
        "request.open",
        json!({"title": "买药", "body": "", "category": "助老", "urgent": true, "grid": ""}),
    );
    town.act(&mut worker, "request.take", json!({"request": id(&req)}));
    town.next_ts += 3 * HOUR;
    town.act(
        &mut worker,
        "request.resolve",
        json!({"request": id(&req), "text": "送到了"}),
    );
    town.act(
        &mut r1,
        "request.rate",
        json!({"request": id(&req), "stars": 5, "text": "谢谢"}),
    );
    let poll = town.act(
        &mut worker,
        "poll.create",
        json!({"question": "周末活动？", "options": ["书法", "义诊"], "multi": false, "closes": town.next_ts + DAY}),
    );
    town.act(
        &mut r0,
        "poll.answer",
        json!({"poll": id(&poll), "choices": [1]}),
    );
    town.act(
        &mut council,
        "funds.entry",
        json!({"title": "活动经费", "amount_fen": 500_000, "date": "2026-03-02", "category": "上级拨款"}),
    );
    let spend = town.act(
        &mut council,
        "funds.entry",
        json!({"title": "清洁用品", "amount_fen": -12_000, "date": "2026-03-03", "category": "活动"}),
    );
    let dup = town.act(
        &mut council,
        "funds.entry",
        json!({"title": "清洁用品", "amount_fen": -12_000, "date": "2026-03-03", "category": "活动"}),
    );
    town.act(
        &mut council2,
        "funds.void",
        json!({"entry": id(&dup), "reason": "重复"}),
    );
    town.act(
        &mut council,
        "funds.entry",
        json!({"title": "二月账", "amount_fen": -1, "date": "2026-02-28", "category": "活动"}),
    );
    let _ = &spend;
    let space = town.fold();
    assert_eq!(
        space.state().rejected_count(),
        0,
        "{:?}",
        space.state().rejected().collect::<Vec<_>>()
    );
    // The audit prints the state check code the printed ledger carries.
    let hash = space.state().state_hash();
    assert_eq!(hash.len(), 12);
    assert_eq!(linli_domain::audit::report(&space).state_hash, hash);
    assert_eq!(month_utc8(old.ts), march - 1);
    assert_eq!(month_utc8(town.log.last().map_or(0, |e| e.ts)), march);

    let l = month(space.state(), march);
    assert_eq!(l.proposals, 1);
    assert_eq!(l.ballots.len(), 1);
    assert_eq!(
        (l.ballots[0].outcome, l.ballots[0].cast),
        (Outcome::Passed, 2)
    );
    // 30 awarded and 30 of hours (⌊10 × 90 / 60⌋ = 15 each); 5 deducted; February's 10 out.
    assert_eq!((l.awarded, l.deducted, l.entries), (60, 5, 4));
    assert_eq!((l.redeemed, l.redemptions), (8, 1));
    assert_eq!(l.red_list, 2);
    assert_eq!(l.black_list, 1);
    assert_eq!(l.activities.len(), 1);
    assert_eq!(
        (l.activities[0].volunteers, l.activities[0].minutes),
        (2, 180)
    );
    assert_eq!((l.requests_opened, l.requests_resolved), (1, 1));
    assert_eq!(l.requests_overdue, 1, "February's request, never taken");
    assert_eq!(l.ratings, (1, 1));
    assert_eq!(l.resolve_median_minutes, Some(180));
    assert_eq!(l.polls.len(), 1);
    assert_eq!(l.polls[0].counts, vec![0, 1]);
    assert_eq!(l.funds, (500_000, 12_000, 2));

    let feb = month(space.state(), march - 1);
    // Opened a day before the end of February: not yet 48 hours old then.
    assert_eq!(
        (feb.awarded, feb.requests_opened, feb.requests_overdue),
        (10, 1, 0)
    );
    assert_eq!(feb.funds, (0, 1, 1));
    assert!(feb.ballots.is_empty() && feb.polls.is_empty());
}
