//! Times as people read them (local time).

/// A time as `HH:MM` today, or `MM-DD HH:MM` otherwise.
pub fn short_time(ms: f64) -> String {
    let d = js_sys::Date::new(&ms.into());
    let now = js_sys::Date::new_0();
    let hm = format!("{:02}:{:02}", d.get_hours(), d.get_minutes());
    if d.to_date_string() == now.to_date_string() {
        hm
    } else {
        format!("{:02}-{:02} {hm}", d.get_month() + 1, d.get_date())
    }
}

/// A date as `YYYY-MM-DD`, for notices.
pub fn short_date(ms: f64) -> String {
    let d = js_sys::Date::new(&ms.into());
    format!(
        "{}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}
