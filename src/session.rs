//! The joined community as the UI sees it: one [`Community`] behind an async lock (actions and
//! background syncs never interleave inside it), a plain-data [`CommunityView`] signal that
//! pages render, and the sync status shown in the badge.
//!
//! Sync runs on start, when the browser comes back online, every [`SYNC_EVERY_MS`] while the
//! app is open (backing off after failures, up to [`MAX_BACKOFF_MS`]), after every action, and
//! when asked.

use std::rc::Rc;

use futures::lock::Mutex;
use leptos::prelude::*;
use linli_domain::council::{Eligibility, Status, Tally, Threshold};
use linli_domain::Role;

use crate::community::{ActError, Community};
use crate::store::log::SpaceRecord;
use crate::store::Store;
use crate::sync::{self, SyncError};

/// Period of the background sync.
pub const SYNC_EVERY_MS: f64 = 20_000.0;
/// Longest wait between attempts after failures.
pub const MAX_BACKOFF_MS: f64 = 300_000.0;

/// One roster entry as shown in the app: the display name masked (张*明), never a household.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberRow {
    /// Member id (hex).
    pub id: String,
    /// Masked display name.
    pub name: String,
    /// Role now.
    pub role: Role,
    /// Active devices.
    pub devices: usize,
    /// Whether it is this device's member.
    pub me: bool,
}

/// A meeting in the list.
#[derive(Clone, Debug, PartialEq)]
pub struct MeetingRow {
    /// Its id (hex).
    pub id: String,
    /// Title.
    pub title: String,
    /// When (ms).
    pub at: i64,
    /// How many checked in.
    pub attendance: usize,
}

/// One meeting, everything its page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct MeetingDetail {
    /// Id (hex).
    pub id: String,
    /// Title.
    pub title: String,
    /// When (ms).
    pub at: i64,
    /// Where.
    pub place: String,
    /// Masked names of those who checked in.
    pub attendance: Vec<String>,
    /// Whether this device's member checked in.
    pub checked_in: bool,
    /// The minutes, once posted.
    pub minutes: Option<String>,
}

fn meeting_rows(c: &Community) -> Vec<MeetingRow> {
    let mut rows: Vec<MeetingRow> = c
        .space
        .state()
        .council
        .meetings()
        .into_iter()
        .map(|m| MeetingRow {
            id: m.id.to_hex(),
            title: m.schedule.title.to_string(),
            at: m.schedule.at,
            attendance: m.attendance.len(),
        })
        .collect();
    rows.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.id.cmp(&b.id)));
    rows
}

fn meeting_detail(c: &Community, id: &str) -> Option<MeetingDetail> {
    let id = linli_domain::Hex32::parse(id).ok()?;
    let state = c.space.state();
    let m = state.council.meetings().into_iter().find(|m| m.id == id)?;
    let me = c.me();
    Some(MeetingDetail {
        id: m.id.to_hex(),
        title: m.schedule.title.to_string(),
        at: m.schedule.at,
        place: m.schedule.place.to_string(),
        attendance: m
            .attendance
            .iter()
            .map(|a| {
                state
                    .roster
                    .member(a)
                    .map(|x| mask_name(&x.name))
                    .unwrap_or_default()
            })
            .collect(),
        checked_in: me.is_some_and(|a| m.attendance.contains(&a.id)),
        minutes: m.minutes.as_ref().map(|x| x.to_string()),
    })
}

/// A proposal in the list.
#[derive(Clone, Debug, PartialEq)]
pub struct ProposalRow {
    /// Its id (hex).
    pub id: String,
    /// Title.
    pub title: String,
    /// Category.
    pub category: String,
    /// Where it stands.
    pub status: Status,
    /// Seconds so far and needed.
    pub seconds: (usize, u32),
    /// When it was proposed (ms).
    pub ts: i64,
}

/// A comment as shown: masked author name.
#[derive(Clone, Debug, PartialEq)]
pub struct CommentRow {
    /// Its id (hex).
    pub id: String,
    /// Masked name of the author.
    pub name: String,
    /// The text.
    pub text: String,
    /// Hidden by the council, with the reason.
    pub hidden: Option<String>,
}

/// One proposal, everything its page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ProposalDetail {
    /// Id (hex).
    pub id: String,
    /// Terms.
    pub title: String,
    /// Body.
    pub body: String,
    /// Category.
    pub category: String,
    /// Options.
    pub options: Vec<String>,
    /// Who votes.
    pub eligibility: Eligibility,
    /// What passes.
    pub threshold: Threshold,
    /// Quorum %.
    pub quorum_pct: u8,
    /// Where it stands.
    pub status: Status,
    /// Seconds so far and needed.
    pub seconds: (usize, u32),
    /// Whether this device's member proposed it.
    pub mine: bool,
    /// Whether this device's member seconded it.
    pub seconded: bool,
    /// Whether this device's member may vote on it.
    pub can_vote: bool,
    /// This device's member's current vote.
    pub my_vote: Option<u32>,
    /// Votes per option (running or final), unless hidden until the close.
    pub counts: Option<Vec<u32>>,
    /// The result, once closed.
    pub tally: Option<Tally>,
    /// Comments.
    pub comments: Vec<CommentRow>,
    /// Follow-up reports: text and whether it marked the end.
    pub progress: Vec<(String, bool)>,
}

fn proposal_rows(c: &Community) -> Vec<ProposalRow> {
    let mut rows: Vec<ProposalRow> = c
        .space
        .state()
        .council
        .proposals()
        .into_iter()
        .map(|p| ProposalRow {
            id: p.id.to_hex(),
            title: p.spec.title.to_string(),
            category: p.spec.category.to_string(),
            status: p.status,
            seconds: (p.seconds.len(), p.spec.seconds_needed),
            ts: p.ts,
        })
        .collect();
    rows.sort_by(|a, b| b.ts.cmp(&a.ts).then_with(|| a.id.cmp(&b.id)));
    rows
}

fn proposal_detail(c: &Community, id: &str) -> Option<ProposalDetail> {
    let id = linli_domain::Hex32::parse(id).ok()?;
    let state = c.space.state();
    let p = state.council.proposal(&id)?;
    let me = c.me();
    let roster = &state.roster;
    let name_of = |m: &linli_domain::MemberId| {
        roster
            .member(m)
            .map(|m| mask_name(&m.name))
            .unwrap_or_default()
    };
    let can_vote = me.is_some_and(|a| p.voter(roster, &a).is_ok());
    Some(ProposalDetail {
        id: p.id.to_hex(),
        title: p.spec.title.to_string(),
        body: p.spec.body.to_string(),
        category: p.spec.category.to_string(),
        options: p.spec.options.iter().map(|o| o.to_string()).collect(),
        eligibility: p.spec.eligibility,
        threshold: p.spec.threshold,
        quorum_pct: p.spec.quorum_pct,
        status: p.status,
        seconds: (p.seconds.len(), p.spec.seconds_needed),
        mine: me.is_some_and(|a| a.id == p.by),
        seconded: me.is_some_and(|a| p.seconds.contains(&a.id)),
        can_vote,
        my_vote: me.and_then(|a| p.vote_of(&a.id)),
        counts: p.running_counts(),
        tally: p.tally.clone(),
        comments: p
            .comments
            .iter()
            .map(|cm| CommentRow {
                id: cm.id.to_hex(),
                name: name_of(&cm.by),
                text: cm.text.to_string(),
                hidden: cm.hidden.as_ref().map(|h| h.to_string()),
            })
            .collect(),
        progress: p
            .progress
            .iter()
            .map(|g| (g.text.to_string(), g.done))
            .collect(),
    })
}

/// Everything pages show about the community, refreshed after each change.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct CommunityView {
    /// Space id (hex).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Where it syncs.
    pub endpoint: String,
    /// This device's key (hex).
    pub device: String,
    /// `webcrypto` or `seed`.
    pub key_kind: &'static str,
    /// This device's member's role, once on the roster.
    pub role: Option<Role>,
    /// Members on the roster (the list itself is read on the members page: building it for a
    /// community of 50,000 after every action would cost a third of a second).
    pub member_count: usize,
    /// Events held.
    pub events: u64,
    /// Accepted and rejected by the fold.
    pub accepted: u64,
    /// Rejected by the fold.
    pub rejected: u64,
    /// First 12 hex of SHA-256 of the canonical state.
    pub state_hash: String,
    /// Own events not yet acknowledged.
    pub unsent: usize,
    /// Last successful sync (ms since the epoch).
    pub last_sync_ms: Option<f64>,
    /// Whether the full log is loaded (false while only the stored snapshot is shown).
    pub loaded: bool,
    /// Proposals, newest first.
    pub proposals: Vec<ProposalRow>,
    /// Meetings, latest first.
    pub meetings: Vec<MeetingRow>,
}

/// Where sync stands.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum SyncStatus {
    /// Nothing to sync with, or not tried yet.
    #[default]
    Idle,
    /// Running.
    Syncing,
    /// The last attempt reached the endpoint.
    Synced,
    /// The endpoint could not be reached.
    Unreachable,
    /// The endpoint is a read-only mirror.
    ReadOnly,
    /// The endpoint answered with an error or damaged data.
    Failed(String),
}

/// Masks a display name for lists: first and last character kept (张*明, 王*), as public
/// boards do.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => format!("{}*", chars[0]),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// The session context: `Copy`, so closures and contexts take it freely (the community itself
/// lives in a local arena slot; Leptos needs contexts to be `Send`).
#[derive(Clone, Copy)]
pub struct Session {
    inner: StoredValue<Rc<Mutex<Option<Community>>>, LocalStorage>,
    /// What pages render; `None` until a community is joined or created.
    pub view: RwSignal<Option<CommunityView>>,
    /// The badge's state.
    pub status: RwSignal<SyncStatus>,
    /// Whether the store has been read (false: still starting).
    pub started: RwSignal<bool>,
    /// Whether a page shows the state hash (it is costly on a large community, so it is
    /// computed only while someone looks at it).
    pub hash_wanted: RwSignal<bool>,
    failures: RwSignal<u32>,
    next_try_ms: RwSignal<f64>,
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

/// The roster as the members page shows it, sorted by role then name.
fn member_rows(c: &Community) -> Vec<MemberRow> {
    let roster = &c.space.state().roster;
    let me = c.me();
    let mut members: Vec<MemberRow> = roster
        .members()
        .map(|m| MemberRow {
            id: m.id.to_hex(),
            name: mask_name(&m.name),
            role: m.role,
            devices: roster.active_devices(m).len(),
            me: me.is_some_and(|a| a.id == m.id),
        })
        .collect();
    members.sort_by(|a, b| (a.role, &a.name, &a.id).cmp(&(b.role, &b.name, &b.id)));
    members
}

fn view_of(c: &Community, with_hash: bool) -> CommunityView {
    let state = c.space.state();
    let me = c.me();
    let roster = &state.roster;
    let snap = c.snapshot();
    let state_hash = if with_hash {
        c.state_hash()
    } else {
        snap.state_hash
    };
    CommunityView {
        id: c.record.space.clone(),
        name: c.record.name.clone(),
        endpoint: c.record.endpoint.clone(),
        device: c.record.device.clone(),
        key_kind: c.signer.kind(),
        role: me.map(|a| a.role),
        member_count: roster.member_count(),
        proposals: proposal_rows(c),
        meetings: meeting_rows(c),
        events: snap.events,
        accepted: snap.accepted,
        rejected: snap.rejected,
        state_hash,
        unsent: c.unsent,
        last_sync_ms: c.record.last_sync_ms,
        loaded: true,
    }
}

/// The first screen on a warm start: the stored snapshot, before the log is read back.
fn view_of_record(r: &SpaceRecord) -> CommunityView {
    CommunityView {
        id: r.space.clone(),
        name: r.name.clone(),
        endpoint: r.endpoint.clone(),
        device: r.device.clone(),
        member_count: r.snapshot.members as usize,
        events: r.snapshot.events,
        accepted: r.snapshot.accepted,
        rejected: r.snapshot.rejected,
        state_hash: r.snapshot.state_hash.clone(),
        last_sync_ms: r.last_sync_ms,
        loaded: false,
        ..CommunityView::default()
    }
}

impl Session {
    /// No community yet.
    pub fn new() -> Session {
        Session {
            inner: StoredValue::new_local(Rc::new(Mutex::new(None))),
            view: RwSignal::new(None),
            status: RwSignal::new(SyncStatus::Idle),
            started: RwSignal::new(false),
            hash_wanted: RwSignal::new(false),
            failures: RwSignal::new(0),
            next_try_ms: RwSignal::new(0.0),
        }
    }

    /// Reads the joined community back from the store: its snapshot at once, then its log.
    pub async fn start(&self, store: &Store) -> Result<(), ActError> {
        let records = store.spaces().await?;
        let Some(record) = records.into_iter().next() else {
            self.started.set(true);
            return Ok(());
        };
        self.view.set(Some(view_of_record(&record)));
        self.started.set(true);
        let c = Community::load(store, record).await?;
        self.view
            .set(Some(view_of(&c, self.hash_wanted.get_untracked())));
        *self.inner.get_value().lock().await = Some(c);
        Ok(())
    }

    /// Makes `c` the session's community.
    pub async fn install(&self, c: Community) {
        self.view
            .set(Some(view_of(&c, self.hash_wanted.get_untracked())));
        *self.inner.get_value().lock().await = Some(c);
    }

    /// Runs an action on the community, then refreshes the view. `Ok(None)` when there is no
    /// community.
    pub async fn with<T>(
        &self,
        f: impl AsyncFnOnce(&mut Community) -> Result<T, ActError>,
    ) -> Result<Option<T>, ActError> {
        let inner = self.inner.get_value();
        let mut guard = inner.lock().await;
        let Some(c) = guard.as_mut() else {
            return Ok(None);
        };
        let result = f(c).await;
        self.view
            .set(Some(view_of(c, self.hash_wanted.get_untracked())));
        result.map(Some)
    }

    /// One meeting's page.
    pub async fn meeting(&self, id: &str) -> Option<MeetingDetail> {
        let inner = self.inner.get_value();
        let guard = inner.lock().await;
        guard.as_ref().and_then(|c| meeting_detail(c, id))
    }

    /// One proposal's page.
    pub async fn proposal(&self, id: &str) -> Option<ProposalDetail> {
        let inner = self.inner.get_value();
        let guard = inner.lock().await;
        guard.as_ref().and_then(|c| proposal_detail(c, id))
    }

    /// The member list (masked names).
    pub async fn members(&self) -> Vec<MemberRow> {
        let inner = self.inner.get_value();
        let guard = inner.lock().await;
        guard.as_ref().map(member_rows).unwrap_or_default()
    }

    /// Recomputes the view (with the state hash when a page wants it).
    pub async fn refresh(&self) {
        let inner = self.inner.get_value();
        let guard = inner.lock().await;
        if let Some(c) = guard.as_ref() {
            self.view
                .set(Some(view_of(c, self.hash_wanted.get_untracked())));
        }
    }

    /// Syncs now (skipped when another sync holds the community: it will pick up the news).
    pub async fn sync_now(&self, store: &Store) {
        let inner = self.inner.get_value();
        let Some(mut guard) = inner.try_lock() else {
            return;
        };
        let Some(c) = guard.as_mut() else {
            return;
        };
        if c.record.endpoint.is_empty() {
            return;
        }
        self.status.set(SyncStatus::Syncing);
        let result = sync::sync(store, c).await;
        self.view
            .set(Some(view_of(c, self.hash_wanted.get_untracked())));
        drop(guard);
        let status = match result {
            Ok(_) => SyncStatus::Synced,
            Err(SyncError::Unreachable(_)) => SyncStatus::Unreachable,
            Err(SyncError::ReadOnly) => SyncStatus::ReadOnly,
            Err(e) => SyncStatus::Failed(e.to_string()),
        };
        let ok = matches!(status, SyncStatus::Synced | SyncStatus::ReadOnly);
        let failures = if ok {
            0
        } else {
            self.failures.get_untracked() + 1
        };
        self.failures.set(failures);
        let wait = if ok {
            SYNC_EVERY_MS
        } else {
            (5_000.0 * 2f64.powi(failures.min(10) as i32)).min(MAX_BACKOFF_MS)
        };
        self.next_try_ms.set(js_sys::Date::now() + wait);
        self.status.set(status);
    }

    /// Starts the background schedule: a tick every few seconds that syncs when due, and a
    /// sync whenever the browser comes back online.
    pub fn schedule(&self, store: Rc<Store>) {
        let s = *self;
        let st = StoredValue::new_local(Rc::clone(&store));
        let online = window_event_listener(leptos::ev::online, move |_| {
            let st = st.get_value();
            s.next_try_ms.set(0.0);
            leptos::task::spawn_local(async move { s.sync_now(&st).await });
        });
        // Lives as long as the page.
        std::mem::forget(online);
        let _ = set_interval_with_handle(
            move || {
                if js_sys::Date::now() >= s.next_try_ms.get_untracked() {
                    let st = st.get_value();
                    leptos::task::spawn_local(async move { s.sync_now(&st).await });
                }
            },
            std::time::Duration::from_millis(3_000),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_masked() {
        assert_eq!(mask_name("张三明"), "张*明");
        assert_eq!(mask_name("王五"), "王*");
        assert_eq!(mask_name("欧阳娜娜"), "欧**娜");
        assert_eq!(mask_name("A"), "A*");
        assert_eq!(mask_name("  "), "");
    }
}
