//! The root component: contexts, the router and the phone shell around every page.

use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::{BottomNav, ErrorBanner, SyncBadge};
use crate::i18n::{I18n, Lang, Messages};
use crate::pages::{
    Council, Create, Diagnostics, Home, Invite, Join, Me, Meeting, Members, NewMeeting,
    NewProposal, NotFound, Points, PrintMeeting, PrintProposal, Proposal, Volunteer,
};
use crate::session::Session;
use crate::store::settings::Settings;
use crate::store::{Store, StoreError};

/// The open store, shared by every page. `None` until IndexedDB answers, or for good when it
/// could not be opened: the app still works for browsing and says that nothing will be saved.
#[derive(Clone, Copy)]
pub struct StoreHandle(RwSignal<Option<Rc<Store>>, LocalStorage>);

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
/// settings can arrive either before the first paint (the usual case: no flash of the wrong
/// language) or after it (storage slow to answer: the app shows defaults rather than nothing).
#[derive(Clone, Copy)]
pub struct Boot {
    lang: RwSignal<Lang>,
    large_text: RwSignal<bool>,
    store: RwSignal<Option<Rc<Store>>, LocalStorage>,
    errors: RwSignal<Option<StoreError>>,
    /// Whether the settings have been read (or failed to be): `data-ready` on the shell.
    ready: RwSignal<bool>,
}

impl Boot {
    /// Shows a storage problem found after start-up (reading the community back, say).
    pub fn report(&self, e: StoreError) {
        self.errors.set(Some(e));
    }
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
        }
        self.ready.set(true);
    }
}

impl Default for Boot {
    fn default() -> Self {
        Boot::new()
    }
}

/// Opens the database and reads the settings, never failing: a problem comes back as the
/// error to show, with defaults in place.
pub async fn open_store() -> (Option<Rc<Store>>, Settings, Option<StoreError>) {
    match Store::open().await {
        Err(e) => (None, Settings::default(), Some(e)),
        Ok(store) => match Settings::load(&store).await {
            Ok(settings) => (Some(Rc::new(store)), settings, None),
            Err(e) => (Some(Rc::new(store)), Settings::default(), Some(e)),
        },
    }
}

/// The text to show for a storage problem, in the user's language.
pub fn store_error_text(m: &'static Messages, e: &StoreError) -> &'static str {
    match e {
        StoreError::Unavailable(_) => m.store_unavailable,
        StoreError::Quota(_) => m.store_quota,
        StoreError::Read(_) => m.store_read_failed,
        StoreError::Write(_) => m.store_write_failed,
    }
}

/// The whole app.
#[component]
pub fn App(
    /// Settings and storage, filled in when IndexedDB answers.
    boot: Boot,
    /// The joined community, filled in once the store is read.
    session: Session,
) -> impl IntoView {
    provide_context(session);
    let (lang, set_lang) = boot.lang.split();
    provide_context(I18n { lang, set_lang });
    provide_context(StoreHandle(boot.store));
    provide_context(StoreErrors(boot.errors));
    let large_text = boot.large_text;
    provide_context(LargeText(large_text));

    // <html lang> and the large-text class live outside the mounted tree.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.get().tag());
            let _ = root
                .class_list()
                .toggle_with_force("large-text", large_text.get());
        }
    });
    Effect::new(move |_| document().set_title(lang.get().messages().app_name));

    view! {
        <Router>
            <div class="shell" data-ready=move || boot.ready.get().to_string()>
                <header class="topbar">
                    <span class="topbar__brand">{move || lang.get().messages().app_name}</span>
                    <SyncBadge/>
                </header>
                <ErrorBanner/>
                <main class="page" id="main">
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=Home/>
                        <Route path=path!("/council") view=Council/>
                        <Route path=path!("/council/new") view=NewProposal/>
                        <Route path=path!("/council/:id") view=Proposal/>
                        <Route path=path!("/council/:id/print") view=PrintProposal/>
                        <Route path=path!("/meetings/new") view=NewMeeting/>
                        <Route path=path!("/meetings/:id") view=Meeting/>
                        <Route path=path!("/meetings/:id/print") view=PrintMeeting/>
                        <Route path=path!("/points") view=Points/>
                        <Route path=path!("/volunteer") view=Volunteer/>
                        <Route path=path!("/me") view=Me/>
                        <Route path=path!("/create") view=Create/>
                        <Route path=path!("/join") view=Join/>
                        <Route path=path!("/invite") view=Invite/>
                        <Route path=path!("/members") view=Members/>
                        <Route path=path!("/sync") view=Diagnostics/>
                    </Routes>
                </main>
                <BottomNav/>
            </div>
        </Router>
    }
}

/// A language the user picked: applied at once, then stored; a failed save is reported and
/// the choice still holds for this visit.
pub fn choose_lang(lang: Lang) {
    let i18n = expect_context::<I18n>();
    i18n.set_lang.set(lang);
    persist(move |store| async move { Settings::save_lang(&store, lang).await });
}

/// The large-text choice, applied and stored like [`choose_lang`].
pub fn choose_large_text(on: bool) {
    expect_context::<LargeText>().0.set(on);
    persist(move |store| async move { Settings::save_large_text(&store, on).await });
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
