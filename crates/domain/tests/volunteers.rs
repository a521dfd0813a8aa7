//! Volunteer services (志愿服务): every rule and its rejection code — profiles, activities,
//! sign-up with the wait list and promotion in total order, assignment, check-in and
//! check-out in the activity's time, hours that become points under the activity's rule
//! (capped, reversed with their minutes), cancellation — the audit's sections, and any arrival
//! order or batching giving the same state byte for byte.

mod common;

use common::Town;
use linli_domain::audit::report;
use linli_domain::points::{EntryStatus, Source};
use linli_domain::volunteers::ActivityStatus;
use linli_domain::{ChainWriter, Code, Event, EventId, Space};
use serde_json::{json, Value};

const HOUR: i64 = 3_600_000;

fn code(space: &Space, e: &Event) -> Option<Code> {
    space.state().rejection(&e.id)
}

fn id(e: &Event) -> String {
    e.id.to_hex()
}

/// An admin (device 0), a council member (1), two workers (2, 3), four residents (10–13).
struct Setup {
    town: Town,
    council: ChainWriter,
    workers: Vec<(ChainWriter, EventId)>,
    residents: Vec<(ChainWriter, EventId)>,
}

fn setup() -> Setup {
    let mut town = Town::new();
    let (council, _) = town.member(1, "council");
    let workers = (0..2).map(|i| town.member(2 + i, "worker")).collect();
    let residents = (0..4).map(|i| town.member(10 + i, "resident")).collect();
    Setup {
        town,
        council,
        workers,
        residents,
    }
}

fn take(w: &mut ChainWriter) -> ChainWriter {
    std::mem::replace(w, ChainWriter::new(&[0; 32], None))
}

impl Setup {
    fn council(&mut self, kind: &str, payload: Value) -> Event {
        let mut w = take(&mut self.council);
        let e = self.town.act(&mut w, kind, payload);
        self.council = w;
        e
    }
    fn worker(&mut self, i: usize, kind: &str, payload: Value) -> Event {
        let mut w = take(&mut self.workers[i].0);
        let e = self.town.act(&mut w, kind, payload);
        self.workers[i].0 = w;
        e
    }
    fn resident(&mut self, i: usize, kind: &str, payload: Value) -> Event {
        let mut w = take(&mut self.residents[i].0);
        let e = self.town.act(&mut w, kind, payload);
        self.residents[i].0 = w;
        e
    }
    fn member(&self, i: usize) -> String {
        self.residents[i].1.to_hex()
    }
    /// Now, as the next event will carry it (roughly: each event adds a second).
    fn now(&self) -> i64 {
        self.town.next_ts
    }
    /// An activity by worker 0 starting an hour from now, lasting two hours.
    fn activity(&mut self, slots: u32, waitlist: bool, rule: Option<&Event>) -> Event {
        let start = self.now() + HOUR;
        self.worker(
            0,
            "activity.create",
            json!({"title": "楼道清理", "body": "", "place": "3栋", "grid": "3网格",
                   "start": start, "end": start + 2 * HOUR, "slots": slots, "skills": ["环境"],
                   "rule": rule.map(id), "waitlist": waitlist}),
        )
    }
    fn signup(&mut self, i: usize, a: &Event) -> Event {
        self.resident(i, "activity.signup", json!({"activity": id(a)}))
    }
    fn withdraw(&mut self, i: usize, a: &Event) -> Event {
        self.resident(i, "activity.withdraw", json!({"activity": id(a)}))
    }
    fn hours(&mut self, worker: usize, a: &Event, i: usize, minutes: u32) -> Event {
        let m = self.member(i);
        self.worker(
            worker,
            "activity.hours",
            json!({"activity": id(a), "member": m, "minutes": minutes}),
        )
    }
    fn rule(&mut self, points: i64, cap: i64) -> Event {
        self.council(
            "points.rule",
            json!({"title": "志愿服务(每小时)", "points": points, "list": "red", "claimable": false, "cap_month": cap}),
        )
    }
}

fn activity<'a>(space: &'a Space, a: &Event) -> &'a linli_domain::volunteers::Activity {
    space.state().volunteers.activity(&a.id).expect("activity")
}

#[test]
fn profiles_are_ones_own_and_the_latest_wins() {
    let mut s = setup();
    let first = s.resident(
        0,
        "volunteer.profile",
        json!({"skills": ["助老"], "availability": [[6, "09:00", "12:00"]], "grid": "3网格", "active": true}),
    );
    let second = s.resident(
        0,
        "volunteer.profile",
        json!({"skills": ["助老", "医疗"], "availability": [], "grid": "3网格", "active": false}),
    );
    let bad_day = s.resident(
        1,
        "volunteer.profile",
        json!({"skills": [], "availability": [[0, "09:00", "12:00"]], "grid": "", "active": true}),
    );
    let space = s.town.fold();
    assert_eq!(code(&space, &first), None);
    assert_eq!(code(&space, &second), None);
    assert_eq!(code(&space, &bad_day), Some(Code::MalformedPayload));
    let p = space
        .state()
        .volunteers
        .profile(&s.residents[0].1)
        .expect("profile");
    assert_eq!(p.skills.len(), 2);
    assert!(!p.active);
    assert!(space
        .state()
        .volunteers
        .profile(&s.residents[1].1)
        .is_none());
}

#[test]
fn activities_are_staffs_and_their_rule_must_award_points() {
    let mut s = setup();
    let plus = s.rule(10, 0);
    let minus = s.council(
        "points.rule",
        json!({"title": "乱扔垃圾", "points": -5, "list": "black", "claimable": false, "cap_month": 0}),
    );
    let retired = s.rule(3, 0);
    s.council("points.rule_retire", json!({"rule": id(&retired)}));
    let start = s.now() + HOUR;
    let by_resident = s.resident(
        0,
        "activity.create",
        json!({"title": "x", "body": "", "place": "", "grid": "", "start": start, "end": start + HOUR,
               "slots": 1, "skills": [], "rule": null, "waitlist": false}),
    );
    let ok = s.activity(2, true, Some(&plus));
    let none = s.activity(2, true, None);
    let negative = s.activity(2, true, Some(&minus));
    let old = s.activity(2, true, Some(&retired));
    let unknown = s.activity(2, true, Some(&by_resident));
    let backwards = s.worker(
        0,
        "activity.create",
        json!({"title": "x", "body": "", "place": "", "grid": "", "start": start, "end": start,
               "slots": 1, "skills": [], "rule": null, "waitlist": false}),
    );
    let space = s.town.fold();
    assert_eq!(code(&space, &by_resident), Some(Code::NotPermitted));
    assert_eq!(code(&space, &ok), None);
    assert_eq!(code(&space, &none), None);
    assert_eq!(code(&space, &negative), Some(Code::RuleNotPositive));
    assert_eq!(code(&space, &old), Some(Code::RuleRetired));
    assert_eq!(code(&space, &unknown), Some(Code::UnknownRule));
    assert_eq!(code(&space, &backwards), Some(Code::MalformedPayload));
    assert_eq!(activity(&space, &ok).status, ActivityStatus::Open);
}

#[test]
fn the_wait_list_moves_up_in_total_order() {
    let mut s = setup();
    let a = s.activity(2, true, None);
    let closed = s.activity(1, false, None);
    let r0 = s.signup(0, &a);
    let r1 = s.signup(1, &a);
    let r2 = s.signup(2, &a);
    let r3 = s.signup(3, &a);
    let twice = s.signup(2, &a);
    let twice_confirmed = s.signup(0, &a);
    let c0 = s.signup(0, &closed);
    let full = s.signup(1, &closed);
    let space = s.town.fold();
    for e in [&r0, &r1, &r2, &r3, &c0] {
        assert_eq!(code(&space, e), None);
    }
    assert_eq!(code(&space, &twice), Some(Code::Duplicate));
    assert_eq!(code(&space, &twice_confirmed), Some(Code::Duplicate));
    assert_eq!(code(&space, &full), Some(Code::ActivityFull));
    let act = activity(&space, &a);
    assert_eq!(act.confirmed, vec![s.residents[0].1, s.residents[1].1]);
    assert_eq!(act.waiting, vec![s.residents[2].1, s.residents[3].1]);
    assert_eq!(act.waitlist_position(&s.residents[3].1), Some(2));

    // The first confirmed withdraws: the first in line takes the slot; the second waiting
    // withdraws from the line.
    let w0 = s.withdraw(0, &a);
    let w3 = s.withdraw(3, &a);
    let again = s.withdraw(0, &a);
    let back = s.signup(0, &a);
    let space = s.town.fold();
    assert_eq!(code(&space, &w0), None);
    assert_eq!(code(&space, &w3), None);
    assert_eq!(code(&space, &again), Some(Code::NotSignedUp));
    assert_eq!(
        code(&space, &back),
        None,
        "a withdrawn volunteer may sign up again"
    );
    let act = activity(&space, &a);
    assert_eq!(act.confirmed, vec![s.residents[1].1, s.residents[2].1]);
    assert_eq!(act.waiting, vec![s.residents[0].1]);
}

#[test]
fn assignment_is_whole_or_nothing() {
    let mut s = setup();
    let a = s.activity(2, true, None);
    s.signup(0, &a);
    s.signup(1, &a); // confirmed
    s.signup(2, &a); // waiting
    s.withdraw(1, &a); // 2 moves up
    let (m0, m1, m3) = (s.member(0), s.member(1), s.member(3));
    let beyond = s.worker(
        0,
        "activity.assign",
        json!({"activity": id(&a), "members": [m1, m3]}),
    );
    let by_resident = s.resident(
        3,
        "activity.assign",
        json!({"activity": id(&a), "members": [m3]}),
    );
    let unknown = s.worker(
        0,
        "activity.assign",
        json!({"activity": id(&a), "members": [id(&a)]}),
    );
    let b = s.activity(3, true, None);
    s.signup(0, &b);
    let already = s.worker(
        0,
        "activity.assign",
        json!({"activity": id(&b), "members": [m0.clone(), m3.clone()]}),
    );
    let space = s.town.fold();
    assert_eq!(code(&space, &beyond), Some(Code::ActivityFull));
    assert_eq!(code(&space, &by_resident), Some(Code::NotPermitted));
    assert_eq!(code(&space, &unknown), Some(Code::UnknownMember));
    assert_eq!(
        code(&space, &already),
        None,
        "an already confirmed member takes no second slot"
    );
    assert_eq!(
        activity(&space, &a).confirmed,
        vec![s.residents[0].1, s.residents[2].1]
    );
    assert_eq!(
        activity(&space, &b).confirmed,
        vec![s.residents[0].1, s.residents[3].1]
    );

    // Assigning someone on the wait list takes them off it.
    let c = s.activity(1, true, None);
    s.signup(0, &c);
    s.signup(1, &c);
    s.withdraw(0, &c); // 1 moves up
    s.signup(2, &c); // waits
    s.withdraw(1, &c); // 2 moves up
    s.signup(3, &c); // waits
    let m2 = s.member(2);
    let space = s.town.fold();
    assert_eq!(activity(&space, &c).waiting, vec![s.residents[3].1]);
    let full = s.worker(
        0,
        "activity.assign",
        json!({"activity": id(&c), "members": [m3]}),
    );
    let same = s.worker(
        0,
        "activity.assign",
        json!({"activity": id(&c), "members": [m2]}),
    );
    let space = s.town.fold();
    assert_eq!(code(&space, &full), Some(Code::ActivityFull));
    assert_eq!(code(&space, &same), None);
}

#[test]
fn presence_is_for_the_confirmed_in_the_activitys_time() {
    let mut s = setup();
    let a = s.activity(1, true, None); // starts in an hour
    s.signup(0, &a);
    s.signup(1, &a); // waiting
    let (m0, m1) = (s.member(0), s.member(1));
    let waiting = s.resident(
        1,
        "activity.checkin",
        json!({"activity": id(&a), "member": m1}),
    );
    let for_other = s.resident(
        1,
        "activity.checkin",
        json!({"activity": id(&a), "member": m0.clone()}),
    );
    let out_first = s.resident(
        0,
        "activity.checkout",
        json!({"activity": id(&a), "member": m0.clone()}),
    );
    let own = s.resident(
        0,
        "activity.checkin",
        json!({"activity": id(&a), "member": m0.clone()}),
    );
    let twice = s.worker(
        0,
        "activity.checkin",
        json!({"activity": id(&a), "member": m0.clone()}),
    );
    s.town.next_ts += 2 * HOUR;
    let out = s.worker(
        0,
        "activity.checkout",
        json!({"activity": id(&a), "member": m0.clone()}),
    );
    // A phone a day late.
    let b = s.activity(1, true, None);
    s.signup(0, &b);
    s.town.next_ts += 30 * HOUR;
    let late = s.resident(
        0,
        "activity.checkin",
        json!({"activity": id(&b), "member": m0.clone()}),
    );
    s.town.next_ts -= 80 * HOUR;
    let early = s.resident(
        0,
        "activity.checkin",
        json!({"activity": id(&b), "member": m0}),
    );
    let space = s.town.fold();
    assert_eq!(code(&space, &waiting), Some(Code::NotConfirmed));
    assert_eq!(code(&space, &for_other), Some(Code::NotPermitted));
    assert_eq!(code(&space, &out_first), Some(Code::WrongState));
    assert_eq!(code(&space, &own), None, "an hour early is in time");
    assert_eq!(code(&space, &twice), Some(Code::Duplicate));
    assert_eq!(code(&space, &out), None);
    assert_eq!(code(&space, &late), Some(Code::OutsideTime));
    assert_eq!(code(&space, &early), Some(Code::OutsideTime));
    let att = activity(&space, &a)
        .attendance_of(&s.residents[0].1)
        .expect("attendance")
        .clone();
    assert_eq!(att.checkin, Some(own.ts));
    assert_eq!(att.checkout, Some(out.ts));
}

#[test]
fn hours_become_points_capped_and_go_back_with_a_reversal() {
    let mut s = setup();
    let rule = s.rule(10, 25);
    let a = s.activity(3, false, Some(&rule));
    s.signup(0, &a);
    s.signup(1, &a);
    let worker1 = s.workers[1].1.to_hex();
    let w1 = s.worker(
        1,
        "activity.assign",
        json!({"activity": id(&a), "members": [worker1.clone()]}),
    );
    let r0 = s.hours(0, &a, 0, 60);
    let resident = s.resident(
        1,
        "activity.hours",
        json!({"activity": id(&a), "member": s.member(0), "minutes": 60}),
    );
    let own = s.worker(
        1,
        "activity.hours",
        json!({"activity": id(&a), "member": worker1, "minutes": 60}),
    );
    let stranger = s.hours(0, &a, 2, 60);
    let twice = s.hours(1, &a, 0, 30);
    let r1 = s.hours(0, &a, 1, 150); // 25 points, the whole cap
    let space = s.town.fold();
    assert_eq!(code(&space, &w1), None);
    assert_eq!(code(&space, &r0), None);
    assert_eq!(code(&space, &resident), Some(Code::NotPermitted));
    assert_eq!(code(&space, &own), Some(Code::SelfDealing));
    assert_eq!(code(&space, &stranger), Some(Code::NotConfirmed));
    assert_eq!(code(&space, &twice), Some(Code::Duplicate));
    assert_eq!(code(&space, &r1), None);
    let points = &space.state().points;
    let e0 = points.entry(&r0.id).expect("an entry");
    assert_eq!(
        (e0.amount, e0.qty, e0.source),
        (10, 60, Source::Hours),
        "⌊10 × 60 / 60⌋"
    );
    assert_eq!(points.entry(&r1.id).expect("entry").amount, 25);
    let v = &space.state().volunteers;
    assert_eq!(v.minutes_of(&s.residents[1].1), (150, 1));

    // A second activity the same month: the cap is used up for resident 1; resident 0 has
    // 15 left of it. ⌊10 × 7 / 60⌋ = 1.
    let b = s.activity(3, false, Some(&rule));
    s.signup(0, &b);
    s.signup(1, &b);
    let capped = s.hours(0, &b, 1, 60);
    let floor = s.hours(0, &b, 0, 7);
    let space = s.town.fold();
    let points = &space.state().points;
    assert_eq!(points.entry(&capped.id).expect("entry").amount, 0);
    assert_eq!(points.entry(&floor.id).expect("entry").amount, 1);
    assert_eq!(points.balance(&s.residents[0].1), 11);

    // Reversed: the points and the minutes go; new hours may be confirmed; the worker who
    // confirmed them may not reverse them.
    let own_reverse = s.worker(
        0,
        "points.reverse",
        json!({"entry": id(&r1), "reason": "记错了"}),
    );
    let reverse = s.worker(
        1,
        "points.reverse",
        json!({"entry": id(&r1), "reason": "记错了"}),
    );
    let again = s.hours(0, &a, 1, 90);
    let space = s.town.fold();
    assert_eq!(code(&space, &own_reverse), Some(Code::SelfDealing));
    assert_eq!(code(&space, &reverse), None);
    assert_eq!(code(&space, &again), None);
    let state = space.state();
    assert_eq!(
        state.points.entry(&r1.id).expect("entry").status,
        EntryStatus::Void
    );
    assert_eq!(state.volunteers.minutes_of(&s.residents[1].1), (150, 2));
    let audit = report(&space);
    let row = audit
        .volunteers
        .iter()
        .find(|r| r.member == s.residents[1].1)
        .expect("row");
    assert_eq!((row.minutes, row.activities), (150, 2));
}

#[test]
fn hours_without_a_rule_are_minutes_only_and_reversible() {
    let mut s = setup();
    let a = s.activity(2, false, None);
    s.signup(0, &a);
    let h = s.hours(0, &a, 0, 45);
    let space = s.town.fold();
    assert_eq!(code(&space, &h), None);
    assert!(space.state().points.entry(&h.id).is_none());
    assert_eq!(
        space.state().volunteers.minutes_of(&s.residents[0].1),
        (45, 1)
    );
    let resident = s.resident(1, "points.reverse", json!({"entry": id(&h), "reason": "x"}));
    let own = s.worker(0, "points.reverse", json!({"entry": id(&h), "reason": "x"}));
    let ok = s.council("points.reverse", json!({"entry": id(&h), "reason": "x"}));
    let twice = s.council("points.reverse", json!({"entry": id(&h), "reason": "x"}));
    let space = s.town.fold();
    assert_eq!(code(&space, &resident), Some(Code::NotPermitted));
    assert_eq!(code(&space, &own), Some(Code::SelfDealing));
    assert_eq!(code(&space, &ok), None);
    assert_eq!(code(&space, &twice), Some(Code::WrongState));
    assert_eq!(
        space.state().volunteers.minutes_of(&s.residents[0].1),
        (0, 0)
    );
    assert!(report(&space).volunteers.is_empty());
}

#[test]
fn a_cancelled_activity_takes_nothing_more() {
    let mut s = setup();
    let a = s.activity(2, true, None);
    s.signup(0, &a);
    let by_resident = s.resident(
        0,
        "activity.cancel",
        json!({"activity": id(&a), "reason": "下雨"}),
    );
    let cancel = s.worker(
        1,
        "activity.cancel",
        json!({"activity": id(&a), "reason": "下雨"}),
    );
    let twice = s.worker(
        1,
        "activity.cancel",
        json!({"activity": id(&a), "reason": "下雨"}),
    );
    let signup = s.signup(1, &a);
    let withdraw = s.withdraw(0, &a);
    let hours = s.hours(1, &a, 0, 60);
    let unknown = s.resident(0, "activity.signup", json!({"activity": id(&cancel)}));
    let space = s.town.fold();
    assert_eq!(code(&space, &by_resident), Some(Code::NotPermitted));
    assert_eq!(code(&space, &cancel), None);
    assert_eq!(code(&space, &twice), Some(Code::WrongState));
    assert_eq!(code(&space, &signup), Some(Code::WrongState));
    assert_eq!(code(&space, &withdraw), Some(Code::WrongState));
    assert_eq!(code(&space, &hours), Some(Code::WrongState));
    assert_eq!(code(&space, &unknown), Some(Code::UnknownActivity));
    let audit = report(&space);
    assert_eq!(audit.activities.len(), 1);
    assert_eq!(audit.activities[0].status, ActivityStatus::Cancelled);
    assert_eq!(audit.activities[0].confirmed, vec![s.residents[0].1]);
}

#[test]
fn the_audit_lists_activities_and_volunteers_as_the_design_says() {
    let mut s = setup();
    let a = s.activity(1, true, None);
    s.signup(0, &a);
    s.signup(1, &a);
    s.hours(0, &a, 0, 30);
    let space = s.town.fold();
    let json = serde_json::to_value(report(&space)).expect("json");
    assert_eq!(
        json["activities"],
        json!([{"activity": id(&a), "status": "open", "confirmed": [s.member(0)], "waitlist": [s.member(1)]}])
    );
    assert_eq!(
        json["volunteers"],
        json!([{"member": s.member(0), "minutes": 30, "activities": 1}])
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
            ops in proptest::collection::vec((0u8..8, 0usize..4, 0usize..2), 1..40),
            seed in any::<u64>(),
            batches in 1usize..6,
        ) {
            let mut s = setup();
            let rule = s.rule(10, 30);
            let acts = [s.activity(2, true, Some(&rule)), s.activity(1, false, None)];
            for (op, who, which) in ops {
                let a = acts[which].clone();
                let m = s.member(who);
                match op {
                    0 | 1 => { s.signup(who, &a); }
                    2 => { s.withdraw(who, &a); }
                    3 => { s.worker(0, "activity.assign", json!({"activity": id(&a), "members": [m]})); }
                    4 => { s.resident(who, "activity.checkin", json!({"activity": id(&a), "member": m})); }
                    5 => { s.hours(who % 2, &a, who, 30 + who as u32 * 20); }
                    6 => {
                        if let Some(h) = s.town.log.iter().rev().find(|e| e.kind == "activity.hours").cloned() {
                            s.council("points.reverse", json!({"entry": id(&h), "reason": "x"}));
                        }
                    }
                    _ => { s.worker(1, "activity.cancel", json!({"activity": id(&a), "reason": "x"})); }
                }
            }
            let reference = s.town.fold().state().to_canonical_json();
            let shuffled = s.town.fold_shuffled(seed, batches).state().to_canonical_json();
            prop_assert_eq!(reference, shuffled);
        }
    }
}
