//! The volunteer matcher (`linli_domain::volunteers::matching`): eligibility rule by rule
//! (skills, windows that touch, midnight, the UTC+8 weekday, busy, exclude), the ranking and
//! its reasons, edge cases, determinism under shuffling, and optimality — against brute force
//! on 500 small random instances (with eligibility checked minute by minute by an independent
//! oracle) and against `pathfinding`'s Kuhn–Munkres on larger ones.

use std::collections::BTreeSet;
use std::sync::Arc;

use linli_domain::volunteers::act::{HhMm, Window};
use linli_domain::volunteers::matching::synth::{self, Rng};
use linli_domain::volunteers::matching::{
    assign, covers, eligible, rank, rate, score, total, Assignment, Grid, Opening, Parts,
    Volunteer, BASE, RECENT_MAX, RESTED_CAP_DAYS, RESTED_PER_DAY, SAME_GRID, SIGNED_UP,
};
use linli_domain::{EventId, Hex32, MemberId};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 3_600_000;
const DAY: i64 = 86_400_000;
/// 2025-03-03 00:00 in UTC+8, a Monday (2025-03-02 16:00 UTC, a Sunday).
const MONDAY: i64 = 1_740_931_200_000;

fn id(tag: u8, i: u8) -> Hex32 {
    let mut h = Hex32([0; 32]);
    h.0[0] = tag;
    h.0[1] = i;
    h
}

fn member(i: u8) -> MemberId {
    id(1, i)
}

fn activity(i: u8) -> EventId {
    id(2, i)
}

fn s(x: &str) -> Arc<str> {
    Arc::from(x)
}

fn w(day: u8, from: &str, to: &str) -> Window {
    Window(
        day,
        HhMm::parse(from).expect("time"),
        HhMm::parse(to).expect("time"),
    )
}

/// Free all week, no skills, no history.
fn volunteer(i: u8) -> Volunteer {
    Volunteer {
        member: member(i),
        availability: (1..=7).map(|d| w(d, "00:00", "24:00")).collect(),
        ..Volunteer::default()
    }
}

/// Monday 09:00–11:00 (UTC+8), community-wide, no skills, 1 slot.
fn opening(i: u8) -> Opening {
    Opening {
        activity: activity(i),
        start: MONDAY + 9 * HOUR,
        end: MONDAY + 11 * HOUR,
        free: 1,
        ..Opening::default()
    }
}

// ---------------------------------------------------------------- eligibility

#[test]
fn every_skill_asked_for_is_needed() {
    let mut o = opening(1);
    o.skills = vec![s("医疗"), s("助老")];
    let mut v = volunteer(1);
    v.skills = vec![s("助老")];
    assert!(!eligible(&o, &v));
    v.skills = vec![s("助老"), s("文艺"), s("医疗")];
    assert!(eligible(&o, &v));
    // Skills are compared as text, not as the same allocation.
    v.skills = vec![
        Arc::from(String::from("医疗")),
        Arc::from(String::from("助老")),
    ];
    assert!(eligible(&o, &v));
    // Asking for nothing takes anyone.
    o.skills.clear();
    v.skills.clear();
    assert!(eligible(&o, &v));
}

#[test]
fn the_whole_time_must_be_covered_and_touching_windows_join() {
    let o = opening(1); // Monday 09:00–11:00
    let mut v = volunteer(1);
    v.availability = vec![w(1, "09:00", "10:00")];
    assert!(!eligible(&o, &v), "half the time");
    v.availability = vec![w(1, "10:00", "11:00"), w(1, "09:00", "10:00")];
    assert!(eligible(&o, &v), "two windows that touch, in any order");
    v.availability = vec![w(1, "09:00", "09:59"), w(1, "10:00", "11:00")];
    assert!(!eligible(&o, &v), "a minute's gap");
    v.availability = vec![w(1, "08:00", "10:30"), w(1, "10:00", "12:00")];
    assert!(eligible(&o, &v), "overlapping windows");
    v.availability = vec![w(2, "09:00", "11:00")];
    assert!(!eligible(&o, &v), "the wrong day");
    v.availability = vec![w(1, "09:00", "11:00")];
    assert!(eligible(&o, &v), "exactly");
    // Seconds round outward: 09:00:30–10:59:30 needs 09:00–11:00.
    let mut o2 = o.clone();
    o2.start += 30_000;
    o2.end -= 30_000;
    v.availability = vec![w(1, "09:01", "11:00")];
    assert!(!eligible(&o2, &v));
    v.availability = vec![w(1, "09:00", "10:59")];
    assert!(!eligible(&o2, &v));
    v.availability = vec![w(1, "09:00", "11:00")];
    assert!(eligible(&o2, &v));
}

#[test]
fn crossing_midnight_needs_both_days() {
    // Tuesday 22:00 to Wednesday 02:00.
    let mut o = opening(1);
    o.start = MONDAY + DAY + 22 * HOUR;
    o.end = MONDAY + 2 * DAY + 2 * HOUR;
    let mut v = volunteer(1);
    v.availability = vec![w(2, "20:00", "24:00")];
    assert!(!eligible(&o, &v));
    v.availability = vec![w(3, "00:00", "06:00")];
    assert!(!eligible(&o, &v));
    v.availability = vec![w(2, "20:00", "24:00"), w(3, "00:00", "06:00")];
    assert!(eligible(&o, &v));
    v.availability = vec![w(2, "20:00", "23:59"), w(3, "00:00", "06:00")];
    assert!(!eligible(&o, &v));
    // Sunday night into Monday morning: the week wraps.
    o.start = MONDAY + 6 * DAY + 23 * HOUR;
    o.end = MONDAY + 7 * DAY + HOUR;
    v.availability = vec![w(7, "22:00", "24:00"), w(1, "00:00", "08:00")];
    assert!(eligible(&o, &v));
    v.availability = vec![w(7, "22:00", "24:00")];
    assert!(!eligible(&o, &v));
}

#[test]
fn weekdays_and_times_are_read_in_utc8() {
    // Sunday 2025-03-02 16:00–18:00 UTC is Monday 00:00–02:00 in China.
    let mut o = opening(1);
    o.start = MONDAY;
    o.end = MONDAY + 2 * HOUR;
    let mut v = volunteer(1);
    v.availability = vec![w(7, "16:00", "18:00")];
    assert!(!eligible(&o, &v), "the UTC weekday and time");
    v.availability = vec![w(1, "00:00", "02:00")];
    assert!(eligible(&o, &v));
    // Before the epoch too: 1969-12-29 (a Monday) 10:00–11:00 in UTC+8.
    let monday_1969 = -3 * DAY - 8 * HOUR;
    assert!(covers(
        &[w(1, "10:00", "11:00")],
        monday_1969 + 10 * HOUR,
        monday_1969 + 11 * HOUR
    ));
    assert!(!covers(
        &[w(2, "10:00", "11:00")],
        monday_1969 + 10 * HOUR,
        monday_1969 + 11 * HOUR
    ));
}

#[test]
fn spans_that_never_happen_match_nobody() {
    let v = volunteer(1);
    let mut o = opening(1);
    o.end = o.start;
    assert!(!eligible(&o, &v));
    o.end = o.start - HOUR;
    assert!(!eligible(&o, &v));
    o.end = o.start + 7 * DAY;
    assert!(eligible(&o, &v), "a whole week, for someone free all week");
    o.end += 1;
    assert!(!eligible(&o, &v), "over 7 days");
    // Far out of range: no overflow, no match.
    for (start, end) in [(i64::MIN, i64::MAX), (i64::MAX - 1, i64::MAX)] {
        o.start = start;
        o.end = end;
        assert!(!eligible(&o, &v));
        assert!(rank(&o, std::slice::from_ref(&v), MONDAY).is_empty());
    }
}

#[test]
fn confirmed_activities_block_overlapping_ones_only() {
    let o = opening(1); // 09:00–11:00
    let mut v = volunteer(1);
    v.busy = vec![(MONDAY + 7 * HOUR, MONDAY + 9 * HOUR)];
    assert!(eligible(&o, &v), "ends as it starts");
    v.busy = vec![(MONDAY + 11 * HOUR, MONDAY + 12 * HOUR)];
    assert!(eligible(&o, &v), "starts as it ends");
    v.busy = vec![(MONDAY + 10 * HOUR, MONDAY + 10 * HOUR)];
    assert!(eligible(&o, &v), "an empty interval");
    v.busy = vec![
        (MONDAY, MONDAY + HOUR),
        (MONDAY + 10 * HOUR, MONDAY + 12 * HOUR),
    ];
    assert!(!eligible(&o, &v));
    v.busy = vec![(MONDAY + 9 * HOUR + MINUTE, MONDAY + 9 * HOUR + 2 * MINUTE)];
    assert!(!eligible(&o, &v), "inside");
    v.busy = vec![(MONDAY, MONDAY + DAY)];
    assert!(!eligible(&o, &v), "around");
}

#[test]
fn members_already_confirmed_are_excluded() {
    let mut o = opening(1);
    o.exclude = vec![member(2), member(1)];
    assert!(!eligible(&o, &volunteer(1)));
    assert!(eligible(&o, &volunteer(3)));
    let a = assign(&[o], &[volunteer(1), volunteer(2), volunteer(3)], MONDAY);
    let pairs: Vec<_> = a.pairs().collect();
    assert_eq!(pairs, vec![(activity(1), member(3))]);
}

// ---------------------------------------------------------------- score and rank

#[test]
fn the_score_adds_its_parts() {
    let now = MONDAY;
    let mut o = opening(1);
    o.grid = s("东区");
    let mut v = volunteer(1);
    v.grid = s("东区");
    v.signed_up = vec![activity(1)];
    let r = rate(&o, &v, now).expect("eligible");
    assert_eq!(
        r.reasons.parts,
        Parts {
            base: BASE,
            grid: SAME_GRID,
            signed_up: SIGNED_UP,
            recent: RECENT_MAX,
            rested: RESTED_PER_DAY * RESTED_CAP_DAYS,
        }
    );
    assert_eq!(r.score, 1000 + 200 + 300 + 400 + 120);
    assert_eq!(r.reasons.grid, Grid::Same);
    assert!(r.reasons.signed_up && r.reasons.free);
    assert_eq!(r.reasons.days_since_served, None);

    // 600 minutes this month: half the fairness bonus; served 10.5 days ago: 10 days.
    v.recent_minutes = 600;
    v.last_served = Some(now - 10 * DAY - 12 * HOUR);
    v.grid = s("西区");
    v.signed_up.clear();
    let r = rate(&o, &v, now).expect("eligible");
    assert_eq!(r.reasons.parts.recent, 200);
    assert_eq!(r.reasons.parts.rested, 20);
    assert_eq!(r.reasons.parts.grid, 0);
    assert_eq!(r.reasons.grid, Grid::Other);
    assert_eq!(r.reasons.days_since_served, Some(10));
    assert_eq!(r.score, 1000 + 200 + 20);
    assert_eq!(score(&o, &v, now), Some(r.score));

    // Past the caps; a last service "after" now counts as 0 days.
    v.recent_minutes = 5_000;
    v.last_served = Some(now + DAY);
    let r = rate(&o, &v, now).expect("eligible");
    assert_eq!((r.reasons.parts.recent, r.reasons.parts.rested), (0, 0));
    v.last_served = Some(now - 400 * DAY);
    assert_eq!(score(&o, &v, now), Some(1000 + 120));

    // A community-wide opening: no bonus, no penalty.
    o.grid = s("");
    let r = rate(&o, &v, now).expect("eligible");
    assert_eq!(r.reasons.grid, Grid::Community);
    assert_eq!(r.reasons.parts.grid, 0);

    // Not eligible: no score.
    o.skills = vec![s("法律")];
    assert_eq!(score(&o, &v, now), None);
    assert!(rate(&o, &v, now).is_none());
}

#[test]
fn rank_orders_by_score_then_member_with_reasons() {
    let now = MONDAY;
    let mut o = opening(1);
    o.skills = vec![s("维修")];
    o.grid = s("3");
    let mut vs: Vec<Volunteer> = (0..6)
        .map(|i| {
            let mut v = volunteer(i);
            v.skills = vec![s("维修")];
            v.recent_minutes = 1200;
            v.last_served = Some(now);
            v
        })
        .collect();
    vs[0].skills.clear(); // not eligible
    vs[1].grid = s("3"); // +200
    vs[2].signed_up = vec![activity(1)]; // +300
    vs[3].recent_minutes = 0; // +400
                              // 4 and 5: the base only, ordered by id.
    vs.reverse();
    let r = rank(&o, &vs, now);
    let order: Vec<MemberId> = r.iter().map(|x| x.member).collect();
    assert_eq!(
        order,
        vec![member(3), member(2), member(1), member(4), member(5)]
    );
    let scores: Vec<i64> = r.iter().map(|x| x.score).collect();
    assert_eq!(scores, vec![1400, 1300, 1200, 1000, 1000]);
    assert_eq!(r[0].reasons.skills, vec![s("维修")]);
    assert_eq!(r[0].reasons.recent_minutes, 0);
    assert!(r[1].reasons.signed_up);
    assert_eq!(r[2].reasons.grid, Grid::Same);
    assert_eq!(r[3].reasons.grid, Grid::Other);
    assert_eq!(r[3].reasons.last_served, Some(now));
    assert_eq!(r[3].reasons.days_since_served, Some(0));
    for x in &r {
        assert_eq!(x.score, x.reasons.parts.sum());
    }
}

#[test]
fn fairness_spreads_the_work() {
    // Ten volunteers alike but for their hours this month; three slots go to the three with
    // the fewest, even against the same grid. A sign-up on top of it would win: they asked.
    let now = MONDAY;
    let mut o = opening(1);
    o.free = 3;
    o.grid = s("1");
    let mut vs: Vec<Volunteer> = (0..10)
        .map(|i| {
            let mut v = volunteer(i);
            v.recent_minutes = 1200 - 130 * u32::from(i);
            v.last_served = Some(now - DAY);
            v
        })
        .collect();
    vs[0].grid = s("1");
    let a = assign(std::slice::from_ref(&o), &vs, now);
    let chosen: Vec<MemberId> = a.openings[0].chosen.iter().map(|r| r.member).collect();
    assert_eq!(chosen, vec![member(9), member(8), member(7)]);
    vs[0].signed_up = vec![activity(1)];
    let a = assign(&[o], &vs, now);
    let chosen: Vec<MemberId> = a.openings[0].chosen.iter().map(|r| r.member).collect();
    assert_eq!(chosen, vec![member(0), member(9), member(8)]);
}

// ---------------------------------------------------------------- edge cases

#[test]
fn empty_and_full_batches() {
    let now = MONDAY;
    let vs = vec![volunteer(1), volunteer(2)];
    assert_eq!(
        assign(&[], &vs, now),
        Assignment {
            openings: vec![],
            total: 0
        }
    );
    let a = assign(&[opening(1)], &[], now);
    assert_eq!((a.total, a.filled(), a.openings.len()), (0, 0, 1));
    assert!(rank(&opening(1), &[], now).is_empty());

    // No free slot: nobody, but still listed.
    let mut full = opening(1);
    full.free = 0;
    let a = assign(&[full.clone(), opening(2)], &vs, now);
    assert_eq!(a.openings[0].activity, activity(1));
    assert!(a.openings[0].chosen.is_empty());
    assert_eq!(a.openings[1].chosen.len(), 1);
    // Ranking still lists the candidates of a full opening (a screen may swap people).
    assert_eq!(rank(&full, &vs, now).len(), 2);

    // Nobody eligible.
    let mut o = opening(3);
    o.skills = vec![s("法律")];
    let a = assign(&[o.clone()], &vs, now);
    assert_eq!((a.total, a.filled()), (0, 0));
    assert!(rank(&o, &vs, now).is_empty());

    // More slots than volunteers; every volunteer once.
    let mut big = opening(4);
    big.free = 1000;
    let mut other = opening(5);
    other.free = 1000;
    let a = assign(&[big, other], &vs, now);
    assert_eq!(a.filled(), 2);
    assert_eq!(total(&[], &vs, now, &[]), Some(0));
}

#[test]
fn total_refuses_infeasible_sets() {
    let now = MONDAY;
    let os = vec![opening(1), opening(2)];
    let vs = vec![volunteer(1), volunteer(2)];
    let one = 1000 + 400 + 120;
    assert_eq!(total(&os, &vs, now, &[(activity(1), member(1))]), Some(one));
    assert_eq!(
        total(
            &os,
            &vs,
            now,
            &[(activity(1), member(1)), (activity(2), member(1))]
        ),
        None,
        "a member twice"
    );
    assert_eq!(
        total(
            &os,
            &vs,
            now,
            &[(activity(1), member(1)), (activity(1), member(2))]
        ),
        None,
        "over the free slots"
    );
    assert_eq!(total(&os, &vs, now, &[(activity(9), member(1))]), None);
    assert_eq!(total(&os, &vs, now, &[(activity(1), member(9))]), None);
    let mut busy = vs.clone();
    busy[0].busy = vec![(0, i64::MAX)];
    assert_eq!(
        total(&os, &busy, now, &[(activity(1), member(1))]),
        None,
        "ineligible"
    );
}

// ---------------------------------------------------------------- random instances

const SKILLS: [&str; 3] = ["助老", "医疗", "维修"];
const GRIDS: [&str; 3] = ["", "1", "2"];

fn pick<'a>(rng: &mut Rng, xs: &[&'a str]) -> &'a str {
    xs[rng.below(xs.len() as u64) as usize]
}

/// ≤ `max_v` volunteers × ≤ `max_o` openings over two weeks around a Monday, on coarse
/// times (so that availability often but not always fits), with sign-ups, exclusions and
/// busy intervals.
fn instance(seed: u64, max_v: u64, max_o: u64) -> (Vec<Opening>, Vec<Volunteer>, i64) {
    let mut rng = Rng(seed);
    let now = MONDAY + rng.below(3) as i64 * DAY;
    let mut size = |max: u64| {
        if rng.chance(30) {
            0
        } else {
            (max / 2 + rng.below(max - max / 2 + 1)).max(1) as u8
        }
    };
    let (n_o, n_v) = (size(max_o), size(max_v));
    let os: Vec<Opening> = (0..n_o)
        .map(|i| {
            let start = MONDAY
                + rng.below(10) as i64 * DAY
                + rng.below(24) as i64 * HOUR
                + [0, 30 * MINUTE, 59 * MINUTE + 59_000][rng.below(3) as usize];
            let len = match rng.below(20) {
                0 => 1 + rng.below(3 * 24) as i64 * HOUR,
                1 => 7 * DAY,
                _ => (1 + rng.below(5) as i64) * HOUR,
            };
            Opening {
                activity: activity(i),
                start,
                end: start + len,
                grid: s(pick(&mut rng, &GRIDS)),
                skills: SKILLS
                    .iter()
                    .filter(|_| rng.chance(250))
                    .map(|x| s(x))
                    .collect(),
                free: rng.below(4) as u32,
                exclude: (0..n_v).filter(|_| rng.chance(80)).map(member).collect(),
            }
        })
        .collect();
    let vs: Vec<Volunteer> = (0..n_v)
        .map(|i| {
            let mut availability = Vec::new();
            if rng.chance(200) {
                availability.extend((1..=7).map(|d| w(d, "00:00", "24:00")));
            }
            for _ in 0..2 + rng.below(12) {
                let day = 1 + rng.below(7) as u8;
                let from = 6 * rng.below(4) as u16;
                let to = (from + 6 * (1 + rng.below(4) as u16)).min(24);
                availability.push(Window(day, HhMm(from * 60), HhMm(to * 60)));
            }
            let busy = (0..rng.below(3))
                .map(|_| {
                    let b = MONDAY + rng.below(10 * 24) as i64 * HOUR;
                    (b, b + rng.below(6) as i64 * HOUR)
                })
                .collect();
            Volunteer {
                member: member(i),
                skills: SKILLS
                    .iter()
                    .filter(|_| rng.chance(600))
                    .map(|x| s(x))
                    .collect(),
                availability,
                grid: s(pick(&mut rng, &GRIDS[1..])),
                recent_minutes: [0, 60, 600, 1199, 1200, 3000][rng.below(6) as usize],
                last_served: match rng.below(4) {
                    0 => None,
                    1 => Some(now + HOUR),
                    _ => Some(now - rng.below(90) as i64 * DAY - rng.below(24) as i64 * HOUR),
                },
                busy,
                signed_up: os
                    .iter()
                    .filter(|_| rng.chance(300))
                    .map(|o| o.activity)
                    .collect(),
            }
        })
        .collect();
    (os, vs, now)
}

/// Eligibility as the rules say it, minute by minute: every minute of the opening (in UTC+8)
/// inside some window of its weekday.
fn oracle(o: &Opening, v: &Volunteer) -> bool {
    if o.end <= o.start || o.end - o.start > 7 * DAY {
        return false;
    }
    let skilled = o.skills.iter().all(|x| v.skills.contains(x));
    let busy = v
        .busy
        .iter()
        .any(|&(s, e)| s < e && s < o.end && o.start < e);
    let shifted = |t: i64| t + 8 * HOUR;
    let first = shifted(o.start).div_euclid(MINUTE);
    let last = (shifted(o.end) - 1).div_euclid(MINUTE);
    let covered = (first..=last).all(|m| {
        let day = m.div_euclid(1440);
        let weekday = ((day + 3).rem_euclid(7) + 1) as u8; // 1970-01-01: a Thursday
        let tod = m.rem_euclid(1440) as u16;
        v.availability
            .iter()
            .any(|w| w.0 == weekday && w.1 .0 <= tod && tod < w.2 .0)
    });
    skilled && !busy && covered && !o.exclude.contains(&v.member)
}

/// The best total over every feasible assignment: each volunteer none or one eligible
/// opening with room.
fn brute_force(scores: &[Vec<Option<i64>>], room: &mut [u32], v: usize) -> i64 {
    if v == scores.len() {
        return 0;
    }
    let mut best = brute_force(scores, room, v + 1);
    for o in 0..room.len() {
        if let Some(s) = scores[v][o] {
            if room[o] > 0 {
                room[o] -= 1;
                best = best.max(s + brute_force(scores, room, v + 1));
                room[o] += 1;
            }
        }
    }
    best
}

/// Feasible, totalled right, each opening's list ordered, every pick rated as `rate` does.
fn check_feasible(os: &[Opening], vs: &[Volunteer], now: i64, a: &Assignment) {
    let pairs: Vec<_> = a.pairs().collect();
    assert_eq!(total(os, vs, now, &pairs), Some(a.total));
    assert_eq!(a.openings.len(), os.len());
    for (o, f) in os.iter().zip(&a.openings) {
        assert_eq!(f.activity, o.activity);
        assert!(f.chosen.len() <= o.free as usize);
        for pair in f.chosen.windows(2) {
            assert!((pair[1].score, pair[0].member) < (pair[0].score, pair[1].member));
        }
        for r in &f.chosen {
            let v = vs
                .iter()
                .find(|v| v.member == r.member)
                .expect("a volunteer");
            assert_eq!(Some(r), rate(o, v, now).as_ref());
        }
    }
}

fn pair_set(a: &Assignment) -> BTreeSet<(EventId, MemberId)> {
    a.pairs().collect()
}

/// Fisher–Yates with the test's generator.
fn shuffle<T>(rng: &mut Rng, xs: &mut [T]) {
    for i in (1..xs.len()).rev() {
        xs.swap(i, rng.below(i as u64 + 1) as usize);
    }
}

#[test]
fn optimal_against_brute_force_on_500_small_instances() {
    let (mut pairs, mut eligible_pairs, mut filled, mut chains) = (0, 0, 0, 0);
    for seed in 0..500u64 {
        let (os, vs, now) = instance(seed, 7, 4);
        let scores: Vec<Vec<Option<i64>>> = vs
            .iter()
            .map(|v| {
                os.iter()
                    .map(|o| {
                        let sc = score(o, v, now);
                        assert_eq!(sc.is_some(), oracle(o, v), "seed {seed}: {o:?} {v:?}");
                        assert_eq!(eligible(o, v), sc.is_some());
                        sc
                    })
                    .collect()
            })
            .collect();
        pairs += os.len() * vs.len();
        eligible_pairs += scores.iter().flatten().filter(|x| x.is_some()).count();

        let mut room: Vec<u32> = os.iter().map(|o| o.free).collect();
        let best = brute_force(&scores, &mut room, 0);
        let a = assign(&os, &vs, now);
        assert_eq!(a.total, best, "seed {seed}");
        check_feasible(&os, &vs, now, &a);
        filled += a.filled();
        // Someone placed elsewhere than their best opening: the optimum needed a trade-off.
        chains += a
            .openings
            .iter()
            .flat_map(|f| f.chosen.iter())
            .filter(|r| {
                let v = vs
                    .iter()
                    .position(|v| v.member == r.member)
                    .expect("placed");
                scores[v].iter().flatten().any(|&s| s > r.score)
            })
            .count();

        // Ranking: exactly the eligible ones, ordered.
        for (oi, o) in os.iter().enumerate() {
            let mut expect: Vec<(i64, MemberId)> = vs
                .iter()
                .enumerate()
                .filter_map(|(vi, v)| scores[vi][oi].map(|s| (-s, v.member)))
                .collect();
            expect.sort();
            let got: Vec<(i64, MemberId)> = rank(o, &vs, now)
                .iter()
                .map(|r| (-r.score, r.member))
                .collect();
            assert_eq!(got, expect, "seed {seed}");
        }

        // Any input order: the same assignment.
        let mut rng = Rng(seed ^ 0xdead_beef);
        let (mut os2, mut vs2) = (os.clone(), vs.clone());
        shuffle(&mut rng, &mut os2);
        shuffle(&mut rng, &mut vs2);
        let b = assign(&os2, &vs2, now);
        assert_eq!(pair_set(&a), pair_set(&b), "seed {seed}");
        assert_eq!(a.total, b.total);
        assert_eq!(a, assign(&os, &vs, now), "seed {seed}: the same twice");
    }
    // The instances exercise the rules: neither everyone nor nobody fits.
    let share = eligible_pairs * 100 / pairs;
    println!("{share} % of {pairs} pairs eligible, {filled} slots filled, {chains} placed below their best");
    assert!((15..=70).contains(&share), "{share} % of pairs eligible");
    assert!(filled > 500, "{filled} slots filled in all");
    assert!(chains > 20, "{chains} volunteers placed below their best");
}

/// Kuhn–Munkres on the slots expanded into rows (0 for an ineligible pair, so a forced
/// perfect assignment of the rows is worth the best partial one), as an independent optimum.
fn kuhn_munkres_total(os: &[Opening], vs: &[Volunteer], now: i64) -> i64 {
    use pathfinding::prelude::{kuhn_munkres, Matrix};
    let rows: Vec<&Opening> = os
        .iter()
        .flat_map(|o| std::iter::repeat_n(o, o.free as usize))
        .collect();
    if rows.is_empty() {
        return 0;
    }
    let columns = vs.len().max(rows.len());
    let mut m = Matrix::new(rows.len(), columns, 0i64);
    for (r, o) in rows.iter().enumerate() {
        for (c, v) in vs.iter().enumerate() {
            m[(r, c)] = score(o, v, now).unwrap_or(0);
        }
    }
    kuhn_munkres(&m).0
}

#[test]
fn optimal_against_kuhn_munkres_on_larger_instances() {
    for seed in 0..40u64 {
        let (os, vs, now) = instance(1000 + seed, 60, 12);
        let a = assign(&os, &vs, now);
        assert_eq!(a.total, kuhn_munkres_total(&os, &vs, now), "seed {seed}");
        check_feasible(&os, &vs, now, &a);
    }
    // Small district batches, where the pruning to the best K candidates cuts deep.
    for seed in 0..4u64 {
        let (os, vs, now) = synth::batch(seed, 400, 30, 60);
        let a = assign(&os, &vs, now);
        assert_eq!(a.total, kuhn_munkres_total(&os, &vs, now), "seed {seed}");
        check_feasible(&os, &vs, now, &a);
        assert!(a.filled() > 40);
    }
}

#[test]
fn the_district_batch_is_deterministic_in_any_order() {
    let (os, vs, now) = synth::batch(7, 1500, 60, 300);
    let a = assign(&os, &vs, now);
    check_feasible(&os, &vs, now, &a);
    let mut rng = Rng(99);
    let (mut os2, mut vs2) = (os.clone(), vs.clone());
    shuffle(&mut rng, &mut os2);
    shuffle(&mut rng, &mut vs2);
    let b = assign(&os2, &vs2, now);
    assert_eq!(pair_set(&a), pair_set(&b));
    assert_eq!(a.total, b.total);
    // Openings come back in the order given, each with the same people in the same order.
    for f in &b.openings {
        let g = a
            .openings
            .iter()
            .find(|g| g.activity == f.activity)
            .expect("the same openings");
        assert_eq!(f, g);
    }
    assert_eq!(synth::batch(7, 1500, 60, 300), (os, vs, now));
}
