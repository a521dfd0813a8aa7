//! The security headers on a real hub: the Content-Security-Policy, `X-Frame-Options` and
//! `Permissions-Policy` on the app shell and its deep links (documents only);
//! `--connect-src` widening `connect-src` (and refusing what is not an origin); and
//! `docs/security.md` giving nginx exactly the policy the hub sends.

use std::collections::HashMap;
use std::process::Command;

use linli_hub::csp::{content_security_policy, PERMISSIONS_POLICY};

mod common;
use common::{get, Hub};

/// The policy's directives: name → sources.
fn directives(csp: &str) -> HashMap<String, Vec<String>> {
    csp.split(';')
        .filter_map(|d| {
            let mut words = d.split_whitespace();
            let name = words.next()?.to_owned();
            Some((name, words.map(str::to_owned).collect()))
        })
        .collect()
}

#[test]
fn the_app_shell_carries_the_policy() {
    let data = tempfile::tempdir().expect("data");
    let hub = Hub::start(data.path(), &[]);
    for path in ["/", "/council", "/volunteer/activity/x", "/index.html"] {
        let r = get(hub.addr, path, &[]);
        assert_eq!(r.status, 200, "{path}");
        let csp = r.header("content-security-policy");
        let d = directives(csp);
        assert_eq!(d["default-src"], ["'self'"], "{path}: {csp}");
        assert_eq!(
            d["script-src"],
            ["'self'", "'wasm-unsafe-eval'"],
            "{path}: {csp}"
        );
        assert_eq!(d["connect-src"], ["'self'"], "{path}: {csp}");
        assert_eq!(d["frame-ancestors"], ["'none'"], "{path}: {csp}");
        assert_eq!(d["object-src"], ["'none'"], "{path}: {csp}");
        assert_eq!(d["worker-src"], ["'self'", "blob:"], "{path}: {csp}");
        assert!(!csp.contains("'unsafe-eval'"), "{path}: {csp}");
        assert_eq!(r.header("x-frame-options"), "DENY", "{path}");
        assert_eq!(r.header("permissions-policy"), PERMISSIONS_POLICY, "{path}");
        assert!(
            r.header("permissions-policy")
                .starts_with("camera=(self), clipboard-write=(self), microphone=()"),
            "{path}"
        );
    }
    // Not on what is not a document: browsers ignore them there, and they would weigh on
    // every file of the first load.
    let space = "0".repeat(64);
    for path in ["/missing.js", &format!("/spaces/{space}/manifest.json")] {
        let r = get(hub.addr, path, &[]);
        assert_eq!(r.header("content-security-policy"), "", "{path}");
        assert_eq!(r.header("x-content-type-options"), "nosniff", "{path}");
    }
}

#[test]
fn connect_src_takes_the_configured_origins() {
    let data = tempfile::tempdir().expect("data");
    let hub = Hub::start(
        data.path(),
        &[
            "--connect-src",
            "https://data.example.org/",
            "--connect-src",
            "https://*.mirror.example",
        ],
    );
    let r = get(hub.addr, "/", &[]);
    assert_eq!(
        directives(r.header("content-security-policy"))["connect-src"],
        [
            "'self'",
            "https://data.example.org",
            "https://*.mirror.example"
        ]
    );
}

#[test]
fn connect_src_refuses_what_is_not_an_origin() {
    for bad in ["'unsafe-inline'", "https://a.example; script-src *", "*"] {
        let out = Command::new(env!("CARGO_BIN_EXE_linli-hub"))
            .args(["serve", "--addr", "127.0.0.1:0", "--connect-src", bad])
            .output()
            .expect("run the hub");
        assert!(!out.status.success(), "{bad:?} was taken");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("connect-src"), "{bad:?}: {err}");
    }
}

/// The nginx lines in `docs/security.md` say exactly what the hub sends.
#[test]
fn the_docs_give_nginx_the_same_headers() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/security.md"
    ))
    .expect("docs/security.md");
    let nginx = |name: &str| {
        let prefix = format!("add_header {name} \"");
        doc.lines()
            .find_map(|l| l.trim().strip_prefix(prefix.as_str()))
            .and_then(|rest| rest.strip_suffix("\" always;"))
            .unwrap_or_else(|| panic!("no `add_header {name} \"…\" always;` in docs/security.md"))
            .to_owned()
    };
    assert_eq!(
        nginx("Content-Security-Policy"),
        content_security_policy(&[])
    );
    assert_eq!(nginx("Permissions-Policy"), PERMISSIONS_POLICY);
    assert_eq!(nginx("X-Frame-Options"), "DENY");
}
