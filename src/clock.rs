//! The device's clock: an event's advisory `ts` and what screens display. Rules never read
//! it (`DESIGN.md` §3.1).

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}
