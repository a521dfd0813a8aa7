//! A benchmark, run by hand (never by CI, whose browser tests are `--test store --test
//! verify`): the monthly ledger (台账, `linli_domain::ledger::month`) of a 3,000-household
//! community's busiest month, in wasm32 in headless Chromium and natively. The community is
//! the synthetic year of points of `tests/fold_bench.rs` (`crates/domain/benches/synth`: 3,000
//! households, 7,500 members, 315,000 points and store events in 2025), and on top of it, in
//! the month with the most points events, a busy month of everything else: four ballots voted
//! by about a fifth of the residents, two meetings, twelve activities with their hours, 400
//! requests for help taken, resolved and rated, three polls answered by about a third of the
//! residents, 30 funds entries. It folds the log once (the warm start: the app holds the folded
//! state), then times `ledger::month` — one warm-up, then the median and the minimum of 7 runs
//! — and prints the figures and the ledger's shape. It asserts none of the timings.
//!
//! In Chromium, built with the app's profile (`wasm-release`: opt-level "z", fat LTO, one
//! codegen unit):
//!
//! ```sh
//! CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_WEBDRIVER_JSON=tests/webdriver.json \
//! WASM_BINDGEN_TEST_TIMEOUT=900 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!   cargo test --profile wasm-release -p linli --target wasm32-unknown-unknown --test ledger_bench -- --nocapture
//! ```
//!
//! Natively (release), for the ratio:
//!
//! ```sh
//! cargo test --release -p linli --test ledger_bench -- --ignored --nocapture
//! ```

#[path = "../crates/domain/benches/synth/mod.rs"]
mod synth;

use std::collections::{BTreeMap, HashMap};

use linli_domain::envelope::sha256;
use linli_domain::fold::Forks;
use linli_domain::ledger;
use linli_domain::points::month_utc8;
use linli_domain::{DeviceKey, Event, EventId, MemberId, Payload, State};
use serde_json::{json, Value};

/// Timed runs after one warm-up.
const RUNS: usize = 7;
const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// The median and the minimum of some timings.
fn median_min(mut times: Vec<f64>) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[0])
}

/// The synthetic generator's device keys (`Gen::key`): tag 2 are the members' devices.
fn device(i: u32) -> DeviceKey {
    let mut b = [2u8; 9];
    b[1..].copy_from_slice(&u64::from(i).to_le_bytes());
    sha256(&b)
}

/// Appends unsigned events (the fold does not check signatures) to a folded state, each
/// required to apply.
struct Month {
    state: State,
    forks: Forks,
    space: EventId,
    heads: HashMap<DeviceKey, (u64, EventId)>,
    lamport: u64,
    next: u64,
    added: usize,
}

impl Month {
    fn act(&mut self, author: DeviceKey, ts: i64, kind: &str, payload: Value) -> EventId {
        self.next += 1;
        let mut b = [7u8; 9];
        b[1..].copy_from_slice(&self.next.to_le_bytes());
        let id = sha256(&b);
        let (seq, prev) = self.heads.get(&author).copied().unwrap_or_default();
        self.lamport += 1;
        let event = Event {
            id,
            space: Some(self.space),
            author,
            seq: seq + 1,
            prev: (seq > 0).then_some(prev),
            lamport: self.lamport,
            ts,
            kind: kind.to_owned(),
            payload: Payload::parse(kind, &payload.to_string()),
            envelope: String::new(),
        };
        let before = self.state.accepted;
        self.state.apply(&event, &self.forks);
        assert_eq!(
            self.state.accepted,
            before + 1,
            "{kind} rejected: {:?}",
            self.state.rejection(&id)
        );
        self.heads.insert(author, (seq + 1, id));
        self.added += 1;
        id
    }
}

/// The year of points, then a busy month of everything else in its busiest month: the folded
/// state, the month, and how many events there are in all.
fn community(log: &dyn Fn(String), now: &dyn Fn() -> f64) -> (State, i64, usize) {
    let t = now();
    let year = synth::year();
    let mut per_month: BTreeMap<i64, usize> = BTreeMap::new();
    for e in year.points() {
        *per_month.entry(month_utc8(e.ts)).or_default() += 1;
    }
    let (&month, &points_in_month) = per_month
        .iter()
        .max_by_key(|(m, n)| (**n, -**m))
        .expect("a month");
    let mut heads = HashMap::new();
    let mut lamport = 0;
    for e in &year.events {
        heads.insert(e.author, (e.seq, e.id));
        lamport = lamport.max(e.lamport);
    }
    let mut m = Month {
        state: synth::fold(year.space, &year.events),
        forks: Forks::new(),
        space: year.space,
        heads,
        lamport,
        next: 0,
        added: 0,
    };
    let council: Vec<DeviceKey> = (1..=20).map(device).collect();
    let workers: Vec<(DeviceKey, MemberId)> = year.workers.clone();
    let residents: Vec<(DeviceKey, MemberId)> = year.residents.clone();
    let start = ledger::month_start(month) + DAY;
    let mut ts = start;
    let mut tick = |step: i64| {
        ts += step;
        ts
    };

    // Four ballots, each voted by a fifth of the residents, counted through ballot.frontier
    // parts of 150, and closed; two more proposals still collecting seconds.
    for b in 0..6usize {
        let (proposer, _) = residents[b * 101 % residents.len()];
        let p = m.act(
            proposer,
            tick(HOUR),
            "proposal.create",
            json!({"title": format!("提议 {b}"), "eligibility": "resident", "quorum_pct": 10,
                   "threshold": "simple", "seconds_needed": if b < 4 { 0 } else { 5 }}),
        );
        if b >= 4 {
            continue;
        }
        let chair = council[b % council.len()];
        m.act(
            chair,
            tick(MINUTE),
            "ballot.open",
            json!({"proposal": p.to_hex()}),
        );
        let voters: Vec<DeviceKey> = residents
            .iter()
            .skip(b)
            .step_by(5)
            .map(|(d, _)| *d)
            .collect();
        for (i, v) in voters.iter().enumerate() {
            m.act(
                *v,
                tick(20_000),
                "vote.cast",
                json!({"proposal": p.to_hex(), "choice": usize::from(i % 3 == 2)}),
            );
        }
        let mut parts = Vec::new();
        for chunk in voters.chunks(150) {
            let entries: BTreeMap<String, u64> =
                chunk.iter().map(|d| (d.to_hex(), m.heads[d].0)).collect();
            parts.push(
                m.act(
                    chair,
                    tick(1000),
                    "ballot.frontier",
                    json!({"proposal": p.to_hex(), "entries": entries}),
                )
                .to_hex(),
            );
        }
        m.act(
            chair,
            tick(MINUTE),
            "ballot.close",
            json!({"proposal": p.to_hex(), "parts": parts}),
        );
    }

    // Two meetings, forty check-ins each, minutes for one.
    for (k, &chair) in council.iter().enumerate().take(2) {
        let code = format!("{:04}", 1234 + k);
        let mut pre = b"linli-meeting\0".to_vec();
        pre.extend_from_slice(code.as_bytes());
        let at = tick(DAY);
        let meeting = m.act(
            chair,
            at - HOUR,
            "meeting.schedule",
            json!({"title": format!("议事会 {k}"), "at": at, "place": "活动室",
                   "code_hash": sha256(&pre).to_hex()}),
        );
        for (d, _) in residents.iter().skip(k * 40).take(40) {
            m.act(
                *d,
                tick(MINUTE),
                "meeting.checkin",
                json!({"meeting": meeting.to_hex(), "code": code}),
            );
        }
        if k == 0 {
            m.act(
                chair,
                tick(HOUR),
                "meeting.minutes",
                json!({"meeting": meeting.to_hex(), "text": "纪要"}),
            );
        }
    }

    // Twelve activities, fifteen volunteers each, their hours confirmed by a worker.
    for a in 0..12usize {
        let (worker, _) = workers[a % workers.len()];
        let begin = tick(DAY);
        let act = m.act(
            worker,
            begin - 2 * DAY,
            "activity.create",
            json!({"title": format!("活动 {a}"), "body": "", "place": "", "grid": "",
                   "start": begin, "end": begin + 2 * HOUR, "slots": 15, "skills": [], "rule": null,
                   "waitlist": false}),
        );
        let people: Vec<(DeviceKey, MemberId)> = residents
            .iter()
            .skip(1000 + a * 15)
            .take(15)
            .copied()
            .collect();
        for (d, _) in &people {
            m.act(
                *d,
                tick(MINUTE),
                "activity.signup",
                json!({"activity": act.to_hex()}),
            );
        }
        for (_, member) in &people {
            m.act(
                worker,
                tick(MINUTE),
                "activity.hours",
                json!({"activity": act.to_hex(), "member": member.to_hex(), "minutes": 90 + a * 5}),
            );
        }
    }

    // 400 requests: taken by a worker, most resolved within hours, most of those rated.
    for r in 0..400usize {
        let (requester, _) = residents[(r * 37) % residents.len()];
        let opened = start + (r as i64) * (25 * DAY) / 400;
        let req = m.act(
            requester,
            opened,
            "request.open",
            json!({"title": "水管漏水", "body": "", "category": "维修", "urgent": r % 7 == 0,
                   "grid": format!("第{}网格", r % 6 + 1)}),
        );
        let (worker, _) = workers[r % workers.len()];
        m.act(
            worker,
            opened + HOUR,
            "request.take",
            json!({"request": req.to_hex()}),
        );
        if r % 10 == 9 {
            continue;
        }
        m.act(
            worker,
            opened + (3 + (r % 40) as i64) * HOUR,
            "request.resolve",
            json!({"request": req.to_hex(), "text": "修好了"}),
        );
        if r % 4 != 3 {
            m.act(
                requester,
                opened + 2 * DAY,
                "request.rate",
                json!({"request": req.to_hex(), "stars": 3 + r % 3, "text": ""}),
            );
        }
    }

    // Three polls, each answered by a third of the residents, closing within the month.
    for (p, &(worker, _)) in workers.iter().enumerate().take(3) {
        let opened = start + (p as i64) * 5 * DAY;
        let poll = m.act(
            worker,
            opened,
            "poll.create",
            json!({"question": format!("民调 {p}"), "options": ["是", "否", "无所谓"],
                   "multi": false, "closes": opened + 10 * DAY}),
        );
        for (i, (d, _)) in residents.iter().skip(p).step_by(3).enumerate() {
            m.act(
                *d,
                opened + HOUR + (i as i64) * 100,
                "poll.answer",
                json!({"poll": poll.to_hex(), "choices": [i % 3]}),
            );
        }
    }

    // Thirty funds entries by the council.
    let (y, mo) = (month.div_euclid(12), month.rem_euclid(12) + 1);
    for f in 0..30usize {
        let amount: i64 = if f % 3 == 0 { 500_000 } else { -12_345 };
        m.act(
            council[f % 7],
            start + 27 * DAY + (f as i64) * MINUTE,
            "funds.entry",
            json!({"title": format!("账目 {f}"), "amount_fen": amount,
                   "date": format!("{y}-{mo:02}-{:02}", f % 25 + 2), "category": "活动"}),
        );
    }

    let total = year.events.len() + m.added;
    log(format!(
        "generated and folded {} events ({} points and store events of the year, {} of them in \
         {y}-{mo:02}; {} more events of that month) in {:.0} ms",
        total,
        year.points().len(),
        points_in_month,
        m.added,
        now() - t
    ));
    assert_eq!(m.state.rejected_count(), 0);
    (m.state, month, total)
}

/// Builds the community, then times the ledger of its busiest month, printing each figure
/// with `log`; `now` is a clock in ms.
fn run(now: &dyn Fn() -> f64, log: &dyn Fn(String)) {
    let (state, month, _) = community(log, now);
    let t = now();
    let first = ledger::month(&state, month);
    let warm_up = now() - t;
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let t = now();
        let l = ledger::month(&state, month);
        times.push(now() - t);
        assert_eq!(l, first, "the same ledger every time");
    }
    let (median, min) = median_min(times);
    let votes: u32 = first.ballots.iter().map(|b| b.cast).sum();
    let answers: u64 = first.polls.iter().map(|p| p.answered).sum();
    log(format!(
        "the ledger: {} proposals, {} ballots ({} votes counted), {} meetings, {} points awarded \
         / {} deducted in {} entries, {} redemptions, red list {}, black list {}, {} activities \
         with hours, requests {} opened / {} resolved / {} overdue, ratings {:?}, {} polls ({} \
         answers), funds {:?}",
        first.proposals,
        first.ballots.len(),
        votes,
        first.meetings.len(),
        first.awarded,
        first.deducted,
        first.entries,
        first.redemptions,
        first.red_list,
        first.black_list,
        first.activities.len(),
        first.requests_opened,
        first.requests_resolved,
        first.requests_overdue,
        first.ratings,
        first.polls.len(),
        answers,
        first.funds
    ));
    log(format!(
        "ledger::month of {}-{:02}: warm-up {:.1} ms; {RUNS} runs median {:.1} ms, min {:.1} ms",
        month.div_euclid(12),
        month.rem_euclid(12) + 1,
        warm_up,
        median,
        min
    ));
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
#[ignore = "a benchmark, run by hand: cargo test --release -p linli --test ledger_bench -- --ignored --nocapture"]
fn native() {
    let start = std::time::Instant::now();
    run(&|| start.elapsed().as_secs_f64() * 1e3, &|line| {
        println!("native: {line}")
    });
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn wasm() {
        let performance = web_sys::window()
            .and_then(|w| w.performance())
            .expect("performance");
        super::run(&|| performance.now(), &|line| console_log!("wasm: {line}"));
    }
}
