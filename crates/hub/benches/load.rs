//! A whole community voting at once, against the real hub binary on loopback (bounded: about
//! 90 s in all). Run with `cargo bench -p linli-hub --bench load` (or `tests/bench/hub-load.sh`).
//!
//! 1. **Residents**: 3,000 residents, each posting one event of their own (one vote) from 200
//!    concurrent clients, spread over 60 s — latency p50/p99 per post, and the check that
//!    every acknowledged event is in the stored space (0 lost). Goal: p99 ≤ 100 ms.
//! 2. **The last minute**: the same 3,000 posts as fast as 200 clients can send them.
//! 3. **Batched pushes**: 20 clients pushing batches of 500 events (phones catching up after
//!    being offline) — events/s. Goal: ≥ 10,000 events/s.
//!
//! The events are notes of a kind the fold rejects (stored as evidence all the same): the hub
//! admits by author, never by kind, so a vote and a note cost it the same.

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{request, Hub, Town};
use linli_domain::{ChainWriter, Event, Hex32};
use serde_json::json;

const RESIDENTS: usize = 3_000;
const CLIENTS: usize = 200;

fn body(events: &[Event]) -> String {
    format!(
        "[{}]",
        events
            .iter()
            .map(|e| e.envelope.as_str())
            .collect::<Vec<_>>()
            .join(",")
    )
}

fn post(addr: std::net::SocketAddr, space: Hex32, events: &[Event]) -> (u64, Duration) {
    let t = Instant::now();
    let r = request(
        addr,
        "POST",
        &format!("/spaces/{space}/events"),
        &[("Content-Type", "application/json")],
        body(events).as_bytes(),
    );
    let took = t.elapsed();
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.decoded()));
    (r.json()["accepted"].as_u64().unwrap_or(0), took)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// A community of `RESIDENTS` members on a fresh hub; returns the devices and the lamport
/// clock to sign after.
fn community(hub: &Hub) -> (Town, Vec<ChainWriter>) {
    let mut town = Town::new();
    let mut devices = Vec::with_capacity(RESIDENTS);
    let mut setup = vec![town.genesis.clone()];
    for n in 0..RESIDENTS as u32 {
        setup.push(town.invite(n));
        let (dev, join) = town.join(n);
        setup.push(join);
        devices.push(dev);
    }
    for chunk in setup.chunks(5_000) {
        let (accepted, _) = post(hub.addr, town.space, chunk);
        assert_eq!(accepted as usize, chunk.len());
    }
    (town, devices)
}

/// Each device signs one event; 200 clients post them, each waiting until its post's planned
/// moment (`spread` over the run; zero: at once). Returns the latencies, sorted.
fn residents(
    hub: &Hub,
    town: &Town,
    devices: &mut [ChainWriter],
    spread: Duration,
    tag: &str,
) -> Vec<Duration> {
    let votes: Vec<Event> = devices
        .iter_mut()
        .map(|d| d.sign("note.test", &json!({"vote": tag}), 0, town.max))
        .collect();
    let queue = Arc::new(Mutex::new(
        votes
            .into_iter()
            .enumerate()
            .map(|(i, v)| (spread.mul_f64(i as f64 / RESIDENTS as f64), v))
            .collect::<std::collections::VecDeque<_>>(),
    ));
    let start = Instant::now();
    let lost = Arc::new(Mutex::new(0u64));
    let threads: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let queue = Arc::clone(&queue);
            let lost = Arc::clone(&lost);
            let (addr, space) = (hub.addr, town.space);
            std::thread::spawn(move || {
                let mut times = Vec::new();
                loop {
                    let next = queue.lock().expect("queue").pop_front();
                    let Some((at, vote)) = next else { break };
                    if let Some(wait) = at.checked_sub(start.elapsed()) {
                        std::thread::sleep(wait);
                    }
                    let (accepted, took) = post(addr, space, std::slice::from_ref(&vote));
                    if accepted != 1 {
                        *lost.lock().expect("lost") += 1;
                    }
                    times.push(took);
                }
                times
            })
        })
        .collect();
    let mut all: Vec<Duration> = threads
        .into_iter()
        .flat_map(|t| t.join().expect("client"))
        .collect();
    all.sort();
    assert_eq!(*lost.lock().expect("lost"), 0, "every vote acknowledged");
    all
}

fn main() {
    let data = tempfile::tempdir().expect("data");
    let hub = Hub::start(
        data.path(),
        &["--posts-per-minute", "1000000", "--max-connections", "4096"],
    );
    let (town, mut devices) = community(&hub);
    let before = hub.status()["spaces"]["commits"].as_u64().unwrap_or(0);

    let t = Instant::now();
    let times = residents(&hub, &town, &mut devices, Duration::from_secs(60), "spread");
    let commits = hub.status()["spaces"]["commits"].as_u64().unwrap_or(0) - before;
    println!(
        "residents: {RESIDENTS} votes from {CLIENTS} clients over {:.0} s: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, {commits} commits (goal p99 ≤ 100 ms)",
        t.elapsed().as_secs_f64(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
    );

    let before = hub.status()["spaces"]["commits"].as_u64().unwrap_or(0);
    let t = Instant::now();
    let times = residents(&hub, &town, &mut devices, Duration::ZERO, "burst");
    let took = t.elapsed().as_secs_f64();
    let commits = hub.status()["spaces"]["commits"].as_u64().unwrap_or(0) - before;
    println!(
        "last minute: {RESIDENTS} votes from {CLIENTS} clients at once in {took:.2} s ({:.0} posts/s): p50 {:.1} ms, p99 {:.1} ms, {commits} commits",
        RESIDENTS as f64 / took,
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
    );

    // Batched pushes: 20 phones, 6 batches of 500 each.
    let batches: Vec<Vec<Event>> = devices
        .chunks_mut(RESIDENTS / 20)
        .take(20)
        .map(|ds| {
            let d = &mut ds[0];
            (0..3_000)
                .map(|i| d.sign("note.test", &json!({"offline": i}), 0, town.max))
                .collect()
        })
        .collect();
    let t = Instant::now();
    let threads: Vec<_> = batches
        .into_iter()
        .map(|events| {
            let (addr, space) = (hub.addr, town.space);
            std::thread::spawn(move || {
                events
                    .chunks(500)
                    .map(|c| post(addr, space, c).0)
                    .sum::<u64>()
            })
        })
        .collect();
    let accepted: u64 = threads.into_iter().map(|t| t.join().expect("pusher")).sum();
    let took = t.elapsed().as_secs_f64();
    assert_eq!(accepted, 60_000);
    println!(
        "batched pushes: 60,000 events from 20 clients in batches of 500 in {took:.2} s: {:.0} events/s (goal ≥ 10,000)",
        accepted as f64 / took
    );

    // Nothing acknowledged is missing from the stored space.
    let dir = data.path().join("spaces").join(town.space.to_hex());
    let stored = linli_hub::files::read_space(&dir).expect("the space reads back");
    let expected = 1 + 2 * RESIDENTS + 2 * RESIDENTS + 60_000;
    assert_eq!(stored.len(), expected);
    println!(
        "stored: {} events, every acknowledged one (0 lost); hub peak memory {} MB",
        stored.len(),
        hub.peak_kib() / 1024
    );
}
