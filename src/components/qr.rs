//! A QR code drawn as SVG (one path, crisp at any size), for invitation links and meeting
//! check-in codes.

use leptos::prelude::*;
use qrcodegen::{QrCode, QrCodeEcc};

/// The SVG path of a code's dark modules, and the code's size in modules.
fn path(text: &str) -> Option<(String, i32)> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = qr.size();
    let mut d = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                d.push_str(&format!("M{x} {y}h1v1h-1z"));
            }
        }
    }
    Some((d, size))
}

/// `text` as a QR code with a quiet zone of four modules.
#[component]
pub fn Qr(
    /// What the code carries.
    text: String,
    /// Accessible description.
    label: &'static str,
) -> impl IntoView {
    path(&text).map(|(d, size)| {
        let view_box = format!("-4 -4 {} {}", size + 8, size + 8);
        view! {
            <svg class="qr" viewBox=view_box role="img" aria-label=label shape-rendering="crispEdges">
                <rect x="-4" y="-4" width=size + 8 height=size + 8 fill="#fff"/>
                <path d=d fill="#000"/>
            </svg>
        }
    })
}
