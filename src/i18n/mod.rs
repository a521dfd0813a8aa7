//! Message tables: zh-CN (the default) and English, one table per area.
//!
//! A typed table rather than `leptos_i18n` or Fluent: each area declares its strings once
//! with [`texts!`], Chinese and English side by side, and gets a struct with a field per
//! string and a `static` per language. A missing translation is a compile error, a lookup is
//! a field read (no parsing, no hashing, nothing shipped but the strings themselves), and the
//! mechanism adds no dependency to the bundle. The trade-off: no plural rules or
//! runtime-loaded catalogues, which two languages whose counts read the same way ("3 条") do
//! not need yet.
//!
//! - [`common`]: the shell, errors, roles, refusal reasons — what every screen may show.
//! - [`home`], [`council`], [`roster`] (create, join, invite, members), [`member`] (one
//!   member, adding a phone), [`invites`] (open invitations, the printable sheet), [`me`] (me, sync and data), [`points`], [`volunteer`], [`services`], [`board`]: one table per area.

pub mod board;
pub mod common;
pub mod council;
pub mod home;
pub mod invites;
pub mod ledger;
pub mod me;
pub mod member;
pub mod points;
pub mod polls;
pub mod roster;
pub mod services;
pub mod volunteer;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use common::Common;

/// The languages Linli speaks. Chinese first: it is what residents read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// 简体中文 — the default.
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// Every language, in the order the language picker shows them.
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// The BCP 47 tag, used for `<html lang>` and as the stored value.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Parses a stored tag; unknown tags give `None` so the caller keeps the default.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.tag() == tag)
    }

    /// The language's own name for itself, shown in the picker whatever the current language.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::ZhCn => "中文",
            Lang::En => "English",
        }
    }
}

/// A table of strings with one value per language (made by [`texts!`]).
pub trait Texts: Sync + 'static {
    /// The table in `lang`.
    fn of(lang: Lang) -> &'static Self;
    /// Every string of the table, for tests.
    fn all(&self) -> Vec<&'static str>;
}

/// What a field of a table may hold: a string, or a short list of them.
pub trait Strings {
    /// The strings.
    fn strings(&self) -> Vec<&'static str>;
}

impl Strings for &'static str {
    fn strings(&self) -> Vec<&'static str> {
        vec![self]
    }
}

impl<const N: usize> Strings for [&'static str; N] {
    fn strings(&self) -> Vec<&'static str> {
        self.to_vec()
    }
}

/// Declares a table: a struct with one field per string, and its Chinese and English values
/// side by side (`field: type = "中文", "English";`).
#[macro_export]
macro_rules! texts {
    ($(#[$meta:meta])* pub struct $name:ident {
        $( $(#[$fm:meta])* $field:ident : $ty:ty = $zh:expr , $en:expr ; )*
    }) => {
        $(#[$meta])*
        pub struct $name { $( $(#[$fm])* pub $field: $ty, )* }

        impl $name {
            const ZH: $name = $name { $( $field: $zh, )* };
            const EN: $name = $name { $( $field: $en, )* };
        }

        impl $crate::i18n::Texts for $name {
            fn of(lang: $crate::i18n::Lang) -> &'static $name {
                match lang {
                    $crate::i18n::Lang::ZhCn => &Self::ZH,
                    $crate::i18n::Lang::En => &Self::EN,
                }
            }

            fn all(&self) -> Vec<&'static str> {
                let mut all = Vec::new();
                $( all.extend($crate::i18n::Strings::strings(&self.$field)); )*
                all
            }
        }
    };
}

/// The language context provided by [`crate::app::App`].
#[derive(Clone, Copy)]
pub struct I18n {
    /// The current language.
    pub lang: ReadSignal<Lang>,
    /// Changes it (pages call [`crate::boot::choose_lang`], which also stores the choice).
    pub set_lang: WriteSignal<Lang>,
}

impl I18n {
    /// The shell's table in the current language (tracked: views update when it changes).
    pub fn t(&self) -> &'static Common {
        Common::of(self.lang.get())
    }

    /// An area's table in the current language (tracked).
    pub fn of<T: Texts>(&self) -> &'static T {
        T::of(self.lang.get())
    }
}

/// A message with its `{name}` placeholders filled in.
pub fn fill(template: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    args.iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), &value.to_string())
        })
}

/// The language context.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// An area's table, as a tracked getter: `let t = use_texts::<CouncilText>(); t().title`.
pub fn use_texts<T: Texts>() -> impl Fn() -> &'static T + Copy + 'static {
    let i18n = use_i18n();
    move || i18n.of::<T>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_by_name() {
        let text = fill(
            "参与 {cast} / {eligible}，{cast} 人",
            &[("cast", &38), ("eligible", &"100")],
        );
        assert_eq!(text, "参与 38 / 100，38 人");
        assert_eq!(fill("no {x}", &[]), "no {x}");
    }

    #[test]
    fn tags_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("fr"), None);
    }

    fn check<T: Texts>(name: &str) {
        let (zh, en) = (T::of(Lang::ZhCn).all(), T::of(Lang::En).all());
        assert_eq!(zh.len(), en.len());
        for s in zh.iter().chain(&en) {
            assert!(!s.trim().is_empty(), "a blank string in {name}");
        }
        // Guards against a table copied from the other language and never translated: at
        // least nine in ten strings differ.
        let same = zh.iter().zip(&en).filter(|(a, b)| a == b).count();
        assert!(
            same * 10 <= zh.len(),
            "{name}: {same} of {} untranslated",
            zh.len()
        );
    }

    #[test]
    fn every_table_is_complete_and_translated() {
        check::<common::Common>("common");
        check::<home::HomeText>("home");
        check::<council::CouncilText>("council");
        check::<roster::RosterText>("roster");
        check::<me::MeText>("me");
        check::<points::PointsText>("points");
        check::<volunteer::VolunteerText>("volunteer");
        check::<services::ServicesText>("services");
        check::<polls::PollsText>("polls");
        check::<board::BoardText>("board");
        check::<ledger::LedgerText>("ledger");
    }
}
