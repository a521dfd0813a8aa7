//! `linli-hub publish --dist DIST --store s3://BUCKET/PREFIX`: the built app into the bucket
//! that holds the spaces, so that the bucket's website endpoint (or a CDN in front of it)
//! serves everything a phone reads, and the hubs only take posts (docs/sync.md §5, "Static
//! reads from the bucket").
//!
//! A bucket is a dumb static host: it sends back the headers stored with each object and
//! cannot choose an encoding per request. So every object is stored as it must be served:
//!
//! - `Content-Type` from the extension (`application/wasm` for `WebAssembly.instantiateStreaming`,
//!   `text/javascript` for the modules and the service worker, …);
//! - `Cache-Control`: Trunk's content-hashed names `public, max-age=31536000, immutable`,
//!   everything else (`index.html`, `sw.js`, `parts.json`, the web manifest, icons) `no-cache`,
//!   revalidated with the store's `ETag` — the rules the hub itself serves the bundle with;
//! - compressible files (HTML, JS, wasm, CSS, SVG, JSON) gzip-encoded at level 9 with
//!   `Content-Encoding: gzip`: every browser accepts gzip, while brotli is not offered by
//!   every browser over plain HTTP (Firefox and Safari offer it over HTTPS only), and a bucket
//!   cannot fall back, so one stored form serves every phone. `--encoding br` stores brotli
//!   instead, for a bucket or CDN reached over HTTPS only; a CDN in front may also re-encode.
//!
//! Hashed files go first, then `parts.json`, the web manifest and `sw.js`, and `index.html`
//! last: a phone never loads an `index.html` that names a file not uploaded yet. Nothing is
//! deleted: the previous build's hashed files stay for tabs (and service workers) still on it.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context};
use clap::Args;

use crate::s3::{Location, Meta, ObjectStore, Settings};

/// Upload the built app (Trunk's `dist/`) into the bucket of `serve --store`, with content
/// types, cache headers and gzip encoding that the bucket's website endpoint or a CDN serves
/// as they are; optionally set the bucket's CORS rules and website routing.
#[derive(Debug, Args)]
pub struct Publish {
    /// The app bundle built by `trunk build --release`.
    #[arg(long, default_value = "dist")]
    dist: PathBuf,
    /// The bucket (and prefix) the hubs keep the spaces in: `s3://BUCKET/PREFIX`. The app goes
    /// beside `spaces/`. Endpoint, region and keys come from AWS_ENDPOINT_URL, AWS_REGION,
    /// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
    #[arg(long, value_name = "URL")]
    store: Location,
    /// Also set the bucket's CORS rules (PutBucketCors): any origin may GET and HEAD, with
    /// `If-None-Match`, and read the `ETag`. For an app served from another origin.
    #[arg(long)]
    cors: bool,
    /// Also set the bucket's website configuration (PutBucketWebsite): `index.html` for `/`,
    /// a missing `spaces/…` file a plain 404, and any other missing path (an app route such as
    /// `/council`) answered with `index.html` and 200 (Garage's routing rules). Needs the app
    /// at the bucket's root (no prefix).
    #[arg(long)]
    website: bool,
    /// How compressible files are stored: `gzip` (level 9), which every browser decodes, or
    /// `br` (brotli 11, about a fifth smaller), only for a bucket or CDN reached over HTTPS,
    /// where every current browser offers brotli: a bucket cannot fall back for one that
    /// does not.
    #[arg(long, default_value = "gzip", value_parser = ["gzip", "br"])]
    encoding: String,
}

/// Immutable: content-hashed names.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else is revalidated.
const NO_CACHE: &str = "no-cache";

/// Uploaded last, in this order: they name the files before them.
const LAST: [&str; 4] = ["parts.json", "manifest.webmanifest", "sw.js", "index.html"];

/// One file of the bundle as it is stored.
#[derive(Debug, PartialEq, Eq)]
pub struct Object {
    /// Relative to the bundle (`/`-separated): the key under the prefix.
    pub path: String,
    /// The bytes stored (gzip-encoded when `meta.encoding` says so).
    pub body: Vec<u8>,
    /// The file's size before encoding.
    pub raw_len: usize,
    /// Its headers.
    pub meta: Meta,
}

impl Publish {
    /// Uploads the bundle, then sets the bucket's configuration when asked.
    pub fn run(self) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.dist.join("index.html").is_file(),
            "no app bundle at {} (missing index.html): build it first with `trunk build --release`",
            self.dist.display()
        );
        if self.website && !self.store.prefix.is_empty() {
            bail!(
                "--website needs the app at the bucket's root, and {} has the prefix {:?}: \
                 publish to s3://{}/ or point a CDN's origin path at the prefix instead",
                self.store,
                self.store.prefix,
                self.store.bucket
            );
        }
        let settings = Settings::from_env()?;
        let store = ObjectStore::new(self.store.clone(), &settings)?;
        store
            .check()
            .with_context(|| format!("cannot use {}", self.store))?;
        let started = Instant::now();
        let encoding = if self.encoding == "br" { "br" } else { "gzip" };
        let objects = bundle(&self.dist, encoding)?;
        let (mut raw, mut stored) = (0, 0);
        for object in &objects {
            store
                .put_object(&store.key(&object.path), &object.body, &object.meta)
                .with_context(|| format!("cannot upload {}", object.path))?;
            raw += object.raw_len;
            stored += object.body.len();
        }
        eprintln!(
            "linli-hub: published {} files of {} to {} ({} bytes stored, {} before {encoding}) in {:.1}s",
            objects.len(),
            self.dist.display(),
            self.store,
            stored,
            raw,
            started.elapsed().as_secs_f64()
        );
        if self.cors {
            store
                .put_bucket_config("cors", CORS_RULES)
                .context("cannot set the bucket's CORS rules")?;
            eprintln!("linli-hub: CORS rules set on {}", self.store.bucket);
        }
        if self.website {
            store
                .put_bucket_config("website", WEBSITE)
                .context("cannot set the bucket's website configuration")?;
            eprintln!(
                "linli-hub: website of {} set: index.html, app routes answered with it",
                self.store.bucket
            );
        }
        Ok(())
    }
}

/// Reads the bundle: every file but compressed siblings and temporary files, each with its
/// stored form and headers, compressible ones in `encoding` (`gzip` or `br`), in upload order
/// (hashed and other files by name, then [`LAST`]).
pub fn bundle(dist: &Path, encoding: &'static str) -> anyhow::Result<Vec<Object>> {
    let mut paths = Vec::new();
    let mut pending = vec![dist.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?
        {
            let entry = entry?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else if !(name.starts_with('.')
                || name.ends_with(".br")
                || name.ends_with(".gz")
                || name.ends_with(".tmp"))
            {
                paths.push(path);
            }
        }
    }
    let mut objects = Vec::with_capacity(paths.len());
    for path in paths {
        let rel = path
            .strip_prefix(dist)
            .context("a file outside the bundle")?
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(&path).with_context(|| format!("cannot read {rel}"))?;
        objects.push(object(rel, bytes, encoding)?);
    }
    let rank = |o: &Object| LAST.iter().position(|l| *l == o.path);
    objects.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.path.cmp(&b.path)));
    Ok(objects)
}

/// One file as it is stored: type, caching rule, and `encoding` when that makes it smaller.
fn object(path: String, bytes: Vec<u8>, encoding: &'static str) -> anyhow::Result<Object> {
    let name = path.rsplit('/').next().unwrap_or(&path);
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let cache = if crate::server::is_hashed(name) {
        IMMUTABLE
    } else {
        NO_CACHE
    };
    let raw_len = bytes.len();
    let mut meta = Meta {
        content_type: content_type(ext),
        cache,
        encoding: None,
        create_only: false,
    };
    let compressible = crate::precompress::COMPRESSIBLE.contains(&ext)
        && raw_len as u64 >= crate::precompress::MIN_SIZE;
    let body = if compressible {
        let packed = if encoding == "br" {
            crate::precompress::brotli_bytes(&bytes)
        } else {
            crate::precompress::gzip_bytes(&bytes)
        }
        .with_context(|| format!("cannot compress {path}"))?;
        if packed.len() < raw_len {
            meta.encoding = Some(encoding);
            packed
        } else {
            bytes
        }
    } else {
        bytes
    };
    Ok(Object {
        path,
        body,
        raw_len,
        meta,
    })
}

/// The `Content-Type` of a bundle file by its extension.
fn content_type(ext: &str) -> &'static str {
    match ext {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Reads from any origin: the data is public and signed (docs/sync.md §1, "Cross-origin
/// reads"). Posts never go to the bucket.
const CORS_RULES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>if-none-match</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>86400</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>
"#;

/// `index.html` for `/`; a missing space file stays a 404 (the first rule loads the same key
/// again, and answers 404 when it is missing); any other missing key — an app route such as
/// `/council` — gets `index.html` with 200, as the hub answers routes. Rules are tried in
/// order, the first whose condition matches applies (Garage 2.x, `src/web/web_server.rs`).
const WEBSITE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<WebsiteConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <IndexDocument><Suffix>index.html</Suffix></IndexDocument>
  <RoutingRules>
    <RoutingRule>
      <Condition><KeyPrefixEquals>spaces/</KeyPrefixEquals><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals></Condition>
      <Redirect><ReplaceKeyPrefixWith>spaces/</ReplaceKeyPrefixWith><HttpRedirectCode>404</HttpRedirectCode></Redirect>
    </RoutingRule>
    <RoutingRule>
      <Condition><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals></Condition>
      <Redirect><ReplaceKeyWith>index.html</ReplaceKeyWith><HttpRedirectCode>200</HttpRedirectCode></Redirect>
    </RoutingRule>
  </RoutingRules>
</WebsiteConfiguration>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_is_stored_as_a_static_host_serves_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let html = "<!DOCTYPE html><p>邻里</p>".repeat(40);
        std::fs::write(d.join("index.html"), &html).expect("write");
        std::fs::write(d.join("index.html.br"), b"sibling").expect("write");
        std::fs::write(d.join("index.html.gz"), b"sibling").expect("write");
        std::fs::write(
            d.join("sw.js"),
            "self.addEventListener('fetch', () => {});\n".repeat(10),
        )
        .expect("write");
        std::fs::write(d.join("parts.json"), b"{\"build\":\"b\",\"files\":[]}").expect("write");
        std::fs::write(d.join("linli-0123456789abcdef_bg.wasm"), vec![0u8; 4096]).expect("write");
        std::fs::write(d.join("start-0123456789abcdef.js"), "export{};".repeat(60)).expect("write");
        std::fs::create_dir(d.join("icons")).expect("mkdir");
        std::fs::write(d.join("icons/icon.png"), [0x89, b'P', b'N', b'G']).expect("write");

        let objects = bundle(d, "gzip").expect("bundle");
        let order: Vec<&str> = objects.iter().map(|o| o.path.as_str()).collect();
        assert_eq!(
            order,
            [
                "icons/icon.png",
                "linli-0123456789abcdef_bg.wasm",
                "start-0123456789abcdef.js",
                "parts.json",
                "sw.js",
                "index.html"
            ],
            "siblings skipped; index.html last, after what it names"
        );
        let get = |p: &str| objects.iter().find(|o| o.path == p).expect(p);

        let index = get("index.html");
        assert_eq!(index.meta.content_type, "text/html; charset=utf-8");
        assert_eq!(index.meta.cache, NO_CACHE);
        assert_eq!(index.meta.encoding, Some("gzip"));
        let mut decoded = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(&index.body[..]),
            &mut decoded,
        )
        .expect("valid gzip");
        assert_eq!(decoded, html);
        assert_eq!(index.raw_len, html.len());

        let wasm = get("linli-0123456789abcdef_bg.wasm");
        assert_eq!(wasm.meta.content_type, "application/wasm");
        assert_eq!(wasm.meta.cache, IMMUTABLE);
        assert_eq!(wasm.meta.encoding, Some("gzip"));
        assert!(wasm.body.len() < 200, "4 KiB of zeros compress");

        let js = get("start-0123456789abcdef.js");
        assert_eq!(js.meta.content_type, "text/javascript; charset=utf-8");
        assert_eq!(js.meta.cache, IMMUTABLE);
        assert_eq!(
            get("sw.js").meta.cache,
            NO_CACHE,
            "the worker is revalidated"
        );

        // Small files and images are stored as they are.
        let parts = get("parts.json");
        assert_eq!(parts.meta.encoding, None);
        assert_eq!(parts.body, b"{\"build\":\"b\",\"files\":[]}");
        let png = get("icons/icon.png");
        assert_eq!(png.meta.content_type, "image/png");
        assert_eq!(png.meta.encoding, None);
        assert_eq!(png.meta.cache, NO_CACHE);
    }

    #[test]
    fn brotli_when_asked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let html = "<!DOCTYPE html><p>邻里</p>".repeat(40);
        std::fs::write(dir.path().join("index.html"), &html).expect("write");
        let objects = bundle(dir.path(), "br").expect("bundle");
        assert_eq!(objects[0].meta.encoding, Some("br"));
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut &objects[0].body[..], &mut decoded).expect("valid brotli");
        assert_eq!(decoded, html.as_bytes());
    }

    #[test]
    fn the_bucket_configuration_is_well_formed() {
        for xml in [CORS_RULES, WEBSITE] {
            // Every element closes, in order.
            let mut open = Vec::new();
            for tag in xml.split('<').skip(1) {
                let name = tag.split(['>', ' ']).next().unwrap_or("");
                if name.starts_with('?') {
                    continue;
                } else if let Some(closing) = name.strip_prefix('/') {
                    assert_eq!(open.pop(), Some(closing.to_owned()), "{xml}");
                } else {
                    open.push(name.to_owned());
                }
            }
            assert!(open.is_empty(), "{xml}");
        }
    }
}
