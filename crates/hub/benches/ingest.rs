//! Hub ingest against pure verification: `cargo bench -p linli-hub`.
//!
//! 10,000 signed events (a council inviting, new devices joining, members writing) are posted
//! in batches of 500 through [`Hub::ingest`] into a fresh folder — opening, admission, folding,
//! the durable file and the atomic manifest — and, alternately, only opened with
//! `open_batch`. The fastest of three passes of each is printed with their ratio (the goal is
//! ingest ≥ 0.8 × verification). Not a test: nothing is asserted about the figures.

use std::sync::Arc;
use std::time::Instant;

use linli_domain::envelope::sha256;
use linli_domain::{open_batch, ChainWriter, Event, Hex32};
use linli_hub::ingest::{Hub, Options};
use linli_hub::storage::Folder;
use serde_json::json;

fn events(n: usize) -> (Hex32, Vec<Event>) {
    let mut admin = ChainWriter::new(&[1; 32], None);
    let genesis = admin.sign("space.genesis", &json!({"name": "基准社区"}), 0, 0);
    let space = genesis.id;
    let mut max = genesis.lamport;
    let mut out = vec![genesis];
    let mut members = Vec::new();
    let mut i = 0u32;
    while out.len() < n {
        i += 1;
        if members.len() < 200 {
            let secret = sha256(&i.to_le_bytes()).0;
            let inv = admin.sign(
                "member.invite",
                &json!({"invite": sha256(&secret).to_hex(), "role": "resident", "household": format!("{i}")}),
                0,
                max,
            );
            max = inv.lamport;
            let mut dev = ChainWriter::new(&sha256(&secret).0, Some(space));
            let join = dev.sign(
                "member.join",
                &json!({"secret": linli_domain::id::encode_hex(&secret), "name": "张秀英"}),
                0,
                max,
            );
            max = join.lamport;
            out.push(inv);
            out.push(join);
            members.push(dev);
        } else {
            let dev = &mut members[i as usize % 200];
            let e = dev.sign("note.test", &json!({"text": "楼道灯坏了，已报修"}), 0, max);
            max = e.lamport;
            out.push(e);
        }
    }
    out.truncate(n);
    (space, out)
}

fn main() {
    let (space, events) = events(10_000);
    let batches: Vec<String> = events
        .chunks(500)
        .map(|c| {
            format!(
                "[{}]",
                c.iter()
                    .map(|e| e.envelope.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            )
        })
        .collect();
    let (mut best_verify, mut best_ingest) = (f64::MAX, f64::MAX);
    for _ in 0..3 {
        let t = Instant::now();
        for b in &batches {
            let opened = open_batch(b).expect("batch");
            assert!(opened.iter().all(Result::is_ok));
        }
        best_verify = best_verify.min(t.elapsed().as_secs_f64());

        let dir = tempfile::tempdir().expect("tmp");
        let hub = Hub::new(Arc::new(Folder::new(dir.path())), Options::default());
        let t = Instant::now();
        for b in &batches {
            let receipt = hub.ingest(space, b, true).expect("ingest");
            assert_eq!(receipt.rejected, 0);
        }
        best_ingest = best_ingest.min(t.elapsed().as_secs_f64());
    }
    let n = events.len() as f64;
    println!(
        "hub ingest, fastest of 3 alternating passes over {n} events in batches of 500: \
         verification only {:.1} k events/s; ingest (verify, admit, fold, fsync'd file, \
         atomic manifest) {:.1} k events/s = {:.2} × verification (goal ≥ 0.8)",
        n / best_verify / 1e3,
        n / best_ingest / 1e3,
        best_verify / best_ingest
    );
}
