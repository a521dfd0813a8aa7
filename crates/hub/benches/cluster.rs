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
//! `LINLI_BENCH_ROUNDS` and `LINLI_BENCH_REPEAT` override the counts.

#[path = "../tests/common/cluster.rs"]
mod cluster;
#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Duration;

use cluster::{Cluster, Fault, Run};

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
