//! The HTTP service.
//!
//! - App routes (a path whose last segment has no dot, such as `/council`) get `index.html`,
//!   so deep links and reloads work in a client-side router.
//! - Files of the bundle come from the dist folder, precompressed (br, then gzip) when the
//!   client accepts it. Content-hashed names (`linli-0123456789abcdef_bg.wasm`) are cached
//!   forever (`immutable`); everything else, `index.html` first, is revalidated (`no-cache`).
//! - `/spaces/{space}/{file}` serves a community's files from storage, never the app shell:
//!   a strong `ETag` (SHA-256 of the bytes) honoured through `If-None-Match`, `no-cache` for
//!   the manifest and `immutable` for everything it lists. Any origin may read them and push
//!   to them (CORS, with `ETag` exposed), so the app and the data can live on different hosts.
//! - `POST /spaces/{space}/events` takes a JSON array of envelopes ([`crate::ingest`]), with a
//!   body limit, the batch limit and a per-client rate limit, each refused with its own status
//!   and a JSON `{"error": …}` message.
//! - One log line per request on stderr: method, path (never the query: it may carry an
//!   invitation secret), status, duration.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::routing::{get, post};
use axum::Router;
use linli_domain::Hex32;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

use crate::ingest::{Hub, IngestError};
use crate::storage::{safe_path, Folder, Storage, MANIFEST};

/// Where the hub finds its files.
#[derive(Debug, Clone)]
pub struct Config {
    /// The built app (`trunk build --release` output).
    pub dist: PathBuf,
    /// The data folder; spaces live in `data/spaces/{space}/`.
    pub data: PathBuf,
    /// Whether a batch carrying a genesis may found a new space here.
    pub allow_new_spaces: bool,
    /// Largest request body, in bytes.
    pub max_body: usize,
    /// Batches each client may post per minute (a burst of as many is allowed).
    pub posts_per_minute: u32,
}

impl Config {
    /// The defaults of `linli-hub serve` for a bundle and a data folder.
    pub fn new(dist: impl Into<PathBuf>, data: impl Into<PathBuf>) -> Config {
        Config {
            dist: dist.into(),
            data: data.into(),
            allow_new_spaces: true,
            max_body: 16 * 1024 * 1024,
            posts_per_minute: 120,
        }
    }
}

const NO_CACHE: HeaderValue = HeaderValue::from_static("no-cache");
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

#[derive(Clone)]
struct Shared {
    app: ServeDir,
    hub: Arc<Hub>,
    limiter: Arc<Limiter>,
    max_body: usize,
}

/// The hub's router for a configuration.
pub fn router(config: &Config) -> Router {
    let storage: Arc<dyn Storage> = Arc::new(Folder::new(&config.data));
    let shared = Shared {
        app: ServeDir::new(&config.dist)
            .precompressed_br()
            .precompressed_gzip(),
        hub: Arc::new(Hub::new(storage, config.allow_new_spaces)),
        limiter: Arc::new(Limiter::new(config.posts_per_minute)),
        max_body: config.max_body,
    };
    let spaces = Router::new()
        .route("/spaces/{space}/events", post(post_events))
        .route("/spaces/{space}/{*file}", get(get_space_file))
        .layer(middleware::from_fn(cors));
    Router::new()
        .merge(spaces)
        .fallback(serve_app)
        .with_state(shared)
        // On-the-fly compression for what has no precompressed sibling (a space's JSON);
        // responses that are already encoded pass through untouched.
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .quality(tower_http::CompressionLevel::Fastest),
        )
        .layer(middleware::from_fn(common_headers))
        .layer(middleware::from_fn(log_request))
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

/// The compression a client takes for a space's immutable files: brotli, else gzip.
fn accepted_encoding(headers: &HeaderMap) -> Option<&'static str> {
    let accept = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let takes = |name: &str| {
        accept.split(',').any(|part| {
            let mut it = part.split(';');
            it.next().is_some_and(|n| n.trim() == name)
                && !it.any(|q| q.trim().replace(' ', "") == "q=0")
        })
    };
    if takes("br") {
        Some("br")
    } else if takes("gzip") {
        Some("gzip")
    } else {
        None
    }
}

fn sibling_name(file: &str, enc: &str) -> String {
    format!("{file}.{}", if enc == "br" { "br" } else { "gz" })
}

/// A space file's bytes, in the client's encoding when a compressed sibling exists (the
/// second value says which). Immutable files get their siblings (`…json.br`, `…json.gz`)
/// after their first request, in the background ([`compress_sibling`]): every new device
/// fetches the same files, and compressing them again for each would cost the hub more CPU
/// than verifying its uploads. Until then the response is compressed on the fly.
fn read_encoded(
    storage: &dyn Storage,
    space: &Hex32,
    file: &str,
    encoding: Option<&'static str>,
) -> std::io::Result<Option<(Vec<u8>, Option<&'static str>)>> {
    if let Some(enc) = encoding {
        if let Some(bytes) = storage.read(space, &sibling_name(file, enc))? {
            return Ok(Some((bytes, Some(enc))));
        }
    }
    Ok(storage.read(space, file)?.map(|raw| (raw, None)))
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
    let packed = if enc == "br" {
        let mut out = Vec::with_capacity(raw.len() / 3);
        {
            use std::io::Write as _;
            let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, 6, 22);
            w.write_all(&raw)?;
        }
        out
    } else {
        use std::io::Write as _;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
        e.write_all(&raw)?;
        e.finish()?
    };
    storage.put_file(space, &sibling, &packed)
}

async fn get_space_file(
    State(shared): State<Shared>,
    Path((space, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response<Body> {
    let Ok(space) = Hex32::parse(&space) else {
        return error(StatusCode::NOT_FOUND, "no such space");
    };
    if !safe_path(&file) {
        return error(StatusCode::NOT_FOUND, "no such file");
    }
    let immutable = file != MANIFEST;
    let encoding = if immutable {
        accepted_encoding(&headers)
    } else {
        None
    };
    // Immutable files are named after their content: their tag comes from the name (and the
    // encoding), so a revalidation never reads the file. The manifest's from its bytes.
    let name_tag = |enc: Option<&str>| {
        let h = crate::files::sha256_hex(format!("{file}|{}", enc.unwrap_or("")).as_bytes());
        format!("\"{}\"", &h[..32])
    };
    let if_none_match = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let matches = |etag: &str| {
        if_none_match
            .as_deref()
            .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    };
    let not_modified = |etag: String, cache: HeaderValue| {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        let h = r.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&etag) {
            h.insert(header::ETAG, v);
        }
        h.insert(header::CACHE_CONTROL, cache);
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        r
    };
    if immutable && matches(&name_tag(encoding)) {
        return not_modified(name_tag(encoding), IMMUTABLE);
    }
    let storage = Arc::clone(shared.hub.storage());
    let name = file.clone();
    let read =
        tokio::task::spawn_blocking(move || read_encoded(&*storage, &space, &name, encoding)).await;
    let (bytes, served) = match read {
        Ok(Ok(Some(found))) => found,
        Ok(Ok(None)) => return error(StatusCode::NOT_FOUND, "no such file"),
        Ok(Err(e)) => return error(StatusCode::INTERNAL_SERVER_ERROR, e),
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, e),
    };
    if let (Some(enc), None) = (encoding, served) {
        let storage = Arc::clone(shared.hub.storage());
        let name = file.clone();
        tokio::task::spawn_blocking(move || {
            if let Err(e) = compress_sibling(&*storage, &space, &name, enc) {
                eprintln!("linli-hub: cannot compress {name}: {e}");
            }
        });
    }
    let (etag, cache) = if immutable {
        (name_tag(encoding), IMMUTABLE)
    } else {
        (
            format!("\"{}\"", &crate::files::sha256_hex(&bytes)[..32]),
            NO_CACHE,
        )
    };
    if matches(&etag) {
        return not_modified(etag, cache);
    }
    let mut r = Response::new(Body::from(bytes));
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    // Without a sibling yet, the compression layer encodes this response on the fly.
    if let Some(enc) = served {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(enc));
    }
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, cache);
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    r
}

async fn post_events(
    State(shared): State<Shared>,
    Path(space): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
) -> Response<Body> {
    if let Err(wait) = shared.limiter.take(peer.ip()) {
        let mut r = error(
            StatusCode::TOO_MANY_REQUESTS,
            format!("too many batches from this address; try again in {wait} s"),
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return r;
    }
    let Ok(space) = Hex32::parse(&space) else {
        return error(
            StatusCode::NOT_FOUND,
            "a space id is 64 lowercase hex digits",
        );
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
        return too_large();
    }
    let body = match axum::body::to_bytes(req.into_body(), shared.max_body).await {
        Ok(b) => b,
        Err(_) => return too_large(),
    };
    let Ok(text) = String::from_utf8(body.to_vec()) else {
        return error(StatusCode::BAD_REQUEST, "the body is not UTF-8");
    };
    let hub = Arc::clone(&shared.hub);
    let outcome = tokio::task::spawn_blocking(move || hub.ingest(space, &text)).await;
    match outcome {
        Ok(Ok(receipt)) => {
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

/// Per-client token buckets: `per_minute` batches, refilled continuously.
struct Limiter {
    per_minute: u32,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl Limiter {
    fn new(per_minute: u32) -> Limiter {
        Limiter {
            per_minute: per_minute.max(1),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `ip`, or says how many seconds until one is free.
    fn take(&self, ip: IpAddr) -> Result<(), u64> {
        let now = Instant::now();
        let cap = f64::from(self.per_minute);
        let rate = cap / 60.0;
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

/// Serves until `shutdown` resolves, then lets open requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(&config).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
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

async fn common_headers(req: Request, next: Next) -> Response<Body> {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
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
