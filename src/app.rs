//! The root component: contexts, the router and the phone shell around every page. Every
//! screen but the home screen is in a part (`crate::parts`) and shows through
//! [`crate::components::Lazy`].

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::JsCast;

use crate::boot::Boot;
use crate::components::{BottomNav, ErrorBanner, Lazy, SyncBadge};
use crate::pages::{
    council, home::Home, me, not_found::NotFound, points, roster, services, volunteer,
};
use crate::parts::{open, Page};
use crate::session::Session;

/// The whole app.
#[component]
pub fn App(
    /// Settings and storage, filled in when IndexedDB answers.
    boot: Boot,
    /// The joined community, filled in once the store is read.
    session: Session,
    /// Whether the route's screen is drawn yet (the shell is drawn first: `crate::start`).
    #[prop(optional)]
    screen: Option<RwSignal<bool>>,
) -> impl IntoView {
    let screen = screen.unwrap_or_else(|| RwSignal::new(true));
    boot.provide();
    provide_context(session);
    let i18n = crate::i18n::use_i18n();
    let (lang, large_text) = (i18n.lang, boot.large_text);

    // <html lang> and the large-text class live outside the mounted tree.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.get().tag());
            let _ = root
                .class_list()
                .toggle_with_force("large-text", large_text.get());
        }
    });
    // Each page is titled by its heading ("居民议事 · 邻里"): kept in step by watching the page.
    Effect::new(move |_| {
        let app_name = i18n.t().app_name;
        title_pages_by_heading(app_name);
    });

    view! {
        <Router>
            <div class="shell" data-ready=move || boot.ready.get().to_string()>
                <header class="topbar">
                    <span class="topbar__brand">{move || i18n.t().app_name}</span>
                    <SyncBadge/>
                </header>
                <ErrorBanner/>
                <main class="page" id="main">
                    <Show when=move || screen.get()>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=Home/>
                        <Route path=path!("/council") view=|| council_page(|p| p.list)/>
                        <Route path=path!("/council/new") view=|| council_page(|p| p.propose)/>
                        <Route path=path!("/council/charter") view=|| council_page(|p| p.charter)/>
                        <Route path=path!("/council/:id") view=|| council_page(|p| p.proposal)/>
                        <Route path=path!("/council/:id/print") view=|| council_page(|p| p.print)/>
                        <Route path=path!("/meetings/new") view=|| council_page(|p| p.schedule)/>
                        <Route path=path!("/meetings/:id") view=|| council_page(|p| p.meeting)/>
                        <Route path=path!("/meetings/:id/print") view=|| council_page(|p| p.print_meeting)/>
                        <Route path=path!("/points") view=|| points_page(|p| p.home)/>
                        <Route path=path!("/points/rules") view=|| points_page(|p| p.rules)/>
                        <Route path=path!("/points/award") view=|| points_page(|p| p.award)/>
                        <Route path=path!("/points/review") view=|| points_page(|p| p.review)/>
                        <Route path=path!("/points/store") view=|| points_page(|p| p.store)/>
                        <Route path=path!("/points/lists") view=|| points_page(|p| p.lists)/>
                        <Route path=path!("/volunteer") view=|| volunteer_page(|p| p.home)/>
                        <Route path=path!("/volunteer/profile") view=|| volunteer_page(|p| p.profile)/>
                        <Route path=path!("/volunteer/new") view=|| volunteer_page(|p| p.new)/>
                        <Route path=path!("/volunteer/match") view=|| volunteer_page(|p| p.match_all)/>
                        <Route path=path!("/volunteer/:id") view=|| volunteer_page(|p| p.activity)/>
                        <Route path=path!("/volunteer/:id/hours") view=|| volunteer_page(|p| p.hours)/>
                        <Route path=path!("/help") view=|| services_page(|p| p.help)/>
                        <Route path=path!("/help/:id") view=|| services_page(|p| p.request)/>
                        <Route path=path!("/polls") view=|| services_page(|p| p.polls)/>
                        <Route path=path!("/polls/new") view=|| services_page(|p| p.new_poll)/>
                        <Route path=path!("/polls/:id") view=|| services_page(|p| p.poll)/>
                        <Route path=path!("/polls/:id/print") view=|| services_page(|p| p.print_poll)/>
                        <Route path=path!("/board") view=|| services_page(|p| p.board)/>
                        <Route path=path!("/board/new") view=|| services_page(|p| p.board_new)/>
                        <Route path=path!("/board/:id/print") view=|| services_page(|p| p.board_print)/>
                        <Route path=path!("/funds") view=|| services_page(|p| p.funds)/>
                        <Route path=path!("/funds/print") view=|| services_page(|p| p.funds_print)/>
                        <Route path=path!("/ledger") view=|| services_page(|p| p.ledger)/>
                        <Route path=path!("/me") view=|| me_page(|p| p.me)/>
                        <Route path=path!("/sync") view=|| me_page(|p| p.sync)/>
                        <Route path=path!("/create") view=|| roster_page(|p| p.create)/>
                        <Route path=path!("/join") view=|| roster_page(|p| p.join)/>
                        <Route path=path!("/invite") view=|| roster_page(|p| p.invite)/>
                        <Route path=path!("/invite/sheet") view=|| roster_page(|p| p.sheet)/>
                        <Route path=path!("/members") view=|| roster_page(|p| p.members)/>
                        <Route path=path!("/members/:id") view=|| roster_page(|p| p.member)/>
                    </Routes>
                    </Show>
                </main>
                <BottomNav/>
            </div>
        </Router>
    }
}

/// A council screen: the engine (the community read back), then the council part.
fn council_page(pick: fn(&council::Pages) -> Page) -> impl IntoView {
    view! { <Lazy load=move |s| async move { open(s).await?; council::pages().await.map(|p| pick(&p)) }/> }
}

/// A community flow's screen (create, join, invite, members).
fn roster_page(pick: fn(&roster::Pages) -> Page) -> impl IntoView {
    view! { <Lazy load=move |s| async move { open(s).await?; roster::pages().await.map(|p| pick(&p)) }/> }
}

/// 我的 and 同步与数据.
fn me_page(pick: fn(&me::Pages) -> Page) -> impl IntoView {
    view! { <Lazy load=move |s| async move { open(s).await?; me::pages().await.map(|p| pick(&p)) }/> }
}

/// 积分.
fn points_page(pick: fn(&points::Pages) -> Page) -> impl IntoView {
    view! { <Lazy load=move |s| async move { open(s).await?; points::pages().await.map(|p| pick(&p)) }/> }
}

/// 志愿.
fn volunteer_page(pick: fn(&volunteer::Pages) -> Page) -> impl IntoView {
    view! { <Lazy load=move |s| async move { open(s).await?; volunteer::pages().await.map(|p| pick(&p)) }/> }
}

/// 求助 and the everyday services.
fn services_page(pick: fn(&services::Pages) -> Page) -> impl IntoView {
    view! { <Lazy load=move |s| async move { open(s).await?; services::pages().await.map(|p| pick(&p)) }/> }
}

/// Titles the document after the page's heading, now and whenever the page changes.
fn title_pages_by_heading(app_name: &'static str) {
    let update = move || {
        let heading = document()
            .query_selector("main h1")
            .ok()
            .flatten()
            .and_then(|h| h.text_content())
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty());
        let title = match heading {
            Some(h) if h != app_name => format!("{h} · {app_name}"),
            _ => app_name.to_owned(),
        };
        if document().title() != title {
            document().set_title(&title);
        }
    };
    update();
    thread_local! {
        static OBSERVING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if OBSERVING.with(|o| o.replace(true)) {
        return;
    }
    let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(update);
    let Ok(observer) = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()) else {
        return;
    };
    callback.forget();
    let options = web_sys::MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    options.set_character_data(true);
    if let Some(body) = document().body() {
        let _ = observer.observe_with_options(&body, &options);
    }
}
