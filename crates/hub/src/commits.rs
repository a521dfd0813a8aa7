//! Several hubs writing one space in one bucket, without conditional writes.
//!
//! Garage (and older S3 stores) ignore `If-Match`/`If-None-Match` on `PutObject`, so two
//! hubs cannot compare-and-swap the manifest. Instead the truth of a shared space is
//! append-only: the immutable segment files, plus one small immutable **commit record** per
//! group commit, written only once its files are durable:
//!
//! ```text
//! {space}/commits/{millis:013}-{hub}-{n:08}.json   {"adds": [FileEntry], "retires": [path]}
//! ```
//!
//! `manifest.json` is then a view: a deterministic function of the set of records (a
//! 2P-set: every added file not retired, in record-name order), which any hub can rebuild
//! from a LIST. After writing it a hub lists the records again and, if the set grew, writes
//! again, until it did not ([`Log::publish`]). Whoever wrote the manifest last therefore
//! listed after its write and found nothing missing; `docs/sync.md` ("Object storage and
//! several hubs") gives the whole argument and what a hub killed mid-way leaves behind.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io;
use std::time::{Duration, Instant, SystemTime};

use linli_domain::{Opener, Space, SpaceId};
use serde::{Deserialize, Serialize};

use crate::files::{load_file, parse_manifest, sha256_hex, FileEntry, Manifest};
use crate::storage::{safe_path, Storage, MANIFEST};

/// The folder of a space that holds its commit records.
pub const DIR: &str = "commits/";

/// A LIST of the records starts this far before the hub's clock (`start-after`), so that a
/// space's old records are not listed again at every commit. A record becomes visible at most
/// about 30 s (the store's retry budget and one attempt's timeout) after its writer named it:
/// the rest of the window is for clocks that disagree.
pub const WINDOW: Duration = Duration::from_secs(300);

/// A full LIST at least this often, for records named outside the window (a hub whose clock
/// is far behind).
pub const FULL_EVERY: Duration = Duration::from_secs(60);

/// How many times one publication re-lists and rewrites before it leaves the rest to the
/// reconcile sweep (other hubs committing without pause can keep the set growing).
pub const PUBLISH_ROUNDS: usize = 16;

/// One group commit of one hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Files this commit wrote (durable before the record).
    pub adds: Vec<FileEntry>,
    /// Files this commit replaced (their events are in `adds`); never listed again.
    #[serde(default)]
    pub retires: Vec<String>,
}

/// The name of a hub's `n`th record: time first, so names sort roughly by age and the
/// manifest keeps the order files were written in.
pub fn record_name(hub: &str, n: u64) -> String {
    format!("{DIR}{:013}-{hub}-{n:08}.json", now_millis())
}

/// Reads files of a space, up to [`PARALLEL_READS`] at a time (a catch-up after another
/// hub's commits reads its records, then their files: each a round trip to the store).
fn read_all(
    storage: &dyn Storage,
    space_id: SpaceId,
    paths: &[String],
) -> io::Result<Vec<Option<Vec<u8>>>> {
    if paths.len() <= 1 {
        return paths.iter().map(|p| storage.read(&space_id, p)).collect();
    }
    let mut out = Vec::with_capacity(paths.len());
    for chunk in paths.chunks(PARALLEL_READS) {
        let results: Vec<io::Result<Option<Vec<u8>>>> = std::thread::scope(|scope| {
            let jobs: Vec<_> = chunk
                .iter()
                .map(|p| scope.spawn(move || storage.read(&space_id, p)))
                .collect();
            jobs.into_iter()
                .map(|j| {
                    j.join()
                        .unwrap_or_else(|_| Err(io::Error::other("a read panicked")))
                })
                .collect()
        });
        for r in results {
            out.push(r?);
        }
    }
    Ok(out)
}

/// Reads of a catch-up in flight at once.
pub const PARALLEL_READS: usize = 8;

/// Every path some record retires.
fn retired(records: &BTreeMap<String, Record>) -> HashSet<&str> {
    records
        .values()
        .flat_map(|r| r.retires.iter().map(String::as_str))
        .collect()
}

fn now_millis() -> u128 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// The records of a space a hub has read, and which listed files' events it holds.
#[derive(Debug, Default)]
pub struct Log {
    records: BTreeMap<String, Record>,
    held: HashSet<String>,
    /// Records read whose files are not loaded yet (a re-list while publishing reads
    /// records, not files: the next commit loads them).
    pending: BTreeSet<String>,
    /// When the last full LIST started.
    last_full: Option<Instant>,
    /// Named in the manifests this log makes ([`Manifest::push`]).
    push: Option<String>,
}

impl Log {
    /// This log, its manifests naming `push` as where phones post.
    pub fn named(mut self, push: Option<String>) -> Log {
        self.push = push;
        self
    }

    /// An empty log whose manifests name `push` as where phones post.
    pub fn with_push(push: Option<String>) -> Log {
        Log {
            push,
            ..Log::default()
        }
    }

    /// Reads a shared space: every record and every live file. `None` when the space has
    /// neither records nor a manifest. A space that has a manifest but no records (a folder
    /// copied into the bucket) gets its manifest as its first record.
    pub fn open(storage: &dyn Storage, space_id: SpaceId) -> io::Result<Option<(Space, Log)>> {
        let mut log = Log::default();
        log.refresh(storage, space_id)?;
        if log.records.is_empty() {
            let Some(text) = storage.read(&space_id, MANIFEST)? else {
                return Ok(None);
            };
            let (_, manifest) = parse_manifest(&text, &format!("space {space_id}"))
                .map_err(|e| invalid(format!("{e:#}")))?;
            let record = Record {
                adds: manifest.files,
                retires: Vec::new(),
            };
            let bytes = serde_json::to_vec(&record).map_err(io::Error::other)?;
            // The same manifest gives the same name and bytes on every hub.
            let name = format!(
                "{DIR}0000000000000-import-{}.json",
                &sha256_hex(&bytes)[..16]
            );
            storage.put_file(&space_id, &name, &bytes)?;
            log.pending.insert(name.clone());
            log.records.insert(name, record);
        }
        let mut space = Space::new(space_id);
        log.load_files(storage, space_id, &mut space)?;
        Ok(Some((space, log)))
    }

    /// Lists the space's records and reads those not read yet; returns how many were new.
    /// The LIST covers the last [`WINDOW`] of record names, or all of them when none was
    /// read yet or the last full LIST is [`FULL_EVERY`] old.
    pub fn refresh(&mut self, storage: &dyn Storage, space_id: SpaceId) -> io::Result<usize> {
        let full =
            self.records.is_empty() || self.last_full.is_none_or(|t| t.elapsed() >= FULL_EVERY);
        let names = if full {
            let started = Instant::now();
            let names = storage.list_under(&space_id, DIR)?;
            self.last_full = Some(started);
            names
        } else {
            let from = now_millis().saturating_sub(WINDOW.as_millis());
            storage.list_after(&space_id, DIR, &format!("{DIR}{from:013}"))?
        };
        let unread: Vec<String> = names
            .into_iter()
            .map(|(name, _)| name)
            .filter(|name| name.ends_with(".json") && !self.records.contains_key(name))
            .collect();
        let mut new = 0;
        for (name, bytes) in unread.iter().zip(read_all(storage, space_id, &unread)?) {
            let Some(bytes) = bytes else {
                continue;
            };
            let record: Record = serde_json::from_slice(&bytes)
                .map_err(|e| invalid(format!("commit record {name}: {e}")))?;
            if let Some(bad) = record
                .adds
                .iter()
                .map(|f| &f.path)
                .chain(&record.retires)
                .find(|p| !safe_path(p) || p.starts_with(DIR))
            {
                return Err(invalid(format!(
                    "commit record {name} names a file outside the space: {bad}"
                )));
            }
            self.pending.insert(name.clone());
            self.records.insert(name.clone(), record);
            new += 1;
        }
        Ok(new)
    }

    /// Adds this hub's own record (just written) without reading it back.
    pub fn insert(&mut self, name: String, record: Record) {
        for f in &record.adds {
            self.held.insert(f.path.clone());
        }
        self.records.insert(name, record);
    }

    /// Reads into `space` every live file of the records read since the last call that it
    /// does not hold yet, each checked against its SHA-256.
    pub fn load_files(
        &mut self,
        storage: &dyn Storage,
        space_id: SpaceId,
        space: &mut Space,
    ) -> io::Result<usize> {
        let retired = retired(&self.records);
        let mut wanted: Vec<(&String, &FileEntry)> = Vec::new();
        let mut seen = HashSet::new();
        for name in &self.pending {
            let Some(record) = self.records.get(name) else {
                continue;
            };
            for entry in &record.adds {
                let path = entry.path.as_str();
                if !retired.contains(path) && !self.held.contains(path) && seen.insert(path) {
                    wanted.push((name, entry));
                }
            }
        }
        let paths: Vec<String> = wanted.iter().map(|(_, e)| e.path.clone()).collect();
        let mut opener = Opener::default();
        for ((name, entry), bytes) in wanted.iter().zip(read_all(storage, space_id, &paths)?) {
            let bytes = bytes
                .ok_or_else(|| invalid(format!("{name} adds {} but it is missing", entry.path)))?;
            load_file(space, &mut opener, entry, &bytes).map_err(|e| invalid(format!("{e:#}")))?;
        }
        let loaded = wanted.len();
        self.held.extend(paths);
        self.pending.clear();
        Ok(loaded)
    }

    /// The manifest these records make: every added file that no record retires, once, in
    /// the order of the records' names and then of their `adds`.
    pub fn manifest(&self, space_id: SpaceId) -> Manifest {
        let retired = retired(&self.records);
        let mut seen = HashSet::new();
        let files = self
            .records
            .values()
            .flat_map(|r| &r.adds)
            .filter(|f| !retired.contains(f.path.as_str()) && seen.insert(f.path.as_str()))
            .cloned()
            .collect();
        Manifest {
            space: space_id.to_hex(),
            files,
            push: self.push.clone(),
        }
    }

    /// What a sweep of unlisted files must keep: the manifest's files, and the files retired
    /// by records younger than `grace` (by the time in their names), which readers of an
    /// older manifest may still fetch.
    pub fn keep(&self, space_id: SpaceId, grace: Duration) -> Manifest {
        let mut view = self.manifest(space_id);
        let since = now_millis().saturating_sub(grace.as_millis());
        for (name, record) in &self.records {
            let millis = name
                .strip_prefix(DIR)
                .and_then(|n| n.get(..13))
                .and_then(|m| m.parse::<u128>().ok())
                .unwrap_or(0);
            if millis >= since {
                view.files.extend(record.retires.iter().map(|p| FileEntry {
                    path: p.clone(),
                    sha256: String::new(),
                    events: 0,
                }));
            }
        }
        view
    }

    /// Records known.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether no record is known.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Writes the manifest of the known records, lists the records again, and repeats while
    /// the list grew (at most [`PUBLISH_ROUNDS`] times). Returns the last manifest written
    /// and whether the list was still growing when it stopped.
    pub fn publish(
        &mut self,
        storage: &dyn Storage,
        space_id: SpaceId,
    ) -> io::Result<(Manifest, bool)> {
        let mut manifest = self.manifest(space_id);
        for _ in 0..PUBLISH_ROUNDS {
            let json = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
            storage.put_manifest(&space_id, &json)?;
            if self.refresh(storage, space_id)? == 0 {
                return Ok((manifest, false));
            }
            manifest = self.manifest(space_id);
        }
        Ok((manifest, true))
    }

    /// Publishes only if the stored manifest is not the one the records make now (the
    /// reconcile sweep: it repairs a manifest whose last writer died before re-listing).
    /// Returns whether it wrote.
    pub fn reconcile(&mut self, storage: &dyn Storage, space_id: SpaceId) -> io::Result<bool> {
        self.refresh(storage, space_id)?;
        let want = serde_json::to_vec_pretty(&self.manifest(space_id)).map_err(io::Error::other)?;
        if storage.read(&space_id, MANIFEST)?.as_deref() == Some(&want[..]) {
            return Ok(false);
        }
        self.publish(storage, space_id)?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> FileEntry {
        FileEntry {
            path: path.to_owned(),
            sha256: "0".repeat(64),
            events: 1,
        }
    }

    #[test]
    fn the_manifest_is_adds_minus_retires_in_name_order() {
        let mut log = Log::default();
        log.insert(
            "commits/2-b-00000001.json".into(),
            Record {
                adds: vec![entry("c.json"), entry("a.json")],
                retires: vec![],
            },
        );
        log.insert(
            "commits/1-a-00000001.json".into(),
            Record {
                adds: vec![entry("a.json"), entry("b.json")],
                retires: vec![],
            },
        );
        log.insert(
            "commits/3-a-00000002.json".into(),
            Record {
                adds: vec![entry("p.json")],
                retires: vec!["b.json".into()],
            },
        );
        let paths: Vec<String> = log
            .manifest(linli_domain::Hex32([1; 32]))
            .files
            .into_iter()
            .map(|f| f.path)
            .collect();
        assert_eq!(paths, ["a.json", "c.json", "p.json"]);
    }

    #[test]
    fn record_names_sort_by_time() {
        let a = record_name("abcd0123", 1);
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = record_name("abcd0123", 2);
        assert!(a < b, "{a} {b}");
        assert!(safe_path(&a), "{a}");
    }
}
