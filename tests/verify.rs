//! Browser tests of signature checking with WebCrypto doing the arithmetic: Chromium's engine
//! passes the probes, and a batch with good, forged, tampered and small-order-key events gets
//! exactly the verdicts `ed25519-dalek` gives on its own.
#![cfg(target_arch = "wasm32")]

use base64::Engine as _;
use linli::sync::verify;
use linli_domain::fastverify::SMALL_ORDER_ENCODINGS;
use linli_domain::{ChainWriter, Opener};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn batch() -> String {
    let mut admin = ChainWriter::new(&[1; 32], None);
    let genesis = admin.sign(
        "space.genesis",
        &serde_json::json!({"name": "幸福里"}),
        0,
        0,
    );
    let mut envs = vec![genesis.envelope.clone()];
    for i in 0..50u32 {
        let e = admin.sign("note.test", &serde_json::json!({"n": i}), 0, 0);
        envs.push(e.envelope);
    }
    // A forged signature (another key's), a tampered body, junk, and a small-order key with
    // an all-zero signature (which a cofactored or lax engine might accept).
    let other = ChainWriter::new(&[2; 32], None);
    let forged = other.signer().seal(br#"{"author":"00"}"#);
    envs.push(forged.envelope);
    let tampered = genesis
        .envelope
        .replacen("\"body\":\"ey", "\"body\":\"ez", 1);
    envs.push(tampered);
    envs.push(r#"{"v":1}"#.to_owned());
    // Small-order keys with R = the identity and S = 0: for the identity key the
    // cofactorless equation holds ([0]B - [k]A = identity = R), so an engine alone accepts it;
    // verify_strict (and so Linli) does not.
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let identity = linli_domain::id::decode_hex(SMALL_ORDER_ENCODINGS[0]).unwrap_or_default();
    let sig = b64.encode([identity, vec![0u8; 32]].concat());
    for weak in SMALL_ORDER_ENCODINGS {
        let body = format!(
            r#"{{"author":"{weak}","seq":1,"prev":null,"lamport":1,"ts":0,"kind":"space.genesis","payload":{{"name":"x"}}}}"#
        );
        envs.push(format!(
            r#"{{"v":1,"body":"{}","sig":"{sig}"}}"#,
            b64.encode(body)
        ));
    }
    format!("[{}]", envs.join(","))
}

#[wasm_bindgen_test]
async fn webcrypto_verdicts_equal_verify_strict() {
    verify::reset();
    let text = batch();
    let expected: Vec<_> = Opener::default()
        .open_batch(&text)
        .expect("batch")
        .into_iter()
        .map(|r| r.map(|e| e.id).map_err(|u| u.code))
        .collect();
    let got: Vec<_> = verify::open_batch(&mut Opener::default(), &text)
        .await
        .expect("batch")
        .into_iter()
        .map(|r| r.map(|e| e.id).map_err(|u| u.code))
        .collect();
    assert_eq!(
        verify::engine_in_use(),
        Some(true),
        "Chromium's WebCrypto passes the probes"
    );
    assert_eq!(got, expected);
    assert_eq!(expected.iter().filter(|r| r.is_ok()).count(), 51);
    assert_eq!(
        expected.iter().filter(|r| r.is_err()).count(),
        3 + SMALL_ORDER_ENCODINGS.len()
    );
}
