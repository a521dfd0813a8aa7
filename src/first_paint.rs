//! The first paint before the code: `index.html`'s boot script (`public/boot.js`) paints the
//! home screen as this phone last showed it (kept in `localStorage` under [`KEY`]), or, on a
//! first visit, the empty home screen `index.html` carries as a template — before the first
//! part (about 170 KB) has arrived. The
//! app replaces it with the live screen when it mounts: the same markup, so nothing moves.
//!
//! What is kept is the markup of the shell on the home screen, with the sync badge's details
//! left out (they would be stale), `data-ready` false and no `data-testid` (tests wait for
//! and find the app's own elements, never their picture).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The `localStorage` key: `{"lang": tag, "large": bool, "html": the shell's markup}`.
pub const KEY: &str = "linli-home";

/// The language this phone last showed (kept with the home screen), if any: what to speak
/// before the settings can be read.
pub fn last_lang() -> Option<crate::i18n::Lang> {
    let text = window().local_storage().ok()??.get_item(KEY).ok()??;
    let saved = js_sys::JSON::parse(&text).ok()?;
    let tag = js_sys::Reflect::get(&saved, &"lang".into())
        .ok()?
        .as_string()?;
    crate::i18n::Lang::from_tag(&tag)
}

/// Removes what `index.html` painted (called right before the app mounts, in the same task:
/// no frame shows neither).
pub fn clear() {
    if let Some(prepaint) = document().get_element_by_id("prepaint") {
        prepaint.set_inner_html("");
    }
}

/// Keeps the home screen as now drawn, for the next start's first paint. Best effort: without
/// `localStorage` the next start simply paints when the code has arrived.
pub fn keep(lang: &str, large_text: bool) {
    let Some(shell) = document()
        .query_selector(".shell")
        .ok()
        .flatten()
        .and_then(|s| s.clone_node_with_deep(true).ok())
        .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let _ = shell.set_attribute("data-ready", "false");
    // Tests find the app's elements by these: never the picture of them.
    while let Ok(Some(e)) = shell.query_selector("[data-testid]") {
        let _ = e.remove_attribute("data-testid");
    }
    while let Ok(Some(detail)) = shell.query_selector(".badge__detail") {
        detail.remove();
    }
    let saved = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&saved, &"lang".into(), &lang.into());
    let _ = js_sys::Reflect::set(&saved, &"large".into(), &large_text.into());
    let _ = js_sys::Reflect::set(&saved, &"html".into(), &shell.outer_html().into());
    let Ok(text) = js_sys::JSON::stringify(&saved) else {
        return;
    };
    if let Ok(Some(storage)) = window().local_storage() {
        let _ = storage.set_item(KEY, &String::from(text));
    }
}
