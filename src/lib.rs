//! # Linli (邻里) — the app
//!
//! A client-side Leptos app: a thin UI over `linli-domain`, plus the browser adapters.
//!
//! # Layout
//!
//! - [`app`]: the root component, router and the contexts every page reads.
//! - [`pages`]: one module per section of the bottom navigation (首页, 议事, 积分, 志愿, 我的).
//! - [`components`]: pieces shared by pages (navigation bar, sync badge, empty states).
//! - [`i18n`]: the zh-CN and English message tables.
//! - [`store`]: IndexedDB through rexie — the only module that touches it.
//! - [`community`]: the joined community: its log folded in memory, signing, storing.
//! - [`session`]: the community as pages see it, and the sync schedule.
//! - [`sync`]: pull and push with the endpoint (gloo-net), and export/import of files.

pub mod app;
pub mod community;
pub mod components;
pub mod i18n;
pub mod pages;
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
pub fn start() {
    console_error_panic_hook::set_once();
    let boot = app::Boot::new();
    let session = session::Session::new();
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
        let (store, settings, error) = app::open_store().await;
        boot.apply((store.clone(), settings, error));
        mount();
        match store {
            Some(store) => {
                if let Err(e) = session.start(&store).await {
                    boot.report(match e {
                        community::ActError::Store(e) => e,
                        other => store::StoreError::Read(other.to_string()),
                    });
                }
                session.schedule(std::rc::Rc::clone(&store));
                session.sync_now(&store).await;
            }
            None => session.started.set(true),
        }
        store::request_persistence().await;
    });
}
