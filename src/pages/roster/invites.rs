//! Invitations in bulk and in view: the invitations still open (neither used nor withdrawn),
//! each with 撤销 (`member.invite_revoke`); and 批量邀请 — a printable sheet of invitation QR
//! codes for a building, so a worker registering a few hundred households does not make a
//! few hundred links by hand.
//!
//! A household is named in events by a code, never by its flat (events are public files):
//! the sheet makes a short random household code per flat and prints both side by side. The
//! flats and the links (their secrets) stay on this phone, in its storage, for reprinting;
//! they are never signed or synced.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use linli_domain::roster::act::InviteRevoke;
use linli_domain::{roster, Command, DeviceKey, Hex32, Role, Space};
use serde::{Deserialize, Serialize};

use crate::components::{Confirm, FormError, Issue, Notice, Qr, TextField};
use crate::engine::link::invite_link;
use crate::engine::{with, ActError};
use crate::hooks::{use_act, use_view, Acting};
use crate::i18n::invites::InvitesText;
use crate::i18n::{fill, use_i18n, use_texts};
use crate::session::use_session;
use crate::store::keys::random_bytes;

/// Most invitations on one sheet: a building of 20 floors × 6 flats.
pub const MAX_SHEET: u32 = 120;

/// Open invitations shown at most (the rest are counted).
const SHOWN: usize = 100;

/// Where this phone keeps its last sheet (flats and links: never synced).
const SHEET_KEY: &str = "invite-sheet";

/// Letters of household codes: no 0/O, 1/I/L.
const LETTERS: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// An open invitation as the council sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenInvite {
    /// The hash of its secret.
    pub hash: Hex32,
    /// The role it grants.
    pub role: Role,
    /// The household it admits to.
    pub household: String,
}

/// The invitations still open that `me` may withdraw (the domain's verdict on each), by
/// household, and how many there are in all.
pub fn open_invites(space: &Space, me: &DeviceKey) -> (Vec<OpenInvite>, usize) {
    let mut all: Vec<OpenInvite> = space
        .state()
        .roster
        .open_invites()
        .filter(|(hash, _)| {
            let revoke = roster::Act::InviteRevoke(InviteRevoke { invite: **hash });
            space.allows(me, &Command::Roster(revoke)).is_ok()
        })
        .map(|(hash, i)| OpenInvite {
            hash: *hash,
            role: i.role,
            household: i.household.to_string(),
        })
        .collect();
    all.sort_by(|a, b| (&a.household, a.role, a.hash).cmp(&(&b.household, b.role, b.hash)));
    let n = all.len();
    all.truncate(SHOWN);
    (all, n)
}

/// 未使用的邀请, each with 撤销.
#[component]
pub fn OpenInvites() -> impl IntoView {
    let t = use_texts::<InvitesText>();
    let i18n = use_i18n();
    let act = use_act();
    let list = use_view(open_invites);
    move || {
        let (rows, n) = list.get()?;
        (n > 0).then(|| view! {
            <section class="card" data-testid="open-invites">
                <h2 class="card__title">{move || t().open_title}<span class="count">{n}</span></h2>
                <p class="card__muted">{move || t().open_hint}</p>
                <FormError error=act.error/>
                <ul class="plist">
                    {rows.into_iter().map(|r| view! {
                        <li class="invites__row">
                            <span>{r.household.clone()}" · "{move || i18n.t().role(r.role)}</span>
                            <Revoke invite=r act/>
                        </li>
                    }).collect_view()}
                </ul>
                {(n > SHOWN).then(|| view! { <p class="card__muted">{fill(t().open_more, &[("n", &(n - SHOWN))])}</p> })}
            </section>
        })
    }
}

/// 撤销 one invitation, confirmed.
#[component]
fn Revoke(invite: OpenInvite, act: Acting) -> impl IntoView {
    let t = use_texts::<InvitesText>();
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let hash = invite.hash;
    let household = invite.household;
    view! {
        <button class="link-button" type="button" on:click=move |_| open.set(true)>{move || t().revoke}</button>
        <Confirm open
            title=Signal::derive(move || fill(t().revoke_title, &[("household", &household)]))
            body=Signal::derive(move || t().revoke_body.to_owned())
            confirm=Signal::derive(move || t().revoke)
            cancel=Signal::derive(move || i18n.t().cancel)
            testid="confirm-revoke"
            on_confirm=move || act.send(roster::Act::InviteRevoke(InviteRevoke { invite: hash }))/>
    }
}

/// One invitation on a sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetRow {
    /// The flat, as the worker knows it (printed only).
    pub flat: String,
    /// The household code the invitation admits to.
    pub household: String,
    /// The invitation link (its secret in the fragment).
    pub link: String,
}

/// A sheet: the building and its invitations.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    /// The building as typed.
    pub building: String,
    /// Its invitations, flat by flat.
    pub rows: Vec<SheetRow>,
}

/// The flats of a building: `{building}-{floor}{flat:02}` for each floor and flat.
pub fn flats(building: &str, floors: (u32, u32), per_floor: u32) -> Vec<String> {
    (floors.0..=floors.1)
        .flat_map(|f| (1..=per_floor).map(move |n| format!("{building}-{f}{n:02}")))
        .collect()
}

/// A short random household code (`H` and six letters: about 30 bits).
fn household_code() -> Result<String, ActError> {
    let bytes = random_bytes::<6>()?;
    Ok(std::iter::once('H')
        .chain(bytes.iter().map(|b| LETTERS[usize::from(b % 31)] as char))
        .collect())
}

/// 批量邀请: a building's flats, each an invitation; then the sheet to print.
#[component]
pub fn SheetForm() -> impl IntoView {
    let t = use_texts::<InvitesText>();
    let act = use_act();
    let navigate = use_navigate();
    let building = RwSignal::new(String::new());
    let from = RwSignal::new("1".to_owned());
    let to = RwSignal::new("6".to_owned());
    let per = RwSignal::new("2".to_owned());
    let made = RwSignal::new(0u32);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let b = building.get_untracked().trim().to_owned();
        if b.is_empty() {
            act.fail_field(BUILDING, Issue::Says(t().sheet_building_missing));
            return;
        }
        let (Some(from_floor), Some(to_floor), Some(per_floor)) = (
            act.number::<u32>(from, FROM),
            act.number::<u32>(to, TO),
            act.number::<u32>(per, PER),
        ) else {
            return;
        };
        let count = (to_floor.saturating_sub(from_floor) + 1).saturating_mul(per_floor);
        if to_floor < from_floor || per_floor == 0 || count > MAX_SHEET {
            act.fail_field(PER, Issue::Says(t().sheet_too_many));
            return;
        }
        let list = flats(&b, (from_floor, to_floor), per_floor);
        let session = act.session();
        let navigate = navigate.clone();
        made.set(0);
        act.run(
            async move {
                let origin = window().location().origin().unwrap_or_default();
                let mut rows = Vec::with_capacity(list.len());
                for flat in list {
                    let household = household_code()?;
                    let (secret, endpoint, space) = with(session, async |c, store| {
                        let secret = c.invite(store, Role::Resident, &household).await?;
                        Ok((secret, c.record.endpoint.clone(), c.id()))
                    })
                    .await?;
                    rows.push(SheetRow {
                        flat,
                        household,
                        link: invite_link(&origin, &endpoint, &space, &secret),
                    });
                    made.update(|n| *n += 1);
                }
                let sheet = Sheet { building: b, rows };
                if let Some(store) = session.store() {
                    store.put(SHEET_KEY, &sheet).await?;
                }
                leptos::task::spawn_local(crate::engine::schedule::sync_now(session));
                Ok::<_, ActError>(())
            },
            move |()| navigate("/invite/sheet", Default::default()),
        );
    };
    view! {
        <section class="card" data-testid="sheet-form">
            <h2 class="card__title">{move || t().sheet_title}</h2>
            <p class="card__muted">{move || t().sheet_hint}</p>
            <form class="form" on:submit=submit novalidate>
                <TextField label=Signal::derive(move || t().sheet_building) name="building" value=building max=20
                    check=act.field(BUILDING)/>
                <TextField label=Signal::derive(move || t().sheet_from) name="from" value=from inputmode="numeric"
                    check=act.field(FROM)/>
                <TextField label=Signal::derive(move || t().sheet_to) name="to" value=to inputmode="numeric"
                    check=act.field(TO)/>
                <TextField label=Signal::derive(move || t().sheet_per) name="per" value=per inputmode="numeric"
                    check=act.field(PER)/>
                <FormError error=act.error/>
                {move || act.busy.get().then(|| view! {
                    <p class="card__muted" role="status">{fill(t().sheet_making, &[("n", &made.get())])}</p>
                })}
                <button class="button button--wide" type="submit" disabled=move || act.busy.get()>{move || t().sheet_submit}</button>
            </form>
        </section>
    }
}

const BUILDING: &str = "sheet/building";
const FROM: &str = "sheet/from";
const TO: &str = "sheet/to";
const PER: &str = "sheet/per";

/// The sheet to print: one QR code per flat, with the flat and its household code.
#[component]
pub fn SheetPage() -> impl IntoView {
    let t = use_texts::<InvitesText>();
    let session = use_session();
    let sheet = LocalResource::new(move || async move {
        match session.store() {
            Some(store) => store.get::<Sheet>(SHEET_KEY).await.ok().flatten(),
            None => None,
        }
    });
    let name = Signal::derive(move || {
        session
            .digest
            .with(|d| d.as_ref().map(|d| d.name.clone()).unwrap_or_default())
    });
    move || {
        let m = t();
        Some(match sheet.get().flatten() {
            None => view! {
                <h1 class="page__title">{m.sheet_title}</h1>
                <p class="card__muted">{m.sheet_none}</p>
            }
            .into_any(),
            Some(s) => view! {
                <Notice org=name title=m.sheet_print_title print=m.sheet_print date=crate::components::short_date(js_sys::Date::now())>
                    <p>{fill(m.sheet_print_intro, &[("building", &s.building), ("n", &s.rows.len())])}</p>
                    <ul class="sheet" data-testid="sheet">
                        {s.rows.into_iter().map(|r| view! {
                            <li class="sheet__cell" data-link=r.link.clone()>
                                <Qr text=r.link.clone() label=m.sheet_qr/>
                                <span class="sheet__flat">{r.flat}</span>
                                <span class="sheet__code">{m.sheet_household}" "{r.household}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                    <p class="card__muted">{m.sheet_keep}</p>
                </Notice>
            }
            .into_any(),
        })
    }
}
