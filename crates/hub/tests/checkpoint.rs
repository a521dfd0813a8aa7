//! Checkpoints through the hub: the demo community with a counted checkpoint, its snapshot
//! published and joined from (with the sizes and times printed: `cargo test -p linli-hub
//! --test checkpoint -- --nocapture`), and a false checkpoint named by `linli-hub audit`.

use std::process::Command;
use std::time::Instant;

use linli_domain::checkpoint::{Act, Checkpoint};
use linli_domain::snapshot::Snapshot;
use linli_domain::space::CheckpointError;
use linli_domain::{ChainWriter, Space};
use linli_hub::cmd::SnapshotIndex;
use serde_json::json;

fn hub() -> Command {
    Command::new(env!("CARGO_BIN_EXE_linli-hub"))
}

fn run(args: &[&str]) -> std::process::Output {
    let out = hub().args(args).output().expect("run linli-hub");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn the_demo_checkpoint_is_published_and_a_phone_joins_from_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().to_str().expect("utf-8 path");
    run(&["demo", "--out", out, "--checkpoint"]);
    let dir = linli_hub::files::locate_space(tmp.path()).expect("space");
    let index: SnapshotIndex =
        serde_json::from_slice(&std::fs::read(dir.join("snapshots.json")).expect("the index"))
            .expect("an index");
    assert_eq!(index.snapshots.len(), 1);
    let entry = &index.snapshots[0];
    let bytes = std::fs::read(dir.join(&entry.path)).expect("the snapshot");
    assert_eq!(linli_hub::files::sha256_hex(&bytes), entry.sha256);
    let sigs = std::fs::read(dir.join(&entry.signatures.path)).expect("the signatures");
    assert_eq!(linli_hub::files::sha256_hex(&sigs), entry.signatures.sha256);

    // The full fold, as `audit` does it.
    let t = Instant::now();
    let full = linli_hub::files::read_space(&dir).expect("read");
    let full_ms = t.elapsed().as_millis();
    assert_eq!(full.counted_checkpoints().len(), 1);

    // Fast join: the snapshot and the signatures file, then every event (those inside the
    // frontier are dropped as already held).
    let signatures: Vec<linli_domain::Event> =
        linli_domain::open_batch(std::str::from_utf8(&sigs).expect("utf-8"))
            .expect("a batch")
            .into_iter()
            .map(|r| r.expect("opens"))
            .collect();
    let t = Instant::now();
    let verified = linli_domain::space::verify_checkpoint(full.id(), &bytes, &signatures)
        .expect("the checkpoint verifies");
    let verify_ms = t.elapsed().as_millis();
    let mut phone = Space::from_verified(verified);
    let ready_ms = t.elapsed().as_millis();
    // Only the files the index does not name as covered: every event of the others is
    // inside the frontier.
    let manifest: linli_hub::files::Manifest =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).expect("manifest"))
            .expect("a manifest");
    assert!(
        !entry.covered.is_empty(),
        "the demo's older files are covered"
    );
    assert!(
        entry.covered.len() < manifest.files.len(),
        "the last file is not"
    );
    let frontier = phone.started_from().expect("from a snapshot").clone();
    let mut tail: Vec<linli_domain::Event> = Vec::new();
    for f in &manifest.files {
        let text = std::fs::read(dir.join(&f.path)).expect("an event file");
        let events: Vec<linli_domain::Event> =
            linli_domain::open_batch(std::str::from_utf8(&text).expect("utf-8"))
                .expect("a batch")
                .into_iter()
                .map(|r| r.expect("opens"))
                .collect();
        let inside = events
            .iter()
            .all(|e| frontier.covers_event(&e.author, e.seq));
        assert_eq!(entry.covered.contains(&f.path), inside, "{}", f.path);
        let none = events
            .iter()
            .all(|e| !frontier.covers_event(&e.author, e.seq));
        assert_eq!(
            entry.partial.contains(&f.path),
            !inside && !none,
            "{}",
            f.path
        );
        if !inside {
            tail.extend(events);
        }
    }
    let t = Instant::now();
    phone.insert(tail.clone());
    let tail_ms = t.elapsed().as_millis();
    assert_eq!(
        phone.state().to_canonical_json(),
        full.state().to_canonical_json()
    );
    assert_eq!(phone.state(), full.state());

    // What the app does: the tail file instead of the partial files, and the files neither
    // covered nor partial — the same state, from far fewer events.
    let tail_entry = entry
        .tail
        .as_ref()
        .expect("the demo's last file is partial");
    let tail_text = std::fs::read(dir.join(&tail_entry.path)).expect("the tail file");
    assert_eq!(linli_hub::files::sha256_hex(&tail_text), tail_entry.sha256);
    let mut short: Vec<linli_domain::Event> =
        linli_domain::open_batch(std::str::from_utf8(&tail_text).expect("utf-8"))
            .expect("a batch")
            .into_iter()
            .map(|r| r.expect("opens"))
            .collect();
    assert_eq!(short.len(), tail_entry.events);
    assert!(short
        .iter()
        .all(|e| !frontier.covers_event(&e.author, e.seq)));
    assert!(
        short.len() * 10 < tail.len(),
        "{} events instead of {}",
        short.len(),
        tail.len()
    );
    for f in &manifest.files {
        if !entry.covered.contains(&f.path) && !entry.partial.contains(&f.path) {
            let text = std::fs::read(dir.join(&f.path)).expect("an event file");
            short.extend(
                linli_domain::open_batch(std::str::from_utf8(&text).expect("utf-8"))
                    .expect("a batch")
                    .into_iter()
                    .map(|r| r.expect("opens")),
            );
        }
    }
    let verified = linli_domain::space::verify_checkpoint(full.id(), &bytes, &signatures)
        .expect("the checkpoint verifies");
    let mut lean = Space::from_verified(verified);
    lean.insert(signatures.clone());
    lean.insert(short);
    assert_eq!(lean.state(), full.state());

    let t = Instant::now();
    let snap = Snapshot::from_bytes(&bytes).expect("decodes");
    let decode_ms = t.elapsed().as_millis();
    let t = Instant::now();
    let again = snap.to_bytes();
    let encode_ms = t.elapsed().as_millis();
    assert_eq!(again, bytes, "deterministic");
    // Published with its brotli and gzip siblings, which decode to the same bytes.
    let sibling = |ext: &str| {
        std::fs::read(dir.join(format!("{}.{ext}", entry.path)))
            .unwrap_or_else(|e| panic!("the snapshot's .{ext} sibling: {e}"))
    };
    let (br, gz) = (sibling("br"), sibling("gz"));
    let mut unbr = Vec::new();
    std::io::Read::read_to_end(&mut brotli::Decompressor::new(&br[..], 4096), &mut unbr)
        .expect("brotli");
    assert_eq!(unbr, bytes, "the .br sibling is the snapshot");
    let mut ungz = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut ungz)
        .expect("gzip");
    assert_eq!(ungz, bytes, "the .gz sibling is the snapshot");
    let members = full.state().roster.member_count();
    let events_bytes: u64 = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("events-"))
        .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .sum();
    println!(
        "demo: {} events, {members} members, {} devices; events files {events_bytes} B; \
         snapshot {} B ({} B per member; brotli {} B, {} B per member; gzip {} B), \
         signatures file {} B",
        entry.events,
        entry.devices,
        bytes.len(),
        bytes.len() / members.max(1),
        br.len(),
        br.len() / members.max(1),
        gz.len(),
        sigs.len(),
    );
    println!(
        "times (this build): full fold {full_ms} ms; verify snapshot+signatures {verify_ms} ms, \
         usable {ready_ms} ms; folding the tail {tail_ms} ms; decode {decode_ms} ms, \
         encode {encode_ms} ms"
    );

    let audit = run(&["audit", dir.to_str().expect("utf-8"), "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&audit.stdout).expect("json");
    let c = &report["checkpoints"][0];
    assert_eq!(c["counted"], json!(true));
    assert_eq!(c["matches"], json!(true));
    assert_eq!(c["frontier"], json!(entry.devices));
}

#[test]
fn the_audit_names_the_signers_of_a_false_checkpoint() {
    let seed = |n: u8| [n; 32];
    let mut admin = ChainWriter::new(&seed(1), None);
    let g = admin.sign("space.genesis", &json!({"name": "小区"}), 1, 0);
    let space = g.id;
    let mut log = vec![g];
    let mut max = log[0].lamport;
    let mut sign = |w: &mut ChainWriter, kind: &str, p: serde_json::Value, log: &mut Vec<_>| {
        let e = w.sign(kind, &p, 2, max);
        max = max.max(e.lamport);
        log.push(e.clone());
        e
    };
    let secret = [9u8; 32];
    sign(
        &mut admin,
        "member.invite",
        json!({"invite": linli_domain::envelope::sha256(&secret).to_hex(), "role": "council", "household": ""}),
        &mut log,
    );
    let mut council = ChainWriter::new(&seed(2), Some(space));
    sign(
        &mut council,
        "member.join",
        json!({"secret": linli_domain::id::encode_hex(&secret), "name": "李四"}),
        &mut log,
    );
    let mut folded = Space::new(space);
    folded.insert(log.clone());
    let prepared = folded.next_checkpoint().expect("prepared");
    let mut forged: Checkpoint = prepared.checkpoint(&[]);
    forged.state = linli_domain::envelope::sha256(b"not this community");
    let cmd = linli_domain::Command::Checkpoint(Act::Checkpoint(forged));
    let a = sign(&mut admin, cmd.kind(), cmd.payload(), &mut log);
    let b = sign(&mut council, cmd.kind(), cmd.payload(), &mut log);

    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = linli_hub::files::write_space(tmp.path(), space, &log, 100).expect("written");
    let audit = run(&["audit", dir.to_str().expect("utf-8"), "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&audit.stdout).expect("json");
    let c = &report["checkpoints"][0];
    assert_eq!(c["counted"], json!(true), "two council signers");
    assert_eq!(c["matches"], json!(false));
    let signers: Vec<&str> = c["signers"]
        .as_array()
        .expect("signers")
        .iter()
        .map(|s| s["event"].as_str().expect("event"))
        .collect();
    assert_eq!(signers, vec![a.id.to_hex(), b.id.to_hex()]);
    assert_eq!(c["signers"][1]["name"], json!("李*"));
    let text = run(&["audit", dir.to_str().expect("utf-8")]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("DOES NOT MATCH"), "{text}");
    // The hub does not publish a snapshot for it, and a phone refuses it.
    let space_now = linli_hub::files::read_space(&dir).expect("read");
    let index =
        linli_hub::cmd::publish_snapshots(&linli_hub::storage::Folder::new(tmp.path()), &space_now)
            .expect("index");
    assert!(index.snapshots.is_empty());
    let err = Space::from_snapshot(space, &prepared.bytes, log).expect_err("refused");
    assert!(
        matches!(err, CheckpointError::StateMismatch { .. }),
        "{err}"
    );
}
