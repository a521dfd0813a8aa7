//! Invitation links (`/#e={endpoint}&s={space}&k={secret}`): made by 邀请邻居, read by the
//! join page.

use linli_domain::roster::act::SECRET_BYTES;
use linli_domain::Hex32;

/// An invitation link: the app's root with the endpoint, space and secret in the fragment. A
/// fragment never reaches any server or log, and the root exists on every static host (no
/// deep-link fallback needed); the app moves to its join page when it sees one.
pub fn invite_link(app_origin: &str, endpoint: &str, space: &Hex32, secret: &[u8]) -> String {
    format!(
        "{app_origin}/#e={}&s={}&k={}",
        js_sys::encode_uri_component(endpoint),
        space.to_hex(),
        linli_domain::id::encode_hex(secret)
    )
}

/// A link to follow a community read-only (no secret): what a new phone opens before the
/// council adds it to its member (换手机).
pub fn follow_link(app_origin: &str, endpoint: &str, space: &Hex32) -> String {
    format!(
        "{app_origin}/#e={}&s={}",
        js_sys::encode_uri_component(endpoint),
        space.to_hex()
    )
}

/// The code a phone shows to be added to a member (`linli-device:` and its key in hex).
pub fn device_code(device: &str) -> String {
    format!("{DEVICE_PREFIX}{device}")
}

/// Reads a device code as typed, pasted or scanned (with or without its prefix, spaces and
/// line breaks ignored).
pub fn parse_device_code(code: &str) -> Option<Hex32> {
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let hex = compact.strip_prefix(DEVICE_PREFIX).unwrap_or(&compact);
    Hex32::parse(&hex.to_ascii_lowercase()).ok()
}

const DEVICE_PREFIX: &str = "linli-device:";

/// What a link's fragment carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InviteLink {
    /// Where the community syncs.
    pub endpoint: String,
    /// Its id.
    pub space: Hex32,
    /// The one-time secret; `None` in a link to follow a community read-only.
    pub secret: Option<Vec<u8>>,
}

/// Reads `#e=…&s=…&k=…` (with or without the `#`).
pub fn parse_invite(fragment: &str) -> Option<InviteLink> {
    let mut endpoint = None;
    let mut space = None;
    let mut secret = None;
    for pair in fragment.trim_start_matches('#').split('&') {
        let (k, v) = pair.split_once('=')?;
        match k {
            "e" => {
                endpoint = js_sys::decode_uri_component(v)
                    .ok()
                    .and_then(|s| s.as_string())
            }
            "s" => space = Hex32::parse(v).ok(),
            "k" => secret = linli_domain::id::decode_hex(v).ok(),
            _ => {}
        }
    }
    if secret
        .as_ref()
        .is_some_and(|s| !SECRET_BYTES.contains(&s.len()))
    {
        return None;
    }
    Some(InviteLink {
        endpoint: endpoint.filter(|e| e.starts_with("http://") || e.starts_with("https://"))?,
        space: space?,
        secret,
    })
}

#[cfg(test)]
mod tests {
    use super::{device_code, parse_device_code};

    #[test]
    fn device_codes_read_back_however_they_were_pasted() {
        let key = "ab".repeat(32);
        let code = device_code(&key);
        assert_eq!(code, format!("linli-device:{key}"));
        let parsed = parse_device_code(&code).map(|k| k.to_hex());
        assert_eq!(parsed.as_deref(), Some(key.as_str()));
        // Wrapped by a chat app, in capitals, without the prefix.
        let wrapped = format!(
            " linli-device:{}\n{} ",
            &key[..30],
            &key[30..].to_uppercase()
        );
        assert_eq!(
            parse_device_code(&wrapped).map(|k| k.to_hex()),
            Some(key.clone())
        );
        assert_eq!(
            parse_device_code(&key).map(|k| k.to_hex()),
            Some(key.clone())
        );
        assert!(parse_device_code("这不是码").is_none());
        assert!(parse_device_code(&key[..62]).is_none());
    }
}
