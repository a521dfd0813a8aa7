//! What the hub reads from a request before it acts: pure functions, fuzzed
//! (`crates/hub/fuzz`), with no I/O.

use std::net::IpAddr;

use axum::http::{header, HeaderMap};
use ipnet::IpNet;
use linli_domain::envelope::MAX_BATCH;

use crate::storage::safe_path;

/// The compression a client takes for a space's immutable files: brotli, else gzip.
pub fn accepted_encoding(headers: &HeaderMap) -> Option<&'static str> {
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

/// Whether a requested name is one the hub serves from a space: the manifest and the files
/// it may list — never a compressed sibling (`….br`, `….gz`) or a temporary file, which are
/// the hub's own.
pub fn servable(file: &str) -> bool {
    safe_path(file)
        && !file.ends_with(".br")
        && !file.ends_with(".gz")
        && !file.ends_with(".tmp")
        && !file.split('/').any(|seg| seg.starts_with('.'))
}

/// The client's address: the TCP peer, or for a trusted proxy the rightmost address of
/// `X-Forwarded-For` that is not itself a trusted proxy.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|part| part.trim().parse().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !is_trusted(ip))
        .unwrap_or(peer)
}

/// Counts the items of a JSON array as its bytes arrive, so that a body of a million tiny
/// items is refused before it is held or parsed. A pre-check only: the body is parsed
/// properly afterwards ([`split_batch`](linli_domain::envelope::split_batch)).
#[derive(Debug, Default)]
pub struct ItemCounter {
    depth: u32,
    in_string: bool,
    escaped: bool,
    between: bool,
    started: bool,
    /// Items seen so far.
    pub items: usize,
}

/// Why [`ItemCounter::feed`] refused a body.
#[derive(Debug, PartialEq, Eq)]
pub enum CountError {
    /// It does not start with `[`.
    NotAnArray,
    /// More than [`MAX_BATCH`] items.
    TooMany,
}

impl ItemCounter {
    /// Takes the next bytes of the body.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), CountError> {
        for &b in bytes {
            if !self.started {
                if b.is_ascii_whitespace() {
                    continue;
                }
                if b != b'[' {
                    return Err(CountError::NotAnArray);
                }
                self.started = true;
                self.depth = 1;
                self.between = true;
                continue;
            }
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                }
                continue;
            }
            if self.depth == 1 && self.between && !b.is_ascii_whitespace() && b != b']' && b != b','
            {
                self.items += 1;
                self.between = false;
                if self.items > MAX_BATCH {
                    return Err(CountError::TooMany);
                }
            }
            match b {
                b'"' => self.in_string = true,
                b'[' | b'{' => self.depth += 1,
                b']' | b'}' => self.depth = self.depth.saturating_sub(1),
                b',' if self.depth == 1 => self.between = true,
                _ => {}
            }
        }
        Ok(())
    }
}
