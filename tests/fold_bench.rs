//! A benchmark, run by hand (never by CI, whose browser tests are `--test store --test
//! verify`): a synthetic year of a 3,000-household community's points — the same events as
//! `cargo bench -p linli-domain` (`crates/domain/benches/synth`) — folded in wasm32 in headless
//! Chromium and natively, and 我的积分 (`my_points`) computed on the folded state. It prints
//! figures and asserts none of them.
//!
//! In Chromium, built with the app's profile (`wasm-release`: opt-level "z", fat LTO, one
//! codegen unit):
//!
//! ```sh
//! CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_WEBDRIVER_JSON=tests/webdriver.json \
//! WASM_BINDGEN_TEST_TIMEOUT=900 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!   cargo test --profile wasm-release -p linli --target wasm32-unknown-unknown --test fold_bench -- --nocapture
//! ```
//!
//! Natively (release), for the ratio:
//!
//! ```sh
//! cargo test --release -p linli --test fold_bench -- --ignored --nocapture
//! ```

#[path = "../crates/domain/benches/synth/mod.rs"]
mod synth;

use linli::pages::points::view::my_points;
use linli_domain::{Hex32, Space};

/// Folds the year and computes 我的积分, printing each figure with `log`; `now` is a clock in
/// ms.
fn run(now: &dyn Fn() -> f64, log: &dyn Fn(String)) {
    let t = now();
    let year = synth::year();
    log(format!(
        "generated {} events ({} roster, {} points) in {:.0} ms",
        year.events.len(),
        year.roster_len,
        year.points().len(),
        now() - t
    ));
    let roster = synth::fold(year.space, year.roster());
    let n_points = year.points().len() as f64;
    let n_all = year.events.len() as f64;
    let (mut best_points, mut best_all) = (f64::MAX, f64::MAX);
    for _ in 0..3 {
        let mut s = roster.clone();
        let t = now();
        synth::fold_onto(&mut s, year.points());
        best_points = best_points.min(now() - t);
        assert_eq!(s.rejected_count(), 0, "every synthetic event applies");
        drop(s);
        let t = now();
        let s = synth::fold(year.space, &year.events);
        best_all = best_all.min(now() - t);
        drop(s);
    }
    log(format!(
        "fold, fastest of 3: {} points events onto the roster {:.0} ms = {:.2} M events/s; \
         the whole log of {} events {:.0} ms = {:.2} M events/s",
        n_points,
        best_points,
        n_points / best_points / 1e3,
        n_all,
        best_all,
        n_all / best_all / 1e3
    ));

    let t = now();
    let mut space = Space::new(year.space);
    space.insert(year.events.iter().cloned());
    log(format!(
        "Space::insert of the whole log (as the app reads it back) {:.0} ms",
        now() - t
    ));
    // The member with the median number of entries and the one with the most.
    let mut counts: std::collections::HashMap<Hex32, usize> = Default::default();
    for e in space.state().points.entries() {
        *counts.entry(e.member).or_default() += 1;
    }
    let mut by_count: Vec<(usize, Hex32)> = counts.into_iter().map(|(m, n)| (n, m)).collect();
    by_count.sort_unstable_by(|a, b| b.cmp(a));
    for (label, (n, member)) in [
        ("median", by_count[by_count.len() / 2]),
        ("largest", by_count[0]),
    ] {
        let Some((device, _)) = year.residents.iter().find(|(_, m)| *m == member) else {
            continue;
        };
        let reps = if n > 100 { 20 } else { 100 };
        let mut rows = 0;
        let t = now();
        for _ in 0..reps {
            // The history lists the member's entries and their redemptions.
            rows = my_points(&space, device).expect("a member").entries.len();
        }
        assert!(rows >= n);
        log(format!(
            "my_points for the {label} member ({n} entries, {rows} rows of history): {:.0} µs \
             a call",
            (now() - t) * 1e3 / f64::from(reps)
        ));
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
#[ignore = "a benchmark, run by hand: cargo test --release -p linli --test fold_bench -- --ignored --nocapture"]
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
