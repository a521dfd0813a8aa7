//! `linli-hub demo`: a deterministic demo community written as a space folder.
//!
//! - this file: the roster (a week in March 2025), the council's business (March 2026) and
//!   the open invitations;
//! - [`points`]: the year of points in between (March 2025 to February 2026), adopted by a
//!   ballot first;
//! - [`volunteers`]: a season of volunteering (September to November 2025, and two
//!   activities open in March 2026), signed between the year of points' events;
//! - [`services`]: a year of everyday services (March 2025 to February 2026): requests for
//!   help, polls, the public board and the funds ledger, signed between the others' events.

mod points;
mod services;
mod volunteers;

use std::path::PathBuf;

use clap::Args;
use linli_domain::envelope::sha256;
use linli_domain::fold::Forks;
use linli_domain::{ChainWriter, Command, Event, EventId, MemberId, SpaceId, State};
use serde_json::json;

use crate::files::write_space;

/// Generate a demo community (the same bytes for the same flags) under OUT/spaces/{space}/.
#[derive(Debug, Args)]
pub struct Demo {
    /// Base folder; the space is written to OUT/spaces/{space}/.
    #[arg(long, default_value = "data")]
    out: PathBuf,
    /// Seed for every key, secret and choice.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Households (户).
    #[arg(long, default_value_t = 2000)]
    households: u32,
    /// Residents, spread over the households.
    #[arg(long, default_value_t = 5000)]
    residents: u32,
    /// Multiplies the year of points: awards, claims, deductions and visits to the points
    /// store, with their follow-ups (the catalogue, the store's ten items and the ballot that
    /// adopts the rules stay as they are; the stock grows with it). With the default 5,000
    /// residents, 1 (the default) gives about 7,600 entries in 11,000 events of points and
    /// the store (39,157 events in all); 30 gives about 227,000 entries (376,326 events in
    /// all, about 270 MB, 80 s with a debug build), for browser benchmarks. At such scales the
    /// monthly caps clip about one entry in ten to 0 points, as the rules say they should.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    points_scale: u32,
    /// End with a counted checkpoint (检查点) of everything, signed by the admin and a council
    /// member, and publish its snapshot (`linli-hub checkpoint`).
    #[arg(long)]
    checkpoint: bool,
    /// With `--checkpoint`: the council signs a *false* checkpoint instead — its state digest
    /// and snapshot are of a state in which the community's name was changed — and the demo
    /// publishes that snapshot anyway (`linli-hub checkpoint` would not). A new phone joins
    /// from it; its background check then folds the history, finds that it does not agree,
    /// warns and signs nothing more. For testing and training only.
    #[arg(long, requires = "checkpoint")]
    false_checkpoint: bool,
    /// A district (街道) of this many communities on one deployment: community `i` is the
    /// demo with seed `SEED + i` and a name of its own, the rest of the flags the same. With
    /// `--households 500 --residents 1280` each has about 10,500 events, so 100 of them make
    /// about a million (about 700 MB, some 3 minutes on two cores).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=2000))]
    communities: u32,
}

/// Names for a district's communities (社区), taken in turn; past the list they repeat with
/// a number.
const COMMUNITY_NAMES: &[&str] = &[
    "幸福里社区",
    "和平里社区",
    "光明社区",
    "长青社区",
    "东湖社区",
    "南苑社区",
    "西城社区",
    "北辰社区",
    "新华社区",
    "春晖社区",
    "桂花园社区",
    "丽景社区",
    "金桥社区",
    "翠竹社区",
    "文昌社区",
    "安居社区",
    "阳光社区",
    "友谊社区",
    "滨河社区",
    "育才社区",
];

/// The name of a district's community `i` (community 0 is the single demo's 幸福里社区).
fn community_name(i: u32) -> String {
    let base = COMMUNITY_NAMES[i as usize % COMMUNITY_NAMES.len()];
    match i as usize / COMMUNITY_NAMES.len() {
        0 => base.to_string(),
        round => format!("{base}{}", round + 1),
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "桂兰", "建国", "玉兰", "志强", "海燕", "红梅",
];

/// A small deterministic generator (splitmix64): the domain has no randomness, and the demo
/// must be the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn bytes32(&mut self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for chunk in out.chunks_mut(8) {
            chunk.copy_from_slice(&self.next().to_le_bytes());
        }
        out
    }
}

/// The community as it is written: every device's chain, the shared clock, and the state the
/// events fold to so far (each event is signed after every earlier one was seen, so the order
/// of writing is the total order).
struct Builder {
    rng: Rng,
    events: Vec<Event>,
    max_seen: u64,
    ts: i64,
    state: State,
    /// Events the fold rejected (`kind: code`): none, unless the generator has a bug.
    rejected: Vec<String>,
    /// Every device's seed and last event, so that the volunteer season can sign for a device
    /// between two of the year of points' events.
    chains: volunteers::Chains,
    /// The volunteer season's pending acts, signed as the clock passes them.
    season: Option<Box<volunteers::Season>>,
    /// Every device's seed and last event again, for the year of everyday services.
    signers: services::Signers,
    /// The year of everyday services' pending acts, signed as the clock passes them.
    services: Option<Box<services::Year>>,
}

impl Builder {
    fn new(seed: u64, start: i64) -> Builder {
        Builder {
            rng: Rng(seed),
            events: Vec::new(),
            max_seen: 0,
            ts: start,
            state: State::new(SpaceId::default()),
            rejected: Vec::new(),
            chains: volunteers::Chains::default(),
            season: None,
            signers: services::Signers::default(),
            services: None,
        }
    }

    /// A moment after the last event, up to 90 s later.
    fn act(&mut self, who: &mut ChainWriter, kind: &str, payload: serde_json::Value) -> Event {
        let ts = self.ts + 1 + self.rng.below(90_000) as i64;
        let ts = self.pass(ts);
        self.emit(who, kind, &payload, ts)
    }

    /// At `ts`, or just after the last event if that is later (the clock never goes back).
    fn act_at(
        &mut self,
        who: &mut ChainWriter,
        kind: &str,
        payload: serde_json::Value,
        ts: i64,
    ) -> Event {
        let ts = self.pass(ts);
        self.emit(who, kind, &payload, ts)
    }

    /// A points act at `ts` (or just after the last event), signed only if the rules accept
    /// it there — the judgement the fold will make, asked the way the app asks before it
    /// signs. `None`: not signed.
    fn try_points(
        &mut self,
        who: &mut ChainWriter,
        act: linli_domain::points::Act,
        ts: i64,
    ) -> Option<Event> {
        let ts = self.pass(ts);
        let command = Command::Points(act);
        self.state.allows_at(&who.device(), &command, ts).ok()?;
        Some(self.emit(who, command.kind(), &command.payload(), ts))
    }

    fn emit(
        &mut self,
        who: &mut ChainWriter,
        kind: &str,
        payload: &serde_json::Value,
        ts: i64,
    ) -> Event {
        self.ts = ts;
        self.chains.resume(who, self.state.space, &self.events);
        self.signers.resume(who, self.state.space, &self.events);
        let e = who.sign(kind, payload, ts, self.max_seen);
        self.max_seen = self.max_seen.max(e.lamport);
        if e.space.is_none() {
            self.state = State::new(e.id);
        }
        self.state.apply(&e, &Forks::new());
        if let Some(code) = self.state.rejection(&e.id) {
            self.rejected.push(format!("{kind}: {code}"));
        }
        self.chains.signed(e.author, self.events.len());
        self.signers.signed(e.author, self.events.len());
        self.events.push(e.clone());
        e
    }

    fn device(&mut self, space: SpaceId) -> ChainWriter {
        let seed = self.rng.bytes32();
        let writer = ChainWriter::new(&seed, Some(space));
        self.chains.remember(writer.device(), seed);
        self.signers.remember(writer.device(), seed);
        writer
    }

    fn name(&mut self) -> String {
        let s = SURNAMES[self.rng.below(SURNAMES.len())];
        let g = GIVEN[self.rng.below(GIVEN.len())];
        format!("{s}{g}")
    }

    /// `by` invites, a new device joins: returns the new member's device and id.
    fn admit(
        &mut self,
        by: &mut ChainWriter,
        space: SpaceId,
        role: &str,
        household: &str,
    ) -> (ChainWriter, Event) {
        let secret = self.rng.bytes32();
        self.act(
            by,
            "member.invite",
            json!({"invite": sha256(&secret).to_hex(), "role": role, "household": household}),
        );
        let mut device = self.device(space);
        let name = self.name();
        let join = self.act(
            &mut device,
            "member.join",
            json!({"secret": linli_domain::id::encode_hex(&secret), "name": name}),
        );
        (device, join)
    }
}

impl Demo {
    /// Generates and writes the community (or the district's communities).
    pub fn run(self) -> anyhow::Result<()> {
        if self.communities > 1 {
            return self.district();
        }
        let started = std::time::Instant::now();
        let (space, events, invites, (season, services)) = generate_with(
            self.seed,
            self.households,
            self.residents,
            self.points_scale,
            &community_name(0),
            match (self.checkpoint, self.false_checkpoint) {
                (_, true) => Seal::False,
                (true, false) => Seal::True,
                (false, false) => Seal::None,
            },
        )?;
        let dir = write_space(&self.out, space, &events, linli_domain::envelope::MAX_BATCH)?;
        if self.checkpoint {
            let mut folded = linli_domain::Space::new(space);
            folded.insert(events.iter().cloned());
            let storage = crate::storage::Folder::new(&self.out);
            let index = if self.false_checkpoint {
                publish_false(&storage, &folded)?
            } else {
                crate::cmd::publish_snapshots(&storage, &folded)?
            };
            for s in &index.snapshots {
                eprintln!(
                    "linli-hub: checkpoint {} ({} events, {} devices): {}",
                    s.checkpoint, s.events, s.devices, s.path
                );
            }
        }
        self.write_invites(&[(space, invites)])?;
        eprintln!(
            "linli-hub: demo community {space} ({} events, {} households, {} residents) in {} ({:.1}s)",
            events.len(),
            self.households,
            self.residents,
            dir.display(),
            started.elapsed().as_secs_f64()
        );
        eprintln!("linli-hub: {season}");
        eprintln!("linli-hub: {services}");
        println!("{space}");
        Ok(())
    }

    /// Open invitations for whoever tries the demo. Beside the spaces, not in them: the hub
    /// never serves this file (their secrets are the whole point of an invitation).
    fn write_invites(&self, spaces: &[(SpaceId, Vec<DemoInvite>)]) -> anyhow::Result<()> {
        let list: Vec<serde_json::Value> = spaces
            .iter()
            .flat_map(|(space, invites)| {
                invites.iter().map(move |i| {
                    json!({"space": space.to_hex(), "role": i.role, "household": i.household, "secret": i.secret})
                })
            })
            .collect();
        let path = self.out.join("demo-invites.json");
        std::fs::write(&path, serde_json::to_vec_pretty(&list)?)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
    }

    /// `--communities N`: the communities generated on every core, each written as soon as
    /// it is signed (only one community per core is in memory at a time).
    fn district(&self) -> anyhow::Result<()> {
        let started = std::time::Instant::now();
        let next = std::sync::atomic::AtomicU32::new(0);
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(self.communities as usize);
        type Written = (u32, SpaceId, usize, Vec<DemoInvite>);
        let results: Vec<anyhow::Result<Vec<Written>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            if i >= self.communities {
                                return Ok(done);
                            }
                            let (space, events, invites, _) = generate_with(
                                self.seed.wrapping_add(u64::from(i)),
                                self.households,
                                self.residents,
                                self.points_scale,
                                &community_name(i),
                                Seal::None,
                            )?;
                            write_space(
                                &self.out,
                                space,
                                &events,
                                linli_domain::envelope::MAX_BATCH,
                            )?;
                            done.push((i, space, events.len(), invites));
                        }
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(anyhow::anyhow!("a generator panicked")))
                })
                .collect()
        });
        let mut all = Vec::new();
        for r in results {
            all.extend(r?);
        }
        all.sort_by_key(|w| w.0);
        let events: usize = all.iter().map(|w| w.2).sum();
        let invites: Vec<(SpaceId, Vec<DemoInvite>)> =
            all.iter().map(|w| (w.1, w.3.clone())).collect();
        self.write_invites(&invites)?;
        eprintln!(
            "linli-hub: demo district of {} communities ({events} events, {} households and {} residents each) in {} ({:.1}s)",
            all.len(),
            self.households,
            self.residents,
            self.out.join("spaces").display(),
            started.elapsed().as_secs_f64()
        );
        for w in &all {
            println!("{}", w.1);
        }
        Ok(())
    }
}

/// The frontier a closing council device names: the last seq it has seen of every device
/// that voted on the proposal (no other device can change the tally), in parts of at most
/// [`linli_domain::council::MAX_FRONTIER`] entries.
fn frontier_parts(
    events: &[Event],
    proposal: EventId,
) -> Vec<serde_json::Map<String, serde_json::Value>> {
    use linli_domain::council::{Act, MAX_FRONTIER};
    let mut last: std::collections::BTreeMap<String, u64> = Default::default();
    for e in events {
        if let Some(linli_domain::Command::Council(Act::Vote(v))) = e.payload.command() {
            if v.proposal == proposal {
                let s = last.entry(e.author.to_hex()).or_default();
                *s = (*s).max(e.seq);
            }
        }
    }
    let all: Vec<(String, u64)> = last.into_iter().collect();
    all.chunks(MAX_FRONTIER)
        .map(|c| c.iter().map(|(k, v)| (k.clone(), json!(v))).collect())
        .collect()
}

/// The council's year: proposals in every state (征集附议 to 已完成, and one withdrawn), with
/// seconds, comments (one hidden by the council), votes (some changed), tallies, follow-up,
/// and a meeting with check-ins and minutes.
fn council_business(
    b: &mut Builder,
    space: SpaceId,
    admin: &mut ChainWriter,
    council: &mut [ChainWriter],
    members: &mut [(ChainWriter, Event)],
) {
    let _ = space;
    // Seconds come from members 7 apart: fewer than 40 would repeat one, or second their own.
    if members.len() < 40 {
        return;
    }
    struct Plan {
        title: &'static str,
        body: &'static str,
        category: &'static str,
        eligibility: &'static str,
        threshold: &'static str,
        /// 0 collecting, 1 deliberating, 2 voting, 3 decided, 4 implementing, 5 done, 6 withdrawn
        stage: u8,
        /// Share of yes among voters, in percent.
        yes_pct: usize,
    }
    let plans = [
        Plan {
            title: "在小区东门增设智能快递柜",
            body: "快递堆在门卫室，老人取件不便，建议在东门增设两组智能快递柜。",
            category: "便民",
            eligibility: "resident",
            threshold: "simple",
            stage: 0,
            yes_pct: 0,
        },
        Plan {
            title: "垃圾分类投放点调整到2号楼北侧",
            body: "现投放点紧邻1号楼单元门，夏季异味大。建议移到2号楼北侧空地，并加装洗手池。",
            category: "环境",
            eligibility: "household",
            threshold: "simple",
            stage: 1,
            yes_pct: 0,
        },
        Plan {
            title: "电动车集中充电棚加装方案",
            body: "在5号楼西侧建设充电棚，设30个充电口，按次扫码付费，杜绝楼道飞线充电。",
            category: "安全",
            eligibility: "household",
            threshold: "two_thirds",
            stage: 2,
            yes_pct: 72,
        },
        Plan {
            title: "楼道照明改为声控节能灯",
            body: "全部单元楼道灯更换为声控LED灯，费用从公共收益中列支。",
            category: "设施",
            eligibility: "resident",
            threshold: "simple",
            stage: 3,
            yes_pct: 81,
        },
        Plan {
            title: "广场舞活动限制在晚上8点前结束",
            body: "部分居民反映夜间噪音影响休息，提议广场舞在20:00前结束。",
            category: "邻里",
            eligibility: "resident",
            threshold: "simple",
            stage: 3,
            yes_pct: 38,
        },
        Plan {
            title: "修缮3号楼屋顶防水层",
            body: "3号楼顶层多户漏水，建议使用维修基金修缮屋顶防水。",
            category: "设施",
            eligibility: "household",
            threshold: "two_thirds",
            stage: 4,
            yes_pct: 90,
        },
        Plan {
            title: "中心绿地补种桂花树",
            body: "中心绿地有6处空缺，建议补种桂花树并设认养牌。",
            category: "环境",
            eligibility: "resident",
            threshold: "simple",
            stage: 5,
            yes_pct: 77,
        },
        Plan {
            title: "拆除花坛增加地面停车位",
            body: "提议拆除北区花坛改建12个停车位。",
            category: "停车",
            eligibility: "household",
            threshold: "two_thirds",
            stage: 6,
            yes_pct: 0,
        },
    ];
    let comments = [
        "支持，早该办了。",
        "建议先问问一楼住户的意见。",
        "费用怎么分摊？希望公示预算。",
        "施工期间请注意老人出行安全。",
        "同意，但要保证晚上照明。",
    ];
    let n = members.len();
    for (k, plan) in plans.iter().enumerate() {
        let proposer = b.rng.below(n);
        let seconds_needed = 5;
        let p = {
            let (dev, _) = &mut members[proposer];
            let mut dev = std::mem::replace(dev, ChainWriter::new(&[0; 32], None));
            let e = b.act(
                &mut dev,
                "proposal.create",
                json!({"title": plan.title, "body": plan.body, "category": plan.category,
                       "eligibility": plan.eligibility, "quorum_pct": 20, "threshold": plan.threshold,
                       "seconds_needed": seconds_needed, "hide_tally": plan.stage == 2 && k % 2 == 1}),
            );
            members[proposer].0 = dev;
            e
        };
        let pid = p.id.to_hex();
        let seconds = if plan.stage == 0 {
            2
        } else {
            seconds_needed as usize + 1
        };
        for j in 0..seconds {
            let i = (proposer + 1 + j * 7) % n;
            let mut dev = std::mem::replace(&mut members[i].0, ChainWriter::new(&[0; 32], None));
            b.act(&mut dev, "proposal.second", json!({"proposal": pid}));
            members[i].0 = dev;
        }
        for (j, text) in comments.iter().enumerate().take(2 + k % 3) {
            let i = (proposer + 3 + j * 11) % n;
            let mut dev = std::mem::replace(&mut members[i].0, ChainWriter::new(&[0; 32], None));
            let c = b.act(
                &mut dev,
                "proposal.comment",
                json!({"proposal": pid, "text": text}),
            );
            members[i].0 = dev;
            if k == 1 && j == 1 {
                b.act(
                    &mut council[0],
                    "comment.hide",
                    json!({"comment": c.id.to_hex(), "reason": "与议题无关的广告"}),
                );
            }
        }
        if plan.stage == 6 {
            let mut dev =
                std::mem::replace(&mut members[proposer].0, ChainWriter::new(&[0; 32], None));
            b.act(&mut dev, "proposal.withdraw", json!({"proposal": pid}));
            members[proposer].0 = dev;
            continue;
        }
        if plan.stage < 2 {
            continue;
        }
        b.act(
            &mut council[k % council.len()],
            "ballot.open",
            // Voting announced to end a week after it opens (display only).
            json!({"proposal": pid, "ends": b.ts + 7 * 86_400_000}),
        );
        // About a quarter of the residents vote; a few change their minds.
        let voters = n / 4 + b.rng.below(n / 10 + 1);
        for _ in 0..voters {
            let i = b.rng.below(n);
            let choice = if b.rng.below(100) < plan.yes_pct {
                0
            } else {
                1 + b.rng.below(2)
            };
            let mut dev = std::mem::replace(&mut members[i].0, ChainWriter::new(&[0; 32], None));
            b.act(
                &mut dev,
                "vote.cast",
                json!({"proposal": pid, "choice": choice}),
            );
            members[i].0 = dev;
        }
        if plan.stage == 2 {
            continue;
        }
        let closer = &mut council[k % council.len()];
        let mut parts = Vec::new();
        for entries in frontier_parts(&b.events, p.id) {
            let part = b.act(
                closer,
                "ballot.frontier",
                json!({"proposal": pid, "entries": entries}),
            );
            parts.push(part.id.to_hex());
        }
        b.act(
            closer,
            "ballot.close",
            json!({"proposal": pid, "parts": parts}),
        );
        // Follow-up only for a decision that passed (in a small community it may not).
        let passed = b.state.council.proposal(&p.id).is_some_and(|p| p.passed());
        if plan.stage >= 4 && passed {
            b.act(
                &mut council[0],
                "proposal.progress",
                json!({"proposal": pid, "text": "已委托物业询价，三家施工方报价已公示。"}),
            );
            b.act(
                &mut council[1],
                "proposal.progress",
                json!({"proposal": pid, "text": "施工队已进场，预计两周完成。"}),
            );
        }
        if plan.stage == 5 && passed {
            b.act(
                &mut council[0],
                "proposal.progress",
                json!({"proposal": pid, "text": "已完工并验收，费用明细见公示栏。", "done": true}),
            );
        }
    }
    // A council meeting: scheduled, attended, minuted.
    let code = "7Q4KM2X9";
    let meeting = b.act(
        admin,
        "meeting.schedule",
        json!({"title": "三月居民议事会", "at": b.ts + 86_400_000, "place": "社区党群服务中心二楼",
               "code_hash": linli_domain::council::code_hash(code).to_hex()}),
    );
    for j in 0..30.min(n) {
        let i = (j * 37) % n;
        let mut dev = std::mem::replace(&mut members[i].0, ChainWriter::new(&[0; 32], None));
        b.act(
            &mut dev,
            "meeting.checkin",
            json!({"meeting": meeting.id.to_hex(), "code": code}),
        );
        members[i].0 = dev;
    }
    for c in council.iter_mut().take(5) {
        b.act(
            c,
            "meeting.checkin",
            json!({"meeting": meeting.id.to_hex(), "code": code}),
        );
    }
    b.act(
        admin,
        "meeting.minutes",
        json!({"meeting": meeting.id.to_hex(), "text": "一、通报楼道照明改造已表决通过；二、讨论电动车充电棚方案，表决进行中；三、下次会议讨论停车管理。"}),
    );
}

/// An unused invitation of the demo, for someone trying it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoInvite {
    /// `council` or `resident`.
    pub role: &'static str,
    /// The household it admits to.
    pub household: String,
    /// The secret (hex), which the invitation link carries.
    pub secret: String,
}

/// The demo's events: 7 council members, 12 grid workers, residents spread over households
/// in 20 buildings, a few revoked phones replaced by new ones, some members with two devices;
/// a year of points and, within it, a season of volunteering and a year of everyday services;
/// the council's business; open invitations. [`generate_with`] with `points_scale` 1.
///
/// # Panics
///
/// If the fold rejects one of the generated events (a bug of the generator).
pub fn generate(
    seed: u64,
    households: u32,
    residents: u32,
) -> (SpaceId, Vec<Event>, Vec<DemoInvite>) {
    match generate_with(
        seed,
        households,
        residents,
        1,
        &community_name(0),
        Seal::None,
    ) {
        Ok((space, events, invites, _)) => (space, events, invites),
        Err(e) => panic!("{e}"),
    }
}

/// The community founded on 2025-03-01 (UTC).
const GENESIS_TS: i64 = 1_740_787_200_000;
/// The council's business after the year of points: 2026-03-02 09:00 in UTC+8.
const COUNCIL_TS: i64 = 1_772_413_200_000;

/// What the volunteer season and the year of everyday services did, for the demo's summary.
type Summaries = (volunteers::Summary, services::Summary);

/// How the demo ends: without a checkpoint, with a counted one of everything, or with a
/// counted one whose state is false (`--false-checkpoint`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seal {
    /// No checkpoint.
    None,
    /// A checkpoint of everything, signed by the admin and a council member.
    True,
    /// The same signers, but the state they sign is [`forge`]d.
    False,
}

/// A checkpoint of the same frontier whose state is false: the community's name changed in
/// it, the snapshot made from that state (so the snapshot agrees with the checkpoint and only
/// a fold of the history shows the lie).
fn forge(
    space: &linli_domain::Space,
    prepared: linli_domain::space::Prepared,
) -> anyhow::Result<linli_domain::space::Prepared> {
    let mut snapshot = linli_domain::snapshot::Snapshot::from_bytes(&prepared.bytes)
        .map_err(|e| anyhow::anyhow!("the demo's own snapshot: {e}"))?;
    let name = snapshot.state.name.clone().unwrap_or_default();
    snapshot.state.name = Some(format!("{name}（伪造的检查点）"));
    let bytes = snapshot.to_bytes();
    let sha256 = linli_domain::snapshot::file_sha256(&bytes);
    debug_assert_eq!(snapshot.space, space.id());
    Ok(linli_domain::space::Prepared {
        state: snapshot.state.state_digest(),
        snapshot: linli_domain::checkpoint::SnapshotRef {
            path: format!("snapshots/{}.json", sha256.to_hex()).into(),
            sha256,
        },
        bytes,
        ..prepared
    })
}

/// Publishes the forged snapshot of the space's counted checkpoint (`--false-checkpoint`),
/// which `linli-hub checkpoint` refuses to publish since the events do not make it.
fn publish_false(
    storage: &crate::storage::Folder,
    space: &linli_domain::Space,
) -> anyhow::Result<crate::cmd::SnapshotIndex> {
    let mut snapshots = Vec::new();
    for counted in space.counted_checkpoints() {
        let prepared = space
            .checkpoint_at(&counted.frontier)
            .map_err(|e| anyhow::anyhow!("the demo's checkpoint: {e}"))?;
        let forged = forge(space, prepared)?;
        anyhow::ensure!(
            forged.snapshot.sha256 == counted.checkpoint.snapshot.sha256,
            "the demo's false checkpoint names another snapshot than the one forged again"
        );
        snapshots.push(crate::cmd::checkpoint::publish_one(
            storage,
            space,
            counted,
            &forged.bytes,
        )?);
    }
    crate::cmd::checkpoint::write_index(storage, &space.id(), snapshots)
}

/// [`generate`] with the year of points multiplied by `points_scale` (≥ 1). Fails if the
/// fold rejects one of the generated events (a bug of the generator: the demo shows none).
pub fn generate_with(
    seed: u64,
    households: u32,
    residents: u32,
    points_scale: u32,
    name: &str,
    checkpoint: Seal,
) -> anyhow::Result<(SpaceId, Vec<Event>, Vec<DemoInvite>, Summaries)> {
    let mut b = Builder::new(seed, GENESIS_TS);
    let founder_seed = b.rng.bytes32();
    let mut admin = ChainWriter::new(&founder_seed, None);
    let genesis = b.act(
        &mut admin,
        "space.genesis",
        json!({"name": name, "founder": "王主任", "household": "办公室"}),
    );
    let space = genesis.id;

    let household_code = |i: u32| format!("{:02}-{:04}", i % 20 + 1, i / 20 + 1);
    let mut council = Vec::new();
    let mut council_ids: Vec<MemberId> = Vec::new();
    for i in 0..7 {
        let (device, join) = b.admit(
            &mut admin,
            space,
            "council",
            &household_code(i * 97 % households.max(1)),
        );
        council.push(device);
        council_ids.push(join.id);
    }
    let mut members: Vec<(ChainWriter, Event)> = Vec::new();
    for i in 0..12 {
        let inviter = &mut council[i % 7];
        let admitted = {
            let mut by = std::mem::replace(inviter, ChainWriter::new(&[0; 32], None));
            let r = b.admit(&mut by, space, "worker", "网格站");
            *inviter = by;
            r
        };
        members.push(admitted);
    }
    for r in 0..residents {
        // Every household gets a first resident before any gets a second.
        let household = household_code(r % households.max(1));
        let k = b.rng.below(council.len());
        let mut by = std::mem::replace(&mut council[k], ChainWriter::new(&[0; 32], None));
        let admitted = b.admit(&mut by, space, "resident", &household);
        council[k] = by;
        members.push(admitted);
    }
    // Lost phones: the council revokes the old key and admits a new one for the same member.
    let lost = (residents / 250).max(3) as usize;
    for _ in 0..lost.min(members.len()) {
        let i = b.rng.below(members.len());
        let k = b.rng.below(council.len());
        let old = members[i].0.device();
        let member = members[i].1.id;
        let mut by = std::mem::replace(&mut council[k], ChainWriter::new(&[0; 32], None));
        b.act(
            &mut by,
            "member.device_revoke",
            json!({"device": old.to_hex()}),
        );
        let new_phone = b.device(space);
        b.act(
            &mut by,
            "member.device_add",
            json!({"member": member.to_hex(), "device": new_phone.device().to_hex()}),
        );
        council[k] = by;
        members[i].0 = new_phone;
    }
    // Some residents also use a tablet.
    for _ in 0..(residents / 100) {
        let i = b.rng.below(members.len());
        let member = members[i].1.id;
        let tablet = b.device(space);
        let k = b.rng.below(council.len());
        let mut by = std::mem::replace(&mut council[k], ChainWriter::new(&[0; 32], None));
        b.act(
            &mut by,
            "member.device_add",
            json!({"member": member.to_hex(), "device": tablet.device().to_hex()}),
        );
        council[k] = by;
    }
    // The season and the services' year are planned now and signed while the year of points
    // passes their dates.
    volunteers::plan(&mut b, seed, &council, &council_ids, &members);
    services::plan(&mut b, seed, &council, &council_ids, &members);
    points::year(
        &mut b,
        seed,
        points_scale.max(1),
        &mut points::Cast {
            council: &mut council,
            council_ids: &council_ids,
            members: &mut members,
        },
    );
    let services = services::finish(&mut b);
    let season = volunteers::finish(&mut b);
    b.ts = b.ts.max(COUNCIL_TS);
    council_business(&mut b, space, &mut admin, &mut council, &mut members);

    // Open invitations, unused: two council seats and three residents' for people trying it.
    let mut invites = Vec::new();
    for (n, role) in ["council", "council", "resident", "resident", "resident"]
        .into_iter()
        .enumerate()
    {
        let secret = b.rng.bytes32();
        let household = format!("演示-{}", n + 1);
        b.act(
            &mut admin,
            "member.invite",
            json!({"invite": sha256(&secret).to_hex(), "role": role, "household": household}),
        );
        invites.push(DemoInvite {
            role,
            household,
            secret: linli_domain::id::encode_hex(&secret),
        });
    }
    if checkpoint != Seal::None {
        // The council checkpoints everything: the admin signs the frontier's parts (a demo
        // community has thousands of devices) and the checkpoint, a council member co-signs.
        let mut folded = linli_domain::Space::new(space);
        folded.insert(b.events.iter().cloned());
        let mut prepared = folded
            .next_checkpoint()
            .map_err(|e| anyhow::anyhow!("the demo's checkpoint: {e}"))?;
        if checkpoint == Seal::False {
            prepared = forge(&folded, prepared)?;
        }
        let checkpoint = prepared.sign_parts(|part| {
            let c = Command::Checkpoint(part);
            b.act(&mut admin, c.kind(), c.payload()).id
        });
        let c = Command::Checkpoint(linli_domain::checkpoint::Act::Checkpoint(checkpoint));
        b.act(&mut admin, c.kind(), c.payload());
        b.act(&mut council[0], c.kind(), c.payload());
    }
    if !b.rejected.is_empty() {
        anyhow::bail!(
            "the demo's own fold rejected {} events, e.g. {}",
            b.rejected.len(),
            b.rejected[..b.rejected.len().min(5)].join(", ")
        );
    }
    Ok((space, b.events, invites, (season, services)))
}
