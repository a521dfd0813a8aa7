//! Reading a QR code with the phone's camera, where the browser can (the Shape Detection
//! API's `BarcodeDetector`: Chrome on Android, Safari 17+). Elsewhere the page offers pasting
//! the code instead, which always works. Called through `js_sys::Reflect`, so no web-sys
//! features and no JS snippet join the first part.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn get(target: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    Reflect::get(target, &JsValue::from_str(key))
}

fn call(target: &JsValue, method: &str, args: &Array) -> Result<JsValue, JsValue> {
    let f: Function = get(target, method)?.dyn_into()?;
    f.apply(target, args)
}

async fn wait(p: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(p.dyn_into::<Promise>()?).await
}

/// Whether this browser reads QR codes from the camera.
pub fn available() -> bool {
    let w: JsValue = web_sys::window()
        .map(Into::into)
        .unwrap_or(JsValue::UNDEFINED);
    let camera = get(&w, "navigator")
        .and_then(|n| get(&n, "mediaDevices"))
        .is_ok_and(|m| !m.is_undefined());
    camera && get(&w, "BarcodeDetector").is_ok_and(|d| d.is_function())
}

/// A camera showing in `video` and a detector reading it.
pub struct Scanner {
    stream: JsValue,
    detector: JsValue,
    video: JsValue,
}

impl Scanner {
    /// Opens the back camera into `video` (a `<video>` element).
    pub async fn open(video: &web_sys::HtmlElement) -> Result<Scanner, JsValue> {
        let w: JsValue = web_sys::window().ok_or(JsValue::NULL)?.into();
        let devices = get(&get(&w, "navigator")?, "mediaDevices")?;
        let constraints = Object::new();
        let v = Object::new();
        Reflect::set(&v, &"facingMode".into(), &"environment".into())?;
        Reflect::set(&constraints, &"video".into(), &v)?;
        Reflect::set(&constraints, &"audio".into(), &JsValue::FALSE)?;
        let stream = wait(call(&devices, "getUserMedia", &Array::of1(&constraints))?).await?;
        let video: JsValue = video.clone().into();
        Reflect::set(&video, &"srcObject".into(), &stream)?;
        Reflect::set(&video, &"muted".into(), &JsValue::TRUE)?;
        wait(call(&video, "play", &Array::new())?).await?;
        let options = Object::new();
        Reflect::set(&options, &"formats".into(), &Array::of1(&"qr_code".into()))?;
        let ctor: Function = get(&w, "BarcodeDetector")?.dyn_into()?;
        let detector = Reflect::construct(&ctor, &Array::of1(&options))?;
        Ok(Scanner {
            stream,
            detector,
            video,
        })
    }

    /// The text of a QR code in view now, if any.
    pub async fn read(&self) -> Result<Option<String>, JsValue> {
        let found = wait(call(&self.detector, "detect", &Array::of1(&self.video))?).await?;
        let found: Array = found.dyn_into()?;
        Ok(found
            .iter()
            .find_map(|code| get(&code, "rawValue").ok()?.as_string()))
    }

    /// Turns the camera off.
    pub fn close(&self) {
        if let Ok(tracks) = call(&self.stream, "getTracks", &Array::new()) {
            if let Ok(tracks) = tracks.dyn_into::<Array>() {
                for t in tracks.iter() {
                    let _ = call(&t, "stop", &Array::new());
                }
            }
        }
    }
}

/// Shows the camera in `video` (once it is drawn) and reads QR codes three times a second
/// until one that `wanted` accepts is in view — its text — or `scanning` turns false (`None`);
/// the camera is off again either way, and `scanning` false. `Err` when the camera did not
/// open.
pub async fn scan_until(
    video: leptos::prelude::NodeRef<leptos::html::Video>,
    scanning: leptos::prelude::RwSignal<bool>,
    wanted: impl Fn(&str) -> bool,
) -> Result<Option<String>, ()> {
    use leptos::prelude::{GetUntracked, Set};
    crate::clock::next_frame().await;
    let Some(el) = video.get_untracked() else {
        scanning.set(false);
        return Ok(None);
    };
    let el: &web_sys::HtmlElement = &el;
    let Ok(scanner) = Scanner::open(el).await else {
        scanning.set(false);
        return Err(());
    };
    let mut found = None;
    while scanning.get_untracked() {
        if let Ok(Some(text)) = scanner.read().await {
            if wanted(&text) {
                found = Some(text);
                break;
            }
        }
        crate::clock::sleep(300).await;
    }
    scanner.close();
    scanning.set(false);
    Ok(found)
}
