//! The hub on a real S3-compatible store: a 3-node Garage cluster on loopback, started by
//! `.ci/garage.sh`. Tests that need the cluster are `#[ignore]`d, so that a plain
//! `cargo test` passes without one; `.ci/test` runs them inside a fresh cluster:
//!
//! ```text
//! bash .ci/garage.sh run cargo test -p linli-hub --test s3 -- --ignored --test-threads 1
//! ```
//!
//! What they check (docs/sync.md, "Object storage and several hubs"): the backend's
//! operations and its errors; that Garage really ignores conditional PUTs (why the hub uses
//! commit records); and two hubs behind one bucket taking pushes from 40 clients to one
//! space — plain, with a storage node SIGKILLed mid-stream, and with a hub SIGKILLed
//! mid-stream — after which every acknowledged event is in a file the manifest lists, every
//! listed file matches its SHA-256, and the audit of the bucket equals the audit of a local
//! reference copy.

#[path = "common/cluster.rs"]
mod cluster;
mod common;

use std::io::ErrorKind;
use std::time::Duration;

use cluster::{Cluster, Fault, Run};
use linli_hub::s3::retry::Retry;
use linli_hub::s3::{Location, ObjectStore, Settings};
use linli_hub::storage::{Storage, MANIFEST};

const SPACE: linli_domain::Hex32 = linli_domain::Hex32([7; 32]);

fn settings() -> Settings {
    Settings::from_env().expect("settings from the environment")
}

fn store_with(location: &str, settings: &Settings) -> ObjectStore {
    let location: Location = location.parse().expect("location");
    ObjectStore::new(location, settings).expect("store")
}

#[test]
#[ignore = "needs a Garage cluster: bash .ci/garage.sh run cargo test -p linli-hub --test s3 -- --ignored"]
fn the_backend_puts_reads_lists_and_removes() {
    let cluster = Cluster::from_env();
    let store = cluster.store(&Cluster::fresh_prefix("backend"));
    store.check().expect("bucket and key are usable");
    assert_eq!(store.read(&SPACE, MANIFEST).expect("read"), None);
    assert!(store.spaces().expect("spaces").is_empty());

    store
        .put_file(&SPACE, "events-0123.json", b"[]\n")
        .expect("put");
    store
        .put_file(&SPACE, "commits/0001-a-00000001.json", b"{\"adds\":[]}")
        .expect("put a record");
    store.put_manifest(&SPACE, b"one").expect("manifest");
    store.put_manifest(&SPACE, b"two").expect("manifest again");
    assert_eq!(
        store.read(&SPACE, MANIFEST).expect("read").as_deref(),
        Some(&b"two"[..])
    );
    assert_eq!(
        store
            .read(&SPACE, "events-0123.json")
            .expect("read")
            .as_deref(),
        Some(&b"[]\n"[..])
    );
    let mut names: Vec<String> = store
        .list(&SPACE)
        .expect("list")
        .into_iter()
        .map(|(n, _)| n)
        .filter(|n| !n.starts_with("probe-"))
        .collect();
    names.sort();
    // The first manifest write made the empty snapshot index beside it, for phones reading
    // the bucket directly (docs/sync.md, "Static reads from the bucket").
    assert_eq!(
        names,
        [
            "commits/0001-a-00000001.json",
            "events-0123.json",
            MANIFEST,
            "snapshots.json"
        ]
    );
    let index = store
        .read(&SPACE, "snapshots.json")
        .expect("read")
        .expect("an index");
    let index: serde_json::Value = serde_json::from_slice(&index).expect("json");
    assert_eq!(
        index,
        serde_json::json!({"space": SPACE.to_hex(), "snapshots": []})
    );
    let records = store.list_under(&SPACE, "commits/").expect("list commits");
    assert_eq!(records.len(), 1);
    let age = std::time::SystemTime::now()
        .duration_since(records[0].1)
        .unwrap_or_default();
    assert!(
        age < Duration::from_secs(120),
        "last-modified parsed: {age:?}"
    );
    assert_eq!(store.spaces().expect("spaces"), vec![SPACE]);
    // A published index is never replaced by the empty one.
    let other = linli_domain::Hex32([9; 32]);
    let published = br#"{"space":"x","snapshots":[{"path":"snapshots/a.json"}]}"#;
    store
        .put_file(&other, "snapshots.json", published)
        .expect("put an index");
    store.put_manifest(&other, b"m").expect("manifest");
    assert_eq!(
        store
            .read(&other, "snapshots.json")
            .expect("read")
            .as_deref(),
        Some(&published[..])
    );
    for name in ["snapshots.json", MANIFEST] {
        store.remove(&other, name).expect("remove");
    }

    // What one request costs on this cluster (printed, not asserted).
    let n = 20;
    let t = std::time::Instant::now();
    for i in 0..n {
        store
            .put_file(&SPACE, &format!("probe-{i}.json"), &[b'x'; 2048])
            .expect("put");
    }
    let put = t.elapsed() / n;
    let t = std::time::Instant::now();
    for i in 0..n {
        store.read(&SPACE, &format!("probe-{i}.json")).expect("get");
    }
    let get = t.elapsed() / n;
    let t = std::time::Instant::now();
    for _ in 0..n {
        store.list_under(&SPACE, "commits/").expect("list");
    }
    let list = t.elapsed() / n;
    println!("one request: PUT 2 KiB {put:?}, GET {get:?}, LIST {list:?}");
    let mut each = Vec::new();
    for i in 0..n {
        let t = std::time::Instant::now();
        store.read(&SPACE, &format!("probe-{i}.json")).expect("get");
        each.push(t.elapsed().as_micros());
    }
    println!("GETs (µs): {each:?}");

    store.remove(&SPACE, "events-0123.json").expect("remove");
    store
        .remove(&SPACE, "events-0123.json")
        .expect("removing what is gone is fine");
    assert_eq!(store.read(&SPACE, "events-0123.json").expect("read"), None);
    assert!(store.read(&SPACE, "../x").is_err(), "unsafe paths refused");
}

#[test]
#[ignore = "needs a Garage cluster"]
fn a_missing_bucket_is_named() {
    let _cluster = Cluster::from_env();
    let store = store_with("s3://linli-no-such-bucket/x", &settings());
    let e = store.check().expect_err("no such bucket");
    println!("missing bucket: {e}");
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    assert!(e.to_string().contains("linli-no-such-bucket"), "{e}");
}

#[test]
#[ignore = "needs a Garage cluster"]
fn bad_credentials_name_the_variable_to_fix() {
    let cluster = Cluster::from_env();
    let location = cluster.location("x");
    let mut unknown = settings();
    unknown.key = "GK0123456789abcdef01234567".into();
    let e = store_with(&location, &unknown)
        .check()
        .expect_err("unknown key");
    println!("unknown key: {e}");
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");
    assert!(e.to_string().contains("AWS_ACCESS_KEY_ID"), "{e}");
    assert!(!e.to_string().contains("AWS_SECRET_ACCESS_KEY"), "{e}");

    let mut wrong = settings();
    wrong.secret = "0".repeat(64);
    let e = store_with(&location, &wrong)
        .check()
        .expect_err("wrong secret");
    println!("wrong secret: {e}");
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");
    assert!(e.to_string().contains("AWS_SECRET_ACCESS_KEY"), "{e}");
    assert!(!e.to_string().contains("AWS_ACCESS_KEY_ID"), "{e}");
}

/// Needs no cluster: a closed port on loopback.
#[test]
fn an_unreachable_store_is_named_after_bounded_retries() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let settings = Settings {
        endpoint: format!("http://127.0.0.1:{port}").parse().expect("url"),
        region: "garage".into(),
        key: "GK0123456789abcdef01234567".into(),
        secret: "0".repeat(64),
        path_style: true,
        retry: Retry {
            first: Duration::from_millis(20),
            cap: Duration::from_millis(200),
            budget: Duration::from_secs(1),
        },
        timeout: Duration::from_secs(1),
    };
    let started = std::time::Instant::now();
    let e = store_with("s3://linli/x", &settings)
        .check()
        .expect_err("nothing listens");
    let took = started.elapsed();
    println!("unreachable after {took:?}: {e}");
    assert_eq!(e.kind(), ErrorKind::TimedOut, "{e}");
    assert!(e.to_string().contains("AWS_ENDPOINT_URL"), "{e}");
    assert!(took < Duration::from_secs(3), "bounded: {took:?}");
}

/// The evidence for docs/sync.md: Garage 2.5.0 accepts a PUT whatever its `If-None-Match`
/// or `If-Match` says, so neither create-only nor compare-and-swap can guard the manifest.
/// If this starts failing, Garage gained conditional writes: revisit the design notes.
#[test]
#[ignore = "needs a Garage cluster"]
fn garage_ignores_conditional_puts() {
    use rusty_s3::S3Action as _;
    let cluster = Cluster::from_env();
    let s = settings();
    let bucket = rusty_s3::Bucket::new(
        s.endpoint.clone(),
        rusty_s3::UrlStyle::Path,
        cluster.bucket.clone(),
        s.region.clone(),
    )
    .expect("bucket");
    let creds = rusty_s3::Credentials::new(s.key.clone(), s.secret.clone());
    let key = format!("{}/probe.json", Cluster::fresh_prefix("probe"));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let put = |body: &str, header: Option<(&str, &str)>| -> (u16, String) {
        let url = bucket
            .put_object(Some(&creds), &key)
            .sign(Duration::from_secs(60));
        let mut req = agent.put(url.as_str());
        if let Some((k, v)) = header {
            req = req.header(k, v);
        }
        let resp = req.send(body).expect("PUT");
        let etag = resp
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        (resp.status().as_u16(), etag)
    };
    let (status, first_etag) = put("one", None);
    assert_eq!(status, 200);
    let (status, _) = put("two", Some(("if-none-match", "*")));
    println!("PUT If-None-Match: * over an existing key -> {status} (AWS, MinIO: 412)");
    assert_eq!(status, 200, "Garage now honours If-None-Match on PUT");
    let (status, _) = put("three", Some(("if-match", "\"0000\"")));
    println!("PUT If-Match with a wrong ETag -> {status} (AWS, MinIO: 412)");
    assert_eq!(status, 200, "Garage now honours If-Match on PUT");
    let (status, _) = put("four", Some(("if-match", &first_etag)));
    println!("PUT If-Match with a stale ETag {first_etag} -> {status}");
    assert_eq!(status, 200);
    let url = bucket
        .get_object(Some(&creds), &key)
        .sign(Duration::from_secs(60));
    let mut resp = agent.get(url.as_str()).call().expect("GET");
    let text = resp.body_mut().read_to_string().expect("body");
    assert_eq!(text, "four", "every PUT overwrote the object");
}

#[test]
#[ignore = "needs a Garage cluster"]
fn serve_refuses_a_missing_bucket_at_start() {
    let _cluster = Cluster::from_env();
    let dist = tempfile::tempdir().expect("dist");
    std::fs::write(dist.path().join("index.html"), "<!DOCTYPE html>").expect("index");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_linli-hub"))
        .args(["serve", "--addr", "127.0.0.1:0", "--dist"])
        .arg(dist.path())
        .args(["--store", "s3://linli-no-such-bucket/p"])
        .output()
        .expect("run the hub");
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stderr}");
    assert!(!out.status.success());
    assert!(stderr.contains("linli-no-such-bucket"), "{stderr}");
}

fn check(fault: Fault) {
    let cluster = Cluster::from_env();
    let shape = Run {
        hubs: 2,
        clients: 40,
        posts: 8,
        per_post: 5,
        fault,
    };
    let o = cluster::run(&cluster, shape);
    println!(
        "{fault:?}: {} events acknowledged of {} sent, {} lost, {} bad files; stream {:.2} s \
         ({:.0} events/s), {} failed posts sent again; {} acknowledged events missing from \
         the manifest at the end of the stream, all listed {:?} later; {} files, {} commit \
         records",
        o.acked,
        o.sent,
        o.lost,
        o.bad_files,
        o.stream.as_secs_f64(),
        o.events_per_s(),
        o.failed_posts,
        o.missing_at_end,
        o.settled_after,
        o.files,
        o.records
    );
    assert_eq!(o.acked, o.sent, "every event acknowledged in the end");
    assert_eq!(o.lost, 0, "no acknowledged event missing from the manifest");
    assert_eq!(o.bad_files, 0, "every listed file matches its SHA-256");
    assert!(o.audit_equal, "the bucket's audit equals the reference's");
    assert_eq!(
        o.audits.0, o.audits.1,
        "`linli-hub audit` through a hub equals the audit of the reference folder"
    );
}

#[test]
#[ignore = "needs a Garage cluster"]
fn two_hubs_forty_clients_one_space() {
    check(Fault::None);
}

#[test]
#[ignore = "needs a Garage cluster"]
fn a_storage_node_killed_mid_stream_loses_nothing() {
    check(Fault::StorageNode);
}

#[test]
#[ignore = "needs a Garage cluster"]
fn a_hub_killed_mid_stream_loses_nothing() {
    check(Fault::Hub);
}

/// What a hub killed between its manifest write and its re-list leaves: a manifest that
/// misses another hub's acknowledged commit. Simulated by writing an older manifest back
/// into the bucket; the hub serving the space repairs it within its reconcile period
/// (`--reconcile-every`, 2 s by default). The time is printed, not asserted.
#[test]
#[ignore = "needs a Garage cluster"]
fn a_stale_manifest_is_repaired_by_the_serving_hub() {
    let cluster = Cluster::from_env();
    let prefix = Cluster::fresh_prefix("repair");
    let hub = common::Hub::start_store(&cluster.location(&prefix), &cluster.endpoints[0], &[]);
    let store = cluster.store(&prefix);
    let mut town = common::Town::new();
    let invite = town.invite(1);
    assert_eq!(hub.post(town.space, &[&town.genesis, &invite]).status, 200);
    let older = store
        .read(&town.space, MANIFEST)
        .expect("read")
        .expect("manifest");
    let (_dev, join) = town.join(1);
    let reply = hub.post(town.space, &[&join]);
    assert_eq!(reply.json()["accepted"], 1);
    let listed = |store: &ObjectStore| {
        let text = store
            .read(&town.space, MANIFEST)
            .expect("read")
            .expect("manifest");
        let (_, m) = linli_hub::files::parse_manifest(&text, "bucket").expect("valid");
        m.files.len()
    };
    let complete = listed(&store);
    store.put_manifest(&town.space, &older).expect("stale");
    let started = std::time::Instant::now();
    while listed(&store) < complete {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "never repaired"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    println!(
        "a manifest missing an acknowledged commit was repaired {:?} after it was written \
         (reconcile period 2 s)",
        started.elapsed()
    );
}
