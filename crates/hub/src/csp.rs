//! The security headers: a strict Content-Security-Policy, `X-Frame-Options` and
//! `Permissions-Policy`, sent with every HTML response — `index.html` and the app routes that
//! answer with it (`docs/security.md` gives the same for nginx and a CDN).
//!
//! The policy, directive by directive:
//!
//! - `default-src 'self'`: everything the app loads (its scripts, wasm parts, icons, manifest)
//!   comes from its own origin.
//! - `script-src 'self' 'wasm-unsafe-eval'`: no inline script at all (`index.html` loads its two
//!   small scripts from files, each with an `integrity` hash), no `eval`; WebAssembly may be
//!   compiled, which is all `'wasm-unsafe-eval'` allows.
//! - `style-src 'self' 'unsafe-inline'`: the CSS is inlined into `index.html` (no stylesheet
//!   request before the first paint) and its hashes change with every CSS edit, so the header,
//!   the same for every build, allows inline styles, and the build narrows that itself: it
//!   writes a `<meta http-equiv="Content-Security-Policy">` at the top of `index.html` whose
//!   `style-src` lists the SHA-256 of each of its `<style>` elements and nothing else inline
//!   (`.ci/split.sh`). A page must satisfy every policy it has, so what runs is the meta's:
//!   exactly the build's own `<style>` elements, and no `style` attribute. The app sets its few
//!   computed widths through the CSSOM, which no policy restricts.
//! - `connect-src 'self'` plus the origins given with `--connect-src`: the sync endpoints the
//!   app may fetch from and push to when they are not this hub.
//! - `worker-src 'self' blob:`: the service worker (`/sw.js`) and the signature-check workers,
//!   which start from a Blob URL the app's own module makes (`src/sync/workers.js`): only
//!   running script can mint one, and `script-src` allows no `blob:`.
//! - `object-src 'none'; base-uri 'none'; form-action 'self'`: no plugins, no `<base>` to
//!   redirect relative URLs, forms only to this origin.
//! - `frame-ancestors 'none'` (with `X-Frame-Options: DENY` for old browsers): no site may frame
//!   the app — the three-tap vote must never sit under someone else's page (clickjacking).
//!
//! `Permissions-Policy` turns off every powerful feature but the camera (reading QR codes:
//! volunteer check-in, adding a phone) and writing the clipboard (copying an invitation link),
//! which only this origin may use.

use axum::http::{header, HeaderMap, HeaderValue};

/// Sources every deployment allows, before the configured `connect-src` origins.
const BASE: [(&str, &str); 11] = [
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self' blob:"),
    ("manifest-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
];

/// `Permissions-Policy`: the camera and writing the clipboard for this origin, nothing else.
pub const PERMISSIONS_POLICY: &str = "camera=(self), clipboard-write=(self), \
    microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), midi=(), \
    display-capture=(), screen-wake-lock=(), accelerometer=(), gyroscope=(), magnetometer=(), \
    fullscreen=(), clipboard-read=(), publickey-credentials-get=(), xr-spatial-tracking=(), \
    idle-detection=(), browsing-topics=(), local-fonts=(), window-management=(), \
    encrypted-media=(), otp-credentials=(), identity-credentials-get=()";

/// `X-Frame-Options`, for browsers older than `frame-ancestors`.
pub const X_FRAME_OPTIONS: &str = "DENY";

/// The `Content-Security-Policy` value, with `connect_src` (origins such as
/// `https://data.example.org`, checked by [`connect_source`]) added to `connect-src`.
pub fn content_security_policy(connect_src: &[String]) -> String {
    BASE.iter()
        .map(|(name, sources)| {
            let mut d = format!("{name} {sources}");
            if *name == "connect-src" {
                for s in connect_src {
                    d.push(' ');
                    d.push_str(s);
                }
            }
            d
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Checks one `--connect-src` value: an origin (`https://data.example.org`,
/// `https://*.example.org`, `http://127.0.0.1:9000`) or a scheme (`https:`), returned without a
/// trailing `/`. Keywords, paths, IPv6 literals and anything that could end the directive are
/// refused.
pub fn connect_source(value: &str) -> Result<String, String> {
    let v = value.trim().trim_end_matches('/');
    let refuse = |why: &str| Err(format!("{value:?} is not an origin for connect-src: {why}"));
    if v.is_empty() {
        return refuse("it is empty");
    }
    let Some((scheme, rest)) = v.split_once(':') else {
        return refuse("write it as https://host[:port]");
    };
    if scheme.is_empty()
        || !scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return refuse("no scheme");
    }
    if rest.is_empty() {
        return Ok(v.to_owned()); // a scheme source, `https:`
    }
    let Some(authority) = rest.strip_prefix("//") else {
        return refuse("write it as https://host[:port]");
    };
    let (host, port) = match authority.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    let name = host.strip_prefix("*.").unwrap_or(host);
    let host_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    let port_ok = port.is_none_or(|p| p == "*" || (!p.is_empty() && p.parse::<u16>().is_ok()));
    if !host_ok || !port_ok {
        return refuse("no path, query, quotes or spaces; only scheme://host[:port]");
    }
    Ok(v.to_owned())
}

/// The header values, made once from the configuration.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    csp: HeaderValue,
}

impl SecurityHeaders {
    /// The headers for these extra `connect-src` origins (already checked by
    /// [`connect_source`]; one that is not a valid header value is left out).
    pub fn new(connect_src: &[String]) -> SecurityHeaders {
        let valid: Vec<String> = connect_src
            .iter()
            .filter_map(|s| connect_source(s).ok())
            .collect();
        let csp = HeaderValue::from_str(&content_security_policy(&valid))
            .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
        SecurityHeaders { csp }
    }

    /// Adds the three headers to a response's when it is HTML, a document: browsers apply
    /// them to documents only (the app's workers start from Blob URLs and inherit the page's
    /// policy), and on every script and part they would only add a kilobyte each to the first
    /// load.
    pub fn insert(&self, headers: &mut HeaderMap) {
        let html = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("text/html"));
        if !html {
            return;
        }
        headers.insert(header::CONTENT_SECURITY_POLICY, self.csp.clone());
        headers.insert(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static(X_FRAME_OPTIONS),
        );
        headers.insert(
            "permissions-policy",
            HeaderValue::from_static(PERMISSIONS_POLICY),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_is_strict_and_takes_the_configured_origins() {
        let csp = content_security_policy(&[]);
        assert!(csp.starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval';"));
        assert!(csp.contains("; connect-src 'self';"));
        assert!(csp.ends_with("; frame-ancestors 'none'"));
        assert!(!csp.contains("'unsafe-eval'"));
        let script = csp
            .split("; ")
            .find(|d| d.starts_with("script-src"))
            .expect("script-src");
        assert!(!script.contains("unsafe-inline"));
        let with = content_security_policy(&["https://data.example.org".into(), "https:".into()]);
        assert!(with.contains("; connect-src 'self' https://data.example.org https:;"));
    }

    #[test]
    fn connect_sources_are_origins_only() {
        for ok in [
            "https://data.example.org",
            "https://data.example.org/",
            "https://*.example.org",
            "http://127.0.0.1:9000",
            "https:",
        ] {
            assert!(connect_source(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            connect_source("https://a.example/").as_deref(),
            Ok("https://a.example")
        );
        for bad in [
            "",
            "'unsafe-inline'",
            "*",
            "data.example.org",
            "https://a.example/path",
            "https://a.example; script-src *",
            "https://a.example https://b.example",
            "https://a.*.example",
            "https://a.example:port",
            "https://a.example?x=1",
        ] {
            assert!(connect_source(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn headers_are_inserted_into_documents_only() {
        let security = SecurityHeaders::new(&["https://data.example.org".into()]);
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/wasm"),
        );
        security.insert(&mut h);
        assert_eq!(h.len(), 1);
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        security.insert(&mut h);
        assert!(h[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("ASCII")
            .contains("connect-src 'self' https://data.example.org;"));
        assert_eq!(h[header::X_FRAME_OPTIONS], "DENY");
        assert!(h["permissions-policy"]
            .to_str()
            .expect("ASCII")
            .starts_with("camera=(self)"));
    }
}
