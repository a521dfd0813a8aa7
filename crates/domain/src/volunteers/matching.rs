//! Matching volunteers to activities (`DESIGN.md` §3.6): for one activity, its candidates
//! ranked with the reasons a screen shows ([`rank`]); for a batch of activities, an optimal
//! assignment ([`assign`]) that staff accept as `activity.assign`.
//!
//! A pure, deterministic function of its inputs, never part of the fold: no clock (`now` is
//! passed in), no randomness, no floats, and no hash-map order in any result. Shuffling the
//! volunteers or the openings changes nothing, as long as each member is given once (one
//! given twice counts once: the first). The inputs are plain values ([`Volunteer`],
//! [`Opening`]) that an adapter builds from the folded state: active volunteers only, an
//! opening per activity with free slots.
//!
//! # Eligibility
//!
//! A volunteer may fill an opening only if all of these hold:
//!
//! - they have every skill the opening asks for (the same text; an opening asking for none
//!   takes anyone);
//! - their weekly availability covers the opening's whole time `[start, end)`, read in UTC+8
//!   (China): windows of one day that touch or overlap join, Sunday 24:00 joins Monday 00:00,
//!   so an activity crossing midnight needs both evenings' and mornings' windows
//!   ([`covers`]). Times are compared to the minute (a start at 09:00:30 needs 09:00). An
//!   opening that does not end after it starts, or lasts more than 7 days ([`MAX_SPAN_MS`]),
//!   matches nobody;
//! - it does not overlap an activity they are already confirmed for (`busy`, half-open);
//! - they are not already confirmed on it (`exclude`).
//!
//! # Score
//!
//! Integers; each term is kept in [`Parts`], so a screen can say why:
//!
//! ```text
//! score = BASE                                   1000   eligible
//!       + SAME_GRID  if the opening's grid is      200   an empty grid (community-wide): 0
//!                    theirs
//!       + SIGNED_UP  if they wait on its list      300   they asked
//!       + ⌊RECENT_MAX × (1200 − min(m, 1200))     0–400   m: their confirmed minutes in the
//!          / 1200⌋                                        30 days before now
//!       + RESTED_PER_DAY × min(d, 60)            0–120   d: whole days since they last
//!                                                        served; never served: 60
//! ```
//!
//! Fairness weighs most: no hours in the last 30 days is worth 400 more than 20 hours, more
//! than the same grid or a sign-up, so the slots do not always go to the same ten people; a
//! long rest adds up to 120. A sign-up and the same grid together (500) still beat it: they
//! asked, and live nearby. `BASE` is large against the other terms (at most 1,020 together),
//! so a direct fill — an empty slot, a free eligible volunteer — always raises the total: a
//! slot stays empty only when no free volunteer fits it, or when reaching one would need a
//! chain of moves that costs more than the slot is worth.
//!
//! # The batch: one opening per volunteer
//!
//! [`assign`] maximises the total score of the chosen (volunteer, opening) pairs subject to:
//! each opening gets at most `free` volunteers, only eligible pairs, and **each volunteer at
//! most one opening per batch**. That last rule is what makes an exact answer cheap: with it
//! the problem is a maximum-weight b-matching (a transportation problem), solvable exactly in
//! polynomial time; allowing a person several non-overlapping activities of one batch turns it
//! into interval scheduling with machine eligibility, which is NP-hard (Arkin & Silverberg
//! 1987, "Scheduling jobs with fixed start and end times", *Discrete Applied Mathematics*
//! 18). It also rules out overlapping activities of the batch for one person without any
//! pairwise check (their already-confirmed activities are `busy`), and it is the fairness the
//! community asks for: one batch spreads over more people. A second run, after the first is
//! accepted, fills what is left.
//!
//! # Algorithm
//!
//! Min-cost flow by successive shortest paths with Johnson potentials, specialised to this
//! bipartite graph. The network is source → opening (capacity `free`, cost 0) → volunteer
//! (capacity 1, cost −score) → sink (capacity 1). Each volunteer has exactly one way out in
//! the residual graph — to the sink while free, back to their opening once assigned — so the
//! volunteers are collapsed away: Dijkstra runs over the openings only (≤ a few hundred
//! nodes), and popping an opening scans the volunteers it could take who are already assigned
//! elsewhere (an edge to their opening, cost `score there − score here`), plus its best free
//! candidate (an edge to the sink, found by a pointer that only moves forward: a volunteer
//! once assigned never becomes free again). Each round augments one volunteer along the
//! cheapest path — a chain of moves ending in a newly assigned volunteer — and the rounds stop
//! when the cheapest path no longer gains (costs ≥ 0): the flow after each round is the best of
//! its size and the gains only shrink, so that flow is the optimum. Dijkstra stops as soon as
//! the sink is settled; unsettled nodes take the sink's distance in the potentials, which
//! keeps every reduced cost non-negative. Heap ties break by opening order, and volunteers and
//! openings are first sorted by id, so the answer does not depend on the input order.
//!
//! An exact pruning keeps it small: with `K` slots in the whole batch, an opening only needs
//! its best `K` candidates (by score, then id). If an optimum used a volunteer outside them,
//! fewer than `K` others are assigned in all, so one of the best `K` is free, and swapping them
//! in does not lower the total.
//!
//! # Why not a crate
//!
//! The issue asks for a maintained crate where one fits. Measured on the district batch
//! ([`synth::district`]: 5,000 volunteers, 200 openings, 1,000 slots, 146,849 eligible pairs;
//! every solver below found the same optimum, 1,648,334), natively on this 2-core machine:
//!
//! | solver | natively | wasm, headless Chromium |
//! |---|---|---|
//! | this module | 33 ms (26 ms of it the eligibility checks and candidate lists) | 74–81 ms |
//! | `pathfinding` 4.16 `kuhn_munkres` | 1,460 ms | 14,300 ms |
//! | `rs-graph` 0.21 network simplex | 168 ms (32 ms building the graph) | — |
//! | `network-flow` 0.1 | 1,700 ms, and a wrong reported cost | — |
//!
//! - `pathfinding`'s Kuhn–Munkres (maintained, pure Rust, builds for wasm) needs the slots
//!   expanded into the rows of a dense 1,000 × 5,000 matrix (0 for an ineligible pair, so that
//!   the forced perfect assignment of the rows is worth the best partial one): 40 MB of `i64`
//!   and O(n²m) time, 14 s in the browser against a 1 s goal. Restricting the columns to the
//!   pruned candidates (4,539) did not help (1,570 ms). It stays as the independent optimum
//!   of the tests and the benchmark.
//! - `rs-graph` is GPL-3.0, which this MIT/Apache project cannot ship; measured anyway.
//! - `network-flow` (one release, 2023; Graphviz crates as dependencies) runs SPFA-based
//!   min-cost max-flow: its flow was optimal, but the cost it returned was not (−154,591,330)
//!   once paths used reverse edges.
//! - `mcmf` 2.0 wraps LEMON in C++ (no `wasm32-unknown-unknown` without a C++ toolchain);
//!   `petgraph` 0.8 has max flow and unweighted matching, no min-cost flow; `fnx-algorithms`'
//!   network simplex comes with a licence rider that excludes this project's authors.
//!
//! So the solver here is written for the graph's shape (about 100 lines, 100 more for the
//! candidate lists), and checked against brute force on 500 small random instances and
//! against `kuhn_munkres` on larger ones (`crates/domain/tests/matching.rs`). Ranking one activity's candidates from 5,000
//! takes 1.0 ms natively for the busiest opening (3,678 candidates), 1–2 ms in Chromium.
//! Native figures: `cargo bench -p linli-domain --bench matching` (which also times
//! `kuhn_munkres` once); the wasm ones were taken by hand with the app's `wasm-release`
//! profile (opt-level "z") through `wasm-bindgen-test` on the same generator.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;

use crate::id::{EventId, MemberId};
use crate::volunteers::act::{Window, MAX_SPAN_MS};

/// Points for being eligible at all.
pub const BASE: i64 = 1000;
/// Points when the opening's grid (网格) is the volunteer's own; an empty grid (the whole
/// community) gives none and costs none.
pub const SAME_GRID: i64 = 200;
/// Points when the volunteer signed up for the activity and waits on its list.
pub const SIGNED_UP: i64 = 300;
/// Points for no confirmed minutes in the last 30 days, falling linearly to 0 at
/// [`RECENT_CAP_MINUTES`].
pub const RECENT_MAX: i64 = 400;
/// Confirmed minutes in the last 30 days from which the fairness bonus is 0 (20 hours).
pub const RECENT_CAP_MINUTES: u32 = 1200;
/// Points per whole day since the volunteer last served.
pub const RESTED_PER_DAY: i64 = 2;
/// Days of rest that still count; never having served counts as this many.
pub const RESTED_CAP_DAYS: i64 = 60;

const UTC8_MS: i64 = 8 * 3_600_000;
const MINUTE_MS: i64 = 60_000;
const DAY_MS: i64 = 86_400_000;
const DAY_MIN: u32 = 1440;
const WEEK_MIN: u32 = 7 * DAY_MIN;

/// A volunteer as the matcher sees them (an active profile and their record).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Volunteer {
    /// Who.
    pub member: MemberId,
    /// Their skills.
    pub skills: Vec<Arc<str>>,
    /// When they are usually free, week by week, in UTC+8.
    pub availability: Vec<Window>,
    /// Their grid (网格), may be empty.
    pub grid: Arc<str>,
    /// Confirmed minutes in the 30 days before `now`.
    pub recent_minutes: u32,
    /// The end (ms) of their last activity with confirmed hours; `None`: never served.
    pub last_served: Option<i64>,
    /// `[start, end)` (ms) of activities they are already confirmed for, outside this batch.
    pub busy: Vec<(i64, i64)>,
    /// Activities of the batch they signed up for and wait on the list of.
    pub signed_up: Vec<EventId>,
}

/// An activity with free slots, as the matcher sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Opening {
    /// The activity (its `activity.create` id).
    pub activity: EventId,
    /// Start, ms since the epoch.
    pub start: i64,
    /// End, ms since the epoch (after the start, at most 7 days later).
    pub end: i64,
    /// The grid it serves; empty: the whole community.
    pub grid: Arc<str>,
    /// The skills it asks for (all of them).
    pub skills: Vec<Arc<str>>,
    /// Slots minus those already confirmed.
    pub free: u32,
    /// Members already confirmed on it.
    pub exclude: Vec<MemberId>,
}

/// How the opening's grid relates to the volunteer's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Grid {
    /// Their own grid.
    Same,
    /// Another grid.
    Other,
    /// The opening serves the whole community (no grid).
    Community,
}

/// The terms of a score; [`Parts::sum`] is the score.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Parts {
    /// [`BASE`].
    pub base: i64,
    /// [`SAME_GRID`] or 0.
    pub grid: i64,
    /// [`SIGNED_UP`] or 0.
    pub signed_up: i64,
    /// Fairness: fewer recent minutes, more points (0 to [`RECENT_MAX`]).
    pub recent: i64,
    /// Rest: more days since they served, more points (0 to
    /// [`RESTED_PER_DAY`] × [`RESTED_CAP_DAYS`]).
    pub rested: i64,
}

impl Parts {
    /// The score.
    pub fn sum(&self) -> i64 {
        self.base + self.grid + self.signed_up + self.recent + self.rested
    }
}

/// Why a volunteer is a candidate, as data for the match screen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reasons {
    /// The skills the opening asks for, all of which they have (empty: it asks for none).
    pub skills: Vec<Arc<str>>,
    /// Free for the whole time (availability covers it, nothing confirmed overlaps); always
    /// true for a candidate, kept so a screen reads every reason from one place.
    pub free: bool,
    /// Same grid or not.
    pub grid: Grid,
    /// Confirmed minutes in the last 30 days.
    pub recent_minutes: u32,
    /// The end of their last activity with hours, if any.
    pub last_served: Option<i64>,
    /// Whole days from that to `now` (not below 0), if they ever served.
    pub days_since_served: Option<i64>,
    /// On the activity's wait list.
    pub signed_up: bool,
    /// The score, term by term.
    pub parts: Parts,
}

/// A candidate for an opening: who, their score and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ranked {
    /// The volunteer.
    pub member: MemberId,
    /// Their score for this opening ([`Parts::sum`] of the reasons' parts).
    pub score: i64,
    /// Why.
    pub reasons: Reasons,
}

/// The volunteers chosen for one opening.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Filled {
    /// The activity.
    pub activity: EventId,
    /// Chosen, best score first, then by member id; at most the opening's `free`.
    pub chosen: Vec<Ranked>,
}

/// An optimal assignment of a batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assignment {
    /// One entry per opening, in the order given.
    pub openings: Vec<Filled>,
    /// The total score of the chosen pairs: the maximum possible.
    pub total: i64,
}

impl Assignment {
    /// Every chosen (activity, member) pair, opening by opening.
    pub fn pairs(&self) -> impl Iterator<Item = (EventId, MemberId)> + '_ {
        self.openings
            .iter()
            .flat_map(|f| f.chosen.iter().map(|r| (f.activity, r.member)))
    }

    /// How many slots are filled.
    pub fn filled(&self) -> usize {
        self.openings.iter().map(|f| f.chosen.len()).sum()
    }
}

/// The opening's time as minutes of the week in UTC+8 (Monday 00:00 = 0): `[a, b)` with
/// `a < 10080` and `b − a ≤ 10081`; `None` if it ends before it starts or lasts over 7 days.
fn span(start: i64, end: i64) -> Option<(u32, u32)> {
    if end <= start || end.checked_sub(start)? > MAX_SPAN_MS {
        return None;
    }
    let a = start.checked_add(UTC8_MS)?.div_euclid(MINUTE_MS);
    let b = end
        .checked_add(UTC8_MS + MINUTE_MS - 1)?
        .div_euclid(MINUTE_MS);
    // 1970-01-01 was a Thursday: three days after a Monday.
    let from = (a + 3 * i64::from(DAY_MIN)).rem_euclid(i64::from(WEEK_MIN));
    let from = u32::try_from(from).ok()?;
    let len = u32::try_from(b - a).ok()?;
    Some((from, from + len))
}

/// Whether the windows cover `[a, b)` in minutes of the week (`a < 10080`, `b ≤ 20160`), the
/// week repeated once so that Sunday night runs into Monday morning. Windows that touch join.
fn covers_span(windows: &[Window], a: u32, b: u32) -> bool {
    let mut at = a;
    'next: while at < b {
        for w in windows {
            let (day, from, to) = (u32::from(w.0), u32::from(w.1 .0), u32::from(w.2 .0));
            if !(1..=7).contains(&day) || from >= to || to > DAY_MIN {
                continue;
            }
            let lo = (day - 1) * DAY_MIN + from;
            let hi = (day - 1) * DAY_MIN + to;
            for shift in [0, WEEK_MIN] {
                if lo + shift <= at && at < hi + shift {
                    at = hi + shift;
                    continue 'next;
                }
            }
        }
        return false;
    }
    true
}

/// Whether weekly availability windows (UTC+8) cover the whole of `[start, end)` (ms): the
/// "free for the whole time" of a profile, before anything confirmed is considered. False for
/// an empty or reversed span and for one longer than 7 days.
pub fn covers(availability: &[Window], start: i64, end: i64) -> bool {
    span(start, end).is_some_and(|(a, b)| covers_span(availability, a, b))
}

/// Whether `[start, end)` overlaps any of the half-open intervals (empty ones never do).
fn overlaps(busy: &[(i64, i64)], start: i64, end: i64) -> bool {
    busy.iter().any(|&(s, e)| s < e && s < end && start < e)
}

fn has_skills(volunteer: &Volunteer, skills: &[Arc<str>]) -> bool {
    skills
        .iter()
        .all(|s| volunteer.skills.iter().any(|h| h == s))
}

/// Whether the volunteer may fill the opening (the rules of the module docs).
pub fn eligible(opening: &Opening, volunteer: &Volunteer) -> bool {
    span(opening.start, opening.end).is_some_and(|span| eligible_in(opening, span, volunteer))
}

fn eligible_in(opening: &Opening, (a, b): (u32, u32), volunteer: &Volunteer) -> bool {
    !opening.exclude.contains(&volunteer.member)
        && has_skills(volunteer, &opening.skills)
        && !overlaps(&volunteer.busy, opening.start, opening.end)
        && covers_span(&volunteer.availability, a, b)
}

/// Whole days since they last served (not below 0), if ever.
fn days_since(volunteer: &Volunteer, now: i64) -> Option<i64> {
    volunteer
        .last_served
        .map(|t| now.saturating_sub(t).max(0) / DAY_MS)
}

/// The fairness terms, which depend on the volunteer only: (recent, rested).
fn fairness(volunteer: &Volunteer, now: i64) -> (i64, i64) {
    let cap = i64::from(RECENT_CAP_MINUTES);
    let m = i64::from(volunteer.recent_minutes.min(RECENT_CAP_MINUTES));
    let recent = RECENT_MAX * (cap - m) / cap;
    let days = days_since(volunteer, now).map_or(RESTED_CAP_DAYS, |d| d.min(RESTED_CAP_DAYS));
    (recent, RESTED_PER_DAY * days)
}

fn grid_of(opening: &Opening, volunteer: &Volunteer) -> Grid {
    if opening.grid.is_empty() {
        Grid::Community
    } else if opening.grid == volunteer.grid {
        Grid::Same
    } else {
        Grid::Other
    }
}

/// The score's terms for a pair, eligible or not.
fn parts(opening: &Opening, volunteer: &Volunteer, now: i64) -> Parts {
    let (recent, rested) = fairness(volunteer, now);
    Parts {
        base: BASE,
        grid: if grid_of(opening, volunteer) == Grid::Same {
            SAME_GRID
        } else {
            0
        },
        signed_up: if volunteer.signed_up.contains(&opening.activity) {
            SIGNED_UP
        } else {
            0
        },
        recent,
        rested,
    }
}

/// A candidate with reasons, for a pair known to be eligible.
fn rated(opening: &Opening, volunteer: &Volunteer, now: i64) -> Ranked {
    let parts = parts(opening, volunteer, now);
    Ranked {
        member: volunteer.member,
        score: parts.sum(),
        reasons: Reasons {
            skills: opening.skills.clone(),
            free: true,
            grid: grid_of(opening, volunteer),
            recent_minutes: volunteer.recent_minutes,
            last_served: volunteer.last_served,
            days_since_served: days_since(volunteer, now),
            signed_up: parts.signed_up != 0,
            parts,
        },
    }
}

/// The volunteer as a candidate for the opening, with score and reasons; `None` if not
/// eligible.
pub fn rate(opening: &Opening, volunteer: &Volunteer, now: i64) -> Option<Ranked> {
    eligible(opening, volunteer).then(|| rated(opening, volunteer, now))
}

/// The pair's score; `None` if not eligible.
pub fn score(opening: &Opening, volunteer: &Volunteer, now: i64) -> Option<i64> {
    eligible(opening, volunteer).then(|| parts(opening, volunteer, now).sum())
}

/// Indices of the volunteers sorted by member id; a member given more than once counts once
/// (the first of them in the input).
fn by_member(volunteers: &[Volunteer]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..volunteers.len()).collect();
    order.sort_by(|&x, &y| volunteers[x].member.cmp(&volunteers[y].member));
    order.dedup_by(|x, y| volunteers[*x].member == volunteers[*y].member);
    order
}

/// The eligible volunteers for one opening, best first: by score, then by member id —
/// whatever its free slots (a full activity still shows who else could come).
///
/// Linear in the volunteers, plus sorting them by id and the eligible ones by score.
pub fn rank(opening: &Opening, volunteers: &[Volunteer], now: i64) -> Vec<Ranked> {
    let Some(span) = span(opening.start, opening.end) else {
        return Vec::new();
    };
    let mut out: Vec<Ranked> = by_member(volunteers)
        .into_iter()
        .map(|i| &volunteers[i])
        .filter(|v| eligible_in(opening, span, v))
        .map(|v| rated(opening, v, now))
        .collect();
    out.sort_by(|x, y| y.score.cmp(&x.score).then(x.member.cmp(&y.member)));
    out
}

/// The total score of any set of (activity, member) pairs, or `None` if the set is not a
/// feasible assignment of the batch: an unknown activity or member, an ineligible pair, a
/// member twice, or more members on an opening than it has free slots. An activity given
/// twice in `openings` is its first entry, like a member given twice.
pub fn total(
    openings: &[Opening],
    volunteers: &[Volunteer],
    now: i64,
    pairs: &[(EventId, MemberId)],
) -> Option<i64> {
    let mut opening_at: HashMap<EventId, usize> = HashMap::new();
    for (i, o) in openings.iter().enumerate() {
        opening_at.entry(o.activity).or_insert(i);
    }
    let mut volunteer_at: HashMap<MemberId, usize> = HashMap::new();
    for (i, v) in volunteers.iter().enumerate() {
        volunteer_at.entry(v.member).or_insert(i);
    }
    let mut used: HashSet<MemberId> = HashSet::new();
    let mut taken = vec![0u32; openings.len()];
    let mut sum = 0;
    for (activity, member) in pairs {
        let o = *opening_at.get(activity)?;
        let v = &volunteers[*volunteer_at.get(member)?];
        if !used.insert(*member) {
            return None;
        }
        taken[o] += 1;
        if taken[o] > openings[o].free {
            return None;
        }
        sum += score(&openings[o], v, now)?;
    }
    Some(sum)
}

/// No opening, no volunteer.
const NONE: u32 = u32::MAX;
/// An unreachable distance (far from overflow: scores are a few thousand, paths a few
/// hundred edges).
const INF: i64 = i64::MAX / 4;

/// Candidates of the batch: per opening, its best eligible volunteers (indices into the
/// volunteers sorted by id) and their scores, best first.
struct Candidates {
    /// `cands[o]`: (score, volunteer), by score descending then volunteer ascending.
    cands: Vec<Vec<(i64, u32)>>,
    /// For each volunteer, the openings that list them: `of_start[v]..of_start[v + 1]` into
    /// `of`, as (opening, score).
    of_start: Vec<usize>,
    of: Vec<(u32, i64)>,
}

/// Skill sets as bit sets over the skills the openings ask for.
struct Skills {
    words: usize,
    bits: Vec<u64>,
}

impl Skills {
    fn set(&self, i: usize) -> &[u64] {
        &self.bits[i * self.words..(i + 1) * self.words]
    }
}

fn candidates(
    openings: &[&Opening],
    volunteers: &[&Volunteer],
    now: i64,
    keep: usize,
) -> Candidates {
    // Intern the skills the openings ask for; a volunteer's other skills do not matter.
    let mut names: HashMap<&str, usize> = HashMap::new();
    for o in openings {
        for s in &o.skills {
            let next = names.len();
            names.entry(&**s).or_insert(next);
        }
    }
    let words = names.len().div_ceil(64);
    let mask = |skills: &[Arc<str>]| {
        let mut bits = vec![0u64; words];
        for s in skills {
            if let Some(&i) = names.get(&**s) {
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        bits
    };
    let has = Skills {
        words,
        bits: volunteers.iter().flat_map(|v| mask(&v.skills)).collect(),
    };
    let fair: Vec<(i64, i64)> = volunteers.iter().map(|v| fairness(v, now)).collect();

    let mut cands = Vec::with_capacity(openings.len());
    for o in openings {
        let mut list = Vec::new();
        if let Some((a, b)) = span(o.start, o.end) {
            let need = mask(&o.skills);
            let mut exclude = o.exclude.clone();
            exclude.sort_unstable();
            for (vi, v) in volunteers.iter().enumerate() {
                let skilled = need.iter().zip(has.set(vi)).all(|(n, h)| n & !h == 0);
                if skilled
                    && !overlaps(&v.busy, o.start, o.end)
                    && covers_span(&v.availability, a, b)
                    && exclude.binary_search(&v.member).is_err()
                {
                    let (recent, rested) = fair[vi];
                    let grid = if !o.grid.is_empty() && o.grid == v.grid {
                        SAME_GRID
                    } else {
                        0
                    };
                    let signed = if v.signed_up.contains(&o.activity) {
                        SIGNED_UP
                    } else {
                        0
                    };
                    list.push((BASE + grid + signed + recent + rested, vi as u32));
                }
            }
        }
        let order = |x: &(i64, u32), y: &(i64, u32)| y.0.cmp(&x.0).then(x.1.cmp(&y.1));
        if list.len() > keep {
            list.select_nth_unstable_by(keep, order);
            list.truncate(keep);
        }
        list.sort_unstable_by(order);
        cands.push(list);
    }

    let mut of_start = vec![0usize; volunteers.len() + 1];
    for list in &cands {
        for &(_, v) in list {
            of_start[v as usize + 1] += 1;
        }
    }
    for v in 0..volunteers.len() {
        of_start[v + 1] += of_start[v];
    }
    let mut fill = of_start.clone();
    let mut of = vec![(0u32, 0i64); of_start[volunteers.len()]];
    for (o, list) in cands.iter().enumerate() {
        for &(w, v) in list {
            of[fill[v as usize]] = (o as u32, w);
            fill[v as usize] += 1;
        }
    }
    Candidates {
        cands,
        of_start,
        of,
    }
}

/// For each opening (by index into `openings`), the volunteers (indices) it gets: a
/// maximum-weight b-matching by successive shortest paths (module docs).
fn solve(caps: &[u32], c: &Candidates, n_volunteers: usize) -> Vec<u32> {
    let n = caps.len();
    let mut room: Vec<u32> = caps.to_vec();
    // Each volunteer's opening (NONE: free) and score there.
    let mut at = vec![NONE; n_volunteers];
    let mut here = vec![0i64; n_volunteers];
    // Per opening: its candidates already assigned somewhere (append-only), and where its
    // first possibly free candidate is.
    let mut taken: Vec<Vec<(u32, i64)>> = vec![Vec::new(); n];
    let mut next_free = vec![0usize; n];
    // Potentials: openings, and the sink; the source's stays 0.
    let max_w = c
        .cands
        .iter()
        .filter_map(|l| l.first().map(|x| x.0))
        .max()
        .unwrap_or(0);
    let mut pi = vec![0i64; n];
    let mut pi_sink = -max_w;

    let mut dist = vec![INF; n];
    let mut prev: Vec<(u32, u32, i64)> = vec![(NONE, NONE, 0); n];
    let mut heap: BinaryHeap<Reverse<(i64, u32)>> = BinaryHeap::new();
    loop {
        dist.fill(INF);
        prev.fill((NONE, NONE, 0));
        heap.clear();
        for o in 0..n {
            if room[o] > 0 {
                dist[o] = -pi[o];
                heap.push(Reverse((dist[o], o as u32)));
            }
        }
        let mut best = INF;
        let mut end = (NONE, NONE, 0i64);
        while let Some(Reverse((d, o))) = heap.pop() {
            let oi = o as usize;
            if d > dist[oi] {
                continue;
            }
            if d >= best {
                break;
            }
            let list = &c.cands[oi];
            let mut p = next_free[oi];
            while p < list.len() && at[list[p].1 as usize] != NONE {
                p += 1;
            }
            next_free[oi] = p;
            if let Some(&(w, v)) = list.get(p) {
                let nd = d - w + pi[oi] - pi_sink;
                if nd < best {
                    best = nd;
                    end = (o, v, w);
                }
            }
            for &(v, w) in &taken[oi] {
                let to = at[v as usize];
                if to == o {
                    continue;
                }
                let ti = to as usize;
                let nd = d + here[v as usize] - w + pi[oi] - pi[ti];
                debug_assert!(nd >= d, "a negative reduced cost");
                if nd < dist[ti] {
                    dist[ti] = nd;
                    prev[ti] = (o, v, w);
                    heap.push(Reverse((nd, to)));
                }
            }
        }
        // The path's true cost: reduced distance plus the sink's potential (the source's is 0).
        if best >= INF || best + pi_sink >= 0 {
            break;
        }
        for o in 0..n {
            pi[o] += dist[o].min(best);
        }
        pi_sink += best;
        // Augment: the new volunteer takes `end`'s opening, each earlier one on the path moves
        // to the opening before, and the first opening has one slot fewer.
        let (mut o, first, mut w) = end;
        let mut v = first;
        loop {
            at[v as usize] = o;
            here[v as usize] = w;
            let (po, pv, pw) = prev[o as usize];
            if po == NONE {
                room[o as usize] -= 1;
                break;
            }
            (o, v, w) = (po, pv, pw);
        }
        let fv = first as usize;
        for &(oo, ww) in &c.of[c.of_start[fv]..c.of_start[fv + 1]] {
            taken[oo as usize].push((first, ww));
        }
    }
    at
}

/// An optimal assignment of the batch: the largest total score of (volunteer, opening) pairs
/// with every pair eligible, each opening at most `free` volunteers and each volunteer at
/// most one opening (module docs: why one, and how).
///
/// Deterministic: the same openings and volunteers in any order give the same assignment. An
/// activity given twice is two openings; a member given twice counts once.
pub fn assign(openings: &[Opening], volunteers: &[Volunteer], now: i64) -> Assignment {
    let vs = by_member(volunteers);
    let vols: Vec<&Volunteer> = vs.iter().map(|&i| &volunteers[i]).collect();
    let mut os: Vec<usize> = (0..openings.len())
        .filter(|&i| openings[i].free > 0)
        .collect();
    // Ties (an activity given twice) by everything the matcher reads, so that the order given
    // still does not matter.
    os.sort_by(|&x, &y| {
        let (a, b) = (&openings[x], &openings[y]);
        (
            a.activity, a.start, a.end, a.free, &a.grid, &a.skills, &a.exclude,
        )
            .cmp(&(
                b.activity, b.start, b.end, b.free, &b.grid, &b.skills, &b.exclude,
            ))
    });
    let ops: Vec<&Opening> = os.iter().map(|&i| &openings[i]).collect();
    let slots: u64 = ops.iter().map(|o| u64::from(o.free)).sum();
    let keep = usize::try_from(slots).unwrap_or(usize::MAX).min(vols.len());
    let c = candidates(&ops, &vols, now, keep);
    let caps: Vec<u32> = ops.iter().map(|o| o.free).collect();
    let at = solve(&caps, &c, vols.len());

    let mut chosen: Vec<Vec<Ranked>> = vec![Vec::new(); openings.len()];
    let mut total = 0;
    for (vi, &o) in at.iter().enumerate() {
        if o != NONE {
            let oi = os[o as usize];
            let r = rated(&openings[oi], vols[vi], now);
            total += r.score;
            chosen[oi].push(r);
        }
    }
    let openings = openings
        .iter()
        .zip(chosen)
        .map(|(o, mut chosen)| {
            chosen.sort_by(|x, y| y.score.cmp(&x.score).then(x.member.cmp(&y.member)));
            Filled {
                activity: o.activity,
                chosen,
            }
        })
        .collect();
    Assignment { openings, total }
}

/// A deterministic synthetic district batch for the benchmarks (native, and later in wasm):
/// 5,000 volunteers with a realistic mix of skills, free time and grids, and 200 openings
/// with 1,000 free slots over a week.
#[doc(hidden)]
pub mod synth {
    use std::sync::Arc;

    use super::{Opening, Volunteer};
    use crate::id::{sha256, EventId, MemberId};
    use crate::volunteers::act::{HhMm, Window};

    /// 2025-03-03 00:00 (a Monday) in UTC+8, ms: the batch's `now`; its activities are in
    /// the week after.
    pub const NOW: i64 = 1_740_931_200_000;
    /// The seven skills of the demo, with how common each is among volunteers (per mille).
    pub const SKILLS: [(&str, u64); 7] = [
        ("助老", 450),
        ("环境", 350),
        ("巡逻", 300),
        ("文艺", 200),
        ("维修", 120),
        ("医疗", 80),
        ("法律", 40),
    ];
    /// Grids of the district.
    pub const GRIDS: usize = 12;

    /// SplitMix64: tiny and deterministic.
    pub struct Rng(pub u64);

    impl Rng {
        /// The next 64 bits.
        pub fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
        /// Uniform in `0..n` (`n > 0`).
        pub fn below(&mut self, n: u64) -> u64 {
            self.next_u64() % n
        }
        /// True with probability `p` per mille.
        pub fn chance(&mut self, p: u64) -> bool {
            self.below(1000) < p
        }
    }

    fn grid(i: usize) -> Arc<str> {
        format!("第{}网格", i + 1).into()
    }

    fn hm(h: u16, m: u16) -> HhMm {
        HhMm(h * 60 + m)
    }

    /// A member id from a counter.
    pub fn member(i: u32) -> MemberId {
        sha256(format!("synth volunteer {i}").as_bytes())
    }

    /// An activity id from a counter.
    pub fn activity(i: u32) -> EventId {
        sha256(format!("synth activity {i}").as_bytes())
    }

    /// Weekly free time by kind of person: retired (weekday daytime), working (weekday
    /// evenings and weekends), students (weekends), shift workers (scattered), and a few who
    /// are free any time.
    fn availability(rng: &mut Rng) -> Vec<Window> {
        let mut out = Vec::new();
        match rng.below(100) {
            0..=34 => {
                for d in 1..=5 {
                    if rng.chance(900) {
                        out.push(Window(d, hm(8, 0), hm(12, 0)));
                        if rng.chance(700) {
                            out.push(Window(d, hm(12, 0), hm(17, 30)));
                        }
                    }
                }
                if rng.chance(500) {
                    out.push(Window(6, hm(9, 0), hm(17, 0)));
                }
            }
            35..=74 => {
                for d in 1..=5 {
                    if rng.chance(600) {
                        out.push(Window(d, hm(18, 30), hm(22, 0)));
                    }
                }
                out.push(Window(6, hm(8, 0), hm(20, 0)));
                if rng.chance(700) {
                    out.push(Window(7, hm(8, 0), hm(20, 0)));
                }
            }
            75..=86 => {
                out.push(Window(6, hm(9, 0), hm(18, 0)));
                out.push(Window(7, hm(9, 0), hm(18, 0)));
                if rng.chance(300) {
                    out.push(Window(5, hm(19, 0), hm(22, 0)));
                }
            }
            87..=95 => {
                for _ in 0..1 + rng.below(6) {
                    let d = 1 + rng.below(7) as u8;
                    let from = rng.below(20) as u16;
                    let len = 2 + rng.below(8) as u16;
                    out.push(Window(d, hm(from, 0), hm((from + len).min(24), 0)));
                }
                // Night owls: into the next morning.
                if rng.chance(400) {
                    let d = 1 + rng.below(7) as u8;
                    out.push(Window(d, hm(20, 0), hm(24, 0)));
                    out.push(Window(d % 7 + 1, hm(0, 0), hm(6, 0)));
                }
            }
            _ => {
                for d in 1..=7 {
                    out.push(Window(d, hm(0, 0), hm(24, 0)));
                }
            }
        }
        out
    }

    /// Monday 00:00 of the batch's week, plus days and hours.
    fn at(day: u64, hour: u64, minute: u64) -> i64 {
        let minutes = (day * 24 + hour) * 60 + minute;
        NOW + 7 * 86_400_000 + minutes as i64 * 60_000
    }

    /// The district batch: (openings, volunteers, now). Deterministic in `seed`.
    pub fn district(seed: u64) -> (Vec<Opening>, Vec<Volunteer>, i64) {
        batch(seed, 5_000, 200, 1_000)
    }

    /// A batch of the given size: `volunteers` volunteers, `openings` openings with `slots`
    /// free slots in all (`slots ≥ openings`).
    pub fn batch(
        seed: u64,
        volunteers: u32,
        openings: u32,
        slots: u32,
    ) -> (Vec<Opening>, Vec<Volunteer>, i64) {
        let mut rng = Rng(seed);
        let mut vs: Vec<Volunteer> = (0..volunteers)
            .map(|i| {
                let mut skills: Vec<Arc<str>> = SKILLS
                    .iter()
                    .filter(|(_, p)| rng.chance(*p))
                    .map(|(s, _)| Arc::from(*s))
                    .collect();
                if skills.is_empty() {
                    skills.push(Arc::from(SKILLS[rng.below(3) as usize].0));
                }
                // A few very active people, many occasional ones, many who have not served
                // this month.
                let recent_minutes = match rng.below(100) {
                    0..=44 => 0,
                    45..=84 => 30 * (1 + rng.below(12)) as u32,
                    _ => 360 + 60 * rng.below(30) as u32,
                };
                let last_served = if recent_minutes > 0 {
                    Some(NOW - (1 + rng.below(29) as i64) * 86_400_000)
                } else if rng.chance(600) {
                    Some(NOW - (30 + rng.below(300) as i64) * 86_400_000)
                } else {
                    None
                };
                let mut busy = Vec::new();
                if rng.chance(150) {
                    let start = at(rng.below(7), 8 + rng.below(12), 0);
                    busy.push((start, start + (1 + rng.below(4) as i64) * 3_600_000));
                }
                Volunteer {
                    member: member(i),
                    skills,
                    availability: availability(&mut rng),
                    grid: grid(rng.below(GRIDS as u64) as usize),
                    recent_minutes,
                    last_served,
                    busy,
                    signed_up: Vec::new(),
                }
            })
            .collect();

        // Free slots: `slots` spread evenly, then moved around one at a time (1–20 each).
        let n = openings.max(1);
        let mut free: Vec<u32> = (0..openings)
            .map(|i| slots / n + u32::from(i < slots % n))
            .collect();
        for _ in 0..2 * openings {
            let (i, j) = (
                rng.below(u64::from(n)) as usize,
                rng.below(u64::from(n)) as usize,
            );
            let moved = rng.below(4) as u32;
            if free[i] > moved && free[j] + moved <= 20 {
                free[i] -= moved;
                free[j] += moved;
            }
        }

        let os: Vec<Opening> = (0..openings)
            .map(|i| {
                // What kind of activity, and so when, how long and what skills.
                let (skill, start, hours): (Option<usize>, i64, i64) = match rng.below(100) {
                    // Visiting the elderly: weekday mornings or afternoons.
                    0..=29 => (Some(0), at(rng.below(5), 9 + rng.below(6), 0), 2),
                    // Clean-ups: weekends.
                    30..=49 => (Some(1), at(5 + rng.below(2), 8 + rng.below(6), 0), 3),
                    // Patrols: evenings, some through the night.
                    50..=64 => {
                        if rng.chance(200) {
                            (Some(2), at(rng.below(7), 22, 0), 4)
                        } else {
                            (Some(2), at(rng.below(7), 19, 0), 2)
                        }
                    }
                    // Performances: weekend afternoons.
                    65..=74 => (Some(3), at(5 + rng.below(2), 14, 0), 3),
                    // Repairs: Saturday mornings.
                    75..=82 => (Some(4), at(5, 9, 0), 3),
                    // Health checks with a doctor: weekday mornings.
                    83..=88 => (Some(5), at(rng.below(5), 8, 30), 3),
                    // Legal advice: Friday evening or Saturday.
                    89..=91 => (Some(6), at(4 + rng.below(2), 19, 0), 2),
                    // Anything goes: helping at an event.
                    _ => (
                        None,
                        at(rng.below(7), 9 + rng.below(10), 0),
                        1 + rng.below(3) as i64,
                    ),
                };
                let mut skills: Vec<Arc<str>> =
                    skill.map(|s| Arc::from(SKILLS[s].0)).into_iter().collect();
                // Some activities also want a second skill (a patrol with first aid).
                if rng.chance(100) {
                    let s = Arc::from(SKILLS[rng.below(7) as usize].0);
                    if !skills.contains(&s) {
                        skills.push(s);
                    }
                }
                let exclude = (0..rng.below(3))
                    .map(|_| member(rng.below(u64::from(volunteers.max(1))) as u32))
                    .collect();
                Opening {
                    activity: activity(i),
                    start,
                    end: start + hours * 3_600_000,
                    grid: if rng.chance(750) {
                        grid(rng.below(GRIDS as u64) as usize)
                    } else {
                        Arc::from("")
                    },
                    skills,
                    free: free[i as usize],
                    exclude,
                }
            })
            .collect();

        // Sign-ups: a few volunteers wait on each list.
        if volunteers > 0 {
            for o in &os {
                for _ in 0..rng.below(8) {
                    let v = rng.below(u64::from(volunteers)) as usize;
                    vs[v].signed_up.push(o.activity);
                }
            }
        }
        (os, vs, NOW)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::volunteers::act::HhMm;

    fn w(day: u8, from: &str, to: &str) -> Window {
        Window(
            day,
            HhMm::parse(from).expect("time"),
            HhMm::parse(to).expect("time"),
        )
    }

    /// 2025-03-03 00:00 in UTC+8, a Monday.
    const MONDAY: i64 = 1_740_931_200_000;
    const HOUR: i64 = 3_600_000;

    #[test]
    fn weeks_start_on_monday_in_china() {
        assert_eq!(span(MONDAY, MONDAY + HOUR), Some((0, 60)));
        // Sunday 23:00 to Monday 01:00.
        assert_eq!(
            span(MONDAY - HOUR, MONDAY + HOUR),
            Some((WEEK_MIN - 60, WEEK_MIN + 60))
        );
        // Seconds round outward to whole minutes.
        assert_eq!(span(MONDAY + 30_000, MONDAY + 90_000), Some((0, 2)));
        assert_eq!(span(MONDAY, MONDAY), None);
        assert_eq!(span(MONDAY, MONDAY + MAX_SPAN_MS + 1), None);
        assert!(span(MONDAY, MONDAY + MAX_SPAN_MS).is_some());
    }

    #[test]
    fn a_whole_week_free_covers_seven_days_from_any_minute() {
        let all: Vec<Window> = (1..=7).map(|d| w(d, "00:00", "24:00")).collect();
        assert!(covers(&all, MONDAY + 12_345, MONDAY + 12_345 + MAX_SPAN_MS));
        let gap: Vec<Window> = (1..=7)
            .map(|d| {
                if d == 4 {
                    w(d, "00:00", "23:59")
                } else {
                    w(d, "00:00", "24:00")
                }
            })
            .collect();
        assert!(!covers(&gap, MONDAY, MONDAY + MAX_SPAN_MS));
        assert!(covers(
            &gap,
            MONDAY + 4 * 24 * HOUR,
            MONDAY + 10 * 24 * HOUR
        ));
    }

    #[test]
    fn the_solver_takes_a_chain_of_moves() {
        // Two openings with one slot each; volunteer 0 fits both and scores higher on the
        // first, volunteer 1 fits only the first: the optimum moves 0 to the second.
        let c = Candidates {
            cands: vec![vec![(10, 0), (9, 1)], vec![(8, 0)]],
            of_start: vec![0, 2, 3],
            of: vec![(0, 10), (1, 8), (0, 9)],
        };
        assert_eq!(solve(&[1, 1], &c, 2), vec![1, 0]);
    }
}
