//! 积分超市 — the points store: items with their cost and stock, 兑换 with a confirmation, my
//! redemptions (cancel while not handed over); for staff, new items, restocking and the
//! hand-over list (已领取 in one tap). A redemption the order refused says why in words.

use leptos::prelude::*;
use linli_domain::points::act::{Cancel, Item, Redeem, RedemptionRef, Restock, MAX_TITLE};
use linli_domain::points::{self, RedemptionStatus};

use super::view::{store, ItemRow, RedemptionRow};
use crate::components::{short_date, Confirm, FormError, TextField};
use crate::hooks::{code_text, use_act, use_view, Acting};
use crate::i18n::points::PointsText;
use crate::i18n::{fill, use_i18n, use_texts};

/// The store.
#[component]
pub fn Store() -> impl IntoView {
    let t = use_texts::<PointsText>();
    let i18n = use_i18n();
    let view = use_view(store);
    let act = use_act();
    view! {
        <h1 class="page__title">{move || t().store_title}</h1>
        <FormError error=act.error/>
        {move || match view.get().flatten() {
            None => view! { <p class="card__muted">{i18n.t().loading}</p> }.into_any(),
            Some(s) => view! {
                <p class="card__muted" data-testid="store-balance">{fill(t().store_balance, &[("n", &s.balance)])}</p>
                <section class="card" data-testid="items">
                    {s.items.is_empty().then(|| view! { <p class="card__muted">{t().store_empty}</p> })}
                    <ul class="ledger">
                        {s.items.into_iter().map(|i| view! { <ItemLine i act staff=s.staff/> }).collect_view()}
                    </ul>
                </section>
                {(!s.mine.is_empty()).then(|| view! {
                    <section class="card" data-testid="my-redemptions">
                        <h2 class="card__title">{t().store_mine}</h2>
                        <ul class="ledger">
                            {s.mine.into_iter().map(|r| view! { <RedemptionLine r act fulfil=false/> }).collect_view()}
                        </ul>
                    </section>
                })}
                {(s.staff && !s.to_fulfil.is_empty()).then(|| view! {
                    <section class="card" data-testid="to-fulfil">
                        <h2 class="card__title">{t().store_to_fulfil}<span class="count">{s.to_fulfil.len()}</span></h2>
                        <ul class="ledger">
                            {s.to_fulfil.into_iter().map(|r| view! { <RedemptionLine r act fulfil=true/> }).collect_view()}
                        </ul>
                    </section>
                })}
                {s.staff.then(|| view! { <NewItem act/> })}
            }.into_any(),
        }}
    }
}

#[component]
fn ItemLine(i: ItemRow, act: Acting, staff: bool) -> impl IntoView {
    let t = use_texts::<PointsText>();
    let i18n = use_i18n();
    let m = t();
    let open = RwSignal::new(false);
    let qty = RwSignal::new("1".to_owned());
    let (id, title, cost) = (i.id, i.title.clone(), i.cost);
    let why_not = i.redeem.err().map(|c| code_text(i18n.t(), c));
    let redeem = move || {
        let Some(n) = act.number::<u32>(qty, "store.redeem/qty") else {
            open.set(true);
            return;
        };
        let r = points::Act::Redeem(Redeem { item: id, qty: n });
        if act.check(&r.clone().into()) {
            act.send(r);
        } else {
            open.set(true);
        }
    };
    let restock = move |_| act.send(points::Act::Restock(Restock { item: id, add: 10 }));
    view! {
        <li class="ledger__row">
            <span class="ledger__what">
                <span class="ledger__rule">{i.title.clone()}</span>
                <span class="card__muted">{fill(m.store_stock, &[("n", &i.stock)])}</span>
                {why_not.map(|w| view! { <span class="card__muted">{w}</span> })}
                <span class="actions">
                    <button class="button" type="button" disabled=i.redeem.is_err() on:click=move |_| open.set(true)>{m.store_redeem}</button>
                    {staff.then(|| view! {
                        <button class="button button--secondary" type="button" on:click=restock>{m.store_restock}</button>
                    })}
                </span>
            </span>
            <span class="ledger__amount">{fill(m.store_cost, &[("n", &cost)])}</span>
            <Confirm open
                title=Signal::derive(move || {
                    let n = qty.get().trim().parse::<i64>().unwrap_or(1);
                    fill(t().store_confirm, &[("n", &(cost * n)), ("item", &title), ("qty", &n)])
                })
                confirm=Signal::derive(move || t().store_redeem)
                cancel=Signal::derive(move || i18n.t().cancel)
                testid="confirm-redeem"
                on_confirm=redeem>
                <TextField label=Signal::derive(move || t().store_qty) name="qty" value=qty inputmode="numeric"
                    check=act.field("store.redeem/qty")/>
            </Confirm>
        </li>
    }
}

#[component]
fn RedemptionLine(r: RedemptionRow, act: Acting, fulfil: bool) -> impl IntoView {
    let t = use_texts::<PointsText>();
    let i18n = use_i18n();
    let m = t();
    let open = RwSignal::new(false);
    let id = r.id;
    let status = match (r.refused, r.status) {
        (Some(_), _) => m.store_refused,
        (None, RedemptionStatus::Pending) => m.store_pending,
        (None, RedemptionStatus::Fulfilled) => m.store_fulfilled,
        (None, RedemptionStatus::Cancelled) => m.store_cancelled,
    };
    let why = r.refused.map(|c| code_text(i18n.t(), c));
    let pending = r.status == RedemptionStatus::Pending;
    view! {
        <li class="ledger__row" class:ledger__row--void=r.status == RedemptionStatus::Cancelled>
            <span class="ledger__what">
                <span class="ledger__rule">{if fulfil { format!("{} · {} × {}", r.name, r.item, r.qty) } else { format!("{} × {}", r.item, r.qty) }}</span>
                <span class="card__muted">{short_date(r.ts as f64)}" · "<span class="tag">{status}</span></span>
                {why.map(|w| view! { <span class="card__muted" data-testid="refused-why">{w}</span> })}
                {pending.then(|| view! {
                    <span class="actions">
                        {fulfil.then(|| view! {
                            <button class="button" type="button" on:click=move |_| act.send(points::Act::Fulfil(RedemptionRef { redemption: id }))>{m.store_hand_over}</button>
                        })}
                        {r.may_cancel.then(|| view! {
                            <button class="button button--secondary" type="button" on:click=move |_| open.set(true)>{m.store_cancel}</button>
                        })}
                    </span>
                })}
            </span>
            <span class="ledger__amount ledger__amount--minus">{if r.refused.is_some() { "0".to_owned() } else { format!("−{}", r.spent) }}</span>
            <Confirm open
                title=Signal::derive(move || t().store_cancel_title.to_owned())
                body=Signal::derive(move || t().store_cancel_body.to_owned())
                confirm=Signal::derive(move || t().store_cancel)
                cancel=Signal::derive(move || i18n.t().cancel)
                testid="confirm-cancel"
                on_confirm=move || act.send(points::Act::Cancel(Cancel { redemption: id, reason: "".into() }))/>
        </li>
    }
}

/// Staff add an item.
#[component]
fn NewItem(act: Acting) -> impl IntoView {
    let t = use_texts::<PointsText>();
    let title = RwSignal::new(String::new());
    let cost = RwSignal::new("20".to_owned());
    let stock = RwSignal::new("10".to_owned());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(c), Some(s)) = (
            act.number::<u32>(cost, "store.item/cost"),
            act.number::<u32>(stock, "store.item/stock"),
        ) else {
            return;
        };
        let item = points::Act::Item(Item {
            title: title.get_untracked().trim().into(),
            cost: i64::from(c),
            stock: i64::from(s),
        });
        act.send_then(item, move |_| title.set(String::new()));
    };
    view! {
        <section class="card" data-testid="new-item">
            <h2 class="card__title">{move || t().store_new}</h2>
            <form class="form" on:submit=submit novalidate>
                <TextField label=Signal::derive(move || t().store_item_title) name="item_title" value=title max=MAX_TITLE
                    check=act.field("store.item/title")/>
                <TextField label=Signal::derive(move || t().store_item_cost) name="cost" value=cost inputmode="numeric"
                    check=act.field("store.item/cost")/>
                <TextField label=Signal::derive(move || t().store_item_stock) name="stock" value=stock inputmode="numeric"
                    check=act.field("store.item/stock")/>
                <button class="button button--wide" type="submit" disabled=move || act.busy.get()>{move || t().store_add}</button>
            </form>
        </section>
    }
}
