//! The demo's year of everyday services (`linli-hub demo` with its default flags): requests
//! for help taken by the grid's workers, handed on, resolved, rated and reopened, some still
//! open and overdue at the end; polls answered by hundreds (some answers changed); the public
//! board; the funds ledger with two entries voided — folded without a single rejection, the
//! same bytes every time, the audit and the monthly ledger saying what the state says.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use linli_domain::fold::Forks;
use linli_domain::ledger;
use linli_domain::points::month_utc8;
use linli_domain::services::{report, Category, RequestStatus, Step};
use linli_domain::{Command as Act, MemberId, Role, State};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 86_400_000;
/// 2025-03-01 and 2026-03-01, 00:00 in UTC+8.
const YEAR: std::ops::Range<i64> = 1_740_758_400_000..1_772_294_400_000;

/// The demo with its default flags; its space id and what it said on stderr.
fn demo(out: &Path) -> (String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_linli-hub"))
        .arg("demo")
        .arg("--out")
        .arg(out)
        .output()
        .expect("run demo");
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{stderr}");
    let space = String::from_utf8(o.stdout).expect("utf8").trim().to_owned();
    (space, stderr)
}

/// Every file under `dir` (relative path, bytes), in path order.
fn files_of(dir: &Path) -> BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read");
                out.insert(path.strip_prefix(dir).expect("inside").to_path_buf(), bytes);
            }
        }
    }
    out
}

fn audit(out: &Path) -> serde_json::Value {
    let o = Command::new(env!("CARGO_BIN_EXE_linli-hub"))
        .arg("audit")
        .arg(out)
        .arg("--json")
        .output()
        .expect("run audit");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("one JSON object")
}

/// 第N网格 of a household `BB-NNNN` (buildings 1–5 make 第1网格, and so on).
fn grid_of(household: &str) -> String {
    let building: usize = household.get(..2).and_then(|b| b.parse().ok()).unwrap_or(0);
    format!("第{}网格", (building.max(1) - 1) / 5 + 1)
}

#[test]
fn the_demo_has_a_year_of_everyday_services_that_the_fold_accepts_whole() {
    let dir = tempfile::tempdir().expect("tmp");
    let (space_id, said) = demo(dir.path());
    let again = tempfile::tempdir().expect("tmp");
    let (space_again, _) = demo(again.path());
    assert_eq!(space_again, space_id, "same flags, same community");
    assert!(
        files_of(dir.path()) == files_of(again.path()),
        "same flags, same bytes in every file"
    );
    assert!(said.contains("everyday services: "), "{said}");
    assert!(!said.contains("refused"), "every act signed: {said}");

    let space = linli_hub::files::read_space(&dir.path().join("spaces").join(&space_id))
        .expect("read the space");
    assert_eq!(space.rejections(), vec![], "the fold rejects nothing");
    let state = space.state();
    let s = &state.services;
    let member = |m: &MemberId| state.roster.member(m).expect("on the roster");
    let last_ts = space.events().map(|e| e.ts).max().expect("events");

    // Requests: about 600 over the year, from residents, for their own grid, in the seven
    // categories, about one in seven urgent, more in winter than in summer.
    let requests: Vec<_> = s.requests().collect();
    assert!(
        (520..=680).contains(&requests.len()),
        "{} requests",
        requests.len()
    );
    let categories: BTreeSet<&str> = requests.iter().map(|r| &*r.category).collect();
    assert_eq!(
        categories,
        BTreeSet::from([
            "其他",
            "助老",
            "医疗",
            "维修",
            "政策咨询",
            "环境卫生",
            "邻里纠纷"
        ])
    );
    let urgent = requests.iter().filter(|r| r.urgent).count();
    assert!(
        (8..=22).contains(&(urgent * 100 / requests.len())),
        "{urgent} urgent"
    );
    let mut by_month: BTreeMap<i64, usize> = BTreeMap::new();
    for r in &requests {
        assert!(YEAR.contains(&r.ts));
        let m = member(&r.by);
        assert_eq!(m.role, Role::Resident);
        assert_eq!(&*r.grid, grid_of(&m.household), "the requester's grid");
        *by_month.entry(month_utc8(r.ts)).or_default() += 1;
    }
    let months = |ms: &[i64]| -> usize { ms.iter().map(|m| by_month[m]).sum() };
    let (dec, jun) = (2025 * 12 + 11, 2025 * 12 + 5);
    assert!(
        months(&[dec, dec + 1, dec + 2]) > months(&[jun, jun + 1, jun + 2]),
        "{by_month:?}"
    );

    // Taken first by a worker of the requester's grid (首问负责), most of them; urgent ones
    // within three hours, most others within hours; some handed on with a reason, by the
    // owner or a council member; resolved by the owner with notes on the way.
    let mut taken = 0;
    let mut quick = 0;
    let mut transfers = 0;
    let mut by_council = 0;
    let mut notes = 0;
    let mut first_takers: BTreeMap<MemberId, BTreeMap<String, usize>> = BTreeMap::new();
    for r in &requests {
        let Some(Step::Take { by, ts }) = r.steps.first() else {
            assert!(r.steps.is_empty());
            assert_eq!(r.status, RequestStatus::Open);
            continue;
        };
        taken += 1;
        assert!(member(by).role.is_staff());
        if member(by).role == Role::Worker {
            *first_takers
                .entry(*by)
                .or_default()
                .entry(r.grid.to_string())
                .or_default() += 1;
        }
        if r.urgent {
            assert!(ts - r.ts <= 3 * HOUR, "urgent taken within 3 h");
        }
        if ts - r.ts <= 24 * HOUR {
            quick += 1;
        }
        for step in &r.steps {
            match step {
                Step::Transfer {
                    by,
                    from,
                    to,
                    reason,
                    ..
                } => {
                    transfers += 1;
                    assert!(!reason.is_empty());
                    assert_ne!(from, to);
                    assert!(member(to).role.is_staff());
                    if by != from {
                        assert_eq!(member(by).role, Role::Council);
                        by_council += 1;
                    }
                }
                Step::Update { .. } => notes += 1,
                _ => {}
            }
        }
    }
    // Each worker's own grid is where most of their first takes are.
    let mut own = 0;
    for grids in first_takers.values() {
        own += grids.values().max().copied().unwrap_or(0);
    }
    let by_workers: usize = first_takers.values().flat_map(|g| g.values()).sum();
    assert_eq!(first_takers.len(), 12, "every worker takes requests");
    assert!(
        own * 100 >= by_workers * 85,
        "{own} of {by_workers} in their grid"
    );
    assert!(
        by_workers * 100 >= taken * 85,
        "{by_workers} of {taken} by workers"
    );
    assert!(quick * 100 >= taken * 90, "{quick} of {taken} within a day");
    assert!(
        transfers >= 20 && by_council >= 2,
        "{transfers}, {by_council}"
    );
    assert!(notes >= 100, "{notes} progress notes");

    // Resolved, most; rated, most of those, about 95 % with 4 or 5 stars; some reopened
    // within the 7 days and resolved again.
    let resolved = requests
        .iter()
        .filter(|r| r.status == RequestStatus::Resolved)
        .count();
    assert!(resolved * 100 >= requests.len() * 95, "{resolved} resolved");
    let rated: Vec<u8> = requests
        .iter()
        .filter_map(|r| r.rating.as_ref().map(|x| x.stars))
        .collect();
    let satisfied = rated.iter().filter(|&&x| x >= 4).count();
    assert!(rated.len() * 100 >= resolved * 65, "{} rated", rated.len());
    assert!(
        (92..=98).contains(&(satisfied * 100 / rated.len())),
        "{satisfied} of {} satisfied",
        rated.len()
    );
    assert!(rated.iter().any(|&x| x <= 2), "some low ratings");
    let mut reopened = 0;
    for r in &requests {
        let mut resolved_at = None;
        for step in &r.steps {
            match step {
                Step::Resolve { ts, .. } => resolved_at = Some(*ts),
                Step::Reopen { ts, .. } => {
                    reopened += 1;
                    let at = resolved_at.expect("reopened after a resolve");
                    assert!(ts - at <= 7 * DAY);
                }
                _ => {}
            }
        }
    }
    assert!(reopened >= 10, "{reopened} reopened");

    // At the end: a few not resolved, some never taken, overdue (the overdue view).
    let open: Vec<_> = requests
        .iter()
        .filter(|r| r.status != RequestStatus::Resolved)
        .collect();
    let never = open
        .iter()
        .filter(|r| r.status == RequestStatus::Open)
        .count();
    let overdue = open.iter().filter(|r| r.overdue(last_ts)).count();
    assert!(
        (3..=40).contains(&open.len()) && never >= 2 && overdue >= 3,
        "{} open, {never} never taken, {overdue} overdue",
        open.len()
    );

    // Polls: twelve, 2–6 options, some multi-choice, some live, closing through the year
    // (one still open at the end); hundreds of residents answer each; some change their
    // answer before the close.
    let polls: Vec<_> = s.polls().collect();
    assert_eq!(polls.len(), 12);
    assert!(polls.iter().any(|p| p.multi) && polls.iter().any(|p| !p.multi));
    assert!(polls.iter().any(|p| p.live) && polls.iter().any(|p| !p.live));
    assert_eq!(polls.iter().filter(|p| p.closes > last_ts).count(), 1);
    let mut answered = 0;
    for p in &polls {
        assert!((2..=6).contains(&p.options.len()), "{}", p.question);
        assert!(
            p.answers.len() >= 100,
            "{}: {}",
            p.question,
            p.answers.len()
        );
        assert!(p.answers.keys().all(|m| member(m).role == Role::Resident));
        answered += p.answers.len();
    }
    let closes: BTreeSet<i64> = polls.iter().map(|p| month_utc8(p.closes - 1)).collect();
    assert!(closes.len() >= 8, "closing through the year: {closes:?}");

    // The board: every category, the points rules' ballot result naming its proposal after
    // its close.
    let posts: Vec<_> = s.posts().collect();
    for c in [
        Category::Notice,
        Category::Policy,
        Category::Funds,
        Category::Result,
    ] {
        assert!(posts.iter().any(|p| p.category == c), "{c:?}");
    }
    let result = posts
        .iter()
        .find(|p| p.category == Category::Result)
        .expect("a result");
    let proposal = state
        .council
        .proposal(&result.proposal.expect("naming its proposal"))
        .expect("the proposal");
    assert!(proposal.spec.title.contains("积分管理细则") && proposal.passed());
    assert!(proposal.closed_at.is_some_and(|c| c < result.ts));
    assert!(posts
        .iter()
        .all(|p| member(&p.by).role.is_staff() && YEAR.contains(&p.ts)));

    // The funds ledger: entries every month by council members, income and spending in the
    // community's categories; two voided by another council member with a reason.
    let funds: Vec<_> = s.funds().collect();
    assert!(funds.len() >= 60, "{} entries", funds.len());
    let mut months_with: BTreeSet<&str> = BTreeSet::new();
    for f in &funds {
        assert_eq!(member(&f.by).role, Role::Council);
        let cats: &[&str] = if f.amount_fen > 0 {
            &["上级拨款", "党群服务经费", "社会捐赠"]
        } else {
            &["活动", "维修", "办公", "慰问"]
        };
        assert!(cats.contains(&&*f.category), "{}", f.title);
        months_with.insert(&f.date[..7]);
        if let Some(v) = &f.voided {
            assert_ne!(v.by, f.by);
            assert_eq!(member(&v.by).role, Role::Council);
            assert!(!v.reason.is_empty() && v.ts > f.ts);
        }
    }
    assert_eq!(months_with.len(), 12, "{months_with:?}");
    assert_eq!(funds.iter().filter(|f| f.voided.is_some()).count(), 2);

    // Replaying the events in order gives the same services, each act by the right role.
    let mut replay = State::new(space.id());
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for e in space.events() {
        replay.apply(e, &Forks::new());
        assert_eq!(replay.rejection(&e.id), None, "{}", e.kind);
        let Some(Act::Services(act)) = e.payload.command() else {
            continue;
        };
        *kinds.entry(&e.kind).or_default() += 1;
        use linli_domain::services::Act as S;
        let role = replay
            .roster
            .actor(&e.author)
            .expect("an active device")
            .role;
        match act {
            S::Open(_) | S::Rate(_) | S::Reopen(_) | S::Answer(_) => {
                assert_eq!(role, Role::Resident, "{}", e.kind)
            }
            S::Funds(_) | S::Void(_) => assert_eq!(role, Role::Council, "{}", e.kind),
            _ => assert!(role.is_staff(), "{}", e.kind),
        }
    }
    assert_eq!(&replay.services, s, "replayed in order, the same state");
    assert_eq!(kinds.len(), 12, "every kind: {kinds:?}");
    assert!(kinds["poll.answer"] > answered, "some answers changed");

    // The audit's sections say what the state says.
    let report = audit(dir.path());
    assert_eq!(report["events"]["rejected"], 0);
    for (section, value) in [
        ("requests", serde_json::to_value(report::requests(s))),
        ("polls", serde_json::to_value(report::polls(s))),
        ("funds", serde_json::to_value(report::funds(s))),
    ] {
        assert_eq!(report[section], value.expect("json"), "{section}");
    }
    let totals = report::funds(s);
    assert!(totals.income_fen > 0 && totals.spending_fen > 0);

    // The monthly ledger of the busiest month has it all: requests opened and rated, a poll
    // closed, funds entered.
    let (&busiest, _) = by_month
        .iter()
        .max_by_key(|(m, n)| (**n, -**m))
        .expect("a month");
    let l = ledger::month(state, busiest);
    assert!(l.requests_opened > 0 && l.requests_resolved > 0, "{l:?}");
    assert!(l.ratings.0 > 0 && l.ratings.1 > 0, "{l:?}");
    assert!(!l.polls.is_empty() && l.funds.2 > 0, "{l:?}");
    assert!(l.resolve_median_minutes.is_some());

    eprintln!(
        "{} events; {kinds:?}; {} not resolved at the end ({never} never taken, {overdue} \
         overdue); busiest month {}-{:02}: {} opened, {} resolved, ratings {:?}, {} polls, \
         funds {:?}",
        space.len(),
        open.len(),
        busiest / 12,
        busiest % 12 + 1,
        l.requests_opened,
        l.requests_resolved,
        l.ratings,
        l.polls.len(),
        l.funds
    );
}
