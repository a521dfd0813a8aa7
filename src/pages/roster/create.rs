//! 创建社区 — found a community: this device signs the genesis and becomes the admin.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use linli_domain::roster::act::{Genesis, MAX_NAME_CHARS};

use linli_domain::council::{self, Charter};
use linli_domain::roster;
use linli_domain::wire::Problem;

use crate::components::{FormError, Issue, TextField};
use crate::engine::{install, ActError, Community};
use crate::hooks::use_act;
use crate::i18n::roster::RosterText;
use crate::i18n::use_texts;
use crate::pages::council::charter::{chosen, CharterFields, MIN_QUORUM, MIN_SECONDS};

/// The founder's name: this form's own requirement.
const FOUNDER: &str = "space.genesis/founder";

/// The create form.
#[component]
pub fn Create() -> impl IntoView {
    let t = use_texts::<RosterText>();

    let act = use_act();
    let name = RwSignal::new(String::new());
    let founder = RwSignal::new(String::new());
    let household = RwSignal::new(String::new());
    let endpoint = RwSignal::new(window().location().origin().unwrap_or_default());
    let navigate = use_navigate();
    // 议事规则: the recommended standing rules, adopted with the community (the council can
    // change them later).
    let rules = Charter::recommended();
    let quorum = RwSignal::new(rules.min_quorum_pct.to_string());
    let seconds = RwSignal::new(rules.min_seconds.to_string());
    let resident = RwSignal::new(rules.resident_eligibility);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let session = act.session();
        let genesis = Genesis {
            name: name.get_untracked().trim().into(),
            founder: founder.get_untracked().trim().into(),
            household: household.get_untracked().trim().into(),
        };
        // The community's name and every limit are the domain's to check, field by field.
        if !act.check(&roster::Act::Genesis(genesis.clone()).into()) {
            return;
        }
        // The founder's name is this form's own requirement (the admin is named on notices).
        if genesis.founder.is_empty() {
            act.fail_field(FOUNDER, Issue::Problem(Problem::Missing));
            return;
        }
        let Some(min_quorum_pct) = act.number::<u8>(quorum, MIN_QUORUM) else {
            return;
        };
        let Some(min_seconds) = act.number::<u32>(seconds, MIN_SECONDS) else {
            return;
        };
        let charter = Charter {
            min_quorum_pct,
            min_seconds,
            resident_eligibility: chosen(resident),
        };
        if !act.check(&council::Act::Charter(charter.clone()).into()) {
            return;
        }
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

    view! {
        <h1 class="page__title">{move || t().create_title}</h1>
        <p class="card__muted intro">{move || t().create_intro}</p>
        <form class="form" on:submit=submit novalidate>
            <TextField label=Signal::derive(move || t().create_name) name="name" value=name max=MAX_NAME_CHARS
                check=act.field("space.genesis/name")/>
            <TextField label=Signal::derive(move || t().create_founder) name="founder" value=founder max=MAX_NAME_CHARS
                check=act.field(FOUNDER)/>
            <TextField label=Signal::derive(move || t().create_household) name="household" value=household max=MAX_NAME_CHARS
                check=act.field("space.genesis/household")/>
            <TextField label=Signal::derive(move || t().create_endpoint) name="endpoint" value=endpoint kind="url"/>
            <fieldset class="field field--group">
                <legend class="field__label">{move || t().create_charter}</legend>
                <CharterFields quorum seconds resident act/>
            </fieldset>
            <FormError error=act.error/>
            <button class="button button--wide" type="submit" disabled=move || act.busy.get()>
                {move || t().create_submit}
            </button>
        </form>
    }
}
