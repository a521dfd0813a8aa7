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

use crate::storage::{safe_path, write_durably, MANIFEST};

/// The manifest of a space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The space id.
    pub space: String,
    /// Its immutable files, in the order they were written.
    pub files: Vec<FileEntry>,
    /// Where phones post this space's events when the files are read from somewhere else (a
    /// bucket, a CDN, a mirror): the base URL of a hub (`https://hub.example.org`), which
    /// takes `POST {push}/spaces/{space}/events`. Absent: post to where the manifest was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push: Option<String>,
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

/// Lowercase hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    linli_domain::id::encode_hex(&Sha256::digest(bytes))
}

/// Reads a space folder: the manifest, then every file, checked against its hash; every
/// envelope is opened and the space folded.
pub fn read_space(dir: &Path) -> anyhow::Result<Space> {
    read_space_with(&dir.display().to_string(), |path| {
        let full = dir.join(path);
        match std::fs::read(&full) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(anyhow::Error::new(e).context(format!("cannot read {}", full.display()))),
        }
    })
}

/// Parses and checks a manifest's text.
pub fn parse_manifest(text: &[u8], whence: &str) -> anyhow::Result<(SpaceId, Manifest)> {
    let manifest: Manifest = serde_json::from_slice(text)
        .with_context(|| format!("{whence}/manifest.json is not a valid manifest"))?;
    let space_id = Hex32::parse(&manifest.space).map_err(|_| {
        anyhow::anyhow!(
            "manifest space {:?} is not 64 lowercase hex digits",
            manifest.space
        )
    })?;
    if let Some(bad) = manifest.files.iter().find(|f| !safe_path(&f.path)) {
        bail!(
            "manifest names a file outside the space folder: {}",
            bad.path
        );
    }
    Ok((space_id, manifest))
}

/// Reads a space through `read` (a path relative to the space folder → its bytes, `None` when
/// absent): the manifest, then every listed file, each checked against its SHA-256; every
/// envelope is opened and the space folded. `whence` names the source in messages.
pub fn read_space_with(
    whence: &str,
    mut read: impl FnMut(&str) -> anyhow::Result<Option<Vec<u8>>>,
) -> anyhow::Result<Space> {
    let text = read(MANIFEST)?.ok_or_else(|| anyhow::anyhow!("no manifest.json at {whence}"))?;
    let (space_id, manifest) = parse_manifest(&text, whence)?;
    let mut space = Space::new(space_id);
    let mut opener = Opener::default();
    for entry in &manifest.files {
        let bytes = read(&entry.path)?.ok_or_else(|| {
            anyhow::anyhow!("the manifest lists {} but it is missing", entry.path)
        })?;
        load_file(&mut space, &mut opener, entry, &bytes)?;
    }
    Ok(space)
}

/// Checks one listed file against its entry, opens its envelopes and adds them to `space`.
pub fn load_file(
    space: &mut Space,
    opener: &mut Opener,
    entry: &FileEntry,
    bytes: &[u8],
) -> anyhow::Result<()> {
    let actual = sha256_hex(bytes);
    if actual != entry.sha256 {
        bail!(
            "{} does not match the manifest (sha256 {actual}, manifest says {})",
            entry.path,
            entry.sha256
        );
    }
    let text =
        std::str::from_utf8(bytes).with_context(|| format!("{} is not UTF-8", entry.path))?;
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
    Ok(())
}

/// An immutable file of envelopes: its name (from its hash), bytes and manifest entry.
pub fn segment<'a>(envelopes: impl IntoIterator<Item = &'a str>) -> (FileEntry, Vec<u8>) {
    let mut body = String::from("[");
    let mut count = 0;
    for env in envelopes {
        if count > 0 {
            body.push_str(",\n");
        }
        body.push_str(env);
        count += 1;
    }
    body.push_str("]\n");
    let hash = sha256_hex(body.as_bytes());
    let entry = FileEntry {
        path: format!("events-{}.json", &hash[..16]),
        sha256: hash,
        events: count,
    };
    (entry, body.into_bytes())
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
    let mut files = Vec::new();
    for chunk in envelopes.chunks(per_file.clamp(1, MAX_BATCH)) {
        let (entry, bytes) = segment(chunk.iter().copied());
        write_durably(&dir.join(&entry.path), &bytes)
            .with_context(|| format!("cannot write {}", dir.join(&entry.path).display()))?;
        files.push(entry);
    }
    let manifest = Manifest {
        space: space.to_hex(),
        files,
        push: None,
    };
    let json = serde_json::to_vec_pretty(&manifest)?;
    write_durably(&dir.join(MANIFEST), &json)
        .with_context(|| format!("cannot write the manifest in {}", dir.display()))?;
    Ok(dir)
}

/// The name of a file's compressed sibling in `enc` (`"br"` or `"gzip"`): `….br`, `….gz`.
pub fn sibling_name(file: &str, enc: &str) -> String {
    format!("{file}.{}", if enc == "br" { "br" } else { "gz" })
}

/// `raw` in `enc` (`"br"`, else gzip) at `level` (brotli 0–11, gzip 0–9; the hub's on-demand
/// siblings use 6, snapshots published once use the top levels).
pub fn encode(raw: &[u8], enc: &str, level: u32) -> std::io::Result<Vec<u8>> {
    use std::io::Write as _;
    if enc == "br" {
        let mut out = Vec::with_capacity(raw.len() / 3);
        {
            let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, level.min(11), 22);
            w.write_all(raw)?;
        }
        Ok(out)
    } else {
        let mut e =
            flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level.min(9)));
        e.write_all(raw)?;
        e.finish()
    }
}
