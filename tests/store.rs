//! Browser tests of the IndexedDB adapter (run by wasm-bindgen-test-runner in headless
//! Chromium): values round-trip, survive closing and reopening the database, and settings
//! fall back to their defaults; and its faults — a write that fails half-way keeps nothing of
//! its transaction, an upgrade blocked by another tab waits and says so, another tab's
//! upgrade closes this connection — with the database's other tabs played by plain JS.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use linli::i18n::Lang;
use linli::store::log::{OutboxItem, SpaceRecord};
use linli::store::settings::Settings;
use linli::store::{Notice, Store, StoreError};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
const requestDone = (q) => new Promise((ok, no) => { q.onsuccess = () => ok(q.result); q.onerror = () => no(q.error); });
export function deleteDb(name) { return requestDone(indexedDB.deleteDatabase(name)); }
// Version 1 of the app's database (only `settings`), held open by a tab of an older app that
// never closes it for an upgrade.
export async function openV1(name, lang) {
  const q = indexedDB.open(name, 1);
  q.onupgradeneeded = () => q.result.createObjectStore("settings");
  const db = await requestDone(q);
  db.onversionchange = null;
  const tx = db.transaction(["settings"], "readwrite");
  tx.objectStore("settings").put(lang, "lang");
  tx.objectStore("settings").put(true, "large_text");
  await new Promise((ok) => (tx.oncomplete = ok));
  return db;
}
export function closeDb(db) { db.close(); }
// Another tab asks for `version`: "upgrading" when it may go on (it then gives up, so the
// database stays as it is), "blocked" when a connection of this page holds it back.
export function askForVersion(name, version) {
  return new Promise((ok) => {
    const q = indexedDB.open(name, version);
    q.onblocked = () => ok("blocked");
    q.onupgradeneeded = () => { q.transaction.abort(); ok("upgrading"); };
    q.onerror = (e) => e.preventDefault();
  });
}
// Makes every put into `store` fail: "throw" throws a QuotaExceededError (no request is
// made); "abort" makes the request, then the browser aborts its transaction.
let original = null;
export function failPuts(store, how) {
  original ??= IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (...args) {
    if (this.name !== store) return original.apply(this, args);
    if (how === "throw") throw new DOMException("injected: the disk is full", "QuotaExceededError");
    const request = original.apply(this, args);
    this.transaction.abort();
    return request;
  };
}
export function restorePuts() { if (original) IDBObjectStore.prototype.put = original; }
export function sleep(ms) { return new Promise((ok) => setTimeout(ok, ms)); }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = deleteDb)]
    fn delete_db(name: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = openV1)]
    fn open_v1(name: &str, lang: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = closeDb)]
    fn close_db(db: &JsValue);
    #[wasm_bindgen(js_name = askForVersion)]
    fn ask_for_version(name: &str, version: u32) -> js_sys::Promise;
    #[wasm_bindgen(js_name = failPuts)]
    fn fail_puts(store: &str, how: &str);
    #[wasm_bindgen(js_name = restorePuts)]
    fn restore_puts();
    fn sleep(ms: u32) -> js_sys::Promise;
}

async fn done(p: js_sys::Promise) -> JsValue {
    JsFuture::from(p).await.expect("the JS helper resolves")
}

/// Each test gets its own database so tests never see each other's data or the app's.
async fn fresh(name: &str) -> Store {
    done(delete_db(name)).await;
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

/// A choice noted but not yet stored (the page reloaded before IndexedDB committed it) is
/// applied and stored at the next start, and then forgotten; one already stored is forgotten
/// at once; and a newer choice is not forgotten when an older one's save completes.
#[wasm_bindgen_test]
async fn a_choice_made_just_before_a_reload_is_kept() {
    use linli::store::settings::pending;
    let name = "linli-test-pending";
    let store = fresh(name).await;
    let local = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage");
    local.remove_item(pending::PENDING).expect("clear");
    pending::note("lang", "en".into());
    pending::note("large_text", true.into());
    // The reload came before either save.
    let mut settings = Settings::load(&store).await.expect("load");
    assert_eq!(settings, Settings::default());
    pending::settle(&store, &mut settings)
        .await
        .expect("settle");
    let expected = Settings {
        lang: Lang::En,
        large_text: true,
    };
    assert_eq!(settings, expected);
    assert_eq!(local.get_item(pending::PENDING).ok().flatten(), None);
    assert_eq!(Settings::load(&store).await.expect("load"), expected);

    // An older save completing does not forget a newer choice.
    pending::note("lang", "en".into());
    pending::note("lang", "zh-CN".into());
    pending::stored("lang", "en".into());
    let mut settings = Settings::load(&store).await.expect("load");
    pending::settle(&store, &mut settings)
        .await
        .expect("settle");
    assert_eq!(settings.lang, Lang::ZhCn);
    assert_eq!(local.get_item(pending::PENDING).ok().flatten(), None);
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
/// and add the new stores.
#[wasm_bindgen_test]
async fn upgrading_from_version_1_keeps_everything() {
    let name = "linli-test-upgrade";
    done(delete_db(name)).await;
    let v1 = done(open_v1(name, "en")).await;
    close_db(&v1);

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

/// A space with 700 events in its log and one in its outbox.
async fn space_with_unsent(store: &Store, space: &str) -> (SpaceRecord, OutboxItem) {
    let mut r = record(space);
    let env = |i: u32| format!("{{\"v\":1,\"n\":\"e{i:05}\"}}");
    let first: Vec<String> = (0..699).map(env).collect();
    store.append(&mut r, &first, &[]).await.expect("append");
    let unsent = OutboxItem {
        id: "mine".into(),
        envelope: env(699),
        tries: 0,
    };
    store
        .append(
            &mut r,
            std::slice::from_ref(&unsent.envelope),
            std::slice::from_ref(&unsent),
        )
        .await
        .expect("append own");
    (r, unsent)
}

/// A write that fails half-way keeps nothing of its transaction: the chunk it had already
/// written, the outbox entry and the record all stay as they were, whether the failing
/// request threw (here a full disk; the rest of the transaction would otherwise commit on
/// its own) or the browser aborted the transaction.
#[wasm_bindgen_test]
async fn a_write_that_fails_half_way_keeps_nothing_of_it() {
    for (how, name) in [
        ("throw", "linli-test-fault-throw"),
        ("abort", "linli-test-fault-abort"),
    ] {
        let store = fresh(name).await;
        let (r, unsent) = space_with_unsent(&store, "ee").await;
        let mut attempt = r.clone();
        let item = OutboxItem {
            id: "lost?".into(),
            envelope: "{\"v\":1,\"n\":\"new\"}".into(),
            tries: 0,
        };
        fail_puts("outbox", how);
        let result = store
            .append(
                &mut attempt,
                std::slice::from_ref(&item.envelope),
                std::slice::from_ref(&item),
            )
            .await;
        restore_puts();
        let err = result.expect_err("the write fails");
        match how {
            "throw" => assert!(matches!(err, StoreError::Quota(_)), "{how}: {err:?}"),
            _ => assert!(matches!(err, StoreError::Write(_)), "{how}: {err:?}"),
        }
        assert_eq!(attempt, r, "{how}: the record is not moved on");
        store.close();
        // What is on disk, read afresh: exactly what was there before.
        let store = Store::open_named(name).await.expect("reopen");
        assert_eq!(
            store.spaces().await.expect("spaces"),
            vec![r.clone()],
            "{how}"
        );
        assert_eq!(
            store.events("ee").await.expect("events").len(),
            700,
            "{how}"
        );
        assert_eq!(
            store.outbox("ee").await.expect("outbox"),
            vec![unsent],
            "{how}"
        );
        // And the next write goes through.
        let mut next = r.clone();
        store
            .append(
                &mut next,
                std::slice::from_ref(&item.envelope),
                std::slice::from_ref(&item),
            )
            .await
            .expect("a write after the fault");
        assert_eq!(
            store.events("ee").await.expect("events").len(),
            701,
            "{how}"
        );
        assert_eq!(store.outbox("ee").await.expect("outbox").len(), 2, "{how}");
        store.close();
    }
}

/// Notices from the store, as the page would get them.
fn recorder() -> (Rc<RefCell<Vec<Notice>>>, impl Fn(Notice) + 'static) {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let into = seen.clone();
    (seen, move |n| into.borrow_mut().push(n))
}

/// A tab of an older app holds the database at version 1 and never lets go for an upgrade:
/// opening says it is blocked (the page shows why) and carries on, with everything, once that
/// tab closes.
#[wasm_bindgen_test]
async fn an_upgrade_blocked_by_another_tab_waits_says_so_and_carries_on() {
    let name = "linli-test-blocked";
    done(delete_db(name)).await;
    let old_tab = done(open_v1(name, "en")).await;
    let (seen, notify) = recorder();
    let opening = Rc::new(RefCell::new(None));
    let result = opening.clone();
    wasm_bindgen_futures::spawn_local(async move {
        *result.borrow_mut() = Some(Store::open_with(name, notify).await);
    });
    for _ in 0..100 {
        if !seen.borrow().is_empty() {
            break;
        }
        done(sleep(20)).await;
    }
    assert_eq!(
        *seen.borrow(),
        vec![Notice::Blocked],
        "the page is told at once"
    );
    done(sleep(200)).await;
    assert!(
        opening.borrow().is_none(),
        "still waiting for the other tab"
    );
    close_db(&old_tab);
    for _ in 0..100 {
        if opening.borrow().is_some() {
            break;
        }
        done(sleep(20)).await;
    }
    let store = opening
        .borrow_mut()
        .take()
        .expect("opened once the other tab closed")
        .expect("opens");
    assert_eq!(
        Settings::load(&store).await.expect("settings survive"),
        Settings {
            lang: Lang::En,
            large_text: true
        }
    );
    store.close();
}

/// Another tab (a newer app) asks for a higher version: this connection closes at once, so
/// that tab is not blocked; the page is told, and every later call says the database was
/// upgraded elsewhere rather than failing some other way. Nothing stored is touched.
#[wasm_bindgen_test]
async fn another_tabs_upgrade_closes_this_connection() {
    let name = "linli-test-versionchange";
    done(delete_db(name)).await;
    let (seen, notify) = recorder();
    let store = Store::open_with(name, notify).await.expect("open");
    let (r, unsent) = space_with_unsent(&store, "ff").await;
    let answer = done(ask_for_version(name, linli::store::DB_VERSION + 1)).await;
    assert_eq!(
        answer.as_string().as_deref(),
        Some("upgrading"),
        "not blocked by this page"
    );
    assert_eq!(*seen.borrow(), vec![Notice::Closed]);
    assert_eq!(
        store.put("lang", &"en").await,
        Err(StoreError::Upgraded),
        "a write says why"
    );
    assert_eq!(
        store.outbox("ff").await,
        Err(StoreError::Upgraded),
        "so does a read"
    );
    // The other tab gave up its upgrade: reopening finds everything.
    let store = Store::open_named(name).await.expect("reopen");
    assert_eq!(store.spaces().await.expect("spaces"), vec![r]);
    assert_eq!(store.outbox("ff").await.expect("outbox"), vec![unsent]);
    store.close();
}
