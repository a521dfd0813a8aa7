//! Where the hub keeps spaces: a small trait, so a community that outgrows one machine can put
//! an S3-compatible store behind the same endpoint ([`crate::s3`]: several hubs, no
//! conditional writes needed), and the local-folder implementation that is the default.
//!
//! The contract every implementation keeps:
//! - [`Storage::put_file`] returns only when the file is durable under its final name; a
//!   reader never sees part of it (write beside, flush, rename).
//! - [`Storage::put_manifest`] replaces the manifest atomically and durably: a reader sees the
//!   old one or the new one, and after a crash at any moment the manifest on disk is one that
//!   was completely written, naming only files that were durable before it.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use linli_domain::{Hex32, SpaceId};

/// The file every space has: its index.
pub const MANIFEST: &str = "manifest.json";

/// A space store.
pub trait Storage: Send + Sync + 'static {
    /// A file of a space (`manifest.json` or a listed file), or `None` if it does not exist.
    fn read(&self, space: &SpaceId, path: &str) -> io::Result<Option<Vec<u8>>>;
    /// Writes an immutable file durably. Writing the same name twice writes the same bytes
    /// (names carry the content's hash), so a repeat is harmless.
    fn put_file(&self, space: &SpaceId, path: &str, bytes: &[u8]) -> io::Result<()>;
    /// Replaces a space's manifest atomically and durably.
    fn put_manifest(&self, space: &SpaceId, bytes: &[u8]) -> io::Result<()>;
    /// Every stored name of a space (relative paths, temporary files included) with when it
    /// was last written; empty when the space does not exist.
    fn list(&self, space: &SpaceId) -> io::Result<Vec<(String, SystemTime)>>;
    /// The stored names of a space under a folder of it (`dir` empty or ending with `/`),
    /// relative to the space folder. An object store lists just that prefix.
    fn list_under(&self, space: &SpaceId, dir: &str) -> io::Result<Vec<(String, SystemTime)>> {
        let mut all = self.list(space)?;
        all.retain(|(name, _)| name.starts_with(dir));
        Ok(all)
    }
    /// [`Storage::list_under`], only the names that sort after `after` (a name relative to
    /// the space folder): an object store lists from there on (`start-after`).
    fn list_after(
        &self,
        space: &SpaceId,
        dir: &str,
        after: &str,
    ) -> io::Result<Vec<(String, SystemTime)>> {
        let mut all = self.list_under(space, dir)?;
        all.retain(|(name, _)| name.as_str() > after);
        Ok(all)
    }
    /// Deletes a stored name; deleting what is not there is not an error.
    fn remove(&self, space: &SpaceId, path: &str) -> io::Result<()>;
    /// The spaces stored.
    fn spaces(&self) -> io::Result<Vec<SpaceId>>;
    /// Whether other hubs may write the same spaces at the same time (an object store
    /// behind several hubs). Then the commit records are the truth and the manifest a view
    /// of them ([`crate::commits`]); a folder belongs to one hub and is written directly.
    fn shared(&self) -> bool {
        false
    }
}

/// Spaces in a local folder: `{root}/spaces/{space}/…`, the layout of `DESIGN.md` §5, which
/// any static file server can publish as it is.
#[derive(Debug, Clone)]
pub struct Folder {
    root: PathBuf,
}

impl Folder {
    /// Spaces under `root/spaces/`.
    pub fn new(root: impl Into<PathBuf>) -> Folder {
        Folder { root: root.into() }
    }

    /// The folder of one space.
    pub fn space_dir(&self, space: &SpaceId) -> PathBuf {
        self.root.join("spaces").join(space.to_hex())
    }
}

/// Whether a manifest path stays inside its space folder: plain names and sub-folders of
/// `[a-z0-9._-]`, no `..`, no absolute paths.
pub fn safe_path(path: &str) -> bool {
    !path.is_empty()
        && path.len() <= 200
        && !path.starts_with('/')
        && path.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        })
}

impl Storage for Folder {
    fn read(&self, space: &SpaceId, path: &str) -> io::Result<Option<Vec<u8>>> {
        if !safe_path(path) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "unsafe path"));
        }
        match std::fs::read(self.space_dir(space).join(path)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn put_file(&self, space: &SpaceId, path: &str, bytes: &[u8]) -> io::Result<()> {
        if !safe_path(path) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "unsafe path"));
        }
        write_durably(&self.space_dir(space).join(path), bytes)
    }

    fn put_manifest(&self, space: &SpaceId, bytes: &[u8]) -> io::Result<()> {
        write_durably(&self.space_dir(space).join(MANIFEST), bytes)
    }

    fn list(&self, space: &SpaceId) -> io::Result<Vec<(String, SystemTime)>> {
        let root = self.space_dir(space);
        let mut found = Vec::new();
        let mut pending = vec![root.clone()];
        while let Some(dir) = pending.pop() {
            let entries = match std::fs::read_dir(&dir) {
                Ok(e) => e,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            for entry in entries {
                let entry = entry?;
                let meta = entry.metadata()?;
                let path = entry.path();
                if meta.is_dir() {
                    pending.push(path);
                } else if let Ok(rel) = path.strip_prefix(&root) {
                    let name = rel.to_string_lossy().replace('\\', "/");
                    found.push((name, meta.modified().unwrap_or(SystemTime::UNIX_EPOCH)));
                }
            }
        }
        Ok(found)
    }

    fn remove(&self, space: &SpaceId, path: &str) -> io::Result<()> {
        // Temporary names start with a dot, which `safe_path` allows: only `..` is refused.
        if path.split('/').any(|seg| seg.is_empty() || seg == "..") || path.starts_with('/') {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "unsafe path"));
        }
        match std::fs::remove_file(self.space_dir(space).join(path)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    fn spaces(&self) -> io::Result<Vec<SpaceId>> {
        let entries = match std::fs::read_dir(self.root.join("spaces")) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        Ok(entries
            .filter_map(Result::ok)
            .filter_map(|e| Hex32::parse(&e.file_name().to_string_lossy()).ok())
            .collect())
    }
}

/// Writes beside the target, flushes the data to disk, renames over the target, then flushes
/// the folder so the rename itself survives a power cut.
pub fn write_durably(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no parent folder"))?;
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "bad file name"))?;
    // A unique temporary name: two writers of the same target never share one.
    let tmp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        next_tmp_number()
    ));
    let result = (|| {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn next_tmp_number() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_space() {
        assert!(safe_path("events-0123abcd.json"));
        assert!(safe_path("packs/p-1.json"));
        for bad in [
            "",
            "/etc/passwd",
            "../x.json",
            "a/../../b",
            "a//b",
            "A.json",
            "x y",
        ] {
            assert!(!safe_path(bad), "{bad}");
        }
    }

    #[test]
    fn durable_writes_replace_whole_files() {
        let dir = tempfile::tempdir().expect("tmp");
        let folder = Folder::new(dir.path());
        let space = linli_domain::Hex32([7; 32]);
        assert_eq!(folder.read(&space, MANIFEST).expect("read"), None);
        folder.put_manifest(&space, b"one").expect("write");
        folder.put_manifest(&space, b"two").expect("write");
        assert_eq!(
            folder.read(&space, MANIFEST).expect("read").as_deref(),
            Some(&b"two"[..])
        );
        let leftovers = std::fs::read_dir(folder.space_dir(&space))
            .expect("list")
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            })
            .count();
        assert_eq!(leftovers, 0);
    }
}
