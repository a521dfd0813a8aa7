//! The demo's year of everyday services (`DESIGN.md` §3.7): from 12 March 2025, when the
//! 网格站 opens 困难群众直通车 on the app, to the end of February 2026 (UTC+8).
//!
//! Requests for help — about 600, more in winter (暖气, 水管冻裂, 积雪) and in the rainy summer
//! (漏雨, 积水), fewer in spring: 助老, 维修, 医疗, 政策咨询, 邻里纠纷, 环境卫生 and 其他, about
//! one in seven urgent (电梯困人, 老人走失…), from residents (some ask often), each for the grid
//! of the requester's building (20 buildings, four 网格 of five). A worker of that grid takes
//! most of them (首问负责) within hours, an urgent one within minutes and never later than
//! three hours; now and then the worker on duty for another grid takes it and hands it to the
//! grid's own worker, a council member takes a policy question or a dispute, a request waits
//! two or three days (overdue), an owner hands one on with a reason (a specialist, a leave)
//! and sometimes a council member hands one on for a worker off sick. Owners write progress
//! notes and resolve in hours to days; most requesters rate the result (about 95 % with 4 or
//! 5 stars), some reopen within the week and the owner resolves again. Requests of the last
//! days are still open or being handled at the end, a few never taken (the overdue view).
//!
//! Twelve polls (加装电梯意向 for three buildings, 周末亲子活动, 停车位划线方案, 垃圾分类投放时间,
//! 充电棚选址, 物业满意度, 春节联欢会时间…): two to six options, some multi-choice, some with live
//! results, closing through the year (the last, on 快递柜, still open at the end); hundreds of
//! residents answer each, most in the first days, and some change their answer before the
//! close. The public board: notices (停水, 停电, 防汛, 疫苗, 消防, 春节值班), policies (the 积分细则
//! the day before it applies, 垃圾分类, 志愿服务积分, the year-end 积分清零), the result of the
//! points rules' ballot naming its proposal, the results of six polls and a quarterly funds
//! disclosure computed from the ledger. The funds ledger: 上级拨款 every quarter, 党群服务经费
//! twice, 社会捐赠; spending on 活动, 维修, 办公 and 慰问 with real dates, entered by council
//! members a few days after; one entered with a digit too many and one entered twice, each
//! voided by another council member with the reason (the first entered again correctly).
//!
//! Timing, as for the volunteer season: the year is a queue of acts in time order that
//! [`Builder::pass`] signs whenever the demo is about to sign something later, each after the
//! season's acts due before it. [`Signers`] lets the year sign for devices whose writers the
//! year of points holds (their holder catches up before signing again). Every act is judged
//! against the state so far, with the `ts` it will carry, before it is signed.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::sync::Arc;

use linli_domain::council::Eligibility;
use linli_domain::services::act::{self, Act};
use linli_domain::services::{report, Category, RequestStatus, Step};
use linli_domain::{ChainWriter, Command, DeviceKey, Event, EventId, MemberId, State};

use super::volunteers::at;
use super::{Builder, Rng};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 3_600_000;
const DAY: i64 = 86_400_000;
/// The grid workers are the first members of the roster; worker `w` serves grid `w % 4 + 1`.
const WORKERS: usize = 12;
/// 网格: four, of five buildings each.
const GRIDS: usize = 4;
/// Nothing of the year is signed from here on (2026-03-01 00:00 in UTC+8).
const LIMIT: i64 = at(2026, 3, 1, 0, 0);
/// The notice that opens 困难群众直通车; requests come after it.
const LAUNCH: i64 = at(2025, 3, 12, 9, 30);
/// Residents from whom the year has its full number of requests and answers (the default demo
/// has 5,000); a smaller community has proportionally fewer.
const FULL_SIZE: usize = 5000;

/// Every device's seed and last event, for the year as for the season: the year signs for
/// devices whose writers others hold, and they resume before they sign again.
pub(super) type Signers = super::volunteers::Chains;

impl Builder {
    /// Signs the year's acts due before `ts` (each after the volunteer season's acts due
    /// before it), then the season's; returns `ts`, or just after the last event if that is
    /// later (the clock never goes back).
    pub(super) fn pass(&mut self, ts: i64) -> i64 {
        if self.services.as_ref().is_some_and(|y| y.due(ts)) {
            if let Some(mut year) = self.services.take() {
                year.run_until(self, ts);
                self.services = Some(year);
            }
        }
        self.catch_up(ts)
    }

    /// `act` signed by `device` at `ts` (or just after the last event), only if the rules
    /// accept it there. `None`: not signed.
    fn sign_service(&mut self, device: DeviceKey, act: Act, ts: i64) -> Option<Event> {
        let ts = self.catch_up(ts);
        let command = Command::Services(act);
        self.state.allows_at(&device, &command, ts).ok()?;
        let mut writer = self
            .signers
            .writer(device, self.state.space, &self.events)?;
        let e = self.emit(&mut writer, command.kind(), &command.payload(), ts);
        self.signers.moved.insert(device);
        Some(e)
    }
}

/// Months as bits (January = bit 0), `from` to `to` inclusive, across the new year if need be.
const fn months(from: u32, to: u32) -> u16 {
    let mut bits = 0u16;
    let mut m = from;
    loop {
        bits |= 1 << (m - 1);
        if m == to {
            return bits;
        }
        m = m % 12 + 1;
    }
}

const ALL: u16 = months(1, 12);
const SUMMER: u16 = months(6, 9);
const RAINY: u16 = months(5, 9);
const WINTER: u16 = months(11, 3);
const FROST: u16 = months(12, 2);

/// A kind of request for help.
struct Need {
    category: &'static str,
    title: &'static str,
    body: &'static str,
    /// In 100: how often it is urgent.
    urgent: u32,
    /// The months it happens in ([`months`]).
    months: u16,
    weight: u32,
    /// A progress note the owner may write ("": none).
    note: &'static str,
    /// What the owner writes when it is resolved.
    done: &'static str,
    /// Hours from taking it to resolving it, when not urgent.
    hours: (i64, i64),
}

#[allow(clippy::too_many_arguments)]
const fn need(
    category: &'static str,
    title: &'static str,
    body: &'static str,
    urgent: u32,
    months: u16,
    weight: u32,
    note: &'static str,
    done: &'static str,
    hours: (i64, i64),
) -> Need {
    Need {
        category,
        title,
        body,
        urgent,
        months,
        weight,
        note,
        done,
        hours,
    }
}

const NEEDS: [Need; 52] = [
    // 助老
    need(
        "助老",
        "帮忙代购米面油",
        "老伴腿脚不便，家里米和油快吃完了，想请人帮忙买了送上楼。",
        0,
        ALL,
        5,
        "已和老人确认要买的东西，下午去超市采购",
        "已代购大米10斤、食用油一桶送到家中，老人已签收",
        (3, 30),
    ),
    need(
        "助老",
        "陪同老人去医院复诊",
        "我母亲82岁，下周要去区医院复查，子女都在外地，想请人陪同。",
        0,
        ALL,
        4,
        "已联系志愿者，约好就诊当天早上8点楼下集合",
        "已由志愿者陪同完成复诊，取药后送回家中",
        (24, 96),
    ),
    need(
        "助老",
        "独居老人两天没出门，敲门没人应",
        "隔壁张奶奶两天没见出门，敲门没人应，电话也打不通，担心出事。",
        90,
        ALL,
        2,
        "",
        "已联系家属并请物业开门查看：老人感冒卧床，已送医，家属已赶到",
        (2, 6),
    ),
    need(
        "助老",
        "帮老人做高龄津贴年度认证",
        "老人不会用手机做认证，听说月底前要做完，不然津贴会停发。",
        0,
        ALL,
        3,
        "已预约上门，请准备好身份证和社保卡",
        "已上门协助完成高龄津贴年度认证",
        (4, 48),
    ),
    need(
        "助老",
        "申请老年助餐送餐上门",
        "老两口做饭越来越吃力，想申请社区老年助餐，每天送午饭。",
        0,
        ALL,
        2,
        "已登记，正和助餐点确认配送路线",
        "已开通助餐服务，每天11点半送餐上门",
        (24, 96),
    ),
    need(
        "助老",
        "独居老人家里暖气不热",
        "楼下李爷爷家暖气不热，屋里只有十几度，他自己不会处理。",
        30,
        WINTER,
        3,
        "已联系供热公司报修，先送去电暖器应急",
        "供热公司已上门排气、清洗过滤网，室温恢复到20度",
        (4, 30),
    ),
    need(
        "助老",
        "高温天请去看看独居的父亲",
        "最近连续高温，我父亲一个人住，家里空调坏了，我在外地回不去。",
        40,
        SUMMER,
        2,
        "已上门探望，送去防暑药品和绿豆汤",
        "已联系维修师傅修好空调，老人身体无碍，已告知家属",
        (3, 24),
    ),
    need(
        "助老",
        "帮卧床老人预约上门理发",
        "老人卧床半年了，头发很长，想请人上门理发。",
        0,
        ALL,
        2,
        "",
        "已约好志愿理发师周六上午上门，已理完",
        (24, 120),
    ),
    // 维修
    need(
        "维修",
        "楼道灯不亮",
        "单元4楼到6楼的楼道灯坏了，晚上上下楼看不见，老人容易摔。",
        0,
        ALL,
        6,
        "已报物业，电工明天上午来",
        "物业电工已更换灯泡和声控开关，照明恢复",
        (4, 48),
    ),
    need(
        "维修",
        "厨房下水道堵塞",
        "厨房下水道堵了，水下不去，自己用疏通剂没用。",
        10,
        ALL,
        4,
        "",
        "物业已上门疏通，下水恢复正常",
        (3, 30),
    ),
    need(
        "维修",
        "卫生间水管漏水渗到楼下",
        "卫生间墙里的水管漏水，楼下邻居天花板已经在滴水了。",
        40,
        ALL,
        3,
        "已关闭进户总阀，维修师傅在路上",
        "已更换漏水的三通接头，楼下天花板待干后修补",
        (2, 24),
    ),
    need(
        "维修",
        "单元门门禁坏了",
        "单元门刷卡没反应，门也关不上，谁都能进来。",
        10,
        ALL,
        3,
        "已联系门禁厂家，配件明天到",
        "门禁厂家已更换读卡器和闭门器，门已能正常关闭",
        (6, 72),
    ),
    need(
        "维修",
        "电梯困人",
        "1单元电梯停在7楼和8楼之间，里面有人，按警铃没人回应！",
        100,
        ALL,
        1,
        "",
        "电梯维保人员已到场救出被困人员，电梯停运检修后恢复运行",
        (1, 3),
    ),
    need(
        "维修",
        "暖气片不热",
        "家里暖气片上面热下面凉，屋里温度上不去。",
        10,
        WINTER,
        5,
        "已报供热公司，排队等待上门",
        "供热公司已上门放气调试，暖气恢复",
        (6, 72),
    ),
    need(
        "维修",
        "水管冻裂漏水",
        "阳台水管冻裂了，水一直往外冒，总阀拧不动。",
        90,
        FROST,
        2,
        "已关总阀止水",
        "已更换冻裂管段并包上保温棉，楼道积水已清理",
        (2, 6),
    ),
    need(
        "维修",
        "空调外机支架松动",
        "楼上空调外机支架锈了，一开机就晃，怕掉下来砸到人。",
        30,
        SUMMER,
        2,
        "已在楼下拉警戒线，联系高空作业师傅",
        "已请专业人员更换并加固外机支架",
        (6, 48),
    ),
    need(
        "维修",
        "顶楼屋面漏雨",
        "一下雨顶楼卧室就漏水，墙皮都泡起来了。",
        20,
        RAINY,
        3,
        "已上屋面查看，防水层开裂，需等天晴施工",
        "屋面防水层已局部修补，雨后回访无渗漏",
        (48, 168),
    ),
    need(
        "维修",
        "楼道扶手松动",
        "3楼到4楼的楼梯扶手松了，一扶就晃。",
        0,
        ALL,
        2,
        "",
        "物业已重新固定扶手螺栓",
        (6, 72),
    ),
    need(
        "维修",
        "家里跳闸没电",
        "家里突然跳闸，合不上闸，冰箱里还有东西。",
        50,
        ALL,
        2,
        "",
        "电工已上门，更换了老化的漏电保护开关",
        (2, 12),
    ),
    need(
        "维修",
        "楼道窗户玻璃破了",
        "5楼楼道窗户玻璃碎了一块，风一吹往下掉碎渣。",
        20,
        ALL,
        1,
        "已清理碎玻璃并临时封上",
        "物业已更换新玻璃",
        (12, 72),
    ),
    // 医疗
    need(
        "医疗",
        "老人突发头晕站不起来",
        "家里老人突然头晕、站不起来，我一个人扶不动。",
        100,
        ALL,
        2,
        "",
        "已协助拨打120送医，家属已赶到医院",
        (1, 3),
    ),
    need(
        "医疗",
        "申请家庭医生签约",
        "家里两位老人都有高血压，想签约家庭医生。",
        0,
        ALL,
        2,
        "已联系社区卫生服务中心，约好上门时间",
        "家庭医生已上门完成签约，并建立了健康档案",
        (24, 120),
    ),
    need(
        "医疗",
        "行动不便，想借用轮椅",
        "父亲腿骨折刚出院，想借一辆轮椅用一个月。",
        10,
        ALL,
        2,
        "",
        "已从社区助残服务站借出轮椅一辆送到家中",
        (3, 24),
    ),
    need(
        "医疗",
        "慢性病长处方怎么续药",
        "糖尿病的药每个月都要跑医院开，听说可以开长处方，怎么办理？",
        0,
        ALL,
        1,
        "",
        "已告知长处方办理条件，并帮忙预约了社区卫生服务中心门诊",
        (4, 48),
    ),
    need(
        "医疗",
        "帮老人预约流感疫苗",
        "想给家里两位老人打流感疫苗，不会在手机上预约。",
        0,
        months(9, 12),
        3,
        "",
        "已帮忙预约社区卫生服务中心接种，并提醒带好身份证和医保卡",
        (3, 48),
    ),
    need(
        "医疗",
        "术后需要上门换药",
        "母亲做完手术刚回家，伤口要隔天换药，去医院不方便。",
        20,
        ALL,
        1,
        "已联系家庭医生团队",
        "家庭医生已安排护士隔天上门换药",
        (6, 48),
    ),
    // 政策咨询
    need(
        "政策咨询",
        "城乡居民医保怎么缴费",
        "明年的城乡居民医保在哪里交？老人没有智能手机。",
        0,
        months(9, 12),
        3,
        "",
        "已告知缴费渠道，并上门用网格员手机帮忙完成缴费",
        (3, 48),
    ),
    need(
        "政策咨询",
        "养老金资格认证怎么做",
        "今年的养老金资格认证还没做，怕停发。",
        0,
        ALL,
        2,
        "",
        "已上门用人脸识别完成认证",
        (3, 48),
    ),
    need(
        "政策咨询",
        "公租房申请条件",
        "家里三口人住一间房，想问问能不能申请公租房，要什么材料。",
        0,
        ALL,
        2,
        "已整理申请材料清单发给居民",
        "已协助准备材料并提交街道，告知审核周期",
        (24, 120),
    ),
    need(
        "政策咨询",
        "残疾证怎么办理",
        "孩子听力有问题，想办残疾证，不知道流程。",
        0,
        ALL,
        1,
        "",
        "已告知评定医院和所需材料，并预约了评定时间",
        (6, 72),
    ),
    need(
        "政策咨询",
        "孩子入学要开居住证明",
        "孩子9月上小学，学校要社区开居住证明。",
        0,
        months(3, 8),
        2,
        "",
        "居住证明已开具，可到网格站领取",
        (3, 30),
    ),
    need(
        "政策咨询",
        "灵活就业人员社保补贴",
        "我今年失业后做灵活就业，听说能申请社保补贴。",
        0,
        ALL,
        1,
        "",
        "已核对条件并协助在线提交申请",
        (6, 72),
    ),
    need(
        "政策咨询",
        "申请临时救助",
        "丈夫住院花了很多钱，家里一时周转不开，能申请临时救助吗？",
        0,
        ALL,
        1,
        "已上门核实家庭情况，材料已报街道",
        "街道已审批临时救助金，款项已发放",
        (48, 168),
    ),
    // 邻里纠纷
    need(
        "邻里纠纷",
        "楼上装修噪音太大",
        "楼上装修天天从早上7点敲到晚上，家里有老人和孩子。",
        0,
        ALL,
        3,
        "已联系装修户，约定施工时间为8:00–12:00、14:00–18:00",
        "双方已达成一致，装修户在单元门张贴了施工时间告示",
        (24, 96),
    ),
    need(
        "邻里纠纷",
        "楼上漏水到我家，协商不成",
        "楼上卫生间漏水到我家，找了几次都说不是他们的问题。",
        0,
        ALL,
        2,
        "已组织双方到现场查看",
        "经调解，楼上住户承担维修费用，双方已签调解协议",
        (48, 168),
    ),
    need(
        "邻里纠纷",
        "邻居在楼道堆放杂物",
        "对门把旧家具堆在楼道里，挡了消防通道。",
        0,
        ALL,
        2,
        "",
        "已劝说住户自行清理，楼道已清空",
        (12, 72),
    ),
    need(
        "邻里纠纷",
        "宠物狗夜里叫个不停",
        "隔壁的狗每天半夜叫，已经一个多星期睡不好了。",
        0,
        ALL,
        2,
        "已上门和犬主沟通",
        "犬主承诺夜间关窗并加强训练，一周后回访无投诉",
        (24, 120),
    ),
    need(
        "邻里纠纷",
        "车位被长期占用",
        "我租的车位被一辆外来车占了好几天，联系不上车主。",
        10,
        ALL,
        1,
        "",
        "已联系物业查到车主，车辆已挪走",
        (6, 48),
    ),
    need(
        "邻里纠纷",
        "广场舞音响声音太大",
        "晚上广场舞音响开得太大，9点多了还在跳。",
        0,
        months(4, 10),
        2,
        "已和舞蹈队负责人约谈",
        "已与舞蹈队协商，音量调低、21点前结束",
        (24, 96),
    ),
    // 环境卫生
    need(
        "环境卫生",
        "垃圾桶满溢没人清运",
        "投放点的垃圾桶满了两天了，垃圾堆到地上，味道很大。",
        0,
        ALL,
        3,
        "",
        "已通知环卫加派车辆清运，并增加一次清运频次",
        (3, 24),
    ),
    need(
        "环境卫生",
        "绿化带里有死老鼠",
        "单元门口绿化带里有只死老鼠，孩子们经常在那玩。",
        10,
        ALL,
        1,
        "",
        "保洁已清理并消毒",
        (2, 12),
    ),
    need(
        "环境卫生",
        "楼道贴满小广告",
        "楼道墙上贴满了开锁、通下水道的小广告。",
        0,
        ALL,
        2,
        "",
        "已组织保洁清理小广告，并在单元门张贴提示",
        (12, 96),
    ),
    need(
        "环境卫生",
        "雨后路面积水",
        "下雨后单元门口积水很深，老人出不了门。",
        20,
        RAINY,
        2,
        "",
        "已联系物业疏通雨水井，积水已排净",
        (3, 24),
    ),
    need(
        "环境卫生",
        "蚊虫太多，申请消杀",
        "地下室和绿化带蚊子特别多，晚上都不敢下楼。",
        0,
        SUMMER,
        2,
        "已报物业，安排本周消杀",
        "物业已对绿化带、地下室和化粪池周边进行消杀",
        (24, 96),
    ),
    need(
        "环境卫生",
        "井盖缺失，有人差点踩空",
        "小区主路上一个井盖不见了，晚上很危险。",
        80,
        ALL,
        1,
        "已设置警示围挡",
        "已更换新井盖并做了防盗固定",
        (2, 12),
    ),
    need(
        "环境卫生",
        "小区主路积雪结冰",
        "主路上积雪结了冰，早上好几个人滑倒了。",
        30,
        FROST,
        2,
        "",
        "已组织物业和志愿者清扫积雪并撒融雪剂",
        (2, 12),
    ),
    need(
        "环境卫生",
        "楼下有高空抛下的碎玻璃",
        "楼下草坪上有一堆碎玻璃，像是楼上扔下来的。",
        30,
        ALL,
        1,
        "已清理碎玻璃，正在查看监控",
        "已找到抛物住户并进行批评教育，签了承诺书",
        (6, 72),
    ),
    // 其他
    need(
        "其他",
        "钥匙锁在屋里了",
        "出门倒垃圾门被风关上了，钥匙和手机都在屋里，孩子一个人在家。",
        70,
        ALL,
        1,
        "",
        "已联系公安备案的开锁师傅，核实身份后开门",
        (1, 4),
    ),
    need(
        "其他",
        "开具居住证明",
        "办理银行业务需要社区出具居住证明。",
        0,
        ALL,
        2,
        "",
        "证明已开具，可到网格站领取",
        (3, 30),
    ),
    need(
        "其他",
        "快递柜取不出件",
        "东门快递柜显示取件码错误，客服电话打不通。",
        0,
        ALL,
        1,
        "",
        "已联系快递柜运营方远程开柜，快递已取出",
        (3, 24),
    ),
    need(
        "其他",
        "捡到一个钱包",
        "在中心广场长椅上捡到一个钱包，里面有身份证和银行卡。",
        0,
        ALL,
        1,
        "",
        "已按身份证联系到失主，钱包已当面归还",
        (3, 48),
    ),
    need(
        "其他",
        "父亲走失，请帮忙寻找",
        "父亲有阿尔茨海默病，今天出门买菜到现在没回来，手机没带。",
        100,
        ALL,
        1,
        "",
        "网格员和志愿者分头寻找，已在公园找到老人并送回家中",
        (1, 4),
    ),
];

/// Requests opened each month from March 2025 (from [`LAUNCH`]) to February 2026, with the
/// full number of residents: more in winter and the rainy summer.
const MONTHS: [((i64, i64), usize); 12] = [
    ((2025, 3), 25),
    ((2025, 4), 40),
    ((2025, 5), 42),
    ((2025, 6), 46),
    ((2025, 7), 52),
    ((2025, 8), 48),
    ((2025, 9), 42),
    ((2025, 10), 44),
    ((2025, 11), 56),
    ((2025, 12), 66),
    ((2026, 1), 74),
    ((2026, 2), 62),
];

/// How requests open through the day: weight per hour from 07:00 to 21:00.
const HOURS: [u32; 15] = [4, 8, 10, 10, 7, 4, 4, 6, 7, 7, 6, 6, 8, 7, 4];

/// Stars 1–5 per thousand ratings: after a first resolve, after a second one (reopened), and
/// after a request that waited too long to be taken.
const STARS: [u32; 5] = [3, 8, 19, 250, 720];
const STARS_AGAIN: [u32; 5] = [20, 40, 120, 380, 440];
const STARS_LATE: [u32; 5] = [10, 30, 90, 350, 520];

/// What a rating of 1–5 stars says (one drawn).
const RATING_WORDS: [&[&str]; 5] = [
    &["问题没有真正解决"],
    &["处理太慢了", "沟通不太顺畅"],
    &["解决了，但跑了好几趟", "一般"],
    &["满意，就是等得稍微久了点", "问题解决了，谢谢", ""],
    &[
        "非常满意，网格员很负责",
        "服务很周到，谢谢！",
        "态度好，办事快",
        "",
        "感谢社区的帮助",
    ],
];

/// Per category: why the requester reopens, and what the owner writes resolving it again.
fn reopen_words(category: &str) -> (&'static str, &'static str) {
    match category {
        "维修" => (
            "修好没两天又坏了，麻烦再来看看",
            "再次上门检修，更换了老化配件，回访确认正常",
        ),
        "邻里纠纷" => (
            "对方没有按约定做，问题依旧",
            "再次组织双方协商并签订书面约定，一周后回访无反复",
        ),
        "环境卫生" => (
            "又堆起来了，还是没人管",
            "已与物业明确每日清运时间，纳入网格日常巡查",
        ),
        _ => (
            "事情还没有办完，请再跟进一下",
            "已再次跟进办结，并电话回访确认",
        ),
    }
}

/// Why a request changes hands.
#[derive(Clone, Copy)]
enum Why {
    /// The worker on duty for another grid took it: to the requester's grid.
    Grid,
    /// The owner hands it to a colleague who knows the matter better.
    Specialist,
    /// The owner goes on leave: to a colleague of the same grid.
    Leave,
    /// A council member hands it on for an owner off sick.
    Sick,
}

fn specialist_reason(category: &str) -> &'static str {
    match category {
        "维修" => "涉及公共部位维修，转交负责物业对接的网格员",
        "政策咨询" => "涉及社保政策，转交负责社保业务的网格员",
        "邻里纠纷" => "需要人民调解，转交持证调解员",
        "医疗" => "转交负责联系社区卫生服务中心的网格员",
        _ => "转交更熟悉情况的同事跟进",
    }
}

/// A poll of the year.
struct PollDef {
    /// For the result's title.
    short: &'static str,
    question: &'static str,
    options: &'static [&'static str],
    /// Per option.
    weights: &'static [u32],
    multi: bool,
    live: bool,
    created: i64,
    closes: i64,
    /// Answers per thousand residents asked.
    turnout: usize,
    /// Only the residents of these buildings are asked (empty: everyone).
    buildings: &'static [u8],
    by_council: bool,
    /// A notice with the result after the close.
    result: bool,
}

const POLLS: [PollDef; 12] = [
    PollDef {
        short: "加装电梯意向调查",
        question: "3号楼、7号楼、12号楼加装电梯意向调查：您家的意见是？",
        options: &[
            "同意加装，愿意按楼层分摊费用",
            "同意加装，但不愿分摊费用",
            "不同意加装",
            "无所谓",
        ],
        weights: &[52, 18, 22, 8],
        multi: false,
        live: false,
        created: at(2025, 4, 7, 10, 0),
        closes: at(2025, 5, 7, 0, 0),
        turnout: 450,
        buildings: &[3, 7, 12],
        by_council: true,
        result: true,
    },
    PollDef {
        short: "周末亲子活动",
        question: "周末亲子活动，您家想参加哪些？（可多选）",
        options: &[
            "亲子手工",
            "户外徒步",
            "电影放映",
            "绘本共读",
            "亲子运动会",
            "科普讲座",
        ],
        weights: &[30, 22, 25, 18, 28, 15],
        multi: true,
        live: true,
        created: at(2025, 5, 6, 9, 0),
        closes: at(2025, 5, 20, 0, 0),
        turnout: 80,
        buildings: &[],
        by_council: false,
        result: false,
    },
    PollDef {
        short: "停车位划线方案",
        question: "小区停车位划线方案，您支持哪一个？",
        options: &[
            "方案A：主路单侧划线，新增40个",
            "方案B：改造北区部分绿地，新增60个",
            "方案C：维持现状，与周边单位错时共享",
        ],
        weights: &[46, 21, 33],
        multi: false,
        live: false,
        created: at(2025, 6, 9, 9, 30),
        closes: at(2025, 7, 1, 0, 0),
        turnout: 110,
        buildings: &[],
        by_council: true,
        result: true,
    },
    PollDef {
        short: "垃圾分类投放时间",
        question: "垃圾分类定时定点投放，哪个时段更方便您？",
        options: &[
            "早7:00–9:00，晚18:00–20:00",
            "早6:30–8:30，晚18:30–20:30",
            "早7:00–9:00，晚19:00–21:00",
        ],
        weights: &[34, 24, 42],
        multi: false,
        live: true,
        created: at(2025, 7, 1, 9, 0),
        closes: at(2025, 7, 16, 0, 0),
        turnout: 100,
        buildings: &[],
        by_council: false,
        result: true,
    },
    PollDef {
        short: "夏季纳凉晚会节目",
        question: "夏季纳凉晚会，您想看哪些节目？（可多选）",
        options: &["合唱", "广场舞", "戏曲", "小品", "魔术", "儿童才艺"],
        weights: &[24, 30, 18, 26, 20, 22],
        multi: true,
        live: false,
        created: at(2025, 7, 21, 10, 0),
        closes: at(2025, 8, 5, 0, 0),
        turnout: 60,
        buildings: &[],
        by_council: false,
        result: false,
    },
    PollDef {
        short: "老年助餐点需求调查",
        question: "社区计划开设老年助餐点，您或家里老人会去吃饭吗？",
        options: &["每天都会去", "每周两三次", "偶尔去", "不需要"],
        weights: &[18, 27, 30, 25],
        multi: false,
        live: false,
        created: at(2025, 8, 11, 9, 0),
        closes: at(2025, 9, 1, 0, 0),
        turnout: 70,
        buildings: &[],
        by_council: true,
        result: false,
    },
    PollDef {
        short: "中秋游园会活动项目",
        question: "中秋游园会，您希望有哪些活动？（可多选）",
        options: &["猜灯谜", "做月饼", "亲子游戏", "文艺表演", "套圈"],
        weights: &[34, 26, 24, 18, 14],
        multi: true,
        live: true,
        created: at(2025, 9, 15, 9, 0),
        closes: at(2025, 9, 29, 0, 0),
        turnout: 70,
        buildings: &[],
        by_council: false,
        result: false,
    },
    PollDef {
        short: "电动车集中充电棚选址",
        question: "电动车集中充电棚建在哪里更合适？",
        options: &["5号楼西侧空地", "12号楼北侧", "地下车库入口旁", "不需要建"],
        weights: &[44, 25, 19, 12],
        multi: false,
        live: false,
        created: at(2025, 10, 13, 10, 0),
        closes: at(2025, 11, 4, 0, 0),
        turnout: 120,
        buildings: &[],
        by_council: true,
        result: true,
    },
    PollDef {
        short: "冬季关爱独居老人服务需求",
        question: "入冬后，独居老人最需要社区提供哪些服务？（可多选）",
        options: &["上门探望", "代购生活用品", "陪同就医", "助浴", "上门理发"],
        weights: &[36, 28, 26, 10, 14],
        multi: true,
        live: false,
        created: at(2025, 11, 10, 9, 30),
        closes: at(2025, 12, 1, 0, 0),
        turnout: 50,
        buildings: &[],
        by_council: false,
        result: false,
    },
    PollDef {
        short: "物业服务满意度调查",
        question: "您对2025年小区物业服务的总体评价是？",
        options: &["很满意", "满意", "一般", "不满意"],
        weights: &[22, 41, 26, 11],
        multi: false,
        live: true,
        created: at(2025, 12, 8, 9, 0),
        closes: at(2026, 1, 1, 0, 0),
        turnout: 120,
        buildings: &[],
        by_council: true,
        result: true,
    },
    PollDef {
        short: "春节联欢会时间",
        question: "社区春节联欢会定在哪一天？",
        options: &[
            "腊月二十三（2月10日）",
            "腊月二十六（2月13日）",
            "正月初八（2月24日）",
            "正月十五（3月3日）",
        ],
        weights: &[20, 38, 17, 25],
        multi: false,
        live: false,
        created: at(2026, 1, 5, 10, 0),
        closes: at(2026, 1, 21, 0, 0),
        turnout: 80,
        buildings: &[],
        by_council: false,
        result: true,
    },
    PollDef {
        short: "快递柜增设位置",
        question: "小区计划增设一组智能快递柜，放在哪里更方便？",
        options: &["东门", "西门", "北门", "中心广场"],
        weights: &[48, 17, 14, 21],
        multi: false,
        live: true,
        created: at(2026, 2, 23, 9, 0),
        closes: at(2026, 3, 16, 0, 0),
        turnout: 60,
        buildings: &[],
        by_council: true,
        result: false,
    },
];

/// Who writes a post: a council member or a worker (by index).
#[derive(Clone, Copy)]
enum By {
    Council(usize),
    Worker(usize),
}

/// A post of the board written as it is: when, who, what (`{winner}`: the option most
/// chosen in the poll [`WINNER_OF`]).
type PostRow = (i64, By, Category, &'static str, &'static str);

/// The poll whose result a post may quote: 春节联欢会时间.
const WINNER_OF: usize = 10;

const POSTS: [PostRow; 17] = [
    (
        LAUNCH,
        By::Council(0),
        Category::Notice,
        "“困难群众直通车”线上求助开通",
        "即日起，居民可在“邻里”中提交求助：助老、维修、医疗、政策咨询、邻里纠纷、环境卫生等。\
         网格员首问负责，紧急求助4小时内办理，一般求助48小时内响应；办结后请为服务打分，\
         7天内未解决可申请重办。",
    ),
    (
        at(2025, 3, 19, 11, 0),
        By::Council(0),
        Category::Policy,
        "《幸福里社区积分管理细则（试行）》公布",
        "细则经全体住户表决通过，3月20日起施行，共22条：清扫楼道、志愿服务、垃圾分类督导、\
         调解邻里纠纷、关爱独居老人等加分，部分事项可自行申报、网格员审核；高空抛物、占用消防通道、\
         楼道乱堆杂物等扣分，可在15天内申诉，期满后在曝光栏公示，整改后撤下。\
         积分超市3月25日开业。全文见“积分”页面。",
    ),
    (
        at(2025, 4, 15, 16, 0),
        By::Worker(2),
        Category::Notice,
        "停水通知：4月17日3–8号楼停水",
        "因市政供水管网改造，4月17日（周四）9:00–17:00，3–8号楼停水，请提前储水。\
         如遇特殊困难，请通过“困难群众直通车”联系网格员。",
    ),
    (
        at(2025, 5, 20, 10, 0),
        By::Worker(0),
        Category::Notice,
        "汛期安全提示",
        "进入汛期，请勿在地下车库长时间停放车辆，及时清理阳台杂物、关好门窗；\
         暴雨时远离低洼地带和电线杆。社区防汛值班电话24小时畅通。",
    ),
    (
        at(2025, 6, 16, 15, 0),
        By::Council(4),
        Category::Policy,
        "《生活垃圾管理条例》要点与本小区定时定点投放安排",
        "按条例，生活垃圾分为可回收物、有害垃圾、厨余垃圾和其他垃圾四类，厨余垃圾须破袋投放。\
         本小区7月起试行定时定点投放，撤除楼道垃圾桶，投放时段由居民调查确定；\
         混投、乱扔经劝导不改的，按积分细则扣分。",
    ),
    (
        at(2025, 7, 9, 17, 0),
        By::Worker(1),
        Category::Notice,
        "停电通知：7月11日供电线路检修",
        "供电公司对小区配电室进行检修，7月11日（周五）8:30–14:30，1–10号楼停电，电梯暂停运行。\
         行动不便的居民请提前安排，需要帮助的请联系网格员。",
    ),
    (
        at(2025, 7, 28, 7, 30),
        By::Worker(4),
        Category::Notice,
        "暴雨橙色预警：地下车库车辆请尽快移出",
        "气象台发布暴雨橙色预警，预计今天下午到夜间有大暴雨。请将地下车库车辆移到地面，\
         不要在低洼处停留；防汛沙袋已放在各单元门口。",
    ),
    (
        at(2025, 8, 20, 10, 0),
        By::Council(2),
        Category::Policy,
        "志愿服务积分说明",
        "参加社区志愿服务每小时计10分，每月最多80分，由网格员根据签到签退确认时长后计入；\
         排练等不计积分的活动会在活动说明中写明。志愿者招募正在进行，欢迎在“志愿”页面填写资料。",
    ),
    (
        at(2025, 9, 26, 16, 0),
        By::Worker(6),
        Category::Notice,
        "国庆、中秋假期值班安排",
        "10月1日至8日，网格站每天9:00–17:00有人值班，紧急求助24小时有人处理。\
         出行前请关好门窗、断开电源，电动车不要在楼道充电。",
    ),
    (
        at(2025, 10, 9, 10, 0),
        By::Worker(3),
        Category::Notice,
        "60岁以上老人免费接种流感疫苗",
        "10月13日起每周二、四上午，60岁以上老人可在社区卫生服务中心免费接种流感疫苗，\
         请携带身份证和医保卡。行动不便需要陪同的，可通过“困难群众直通车”预约。",
    ),
    (
        at(2025, 11, 5, 10, 0),
        By::Worker(8),
        Category::Notice,
        "冬季消防安全提示",
        "冬季用火用电增多：不要在楼道和室内给电动车充电，不要私拉电线，离家和睡前关闭取暖器；\
         楼道堆物请在11月15日前清理。",
    ),
    (
        at(2025, 11, 14, 15, 0),
        By::Worker(5),
        Category::Notice,
        "供暖季报修说明",
        "11月15日起正式供暖。暖气不热请先检查阀门是否全开、放气阀是否排过气；仍不热的，\
         可通过“困难群众直通车”报修，网格员会联系供热公司上门。",
    ),
    (
        at(2025, 12, 15, 18, 0),
        By::Worker(7),
        Category::Notice,
        "降雪天气出行提示",
        "预计明天有中到大雪，路面结冰。老人尽量减少外出，车辆减速慢行；\
         物业和志愿者将于早上6点开始清扫主路积雪。",
    ),
    (
        at(2025, 12, 22, 10, 0),
        By::Council(2),
        Category::Policy,
        "积分年度结算预告",
        "按积分细则第二十条，2025年6月30日前获得且未兑换的积分将于1月4日清零，\
         请尽快到积分超市兑换。之后获得的积分不受影响。",
    ),
    (
        at(2026, 1, 26, 10, 0),
        By::Council(5),
        Category::Notice,
        "春节联欢会时间定了",
        "根据居民调查结果，社区春节联欢会定于{winner}晚7点在社区活动室举行，\
         欢迎报名表演节目，报名截至2月5日。",
    ),
    (
        at(2026, 2, 9, 16, 0),
        By::Worker(9),
        Category::Notice,
        "春节期间值班安排与安全提示",
        "2月15日至23日，网格站每天9:00–17:00有人值班，紧急求助24小时有人处理。\
         燃放烟花爆竹请到指定地点，不要在楼道堆放杂物。",
    ),
    (
        at(2026, 2, 24, 10, 0),
        By::Worker(10),
        Category::Notice,
        "元宵节猜灯谜活动预告",
        "3月3日（正月十五）晚6点在中心广场举办猜灯谜活动，猜中有奖，欢迎全家参加。",
    ),
];

/// A funds entry as the ledger records it: date, title, fen, category, and a reason if
/// another council member voids it.
type FundsRow = (
    &'static str,
    &'static str,
    i64,
    &'static str,
    Option<&'static str>,
);

const FUNDS: [FundsRow; 49] = [
    (
        "2025-03-05",
        "学雷锋志愿服务活动物资（手套、垃圾钳、清洁剂）",
        -86_000,
        "活动",
        None,
    ),
    (
        "2025-03-10",
        "街道拨付社区工作经费（2025年第一季度）",
        4_000_000,
        "上级拨款",
        None,
    ),
    (
        "2025-03-21",
        "积分超市首批兑换物资采购",
        -1_268_000,
        "活动",
        None,
    ),
    ("2025-04-03", "清明文明祭扫宣传材料", -32_000, "活动", None),
    (
        "2025-04-10",
        "街道拨付社区工作经费（2025年第二季度）",
        4_000_000,
        "上级拨款",
        None,
    ),
    (
        "2025-04-18",
        "党群服务阵地运行经费（2025年上半年）",
        5_000_000,
        "党群服务经费",
        None,
    ),
    (
        "2025-04-22",
        "5号楼2单元门禁读卡器更换",
        -240_000,
        "维修",
        None,
    ),
    (
        "2025-05-12",
        "党群服务中心空调清洗维修",
        -680_000,
        "维修",
        None,
    ),
    ("2025-05-17", "周末亲子手工活动材料", -158_000, "活动", None),
    (
        "2025-05-28",
        "端午节包粽子活动（糯米、粽叶）",
        -236_000,
        "活动",
        None,
    ),
    ("2025-05-30", "中心广场健身器材维修", -375_000, "维修", None),
    (
        "2025-06-06",
        "防汛物资采购（沙袋、抽水泵、雨衣）",
        -1_280_000,
        "维修",
        None,
    ),
    (
        "2025-06-18",
        "辖区企业捐赠防汛物资款",
        800_000,
        "社会捐赠",
        None,
    ),
    (
        "2025-06-24",
        "雨水井清掏疏通（12处）",
        -360_000,
        "维修",
        None,
    ),
    (
        "2025-07-01",
        "七一走访慰问老党员、困难党员（20人）",
        -600_000,
        "慰问",
        None,
    ),
    (
        "2025-07-10",
        "街道拨付社区工作经费（2025年第三季度）",
        4_000_000,
        "上级拨款",
        None,
    ),
    (
        "2025-07-16",
        "高温慰问环卫工人、保安（防暑降温用品）",
        -480_000,
        "慰问",
        None,
    ),
    (
        "2025-07-26",
        "夏季纳凉晚会（音响租赁、演出服装）",
        -520_000,
        "活动",
        None,
    ),
    (
        "2025-08-05",
        "暑期托管班（场地布置、教具、午点）",
        -1_250_000,
        "活动",
        None,
    ),
    ("2025-08-14", "防汛值守人员慰问", -180_000, "慰问", None),
    (
        "2025-08-27",
        "志愿者反光背心、强光手电",
        -264_000,
        "活动",
        None,
    ),
    (
        "2025-09-04",
        "居民捐款：困难家庭助学金",
        560_000,
        "社会捐赠",
        None,
    ),
    (
        "2025-09-10",
        "困难家庭子女助学金发放（7户）",
        -560_000,
        "慰问",
        None,
    ),
    (
        "2025-09-18",
        "社区微更新：中心广场座椅、宣传栏更换",
        -4_860_000,
        "维修",
        None,
    ),
    ("2025-09-22", "义诊、家电义修耗材", -138_000, "活动", None),
    (
        "2025-10-04",
        "中秋游园会物资（灯谜、月饼材料、奖品）",
        -3_860_000,
        "活动",
        Some("金额多录了一位，按发票¥3,860.00重新录入"),
    ),
    (
        "2025-10-04",
        "中秋游园会物资（灯谜、月饼材料、奖品）",
        -386_000,
        "活动",
        None,
    ),
    (
        "2025-10-10",
        "街道拨付社区工作经费（2025年第四季度）",
        4_000_000,
        "上级拨款",
        None,
    ),
    (
        "2025-10-16",
        "党群服务阵地运行经费（2025年下半年）",
        5_000_000,
        "党群服务经费",
        None,
    ),
    (
        "2025-10-20",
        "爱心商户捐赠重阳敬老活动经费",
        300_000,
        "社会捐赠",
        None,
    ),
    (
        "2025-10-24",
        "老年助餐点开办（桌椅、餐具、保温箱）",
        -3_520_000,
        "活动",
        None,
    ),
    (
        "2025-10-29",
        "重阳节敬老活动（义剪、包饺子、汇演）",
        -452_000,
        "活动",
        None,
    ),
    (
        "2025-10-29",
        "重阳节慰问80岁以上老人（96人）",
        -1_920_000,
        "慰问",
        None,
    ),
    (
        "2025-10-29",
        "重阳节慰问80岁以上老人（96人）",
        -1_920_000,
        "慰问",
        Some("与同日录入的同一笔慰问支出重复，作废"),
    ),
    (
        "2025-11-09",
        "消防宣传日灭火器演示耗材",
        -96_000,
        "活动",
        None,
    ),
    (
        "2025-11-14",
        "楼道消防应急灯更换（40盏）",
        -680_000,
        "维修",
        None,
    ),
    (
        "2025-11-22",
        "绿地补植苗木及防寒草绳",
        -412_000,
        "维修",
        None,
    ),
    (
        "2025-12-05",
        "冬季独居老人关爱包（60份）",
        -900_000,
        "慰问",
        None,
    ),
    (
        "2025-12-12",
        "单元门口防滑垫、融雪剂",
        -236_000,
        "维修",
        None,
    ),
    (
        "2025-12-19",
        "居民捐款：困难家庭冬季取暖",
        1_080_000,
        "社会捐赠",
        None,
    ),
    (
        "2026-01-09",
        "街道拨付社区工作经费（2026年第一季度）",
        4_000_000,
        "上级拨款",
        None,
    ),
    (
        "2026-01-16",
        "辖区商户春节慰问捐款",
        1_200_000,
        "社会捐赠",
        None,
    ),
    (
        "2026-01-20",
        "春节慰问困难群众（45户）",
        -2_250_000,
        "慰问",
        None,
    ),
    (
        "2026-01-23",
        "困难家庭冬季取暖补助（18户）",
        -1_080_000,
        "慰问",
        None,
    ),
    ("2026-01-28", "办公电脑更换（2台）", -798_000, "办公", None),
    (
        "2026-02-06",
        "春联、福字及写春联活动材料",
        -168_000,
        "活动",
        None,
    ),
    (
        "2026-02-10",
        "春节走访慰问独居、高龄老人（60户）",
        -1_800_000,
        "慰问",
        None,
    ),
    (
        "2026-02-12",
        "春节联欢会（场地布置、奖品）",
        -615_000,
        "活动",
        None,
    ),
    ("2026-02-24", "元宵节猜灯谜活动物资", -128_000, "活动", None),
];

/// Income categories, then spending ones, in the order disclosures list them.
const INCOME: [&str; 3] = ["上级拨款", "党群服务经费", "社会捐赠"];
const SPENDING: [&str; 4] = ["活动", "维修", "办公", "慰问"];

/// Quarterly disclosures: when, the months covered (`y × 12 + m − 1`, from and to), and
/// what they are called.
const DISCLOSURES: [(i64, (i64, i64), &str); 4] = [
    (
        at(2025, 4, 8, 10, 0),
        (2025 * 12 + 2, 2025 * 12 + 2),
        "2025年3月",
    ),
    (
        at(2025, 7, 8, 10, 0),
        (2025 * 12 + 3, 2025 * 12 + 5),
        "2025年第二季度",
    ),
    (
        at(2025, 10, 11, 10, 0),
        (2025 * 12 + 6, 2025 * 12 + 8),
        "2025年第三季度",
    ),
    (
        at(2026, 1, 10, 10, 0),
        (2025 * 12 + 9, 2025 * 12 + 11),
        "2025年第四季度",
    ),
];

fn text(s: &str) -> Arc<str> {
    Arc::from(s)
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

/// A moment in `[from, from + span)`.
fn within(rng: &mut Rng, from: i64, span: i64) -> i64 {
    from + rng.below(span.max(1) as usize) as i64
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

/// `ts` moved into a worker's day (08:30–20:00 in UTC+8): as it is, or the next morning
/// (in the first hour and a half of it).
fn work_time(ts: i64) -> i64 {
    let of_day = (ts + 8 * HOUR).rem_euclid(DAY);
    let opens = 8 * HOUR + 30 * MINUTE;
    let jitter = of_day % (90 * MINUTE);
    if of_day < opens {
        ts - of_day + opens + jitter
    } else if of_day >= 20 * HOUR {
        ts - of_day + DAY + opens + jitter
    } else {
        ts
    }
}

/// `fen` as yuan: `¥1,234.50`.
fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "−" } else { "" };
    let fen = fen.abs();
    let whole = (fen / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}¥{grouped}.{:02}", fen % 100)
}

/// The month (`y × 12 + m − 1`) of a `YYYY-MM-DD` date.
fn month_of(date: &str) -> i64 {
    let y: i64 = date.get(0..4).and_then(|s| s.parse().ok()).unwrap_or(0);
    let m: i64 = date.get(5..7).and_then(|s| s.parse().ok()).unwrap_or(1);
    y * 12 + m - 1
}

/// A member the year signs for.
#[derive(Clone, Copy)]
struct Person {
    device: DeviceKey,
    member: MemberId,
}

/// A resident and the building and grid of their household.
struct Resident {
    person: Person,
    building: u8,
    /// 1–4.
    grid: usize,
}

/// A request as planned.
struct Ask {
    need: &'static Need,
    resident: usize,
    urgent: bool,
    /// Nobody takes it before the end of the year.
    untaken: bool,
    /// Taken only after two days or more.
    late: bool,
    id: Option<EventId>,
}

enum Job {
    Open {
        ask: usize,
    },
    Take {
        ask: usize,
        by: Person,
    },
    Transfer {
        ask: usize,
        why: Why,
    },
    Update {
        ask: usize,
        text: &'static str,
    },
    Resolve {
        ask: usize,
        again: bool,
    },
    Rate {
        ask: usize,
        stars: u8,
    },
    Reopen {
        ask: usize,
    },
    Poll {
        poll: usize,
    },
    Answer {
        poll: usize,
        resident: usize,
        choices: Vec<u32>,
        change: bool,
    },
    /// A row of [`POSTS`].
    Post {
        row: usize,
    },
    /// The result of the ballots closed and passed by then, naming their proposals.
    Ballots,
    /// A poll's result, as a notice.
    PollResult {
        poll: usize,
    },
    /// A row of [`DISCLOSURES`].
    Disclose {
        row: usize,
    },
    /// An entry of the funds ledger (an index of [`Year::funds`]).
    Funds {
        entry: usize,
    },
    /// `by`: a council member other than the entry's author.
    Void {
        entry: usize,
        by: usize,
        reason: &'static str,
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

/// A funds entry to make: the row, its amount, and who enters it.
struct Entry {
    date: String,
    title: String,
    fen: i64,
    category: &'static str,
    void: Option<&'static str>,
    by: usize,
    id: Option<EventId>,
}

/// What the year did, for the demo's summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Requests opened.
    pub requests: usize,
    /// Of which urgent.
    pub urgent: usize,
    /// Handed on at least once.
    pub transferred: usize,
    /// Resolved at the end.
    pub resolved: usize,
    /// Reopened at least once.
    pub reopened: usize,
    /// Rated.
    pub rated: usize,
    /// Of which with 4 or 5 stars.
    pub satisfied: usize,
    /// Not resolved at the end of the year.
    pub unresolved: usize,
    /// Of which never taken.
    pub never_taken: usize,
    /// Of which overdue on 1 March 2026.
    pub overdue: usize,
    /// Polls.
    pub polls: usize,
    /// Of which still open at the end of the year.
    pub polls_open: usize,
    /// `poll.answer` events.
    pub answers: usize,
    /// Of which changing an earlier answer.
    pub changed: usize,
    /// Board posts: notices, policies, funds disclosures, results.
    pub posts: [usize; 4],
    /// Funds entries.
    pub entries: usize,
    /// Of which voided.
    pub voided: usize,
    /// Income and spending not voided, fen.
    pub income_fen: i64,
    /// Spending, a positive number.
    pub spending_fen: i64,
    /// Acts the rules refused, so not signed (none, unless the generator has a bug).
    pub refused: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pct = (self.satisfied * 100).checked_div(self.rated).unwrap_or(0);
        write!(
            f,
            "everyday services: {} requests ({} urgent; {} transferred, {} resolved, {} \
             reopened, {} rated, {} % with 4–5 stars; {} not resolved at the end, {} never \
             taken, {} overdue), {} polls ({} still open; {} answers, {} changed), {} board \
             posts (notices {}, policies {}, funds {}, ballot results {}), {} funds entries \
             ({} voided): income {}, spending {}",
            self.requests,
            self.urgent,
            self.transferred,
            self.resolved,
            self.reopened,
            self.rated,
            pct,
            self.unresolved,
            self.never_taken,
            self.overdue,
            self.polls,
            self.polls_open,
            self.answers,
            self.changed,
            self.posts.iter().sum::<usize>(),
            self.posts[0],
            self.posts[1],
            self.posts[2],
            self.posts[3],
            self.entries,
            self.voided,
            yuan(self.income_fen),
            yuan(self.spending_fen),
        )?;
        if self.refused > 0 {
            write!(f, "; {} acts refused by the rules", self.refused)?;
        }
        Ok(())
    }
}

/// The year as it is written.
pub(super) struct Year {
    rng: Rng,
    queue: Queue,
    council: Vec<Person>,
    workers: Vec<Person>,
    residents: Vec<Resident>,
    /// The devices of the staff, by member.
    staff: BTreeMap<MemberId, DeviceKey>,
    asks: Vec<Ask>,
    polls: Vec<Option<EventId>>,
    funds: Vec<Entry>,
    tally: Summary,
}

/// Plans the year and hands it to the builder, which signs it as its clock passes each act.
/// A community of fewer than 20 residents, or without its workers and two council members,
/// gets none.
pub(super) fn plan(
    b: &mut Builder,
    seed: u64,
    council: &[ChainWriter],
    council_ids: &[MemberId],
    members: &[(ChainWriter, Event)],
) {
    if members.len() < WORKERS + 20 || council.len() < 2 {
        return;
    }
    let mut rng = Rng(seed ^ 0x7365_7276_6963_6573);
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
    let residents: Vec<Resident> = members[WORKERS..]
        .iter()
        .map(|m| {
            let person = person(m);
            let building = b
                .state
                .roster
                .member(&person.member)
                .and_then(|x| x.household.get(..2)?.parse::<u8>().ok())
                .unwrap_or(1)
                .clamp(1, 20);
            Resident {
                person,
                building,
                grid: (usize::from(building) - 1) / 5 + 1,
            }
        })
        .collect();
    let staff = council
        .iter()
        .chain(&workers)
        .map(|p| (p.member, p.device))
        .collect();
    let mut y = Year {
        rng: Rng(rng.next()),
        queue: Queue::default(),
        council,
        workers,
        residents,
        staff,
        asks: Vec::new(),
        polls: vec![None; POLLS.len()],
        funds: Vec::new(),
        tally: Summary::default(),
    };
    y.plan_requests(&mut rng);
    y.plan_polls(&mut rng);
    y.plan_board();
    y.plan_funds(&mut rng);
    b.services = Some(Box::new(y));
}

/// Signs what is left of the year (after the year of points' last event) and sums it up.
pub(super) fn finish(b: &mut Builder) -> Summary {
    match b.services.take() {
        Some(mut year) => {
            year.run_until(b, i64::MAX);
            year.summary(&b.state)
        }
        None => Summary::default(),
    }
}

impl Year {
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

    fn sign(&mut self, b: &mut Builder, device: DeviceKey, act: Act, ts: i64) -> Option<Event> {
        let e = b.sign_service(device, act, ts);
        if e.is_none() {
            self.tally.refused += 1;
        }
        e
    }

    /// The residents from whom the year has its numbers: the full size, or fewer.
    fn scaled(&self, n: usize) -> usize {
        (n * self.residents.len()).div_ceil(FULL_SIZE)
    }

    /// The requests: how many each month, what, from whom, when.
    fn plan_requests(&mut self, rng: &mut Rng) {
        // Some residents ask often (older people living alone, mostly).
        let mut frequent: Vec<usize> = (0..self.residents.len())
            .filter(|_| rng.below(100) < 12)
            .collect();
        if frequent.is_empty() {
            frequent.push(0);
        }
        for ((y, m), n) in MONTHS {
            let first = at(y, m, 1, 0, 0).max(LAUNCH + HOUR);
            let next = if m == 12 {
                at(y + 1, 1, 1, 0, 0)
            } else {
                at(y, m + 1, 1, 0, 0)
            };
            let bit = 1u16 << (m - 1);
            let needs: Vec<&'static Need> = NEEDS.iter().filter(|x| x.months & bit != 0).collect();
            let weights: Vec<u32> = needs.iter().map(|x| x.weight).collect();
            let days = (next - first).div_euclid(DAY).max(1);
            for _ in 0..self.scaled(n) {
                let need = needs[pick(rng, &weights)];
                let day = first - (first + 8 * HOUR).rem_euclid(DAY)
                    + rng.below(days as usize) as i64 * DAY;
                let hour = 7 + pick(rng, &HOURS) as i64;
                let opens = (day + hour * HOUR + rng.below(HOUR as usize) as i64).max(first);
                let urgent = rng.below(100) < need.urgent as usize;
                let resident = if rng.below(100) < 45 {
                    frequent[rng.below(frequent.len())]
                } else {
                    rng.below(self.residents.len())
                };
                // The last days of the year: some nobody has taken yet at the end.
                let untaken = !urgent && opens >= at(2026, 2, 18, 0, 0) && rng.below(100) < 25;
                let late = !urgent && !untaken && rng.below(100) < 4;
                let ask = self.asks.len();
                self.asks.push(Ask {
                    need,
                    resident,
                    urgent,
                    untaken,
                    late,
                    id: None,
                });
                self.queue.at(opens, Job::Open { ask });
            }
        }
    }

    /// The polls, and who answers them when (some twice).
    fn plan_polls(&mut self, rng: &mut Rng) {
        for (poll, def) in POLLS.iter().enumerate() {
            self.queue.at(def.created, Job::Poll { poll });
            let closes = def.closes.min(LIMIT);
            let span = closes - def.created - 2 * HOUR;
            for resident in 0..self.residents.len() {
                let r = &self.residents[resident];
                if !def.buildings.is_empty() && !def.buildings.contains(&r.building) {
                    continue;
                }
                if rng.below(1000) >= def.turnout {
                    continue;
                }
                // Most answer in the first days.
                let u = rng.below(1000) as i64;
                let t = day_time(def.created + 10 * MINUTE + span * u / 1000 * u / 1000);
                let t = if t >= closes - 30 * MINUTE {
                    closes - 30 * MINUTE - rng.below((3 * HOUR) as usize) as i64
                } else {
                    t
                };
                let choices = choose(rng, def);
                if rng.below(100) < 6 {
                    let later =
                        t + HOUR + rng.below((closes - t - 2 * HOUR).max(1) as usize) as i64;
                    let again = choose(rng, def);
                    if later < closes - 30 * MINUTE && again != choices {
                        self.queue.at(
                            day_time(later).min(closes - 30 * MINUTE),
                            Job::Answer {
                                poll,
                                resident,
                                choices: again,
                                change: true,
                            },
                        );
                    }
                }
                self.queue.at(
                    t,
                    Job::Answer {
                        poll,
                        resident,
                        choices,
                        change: false,
                    },
                );
            }
            if def.result {
                let t =
                    work_time(def.closes + DAY + 10 * HOUR + rng.below((6 * HOUR) as usize) as i64);
                self.queue.at(t, Job::PollResult { poll });
            }
        }
    }

    /// The board: the fixed posts, the ballot's result, the quarterly disclosures.
    fn plan_board(&mut self) {
        for (row, post) in POSTS.iter().enumerate() {
            self.queue.at(post.0, Job::Post { row });
        }
        // The points rules' ballot closes on 17 March (`points.rs`).
        self.queue.at(at(2025, 3, 17, 15, 0), Job::Ballots);
        for (row, d) in DISCLOSURES.iter().enumerate() {
            self.queue.at(d.0, Job::Disclose { row });
        }
    }

    /// The funds ledger: [`FUNDS`], the monthly utilities and office supplies, entered a few
    /// days after their date, mostly by the council's treasurer. An entry entered twice is
    /// entered the second time a few hours after the first; an entry corrected is entered
    /// again once the wrong one is voided.
    fn plan_funds(&mut self, rng: &mut Rng) {
        let mut rows: Vec<(String, String, i64, &'static str, Option<&'static str>)> = FUNDS
            .iter()
            .map(|&(d, t, f, c, v)| (d.to_owned(), t.to_owned(), f, c, v))
            .collect();
        for ((y, m), _) in MONTHS {
            rows.push((
                format!("{y}-{m:02}-08"),
                "办公用品及打印耗材".to_owned(),
                -(40_000 + rng.below(110_000) as i64),
                "办公",
                None,
            ));
            rows.push((
                format!("{y}-{m:02}-25"),
                format!("党群服务中心{m}月水电费"),
                -(110_000 + rng.below(150_000) as i64),
                "办公",
                None,
            ));
        }
        // By date; rows of one date keep their order.
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        let treasurer = 3 % self.council.len();
        let mut last = 0;
        for (date, title, fen, category, void) in rows {
            let same = self
                .funds
                .last()
                .is_some_and(|e| e.date == date && e.title == title);
            let corrects = same && self.funds.last().is_some_and(|e| e.void.is_some());
            let by = if rng.below(100) < 70 {
                treasurer
            } else {
                rng.below(self.council.len())
            };
            let entry = self.funds.len();
            let ts = if same {
                last + 2 * HOUR + rng.below((3 * HOUR) as usize) as i64
            } else {
                let (y, m, d) = (
                    date[0..4].parse().unwrap_or(2025),
                    date[5..7].parse().unwrap_or(1),
                    date[8..10].parse().unwrap_or(1),
                );
                at(y, m, d, 9, 0)
                    + (1 + rng.below(3) as i64) * DAY
                    + rng.below((8 * HOUR) as usize) as i64
            };
            last = ts;
            self.funds.push(Entry {
                date,
                title,
                fen,
                category,
                void,
                by,
                id: None,
            });
            // A correction is entered by whoever voids the wrong one (see `Job::Void`).
            if !corrects {
                self.queue.at(ts, Job::Funds { entry });
            }
        }
    }

    fn run(&mut self, b: &mut Builder, ts: i64, job: Job) {
        match job {
            Job::Open { ask } => self.open(b, ts, ask),
            Job::Take { ask, by } => self.take(b, ts, ask, by),
            Job::Transfer { ask, why } => self.transfer(b, ts, ask, why),
            Job::Update { ask, text: note } => {
                let Some((owner, request)) = self.owner(b, ask) else {
                    return;
                };
                let act = Act::Update(act::RequestText {
                    request,
                    text: text(note),
                });
                self.sign(b, owner, act, ts);
            }
            Job::Resolve { ask, again } => self.resolve(b, ts, ask, again),
            Job::Rate { ask, stars } => {
                let Some(request) = self.asks[ask].id else {
                    return;
                };
                let words = RATING_WORDS[usize::from(stars) - 1];
                let word = words[self.rng.below(words.len())];
                let who = self.residents[self.asks[ask].resident].person;
                let act = Act::Rate(act::Rate {
                    request,
                    stars,
                    text: text(word),
                });
                self.sign(b, who.device, act, ts);
            }
            Job::Reopen { ask } => {
                let Some(request) = self.asks[ask].id else {
                    return;
                };
                let (reason, _) = reopen_words(self.asks[ask].need.category);
                let who = self.residents[self.asks[ask].resident].person;
                let act = Act::Reopen(act::Reopen {
                    request,
                    reason: text(reason),
                });
                if self.sign(b, who.device, act, ts).is_some() {
                    let note =
                        work_time(ts + 30 * MINUTE + self.rng.below((3 * HOUR) as usize) as i64);
                    self.queue.at(
                        note,
                        Job::Update {
                            ask,
                            text: "已收到重办申请，约好再次上门查看",
                        },
                    );
                    let again = work_time(note + DAY + self.rng.below((2 * DAY) as usize) as i64);
                    self.queue.at(again, Job::Resolve { ask, again: true });
                }
            }
            Job::Poll { poll } => {
                let def = &POLLS[poll];
                let who = self.poster(if def.by_council {
                    By::Council(poll % self.council.len())
                } else {
                    By::Worker(poll % WORKERS)
                });
                let act = Act::Poll(act::CreatePoll {
                    question: text(def.question),
                    options: def.options.iter().map(|o| text(o)).collect(),
                    multi: def.multi,
                    closes: def.closes,
                    live: def.live,
                });
                self.polls[poll] = self.sign(b, who, act, ts).map(|e| e.id);
            }
            Job::Answer {
                poll,
                resident,
                choices,
                change,
            } => {
                let Some(id) = self.polls[poll] else {
                    return;
                };
                let who = self.residents[resident].person;
                let act = Act::Answer(act::Answer { poll: id, choices });
                if self.sign(b, who.device, act, ts).is_some() {
                    self.tally.answers += 1;
                    self.tally.changed += usize::from(change);
                }
            }
            Job::Post { row } => {
                let (_, by, category, title, body) = POSTS[row];
                let who = self.poster(by);
                let winner = self.polls[WINNER_OF]
                    .and_then(|id| b.state.services.poll(&id))
                    .and_then(|p| {
                        let counts = p.counts();
                        let best = (0..counts.len()).max_by_key(|&i| (counts[i], Reverse(i)))?;
                        Some(p.options[best].clone())
                    });
                let body = match winner {
                    Some(w) => body.replace("{winner}", &w),
                    None => body.replace("{winner}", "春节前"),
                };
                let post = act::Post {
                    title: text(title),
                    body: Arc::from(body),
                    category,
                    proposal: None,
                };
                self.post(b, ts, who, post);
            }
            Job::Ballots => self.ballots(b, ts),
            Job::PollResult { poll } => self.poll_result(b, ts, poll),
            Job::Disclose { row } => self.disclose(b, ts, row),
            Job::Funds { entry } => {
                let e = &self.funds[entry];
                let who = self.council[e.by].device;
                let act = Act::Funds(act::FundsEntry {
                    title: text(&e.title),
                    amount_fen: e.fen,
                    date: text(&e.date),
                    category: text(e.category),
                });
                let (void, author) = (e.void, e.by);
                let Some(signed) = self.sign(b, who, act, ts) else {
                    return;
                };
                self.funds[entry].id = Some(signed.id);
                if let Some(reason) = void {
                    // Another council member notices it within a few days.
                    let n = self.council.len();
                    let by = (author + 1 + self.rng.below(n - 1)) % n;
                    let t = work_time(ts + DAY + self.rng.below((4 * DAY) as usize) as i64);
                    self.queue.at(t, Job::Void { entry, by, reason });
                }
            }
            Job::Void { entry, by, reason } => {
                let Some(id) = self.funds[entry].id else {
                    return;
                };
                let act = Act::Void(act::Void {
                    entry: id,
                    reason: text(reason),
                });
                if self.sign(b, self.council[by].device, act, ts).is_none() {
                    return;
                }
                // The wrong amount entered again, correctly, by whoever voided it.
                let next = entry + 1;
                let corrects = self.funds.get(next).is_some_and(|e| {
                    e.id.is_none()
                        && e.date == self.funds[entry].date
                        && e.title == self.funds[entry].title
                });
                if corrects {
                    self.funds[next].by = by;
                    let t = ts + 5 * MINUTE + self.rng.below((40 * MINUTE) as usize) as i64;
                    self.queue.at(t, Job::Funds { entry: next });
                }
            }
        }
    }

    fn poster(&self, by: By) -> DeviceKey {
        match by {
            By::Council(k) => self.council[k % self.council.len()].device,
            By::Worker(w) => self.workers[w % WORKERS].device,
        }
    }

    /// The request's owner's device and the request's id, if it was opened and has one.
    fn owner(&self, b: &Builder, ask: usize) -> Option<(DeviceKey, EventId)> {
        let id = self.asks[ask].id?;
        let owner = b.state.services.request(&id)?.owner?;
        Some((*self.staff.get(&owner)?, id))
    }

    /// A resident asks; who takes it and when.
    fn open(&mut self, b: &mut Builder, ts: i64, ask: usize) {
        let a = &self.asks[ask];
        let who = &self.residents[a.resident];
        let (device, grid) = (who.person.device, who.grid);
        let act = Act::Open(act::OpenRequest {
            title: text(a.need.title),
            body: text(a.need.body),
            category: text(a.need.category),
            urgent: a.urgent,
            grid: Arc::from(format!("第{grid}网格")),
        });
        let Some(e) = self.sign(b, device, act, ts) else {
            return;
        };
        self.asks[ask].id = Some(e.id);
        let a = &self.asks[ask];
        if a.untaken {
            return;
        }
        let (urgent, late, category) = (a.urgent, a.late, a.need.category);
        let r = &mut self.rng;
        let by = match r.below(100) {
            // The worker on duty for another grid (handed on to the grid's own soon after).
            0..=5 => {
                let other = (grid - 1 + 1 + r.below(GRIDS - 1)) % GRIDS;
                self.workers[other + GRIDS * r.below(3)]
            }
            // A council member takes a policy question or a dispute.
            6..=17 if matches!(category, "政策咨询" | "邻里纠纷") => {
                self.council[r.below(self.council.len())]
            }
            6..=7 => self.council[r.below(self.council.len())],
            _ => self.workers[grid - 1 + GRIDS * r.below(3)],
        };
        let t = if urgent {
            if r.below(100) < 80 {
                within(r, e.ts + 8 * MINUTE, 50 * MINUTE)
            } else {
                within(r, e.ts + HOUR, 2 * HOUR)
            }
        } else if late {
            work_time(within(r, e.ts + 50 * HOUR, 30 * HOUR))
        } else {
            work_time(within(r, e.ts + 15 * MINUTE, 5 * HOUR))
        };
        self.queue.at(t, Job::Take { ask, by });
    }

    /// Staff take it: hand-overs, notes and the resolve are planned.
    fn take(&mut self, b: &mut Builder, ts: i64, ask: usize, by: Person) {
        let Some(request) = self.asks[ask].id else {
            return;
        };
        let act = Act::Take(act::RequestRef { request });
        let Some(e) = self.sign(b, by.device, act, ts) else {
            return;
        };
        let a = &self.asks[ask];
        let grid = self.residents[a.resident].grid;
        let own_grid = (0..3).any(|k| self.workers[grid - 1 + GRIDS * k].member == by.member);
        let is_worker = self.workers.iter().any(|w| w.member == by.member);
        let (urgent, need) = (a.urgent, a.need);
        let r = &mut self.rng;
        let took = e.ts;
        let span = if urgent {
            within(r, 30 * MINUTE, 150 * MINUTE)
        } else {
            let (lo, hi) = need.hours;
            within(r, lo * HOUR, (hi - lo) * HOUR)
        };
        let mut resolve = took + span;
        if !urgent {
            resolve = work_time(resolve);
        }
        if is_worker && !own_grid {
            let t = within(r, took + 10 * MINUTE, 30 * MINUTE);
            self.queue.at(
                t,
                Job::Transfer {
                    ask,
                    why: Why::Grid,
                },
            );
            resolve = resolve.max(t + HOUR);
        } else if is_worker && !urgent {
            let why = match r.below(1000) {
                0..=39 => Some(Why::Specialist),
                40..=59 => Some(Why::Leave),
                60..=74 => Some(Why::Sick),
                _ => None,
            };
            if let Some(why) = why {
                let t = work_time(took + (resolve - took) * 3 / 10);
                self.queue.at(t, Job::Transfer { ask, why });
                resolve = resolve.max(work_time(
                    t + 2 * HOUR + r.below((20 * HOUR) as usize) as i64,
                ));
            }
        }
        let long = resolve - took > 8 * HOUR;
        if !need.note.is_empty() && r.below(100) < if long { 60 } else { 15 } {
            let t = took + (resolve - took) * (4 + r.below(3) as i64) / 10;
            let t = if urgent { t } else { work_time(t) };
            if t < resolve {
                self.queue.at(
                    t.max(took + 5 * MINUTE),
                    Job::Update {
                        ask,
                        text: need.note,
                    },
                );
            }
        }
        if resolve - took > 48 * HOUR && r.below(100) < 50 {
            let t = work_time(took + (resolve - took) * 8 / 10);
            if t < resolve {
                self.queue.at(
                    t,
                    Job::Update {
                        ask,
                        text: "已电话回访居民，告知办理进度",
                    },
                );
            }
        }
        self.queue.at(resolve, Job::Resolve { ask, again: false });
    }

    /// The request changes hands.
    fn transfer(&mut self, b: &mut Builder, ts: i64, ask: usize, why: Why) {
        let Some(id) = self.asks[ask].id else {
            return;
        };
        let Some(owner) = b.state.services.request(&id).and_then(|r| r.owner) else {
            return;
        };
        let grid = self.residents[self.asks[ask].resident].grid;
        let category = self.asks[ask].need.category;
        let same_grid: Vec<Person> = (0..3)
            .map(|k| self.workers[grid - 1 + GRIDS * k])
            .filter(|w| w.member != owner)
            .collect();
        let (to, reason, by) = match why {
            Why::Grid => (
                same_grid[self.rng.below(same_grid.len())],
                format!("该户属第{grid}网格，转交本网格网格员跟进"),
                owner,
            ),
            Why::Specialist => {
                let others: Vec<Person> = self
                    .workers
                    .iter()
                    .filter(|w| w.member != owner)
                    .copied()
                    .collect();
                (
                    others[self.rng.below(others.len())],
                    specialist_reason(category).to_owned(),
                    owner,
                )
            }
            Why::Leave => (
                same_grid[self.rng.below(same_grid.len())],
                "本人休假一周，转交同网格同事跟进".to_owned(),
                owner,
            ),
            Why::Sick => (
                same_grid[self.rng.below(same_grid.len())],
                "原负责网格员病假，议事会转交同网格网格员继续办理".to_owned(),
                self.council[self.rng.below(self.council.len())].member,
            ),
        };
        let Some(&device) = self.staff.get(&by) else {
            return;
        };
        let act = Act::Transfer(act::Transfer {
            request: id,
            to: to.member,
            reason: Arc::from(reason),
        });
        self.sign(b, device, act, ts);
    }

    /// The owner resolves it; the requester rates it later, or reopens it (once).
    fn resolve(&mut self, b: &mut Builder, ts: i64, ask: usize, again: bool) {
        let Some((owner, request)) = self.owner(b, ask) else {
            return;
        };
        let a = &self.asks[ask];
        let done = if again {
            reopen_words(a.need.category).1
        } else {
            a.need.done
        };
        let act = Act::Resolve(act::RequestText {
            request,
            text: text(done),
        });
        let Some(e) = self.sign(b, owner, act, ts) else {
            return;
        };
        let a = &self.asks[ask];
        let r = &mut self.rng;
        let reopen = if a.need.category == "维修" { 9 } else { 4 };
        if !again && !a.urgent && r.below(100) < reopen {
            let t = day_time(within(r, e.ts + 12 * HOUR, 5 * DAY));
            self.queue.at(t, Job::Reopen { ask });
            return;
        }
        if r.below(100) < if again { 85 } else { 78 } {
            let weights = if again {
                &STARS_AGAIN
            } else if a.late {
                &STARS_LATE
            } else {
                &STARS
            };
            let stars = pick(r, weights) as u8 + 1;
            let t = day_time(within(r, e.ts + 20 * MINUTE, 2 * DAY));
            self.queue.at(t, Job::Rate { ask, stars });
        }
    }

    /// A post on the board by `who`.
    fn post(&mut self, b: &mut Builder, ts: i64, who: DeviceKey, post: act::Post) {
        self.sign(b, who, Act::Post(post), ts);
    }

    /// The council announces each ballot closed and passed by now that no result names yet.
    fn ballots(&mut self, b: &mut Builder, ts: i64) {
        let announced: BTreeSet<EventId> = b
            .state
            .services
            .posts()
            .filter_map(|p| p.proposal)
            .collect();
        let passed: Vec<(EventId, String, String)> = b
            .state
            .council
            .proposals()
            .into_iter()
            .filter(|p| p.passed() && p.closed_at.is_some_and(|c| c < ts))
            .filter(|p| !announced.contains(&p.id))
            .filter_map(|p| {
                let t = p.tally.as_ref()?;
                let counts: Vec<String> = p
                    .spec
                    .options
                    .iter()
                    .zip(&t.counts)
                    .map(|(o, n)| format!("{o}{n}票"))
                    .collect();
                let title = format!("表决结果：{}", p.spec.title);
                let unit = match p.spec.eligibility {
                    Eligibility::Household => "户",
                    _ => "人",
                };
                let body = format!(
                    "“{}”表决已结束：有表决权的{}{unit}中{}{unit}参与表决，{}，表决通过。",
                    p.spec.title,
                    t.eligible,
                    t.cast,
                    counts.join("、")
                );
                Some((p.id, title.chars().take(act::MAX_TITLE).collect(), body))
            })
            .collect();
        for (id, title, body) in passed {
            let who = self.council[1 % self.council.len()].device;
            let post = act::Post {
                title: Arc::from(title),
                body: Arc::from(body),
                category: Category::Result,
                proposal: Some(id),
            };
            self.post(b, ts, who, post);
        }
    }

    /// A poll's result as a notice, from the counts at its close.
    fn poll_result(&mut self, b: &mut Builder, ts: i64, poll: usize) {
        let def = &POLLS[poll];
        let Some(p) = self.polls[poll].and_then(|id| b.state.services.poll(&id)) else {
            return;
        };
        let n = p.answers.len() as u64;
        let lines: Vec<String> = p
            .options
            .iter()
            .zip(p.counts())
            .map(|(o, c)| {
                format!(
                    "{o}：{c}人（{}%）",
                    (c * 100 + n / 2).checked_div(n).unwrap_or(0)
                )
            })
            .collect();
        let body = format!(
            "“{}”已截止，共{n}人参与{}。{}。感谢大家参与！",
            def.question,
            if def.multi { "（可多选）" } else { "" },
            lines.join("；")
        );
        let who = self.poster(if def.by_council {
            By::Council(poll % self.council.len())
        } else {
            By::Worker(poll % WORKERS)
        });
        let title = format!("调查结果：{}", def.short);
        let post = act::Post {
            title: Arc::from(title),
            body: Arc::from(body),
            category: Category::Notice,
            proposal: None,
        };
        self.post(b, ts, who, post);
    }

    /// A quarter's income and spending, from the ledger as it stands.
    fn disclose(&mut self, b: &mut Builder, ts: i64, row: usize) {
        let (_, (from, to), name) = DISCLOSURES[row];
        let mut by_category: BTreeMap<&str, i64> = BTreeMap::new();
        let mut balance = 0;
        for f in b.state.services.funds().filter(|f| f.voided.is_none()) {
            let m = month_of(&f.date);
            if (from..=to).contains(&m) {
                *by_category.entry(&*f.category).or_default() += f.amount_fen;
            }
            if m <= to {
                balance += f.amount_fen;
            }
        }
        let part = |cats: &[&str], sign: i64| -> (i64, String) {
            let mut total = 0;
            let mut parts = Vec::new();
            for c in cats {
                if let Some(&fen) = by_category.get(c) {
                    total += fen * sign;
                    parts.push(format!("{c}{}", yuan(fen * sign)));
                }
            }
            (total, parts.join("、"))
        };
        let (income, incomes) = part(&INCOME, 1);
        let (spending, spendings) = part(&SPENDING, -1);
        let body = format!(
            "{name}社区经费收支：收入{}（{incomes}），支出{}（{spendings}），收支相抵{}，\
             累计结余{}。每笔收支的日期、用途和录入人见“公开”页面的经费台账，\
             如有疑问请联系议事会。",
            yuan(income),
            yuan(spending),
            yuan(income - spending),
            yuan(balance)
        );
        let who = self.council[3 % self.council.len()].device;
        let title = format!("{name}社区经费收支公开");
        let post = act::Post {
            title: Arc::from(title),
            body: Arc::from(body),
            category: Category::Funds,
            proposal: None,
        };
        self.post(b, ts, who, post);
    }

    /// The summary, from the state at the end of the year.
    fn summary(mut self, state: &State) -> Summary {
        let s = &state.services;
        let t = &mut self.tally;
        for r in s.requests() {
            t.requests += 1;
            t.urgent += usize::from(r.urgent);
            let steps = |f: fn(&Step) -> bool| r.steps.iter().any(f);
            t.transferred += usize::from(steps(|s| matches!(s, Step::Transfer { .. })));
            t.reopened += usize::from(steps(|s| matches!(s, Step::Reopen { .. })));
            if r.status == RequestStatus::Resolved {
                t.resolved += 1;
            } else {
                t.unresolved += 1;
                t.never_taken += usize::from(r.status == RequestStatus::Open);
                t.overdue += usize::from(r.overdue(LIMIT));
            }
            if let Some(rating) = &r.rating {
                t.rated += 1;
                t.satisfied += usize::from(rating.stars >= 4);
            }
        }
        t.polls = s.polls().count();
        t.polls_open = s.polls().filter(|p| p.closes > LIMIT).count();
        for p in s.posts() {
            let k = match p.category {
                Category::Notice => 0,
                Category::Policy => 1,
                Category::Funds => 2,
                Category::Result => 3,
            };
            t.posts[k] += 1;
        }
        t.entries = s.funds().count();
        t.voided = s.funds().filter(|f| f.voided.is_some()).count();
        let funds = report::funds(s);
        t.income_fen = funds.income_fen;
        t.spending_fen = funds.spending_fen;
        self.tally
    }
}

/// An answer to `def`: one option, or one to three for a multi-choice poll.
fn choose(rng: &mut Rng, def: &PollDef) -> Vec<u32> {
    let mut weights = def.weights.to_vec();
    let n = if def.multi {
        [1, 1, 2, 2, 3][rng.below(5)].min(weights.len())
    } else {
        1
    };
    let mut out = Vec::new();
    for _ in 0..n {
        let k = pick(rng, &weights);
        weights[k] = 0;
        out.push(k as u32);
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use linli_domain::points::month_utc8 as month;

    #[test]
    fn the_tables_fit_the_rules() {
        assert_eq!(at(2026, 3, 1, 0, 0), 1_772_294_400_000);
        assert_eq!(month(LAUNCH), 2025 * 12 + 2);
        assert_eq!(month(LIMIT - 1), 2026 * 12 + 1);
        assert_eq!(months(11, 2), 0b1100_0000_0011);
        for n in &NEEDS {
            assert!(n.title.chars().count() <= act::MAX_TITLE, "{}", n.title);
            assert!(n.hours.0 < n.hours.1, "{}", n.title);
            assert!(n.urgent <= 100 && n.weight > 0);
        }
        for p in &POLLS {
            assert!((2..=6).contains(&p.options.len()), "{}", p.question);
            assert_eq!(p.options.len(), p.weights.len(), "{}", p.question);
            assert!(p.created < p.closes && p.created < LIMIT);
            assert!(p.question.chars().count() <= act::MAX_TITLE);
        }
        assert!(POLLS.windows(2).all(|w| w[0].created < w[1].created));
        for (date, title, fen, category, _) in FUNDS {
            assert!(act::is_date(date), "{date}");
            assert!(title.chars().count() <= act::MAX_TITLE);
            let list: &[&str] = if fen > 0 { &INCOME } else { &SPENDING };
            assert!(list.contains(&category), "{title}");
        }
        assert_eq!(yuan(-386_000), "−¥3,860.00");
        assert_eq!(yuan(123_456_789), "¥1,234,567.89");
        assert_eq!(yuan(5), "¥0.05");
    }

    #[test]
    fn workers_keep_office_hours() {
        let morning = at(2025, 5, 6, 6, 0);
        let t = work_time(morning);
        assert!(t >= at(2025, 5, 6, 8, 30) && t < at(2025, 5, 6, 10, 0));
        let night = at(2025, 5, 6, 21, 0);
        let t = work_time(night);
        assert!(t >= at(2025, 5, 7, 8, 30) && t < at(2025, 5, 7, 10, 0));
        let noon = at(2025, 5, 6, 12, 0);
        assert_eq!(work_time(noon), noon);
    }
}
