//! 资金公开 — the funds ledger: the balance, income and spending per month (a bar chart that
//! reads as numbers too) and per year, every entry with its date, category and amount in
//! yuan, voided ones struck through with the reason. The admin and council record entries;
//! another council member voids one, with a reason. Printable for the wall board.

use leptos::prelude::*;
use leptos_router::components::A;
use linli_domain::services::act::{FundsEntry, Void, MAX_REASON, MAX_SHORT, MAX_TITLE};
use linli_domain::services::Act;
use linli_domain::Code;

use super::public::{ledger, parse_yuan, signed_yuan, yuan, EntryRow, Ledger, Totals};
use crate::clock::now_ms;
use crate::components::{short_date, FormError, Issue, LocalTime, Notice, TextField};
use crate::hooks::{use_act, use_view, Acting};
use crate::i18n::board::BoardText;
use crate::i18n::{fill, use_i18n, use_texts};
use crate::session::use_session;

/// The ledger.
#[component]
pub fn FundsPage() -> impl IntoView {
    let t = use_texts::<BoardText>();
    let i18n = use_i18n();
    let v = use_view(|s, me| ledger(s, me, now_ms() as i64));
    let act = use_act();
    let enter = Signal::derive(move || v.with(|l| l.as_ref().map(|l| l.enter)));
    view! {
        <h1 class="page__title">{move || t().funds_title}</h1>
        <FormError error=act.error/>
        {move || match v.get() {
            None => view! { <p class="card__muted">{i18n.t().loading}</p> }.into_any(),
            Some(l) => view! { <Summary l/> }.into_any(),
        }}
        <Show when=move || v.with(|l| l.as_ref().is_some_and(|l| l.staff))>
            <EntryForm enter act/>
        </Show>
        <section class="card" data-testid="entries">
            <h2 class="card__title">{move || t().entries}</h2>
            <Show when=move || v.with(|l| l.as_ref().is_some_and(|l| l.entries.is_empty()))>
                <p class="card__muted">{move || t().no_entries}</p>
            </Show>
            <ul class="ledger">
                <For each=move || v.get().map(|l| l.entries).unwrap_or_default()
                    key=|e| (e.id, e.voided.clone(), e.void)
                    let:e>
                    <Entry e act/>
                </For>
            </ul>
        </section>
        <div class="actions">
            <A href="/funds/print" attr:class="button button--secondary">{move || t().print}</A>
            <A href="/board" attr:class="button button--secondary">{move || t().title}</A>
        </div>
    }
}

/// The balance, and the totals per month (a chart) and per year.
#[component]
fn Summary(l: Ledger) -> impl IntoView {
    let t = use_texts::<BoardText>();
    let m = t();
    view! {
        <section class="card" data-testid="funds-total">
            <dl class="funds__sum">
                <div><dt>{m.income}</dt><dd data-testid="total-income">{yuan(l.total.income_fen)}</dd></div>
                <div><dt>{m.spending}</dt><dd data-testid="total-spending">{yuan(l.total.spending_fen)}</dd></div>
                <div><dt>{m.balance}</dt><dd data-testid="balance" class="funds__balance">{yuan(l.balance_fen())}</dd></div>
            </dl>
        </section>
        {(!l.months.is_empty()).then(|| view! {
            <section class="card">
                <h2 class="card__title" id="funds-months">{m.by_month}</h2>
                <p class="funds__legend" aria-hidden="true">
                    <span class="funds__key funds__key--in"></span>{m.income}
                    <span class="funds__key funds__key--out"></span>{m.spending}
                </p>
                <Chart rows=l.months.clone()/>
            </section>
            <section class="card">
                <h2 class="card__title" id="funds-years">{m.by_year}</h2>
                // Wide numbers in large text scroll sideways inside the card, never the page.
                <div class="funds__scroll" role="region" aria-labelledby="funds-years" tabindex="0">
                    <YearTable rows=l.years.clone()/>
                </div>
            </section>
        })}
    }
}

/// Income against spending per period: two bars each, the amounts written beside them (the
/// bars are decoration; the list reads as text).
#[component]
fn Chart(rows: Vec<Totals>) -> impl IntoView {
    let t = use_texts::<BoardText>();
    let m = t();
    let max = rows
        .iter()
        .map(|r| r.income_fen.max(r.spending_fen))
        .max()
        .unwrap_or(0)
        .max(1);
    let width = move |fen: i64| format!("{}%", (fen as i128 * 100 / max as i128) as i64);
    view! {
        <ul class="funds__chart" aria-labelledby="funds-months" data-testid="funds-months">
            {rows.into_iter().map(|r| view! {
                <li class="funds__month" data-period=r.period.clone()>
                    <span class="visually-hidden">{fill(m.chart_label, &[
                        ("period", &r.period), ("income", &yuan(r.income_fen)), ("spending", &yuan(r.spending_fen)),
                    ])}</span>
                    <span class="funds__period" aria-hidden="true">{r.period.clone()}</span>
                    <span class="funds__bar" aria-hidden="true">
                        <span class="funds__fill funds__fill--in" style:width=width(r.income_fen)></span>
                    </span>
                    <span class="funds__n" aria-hidden="true">{format!("+{}", yuan(r.income_fen))}</span>
                    <span class="funds__bar" aria-hidden="true">
                        <span class="funds__fill funds__fill--out" style:width=width(r.spending_fen)></span>
                    </span>
                    <span class="funds__n" aria-hidden="true">{yuan(-r.spending_fen)}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// Per year: income, spending, balance.
#[component]
fn YearTable(rows: Vec<Totals>) -> impl IntoView {
    let t = use_texts::<BoardText>();
    let m = t();
    view! {
        <table class="notice__table funds__years" data-testid="funds-years">
            <thead>
                <tr><th scope="col">{m.year}</th><th scope="col">{m.income}</th><th scope="col">{m.spending}</th><th scope="col">{m.balance}</th></tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr data-period=r.period.clone()>
                        <th scope="row">{r.period.clone()}</th>
                        <td>{yuan(r.income_fen)}</td>
                        <td>{yuan(r.spending_fen)}</td>
                        <td>{yuan(r.income_fen - r.spending_fen)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// 记一笔: income or spending, what for, how much (yuan), the date, a category. A refusal
/// (a worker's entry) says who may record, with its code; what was typed stays.
#[component]
fn EntryForm(enter: Signal<Option<Result<(), Code>>>, act: Acting) -> impl IntoView {
    let t = use_texts::<BoardText>();
    let tt = t();
    let income = RwSignal::new(false);
    let title = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let date = RwSignal::new(LocalTime::of(now_ms()).date());
    let category = RwSignal::new(String::new());
    let refused = RwSignal::new(None::<Code>);
    let done = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        refused.set(None);
        act.clear();
        if let Some(Err(code)) = enter.get_untracked() {
            refused.set(Some(code));
            return;
        }
        let Some(fen) = parse_yuan(&amount.get_untracked()) else {
            act.fail_field("funds.entry/amount_fen", Issue::Says(t().enter_amount_bad));
            return;
        };
        let entry = Act::Funds(FundsEntry {
            title: title.get_untracked().trim().into(),
            amount_fen: if income.get_untracked() { fen } else { -fen },
            date: date.get_untracked().trim().into(),
            category: category.get_untracked().trim().into(),
        });
        act.send_then(entry, move |_| {
            done.set(true);
            title.set(String::new());
            amount.set(String::new());
        });
    };
    view! {
        <form class="card form" data-testid="funds-form" on:submit=submit novalidate>
            <h2 class="card__title">{tt.enter_title}</h2>
            <Show when=move || matches!(enter.get(), Some(Err(_)))>
                <p class="card__muted">{move || t().enter_hint_worker}</p>
            </Show>
            <fieldset class="field">
                <legend class="field__label">{tt.enter_kind}</legend>
                <div class="segmented" role="group">
                    <button type="button" class="segmented__option" aria-pressed=move || (!income.get()).to_string()
                        on:click=move |_| income.set(false)>{move || t().spending}</button>
                    <button type="button" class="segmented__option" aria-pressed=move || income.get().to_string()
                        on:click=move |_| income.set(true)>{move || t().income}</button>
                </div>
            </fieldset>
            <TextField label=Signal::derive(move || t().enter_what) name="funds_title" value=title max=MAX_TITLE
                check=act.field("funds.entry/title")/>
            <TextField label=Signal::derive(move || t().enter_amount) name="amount" value=amount inputmode="decimal"
                check=act.field("funds.entry/amount_fen")/>
            <TextField label=Signal::derive(move || t().enter_date) name="date" value=date kind="date"
                check=act.field("funds.entry/date")/>
            <TextField label=Signal::derive(move || t().enter_category) name="funds_category" value=category max=MAX_SHORT
                check=act.field("funds.entry/category")/>
            <div class="chips">
                {(0..tt.enter_categories.len()).map(|i| view! {
                    <button type="button" class="members__chip"
                        aria-pressed=move || (category.get() == t().enter_categories[i]).to_string()
                        on:click=move |_| category.set(t().enter_categories[i].to_owned())>{move || t().enter_categories[i]}</button>
                }).collect_view()}
            </div>
            {move || refused.get().map(|c| view! {
                <p class="field__error" role="alert" data-testid="funds-refused" data-code=c.as_str()>{t().enter_council_only}</p>
            })}
            {move || done.get().then(|| view! { <p class="notice-line" role="status" data-testid="funds-done">{t().enter_done}</p> })}
            <button class="button button--wide" type="submit" disabled=move || act.busy.get()>{tt.enter_submit}</button>
        </form>
    }
}

/// An entry: date, category, what, the amount; voided ones struck through with the reason; for
/// a council member, 作废 with a required reason (their own entry: why not, with its code).
#[component]
fn Entry(e: EntryRow, act: Acting) -> impl IntoView {
    let t = use_texts::<BoardText>();
    let i18n = use_i18n();
    let m = t();
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let refused = RwSignal::new(None::<Code>);
    let id = e.id;
    let verdict = e.void;
    let send = move |_| {
        refused.set(None);
        if let Some(Err(code)) = verdict {
            refused.set(Some(code));
            return;
        }
        act.send(Act::Void(Void {
            entry: id,
            reason: reason.get_untracked().trim().into(),
        }));
    };
    let voided = e.voided.is_some();
    view! {
        <li class="ledger__row" class:ledger__row--void=voided data-testid="funds-entry" data-voided=voided.to_string()>
            <span class="ledger__what">
                <span class="ledger__rule" class:funds__struck=voided>{e.title.clone()}</span>
                <span class="card__muted">{e.date.clone()}" · "{e.category.clone()}</span>
                {e.voided.clone().map(|r| view! {
                    <span class="tag tag--warn funds__void" data-testid="void-reason">{fill(m.voided, &[("reason", &r)])}</span>
                })}
            </span>
            <span class="ledger__amount" class:ledger__amount--minus=e.amount_fen < 0 data-testid="amount">
                {signed_yuan(e.amount_fen)}
            </span>
            {e.void.is_some().then(|| view! {
                <div class="funds__void-form">
                    <Show when=move || !open.get()>
                        <button class="button button--secondary" type="button" data-testid="void"
                            on:click=move |_| { act.clear(); open.set(true); }>{move || t().void}</button>
                    </Show>
                    <Show when=move || open.get()>
                        <TextField label=Signal::derive(move || t().void_reason) name="void_reason" value=reason max=MAX_REASON
                            check=act.field("funds.void/reason")/>
                        {move || refused.get().map(|c| view! {
                            <p class="field__error" role="alert" data-testid="void-refused" data-code=c.as_str()>{t().void_own}</p>
                        })}
                        <div class="actions">
                            <button class="button button--secondary" type="button"
                                on:click=move |_| { refused.set(None); open.set(false); }>{move || i18n.t().cancel}</button>
                            <button class="button" type="button" data-testid="void-confirm" disabled=move || act.busy.get()
                                on:click=send>{move || t().void_confirm}</button>
                        </div>
                    </Show>
                </div>
            })}
        </li>
    }
}

/// The ledger on A4 for the wall board: the totals per year and month and every entry.
#[component]
pub fn PrintFundsPage() -> impl IntoView {
    let t = use_texts::<BoardText>();
    let v = use_view(|s, me| ledger(s, me, now_ms() as i64));
    let name = use_session().digest;
    move || {
        let l = v.get()?;
        let m = t();
        let org = Signal::derive(move || {
            let n = name.with(|d| d.as_ref().map(|d| d.name.clone()).unwrap_or_default());
            format!("{n} · {}", t().section)
        });
        Some(view! {
            <Notice org title=m.funds_print_title print=m.print date=short_date(now_ms())>
                <table class="notice__table" data-testid="print-total">
                    <tbody>
                        <tr><th>{m.income}</th><td>{yuan(l.total.income_fen)}</td></tr>
                        <tr><th>{m.spending}</th><td>{yuan(l.total.spending_fen)}</td></tr>
                        <tr><th>{m.balance}</th><td>{yuan(l.balance_fen())}</td></tr>
                    </tbody>
                </table>
                <h2>{m.by_year}</h2>
                <YearTable rows=l.years.clone()/>
                <h2>{m.by_month}</h2>
                <table class="notice__table funds__years">
                    <thead><tr><th scope="col">{m.month}</th><th scope="col">{m.income}</th><th scope="col">{m.spending}</th></tr></thead>
                    <tbody>
                        {l.months.iter().map(|r| view! {
                            <tr><th scope="row">{r.period.clone()}</th><td>{yuan(r.income_fen)}</td><td>{yuan(r.spending_fen)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <h2>{m.printed_entries}</h2>
                <table class="notice__table funds__print-entries">
                    <tbody>
                        {l.entries.iter().map(|e| {
                            let voided = e.voided.is_some();
                            view! {
                                <tr class:funds__struck=voided>
                                    <th scope="row">{e.date.clone()}" "{e.category.clone()}" · "{e.title.clone()}
                                        {e.voided.clone().map(|r| view! { <br/><span>{fill(m.voided, &[("reason", &r)])}</span> })}
                                    </th>
                                    <td>{signed_yuan(e.amount_fen)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </Notice>
        })
    }
}
