//! The endpoint client (`docs/sync.md`): the manifest with revalidation, files checked against
//! their SHA-256 with every event verified (`verify`, in Web Workers), and pushing batches.
//! It knows nothing of the community it serves: the engine (`crate::engine::exchange`) pulls
//! into it and pushes its outbox.
//!
//! Both directions are idempotent, so an interrupted sync simply runs again: a file counts as
//! held only after its events are stored, and an event leaves the outbox only after the hub
//! answered `accepted` or `duplicate` (or refused it for good).

pub mod fast;
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
    /// No network, or the endpoint refused the connection.
    #[error("unreachable: {0}")]
    Unreachable(String),
    /// The endpoint stopped answering: no answer, or no more of a file, within
    /// [`ANSWER_WITHIN_MS`].
    #[error("timed out: {0}")]
    TimedOut(String),
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
    /// The endpoint lists fewer events than it did before (restored from an old backup, or a
    /// stale copy in between): nothing held is dropped, and nothing of it is taken as newer.
    #[error("rollback: the manifest lists {listed} events, {seen} were listed before")]
    Rollback {
        /// Events the manifest lists now.
        listed: u64,
        /// Events it listed before (at least).
        seen: u64,
    },
    /// A checkpoint's snapshot was refused (`docs/protocol.md` §7.7): it does not match what
    /// its signers signed. Nothing of it is kept.
    #[error("false checkpoint: {0}")]
    FalseCheckpoint(String),
    /// A checkpoint's snapshot was refused: fewer council members signed it than the
    /// community's rules need. Nothing of it is kept.
    #[error("checkpoint signed by too few council members: {0}")]
    UnderSigned(String),
    /// Storing what was received failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Deserialize)]
pub(crate) struct Manifest {
    space: String,
    files: Vec<FileEntry>,
    /// Where to post this space's events, when not where the manifest was read (`docs/sync.md`,
    /// "Reads from one place, posts to another").
    #[serde(default)]
    push: Option<String>,
}

/// What a manifest lists: its files, and where to post (see [`push_base`]).
pub(crate) struct Listing {
    pub files: Vec<FileEntry>,
    pub push: Option<String>,
}

/// A manifest's `push` as a base URL to post to: absolute `http(s)://host…`, without query,
/// fragment or whitespace (a trailing `/` dropped). Anything else is ignored: the phone posts
/// to where it reads.
pub(crate) fn push_base(push: Option<&str>) -> Option<String> {
    linli_domain::push::push_url(push?).ok()
}

#[derive(Deserialize)]
pub(crate) struct FileEntry {
    pub path: String,
    pub sha256: String,
    /// How many envelopes the file holds, as the manifest says (`docs/sync.md`); `None` from
    /// an endpoint that does not say.
    #[serde(default)]
    pub events: Option<usize>,
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

/// How long a request may wait for the endpoint's answer to begin, and then for each next
/// piece of its body.
pub const ANSWER_WITHIN_MS: i32 = 30_000;

/// A request under way. It is cancelled (its connection freed) when it is late and when it
/// is dropped: a stalled connection must neither hold the sync forever nor stay open.
pub(crate) struct Call {
    abort: Option<web_sys::AbortController>,
}

impl Call {
    /// `work` (the answer, or the next piece of it), unless the endpoint lets
    /// [`ANSWER_WITHIN_MS`] pass first: then the request is cancelled.
    pub(crate) async fn within<T>(
        &self,
        work: impl std::future::Future<Output = Result<T, SyncError>>,
    ) -> Result<T, SyncError> {
        use futures::future::{select, Either};
        let work = std::pin::pin!(work);
        let late = std::pin::pin!(crate::clock::sleep(ANSWER_WITHIN_MS));
        match select(work, late).await {
            Either::Left((r, _)) => r,
            Either::Right(_) => {
                self.cancel();
                Err(SyncError::TimedOut(format!(
                    "no answer within {} s",
                    ANSWER_WITHIN_MS / 1000
                )))
            }
        }
    }

    fn cancel(&self) {
        if let Some(a) = &self.abort {
            a.abort();
        }
    }
}

impl Drop for Call {
    fn drop(&mut self) {
        // Aborting a request that has finished does nothing.
        self.cancel();
    }
}

/// Sends a request (with `body`, for a POST). Its answer must begin within
/// [`ANSWER_WITHIN_MS`]; keep the [`Call`] while reading the body, with each read in
/// [`Call::within`].
pub(crate) async fn fetch(
    req: gloo_net::http::RequestBuilder,
    body: Option<String>,
) -> Result<(Response, Call), SyncError> {
    let call = Call {
        abort: web_sys::AbortController::new().ok(),
    };
    let req = req.abort_signal(call.abort.as_ref().map(|a| a.signal()).as_ref());
    let req = match body {
        Some(body) => req.body(body),
        None => req.build(),
    }
    .map_err(|e| SyncError::Unreachable(e.to_string()))?;
    let r = call
        .within(async {
            req.send()
                .await
                .map_err(|e| SyncError::Unreachable(e.to_string()))
        })
        .await?;
    Ok((r, call))
}

thread_local! {
    /// Files that did not match the manifest this visit: fetched again past the browser's
    /// cache, which keeps a bad copy (cut short, or altered on the way) as long as a good one
    /// — a year, for files named immutable.
    static SUSPECT: std::cell::RefCell<std::collections::HashSet<String>> = Default::default();
}

/// A GET of one of the manifest's files, past the cache if a copy of it was bad.
fn file_request(url: &str) -> gloo_net::http::RequestBuilder {
    let req = Request::get(url);
    if SUSPECT.with(|s| s.borrow().contains(url)) {
        req.cache(RequestCache::Reload)
    } else {
        req
    }
}

/// Checks a file's bytes against the manifest's SHA-256 (`digest`, when the browser computed
/// it); a file that does not match is fetched past the cache next time.
fn check_file(
    url: &str,
    f: &FileEntry,
    bytes: &[u8],
    digest: Option<Vec<u8>>,
) -> Result<(), SyncError> {
    let digest = digest.unwrap_or_else(|| sha256(bytes).0.to_vec());
    let ok = linli_domain::id::encode_hex(&digest) == f.sha256;
    SUSPECT.with(|s| {
        let mut s = s.borrow_mut();
        if ok {
            s.remove(url);
        } else {
            s.insert(url.to_owned());
        }
    });
    if ok {
        Ok(())
    } else {
        Err(SyncError::Damaged(format!(
            "{} does not match its hash",
            f.path
        )))
    }
}

pub(crate) async fn http_error(r: Response, call: &Call) -> SyncError {
    let status = r.status();
    #[derive(Deserialize)]
    struct Error {
        error: String,
    }
    let read = call.within(async { Ok(r.json::<Error>().await) }).await;
    let message = match read {
        Ok(Ok(e)) => e.error,
        _ => r.status_text(),
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
    /// Events the manifest lists, when it says for every file.
    pub listed: Option<u64>,
    /// Where to post, when the manifest names somewhere else ([`push_base`]).
    pub push: Option<String>,
    /// Time spent.
    pub timings: Timings,
    /// Read fast, from a counted checkpoint's snapshot ([`fast`]); `None`: from the genesis.
    pub start: Option<fast::Started>,
}

/// How far reading a community has come, for a progress bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Files downloaded whole and matching the manifest's SHA-256.
    pub files: usize,
    /// Files the manifest lists.
    pub files_total: usize,
    /// Events downloaded so far.
    pub received: usize,
    /// Events checked (signature and body) and folded so far.
    pub verified: usize,
    /// Events the manifest lists, when it says for every file.
    pub events_total: Option<usize>,
    /// Bytes downloaded so far (as decoded).
    pub bytes: u64,
}

/// Envelopes per batch handed to the workers while a file is still arriving: small enough
/// that the progress moves and no task runs long, large enough to keep the workers busy.
const STREAM_BATCH: usize = 500;

/// Reports from the download to the checks, in order.
enum Piece {
    /// More of the files arrived: events and bytes so far, in total.
    Received { events: usize, bytes: u64 },
    /// A batch of envelopes, prepared, with the workers.
    Batch(verify::Started),
    /// A file arrived whole and matched its SHA-256.
    FileDone,
}

/// Fetches a whole space from an endpoint, verifying every event, and reports its progress
/// with the fold so far (`progress`: the counts, and the community as read up to then — its
/// name and invitations appear as soon as the events that say them are in).
///
/// The files stream in: complete envelopes go to the workers in batches of
/// [`STREAM_BATCH`] while the rest of the file downloads, and are folded as their verdicts
/// come back, so a slow network and a slow phone overlap instead of adding up. Nothing read
/// is kept or returned unless every file matches its SHA-256 and the manifest; until then the
/// fold only feeds the progress (its events are signed, so what it shows is authentic).
pub async fn fetch_space(
    endpoint: &str,
    space_id: Hex32,
    mut progress: impl FnMut(&Progress, &Space),
) -> Result<Fetched, SyncError> {
    let mut space = Space::new(space_id);
    let (listing, etag) = manifest(endpoint, &space_id, None).await?;
    let (files, push) = listing.map_or((Vec::new(), None), |l| (l.files, l.push));
    let listed = listed(&files);
    let mut now = Progress {
        files_total: files.len(),
        events_total: files
            .iter()
            .try_fold(0usize, |sum, f| sum.checked_add(f.events?)),
        ..Progress::default()
    };
    progress(&now, &space);
    let (tx, mut rx) = futures::channel::mpsc::unbounded::<Piece>();
    let download = stream_files(endpoint, &space_id, &files, tx);
    let check = async {
        let mut opener = Opener::default();
        let (mut verify_ms, mut fold_ms, mut shown) = (0.0, 0.0, 0.0);
        while let Some(piece) = futures::StreamExt::next(&mut rx).await {
            match piece {
                Piece::Received { events, bytes } => {
                    now.received = events;
                    now.bytes = bytes;
                    // Byte counts arrive per network chunk: shown at most every 100 ms.
                    if now_ms() - shown < 100.0 {
                        continue;
                    }
                }
                Piece::Batch(started) => {
                    let t = now_ms();
                    let opened = verify::complete(&mut opener, started).await;
                    verify_ms += now_ms() - t;
                    now.verified += opened.len();
                    // Envelopes that do not open are not kept: a device holds verified events.
                    let mut events: Vec<_> = opened.into_iter().filter_map(Result::ok).collect();
                    events.sort_by_key(|e| (e.position(), e.id));
                    let t = now_ms();
                    space.insert(events);
                    fold_ms += now_ms() - t;
                }
                Piece::FileDone => now.files += 1,
            }
            progress(&now, &space);
            shown = now_ms();
        }
        (verify_ms, fold_ms)
    };
    let (downloaded, (verify_ms, fold_ms)) = futures::future::join(download, check).await;
    let mut timings = downloaded?;
    timings.verify_ms += verify_ms;
    timings.fold_ms += fold_ms;
    Ok(Fetched {
        space,
        files: files.into_iter().map(|f| f.path).collect(),
        etag,
        listed,
        push,
        timings,
        start: None,
    })
}

/// Downloads the files in order, as streams: each complete envelope is counted, and every
/// [`STREAM_BATCH`] of them prepared and handed to the workers at once; each file's SHA-256 is
/// checked when it is whole. Stops at the first failure (the checks then stop too).
async fn stream_files(
    endpoint: &str,
    space: &Hex32,
    files: &[FileEntry],
    pieces: futures::channel::mpsc::UnboundedSender<Piece>,
) -> Result<Timings, SyncError> {
    let mut opener = Opener::default();
    let mut timings = Timings::default();
    let (mut events, mut bytes) = (0, 0u64);
    let send = |piece| {
        // The checks end only after the download (or with the page): a closed channel means
        // nobody is waiting any more.
        let _ = pieces.unbounded_send(piece);
    };
    for f in files {
        let started = now_ms();
        let mut prepare_ms = 0.0;
        let url = space_url(endpoint, space, &f.path);
        let (r, call) = fetch(file_request(&url), None).await?;
        if !r.ok() {
            return Err(http_error(r, &call).await);
        }
        let mut body = Body::of(r.into());
        // About 600 bytes an envelope (a hint only: a hub's files hold up to 10,000).
        let mut text: Vec<u8> = Vec::with_capacity(f.events.unwrap_or(0).min(20_000) * 600);
        let mut split = Splitter::default();
        let before = bytes;
        let damaged = || SyncError::Damaged(format!("{} is not a list of envelopes", f.path));
        loop {
            let more = call.within(body.read_into(&mut text)).await?;
            let found = split.found;
            split.scan(&text);
            events += split.found - found;
            bytes = before + text.len() as u64;
            send(Piece::Received { events, bytes });
            while split.ready.len() >= STREAM_BATCH || (!more && !split.ready.is_empty()) {
                let take = split.ready.len().min(STREAM_BATCH);
                let batch = batch_json(&text, split.ready.drain(..take)).ok_or_else(damaged)?;
                let t = now_ms();
                let prepared = verify::start(&mut opener, &batch)
                    .await
                    .map_err(|e| SyncError::Damaged(format!("{}: {e}", f.path)))?;
                prepare_ms += now_ms() - t;
                send(Piece::Batch(prepared));
                // Preparing is the main thread's work: let the page draw and take input.
                crate::clock::yield_now().await;
            }
            if !more {
                break;
            }
        }
        if !split.complete() {
            return Err(damaged());
        }
        check_file(&url, f, &text, digest(&text).await)?;
        timings.verify_ms += prepare_ms;
        timings.fetch_ms += now_ms() - started - prepare_ms;
        send(Piece::FileDone);
    }
    Ok(timings)
}

/// A JSON array of the envelopes at `ranges` of `text` (`None` if one is not UTF-8).
fn batch_json(text: &[u8], ranges: impl Iterator<Item = (usize, usize)>) -> Option<String> {
    let mut json = String::from("[");
    for (i, (from, to)) in ranges.enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(std::str::from_utf8(&text[from..to]).ok()?);
    }
    json.push(']');
    Some(json)
}

/// SHA-256 of `bytes`, in the browser's native code where it can (several times faster than
/// in WebAssembly on a large file).
pub(crate) async fn sha256_native(bytes: &[u8]) -> Hex32 {
    match digest(bytes)
        .await
        .and_then(|d| <[u8; 32]>::try_from(d).ok())
    {
        Some(d) => Hex32(d),
        None => linli_domain::id::sha256(bytes),
    }
}

/// SHA-256 in the browser's native code (WebCrypto), `None` where it is not available.
async fn digest(bytes: &[u8]) -> Option<Vec<u8>> {
    let subtle = web_sys::window()?.crypto().ok()?.subtle();
    let data = js_sys::Uint8Array::from(bytes);
    let promise = subtle
        .digest_with_str_and_buffer_source("SHA-256", &data)
        .ok()?;
    let digest = JsFuture::from(promise).await.ok()?;
    Some(js_sys::Uint8Array::new(&digest).to_vec())
}

/// A response body read as it arrives (a `ReadableStream`), or whole where the browser gives
/// no stream.
struct Body {
    /// The stream's reader and its `read` method.
    reader: Option<(wasm_bindgen::JsValue, js_sys::Function)>,
    /// The response, for reading it whole.
    whole: Option<web_sys::Response>,
}

impl Body {
    fn of(raw: web_sys::Response) -> Body {
        use js_sys::{Function, Reflect};
        use wasm_bindgen::JsCast;
        let reader = Reflect::get(&raw, &"body".into())
            .ok()
            .filter(|b| b.is_object())
            .and_then(|body| {
                let get: Function = Reflect::get(&body, &"getReader".into())
                    .ok()?
                    .dyn_into()
                    .ok()?;
                let reader = get.call0(&body).ok()?;
                let read: Function = Reflect::get(&reader, &"read".into())
                    .ok()?
                    .dyn_into()
                    .ok()?;
                Some((reader, read))
            });
        Body {
            whole: reader.is_none().then_some(raw),
            reader,
        }
    }

    /// Appends what arrives next to `into`; `false` once the body has ended.
    async fn read_into(&mut self, into: &mut Vec<u8>) -> Result<bool, SyncError> {
        use js_sys::{Promise, Reflect, Uint8Array};
        use wasm_bindgen::JsCast;
        let unreachable = |e: wasm_bindgen::JsValue| SyncError::Unreachable(format!("{e:?}"));
        let append = |into: &mut Vec<u8>, chunk: &Uint8Array| {
            let at = into.len();
            into.resize(at + chunk.length() as usize, 0);
            chunk.copy_to(&mut into[at..]);
        };
        if let Some((reader, read)) = &self.reader {
            let next: Promise = read.call0(reader).map_err(unreachable)?.unchecked_into();
            let r = JsFuture::from(next).await.map_err(unreachable)?;
            if Reflect::get(&r, &"done".into())
                .map_err(unreachable)?
                .as_bool()
                == Some(true)
            {
                return Ok(false);
            }
            let value = Reflect::get(&r, &"value".into()).map_err(unreachable)?;
            append(into, &Uint8Array::new(&value));
            return Ok(true);
        }
        let Some(raw) = self.whole.take() else {
            return Ok(false);
        };
        let buffer = JsFuture::from(raw.array_buffer().map_err(unreachable)?)
            .await
            .map_err(unreachable)?;
        append(into, &Uint8Array::new(&buffer));
        Ok(true)
    }
}

/// Finds the envelopes of a JSON array while its bytes arrive: the byte ranges of its
/// complete top-level objects (strings, escapes and nesting respected), so that each can be
/// checked before the file has finished downloading. Anything else at the top level than the
/// brackets, commas and white space makes the file damaged.
#[derive(Default)]
struct Splitter {
    /// Bytes scanned.
    scanned: usize,
    /// Object nesting (0: between envelopes).
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// Where the envelope being read starts.
    start: usize,
    opened: bool,
    closed: bool,
    bad: bool,
    /// Complete envelopes not yet taken.
    ready: Vec<(usize, usize)>,
    /// Complete envelopes found.
    found: usize,
}

impl Splitter {
    /// Scans what was appended to `text` since the last call.
    fn scan(&mut self, text: &[u8]) {
        for (i, &b) in text.iter().enumerate().skip(self.scanned) {
            if self.in_string {
                match b {
                    _ if self.escaped => self.escaped = false,
                    b'\\' => self.escaped = true,
                    b'"' => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' if self.depth > 0 => self.in_string = true,
                b'{' => {
                    if self.depth == 0 {
                        self.bad |= !self.opened || self.closed;
                        self.start = i;
                    }
                    self.depth += 1;
                }
                b'}' if self.depth > 0 => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        self.ready.push((self.start, i + 1));
                        self.found += 1;
                    }
                }
                _ if self.depth > 0 => {}
                b'[' if !self.opened => self.opened = true,
                b']' if self.opened && !self.closed => self.closed = true,
                b',' | b' ' | b'\n' | b'\r' | b'\t' => {}
                _ => self.bad = true,
            }
        }
        self.scanned = text.len();
    }

    /// Whether what was scanned is one whole array of objects.
    fn complete(&self) -> bool {
        self.opened && self.closed && self.depth == 0 && !self.in_string && !self.bad
    }
}

/// The manifest's listing (`None` when unchanged since `etag`) and its new ETag.
pub(crate) async fn manifest(
    endpoint: &str,
    space: &Hex32,
    etag: Option<&str>,
) -> Result<(Option<Listing>, Option<String>), SyncError> {
    let mut req =
        Request::get(&space_url(endpoint, space, "manifest.json")).cache(RequestCache::NoCache);
    if let Some(tag) = etag {
        req = req.header("If-None-Match", tag);
    }
    let (r, call) = fetch(req, None).await?;
    if r.status() == 304 {
        return Ok((None, etag.map(str::to_owned)));
    }
    if !r.ok() {
        return Err(http_error(r, &call).await);
    }
    let tag = r.headers().get("etag");
    let m: Manifest = call
        .within(async {
            r.json()
                .await
                .map_err(|e| SyncError::Damaged(format!("manifest: {e}")))
        })
        .await?;
    if m.space != space.to_hex() {
        return Err(SyncError::Damaged("manifest of another space".into()));
    }
    let push = push_base(m.push.as_deref());
    Ok((
        Some(Listing {
            files: m.files,
            push,
        }),
        tag,
    ))
}

/// How many events the files list in all, when the manifest says for every file.
pub(crate) fn listed(files: &[FileEntry]) -> Option<u64> {
    files
        .iter()
        .try_fold(0u64, |sum, f| sum.checked_add(f.events? as u64))
}

/// Downloads one listed file and checks it against the manifest's SHA-256.
pub(crate) async fn fetch_text(
    endpoint: &str,
    space: &Hex32,
    f: &FileEntry,
    timings: &mut Timings,
) -> Result<String, SyncError> {
    let started = now_ms();
    let url = space_url(endpoint, space, &f.path);
    let (r, call) = fetch(file_request(&url), None).await?;
    if !r.ok() {
        return Err(http_error(r, &call).await);
    }
    // Read as it arrives, so that a file that stops coming is noticed however long it is.
    let mut body = Body::of(r.into());
    let mut bytes: Vec<u8> = Vec::with_capacity(f.events.unwrap_or(0).min(20_000) * 600);
    while call.within(body.read_into(&mut bytes)).await? {}
    timings.fetch_ms += now_ms() - started;
    // The file's SHA-256 in the browser's native code (WebCrypto) where it can.
    check_file(&url, f, &bytes, digest(&bytes).await)?;
    String::from_utf8(bytes).map_err(|_| SyncError::Damaged(f.path.clone()))
}

/// Fetches and verifies files in order, handing each file's verified events to `each`. The
/// next file is downloaded and prepared while the workers check the current one.
pub(crate) async fn fetch_files(
    endpoint: &str,
    space: &Hex32,
    files: &[&FileEntry],
    timings: &mut Timings,
    each: impl AsyncFnMut(&FileEntry, Vec<linli_domain::Event>) -> Result<(), SyncError>,
) -> Result<(), SyncError> {
    fetch_files_skipping(endpoint, space, files, timings, |_| false, each).await
}

/// [`fetch_files`], leaving out the envelopes `skip` names before their signatures are
/// checked (those a snapshot covers, `linli_domain::space::Cover`).
pub(crate) async fn fetch_files_skipping(
    endpoint: &str,
    space: &Hex32,
    files: &[&FileEntry],
    timings: &mut Timings,
    skip: impl Fn(&linli_domain::envelope::Unverified) -> bool,
    mut each: impl AsyncFnMut(&FileEntry, Vec<linli_domain::Event>) -> Result<(), SyncError>,
) -> Result<(), SyncError> {
    let mut opener = Opener::default();
    let mut pending: Option<(&FileEntry, verify::Started)> = None;
    for f in files {
        let text = fetch_text(endpoint, space, f, timings).await?;
        let t = now_ms();
        let started = verify::start_skipping(&mut opener, &text, &skip)
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

#[cfg(test)]
mod tests {
    use super::{batch_json, Splitter};

    /// Scans `text` as if it arrived `step` bytes at a time; the envelopes found, as text.
    fn split(text: &str, step: usize) -> (Vec<String>, bool) {
        let bytes = text.as_bytes();
        let mut split = Splitter::default();
        let mut got = Vec::new();
        for end in (step.min(bytes.len())..=bytes.len())
            .step_by(step)
            .chain([bytes.len()])
        {
            split.scan(&bytes[..end]);
            got.extend(
                split
                    .ready
                    .drain(..)
                    .map(|(a, b)| String::from_utf8(bytes[a..b].to_vec()).expect("utf-8")),
            );
        }
        (got, split.complete())
    }

    #[test]
    fn envelopes_are_found_whatever_the_chunks() {
        let text = "[{\"v\":1,\"body\":\"a}b{\",\"sig\":\"x\"},\n {\"v\":1,\"note\":\"say \\\"}\\\" 张\",\"n\":{\"deep\":[1,{}]}} ]";
        let want = vec![
            "{\"v\":1,\"body\":\"a}b{\",\"sig\":\"x\"}".to_owned(),
            "{\"v\":1,\"note\":\"say \\\"}\\\" 张\",\"n\":{\"deep\":[1,{}]}}".to_owned(),
        ];
        for step in [1, 2, 3, 7, 64, text.len()] {
            let (got, complete) = split(text, step);
            assert_eq!(got, want, "in chunks of {step}");
            assert!(complete);
        }
        // What the workers get: the same envelopes as one array, which serde reads back.
        let mut whole = Splitter::default();
        whole.scan(text.as_bytes());
        let json = batch_json(text.as_bytes(), whole.ready.drain(..)).expect("utf-8");
        let back: Vec<serde_json::Value> = serde_json::from_str(&json).expect("an array");
        assert_eq!(back.len(), 2);
        assert_eq!(back[1]["n"]["deep"][0], 1);
        assert_eq!(split("[]", 1), (vec![], true));
    }

    #[test]
    fn anything_but_an_array_of_objects_is_damaged() {
        for text in [
            "",
            "{\"v\":1}",
            "[{\"v\":1}",
            "[{\"v\":1}]]",
            "[{\"v\":1}] {\"v\":2}",
            "[\"text\"]",
            "[1]",
            "[{\"v\":\"open]",
            "[{\"v\":1}}]",
        ] {
            assert!(!split(text, 3).1, "{text:?} is not a list of envelopes");
        }
        // A cut in the middle of a character is not UTF-8.
        assert_eq!(
            batch_json("[{\"a\":\"张\"}]".as_bytes(), [(1, 8)].into_iter()),
            None
        );
    }
}
