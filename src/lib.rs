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

pub mod app;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod store;

use leptos::prelude::*;

/// Starts the app: reads the device's settings first so the first paint is already in the
/// chosen language and text size, then mounts the shell on `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    // Leptos's executor is set up by mounting, which waits for the settings: use the
    // browser's microtask queue directly for this first task.
    wasm_bindgen_futures::spawn_local(async {
        let (store, settings, error) = app::open_store().await;
        leptos::mount::mount_to_body(move || view! { <app::App store settings error/> });
        store::request_persistence().await;
    });
}
