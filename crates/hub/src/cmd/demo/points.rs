//! The demo's year of points (积分制, `DESIGN.md` §3.5), from 2025-03-20 to the end of
//! February 2026 (UTC+8).
//!
//! A rule needs no ballot to be valid (a `points.rule` only needs a council author), but a
//! community adopts its 积分细则 by vote: the council first puts 《积分管理细则（试行）》 to the
//! households, the ballot passes and is closed, and only then does the council publish the
//! catalogue (22 rules) and a grid worker open the store (10 items). Then a year happens: awards
//! by grid workers and council members, residents' claims decided by staff (about 9 in 10
//! approved), deductions — some appealed within the 15 days and decided by a council member
//! who did not issue them (granted or refused), many put right (整改) after they became
//! visible, so people both join and leave the black list — a few reversals, a rule replaced by
//! a new version and a seasonal one retired, redemptions handed over or (twice) cancelled,
//! restocks, two residents opting out of the red list (one opts back in), and the council's
//! expiry cut-off in January.
//!
//! Everything is driven by a queue of jobs in time order; follow-ups (a decision, an appeal, a
//! hand-over) are queued when their cause happens, and whatever would fall after the year
//! stays pending. Every points act is judged against the state so far before it is signed
//! ([`Builder::try_points`]), with the `ts` it will carry, so the fold rejects nothing: an act
//! the rules would refuse (a redemption the balance does not cover) is simply not made.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

use linli_domain::points::act::{self, Act, List};
use linli_domain::{ChainWriter, Event, EventId, MemberId};
use serde_json::json;

use super::{frontier_parts, Builder, Rng};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 86_400_000;
/// Day 0 of the year of points: 2025-03-20 00:00 in UTC+8, when the adopted rules apply.
const DAY0: i64 = 1_742_400_000_000;
/// Days in the year: up to 2026-03-01 00:00 in UTC+8 (excluded). Whatever would come later —
/// a decision, an appeal's verdict, a hand-over — is still pending at the end.
const DAYS: i64 = 346;
const END: i64 = DAY0 + DAYS * DAY;
/// The expiry's cut-off: 2025-07-01 00:00 in UTC+8.
const EXPIRE_BEFORE: i64 = 1_751_299_200_000;
/// The grid workers are the first members of the roster.
const WORKERS: usize = 12;

/// A rule of the catalogue, and how often the year uses it.
struct RuleDef {
    title: &'static str,
    points: i64,
    list: List,
    claimable: bool,
    cap_month: i64,
    /// Weight among staff awards (points > 0) or deductions (points < 0).
    award: u32,
    /// Weight among residents' claims.
    claim: u32,
    /// Most units at once.
    qty: u32,
    /// What the entry's note says (a place is put before it when `place`).
    notes: &'static [&'static str],
    place: bool,
    /// 整改: what the worker verified (black-list rules).
    fix: &'static str,
}

const fn rule(
    title: &'static str,
    points: i64,
    list: List,
    claimable: bool,
    cap_month: i64,
    weights: (u32, u32, u32),
    notes: &'static [&'static str],
) -> RuleDef {
    RuleDef {
        title,
        points,
        list,
        claimable,
        cap_month,
        award: weights.0,
        claim: weights.1,
        qty: weights.2,
        notes,
        place: false,
        fix: "",
    }
}

const fn deduction(
    title: &'static str,
    points: i64,
    list: List,
    weight: u32,
    notes: &'static [&'static str],
    fix: &'static str,
) -> RuleDef {
    RuleDef {
        title,
        points,
        list,
        claimable: false,
        cap_month: 0,
        award: weight,
        claim: 0,
        qty: 1,
        notes,
        place: true,
        fix,
    }
}

const VOLUNTEER: usize = 1;
/// Replaced by [`GARBAGE_V2`] on 2025-09-01.
const GARBAGE: usize = 2;
/// Seasonal: awarded from June to September, retired in October.
const FLOOD: usize = 10;
/// Days of the flood season (2025-06-01 to 2025-09-30).
const FLOOD_DAYS: std::ops::Range<i64> = 73..195;
const REPLACE_DAY: i64 = 165;
const RETIRE_DAY: i64 = 202;

/// 《幸福里社区积分管理细则（试行）》: 15 ways to earn, 7 deductions (6 of them on the black list).
const CATALOGUE: [RuleDef; 22] = [
    RuleDef {
        place: true,
        ..rule(
            "清扫楼道、清理小广告",
            5,
            List::Red,
            true,
            20,
            (100, 200, 1),
            &["清扫单元楼道", "清理楼道小广告", "擦洗楼梯扶手"],
        )
    },
    rule(
        "参加志愿服务（每小时）",
        10,
        List::Red,
        true,
        80,
        (230, 250, 4),
        &[
            "社区志愿服务站值班",
            "协助社区活动布置",
            "教老年人使用智能手机",
            "协助疫苗接种点维持秩序",
        ],
    ),
    rule(
        "垃圾分类桶边督导（每班次）",
        5,
        List::Red,
        false,
        40,
        (180, 0, 2),
        &["早班桶边督导", "晚班桶边督导"],
    ),
    rule(
        "调解邻里纠纷",
        20,
        List::Red,
        false,
        60,
        (20, 0, 1),
        &["调解楼上楼下漏水纠纷", "调解装修噪音纠纷", "调解车位纠纷"],
    ),
    rule(
        "见义勇为",
        100,
        List::Red,
        false,
        0,
        (1, 0, 1),
        &["协助扑灭电动车起火", "救助落水儿童"],
    ),
    rule(
        "关爱帮扶独居老人（每次）",
        10,
        List::Red,
        true,
        40,
        (50, 100, 1),
        &["陪独居老人就医", "为老人代购生活用品", "上门探望独居老人"],
    ),
    rule(
        "无偿献血",
        50,
        List::Red,
        true,
        50,
        (0, 25, 1),
        &["无偿献血200毫升", "无偿献血400毫升"],
    ),
    rule(
        "参加居民议事会会议",
        3,
        List::None,
        false,
        9,
        (80, 0, 1),
        &["参加月度居民议事会"],
    ),
    rule(
        "提出合理化建议被采纳",
        15,
        List::Red,
        false,
        30,
        (15, 0, 1),
        &["建议增设快递柜被采纳", "建议调整垃圾投放时间被采纳"],
    ),
    rule(
        "治安巡逻值守（每班）",
        6,
        List::Red,
        false,
        48,
        (110, 0, 2),
        &["夜间治安巡逻", "节假日巡逻值守"],
    ),
    rule(
        "汛期防汛值守（每班）",
        8,
        List::Red,
        false,
        64,
        (60, 0, 3),
        &["暴雨夜地下车库值守", "清理雨水篦子"],
    ),
    rule(
        "参加社区文体活动",
        2,
        List::None,
        true,
        10,
        (50, 200, 1),
        &["参加广场舞比赛", "参加重阳节文艺汇演", "参加亲子运动会"],
    ),
    rule(
        "捐赠闲置物品",
        5,
        List::None,
        true,
        15,
        (0, 100, 1),
        &["捐赠闲置衣物", "向社区书屋捐赠图书"],
    ),
    rule(
        "犬只登记并签订文明养犬承诺",
        5,
        List::None,
        true,
        5,
        (0, 40, 1),
        &["完成犬只登记"],
    ),
    rule(
        "拾金不昧",
        10,
        List::Red,
        false,
        0,
        (8, 0, 1),
        &["拾到钱包交还失主", "拾到手机交至物业"],
    ),
    deduction(
        "楼道乱堆杂物",
        -5,
        List::Black,
        30,
        &["楼道堆放纸箱", "楼道堆放旧家具"],
        "楼道杂物已清理，网格员复查合格",
    ),
    deduction(
        "占用消防通道",
        -10,
        List::Black,
        15,
        &["私家车停在消防通道", "消防通道堆放杂物"],
        "车辆已挪走，签订承诺书",
    ),
    deduction(
        "高空抛物",
        -20,
        List::Black,
        4,
        &["从窗口抛下垃圾袋", "阳台抛掷杂物"],
        "已当面致歉并签订不再抛物承诺书",
    ),
    deduction(
        "电动车飞线充电、推车进楼",
        -10,
        List::Black,
        15,
        &["楼道飞线充电", "电动车推入电梯"],
        "已改到集中充电棚充电，复查合格",
    ),
    deduction(
        "不文明养犬（未牵绳、未清理粪便）",
        -5,
        List::Black,
        12,
        &["遛狗未牵绳", "未清理犬只粪便"],
        "已参加文明养犬学习，复查合格",
    ),
    deduction(
        "私搭乱建、毁绿种菜",
        -30,
        List::Black,
        3,
        &["绿地私自种菜", "一楼院子私搭彩钢棚"],
        "违建已拆除，绿地已恢复",
    ),
    deduction(
        "垃圾未分类投放",
        -2,
        List::None,
        25,
        &["厨余垃圾混投", "垃圾袋丢在桶外"],
        "",
    ),
];

/// The new version of [`GARBAGE`]: more per shift, a higher cap.
const GARBAGE_V2: RuleDef = rule(
    "垃圾分类桶边督导（每班次）",
    8,
    List::Red,
    false,
    64,
    (0, 0, 2),
    &[],
);

/// 积分超市: title, cost, stock at the opening (× the scale).
const ITEMS: [(&str, i64, i64); 10] = [
    ("洗衣液 2kg", 30, 120),
    ("东北大米 5kg", 80, 40),
    ("食用油 1.8L", 60, 50),
    ("理发券（社区便民理发室）", 20, 80),
    ("抽纸 10包", 25, 120),
    ("牙膏牙刷套装", 15, 150),
    ("鲜鸡蛋 30枚", 40, 50),
    ("家电清洗上门服务券", 120, 20),
    ("电动车充电卡（20次）", 30, 60),
    ("社区食堂早餐券（5张）", 10, 100),
];

const REVERSE_REASONS: [&str; 3] = [
    "重复登记，撤销其中一条",
    "经核实当天未参加该活动",
    "录错了居民，已为正确的居民重新登记",
];
const APPEAL_REASONS: [&str; 4] = [
    "当时只是临时放置，半小时内已自行处理",
    "照片中的不是我本人，请查看监控核实",
    "物业事先同意临时占用，有聊天记录为证",
    "初次发生且当天已整改，请求撤销扣分",
];
const GRANT_REASON: &str = "经复核，证据不足，撤销扣分";
const REFUSE_APPEAL_REASON: &str = "经查看监控记录，情况属实，维持扣分";
const REFUSE_CLAIM_REASONS: [&str; 3] = [
    "照片未能体现服务内容，请补充材料后重新申报",
    "经核实，当天该活动已取消",
    "同一事项已由网格员登记，请勿重复申报",
];

/// Who acts: a council member (by index) or a member of the roster (workers first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Council(usize),
    Member(usize),
}

/// The people of the demo, as the roster made them.
pub(super) struct Cast<'a> {
    /// The council members' devices.
    pub council: &'a mut [ChainWriter],
    /// Their member ids, in the same order.
    pub council_ids: &'a [MemberId],
    /// The 12 grid workers, then the residents: each one's current device and join event.
    pub members: &'a mut [(ChainWriter, Event)],
}

impl Cast<'_> {
    fn id(&self, who: Who) -> MemberId {
        match who {
            Who::Council(k) => self.council_ids[k],
            Who::Member(i) => self.members[i].1.id,
        }
    }

    fn writer(&mut self, who: Who) -> &mut ChainWriter {
        match who {
            Who::Council(k) => &mut self.council[k],
            Who::Member(i) => &mut self.members[i].0,
        }
    }
}

/// Something that happens at a time.
enum Job {
    Award {
        slot: usize,
        member: usize,
        qty: u32,
        note: String,
        by: Who,
        /// A deduction: appealed (with this reason; granted or not), and whether it is put
        /// right later.
        appeal: Option<(&'static str, bool)>,
        rectify: bool,
        /// Reversed later, for this reason.
        reverse: Option<&'static str>,
    },
    Claim {
        slot: usize,
        member: usize,
        qty: u32,
        note: String,
        refuse: Option<&'static str>,
    },
    Decide {
        claim: EventId,
        by: Who,
        refuse: Option<&'static str>,
    },
    Reverse {
        entry: EventId,
        by: Who,
        reason: &'static str,
    },
    Appeal {
        entry: EventId,
        slot: usize,
        member: usize,
        issuer: Who,
        reason: &'static str,
        grant: bool,
        rectify: bool,
    },
    AppealDecide {
        appeal: EventId,
        entry: EventId,
        slot: usize,
        by: Who,
        grant: bool,
        rectify: bool,
    },
    Rectify {
        entry: EventId,
        by: Who,
        note: &'static str,
    },
    Shop {
        member: usize,
    },
    Fulfil {
        redemption: EventId,
        by: Who,
    },
    Cancel {
        redemption: EventId,
        by: Who,
        reason: &'static str,
    },
    Restock,
    Replace,
    Retire,
    /// The resident with the `rank`-th most red-list points (from 0) opts out.
    OptOut {
        rank: usize,
    },
    /// The last resident who opted out opts back in.
    OptIn,
    Expire,
}

/// Jobs in time order (then in the order they were queued).
#[derive(Default)]
struct Queue {
    heap: BinaryHeap<Reverse<(i64, usize)>>,
    jobs: Vec<Option<Job>>,
}

impl Queue {
    /// Queues `job` at `ts`, unless that is after the year.
    fn at(&mut self, ts: i64, job: Job) {
        if ts >= END {
            return;
        }
        self.heap.push(Reverse((ts, self.jobs.len())));
        self.jobs.push(Some(job));
    }

    fn next(&mut self) -> Option<(i64, Job)> {
        let Reverse((ts, n)) = self.heap.pop()?;
        Some((ts, self.jobs[n].take()?))
    }
}

/// A moment of `day` (from [`DAY0`]) between `from` and `to` o'clock, UTC+8.
fn moment(rng: &mut Rng, day: i64, from: i64, to: i64) -> i64 {
    DAY0 + day * DAY + from * HOUR + rng.below(((to - from) * HOUR) as usize) as i64
}

/// The day (from [`DAY0`]) of `ts`.
fn day_of(ts: i64) -> i64 {
    (ts - DAY0).div_euclid(DAY)
}

/// Running sums of `weights`, for [`pick`].
fn cumulative(weights: impl Iterator<Item = u32>) -> Vec<u32> {
    weights
        .scan(0, |sum, w| {
            *sum += w;
            Some(*sum)
        })
        .collect()
}

/// An index drawn with the weights whose running sums are `cum`.
fn pick(rng: &mut Rng, cum: &[u32]) -> usize {
    let x = rng.below(cum.last().copied().unwrap_or(1) as usize) as u32;
    cum.partition_point(|&c| c <= x)
}

fn text(s: &str) -> Arc<str> {
    Arc::from(s)
}

/// The state of the year as it is written.
struct Year<'c, 'a> {
    b: &'c mut Builder,
    cast: &'c mut Cast<'a>,
    rng: Rng,
    q: Queue,
    /// The current version of each rule of [`CATALOGUE`].
    rules: Vec<EventId>,
    items: Vec<EventId>,
    scale: i64,
    redemptions: usize,
    opted_out: Vec<usize>,
}

/// The year of points, adopted by a ballot first. `scale` multiplies the awards, claims,
/// deductions and visits to the store. A community of fewer than 8 residents gets none.
pub(super) fn year(b: &mut Builder, seed: u64, scale: u32, cast: &mut Cast<'_>) {
    let residents = cast.members.len().saturating_sub(WORKERS);
    if residents < 8 || cast.council.len() < 3 {
        return;
    }
    let mut rng = Rng(seed ^ 0x706f_696e_7473);
    let Some(adopted) = adopt(b, &mut rng, cast) else {
        return;
    };
    let mut y = Year {
        b,
        cast,
        rng,
        q: Queue::default(),
        rules: Vec::new(),
        items: Vec::new(),
        scale: i64::from(scale),
        redemptions: 0,
        opted_out: Vec::new(),
    };
    y.publish(adopted);
    y.plan(residents, scale as usize);
    while let Some((ts, job)) = y.q.next() {
        y.run(ts, job);
    }
}

/// The ballot that adopts the catalogue: proposed by a council member, seconded, put to the
/// households, passed and closed. The proposal, if it passed (in a tiny community it may not).
fn adopt(b: &mut Builder, rng: &mut Rng, cast: &mut Cast<'_>) -> Option<EventId> {
    let residents = cast.members.len() - WORKERS;
    let start = DAY0 - 12 * DAY + 10 * HOUR;
    let proposal = b.act_at(
        cast.writer(Who::Council(0)),
        "proposal.create",
        json!({
            "title": "通过《幸福里社区积分管理细则（试行）》",
            "body": "细则共22条：清扫楼道、志愿服务（每小时10分）、垃圾分类督导、调解邻里纠纷、关爱独居老人等加分，\
                     部分事项居民可自行申报、网格员审核；高空抛物、占用消防通道、楼道乱堆杂物等扣分，\
                     扣分可在15天内申诉，期满后在曝光栏公示，整改后撤下。积分可在积分超市兑换生活用品。\
                     表决通过后由议事会公布，3月20日起施行。",
            "category": "治理",
            "eligibility": "household",
            "quorum_pct": 20,
            "threshold": "simple",
            "seconds_needed": 3,
            "hide_tally": false,
        }),
        start,
    );
    let pid = proposal.id.to_hex();
    // Four different residents second it.
    let step = (residents / 4).max(1);
    for j in 0..4 {
        let who = Who::Member(WORKERS + (5 + j * step) % residents);
        let ts = start + (j as i64 + 1) * 2 * HOUR;
        b.act_at(
            cast.writer(who),
            "proposal.second",
            json!({"proposal": pid}),
            ts,
        );
    }
    let opened = DAY0 - 10 * DAY + 9 * HOUR;
    b.act_at(
        cast.writer(Who::Council(1)),
        "ballot.open",
        json!({"proposal": pid, "ends": opened + 7 * DAY}),
        opened,
    );
    let voters = (residents / 6).max(10);
    let mut times: Vec<i64> = (0..voters)
        .map(|_| opened + HOUR + rng.below((6 * DAY + 12 * HOUR) as usize) as i64)
        .collect();
    times.sort_unstable();
    for ts in times {
        let who = Who::Member(WORKERS + rng.below(residents));
        let choice = if rng.below(100) < 86 {
            0
        } else {
            1 + rng.below(2)
        };
        b.act_at(
            cast.writer(who),
            "vote.cast",
            json!({"proposal": pid, "choice": choice}),
            ts,
        );
    }
    let closed = DAY0 - 3 * DAY + 10 * HOUR;
    let mut parts = Vec::new();
    for entries in frontier_parts(&b.events, proposal.id) {
        let part = b.act_at(
            cast.writer(Who::Council(1)),
            "ballot.frontier",
            json!({"proposal": pid, "entries": entries}),
            closed,
        );
        parts.push(part.id.to_hex());
    }
    b.act_at(
        cast.writer(Who::Council(1)),
        "ballot.close",
        json!({"proposal": pid, "parts": parts}),
        closed,
    );
    let passed = b
        .state
        .council
        .proposal(&proposal.id)
        .is_some_and(|p| p.passed());
    passed.then_some(proposal.id)
}

impl Year<'_, '_> {
    fn staff(&mut self) -> Who {
        if self.rng.below(100) < 85 {
            Who::Member(self.rng.below(WORKERS))
        } else {
            Who::Council(self.rng.below(self.cast.council.len()))
        }
    }

    /// A moment of a day in `day .. day + spread` between `from` and `to` o'clock.
    fn within(&mut self, day: i64, spread: usize, from: i64, to: i64) -> i64 {
        let day = day + self.rng.below(spread) as i64;
        moment(&mut self.rng, day, from, to)
    }

    fn worker(&mut self) -> Who {
        Who::Member(self.rng.below(WORKERS))
    }

    /// A council member other than `not` (by member id).
    fn council_other_than(&mut self, not: MemberId) -> Who {
        let n = self.cast.council.len();
        let k = self.rng.below(n);
        if self.cast.council_ids[k] == not {
            Who::Council((k + 1) % n)
        } else {
            Who::Council(k)
        }
    }

    fn points(&mut self, who: Who, act: Act, ts: i64) -> Option<Event> {
        self.b.try_points(self.cast.writer(who), act, ts)
    }

    /// The catalogue (the day before it applies), the ballot's proposal marked done, then the
    /// store (five days after).
    fn publish(&mut self, proposal: EventId) {
        for (k, r) in CATALOGUE.iter().enumerate() {
            let ts = DAY0 - DAY + 10 * HOUR + k as i64 * 60_000;
            let e = self.points(Who::Council(0), rule_act(r, None), ts);
            self.rules.push(e.map(|e| e.id).unwrap_or_default());
        }
        self.b.act_at(
            self.cast.writer(Who::Council(0)),
            "proposal.progress",
            json!({"proposal": proposal.to_hex(), "done": true,
                   "text": "积分细则已公布，3月20日起施行；积分超市3月25日开业。"}),
            DAY0 + 9 * HOUR,
        );
        let by = Who::Member(0);
        for (k, (title, cost, stock)) in ITEMS.iter().enumerate() {
            let act = Act::Item(act::Item {
                title: text(title),
                cost: *cost,
                stock: stock * self.scale,
            });
            let ts = DAY0 + 5 * DAY + 9 * HOUR + k as i64 * 120_000;
            let e = self.points(by, act, ts);
            self.items.push(e.map(|e| e.id).unwrap_or_default());
        }
    }

    /// The year's primary events; their follow-ups are queued as they happen.
    fn plan(&mut self, residents: usize, scale: usize) {
        // Who takes part: almost half never do, a few very often.
        let mut pool = Vec::new();
        for i in WORKERS..WORKERS + residents {
            let weight = match self.rng.below(100) {
                0..=44 => 0,
                45..=79 => 1,
                80..=94 => 4,
                _ => 12,
            };
            pool.extend(std::iter::repeat_n(i, weight));
        }
        if pool.is_empty() {
            pool.push(WORKERS);
        }
        let positive = |w: fn(&RuleDef) -> u32| {
            cumulative(
                CATALOGUE
                    .iter()
                    .map(move |r| if r.points > 0 { w(r) } else { 0 }),
            )
        };
        let awards = positive(|r| r.award);
        let claims = positive(|r| r.claim);
        let deductions = cumulative(
            CATALOGUE
                .iter()
                .map(|r| if r.points < 0 { r.award } else { 0 }),
        );

        let mut want_reversal = false;
        for k in 0..(residents * 11 / 10 * scale).max(100) {
            let day = self.rng.below(DAYS as usize) as i64;
            let mut slot = pick(&mut self.rng, &awards);
            if slot == FLOOD && !FLOOD_DAYS.contains(&day) {
                slot = VOLUNTEER;
            }
            let member = pool[self.rng.below(pool.len())];
            let (qty, note) = self.units_and_note(slot);
            let by = self.staff();
            want_reversal |= k % 300 == 17;
            let reverse = if want_reversal && day < DAYS - 25 {
                want_reversal = false;
                Some(REVERSE_REASONS[self.rng.below(REVERSE_REASONS.len())])
            } else {
                None
            };
            let ts = moment(&mut self.rng, day, 8, 19);
            self.q.at(
                ts,
                Job::Award {
                    slot,
                    member,
                    qty,
                    note,
                    by,
                    appeal: None,
                    rectify: false,
                    reverse,
                },
            );
        }

        for _ in 0..(residents * 2 / 5 * scale).max(40) {
            let day = self.rng.below(DAYS as usize) as i64;
            let slot = pick(&mut self.rng, &claims);
            let member = pool[self.rng.below(pool.len())];
            let (qty, note) = self.units_and_note(slot);
            let refuse = (self.rng.below(100) < 9)
                .then(|| REFUSE_CLAIM_REASONS[self.rng.below(REFUSE_CLAIM_REASONS.len())]);
            let ts = moment(&mut self.rng, day, 7, 22);
            self.q.at(
                ts,
                Job::Claim {
                    slot,
                    member,
                    qty,
                    note,
                    refuse,
                },
            );
        }

        // Deductions: anyone, a few people again and again.
        let offenders: Vec<usize> = (0..(residents / 150).max(2))
            .map(|_| WORKERS + self.rng.below(residents))
            .collect();
        let mut appeals = 0;
        for j in 0..(residents / 20 * scale).max(24) {
            let day = self.rng.below(DAYS as usize) as i64;
            let slot = pick(&mut self.rng, &deductions);
            let member = if self.rng.below(100) < 20 {
                offenders[self.rng.below(offenders.len())]
            } else {
                WORKERS + self.rng.below(residents)
            };
            let (_, note) = self.units_and_note(slot);
            let by = self.staff();
            // One in seven is appealed (early enough to be decided within the year); two
            // appeals in five are granted.
            let appeal = (j % 7 == 2 && day < DAYS - 25).then(|| {
                let grant = matches!(appeals % 5, 0 | 3);
                appeals += 1;
                (APPEAL_REASONS[self.rng.below(APPEAL_REASONS.len())], grant)
            });
            let rectify = CATALOGUE[slot].list == List::Black && self.rng.below(100) < 45;
            let ts = moment(&mut self.rng, day, 7, 21);
            self.q.at(
                ts,
                Job::Award {
                    slot,
                    member,
                    qty: 1,
                    note,
                    by,
                    appeal,
                    rectify,
                    reverse: None,
                },
            );
        }

        for _ in 0..(residents * 9 / 50 * scale).max(30) {
            let day = 5 + self.rng.below(DAYS as usize - 5) as i64;
            let member = pool[self.rng.below(pool.len())];
            let ts = moment(&mut self.rng, day, 9, 19);
            self.q.at(ts, Job::Shop { member });
        }
        for day in (12..DAYS).step_by(30) {
            let ts = moment(&mut self.rng, day, 8, 9);
            self.q.at(ts, Job::Restock);
        }
        self.q
            .at(DAY0 + REPLACE_DAY * DAY + 10 * HOUR, Job::Replace);
        self.q.at(DAY0 + RETIRE_DAY * DAY + 10 * HOUR, Job::Retire);
        self.q
            .at(DAY0 + 200 * DAY + 20 * HOUR, Job::OptOut { rank: 0 });
        self.q
            .at(DAY0 + 240 * DAY + 21 * HOUR, Job::OptOut { rank: 1 });
        self.q.at(DAY0 + 290 * DAY + 21 * HOUR, Job::OptIn);
        // 2026-01-04 10:00: the council's yearly cut-off.
        self.q.at(DAY0 + 290 * DAY + 10 * HOUR, Job::Expire);
    }

    fn units_and_note(&mut self, slot: usize) -> (u32, String) {
        let r = &CATALOGUE[slot];
        let qty = 1 + self.rng.below(r.qty as usize) as u32;
        let what = r.notes[self.rng.below(r.notes.len())];
        let note = if r.place {
            let building = 1 + self.rng.below(20);
            let unit = 1 + self.rng.below(4);
            format!("{building}号楼{unit}单元 {what}")
        } else {
            what.to_owned()
        };
        (qty, note)
    }

    fn run(&mut self, ts: i64, job: Job) {
        match job {
            Job::Award {
                slot,
                member,
                qty,
                note,
                by,
                appeal,
                rectify,
                reverse,
            } => {
                let act = Act::Award(act::Award {
                    rule: self.rules[slot],
                    member: self.cast.id(Who::Member(member)),
                    qty,
                    note: text(&note),
                });
                let Some(e) = self.points(by, act, ts) else {
                    return;
                };
                let day = day_of(e.ts);
                if let Some(reason) = reverse {
                    let reverser = match by {
                        Who::Council(k) => Who::Council((k + 1) % self.cast.council.len()),
                        Who::Member(w) if self.rng.below(2) == 0 => {
                            Who::Member((w + 1 + self.rng.below(WORKERS - 1)) % WORKERS)
                        }
                        Who::Member(_) => Who::Council(self.rng.below(self.cast.council.len())),
                    };
                    let at = self.within(day + 1, 19, 9, 18);
                    self.q.at(
                        at,
                        Job::Reverse {
                            entry: e.id,
                            by: reverser,
                            reason,
                        },
                    );
                }
                if let Some((reason, grant)) = appeal {
                    // Within the 15 days: at most 13 days later, by 22:00.
                    let at = self.within(day + 1, 13, 8, 22);
                    self.q.at(
                        at,
                        Job::Appeal {
                            entry: e.id,
                            slot,
                            member,
                            issuer: by,
                            reason,
                            grant,
                            rectify,
                        },
                    );
                } else if rectify {
                    {
                        let day = day + 16 + self.rng.below(60) as i64;
                        self.rectify_later(e.id, day, slot);
                    };
                }
            }
            Job::Claim {
                slot,
                member,
                qty,
                note,
                refuse,
            } => {
                let act = Act::Claim(act::Claim {
                    rule: self.rules[slot],
                    qty,
                    note: text(&note),
                });
                let Some(e) = self.points(Who::Member(member), act, ts) else {
                    return;
                };
                let by = if self.rng.below(10) == 0 {
                    Who::Council(self.rng.below(self.cast.council.len()))
                } else {
                    self.worker()
                };
                let at = self.within(day_of(e.ts) + 1, 4, 9, 18);
                self.q.at(
                    at,
                    Job::Decide {
                        claim: e.id,
                        by,
                        refuse,
                    },
                );
            }
            Job::Decide { claim, by, refuse } => {
                let decide = |approve: bool, reason: &str| {
                    Act::Decide(act::Decide {
                        claim,
                        approve,
                        reason: text(reason),
                    })
                };
                let done = match refuse {
                    None => self.points(by, decide(true, "已核实"), ts),
                    Some(_) => None,
                };
                if done.is_none() {
                    let reason = refuse.unwrap_or("该细则已停用，无法计分");
                    self.points(by, decide(false, reason), ts);
                }
            }
            Job::Reverse { entry, by, reason } => {
                let act = Act::Reverse(act::Reverse {
                    entry,
                    reason: text(reason),
                });
                self.points(by, act, ts);
            }
            Job::Appeal {
                entry,
                slot,
                member,
                issuer,
                reason,
                grant,
                rectify,
            } => {
                let act = Act::Appeal(act::Appeal {
                    entry,
                    reason: text(reason),
                });
                let Some(e) = self.points(Who::Member(member), act, ts) else {
                    return;
                };
                let issuer = self.cast.id(issuer);
                let by = self.council_other_than(issuer);
                let at = self.within(day_of(e.ts) + 2, 7, 9, 18);
                self.q.at(
                    at,
                    Job::AppealDecide {
                        appeal: e.id,
                        entry,
                        slot,
                        by,
                        grant,
                        rectify,
                    },
                );
            }
            Job::AppealDecide {
                appeal,
                entry,
                slot,
                by,
                grant,
                rectify,
            } => {
                let reason = if grant {
                    GRANT_REASON
                } else {
                    REFUSE_APPEAL_REASON
                };
                let act = Act::AppealDecide(act::AppealDecide {
                    appeal,
                    grant,
                    reason: text(reason),
                });
                let Some(e) = self.points(by, act, ts) else {
                    return;
                };
                if !grant && rectify {
                    {
                        let day = day_of(e.ts) + 10 + self.rng.below(30) as i64;
                        self.rectify_later(entry, day, slot);
                    };
                }
            }
            Job::Rectify { entry, by, note } => {
                let act = Act::Rectified(act::Rectified {
                    entry,
                    note: text(note),
                });
                self.points(by, act, ts);
            }
            Job::Shop { member } => self.shop(member, ts),
            Job::Fulfil { redemption, by } => {
                self.points(by, Act::Fulfil(act::RedemptionRef { redemption }), ts);
            }
            Job::Cancel {
                redemption,
                by,
                reason,
            } => {
                let act = Act::Cancel(act::Cancel {
                    redemption,
                    reason: text(reason),
                });
                self.points(by, act, ts);
            }
            Job::Restock => {
                let by = self.worker();
                for (k, (_, _, stock)) in ITEMS.iter().enumerate() {
                    let id = self.items[k];
                    let low = self
                        .b
                        .state
                        .points
                        .item(&id)
                        .is_some_and(|i| i.stock < stock * self.scale / 4);
                    if low {
                        let add = (stock * self.scale / 2).max(1);
                        self.points(by, Act::Restock(act::Restock { item: id, add }), ts);
                    }
                }
            }
            Job::Replace => {
                let old = self.rules[GARBAGE];
                if let Some(e) = self.points(Who::Council(0), rule_act(&GARBAGE_V2, Some(old)), ts)
                {
                    self.rules[GARBAGE] = e.id;
                }
            }
            Job::Retire => {
                let act = Act::Retire(act::RuleRef {
                    rule: self.rules[FLOOD],
                });
                self.points(Who::Council(1), act, ts);
            }
            Job::OptOut { rank } => {
                let mut ranked: Vec<(i64, usize)> = (WORKERS..self.cast.members.len())
                    .filter_map(|i| {
                        let a = self.b.state.points.account(&self.cast.members[i].1.id)?;
                        (a.red > 0 && !a.red_opt_out).then_some((a.red, i))
                    })
                    .collect();
                ranked.sort_by_key(|&(red, i)| (Reverse(red), i));
                if let Some(&(_, i)) = ranked.get(rank) {
                    let act = Act::Privacy(act::Privacy { red_list: false });
                    if self.points(Who::Member(i), act, ts).is_some() {
                        self.opted_out.push(i);
                    }
                }
            }
            Job::OptIn => {
                if let Some(i) = self.opted_out.pop() {
                    let act = Act::Privacy(act::Privacy { red_list: true });
                    self.points(Who::Member(i), act, ts);
                }
            }
            Job::Expire => {
                let act = Act::Expire(act::Expire {
                    before: EXPIRE_BEFORE,
                    note: text("年度结算：2025年6月30日前获得且未兑换的积分清零（细则第二十条）"),
                });
                self.points(Who::Council(2), act, ts);
            }
        }
    }

    fn rectify_later(&mut self, entry: EventId, day: i64, slot: usize) {
        let by = self.worker();
        let at = moment(&mut self.rng, day, 9, 18);
        let note = CATALOGUE[slot].fix;
        self.q.at(at, Job::Rectify { entry, by, note });
    }

    /// A resident at the store: something they can afford that is in stock, if anything.
    fn shop(&mut self, member: usize, ts: i64) {
        let balance = self.b.state.points.balance(&self.cast.members[member].1.id);
        let affordable: Vec<(usize, i64)> = self
            .items
            .iter()
            .enumerate()
            .filter_map(|(k, id)| {
                let item = self.b.state.points.item(id)?;
                (item.cost <= balance && item.stock >= 1).then_some((k, item.cost))
            })
            .collect();
        if affordable.is_empty() {
            return;
        }
        // Half save up for the dearest thing they can afford; the others take what they like.
        let (k, cost) = if self.rng.below(2) == 0 {
            affordable
                .iter()
                .copied()
                .max_by_key(|&(k, cost)| (cost, Reverse(k)))
        } else {
            Some(affordable[self.rng.below(affordable.len())])
        }
        .unwrap_or(affordable[0]);
        let qty = if balance >= 2 * cost && self.rng.below(100) < 15 {
            2
        } else {
            1
        };
        let act = Act::Redeem(act::Redeem {
            item: self.items[k],
            qty,
        });
        let Some(e) = self.points(Who::Member(member), act, ts) else {
            return;
        };
        self.redemptions += 1;
        let day = day_of(e.ts);
        match self.redemptions {
            // Changed their mind before picking it up.
            4 => {
                let at = moment(&mut self.rng, day + 1, 8, 20);
                let reason = "想换成别的商品，先取消";
                let by = Who::Member(member);
                self.q.at(
                    at,
                    Job::Cancel {
                        redemption: e.id,
                        by,
                        reason,
                    },
                );
            }
            // The store cannot hand it over.
            12 => {
                let at = moment(&mut self.rng, day + 2, 9, 17);
                let reason = "该批次商品受潮不能发放，积分和库存已退回";
                let by = self.worker();
                self.q.at(
                    at,
                    Job::Cancel {
                        redemption: e.id,
                        by,
                        reason,
                    },
                );
            }
            // Mostly handed over at the counter; some days later, once it arrives.
            _ => {
                let at = if self.rng.below(10) < 7 {
                    e.ts + 60_000 + self.rng.below(40 * 60_000) as i64
                } else {
                    self.within(day + 1, 5, 9, 18)
                };
                let by = self.worker();
                self.q.at(
                    at,
                    Job::Fulfil {
                        redemption: e.id,
                        by,
                    },
                );
            }
        }
    }
}

fn rule_act(r: &RuleDef, replaces: Option<EventId>) -> Act {
    Act::Rule(act::Rule {
        title: text(r.title),
        points: r.points,
        list: r.list,
        claimable: r.claimable,
        cap_month: r.cap_month,
        replaces,
    })
}
