//! The commit-record protocol without a cluster: two in-process hubs on one in-memory store
//! that, like Garage, has no conditional writes (last writer wins). The same checks as the
//! cluster tests (`tests/s3.rs`), fast enough for every `cargo test`.

mod common;

use std::collections::{HashMap, HashSet};
use std::io;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use common::Town;
use linli_domain::{Event, Hex32, SpaceId};
use linli_hub::files::{parse_manifest, read_space_with};
use linli_hub::ingest::{Hub, Options, Status, PACK_AFTER};
use linli_hub::storage::{Storage, MANIFEST};
use serde_json::json;

/// An object's bytes and when it was written.
type Object = (Vec<u8>, SystemTime);

/// A bucket in memory: every write replaces, listing is immediate.
#[derive(Default)]
struct Memory {
    objects: Mutex<HashMap<(SpaceId, String), Object>>,
    /// Each write sleeps this long first, so that writers overlap as over a network.
    latency: Duration,
}

impl Storage for Memory {
    fn read(&self, space: &SpaceId, path: &str) -> io::Result<Option<Vec<u8>>> {
        let objects = self.objects.lock().expect("lock");
        Ok(objects
            .get(&(*space, path.to_owned()))
            .map(|(b, _)| b.clone()))
    }
    fn put_file(&self, space: &SpaceId, path: &str, bytes: &[u8]) -> io::Result<()> {
        std::thread::sleep(self.latency);
        let mut objects = self.objects.lock().expect("lock");
        objects.insert(
            (*space, path.to_owned()),
            (bytes.to_vec(), SystemTime::now()),
        );
        Ok(())
    }
    fn put_manifest(&self, space: &SpaceId, bytes: &[u8]) -> io::Result<()> {
        self.put_file(space, MANIFEST, bytes)
    }
    fn list(&self, space: &SpaceId) -> io::Result<Vec<(String, SystemTime)>> {
        let objects = self.objects.lock().expect("lock");
        Ok(objects
            .iter()
            .filter(|((s, _), _)| s == space)
            .map(|((_, p), (_, t))| (p.clone(), *t))
            .collect())
    }
    fn remove(&self, space: &SpaceId, path: &str) -> io::Result<()> {
        self.objects
            .lock()
            .expect("lock")
            .remove(&(*space, path.to_owned()));
        Ok(())
    }
    fn spaces(&self) -> io::Result<Vec<SpaceId>> {
        let objects = self.objects.lock().expect("lock");
        let ids: HashSet<SpaceId> = objects.keys().map(|(s, _)| *s).collect();
        Ok(ids.into_iter().collect())
    }
    fn shared(&self) -> bool {
        true
    }
}

fn body(events: &[&Event]) -> String {
    format!(
        "[{}]",
        events
            .iter()
            .map(|e| e.envelope.as_str())
            .collect::<Vec<_>>()
            .join(",")
    )
}

fn listed_ids(store: &Memory, space: Hex32) -> linli_domain::Space {
    read_space_with("memory", |p| Ok(store.read(&space, p)?)).expect("the bucket reads back")
}

#[test]
fn two_hubs_on_one_store_list_every_acknowledged_event() {
    let store = Arc::new(Memory {
        latency: Duration::from_millis(1),
        ..Memory::default()
    });
    let hubs: Vec<Arc<Hub>> = (0..2)
        .map(|_| Arc::new(Hub::new(store.clone(), Options::default())))
        .collect();
    let mut town = Town::new();
    let mut setup = vec![town.genesis.clone()];
    let mut devices = Vec::new();
    for n in 0..16 {
        setup.push(town.invite(n));
        let (dev, join) = town.join(n);
        setup.push(join);
        devices.push(dev);
    }
    let refs: Vec<&Event> = setup.iter().collect();
    let receipt = hubs[0]
        .ingest(town.space, &body(&refs), true)
        .expect("setup");
    assert_eq!(receipt.accepted, setup.len());

    let max = town.max;
    let acked = Arc::new(Mutex::new(HashSet::new()));
    let threads: Vec<_> = devices
        .into_iter()
        .enumerate()
        .map(|(c, mut dev)| {
            let hub = Arc::clone(&hubs[c % 2]);
            let acked = Arc::clone(&acked);
            let space = town.space;
            std::thread::spawn(move || {
                for p in 0..10 {
                    let events: Vec<Event> = (0..3)
                        .map(|k| dev.sign("note.test", &json!({"c": c, "p": p, "k": k}), 0, max))
                        .collect();
                    let refs: Vec<&Event> = events.iter().collect();
                    // A device admitted through the other hub: this one sees the join by
                    // refreshing from the commit records before judging.
                    let receipt = hub.ingest(space, &body(&refs), false).expect("post");
                    for r in receipt.results {
                        assert!(
                            matches!(r.status, Status::Accepted | Status::Duplicate),
                            "{:?}",
                            r.status
                        );
                        acked.lock().expect("acked").insert(r.id);
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("client");
    }
    let space = listed_ids(&store, town.space);
    let acked = acked.lock().expect("acked");
    let lost = acked.iter().filter(|id| space.get(id).is_none()).count();
    println!(
        "{} acknowledged, {} in the manifest's files, {} lost",
        acked.len(),
        space.len(),
        lost
    );
    assert_eq!(lost, 0);
    assert_eq!(space.len(), setup.len() + 16 * 10 * 3);
    // Packing works across hubs: far fewer files listed than commits made.
    let records = store
        .list_under(&town.space, "commits/")
        .expect("list")
        .len();
    let text = store
        .read(&town.space, MANIFEST)
        .expect("read")
        .expect("manifest");
    let (_, manifest) = parse_manifest(&text, "memory").expect("valid");
    println!(
        "{records} commit records, {} files listed",
        manifest.files.len()
    );
    assert!(records > 20, "{records}");
    assert!(
        manifest.files.len() <= 2 * PACK_AFTER,
        "{}",
        manifest.files.len()
    );
}

#[test]
fn a_manifest_missing_a_commit_is_repaired_by_the_reconcile_sweep() {
    let store = Arc::new(Memory::default());
    let hub = Hub::new(store.clone(), Options::default());
    let mut town = Town::new();
    let invite = town.invite(1);
    let receipt = hub
        .ingest(town.space, &body(&[&town.genesis, &invite]), true)
        .expect("found");
    assert_eq!(receipt.accepted, 2);
    let complete = store
        .read(&town.space, MANIFEST)
        .expect("read")
        .expect("manifest");

    // Another hub commits, writes its manifest, and dies before re-listing, after a slow
    // writer put back an older manifest: the bucket's manifest misses its commit.
    let other = Hub::new(store.clone(), Options::default());
    let (_dev, join) = town.join(1);
    let receipt = other
        .ingest(town.space, &body(&[&join]), false)
        .expect("join");
    assert_eq!(receipt.accepted, 1);
    store.put_manifest(&town.space, &complete).expect("stale");
    assert!(listed_ids(&store, town.space).get(&join.id).is_none());

    assert_eq!(hub.reconcile_loaded(), 1, "one manifest rewritten");
    assert!(listed_ids(&store, town.space).get(&join.id).is_some());
    assert_eq!(hub.reconcile_loaded(), 0, "and then it is complete");
}

#[test]
fn a_space_copied_from_a_folder_is_imported_once() {
    let store = Arc::new(Memory::default());
    let mut town = Town::new();
    let invite = town.invite(1);
    // A manifest and its file, as `linli-hub export` writes them, but no commit records.
    let (entry, bytes) =
        linli_hub::files::segment([town.genesis.envelope.as_str(), invite.envelope.as_str()]);
    store
        .put_file(&town.space, &entry.path, &bytes)
        .expect("file");
    let manifest = json!({"space": town.space.to_hex(), "files": [entry]}).to_string();
    store
        .put_manifest(&town.space, manifest.as_bytes())
        .expect("manifest");

    let hubs: Vec<Hub> = (0..2)
        .map(|_| Hub::new(store.clone(), Options::default()))
        .collect();
    let (_dev, join) = town.join(1);
    for hub in &hubs {
        let r = hub
            .ingest(town.space, &body(&[&join]), false)
            .expect("join");
        assert_eq!(r.accepted + r.duplicate, 1, "the invitation was imported");
    }
    let records: Vec<String> = store
        .list_under(&town.space, "commits/")
        .expect("list")
        .into_iter()
        .map(|(n, _)| n)
        .filter(|n| n.contains("-import-"))
        .collect();
    assert_eq!(records.len(), 1, "both hubs wrote the same import record");
    let text = store
        .read(&town.space, MANIFEST)
        .expect("read")
        .expect("manifest");
    let (_, m) = parse_manifest(&text, "memory").expect("valid");
    assert_eq!(m.files[0].path, entry.path, "the imported file stays first");
    assert!(listed_ids(&store, town.space).get(&join.id).is_some());
}
