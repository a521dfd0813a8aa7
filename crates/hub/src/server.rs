//! The HTTP service.
//!
//! - App routes (a path whose last segment has no dot, such as `/council`) get `index.html`,
//!   so deep links and reloads work in a client-side router.
//! - Files of the bundle come from the dist folder, precompressed (br, then gzip) when the
//!   client accepts it. Content-hashed names (`linli-0123456789abcdef_bg.wasm`) are cached
//!   forever (`immutable`); everything else, `index.html` first, is revalidated (`no-cache`).
//! - `/spaces/…` serves the communities' files from the data folder, never the app shell.
//! - One log line per request on stderr: method, path (never the query: it may carry an
//!   invitation secret), status, duration.

use std::future::Future;
use std::path::PathBuf;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Response, Uri};
use axum::middleware::{self, Next};
use axum::Router;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

/// Where the hub finds its files.
#[derive(Debug, Clone)]
pub struct Config {
    /// The built app (`trunk build --release` output).
    pub dist: PathBuf,
    /// The data folder; spaces live in `data/spaces/{space}/`.
    pub data: PathBuf,
}

const NO_CACHE: HeaderValue = HeaderValue::from_static("no-cache");
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

#[derive(Clone)]
struct AppFiles(ServeDir);

/// The hub's router for a configuration.
pub fn router(config: &Config) -> Router {
    let app = AppFiles(
        ServeDir::new(&config.dist)
            .precompressed_br()
            .precompressed_gzip(),
    );
    let spaces = ServeDir::new(config.data.join("spaces"));
    Router::new()
        .nest_service("/spaces", spaces)
        .fallback(serve_app)
        .with_state(app)
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

/// Serves until `shutdown` resolves, then lets open requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(&config))
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

async fn serve_app(State(AppFiles(files)): State<AppFiles>, mut req: Request) -> Response<Body> {
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

/// Whether a file name carries Trunk's content hash: `-` then 16 hex digits then `.` or `_`
/// (`linli-0123456789abcdef_bg.wasm`, `main-0123456789abcdef.css`).
pub fn is_hashed(name: &str) -> bool {
    name.match_indices('-').any(|(i, _)| {
        let rest = &name.as_bytes()[i + 1..];
        rest.len() > 16
            && rest[..16].iter().all(u8::is_ascii_hexdigit)
            && matches!(rest[16], b'.' | b'_')
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
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("manifest.webmanifest"));
        assert!(!is_hashed("linli-0123.js"));
        assert!(!is_hashed("linli-0123456789abcdefg.js"));
        assert!(!is_hashed("linli-0123456789abcdef"));
    }

    #[test]
    fn routes_are_paths_without_a_dot_in_the_last_segment() {
        assert_eq!(last_segment("/"), "");
        assert_eq!(last_segment("/council"), "council");
        assert_eq!(last_segment("/a/b.js"), "b.js");
    }
}
