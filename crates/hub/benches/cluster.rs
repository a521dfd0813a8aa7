//! Hubs on one bucket of a 3-node Garage cluster on loopback (bounded: a few minutes).
//! Run inside a cluster:
//!
//! ```text
//! bash .ci/garage.sh run cargo bench -p linli-hub --bench cluster
//! ```
//!
//! 1. **Throughput**: 40 clients pushing batches of 5 events to one space, through one hub,
//!    then through two hubs on the same bucket (each measured `REPEAT` times; the median is
//!    reported). Goal: two hubs ≥ 1.6× one hub.
//! 2. **Faults**: the two-hub run with a storage node SIGKILLed mid-stream, and with a hub
//!    SIGKILLed mid-stream, `ROUNDS` times each, counting acknowledged events missing from
//!    the bucket's manifest. Goal: 0 in every round.
//!
//! 3. **LIST cost**: a full LIST of a space's commit records with 1,000 and 5,000 of them,
//!    against the windowed LIST a commit makes (`start-after` five minutes back).
//!
//! `LINLI_BENCH_ROUNDS` and `LINLI_BENCH_REPEAT` override the counts.

#[path = "../tests/common/cluster.rs"]
mod cluster;
#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use cluster::{Cluster, Fault, Run};
use linli_hub::storage::Storage;

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    if std::env::var("LINLI_GARAGE_DIR").is_err() {
        eprintln!(
            "no Garage cluster: run `bash .ci/garage.sh run cargo bench -p linli-hub --bench cluster`"
        );
        return;
    }
    let cluster = Cluster::from_env();
    let repeat = env_count("LINLI_BENCH_REPEAT", 3);
    let rounds = env_count("LINLI_BENCH_ROUNDS", 20);
    let shape = |hubs, fault| Run {
        hubs,
        clients: 40,
        posts: 10,
        per_post: 5,
        fault,
    };

    println!("== throughput: 40 clients, 10 posts of 5 events each, one space");
    let mut rates = Vec::new();
    for hubs in [1, 2] {
        let runs: Vec<f64> = (0..repeat)
            .map(|_| {
                let o = cluster::run(&cluster, shape(hubs, Fault::None));
                assert_eq!(o.lost, 0);
                println!(
                    "   {hubs} hub(s): {:.0} events/s ({:.2} s, {} commit records)",
                    o.events_per_s(),
                    o.stream.as_secs_f64(),
                    o.records
                );
                o.events_per_s()
            })
            .collect();
        let m = median(runs);
        println!("{hubs} hub(s): median {m:.0} events/s");
        rates.push(m);
    }
    println!(
        "two hubs / one hub: {:.2}x (goal >= 1.6x)",
        rates[1] / rates[0]
    );

    list_cost(&cluster);

    for fault in [Fault::StorageNode, Fault::Hub] {
        println!("== {fault:?} killed mid-stream, {rounds} rounds");
        let mut lost_total = 0;
        let mut worst_settle = Duration::ZERO;
        for round in 0..rounds {
            let o = cluster::run(&cluster, shape(2, fault));
            println!(
                "   round {round}: {} acknowledged, {} lost, {} bad files, audit equal {}, \
                 {} posts sent again, manifest complete {:?} after the stream",
                o.acked, o.lost, o.bad_files, o.audit_equal, o.failed_posts, o.settled_after
            );
            assert!(o.audit_equal && o.bad_files == 0);
            lost_total += o.lost;
            worst_settle = worst_settle.max(o.settled_after);
        }
        println!(
            "{fault:?}: {lost_total} acknowledged events lost over {rounds} rounds; manifest \
             complete at most {worst_settle:?} after the stream"
        );
        assert_eq!(lost_total, 0);
    }
}

/// Times a full LIST of `commits/` and a windowed one, as the space's history grows.
fn list_cost(cluster: &Cluster) {
    println!("== LIST cost of commit records");
    let store = std::sync::Arc::new(cluster.store(&Cluster::fresh_prefix("list")));
    let space = linli_domain::Hex32([9; 32]);
    let old = 1_000_000_000_000u64; // names from 2001: all outside the window
    let mut made = 0;
    for target in [1_000usize, 5_000] {
        let t = Instant::now();
        let threads: Vec<_> = (0..16)
            .map(|k| {
                let store = std::sync::Arc::clone(&store);
                let range = made..target;
                std::thread::spawn(move || {
                    for i in range.filter(|i| i % 16 == k) {
                        let name = format!("commits/{:013}-bench000-{i:08}.json", old + i as u64);
                        store
                            .put_file(&space, &name, br#"{"adds":[],"retires":[]}"#)
                            .expect("put a record");
                    }
                })
            })
            .collect();
        for th in threads {
            th.join().expect("writer");
        }
        println!("   wrote {} records in {:?}", target - made, t.elapsed());
        made = target;
        let t = Instant::now();
        let n = store.list_under(&space, "commits/").expect("list").len();
        let full = t.elapsed();
        let t = Instant::now();
        let from = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_millis()
            - 300_000;
        let w = store
            .list_after(&space, "commits/", &format!("commits/{from:013}"))
            .expect("list")
            .len();
        let windowed = t.elapsed();
        println!("{n} records: full LIST {full:?}, windowed LIST {windowed:?} ({w} keys)");
    }
}
