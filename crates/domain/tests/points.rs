//! Points (积分制) and the store: every rule and its rejection code; caps clipping to 0 in
//! UTC+8 months; appeals at exactly 15 days; the last item redeemed by two offline phones;
//! reversals, rectification, the red-list opt-out, expiry; and any arrival order or batching
//! giving the same state byte for byte.

mod common;

use common::Town;
use linli_domain::points::{EntryStatus, Grade, RedemptionStatus, APPEAL_WINDOW_MS};
use linli_domain::{ChainWriter, Code, Event, EventId, Space};
use serde_json::{json, Value};

const DAY: i64 = 86_400_000;

fn code(space: &Space, e: &Event) -> Option<Code> {
    space.state().rejection(&e.id)
}

fn id(e: &Event) -> String {
    e.id.to_hex()
}

/// An admin (device 0), a council member (1), two workers (2, 3), three residents (10–12).
struct Setup {
    town: Town,
    council: ChainWriter,
    worker: ChainWriter,
    worker2: ChainWriter,
    residents: Vec<(ChainWriter, EventId)>,
    council_id: EventId,
    worker_id: EventId,
}

fn setup() -> Setup {
    let mut town = Town::new();
    let (council, council_id) = town.member(1, "council");
    let (worker, worker_id) = town.member(2, "worker");
    let (worker2, _) = town.member(3, "worker");
    let residents = (0..3).map(|i| town.member(10 + i, "resident")).collect();
    Setup {
        town,
        council,
        worker,
        worker2,
        residents,
        council_id,
        worker_id,
    }
}

impl Setup {
    fn council(&mut self, kind: &str, payload: Value) -> Event {
        let mut w = std::mem::replace(&mut self.council, ChainWriter::new(&[0; 32], None));
        let e = self.town.act(&mut w, kind, payload);
        self.council = w;
        e
    }
    fn worker(&mut self, kind: &str, payload: Value) -> Event {
        let mut w = std::mem::replace(&mut self.worker, ChainWriter::new(&[0; 32], None));
        let e = self.town.act(&mut w, kind, payload);
        self.worker = w;
        e
    }
    fn worker2(&mut self, kind: &str, payload: Value) -> Event {
        let mut w = std::mem::replace(&mut self.worker2, ChainWriter::new(&[0; 32], None));
        let e = self.town.act(&mut w, kind, payload);
        self.worker2 = w;
        e
    }
    fn resident(&mut self, i: usize, kind: &str, payload: Value) -> Event {
        let mut w = std::mem::replace(&mut self.residents[i].0, ChainWriter::new(&[0; 32], None));
        let e = self.town.act(&mut w, kind, payload);
        self.residents[i].0 = w;
        e
    }
    fn member(&self, i: usize) -> String {
        self.residents[i].1.to_hex()
    }
    fn rule(&mut self, title: &str, points: i64, list: &str, claimable: bool, cap: i64) -> Event {
        self.council(
            "points.rule",
            json!({"title": title, "points": points, "list": list, "claimable": claimable, "cap_month": cap}),
        )
    }
    fn award(&mut self, rule: &Event, i: usize, qty: u32) -> Event {
        let m = self.member(i);
        self.worker(
            "points.award",
            json!({"rule": id(rule), "member": m, "qty": qty, "note": ""}),
        )
    }
}

fn balance(space: &Space, m: &EventId) -> i64 {
    space.state().points.balance(m)
}

#[test]
fn rules_are_the_councils_and_must_make_sense() {
    let mut s = setup();
    let by_worker = s.worker(
        "points.rule",
        json!({"title": "清理楼道", "points": 5, "list": "red", "claimable": true, "cap_month": 0}),
    );
    let fine = s.rule("清理楼道堆物", 5, "red", true, 20);
    let red_deduction = s.rule("乱扔垃圾", -5, "red", false, 0);
    let black_award = s.rule("好人好事", 5, "black", false, 0);
    let claimable_deduction = s.rule("占用消防通道", -10, "none", true, 0);
    let zero = s.rule("无", 0, "none", false, 0);
    let huge = s.rule("巨额", 1001, "none", false, 0);
    let negative_cap = s.rule("负上限", 5, "none", false, -1);
    let blank = s.rule("  ", 5, "none", false, 0);
    let unknown_field = s.council(
        "points.rule",
        json!({"title": "x", "points": 5, "list": "none", "claimable": false, "cap_month": 0, "extra": 1}),
    );
    let missing = s.council("points.rule", json!({"title": "x", "points": 5}));
    let space = s.town.fold();
    assert_eq!(code(&space, &by_worker), Some(Code::NotPermitted));
    assert_eq!(code(&space, &fine), None);
    for e in [
        &red_deduction,
        &black_award,
        &claimable_deduction,
        &zero,
        &negative_cap,
        &blank,
        &unknown_field,
        &missing,
    ] {
        assert_eq!(code(&space, e), Some(Code::MalformedPayload), "{}", e.kind);
    }
    assert_eq!(code(&space, &huge), Some(Code::OverLimit));
    let rule = space.state().points.rule(&fine.id).expect("rule");
    assert_eq!((rule.version, rule.retired), (1, false));
}

#[test]
fn versions_and_retirement_stop_new_entries_only() {
    let mut s = setup();
    let v1 = s.rule("清理楼道堆物", 5, "red", false, 0);
    let before = s.award(&v1, 0, 1);
    let v2 = s.council(
        "points.rule",
        json!({"title": "清理楼道堆物", "points": 8, "list": "red", "claimable": false, "cap_month": 0, "replaces": id(&v1)}),
    );
    let on_old = s.award(&v1, 0, 1);
    let on_new = s.award(&v2, 0, 1);
    let replace_again = s.council(
        "points.rule",
        json!({"title": "x", "points": 8, "list": "none", "claimable": false, "cap_month": 0, "replaces": id(&v1)}),
    );
    let retire = s.council("points.rule_retire", json!({"rule": id(&v2)}));
    let retire_again = s.council("points.rule_retire", json!({"rule": id(&v2)}));
    let retire_unknown = s.council("points.rule_retire", json!({"rule": "00".repeat(32)}));
    let after = s.award(&v2, 0, 1);
    let space = s.town.fold();
    assert_eq!(code(&space, &before), None);
    assert_eq!(code(&space, &v2), None);
    assert_eq!(code(&space, &on_old), Some(Code::RuleRetired));
    assert_eq!(code(&space, &on_new), None);
    assert_eq!(code(&space, &replace_again), Some(Code::RuleRetired));
    assert_eq!(code(&space, &retire), None);
    assert_eq!(code(&space, &retire_again), Some(Code::RuleRetired));
    assert_eq!(code(&space, &retire_unknown), Some(Code::UnknownRule));
    assert_eq!(code(&space, &after), Some(Code::RuleRetired));
    assert_eq!(
        space.state().points.rule(&v2.id).map(|r| r.version),
        Some(2)
    );
    assert_eq!(
        balance(&space, &s.residents[0].1),
        13,
        "the old entry keeps its 5"
    );
}

#[test]
fn awards_are_staffs_never_to_themselves() {
    let mut s = setup();
    let r = s.rule("调解邻里纠纷", 10, "red", false, 0);
    let by_resident = s.resident(
        0,
        "points.award",
        json!({"rule": id(&r), "member": s.member(1), "qty": 1, "note": ""}),
    );
    let worker_self = s.worker(
        "points.award",
        json!({"rule": id(&r), "member": s.worker_id.to_hex(), "qty": 1, "note": ""}),
    );
    let to_nobody = s.worker(
        "points.award",
        json!({"rule": id(&r), "member": "00".repeat(32), "qty": 1, "note": ""}),
    );
    let qty0 = s.worker(
        "points.award",
        json!({"rule": id(&r), "member": s.member(0), "qty": 0, "note": ""}),
    );
    let qty101 = s.worker(
        "points.award",
        json!({"rule": id(&r), "member": s.member(0), "qty": 101, "note": ""}),
    );
    let xss = "<script>alert(1)</script>";
    let fine = s.worker(
        "points.award",
        json!({"rule": id(&r), "member": s.member(0), "qty": 3, "note": xss}),
    );
    let council_to_worker = s.council(
        "points.award",
        json!({"rule": id(&r), "member": s.worker_id.to_hex(), "qty": 1, "note": ""}),
    );
    let space = s.town.fold();
    assert_eq!(code(&space, &by_resident), Some(Code::NotPermitted));
    assert_eq!(code(&space, &worker_self), Some(Code::SelfDealing));
    assert_eq!(code(&space, &to_nobody), Some(Code::UnknownMember));
    assert_eq!(code(&space, &qty0), Some(Code::MalformedPayload));
    assert_eq!(code(&space, &qty101), Some(Code::OverLimit));
    assert_eq!(code(&space, &fine), None);
    assert_eq!(code(&space, &council_to_worker), None);
    let e = space.state().points.entry(&fine.id).expect("entry");
    assert_eq!((e.amount, &*e.note), (30, xss), "notes are kept as text");
    assert_eq!(e.issuer, s.worker_id);
    assert_eq!(balance(&space, &s.residents[0].1), 30);
}

#[test]
fn claims_are_decided_once_by_someone_else() {
    let mut s = setup();
    let claimable = s.rule("参加垃圾分类宣传", 3, "red", true, 0);
    let not = s.rule("调解纠纷", 10, "red", false, 0);
    let on_not = s.resident(
        0,
        "points.claim",
        json!({"rule": id(&not), "qty": 1, "note": ""}),
    );
    let c1 = s.resident(
        0,
        "points.claim",
        json!({"rule": id(&claimable), "qty": 2, "note": "周六上午"}),
    );
    let c2 = s.resident(
        1,
        "points.claim",
        json!({"rule": id(&claimable), "qty": 1, "note": ""}),
    );
    let by_resident = s.resident(
        2,
        "points.decide",
        json!({"claim": id(&c1), "approve": true, "reason": ""}),
    );
    let approve = s.worker(
        "points.decide",
        json!({"claim": id(&c1), "approve": true, "reason": ""}),
    );
    let again = s.worker2(
        "points.decide",
        json!({"claim": id(&c1), "approve": false, "reason": ""}),
    );
    let refuse = s.worker(
        "points.decide",
        json!({"claim": id(&c2), "approve": false, "reason": "当天没有活动"}),
    );
    let unknown = s.worker(
        "points.decide",
        json!({"claim": "00".repeat(32), "approve": true, "reason": ""}),
    );
    // A worker's own claim, decided by themselves.
    let own = s.worker(
        "points.claim",
        json!({"rule": id(&claimable), "qty": 1, "note": ""}),
    );
    let self_decided = s.worker(
        "points.decide",
        json!({"claim": id(&own), "approve": true, "reason": ""}),
    );
    let space = s.town.fold();
    assert_eq!(code(&space, &on_not), Some(Code::NotClaimable));
    assert_eq!(code(&space, &c1), None);
    assert_eq!(code(&space, &by_resident), Some(Code::NotPermitted));
    assert_eq!(code(&space, &approve), None);
    assert_eq!(code(&space, &again), Some(Code::WrongState));
    assert_eq!(code(&space, &refuse), None);
    assert_eq!(code(&space, &unknown), Some(Code::UnknownEntry));
    assert_eq!(code(&space, &self_decided), Some(Code::SelfDealing));
    let p = &space.state().points;
    let e = p
        .entry(&c1.id)
        .expect("the approved claim is an entry with the claim's id");
    assert_eq!((e.amount, e.ts, e.issuer), (6, c1.ts, s.worker_id));
    assert!(p.entry(&c2.id).is_none());
    assert_eq!(p.claim(&c2.id).and_then(|c| c.approved), Some(false));
    assert_eq!(balance(&space, &s.residents[1].1), 0);
}

#[test]
fn caps_clip_in_utc8_months_and_may_clip_to_zero() {
    let mut s = setup();
    let r = s.rule("志愿服务（每小时）", 4, "red", true, 10);
    // 2026-01-31 23:00 in UTC+8 is still January; an hour later is February.
    let jan_31_2300 = 1_769_871_600_000;
    s.town.next_ts = jan_31_2300 - 1000;
    let a = s.award(&r, 0, 2); // 8
    let b = s.award(&r, 0, 2); // 8 → clipped to 2
    let c = s.award(&r, 0, 1); // → 0
    s.town.next_ts = jan_31_2300 + 3_600_000 - 1000;
    let feb = s.award(&r, 0, 3); // 12 → 10 in a new month
                                 // A reversal frees room for later entries, and never re-expands earlier ones.
    let rev = s.council(
        "points.reverse",
        json!({"entry": id(&a), "reason": "记错了"}),
    );
    let d = s.award(&r, 1, 1); // another member: own cap
    let space = s.town.fold();
    let amount = |e: &Event| space.state().points.entry(&e.id).map(|x| x.amount);
    assert_eq!(amount(&a), Some(8));
    assert_eq!(amount(&b), Some(2));
    assert_eq!(amount(&c), Some(0), "clipped to 0, still an entry");
    assert_eq!(amount(&feb), Some(10));
    assert_eq!(code(&space, &rev), None);
    assert_eq!(amount(&b), Some(2), "not re-expanded");
    assert_eq!(amount(&d), Some(4));
    assert_eq!(balance(&space, &s.residents[0].1), 2 + 10);
}

#[test]
fn reversals_once_and_not_by_the_worker_who_issued() {
    let mut s = setup();
    let r = s.rule("清理楼道", 5, "red", false, 0);
    let e = s.award(&r, 0, 1);
    let own = s.worker("points.reverse", json!({"entry": id(&e), "reason": "错了"}));
    let resident = s.resident(
        0,
        "points.reverse",
        json!({"entry": id(&e), "reason": "错了"}),
    );
    let blank = s.worker2("points.reverse", json!({"entry": id(&e), "reason": " "}));
    let other = s.worker2(
        "points.reverse",
        json!({"entry": id(&e), "reason": "重复登记"}),
    );
    let twice = s.council(
        "points.reverse",
        json!({"entry": id(&e), "reason": "重复登记"}),
    );
    let unknown = s.council(
        "points.reverse",
        json!({"entry": "00".repeat(32), "reason": "x"}),
    );
    let space = s.town.fold();
    assert_eq!(code(&space, &own), Some(Code::SelfDealing));
    assert_eq!(code(&space, &resident), Some(Code::NotPermitted));
    assert_eq!(code(&space, &blank), Some(Code::MalformedPayload));
    assert_eq!(code(&space, &other), None);
    assert_eq!(code(&space, &twice), Some(Code::WrongState));
    assert_eq!(code(&space, &unknown), Some(Code::UnknownEntry));
    assert_eq!(
        space.state().points.entry(&e.id).map(|x| x.status),
        Some(EntryStatus::Void)
    );
    assert_eq!(balance(&space, &s.residents[0].1), 0);
    assert!(space.state().points.red_list().is_empty());
}

#[test]
fn appeals_of_deductions_within_15_days_decided_by_another() {
    let mut s = setup();
    let litter = s.rule("乱扔垃圾", -5, "black", false, 0);
    let good = s.rule("好人好事", 5, "red", false, 0);
    let plus = s.award(&good, 0, 1);
    let d1 = s.award(&litter, 0, 1);
    let d2 = s.award(&litter, 1, 1);
    let d3 = s.award(&litter, 2, 1);
    let on_award = s.resident(
        0,
        "points.appeal",
        json!({"entry": id(&plus), "reason": "x"}),
    );
    let not_mine = s.resident(1, "points.appeal", json!({"entry": id(&d1), "reason": "x"}));
    let no_reason = s.resident(0, "points.appeal", json!({"entry": id(&d1), "reason": ""}));
    // Exactly 15 days after the entry: in time. One ms later: too late.
    s.town.next_ts = d1.ts + APPEAL_WINDOW_MS - 1000;
    let a1 = s.resident(
        0,
        "points.appeal",
        json!({"entry": id(&d1), "reason": "不是我扔的"}),
    );
    assert_eq!(a1.ts, d1.ts + APPEAL_WINDOW_MS);
    let twice = s.resident(0, "points.appeal", json!({"entry": id(&d1), "reason": "x"}));
    let a3 = s.resident(
        2,
        "points.appeal",
        json!({"entry": id(&d3), "reason": "有误"}),
    );
    assert_eq!(a3.ts, d3.ts + APPEAL_WINDOW_MS);
    s.town.next_ts = d2.ts + APPEAL_WINDOW_MS + 1 - 1000;
    let late = s.resident(1, "points.appeal", json!({"entry": id(&d2), "reason": "x"}));
    let suspended = s.town.fold();
    assert_eq!(
        suspended.state().points.entry(&d1.id).map(|x| x.status),
        Some(EntryStatus::Suspended)
    );
    assert_eq!(
        balance(&suspended, &s.residents[0].1),
        5,
        "a suspended deduction does not count"
    );
    // The worker who issued the deductions is not the council; the council decides.
    let by_worker = s.worker2(
        "points.appeal_decide",
        json!({"appeal": id(&a1), "grant": true, "reason": ""}),
    );
    let grant = s.council(
        "points.appeal_decide",
        json!({"appeal": id(&a1), "grant": true, "reason": "监控显示不是本人"}),
    );
    let again = s.council(
        "points.appeal_decide",
        json!({"appeal": id(&a1), "grant": false, "reason": ""}),
    );
    let refuse = s.council(
        "points.appeal_decide",
        json!({"appeal": id(&a3), "grant": false, "reason": "有照片"}),
    );
    // The council member who issued a deduction may not decide its appeal.
    let own_deduction = s.council(
        "points.award",
        json!({"rule": id(&litter), "member": s.member(1), "qty": 1, "note": ""}),
    );
    let a4 = s.resident(
        1,
        "points.appeal",
        json!({"entry": id(&own_deduction), "reason": "x"}),
    );
    let self_decided = s.council(
        "points.appeal_decide",
        json!({"appeal": id(&a4), "grant": true, "reason": ""}),
    );
    let space = s.town.fold();
    assert_eq!(code(&space, &on_award), Some(Code::NotAppealable));
    assert_eq!(code(&space, &not_mine), Some(Code::NotPermitted));
    assert_eq!(code(&space, &no_reason), Some(Code::MalformedPayload));
    assert_eq!(code(&space, &a1), None, "exactly 15 days is in time");
    assert_eq!(code(&space, &twice), Some(Code::WrongState));
    assert_eq!(code(&space, &late), Some(Code::AppealLate));
    assert_eq!(code(&space, &by_worker), Some(Code::NotPermitted));
    assert_eq!(code(&space, &grant), None);
    assert_eq!(code(&space, &again), Some(Code::WrongState));
    assert_eq!(code(&space, &refuse), None);
    assert_eq!(code(&space, &self_decided), Some(Code::SelfDealing));
    let p = &space.state().points;
    assert_eq!(p.entry(&d1.id).map(|x| x.status), Some(EntryStatus::Void));
    assert_eq!(
        p.entry(&d3.id).map(|x| x.status),
        Some(EntryStatus::Counted)
    );
    assert_eq!(balance(&space, &s.residents[0].1), 5);
    assert_eq!(
        balance(&space, &s.residents[2].1),
        -5,
        "a balance may be negative"
    );
    // The black list: counted, unrectified black entries, visible 15 days after.
    let black: Vec<EventId> = p.black_list().iter().map(|r| r.entry).collect();
    assert_eq!(black, vec![d2.id, d3.id]);
    let row = p.black_list()[0];
    assert_eq!(row.visible_from, d2.ts + 15 * DAY);
}

#[test]
fn rectification_takes_an_entry_off_the_black_list_and_keeps_its_points() {
    let mut s = setup();
    let fire_lane = s.rule("占用消防通道", -10, "black", false, 0);
    let e = s.award(&fire_lane, 0, 1);
    let not_black_rule = s.rule("迟到", -1, "none", false, 0);
    let plain = s.award(&not_black_rule, 0, 1);
    let by_resident = s.resident(1, "points.rectified", json!({"entry": id(&e), "note": ""}));
    let on_plain = s.worker("points.rectified", json!({"entry": id(&plain), "note": ""}));
    let ok = s.worker(
        "points.rectified",
        json!({"entry": id(&e), "note": "车已挪走"}),
    );
    let twice = s.worker2("points.rectified", json!({"entry": id(&e), "note": ""}));
    let space = s.town.fold();
    assert_eq!(code(&space, &by_resident), Some(Code::NotPermitted));
    assert_eq!(code(&space, &on_plain), Some(Code::WrongState));
    assert_eq!(code(&space, &ok), None);
    assert_eq!(code(&space, &twice), Some(Code::WrongState));
    assert!(space.state().points.black_list().is_empty());
    assert_eq!(balance(&space, &s.residents[0].1), -11);
}

#[test]
fn the_red_list_respects_the_opt_out() {
    let mut s = setup();
    let r = s.rule("志愿服务", 5, "red", false, 0);
    let plain = s.rule("参加议事会", 2, "none", false, 0);
    s.award(&r, 0, 2);
    s.award(&r, 1, 4);
    s.award(&r, 2, 2);
    s.award(&plain, 2, 10);
    s.resident(1, "points.privacy", json!({"red_list": false}));
    let space = s.town.fold();
    let rows: Vec<(EventId, i64)> = space
        .state()
        .points
        .red_list()
        .iter()
        .map(|r| (r.member, r.points))
        .collect();
    let (m0, m2) = (s.residents[0].1, s.residents[2].1);
    let mut tied = vec![(m0, 10), (m2, 10)];
    tied.sort_by_key(|t| t.0);
    assert_eq!(
        rows, tied,
        "opted out; equal sums by member id; only red rules count"
    );
    s.resident(1, "points.privacy", json!({"red_list": true}));
    let space = s.town.fold();
    assert_eq!(space.state().points.red_list()[0].member, s.residents[1].1);
}

#[test]
fn the_store_judges_redemptions_in_total_order() {
    let mut s = setup();
    let r = s.rule("志愿服务", 10, "red", false, 0);
    s.award(&r, 0, 5); // 50
    s.award(&r, 1, 5); // 50
    let by_resident = s.resident(
        0,
        "store.item",
        json!({"title": "洗衣液", "cost": 30, "stock": 1}),
    );
    let soap = s.worker(
        "store.item",
        json!({"title": "洗衣液", "cost": 30, "stock": 1}),
    );
    let free = s.worker(
        "store.item",
        json!({"title": "免费", "cost": 0, "stock": 1}),
    );
    let too_poor = s.resident(2, "store.redeem", json!({"item": id(&soap), "qty": 1}));
    let eleven = s.resident(0, "store.redeem", json!({"item": id(&soap), "qty": 11}));
    let two = s.resident(0, "store.redeem", json!({"item": id(&soap), "qty": 2}));
    let unknown = s.resident(
        0,
        "store.redeem",
        json!({"item": "00".repeat(32), "qty": 1}),
    );

    // The last item, redeemed by two phones that had not seen each other: the same lamport,
    // so the total order (lamport, then author) decides; the loser is refused out_of_stock.
    let lamport_base = s.town.max_seen;
    let ts = s.town.next_ts + 1000;
    let payload = json!({"item": id(&soap), "qty": 1});
    let mut w0 = std::mem::replace(&mut s.residents[0].0, ChainWriter::new(&[0; 32], None));
    let mut w1 = std::mem::replace(&mut s.residents[1].0, ChainWriter::new(&[0; 32], None));
    let r0 = w0.sign("store.redeem", &payload, ts, lamport_base);
    let r1 = w1.sign("store.redeem", &payload, ts, lamport_base);
    s.residents[0].0 = w0;
    s.residents[1].0 = w1;
    assert_eq!(r0.lamport, r1.lamport);
    s.town.max_seen = r0.lamport;
    // Each phone alone thinks it won.
    for (mine, other) in [(&r0, &r1), (&r1, &r0)] {
        let mut alone = Space::new(s.town.space);
        alone.insert(s.town.log.iter().cloned().chain([mine.clone()]));
        assert_eq!(code(&alone, mine), None);
        // After sync, both phones agree, whatever arrived first.
        alone.insert([other.clone()]);
        let mut both = Space::new(s.town.space);
        both.insert(
            s.town
                .log
                .iter()
                .cloned()
                .chain([other.clone(), mine.clone()]),
        );
        assert_eq!(
            alone.state().to_canonical_json(),
            both.state().to_canonical_json()
        );
    }
    s.town.log.push(r0.clone());
    s.town.log.push(r1.clone());
    let (winner, loser) = if r0.author < r1.author {
        (&r0, &r1)
    } else {
        (&r1, &r0)
    };
    let restock_by_resident = s.resident(2, "store.restock", json!({"item": id(&soap), "add": 3}));
    let restock = s.worker("store.restock", json!({"item": id(&soap), "add": 3}));
    let space = s.town.fold();
    assert_eq!(code(&space, &by_resident), Some(Code::NotPermitted));
    assert_eq!(code(&space, &free), Some(Code::MalformedPayload));
    assert_eq!(code(&space, &too_poor), Some(Code::InsufficientPoints));
    assert_eq!(code(&space, &eleven), Some(Code::OverLimit));
    assert_eq!(
        code(&space, &two),
        Some(Code::InsufficientPoints),
        "60 > 50"
    );
    assert_eq!(code(&space, &unknown), Some(Code::UnknownItem));
    assert_eq!(code(&space, winner), None);
    assert_eq!(code(&space, loser), Some(Code::OutOfStock));
    assert_eq!(code(&space, &restock_by_resident), Some(Code::NotPermitted));
    assert_eq!(code(&space, &restock), None);
    let item = space.state().points.item(&soap.id).expect("item");
    assert_eq!((item.stock, item.redeemed), (3, 1));
    let winner_member = space.state().roster.actor(&winner.author).expect("m").id;
    assert_eq!(balance(&space, &winner_member), 20);
}

#[test]
fn fulfilment_and_cancellation() {
    let mut s = setup();
    let r = s.rule("志愿服务", 10, "red", false, 0);
    s.award(&r, 0, 10);
    let item = s.worker(
        "store.item",
        json!({"title": "理发券", "cost": 20, "stock": 5}),
    );
    let a = s.resident(0, "store.redeem", json!({"item": id(&item), "qty": 2}));
    let b = s.resident(0, "store.redeem", json!({"item": id(&item), "qty": 1}));
    let c = s.resident(0, "store.redeem", json!({"item": id(&item), "qty": 1}));
    let by_other = s.resident(
        1,
        "store.cancel",
        json!({"redemption": id(&a), "reason": ""}),
    );
    let fulfil_by_resident = s.resident(0, "store.fulfil", json!({"redemption": id(&a)}));
    let fulfil = s.worker("store.fulfil", json!({"redemption": id(&a)}));
    let cancel_fulfilled = s.resident(
        0,
        "store.cancel",
        json!({"redemption": id(&a), "reason": ""}),
    );
    let own_cancel = s.resident(
        0,
        "store.cancel",
        json!({"redemption": id(&b), "reason": "不需要了"}),
    );
    let fulfil_cancelled = s.worker("store.fulfil", json!({"redemption": id(&b)}));
    let staff_cancel = s.worker(
        "store.cancel",
        json!({"redemption": id(&c), "reason": "缺货"}),
    );
    let space = s.town.fold();
    assert_eq!(code(&space, &by_other), Some(Code::NotPermitted));
    assert_eq!(code(&space, &fulfil_by_resident), Some(Code::NotPermitted));
    assert_eq!(code(&space, &fulfil), None);
    assert_eq!(code(&space, &cancel_fulfilled), Some(Code::WrongState));
    assert_eq!(code(&space, &own_cancel), None);
    assert_eq!(code(&space, &fulfil_cancelled), Some(Code::WrongState));
    assert_eq!(code(&space, &staff_cancel), None);
    let p = &space.state().points;
    assert_eq!(
        p.redemption(&a.id).map(|r| r.status),
        Some(RedemptionStatus::Fulfilled)
    );
    assert_eq!(
        p.redemption(&b.id).map(|r| r.status),
        Some(RedemptionStatus::Cancelled)
    );
    let it = p.item(&item.id).expect("item");
    assert_eq!((it.stock, it.redeemed), (3, 2));
    assert_eq!(balance(&space, &s.residents[0].1), 100 - 40);
}

#[test]
fn expiry_lapses_what_was_earned_before_the_cut_off_and_not_spent() {
    let mut s = setup();
    let r = s.rule("志愿服务", 10, "red", false, 0);
    s.award(&r, 0, 5); // 50 earned before the cut-off
    s.award(&r, 1, 2); // 20
    let item = s.worker(
        "store.item",
        json!({"title": "米", "cost": 15, "stock": 10}),
    );
    s.resident(0, "store.redeem", json!({"item": id(&item), "qty": 2})); // 30 spent
    let cut = s.town.next_ts + 500;
    s.award(&r, 0, 1); // 10 earned after the cut-off
    let by_worker = s.worker("points.expire", json!({"before": cut, "note": ""}));
    let bad = s.council("points.expire", json!({"before": 0, "note": ""}));
    let x = s.council("points.expire", json!({"before": cut, "note": "年度清零"}));
    let again = s.council("points.expire", json!({"before": cut, "note": ""}));
    let space = s.town.fold();
    assert_eq!(code(&space, &by_worker), Some(Code::NotPermitted));
    assert_eq!(code(&space, &bad), Some(Code::MalformedPayload));
    assert_eq!(code(&space, &x), None);
    assert_eq!(code(&space, &again), None, "nothing left to lapse");
    let p = &space.state().points;
    assert_eq!(
        balance(&space, &s.residents[0].1),
        10,
        "50 − 30 spent = 20 lapse; 10 after stays"
    );
    assert_eq!(balance(&space, &s.residents[1].1), 0);
    assert_eq!(p.expiries()[0].lapsed.get(&s.residents[0].1), Some(&20));
    assert!(p.expiries()[1].lapsed.is_empty());
    assert_eq!(
        p.red_list().len(),
        2,
        "the red list counts entries, not balances"
    );
}

#[test]
fn grades_are_information_from_the_last_12_months() {
    let mut s = setup();
    let good = s.rule("志愿服务", 50, "red", false, 0);
    let litter = s.rule("乱扔垃圾", -5, "black", false, 0);
    s.award(&good, 0, 3); // 150
    s.award(&good, 1, 1); // 50
    let d = s.award(&litter, 2, 1);
    let now = d.ts + 20 * DAY;
    let p = &s.town.fold().state().points.clone();
    assert_eq!(p.grade(&s.residents[0].1, now), Grade::A);
    assert_eq!(p.grade(&s.residents[1].1, now), Grade::B);
    assert_eq!(p.grade(&s.residents[2].1, now), Grade::D, "negative");
    assert_eq!(
        p.grade(&s.residents[0].1, now + 400 * DAY),
        Grade::C,
        "a year later"
    );
    assert_eq!(p.grade(&s.council_id, now), Grade::C, "nothing yet");
    // Grades never refuse anything: a D member still claims and redeems.
}

#[test]
fn the_audit_reports_points() {
    let mut s = setup();
    let r = s.rule("志愿服务", 10, "red", false, 0);
    let bad = s.rule("乱扔垃圾", -5, "black", false, 0);
    let e1 = s.award(&r, 0, 2);
    let e2 = s.award(&bad, 1, 1);
    let item = s.worker("store.item", json!({"title": "米", "cost": 5, "stock": 3}));
    s.resident(0, "store.redeem", json!({"item": id(&item), "qty": 1}));
    let report = linli_domain::audit::report(&s.town.fold());
    let json = serde_json::to_value(&report.points).expect("json");
    assert_eq!(json["balances"].as_array().map(Vec::len), Some(2));
    assert_eq!(json["red_list"][0]["points"], 20);
    assert_eq!(json["black_list"][0]["entry"], id(&e2));
    assert_eq!(json["black_list"][0]["visible_from"], e2.ts + 15 * DAY);
    assert_eq!(json["items"][0]["stock"], 2);
    assert_eq!(json["items"][0]["redeemed"], 1);
    let entry = json["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["id"] == id(&e1))
        .cloned();
    assert_eq!(
        entry.map(|e| (e["amount"].clone(), e["status"].clone())),
        Some((json!(20), json!("counted")))
    );
}

mod order {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        /// Any arrival order and batching of the same events gives the same points state,
        /// byte for byte: awards, claims, decisions, appeals, reversals, redemptions racing
        /// for stock, cancellations.
        #[test]
        fn points_do_not_depend_on_arrival_order(
            ops in proptest::collection::vec((0u8..9, 0usize..3, 1u32..4), 1..40),
            seed in any::<u64>(),
            batches in 1usize..5,
        ) {
            let mut s = setup();
            let good = s.rule("志愿服务", 7, "red", true, 20);
            let bad = s.rule("乱扔垃圾", -5, "black", false, 0);
            let item = s.worker("store.item", json!({"title": "米", "cost": 6, "stock": 4}));
            let mut made: Vec<Event> = Vec::new();
            for (op, who, qty) in ops {
                let target = made.last().map(id).unwrap_or_else(|| "00".repeat(32));
                let e = match op {
                    0 => s.award(&good, who, qty),
                    1 => s.award(&bad, who, 1),
                    2 => s.resident(who, "points.claim", json!({"rule": id(&good), "qty": qty, "note": ""})),
                    3 => s.worker2("points.decide", json!({"claim": target, "approve": qty != 2, "reason": ""})),
                    4 => s.resident(who, "points.appeal", json!({"entry": target, "reason": "x"})),
                    5 => s.council("points.appeal_decide", json!({"appeal": target, "grant": qty == 1, "reason": ""})),
                    6 => s.council("points.reverse", json!({"entry": target, "reason": "x"})),
                    7 => s.resident(who, "store.redeem", json!({"item": id(&item), "qty": qty})),
                    _ => s.resident(who, "store.cancel", json!({"redemption": target, "reason": ""})),
                };
                made.push(e);
            }
            let in_order = s.town.fold();
            let space = s.town.fold_shuffled(seed, batches);
            prop_assert_eq!(
                space.state().to_canonical_json(),
                in_order.state().to_canonical_json()
            );
            // Balances always equal the entries and redemptions they come from.
            let p = &in_order.state().points;
            for (m, a) in p.accounts() {
                let counted: i64 = p.entries().filter(|e| &e.member == m && e.status == EntryStatus::Counted).map(|e| e.amount).sum();
                let spent: i64 = p.redemptions().filter(|r| &r.member == m && r.status != RedemptionStatus::Cancelled).map(|r| r.cost * i64::from(r.qty)).sum();
                prop_assert_eq!(a.balance, counted - spent);
            }
            for i in p.items() {
                prop_assert!(i.stock >= 0);
            }
        }
    }
}
