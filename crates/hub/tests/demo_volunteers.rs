//! The demo's season of volunteering (`linli-hub demo` with its default flags): profiles,
//! activities (some cancelled, two still to come), sign-ups with wait lists and a promotion,
//! the matcher's assignments, check-ins, hours that become points and a reversal — folded
//! without a single rejection, the same bytes every time, and the audit saying what the state
//! says.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use linli_domain::fold::Forks;
use linli_domain::points::{Act as Points, EntryStatus, Source};
use linli_domain::volunteers::{report, ActivityStatus, Volunteers};
use linli_domain::{Command as Act, MemberId, Role, State};

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

#[test]
fn the_demo_has_a_season_of_volunteering_that_the_fold_accepts_whole() {
    let dir = tempfile::tempdir().expect("tmp");
    let (space_id, said) = demo(dir.path());
    let again = tempfile::tempdir().expect("tmp");
    let (space_again, _) = demo(again.path());
    assert_eq!(space_again, space_id, "same flags, same community");
    assert!(
        files_of(dir.path()) == files_of(again.path()),
        "same flags, same bytes in every file"
    );
    assert!(said.contains("volunteer season: "), "{said}");

    let space = linli_hub::files::read_space(&dir.path().join("spaces").join(&space_id))
        .expect("read the space");
    assert_eq!(space.rejections(), vec![], "the fold rejects nothing");
    let state = space.state();
    let v = &state.volunteers;
    let role = |m: &MemberId| state.roster.member(m).map(|x| x.role);
    let last_ts = space.events().map(|e| e.ts).max().expect("events");

    // Profiles: about 9 % of the 5,000 residents, residents all; skills of the seven kinds,
    // mostly one or two, some three, 医疗 and 法律 rarer; weekly windows; a grid; a few paused.
    let profiles: Vec<_> = v.profiles().collect();
    assert!(
        (350..=550).contains(&profiles.len()),
        "{} profiles",
        profiles.len()
    );
    assert!(profiles
        .iter()
        .all(|(m, _)| role(m) == Some(Role::Resident)));
    let paused = profiles.iter().filter(|(_, p)| !p.active).count();
    assert!((3..=40).contains(&paused), "{paused} paused");
    let mut by_count = [0usize; 4];
    let mut by_skill: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, p) in &profiles {
        assert!((1..=3).contains(&p.skills.len()));
        by_count[p.skills.len()] += 1;
        for s in &p.skills {
            *by_skill.entry(s).or_default() += 1;
        }
        assert!(!p.availability.is_empty());
        assert!(["第1网格", "第2网格", "第3网格", "第4网格"].contains(&&*p.grid));
    }
    assert!(by_count[1] + by_count[2] > 4 * by_count[3] && by_count[3] > 0);
    assert_eq!(by_skill.len(), 7, "{by_skill:?}");
    for rare in ["医疗", "法律"] {
        for common in ["助老", "环境", "巡逻"] {
            assert!(by_skill[rare] < by_skill[common], "{by_skill:?}");
        }
    }

    // Activities: 55 posted by staff, three cancelled with a reason, a few without points, the
    // others under a rule of the points catalogue that awards points; 1–4 hours, 2–15 slots,
    // for a grid or the whole community.
    let activities: Vec<_> = v.activities().collect();
    assert_eq!(activities.len(), 55);
    let cancelled: Vec<_> = activities
        .iter()
        .filter(|a| a.status == ActivityStatus::Cancelled)
        .collect();
    assert_eq!(cancelled.len(), 3);
    assert!(cancelled.iter().all(|a| !a.cancel_reason.is_empty()));
    let without_rule = activities.iter().filter(|a| a.rule.is_none()).count();
    assert!(
        (2..=6).contains(&without_rule),
        "{without_rule} without a rule"
    );
    for a in &activities {
        assert!(matches!(role(&a.by), Some(Role::Worker | Role::Council)));
        assert!(
            (HOUR..=4 * HOUR).contains(&(a.end - a.start)),
            "{}",
            a.title
        );
        assert!((2..=15).contains(&a.slots), "{}", a.title);
        if let Some(rule) = &a.rule {
            let r = state.points.rule(rule).expect("a rule of the catalogue");
            assert!(r.points > 0);
        }
    }
    assert!(activities.iter().any(|a| a.grid.is_empty()));
    assert!(activities.iter().any(|a| !a.grid.is_empty()));
    assert!(
        activities.iter().any(|a| !a.waiting.is_empty()),
        "a wait list"
    );

    // Two activities still to come at the end of the demo, open: one with free slots, one
    // with a wait list.
    let upcoming: Vec<_> = activities.iter().filter(|a| a.start > last_ts).collect();
    assert_eq!(upcoming.len(), 2);
    assert!(upcoming.iter().all(|a| a.status == ActivityStatus::Open));
    assert!(upcoming
        .iter()
        .any(|a| a.free() > 0 && !a.confirmed.is_empty()));
    assert!(upcoming.iter().any(|a| !a.waiting.is_empty()));

    // Replaying the events in order: sign-ups by the volunteers themselves, withdrawals (one
    // at least moving the first on a wait list up), assignments by workers, check-ins (some
    // ticked by a worker), hours confirmed by workers never for themselves.
    let mut replay = State::new(space.id());
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let mut promoted = 0;
    let mut ticked = 0;
    for e in space.events() {
        let before = match e.payload.command() {
            Some(Act::Volunteers(linli_domain::volunteers::Act::Withdraw(w))) => {
                replay.volunteers.activity(&w.activity).cloned()
            }
            _ => None,
        };
        replay.apply(e, &Forks::new());
        assert_eq!(replay.rejection(&e.id), None, "{}", e.kind);
        if !e.kind.starts_with("activity.") && e.kind != "volunteer.profile" {
            continue;
        }
        *kinds.entry(&e.kind).or_default() += 1;
        let by = replay.roster.actor(&e.author).expect("an active device");
        match e.payload.command() {
            Some(Act::Volunteers(act)) => {
                use linli_domain::volunteers::Act as V;
                match act {
                    V::Profile(_) | V::Signup(_) | V::Withdraw(_) => {
                        assert_eq!(by.role, Role::Resident)
                    }
                    V::Assign(_) | V::Hours(_) => assert_eq!(by.role, Role::Worker),
                    V::Checkin(p) if p.member != by.id => {
                        assert_eq!(by.role, Role::Worker);
                        ticked += 1;
                    }
                    _ => {}
                }
                if let (V::Withdraw(w), Some(before)) = (act, before) {
                    let after = replay.volunteers.activity(&w.activity).expect("activity");
                    if before.is_confirmed(&by.id) && !before.waiting.is_empty() {
                        assert!(after.is_confirmed(&before.waiting[0]));
                        assert_eq!(after.confirmed.len(), before.confirmed.len());
                        promoted += 1;
                    }
                }
            }
            _ => panic!("{} is a volunteer kind", e.kind),
        }
    }
    assert_eq!(&replay.volunteers, v, "replayed in order, the same state");
    assert!(promoted >= 1, "a promotion from a wait list");
    assert!(ticked >= 1, "a check-in ticked by a worker");
    for kind in [
        "volunteer.profile",
        "activity.create",
        "activity.cancel",
        "activity.signup",
        "activity.withdraw",
        "activity.assign",
        "activity.checkin",
        "activity.checkout",
        "activity.hours",
    ] {
        assert!(kinds.get(kind).is_some_and(|&n| n > 0), "{kind}: {kinds:?}");
    }
    assert!(kinds["activity.signup"] >= 250, "{kinds:?}");
    assert!(kinds["activity.hours"] >= 200, "{kinds:?}");
    assert_eq!(kinds["activity.cancel"], 3);

    // Hours: most of those who came, as points entries with source `hours` under the
    // activity's rule; two reversed by the council and confirmed again.
    let hours_entries: Vec<_> = state
        .points
        .entries()
        .filter(|e| e.source == Source::Hours)
        .collect();
    let mut reversed = 0;
    for e in &hours_entries {
        let a = v
            .activity_of_hours(&e.id)
            .expect("the activity of the hours");
        assert_eq!(a.rule, Some(e.rule));
        let r = state.points.rule(&e.rule).expect("rule");
        assert!((0..=r.points * i64::from(e.qty) / 60).contains(&e.amount));
        let att = a.attendance_of(&e.member).expect("attendance");
        let record = att.hours.iter().find(|h| h.id == e.id).expect("record");
        assert_eq!(record.minutes, e.qty);
        assert_ne!(record.by, e.member, "never for themselves");
        if e.status == EntryStatus::Void {
            reversed += 1;
            assert!(record.reversed);
            assert!(att.counted().is_some(), "confirmed again");
            let void_by = space
                .events()
                .find(|x| match x.payload.command() {
                    Some(Act::Points(Points::Reverse(r))) => r.entry == e.id,
                    _ => false,
                })
                .and_then(|x| state.roster.actor(&x.author).ok())
                .expect("the reversal");
            assert_eq!(void_by.role, Role::Council);
        }
    }
    assert_eq!(reversed, 2);
    // Hours for most of the confirmed volunteers of the activities that took place (with or
    // without points).
    let past = || {
        activities
            .iter()
            .filter(|a| a.start < last_ts && a.status == ActivityStatus::Open)
    };
    let places: usize = past().map(|a| a.confirmed.len()).sum();
    let counted: usize = past()
        .map(|a| {
            a.attendance
                .iter()
                .filter(|x| x.counted().is_some())
                .count()
        })
        .sum();
    assert!(
        counted * 100 >= places * 80 && counted < places,
        "hours for most: {counted} of {places}"
    );
    let points: i64 = hours_entries
        .iter()
        .filter(|e| e.status == EntryStatus::Counted)
        .map(|e| e.amount)
        .sum();
    let minutes: u64 = activities.iter().map(|a| a.minutes()).sum();
    assert!(
        minutes >= 400 * 60 && points >= 3000,
        "{minutes} min, {points}"
    );

    // The audit's sections say what the state says.
    let report = audit(dir.path());
    assert_eq!(report["events"]["rejected"], 0);
    assert_eq!(
        report["activities"],
        serde_json::to_value(report::activities(v)).expect("json")
    );
    assert_eq!(
        report["volunteers"],
        serde_json::to_value(report::volunteers(v)).expect("json")
    );
    let rows = report["volunteers"].as_array().expect("volunteers");
    let sum: u64 = rows
        .iter()
        .map(|r| r["minutes"].as_u64().expect("minutes"))
        .sum();
    assert_eq!(sum, minutes);
    let with_hours: BTreeSet<MemberId> = minutes_by_member(v).into_keys().collect();
    assert_eq!(rows.len(), with_hours.len());
    let waiting: usize = report["activities"]
        .as_array()
        .expect("activities")
        .iter()
        .map(|a| a["waitlist"].as_array().map_or(0, Vec::len))
        .sum();
    assert!(waiting > 0);

    eprintln!(
        "{} events; {kinds:?}; {counted} hours counted, {minutes} min, {points} points",
        space.len()
    );
}

const HOUR: i64 = 3_600_000;

fn minutes_by_member(v: &Volunteers) -> BTreeMap<MemberId, u64> {
    let mut out = BTreeMap::new();
    for a in v.activities() {
        for att in &a.attendance {
            if let Some(h) = att.counted() {
                *out.entry(att.member).or_default() += u64::from(h.minutes);
            }
        }
    }
    out
}
