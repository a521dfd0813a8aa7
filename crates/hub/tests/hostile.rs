//! The hostile-input probes of issue 14, each against the real binary on loopback, bounded in
//! time and size. Each reproduces what an anonymous client could do to the hub before it was
//! hardened, and checks that it no longer can:
//!
//! 1. fill the disk with compressed siblings by GETs (of siblings, too);
//! 2. hold connections forever (idle, headers a byte at a time, a body that never ends), and
//!    lock real clients out with idle sockets under a small open-file limit;
//! 3. keep the hub from exiting on SIGTERM with a half-sent request;
//! 4. make 32 first downloads each compress the same file;
//! 5. leave every packed file on disk;
//! 6. share one rate limit among everyone behind a reverse proxy (and spoof the header);
//! 7. make the hub hold many times a body's size (a million tiny items, many large bodies);
//! 8. leave memory behind for every post to a wrong space id, and keep idle spaces loaded;
//! 9. (throughput is `tests/bench/hub-load.mjs`; here: concurrent posts share commits);
//! 10. (the security headers are checked in `serve.rs`);
//! 11. get a 413 for any broken body, lose keep-alive connections without `Connection: close`,
//!     one ETag for three manifest encodings, temporary files never cleaned, anyone founding.
//!
//! Each prints what it measured.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{get, request, Hub, Town};
use linli_domain::{Event, Hex32};
use serde_json::json;

fn space_dir(hub: &Hub, space: Hex32) -> std::path::PathBuf {
    hub.data.join("spaces").join(space.to_hex())
}

fn names(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("space folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn dir_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .expect("space folder")
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

fn listed(hub: &Hub, space: Hex32) -> Vec<(String, u64)> {
    let m = get(hub.addr, &format!("/spaces/{space}/manifest.json"), &[]).json();
    m["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            let path = f["path"].as_str().expect("path").to_owned();
            let size = std::fs::metadata(space_dir(hub, space).join(&path))
                .expect("listed file")
                .len();
            (path, size)
        })
        .collect()
}

/// A community with `n` extra events from its admin (notes the fold rejects, but stored).
fn town_with(n: usize) -> (Town, Vec<Event>) {
    let mut town = Town::new();
    let mut events = vec![town.genesis.clone()];
    for i in 0..n {
        let e = town.admin.sign(
            "note.test",
            &json!({"n": i, "pad": "邻里".repeat(20)}),
            0,
            town.max,
        );
        town.bump(&e);
        events.push(e);
    }
    (town, events)
}

fn waits_for(what: &str, within: Duration, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < within, "{what} within {within:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Reads until the server closes the connection (or `within` passes); how long it took and
/// what was read.
fn read_until_closed(stream: &mut TcpStream, within: Duration) -> (Duration, Vec<u8>) {
    let start = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .expect("timeout");
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while start.elapsed() < within {
        match stream.read(&mut buf) {
            Ok(0) => return (start.elapsed(), got),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => return (start.elapsed(), got),
        }
    }
    (start.elapsed(), got)
}

#[test]
fn probe_1_gets_never_fill_the_disk() {
    let data = tempfile::tempdir().expect("data");
    let hub = Hub::start(data.path(), &[]);
    let (town, events) = town_with(50);
    let refs: Vec<&Event> = events.iter().collect();
    assert_eq!(hub.post(town.space, &refs).status, 200);
    let (file, _) = listed(&hub, town.space).remove(0);
    let space = town.space;
    let path = format!("/spaces/{space}/{file}");
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let addr = hub.addr;
            let path = path.clone();
            std::thread::spawn(move || {
                let enc = if i % 2 == 0 { "br" } else { "gzip" };
                (0..5)
                    .map(|_| get(addr, &path, &[("Accept-Encoding", enc)]).status)
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for t in threads {
        assert!(t.join().expect("reader").iter().all(|s| *s == 200));
    }
    // Siblings, siblings of siblings, temporary and hidden names: none served, none made.
    for bad in [
        format!("{file}.br"),
        format!("{file}.gz"),
        format!("{file}.gz.gz"),
        format!("{file}.br.gz"),
        "manifest.json.br".to_owned(),
        ".manifest.json.1.2.tmp".to_owned(),
        "events-0000000000000000.json".to_owned(),
    ] {
        for enc in ["br", "gzip"] {
            let r = get(
                hub.addr,
                &format!("/spaces/{space}/{bad}"),
                &[("Accept-Encoding", enc)],
            );
            assert_eq!(r.status, 404, "{bad}");
        }
    }
    let on_disk = names(&space_dir(&hub, space));
    assert_eq!(
        on_disk,
        [
            file.clone(),
            format!("{file}.br"),
            format!("{file}.gz"),
            "manifest.json".to_owned()
        ],
        "one sibling per encoding of the listed file, nothing else"
    );
    let jobs = hub.status()["compressions"].as_u64().expect("count");
    println!("probe 1: 40 compressed GETs and 28 of unlisted names: {jobs} compressions, files {on_disk:?}");
    assert_eq!(jobs, 2);
}

#[test]
fn probe_2_idle_slow_and_endless_connections_are_closed() {
    let data = tempfile::tempdir().expect("data");
    let hub = Hub::start(
        data.path(),
        &["--header-timeout", "1", "--body-timeout", "2"],
    );
    // Idle: closed after the header timeout.
    let mut idle = TcpStream::connect(hub.addr).expect("connect");
    let (took, _) = read_until_closed(&mut idle, Duration::from_secs(10));
    println!("probe 2: an idle connection closed after {took:?}");
    assert!(took < Duration::from_secs(4), "{took:?}");

    // Headers a byte at a time.
    let mut slow = TcpStream::connect(hub.addr).expect("connect");
    slow.write_all(b"GET / HTTP/1.1\r\n").expect("write");
    let start = Instant::now();
    let mut closed = false;
    while start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(250));
        if slow.write_all(b"X").is_err() {
            closed = true;
            break;
        }
        slow.set_nonblocking(true).expect("nonblocking");
        let mut b = [0u8; 64];
        match slow.read(&mut b) {
            Ok(0) => {
                closed = true;
                break;
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(_) => {
                closed = true;
                break;
            }
        }
        slow.set_nonblocking(false).expect("blocking");
    }
    println!("probe 2: headers at 4 B/s cut after {:?}", start.elapsed());
    assert!(closed && start.elapsed() < Duration::from_secs(4));

    // A chunked body that never ends: 408 after the body timeout.
    let town = Town::new();
    let mut endless = TcpStream::connect(hub.addr).expect("connect");
    write!(
        endless,
        "POST /spaces/{}/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n[\r\n",
        town.space
    )
    .expect("write");
    let start = Instant::now();
    let mut answer = Vec::new();
    endless
        .set_read_timeout(Some(Duration::from_millis(300)))
        .expect("timeout");
    while start.elapsed() < Duration::from_secs(10) {
        if endless.write_all(b"1\r\n \r\n").is_err() {
            break;
        }
        let mut b = [0u8; 1024];
        match endless.read(&mut b) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&b[..n]),
            Err(_) => {}
        }
        if answer.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let text = String::from_utf8_lossy(&answer);
    println!(
        "probe 2: an endless chunked body answered after {:?}: {}",
        start.elapsed(),
        text.lines().next().unwrap_or("")
    );
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(
        text.to_ascii_lowercase().contains("connection: close"),
        "{text}"
    );
}

#[test]
fn probe_2_idle_sockets_never_lock_clients_out_under_a_small_file_limit() {
    let data = tempfile::tempdir().expect("data");
    // 64 open files, as in the probe; timeouts long, so only the cap's shedding can help.
    let hub = Hub::start_wrapped(
        data.path(),
        &["--header-timeout", "60"],
        &["prlimit", "--nofile=64:64"],
    );
    let idle: Vec<TcpStream> = (0..60)
        .map(|_| TcpStream::connect(hub.addr).expect("connect"))
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let start = Instant::now();
    let r = get(hub.addr, "/", &[]);
    let took = start.elapsed();
    println!(
        "probe 2: with 60 idle sockets and 64 open files, a GET answered {} in {took:?}",
        r.status
    );
    assert_eq!(r.status, 200);
    assert!(took < Duration::from_secs(5), "{took:?}");
    drop(idle);
}

#[test]
fn probe_3_sigterm_exits_within_the_deadline() {
    let data = tempfile::tempdir().expect("data");
    let mut hub = Hub::start(data.path(), &["--shutdown-deadline", "2"]);
    let town = Town::new();
    let mut half = TcpStream::connect(hub.addr).expect("connect");
    write!(
        half,
        "POST /spaces/{}/events HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n[",
        town.space
    )
    .expect("write");
    std::thread::sleep(Duration::from_millis(200));
    let start = Instant::now();
    let exited = hub.terminate(Duration::from_secs(10));
    println!(
        "probe 3: SIGTERM with a half-sent request: exited {exited} after {:?}",
        start.elapsed()
    );
    assert!(exited && start.elapsed() < Duration::from_secs(6));
}

#[test]
fn probe_4_first_downloads_compress_each_file_once() {
    let data = tempfile::tempdir().expect("data");
    let (town, events) = town_with(3_000);
    linli_hub::files::write_space(data.path(), town.space, &events, 10_000).expect("space");
    let hub = Hub::start(data.path(), &[]);
    let (file, size) = listed(&hub, town.space).remove(0);
    let path = format!("/spaces/{}/{file}", town.space);
    let start = Instant::now();
    let threads: Vec<_> = (0..32)
        .map(|_| {
            let addr = hub.addr;
            let path = path.clone();
            std::thread::spawn(move || {
                let t = Instant::now();
                let r = get(addr, &path, &[("Accept-Encoding", "br, gzip")]);
                (t.elapsed(), r)
            })
        })
        .collect();
    let mut times = Vec::new();
    let mut bodies = std::collections::HashSet::new();
    for t in threads {
        let (took, r) = t.join().expect("reader");
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-encoding"), "br");
        bodies.insert(r.decoded());
        times.push(took);
    }
    times.sort();
    let jobs = hub.status()["compressions"].as_u64().expect("count");
    println!(
        "probe 4: 32 first downloads of a {size} B file: {jobs} compression, p50 {:?}, max {:?}, all in {:?}",
        times[16],
        times[31],
        start.elapsed()
    );
    assert_eq!(jobs, 1);
    assert_eq!(bodies.len(), 1, "every phone got the same bytes");
}

#[test]
fn probe_5_packing_leaves_no_replaced_files() {
    let data = tempfile::tempdir().expect("data");
    let mut hub = Hub::start(
        data.path(),
        &["--posts-per-minute", "100000", "--retire-after", "0"],
    );
    let (town, events) = town_with(300);
    assert_eq!(hub.post(town.space, &[&events[0]]).status, 200);
    for e in &events[1..] {
        assert_eq!(hub.post(town.space, &[e]).json()["accepted"], 1);
    }
    let dir = space_dir(&hub, town.space);
    let live: u64 = listed(&hub, town.space).iter().map(|(_, s)| s).sum();
    let disk = dir_bytes(&dir);
    println!(
        "probe 5: 301 one-event posts: {disk} B on disk for {live} B listed ({:.2}×)",
        disk as f64 / live as f64
    );
    assert!(disk <= live * 2, "{disk} on disk for {live} listed");

    // What a SIGKILL or an interrupted pack leaves: swept when the hub starts again.
    std::fs::write(dir.join(".manifest.json.123.4.tmp"), b"{").expect("tmp");
    std::fs::write(dir.join("events-00000000deadbeef.json"), b"[]").expect("orphan");
    assert!(hub.terminate(Duration::from_secs(10)));
    let hub = Hub::start(data.path(), &["--retire-after", "0"]);
    waits_for("the start-up sweep", Duration::from_secs(10), || {
        !dir.join(".manifest.json.123.4.tmp").exists()
            && !dir.join("events-00000000deadbeef.json").exists()
    });
    let stored = linli_hub::files::read_space(&dir).expect("the space reads back");
    assert_eq!(stored.len(), 301);
    drop(hub);
}

#[test]
fn probe_6_each_client_behind_a_trusted_proxy_has_its_own_limit() {
    let data = tempfile::tempdir().expect("data");
    let space = Hex32([3; 32]);
    let post_from = |hub: &Hub, xff: &str| {
        request(
            hub.addr,
            "POST",
            &format!("/spaces/{space}/events"),
            &[("X-Forwarded-For", xff)],
            b"[]",
        )
        .status
    };
    let proxied = Hub::start(
        data.path(),
        &["--posts-per-minute", "2", "--trust-proxy", "127.0.0.1/32"],
    );
    assert_ne!(post_from(&proxied, "10.0.0.1"), 429);
    assert_ne!(post_from(&proxied, "10.0.0.1"), 429);
    assert_eq!(
        post_from(&proxied, "10.0.0.1"),
        429,
        "the third from one client"
    );
    assert_ne!(post_from(&proxied, "10.0.0.2"), 429, "another client");
    assert_eq!(
        post_from(&proxied, "10.0.0.9, 10.0.0.1"),
        429,
        "a spoofed address left of the proxy's is ignored"
    );
    let direct = Hub::start(data.path(), &["--posts-per-minute", "2"]);
    assert_ne!(post_from(&direct, "10.0.0.1"), 429);
    assert_ne!(post_from(&direct, "10.0.0.2"), 429);
    assert_eq!(
        post_from(&direct, "10.0.0.3"),
        429,
        "without --trust-proxy the header is ignored"
    );
    println!("probe 6: behind a trusted proxy, 2 posts/min each per client; the header ignored otherwise");
}

#[test]
fn probe_7_bodies_cannot_take_many_times_their_size() {
    let data = tempfile::tempdir().expect("data");
    let hub = Hub::start(data.path(), &["--posts-per-minute", "100000"]);
    let town = Town::new();
    let baseline = hub.peak_kib();
    // Eight clients declare 16 MB and send a byte: they hold no budget, and a real post
    // goes through at once.
    let mut tricklers: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut s = TcpStream::connect(hub.addr).expect("connect");
            write!(
                s,
                "POST /spaces/{}/events HTTP/1.1\r\nHost: x\r\nContent-Length: 16000000\r\n\r\n[",
                town.space
            )
            .expect("write");
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let t = Instant::now();
    let r = hub.post(town.space, &[&town.genesis]);
    println!(
        "probe 7: with 8 declared-16 MB bodies trickling, a post answered {} in {:?}",
        r.status,
        t.elapsed()
    );
    assert_eq!(r.status, 200);
    assert!(t.elapsed() < Duration::from_secs(3));
    tricklers.clear();
    // A million tiny items: refused as they stream in.
    let tiny = {
        let mut b = b"[".to_vec();
        b.extend(std::iter::repeat_n(b"1,".as_slice(), 1_000_000).flatten());
        b.extend_from_slice(b"1]");
        b
    };
    // One 16 MB string: the budget bounds how many are held at once.
    let huge = {
        let mut b = b"[\"".to_vec();
        b.extend(std::iter::repeat_n(b'a', 16 * 1024 * 1024 - 8));
        b.extend_from_slice(b"\"]");
        b
    };
    let threads: Vec<_> = (0..16)
        .map(|i| {
            let addr = hub.addr;
            let body = if i % 2 == 0 {
                tiny.clone()
            } else {
                huge.clone()
            };
            let space = town.space;
            std::thread::spawn(move || {
                common::try_request(addr, "POST", &format!("/spaces/{space}/events"), &[], &body)
                    .map(|r| r.status)
                    .unwrap_or(0)
            })
        })
        .collect();
    let statuses: Vec<u16> = threads
        .into_iter()
        .map(|t| t.join().expect("poster"))
        .collect();
    let peak = hub.peak_kib();
    println!(
        "probe 7: 16 concurrent bodies (8 of a million items, 8 of 16 MB): statuses {statuses:?}; peak memory {} MB (baseline {} MB)",
        peak / 1024,
        baseline / 1024
    );
    for (i, s) in statuses.iter().enumerate() {
        if i % 2 == 0 {
            assert_eq!(*s, 413, "a million items");
        } else {
            assert!([200, 404, 503].contains(s) || *s == 0, "{s}");
        }
    }
    assert!(peak < baseline + 300 * 1024, "peak {peak} KiB");
}

#[test]
fn probe_8_memory_is_returned() {
    let data = tempfile::tempdir().expect("data");
    let hub = Hub::start(
        data.path(),
        &["--posts-per-minute", "100000", "--idle-space", "2"],
    );
    // Posts to spaces that do not exist leave nothing behind.
    let (stranger, _) = {
        let mut t = Town::new();
        let e = t.admin.sign("note.test", &json!({}), 0, 0);
        (e, t)
    };
    for i in 0..500u32 {
        let mut id = [0u8; 32];
        id[..4].copy_from_slice(&i.to_le_bytes());
        let r = hub.post(Hex32(id), &[&stranger]);
        assert_eq!(r.status, 404);
    }
    assert_eq!(hub.status()["spaces"]["slots"], 0, "{}", hub.status());
    // An empty post does not load a space.
    let (town, events) = town_with(200);
    linli_hub::files::write_space(data.path(), town.space, &events, 10_000).expect("space");
    assert_eq!(hub.post(town.space, &[]).status, 200);
    assert_eq!(hub.status()["spaces"]["loaded"], 0, "{}", hub.status());
    // A real post loads it; idle, it leaves memory.
    let more = {
        let mut t = town;
        t.admin.sign("note.test", &json!({"more": 1}), 0, t.max)
    };
    assert_eq!(hub.post(events[0].id, &[&more]).json()["accepted"], 1);
    assert_eq!(hub.status()["spaces"]["loaded"], 1);
    waits_for("the idle space evicted", Duration::from_secs(10), || {
        hub.status()["spaces"]["slots"] == 0
    });
    println!("probe 8: 500 posts to wrong ids leave no slot; an empty post loads nothing; an idle space leaves memory");
}

#[test]
fn probe_9_concurrent_posts_share_commits() {
    let data = tempfile::tempdir().expect("data");
    let hub = Hub::start(data.path(), &["--posts-per-minute", "100000"]);
    let mut town = Town::new();
    let mut setup = vec![town.genesis.clone()];
    let mut devices = Vec::new();
    for n in 0..40 {
        setup.push(town.invite(n));
        let (dev, join) = town.join(n);
        setup.push(join);
        devices.push(dev);
    }
    let refs: Vec<&Event> = setup.iter().collect();
    assert_eq!(hub.post(town.space, &refs).json()["accepted"], 81);
    let before = hub.status()["spaces"]["commits"].as_u64().expect("commits");
    let max = town.max;
    let threads: Vec<_> = devices
        .into_iter()
        .map(|mut dev| {
            let addr = hub.addr;
            let space = town.space;
            std::thread::spawn(move || {
                (0..5)
                    .map(|i| {
                        let e = dev.sign("note.test", &json!({"i": i}), 0, max);
                        let body = format!("[{}]", e.envelope);
                        request(
                            addr,
                            "POST",
                            &format!("/spaces/{space}/events"),
                            &[],
                            body.as_bytes(),
                        )
                        .json()["accepted"]
                            .as_u64()
                            .expect("accepted")
                    })
                    .sum::<u64>()
            })
        })
        .collect();
    let accepted: u64 = threads.into_iter().map(|t| t.join().expect("poster")).sum();
    assert_eq!(accepted, 200);
    let commits = hub.status()["spaces"]["commits"].as_u64().expect("commits") - before;
    println!("probe 9: 200 posts from 40 clients at once in {commits} commits");
    assert!(commits < 200, "{commits} commits for 200 posts");
    let dir = space_dir(&hub, town.space);
    let stored = linli_hub::files::read_space(&dir).expect("reads back");
    assert_eq!(stored.len(), 281);
}

#[test]
fn probe_11_errors_say_what_happened_and_close_when_they_must() {
    let data = tempfile::tempdir().expect("data");
    let hub = Hub::start(
        data.path(),
        &["--posts-per-minute", "3", "--max-body", "4096"],
    );
    let town = Town::new();
    // A broken chunked body is a 400, not "over 16777216 bytes".
    let mut s = TcpStream::connect(hub.addr).expect("connect");
    write!(
        s,
        "POST /spaces/{}/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n[]\r\n0\r\n\r\n",
        town.space
    )
    .expect("write");
    let (_, got) = read_until_closed(&mut s, Duration::from_secs(5));
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with("HTTP/1.1 400"), "{text}");
    // Early answers (body unread) close the connection, and say so.
    let big = vec![b' '; 5000];
    let r = hub.post_raw(town.space, &big);
    assert_eq!(r.status, 413);
    assert_eq!(r.header("connection"), "close");
    let r = request(hub.addr, "POST", "/spaces/XYZ/events", &[], b"[]");
    assert_eq!((r.status, r.header("connection")), (404, "close"));
    let r = hub.post_raw(town.space, b"[]");
    assert_eq!((r.status, r.header("connection")), (429, "close"));

    // The manifest's three encodings, three tags.
    let open = Hub::start(data.path(), &[]);
    let inv = {
        let mut t = Town::new();
        let i = t.invite(1);
        (t, i)
    };
    assert_eq!(
        open.post(inv.0.space, &[&inv.0.genesis, &inv.1]).status,
        200
    );
    let path = format!("/spaces/{}/manifest.json", inv.0.space);
    let tags: std::collections::HashSet<String> = ["br", "gzip", "identity"]
        .iter()
        .map(|enc| {
            get(open.addr, &path, &[("Accept-Encoding", enc)])
                .header("etag")
                .to_owned()
        })
        .collect();
    assert_eq!(tags.len(), 3, "{tags:?}");

    // Founding: only clients the policy names.
    let elsewhere = tempfile::tempdir().expect("data");
    let fresh = Town::new();
    let closed = Hub::start(elsewhere.path(), &["--found-from", "10.0.0.0/8"]);
    let r = closed.post(fresh.space, &[&fresh.genesis]);
    assert_eq!(r.status, 403, "loopback is not in 10.0.0.0/8");
    let closed = Hub::start(elsewhere.path(), &["--no-new-spaces"]);
    assert_eq!(closed.post(fresh.space, &[&fresh.genesis]).status, 403);
    let open = Hub::start(elsewhere.path(), &[]);
    let r = open.post(fresh.space, &[&fresh.genesis]);
    assert_eq!(r.status, 200, "by default, this machine may");
    println!("probe 11: 400 for a broken body, Connection: close on early answers, 3 manifest tags, founding by policy");
}
