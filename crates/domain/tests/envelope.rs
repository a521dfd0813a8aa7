//! The wire format: what opens, and what each malformed envelope or body is rejected as.

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use linli_domain::envelope::{open, open_batch, sha256, MAX_BATCH, MAX_BODY_BYTES};
use linli_domain::{Code, DeviceSigner, Payload};

fn envelope(body: &[u8], sig: &[u8]) -> String {
    format!(
        r#"{{"v":1,"body":"{}","sig":"{}"}}"#,
        URL_SAFE_NO_PAD.encode(body),
        URL_SAFE_NO_PAD.encode(sig)
    )
}

fn body(author: &str, extra: &str) -> String {
    format!(
        r#"{{"space":"{}","author":"{author}","seq":1,"prev":null,"lamport":1,"ts":5,"kind":"member.join","payload":{{"secret":"{}","name":"李四"}}{extra}}}"#,
        "ab".repeat(32),
        "11".repeat(16)
    )
}

fn code_of(envelope: &str) -> Code {
    match open(envelope) {
        Ok(e) => panic!("opened {:?}", e.id),
        Err(u) => u.code,
    }
}

#[test]
fn a_signed_body_opens_with_its_id_and_fields() {
    let signer = DeviceSigner::from_seed(&common::seed(1));
    let text = body(&signer.device().to_hex(), "");
    let sealed = signer.seal(text.as_bytes());
    let event = open(&sealed.envelope).expect("opens");
    assert_eq!(event.id, sha256(text.as_bytes()));
    assert_eq!(event.author, signer.device());
    assert_eq!((event.seq, event.lamport, event.ts), (1, 1, 5));
    assert_eq!(event.prev, None);
    assert!(matches!(
        event.payload,
        Payload::Command(linli_domain::Command::Roster(
            linli_domain::roster::Act::Join(_)
        ))
    ));
    assert_eq!(event.envelope, sealed.envelope);
}

#[test]
fn signatures_are_checked_strictly_over_the_exact_bytes() {
    let signer = DeviceSigner::from_seed(&common::seed(1));
    let text = body(&signer.device().to_hex(), "");
    let sealed = signer.seal(text.as_bytes());
    let sig = URL_SAFE_NO_PAD
        .decode(
            sealed
                .envelope
                .split("\"sig\":\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .expect("sig"),
        )
        .expect("b64");

    // One byte changed: same author, different bytes.
    let tampered = text.replace("李四", "李五");
    assert_eq!(
        code_of(&envelope(tampered.as_bytes(), &sig)),
        Code::BadSignature
    );
    // Whitespace added: same JSON meaning, different bytes. Bodies are never re-serialized.
    let spaced = text.replacen('{', "{ ", 1);
    assert_eq!(
        code_of(&envelope(spaced.as_bytes(), &sig)),
        Code::BadSignature
    );
    // Signed by a stranger in the author's name.
    let stranger = DeviceSigner::from_seed(&common::seed(2)).seal(text.as_bytes());
    assert_eq!(code_of(&stranger.envelope), Code::BadSignature);
    // Without the context prefix.
    use ed25519_dalek::Signer as _;
    let raw = ed25519_dalek::SigningKey::from_bytes(&common::seed(1)).sign(text.as_bytes());
    assert_eq!(
        code_of(&envelope(text.as_bytes(), &raw.to_bytes())),
        Code::BadSignature
    );
    // A non-canonical S (S + L) is refused by strict verification.
    let mut s_plus_l = sig.clone();
    add_group_order(&mut s_plus_l[32..]);
    assert_eq!(
        code_of(&envelope(text.as_bytes(), &s_plus_l)),
        Code::BadSignature
    );
    // A small-order author key (the identity point) is refused.
    let weak = body(&format!("01{}", "00".repeat(31)), "");
    assert_eq!(
        code_of(&envelope(weak.as_bytes(), &[0u8; 64])),
        Code::BadSignature
    );
}

/// Adds the Ed25519 group order L to a little-endian scalar.
fn add_group_order(s: &mut [u8]) {
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let mut carry = 0u16;
    for i in 0..32 {
        let v = u16::from(s[i]) + u16::from(L[i]) + carry;
        s[i] = v as u8;
        carry = v >> 8;
    }
}

#[test]
fn malformed_envelopes_are_bad_envelope() {
    let signer = DeviceSigner::from_seed(&common::seed(1));
    let good = signer
        .seal(body(&signer.device().to_hex(), "").as_bytes())
        .envelope;
    let cases = [
        "not json".to_owned(),
        "[]".to_owned(),
        good.replace("\"v\":1", "\"v\":2"),
        good.replace("{\"v\":1,", "{\"v\":1,\"x\":0,"),
        good.replace("{\"v\":1,", "{\"v\":1,\"v\":1,"),
        good.replace("\"body\":\"", "\"body\":\"=="),
        good.replace("\"sig\":\"", "\"sig\":\"AAAA"),
        r#"{"v":1,"body":"e30","sig":"AAAA"}"#.to_owned(),
    ];
    for case in cases {
        assert_eq!(code_of(&case), Code::BadEnvelope, "{case}");
    }
}

#[test]
fn malformed_bodies_are_malformed_and_keep_their_id() {
    let signer = DeviceSigner::from_seed(&common::seed(1));
    let me = signer.device().to_hex();
    let good = body(&me, "");
    let cases = [
        body(&me, r#","extra":1"#),
        body(&me, r#","seq":2"#),
        good.replace(r#""ts":5,"#, ""),
        good.replace(r#""prev":null,"#, ""),
        good.replacen(
            &format!(r#""space":"{}","#, "ab".repeat(32)),
            r#""space":null,"#,
            1,
        ),
        good.replace(r#""seq":1"#, r#""seq":0"#),
        good.replace(r#""seq":1"#, r#""seq":-1"#),
        good.replace(r#""lamport":1"#, r#""lamport":"1""#),
        good.replace(r#""kind":"member.join""#, r#""kind":"""#),
        good.replace(&me, &me.to_uppercase()),
    ];
    for case in cases {
        let sealed = signer.seal(case.as_bytes());
        let err = open(&sealed.envelope).expect_err(&case);
        assert!(
            matches!(err.code, Code::Malformed | Code::BadSignature),
            "{case}: {:?}",
            err.code
        );
        assert_eq!(
            err.id,
            sha256(case.as_bytes()),
            "the id is the body's even when it fails"
        );
    }
    let payload_list = good.replace(
        &format!(r#"{{"secret":"{}","name":"李四"}}"#, "11".repeat(16)),
        "[1]",
    );
    assert_eq!(
        open(&signer.seal(payload_list.as_bytes()).envelope)
            .map(|_| ())
            .expect_err("must not open")
            .code,
        Code::Malformed
    );
}

#[test]
fn limits_are_enforced_before_parsing() {
    let signer = DeviceSigner::from_seed(&common::seed(1));
    let me = signer.device().to_hex();
    let padding = format!(r#","pad":"{}""#, "x".repeat(MAX_BODY_BYTES));
    let huge = signer.seal(body(&me, &padding).as_bytes());
    assert_eq!(code_of(&huge.envelope), Code::OverLimit);

    let one = signer.seal(body(&me, "").as_bytes()).envelope;
    let batch = format!("[{}]", vec![one.as_str(); MAX_BATCH + 1].join(","));
    assert!(open_batch(&batch).is_err());
    let ok = format!("[{one},{one},\"junk\"]");
    let opened = open_batch(&ok).expect("a batch of three");
    assert_eq!(opened.len(), 3);
    assert!(opened[0].is_ok() && opened[1].is_ok());
    assert_eq!(
        opened[2]
            .as_ref()
            .map(|_| ())
            .expect_err("must not open")
            .code,
        Code::BadEnvelope
    );
    assert!(open_batch("{}").is_err());
}

#[test]
fn a_signature_made_elsewhere_assembles_into_the_same_event() {
    use linli_domain::envelope::{assemble, signing_message};
    use linli_domain::{DeviceSigner, Draft};
    let signer = DeviceSigner::from_seed(&[4; 32]);
    let payload = serde_json::json!({"name": "幸福里"});
    let draft = Draft {
        space: None,
        seq: 1,
        prev: None,
        lamport: 1,
        ts: 5,
        kind: "space.genesis",
        payload: &payload,
    };
    let direct = signer.sign(&draft);
    // As WebCrypto would: sign the message bytes with the same key, then assemble.
    let body = draft.body(signer.device());
    let key = ed25519_dalek::SigningKey::from_bytes(&[4; 32]);
    use ed25519_dalek::Signer as _;
    let sig = key.sign(&signing_message(&body)).to_bytes();
    let assembled = assemble(&body, &sig).expect("opens");
    assert_eq!(assembled, direct);
    // A signature by another key never becomes an event.
    let other = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
    let wrong = other.sign(&signing_message(&body)).to_bytes();
    assert_eq!(
        assemble(&body, &wrong).map_err(|u| u.code),
        Err(linli_domain::Code::BadSignature)
    );
    // Read back from the device's own store, without the signature check: the same event.
    let mut opener = linli_domain::Opener::default();
    assert_eq!(opener.open_trusted(&direct.envelope), Ok(direct.clone()));
}

#[test]
fn prepare_and_finish_give_open_s_verdicts_whatever_an_engine_says() {
    use linli_domain::{Opener, Unopened};
    let mut signer = linli_domain::ChainWriter::new(&[6; 32], None);
    let good = signer.sign(
        "space.genesis",
        &serde_json::json!({"name": "幸福里"}),
        0,
        0,
    );
    let tampered = good.envelope.replacen("\"sig\":\"", "\"sig\":\"AA", 1);
    let mut opener = Opener::default();
    for env in [good.envelope.as_str(), tampered.as_str()] {
        let expected = linli_domain::open(env).map_err(|u: Unopened| u.code);
        for engine in [None, Some(true), Some(false)] {
            let got = opener
                .prepare(env)
                .and_then(|u| {
                    // An engine that lies "valid" is believed only when verify_strict agrees:
                    // for a well-formed signature that cannot be checked here, so a lying engine
                    // would be caught by the probes; a tampered sig fails to decode first.
                    opener.finish(u, engine)
                })
                .map_err(|u| u.code);
            if engine == Some(true) && expected.is_err() {
                // A forged acceptance of a malformed signature still fails before the engine.
                assert!(got.is_err() || expected.is_ok());
            } else {
                assert_eq!(
                    got.map(|e| e.id),
                    expected.clone().map(|e| e.id),
                    "{engine:?}"
                );
            }
        }
    }
    // A small-order author is never left to an engine.
    let weak = linli_domain::Hex32::parse(linli_domain::fastverify::SMALL_ORDER_ENCODINGS[0])
        .unwrap_or_default();
    let body = format!(
        r#"{{"author":"{}","seq":1,"prev":null,"lamport":1,"ts":0,"kind":"space.genesis","payload":{{"name":"x"}}}}"#,
        weak.to_hex()
    );
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let env = format!(
        r#"{{"v":1,"body":"{}","sig":"{}"}}"#,
        b64.encode(body.as_bytes()),
        b64.encode([0u8; 64])
    );
    let u = opener.prepare(&env).expect("prepared");
    assert!(!u.engine_may_decide());
    assert_eq!(
        opener.finish(u, Some(true)).map_err(|u| u.code).err(),
        Some(linli_domain::Code::BadSignature)
    );
}
