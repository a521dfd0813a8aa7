//! HTTP over a plain TCP stream, so the tests see exactly what the hub sends, and the hub
//! binary started on a loopback port.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use linli_domain::envelope::sha256;
use linli_domain::{ChainWriter, Event, Hex32};
use serde_json::json;

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
        Hub::start_wrapped(data, extra, &[])
    }

    /// [`Hub::start`] under a wrapper command (`prlimit --nofile=64:64`, say).
    pub fn start_wrapped(data: &Path, extra: &[&str], wrapper: &[&str]) -> Hub {
        let mut hub = Hub::spawn(&["--data".as_ref(), data.as_os_str()], extra, wrapper, &[]);
        hub.data = data.to_path_buf();
        hub
    }

    /// A hub whose spaces are in a bucket (`--store s3://…`), talking to the store at
    /// `endpoint` (the rest of the settings from this process's environment).
    pub fn start_store(store: &str, endpoint: &str, extra: &[&str]) -> Hub {
        Hub::spawn(
            &["--store".as_ref(), store.as_ref()],
            extra,
            &[],
            &[("AWS_ENDPOINT_URL", endpoint)],
        )
    }

    fn spawn(
        storage: &[&std::ffi::OsStr],
        extra: &[&str],
        wrapper: &[&str],
        env: &[(&str, &str)],
    ) -> Hub {
        let dist = tempfile::tempdir().expect("dist");
        std::fs::write(
            dist.path().join("index.html"),
            "<!DOCTYPE html><title>邻里</title>",
        )
        .expect("index");
        let bin = env!("CARGO_BIN_EXE_linli-hub");
        let mut command = match wrapper.split_first() {
            Some((first, rest)) => {
                let mut c = Command::new(first);
                c.args(rest).arg(bin);
                c
            }
            None => Command::new(bin),
        };
        let mut child = command
            .args(["serve", "--addr", "127.0.0.1:0", "--dist"])
            .arg(dist.path())
            .args(storage)
            .args(extra)
            .envs(env.iter().copied())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the hub");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let mut said = String::new();
        let addr = loop {
            let Some(line) = lines.next() else {
                panic!("the hub exited before listening:\n{said}");
            };
            let line = line.expect("stderr line");
            said.push_str(&line);
            said.push('\n');
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
            data: PathBuf::new(),
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

    /// The hub's `/_hub/status`.
    pub fn status(&self) -> serde_json::Value {
        get(self.addr, "/_hub/status", &[]).json()
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Peak resident memory so far, in KiB (`VmHWM`).
    pub fn peak_kib(&self) -> u64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid())).expect("/proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM")
    }

    /// Sends SIGTERM and waits up to `within` for the process to exit; whether it did.
    pub fn terminate(&mut self, within: std::time::Duration) -> bool {
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        let start = std::time::Instant::now();
        while start.elapsed() < within {
            if let Ok(Some(_)) = self.child.try_wait() {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        false
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

/// A community: the admin, its genesis, and helpers to invite and join.
pub struct Town {
    pub admin: ChainWriter,
    pub genesis: Event,
    pub space: Hex32,
    pub max: u64,
}

impl Town {
    pub fn new() -> Town {
        let mut admin = ChainWriter::new(&[1; 32], None);
        let genesis = admin.sign("space.genesis", &json!({"name": "幸福里社区"}), 0, 0);
        Town {
            space: genesis.id,
            max: genesis.lamport,
            admin,
            genesis,
        }
    }

    pub fn bump(&mut self, e: &Event) {
        self.max = self.max.max(e.lamport);
    }

    pub fn invite(&mut self, n: u32) -> Event {
        let secret = sha256(&n.to_le_bytes()).0;
        let e = self.admin.sign(
            "member.invite",
            &json!({"invite": sha256(&secret).to_hex(), "role": "resident", "household": format!("1-{n}")}),
            0,
            self.max,
        );
        self.bump(&e);
        e
    }

    /// A new device for invitation `n`, and its join.
    pub fn join(&mut self, n: u32) -> (ChainWriter, Event) {
        let secret = sha256(&n.to_le_bytes()).0;
        let mut dev = ChainWriter::new(&sha256(&secret).0, Some(self.space));
        let e = dev.sign(
            "member.join",
            &json!({"secret": linli_domain::id::encode_hex(&secret), "name": "张秀英"}),
            0,
            self.max,
        );
        self.bump(&e);
        (dev, e)
    }
}
