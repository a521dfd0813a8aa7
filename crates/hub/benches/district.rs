//! A district (街道) of communities on one hub: start-up time and memory must not grow with
//! the spaces it is not serving right now. Run with `cargo bench -p linli-hub --bench district`
//! (or `tests/bench/district.sh`); `DISTRICT_SPACES` (default 100) communities of
//! `DISTRICT_RESIDENTS` (default 1,280) residents in `DISTRICT_HOUSEHOLDS` (default 500)
//! households, about 10,500 events each: a million events for the default district.
//!
//! 1. **The district**: generated once with `linli-hub demo --communities N` into the target
//!    folder and reused (each run serves a hard-linked copy: the hub replaces files by rename,
//!    so the cache is never changed).
//! 2. **Start-up**: from starting the process to its first answer, with the whole district
//!    and with one community — goal ≤ 1 s, and no growth with the number of spaces.
//! 3. **Ten active spaces**: a new resident joins in each of 10 communities (which loads the
//!    space: every event verified, the roster folded); resident memory after — goal ≤ 200 MB.
//! 4. **The whole district in turn**: every community gets a join, with spaces leaving memory
//!    after 2 s without a post; the peak resident memory over the run stays that of the
//!    spaces active at once, not of all the spaces served.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{get, Hub};
use linli_domain::envelope::sha256;
use linli_domain::{ChainWriter, Event, Hex32};
use serde_json::json;

fn env_or(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The district's folder, generated when missing.
fn district(spaces: u32, households: u32, residents: u32) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("district-{spaces}x{households}x{residents}"));
    let done = dir.join("generated");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let t = Instant::now();
        let status = Command::new(env!("CARGO_BIN_EXE_linli-hub"))
            .args(["demo", "--out"])
            .arg(&dir)
            .args(["--communities", &spaces.to_string()])
            .args(["--households", &households.to_string()])
            .args(["--residents", &residents.to_string()])
            .stdout(std::process::Stdio::null())
            .status()
            .expect("run linli-hub demo");
        assert!(status.success(), "linli-hub demo failed");
        std::fs::write(&done, b"").expect("mark the district generated");
        println!(
            "generated the district in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    dir
}

/// A hard-linked copy of `from` (the hub never writes into a file in place).
fn linked_copy(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    let status = Command::new("cp")
        .arg("-al")
        .arg(from)
        .arg(to)
        .status()
        .expect("cp -al");
    assert!(status.success(), "cp -al failed");
}

/// `VmRSS` or `VmHWM` of a process, in MiB.
fn memory_mib(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("memory field");
    kib / 1024.0
}

/// Starts a hub on `data`; the time from spawning it to its first answer.
fn start(data: &Path, idle_space: u64) -> (Hub, Duration) {
    let t = Instant::now();
    let hub = Hub::start(data, &["--idle-space", &idle_space.to_string()]);
    let r = get(hub.addr, "/_hub/status", &[]);
    assert_eq!(r.status, 200);
    (hub, t.elapsed())
}

/// One unused resident invitation per space, from `demo-invites.json`.
fn invitations(dir: &Path) -> Vec<(Hex32, [u8; 32])> {
    let text = std::fs::read(dir.join("demo-invites.json")).expect("demo-invites.json");
    let list: Vec<serde_json::Value> = serde_json::from_slice(&text).expect("invites json");
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for i in &list {
        let space = i["space"].as_str().expect("space").to_owned();
        if i["role"] == "resident" && seen.insert(space.clone()) {
            let mut secret = [0u8; 32];
            let hex = i["secret"].as_str().expect("secret");
            for (k, b) in secret.iter_mut().enumerate() {
                *b = u8::from_str_radix(&hex[2 * k..2 * k + 2], 16).expect("hex secret");
            }
            out.push((Hex32::parse(&space).expect("space id"), secret));
        }
    }
    out
}

/// A new phone's join with invitation `secret` (what the app signs when a link is opened).
fn join(space: Hex32, secret: &[u8; 32], run: u64) -> Event {
    let mut seed = *secret;
    seed[..8].copy_from_slice(&run.to_le_bytes());
    let mut dev = ChainWriter::new(&sha256(&seed).0, Some(space));
    dev.sign(
        "member.join",
        &json!({"secret": linli_domain::id::encode_hex(secret), "name": "张秀英"}),
        1_793_000_000_000,
        u64::MAX / 4,
    )
}

fn main() {
    let spaces = env_or("DISTRICT_SPACES", 100);
    let households = env_or("DISTRICT_HOUSEHOLDS", 500);
    let residents = env_or("DISTRICT_RESIDENTS", 1280);
    let cache = district(spaces, households, residents);
    let invites = invitations(&cache);
    assert_eq!(invites.len(), spaces as usize, "one invitation per space");
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("district-run");

    // Start-up with one community, then with the district.
    let one = work.join("one");
    std::fs::create_dir_all(one.join("spaces")).expect("one");
    let first = invites[0].0.to_hex();
    let _ = std::fs::remove_dir_all(one.join("spaces").join(&first));
    linked_copy(
        &cache.join("spaces").join(&first),
        &one.join("spaces").join(&first),
    );
    let (hub, took_one) = start(&one, 600);
    let rss_one = memory_mib(hub.pid(), "VmRSS:");
    drop(hub);
    let all = work.join("all");
    linked_copy(&cache, &all);
    let (hub, took_all) = start(&all, 600);
    std::thread::sleep(Duration::from_secs(1));
    let rss_idle = memory_mib(hub.pid(), "VmRSS:");
    println!(
        "start-up: {:.0} ms serving 1 space, {:.0} ms serving {spaces} (goal ≤ 1000 ms); resident memory idle {rss_one:.1} MiB with 1, {rss_idle:.1} MiB with {spaces}",
        took_one.as_secs_f64() * 1000.0,
        took_all.as_secs_f64() * 1000.0,
    );

    // Ten communities active at once.
    let mut loads = Vec::new();
    let mut events = 0;
    for (space, secret) in invites.iter().take(10) {
        let t = Instant::now();
        let r = hub.post(*space, &[&join(*space, secret, run)]);
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.decoded()));
        assert_eq!(r.json()["accepted"], 1, "{}", r.json());
        loads.push(t.elapsed());
    }
    let status = hub.status();
    events += status["spaces"]["events"].as_u64().unwrap_or(0);
    let rss_ten = memory_mib(hub.pid(), "VmRSS:");
    let peak_ten = memory_mib(hub.pid(), "VmHWM:");
    loads.sort();
    println!(
        "10 active spaces ({} loaded, {events} events held): resident {rss_ten:.1} MiB, peak {peak_ten:.1} MiB (goal ≤ 200 MB); first post to a space (loads it) median {:.0} ms, slowest {:.0} ms",
        status["spaces"]["loaded"],
        loads[loads.len() / 2].as_secs_f64() * 1000.0,
        loads[loads.len() - 1].as_secs_f64() * 1000.0,
    );
    drop(hub);

    // The whole district in turn, idle spaces leaving memory after 2 s.
    linked_copy(&cache, &all);
    let (hub, _) = start(&all, 2);
    let t = Instant::now();
    let mut most_loaded = 0;
    for (space, secret) in &invites {
        let r = hub.post(*space, &[&join(*space, secret, run + 1)]);
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.decoded()));
        most_loaded = most_loaded.max(hub.status()["spaces"]["loaded"].as_u64().unwrap_or(0));
    }
    let took = t.elapsed();
    std::thread::sleep(Duration::from_secs(4));
    let after = hub.status();
    println!(
        "all {spaces} spaces in turn in {:.1} s: at most {most_loaded} in memory at once, peak resident {:.1} MiB; 4 s after the last post {} loaded, resident {:.1} MiB",
        took.as_secs_f64(),
        memory_mib(hub.pid(), "VmHWM:"),
        after["spaces"]["loaded"],
        memory_mib(hub.pid(), "VmRSS:"),
    );
    drop(hub);
    let _ = std::fs::remove_dir_all(&work);
}
