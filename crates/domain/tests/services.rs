//! The everyday services (§3.7): every rule and its rejection code — requests owned by the
//! first who takes them, transferred to staff only, resolved and rated by the requester once,
//! reopened within 7 days; polls answered until the close (latest wins, one choice unless
//! multi); board posts; the funds ledger voided by another council member — the audit's
//! sections, and any arrival order or batching giving the same state byte for byte.

mod common;

use common::Town;
use linli_domain::audit::report;
use linli_domain::services::{RequestStatus, REOPEN_WINDOW_MS};
use linli_domain::{ChainWriter, Code, Event, EventId, Space};
use serde_json::{json, Value};

const HOUR: i64 = 3_600_000;

fn code(space: &Space, e: &Event) -> Option<Code> {
    space.state().rejection(&e.id)
}

fn id(e: &Event) -> String {
    e.id.to_hex()
}

/// The admin (device 0), two council members (1, 4), two workers (2, 3), three residents
/// (10–12), each a writer and a member id.
struct Setup {
    town: Town,
    people: Vec<(ChainWriter, EventId)>,
}

const COUNCIL: usize = 0;
const COUNCIL2: usize = 1;
const WORKER: usize = 2;
const WORKER2: usize = 3;
const RESIDENT: usize = 4;
const RESIDENT2: usize = 5;

fn setup() -> Setup {
    let mut town = Town::new();
    let mut people = Vec::new();
    for (n, role) in [
        (1, "council"),
        (4, "council"),
        (2, "worker"),
        (3, "worker"),
        (10, "resident"),
        (11, "resident"),
    ] {
        people.push(town.member(n, role));
    }
    Setup { town, people }
}

impl Setup {
    fn act(&mut self, who: usize, kind: &str, payload: Value) -> Event {
        let mut w = std::mem::replace(&mut self.people[who].0, ChainWriter::new(&[0; 32], None));
        let e = self.town.act(&mut w, kind, payload);
        self.people[who].0 = w;
        e
    }
    fn member(&self, who: usize) -> String {
        self.people[who].1.to_hex()
    }
    fn open(&mut self, who: usize, urgent: bool) -> Event {
        self.act(
            who,
            "request.open",
            json!({"title": "水管漏水", "body": "厨房", "category": "维修", "urgent": urgent, "grid": "3网格"}),
        )
    }
    fn on(&mut self, who: usize, kind: &str, r: &Event, text: &str) -> Event {
        self.act(who, kind, json!({"request": id(r), "text": text}))
    }
}

#[test]
fn the_first_to_take_a_request_owns_it() {
    let mut s = setup();
    let r = s.open(RESIDENT, true);
    let by_resident = s.act(RESIDENT2, "request.take", json!({"request": id(&r)}));
    let first = s.act(WORKER, "request.take", json!({"request": id(&r)}));
    let second = s.act(WORKER2, "request.take", json!({"request": id(&r)}));
    let unknown = s.act(WORKER2, "request.take", json!({"request": id(&first)}));
    let update_other = s.on(WORKER2, "request.update", &r, "我来看看");
    let resolve_other = s.on(WORKER2, "request.resolve", &r, "好了");
    let transfer_other = s.act(
        WORKER2,
        "request.transfer",
        json!({"request": id(&r), "to": s.member(WORKER2), "reason": "我近"}),
    );
    let update = s.on(WORKER, "request.update", &r, "已联系物业");
    let space = s.town.fold();
    assert_eq!(code(&space, &by_resident), Some(Code::NotPermitted));
    assert_eq!(code(&space, &first), None);
    assert_eq!(code(&space, &second), Some(Code::AlreadyTaken));
    assert_eq!(code(&space, &unknown), Some(Code::UnknownRequest));
    assert_eq!(code(&space, &update_other), Some(Code::NotOwner));
    assert_eq!(code(&space, &resolve_other), Some(Code::NotOwner));
    assert_eq!(code(&space, &transfer_other), Some(Code::NotOwner));
    assert_eq!(code(&space, &update), None);
    let req = space.state().services.request(&r.id).expect("request");
    assert_eq!(req.owner, Some(s.people[WORKER].1));
    assert_eq!(req.status, RequestStatus::Taken);
    assert_eq!(req.owner_since, Some(first.ts));
}

#[test]
fn transfers_go_to_staff_by_the_owner_or_the_council() {
    let mut s = setup();
    let r = s.open(RESIDENT, false);
    let early = s.act(
        WORKER,
        "request.transfer",
        json!({"request": id(&r), "to": s.member(WORKER2)}),
    );
    s.act(WORKER, "request.take", json!({"request": id(&r)}));
    let to_resident = s.act(
        WORKER,
        "request.transfer",
        json!({"request": id(&r), "to": s.member(RESIDENT2), "reason": "x"}),
    );
    let to_self = s.act(
        WORKER,
        "request.transfer",
        json!({"request": id(&r), "to": s.member(WORKER), "reason": "x"}),
    );
    let ok = s.act(
        WORKER,
        "request.transfer",
        json!({"request": id(&r), "to": s.member(WORKER2), "reason": "不在我的网格"}),
    );
    let by_council = s.act(
        COUNCIL,
        "request.transfer",
        json!({"request": id(&r), "to": s.member(WORKER), "reason": "请假"}),
    );
    let old_owner = s.on(WORKER2, "request.resolve", &r, "x");
    let space = s.town.fold();
    assert_eq!(code(&space, &early), Some(Code::WrongState));
    assert_eq!(code(&space, &to_resident), Some(Code::NotStaff));
    assert_eq!(code(&space, &to_self), Some(Code::Duplicate));
    assert_eq!(code(&space, &ok), None);
    assert_eq!(code(&space, &by_council), None);
    assert_eq!(code(&space, &old_owner), Some(Code::NotOwner));
    let req = space.state().services.request(&r.id).expect("request");
    assert_eq!(req.owner, Some(s.people[WORKER].1));
    assert_eq!(req.steps.len(), 3);
}

#[test]
fn the_requester_rates_once_or_reopens_within_seven_days() {
    let mut s = setup();
    let r = s.open(RESIDENT, false);
    let early_rate = s.act(
        RESIDENT,
        "request.rate",
        json!({"request": id(&r), "stars": 5, "text": ""}),
    );
    s.act(WORKER, "request.take", json!({"request": id(&r)}));
    let resolve = s.on(WORKER, "request.resolve", &r, "换了阀门");
    let twice = s.on(WORKER, "request.resolve", &r, "again");
    let reopen = s.act(
        RESIDENT,
        "request.reopen",
        json!({"request": id(&r), "reason": "又漏了"}),
    );
    let resolve2 = s.on(WORKER, "request.resolve", &r, "换了水管");
    let other_rates = s.act(
        RESIDENT2,
        "request.rate",
        json!({"request": id(&r), "stars": 1, "text": ""}),
    );
    s.town.next_ts += REOPEN_WINDOW_MS + HOUR;
    let late = s.act(
        RESIDENT,
        "request.reopen",
        json!({"request": id(&r), "reason": "还漏"}),
    );
    let rate = s.act(
        RESIDENT,
        "request.rate",
        json!({"request": id(&r), "stars": 4, "text": "挺快"}),
    );
    let rate_twice = s.act(
        RESIDENT,
        "request.rate",
        json!({"request": id(&r), "stars": 5, "text": ""}),
    );
    let space = s.town.fold();
    assert_eq!(code(&space, &early_rate), Some(Code::WrongState));
    assert_eq!(code(&space, &resolve), None);
    assert_eq!(code(&space, &twice), Some(Code::WrongState));
    assert_eq!(code(&space, &reopen), None);
    assert_eq!(code(&space, &resolve2), None);
    assert_eq!(code(&space, &other_rates), Some(Code::NotPermitted));
    assert_eq!(code(&space, &late), Some(Code::ReopenLate));
    assert_eq!(code(&space, &rate), None);
    assert_eq!(code(&space, &rate_twice), Some(Code::Duplicate));
    let audit = serde_json::to_value(report(&space)).expect("json");
    assert_eq!(
        audit["requests"],
        json!([{"request": id(&r), "status": "resolved", "owner": s.member(WORKER), "stars": 4}])
    );
}

#[test]
fn overdue_is_by_the_requests_own_time() {
    let mut s = setup();
    let urgent = s.open(RESIDENT, true);
    let normal = s.open(RESIDENT, false);
    let space = s.town.fold();
    let services = &space.state().services;
    let (u, n) = (
        services.request(&urgent.id).expect("u"),
        services.request(&normal.id).expect("n"),
    );
    assert!(!u.overdue(urgent.ts + 4 * HOUR));
    assert!(u.overdue(urgent.ts + 4 * HOUR + 1));
    assert!(!n.overdue(normal.ts + 48 * HOUR));
    assert!(n.overdue(normal.ts + 48 * HOUR + 1));
}

#[test]
fn polls_count_each_members_latest_answer_until_the_close() {
    let mut s = setup();
    let closes = s.town.next_ts + 10 * HOUR;
    let by_resident = s.act(
        RESIDENT,
        "poll.create",
        json!({"question": "q", "options": ["a", "b"], "multi": false, "closes": closes}),
    );
    let single = s.act(
        WORKER,
        "poll.create",
        json!({"question": "加装电梯？", "options": ["同意", "不同意", "无所谓"], "multi": false, "closes": closes}),
    );
    let multi = s.act(
        WORKER,
        "poll.create",
        json!({"question": "想要哪些活动？", "options": ["书法", "广场舞", "义诊"], "multi": true, "closes": closes, "live": true}),
    );
    let answer = |s: &mut Setup, who, poll: &Event, choices: Value| {
        s.act(
            who,
            "poll.answer",
            json!({"poll": id(poll), "choices": choices}),
        )
    };
    let a1 = answer(&mut s, RESIDENT, &single, json!([0]));
    let changed = answer(&mut s, RESIDENT, &single, json!([1]));
    let a2 = answer(&mut s, RESIDENT2, &single, json!([1]));
    let too_many = answer(&mut s, COUNCIL, &single, json!([0, 1]));
    let out_of_range = answer(&mut s, COUNCIL, &single, json!([3]));
    let m1 = answer(&mut s, RESIDENT, &multi, json!([2, 0]));
    let unknown = answer(&mut s, RESIDENT, &a1, json!([0]));
    s.town.next_ts = closes - 1_000;
    let at_close = answer(&mut s, WORKER2, &single, json!([0]));
    let space = s.town.fold();
    assert_eq!(code(&space, &by_resident), Some(Code::NotPermitted));
    for e in [&single, &multi, &a1, &changed, &a2, &m1] {
        assert_eq!(code(&space, e), None);
    }
    assert_eq!(code(&space, &too_many), Some(Code::BadChoice));
    assert_eq!(code(&space, &out_of_range), Some(Code::BadChoice));
    assert_eq!(code(&space, &unknown), Some(Code::UnknownPoll));
    assert_eq!(
        code(&space, &at_close),
        Some(Code::PollClosed),
        "ts = closes is too late"
    );
    assert_eq!(at_close.ts, closes);
    let audit = serde_json::to_value(report(&space)).expect("json");
    let polls = audit["polls"].as_array().expect("polls");
    let row = |p: &Event| {
        polls
            .iter()
            .find(|r| r["poll"] == id(p))
            .expect("row")
            .clone()
    };
    assert_eq!(
        row(&single),
        json!({"poll": id(&single), "answered": 2, "counts": [0, 2, 0]})
    );
    assert_eq!(
        row(&multi),
        json!({"poll": id(&multi), "answered": 1, "counts": [1, 0, 1]})
    );
}

#[test]
fn board_posts_are_staffs_and_funds_the_councils() {
    let mut s = setup();
    let notice = s.act(
        WORKER,
        "board.post",
        json!({"title": "停水通知", "body": "周六 9–12 点", "category": "notice"}),
    );
    let by_resident = s.act(
        RESIDENT,
        "board.post",
        json!({"title": "x", "body": "", "category": "notice"}),
    );
    let result_unknown = s.act(
        WORKER,
        "board.post",
        json!({"title": "表决结果", "body": "", "category": "result", "proposal": id(&notice)}),
    );
    let income = s.act(
        COUNCIL,
        "funds.entry",
        json!({"title": "党群服务经费", "amount_fen": 2_000_000, "date": "2026-03-01", "category": "上级拨款"}),
    );
    let spend = s.act(
        COUNCIL,
        "funds.entry",
        json!({"title": "楼道灯维修", "amount_fen": -35_000, "date": "2026-03-05", "category": "维修"}),
    );
    let wrong = s.act(
        COUNCIL,
        "funds.entry",
        json!({"title": "重复录入", "amount_fen": -35_000, "date": "2026-03-05", "category": "维修"}),
    );
    let by_worker = s.act(
        WORKER,
        "funds.entry",
        json!({"title": "x", "amount_fen": 100, "date": "2026-03-05", "category": "x"}),
    );
    let own_void = s.act(
        COUNCIL,
        "funds.void",
        json!({"entry": id(&wrong), "reason": "重复"}),
    );
    let void = s.act(
        COUNCIL2,
        "funds.void",
        json!({"entry": id(&wrong), "reason": "重复"}),
    );
    let twice = s.act(
        COUNCIL2,
        "funds.void",
        json!({"entry": id(&wrong), "reason": "重复"}),
    );
    let worker_void = s.act(
        WORKER,
        "funds.void",
        json!({"entry": id(&spend), "reason": "x"}),
    );
    let space = s.town.fold();
    assert_eq!(code(&space, &notice), None);
    assert_eq!(code(&space, &by_resident), Some(Code::NotPermitted));
    assert_eq!(code(&space, &result_unknown), Some(Code::UnknownProposal));
    for e in [&income, &spend, &wrong, &void] {
        assert_eq!(code(&space, e), None);
    }
    assert_eq!(code(&space, &by_worker), Some(Code::NotPermitted));
    assert_eq!(code(&space, &own_void), Some(Code::SelfDealing));
    assert_eq!(code(&space, &twice), Some(Code::WrongState));
    assert_eq!(code(&space, &worker_void), Some(Code::NotPermitted));
    let audit = serde_json::to_value(report(&space)).expect("json");
    assert_eq!(
        audit["funds"],
        json!({"income_fen": 2_000_000, "spending_fen": 35_000, "balance_fen": 1_965_000})
    );
}

mod order {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        /// Whatever order and batches the events arrive in, the state is the same bytes.
        #[test]
        fn any_order_or_batching_gives_the_same_state(
            ops in proptest::collection::vec((0u8..8, 0usize..6), 1..40),
            seed in any::<u64>(),
            batches in 1usize..6,
        ) {
            let mut s = setup();
            let r = s.open(RESIDENT, true);
            let closes = s.town.next_ts + 1_000 * 30;
            let poll = s.act(WORKER, "poll.create", json!({"question": "q", "options": ["a", "b"], "multi": true, "closes": closes}));
            let f = s.act(COUNCIL, "funds.entry", json!({"title": "x", "amount_fen": -100, "date": "2026-01-01", "category": "x"}));
            for (op, who) in ops {
                match op {
                    0 => { s.act(who, "request.take", json!({"request": id(&r)})); }
                    1 => { let to = s.member((who + 1) % 6); s.act(who, "request.transfer", json!({"request": id(&r), "to": to, "reason": "x"})); }
                    2 => { s.on(who, "request.resolve", &r, "x"); }
                    3 => { s.act(who, "request.reopen", json!({"request": id(&r), "reason": "x"})); }
                    4 => { s.act(who, "request.rate", json!({"request": id(&r), "stars": 3, "text": ""})); }
                    5 => { s.act(who, "poll.answer", json!({"poll": id(&poll), "choices": [who % 2]})); }
                    6 => { s.act(who, "funds.void", json!({"entry": id(&f), "reason": "x"})); }
                    _ => { s.open(who, who % 2 == 0); }
                }
            }
            let reference = s.town.fold().state().to_canonical_json();
            let shuffled = s.town.fold_shuffled(seed, batches).state().to_canonical_json();
            prop_assert_eq!(reference, shuffled);
        }
    }
}
