//! Files when there is no network (`DESIGN.md` §5): export this device's unsent events, or the
//! whole space, as a JSON array of envelopes — the same format as the hub's files — and import
//! such a file on another device: every envelope verified, merged, deduplicated, and queued
//! for the hub.

use linli_domain::Opener;
use wasm_bindgen::JsCast;

use super::community::{ActError, Community};
use crate::store::Store;

/// What an import did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ImportReport {
    /// New events stored.
    pub added: usize,
    /// Already held.
    pub duplicate: usize,
    /// Refused: envelopes that did not open, or events of another community.
    pub rejected: usize,
}

/// Why an import failed as a whole (nothing of it was stored).
#[derive(Debug, Clone, thiserror::Error)]
pub enum ImportError {
    /// Not a JSON array of envelopes (or over the batch limit).
    #[error("not a Linli file: {0}")]
    NotAFile(String),
    /// Storing failed.
    #[error(transparent)]
    Act(#[from] ActError),
}

/// A JSON array of envelopes.
pub fn to_file<'a>(envelopes: impl IntoIterator<Item = &'a str>) -> String {
    let all: Vec<&str> = envelopes.into_iter().collect();
    format!("[{}]\n", all.join(",\n"))
}

/// This device's unsent events, as a file.
pub async fn export_unsent(store: &Store, c: &Community) -> Result<(String, usize), ActError> {
    let outbox = store.outbox(&c.record.space).await?;
    Ok((
        to_file(outbox.iter().map(|o| o.envelope.as_str())),
        outbox.len(),
    ))
}

/// Every event of the community this device holds, as a file.
pub fn export_all(c: &Community) -> (String, usize) {
    (
        to_file(c.space().events().map(|e| e.envelope.as_str())),
        c.space().len(),
    )
}

/// Verifies and merges a file into the community.
pub async fn import(
    store: &Store,
    c: &mut Community,
    text: &str,
) -> Result<ImportReport, ImportError> {
    let opened = crate::sync::verify::open_batch(&mut Opener::default(), text)
        .await
        .map_err(ImportError::NotAFile)?;
    let mut report = ImportReport::default();
    let mut events = Vec::new();
    for item in opened {
        match item {
            Ok(e) if e.space == Some(c.id()) || e.id == c.id() => {
                if c.space().get(&e.id).is_some() {
                    report.duplicate += 1;
                } else {
                    events.push(e);
                }
            }
            _ => report.rejected += 1,
        }
    }
    let before = events.len();
    report.added = c.keep_imported(store, events).await?;
    report.duplicate += before - report.added;
    Ok(report)
}

/// Offers `text` as a download named `name`.
pub fn download(name: &str, text: &str) -> Result<(), String> {
    let err = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(err)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(err)?
        .dyn_into()
        .map_err(|_| "not an anchor".to_owned())?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
