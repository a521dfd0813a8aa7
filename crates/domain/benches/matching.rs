//! The volunteer matcher: `cargo bench -p linli-domain --bench matching`.
//!
//! On the synthetic district batch ([`synth::district`]: 5,000 volunteers with the demo's mix
//! of skills, free time and grids; 200 openings with 1,000 free slots over a week):
//!
//! - printed first: the batch (eligible pairs, candidates per opening), the optimal
//!   assignment (total, slots filled), and the same optimum from `pathfinding`'s Kuhn–Munkres
//!   on the slots expanded into a dense matrix, timed once, for comparison;
//! - timed: [`assign`] for the whole batch, and [`rank`] for one opening — the one with the
//!   most candidates, and a typical one.

use std::sync::OnceLock;
use std::time::Instant;

use divan::Bencher;
use linli_domain::volunteers::matching::{assign, rank, score, synth, Opening, Volunteer};

type Batch = (Vec<Opening>, Vec<Volunteer>, i64);

fn district() -> &'static Batch {
    static BATCH: OnceLock<Batch> = OnceLock::new();
    BATCH.get_or_init(|| synth::district(1))
}

/// The opening with the most candidates, and the one with the median count.
fn openings() -> (usize, usize) {
    let (os, vs, now) = district();
    let mut counts: Vec<(usize, usize)> = os
        .iter()
        .enumerate()
        .map(|(i, o)| (rank(o, vs, *now).len(), i))
        .collect();
    counts.sort();
    (counts[counts.len() - 1].1, counts[counts.len() / 2].1)
}

fn main() {
    let (os, vs, now) = district();
    let slots: u32 = os.iter().map(|o| o.free).sum();
    let counts: Vec<usize> = os.iter().map(|o| rank(o, vs, *now).len()).collect();
    let mut sorted = counts.clone();
    sorted.sort_unstable();
    println!(
        "district batch: {} volunteers, {} openings, {} slots; {} eligible pairs, candidates \
         per opening min {} / median {} / max {}",
        vs.len(),
        os.len(),
        slots,
        counts.iter().sum::<usize>(),
        sorted[0],
        sorted[sorted.len() / 2],
        sorted[sorted.len() - 1],
    );
    let t = Instant::now();
    let a = assign(os, vs, *now);
    let took = t.elapsed();
    println!(
        "assign: total {} with {} of {} slots filled ({:.1} ms, first run)",
        a.total,
        a.filled(),
        slots,
        took.as_secs_f64() * 1e3
    );
    let (km, km_took) = kuhn_munkres(os, vs, *now);
    assert_eq!(km, a.total, "Kuhn–Munkres finds the same optimum");
    println!(
        "pathfinding::kuhn_munkres on the {slots} slots × {} volunteers matrix: total {km}, \
         {:.0} ms (matrix included)",
        vs.len(),
        km_took.as_secs_f64() * 1e3
    );
    divan::main();
}

/// The optimum by `pathfinding`'s Kuhn–Munkres, and how long it took (building the matrix
/// included).
fn kuhn_munkres(os: &[Opening], vs: &[Volunteer], now: i64) -> (i64, std::time::Duration) {
    use pathfinding::prelude::{kuhn_munkres, Matrix};
    let t = Instant::now();
    let rows: usize = os.iter().map(|o| o.free as usize).sum();
    let mut m = Matrix::new(rows, vs.len().max(rows), 0i64);
    let mut r = 0;
    for o in os {
        let scores: Vec<i64> = vs.iter().map(|v| score(o, v, now).unwrap_or(0)).collect();
        for _ in 0..o.free {
            for (c, s) in scores.iter().enumerate() {
                m[(r, c)] = *s;
            }
            r += 1;
        }
    }
    let total = kuhn_munkres(&m).0;
    (total, t.elapsed())
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn assign_district(b: Bencher) {
    let (os, vs, now) = district();
    b.bench(|| assign(os, vs, *now));
}

#[divan::bench(sample_count = 50)]
fn rank_busiest_opening(b: Bencher) {
    let (os, vs, now) = district();
    let o = &os[openings().0];
    b.bench(|| rank(o, vs, *now));
}

#[divan::bench(sample_count = 50)]
fn rank_typical_opening(b: Bencher) {
    let (os, vs, now) = district();
    let o = &os[openings().1];
    b.bench(|| rank(o, vs, *now));
}
