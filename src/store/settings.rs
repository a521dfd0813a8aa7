//! Device settings: each one a key in the `settings` object store.
//!
//! Kept as separate keys rather than one record so that adding a setting needs no schema
//! migration and a value that cannot be read only costs that one setting.

use super::{Store, StoreError};
use crate::i18n::Lang;

const LANG: &str = "lang";
const LARGE_TEXT: &str = "large_text";

/// Everything the shell needs before its first paint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// The interface language (zh-CN unless the user chose otherwise).
    pub lang: Lang,
    /// 适老化 — large text and high contrast.
    pub large_text: bool,
}

impl Settings {
    /// Reads every setting; a missing one keeps its default.
    pub async fn load(store: &Store) -> Result<Settings, StoreError> {
        let mut settings = Settings::default();
        if let Some(tag) = store.get::<String>(LANG).await? {
            // An unknown tag (say, from a newer version) keeps the default rather than failing.
            settings.lang = Lang::from_tag(&tag).unwrap_or_default();
        }
        if let Some(large) = store.get::<bool>(LARGE_TEXT).await? {
            settings.large_text = large;
        }
        Ok(settings)
    }

    /// Stores the interface language.
    pub async fn save_lang(store: &Store, lang: Lang) -> Result<(), StoreError> {
        store.put(LANG, &lang.tag()).await
    }

    /// Stores the large-text choice.
    pub async fn save_large_text(store: &Store, on: bool) -> Result<(), StoreError> {
        store.put(LARGE_TEXT, &on).await
    }
}

/// A choice made but perhaps not yet stored: IndexedDB commits a moment after the choice is
/// applied, so a reload in between would forget it. Each choice is first written here,
/// synchronously, to `localStorage` under [`PENDING`] (`{"lang": tag, "large_text": bool}`),
/// and taken off once IndexedDB has it; the next start applies and stores what is still here.
pub mod pending {
    use super::{Lang, Settings, Store, StoreError, LANG, LARGE_TEXT};
    use wasm_bindgen::JsValue;

    /// The `localStorage` key.
    pub const PENDING: &str = "linli-pending-settings";

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    fn read(storage: &web_sys::Storage) -> js_sys::Object {
        storage
            .get_item(PENDING)
            .ok()
            .flatten()
            .and_then(|text| js_sys::JSON::parse(&text).ok())
            .filter(JsValue::is_object)
            .map(Into::into)
            .unwrap_or_default()
    }

    fn write(storage: &web_sys::Storage, saved: &js_sys::Object) {
        if js_sys::Object::keys(saved).length() == 0 {
            let _ = storage.remove_item(PENDING);
        } else if let Ok(text) = js_sys::JSON::stringify(saved) {
            let _ = storage.set_item(PENDING, &String::from(text));
        }
    }

    /// Notes a choice before it is stored (best effort: without `localStorage` the choice
    /// is stored as before, a moment later).
    pub fn note(key: &str, value: JsValue) {
        if let Some(storage) = storage() {
            let saved = read(&storage);
            let _ = js_sys::Reflect::set(&saved, &key.into(), &value);
            write(&storage, &saved);
        }
    }

    /// The choice is stored: forgets it, unless a newer one replaced it meanwhile.
    pub fn stored(key: &str, value: JsValue) {
        if let Some(storage) = storage() {
            let saved = read(&storage);
            if js_sys::Reflect::get(&saved, &key.into()).is_ok_and(|v| v == value) {
                let _ = js_sys::Reflect::delete_property(&saved, &key.into());
                write(&storage, &saved);
            }
        }
    }

    /// Applies the choices still waiting to `settings` and stores them.
    pub async fn settle(store: &Store, settings: &mut Settings) -> Result<(), StoreError> {
        let Some(storage) = storage() else {
            return Ok(());
        };
        let saved = read(&storage);
        let lang = js_sys::Reflect::get(&saved, &LANG.into()).ok();
        if let Some(tag) = lang.as_ref().and_then(JsValue::as_string) {
            if let Some(chosen) = Lang::from_tag(&tag) {
                settings.lang = chosen;
                Settings::save_lang(store, chosen).await?;
            }
            stored(LANG, JsValue::from(tag));
        }
        let large = js_sys::Reflect::get(&saved, &LARGE_TEXT.into()).ok();
        if let Some(on) = large.as_ref().and_then(JsValue::as_bool) {
            settings.large_text = on;
            Settings::save_large_text(store, on).await?;
            stored(LARGE_TEXT, JsValue::from(on));
        }
        Ok(())
    }
}
