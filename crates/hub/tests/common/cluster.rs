//! A Garage cluster started by `.ci/garage.sh`, and the scenario that the object-storage
//! tests (`tests/s3.rs`) and the benchmark (`benches/cluster.rs`) run on it: hubs behind one
//! bucket, many clients pushing to one space, an optional fault in the middle, then every
//! check of `docs/sync.md` ("Object storage and several hubs").

#![allow(dead_code)]

use std::collections::HashSet;
use std::net::SocketAddr;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use linli_domain::{ChainWriter, Event, Opener, Space};
use linli_hub::files::{load_file, parse_manifest, sha256_hex, write_space};
use linli_hub::s3::{Location, ObjectStore, Settings};
use linli_hub::storage::{Storage, MANIFEST};
use serde_json::json;

use crate::common::{try_request, Hub, Town};

/// The cluster `.ci/garage.sh` started (its environment).
pub struct Cluster {
    /// The S3 API of each node.
    pub endpoints: Vec<String>,
    pub bucket: String,
    dir: String,
    script: String,
}

impl Cluster {
    /// From the environment `.ci/garage.sh` exports; panics saying how to get one.
    pub fn from_env() -> Cluster {
        let var = |name: &str| {
            std::env::var(name).unwrap_or_else(|_| {
                panic!(
                    "{name} is not set: run these tests inside a Garage cluster, \
                     `bash .ci/garage.sh run cargo test -p linli-hub --test s3 -- --ignored`"
                )
            })
        };
        Cluster {
            endpoints: var("LINLI_S3_ENDPOINTS")
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            bucket: var("LINLI_S3_BUCKET"),
            dir: var("LINLI_GARAGE_DIR"),
            script: var("LINLI_GARAGE_SCRIPT"),
        }
    }

    fn garage(&self, what: &str, node: usize) {
        let ok = Command::new("bash")
            .args([&self.script, what, &self.dir, &node.to_string()])
            .status()
            .expect("run garage.sh")
            .success();
        assert!(ok, "garage.sh {what} {node}");
    }

    /// SIGKILLs storage node `node` (1–3).
    pub fn kill(&self, node: usize) {
        self.garage("kill", node);
    }

    /// Starts node `node` again.
    pub fn restart(&self, node: usize) {
        self.garage("restart", node);
    }

    /// A prefix no other run uses.
    pub fn fresh_prefix(tag: &str) -> String {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_nanos();
        format!("t/{tag}-{nanos}")
    }

    /// `s3://bucket/prefix`.
    pub fn location(&self, prefix: &str) -> String {
        format!("s3://{}/{prefix}", self.bucket)
    }

    /// The store under `prefix`, as a hub would open it (through node 1).
    pub fn store(&self, prefix: &str) -> ObjectStore {
        let settings = Settings::from_env().expect("settings from the environment");
        let location: Location = self.location(prefix).parse().expect("location");
        ObjectStore::new(location, &settings).expect("store")
    }
}

/// What goes wrong in the middle of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    /// Storage node 3 (no hub's gateway) is SIGKILLed, and restarted after the run.
    StorageNode,
    /// The first hub is SIGKILLed; its clients carry on with the other.
    Hub,
}

/// The shape of a run.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub hubs: usize,
    pub clients: usize,
    pub posts: usize,
    pub per_post: usize,
    pub fault: Fault,
}

/// What a run measured.
#[derive(Debug)]
pub struct Outcome {
    /// Events acknowledged (accepted or duplicate), setup included.
    pub acked: usize,
    /// Events sent.
    pub sent: usize,
    /// Acknowledged events that the bucket's manifest does not list: must be 0.
    pub lost: usize,
    /// Listed files whose bytes do not match their SHA-256: must be 0.
    pub bad_files: usize,
    /// Whether the audit of the bucket equals the audit of a local reference copy.
    pub audit_equal: bool,
    /// The audit through a hub's HTTP endpoint (`linli-hub audit URL --json`), and of the
    /// reference folder (`linli-hub audit DIR --json`).
    pub audits: (String, String),
    /// The streaming phase (the clients' posts, fault included).
    pub stream: Duration,
    /// Events acknowledged during the streaming phase.
    pub stream_events: usize,
    /// Posts that failed (a hub killed, a timeout) and were sent again.
    pub failed_posts: usize,
    /// From the end of the stream until the bucket's manifest listed every acknowledged
    /// event (one read of the whole space from the bucket included).
    pub settled_after: Duration,
    /// Acknowledged events the manifest did not list at the first check after the stream
    /// (the repair sweep's work: a hub killed between its manifest write and its re-list).
    pub missing_at_end: usize,
    /// Files and commit records in the bucket.
    pub files: usize,
    pub records: usize,
}

impl Outcome {
    pub fn events_per_s(&self) -> f64 {
        self.stream_events as f64 / self.stream.as_secs_f64()
    }
}

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

/// Posts a batch; the ids the hub acknowledged, or `None` when the post failed.
fn post(addr: SocketAddr, space: linli_domain::Hex32, events: &[Event]) -> Option<Vec<String>> {
    let reply = try_request(
        addr,
        "POST",
        &format!("/spaces/{space}/events"),
        &[("Content-Type", "application/json")],
        body(events).as_bytes(),
    )
    .ok()?;
    if reply.status != 200 {
        return None;
    }
    let receipt: serde_json::Value = serde_json::from_slice(&reply.decoded()).ok()?;
    Some(
        receipt["results"]
            .as_array()?
            .iter()
            .filter(|r| r["status"] == "accepted" || r["status"] == "duplicate")
            .filter_map(|r| r["id"].as_str().map(str::to_owned))
            .collect(),
    )
}

/// Reads the space straight from the bucket: the manifest, every listed file checked
/// against its SHA-256 (mismatches counted, not loaded). Returns the space and the count.
pub fn read_bucket(store: &ObjectStore, space_id: linli_domain::Hex32) -> (Space, usize) {
    let text = store
        .read(&space_id, MANIFEST)
        .expect("read the manifest")
        .expect("a manifest");
    let (_, manifest) = parse_manifest(&text, "bucket").expect("a valid manifest");
    let mut space = Space::new(space_id);
    let mut opener = Opener::default();
    let mut bad = 0;
    for entry in &manifest.files {
        let bytes = store
            .read(&space_id, &entry.path)
            .expect("read a listed file")
            .unwrap_or_default();
        if sha256_hex(&bytes) != entry.sha256 {
            bad += 1;
            continue;
        }
        load_file(&mut space, &mut opener, entry, &bytes).expect("a listed file loads");
    }
    (space, bad)
}

fn audit_cli(target: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_linli-hub"))
        .args(["audit", target, "--json"])
        .output()
        .expect("run linli-hub audit");
    assert!(
        out.status.success(),
        "audit {target}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 report")
}

/// Runs one scenario against the cluster (see the module docs).
pub fn run(cluster: &Cluster, shape: Run) -> Outcome {
    let prefix = Cluster::fresh_prefix("run");
    let location = cluster.location(&prefix);
    let hubs: Vec<Hub> = (0..shape.hubs)
        .map(|i| {
            Hub::start_store(
                &location,
                &cluster.endpoints[i % 2],
                &[
                    "--posts-per-minute",
                    "1000000",
                    "--max-connections",
                    "4096",
                    "--reconcile-every",
                    "1",
                ],
            )
        })
        .collect();
    let addrs: Vec<SocketAddr> = hubs.iter().map(|h| h.addr).collect();

    // The community: a genesis, and one admitted device per client.
    let mut town = Town::new();
    let mut devices: Vec<ChainWriter> = Vec::new();
    let mut setup = vec![town.genesis.clone()];
    for n in 0..shape.clients as u32 {
        setup.push(town.invite(n));
        let (dev, join) = town.join(n);
        setup.push(join);
        devices.push(dev);
    }
    let acked: Arc<Mutex<HashSet<String>>> = Arc::default();
    let ids = post(addrs[0], town.space, &setup).expect("the setup is accepted");
    assert_eq!(ids.len(), setup.len(), "the whole setup acknowledged");
    acked.lock().expect("acked").extend(ids);

    // Every client's posts, signed beforehand.
    let max = town.max;
    let outboxes: Vec<Vec<Vec<Event>>> = devices
        .iter_mut()
        .enumerate()
        .map(|(c, dev)| {
            (0..shape.posts)
                .map(|p| {
                    (0..shape.per_post)
                        .map(|k| dev.sign("note.test", &json!({"c": c, "p": p, "k": k}), 0, max))
                        .collect()
                })
                .collect()
        })
        .collect();
    let mut all: Vec<Event> = setup.clone();
    all.extend(outboxes.iter().flatten().flatten().cloned());

    let alive: Arc<Vec<AtomicBool>> =
        Arc::new(addrs.iter().map(|_| AtomicBool::new(true)).collect());
    let done = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let space = town.space;
    let started = Instant::now();
    let threads: Vec<_> = outboxes
        .into_iter()
        .enumerate()
        .map(|(c, outbox)| {
            let (addrs, alive, acked, done, failed) = (
                addrs.clone(),
                Arc::clone(&alive),
                Arc::clone(&acked),
                Arc::clone(&done),
                Arc::clone(&failed),
            );
            std::thread::spawn(move || {
                let mut hub = c % addrs.len();
                let mut queue: std::collections::VecDeque<Vec<Event>> = outbox.into();
                let deadline = Instant::now() + Duration::from_secs(180);
                while let Some(batch) = queue.pop_front() {
                    assert!(Instant::now() < deadline, "client {c} could not finish");
                    match post(addrs[hub], space, &batch) {
                        Some(ids) if ids.len() == batch.len() => {
                            acked.lock().expect("acked").extend(ids);
                            done.fetch_add(1, Ordering::Relaxed);
                        }
                        other => {
                            // Kept in the outbox, sent again (to a hub that is up).
                            if let Some(ids) = other {
                                acked.lock().expect("acked").extend(ids);
                            }
                            failed.fetch_add(1, Ordering::Relaxed);
                            queue.push_front(batch);
                            std::thread::sleep(Duration::from_millis(50));
                            hub = (hub + 1) % addrs.len();
                            while !alive[hub].load(Ordering::Relaxed) {
                                hub = (hub + 1) % addrs.len();
                            }
                        }
                    }
                }
            })
        })
        .collect();

    // The fault, once 40% of the posts are in.
    let total_posts = shape.clients * shape.posts;
    let mut hubs: Vec<Option<Hub>> = hubs.into_iter().map(Some).collect();
    if shape.fault != Fault::None {
        while done.load(Ordering::Relaxed) * 10 < total_posts * 4 {
            std::thread::sleep(Duration::from_millis(5));
        }
        match shape.fault {
            Fault::StorageNode => cluster.kill(3),
            Fault::Hub => {
                alive[0].store(false, Ordering::Relaxed);
                let hub = hubs[0].take().expect("hub 0");
                let _ = Command::new("kill")
                    .args(["-KILL", &hub.pid().to_string()])
                    .status();
                drop(hub);
            }
            Fault::None => {}
        }
    }
    for t in threads {
        t.join().expect("client thread");
    }
    let stream = started.elapsed();
    if shape.fault == Fault::StorageNode {
        cluster.restart(3);
    }

    // Wait until the bucket's manifest lists every acknowledged event.
    let acked: HashSet<String> = std::mem::take(&mut *acked.lock().expect("acked"));
    let store = cluster.store(&prefix);
    let settle = Instant::now();
    let mut checks = 0;
    let mut first_lost = 0;
    let (space_read, bad_files, lost) = loop {
        checks += 1;
        let (s, bad) = read_bucket(&store, space);
        let lost = acked
            .iter()
            .filter(|id| {
                linli_domain::Hex32::parse(id)
                    .map(|h| s.get(&h).is_none())
                    .unwrap_or(true)
            })
            .count();
        if checks == 1 {
            first_lost = lost;
        }
        if (lost == 0 && bad == 0) || settle.elapsed() > Duration::from_secs(20) {
            break (s, bad, lost);
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let settled_after = settle.elapsed();
    let lost_at_end = if checks == 1 { 0 } else { first_lost };

    // The reference: a local folder with every event sent (all acknowledged by now).
    let reference = tempfile::tempdir().expect("reference");
    let dir = write_space(reference.path(), space, &all, 1_000).expect("reference copy");
    let local = linli_hub::files::read_space(&dir).expect("read the reference");
    let report = |s: &Space| serde_json::to_value(linli_domain::audit::report(s)).expect("json");
    let audit_equal = report(&space_read) == report(&local);
    let live = hubs.iter().flatten().next().expect("a hub up");
    let audits = (
        audit_cli(&format!("http://{}/spaces/{space}", live.addr)),
        audit_cli(&dir.display().to_string()),
    );
    let names = store.list(&space).expect("list");
    let records = names
        .iter()
        .filter(|(n, _)| n.starts_with("commits/"))
        .count();
    let stream_events = shape.clients * shape.posts * shape.per_post;
    Outcome {
        acked: acked.len(),
        sent: all.len(),
        lost,
        bad_files,
        audit_equal,
        audits,
        stream,
        stream_events,
        failed_posts: failed.load(Ordering::Relaxed),
        settled_after,
        missing_at_end: lost_at_end,
        files: names.len() - records,
        records,
    }
}
