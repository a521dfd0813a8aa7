//! 加入社区 — join from an invitation link: `/#e={endpoint}&s={space}&k={secret}`. A link
//! without a secret follows the community read-only.
//!
//! The whole community is read (downloaded, every signature checked, folded) before this
//! device keeps it — 3.6 MB for the demo, half a minute on a slow phone. So the page never
//! waits blank: the name field is there at once, a progress bar counts the files read and the
//! events checked, and the community's name and the role the invitation grants (你将以议事会成员
//! 身份加入) appear as soon as the events that say them are read. 加入 may be tapped while it
//! reads: the name is checked by the domain at once, the button then says that the join
//! follows the reading, and the device signs `member.join` the moment the community is read
//! (with the name as it is then) — nobody has to come back and tap again.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use linli_domain::roster::act::{Join as JoinAct, MAX_NAME_CHARS};
use linli_domain::{roster, Command, DeviceKey, Hex32, Role, Space};

use crate::components::{FormError, TextArea, TextField};
use crate::engine::link::{parse_invite, InviteLink};
use crate::engine::{held, install, ActError, Community};
use crate::hooks::{code_text, use_act};
use crate::i18n::roster::RosterText;
use crate::i18n::{fill, use_i18n, use_texts, Common, Texts};
use crate::sync::fast::fetch_from_checkpoint;
use crate::sync::{fetch_space, Fetched, Progress, SyncError};

/// The name field, as the domain names it (`kind/field`).
const NAME: &str = "member.join/name";

/// Where the join stands.
#[derive(Clone)]
enum Stage {
    /// No usable link yet: ask for one.
    Paste,
    /// The link is open: the community is being read, or has been ([`Join`]'s `done`).
    Open(InviteLink),
    /// Reading it failed (the error says why): offer to try again.
    Failed(InviteLink),
}

/// What the community read so far says about this invitation.
#[derive(Clone, Debug, Default, PartialEq)]
struct Seen {
    /// The community's name, once its genesis is read.
    community: Option<String>,
    /// The role the invitation grants, and whether it can still be used (not used, not
    /// withdrawn), once the invitation is read.
    invite: Option<(Role, bool)>,
}

impl Seen {
    /// What `space` says of the invitation whose hash is `invite`.
    fn of(space: &Space, invite: Option<&Hex32>) -> Seen {
        let state = space.state();
        Seen {
            community: state.name.clone(),
            invite: invite
                .and_then(|i| state.roster.invite_state(i))
                .map(|i| (i.role, i.used_by.is_none() && !i.revoked)),
        }
    }
}

/// A download's size as "1.2 MB" or "350 KB" (KB = 1,000 bytes).
fn size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{} KB", bytes / 1000)
    }
}

/// The join page.
#[component]
pub fn Join() -> impl IntoView {
    let t = use_texts::<RosterText>();
    let i18n = use_i18n();
    let act = use_act();
    let session = act.session();
    let stage = RwSignal::new(Stage::Paste);
    let pasted = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    // How far the reading is (`None` until the manifest is in), what it says so far, whether
    // it is done, and whether the user asked to join as soon as it is.
    let progress = RwSignal::new(None::<Progress>);
    let seen = RwSignal::new(Seen::default());
    let done = RwSignal::new(false);
    let queued = RwSignal::new(false);
    let navigate = StoredValue::new_local(use_navigate());
    // "Verify everything first": read from the genesis even when a counted checkpoint is
    // published. Each reading has a number; a reading that was replaced says nothing more.
    let check_all = RwSignal::new(false);
    let reading_no = StoredValue::new(0u32);
    // Events the checkpoint covers, when the community was read fast (for the notice).
    let fast_from = RwSignal::new(None::<u64>);
    // The community as fetched, kept until the join (taken by it).
    let fetched = StoredValue::new_local(None::<Fetched>);

    // Joins (or follows) with the community read. The domain judges the join on the fetched
    // community first, so a refusal keeps it and the user can correct and tap again.
    let join_now = move || {
        let Some(Stage::Open(link)) = stage.try_get_untracked() else {
            return;
        };
        let name = name.get_untracked();
        if let Some(secret) = &link.secret {
            let join = Command::Roster(roster::Act::Join(JoinAct::new(secret, &name)));
            let verdict = fetched.with_value(|f| {
                f.as_ref()
                    .map(|f| f.space.check(&DeviceKey::default(), &join))
            });
            if let Some(Err(code)) = verdict {
                act.fail(code_text(i18n.t(), code));
                return;
            }
        }
        let Some(space) = fetched.try_update_value(Option::take).flatten() else {
            return;
        };
        act.run(
            async move {
                let store = session.store().ok_or(ActError::NoCommunity)?;
                if held(session).is_some() {
                    return Err(ActError::Invalid("already joined"));
                }
                let c = match &link.secret {
                    Some(secret) => {
                        Community::join(&store, &link.endpoint, space, secret, &name).await?
                    }
                    None => Community::follow(&store, &link.endpoint, space).await?,
                };
                install(session, store, c);
                // Drop the secret from the address bar and history.
                let _ = window().history().and_then(|h| {
                    h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"))
                });
                Ok(())
            },
            move |()| navigate.with_value(|go| go("/", Default::default())),
        );
    };

    // Reads the community of a link, showing the progress, then joins if asked to already.
    let read = move |link: InviteLink| {
        act.error.set(None);
        progress.set(None);
        seen.set(Seen::default());
        done.set(false);
        fast_from.set(None);
        stage.set(Stage::Open(link.clone()));
        reading_no.update_value(|n| *n += 1);
        let no = reading_no.get_value();
        let current = move || reading_no.try_get_value() == Some(no);
        let full = check_all.get_untracked();
        leptos::task::spawn_local(async move {
            // The invitation the secret redeems, as the domain hashes it.
            let invite = link.secret.as_ref().map(|s| JoinAct::new(s, "").invite);
            let show = move |p: &Progress, space: &Space| {
                if !current() {
                    return;
                }
                progress.try_set(Some(*p));
                let now = Seen::of(space, invite.as_ref());
                if seen.try_with_untracked(|s| *s != now) == Some(true) {
                    seen.try_set(now);
                }
            };
            // From the latest counted checkpoint unless asked to check everything, or none
            // is published.
            let fast = if full {
                Ok(None)
            } else {
                fetch_from_checkpoint(&link.endpoint, link.space, show).await
            };
            let result = match fast {
                Ok(Some(f)) => Ok(f),
                Ok(None) => fetch_space(&link.endpoint, link.space, show).await,
                Err(e) => Err(e),
            };
            // The page may have been left meanwhile, or another reading begun.
            let Some(asked) = queued.try_get_untracked() else {
                return;
            };
            if !current() {
                return;
            }
            match result {
                Ok(f) => {
                    seen.try_set(Seen::of(&f.space, invite.as_ref()));
                    fast_from.try_set(f.start.as_ref().map(|s| s.events));
                    fetched.try_update_value(|v| *v = Some(f));
                    done.try_set(true);
                    if asked {
                        queued.try_set(false);
                        join_now();
                    }
                }
                Err(e) => {
                    leptos::logging::warn!("linli join: reading the community failed: {e}");
                    queued.try_set(false);
                    let lang = i18n.lang.get_untracked();
                    act.fail(read_error_text(RosterText::of(lang), Common::of(lang), &e));
                    stage.try_set(Stage::Failed(link));
                }
            }
        });
    };
    let open = move |fragment: String| {
        act.error.set(None);
        match parse_invite(&fragment) {
            Some(link) => read(link),
            None => {
                if !fragment.is_empty() {
                    act.fail(t().join_bad_link);
                }
                stage.set(Stage::Paste);
            }
        }
    };
    // The link that opened the app.
    if held(session).is_some() {
        act.fail(t().join_already);
    } else {
        open(window().location().hash().unwrap_or_default());
    }

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Stage::Open(link) = stage.get_untracked() else {
            return;
        };
        act.error.set(None);
        if let Some(secret) = &link.secret {
            // The domain's own checks of the payload (a blank name, say), before any waiting:
            // the field says what is wrong.
            let join = roster::Act::Join(JoinAct::new(secret, &name.get_untracked()));
            if !act.check(&join.into()) {
                return;
            }
        }
        if !done.get_untracked() {
            queued.set(true);
        } else if fetched.with_value(Option::is_some) {
            join_now();
        } else {
            // Taken by an attempt that failed after keeping it: read it again, then join.
            queued.set(true);
            read(link);
        }
    };

    // The progress bar and its counts, while the community is read: the elements stay, their
    // values follow the reading.
    let total = move || progress.with(|p| p.and_then(|p| p.events_total).filter(|&n| n > 0));
    let counts = move || {
        let m = t();
        progress.get().map_or_else(
            || m.join_loading.to_owned(),
            |p| match p.events_total {
                Some(total) => fill(
                    m.join_progress,
                    &[
                        ("files", &p.files),
                        ("files_total", &p.files_total),
                        ("verified", &p.verified.min(total)),
                        ("total", &total),
                    ],
                ),
                None => fill(
                    m.join_progress_open,
                    &[
                        ("files", &p.files),
                        ("files_total", &p.files_total),
                        ("verified", &p.verified),
                    ],
                ),
            },
        )
    };
    let downloaded = move || {
        let bytes = progress.with(|p| p.map_or(0, |p| p.bytes));
        (bytes > 0).then(|| fill(t().join_downloaded, &[("size", &size(bytes))]))
    };
    let reading = move || {
        view! {
            <div data-testid="join-progress">
                // Without a total the bar is indeterminate: it still moves.
                <progress class="card__progress"
                    aria-label=move || t().join_progress_label
                    max=move || total().map(|n| n.to_string())
                    value=move || total().and(progress.get()).map(|p| p.verified.to_string())></progress>
                <p class="card__muted" data-testid="join-progress-counts">{counts}</p>
                <p class="card__muted">{downloaded}</p>
            </div>
        }
    };
    let role_line = move || {
        let m = t();
        seen.get().invite.map(|(role, usable)| {
            if usable {
                let text = match role {
                    Role::Council | Role::Admin => m.join_as_council,
                    Role::Worker => m.join_as_worker,
                    Role::Resident => m.join_as_resident,
                };
                view! { <p class="join__role" data-testid="join-role"><strong>{text}</strong></p> }
                    .into_any()
            } else {
                view! { <p class="field__error" role="alert">{i18n.t().err_invite_used}</p> }
                    .into_any()
            }
        })
    };

    view! {
        <h1 class="page__title">{move || t().join_title}</h1>
        <FormError error=act.error/>
        {move || match stage.get() {
            Stage::Paste => view! {
                <form class="form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    let text = pasted.get_untracked();
                    let fragment = text.split_once('#').map(|(_, f)| f.to_owned()).unwrap_or(text);
                    open(fragment);
                }>
                    <TextArea label=Signal::derive(move || t().join_paste) name="link" value=pasted rows=3/>
                    <button class="button button--wide" type="submit">{t().join_open}</button>
                </form>
            }.into_any(),
            Stage::Failed(link) => view! {
                <label class="field field--check">
                    <input type="checkbox" data-testid="join-check-all"
                        prop:checked=move || check_all.get()
                        on:change=move |ev| check_all.set(event_target_checked(&ev))/>
                    " "{move || t().join_check_all}
                </label>
                <button class="button button--wide" type="button"
                    on:click=move |_| read(link.clone())>{move || t().join_retry}</button>
            }.into_any(),
            Stage::Open(link) => {
                let invited = link.secret.is_some();
                view! {
                    <section class="card">
                        // The community's name and the role are announced as they are read (the
                        // counts are not: the bar says how far it is when asked).
                        <div aria-live="polite">
                            <p class="card__muted">{move || t().join_community}</p>
                            {move || match seen.get().community {
                                Some(c) => view! { <h2 class="card__title" data-testid="join-community">{c}</h2> }.into_any(),
                                None => view! { <h2 class="card__title">{t().join_loading}</h2> }.into_any(),
                            }}
                            {invited.then_some(role_line)}
                        </div>
                        <Show when=move || !done.get()>{reading}</Show>
                        {move || fast_from.get().map(|events| view! {
                            <p class="card__muted" role="status" data-testid="join-fast">
                                {fill(t().join_fast_note, &[("events", &events)])}
                            </p>
                        })}
                        <label class="field field--check">
                            <input type="checkbox" data-testid="join-check-all"
                                prop:checked=move || check_all.get()
                                prop:disabled=move || queued.get() || act.busy.get()
                                on:change=move |ev| {
                                    check_all.set(event_target_checked(&ev));
                                    read(link.clone());
                                }/>
                            " "{move || t().join_check_all}
                        </label>
                    </section>
                    <form class="form" on:submit=submit novalidate>
                        {invited.then(|| view! {
                            <TextField label=Signal::derive(move || t().join_name) name="name" value=name
                                max=MAX_NAME_CHARS check=act.field(NAME)/>
                        })}
                        {(!invited).then(|| view! { <p class="card__muted">{move || t().join_follow_hint}</p> })}
                        <button class="button button--wide" type="submit"
                            disabled=move || act.busy.get() || queued.get()>
                            {move || match (queued.get(), invited) {
                                (true, _) => t().join_queued,
                                (false, true) => t().join_submit,
                                (false, false) => t().join_follow,
                            }}
                        </button>
                        <Show when=move || queued.get()>
                            <p class="card__muted" role="status">{move || t().join_queued_hint}</p>
                        </Show>
                    </form>
                }.into_any()
            }
        }}
    }
}

/// Why a community could not be read from its link, in the user's language: no network, a
/// server that does not answer, a wrong address, a server fault, or data that failed its
/// checks (nothing of which is kept).
fn read_error_text(t: &'static RosterText, m: &'static Common, e: &SyncError) -> &'static str {
    match e {
        SyncError::Unreachable(_) => m.err_net,
        SyncError::TimedOut(_) => t.join_err_timeout,
        SyncError::Http { status: 404, .. } => t.join_err_missing,
        SyncError::Http { .. } | SyncError::ReadOnly => t.join_err_server,
        SyncError::Damaged(_) | SyncError::Rollback { .. } => t.join_err_damaged,
        SyncError::FalseCheckpoint(_) => t.join_err_false_checkpoint,
        SyncError::UnderSigned(_) => t.join_err_under_signed,
        SyncError::Store(e) => crate::boot::store_error_text(m, e),
    }
}
