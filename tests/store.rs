//! Browser tests of the IndexedDB adapter (run by wasm-bindgen-test-runner in headless
//! Chromium): values round-trip, survive closing and reopening the database, and settings
//! fall back to their defaults.
#![cfg(target_arch = "wasm32")]

use linli::i18n::Lang;
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
