//! The hub on a real loopback port: index, wasm MIME type, deep links, caching rules,
//! compression negotiation and clean shutdown.

use std::net::{SocketAddr, TcpStream};
use std::path::Path;

use linli_hub::server::{serve, Config};

mod common;
use common::get;

const WASM_NAME: &str = "linli-0123456789abcdef_bg.wasm";

fn write_bundle(dist: &Path) -> (Vec<u8>, Vec<u8>) {
    let index = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>邻里</title></head><body>{}</body></html>",
        "<!-- padding so the page is worth compressing -->".repeat(20)
    )
    .into_bytes();
    // A wasm header followed by compressible content, as real modules are.
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    for i in 0..20_000u32 {
        wasm.extend_from_slice(&(i % 251).to_le_bytes());
    }
    std::fs::write(dist.join("index.html"), &index).expect("index");
    std::fs::write(dist.join(WASM_NAME), &wasm).expect("wasm");
    std::fs::write(
        dist.join("linli-0123456789abcdef.js"),
        "export default 1;\n".repeat(40),
    )
    .expect("js");
    (index, wasm)
}

struct Hub {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: Option<std::thread::JoinHandle<std::io::Result<()>>>,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

impl Hub {
    /// Starts a hub on 127.0.0.1 with a port the OS picks, on its own runtime thread.
    fn start(precompress: bool) -> (Hub, Vec<u8>, Vec<u8>) {
        let dist = tempfile::tempdir().expect("dist");
        let data = tempfile::tempdir().expect("data");
        let (index, wasm) = write_bundle(dist.path());
        let config = Config::new(dist.path(), data.path());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let done = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                if precompress {
                    linli_hub::precompress::prepare_dir(&config.dist).await?;
                }
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
                addr_tx
                    .send(listener.local_addr()?)
                    .expect("report address");
                serve(listener, config, async {
                    let _ = rx.await;
                })
                .await
            })
        });
        let addr = addr_rx.recv().expect("hub started");
        let hub = Hub {
            addr,
            stop: Some(tx),
            done: Some(done),
            _dirs: (dist, data),
        };
        (hub, index, wasm)
    }

    /// Asks for a graceful stop and waits for the server to return.
    fn stop(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        self.done
            .take()
            .expect("running")
            .join()
            .expect("server thread")
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

#[test]
fn serves_index_with_no_cache() {
    let (hub, index, _) = Hub::start(true);
    let r = get(hub.addr, "/", &[]);
    assert_eq!(r.status, 200);
    assert!(
        r.header("content-type").starts_with("text/html"),
        "{}",
        r.header("content-type")
    );
    assert_eq!(r.header("cache-control"), "no-cache");
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    assert_eq!(r.header("referrer-policy"), "no-referrer");
    assert_eq!(r.decoded(), index);
    hub.stop().expect("clean stop");
}

#[test]
fn serves_hashed_wasm_as_application_wasm_forever() {
    let (hub, _, wasm) = Hub::start(true);
    let r = get(hub.addr, &format!("/{WASM_NAME}"), &[]);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), "application/wasm");
    assert_eq!(
        r.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(r.header("content-encoding"), "");
    assert_eq!(r.body, wasm);
}

#[test]
fn deep_links_get_the_app_shell_but_missing_files_do_not() {
    let (hub, index, _) = Hub::start(true);
    for path in ["/council", "/me", "/points/", "/volunteer?from=wechat"] {
        let r = get(hub.addr, path, &[]);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("cache-control"), "no-cache", "{path}");
        assert_eq!(r.decoded(), index, "{path}");
    }
    let missing = get(hub.addr, "/linli-ffffffffffffffff.js", &[]);
    assert_eq!(missing.status, 404);
    assert_ne!(
        missing.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(get(hub.addr, "/spaces/nope/manifest.json", &[]).status, 404);
}

#[test]
fn negotiates_brotli_then_gzip_then_identity() {
    let (hub, index, wasm) = Hub::start(true);
    let path = format!("/{WASM_NAME}");
    let br = get(hub.addr, &path, &[("Accept-Encoding", "gzip, deflate, br")]);
    assert_eq!(br.header("content-encoding"), "br");
    assert_eq!(br.header("content-type"), "application/wasm");
    assert!(br
        .header("vary")
        .to_ascii_lowercase()
        .contains("accept-encoding"));
    assert!(
        br.body.len() < wasm.len() / 2,
        "{} vs {}",
        br.body.len(),
        wasm.len()
    );
    assert_eq!(br.decoded(), wasm);

    let gz = get(hub.addr, &path, &[("Accept-Encoding", "gzip")]);
    assert_eq!(gz.header("content-encoding"), "gzip");
    assert_eq!(gz.decoded(), wasm);

    let refused = get(hub.addr, &path, &[("Accept-Encoding", "br;q=0, gzip")]);
    assert_eq!(refused.header("content-encoding"), "gzip");

    let deep = get(hub.addr, "/council", &[("Accept-Encoding", "br")]);
    assert_eq!(deep.header("content-encoding"), "br");
    assert_eq!(deep.decoded(), index);
}

/// Guards the case of a bundle without precompressed siblings (hub pointed at a read-only
/// folder): responses must still be compressed, on the fly.
#[test]
fn compresses_on_the_fly_without_siblings() {
    let (hub, _, wasm) = Hub::start(false);
    let r = get(
        hub.addr,
        &format!("/{WASM_NAME}"),
        &[("Accept-Encoding", "br")],
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-encoding"), "br");
    assert_eq!(r.decoded(), wasm);
}

#[test]
fn stops_cleanly_when_asked() {
    let (hub, _, _) = Hub::start(true);
    let addr = hub.addr;
    assert_eq!(get(addr, "/", &[]).status, 200);
    hub.stop()
        .expect("serve returns Ok after the shutdown signal");
    assert!(
        TcpStream::connect(addr).is_err(),
        "port still open after shutdown"
    );
}
