//! Spaces in an S3-compatible bucket (`linli-hub serve --store s3://bucket/prefix`), for a
//! community that outgrows one machine: several hubs behind one bucket, a CDN in front.
//!
//! The layout is the folder's, under the prefix: `{prefix}spaces/{space}/manifest.json`,
//! the immutable files beside it, and the commit records under `commits/` that let several
//! hubs write one space without conditional writes ([`crate::commits`], `docs/sync.md`).
//!
//! Requests are signed with [`rusty_s3`] (SigV4 only: no HTTP stack, no async runtime of its
//! own) and sent with the `ureq` agent the hub already has, so the storage trait stays
//! synchronous. Transient failures are retried ([`retry`]); the rest become `io::Error`s
//! whose message says what to fix (which variable, which bucket).

pub mod retry;
mod settings;

pub use settings::{Location, Settings};

use std::io;
use std::time::{Duration, SystemTime};

use linli_domain::{Hex32, SpaceId};
use rusty_s3::{Bucket, Credentials, S3Action as _, UrlStyle};
use url::Url;

use crate::cmd::SNAPSHOTS_INDEX;
use crate::storage::{safe_path, Storage, MANIFEST};
use retry::{transient_status, Attempts, Retry};

/// How long a signed URL is valid: it is used at once, retries re-sign.
const SIGNED_FOR: Duration = Duration::from_secs(300);
/// The largest object the hub reads back (a segment holds at most 10,000 events of 16 KiB).
const MAX_OBJECT: u64 = 256 * 1024 * 1024;

/// A bucket (and a prefix in it) holding spaces.
pub struct ObjectStore {
    bucket: Bucket,
    credentials: Credentials,
    location: Location,
    endpoint: String,
    agent: ureq::Agent,
    retry: Retry,
    /// The spaces whose `snapshots.json` this process has made sure of.
    indexed: std::sync::Mutex<std::collections::HashSet<SpaceId>>,
}

impl std::fmt::Debug for ObjectStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ObjectStore({} at {})", self.location, self.endpoint)
    }
}

/// An answer from the store: its status and body.
struct Answer {
    status: u16,
    body: Vec<u8>,
}

/// Keys with their last-modified time, and common prefixes.
type Listing = (Vec<(String, SystemTime)>, Vec<String>);

/// One kind of request.
#[derive(Clone, Copy)]
enum Verb<'a> {
    Get,
    Head,
    /// The body, its headers, and its `Content-MD5` (base64) when the store wants one.
    Put(&'a [u8], &'a Meta, Option<&'a str>),
    Delete,
}

/// What an object is stored with besides its bytes: the headers the store keeps and sends
/// back on every GET (Garage 2.5.0 keeps `Content-Type`, `Cache-Control`, `Content-Encoding`,
/// `Content-Disposition`, `Content-Language`, `Expires` and `x-amz-meta-*`: docs/sync.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// `Content-Type`.
    pub content_type: &'static str,
    /// `Cache-Control`.
    pub cache: &'static str,
    /// `Content-Encoding` (`gzip`): the stored bytes are encoded, and every reader gets them
    /// so (a bucket cannot negotiate); browsers decode them.
    pub encoding: Option<&'static str>,
    /// `If-None-Match: *`: create only. Stores with conditional writes (AWS, MinIO, R2)
    /// refuse the PUT with `412` when the key exists; Garage ignores it (§5).
    pub create_only: bool,
}

impl Meta {
    /// A space file's headers: JSON, `no-cache` for the two mutable indexes (the manifest and
    /// `snapshots.json`), immutable for everything else; compressed siblings as bytes.
    fn space_file(path: &str) -> Meta {
        let mutable = path == MANIFEST || path == SNAPSHOTS_INDEX;
        Meta {
            content_type: content_type(path),
            cache: if mutable { NO_CACHE } else { IMMUTABLE },
            encoding: None,
            create_only: false,
        }
    }
}

impl ObjectStore {
    /// A store at `location` with `settings`.
    pub fn new(location: Location, settings: &Settings) -> anyhow::Result<ObjectStore> {
        let style = if settings.path_style {
            UrlStyle::Path
        } else {
            UrlStyle::VirtualHost
        };
        let bucket = Bucket::new(
            settings.endpoint.clone(),
            style,
            location.bucket.clone(),
            settings.region.clone(),
        )
        .map_err(|e| anyhow::anyhow!("cannot address bucket {}: {e}", location.bucket))?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(settings.timeout))
            .timeout_connect(Some(Duration::from_secs(3)))
            .max_idle_connections_per_host(64)
            .build()
            .into();
        Ok(ObjectStore {
            bucket,
            credentials: Credentials::new(settings.key.clone(), settings.secret.clone()),
            endpoint: settings.endpoint.to_string(),
            location,
            agent,
            retry: settings.retry,
            indexed: std::sync::Mutex::new(std::collections::HashSet::new()),
        })
    }

    /// Checks that the bucket exists and the key may list it: one `ListObjectsV2` with at
    /// most one key. For the hub's start, so that a wrong setting fails at once, clearly.
    pub fn check(&self) -> io::Result<()> {
        self.list_keys(&self.location.prefix, None, None, Some(1))
            .map(drop)
    }

    /// The location.
    pub fn location(&self) -> &Location {
        &self.location
    }

    fn space_key(&self, space: &SpaceId, path: &str) -> String {
        format!("{}spaces/{}/{path}", self.location.prefix, space.to_hex())
    }

    /// Sends one request with retries; returns the last answer, or the transport error once
    /// the retry budget is spent.
    fn send(&self, verb: Verb<'_>, key: &str, sign: impl Fn() -> Url) -> io::Result<Answer> {
        let mut attempts = Attempts::new(self.retry);
        loop {
            let url = sign();
            let result = match verb {
                Verb::Get => self.agent.get(url.as_str()).call(),
                Verb::Head => self.agent.head(url.as_str()).call(),
                Verb::Delete => self.agent.delete(url.as_str()).call(),
                Verb::Put(bytes, meta, md5) => {
                    let mut put = self
                        .agent
                        .put(url.as_str())
                        .header("content-type", meta.content_type)
                        .header("cache-control", meta.cache);
                    if let Some(md5) = md5 {
                        put = put.header("content-md5", md5);
                    }
                    if let Some(enc) = meta.encoding {
                        put = put.header("content-encoding", enc);
                    }
                    if meta.create_only {
                        put = put.header("if-none-match", "*");
                    }
                    put.send(bytes)
                }
            };
            let outcome = result.and_then(|mut r| {
                let status = r.status().as_u16();
                let body = r.body_mut().with_config().limit(MAX_OBJECT).read_to_vec()?;
                Ok(Answer { status, body })
            });
            let failure = match outcome {
                Ok(a) if !transient_status(a.status) => return Ok(a),
                Ok(a) => format!("{} {}", a.status, error_code(&a.body).0),
                Err(e) if transient_transport(&e) => e.to_string(),
                Err(e) => return Err(io::Error::other(format!("{key}: {e}"))),
            };
            match attempts.next_wait() {
                Some(wait) => std::thread::sleep(wait),
                None => {
                    return Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!(
                            "the object store at {} (AWS_ENDPOINT_URL) did not answer {key} \
                             after {} attempts in {:?}: {failure}",
                            self.endpoint,
                            attempts.made(),
                            self.retry.budget
                        ),
                    ))
                }
            }
        }
    }

    /// An error for an answer that is not a success, naming what to fix.
    fn refusal(&self, what: &str, key: &str, answer: &Answer) -> io::Error {
        let (code, message) = error_code(&answer.body);
        let bucket = &self.location.bucket;
        // Garage answers `AccessDenied` with the reason in the message.
        let unknown_key = code == "InvalidAccessKeyId" || message.contains("No such key");
        let bad_signature = code == "SignatureDoesNotMatch"
            || code == "AuthorizationHeaderMalformed"
            || message.contains("Invalid signature");
        let (kind, text) = match (answer.status, code.as_str()) {
            (404, "NoSuchBucket") => (
                io::ErrorKind::NotFound,
                format!(
                    "there is no bucket {bucket:?} at {}: create it and allow the key on it \
                     (docs/sync.md, \"Object storage\")",
                    self.endpoint
                ),
            ),
            (403, _) if unknown_key => (
                io::ErrorKind::PermissionDenied,
                format!(
                    "the object store does not know the access key {:?}: check \
                     AWS_ACCESS_KEY_ID ({message})",
                    self.credentials.key()
                ),
            ),
            (400 | 403, _) if bad_signature => (
                io::ErrorKind::PermissionDenied,
                format!(
                    "the object store refused the signature of key {:?}: check \
                     AWS_SECRET_ACCESS_KEY and AWS_REGION ({code}: {message})",
                    self.credentials.key()
                ),
            ),
            (401 | 403, _) => (
                io::ErrorKind::PermissionDenied,
                format!(
                    "the object store refused {what} {key} to key {:?} (AWS_ACCESS_KEY_ID, \
                     AWS_SECRET_ACCESS_KEY): {code}: {message}; allow the key to read and \
                     write bucket {bucket:?}",
                    self.credentials.key()
                ),
            ),
            (status, _) => (
                io::ErrorKind::Other,
                format!("the object store answered {what} {key} with {status} {code}: {message}"),
            ),
        };
        io::Error::new(kind, text)
    }

    fn get(&self, key: &str) -> io::Result<Option<Vec<u8>>> {
        let answer = self.send(Verb::Get, key, || {
            self.bucket
                .get_object(Some(&self.credentials), key)
                .sign(SIGNED_FOR)
        })?;
        match answer.status {
            200 => Ok(Some(answer.body)),
            404 if error_code(&answer.body).0 != "NoSuchBucket" => Ok(None),
            _ => Err(self.refusal("reading", key, &answer)),
        }
    }

    /// Writes one object of the bucket (`key` from the bucket's root, the prefix included)
    /// with `meta`.
    pub fn put_object(&self, key: &str, bytes: &[u8], meta: &Meta) -> io::Result<()> {
        self.put(key, bytes, meta)
    }

    /// Whether an object exists (`HeadObject`).
    pub fn exists(&self, key: &str) -> io::Result<bool> {
        let answer = self.send(Verb::Head, key, || {
            self.bucket
                .head_object(Some(&self.credentials), key)
                .sign(SIGNED_FOR)
        })?;
        match answer.status {
            200 => Ok(true),
            404 => Ok(false),
            _ => Err(self.refusal("reading", key, &answer)),
        }
    }

    /// Replaces a configuration of the bucket: `cors` (`PutBucketCors`) or `website`
    /// (`PutBucketWebsite`), from its XML document.
    pub fn put_bucket_config(&self, which: &'static str, xml: &str) -> io::Result<()> {
        let meta = Meta {
            content_type: "application/xml",
            cache: NO_CACHE,
            encoding: None,
            create_only: false,
        };
        let what = format!("?{which}");
        // AWS S3 and Tencent COS refuse a bucket configuration without its MD5 (Garage 2.5.0
        // neither needs nor checks it).
        let md5 = content_md5(xml.as_bytes());
        let answer = self.send(Verb::Put(xml.as_bytes(), &meta, Some(&md5)), &what, || {
            let mut action = self.bucket.put_object(Some(&self.credentials), "");
            action.query_mut().insert(which, "");
            action.sign(SIGNED_FOR)
        })?;
        match answer.status {
            200..=299 => Ok(()),
            _ => Err(self.refusal("configuring", &what, &answer)),
        }
    }

    /// The key of `path` under the location's prefix (`index.html` → `prefix/index.html`).
    pub fn key(&self, path: &str) -> String {
        format!("{}{path}", self.location.prefix)
    }

    fn put(&self, key: &str, bytes: &[u8], meta: &Meta) -> io::Result<()> {
        let answer = self.send(Verb::Put(bytes, meta, None), key, || {
            self.bucket
                .put_object(Some(&self.credentials), key)
                .sign(SIGNED_FOR)
        })?;
        match answer.status {
            200..=299 => Ok(()),
            // A create-only write of a key that exists: what was there stays.
            412 if meta.create_only => Ok(()),
            _ => Err(self.refusal("writing", key, &answer)),
        }
    }

    fn delete(&self, key: &str) -> io::Result<()> {
        let answer = self.send(Verb::Delete, key, || {
            self.bucket
                .delete_object(Some(&self.credentials), key)
                .sign(SIGNED_FOR)
        })?;
        match answer.status {
            200..=299 => Ok(()),
            404 if error_code(&answer.body).0 != "NoSuchBucket" => Ok(()),
            _ => Err(self.refusal("deleting", key, &answer)),
        }
    }

    /// Every key under `prefix` (after `after`, when given) with its last-modified time (all
    /// pages), and the common prefixes when `delimiter` is given; at most `max` keys when
    /// given.
    fn list_keys(
        &self,
        prefix: &str,
        delimiter: Option<&str>,
        after: Option<&str>,
        max: Option<usize>,
    ) -> io::Result<Listing> {
        let mut keys = Vec::new();
        let mut prefixes = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let answer = self.send(Verb::Get, prefix, || {
                let mut action = self.bucket.list_objects_v2(Some(&self.credentials));
                action.with_prefix(prefix);
                if let Some(d) = delimiter {
                    action.with_delimiter(d);
                }
                if let Some(m) = max {
                    action.with_max_keys(m);
                }
                if let Some(a) = after {
                    action.with_start_after(a);
                }
                if let Some(t) = &token {
                    action.with_continuation_token(t.as_str());
                }
                action.sign(SIGNED_FOR)
            })?;
            if answer.status != 200 {
                return Err(self.refusal("listing", prefix, &answer));
            }
            let text = String::from_utf8_lossy(&answer.body);
            let page = rusty_s3::actions::ListObjectsV2::parse_response(&text).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("the object store's list of {prefix} does not parse: {e}"),
                )
            })?;
            keys.extend(page.contents.into_iter().map(|c| {
                let when = c
                    .last_modified
                    .as_deref()
                    .and_then(parse_time)
                    .unwrap_or(SystemTime::UNIX_EPOCH);
                (c.key, when)
            }));
            prefixes.extend(page.common_prefixes.into_iter().map(|p| p.prefix));
            token = page.next_continuation_token;
            if token.is_none() || max.is_some_and(|m| keys.len() >= m) {
                return Ok((keys, prefixes));
            }
        }
    }
}

/// `Content-MD5` (RFC 1864): the base64 of the body's MD5.
fn content_md5(body: &[u8]) -> String {
    use base64::Engine as _;
    use md5::Digest as _;
    base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest(body))
}

fn content_type(key: &str) -> &'static str {
    if key.ends_with(".json") {
        "application/json"
    } else {
        "application/octet-stream"
    }
}

/// Whether a transport failure may go away by itself (a node restarting, a dropped
/// connection, a timeout).
fn transient_transport(e: &ureq::Error) -> bool {
    matches!(
        e,
        ureq::Error::Io(_)
            | ureq::Error::Timeout(_)
            | ureq::Error::ConnectionFailed
            | ureq::Error::HostNotFound
            | ureq::Error::Protocol(_)
            | ureq::Error::BodyStalled
    )
}

/// The `<Code>` and `<Message>` of an S3 error body (empty when absent).
fn error_code(body: &[u8]) -> (String, String) {
    let text = String::from_utf8_lossy(body);
    let tag = |name: &str| {
        let open = format!("<{name}>");
        let close = format!("</{name}>");
        text.split_once(&open)
            .and_then(|(_, rest)| rest.split_once(&close))
            .map(|(v, _)| v.trim().to_owned())
            .unwrap_or_default()
    };
    (tag("Code"), tag("Message"))
}

/// An S3 timestamp (`2026-11-27T21:30:00.000Z`) as a `SystemTime`.
fn parse_time(s: &str) -> Option<SystemTime> {
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if mo > 2 { mo - 3 } else { mo + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = u64::try_from(days * 86_400 + h * 3600 + mi * 60 + se).ok()?;
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
}

/// Immutable files: cached for ever by browsers and a CDN in front of the bucket.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The manifest: always revalidated.
const NO_CACHE: &str = "no-cache";

impl ObjectStore {
    /// Once per space and process, after a manifest write: writes the empty snapshot index
    /// (`{"space": …, "snapshots": []}`) when the space has none. A phone that joins asks
    /// for `snapshots.json` first; a hub answers an empty index itself, but a bucket read
    /// directly would answer `404` (an error in the browser's console, and without the
    /// bucket's CORS headers on Garage, a failed request for an app on another origin).
    /// Create-only (`If-None-Match: *`), so a store with conditional writes never replaces
    /// a published index; on Garage, which ignores it, only an index uploaded between the
    /// check and the write could be replaced (`linli-hub checkpoint` writes to a folder).
    fn ensure_snapshot_index(&self, space: &SpaceId) -> io::Result<()> {
        let first = self
            .indexed
            .lock()
            .map_err(|_| io::Error::other("snapshot index lock poisoned"))?
            .insert(*space);
        if !first {
            return Ok(());
        }
        let key = self.space_key(space, SNAPSHOTS_INDEX);
        let done = (|| {
            if self.exists(&key)? {
                return Ok(());
            }
            let empty = format!("{{\"space\":\"{}\",\"snapshots\":[]}}", space.to_hex());
            let meta = Meta {
                create_only: true,
                ..Meta::space_file(SNAPSHOTS_INDEX)
            };
            self.put(&key, empty.as_bytes(), &meta)
        })();
        if done.is_err() {
            // Tried again on the next manifest write.
            if let Ok(mut set) = self.indexed.lock() {
                set.remove(space);
            }
        }
        done
    }
}

impl Storage for ObjectStore {
    fn read(&self, space: &SpaceId, path: &str) -> io::Result<Option<Vec<u8>>> {
        if !safe_path(path) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "unsafe path"));
        }
        self.get(&self.space_key(space, path))
    }

    fn put_file(&self, space: &SpaceId, path: &str, bytes: &[u8]) -> io::Result<()> {
        if !safe_path(path) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "unsafe path"));
        }
        self.put(&self.space_key(space, path), bytes, &Meta::space_file(path))
    }

    fn put_manifest(&self, space: &SpaceId, bytes: &[u8]) -> io::Result<()> {
        self.put(
            &self.space_key(space, MANIFEST),
            bytes,
            &Meta::space_file(MANIFEST),
        )?;
        // The events are published whatever happens to the index: a phone then joins from
        // the genesis.
        if let Err(e) = self.ensure_snapshot_index(space) {
            eprintln!("linli-hub: cannot write the empty {SNAPSHOTS_INDEX} of {space}: {e}");
        }
        Ok(())
    }

    fn list(&self, space: &SpaceId) -> io::Result<Vec<(String, SystemTime)>> {
        self.list_under(space, "")
    }

    fn list_under(&self, space: &SpaceId, dir: &str) -> io::Result<Vec<(String, SystemTime)>> {
        let base = self.space_key(space, "");
        let (keys, _) = self.list_keys(&format!("{base}{dir}"), None, None, None)?;
        Ok(keys
            .into_iter()
            .filter_map(|(k, t)| k.strip_prefix(&base).map(|rel| (rel.to_owned(), t)))
            .collect())
    }

    fn list_after(
        &self,
        space: &SpaceId,
        dir: &str,
        after: &str,
    ) -> io::Result<Vec<(String, SystemTime)>> {
        let base = self.space_key(space, "");
        let (keys, _) = self.list_keys(
            &format!("{base}{dir}"),
            None,
            Some(&format!("{base}{after}")),
            None,
        )?;
        Ok(keys
            .into_iter()
            .filter_map(|(k, t)| k.strip_prefix(&base).map(|rel| (rel.to_owned(), t)))
            .collect())
    }

    fn remove(&self, space: &SpaceId, path: &str) -> io::Result<()> {
        if path.split('/').any(|seg| seg.is_empty() || seg == "..") || path.starts_with('/') {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "unsafe path"));
        }
        self.delete(&self.space_key(space, path))
    }

    fn spaces(&self) -> io::Result<Vec<SpaceId>> {
        let base = format!("{}spaces/", self.location.prefix);
        let (_, prefixes) = self.list_keys(&base, Some("/"), None, None)?;
        Ok(prefixes
            .iter()
            .filter_map(|p| p.strip_prefix(&base))
            .filter_map(|p| Hex32::parse(p.trim_end_matches('/')).ok())
            .collect())
    }

    fn shared(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_md5_is_the_base64_of_the_md5() {
        // RFC 1321's test vectors, in base64.
        assert_eq!(content_md5(b""), "1B2M2Y8AsgTpgAmY7PhCfg==");
        assert_eq!(content_md5(b"abc"), "kAFQmDzST7DWlj99KOF/cg==");
    }

    #[test]
    fn locations() {
        let l: Location = "s3://linli/prod/a".parse().expect("valid");
        assert_eq!(l.bucket, "linli");
        assert_eq!(l.prefix, "prod/a/");
        let l: Location = "s3://linli".parse().expect("valid");
        assert_eq!(l.prefix, "");
        let l: Location = "s3://linli/".parse().expect("valid");
        assert_eq!(l.prefix, "");
        for bad in [
            "linli",
            "s3://",
            "s3://Linli/x",
            "s3://ab",
            "s3://linli/../x",
        ] {
            assert!(bad.parse::<Location>().is_err(), "{bad}");
        }
    }

    #[test]
    fn s3_times() {
        let t = parse_time("2026-11-27T21:30:05.123Z").expect("parses");
        let secs = t
            .duration_since(SystemTime::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        assert_eq!(secs, 1_795_815_005);
        assert_eq!(
            parse_time("1970-01-01T00:00:00Z"),
            Some(SystemTime::UNIX_EPOCH)
        );
        assert_eq!(parse_time("yesterday"), None);
    }

    #[test]
    fn error_bodies() {
        let body = b"<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>Bucket not found: x</Message></Error>";
        assert_eq!(
            error_code(body),
            ("NoSuchBucket".to_owned(), "Bucket not found: x".to_owned())
        );
        assert_eq!(error_code(b""), (String::new(), String::new()));
    }
}
