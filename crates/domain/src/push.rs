//! Where a space's events are posted when its files are read from somewhere else (a bucket, a
//! CDN, a mirror): the manifest's `push`, a hub's base URL (`docs/sync.md`, "Reads from one
//! place, posts to another"). One check for the hub that writes it and the app that follows it.

/// Checks a push base URL: absolute `http(s)://` with a host, no query, fragment or
/// whitespace. Returns it without a trailing `/`, or why it is not one.
pub fn push_url(s: &str) -> Result<String, String> {
    let trimmed = s.trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or_else(|| format!("{s}: a push URL starts with https:// (or http://)"))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || s.contains(['?', '#']) || s.chars().any(char::is_whitespace) {
        return Err(format!(
            "{s}: a push URL is scheme://host[:port][/path], without query or fragment"
        ));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::push_url;

    #[test]
    fn push_urls_are_checked() {
        assert_eq!(
            push_url("https://hub.example.org/").as_deref(),
            Ok("https://hub.example.org")
        );
        assert_eq!(
            push_url("http://127.0.0.1:8081/x").as_deref(),
            Ok("http://127.0.0.1:8081/x")
        );
        for bad in [
            "hub.example.org",
            "ftp://x",
            "https://",
            "https:///x",
            "https://h/?a",
            "https://h/#a",
            "https://h /",
        ] {
            assert!(push_url(bad).is_err(), "{bad}");
        }
    }
}
