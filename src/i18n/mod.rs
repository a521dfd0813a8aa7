//! Message tables: zh-CN (the default) and English.
//!
//! A typed table rather than `leptos_i18n` or Fluent: one `Messages` struct with a field per
//! string and one `static` per language. A missing translation is a compile error, a lookup is a
//! field read (no parsing, no hashing, nothing shipped but the strings themselves), and the
//! whole mechanism adds no dependency to a bundle that must stay under 200 KB brotli. The
//! trade-off: no plural rules or runtime-loaded catalogues, which two languages whose
//! counts read the same way ("3 条") do not need yet.

mod en;
mod zh;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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

    /// This language's message table.
    pub fn messages(self) -> &'static Messages {
        match self {
            Lang::ZhCn => &zh::MESSAGES,
            Lang::En => &en::MESSAGES,
        }
    }
}

/// Every user-facing string of the app, one field each.
pub struct Messages {
    pub app_name: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_council: &'static str,
    pub nav_points: &'static str,
    pub nav_volunteer: &'static str,
    pub nav_me: &'static str,

    pub badge_online: &'static str,
    pub badge_offline: &'static str,
    pub badge_online_hint: &'static str,
    pub badge_offline_hint: &'static str,

    pub home_title: &'static str,
    pub home_empty_title: &'static str,
    pub home_empty_body: &'static str,
    pub home_empty_steps: [&'static str; 3],

    pub council_title: &'static str,
    pub council_empty_title: &'static str,
    pub council_empty_body: &'static str,
    pub council_empty_items: [&'static str; 3],

    pub points_title: &'static str,
    pub points_empty_title: &'static str,
    pub points_empty_body: &'static str,
    pub points_empty_items: [&'static str; 3],

    pub volunteer_title: &'static str,
    pub volunteer_empty_title: &'static str,
    pub volunteer_empty_body: &'static str,
    pub volunteer_empty_items: [&'static str; 3],

    pub me_title: &'static str,
    pub me_community: &'static str,
    pub me_no_community: &'static str,
    pub me_settings: &'static str,
    pub me_language: &'static str,
    pub me_large_text: &'static str,
    pub me_large_text_hint: &'static str,
    pub me_saved_on_device: &'static str,
    pub me_not_saved: &'static str,
    pub me_about: &'static str,
    pub me_about_body: &'static str,

    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub not_found_back: &'static str,

    pub error_title: &'static str,
    pub store_unavailable: &'static str,
    pub store_read_failed: &'static str,
    pub store_write_failed: &'static str,
    pub store_quota: &'static str,
    pub dismiss: &'static str,

    pub role_admin: &'static str,
    pub role_council: &'static str,
    pub role_worker: &'static str,
    pub role_resident: &'static str,
    pub home_loading: &'static str,
    pub home_create: &'static str,
    pub home_join: &'static str,
    pub home_members: &'static str,
    pub home_your_role: &'static str,
    pub home_pending: &'static str,
    pub home_invite: &'static str,
    pub home_member_list: &'static str,
    pub create_title: &'static str,
    pub create_intro: &'static str,
    pub create_name: &'static str,
    pub create_founder: &'static str,
    pub create_household: &'static str,
    pub create_endpoint: &'static str,
    pub create_submit: &'static str,
    pub join_title: &'static str,
    pub join_paste: &'static str,
    pub join_open: &'static str,
    pub join_bad_link: &'static str,
    pub join_loading: &'static str,
    pub join_community: &'static str,
    pub join_name: &'static str,
    pub join_submit: &'static str,
    pub join_already: &'static str,
    pub invite_title: &'static str,
    pub invite_role: &'static str,
    pub invite_household: &'static str,
    pub invite_submit: &'static str,
    pub invite_link: &'static str,
    pub invite_copy: &'static str,
    pub invite_copied: &'static str,
    pub invite_qr: &'static str,
    pub invite_not_allowed: &'static str,
    pub members_title: &'static str,
    pub members_me: &'static str,
    pub members_devices: &'static str,
    pub diag_title: &'static str,
    pub diag_space: &'static str,
    pub diag_device: &'static str,
    pub diag_key_kind: &'static str,
    pub key_webcrypto: &'static str,
    pub key_seed: &'static str,
    pub diag_events: &'static str,
    pub diag_accepted: &'static str,
    pub diag_rejected: &'static str,
    pub diag_state: &'static str,
    pub diag_unsent: &'static str,
    pub diag_last_sync: &'static str,
    pub diag_never: &'static str,
    pub diag_endpoint: &'static str,
    pub diag_sync_now: &'static str,
    pub diag_export_unsent: &'static str,
    pub diag_export_all: &'static str,
    pub diag_import: &'static str,
    pub diag_files_hint: &'static str,
    pub diag_nothing_unsent: &'static str,
    pub import_added: &'static str,
    pub import_duplicate: &'static str,
    pub import_rejected: &'static str,
    pub import_bad_file: &'static str,
    pub me_sync_data: &'static str,
    pub badge_unsent: &'static str,
    pub badge_syncing: &'static str,
    pub badge_synced: &'static str,
    pub badge_unreachable: &'static str,
    pub badge_readonly: &'static str,
    pub badge_failed: &'static str,
    pub err_sign: &'static str,
    pub err_net: &'static str,
    pub err_rejected: &'static str,
    pub err_required: &'static str,
    pub err_invite_used: &'static str,
    pub join_follow: &'static str,
    pub join_follow_hint: &'static str,
    pub members_first: &'static str,
    pub st_collecting: &'static str,
    pub st_deliberating: &'static str,
    pub st_voting: &'static str,
    pub st_decided: &'static str,
    pub st_implementing: &'static str,
    pub st_done: &'static str,
    pub st_withdrawn: &'static str,
    pub council_propose: &'static str,
    pub council_none_yet: &'static str,
    pub p_seconds: &'static str,
    pub p_second_action: &'static str,
    pub p_seconded: &'static str,
    pub p_comments: &'static str,
    pub p_comment_placeholder: &'static str,
    pub p_comment_send: &'static str,
    pub p_hidden: &'static str,
    pub p_hide: &'static str,
    pub p_hide_reason: &'static str,
    pub p_vote: &'static str,
    pub p_your_vote: &'static str,
    pub p_change_hint: &'static str,
    pub p_confirm: &'static str,
    pub p_tally_hidden: &'static str,
    pub p_not_eligible: &'static str,
    pub p_open: &'static str,
    pub p_close: &'static str,
    pub p_withdraw: &'static str,
    pub p_outcome_passed: &'static str,
    pub p_outcome_rejected: &'static str,
    pub p_outcome_no_quorum: &'static str,
    pub p_turnout: &'static str,
    pub p_progress: &'static str,
    pub p_progress_placeholder: &'static str,
    pub p_progress_done: &'static str,
    pub p_progress_send: &'static str,
    pub p_print: &'static str,
    pub p_rules: &'static str,
    pub elig_resident: &'static str,
    pub elig_household: &'static str,
    pub elig_council: &'static str,
    pub thr_simple: &'static str,
    pub thr_two_thirds: &'static str,
    pub quorum: &'static str,
    pub new_title: &'static str,
    pub new_title_field: &'static str,
    pub new_body_field: &'static str,
    pub new_category_field: &'static str,
    pub new_eligibility: &'static str,
    pub new_threshold: &'static str,
    pub new_quorum: &'static str,
    pub new_seconds: &'static str,
    pub new_hide: &'static str,
    pub new_submit: &'static str,
    pub new_bad_number: &'static str,
    pub p_not_found: &'static str,
    pub notice_ballot: &'static str,
    pub m_section: &'static str,
    pub m_new: &'static str,
    pub m_title_field: &'static str,
    pub m_at_field: &'static str,
    pub m_place_field: &'static str,
    pub m_submit: &'static str,
    pub m_code: &'static str,
    pub m_code_hint: &'static str,
    pub m_checkin: &'static str,
    pub m_checked_in: &'static str,
    pub m_code_placeholder: &'static str,
    pub m_attendance: &'static str,
    pub m_minutes: &'static str,
    pub m_minutes_placeholder: &'static str,
    pub m_minutes_send: &'static str,
    pub m_wrong_code: &'static str,
    pub m_print: &'static str,
    pub m_not_found: &'static str,
    pub cancel: &'static str,
    pub opt_yes: &'static str,
    pub opt_no: &'static str,
    pub opt_abstain: &'static str,
}

/// The current language and its setter, provided once at the root.
#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: ReadSignal<Lang>,
    pub set_lang: WriteSignal<Lang>,
}

impl I18n {
    /// The table of the current language; tracked, so views that call it update on a switch.
    pub fn t(&self) -> &'static Messages {
        self.lang.get().messages()
    }
}

/// The i18n context provided by [`crate::app::App`].
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("fr"), None);
    }

    /// Guards against a table copied from the other language and never translated.
    #[test]
    fn tables_differ_where_they_must() {
        let (zh, en) = (Lang::ZhCn.messages(), Lang::En.messages());
        assert_ne!(zh.nav_home, en.nav_home);
        assert_ne!(zh.council_empty_body, en.council_empty_body);
        assert_ne!(zh.store_write_failed, en.store_write_failed);
    }

    #[test]
    fn no_message_is_blank() {
        for lang in Lang::ALL {
            let m = lang.messages();
            let all = [
                m.app_name,
                m.nav_label,
                m.nav_home,
                m.nav_council,
                m.nav_points,
                m.nav_volunteer,
                m.nav_me,
                m.badge_online,
                m.badge_offline,
                m.home_title,
                m.home_empty_title,
                m.home_empty_body,
                m.council_title,
                m.council_empty_title,
                m.council_empty_body,
                m.points_title,
                m.points_empty_title,
                m.points_empty_body,
                m.volunteer_title,
                m.volunteer_empty_title,
                m.volunteer_empty_body,
                m.me_title,
                m.me_language,
                m.me_large_text,
                m.me_saved_on_device,
                m.me_not_saved,
                m.store_unavailable,
                m.store_write_failed,
                m.role_admin,
                m.role_council,
                m.role_worker,
                m.role_resident,
                m.home_loading,
                m.home_create,
                m.home_join,
                m.home_members,
                m.home_your_role,
                m.home_pending,
                m.home_invite,
                m.home_member_list,
                m.create_title,
                m.create_intro,
                m.create_name,
                m.create_founder,
                m.create_household,
                m.create_endpoint,
                m.create_submit,
                m.join_title,
                m.join_paste,
                m.join_open,
                m.join_bad_link,
                m.join_loading,
                m.join_community,
                m.join_name,
                m.join_submit,
                m.join_already,
                m.invite_title,
                m.invite_role,
                m.invite_household,
                m.invite_submit,
                m.invite_link,
                m.invite_copy,
                m.invite_copied,
                m.invite_qr,
                m.invite_not_allowed,
                m.members_title,
                m.members_me,
                m.members_devices,
                m.diag_title,
                m.diag_space,
                m.diag_device,
                m.diag_key_kind,
                m.key_webcrypto,
                m.key_seed,
                m.diag_events,
                m.diag_accepted,
                m.diag_rejected,
                m.diag_state,
                m.diag_unsent,
                m.diag_last_sync,
                m.diag_never,
                m.diag_endpoint,
                m.diag_sync_now,
                m.diag_export_unsent,
                m.diag_export_all,
                m.diag_import,
                m.diag_files_hint,
                m.diag_nothing_unsent,
                m.import_added,
                m.import_duplicate,
                m.import_rejected,
                m.import_bad_file,
                m.me_sync_data,
                m.badge_unsent,
                m.badge_syncing,
                m.badge_synced,
                m.badge_unreachable,
                m.badge_readonly,
                m.badge_failed,
                m.err_sign,
                m.err_net,
                m.err_rejected,
                m.err_required,
                m.err_invite_used,
                m.join_follow,
                m.join_follow_hint,
                m.members_first,
                m.st_collecting,
                m.st_deliberating,
                m.st_voting,
                m.st_decided,
                m.st_implementing,
                m.st_done,
                m.st_withdrawn,
                m.council_propose,
                m.council_none_yet,
                m.p_seconds,
                m.p_second_action,
                m.p_seconded,
                m.p_comments,
                m.p_comment_placeholder,
                m.p_comment_send,
                m.p_hidden,
                m.p_hide,
                m.p_hide_reason,
                m.p_vote,
                m.p_your_vote,
                m.p_change_hint,
                m.p_confirm,
                m.p_tally_hidden,
                m.p_not_eligible,
                m.p_open,
                m.p_close,
                m.p_withdraw,
                m.p_outcome_passed,
                m.p_outcome_rejected,
                m.p_outcome_no_quorum,
                m.p_turnout,
                m.p_progress,
                m.p_progress_placeholder,
                m.p_progress_done,
                m.p_progress_send,
                m.p_print,
                m.p_rules,
                m.elig_resident,
                m.elig_household,
                m.elig_council,
                m.thr_simple,
                m.thr_two_thirds,
                m.quorum,
                m.new_title,
                m.new_title_field,
                m.new_body_field,
                m.new_category_field,
                m.new_eligibility,
                m.new_threshold,
                m.new_quorum,
                m.new_seconds,
                m.new_hide,
                m.new_submit,
                m.new_bad_number,
                m.p_not_found,
                m.notice_ballot,
                m.m_section,
                m.m_new,
                m.m_title_field,
                m.m_at_field,
                m.m_place_field,
                m.m_submit,
                m.m_code,
                m.m_code_hint,
                m.m_checkin,
                m.m_checked_in,
                m.m_code_placeholder,
                m.m_attendance,
                m.m_minutes,
                m.m_minutes_placeholder,
                m.m_minutes_send,
                m.m_wrong_code,
                m.m_print,
                m.m_not_found,
                m.cancel,
                m.opt_yes,
                m.opt_no,
                m.opt_abstain,
            ];
            for s in all
                .into_iter()
                .chain(m.home_empty_steps)
                .chain(m.council_empty_items)
                .chain(m.points_empty_items)
                .chain(m.volunteer_empty_items)
            {
                assert!(!s.trim().is_empty(), "blank message in {lang:?}");
            }
        }
    }
}
