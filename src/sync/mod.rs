//! The endpoint client (`docs/sync.md`): the manifest with revalidation, files checked against
//! their SHA-256 with every event verified (`verify`, in Web Workers), and pushing batches.
//! It knows nothing of the community it serves: the engine (`crate::engine::exchange`) pulls
//! into it and pushes its outbox.
//!
//! Both directions are idempotent, so an interrupted sync simply runs again: a file counts as
//! held only after its events are stored, and an event leaves the outbox only after the hub
//! answered `accepted` or `duplicate` (or refused it for good).

pub mod verify;

use gloo_net::http::{Request, Response};
use linli_domain::envelope::sha256;
use linli_domain::{Hex32, Opener, Space};
use serde::Deserialize;
use wasm_bindgen_futures::JsFuture;
use web_sys::RequestCache;

use crate::clock::now_ms;
use crate::store::StoreError;

/// Milliseconds spent receiving events since the community was opened.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Timings {
    /// Downloading files.
    pub fetch_ms: f64,
    /// Opening envelopes: SHA-256, strict Ed25519, parsing.
    pub verify_ms: f64,
    /// Folding them into the state.
    pub fold_ms: f64,
    /// Writing them to IndexedDB.
    pub store_ms: f64,
}

/// Events per pushed batch.
pub const PUSH_BATCH: usize = 500;

/// Why a sync stopped. What it had stored or settled before stays.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SyncError {
    /// No network, or the endpoint did not answer.
    #[error("unreachable: {0}")]
    Unreachable(String),
    /// The endpoint answered with an error status.
    #[error("HTTP {status}: {message}")]
    Http {
        /// The status.
        status: u16,
        /// Its `{"error": …}` message, or the status text.
        message: String,
    },
    /// The endpoint is a read-only mirror: it does not take events.
    #[error("read-only endpoint")]
    ReadOnly,
    /// A file did not match the manifest, or the manifest is not one.
    #[error("damaged data: {0}")]
    Damaged(String),
    /// Storing what was received failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Deserialize)]
pub(crate) struct Manifest {
    space: String,
    files: Vec<FileEntry>,
}

#[derive(Deserialize)]
pub(crate) struct FileEntry {
    pub path: String,
    pub sha256: String,
}

#[derive(Deserialize)]
pub(crate) struct Receipt {
    pub results: Vec<ItemResult>,
}

#[derive(Deserialize)]
pub(crate) struct ItemResult {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub retry: bool,
}

/// What one sync did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// New events stored from the endpoint.
    pub pulled: usize,
    /// Own events the endpoint acknowledged.
    pub pushed: usize,
    /// Own events refused for good (kept in the log as evidence, out of the outbox).
    pub refused: usize,
}

pub(crate) fn space_url(endpoint: &str, space: &Hex32, file: &str) -> String {
    format!(
        "{}/spaces/{}/{file}",
        endpoint.trim_end_matches('/'),
        space.to_hex()
    )
}

pub(crate) async fn fetch(req: Result<Request, gloo_net::Error>) -> Result<Response, SyncError> {
    let req = req.map_err(|e| SyncError::Unreachable(e.to_string()))?;
    req.send()
        .await
        .map_err(|e| SyncError::Unreachable(e.to_string()))
}

pub(crate) async fn http_error(r: Response) -> SyncError {
    let status = r.status();
    #[derive(Deserialize)]
    struct Error {
        error: String,
    }
    let message = match r.json::<Error>().await {
        Ok(e) => e.error,
        Err(_) => r.status_text(),
    };
    SyncError::Http { status, message }
}

/// A community read from its endpoint before this device keeps it (to show an invitation's
/// community before joining): the folded events, and which files and manifest they came from
/// so that the next sync fetches only what is newer.
pub struct Fetched {
    /// The events, verified and folded.
    pub space: Space,
    /// The manifest's files, all held now.
    pub files: Vec<String>,
    /// The manifest's ETag.
    pub etag: Option<String>,
    /// Time spent.
    pub timings: Timings,
}

/// Fetches a whole space from an endpoint, verifying every event.
pub async fn fetch_space(endpoint: &str, space_id: Hex32) -> Result<Fetched, SyncError> {
    let mut space = Space::new(space_id);
    let (files, etag) = manifest(endpoint, &space_id, None).await?;
    let mut timings = Timings::default();
    let files = files.unwrap_or_default();
    let list: Vec<&FileEntry> = files.iter().collect();
    let mut fold_ms = 0.0;
    fetch_files(
        endpoint,
        &space_id,
        &list,
        &mut timings,
        async |_, events| {
            let started = now_ms();
            space.insert(events);
            fold_ms += now_ms() - started;
            Ok(())
        },
    )
    .await?;
    timings.fold_ms += fold_ms;
    Ok(Fetched {
        space,
        files: files.into_iter().map(|f| f.path).collect(),
        etag,
        timings,
    })
}

/// The manifest's files (`None` when unchanged since `etag`) and its new ETag.
pub(crate) async fn manifest(
    endpoint: &str,
    space: &Hex32,
    etag: Option<&str>,
) -> Result<(Option<Vec<FileEntry>>, Option<String>), SyncError> {
    let mut req =
        Request::get(&space_url(endpoint, space, "manifest.json")).cache(RequestCache::NoCache);
    if let Some(tag) = etag {
        req = req.header("If-None-Match", tag);
    }
    let r = fetch(req.build()).await?;
    if r.status() == 304 {
        return Ok((None, etag.map(str::to_owned)));
    }
    if !r.ok() {
        return Err(http_error(r).await);
    }
    let tag = r.headers().get("etag");
    let m: Manifest = r
        .json()
        .await
        .map_err(|e| SyncError::Damaged(format!("manifest: {e}")))?;
    if m.space != space.to_hex() {
        return Err(SyncError::Damaged("manifest of another space".into()));
    }
    Ok((Some(m.files), tag))
}

/// Downloads one listed file and checks it against the manifest's SHA-256.
async fn fetch_text(
    endpoint: &str,
    space: &Hex32,
    f: &FileEntry,
    timings: &mut Timings,
) -> Result<String, SyncError> {
    let started = now_ms();
    let r = fetch(Request::get(&space_url(endpoint, space, &f.path)).build()).await?;
    if !r.ok() {
        return Err(http_error(r).await);
    }
    let raw: web_sys::Response = r.into();
    let unreachable = |e: wasm_bindgen::JsValue| SyncError::Unreachable(format!("{e:?}"));
    let buffer = JsFuture::from(raw.array_buffer().map_err(unreachable)?)
        .await
        .map_err(unreachable)?;
    // The file's SHA-256 in the browser's native code (WebCrypto), before the one copy of its
    // bytes into wasm memory.
    let digest = match web_sys::window().and_then(|w| w.crypto().ok()) {
        Some(c) => match c
            .subtle()
            .digest_with_str_and_buffer_source("SHA-256", &buffer.clone().into())
        {
            Ok(p) => JsFuture::from(p)
                .await
                .ok()
                .map(|d| js_sys::Uint8Array::new(&d).to_vec()),
            Err(_) => None,
        },
        None => None,
    };
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    timings.fetch_ms += now_ms() - started;
    let digest = digest.unwrap_or_else(|| sha256(&bytes).0.to_vec());
    if linli_domain::id::encode_hex(&digest) != f.sha256 {
        return Err(SyncError::Damaged(format!(
            "{} does not match its hash",
            f.path
        )));
    }
    String::from_utf8(bytes).map_err(|_| SyncError::Damaged(f.path.clone()))
}

/// Fetches and verifies files in order, handing each file's verified events to `each`. The
/// next file is downloaded and prepared while the workers check the current one.
pub(crate) async fn fetch_files(
    endpoint: &str,
    space: &Hex32,
    files: &[&FileEntry],
    timings: &mut Timings,
    mut each: impl AsyncFnMut(&FileEntry, Vec<linli_domain::Event>) -> Result<(), SyncError>,
) -> Result<(), SyncError> {
    let mut opener = Opener::default();
    let mut pending: Option<(&FileEntry, verify::Started)> = None;
    for f in files {
        let text = fetch_text(endpoint, space, f, timings).await?;
        let t = now_ms();
        let started = verify::start(&mut opener, &text)
            .await
            .map_err(|e| SyncError::Damaged(format!("{}: {e}", f.path)))?;
        timings.verify_ms += now_ms() - t;
        if let Some((pf, p)) = pending.take() {
            let t = now_ms();
            let opened = verify::complete(&mut opener, p).await;
            timings.verify_ms += now_ms() - t;
            // Envelopes that do not open are not stored: a device keeps only verified events.
            each(pf, opened.into_iter().filter_map(Result::ok).collect()).await?;
        }
        pending = Some((f, started));
    }
    if let Some((pf, p)) = pending {
        let t = now_ms();
        let opened = verify::complete(&mut opener, p).await;
        timings.verify_ms += now_ms() - t;
        each(pf, opened.into_iter().filter_map(Result::ok).collect()).await?;
    }
    Ok(())
}
