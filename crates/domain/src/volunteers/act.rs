//! The kinds of volunteer services (志愿服务) and their payloads as they travel (`DESIGN.md`
//! §3.6, `docs/protocol.md` §7). The limits here are the ones forms show.

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::id::{EventId, MemberId};
use crate::reject::Code;
use crate::wire::{self, optional_text, text, FieldError, Wire};

/// Longest activity title, in characters.
pub const MAX_TITLE: usize = 100;
/// Longest activity description, in characters.
pub const MAX_BODY: usize = 2000;
/// Longest place, grid, skill or reason, in characters.
pub const MAX_PLACE: usize = 100;
/// Longest grid name (网格), in characters.
pub const MAX_GRID: usize = 40;
/// Longest skill name, in characters.
pub const MAX_SKILL: usize = 20;
/// Most skills on a profile or an activity.
pub const MAX_SKILLS: usize = 20;
/// Most availability windows on a profile.
pub const MAX_WINDOWS: usize = 42;
/// Most slots of an activity.
pub const MAX_SLOTS: u32 = 1000;
/// Most members in one assignment.
pub const MAX_ASSIGN: usize = 1000;
/// Longest activity: 7 days.
pub const MAX_SPAN_MS: i64 = 7 * 86_400_000;
/// Most minutes in one `activity.hours`: 12 hours.
pub const MAX_MINUTES: u32 = 720;
/// Longest cancellation reason.
pub const MAX_REASON: usize = 200;

/// A time of day in minutes since 00:00, written `"HH:MM"` (00:00–24:00).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HhMm(pub u16);

impl HhMm {
    /// The minutes since midnight.
    pub fn minutes(self) -> u16 {
        self.0
    }

    /// Parses `"HH:MM"` with two digits each, 00:00 to 24:00.
    pub fn parse(s: &str) -> Option<HhMm> {
        let b = s.as_bytes();
        if b.len() != 5
            || b[2] != b':'
            || !b
                .iter()
                .enumerate()
                .all(|(i, c)| i == 2 || c.is_ascii_digit())
        {
            return None;
        }
        let h = u16::from(b[0] - b'0') * 10 + u16::from(b[1] - b'0');
        let m = u16::from(b[3] - b'0') * 10 + u16::from(b[4] - b'0');
        if m > 59 || h > 24 || (h == 24 && m != 0) {
            return None;
        }
        Some(HhMm(h * 60 + m))
    }
}

impl std::fmt::Display for HhMm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for HhMm {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for HhMm {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<HhMm, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        HhMm::parse(&s).ok_or_else(|| serde::de::Error::custom("not HH:MM"))
    }
}

/// A weekly window of free time: `[weekday 1–7 (Monday = 1, in UTC+8), "HH:MM", "HH:MM"]`,
/// the end after the start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Window(pub u8, pub HhMm, pub HhMm);

impl Window {
    /// Monday = 1 … Sunday = 7.
    pub fn weekday(self) -> u8 {
        self.0
    }
    /// From, in minutes since midnight.
    pub fn from(self) -> u16 {
        self.1 .0
    }
    /// To, in minutes since midnight (up to 1440).
    pub fn to(self) -> u16 {
        self.2 .0
    }
}

/// A volunteer services act: the payload of one of the kinds of §3.6.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Act {
    /// `volunteer.profile` — a member's skills, free time, grid; latest wins.
    Profile(Profile),
    /// `activity.create` — staff post an activity.
    Create(Create),
    /// `activity.cancel` — staff call it off.
    Cancel(CancelActivity),
    /// `activity.signup` — a member volunteers.
    Signup(ActivityRef),
    /// `activity.withdraw` — the volunteer withdraws; the wait list moves up.
    Withdraw(ActivityRef),
    /// `activity.assign` — staff confirm members (the matcher's suggestion, or by hand).
    Assign(Assign),
    /// `activity.checkin` — arrived.
    Checkin(Presence),
    /// `activity.checkout` — left.
    Checkout(Presence),
    /// `activity.hours` — staff confirm a volunteer's minutes: points under the activity's rule.
    Hours(Hours),
}

impl Act {
    /// Every kind of volunteer services.
    pub const KINDS: [&'static str; 9] = [
        "volunteer.profile",
        "activity.create",
        "activity.cancel",
        "activity.signup",
        "activity.withdraw",
        "activity.assign",
        "activity.checkin",
        "activity.checkout",
        "activity.hours",
    ];

    /// The event kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Act::Profile(_) => "volunteer.profile",
            Act::Create(_) => "activity.create",
            Act::Cancel(_) => "activity.cancel",
            Act::Signup(_) => "activity.signup",
            Act::Withdraw(_) => "activity.withdraw",
            Act::Assign(_) => "activity.assign",
            Act::Checkin(_) => "activity.checkin",
            Act::Checkout(_) => "activity.checkout",
            Act::Hours(_) => "activity.hours",
        }
    }

    /// Parses a volunteer kind's payload; `None` when `kind` is not one.
    pub fn parse(kind: &str, json: &str) -> Option<Result<Act, Code>> {
        Some(match kind {
            "volunteer.profile" => wire::parse(json).map(Act::Profile),
            "activity.create" => wire::parse(json).map(Act::Create),
            "activity.cancel" => wire::parse(json).map(Act::Cancel),
            "activity.signup" => wire::parse(json).map(Act::Signup),
            "activity.withdraw" => wire::parse(json).map(Act::Withdraw),
            "activity.assign" => wire::parse(json).map(Act::Assign),
            "activity.checkin" => wire::parse(json).map(Act::Checkin),
            "activity.checkout" => wire::parse(json).map(Act::Checkout),
            "activity.hours" => wire::parse(json).map(Act::Hours),
            _ => return None,
        })
    }

    /// The field at fault, if any ([`Wire::check`]).
    pub fn check(&self) -> Result<(), FieldError> {
        match self {
            Act::Profile(x) => x.check(),
            Act::Create(x) => x.check(),
            Act::Cancel(x) => x.check(),
            Act::Signup(x) | Act::Withdraw(x) => x.check(),
            Act::Assign(x) => x.check(),
            Act::Checkin(x) | Act::Checkout(x) => x.check(),
            Act::Hours(x) => x.check(),
        }
    }

    /// The checks of [`Wire::validate`] for whichever payload this is.
    pub fn validate(&self) -> Result<(), Code> {
        self.check().map_err(|e| e.code)
    }
}

/// Skills: each non-blank, at most [`MAX_SKILL`] characters, no repeats, at most
/// [`MAX_SKILLS`].
fn skills(field: &'static str, list: &[Arc<str>]) -> Result<(), FieldError> {
    if list.len() > MAX_SKILLS {
        return Err(FieldError::range(
            field,
            0,
            MAX_SKILLS as i64,
            Code::OverLimit,
        ));
    }
    for (i, s) in list.iter().enumerate() {
        text(field, s, MAX_SKILL)?;
        if list[..i].contains(s) {
            return Err(FieldError::malformed(field));
        }
    }
    Ok(())
}

/// `volunteer.profile`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Skills (助老, 医疗, 维修, 法律, 文艺, 巡逻, 环境, or the community's own words).
    pub skills: Vec<Arc<str>>,
    /// When they are usually free, week by week (UTC+8).
    pub availability: Vec<Window>,
    /// Their grid (网格), may be empty.
    pub grid: Arc<str>,
    /// Whether they take part now (false: a pause; the matcher leaves them out).
    pub active: bool,
}

impl Wire for Profile {
    fn check(&self) -> Result<(), FieldError> {
        skills("skills", &self.skills)?;
        if self.availability.len() > MAX_WINDOWS {
            return Err(FieldError::range(
                "availability",
                0,
                MAX_WINDOWS as i64,
                Code::OverLimit,
            ));
        }
        for w in &self.availability {
            if !(1..=7).contains(&w.0) || w.1 >= w.2 {
                return Err(FieldError::malformed("availability"));
            }
        }
        optional_text("grid", &self.grid, MAX_GRID)
    }
}

/// `activity.create`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Create {
    /// What (陪老人体检, 楼道清理…).
    pub title: Arc<str>,
    /// Details (may be empty).
    pub body: Arc<str>,
    /// Where (may be empty).
    pub place: Arc<str>,
    /// The grid it serves (may be empty: the whole community).
    pub grid: Arc<str>,
    /// Starts (ms since the epoch).
    pub start: i64,
    /// Ends, after the start and at most 7 days later.
    pub end: i64,
    /// Volunteers needed, 1–1000.
    pub slots: u32,
    /// Skills asked for (every one of them).
    pub skills: Vec<Arc<str>>,
    /// A `points.rule` with points > 0, awarded per hour; `null`: no points.
    pub rule: Option<EventId>,
    /// Whether sign-ups beyond the slots wait in line.
    pub waitlist: bool,
}

impl Wire for Create {
    fn check(&self) -> Result<(), FieldError> {
        text("title", &self.title, MAX_TITLE)?;
        optional_text("body", &self.body, MAX_BODY)?;
        optional_text("place", &self.place, MAX_PLACE)?;
        optional_text("grid", &self.grid, MAX_GRID)?;
        if self.start <= 0 {
            return Err(FieldError::malformed("start"));
        }
        if self.end <= self.start {
            return Err(FieldError::malformed("end"));
        }
        if self.end - self.start > MAX_SPAN_MS {
            return Err(FieldError::range(
                "end",
                self.start,
                self.start + MAX_SPAN_MS,
                Code::OverLimit,
            ));
        }
        if self.slots == 0 {
            return Err(FieldError::range(
                "slots",
                1,
                i64::from(MAX_SLOTS),
                Code::MalformedPayload,
            ));
        }
        if self.slots > MAX_SLOTS {
            return Err(FieldError::range(
                "slots",
                1,
                i64::from(MAX_SLOTS),
                Code::OverLimit,
            ));
        }
        skills("skills", &self.skills)
    }
}

/// `activity.cancel`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelActivity {
    /// The activity.
    pub activity: EventId,
    /// Why (required: volunteers are told).
    pub reason: Arc<str>,
}

impl Wire for CancelActivity {
    fn check(&self) -> Result<(), FieldError> {
        text("reason", &self.reason, MAX_REASON)
    }
}

/// `{"activity": id}` — `activity.signup`, `activity.withdraw`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityRef {
    /// The activity.
    pub activity: EventId,
}

impl Wire for ActivityRef {}

/// `activity.assign`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assign {
    /// The activity.
    pub activity: EventId,
    /// The members confirmed: 1–1000, no repeats.
    pub members: Vec<MemberId>,
}

impl Wire for Assign {
    fn check(&self) -> Result<(), FieldError> {
        if self.members.is_empty() {
            return Err(FieldError::range(
                "members",
                1,
                MAX_ASSIGN as i64,
                Code::MalformedPayload,
            ));
        }
        if self.members.len() > MAX_ASSIGN {
            return Err(FieldError::range(
                "members",
                1,
                MAX_ASSIGN as i64,
                Code::OverLimit,
            ));
        }
        let mut sorted = self.members.clone();
        sorted.sort_unstable();
        if sorted.windows(2).any(|w| w[0] == w[1]) {
            return Err(FieldError::malformed("members"));
        }
        Ok(())
    }
}

/// `{"activity": id, "member": id}` — `activity.checkin`, `activity.checkout`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Presence {
    /// The activity.
    pub activity: EventId,
    /// The volunteer.
    pub member: MemberId,
}

impl Wire for Presence {}

/// `activity.hours`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    /// The activity.
    pub activity: EventId,
    /// The volunteer.
    pub member: MemberId,
    /// Minutes served, 1–720.
    pub minutes: u32,
}

impl Wire for Hours {
    fn check(&self) -> Result<(), FieldError> {
        if self.minutes == 0 {
            return Err(FieldError::range(
                "minutes",
                1,
                i64::from(MAX_MINUTES),
                Code::MalformedPayload,
            ));
        }
        if self.minutes > MAX_MINUTES {
            return Err(FieldError::range(
                "minutes",
                1,
                i64::from(MAX_MINUTES),
                Code::OverLimit,
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day_parse_strictly() {
        assert_eq!(HhMm::parse("00:00"), Some(HhMm(0)));
        assert_eq!(HhMm::parse("08:30"), Some(HhMm(510)));
        assert_eq!(HhMm::parse("24:00"), Some(HhMm(1440)));
        for bad in [
            "24:01", "8:30", "08:60", "0830", "08:3a", "25:00", "", "08:30 ",
        ] {
            assert_eq!(HhMm::parse(bad), None, "{bad}");
        }
        assert_eq!(HhMm(510).to_string(), "08:30");
    }

    #[test]
    fn a_profile_travels_as_in_the_design() {
        let json = r#"{"skills":["助老","维修"],"availability":[[6,"09:00","12:00"]],"grid":"3网格","active":true}"#;
        let Some(Ok(Act::Profile(p))) = Act::parse("volunteer.profile", json) else {
            panic!("not parsed");
        };
        assert_eq!(p.availability, vec![Window(6, HhMm(540), HhMm(720))]);
        assert_eq!(serde_json::to_string(&p).expect("json"), json);
        for bad in [
            r#"{"skills":[],"availability":[[0,"09:00","12:00"]],"grid":"","active":true}"#,
            r#"{"skills":[],"availability":[[8,"09:00","12:00"]],"grid":"","active":true}"#,
            r#"{"skills":[],"availability":[[1,"12:00","12:00"]],"grid":"","active":true}"#,
            r#"{"skills":[],"availability":[[1,"9:00","12:00"]],"grid":"","active":true}"#,
            r#"{"skills":["助老","助老"],"availability":[],"grid":"","active":true}"#,
            r#"{"skills":[" "],"availability":[],"grid":"","active":true}"#,
            r#"{"skills":[],"availability":[],"grid":"","active":true,"x":1}"#,
        ] {
            assert_eq!(
                Act::parse("volunteer.profile", bad),
                Some(Err(Code::MalformedPayload)),
                "{bad}"
            );
        }
    }

    #[test]
    fn activity_limits() {
        let ok = Create {
            title: "楼道清理".into(),
            body: "".into(),
            place: "3栋".into(),
            grid: "".into(),
            start: 1_000,
            end: 1_000 + 3_600_000,
            slots: 2,
            skills: vec![],
            rule: None,
            waitlist: true,
        };
        assert_eq!(ok.validate(), Ok(()));
        let with = |f: fn(&mut Create)| {
            let mut c = ok.clone();
            f(&mut c);
            c.validate()
        };
        assert_eq!(with(|c| c.end = c.start), Err(Code::MalformedPayload));
        assert_eq!(
            with(|c| c.end = c.start + MAX_SPAN_MS + 1),
            Err(Code::OverLimit)
        );
        assert_eq!(with(|c| c.slots = 0), Err(Code::MalformedPayload));
        assert_eq!(with(|c| c.slots = MAX_SLOTS + 1), Err(Code::OverLimit));
        assert_eq!(with(|c| c.title = " ".into()), Err(Code::MalformedPayload));
        let m = MemberId::default();
        let a = Assign {
            activity: EventId::default(),
            members: vec![m, m],
        };
        assert_eq!(a.validate(), Err(Code::MalformedPayload));
        let h = |minutes| Hours {
            activity: EventId::default(),
            member: m,
            minutes,
        };
        assert_eq!(h(0).validate(), Err(Code::MalformedPayload));
        assert_eq!(h(721).validate(), Err(Code::OverLimit));
        assert_eq!(h(720).validate(), Ok(()));
    }
}
