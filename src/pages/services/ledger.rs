//! 台账 — the monthly ledger (issue 13): one month of the community's business, compiled from
//! the log alone by `linli_domain::ledger::month` — nothing typed by hand. One screen for staff
//! with ‹ › to change the month, printed in one tap (打印台账: the same page with print styles,
//! A4, the community and the month at the top, the number of events and the state check code
//! at the foot, so anyone can check it against the audit tool), and the same figures as a CSV
//! file (下载 CSV: UTF-8 with a BOM, so that Excel reads the Chinese). Counts only: no
//! resident's name is on it.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use linli_domain::council::Outcome;
use linli_domain::ledger::{self, Ledger};
use linli_domain::points::month_utc8;
use linli_domain::{DeviceKey, EventId, Space};
use wasm_bindgen::JsCast;

use crate::clock::now_ms;
use crate::components::date_time;
use crate::hooks::{use_view, with_community};
use crate::i18n::ledger::LedgerText;
use crate::i18n::{fill, use_i18n, use_texts};
use crate::session::use_session;

/// What the page shows: the month's ledger and, for each poll line, its options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerView {
    /// The community's name.
    pub community: String,
    /// The ledger.
    pub ledger: Ledger,
    /// Per poll line, the options' texts.
    pub options: Vec<Vec<String>>,
}

/// The ledger of `month` for `me`: `None` unless `me` is staff.
pub fn ledger_view(space: &Space, me: &DeviceKey, month: i64) -> Option<LedgerView> {
    let state = space.state();
    let actor = state.roster.actor(me).ok()?;
    if !actor.role.is_staff() {
        return None;
    }
    let ledger = ledger::month(state, month);
    let options = ledger
        .polls
        .iter()
        .map(|p| {
            state
                .services
                .poll(&p.poll)
                .map(|x| x.options.iter().map(|o| o.to_string()).collect())
                .unwrap_or_default()
        })
        .collect();
    Some(LedgerView {
        community: state.name.clone().unwrap_or_default(),
        ledger,
        options,
    })
}

/// `YYYY-MM` of a month (`year × 12 + month − 1`), as the address carries it.
pub fn month_param(month: i64) -> String {
    format!("{}-{:02}", month.div_euclid(12), month.rem_euclid(12) + 1)
}

/// The month of a `YYYY-MM` parameter.
pub fn parse_month(s: &str) -> Option<i64> {
    let (y, m) = s.split_once('-')?;
    let (y, m): (i64, i64) = (y.parse().ok()?, m.parse().ok()?);
    ((1..=12).contains(&m) && (1970..=9999).contains(&y)).then_some(y * 12 + m - 1)
}

/// The month as people say it: 2026年1月, January 2026.
pub fn month_label(t: &LedgerText, month: i64) -> String {
    let m = month.rem_euclid(12) as usize;
    fill(
        t.month,
        &[("y", &month.div_euclid(12)), ("m", &t.month_names[m])],
    )
}

/// Fen as yuan with two decimals.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", fen.abs() / 100, fen.abs() % 100)
}

/// Minutes as hours with one decimal.
fn hours(minutes: i64) -> String {
    format!("{:.1}", minutes as f64 / 60.0)
}

/// One figure: a stable key (for tests and the CSV's order), its label and its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figure {
    /// Stable key.
    pub key: &'static str,
    /// Label, in the reader's language.
    pub label: String,
    /// Value as shown.
    pub value: String,
    /// The line's id (a proposal, meeting, activity or poll; empty for a total), so that a
    /// reader can find it in the audit.
    pub id: String,
    /// The label in the CSV, where each row stands alone (a poll's option names its poll).
    pub full: String,
    /// The value as a number: a count, points, minutes (hours), fen (money), votes cast
    /// (a ballot), check-ins (a meeting), answers (a poll); 0 for a rate.
    pub raw: i64,
}

/// A section of the ledger: its title and its figures (tables' lines included, one figure
/// per cell that matters), in the order the page and the CSV show them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// Stable key.
    pub key: &'static str,
    /// Title.
    pub title: &'static str,
    /// The key figures.
    pub figures: Vec<Figure>,
}

fn fig(key: &'static str, label: &str, value: impl ToString, raw: i64) -> Figure {
    Figure {
        key,
        label: label.to_owned(),
        value: value.to_string(),
        full: label.to_owned(),
        id: String::new(),
        raw,
    }
}

fn line(f: Figure, id: EventId) -> Figure {
    Figure {
        id: id.to_hex(),
        ..f
    }
}

fn outcome(t: &LedgerText, o: Outcome) -> &'static str {
    match o {
        Outcome::Passed => t.outcomes[0],
        Outcome::Rejected => t.outcomes[1],
        Outcome::NoQuorum => t.outcomes[2],
    }
}

/// The sections' key figures (what the CSV holds, and the screen's figure lists).
pub fn sections(t: &LedgerText, v: &LedgerView) -> Vec<Section> {
    let l = &v.ledger;
    let mut council = vec![fig(
        "proposals",
        t.proposals,
        l.proposals,
        i64::from(l.proposals),
    )];
    for b in &l.ballots {
        council.push(line(
            fig(
                "ballot",
                &format!("{}：{}", t.ballots, b.title),
                format!("{} {}/{}", outcome(t, b.outcome), b.cast, b.eligible),
                i64::from(b.cast),
            ),
            b.proposal,
        ));
    }
    for m in &l.meetings {
        council.push(line(
            fig(
                "meeting",
                &format!("{}：{}", t.meetings, m.title),
                format!(
                    "{} {} · {} {}",
                    t.attendance_col,
                    m.attendance,
                    t.minutes_col,
                    if m.minutes { t.yes } else { t.no }
                ),
                i64::from(m.attendance),
            ),
            m.meeting,
        ));
    }
    let minutes: u64 = l.activities.iter().map(|a| a.minutes).sum();
    let mut volunteer = vec![fig(
        "hours",
        t.hours_total,
        hours(minutes as i64),
        minutes as i64,
    )];
    for a in &l.activities {
        volunteer.push(line(
            fig(
                "activity",
                &format!("{}：{}", t.activity_col, a.title),
                format!(
                    "{} {} · {} {}",
                    t.volunteers_col,
                    a.volunteers,
                    t.hours_col,
                    hours(a.minutes as i64)
                ),
                a.minutes as i64,
            ),
            a.activity,
        ));
    }
    volunteer.push(fig(
        "cancelled",
        t.cancelled,
        l.activities_cancelled,
        i64::from(l.activities_cancelled),
    ));
    let (rated, satisfied) = l.ratings;
    let mut requests = vec![
        fig(
            "opened",
            t.opened,
            l.requests_opened,
            i64::from(l.requests_opened),
        ),
        fig(
            "resolved",
            t.resolved,
            l.requests_resolved,
            i64::from(l.requests_resolved),
        ),
        fig(
            "overdue",
            t.overdue,
            l.requests_overdue,
            i64::from(l.requests_overdue),
        ),
        fig("ratings", t.ratings, rated, i64::from(rated)),
        fig("satisfied", t.satisfied, satisfied, i64::from(satisfied)),
    ];
    if rated > 0 {
        requests.push(fig(
            "satisfaction",
            t.satisfaction,
            format!("{:.1}%", f64::from(satisfied) * 100.0 / f64::from(rated)),
            0,
        ));
    }
    if let Some(m) = l.resolve_median_minutes {
        requests.push(fig("median", t.median, hours(m), m));
    }
    let mut polls = Vec::new();
    for (p, options) in l.polls.iter().zip(&v.options) {
        polls.push(line(
            fig(
                "poll",
                &p.question,
                fill(t.answered, &[("n", &p.answered)]),
                p.answered as i64,
            ),
            p.poll,
        ));
        // One line per option, below its poll.
        for (i, n) in p.counts.iter().enumerate() {
            let option = options.get(i).map_or("?", String::as_str);
            polls.push(Figure {
                full: format!("{}：{option}", p.question),
                ..fig("option", option, n, *n as i64)
            });
        }
    }
    let (income, spending, entries) = l.funds;
    vec![
        Section {
            key: "council",
            title: t.council,
            figures: council,
        },
        Section {
            key: "points",
            title: t.points,
            figures: vec![
                fig("awarded", t.awarded, l.awarded, l.awarded),
                fig("deducted", t.deducted, l.deducted, l.deducted),
                fig("entries", t.entries, l.entries, i64::from(l.entries)),
                fig("redeemed", t.redeemed, l.redeemed, l.redeemed),
                fig(
                    "redemptions",
                    t.redemptions,
                    l.redemptions,
                    i64::from(l.redemptions),
                ),
                fig("red_list", t.red_list, l.red_list, i64::from(l.red_list)),
                fig(
                    "black_list",
                    t.black_list,
                    l.black_list,
                    i64::from(l.black_list),
                ),
            ],
        },
        Section {
            key: "volunteer",
            title: t.volunteer,
            figures: volunteer,
        },
        Section {
            key: "requests",
            title: t.requests,
            figures: requests,
        },
        Section {
            key: "polls",
            title: t.polls,
            figures: polls,
        },
        Section {
            key: "funds",
            title: t.funds,
            figures: vec![
                fig("income", t.income, yuan(income), income),
                fig("spending", t.spending, yuan(spending), spending),
                fig(
                    "balance",
                    t.balance,
                    yuan(income - spending),
                    income - spending,
                ),
                fig(
                    "funds_entries",
                    t.funds_entries,
                    entries,
                    i64::from(entries),
                ),
            ],
        },
    ]
}

/// A CSV field: quoted when it holds a comma, a quote or a line break.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The CSV file: a BOM (Excel then reads UTF-8), a header, one `section,item,value` row per
/// figure, CRLF line ends; the month and the check code as the first rows.
pub fn csv(t: &LedgerText, v: &LedgerView, month: i64, events: usize, hash: &str) -> String {
    let mut out = String::from("\u{feff}");
    let mut row = |a: &str, b: &str, c: &str| {
        out.push_str(&format!("{},{},{}\r\n", field(a), field(b), field(c)));
    };
    let head: Vec<&str> = t.csv_head.split(',').collect();
    row(head[0], head[1], head[2]);
    let title = fill(t.heading, &[("month", &month_label(t, month))]);
    row(t.title, &v.community, &title);
    row(t.title, "events", &events.to_string());
    row(t.title, "state_hash", hash);
    for s in sections(t, v) {
        for f in &s.figures {
            row(s.title, &f.full, &f.value);
        }
    }
    out
}

/// Offers `text` as a CSV download named `name`.
fn download_csv(name: &str, text: &str) -> Result<(), String> {
    let err = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(err)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?;
    let a: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(err)?
        .dyn_into()
        .map_err(|_| "not an anchor".to_owned())?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// 台账.
#[component]
pub fn LedgerPage() -> impl IntoView {
    let t = use_texts::<LedgerText>();
    let i18n = use_i18n();
    let query = use_query_map();
    let now = now_ms();
    let this_month = month_utc8(now as i64);
    let month = Memo::new(move |_| {
        query
            .with(|q| q.get("m").and_then(|m| parse_month(&m)))
            .unwrap_or(this_month)
    });
    let v = use_view(move |s, me| ledger_view(s, me, month.get()));
    // How many events and the state check code, for the foot of the page (computed once per
    // change of the log: it serialises the whole state).
    let session = use_session();
    let started = session.started;
    let check = RwSignal::new(None::<(usize, String)>);
    Effect::new(move |_| {
        session.revision.track();
        leptos::task::spawn_local(async move {
            let c = with_community(session, |c| (c.space().len(), c.state_hash())).await;
            check.set(c);
        });
    });
    let download = move |_| {
        let (Some(Some(v)), Some((n, hash))) = (v.get_untracked(), check.get_untracked()) else {
            return;
        };
        let m = month.get_untracked();
        let text = csv(t(), &v, m, n, &hash);
        let name = format!("{}-{}.csv", t().file, month_param(m));
        if let Err(e) = download_csv(&name, &text) {
            leptos::logging::warn!("csv: {e}");
        }
    };
    view! {
        {move || match v.get() {
            None if !started.get() => view! { <p class="card__muted">{i18n.t().loading}</p> }.into_any(),
            None | Some(None) => view! {
                <h1 class="page__title">{t().title}</h1>
                <p class="card" data-testid="staff-only">{t().staff_only}</p>
            }.into_any(),
            Some(Some(l)) => {
                let tt = t();
                let m = month.get();
                let label = month_label(tt, m);
                view! {
                    <article class="ledger" data-testid="ledger" data-month=month_param(m)>
                        <p class="ledger__org">{l.community.clone()}</p>
                        <h1 class="page__title">{fill(tt.heading, &[("month", &label)])}</h1>
                        <nav class="ledger__months no-print" aria-label=tt.title>
                            <A href=format!("/ledger?m={}", month_param(m - 1)) attr:class="button button--secondary"
                                attr:aria-label=tt.prev attr:data-testid="prev-month">"‹"</A>
                            <span class="ledger__month" data-testid="month">{label.clone()}</span>
                            {if m < this_month {
                                view! { <A href=format!("/ledger?m={}", month_param(m + 1)) attr:class="button button--secondary"
                                    attr:aria-label=tt.next attr:data-testid="next-month">"›"</A> }.into_any()
                            } else {
                                view! { <span class="button button--secondary ledger__off" aria-hidden="true">"›"</span> }.into_any()
                            }}
                        </nav>
                        <p class="card__muted ledger__intro">{tt.intro}</p>
                        <div class="actions no-print">
                            <button class="button" type="button" data-testid="print"
                                on:click=move |_| { let _ = window().print(); }>{tt.print}</button>
                            <button class="button button--secondary" type="button" data-testid="csv"
                                disabled=move || check.with(Option::is_none) on:click=download>{tt.csv}</button>
                        </div>
                        {sections(tt, &l).into_iter().map(|s| view! {
                            <section class="card ledger__section" data-testid=format!("ledger-{}", s.key)>
                                <h2 class="card__title">{s.title}</h2>
                                {s.figures.is_empty().then(|| view! { <p class="card__muted">{tt.none}</p> })}
                                <dl class="ledger__figures">
                                    {s.figures.into_iter().map(|f| view! {
                                        <div class="ledger__figure" data-k=f.key data-id=f.id data-v=f.raw>
                                            <dt>{f.label}</dt>
                                            <dd>{f.value}</dd>
                                        </div>
                                    }).collect_view()}
                                </dl>
                            </section>
                        }).collect_view()}
                        <footer class="ledger__foot" data-testid="ledger-foot">
                            <p>{move || check.get().map(|(n, hash)| fill(t().footer, &[("n", &n), ("hash", &hash), ("date", &date_time(now))]))}</p>
                            <p>{tt.footer_check}</p>
                        </footer>
                    </article>
                }.into_any()
            }
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_money_read_as_people_write_them() {
        assert_eq!(parse_month("2026-01"), Some(2026 * 12));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("x"), None);
        assert_eq!(month_param(2025 * 12 + 11), "2025-12");
        assert_eq!(yuan(123_405), "1234.05");
        assert_eq!(yuan(-5), "-0.05");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("通过 5/10"), "通过 5/10");
    }
}
