//! The HTTP service.
//!
//! - App routes (a path whose last segment has no dot, such as `/council`) get `index.html`,
//!   so deep links and reloads work in a client-side router.
//! - Files of the bundle come from the dist folder, precompressed (br, then gzip) when the
//!   client accepts it. Content-hashed names (`linli-0123456789abcdef_bg.wasm`) are cached
//!   forever (`immutable`); everything else, `index.html` first, is revalidated (`no-cache`).
//! - `/spaces/{space}/{file}` serves a community's files from storage, never the app shell:
//!   a strong `ETag` (SHA-256 of the bytes) honoured through `If-None-Match`, `no-cache` for
//!   the manifest and the snapshot index (`snapshots.json`), `immutable` for everything they
//!   list (snapshots and their signatures included). Any origin may read them and push
//!   to them (CORS, with `ETag` exposed), so the app and the data can live on different hosts.
//!   A listed file's compressed siblings are made once, by one job per file (concurrent first
//!   requests wait for it); nothing else is ever compressed to disk.
//! - `POST /spaces/{space}/events` takes a JSON array of envelopes ([`crate::ingest`]), with a
//!   body limit, a body deadline, the batch limit (counted as the body streams in, so a body
//!   of a million tiny items is refused before it is parsed), a memory budget for the bodies
//!   being read, and a per-client rate limit, each refused with its own status and a JSON
//!   `{"error": …}` message. Who may found a space is [`Founding`].
//! - Client addresses are the TCP peer's, or, for a peer in `trust_proxy`, taken from
//!   `X-Forwarded-For` (the rightmost address not itself a trusted proxy).
//! - Connections: timeouts, a cap and shutdown with a deadline ([`crate::listen`]).
//! - One log line per request on stderr: method, path (never the query: it may carry an
//!   invitation secret), status, duration.

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::routing::{get, post};
use axum::Router;
use ipnet::IpNet;
use linli_domain::envelope::MAX_BATCH;
use linli_domain::Hex32;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

use crate::cmd::SNAPSHOTS_INDEX;
use crate::csp::SecurityHeaders;
use crate::files::{encode, parse_manifest, sibling_name};
use crate::ingest::{Hub, IngestError, Options};
use crate::listen::{closing, Limits, Table};
use crate::request::{accepted_encoding, client_address, servable, CountError, ItemCounter};
use crate::storage::{Folder, Storage, MANIFEST};

/// Who may found a new space on this hub (a batch that carries a space's genesis).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Founding {
    /// Nobody: only existing spaces take events.
    Closed,
    /// Anyone (each client address at most [`FOUNDINGS_PER_HOUR`] an hour).
    Open,
    /// Clients whose address is in one of these networks.
    From(Vec<IpNet>),
}

impl Founding {
    /// Clients on this machine only: the default (a hub on loopback serves its own machine;
    /// behind a reverse proxy, with `trust_proxy` set, the real clients are not loopback).
    pub fn loopback() -> Founding {
        Founding::From(vec![
            "127.0.0.0/8".parse().expect("a network"),
            "::1/128".parse().expect("a network"),
        ])
    }

    fn allows(&self, client: IpAddr) -> bool {
        match self {
            Founding::Closed => false,
            Founding::Open => true,
            Founding::From(nets) => nets.iter().any(|n| n.contains(&client)),
        }
    }
}

/// Spaces one client address may found per hour, when founding is open to it.
pub const FOUNDINGS_PER_HOUR: u32 = 10;

/// Where the hub finds its files, and its limits.
#[derive(Debug, Clone)]
pub struct Config {
    /// The built app (`trunk build --release` output).
    pub dist: PathBuf,
    /// The data folder; spaces live in `data/spaces/{space}/`.
    pub data: PathBuf,
    /// A bucket instead of the data folder (`--store s3://…`), shared with other hubs.
    pub bucket: Option<Arc<crate::s3::ObjectStore>>,
    /// Who may found a new space.
    pub founding: Founding,
    /// Largest request body, in bytes.
    pub max_body: usize,
    /// Time to receive a whole request body.
    pub body_timeout: Duration,
    /// Bytes of request bodies held at once over all clients; a post that does not fit waits
    /// (up to [`BUDGET_WAIT`]), then is told to come back.
    pub body_memory: usize,
    /// Batches each client may post per minute (a burst of as many is allowed).
    pub posts_per_minute: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trust_proxy: Vec<IpNet>,
    /// Connection timeouts and cap.
    pub limits: Limits,
    /// How spaces are kept in memory and on disk.
    pub hub: Options,
    /// Compressions of space files running at once (each holds a file and its output).
    pub compress_jobs: usize,
    /// Origins the app may sync with besides this hub (`connect-src`, [`crate::csp`]).
    pub connect_src: Vec<String>,
    /// This hub's public base URL, named in the manifests it writes as where phones post
    /// (`--public-url`, [`crate::files::Manifest::push`]).
    pub public_url: Option<String>,
}

impl Config {
    /// The defaults of `linli-hub serve` for a bundle and a data folder.
    pub fn new(dist: impl Into<PathBuf>, data: impl Into<PathBuf>) -> Config {
        Config {
            dist: dist.into(),
            data: data.into(),
            bucket: None,
            founding: Founding::loopback(),
            max_body: 16 * 1024 * 1024,
            body_timeout: Duration::from_secs(60),
            body_memory: 64 * 1024 * 1024,
            posts_per_minute: 120,
            trust_proxy: Vec::new(),
            limits: Limits::default(),
            hub: Options::default(),
            compress_jobs: 2,
            connect_src: Vec::new(),
            public_url: None,
        }
    }
}

/// How long a post waits for room in the body memory budget before it is told to retry.
pub const BUDGET_WAIT: Duration = Duration::from_secs(10);

const NO_CACHE: HeaderValue = HeaderValue::from_static("no-cache");
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

#[derive(Clone)]
struct Shared {
    app: ServeDir,
    hub: Arc<Hub>,
    limiter: Arc<Limiter>,
    founders: Arc<Limiter>,
    founding: Arc<Founding>,
    trust_proxy: Arc<Vec<IpNet>>,
    max_body: usize,
    body_timeout: Duration,
    /// Kilobytes of request bodies that may be held at once.
    body_budget: Arc<Semaphore>,
    body_budget_kb: u32,
    compress: Arc<Compressor>,
    table: Arc<Table>,
}

/// The parts of a running hub that [`serve`] and the status report share.
pub struct Running {
    router: Router,
    hub: Arc<Hub>,
    table: Arc<Table>,
}

/// The hub's router for a configuration, with what [`serve`] needs beside it.
pub fn router(config: &Config) -> Running {
    let storage: Arc<dyn Storage> = match &config.bucket {
        Some(bucket) => Arc::clone(bucket) as Arc<dyn Storage>,
        None => Arc::new(Folder::new(&config.data)),
    };
    let hub = Arc::new(Hub::new(storage, config.hub).with_push(config.public_url.clone()));
    let table = Arc::new(Table::default());
    let budget_kb = u32::try_from(config.body_memory.div_ceil(1024))
        .unwrap_or(u32::MAX)
        .max(1);
    let shared = Shared {
        app: ServeDir::new(&config.dist)
            .precompressed_br()
            .precompressed_gzip(),
        hub: Arc::clone(&hub),
        limiter: Arc::new(Limiter::new(
            config.posts_per_minute,
            Duration::from_secs(60),
        )),
        founders: Arc::new(Limiter::new(FOUNDINGS_PER_HOUR, Duration::from_secs(3600))),
        founding: Arc::new(config.founding.clone()),
        trust_proxy: Arc::new(config.trust_proxy.clone()),
        max_body: config.max_body,
        body_timeout: config.body_timeout,
        body_budget: Arc::new(Semaphore::new(budget_kb as usize)),
        body_budget_kb: budget_kb,
        compress: Arc::new(Compressor::new(config.compress_jobs)),
        table: Arc::clone(&table),
    };
    let spaces = Router::new()
        .route("/spaces/{space}/events", post(post_events))
        .route("/spaces/{space}/{*file}", get(get_space_file))
        .layer(middleware::from_fn(cors))
        .route("/_hub/status", get(status));
    // On-the-fly compression for the app's files that have no precompressed sibling yet;
    // responses that are already encoded pass through untouched. Spaces' files never go
    // through it: they are compressed once, to disk.
    let app = Router::new().fallback(serve_app).layer(
        CompressionLayer::new()
            .br(true)
            .gzip(true)
            .quality(tower_http::CompressionLevel::Fastest),
    );
    let router = Router::new()
        .merge(spaces)
        .merge(app)
        .with_state(shared)
        .layer(middleware::from_fn_with_state(
            Arc::new(SecurityHeaders::new(&config.connect_src)),
            common_headers,
        ))
        .layer(middleware::from_fn(log_request));
    Running { router, hub, table }
}

/// A JSON error response: `{"error": message}`.
fn error(status: StatusCode, message: impl std::fmt::Display) -> Response<Body> {
    let body = serde_json::json!({ "error": message.to_string() }).to_string();
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// Lets any origin read the spaces' files (with their ETag) and push events: the data is
/// public and signed, and communities often host the app and the data apart.
async fn cors(req: Request, next: Next) -> Response<Body> {
    let preflight = req.method() == Method::OPTIONS;
    let mut response = if preflight {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NO_CONTENT;
        r
    } else {
        next.run(req).await
    };
    let h = response.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("etag, retry-after"),
    );
    if preflight {
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, HEAD, POST, OPTIONS"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("content-type, if-none-match"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("86400"),
        );
    }
    response
}

/// Compresses a listed space file to its sibling (`…json.br`, `…json.gz`) once: one job per
/// sibling however many requests ask at once (they all wait for it), and at most `jobs`
/// compressions running over all files.
struct Compressor {
    running: Mutex<HashMap<String, Arc<tokio::sync::OnceCell<bool>>>>,
    slots: Semaphore,
    started: AtomicU64,
}

impl Compressor {
    fn new(jobs: usize) -> Compressor {
        Compressor {
            running: Mutex::new(HashMap::new()),
            slots: Semaphore::new(jobs.max(1)),
            started: AtomicU64::new(0),
        }
    }

    /// Makes the sibling of `file` in `enc` unless it exists; true once it does.
    async fn sibling(
        &self,
        storage: Arc<dyn Storage>,
        space: Hex32,
        file: String,
        enc: &'static str,
    ) -> bool {
        let key = format!("{space}/{}", sibling_name(&file, enc));
        let cell = {
            let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(running.entry(key.clone()).or_default())
        };
        let made = *cell
            .get_or_init(|| async {
                let Ok(_slot) = self.slots.acquire().await else {
                    return false;
                };
                self.started.fetch_add(1, Ordering::Relaxed);
                let job = tokio::task::spawn_blocking(move || {
                    compress_sibling(&*storage, &space, &file, enc)
                });
                match job.await {
                    Ok(Ok(())) => true,
                    Ok(Err(e)) => {
                        eprintln!("linli-hub: cannot compress {key}: {e}");
                        false
                    }
                    Err(e) => {
                        eprintln!("linli-hub: compressing {key} failed: {e}");
                        false
                    }
                }
            })
            .await;
        // Done: the sibling is on disk (or failed and may be tried again later).
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&key);
        made
    }
}

/// Writes the compressed sibling of an immutable file (brotli 6 or gzip 6).
fn compress_sibling(
    storage: &dyn Storage,
    space: &Hex32,
    file: &str,
    enc: &'static str,
) -> std::io::Result<()> {
    let sibling = sibling_name(file, enc);
    if storage.read(space, &sibling)?.is_some() {
        return Ok(());
    }
    let Some(raw) = storage.read(space, file)? else {
        return Ok(());
    };
    storage.put_file(space, &sibling, &encode(&raw, enc, 6)?)
}

async fn get_space_file(
    State(shared): State<Shared>,
    Path((space, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response<Body> {
    let Ok(space) = Hex32::parse(&space) else {
        return error(StatusCode::NOT_FOUND, "no such space");
    };
    if !servable(&file) {
        return error(StatusCode::NOT_FOUND, "no such file");
    }
    let encoding = accepted_encoding(&headers);
    let if_none_match = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let matches = |etag: &str| {
        if_none_match
            .as_deref()
            .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    };
    let storage = Arc::clone(shared.hub.storage());
    if file == MANIFEST || file == SNAPSHOTS_INDEX {
        // Small and mutable (the manifest, the snapshot index): encoded per request; its tag
        // names the encoding too, since the br, gzip and identity bodies are different bytes.
        let name = file.clone();
        let read = tokio::task::spawn_blocking(move || -> std::io::Result<_> {
            let raw = match storage.read(&space, &name)? {
                Some(raw) => raw,
                // A space without published snapshots: an empty index rather than a 404, which
                // browsers log as an error on every fast join.
                None if name == SNAPSHOTS_INDEX && storage.read(&space, MANIFEST)?.is_some() => {
                    format!("{{\"space\":\"{}\",\"snapshots\":[]}}", space.to_hex()).into_bytes()
                }
                None => return Ok(None),
            };
            let hash = crate::files::sha256_hex(&raw);
            let tag = format!(
                "\"{}{}\"",
                &hash[..32],
                encoding.map(|e| format!("-{e}")).unwrap_or_default()
            );
            let body = match encoding {
                Some(enc) => encode(&raw, enc, 6)?,
                None => raw,
            };
            Ok(Some((body, tag)))
        })
        .await;
        return match read {
            Ok(Ok(Some((body, tag)))) => {
                let status = if matches(&tag) {
                    StatusCode::NOT_MODIFIED
                } else {
                    StatusCode::OK
                };
                space_response(status, body, encoding, &tag, NO_CACHE)
            }
            Ok(Ok(None)) => error(StatusCode::NOT_FOUND, "no such file"),
            Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, e),
            Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e),
        };
    }
    // Immutable files are named after their content: their tag comes from the name (and the
    // encoding), so a revalidation never reads the file.
    let name_tag = |enc: Option<&str>| {
        let h = crate::files::sha256_hex(format!("{file}|{}", enc.unwrap_or("")).as_bytes());
        format!("\"{}\"", &h[..32])
    };
    if matches(&name_tag(encoding)) {
        return space_response(
            StatusCode::NOT_MODIFIED,
            Vec::new(),
            encoding,
            &name_tag(encoding),
            IMMUTABLE,
        );
    }
    let name = file.clone();
    let read = {
        let storage = Arc::clone(&storage);
        tokio::task::spawn_blocking(move || -> std::io::Result<_> {
            let sibling = match encoding {
                Some(enc) => storage.read(&space, &sibling_name(&name, enc))?,
                None => None,
            };
            if sibling.is_some() {
                return Ok((sibling, false));
            }
            // Compress only what the manifest lists now (not a file a pack replaced). Published
            // snapshots are served as they are, or from siblings written beside them: compressing
            // a 14 MB snapshot on a first request holds that phone's join for too long.
            let listed = match storage.read(&space, MANIFEST)? {
                Some(text) => parse_manifest(&text, "space")
                    .is_ok_and(|(_, m)| m.files.iter().any(|f| f.path == name)),
                None => false,
            };
            Ok((None, listed))
        })
        .await
    };
    let (mut bytes, mut served) = match read {
        Ok(Ok((Some(b), _))) => (Some(b), encoding),
        Ok(Ok((None, listed))) => {
            if let (Some(enc), true) = (encoding, listed) {
                if shared
                    .compress
                    .sibling(Arc::clone(&storage), space, file.clone(), enc)
                    .await
                {
                    let storage = Arc::clone(&storage);
                    let sibling = sibling_name(&file, enc);
                    let b = tokio::task::spawn_blocking(move || storage.read(&space, &sibling))
                        .await
                        .ok()
                        .and_then(Result::ok)
                        .flatten();
                    (b, Some(enc))
                } else {
                    (None, None)
                }
            } else {
                (None, None)
            }
        }
        Ok(Err(e)) => return error(StatusCode::INTERNAL_SERVER_ERROR, e),
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, e),
    };
    if bytes.is_none() {
        served = None;
        let name = file.clone();
        bytes = match tokio::task::spawn_blocking(move || storage.read(&space, &name)).await {
            Ok(Ok(b)) => b,
            Ok(Err(e)) => return error(StatusCode::INTERNAL_SERVER_ERROR, e),
            Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, e),
        };
    }
    let Some(bytes) = bytes else {
        return error(StatusCode::NOT_FOUND, "no such file");
    };
    let tag = name_tag(served);
    space_response(StatusCode::OK, bytes, served, &tag, IMMUTABLE)
}

/// A space file's response: JSON in `encoding`, its tag and caching rule.
fn space_response(
    status: StatusCode,
    body: Vec<u8>,
    encoding: Option<&'static str>,
    etag: &str,
    cache: HeaderValue,
) -> Response<Body> {
    let mut r = Response::new(if status == StatusCode::NOT_MODIFIED {
        Body::empty()
    } else {
        Body::from(body)
    });
    *r.status_mut() = status;
    let h = r.headers_mut();
    if status != StatusCode::NOT_MODIFIED {
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(enc) = encoding {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(enc));
        }
    }
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, cache);
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    r
}

/// Why a body was not read whole.
enum BodyRefusal {
    Busy,
    TooLarge,
    TooMany,
    NotAnArray,
    Slow,
    Broken,
}

/// Reads a post's body within the size limit and the deadline, counting its items as they
/// come, and holding room for it in the memory budget (returned with the body: it is
/// released when the post is done).
async fn read_body(
    body: Body,
    max: usize,
    deadline: Duration,
    budget: &Arc<Semaphore>,
    budget_kb: u32,
) -> Result<(Vec<u8>, Option<OwnedSemaphorePermit>), BodyRefusal> {
    use http_body_util::BodyExt as _;
    let mut body = body;
    let mut out: Vec<u8> = Vec::new();
    let mut held: Option<OwnedSemaphorePermit> = None;
    let mut held_kb: u32 = 0;
    let mut counter = ItemCounter::default();
    let read = async {
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|_| BodyRefusal::Broken)?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            let len = out.len() + data.len();
            if len > max {
                return Err(BodyRefusal::TooLarge);
            }
            counter.feed(&data).map_err(|e| match e {
                CountError::NotAnArray => BodyRefusal::NotAnArray,
                CountError::TooMany => BodyRefusal::TooMany,
            })?;
            if len > out.capacity() {
                // Memory is taken from the budget as the body really grows (a client that
                // declares 16 MB and sends a byte a second holds next to nothing).
                let capacity = len.max(out.capacity() * 2).min(max);
                let need = u32::try_from(capacity.div_ceil(1024))
                    .unwrap_or(u32::MAX)
                    .min(budget_kb);
                if need > held_kb {
                    let more = tokio::time::timeout(
                        BUDGET_WAIT,
                        Arc::clone(budget).acquire_many_owned(need - held_kb),
                    )
                    .await
                    .map_err(|_| BodyRefusal::Busy)?
                    .map_err(|_| BodyRefusal::Busy)?;
                    match held.as_mut() {
                        Some(h) => h.merge(more),
                        None => held = Some(more),
                    }
                    held_kb = need;
                }
                out.reserve_exact(capacity - out.len());
            }
            out.extend_from_slice(&data);
        }
        Ok(())
    };
    match tokio::time::timeout(deadline, read).await {
        Ok(Ok(())) => Ok((out, held)),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(BodyRefusal::Slow),
    }
}

async fn post_events(
    State(shared): State<Shared>,
    Path(space): Path<String>,
    req: Request,
) -> Response<Body> {
    let peer = crate::listen::peer(&req).map_or(IpAddr::from([127, 0, 0, 1]), |p| p.ip());
    let client = client_address(peer, req.headers(), &shared.trust_proxy);
    // Every answer given before the body is read closes the connection (its unread body
    // cannot be skipped safely), and says so.
    if let Err(wait) = shared.limiter.take(client) {
        let mut r = error(
            StatusCode::TOO_MANY_REQUESTS,
            format!("too many batches from this address; try again in {wait} s"),
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return closing(r);
    }
    let Ok(space) = Hex32::parse(&space) else {
        return closing(error(
            StatusCode::NOT_FOUND,
            "a space id is 64 lowercase hex digits",
        ));
    };
    let too_large = || {
        error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the body is over {} bytes; send fewer events per batch",
                shared.max_body
            ),
        )
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > shared.max_body) {
        return closing(too_large());
    }
    let (body, permit) = match read_body(
        req.into_body(),
        shared.max_body,
        shared.body_timeout,
        &shared.body_budget,
        shared.body_budget_kb,
    )
    .await
    {
        Ok(b) => b,
        Err(BodyRefusal::Busy) => {
            let wait = 5u32;
            let mut r = error(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("the hub is busy; try again in {wait} s"),
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(wait));
            return closing(r);
        }
        Err(BodyRefusal::TooLarge) => return closing(too_large()),
        Err(BodyRefusal::TooMany) => {
            return closing(error(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("over {MAX_BATCH} envelopes in one batch; send fewer"),
            ))
        }
        Err(BodyRefusal::NotAnArray) => {
            return closing(error(
                StatusCode::BAD_REQUEST,
                "the body must be a JSON array of envelopes",
            ))
        }
        Err(BodyRefusal::Slow) => {
            return closing(error(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the body did not arrive within {} s",
                    shared.body_timeout.as_secs()
                ),
            ))
        }
        Err(BodyRefusal::Broken) => {
            return closing(error(StatusCode::BAD_REQUEST, "the body could not be read"))
        }
    };
    let Ok(text) = String::from_utf8(body) else {
        return error(StatusCode::BAD_REQUEST, "the body is not UTF-8");
    };
    let may_found = shared.founding.allows(client) && shared.founders.has_token(client);
    let hub = Arc::clone(&shared.hub);
    let outcome = tokio::task::spawn_blocking(move || {
        let r = hub.ingest(space, &text, may_found);
        drop(text);
        drop(permit);
        r
    })
    .await;
    match outcome {
        Ok(Ok(receipt)) => {
            // A new space counts against the client's foundings.
            let founded = receipt
                .results
                .iter()
                .any(|r| r.id == space && r.status == crate::ingest::Status::Accepted);
            if founded {
                let _ = shared.founders.take(client);
            }
            let mut r = Response::new(Body::from(
                serde_json::to_string(&receipt).unwrap_or_default(),
            ));
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            r
        }
        Ok(Err(e)) => {
            let status = match e {
                IngestError::NotAnArray(_) => StatusCode::BAD_REQUEST,
                IngestError::TooMany(_) => StatusCode::PAYLOAD_TOO_LARGE,
                IngestError::NoSuchSpace(_) => StatusCode::NOT_FOUND,
                IngestError::NewSpacesClosed => StatusCode::FORBIDDEN,
                IngestError::Corrupt(_) | IngestError::Storage(_) => {
                    eprintln!("linli-hub: {space}: {e}");
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            };
            error(status, e)
        }
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e),
    }
}

/// `GET /_hub/status`, for the machine's own operators (loopback peers only): connections,
/// spaces in memory, commits and compressions.
async fn status(State(shared): State<Shared>, req: Request) -> Response<Body> {
    if !crate::listen::peer(&req).is_some_and(|p| p.ip().is_loopback()) {
        return error(StatusCode::NOT_FOUND, "not found");
    }
    let body = serde_json::json!({
        "connections": shared.table.len(),
        "spaces": shared.hub.status(),
        "compressions": shared.compress.started.load(Ordering::Relaxed),
        "body_budget_free_kb": shared.body_budget.available_permits(),
    });
    let mut r = Response::new(Body::from(body.to_string()));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// Per-client token buckets: `cap` tokens per `window`, refilled continuously.
struct Limiter {
    cap: u32,
    window: Duration,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl Limiter {
    fn new(cap: u32, window: Duration) -> Limiter {
        Limiter {
            cap: cap.max(1),
            window,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `ip` has a token now (none is taken).
    fn has_token(&self, ip: IpAddr) -> bool {
        let cap = f64::from(self.cap);
        let rate = cap / self.window.as_secs_f64();
        let buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        buckets
            .get(&ip)
            .is_none_or(|(tokens, at)| tokens + at.elapsed().as_secs_f64() * rate >= 1.0)
    }

    /// Takes a token for `ip`, or says how many seconds until one is free.
    fn take(&self, ip: IpAddr) -> Result<(), u64> {
        let now = Instant::now();
        let cap = f64::from(self.cap);
        let rate = cap / self.window.as_secs_f64();
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() > 100_000 {
            // Forget clients whose bucket is full again.
            buckets.retain(|_, (tokens, at)| *tokens + at.elapsed().as_secs_f64() * rate < cap);
        }
        let (tokens, at) = buckets.entry(ip).or_insert((cap, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(cap);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / rate).ceil() as u64)
        }
    }
}

/// Serves until `shutdown` resolves, then lets open requests finish (within the configured
/// deadline). In the background: the start-up sweep of every space's folder, and the
/// eviction of idle spaces from memory (every half idle period, at most every 30 s).
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let Running { router, hub, table } = router(&config);
    let sweeper = Arc::clone(&hub);
    tokio::task::spawn_blocking(move || {
        let removed = sweeper.sweep_all();
        if removed > 0 {
            eprintln!("linli-hub: removed {removed} leftover files from the spaces");
        }
    });
    let evictor = Arc::clone(&hub);
    let period = (config.hub.idle / 2).clamp(Duration::from_secs(1), Duration::from_secs(30));
    let evicting = tokio::spawn(async move {
        let mut every = tokio::time::interval(period);
        every.tick().await;
        loop {
            every.tick().await;
            let hub = Arc::clone(&evictor);
            let _ = tokio::task::spawn_blocking(move || hub.evict_idle()).await;
        }
    });
    // On shared storage, a manifest whose last writer died before re-listing is repaired
    // within one period by every hub serving the space.
    let reconciling = hub.storage().shared().then(|| {
        let hub = Arc::clone(&hub);
        let period = config.hub.reconcile.max(Duration::from_millis(100));
        tokio::spawn(async move {
            let mut every = tokio::time::interval(period);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            every.tick().await;
            loop {
                every.tick().await;
                let hub = Arc::clone(&hub);
                let _ = tokio::task::spawn_blocking(move || hub.reconcile_loaded()).await;
            }
        })
    });
    let result = crate::listen::serve(listener, router, config.limits, table, shutdown).await;
    evicting.abort();
    if let Some(task) = reconciling {
        task.abort();
    }
    result
}

/// Resolves on Ctrl-C, or on SIGTERM where there are signals.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

async fn serve_app(State(shared): State<Shared>, mut req: Request) -> Response<Body> {
    let files = shared.app;
    let path = req.uri().path().to_owned();
    let is_route = !last_segment(&path).contains('.');
    if is_route {
        *req.uri_mut() = Uri::from_static("/index.html");
    }
    let mut response = match files.oneshot(req).await {
        Ok(r) => r.map(Body::new),
        Err(never) => match never {},
    };
    let cache = if !is_route && is_hashed(last_segment(&path)) && response.status().is_success() {
        IMMUTABLE
    } else {
        NO_CACHE
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, cache);
    // The same URL has br, gzip and identity forms: caches must key on Accept-Encoding.
    if !headers.contains_key(header::VARY) {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

async fn common_headers(
    State(security): State<Arc<SecurityHeaders>>,
    req: Request,
    next: Next,
) -> Response<Body> {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    // Content-Security-Policy, X-Frame-Options, Permissions-Policy.
    security.insert(headers);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Invitation links carry secrets; never leak a URL to another site.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, NO_CACHE);
    }
    response
}

async fn log_request(req: Request, next: Next) -> Response<Body> {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let response = next.run(req).await;
    let encoding = response
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    eprintln!(
        "{method} {path} {} {encoding} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}

fn last_segment(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or("")
}

/// Whether a file name carries Trunk's content hash: `-`, then the hash (a 64-bit number in
/// hex, so up to 16 digits: leading zeros are dropped; at least 8 are required, which every
/// hash but one in four billion has), then `.` or `_` (`linli-0123456789abcdef_bg.wasm`,
/// `main-f15ca8c7d1bbc.css`).
pub fn is_hashed(name: &str) -> bool {
    name.match_indices('-').any(|(i, _)| {
        let rest = &name.as_bytes()[i + 1..];
        let digits = rest.iter().take_while(|b| b.is_ascii_hexdigit()).count();
        (8..=16).contains(&digits) && matches!(rest.get(digits), Some(b'.' | b'_'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunk_hashes() {
        assert!(is_hashed("linli-0123456789abcdef_bg.wasm"));
        assert!(is_hashed("linli-0123456789abcdef.js"));
        assert!(is_hashed("main-a1b2c3d4e5f60718.css"));
        assert!(
            is_hashed("linli-f15ca8c7d1bbc_bg.wasm"),
            "leading zeros dropped"
        );
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("manifest.webmanifest"));
        assert!(!is_hashed("linli-0123.js"));
        assert!(!is_hashed("linli-0123456789abcdefg.js"));
        assert!(!is_hashed("linli-0123456789abcdef0.js"), "17 digits");
        assert!(!is_hashed("linli-0123456789abcdef"));
    }

    #[test]
    fn routes_are_paths_without_a_dot_in_the_last_segment() {
        assert_eq!(last_segment("/"), "");
        assert_eq!(last_segment("/council"), "council");
        assert_eq!(last_segment("/a/b.js"), "b.js");
    }
}
