//! # linli-hub
//!
//! The hub serves the built app and each community's static JSON files, and carries the
//! command-line tools. It depends on `linli-domain` for every rule; it never decides state.
//!
//! # Layout
//!
//! - [`cmd`]: one module per subcommand (`serve`, `audit`, `demo`, `export`, `checkpoint`, `publish`),
//!   dispatched from `main.rs`.
//! - [`files`]: the space folder layout (manifest and immutable files), read and written.
//! - [`ingest`]: taking events in (`POST /spaces/{space}/events`): verify, admit, store.
//! - [`storage`]: the storage trait and the local folder behind it (durable, atomic).
//! - [`s3`]: the same trait on an S3-compatible bucket (signed requests, retries).
//! - [`commits`]: several hubs on one bucket: commit records, the manifest as their view.
//! - [`server`]: the HTTP service: routes, caching rules, limits, logging.
//! - [`csp`]: the security headers (Content-Security-Policy, frame and permissions policies).
//! - [`listen`]: accepting connections: timeouts, a connection cap, shutdown with a deadline.
//! - [`request`]: what is read from a request before acting (encodings, client address,
//!   file names, the batch item count): pure, and fuzzed.
//! - [`precompress`]: writes `.br` and `.gz` siblings of the app's files once, at start-up,
//!   so every response is compressed at the best level without per-request work.

pub mod cmd;
pub mod commits;
pub mod csp;
pub mod files;
pub mod ingest;
pub mod listen;
pub mod precompress;
pub mod request;
pub mod s3;
pub mod server;
pub mod storage;
