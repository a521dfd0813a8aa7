//! 创建社区 — found a community: this device signs the genesis and becomes the admin.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use linli_domain::roster::act::{Genesis, MAX_NAME_CHARS};

use linli_domain::council::Charter;

use crate::components::{FormError, TextField};
use crate::engine::{install, ActError, Community};
use crate::hooks::use_act;
use crate::i18n::council::CouncilText;
use crate::i18n::roster::RosterText;
use crate::i18n::{use_i18n, use_texts};
use crate::pages::council::charter::{chosen, CharterFields};

/// The create form.
#[component]
pub fn Create() -> impl IntoView {
    let t = use_texts::<RosterText>();
    let i18n = use_i18n();
    let act = use_act();
    let name = RwSignal::new(String::new());
    let founder = RwSignal::new(String::new());
    let household = RwSignal::new(String::new());
    let endpoint = RwSignal::new(window().location().origin().unwrap_or_default());
    let tried = RwSignal::new(false);
    let navigate = use_navigate();
    // 议事规则: the recommended standing rules, adopted with the community (the council can
    // change them later).
    let rules = Charter::recommended();
    let quorum = RwSignal::new(rules.min_quorum_pct.to_string());
    let seconds = RwSignal::new(rules.min_seconds.to_string());
    let resident = RwSignal::new(rules.resident_eligibility);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        // The founder's name is this form's own requirement (the admin is named on notices);
        // the community's name and every limit are the domain's.
        if founder.get_untracked().trim().is_empty() {
            return;
        }
        let session = act.session();
        let genesis = Genesis {
            name: name.get_untracked().trim().into(),
            founder: founder.get_untracked().trim().into(),
            household: household.get_untracked().trim().into(),
        };
        let (Ok(min_quorum_pct), Ok(min_seconds)) = (
            quorum.get_untracked().trim().parse::<u8>(),
            seconds.get_untracked().trim().parse::<u32>(),
        ) else {
            act.fail(i18n.of::<CouncilText>().new_bad_number);
            return;
        };
        let charter = Charter {
            min_quorum_pct,
            min_seconds,
            resident_eligibility: chosen(resident),
        };
        let endpoint = endpoint.get_untracked();
        let navigate = navigate.clone();
        act.run(
            async move {
                let store = session.store().ok_or(ActError::NoCommunity)?;
                let c = Community::create(&store, &endpoint, genesis, Some(charter)).await?;
                install(session, store, c);
                Ok(())
            },
            move |()| navigate("/", Default::default()),
        );
    };
    let missing = move |s: RwSignal<String>| {
        (tried.get() && s.get().trim().is_empty()).then(|| i18n.t().err_required)
    };

    view! {
        <h1 class="page__title">{move || t().create_title}</h1>
        <p class="card__muted intro">{move || t().create_intro}</p>
        <form class="form" on:submit=submit novalidate>
            <TextField label=Signal::derive(move || t().create_name) name="name" value=name max=MAX_NAME_CHARS
                error=Signal::derive(move || missing(name))/>
            <TextField label=Signal::derive(move || t().create_founder) name="founder" value=founder max=MAX_NAME_CHARS
                error=Signal::derive(move || missing(founder))/>
            <TextField label=Signal::derive(move || t().create_household) name="household" value=household max=MAX_NAME_CHARS/>
            <TextField label=Signal::derive(move || t().create_endpoint) name="endpoint" value=endpoint kind="url"/>
            <fieldset class="field field--group">
                <legend class="field__label">{move || t().create_charter}</legend>
                <CharterFields quorum seconds resident/>
            </fieldset>
            <FormError error=act.error/>
            <button class="button button--wide" type="submit" disabled=move || act.busy.get()>
                {move || t().create_submit}
            </button>
        </form>
    }
}
