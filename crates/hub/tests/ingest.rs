//! `POST /spaces/{space}/events` against the real binary on a loopback port: acceptance,
//! duplicates, tampering, strangers, limits, CORS and ETags, concurrent writers, packing, and
//! a SIGKILL in the middle of a stream of posts.

mod common;

use std::path::Path;

use common::{get, request, try_request, Hub, Reply, Town};
use linli_domain::envelope::sha256;
use linli_domain::{ChainWriter, Event, Hex32};
use serde_json::{json, Value};

fn statuses(r: &Reply) -> Vec<String> {
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.decoded()));
    r.json()["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|x| match x["code"].as_str() {
            Some(code) => format!("{}:{code}", x["status"].as_str().unwrap_or("")),
            None => x["status"].as_str().unwrap_or("").to_owned(),
        })
        .collect()
}

/// The audit of the stored space: accepted count and every rejected code.
fn audit(data: &Path, space: Hex32) -> linli_domain::audit::Report {
    let dir = data.join("spaces").join(space.to_hex());
    let space = linli_hub::files::read_space(&dir).expect("the stored space reads back");
    linli_domain::audit::report(&space)
}

#[test]
fn accepts_dedupes_and_rejects_with_reasons() {
    let data = tempfile::tempdir().expect("data");
    let hub = Hub::start(data.path(), &[]);
    let mut town = Town::new();
    let inv = town.invite(1);
    let (mut dev, join) = town.join(1);
    let r = hub.post(town.space, &[&town.genesis, &inv, &join]);
    assert_eq!(statuses(&r), ["accepted", "accepted", "accepted"]);
    assert_eq!(r.json()["accepted"], 3);

    // Again, plus a repeat inside the batch: duplicates, nothing written twice.
    let r = hub.post(town.space, &[&inv, &join, &join]);
    assert_eq!(statuses(&r), ["duplicate", "duplicate", "duplicate"]);

    // A tampered envelope, a stranger, an event of another space, and a good one.
    let note = dev.sign("note.test", &json!({}), 0, town.max);
    let tampered = note.envelope.replacen("\"sig\":\"", "\"sig\":\"A", 1);
    let mut stranger = ChainWriter::new(&[9; 32], Some(town.space));
    let strange = stranger.sign("note.test", &json!({}), 0, town.max);
    let mut elsewhere = ChainWriter::new(&[8; 32], Some(Hex32([5; 32])));
    let other = elsewhere.sign("note.test", &json!({}), 0, 1);
    let body = format!(
        "[{},{},{},{}]",
        tampered, strange.envelope, other.envelope, note.envelope
    );
    let r = hub.post_raw(town.space, body.as_bytes());
    assert_eq!(
        statuses(&r),
        [
            "rejected:bad_envelope",
            "rejected:unknown_author",
            "rejected:wrong_space",
            "accepted"
        ]
    );
    let results = r.json()["results"].clone();
    assert_eq!(
        results[1]["retry"], true,
        "an unknown author may be admitted later"
    );
    assert_eq!(results[2]["retry"], false);
    assert_eq!(results[1]["id"], strange.id.to_hex());

    // What is stored folds to what was acknowledged: 4 accepted, the unknown kind rejected
    // by the fold (stored as evidence), nothing of the refused ones.
    let report = audit(&hub.data, town.space);
    assert_eq!(report.events.accepted, 3);
    assert_eq!(report.rejections.len(), 1);
    assert_eq!(report.members.len(), 2);
}

#[test]
fn a_join_waits_for_its_invitation() {
    let data = tempfile::tempdir().expect("data");
    let hub = Hub::start(data.path(), &[]);
    let mut town = Town::new();
    assert_eq!(
        statuses(&hub.post(town.space, &[&town.genesis])),
        ["accepted"]
    );
    let inv = town.invite(1);
    let (_, join) = town.join(1);
    // The new phone reaches the hub before the council's phone does.
    let r = hub.post(town.space, &[&join]);
    assert_eq!(statuses(&r), ["rejected:invite_unknown"]);
    assert_eq!(r.json()["results"][0]["retry"], true);
    assert_eq!(statuses(&hub.post(town.space, &[&inv])), ["accepted"]);
    assert_eq!(statuses(&hub.post(town.space, &[&join])), ["accepted"]);
    // A second device revealing the same secret is refused for good.
    let secret = sha256(&1u32.to_le_bytes()).0;
    let mut thief = ChainWriter::new(&[7; 32], Some(town.space));
    let again = thief.sign(
        "member.join",
        &json!({"secret": linli_domain::id::encode_hex(&secret), "name": "冒名"}),
        0,
        town.max,
    );
    let r = hub.post(town.space, &[&again]);
    assert_eq!(statuses(&r), ["rejected:invite_used"]);
    assert_eq!(r.json()["results"][0]["retry"], false);
}

#[test]
fn limits_answer_with_their_own_status_and_message() {
    let data = tempfile::tempdir().expect("data");
    let hub = Hub::start(
        data.path(),
        &["--max-body", "4096", "--posts-per-minute", "6"],
    );
    let town = Town::new();
    let big = vec![b' '; 5000];
    let r = hub.post_raw(town.space, &big);
    assert_eq!(r.status, 413);
    assert!(r.json()["error"].as_str().unwrap_or("").contains("4096"));
    let r = hub.post_raw(town.space, b"{\"not\":\"an array\"}");
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]
        .as_str()
        .unwrap_or("")
        .contains("JSON array"));
    let r = hub.post(Hex32([3; 32]), &[]);
    assert_eq!(r.status, 404, "no such space, and nothing founds it");
    let r = request(hub.addr, "POST", "/spaces/XYZ/events", &[], b"[]");
    assert_eq!(r.status, 404);
    // Four batches so far, six a minute: the next two pass, then 429 with Retry-After.
    for _ in 0..2 {
        assert_ne!(hub.post(Hex32([3; 32]), &[]).status, 429);
    }
    let r = hub.post(Hex32([3; 32]), &[]);
    assert_eq!(r.status, 429);
    let wait: u64 = r
        .header("retry-after")
        .parse()
        .expect("Retry-After seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(r.json()["error"]
        .as_str()
        .unwrap_or("")
        .contains("too many"));
}

#[test]
fn batches_over_the_limit_are_refused_whole() {
    let data = tempfile::tempdir().expect("data");
    let hub = Hub::start(data.path(), &[]);
    let town = Town::new();
    let body = format!("[{}{}]", town.genesis.envelope, ",{}".repeat(10_000));
    let r = hub.post_raw(town.space, body.as_bytes());
    assert_eq!(r.status, 413);
    assert!(r.json()["error"].as_str().unwrap_or("").contains("10000"));
    assert!(
        !hub.data.join("spaces").join(town.space.to_hex()).exists(),
        "nothing of a refused batch is stored"
    );
}

#[test]
fn reads_carry_etags_cors_and_caching_rules() {
    let data = tempfile::tempdir().expect("data");
    let hub = Hub::start(data.path(), &[]);
    let mut town = Town::new();
    let inv = town.invite(1);
    hub.post(town.space, &[&town.genesis, &inv]);
    let path = format!("/spaces/{}/manifest.json", town.space);
    let m = get(hub.addr, &path, &[("Origin", "https://example.org")]);
    assert_eq!(m.status, 200);
    assert_eq!(m.header("cache-control"), "no-cache");
    assert_eq!(m.header("access-control-allow-origin"), "*");
    assert!(m.header("access-control-expose-headers").contains("etag"));
    let etag = m.header("etag").to_owned();
    assert!(etag.starts_with('"') && etag.len() == 34, "{etag}");
    let again = get(hub.addr, &path, &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());

    let manifest = m.json();
    let file = manifest["files"][0]["path"]
        .as_str()
        .expect("a file")
        .to_owned();
    let f = get(hub.addr, &format!("/spaces/{}/{file}", town.space), &[]);
    assert_eq!(f.status, 200);
    assert_eq!(
        f.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        linli_hub::files::sha256_hex(&f.decoded()),
        manifest["files"][0]["sha256"].as_str().expect("sha")
    );

    // Compressed once into a sibling the hub keeps, then served from it; tags per encoding.
    for enc in ["br", "gzip"] {
        let url = format!("/spaces/{}/{file}", town.space);
        let first = get(hub.addr, &url, &[("Accept-Encoding", enc)]);
        assert_eq!(first.header("content-encoding"), enc, "on the fly");
        assert_eq!(first.decoded(), f.decoded());
        let sibling = if enc == "br" { "br" } else { "gz" };
        let path = hub
            .data
            .join("spaces")
            .join(town.space.to_hex())
            .join(format!("{file}.{sibling}"));
        for _ in 0..100 {
            if path.is_file() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(
            path.is_file(),
            "the sibling is written after the first request"
        );
        let again = get(hub.addr, &url, &[("Accept-Encoding", enc)]);
        assert_eq!(again.decoded(), f.decoded());
        assert_ne!(
            again.header("etag"),
            f.header("etag"),
            "one tag per encoding"
        );
        let tag = again.header("etag").to_owned();
        let cached = get(
            hub.addr,
            &url,
            &[("Accept-Encoding", enc), ("If-None-Match", &tag)],
        );
        assert_eq!(cached.status, 304);
    }

    // After a new event the manifest's tag changes.
    let inv2 = town.invite(2);
    hub.post(town.space, &[&inv2]);
    let changed = get(hub.addr, &path, &[("If-None-Match", &etag)]);
    assert_eq!(changed.status, 200);
    assert_ne!(changed.header("etag"), etag);

    let pre = request(
        hub.addr,
        "OPTIONS",
        &format!("/spaces/{}/events", town.space),
        &[
            ("Origin", "https://example.org"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type"),
        ],
        b"",
    );
    assert_eq!(pre.status, 204);
    assert!(pre.header("access-control-allow-methods").contains("POST"));
    assert!(pre
        .header("access-control-allow-headers")
        .contains("content-type"));
    for bad in [
        "/spaces/zz/manifest.json",
        &format!("/spaces/{}/../x.json", town.space),
    ] {
        assert_eq!(get(hub.addr, bad, &[]).status, 404, "{bad}");
    }
}

#[test]
fn concurrent_writers_and_packing_lose_nothing() {
    let data = tempfile::tempdir().expect("data");
    let hub = Hub::start(data.path(), &["--posts-per-minute", "100000"]);
    let mut town = Town::new();
    let mut setup: Vec<Event> = vec![town.genesis.clone()];
    let mut devices = Vec::new();
    for n in 0..6 {
        setup.push(town.invite(n));
        let (dev, join) = town.join(n);
        setup.push(join);
        devices.push(dev);
    }
    let refs: Vec<&Event> = setup.iter().collect();
    assert_eq!(hub.post(town.space, &refs).json()["accepted"], 13);
    let start = town.max;
    let addr = hub.addr;
    let space = town.space;
    let threads: Vec<_> = devices
        .into_iter()
        .map(|mut dev| {
            std::thread::spawn(move || {
                let mut sent = 0;
                for batch in 0..8 {
                    let events: Vec<Event> = (0..5)
                        .map(|i| dev.sign("note.test", &json!({"n": batch * 5 + i}), 0, start))
                        .collect();
                    let body = format!(
                        "[{}]",
                        events
                            .iter()
                            .map(|e| e.envelope.as_str())
                            .collect::<Vec<_>>()
                            .join(",")
                    );
                    let r = request(
                        addr,
                        "POST",
                        &format!("/spaces/{space}/events"),
                        &[],
                        body.as_bytes(),
                    );
                    assert_eq!(r.status, 200);
                    sent += r.json()["accepted"].as_u64().expect("count");
                }
                sent
            })
        })
        .collect();
    let sent: u64 = threads.into_iter().map(|t| t.join().expect("writer")).sum();
    assert_eq!(sent, 6 * 8 * 5);
    let report = audit(&hub.data, town.space);
    // 13 roster events apply; the 240 notes are stored and rejected as an unknown kind.
    assert_eq!(report.events.accepted, 13);
    assert_eq!(report.rejections.len(), 240);
    let manifest: Value = get(hub.addr, &format!("/spaces/{space}/manifest.json"), &[]).json();
    let files = manifest["files"].as_array().expect("files").len();
    assert!(
        files <= linli_hub::ingest::PACK_AFTER + 1,
        "49 batches packed into {files} files"
    );
    let listed: u64 = manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["events"].as_u64().expect("events"))
        .sum();
    assert_eq!(listed, 253, "every event listed exactly once");
}

#[test]
fn sigkill_during_a_stream_of_posts_loses_nothing_acknowledged() {
    let data = tempfile::tempdir().expect("data");
    let mut town = Town::new();
    let mut setup: Vec<Event> = vec![town.genesis.clone()];
    setup.push(town.invite(1));
    let (mut dev, join) = town.join(1);
    setup.push(join);
    let mut acknowledged: Vec<Hex32> = setup.iter().map(|e| e.id).collect();
    let start = town.max;
    for round in 0..3u64 {
        let hub = Hub::start(data.path(), &["--posts-per-minute", "100000"]);
        if round == 0 {
            let refs: Vec<&Event> = setup.iter().collect();
            assert_eq!(hub.post(town.space, &refs).json()["accepted"], 3);
        }
        let addr = hub.addr;
        let space = town.space;
        // Batches of 20 from one device, as fast as the hub answers, until it is killed.
        let events: Vec<Event> = (0..4000)
            .map(|i| dev.sign("note.test", &json!({"n": i, "round": round}), 0, start))
            .collect();
        let poster = std::thread::spawn(move || {
            let mut acked = Vec::new();
            for batch in events.chunks(20) {
                let body = format!(
                    "[{}]",
                    batch
                        .iter()
                        .map(|e| e.envelope.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                );
                match try_request(
                    addr,
                    "POST",
                    &format!("/spaces/{space}/events"),
                    &[],
                    body.as_bytes(),
                ) {
                    Ok(r) if r.status == 200 => {
                        let results = r.json()["results"].clone();
                        for (e, res) in batch.iter().zip(results.as_array().expect("results")) {
                            if res["status"] == "accepted" || res["status"] == "duplicate" {
                                acked.push(e.id);
                            }
                        }
                    }
                    _ => break,
                }
            }
            acked
        });
        std::thread::sleep(std::time::Duration::from_millis(300 + 250 * round));
        hub.kill();
        let acked = poster.join().expect("poster");
        assert!(
            !acked.is_empty(),
            "round {round}: some batches were acknowledged"
        );
        eprintln!(
            "round {round}: {} events acknowledged before SIGKILL",
            acked.len()
        );
        assert!(
            acked.len() < 4000,
            "round {round}: the kill came after the stream ended"
        );
        acknowledged.extend(acked);
    }
    // After the last kill: restart, and every acknowledged event is there; every file parses.
    let hub = Hub::start(data.path(), &[]);
    let dir = data.path().join("spaces").join(town.space.to_hex());
    let space = linli_hub::files::read_space(&dir).expect("reads back after SIGKILL");
    for id in &acknowledged {
        assert!(space.get(id).is_some(), "acknowledged event {id} lost");
    }
    for entry in std::fs::read_dir(&dir).expect("list") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        if name.ends_with(".json") && !name.starts_with('.') {
            let bytes = std::fs::read(&path).expect("read");
            serde_json::from_slice::<Value>(&bytes)
                .unwrap_or_else(|e| panic!("{name} does not parse: {e}"));
        }
    }
    // And the restarted hub serves the same manifest it wrote.
    assert_eq!(
        get(
            hub.addr,
            &format!("/spaces/{}/manifest.json", town.space),
            &[]
        )
        .status,
        200
    );
}

#[test]
fn manifests_name_where_to_post_when_the_files_are_read_elsewhere() {
    let data = tempfile::tempdir().expect("data");
    let hub = Hub::start(
        data.path(),
        &["--public-url", "https://hub.example.org/linli/"],
    );
    let mut town = Town::new();
    assert_eq!(
        statuses(&hub.post(town.space, &[&town.genesis])),
        ["accepted"]
    );
    let space = town.space;
    let manifest_at = |root: &std::path::Path| -> serde_json::Value {
        let path = root
            .join("spaces")
            .join(space.to_hex())
            .join("manifest.json");
        serde_json::from_slice(&std::fs::read(path).expect("manifest")).expect("json")
    };
    assert_eq!(
        manifest_at(data.path())["push"],
        "https://hub.example.org/linli",
        "the hub names itself, without the trailing slash"
    );
    let inv = town.invite(1);
    assert_eq!(statuses(&hub.post(town.space, &[&inv])), ["accepted"]);
    assert_eq!(
        manifest_at(data.path())["push"],
        "https://hub.example.org/linli"
    );

    // A mirror names the hub it was told, or keeps what the hub's manifest says.
    let bin = env!("CARGO_BIN_EXE_linli-hub");
    let export = |out: &std::path::Path, push: &[&str]| {
        std::process::Command::new(bin)
            .args(["export", "--space", &space.to_hex(), "--data"])
            .arg(data.path())
            .arg("--out")
            .arg(out)
            .args(push)
            .output()
            .expect("export")
    };
    let mirror = tempfile::tempdir().expect("mirror");
    let o = export(mirror.path(), &["--push", "http://127.0.0.1:9000"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let m = manifest_at(mirror.path());
    assert_eq!(m["push"], "http://127.0.0.1:9000");
    // No snapshots published: the mirror still answers a joining phone's first question.
    let index: Value = serde_json::from_slice(
        &std::fs::read(
            mirror
                .path()
                .join("spaces")
                .join(space.to_hex())
                .join("snapshots.json"),
        )
        .expect("snapshots.json in the mirror"),
    )
    .expect("json");
    assert_eq!(index["snapshots"], json!([]));
    assert_eq!(m["files"].as_array().map(Vec::len), Some(2));
    let plain = tempfile::tempdir().expect("mirror");
    assert!(export(plain.path(), &[]).status.success());
    assert_eq!(
        manifest_at(plain.path())["push"],
        "https://hub.example.org/linli"
    );

    // A push URL that is not one is refused before anything is written.
    let bad = export(mirror.path(), &["--push", "hub.example.org"]);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("starts with https://"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}
