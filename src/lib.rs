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
//! - [`session`]: the community as the shell sees it — a digest for the home screen and the
//!   badge, the revision views derive from, the sync status.
//! - [`parts`]: code splitting — the split points, and opening the engine.
//! - [`pages::home`], [`pages::not_found`]; [`components`]: the shell's pieces.
//! - [`i18n`]: the message tables, one per area; [`store`]: IndexedDB through rexie (the only
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
    let mount = move || {
        if !mounted.replace(true) {
            leptos::mount::mount_to_body(move || view! { <app::App boot session/> });
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
        let (store, settings, error) = boot::open_store().await;
        boot.apply((store.clone(), settings, error));
        mount();
        match store {
            Some(store) => {
                if let Err(e) = session.start(&store).await {
                    session.errors.set(Some(e));
                }
                let _ = parts::open(session).await;
            }
            None => session.started.set(true),
        }
        store::request_persistence().await;
    });
}
