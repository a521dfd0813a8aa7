//! HTTP over a plain TCP stream, so the tests see exactly what the hub sends, and the hub
//! binary started on a loopback port.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use linli_domain::{Event, Hex32};

/// A response as the test reads it: status, lower-case headers, decoded body.
pub struct Reply {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or("")
    }

    /// The body with its content encoding undone.
    pub fn decoded(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match self.header("content-encoding") {
            "br" => {
                brotli::BrotliDecompress(&mut &self.body[..], &mut out).expect("valid brotli");
            }
            "gzip" => {
                flate2::read::GzDecoder::new(&self.body[..])
                    .read_to_end(&mut out)
                    .expect("valid gzip");
            }
            "" => out.clone_from(&self.body),
            other => panic!("unexpected encoding {other}"),
        }
        out
    }
}

/// A GET over a fresh connection.
pub fn get(addr: SocketAddr, path: &str, extra: &[(&str, &str)]) -> Reply {
    request(addr, "GET", path, extra, b"")
}

/// One HTTP/1.1 request over a fresh connection, read until the server closes it.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    extra: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    try_request(addr, method, path, extra, body).expect("request")
}

/// [`request`], with connection errors returned (a server being killed, say).
pub fn try_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    extra: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(addr)?;
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in extra {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Err(std::io::Error::other("no complete response"));
    };
    let head = String::from_utf8(raw[..split].to_vec()).expect("ascii head");
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .expect("status line")
        .split(' ')
        .nth(1)
        .expect("code");
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .get("transfer-encoding")
        .is_some_and(|v| v == "chunked")
    {
        body = dechunk(&body);
    }
    Ok(Reply {
        status: status.parse().expect("numeric status"),
        headers,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size line");
        let size_text = std::str::from_utf8(&data[..line_end]).expect("ascii size");
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .expect("hex chunk size");
        data = &data[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.decoded()).expect("a JSON body")
    }
}

/// A `linli-hub serve` process on 127.0.0.1 with an OS-chosen port.
pub struct Hub {
    child: Child,
    pub addr: SocketAddr,
    pub data: PathBuf,
    _dist: tempfile::TempDir,
}

impl Hub {
    pub fn start(data: &Path, extra: &[&str]) -> Hub {
        let dist = tempfile::tempdir().expect("dist");
        std::fs::write(
            dist.path().join("index.html"),
            "<!DOCTYPE html><title>邻里</title>",
        )
        .expect("index");
        let mut child = Command::new(env!("CARGO_BIN_EXE_linli-hub"))
            .args(["serve", "--addr", "127.0.0.1:0", "--dist"])
            .arg(dist.path())
            .arg("--data")
            .arg(data)
            .args(extra)
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the hub");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let addr = loop {
            let line = lines
                .next()
                .expect("the hub said where it listens")
                .expect("stderr line");
            if let Some(rest) = line.split("serving http://").nth(1) {
                break rest
                    .split_whitespace()
                    .next()
                    .expect("address")
                    .parse()
                    .expect("socket address");
            }
        };
        // Keep draining the log so the hub never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Hub {
            child,
            addr,
            data: data.to_path_buf(),
            _dist: dist,
        }
    }

    pub fn post(&self, space: Hex32, events: &[&Event]) -> Reply {
        let body = format!(
            "[{}]",
            events
                .iter()
                .map(|e| e.envelope.as_str())
                .collect::<Vec<_>>()
                .join(",")
        );
        self.post_raw(space, body.as_bytes())
    }

    pub fn post_raw(&self, space: Hex32, body: &[u8]) -> Reply {
        request(
            self.addr,
            "POST",
            &format!("/spaces/{space}/events"),
            &[("Content-Type", "application/json")],
            body,
        )
    }

    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
