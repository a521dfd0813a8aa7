//! A benchmark, run by hand (never by CI, whose browser tests are `--test store --test
//! verify`): the volunteer matcher on the synthetic district batch — the same batch as
//! `cargo bench -p linli-domain --bench matching` (`synth::district(1)`: 5,000 volunteers, 200
//! openings, 1,000 free slots) — in wasm32 in headless Chromium and natively. It times
//! `assign` for the whole batch and `rank` for the opening with the most candidates and for a
//! typical one (the median count), prints the figures and the batch's shape, and asserts none
//! of them (only that every run finds the same optimum).
//!
//! In Chromium, built with the app's profile (`wasm-release`: opt-level "z", fat LTO, one
//! codegen unit):
//!
//! ```sh
//! CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_WEBDRIVER_JSON=tests/webdriver.json \
//! WASM_BINDGEN_TEST_TIMEOUT=900 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!   cargo test --profile wasm-release -p linli --target wasm32-unknown-unknown --test match_bench -- --nocapture
//! ```
//!
//! Natively (release), for the ratio:
//!
//! ```sh
//! cargo test --release -p linli --test match_bench -- --ignored --nocapture
//! ```

use linli_domain::volunteers::matching::{assign, rank, synth};

/// Timed runs of `assign` (after one warm-up) and samples of `rank`.
const RUNS: usize = 7;

/// The median and the minimum of some timings.
fn median_min(mut times: Vec<f64>) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[0])
}

/// Times the matcher on the district batch, printing each figure with `log`; `now` is a clock
/// in ms.
fn run(now: &dyn Fn() -> f64, log: &dyn Fn(String)) {
    let t = now();
    let (os, vs, at) = synth::district(1);
    log(format!(
        "generated the district batch ({} volunteers, {} openings) in {:.0} ms",
        vs.len(),
        os.len(),
        now() - t
    ));

    // The batch's shape: candidates per opening, and the openings to rank.
    let slots: u32 = os.iter().map(|o| o.free).sum();
    let t = now();
    let mut counts: Vec<(usize, usize)> = os
        .iter()
        .enumerate()
        .map(|(i, o)| (rank(o, &vs, at).len(), i))
        .collect();
    let rank_all = now() - t;
    counts.sort_unstable();
    let pairs: usize = counts.iter().map(|(n, _)| n).sum();
    let (busiest, typical) = (counts[counts.len() - 1], counts[counts.len() / 2]);
    log(format!(
        "batch: {} volunteers, {} openings, {} slots; {} eligible pairs, candidates per \
         opening min {} / median {} / max {} (ranking all {} openings once: {:.0} ms)",
        vs.len(),
        os.len(),
        slots,
        pairs,
        counts[0].0,
        typical.0,
        busiest.0,
        os.len(),
        rank_all
    ));

    // assign: one warm-up, then RUNS timed runs, each the same optimum.
    let t = now();
    let first = assign(&os, &vs, at);
    let warm_up = now() - t;
    log(format!(
        "assign: total score {} with {} of {} slots filled (warm-up run {:.1} ms)",
        first.total,
        first.filled(),
        slots,
        warm_up
    ));
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = now();
        let a = assign(&os, &vs, at);
        times.push(now() - t);
        assert_eq!(a.total, first.total, "every run finds the same optimum");
    }
    let (median, min) = median_min(times);
    log(format!(
        "assign, whole batch, {RUNS} runs: median {median:.1} ms, min {min:.1} ms"
    ));

    // rank: RUNS samples of `reps` calls each (one warm-up sample first).
    for (label, (n, i)) in [("busiest", busiest), ("typical", typical)] {
        let o = &os[i];
        let reps = 20;
        let mut times = Vec::with_capacity(RUNS);
        for sample in 0..=RUNS {
            let mut len = 0;
            let t = now();
            for _ in 0..reps {
                len = rank(o, &vs, at).len();
            }
            let took = (now() - t) / f64::from(reps);
            assert_eq!(len, n);
            if sample > 0 {
                times.push(took);
            }
        }
        let (median, min) = median_min(times);
        log(format!(
            "rank, {label} opening ({n} candidates of {} volunteers, {} free slots), {RUNS} \
             samples of {reps} calls: median {median:.2} ms, min {min:.2} ms a call",
            vs.len(),
            o.free
        ));
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
#[ignore = "a benchmark, run by hand: cargo test --release -p linli --test match_bench -- --ignored --nocapture"]
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
