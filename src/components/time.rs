//! Times as people read them, in the phone's local time: one helper for the whole app, so a
//! date never prints twice or in two formats.

/// A moment in local time, to the minute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalTime {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, 1–31.
    pub day: u32,
    /// Hour, 0–23.
    pub hour: u32,
    /// Minute, 0–59.
    pub minute: u32,
}

impl LocalTime {
    /// `ms` since the epoch, in the phone's time zone.
    pub fn of(ms: f64) -> LocalTime {
        let d = js_sys::Date::new(&ms.into());
        LocalTime {
            year: d.get_full_year() as i32,
            month: d.get_month() + 1,
            day: d.get_date(),
            hour: d.get_hours(),
            minute: d.get_minutes(),
        }
    }

    /// `2026-12-05`.
    pub fn date(&self) -> String {
        format!("{}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `19:30`.
    pub fn time(&self) -> String {
        format!("{:02}:{:02}", self.hour, self.minute)
    }

    /// `2026-12-05 19:30`.
    pub fn date_time(&self) -> String {
        format!("{} {}", self.date(), self.time())
    }

    /// `19:30` on the same day as `now`, `12-05 19:30` in the same year, else the date and
    /// time in full.
    pub fn near(&self, now: &LocalTime) -> String {
        if (self.year, self.month, self.day) == (now.year, now.month, now.day) {
            self.time()
        } else if self.year == now.year {
            format!("{:02}-{:02} {}", self.month, self.day, self.time())
        } else {
            self.date_time()
        }
    }
}

/// A recent time, as short as is clear (the badge's last sync, a message's time).
pub fn short_time(ms: f64) -> String {
    LocalTime::of(ms).near(&LocalTime::of(js_sys::Date::now()))
}

/// A date as `YYYY-MM-DD`, for notices.
pub fn short_date(ms: f64) -> String {
    LocalTime::of(ms).date()
}

/// A date and time as `YYYY-MM-DD HH:MM` (a meeting's time).
pub fn date_time(ms: f64) -> String {
    LocalTime::of(ms).date_time()
}

/// How long until a moment, as people say it: days (to the nearest) when two or more are
/// left — a ballot opened for 7 days reads 还剩 7 天, not 6 — else whole hours, else minutes
/// (rounded up, so "0 minutes" never shows before the end).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Left {
    /// The moment has passed.
    Past,
    /// Days left (≥ 2).
    Days(u32),
    /// Hours left (1–47).
    Hours(u32),
    /// Minutes left (1–59).
    Minutes(u32),
}

impl Left {
    /// From `now` until `end` (ms since the epoch).
    pub fn until(end: i64, now: i64) -> Left {
        const MINUTE: i64 = 60_000;
        const DAY: i64 = 24 * 60 * MINUTE;
        let ms = end - now;
        if ms <= 0 {
            Left::Past
        } else if ms >= 2 * DAY {
            Left::Days(((ms + DAY / 2) / DAY) as u32)
        } else if ms >= 60 * MINUTE {
            Left::Hours((ms / (60 * MINUTE)) as u32)
        } else {
            Left::Minutes(((ms + MINUTE - 1) / MINUTE) as u32)
        }
    }

    /// In the user's language: 还剩 3 天, 2 hours left, 已过截止时间.
    pub fn text(self, m: &crate::i18n::Common) -> String {
        let (template, n) = match self {
            Left::Past => return m.left_past.to_owned(),
            Left::Days(n) => (m.left_days, n),
            Left::Hours(n) => (m.left_hours, n),
            Left::Minutes(n) => (m.left_minutes, n),
        };
        template.replace("{}", &n.to_string())
    }
}

/// The time now (ms since the epoch), ticking every half minute while the component that
/// asked lives: for texts such as [`Left`] that must not go stale on a screen left open.
pub fn use_clock() -> leptos::prelude::ReadSignal<i64> {
    use leptos::prelude::*;
    let (now, set_now) = signal(js_sys::Date::now() as i64);
    if let Ok(handle) = set_interval_with_handle(
        move || set_now.set(js_sys::Date::now() as i64),
        std::time::Duration::from_secs(30),
    ) {
        on_cleanup(move || handle.clear());
    }
    now
}

#[cfg(test)]
mod tests {
    use super::{Left, LocalTime};

    #[test]
    fn time_left_in_the_largest_whole_unit() {
        const MIN: i64 = 60_000;
        const NOW: i64 = 1_780_000_000_000;
        assert_eq!(Left::until(NOW, NOW), Left::Past);
        assert_eq!(Left::until(NOW - 1, NOW), Left::Past);
        assert_eq!(Left::until(NOW + 1, NOW), Left::Minutes(1));
        assert_eq!(Left::until(NOW + 59 * MIN, NOW), Left::Minutes(59));
        assert_eq!(Left::until(NOW + 60 * MIN, NOW), Left::Hours(1));
        assert_eq!(Left::until(NOW + 24 * 60 * MIN - 1, NOW), Left::Hours(23));
        assert_eq!(Left::until(NOW + 47 * 60 * MIN, NOW), Left::Hours(47));
        assert_eq!(Left::until(NOW + 48 * 60 * MIN, NOW), Left::Days(2));
        // A ballot just opened for 7 days.
        assert_eq!(
            Left::until(NOW + 7 * 24 * 60 * MIN - 5 * MIN, NOW),
            Left::Days(7)
        );
        assert_eq!(
            Left::until(NOW + (6 * 24 + 11) * 60 * MIN, NOW),
            Left::Days(6)
        );
        assert_eq!(
            Left::until(NOW + (6 * 24 + 12) * 60 * MIN, NOW),
            Left::Days(7)
        );
    }

    const AT: LocalTime = LocalTime {
        year: 2026,
        month: 12,
        day: 5,
        hour: 19,
        minute: 30,
    };

    #[test]
    fn full_forms() {
        assert_eq!(AT.date(), "2026-12-05");
        assert_eq!(AT.time(), "19:30");
        // The bug this replaces printed "2026-12-05 12-05 19:30".
        assert_eq!(AT.date_time(), "2026-12-05 19:30");
    }

    #[test]
    fn near_is_as_short_as_is_clear() {
        let later = LocalTime { hour: 23, ..AT };
        assert_eq!(AT.near(&later), "19:30");
        let next_day = LocalTime { day: 6, ..AT };
        assert_eq!(AT.near(&next_day), "12-05 19:30");
        let next_year = LocalTime {
            year: 2027,
            month: 1,
            day: 2,
            ..AT
        };
        assert_eq!(AT.near(&next_year), "2026-12-05 19:30");
        let early = LocalTime {
            month: 1,
            day: 9,
            hour: 7,
            minute: 5,
            ..AT
        };
        assert_eq!(early.date_time(), "2026-01-09 07:05");
    }
}
