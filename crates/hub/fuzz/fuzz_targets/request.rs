//! Any bytes as what a client sends the hub before it acts: never a panic, and
//! - the item counter agrees with a real JSON parse on every valid array (the same count, or
//!   "too many" exactly when there are more than 10,000), whatever the chunking of the body;
//! - an `X-Forwarded-For` header is only believed from a trusted proxy, and never yields a
//!   trusted address as the client;
//! - a name the hub serves from a space never leaves the space folder, and is never a
//!   compressed sibling or a temporary file.
#![no_main]

use std::net::IpAddr;

use axum::http::{header, HeaderMap, HeaderValue};
use ipnet::IpNet;
use libfuzzer_sys::fuzz_target;
use linli_domain::envelope::MAX_BATCH;
use linli_hub::request::{accepted_encoding, client_address, servable, CountError, ItemCounter};
use serde_json::value::RawValue;

fuzz_target!(|data: &[u8]| {
    // The body, whole and in two chunks cut at a place the input chooses.
    let cut = data.first().map_or(0, |b| usize::from(*b)).min(data.len());
    let mut whole = ItemCounter::default();
    let one = whole.feed(data);
    let mut split = ItemCounter::default();
    let two = split.feed(&data[..cut]).and_then(|()| split.feed(&data[cut..]));
    assert_eq!(one, two, "the chunking changes nothing");
    if one.is_ok() {
        assert_eq!(whole.items, split.items);
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(text) {
        if items.len() > MAX_BATCH {
            assert_eq!(one, Err(CountError::TooMany));
        } else {
            assert_eq!(one, Ok(()));
            assert_eq!(whole.items, items.len());
        }
    }

    // Headers.
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(text) {
        headers.insert(header::ACCEPT_ENCODING, v.clone());
        headers.insert("x-forwarded-for", v);
    }
    let enc = accepted_encoding(&headers);
    assert!(matches!(enc, None | Some("br" | "gzip")));
    let trusted: [IpNet; 2] = ["127.0.0.0/8".parse().expect("net"), "10.0.0.0/8".parse().expect("net")];
    let stranger = IpAddr::from([203, 0, 113, 7]);
    assert_eq!(client_address(stranger, &headers, &trusted), stranger, "only a proxy is believed");
    let proxy = IpAddr::from([127, 0, 0, 1]);
    let client = client_address(proxy, &headers, &trusted);
    assert!(client == proxy || !trusted.iter().any(|n| n.contains(&client)));

    // Names.
    if servable(text) {
        assert!(!text.starts_with('/') && !text.split('/').any(|s| s == ".." || s.is_empty()));
        assert!(!text.ends_with(".br") && !text.ends_with(".gz") && !text.ends_with(".tmp"));
    }
});
