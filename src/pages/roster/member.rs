//! 成员 — one member: name (in full for staff, masked for everyone else), role, household for
//! staff, phones; and 添加新手机 (换手机): the council adds the phone a member changed to
//! (`member.device_add`, `DESIGN.md` §3.3) from the code it shows, and may stop the old ones
//! in the same step (`member.device_revoke`), so a lost phone is not a lost identity.

use leptos::prelude::*;
use linli_domain::roster::act::{DeviceAdd, DeviceRevoke};
use linli_domain::{roster, Command, DeviceKey, EventId, Hex32, MemberId, Role, Space};

use crate::components::{Confirm, FormError, Issue, Qr, TextArea};
use crate::engine::link::{follow_link, parse_device_code};
use crate::hooks::{use_act, use_detail, Acting, Detail};
use crate::i18n::member::MemberText;
use crate::i18n::{fill, use_i18n, use_texts};
use crate::session::use_session;

/// The code field: `member.device_add`'s device.
const DEVICE: &str = "member.device_add/device";

/// One member as the viewer may see them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberDetail {
    /// Member id.
    pub id: MemberId,
    /// The full name for staff, else masked.
    pub name: String,
    /// Role now.
    pub role: Role,
    /// The household, for staff only.
    pub household: Option<String>,
    /// Active devices.
    pub devices: Vec<DeviceKey>,
    /// Whether it is the viewer's own member.
    pub me: bool,
    /// Whether the viewer may add a phone (the domain's verdict on `member.device_add`).
    pub may_add: bool,
    /// Of the active devices, those the viewer may stop (the domain's verdict on each).
    pub may_revoke: Vec<DeviceKey>,
}

/// Member `id` of `space`, for `me`.
pub fn member(space: &Space, me: &DeviceKey, id: &EventId) -> Option<MemberDetail> {
    let roster = &space.state().roster;
    let m = roster.member(id)?;
    let viewer = roster.actor(me).ok();
    let staff = viewer.is_some_and(|a| a.role.is_staff());
    let devices = roster.active_devices(m);
    let allows = |act: roster::Act| space.allows(me, &Command::Roster(act)).is_ok();
    Some(MemberDetail {
        id: m.id,
        name: if staff {
            m.name.to_string()
        } else {
            m.masked_name()
        },
        role: m.role,
        household: staff.then(|| m.household.to_string()),
        may_add: allows(roster::Act::DeviceAdd(DeviceAdd {
            member: m.id,
            device: Hex32::default(),
        })),
        may_revoke: devices
            .iter()
            .filter(|d| allows(roster::Act::DeviceRevoke(DeviceRevoke { device: **d })))
            .copied()
            .collect(),
        me: viewer.is_some_and(|a| a.id == m.id),
        devices,
    })
}

/// The member page.
#[component]
pub fn Member() -> impl IntoView {
    let t = use_texts::<MemberText>();
    let i18n = use_i18n();
    let detail = use_detail(member);
    let act = use_act();
    // Outlives the page's redraw when the member's phones change.
    let done = RwSignal::new(false);
    view! {
        {move || match detail.get() {
            Detail::Loading => view! {
                <h1 class="page__title">{t().title}</h1>
                <p class="card__muted">{i18n.t().loading}</p>
            }.into_any(),
            Detail::Missing => view! {
                <h1 class="page__title">{t().title}</h1>
                <p class="card__muted">{t().not_found}</p>
            }.into_any(),
            Detail::Found(m) => view! { <Page m act done/> }.into_any(),
        }}
    }
}

#[component]
fn Page(m: MemberDetail, act: Acting, done: RwSignal<bool>) -> impl IntoView {
    let t = use_texts::<MemberText>();
    let i18n = use_i18n();
    view! {
        <h1 class="page__title" data-testid="member-name">{m.name.clone()}</h1>
        <section class="card">
            <dl class="kv">
                <dt>{move || t().role}</dt>
                <dd>{move || i18n.t().role(m.role)}</dd>
                {m.household.clone().map(|h| view! {
                    <dt>{move || t().household}</dt><dd>{h}</dd>
                })}
                <dt>{move || t().phones}</dt>
                <dd data-testid="member-phones">{m.devices.len()}</dd>
            </dl>
        </section>
        {m.may_add.then(|| view! { <AddPhone m=m.clone() act done/> })}
    }
}

/// 添加新手机: step 1, the new phone opens the community; step 2, its code is scanned or
/// pasted here; then, confirmed, the new phone is added and (by default) the old ones stopped.
#[component]
fn AddPhone(m: MemberDetail, act: Acting, done: RwSignal<bool>) -> impl IntoView {
    let t = use_texts::<MemberText>();
    let i18n = use_i18n();
    let digest = use_session().digest;
    let code = RwSignal::new(String::new());
    let stop_old = RwSignal::new(true);
    let open = RwSignal::new(false);
    let device = RwSignal::new(None::<Hex32>);
    let link = move || {
        digest.with(|d| {
            d.as_ref().and_then(|d| {
                let space = Hex32::parse(&d.space).ok()?;
                let origin = window().location().origin().ok()?;
                Some(follow_link(&origin, &d.endpoint, &space))
            })
        })
    };
    let (member, name, old) = (m.id, m.name.clone(), m.may_revoke.clone());
    let ask = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        match parse_device_code(&code.get_untracked()) {
            Some(d) => {
                device.set(Some(d));
                open.set(true);
            }
            None => act.fail_field(DEVICE, Issue::Says(t().phone_bad_code)),
        }
    };
    let add = move || {
        let Some(new) = device.get_untracked() else {
            return;
        };
        let session = act.session();
        let stop: Vec<DeviceKey> = if stop_old.get_untracked() {
            old.clone()
        } else {
            Vec::new()
        };
        act.run(
            async move {
                let add = roster::Act::DeviceAdd(DeviceAdd {
                    member,
                    device: new,
                });
                crate::engine::act(session, add.into()).await?;
                for device in stop {
                    crate::engine::act(
                        session,
                        roster::Act::DeviceRevoke(DeviceRevoke { device }).into(),
                    )
                    .await?;
                }
                Ok(())
            },
            move |()| {
                code.set(String::new());
                done.set(true);
            },
        );
    };
    let title = Signal::derive(move || fill(t().phone_confirm, &[("name", &name)]));
    // Scanning, where the browser can: the camera until a phone's code is in view.
    let video = NodeRef::<leptos::html::Video>::new();
    let scanning = RwSignal::new(false);
    let scan = move |_| {
        scanning.set(true);
        leptos::task::spawn_local(async move {
            match super::scan::scan_until(video, scanning, |t| parse_device_code(t).is_some()).await
            {
                Ok(Some(text)) => code.set(text),
                Ok(None) => {}
                Err(()) => act.fail(t().phone_no_camera),
            }
        });
    };
    view! {
        <section class="card" data-testid="add-phone">
            <h2 class="card__title">{move || t().phone_add}</h2>
            <p>{move || t().phone_step_open}</p>
            {move || link().map(|l| view! {
                <Qr text=l.clone() label=t().phone_step_open/>
                <p class="linkbox" data-testid="follow-link">{l}</p>
            })}
            {super::scan::available().then(|| view! {
                <button class="button button--secondary button--wide" type="button"
                    on:click=scan disabled=move || scanning.get()>{move || t().phone_scan}</button>
            })}
            <Show when=move || scanning.get()>
                <video class="scanner" node_ref=video playsinline=true aria-label=move || t().phone_scan></video>
                <button class="button button--secondary button--wide" type="button"
                    on:click=move |_| scanning.set(false)>{move || i18n.t().cancel}</button>
            </Show>
            <form class="form" on:submit=ask novalidate>
                <TextArea label=Signal::derive(move || t().phone_code) name="device" value=code rows=2
                    check=act.field(DEVICE)/>
                <label class="setting setting--toggle">
                    <span class="setting__label">{move || t().phone_stop_old}</span>
                    <input type="checkbox" role="switch" class="switch" bind:checked=stop_old/>
                </label>
                <FormError error=act.error/>
                {move || done.get().then(|| view! { <p class="card__muted" role="status" data-testid="phone-added">{t().phone_added}</p> })}
                <button class="button button--wide" type="submit" disabled=move || act.busy.get()>{move || t().phone_add}</button>
            </form>
            <Confirm open
                title
                body=Signal::derive(move || if stop_old.get() { t().phone_confirm_stop.to_owned() } else { t().phone_confirm_keep.to_owned() })
                confirm=Signal::derive(move || t().phone_add)
                cancel=Signal::derive(move || i18n.t().cancel)
                testid="confirm-phone"
                on_confirm=add/>
        </section>
    }
}
