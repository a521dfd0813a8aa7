//! What the app knows before its first paint: the device's settings (language, large text)
//! and the store, read before mounting so that a reload never flashes the wrong language —
//! or, when storage is slow to answer, defaults that are replaced when it does.

use std::rc::Rc;

use leptos::prelude::*;

use crate::i18n::{Common, I18n, Lang};
use crate::store::settings::{pending, Settings};
use crate::store::{Notice, Store, StoreError};

/// The open store, shared by every page. `None` until IndexedDB answers, or for good when it
/// could not be opened: the app still works for browsing and says that nothing will be saved.
#[derive(Clone, Copy)]
pub struct StoreHandle(pub RwSignal<Option<Rc<Store>>, LocalStorage>);

impl StoreHandle {
    /// The store, if it opened.
    pub fn get(&self) -> Option<Rc<Store>> {
        self.0.with_untracked(Clone::clone)
    }

    /// Whether the store is open (tracked: views update when IndexedDB answers).
    pub fn is_open(&self) -> bool {
        self.0.with(Option::is_some)
    }
}

/// The last storage problem to show the user; pages set it, the banner clears it.
#[derive(Clone, Copy)]
pub struct StoreErrors(pub RwSignal<Option<StoreError>>);

/// 适老化 — large text and high contrast, chosen in 我的.
#[derive(Clone, Copy)]
pub struct LargeText(pub RwSignal<bool>);

/// The app's state from before the first paint: created before mounting so that the device's
/// settings can arrive either before the first paint (the usual case) or after it.
#[derive(Clone, Copy)]
pub struct Boot {
    pub(crate) lang: RwSignal<Lang>,
    pub(crate) large_text: RwSignal<bool>,
    pub(crate) store: RwSignal<Option<Rc<Store>>, LocalStorage>,
    pub(crate) errors: RwSignal<Option<StoreError>>,
    /// Whether the settings have been read (or failed to be): `data-ready` on the shell.
    pub(crate) ready: RwSignal<bool>,
}

impl Boot {
    /// Defaults, before storage has answered.
    pub fn new() -> Boot {
        let defaults = Settings::default();
        Boot {
            lang: RwSignal::new(defaults.lang),
            large_text: RwSignal::new(defaults.large_text),
            store: RwSignal::new_local(None),
            errors: RwSignal::new(None),
            ready: RwSignal::new(false),
        }
    }

    /// A session that reads the store and reports to the banner this boot provides.
    pub fn session(&self) -> crate::session::Session {
        crate::session::Session::new(self.store, self.errors)
    }

    /// What [`open_store`] found.
    pub fn apply(
        &self,
        (store, settings, error): (Option<Rc<Store>>, Settings, Option<StoreError>),
    ) {
        self.store.set(store);
        self.lang.set(settings.lang);
        self.large_text.set(settings.large_text);
        if error.is_some() {
            self.errors.set(error);
        } else if self.errors.get_untracked() == Some(StoreError::Blocked) {
            // The other tab let go: opening went on by itself.
            self.errors.set(None);
        }
        self.ready.set(true);
    }

    /// Provides the contexts every page reads.
    pub fn provide(&self) {
        let (lang, set_lang) = self.lang.split();
        provide_context(I18n { lang, set_lang });
        provide_context(StoreHandle(self.store));
        provide_context(StoreErrors(self.errors));
        provide_context(LargeText(self.large_text));
    }
}

impl Default for Boot {
    fn default() -> Self {
        Boot::new()
    }
}

/// Opens the database and reads the settings, never failing: a problem comes back as the
/// error to show, with defaults in place. While another tab blocks the opening, and once
/// another tab's upgrade closed the connection, the banner says so (in the language this
/// phone last showed, since the settings cannot be read then).
pub async fn open_store(boot: Boot) -> (Option<Rc<Store>>, Settings, Option<StoreError>) {
    let notify = move |notice| {
        let error = match notice {
            Notice::Blocked => {
                if let Some(lang) = crate::first_paint::last_lang() {
                    boot.lang.set(lang);
                }
                StoreError::Blocked
            }
            Notice::Closed => StoreError::Upgraded,
        };
        boot.errors.set(Some(error));
    };
    match Store::open(notify).await {
        Err(e) => (None, Settings::default(), Some(e)),
        Ok(store) => match Settings::load(&store).await {
            Ok(mut settings) => {
                // A choice made just before the last reload may not have reached IndexedDB.
                let error = pending::settle(&store, &mut settings).await.err();
                (Some(Rc::new(store)), settings, error)
            }
            Err(e) => (Some(Rc::new(store)), Settings::default(), Some(e)),
        },
    }
}

/// The text to show for a storage problem, in the user's language.
pub fn store_error_text(m: &'static Common, e: &StoreError) -> &'static str {
    match e {
        StoreError::Unavailable(_) => m.store_unavailable,
        StoreError::Quota(_) => m.store_quota,
        StoreError::Read(_) => m.store_read_failed,
        StoreError::Write(_) => m.store_write_failed,
        StoreError::Blocked => m.store_blocked,
        StoreError::Upgraded => m.store_upgraded,
    }
}

/// A language the user picked: applied at once, then stored; a failed save is reported and
/// the choice still holds for this visit.
pub fn choose_lang(lang: Lang) {
    let i18n = expect_context::<I18n>();
    i18n.set_lang.set(lang);
    let tag = move || wasm_bindgen::JsValue::from(lang.tag());
    pending::note("lang", tag());
    persist(move |store| async move {
        Settings::save_lang(&store, lang).await?;
        pending::stored("lang", tag());
        Ok(())
    });
}

/// The large-text choice, applied and stored like [`choose_lang`].
pub fn choose_large_text(on: bool) {
    expect_context::<LargeText>().0.set(on);
    pending::note("large_text", on.into());
    persist(move |store| async move {
        Settings::save_large_text(&store, on).await?;
        pending::stored("large_text", on.into());
        Ok(())
    });
}

fn persist<F, Fut>(save: F)
where
    F: FnOnce(Rc<Store>) -> Fut + 'static,
    Fut: std::future::Future<Output = Result<(), StoreError>> + 'static,
{
    let errors = expect_context::<StoreErrors>().0;
    let Some(store) = expect_context::<StoreHandle>().get() else {
        errors.set(Some(StoreError::Unavailable("no database".into())));
        return;
    };
    leptos::task::spawn_local(async move {
        if let Err(e) = save(store).await {
            errors.set(Some(e));
        }
    });
}
