//! # Linli (邻里) — the app
//!
//! A client-side Leptos app: a thin UI over `linli-domain`, plus the browser adapters. A page
//! asks the domain what to show and which acts are allowed, and sends typed commands; it
//! never re-implements a rule.
//!
//! # Layout
//!
//! The first part (what a phone downloads before the home screen):
//!
//! - [`app`]: the root component, the router (every area's routes) and the shell.
//! - [`boot`]: settings and storage, read before the first paint.
//! - [`first_paint`]: the home screen as last drawn, kept so that `index.html` can paint it
//!   before any of the app's code has arrived.
//! - [`session`]: the community as the shell sees it — a digest for the home screen and the
//!   badge, the revision views derive from, the sync status.
//! - [`parts`]: code splitting — the split points, and opening the engine.
//! - [`pages::home`], [`pages::not_found`]; [`components`]: the shell's pieces.
//! - [`i18n`]: the message tables, one per area; [`store`]: IndexedDB through idb (the only
//!   module that touches it); [`clock`].
//!
//! Parts, loaded when first needed and precached after the first paint:
//!
//! - [`engine`]: everything that reads or writes a community's events — the log folded in
//!   memory, acts judged, signed and stored, sync, files.
//! - [`sync`]: the endpoint client (manifest, files, signatures checked in Web Workers,
//!   pushes).
//! - [`pages`]: one folder per area — `council`, `roster` (create, join, invite, members),
//!   `me` (me, sync and data), `points`, `volunteer` — each with its read models (`view`),
//!   its screens, and its split point.
//! - [`hooks`]: what pages share — a read model as a memo, a detail by the route's id, acting.

pub mod app;
pub mod boot;
pub mod clock;
pub mod components;
pub mod engine;
pub mod first_paint;
pub mod hooks;
pub mod i18n;
pub mod pages;
pub mod parts;
pub mod session;
pub mod store;
pub mod sync;

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Tells the page that the first screen is up (and, on a phone with a community, read back):
/// `index.html`'s boot script (`public/boot.js`) registers the service worker then, so that
/// precaching every part never competes with the first load.
fn ready() {
    request_animation_frame(|| {
        if let Ok(event) = web_sys::Event::new("linli-ready") {
            let _ = window().dispatch_event(&event);
        }
    });
}

/// Mounts the app in two tasks behind the first paint (`first_paint`): the shell, then the
/// route's screen, each rendered into a hidden host; then the host replaces what
/// `index.html` painted. On a slow phone each render (and the wasm it compiles on first use)
/// is a long task; two halves block input half as long, and nothing is laid out twice.
fn mount_in_two_steps(boot: boot::Boot, session: session::Session, shown: Rc<Cell<bool>>) {
    let Some(host) = document()
        .create_element("div")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    host.set_hidden(true);
    let _ = document().body().map(|b| b.append_child(&host));
    let screen = RwSignal::new(false);
    leptos::mount::mount_to(
        host.clone(),
        move || view! { <app::App boot session screen/> },
    )
    .forget();
    wasm_bindgen_futures::spawn_local(async move {
        clock::yield_now().await;
        screen.set(true);
        first_paint::clear();
        host.set_hidden(false);
        shown.set(true);
    });
}

/// How long to wait for IndexedDB before showing the app with default settings.
const STORE_WAIT_MS: i32 = 1500;

/// Starts the app. The device's settings are read first so that the first paint is already in
/// the chosen language and text size; if storage has not answered within
/// [`STORE_WAIT_MS`], the app appears with defaults and takes the settings when they come.
/// After the first paint, the engine part reads the community back.
pub fn start() {
    console_error_panic_hook::set_once();
    let boot = boot::Boot::new();
    let session = boot.session();
    let mounted = Rc::new(Cell::new(false));
    let shown = Rc::new(Cell::new(false));
    let mount = {
        let shown = shown.clone();
        move || {
            if !mounted.replace(true) {
                mount_in_two_steps(boot, session, shown.clone());
            }
        }
    };
    let fallback = mount.clone();
    if let Some(window) = web_sys::window() {
        let cb = Closure::once_into_js(fallback);
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            cb.unchecked_ref(),
            STORE_WAIT_MS,
        );
    }
    // Leptos's executor is set up by mounting, which may wait for the settings: use the
    // browser's microtask queue directly for this first task.
    wasm_bindgen_futures::spawn_local(async move {
        let (store, settings, error) = boot::open_store(boot).await;
        boot.apply((store.clone(), settings, error));
        // The community's record too, so that the first render is the final one (no
        // "loading" drawn and replaced: on a slow phone each render and layout is a long task).
        match &store {
            Some(store) => {
                if let Err(e) = session.start(store).await {
                    session.errors.set(Some(e));
                }
            }
            None => session.started.set(true),
        }
        mount();
        // The home screen first: the engine's parts download once it is on screen.
        while !shown.get() {
            clock::next_frame().await;
        }
        clock::next_frame().await;
        // A phone with a community reads it back now; a fresh one loads the engine only when
        // a screen needs it.
        if session.digest.with_untracked(Option::is_some) {
            let _ = parts::open(session).await;
        }
        ready();
        store::request_persistence().await;
    });
}
