//! The space folder layout of `DESIGN.md` §5, on a local disk:
//!
//! ```text
//! {root}/spaces/{space}/manifest.json   {"space": hex, "files": [{"path", "sha256", "events"}]}
//! {root}/spaces/{space}/<file>.json     immutable JSON arrays of envelopes
//! ```
//!
//! Reading checks every file against the manifest's SHA-256; writing puts files first and the
//! manifest last (written beside, then renamed), so a reader never sees a manifest that names
//! a file not yet complete.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use linli_domain::envelope::MAX_BATCH;
use linli_domain::{Event, Hex32, Opener, Space, SpaceId};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The manifest of a space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The space id.
    pub space: String,
    /// Its immutable files, in the order they were written.
    pub files: Vec<FileEntry>,
}

/// One immutable file of a space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the space folder.
    pub path: String,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Envelopes in the file.
    pub events: usize,
}

/// Where a space's folder is, given a path that is either the space folder itself (holding
/// `manifest.json`) or a base folder with exactly one space under `spaces/`.
pub fn locate_space(path: &Path) -> anyhow::Result<PathBuf> {
    if path.join("manifest.json").is_file() {
        return Ok(path.to_path_buf());
    }
    let spaces = path.join("spaces");
    let entries = std::fs::read_dir(&spaces).with_context(|| {
        format!(
            "{} has neither a manifest.json nor a spaces/ folder",
            path.display()
        )
    })?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("manifest.json").is_file())
        .collect();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => bail!("no space with a manifest.json under {}", spaces.display()),
        n => bail!("{n} spaces under {}: name one of them", spaces.display()),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    linli_domain::id::encode_hex(&Sha256::digest(bytes))
}

/// Reads a space folder: the manifest, then every file, checked against its hash; every
/// envelope is opened and the space folded.
pub fn read_space(dir: &Path) -> anyhow::Result<Space> {
    let manifest_path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&manifest_path)
        .with_context(|| format!("cannot read {}", manifest_path.display()))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a valid manifest", manifest_path.display()))?;
    let space_id = Hex32::parse(&manifest.space).map_err(|_| {
        anyhow::anyhow!(
            "manifest space {:?} is not 64 lowercase hex digits",
            manifest.space
        )
    })?;
    let mut space = Space::new(space_id);
    let mut opener = Opener::default();
    for entry in &manifest.files {
        if entry.path.contains("..") || entry.path.starts_with('/') {
            bail!(
                "manifest names a file outside the space folder: {}",
                entry.path
            );
        }
        let path = dir.join(&entry.path);
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let actual = sha256_hex(&bytes);
        if actual != entry.sha256 {
            bail!(
                "{} does not match the manifest (sha256 {actual}, manifest says {})",
                entry.path,
                entry.sha256
            );
        }
        let text =
            std::str::from_utf8(&bytes).with_context(|| format!("{} is not UTF-8", entry.path))?;
        let opened = opener
            .open_batch(text)
            .map_err(|e| anyhow::anyhow!("{}: {e}", entry.path))?;
        let mut events = Vec::with_capacity(opened.len());
        for item in opened {
            match item {
                Ok(event) => events.push(event),
                Err(unopened) => {
                    space.insert_unopened(unopened);
                }
            }
        }
        space.insert(events);
    }
    Ok(space)
}

/// Writes events as a new space folder under `root/spaces/{space}/`, in files of at most
/// `per_file` envelopes (capped at the batch limit), then the manifest.
pub fn write_space(
    root: &Path,
    space: SpaceId,
    events: &[Event],
    per_file: usize,
) -> anyhow::Result<PathBuf> {
    let envelopes: Vec<&str> = events.iter().map(|e| e.envelope.as_str()).collect();
    let dir = root.join("spaces").join(space.to_hex());
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut files = Vec::new();
    for chunk in envelopes.chunks(per_file.clamp(1, MAX_BATCH)) {
        let mut body = String::from("[");
        body.push_str(&chunk.join(",\n"));
        body.push_str("]\n");
        let hash = sha256_hex(body.as_bytes());
        let name = format!("events-{}.json", &hash[..16]);
        write_atomically(&dir.join(&name), body.as_bytes())?;
        files.push(FileEntry {
            path: name,
            sha256: hash,
            events: chunk.len(),
        });
    }
    let manifest = Manifest {
        space: space.to_hex(),
        files,
    };
    let json = serde_json::to_vec_pretty(&manifest)?;
    write_atomically(&dir.join("manifest.json"), &json)?;
    Ok(dir)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot rename to {}", path.display()))?;
    Ok(())
}
