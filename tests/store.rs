//! Browser tests of the IndexedDB adapter (run by wasm-bindgen-test-runner in headless
//! Chromium): values round-trip, survive closing and reopening the database, and settings
//! fall back to their defaults.
#![cfg(target_arch = "wasm32")]

use linli::i18n::Lang;
use linli::store::log::{OutboxItem, SpaceRecord};
use linli::store::settings::Settings;
use linli::store::Store;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Each test gets its own database so tests never see each other's data or the app's.
async fn fresh(name: &str) -> Store {
    rexie::Rexie::delete(name)
        .await
        .expect("delete old test database");
    Store::open_named(name).await.expect("open")
}

#[wasm_bindgen_test]
async fn a_value_round_trips_and_survives_reopening() {
    let name = "linli-test-roundtrip";
    let store = fresh(name).await;
    assert_eq!(store.get::<String>("greeting").await.expect("get"), None);
    store.put("greeting", &"你好，邻里").await.expect("put");
    store.put("count", &42u32).await.expect("put");
    assert_eq!(
        store
            .get::<String>("greeting")
            .await
            .expect("get")
            .as_deref(),
        Some("你好，邻里")
    );
    store.close();

    let reopened = Store::open_named(name).await.expect("reopen");
    assert_eq!(
        reopened
            .get::<String>("greeting")
            .await
            .expect("get after reopen")
            .as_deref(),
        Some("你好，邻里")
    );
    assert_eq!(reopened.get::<u32>("count").await.expect("get"), Some(42));
    reopened.put("count", &43u32).await.expect("overwrite");
    assert_eq!(reopened.get::<u32>("count").await.expect("get"), Some(43));
    reopened.close();
}

#[wasm_bindgen_test]
async fn settings_default_then_persist() {
    let name = "linli-test-settings";
    let store = fresh(name).await;
    assert_eq!(
        Settings::load(&store).await.expect("load"),
        Settings::default()
    );
    assert_eq!(Settings::default().lang, Lang::ZhCn);
    Settings::save_lang(&store, Lang::En)
        .await
        .expect("save lang");
    Settings::save_large_text(&store, true)
        .await
        .expect("save large text");
    store.close();

    let store = Store::open_named(name).await.expect("reopen");
    let loaded = Settings::load(&store).await.expect("load");
    assert_eq!(
        loaded,
        Settings {
            lang: Lang::En,
            large_text: true
        }
    );
    store.close();
}

/// A value of the wrong shape (written by another version, or tampered with) is a read
/// error for that key, not a crash, and it is left in place.
#[wasm_bindgen_test]
async fn a_value_of_the_wrong_shape_is_a_read_error() {
    let name = "linli-test-shape";
    let store = fresh(name).await;
    store.put("large_text", &"not a bool").await.expect("put");
    let err = Settings::load(&store).await.expect_err("must not parse");
    assert!(matches!(err, linli::store::StoreError::Read(_)), "{err:?}");
    assert_eq!(
        store
            .get::<String>("large_text")
            .await
            .expect("still there")
            .as_deref(),
        Some("not a bool")
    );
    store.close();
}

/// An unknown language tag (from a newer version) keeps the default instead of failing.
#[wasm_bindgen_test]
async fn an_unknown_language_keeps_the_default() {
    let name = "linli-test-unknown-lang";
    let store = fresh(name).await;
    store.put("lang", &"tlh").await.expect("put");
    assert_eq!(Settings::load(&store).await.expect("load").lang, Lang::ZhCn);
    store.close();
}

/// Version 1 had only `settings`. Opening it with the current schema must keep every setting
/// (rexie deletes undeclared stores: the store list never drops one) and add the new stores.
#[wasm_bindgen_test]
async fn upgrading_from_version_1_keeps_everything() {
    let name = "linli-test-upgrade";
    rexie::Rexie::delete(name).await.expect("delete");
    let v1 = rexie::Rexie::builder(name)
        .version(1)
        .add_object_store(rexie::ObjectStore::new("settings"))
        .build()
        .await
        .expect("open v1");
    let tx = v1
        .transaction(&["settings"], rexie::TransactionMode::ReadWrite)
        .expect("tx");
    let st = tx.store("settings").expect("store");
    st.put(&"en".into(), Some(&"lang".into()))
        .await
        .expect("put");
    st.put(&true.into(), Some(&"large_text".into()))
        .await
        .expect("put");
    tx.commit().await.expect("commit");
    v1.close();

    let store = Store::open_named(name).await.expect("upgrade to current");
    let mut names = store.store_names();
    names.sort();
    let mut expected: Vec<String> = linli::store::STORES
        .iter()
        .map(|(n, _)| (*n).to_owned())
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    assert_eq!(
        Settings::load(&store).await.expect("settings survive"),
        Settings {
            lang: Lang::En,
            large_text: true
        }
    );
    assert!(linli::store::STORES
        .iter()
        .all(|(_, since)| *since <= linli::store::DB_VERSION));
    store.close();
}

fn record(space: &str) -> SpaceRecord {
    SpaceRecord {
        space: space.to_owned(),
        name: "幸福里".into(),
        ..SpaceRecord::default()
    }
}

/// 2,500 envelopes land in three chunks of at most 1,000, read back in order, across
/// appends that start mid-chunk; another space's events stay apart.
#[wasm_bindgen_test]
async fn events_are_chunked_and_read_back_in_order() {
    let store = fresh("linli-test-chunks").await;
    let mut r = record("aa");
    // Envelopes are JSON objects; the store keeps them as bytes of JSON arrays.
    let env = |i: u32| format!("{{\"v\":1,\"n\":\"e{i:05}\"}}");
    let first: Vec<String> = (0..700).map(env).collect();
    let rest: Vec<String> = (700..2500).map(env).collect();
    store.append(&mut r, &first, &[]).await.expect("append");
    assert_eq!((r.chunks, r.last_chunk_len, r.events), (1, 700, 700));
    store.append(&mut r, &rest, &[]).await.expect("append");
    assert_eq!((r.chunks, r.last_chunk_len, r.events), (3, 500, 2500));
    let mut other = record("ab");
    store
        .append(&mut other, &["{\"x\":1}".to_owned()], &[])
        .await
        .expect("other space");
    let back = store.events("aa").await.expect("read");
    assert_eq!(back.len(), 2500);
    assert!(back.windows(2).all(|w| w[0] < w[1]), "in order");
    assert_eq!(
        store.events("ab").await.expect("read"),
        vec!["{\"x\":1}".to_owned()]
    );
    let spaces = store.spaces().await.expect("spaces");
    assert_eq!(spaces.len(), 2);
    assert!(spaces.contains(&r));
    store.close();
}

/// Outbox entries commit with their events, and leave only when settled.
#[wasm_bindgen_test]
async fn the_outbox_keeps_events_until_settled() {
    let store = fresh("linli-test-outbox").await;
    let mut r = record("cc");
    let items: Vec<OutboxItem> = (0..3)
        .map(|i| OutboxItem {
            id: format!("id{i}"),
            envelope: format!("{{\"env\":{i}}}"),
            tries: 0,
        })
        .collect();
    let envs: Vec<String> = items.iter().map(|o| o.envelope.clone()).collect();
    store.append(&mut r, &envs, &items).await.expect("append");
    assert_eq!(store.outbox("cc").await.expect("outbox").len(), 3);
    let retried = OutboxItem {
        tries: 1,
        ..items[2].clone()
    };
    r.last_sync_ms = Some(1.0);
    store
        .settle(
            &r,
            &["id0".to_owned(), "id1".to_owned()],
            std::slice::from_ref(&retried),
        )
        .await
        .expect("settle");
    assert_eq!(store.outbox("cc").await.expect("outbox"), vec![retried]);
    assert_eq!(
        store.spaces().await.expect("spaces")[0].last_sync_ms,
        Some(1.0)
    );
    // Closing and reopening keeps all of it.
    store.close();
    let store = Store::open_named("linli-test-outbox")
        .await
        .expect("reopen");
    assert_eq!(store.outbox("cc").await.expect("outbox").len(), 1);
    assert_eq!(store.events("cc").await.expect("events").len(), 3);
    store.close();
}

/// A device key signs events that any verifier accepts, and survives being stored: a
/// WebCrypto key when the browser has Ed25519 (Chromium does), else a seed.
#[wasm_bindgen_test]
async fn keys_sign_verifiable_events_and_survive_storage() {
    use linli::store::keys::new_signer;
    let store = fresh("linli-test-keys").await;
    let (signer, seed) = new_signer().await.expect("a key");
    assert_eq!(signer.kind(), "webcrypto", "Chromium has WebCrypto Ed25519");
    assert!(seed.is_none(), "a WebCrypto key has no seed to store");
    store
        .put_key("dd", &signer, seed.as_ref())
        .await
        .expect("store key");
    store.close();
    let store = Store::open_named("linli-test-keys").await.expect("reopen");
    let back = store.key("dd").await.expect("read").expect("present");
    assert_eq!(back.device(), signer.device());
    let payload = serde_json::json!({"name": "幸福里"});
    let draft = linli_domain::Draft {
        space: None,
        seq: 1,
        prev: None,
        lamport: 1,
        ts: 0,
        kind: "space.genesis",
        payload: &payload,
    };
    let event = back.sign(&draft).await.expect("signs");
    // Verified from the envelope alone, as the hub and other phones do.
    let opened = linli_domain::open(&event.envelope).expect("verifies");
    assert_eq!(opened.author, signer.device());
    assert!(store.key("nope").await.expect("read").is_none());
    store.close();
}
