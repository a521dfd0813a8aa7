//! A deterministic synthetic year of a community's points (积分制), for the benchmarks: the
//! native one (`crates/domain/benches/fold.rs`, as `mod synth`) and the one in headless
//! Chromium (`tests/fold_bench.rs` of the app, through `#[path]`). It uses only the domain's
//! public API, so both include this file as a module instead of the domain shipping it.
//!
//! The log: a genesis, then the roster (council, workers and residents invited and joined,
//! about 2.5 members per household), then a year of points in UTC+8 — the council's rules
//! and the store's items first, then awards (skewed toward a few very active members, so that
//! monthly caps clip), deductions, claims and their decisions, reversals, appeals within the
//! 15 days and their decisions, rectifications, red-list opt-outs, redemptions (only when the
//! balance and the stock allow, restocking when needed), fulfilments and cancellations, two
//! rule changes, and a cut-off (`points.expire`) as the last event.
//!
//! Events are unsigned, like the other synthetic events: ids and keys are hashes of counters
//! (the fold does not check signatures). Every act is asked of the fold's own judge before it
//! is emitted ([`linli_domain::State::allows_at`]) and the generator folds as it goes, so
//! every event of the log applies: a follow-up that the state no longer allows (an appeal of
//! an entry reversed in the meantime) is dropped, never emitted.
#![allow(dead_code)]

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use linli_domain::envelope::sha256;
use linli_domain::fold::Forks;
use linli_domain::points::act as pa;
use linli_domain::points::{Act as PointsAct, List};
use linli_domain::roster::act::{Genesis, Invite, Join};
use linli_domain::roster::Act as RosterAct;
use linli_domain::{Command, DeviceKey, Event, EventId, Hex32, MemberId, Payload, Role, State};

/// Households of the benchmark community.
pub const HOUSEHOLDS: u32 = 3_000;
/// Members (admin, council, workers and residents).
pub const MEMBERS: u32 = 7_500;
/// Points and store events in the year.
pub const POINTS_EVENTS: usize = 315_000;

/// 2025-01-01 00:00 in UTC+8 (ms since the epoch).
pub const START: i64 = 1_735_660_800_000;
/// 365 days.
pub const YEAR_MS: i64 = 365 * DAY;
const DAY: i64 = 86_400_000;

const COUNCIL: u32 = 20;
const WORKERS: u32 = 30;

/// A year of a community's events, in total order.
pub struct Year {
    /// The space (the genesis id).
    pub space: Hex32,
    /// Every event: the roster first, then the points.
    pub events: Vec<Event>,
    /// How many of `events` set up the roster (genesis, invitations, joins).
    pub roster_len: usize,
    /// Residents' devices and member ids, most active first.
    pub residents: Vec<(DeviceKey, MemberId)>,
    /// Workers' devices and member ids.
    pub workers: Vec<(DeviceKey, MemberId)>,
    /// Follow-ups the state no longer allowed when they came due (not emitted).
    pub dropped: usize,
}

impl Year {
    /// The roster events.
    pub fn roster(&self) -> &[Event] {
        &self.events[..self.roster_len]
    }

    /// The points events.
    pub fn points(&self) -> &[Event] {
        &self.events[self.roster_len..]
    }

    /// Events of each kind among the points events, sorted by kind.
    pub fn kinds(&self) -> Vec<(String, usize)> {
        let mut n: HashMap<&str, usize> = HashMap::new();
        for e in self.points() {
            *n.entry(e.kind.as_str()).or_default() += 1;
        }
        let mut v: Vec<(String, usize)> = n.into_iter().map(|(k, c)| (k.to_owned(), c)).collect();
        v.sort();
        v
    }
}

/// Folds `events` from scratch.
pub fn fold(space: Hex32, events: &[Event]) -> State {
    let mut state = State::new(space);
    fold_onto(&mut state, events);
    state
}

/// Folds `events` onto `state`.
pub fn fold_onto(state: &mut State, events: &[Event]) {
    let forks = Forks::new();
    for e in events {
        state.apply(e, &forks);
    }
}

/// The benchmark's year: [`HOUSEHOLDS`], [`MEMBERS`], [`POINTS_EVENTS`].
pub fn year() -> Year {
    year_of(HOUSEHOLDS, MEMBERS, POINTS_EVENTS)
}

/// A year of `points_events` points events in a community of `members` members in
/// `households` households. The same arguments always give the same events.
pub fn year_of(households: u32, members: u32, points_events: usize) -> Year {
    assert!(members > COUNCIL + WORKERS + 10, "room for residents");
    let mut g = Gen::new();
    let admin = g.key(0, 0);
    let genesis = sha256(b"linli synthetic year");
    g.space = genesis;
    g.state = State::new(genesis);
    let roster_start = START - 30 * DAY;
    g.emit_unchecked(
        genesis,
        admin,
        roster_start,
        None,
        Command::Roster(RosterAct::Genesis(Genesis {
            name: "幸福里社区".into(),
            founder: "王建国".into(),
            household: "01-0101".into(),
        })),
    );

    // The roster: the admin invites the council and the workers, the council the residents.
    let mut council = Vec::new();
    let mut workers = Vec::new();
    let mut residents = Vec::new();
    for i in 1..members {
        let ts = roster_start + i64::from(i) * (29 * DAY) / i64::from(members);
        let role = if i <= COUNCIL {
            Role::Council
        } else if i <= COUNCIL + WORKERS {
            Role::Worker
        } else {
            Role::Resident
        };
        let inviter = if role == Role::Resident {
            council[(i % COUNCIL) as usize]
        } else {
            admin
        };
        let hh = i % households;
        let secret_hash = g.key(3, u64::from(i));
        let invite = Command::Roster(RosterAct::Invite(Invite {
            invite: secret_hash,
            role,
            household: format!("{:02}-{:04}", hh / 100 + 1, hh % 100 + 101).into(),
            expires: None,
        }));
        g.emit(inviter, ts, invite).expect("an invitation applies");
        let device = g.key(2, u64::from(i));
        let join = Command::Roster(RosterAct::Join(Join {
            secret: Arc::from(&[][..]),
            invite: secret_hash,
            name: NAMES[(i as usize * 7) % NAMES.len()].into(),
        }));
        let member = g.emit(device, ts, join).expect("a join applies");
        match role {
            Role::Council => council.push(device),
            Role::Worker => workers.push((device, member)),
            _ => residents.push((device, member)),
        }
    }
    let roster_len = g.events.len();
    g.points(&council, &workers, &residents, points_events);
    Year {
        space: genesis,
        roster_len,
        events: g.events,
        residents,
        workers,
        dropped: g.dropped,
    }
}

const NAMES: [&str; 12] = [
    "王桂兰",
    "张秀英",
    "李建国",
    "刘洋",
    "陈志强",
    "杨丽",
    "赵淑珍",
    "黄伟",
    "周敏",
    "吴国华",
    "欧阳娜娜",
    "徐明",
];

/// (title, points, list, claimable, cap per month).
const RULES: [(&str, i64, List, bool, i64); 20] = [
    ("垃圾分类投放正确", 2, List::None, true, 20),
    ("志愿服务（每小时）", 5, List::Red, true, 100),
    ("清理楼道堆物", 5, List::Red, false, 30),
    ("参加议事会", 3, List::None, false, 0),
    ("邻里互助", 10, List::Red, true, 50),
    ("文明养犬", 2, List::None, false, 10),
    ("协助调解纠纷", 20, List::Red, false, 0),
    ("献血", 50, List::Red, false, 0),
    ("参加社区活动", 3, List::None, true, 30),
    ("巡逻值守", 5, List::Red, false, 60),
    ("绿化认养", 5, List::None, true, 20),
    ("关爱独居老人", 10, List::Red, true, 40),
    ("家庭文明示范", 30, List::Red, false, 0),
    ("提出采纳建议", 10, List::None, false, 0),
    ("乱扔垃圾", -5, List::Black, false, 0),
    ("占用消防通道", -20, List::Black, false, 0),
    ("高空抛物", -50, List::Black, false, 0),
    ("违规停车", -5, List::None, false, 0),
    ("破坏绿化", -10, List::None, false, 0),
    ("不文明养犬", -5, List::None, false, 0),
];

/// (title, cost, stock).
const ITEMS: [(&str, i64, i64); 12] = [
    ("洗衣液", 50, 200),
    ("食用油", 80, 150),
    ("大米 5 斤", 60, 200),
    ("抽纸一提", 30, 300),
    ("理发券", 40, 100),
    ("毛巾", 20, 300),
    ("鸡蛋一盒", 25, 300),
    ("保温杯", 120, 60),
    ("家电清洗", 200, 40),
    ("体检套餐", 500, 20),
    ("牙膏", 15, 300),
    ("雨伞", 60, 100),
];

/// A follow-up, due at an index of the points events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Later {
    Decide {
        claim: EventId,
        approve: bool,
    },
    Appeal {
        entry: EventId,
        by: DeviceKey,
    },
    AppealDecide {
        appeal: EventId,
        grant: bool,
    },
    Rectify {
        entry: EventId,
    },
    Reverse {
        entry: EventId,
    },
    Fulfil {
        redemption: EventId,
    },
    Cancel {
        redemption: EventId,
        by: Option<DeviceKey>,
    },
}

struct Gen {
    space: Hex32,
    state: State,
    forks: Forks,
    events: Vec<Event>,
    /// Per device: (seq, id) of its last event.
    heads: HashMap<DeviceKey, (u64, EventId)>,
    lamport: u64,
    next_id: u64,
    rng: u64,
    dropped: usize,
}

impl Gen {
    fn new() -> Gen {
        Gen {
            space: Hex32::default(),
            state: State::new(Hex32::default()),
            forks: Forks::new(),
            events: Vec::new(),
            heads: HashMap::new(),
            lamport: 0,
            next_id: 0,
            rng: 0x6c69_6e6c_6920_7965,
            dropped: 0,
        }
    }

    fn key(&self, tag: u8, i: u64) -> Hex32 {
        let mut b = [tag; 9];
        b[1..].copy_from_slice(&i.to_le_bytes());
        sha256(&b)
    }

    /// splitmix64.
    fn next(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in `lo..hi`.
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo)
    }

    /// True with probability `per_mille` / 1000.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }

    /// In `0..n`, skewed toward 0: `n × u²` (the first of 7,500 gets about 1.2 % of the
    /// draws, the median one about the mean).
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * n as f64) as usize).min(n - 1)
    }

    /// Emits `command` by `author` if the fold would accept it; its id.
    fn emit(&mut self, author: DeviceKey, ts: i64, command: Command) -> Option<EventId> {
        self.state.allows_at(&author, &command, ts).ok()?;
        self.next_id += 1;
        let id = self.key(1, self.next_id);
        let space = Some(self.space);
        self.emit_unchecked(id, author, ts, space, command);
        Some(id)
    }

    fn emit_unchecked(
        &mut self,
        id: EventId,
        author: DeviceKey,
        ts: i64,
        space: Option<Hex32>,
        command: Command,
    ) {
        let (seq, prev) = self.heads.get(&author).copied().unwrap_or_default();
        self.lamport += 1;
        let event = Event {
            id,
            space,
            author,
            seq: seq + 1,
            prev: (seq > 0).then_some(prev),
            lamport: self.lamport,
            ts,
            kind: command.kind().to_owned(),
            payload: Payload::Command(command),
            envelope: String::new(),
        };
        let before = self.state.accepted;
        self.state.apply(&event, &self.forks);
        assert_eq!(
            self.state.accepted,
            before + 1,
            "synthetic event {} ({}) rejected: {:?}",
            self.events.len(),
            event.kind,
            self.state.rejection(&id)
        );
        self.heads.insert(author, (seq + 1, id));
        self.events.push(event);
    }

    fn points(
        &mut self,
        council: &[DeviceKey],
        workers: &[(DeviceKey, MemberId)],
        residents: &[(DeviceKey, MemberId)],
        n: usize,
    ) {
        let first = self.events.len();
        let ts_of = |i: usize| START + (i as i64 * YEAR_MS) / n as i64;
        let idx = |g: &Gen| g.events.len() - first;
        let cmd = |a: PointsAct| Command::Points(a);

        // The catalogue and the store.
        let mut rules: Vec<EventId> = Vec::new();
        for (i, (title, points, list, claimable, cap)) in RULES.iter().enumerate() {
            let rule = pa::Rule {
                title: (*title).into(),
                points: *points,
                list: *list,
                claimable: *claimable,
                cap_month: *cap,
                replaces: None,
            };
            let by = council[i % council.len()];
            let ts = ts_of(idx(self));
            rules.push(self.emit(by, ts, cmd(PointsAct::Rule(rule))).expect("rule"));
        }
        let mut items: Vec<(EventId, i64)> = Vec::new();
        for (i, (title, cost, stock)) in ITEMS.iter().enumerate() {
            let item = pa::Item {
                title: (*title).into(),
                cost: *cost,
                stock: *stock,
            };
            let by = workers[i % workers.len()].0;
            let ts = ts_of(idx(self));
            items.push((
                self.emit(by, ts, cmd(PointsAct::Item(item))).expect("item"),
                *cost,
            ));
        }
        let mut positive: Vec<usize> = (0..RULES.len()).filter(|&i| RULES[i].1 > 0).collect();
        let claimable: Vec<usize> = (0..RULES.len()).filter(|&i| RULES[i].3).collect();
        let negative: Vec<usize> = (0..RULES.len()).filter(|&i| RULES[i].1 < 0).collect();
        // Follow-ups by the index they are due at (then the order they were scheduled in).
        let mut later: BinaryHeap<Reverse<(usize, u64, Later)>> = BinaryHeap::new();
        let mut scheduled = 0u64;
        let mut after = |later: &mut BinaryHeap<_>, due: usize, what: Later| {
            scheduled += 1;
            later.push(Reverse((due, scheduled, what)));
        };
        // About 14 days of events at this rate: appeals come within the 15-day window.
        let fortnight = (n as i64 * 14 * DAY / YEAR_MS) as usize;

        while idx(self) < n - 1 {
            let i = idx(self);
            let ts = ts_of(i);
            // A new version of one rule (its cap raised), later another rule retired.
            if i == n * 2 / 5 {
                let (title, points, list, claimable, _) = RULES[1];
                let act = PointsAct::Rule(pa::Rule {
                    title: title.into(),
                    points,
                    list,
                    claimable,
                    cap_month: 80,
                    replaces: Some(rules[1]),
                });
                rules[1] = self.emit(council[0], ts, cmd(act)).expect("new version");
                continue;
            }
            if i == n * 7 / 10 {
                let act = PointsAct::Retire(pa::RuleRef { rule: rules[13] });
                self.emit(council[0], ts, cmd(act)).expect("retirement");
                positive.retain(|&k| k != 13);
                continue;
            }
            // A follow-up that is due comes first.
            if later.peek().is_some_and(|Reverse((due, _, _))| *due <= i) {
                let Some(Reverse((_, _, what))) = later.pop() else {
                    continue;
                };
                let worker = workers[self.below(workers.len())].0;
                let chair = council[self.below(council.len())];
                let (by, act) = match what {
                    Later::Decide { claim, approve } => (
                        worker,
                        PointsAct::Decide(pa::Decide {
                            claim,
                            approve,
                            reason: if approve { "" } else { "无记录" }.into(),
                        }),
                    ),
                    Later::Appeal { entry, by } => (
                        by,
                        PointsAct::Appeal(pa::Appeal {
                            entry,
                            reason: "当时不在现场".into(),
                        }),
                    ),
                    Later::AppealDecide { appeal, grant } => (
                        chair,
                        PointsAct::AppealDecide(pa::AppealDecide {
                            appeal,
                            grant,
                            reason: "".into(),
                        }),
                    ),
                    Later::Rectify { entry } => (
                        worker,
                        PointsAct::Rectified(pa::Rectified {
                            entry,
                            note: "已整改".into(),
                        }),
                    ),
                    Later::Reverse { entry } => (
                        chair,
                        PointsAct::Reverse(pa::Reverse {
                            entry,
                            reason: "记错了人".into(),
                        }),
                    ),
                    Later::Fulfil { redemption } => {
                        (worker, PointsAct::Fulfil(pa::RedemptionRef { redemption }))
                    }
                    Later::Cancel { redemption, by } => (
                        by.unwrap_or(worker),
                        PointsAct::Cancel(pa::Cancel {
                            redemption,
                            reason: "不要了".into(),
                        }),
                    ),
                };
                match self.emit(by, ts, cmd(act)) {
                    None => self.dropped += 1,
                    Some(appeal) => {
                        if let Later::Appeal { entry, .. } = what {
                            let grant = self.chance(400);
                            let due = i + self.between(200, 3_000);
                            after(&mut later, due, Later::AppealDecide { appeal, grant });
                            if !grant && self.chance(500) {
                                let due = i + self.between(3_000, 20_000);
                                after(&mut later, due, Later::Rectify { entry });
                            }
                        }
                    }
                }
                continue;
            }
            let draw = self.below(1000);
            let emitted = if draw < 550 {
                // An award under a positive rule, to a member skewed toward the active ones.
                let k = positive[self.below(positive.len())];
                let member = residents[self.skewed(residents.len())].1;
                let by = workers[self.below(workers.len())].0;
                let qty = if self.chance(800) {
                    1
                } else {
                    self.between(2, 6) as u32
                };
                let award = pa::Award {
                    rule: rules[k],
                    member,
                    qty,
                    note: if self.chance(700) {
                        ""
                    } else {
                        "3号楼东侧"
                    }
                    .into(),
                };
                let id = self.emit(by, ts, cmd(PointsAct::Award(award)));
                if let Some(entry) = id {
                    if self.chance(20) {
                        let due = i + self.between(10, 3_000);
                        after(&mut later, due, Later::Reverse { entry });
                    }
                }
                id
            } else if draw < 610 {
                // A deduction, to anyone; some appealed within the window, some rectified.
                let k = negative[self.below(negative.len())];
                let (device, member) = residents[self.below(residents.len())];
                let by = workers[self.below(workers.len())].0;
                let award = pa::Award {
                    rule: rules[k],
                    member,
                    qty: 1,
                    note: "巡查发现".into(),
                };
                let id = self.emit(by, ts, cmd(PointsAct::Award(award)));
                if let Some(entry) = id {
                    if self.chance(300) {
                        let due = i + self.between(100, fortnight);
                        after(&mut later, due, Later::Appeal { entry, by: device });
                    } else if RULES[k].2 == List::Black && self.chance(500) {
                        let due = i + self.between(1_000, 20_000);
                        after(&mut later, due, Later::Rectify { entry });
                    }
                }
                id
            } else if draw < 810 {
                // A claim by a member, decided later.
                let k = claimable[self.below(claimable.len())];
                let device = residents[self.skewed(residents.len())].0;
                let claim = pa::Claim {
                    rule: rules[k],
                    qty: if self.chance(850) {
                        1
                    } else {
                        self.between(2, 4) as u32
                    },
                    note: "周六上午".into(),
                };
                let id = self.emit(device, ts, cmd(PointsAct::Claim(claim)));
                if let Some(claim) = id {
                    let approve = self.chance(850);
                    let due = i + self.between(50, 2_000);
                    after(&mut later, due, Later::Decide { claim, approve });
                }
                id
            } else if draw < 995 {
                // A redemption, when the balance allows; restocked first when out of stock.
                let (device, member) = residents[self.skewed(residents.len())];
                let (item, cost) = items[self.below(items.len())];
                let qty = if self.chance(850) { 1 } else { 2 };
                let stock = self.state.points.item(&item).map_or(0, |it| it.stock);
                if self.state.points.balance(&member) < cost * i64::from(qty) {
                    None
                } else if stock < i64::from(qty) {
                    let by = workers[self.below(workers.len())].0;
                    let add = self.between(50, 200) as i64;
                    let restock = PointsAct::Restock(pa::Restock { item, add });
                    self.emit(by, ts, cmd(restock))
                } else {
                    let redeem = PointsAct::Redeem(pa::Redeem { item, qty });
                    let id = self.emit(device, ts, cmd(redeem));
                    if let Some(redemption) = id {
                        if self.chance(880) {
                            let due = i + self.between(50, 3_000);
                            after(&mut later, due, Later::Fulfil { redemption });
                        } else {
                            let by = self.chance(500).then_some(device);
                            let due = i + self.between(20, 2_000);
                            after(&mut later, due, Later::Cancel { redemption, by });
                        }
                    }
                    id
                }
            } else {
                // On or off the red list.
                let device = residents[self.below(residents.len())].0;
                let red_list = self.chance(300);
                let privacy = PointsAct::Privacy(pa::Privacy { red_list });
                self.emit(device, ts, cmd(privacy))
            };
            if emitted.is_none() {
                // Not allowed here (a balance too low): an award instead.
                let member = residents[self.skewed(residents.len())].1;
                let by = workers[self.below(workers.len())].0;
                let award = pa::Award {
                    rule: rules[0],
                    member,
                    qty: 1,
                    note: "".into(),
                };
                self.emit(by, ts, cmd(PointsAct::Award(award)))
                    .expect("a plain award");
            }
        }
        // The council's cut-off, the year's last event: what was earned in its first half and
        // is not spent by now lapses.
        let cut = pa::Expire {
            before: START + YEAR_MS / 2,
            note: "上半年积分清零".into(),
        };
        let ts = ts_of(idx(self));
        self.emit(council[0], ts, cmd(PointsAct::Expire(cut)))
            .expect("expiry");
    }
}
