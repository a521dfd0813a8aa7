//! 公开栏 — the public board: notices, policies, funds disclosures and ballot results, newest
//! first, by category; staff post; every post prints on A4 for the wall board. Texts are shown
//! as plain text, never as HTML.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use linli_domain::services::act::{Category, Post, MAX_TEXT, MAX_TITLE};
use linli_domain::services::Act;

use super::public::{board, post, staff, PostRow};
use crate::components::{short_date, FormError, Notice, TextArea, TextField};
use crate::hooks::{use_act, use_detail, use_view, Detail};
use crate::i18n::board::BoardText;
use crate::i18n::{use_i18n, use_texts};
use crate::session::use_session;

/// Every category, in the order the chips show them.
pub const CATEGORIES: [Category; 4] = [
    Category::Notice,
    Category::Policy,
    Category::Funds,
    Category::Result,
];

/// A category's name.
pub fn category_text(t: &'static BoardText, c: Category) -> &'static str {
    match c {
        Category::Notice => t.cat_notice,
        Category::Policy => t.cat_policy,
        Category::Funds => t.cat_funds,
        Category::Result => t.cat_result,
    }
}

fn category_key(c: Category) -> &'static str {
    match c {
        Category::Notice => "notice",
        Category::Policy => "policy",
        Category::Funds => "funds",
        Category::Result => "result",
    }
}

/// The board.
#[component]
pub fn BoardPage() -> impl IntoView {
    let t = use_texts::<BoardText>();
    let i18n = use_i18n();
    let v = use_view(board);
    let filter = RwSignal::new(None::<Category>);
    let chip = move |c: Option<Category>| {
        view! {
            <button type="button" class="members__chip" data-testid="board-filter"
                aria-pressed=move || (filter.get() == c).to_string()
                on:click=move |_| filter.set(c)>
                {move || c.map_or(t().all, |c| category_text(t(), c))}
            </button>
        }
    };
    view! {
        <h1 class="page__title">{move || t().title}</h1>
        <div class="actions">
            <A href="/funds" attr:class="button button--secondary">{move || t().funds_link}</A>
            <Show when=move || v.with(|b| b.as_ref().is_some_and(|b| b.can_post))>
                <A href="/board/new" attr:class="button">{move || t().new_post}</A>
            </Show>
        </div>
        <div class="chips" role="group" aria-label=move || t().post_category>
            {chip(None)}
            {CATEGORIES.into_iter().map(|c| chip(Some(c))).collect_view()}
        </div>
        {move || match v.get() {
            None => view! { <p class="card__muted">{i18n.t().loading}</p> }.into_any(),
            Some(b) => {
                let m = t();
                let shown: Vec<PostRow> = b.posts.iter()
                    .filter(|p| filter.with(|f| f.is_none_or(|c| c == p.category)))
                    .cloned()
                    .collect();
                if shown.is_empty() {
                    let empty = if b.posts.is_empty() { m.none } else { m.none_here };
                    return view! { <p class="card__muted" data-testid="board-empty">{empty}</p> }.into_any();
                }
                view! {
                    <ul class="board" data-testid="board">
                        {shown.into_iter().map(|p| view! { <PostCard p/> }).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
    }
}

/// A post on the board: category, date, title, the text as plain text, the proposal a result
/// announces, and its printable page.
#[component]
fn PostCard(p: PostRow) -> impl IntoView {
    let t = use_texts::<BoardText>();
    let m = t();
    view! {
        <li class="card board__post" data-testid="post" data-category=category_key(p.category)>
            <p class="board__meta">
                <span class="tag">{category_text(m, p.category)}</span>
                <span class="card__muted">{short_date(p.ts as f64)}</span>
            </p>
            <h2 class="card__title" data-testid="post-title">{p.title.clone()}</h2>
            {(!p.body.is_empty()).then(|| view! { <p class="prewrap" data-testid="post-body">{p.body.clone()}</p> })}
            <div class="actions">
                {p.proposal.map(|id| view! {
                    <A href=format!("/council/{}", id.to_hex()) attr:class="button button--secondary">{m.proposal_link}</A>
                })}
                <A href=format!("/board/{}/print", p.id.to_hex()) attr:class="button button--secondary">{m.print}</A>
            </div>
        </li>
    }
}

/// Staff post: title, text, category.
#[component]
pub fn NewPostPage() -> impl IntoView {
    let t = use_texts::<BoardText>();
    let tt = t();
    let can = use_view(staff);
    let act = use_act();
    let navigate = use_navigate();
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let category = RwSignal::new(Category::Notice);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let post = Act::Post(Post {
            title: title.get_untracked().trim().into(),
            body: body.get_untracked().trim().into(),
            category: category.get_untracked(),
            proposal: None,
        });
        let navigate = navigate.clone();
        act.send_then(post, move |_| navigate("/board", Default::default()));
    };
    view! {
        <h1 class="page__title">{move || t().new_title}</h1>
        <FormError error=act.error/>
        <Show when=move || can.get() == Some(false)>
            <p class="card__muted">{move || t().staff_only}</p>
        </Show>
        <Show when=move || can.get() == Some(true)>
            <form class="card form" data-testid="new-post" on:submit=submit.clone() novalidate>
                <fieldset class="field">
                    <legend class="field__label">{tt.post_category}</legend>
                    <div class="chips">
                        {CATEGORIES.into_iter().map(|c| view! {
                            <button type="button" class="members__chip"
                                aria-pressed=move || (category.get() == c).to_string()
                                on:click=move |_| category.set(c)>{move || category_text(t(), c)}</button>
                        }).collect_view()}
                    </div>
                </fieldset>
                <TextField label=Signal::derive(move || t().post_title) name="title" value=title max=MAX_TITLE
                    check=act.field("board.post/title")/>
                <TextArea label=Signal::derive(move || t().post_body) name="body" value=body rows=6 max=MAX_TEXT
                    check=act.field("board.post/body")/>
                <button class="button button--wide" type="submit" disabled=move || act.busy.get()>{tt.post_submit}</button>
            </form>
        </Show>
    }
}

/// One post on A4 for the wall board.
#[component]
pub fn PrintPostPage() -> impl IntoView {
    let t = use_texts::<BoardText>();
    let detail = use_detail(|s, _, id| post(s, id));
    let name = use_session().digest;
    move || {
        let m = t();
        match detail.get() {
            Detail::Loading => None,
            Detail::Missing => Some(
                view! {
                    <h1 class="page__title">{m.title}</h1>
                    <p class="card__muted">{m.not_found}</p>
                }
                .into_any(),
            ),
            Detail::Found(p) => {
                let org = Signal::derive(move || {
                    let n = name.with(|d| d.as_ref().map(|d| d.name.clone()).unwrap_or_default());
                    format!("{n} · {}", t().section)
                });
                Some(
                    view! {
                        <Notice org title=category_text(m, p.category) print=m.print date=short_date(p.ts as f64)>
                            <h2 data-testid="post-title">{p.title.clone()}</h2>
                            <p class="prewrap">{p.body.clone()}</p>
                        </Notice>
                    }
                    .into_any(),
                )
            }
        }
    }
}
