//! The demo's season of volunteering (志愿服务, `DESIGN.md` §3.6): from the end of August to
//! the end of November 2025 (UTC+8), and two activities still open in March 2026.
//!
//! About 9 % of the residents fill in a volunteer profile when the 网格站 recruits at the end
//! of August (a few later): one to three skills (助老, 环境, 巡逻, 文艺, 维修; 医疗 and 法律
//! rarer), weekly free time that fits their life (weekend mornings, weekday evenings,
//! retirees' weekday daytimes, Friday and Saturday nights…) and their grid — the 20 buildings
//! make four 网格 of five (第1网格 is 1–5号楼). During the autumn some add a skill and a few
//! pause. Grid workers and the council post 53 activities — 夜间巡逻 every Friday, 助老探访,
//! 垃圾分类督导, 楼道清理 by grid; 义诊, 家电义修 and 法律咨询 every month for the whole
//! community; rehearsals (no points) for the 重阳节 show; 国庆, 中秋, 重阳, 消防日 — and call three
//! off with a reason. Volunteers whose skills and time fit sign up, first come first served
//! (most of them; now and then someone comes who is not usually free then), some on the wait
//! list; some withdraw, and the first in line moves up. Every Wednesday a worker runs the
//! matcher ([`matching::assign`]) over the next week's activities and accepts its proposal for
//! the slots still free. On the day, volunteers check in and out on their phones (a few are
//! ticked by the worker, a few forget to check out, a few do not come); the worker confirms
//! their hours, prefilled from check-in to check-out as the app does, sometimes edited, and
//! they become points under the catalogue's 参加志愿服务（每小时） (10 an hour, at most 80 a
//! month with the year's other volunteering). The council reverses two confirmations with a
//! reason and the worker confirms them again. Two activities of March 2026 (学雷锋) are open at
//! the end: one with free slots, one with a wait list.
//!
//! Timing. The season's dates fall inside the year of points, and every event is signed after
//! all earlier ones (the order of writing is the total order). So the season is a queue of acts
//! in time order that [`Builder::catch_up`] signs whenever the demo is about to sign something
//! later: the year and the season interleave as they would have happened. The season signs for
//! devices whose writers the year holds: [`Chains`] keeps each device's seed and last event, so
//! that the season resumes a device's chain ([`ChainWriter::resume`]) and the writer's holder is
//! brought up to date before it signs again. Every act is judged against the state so far, with
//! the `ts` it will carry, before it is signed: the fold rejects nothing.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::sync::Arc;

use linli_domain::points::{self, EntryStatus, Source};
use linli_domain::volunteers::act::{self, Act, HhMm, Window};
use linli_domain::volunteers::{matching, Activity, ActivityStatus};
use linli_domain::{ChainWriter, Command, DeviceKey, Event, EventId, MemberId, SpaceId, State};

use super::{Builder, Rng};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 3_600_000;
const DAY: i64 = 86_400_000;
/// The grid workers are the first members of the roster.
const WORKERS: usize = 12;
/// 网格: four, of five buildings each.
const GRIDS: u8 = 4;
/// Nothing of the season is signed from here on (2026-03-01 00:00 in UTC+8): the year of
/// points ends, the council's business comes next. What would come later stays undone.
const LIMIT: i64 = at(2026, 3, 1, 0, 0);
/// Volunteers from whom the activities have their full number of slots (the default demo has
/// about 435); a smaller community's activities have proportionally fewer.
const FULL_SIZE: u32 = 400;
/// The catalogue's rule the activities award under (`points.rs`).
const RULE_TITLE: &str = "参加志愿服务（每小时）";

/// ms since the epoch of `y-m-d hh:mm` in UTC+8.
pub(super) const fn at(y: i64, m: i64, d: i64, hh: i64, mm: i64) -> i64 {
    // Days from the civil date (Howard Hinnant's algorithm), the proleptic Gregorian calendar.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * DAY + hh * HOUR + mm * MINUTE - 8 * HOUR
}

/// Every device's seed and the index of its last event, so that a chain can be resumed by
/// whoever signs for the device next.
#[derive(Default)]
pub(super) struct Chains {
    seeds: BTreeMap<DeviceKey, [u8; 32]>,
    /// The index in [`Builder::events`] of each device's last event.
    heads: BTreeMap<DeviceKey, usize>,
    /// Devices the season signed for: whoever holds their writer is behind.
    pub(super) moved: BTreeSet<DeviceKey>,
}

impl Chains {
    /// A new device and the seed of its key.
    pub(super) fn remember(&mut self, device: DeviceKey, seed: [u8; 32]) {
        self.seeds.insert(device, seed);
    }

    /// `device` signed the event at `index`.
    pub(super) fn signed(&mut self, device: DeviceKey, index: usize) {
        self.heads.insert(device, index);
    }

    /// Brings `who` to its device's last event if the season signed for the device since.
    pub(super) fn resume(&mut self, who: &mut ChainWriter, space: SpaceId, events: &[Event]) {
        if self.moved.remove(&who.device()) {
            if let Some(writer) = self.writer(who.device(), space, events) {
                *who = writer;
            }
        }
    }

    pub(super) fn writer(
        &self,
        device: DeviceKey,
        space: SpaceId,
        events: &[Event],
    ) -> Option<ChainWriter> {
        let seed = self.seeds.get(&device)?;
        Some(match self.heads.get(&device) {
            Some(&ix) => ChainWriter::resume(seed, space, &events[ix]),
            None => ChainWriter::new(seed, Some(space)),
        })
    }
}

impl Builder {
    /// Signs the season's acts that fall before `ts`; then `ts`, or just after the last event
    /// if that is later (the clock never goes back).
    pub(super) fn catch_up(&mut self, ts: i64) -> i64 {
        if self.season.as_ref().is_some_and(|s| s.due(ts)) {
            if let Some(mut season) = self.season.take() {
                season.run_until(self, ts);
                self.season = Some(season);
            }
        }
        ts.max(self.ts + 1)
    }

    /// `command` signed by `device` at `ts` (or just after the last event), only if the rules
    /// accept it there. `None`: not signed.
    fn sign_for(&mut self, device: DeviceKey, command: &Command, ts: i64) -> Option<Event> {
        let ts = ts.max(self.ts + 1);
        self.state.allows_at(&device, command, ts).ok()?;
        let mut writer = self.chains.writer(device, self.state.space, &self.events)?;
        let e = self.emit(&mut writer, command.kind(), &command.payload(), ts);
        self.chains.moved.insert(device);
        Some(e)
    }
}

/// Where an activity happens.
#[derive(Clone, Copy)]
enum Place {
    At(&'static str),
    /// The grid's buildings (`1–5号楼`), then this.
    Buildings(&'static str),
}

/// A kind of activity.
struct Kind {
    title: &'static str,
    body: &'static str,
    place: Place,
    /// From and to, (hour, minute) in UTC+8.
    from: (i64, i64),
    to: (i64, i64),
    skills: &'static [&'static str],
    /// Fewest and most slots.
    slots: (u32, u32),
    /// Points under [`RULE_TITLE`] (false: `rule: null`).
    points: bool,
    waitlist: bool,
    /// Posted by a council member (else by the worker who runs it).
    council: bool,
}

const fn kind(
    title: &'static str,
    body: &'static str,
    place: Place,
    (from, to): ((i64, i64), (i64, i64)),
    skills: &'static [&'static str],
    slots: (u32, u32),
    waitlist: bool,
) -> Kind {
    Kind {
        title,
        body,
        place,
        from,
        to,
        skills,
        slots,
        points: true,
        waitlist,
        council: false,
    }
}

const PATROL: usize = 0;
const ELDERS: usize = 1;
const SORTING: usize = 2;
const STAIRS: usize = 3;
const CLINIC: usize = 4;
const REPAIR: usize = 5;
const LAW: usize = 6;
const REHEARSAL: usize = 7;
const NATIONAL: usize = 8;
const MOONCAKE: usize = 9;
const ELDERS_DAY: usize = 10;
const SHOW: usize = 11;
const FIRE: usize = 12;
const PHONES: usize = 13;
const LEAVES: usize = 14;
const FRAUD: usize = 15;
const LEIFENG: usize = 16;
const SPRING_CLINIC: usize = 17;

const KINDS: [Kind; 18] = [
    kind(
        "夜间治安巡逻",
        "两人一组巡查楼道、地下车库和电动车棚，留意消防通道堵塞、飞线充电和可疑人员，发现隐患拍照报网格员。\
         请穿反光背心、带手电，19:20在网格站集合。",
        Place::Buildings("（楼道、地下车库、电动车棚）"),
        ((19, 30), (22, 0)),
        &["巡逻"],
        (4, 6),
        false,
    ),
    kind(
        "助老探访：独居老人上门问候",
        "两人一组上门探望本网格独居、空巢老人：量血压、聊聊天，看看水电燃气是否安全，\
         登记需要代办的事项，回来交给网格员。",
        Place::Buildings("独居老人家中"),
        ((9, 0), (11, 0)),
        &["助老"],
        (4, 6),
        false,
    ),
    kind(
        "垃圾分类桶边督导",
        "早高峰在投放点指导居民分类投放，劝导混投、乱扔，示范厨余垃圾破袋投放。手套和夹子由物业提供。",
        Place::Buildings("垃圾分类投放点"),
        ((7, 0), (9, 0)),
        &["环境"],
        (3, 5),
        false,
    ),
    kind(
        "楼道清理大扫除",
        "清理楼道堆物和小广告，擦洗扶手和信报箱；堆物先请住户自行搬走，无主杂物由物业统一清运。工具由物业提供。",
        Place::Buildings("楼道"),
        ((9, 0), (11, 0)),
        &[],
        (8, 12),
        true,
    ),
    kind(
        "社区义诊：量血压、测血糖",
        "与街道社区卫生服务中心合作，为居民免费量血压、测血糖、提供用药咨询。\
         有医护背景的志愿者协助测量和登记。",
        Place::At("社区党群服务中心一楼大厅"),
        ((8, 30), (11, 30)),
        &["医疗"],
        (3, 4),
        true,
    ),
    kind(
        "家电义修进社区",
        "免费维修电饭煲、电风扇、台灯等小家电，更换灯泡和水龙头垫片，材料按进价收费。请居民自带故障电器。",
        Place::At("中心广场东侧"),
        ((9, 0), (12, 0)),
        &["维修"],
        (4, 6),
        true,
    ),
    kind(
        "法律咨询夜市",
        "志愿律师和法律工作者解答婚姻家庭、房屋租赁、劳动纠纷、物业费等问题，必要时转介法律援助。",
        Place::At("社区党群服务中心二楼调解室"),
        ((19, 0), (21, 0)),
        &["法律"],
        (2, 3),
        false,
    ),
    Kind {
        points: false,
        ..kind(
            "重阳节文艺汇演排练",
            "排练合唱《我和我的祖国》和舞蹈《茉莉花》，为10月29日的重阳节汇演做准备。排练不计积分，演出当天计。",
            Place::At("社区活动室"),
            ((19, 0), (21, 0)),
            &["文艺"],
            (12, 15),
            true,
        )
    },
    Kind {
        council: true,
        ..kind(
            "国庆节安全巡查",
            "国庆假期第一天，巡查小区出入口、消防通道和电动车棚，提醒出行的居民关好门窗、不在楼道充电。",
            Place::At("小区各出入口、消防通道"),
            ((9, 0), (11, 30)),
            &["巡逻"],
            (6, 8),
            false,
        )
    },
    Kind {
        council: true,
        ..kind(
            "中秋游园会志愿服务",
            "中秋游园会：猜灯谜、做月饼、亲子游戏。志愿者负责摊位布置、秩序维护和活动后的清场。",
            Place::At("中心广场"),
            ((18, 30), (21, 0)),
            &[],
            (12, 15),
            true,
        )
    },
    kind(
        "重阳节敬老：义剪、包饺子",
        "为社区70岁以上的老人免费理发，和老人一起包饺子；行动不便的老人由志愿者送餐上门。",
        Place::At("社区党群服务中心一楼"),
        ((9, 0), (11, 30)),
        &["助老"],
        (8, 10),
        true,
    ),
    Kind {
        council: true,
        ..kind(
            "重阳节文艺汇演",
            "合唱、舞蹈、快板、太极拳表演，邀请社区老人观看。演员、主持和后台服务都需要志愿者。",
            Place::At("社区活动室"),
            ((14, 30), (17, 0)),
            &["文艺"],
            (12, 15),
            true,
        )
    },
    kind(
        "全国消防日：消防安全宣传",
        "11·9全国消防日：摆摊发放消防安全手册，演示灭火器的使用，提醒居民清理楼道堆物、不要飞线充电。",
        Place::At("中心广场"),
        ((9, 0), (11, 30)),
        &["巡逻"],
        (5, 6),
        false,
    ),
    kind(
        "教老年人使用智能手机",
        "一对一教老人用手机挂号、视频通话、识别诈骗短信、使用医保电子凭证。请志愿者带上自己的手机。",
        Place::At("社区党群服务中心二楼"),
        ((14, 0), (16, 0)),
        &[],
        (5, 6),
        true,
    ),
    kind(
        "秋季落叶清扫与绿地补植",
        "清扫中心绿地和步道的落叶，补种冬青和麦冬，给新栽的树苗刷白、缠草绳防寒。",
        Place::At("中心绿地"),
        ((9, 0), (11, 30)),
        &["环境"],
        (10, 12),
        true,
    ),
    kind(
        "反诈宣传进楼栋",
        "两人一组上门发放反诈宣传单，帮居民安装国家反诈中心App，重点提醒老人警惕保健品和“养老投资”骗局。",
        Place::At("各楼栋单元"),
        ((19, 0), (21, 0)),
        &[],
        (6, 8),
        false,
    ),
    Kind {
        council: true,
        ..kind(
            "学雷锋日·楼道清理大扫除",
            "学雷锋志愿服务月：全社区楼道清理，清理堆物和小广告、擦洗扶手，春季消杀。\
             工具由物业提供，9:00在各楼栋单元门口集合。",
            Place::At("各楼栋单元"),
            ((9, 0), (11, 0)),
            &[],
            (12, 12),
            true,
        )
    },
    kind(
        "春季义诊：量血压、测血糖",
        "与街道社区卫生服务中心合作，为居民免费量血压、测血糖，提供春季流感预防和用药咨询。",
        Place::At("社区党群服务中心一楼大厅"),
        ((8, 30), (11, 30)),
        &["医疗"],
        (3, 3),
        true,
    ),
];

/// A date of the season: `(year, month, day)`, its weekday (checked by a test), the kind, the
/// grid (0: the whole community), days between posting and the day (0: 7 to 12), demand in
/// sign-ups per thousand slots (0: drawn).
type Row = ((i64, i64, i64), u8, usize, u8, i64, u32);

/// The season, in date order.
const SEASON: [Row; 55] = [
    ((2025, 9, 6), 6, STAIRS, 1, 0, 0),
    ((2025, 9, 9), 2, ELDERS, 1, 0, 0),
    ((2025, 9, 10), 3, SORTING, 1, 0, 0),
    ((2025, 9, 12), 5, PATROL, 1, 0, 0),
    ((2025, 9, 13), 6, REPAIR, 0, 0, 0),
    ((2025, 9, 17), 3, LAW, 0, 0, 0),
    ((2025, 9, 18), 4, ELDERS, 2, 0, 0),
    ((2025, 9, 19), 5, PATROL, 2, 0, 0),
    ((2025, 9, 20), 6, CLINIC, 0, 0, 1500),
    ((2025, 9, 23), 2, ELDERS, 3, 0, 0),
    ((2025, 9, 24), 3, SORTING, 2, 0, 0),
    ((2025, 9, 26), 5, PATROL, 3, 0, 0),
    ((2025, 9, 27), 6, STAIRS, 2, 0, 1400),
    ((2025, 9, 30), 2, REHEARSAL, 0, 0, 0),
    ((2025, 10, 1), 3, NATIONAL, 0, 14, 0),
    ((2025, 10, 3), 5, PATROL, 4, 0, 0),
    ((2025, 10, 6), 1, MOONCAKE, 0, 14, 1600),
    ((2025, 10, 9), 4, ELDERS, 4, 0, 0),
    ((2025, 10, 10), 5, PATROL, 1, 0, 0),
    ((2025, 10, 11), 6, REPAIR, 0, 0, 0),
    ((2025, 10, 14), 2, REHEARSAL, 0, 0, 0),
    ((2025, 10, 15), 3, SORTING, 3, 0, 0),
    ((2025, 10, 15), 3, LAW, 0, 0, 0),
    ((2025, 10, 17), 5, PATROL, 2, 0, 0),
    ((2025, 10, 18), 6, CLINIC, 0, 0, 0),
    ((2025, 10, 21), 2, ELDERS, 1, 0, 0),
    ((2025, 10, 21), 2, REHEARSAL, 0, 0, 0),
    ((2025, 10, 22), 3, SORTING, 4, 0, 0),
    ((2025, 10, 24), 5, PATROL, 3, 0, 0),
    ((2025, 10, 25), 6, STAIRS, 3, 0, 0),
    ((2025, 10, 28), 2, REHEARSAL, 0, 0, 0),
    ((2025, 10, 29), 3, ELDERS_DAY, 0, 14, 1500),
    ((2025, 10, 29), 3, SHOW, 0, 21, 1300),
    ((2025, 10, 31), 5, PATROL, 4, 0, 0),
    ((2025, 11, 1), 6, STAIRS, 4, 0, 0),
    ((2025, 11, 5), 3, SORTING, 1, 0, 0),
    ((2025, 11, 6), 4, ELDERS, 2, 0, 0),
    ((2025, 11, 7), 5, PATROL, 1, 0, 0),
    ((2025, 11, 8), 6, REPAIR, 0, 0, 0),
    ((2025, 11, 9), 7, FIRE, 0, 14, 0),
    ((2025, 11, 12), 3, SORTING, 2, 0, 0),
    ((2025, 11, 14), 5, PATROL, 2, 0, 0),
    ((2025, 11, 15), 6, CLINIC, 0, 0, 0),
    ((2025, 11, 15), 6, PHONES, 0, 0, 0),
    ((2025, 11, 18), 2, ELDERS, 3, 0, 0),
    ((2025, 11, 19), 3, LAW, 0, 0, 0),
    ((2025, 11, 21), 5, PATROL, 3, 0, 0),
    ((2025, 11, 22), 6, LEAVES, 0, 0, 1200),
    ((2025, 11, 26), 3, SORTING, 3, 0, 0),
    ((2025, 11, 26), 3, FRAUD, 0, 0, 0),
    ((2025, 11, 27), 4, ELDERS, 4, 0, 0),
    ((2025, 11, 28), 5, PATROL, 4, 0, 0),
    // Put off from 11-15 (see CANCELLED): posted the day the first one was called off.
    ((2025, 11, 29), 6, CLINIC, 0, 17, 1400),
    // Open at the end of the demo: free slots; a wait list.
    ((2026, 3, 14), 6, LEIFENG, 0, 18, 600),
    ((2026, 3, 21), 6, SPRING_CLINIC, 0, 25, 1700),
];

/// Rows of [`SEASON`] called off: how long before the start, and why.
const CANCELLED: [(usize, i64, &str); 3] = [
    (
        7,
        4 * HOUR,
        "气象台发布暴雨橙色预警，今晚巡逻取消，由网格员在岗值守",
    ),
    (
        38,
        2 * DAY - 7 * HOUR,
        "中心广场地面改造施工，场地暂不能使用，义修顺延到下个月",
    ),
    (
        42,
        3 * DAY - 90 * MINUTE,
        "合作的社区卫生服务中心医生临时抽调支援流感疫苗接种，义诊改到11月29日",
    ),
];

/// Rows of [`SEASON`] whose first confirmed hours the council reverses (why, and the minutes
/// too many); the worker confirms them again.
const REVERSED: [(usize, &str, u32); 2] = [
    (
        4,
        "核对签到记录：该志愿者11点提前离开，时长多登记了1小时，撤销后按实际时长重新确认",
        60,
    ),
    (
        18,
        "巡逻记录显示该志愿者21点半已离开，时长多登记了半小时，撤销后重新确认",
        30,
    ),
];

/// Skills, in the order profiles list them.
const SKILLS: [&str; 7] = ["助老", "环境", "巡逻", "文艺", "维修", "医疗", "法律"];

/// Ways of life: how many in 100 volunteers, and the weights of [`SKILLS`] among them.
const PERSONAS: [(u32, [u32; 7]); 6] = [
    // Weekend mornings (working people).
    (22, [20, 30, 15, 15, 15, 8, 6]),
    // Weekends, all day.
    (13, [15, 30, 15, 20, 15, 8, 6]),
    // Weekday evenings, some Saturday mornings.
    (18, [10, 15, 30, 20, 12, 6, 7]),
    // Retired: weekday mornings and afternoons, some Saturday mornings.
    (27, [45, 35, 15, 18, 8, 4, 2]),
    // Retired and free most of the time.
    (12, [40, 30, 25, 20, 10, 5, 3]),
    // Friday and Saturday nights, Sunday afternoons.
    (8, [5, 10, 60, 10, 10, 2, 2]),
];

fn hm(h: u16, m: u16) -> HhMm {
    HhMm(h * 60 + m)
}

/// The weekly windows of `persona`.
fn windows(rng: &mut Rng, persona: usize) -> Vec<Window> {
    let every = |days: std::ops::RangeInclusive<u8>, from: HhMm, to: HhMm| {
        days.map(move |d| Window(d, from, to))
    };
    let mut w: Vec<Window> = Vec::new();
    match persona {
        0 => w.extend(every(6..=7, hm(8, 0), hm(12, 0))),
        1 => {
            w.push(Window(6, hm(8, 0), hm(18, 0)));
            w.push(Window(7, hm(9, 0), hm(18, 0)));
        }
        2 => {
            w.extend(every(1..=5, hm(18, 30), hm(22, 0)));
            if rng.below(2) == 0 {
                w.push(Window(6, hm(8, 0), hm(12, 0)));
            }
        }
        3 => {
            for d in 1..=5 {
                w.push(Window(d, hm(7, 0), hm(11, 30)));
                w.push(Window(d, hm(14, 0), hm(17, 30)));
            }
            if rng.below(2) == 0 {
                w.push(Window(6, hm(8, 0), hm(11, 30)));
            }
        }
        4 => {
            for d in 1..=7 {
                w.push(Window(d, hm(7, 0), hm(11, 30)));
                w.push(Window(d, hm(14, 0), hm(21, 30)));
            }
        }
        _ => {
            w.push(Window(5, hm(19, 0), hm(23, 0)));
            w.push(Window(6, hm(19, 0), hm(23, 0)));
            w.push(Window(7, hm(14, 0), hm(18, 0)));
        }
    }
    w.sort();
    w
}

/// An index drawn with `weights`.
fn pick(rng: &mut Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut x = rng.below(total.max(1) as usize) as u32;
    for (i, &w) in weights.iter().enumerate() {
        if x < w {
            return i;
        }
        x -= w;
    }
    weights.len().saturating_sub(1)
}

fn text(s: &str) -> Arc<str> {
    Arc::from(s)
}

fn grid_name(grid: u8) -> Arc<str> {
    if grid == 0 {
        text("")
    } else {
        Arc::from(format!("第{grid}网格"))
    }
}

/// A member the season signs for.
#[derive(Clone, Copy)]
struct Person {
    device: DeviceKey,
    member: MemberId,
}

/// A volunteer and their profile as it changes (signed at each `ts`).
struct Volunteer {
    person: Person,
    versions: Vec<(i64, act::Profile)>,
    /// Activities they planned to sign up for: `[start, end)`.
    busy: Vec<(i64, i64)>,
}

impl Volunteer {
    /// The profile in effect at `ts`.
    fn profile_at(&self, ts: i64) -> Option<&act::Profile> {
        self.versions
            .iter()
            .take_while(|(t, _)| *t <= ts)
            .last()
            .map(|(_, p)| p)
    }
}

/// Who runs an activity.
#[derive(Clone, Copy)]
enum Staff {
    Council(usize),
    Worker(usize),
}

/// An activity of the season as planned.
struct Plan {
    kind: &'static Kind,
    grid: u8,
    start: i64,
    end: i64,
    slots: u32,
    organizer: Staff,
    /// The worker who assigns, ticks presence and confirms hours.
    worker: usize,
    /// Sign-ups per thousand slots.
    demand: u32,
    /// Its id, once posted.
    id: Option<EventId>,
    /// Reverse its first confirmed hours: why, and the minutes too many.
    reverse: Option<(&'static str, u32)>,
    /// Open at the end of the demo.
    upcoming: bool,
}

enum Job {
    Profile {
        vol: usize,
        version: usize,
    },
    Post {
        plan: usize,
    },
    Signup {
        plan: usize,
        vol: usize,
    },
    Withdraw {
        plan: usize,
        vol: usize,
    },
    Cancel {
        plan: usize,
        reason: &'static str,
    },
    /// The weekly run of the matcher over the activities starting in `[from, to)`.
    Match {
        from: i64,
        to: i64,
    },
    /// The morning of the day: who comes, when, and how they check in and out.
    Day {
        plan: usize,
    },
    Presence {
        plan: usize,
        member: MemberId,
        by_worker: bool,
        out: bool,
    },
    Hours {
        plan: usize,
    },
    Reverse {
        plan: usize,
        hours: EventId,
        member: MemberId,
        minutes: u32,
        reason: &'static str,
    },
    Confirm {
        plan: usize,
        member: MemberId,
        minutes: u32,
    },
}

/// Jobs in time order (then in the order they were queued).
#[derive(Default)]
struct Queue {
    heap: BinaryHeap<Reverse<(i64, usize)>>,
    jobs: Vec<Option<Job>>,
}

impl Queue {
    /// Queues `job` at `ts`, unless that is at or after [`LIMIT`].
    fn at(&mut self, ts: i64, job: Job) {
        if ts >= LIMIT {
            return;
        }
        self.heap.push(Reverse((ts, self.jobs.len())));
        self.jobs.push(Some(job));
    }

    fn next_ts(&self) -> Option<i64> {
        self.heap.peek().map(|Reverse((ts, _))| *ts)
    }

    fn pop(&mut self) -> Option<(i64, Job)> {
        let Reverse((ts, n)) = self.heap.pop()?;
        Some((ts, self.jobs[n].take()?))
    }
}

/// What the season did, for the demo's summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Volunteer profiles (members with one).
    pub profiles: usize,
    /// Of which paused (`active: false`).
    pub paused: usize,
    /// Activities posted.
    pub activities: usize,
    /// Of which cancelled.
    pub cancelled: usize,
    /// Of which still to come at the end of the demo.
    pub upcoming: usize,
    /// `activity.signup` events.
    pub signups: usize,
    /// Of which put on a wait list.
    pub waitlisted: usize,
    /// `activity.withdraw` events.
    pub withdrawals: usize,
    /// Withdrawals that moved the first on the wait list up.
    pub promotions: usize,
    /// `activity.assign` events (the matcher's proposals accepted).
    pub assignments: usize,
    /// Members they confirmed.
    pub assigned: usize,
    /// Check-ins.
    pub checkins: usize,
    /// Of which ticked by the worker for the volunteer.
    pub checkins_by_worker: usize,
    /// Check-outs.
    pub checkouts: usize,
    /// `activity.hours` events.
    pub hours: usize,
    /// Of which reversed by the council (and confirmed again).
    pub reversed: usize,
    /// Confirmed minutes that count.
    pub minutes: u64,
    /// Points of the hours entries that count.
    pub points: i64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "volunteer season: {} profiles ({} paused), {} activities ({} cancelled, \
             {} still to come), {} sign-ups ({} wait-listed, {} withdrawn, {} moved up from a \
             wait list), {} assigned by the matcher in {} assignments, {} check-ins ({} by a \
             worker), {} check-outs, {} hours confirmed ({} reversed and confirmed again): \
             {} h {} min, {} points",
            self.profiles,
            self.paused,
            self.activities,
            self.cancelled,
            self.upcoming,
            self.signups,
            self.waitlisted,
            self.withdrawals,
            self.promotions,
            self.assigned,
            self.assignments,
            self.checkins,
            self.checkins_by_worker,
            self.checkouts,
            self.hours,
            self.reversed,
            self.minutes / 60,
            self.minutes % 60,
            self.points
        )
    }
}

/// The season as it is written.
pub(super) struct Season {
    rng: Rng,
    queue: Queue,
    council: Vec<Person>,
    workers: Vec<Person>,
    volunteers: Vec<Volunteer>,
    by_member: BTreeMap<MemberId, usize>,
    plans: Vec<Plan>,
    tally: Summary,
}

/// Plans the season and hands it to the builder, which signs it as its clock passes each act.
/// A community of fewer than 40 residents, or without its workers, gets none.
pub(super) fn plan(
    b: &mut Builder,
    seed: u64,
    council: &[ChainWriter],
    council_ids: &[MemberId],
    members: &[(ChainWriter, Event)],
) {
    if members.len() < WORKERS + 40 || council.len() < 2 {
        return;
    }
    let mut rng = Rng(seed ^ 0x766f_6c75_6e74_6565);
    let person = |(w, e): &(ChainWriter, Event)| Person {
        device: w.device(),
        member: e.id,
    };
    let council: Vec<Person> = council
        .iter()
        .zip(council_ids)
        .map(|(w, id)| Person {
            device: w.device(),
            member: *id,
        })
        .collect();
    let workers: Vec<Person> = members[..WORKERS].iter().map(person).collect();

    // About 9 % of the residents volunteer.
    let mut volunteers = Vec::new();
    for m in &members[WORKERS..] {
        if rng.below(100) >= 9 {
            continue;
        }
        let person = person(m);
        let building = b
            .state
            .roster
            .member(&person.member)
            .and_then(|x| x.household.get(..2)?.parse::<u8>().ok())
            .unwrap_or(1);
        let grid = grid_name(((building.clamp(1, 20) - 1) / 5 + 1).min(GRIDS));
        volunteers.push(profile(&mut rng, person, grid));
    }
    let by_member = volunteers
        .iter()
        .enumerate()
        .map(|(i, v)| (v.person.member, i))
        .collect();

    let volunteers_count = volunteers.len() as u32;
    let mut s = Season {
        rng,
        queue: Queue::default(),
        council,
        workers,
        volunteers,
        by_member,
        plans: Vec::new(),
        tally: Summary::default(),
    };
    for (vol, v) in s.volunteers.iter().enumerate() {
        for (version, (ts, _)) in v.versions.iter().enumerate() {
            s.queue.at(*ts, Job::Profile { vol, version });
        }
    }
    let volunteers = volunteers_count;
    for (n, &((y, m, d), _, k, grid, lead, demand)) in SEASON.iter().enumerate() {
        let kind = &KINDS[k];
        let day = at(y, m, d, 0, 0);
        let start = day + kind.from.0 * HOUR + kind.from.1 * MINUTE;
        let end = day + kind.to.0 * HOUR + kind.to.1 * MINUTE;
        let r = &mut s.rng;
        let posted = if lead > 0 {
            day - lead * DAY + 14 * HOUR + r.below((3 * HOUR) as usize) as i64
        } else {
            let lead = 7 + r.below(6) as i64;
            day - lead * DAY + 9 * HOUR + r.below((8 * HOUR) as usize) as i64
        };
        let worker = if grid == 0 {
            r.below(WORKERS)
        } else {
            // A grid's three workers: 0, 4 and 8 run 第1网格, and so on.
            usize::from(grid - 1) + 4 * r.below(3)
        };
        let organizer = if kind.council {
            Staff::Council(r.below(s.council.len()))
        } else {
            Staff::Worker(worker)
        };
        let (lo, hi) = kind.slots;
        let slots = lo + r.below((hi - lo + 1) as usize) as u32;
        // A smaller community needs fewer hands (2 at least).
        let slots = if volunteers < FULL_SIZE {
            (slots * volunteers)
                .div_ceil(FULL_SIZE)
                .clamp(lo.min(2), slots)
        } else {
            slots
        };
        let demand = match demand {
            0 if kind.waitlist => [800, 1100, 1400, 1800][r.below(4)],
            0 => [400, 600, 800, 1000, 1200][r.below(5)],
            d => d,
        };
        let reverse = REVERSED
            .iter()
            .find(|(row, _, _)| *row == n)
            .map(|&(_, why, minus)| (why, minus));
        let plan = s.plans.len();
        s.plans.push(Plan {
            kind,
            grid,
            start,
            end,
            slots,
            organizer,
            worker,
            demand,
            id: None,
            reverse,
            upcoming: start >= LIMIT,
        });
        s.queue.at(posted, Job::Post { plan });
        if let Some(&(_, before, reason)) = CANCELLED.iter().find(|(row, _, _)| *row == n) {
            s.queue.at(start - before, Job::Cancel { plan, reason });
        }
    }
    // The matcher, every Wednesday at 10:00, for the activities from Thursday to Wednesday.
    let mut wed = at(2025, 9, 3, 10, 0);
    while wed < at(2025, 12, 1, 0, 0) {
        let thu = wed - 10 * HOUR + DAY;
        s.queue.at(
            wed,
            Job::Match {
                from: thu,
                to: thu + 7 * DAY,
            },
        );
        wed += 7 * DAY;
    }
    b.season = Some(Box::new(s));
}

/// A resident's profile as they first fill it in, and its later changes.
fn profile(rng: &mut Rng, person: Person, grid: Arc<str>) -> Volunteer {
    let persona = pick(rng, &PERSONAS.map(|p| p.0));
    let mut weights = PERSONAS[persona].1;
    let count = match rng.below(100) {
        0..=47 => 1,
        48..=87 => 2,
        _ => 3,
    };
    let mut has = [false; 7];
    for _ in 0..count {
        let k = pick(rng, &weights);
        has[k] = true;
        weights[k] = 0;
    }
    let skills = |has: &[bool; 7]| -> Vec<Arc<str>> {
        SKILLS
            .iter()
            .zip(has)
            .filter(|(_, h)| **h)
            .map(|(s, _)| text(s))
            .collect()
    };
    let first = act::Profile {
        skills: skills(&has),
        availability: windows(rng, persona),
        grid,
        active: true,
    };
    // Most when the 网格站 recruits (08-18 to 09-05), some in September, a few in October.
    let ts = match rng.below(100) {
        0..=69 => at(2025, 8, 18, 8, 0) + rng.below((18 * DAY) as usize) as i64,
        70..=89 => at(2025, 9, 6, 8, 0) + rng.below((24 * DAY) as usize) as i64,
        _ => at(2025, 10, 1, 8, 0) + rng.below((40 * DAY) as usize) as i64,
    };
    let ts = day_time(ts);
    let mut versions = vec![(ts, first.clone())];
    match rng.below(100) {
        // A skill added after a few weeks.
        0..=4 if count < 3 => {
            let k = pick(rng, &weights);
            has[k] = true;
            let later = day_time(ts + 20 * DAY + rng.below((30 * DAY) as usize) as i64);
            versions.push((
                later,
                act::Profile {
                    skills: skills(&has),
                    ..first
                },
            ));
        }
        // A pause (moved in with their children for the winter, a new job…).
        5..=8 => {
            let from = (ts + 14 * DAY).max(at(2025, 10, 1, 8, 0));
            let later = day_time(from + rng.below((45 * DAY) as usize) as i64);
            versions.push((
                later,
                act::Profile {
                    active: false,
                    ..first
                },
            ));
        }
        _ => {}
    }
    Volunteer {
        person,
        versions,
        busy: Vec::new(),
    }
}

/// `ts` moved into the waking hours (07:00–23:00 in UTC+8), later the same day or the next.
fn day_time(ts: i64) -> i64 {
    let of_day = (ts + 8 * HOUR).rem_euclid(DAY);
    if of_day < 7 * HOUR {
        ts + 7 * HOUR
    } else if of_day >= 23 * HOUR {
        ts + 9 * HOUR
    } else {
        ts
    }
}

/// Minutes prefilled as the app does: check-in to check-out rounded to 5 minutes (at least
/// 5), else check-in to the activity's end, else its length.
fn prefill(checkin: Option<i64>, checkout: Option<i64>, start: i64, end: i64) -> u32 {
    let ms = match (checkin, checkout) {
        (Some(i), Some(o)) if o > i => o - i,
        (Some(i), _) if end > i => end - i,
        _ => end - start,
    };
    let five = (ms + 150_000) / 300_000;
    (five.max(1) * 5).min(i64::from(act::MAX_MINUTES)) as u32
}

impl Season {
    fn due(&self, ts: i64) -> bool {
        self.queue.next_ts().is_some_and(|t| t < ts)
    }

    /// Signs every act due before `until`.
    fn run_until(&mut self, b: &mut Builder, until: i64) {
        while self.queue.next_ts().is_some_and(|t| t < until) {
            if let Some((ts, job)) = self.queue.pop() {
                self.run(b, ts, job);
            }
        }
    }

    fn staff(&self, who: Staff) -> Person {
        match who {
            Staff::Council(k) => self.council[k],
            Staff::Worker(w) => self.workers[w],
        }
    }

    fn sign(&mut self, b: &mut Builder, who: Person, act: Act, ts: i64) -> Option<Event> {
        b.sign_for(who.device, &Command::Volunteers(act), ts)
    }

    /// The activity of `plan`, if it was posted and is open.
    fn open<'s>(&self, state: &'s State, plan: usize) -> Option<&'s Activity> {
        let a = state.volunteers.activity(self.plans[plan].id.as_ref()?)?;
        (a.status == ActivityStatus::Open).then_some(a)
    }

    fn run(&mut self, b: &mut Builder, ts: i64, job: Job) {
        match job {
            Job::Profile { vol, version } => {
                let v = &self.volunteers[vol];
                let (who, p) = (v.person, v.versions[version].1.clone());
                self.sign(b, who, Act::Profile(p), ts);
            }
            Job::Post { plan } => self.post(b, ts, plan),
            Job::Signup { plan, vol } => {
                let Some(activity) = self.open(&b.state, plan).map(|a| a.id) else {
                    return;
                };
                let who = self.volunteers[vol].person;
                let act = Act::Signup(act::ActivityRef { activity });
                if self.sign(b, who, act, ts).is_none() {
                    return;
                }
                self.tally.signups += 1;
                let Some(a) = self.open(&b.state, plan) else {
                    return;
                };
                let confirmed = a.is_confirmed(&who.member);
                if !confirmed {
                    self.tally.waitlisted += 1;
                }
                // Some change their minds: more often when others wait for their place.
                let p = match (confirmed, a.waitlist) {
                    (true, true) => 12,
                    (true, false) => 5,
                    (false, _) => 8,
                };
                if self.rng.below(100) < p {
                    let last = self.plans[plan].start - 3 * HOUR;
                    let span = last - ts - HOUR;
                    if span > 0 {
                        let t = day_time(ts + HOUR + self.rng.below(span as usize) as i64);
                        self.queue.at(t.min(last), Job::Withdraw { plan, vol });
                    }
                }
            }
            Job::Withdraw { plan, vol } => {
                let who = self.volunteers[vol].person;
                let Some(a) = self.open(&b.state, plan) else {
                    return;
                };
                let moves_up = a.is_confirmed(&who.member) && !a.waiting.is_empty();
                let act = Act::Withdraw(act::ActivityRef { activity: a.id });
                if self.sign(b, who, act, ts).is_some() {
                    self.tally.withdrawals += 1;
                    self.tally.promotions += usize::from(moves_up);
                }
            }
            Job::Cancel { plan, reason } => {
                let Some(activity) = self.open(&b.state, plan).map(|a| a.id) else {
                    return;
                };
                let who = self.staff(self.plans[plan].organizer);
                let act = Act::Cancel(act::CancelActivity {
                    activity,
                    reason: text(reason),
                });
                self.sign(b, who, act, ts);
            }
            Job::Match { from, to } => self.assign(b, ts, from, to),
            Job::Day { plan } => self.day(b, plan),
            Job::Presence {
                plan,
                member,
                by_worker,
                out,
            } => {
                let Some(activity) = self.open(&b.state, plan).map(|a| a.id) else {
                    return;
                };
                let who = if by_worker {
                    self.workers[self.plans[plan].worker]
                } else {
                    match self.by_member.get(&member) {
                        Some(&v) => self.volunteers[v].person,
                        None => return,
                    }
                };
                let p = act::Presence { activity, member };
                let act = if out {
                    Act::Checkout(p)
                } else {
                    Act::Checkin(p)
                };
                if self.sign(b, who, act, ts).is_some() {
                    if out {
                        self.tally.checkouts += 1;
                    } else {
                        self.tally.checkins += 1;
                        self.tally.checkins_by_worker += usize::from(by_worker);
                    }
                }
            }
            Job::Hours { plan } => self.hours(b, ts, plan),
            Job::Reverse {
                plan,
                hours,
                member,
                minutes,
                reason,
            } => {
                let by = self.council[self.rng.below(self.council.len())];
                let act = points::Act::Reverse(points::act::Reverse {
                    entry: hours,
                    reason: text(reason),
                });
                if b.sign_for(by.device, &Command::Points(act), ts).is_some() {
                    self.tally.reversed += 1;
                    let t =
                        day_time(ts + DAY - 2 * HOUR + self.rng.below(4 * HOUR as usize) as i64);
                    self.queue.at(
                        t,
                        Job::Confirm {
                            plan,
                            member,
                            minutes,
                        },
                    );
                }
            }
            Job::Confirm {
                plan,
                member,
                minutes,
            } => {
                let Some(activity) = self.open(&b.state, plan).map(|a| a.id) else {
                    return;
                };
                let who = self.workers[self.plans[plan].worker];
                let act = Act::Hours(act::Hours {
                    activity,
                    member,
                    minutes,
                });
                if self.sign(b, who, act, ts).is_some() {
                    self.tally.hours += 1;
                }
            }
        }
    }

    /// Posts the activity, and plans who signs up (and when), the day and the hours.
    fn post(&mut self, b: &mut Builder, ts: i64, plan: usize) {
        let p = &self.plans[plan];
        let kind = p.kind;
        let rule = if kind.points {
            b.state
                .points
                .rules()
                .into_iter()
                .find(|r| &*r.title == RULE_TITLE && !r.retired && r.points > 0)
                .map(|r| r.id)
        } else {
            None
        };
        let place = match kind.place {
            Place::At(s) => s.to_owned(),
            Place::Buildings(s) => {
                let g = u32::from(p.grid.max(1));
                format!("{}–{}号楼{s}", 5 * g - 4, 5 * g)
            }
        };
        let act = Act::Create(act::Create {
            title: text(kind.title),
            body: text(kind.body),
            place: Arc::from(place),
            grid: grid_name(p.grid),
            start: p.start,
            end: p.end,
            slots: p.slots,
            skills: kind.skills.iter().map(|s| text(s)).collect(),
            rule,
            waitlist: kind.waitlist,
        });
        let who = self.staff(p.organizer);
        let Some(e) = self.sign(b, who, act, ts) else {
            return;
        };
        self.plans[plan].id = Some(e.id);
        self.signups(plan, e.ts);
        let p = &self.plans[plan];
        let (start, end) = (p.start, p.end);
        self.queue.at(start - 100 * MINUTE, Job::Day { plan });
        // The same evening, or the next morning.
        let later = if self.rng.below(10) < 6 {
            end + 40 * MINUTE + self.rng.below((2 * HOUR) as usize) as i64
        } else {
            let midnight = end - (end + 8 * HOUR).rem_euclid(DAY);
            midnight + DAY + 9 * HOUR + self.rng.below((3 * HOUR) as usize) as i64
        };
        self.queue.at(later, Job::Hours { plan });
    }

    /// Who signs up for `plan` (posted at `posted`) and when: volunteers whose profile then
    /// has the skills and covers the time, not already busy then, more from its own grid;
    /// now and then someone who is not usually free then.
    fn signups(&mut self, plan: usize, posted: i64) {
        let p = &self.plans[plan];
        let (start, end, grid) = (p.start, p.end, grid_name(p.grid));
        let skills: Vec<Arc<str>> = p.kind.skills.iter().map(|s| text(s)).collect();
        let mut fit: Vec<(usize, u32)> = Vec::new();
        let mut stretch: Vec<usize> = Vec::new();
        for (i, v) in self.volunteers.iter().enumerate() {
            let Some(profile) = v.profile_at(posted) else {
                continue;
            };
            if !profile.active
                || !skills.iter().all(|s| profile.skills.contains(s))
                || v.busy.iter().any(|&(s, e)| s < end && start < e)
            {
                continue;
            }
            if !matching::covers(&profile.availability, start, end) {
                stretch.push(i);
                continue;
            }
            let weight = if grid.is_empty() {
                4
            } else if profile.grid == grid {
                6
            } else {
                1
            };
            fit.push((i, weight));
        }
        let want = (p.slots * p.demand).div_ceil(1000) as usize;
        let want = want.min((fit.len() * 7).div_ceil(10));
        let mut chosen = Vec::new();
        for _ in 0..want {
            let weights: Vec<u32> = fit.iter().map(|f| f.1).collect();
            let k = pick(&mut self.rng, &weights);
            chosen.push(fit.swap_remove(k).0);
        }
        if !stretch.is_empty() && self.rng.below(4) == 0 {
            chosen.push(stretch[self.rng.below(stretch.len())]);
        }
        // Early ones first: most sign up in the first days.
        let last = (start - 14 * HOUR).min(LIMIT - 2 * HOUR);
        let span = (last - posted - 30 * MINUTE).max(1);
        for vol in chosen {
            let u = self.rng.below(1000) as i64;
            let t = day_time(posted + 30 * MINUTE + span * u / 1000 * u / 1000).min(last);
            self.volunteers[vol].busy.push((start, end));
            self.queue.at(t, Job::Signup { plan, vol });
        }
    }

    /// The week's matcher run: its proposal for the activities in `[from, to)` with free
    /// slots, accepted by each activity's worker.
    fn assign(&mut self, b: &mut Builder, ts: i64, from: i64, to: i64) {
        let batch: Vec<EventId> = self
            .plans
            .iter()
            .filter(|p| (from..to).contains(&p.start))
            .filter_map(|p| p.id)
            .collect();
        let (openings, vols) = b.state.volunteers.match_inputs(&batch, ts);
        if openings.iter().all(|o| o.free == 0) {
            return;
        }
        let proposal = matching::assign(&openings, &vols, ts);
        let mut t = ts;
        for filled in proposal.openings {
            if filled.chosen.is_empty() {
                continue;
            }
            let Some(plan) = self
                .plans
                .iter()
                .position(|p| p.id == Some(filled.activity))
            else {
                continue;
            };
            let who = self.workers[self.plans[plan].worker];
            let members: Vec<MemberId> = filled.chosen.iter().map(|r| r.member).collect();
            let n = members.len();
            let act = Act::Assign(act::Assign {
                activity: filled.activity,
                members,
            });
            t += 2 * MINUTE + self.rng.below((3 * MINUTE) as usize) as i64;
            if self.sign(b, who, act, t).is_some() {
                self.tally.assignments += 1;
                self.tally.assigned += n;
            }
        }
    }

    /// The day: who of the confirmed comes (most), when they check in and out, and how.
    fn day(&mut self, b: &mut Builder, plan: usize) {
        let Some(a) = self.open(&b.state, plan) else {
            return;
        };
        let confirmed = a.confirmed.clone();
        let (start, end) = (a.start, a.end);
        for member in confirmed {
            let r = &mut self.rng;
            if r.below(100) < 7 {
                continue; // did not come
            }
            let by_worker = r.below(100) < 12;
            let checkin = start - 25 * MINUTE + r.below((40 * MINUTE) as usize) as i64;
            let out = match r.below(100) {
                // Left early.
                0..=4 => Some((start + (end - start) / 2, by_worker)),
                5..=79 => Some((
                    end - 15 * MINUTE + r.below((45 * MINUTE) as usize) as i64,
                    by_worker,
                )),
                80..=87 => Some((end + r.below((15 * MINUTE) as usize) as i64, true)),
                _ => None, // forgot
            };
            self.queue.at(
                checkin,
                Job::Presence {
                    plan,
                    member,
                    by_worker,
                    out: false,
                },
            );
            if let Some((t, by_worker)) = out {
                self.queue.at(
                    t.max(checkin + 10 * MINUTE),
                    Job::Presence {
                        plan,
                        member,
                        by_worker,
                        out: true,
                    },
                );
            }
        }
    }

    /// The worker confirms the hours of those who came, prefilled from their check-in and
    /// check-out, sometimes edited; a few are left for later.
    fn hours(&mut self, b: &mut Builder, ts: i64, plan: usize) {
        let Some(a) = self.open(&b.state, plan) else {
            return;
        };
        let (id, start, end) = (a.id, a.start, a.end);
        let todo: Vec<(MemberId, u32)> = a
            .attendance
            .iter()
            .filter(|x| x.checkin.is_some() && x.counted().is_none() && a.is_confirmed(&x.member))
            .map(|x| (x.member, prefill(x.checkin, x.checkout, start, end)))
            .collect();
        let who = self.workers[self.plans[plan].worker];
        let mut t = ts;
        let mut first = true;
        for (member, minutes) in todo {
            let r = &mut self.rng;
            if r.below(100) < 3 {
                continue;
            }
            let minutes = match r.below(100) {
                // Stayed to tidy up.
                0..=5 => minutes + 30,
                // Arrived late, left early without checking out.
                6..=9 => minutes.saturating_sub(30).max(30),
                // Rounded to the hour.
                10..=13 => (minutes + 30) / 60 * 60,
                _ => minutes,
            }
            .clamp(5, act::MAX_MINUTES);
            t += 20_000 + r.below(60_000) as i64;
            let act = Act::Hours(act::Hours {
                activity: id,
                member,
                minutes,
            });
            let Some(e) = self.sign(b, who, act, t) else {
                continue;
            };
            self.tally.hours += 1;
            if let (true, Some((reason, minus))) = (first, self.plans[plan].reverse) {
                let later = e.ts + 2 * DAY + self.rng.below((2 * DAY) as usize) as i64;
                self.queue.at(
                    day_time(later),
                    Job::Reverse {
                        plan,
                        hours: e.id,
                        member,
                        minutes: minutes.saturating_sub(minus).max(30),
                        reason,
                    },
                );
            }
            first = false;
        }
    }

    /// The summary, from the state at the end.
    fn summary(mut self, state: &State) -> Summary {
        let v = &state.volunteers;
        let t = &mut self.tally;
        t.profiles = v.profiles().count();
        t.paused = v.profiles().filter(|(_, p)| !p.active).count();
        t.activities = v.activities().count();
        t.cancelled = v
            .activities()
            .filter(|a| a.status == ActivityStatus::Cancelled)
            .count();
        t.upcoming = self
            .plans
            .iter()
            .filter(|p| p.upcoming && p.id.is_some())
            .count();
        t.minutes = v.activities().map(|a| a.minutes()).sum();
        t.points = state
            .points
            .entries()
            .filter(|e| e.source == Source::Hours && e.status == EntryStatus::Counted)
            .map(|e| e.amount)
            .sum();
        self.tally
    }
}

/// Signs what is left of the season (after the year of points' last event) and sums it up.
pub(super) fn finish(b: &mut Builder) -> Summary {
    match b.season.take() {
        Some(mut season) => {
            season.run_until(b, i64::MAX);
            season.summary(&b.state)
        }
        None => Summary::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Monday = 1 … Sunday = 7 of `ts`, in UTC+8.
    fn weekday(ts: i64) -> u8 {
        // 1970-01-01 was a Thursday.
        ((ts + 8 * HOUR).div_euclid(DAY) + 3).rem_euclid(7) as u8 + 1
    }

    #[test]
    fn dates_are_the_days_they_claim_to_be() {
        // 2025-09-01 00:00 in UTC+8, a Monday.
        assert_eq!(at(2025, 9, 1, 0, 0), 1_756_656_000_000);
        assert_eq!(weekday(at(2025, 9, 1, 12, 0)), 1);
        assert_eq!(at(2026, 3, 2, 9, 0), 1_772_413_200_000);
        for ((y, m, d), wd, k, grid, _, _) in SEASON {
            let day = at(y, m, d, 12, 0);
            assert_eq!(weekday(day), wd, "{y}-{m}-{d}");
            assert!(grid <= GRIDS);
            assert!(KINDS[k].from < KINDS[k].to);
        }
        let kinds: Vec<usize> = CANCELLED.iter().map(|c| SEASON[c.0].2).collect();
        assert_eq!(kinds, [PATROL, REPAIR, CLINIC]);
        let kinds: Vec<usize> = REVERSED.iter().map(|r| SEASON[r.0].2).collect();
        assert_eq!(kinds, [REPAIR, PATROL]);
        assert!(SEASON.windows(2).all(|w| w[0].0 <= w[1].0), "in date order");
        assert_eq!(at(2025, 11, 29, 0, 0) - 17 * DAY, at(2025, 11, 12, 0, 0));
    }

    #[test]
    fn hours_are_prefilled_like_the_app() {
        let start = at(2025, 9, 6, 9, 0);
        let end = start + 2 * HOUR;
        assert_eq!(prefill(None, None, start, end), 120);
        assert_eq!(prefill(Some(start + 7 * MINUTE), None, start, end), 115);
        assert_eq!(
            prefill(
                Some(start - 12 * MINUTE),
                Some(end + 3 * MINUTE),
                start,
                end
            ),
            135
        );
        assert_eq!(prefill(Some(start), Some(start + MINUTE), start, end), 5);
    }
}
