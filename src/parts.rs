//! Parts of the app that load when first needed (code splitting). The first part holds only
//! the shell and the home screen; the engine (everything that reads or writes events) and
//! each area's screens are parts of their own, fetched the first time they are needed and
//! precached by the service worker after the first paint.
//!
//! A split point is a function declared with [`split!`]: with the `split` feature (the app as
//! Trunk builds it, see `.ci/split.sh`) its code, and everything only it reaches, goes into
//! the part's `.wasm`; without it (tests) it is a plain async function. The first part must
//! reach the others only through split points — so the shell holds the engine's community
//! type-erased (`crate::session::Session`) and calls the engine through [`open`].
//!
//! A part that fails to load is a [`PartError`], never a dead app: the
//! [`crate::components::Lazy`] screen says so and offers a retry, or a reload when a newer
//! version was deployed meanwhile.

use std::cell::RefCell;
use std::rc::Rc;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::session::{Opened, Session};
use crate::store::Store;

/// A part could not be loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PartError {
    /// No network (or the server failed): worth a retry.
    #[error("a part of the app could not be loaded")]
    Failed,
    /// A newer version was deployed and this page's parts are gone: reload.
    #[error("a newer version of the app was deployed")]
    Outdated,
}

impl From<leptos::wasm_split::SplitLoaderError> for PartError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> PartError {
        PartError::Failed
    }
}

/// A screen, built by code inside a part.
pub type Page = fn() -> AnyView;

/// Declares a split point: `split!(part: pub fn name() -> T { body })` becomes
/// `async fn name() -> Result<T, PartError>` whose body runs in part `part`.
#[macro_export]
macro_rules! split {
    ($part:ident: $(#[$m:meta])* $vis:vis fn $name:ident() -> $ret:ty $body:block) => {
        $(#[$m])*
        #[cfg(feature = "split")]
        #[::leptos::wasm_split::wasm_split($part, wasm_split_path = ::leptos::wasm_split, fallible)]
        $vis fn $name() -> ::core::result::Result<$ret, $crate::parts::PartError> {
            ::core::result::Result::Ok($body)
        }
        $(#[$m])*
        #[cfg(not(feature = "split"))]
        $vis async fn $name() -> ::core::result::Result<$ret, $crate::parts::PartError> {
            ::core::result::Result::Ok($body)
        }
    };
}

/// What the shell calls in the engine part.
pub struct Engine {
    /// Reads this device's community back and starts syncing it.
    pub open: fn(Session, Rc<Store>) -> LocalBoxFuture<'static, ()>,
}

split!(engine: fn engine() -> Engine {
    Engine {
        open: |session, store| Box::pin(crate::engine::open(session, store)),
    }
});

type Opening = Shared<LocalBoxFuture<'static, Result<(), PartError>>>;

thread_local! {
    /// The one opening under way or done (a failed one is forgotten, so a retry starts over).
    static OPENING: RefCell<Option<Opening>> = const { RefCell::new(None) };
}

/// Makes sure the engine is loaded and this device's community (if any) read into memory:
/// once per page, whoever asks first.
pub async fn open(session: Session) -> Result<(), PartError> {
    let Some(store) = session.store() else {
        // No storage: nothing to read back; the pages still work for browsing.
        session.started.set(true);
        return Ok(());
    };
    let opening = OPENING.with(|o| {
        o.borrow_mut()
            .get_or_insert_with(|| {
                async move {
                    let engine = match engine().await {
                        Ok(e) => e,
                        Err(_) => return Err(why_failed().await),
                    };
                    (engine.open)(session, store).await;
                    Ok(())
                }
                .boxed_local()
                .shared()
            })
            .clone()
    });
    let result = opening.await;
    if result.is_err() {
        OPENING.with(|o| *o.borrow_mut() = None);
        session.opened.set(Opened::Failed);
    }
    result
}

/// After a part failed to load: whether the server now has a newer build than this page
/// ([`PartError::Outdated`]: its `parts.json` names another build than the page's
/// `<meta name="linli-build">`), or the network failed ([`PartError::Failed`]).
pub async fn why_failed() -> PartError {
    let ours = document()
        .query_selector("meta[name=linli-build]")
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"));
    let Some(ours) = ours else {
        return PartError::Failed;
    };
    let init = web_sys::RequestInit::new();
    init.set_cache(web_sys::RequestCache::NoStore);
    let theirs = async {
        let response = JsFuture::from(window().fetch_with_str_and_init("/parts.json", &init))
            .await
            .ok()?
            .dyn_into::<web_sys::Response>()
            .ok()?;
        let json = JsFuture::from(response.json().ok()?).await.ok()?;
        js_sys::Reflect::get(&json, &"build".into())
            .ok()?
            .as_string()
    }
    .await;
    match theirs {
        Some(build) if build != ours => PartError::Outdated,
        _ => PartError::Failed,
    }
}
