//! Brotli and gzip siblings (`app.wasm.br`, `app.wasm.gz`) for the app's compressible files.
//!
//! Compressing at the highest levels costs about a second for the whole bundle, so it is done
//! once when the hub starts (and skipped for files whose siblings are already newer), never
//! per request. `tower-http`'s `ServeDir` then picks the sibling the client accepts.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Extensions worth compressing (images and fonts are already compressed).
pub const COMPRESSIBLE: &[&str] = &[
    "html",
    "js",
    "mjs",
    "wasm",
    "css",
    "svg",
    "json",
    "webmanifest",
    "txt",
];

/// Below this, the headers outweigh the saving.
pub const MIN_SIZE: u64 = 256;

/// What [`prepare_dir`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Compressible files found.
    pub files: usize,
    /// Files whose siblings were (re)written now.
    pub compressed: usize,
}

/// Writes missing or stale `.br`/`.gz` siblings for every compressible file under `dir`.
pub async fn prepare_dir(dir: &Path) -> std::io::Result<Stats> {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || prepare_dir_blocking(&dir))
        .await
        .map_err(std::io::Error::other)?
}

fn prepare_dir_blocking(dir: &Path) -> std::io::Result<Stats> {
    let mut stats = Stats::default();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current)? {
            let entry = entry?;
            let path = entry.path();
            let meta = entry.metadata()?;
            if meta.is_dir() {
                pending.push(path);
            } else if is_compressible(&path) && meta.len() >= MIN_SIZE {
                stats.files += 1;
                if compress_file(&path, &meta)? {
                    stats.compressed += 1;
                }
            }
        }
    }
    Ok(stats)
}

fn is_compressible(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| COMPRESSIBLE.contains(&e))
}

fn sibling(path: &Path, ext: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

/// Whether `sibling` exists and is at least as new as the source.
fn is_fresh(sibling: &Path, source: &std::fs::Metadata) -> bool {
    match (
        std::fs::metadata(sibling).and_then(|m| m.modified()),
        source.modified(),
    ) {
        (Ok(s), Ok(src)) => s >= src,
        _ => false,
    }
}

fn compress_file(path: &Path, meta: &std::fs::Metadata) -> std::io::Result<bool> {
    let (br, gz) = (sibling(path, "br"), sibling(path, "gz"));
    if is_fresh(&br, meta) && is_fresh(&gz, meta) {
        return Ok(false);
    }
    let raw = std::fs::read(path)?;
    write_atomically(&br, &brotli_bytes(&raw)?)?;
    write_atomically(&gz, &gzip_bytes(&raw)?)?;
    Ok(true)
}

/// Brotli at quality 11 with a 4 MiB window, as static hosts precompress.
pub fn brotli_bytes(raw: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(raw.len() / 3);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        writer.write_all(raw)?;
    }
    Ok(out)
}

/// Gzip at level 9.
pub fn gzip_bytes(raw: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(raw)?;
    encoder.finish()
}

/// Readers never see a half-written sibling: write beside it, then rename over it.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = sibling(path, "tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_text_like_files_are_compressible() {
        assert!(is_compressible(Path::new("a/linli_bg.wasm")));
        assert!(is_compressible(Path::new("index.html")));
        assert!(!is_compressible(Path::new("icon.png")));
        assert!(!is_compressible(Path::new("index.html.br")));
        assert!(!is_compressible(Path::new("README")));
    }

    #[tokio::test]
    async fn writes_siblings_once_and_skips_small_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let big = "<p>邻里</p>".repeat(200);
        std::fs::write(dir.path().join("index.html"), &big).expect("write");
        std::fs::write(dir.path().join("tiny.css"), "a{}").expect("write");
        let first = prepare_dir(dir.path()).await.expect("prepare");
        assert_eq!(
            first,
            Stats {
                files: 1,
                compressed: 1
            }
        );
        let br = std::fs::read(dir.path().join("index.html.br")).expect("br written");
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut decoded).expect("valid brotli");
        assert_eq!(decoded, big.as_bytes());
        assert!(!dir.path().join("tiny.css.br").exists());
        let second = prepare_dir(dir.path()).await.expect("prepare again");
        assert_eq!(
            second,
            Stats {
                files: 1,
                compressed: 0
            }
        );
    }
}
