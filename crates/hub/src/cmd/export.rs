//! `linli-hub export --data DIR --space ID --out DIR`: a space as a static mirror.

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;
use linli_domain::Hex32;

use crate::files::{parse_manifest, read_space, sha256_hex};
use crate::storage::{write_durably, Folder, Storage, MANIFEST};

/// Write a space as a static mirror — the same tree of files, `OUT/spaces/{space}/…` — that
/// any static host can serve and the app can sync from read-only.
#[derive(Debug, Args)]
pub struct Export {
    /// The hub's data folder.
    #[arg(long, default_value = "data")]
    data: PathBuf,
    /// The space id (64 lowercase hex digits).
    #[arg(long)]
    space: String,
    /// Where to write the mirror; files already there are replaced.
    #[arg(long)]
    out: PathBuf,
    /// A hub that takes this space's events (e.g. https://hub.example.org): the mirror's
    /// manifest names it, and phones reading the mirror post there. Without it the mirror is
    /// read-only.
    #[arg(long, value_name = "URL", value_parser = linli_domain::push::push_url)]
    push: Option<String>,
}

impl Export {
    /// Verifies the space, copies its listed files, then writes the manifest last.
    pub fn run(self) -> anyhow::Result<()> {
        let space = Hex32::parse(&self.space)
            .map_err(|_| anyhow::anyhow!("--space must be 64 lowercase hex digits"))?;
        let source = Folder::new(&self.data);
        let Some(manifest_bytes) = source.read(&space, MANIFEST)? else {
            bail!(
                "no space {space} in {} (no {})",
                self.data.display(),
                source.space_dir(&space).join(MANIFEST).display()
            );
        };
        // Everything is verified first: a mirror never publishes a damaged space.
        let folded = read_space(&source.space_dir(&space))?;
        let (_, manifest) = parse_manifest(&manifest_bytes, &self.data.display().to_string())?;
        let manifest_bytes = match &self.push {
            None => manifest_bytes,
            Some(url) => serde_json::to_vec_pretty(&crate::files::Manifest {
                push: Some(url.clone()),
                ..manifest.clone()
            })?,
        };
        let target = Folder::new(&self.out);
        let mut bytes_out = manifest_bytes.len();
        for entry in &manifest.files {
            let bytes = source
                .read(&space, &entry.path)?
                .with_context(|| format!("{} is listed but missing", entry.path))?;
            if sha256_hex(&bytes) != entry.sha256 {
                bail!("{} changed while exporting", entry.path);
            }
            target
                .put_file(&space, &entry.path, &bytes)
                .with_context(|| format!("cannot write {}", entry.path))?;
            bytes_out += bytes.len();
        }
        bytes_out += export_snapshots(&source, &target, &space)?;
        write_durably(&target.space_dir(&space).join(MANIFEST), &manifest_bytes)
            .context("cannot write the manifest")?;
        eprintln!(
            "linli-hub: exported {} ({} events in {} files, {} bytes) to {}",
            space,
            folded.len(),
            manifest.files.len(),
            bytes_out,
            target.space_dir(&space).display()
        );
        Ok(())
    }
}

/// Copies the space's published snapshots (their index, each snapshot, its signatures file and
/// its tail file, checked against their SHA-256) into the mirror, or writes an empty index
/// when there are none: a joining phone asks a mirror for `snapshots.json` first, and a 404
/// there is an error in its browser's console. Returns the bytes written.
fn export_snapshots(source: &Folder, target: &Folder, space: &Hex32) -> anyhow::Result<usize> {
    use super::{SnapshotIndex, SNAPSHOTS_INDEX};
    let index = match source.read(space, SNAPSHOTS_INDEX)? {
        Some(bytes) => {
            let index: SnapshotIndex = serde_json::from_slice(&bytes)
                .with_context(|| format!("{SNAPSHOTS_INDEX} of {space} is not an index"))?;
            index
        }
        None => SnapshotIndex {
            space: space.to_hex(),
            snapshots: Vec::new(),
        },
    };
    let mut written = 0;
    for entry in &index.snapshots {
        let files = [
            Some((&entry.path, &entry.sha256)),
            Some((&entry.signatures.path, &entry.signatures.sha256)),
            entry.tail.as_ref().map(|t| (&t.path, &t.sha256)),
        ];
        for (path, sha256) in files.into_iter().flatten() {
            let bytes = source
                .read(space, path)?
                .with_context(|| format!("{path} is in {SNAPSHOTS_INDEX} but missing"))?;
            if &sha256_hex(&bytes) != sha256 {
                bail!("{path} does not match its SHA-256 in {SNAPSHOTS_INDEX}");
            }
            // The siblings as published, else made now (a mirror serves them as they are).
            for enc in ["br", "gzip"] {
                let sibling = crate::files::sibling_name(path, enc);
                let packed = match source.read(space, &sibling)? {
                    Some(packed) => packed,
                    None => crate::files::encode(&bytes, enc, 9)
                        .with_context(|| format!("cannot compress {path}"))?,
                };
                target
                    .put_file(space, &sibling, &packed)
                    .with_context(|| format!("cannot write {sibling}"))?;
                written += packed.len();
            }
            target
                .put_file(space, path, &bytes)
                .with_context(|| format!("cannot write {path}"))?;
            written += bytes.len();
        }
    }
    let bytes = serde_json::to_vec_pretty(&index)?;
    write_durably(&target.space_dir(space).join(SNAPSHOTS_INDEX), &bytes)
        .with_context(|| format!("cannot write {SNAPSHOTS_INDEX}"))?;
    Ok(written + bytes.len())
}
