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
