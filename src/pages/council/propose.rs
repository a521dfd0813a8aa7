//! The form to propose (提出议题). Lengths come from the domain's limits; whatever else the
//! rules require, the domain says when the proposal is sent, before anything is signed.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use linli_domain::council::act::{Create, MAX_OPTION, MAX_TEXT, MAX_TITLE};
use linli_domain::council::{Act, Eligibility, Threshold};

use super::view::propose_terms;
use super::{eligibility_text, threshold_text};
use crate::components::{Choice, FormError, TextArea, TextField};
use crate::hooks::{use_act, use_view};
use crate::i18n::council::CouncilText;
use crate::i18n::use_texts;

const QUORUM: &str = "proposal.create/quorum_pct";
const SECONDS: &str = "proposal.create/seconds_needed";

/// The form to propose.
#[component]
pub fn Propose() -> impl IntoView {
    let t = use_texts::<CouncilText>();
    let act = use_act();
    let navigate = use_navigate();
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let eligibility = RwSignal::new(Eligibility::Resident);
    let threshold = RwSignal::new(Threshold::Simple);
    let quorum = RwSignal::new("20".to_owned());
    let seconds = RwSignal::new("3".to_owned());
    let hide = RwSignal::new(false);
    // The standing rules' minimums and the voters this member may choose, from the domain;
    // the form starts at the minimums (or the usual 20 % and 3 when they are lower).
    let terms = use_view(propose_terms);
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let Some(terms) = terms.get() else {
            return false;
        };
        quorum.set(terms.min_quorum_pct.max(20).to_string());
        seconds.set(terms.min_seconds.max(3).to_string());
        if let Some(first) = terms.eligibilities.first() {
            if !terms.eligibilities.contains(&eligibility.get_untracked()) {
                eligibility.set(*first);
            }
        }
        true
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // A number out of range is the domain's to name (with its limits); one that is not a
        // number at all is the form's.
        let Some(quorum_pct) = act.number::<u8>(quorum, QUORUM) else {
            return;
        };
        let Some(seconds_needed) = act.number::<u32>(seconds, SECONDS) else {
            return;
        };
        let create = Create {
            title: title.get_untracked().trim().into(),
            body: body.get_untracked().trim().into(),
            category: category.get_untracked().trim().into(),
            options: Vec::new(),
            eligibility: eligibility.get_untracked(),
            quorum_pct,
            threshold: threshold.get_untracked(),
            seconds_needed,
            hide_tally: hide.get_untracked(),
        };
        let navigate = navigate.clone();
        act.send_then(Act::Create(create), move |e| {
            navigate(&format!("/council/{}", e.id.to_hex()), Default::default())
        });
    };
    let eligibilities = Signal::derive(move || {
        let allowed = terms.with(|t| t.as_ref().map(|t| t.eligibilities.clone()));
        Eligibility::ALL
            .into_iter()
            .filter(|e| allowed.as_ref().is_none_or(|a| a.contains(e)))
            .map(|e| (e, eligibility_text(t(), e)))
            .collect::<Vec<_>>()
    });
    let hint = move |template: &'static str, min: Option<u32>| {
        min.filter(|m| *m > 0)
            .map(|m| template.replace("{}", &m.to_string()))
    };
    let thresholds = Signal::derive(move || {
        Threshold::ALL
            .into_iter()
            .map(|th| (th, threshold_text(t(), th)))
            .collect::<Vec<_>>()
    });
    view! {
        <h1 class="page__title">{move || t().new_title}</h1>
        <form class="form" on:submit=submit novalidate>
            <TextField label=Signal::derive(move || t().new_title_field) name="title" value=title max=MAX_TITLE
                check=act.field("proposal.create/title")/>
            <TextArea label=Signal::derive(move || t().new_body_field) name="body" value=body max=MAX_TEXT rows=5
                check=act.field("proposal.create/body")/>
            <TextField label=Signal::derive(move || t().new_category_field) name="category" value=category max=MAX_OPTION
                check=act.field("proposal.create/category")/>
            <Choice legend=Signal::derive(move || t().new_eligibility) options=eligibilities value=eligibility/>
            <Choice legend=Signal::derive(move || t().new_threshold) options=thresholds value=threshold/>
            <TextField label=Signal::derive(move || t().new_quorum) name="quorum" value=quorum inputmode="numeric"
                check=act.field(QUORUM)/>
            {move || hint(t().new_at_least_pct, terms.with(|t| t.as_ref().map(|t| u32::from(t.min_quorum_pct))))
                .map(|h| view! { <p class="field__hint" data-testid="quorum-hint">{h}</p> })}
            <TextField label=Signal::derive(move || t().new_seconds) name="seconds" value=seconds inputmode="numeric"
                check=act.field(SECONDS)/>
            {move || hint(t().new_at_least, terms.with(|t| t.as_ref().map(|t| t.min_seconds)))
                .map(|h| view! { <p class="field__hint" data-testid="seconds-hint">{h}</p> })}
            <label class="setting setting--toggle">
                <span class="setting__label">{move || t().new_hide}</span>
                <input type="checkbox" role="switch" class="switch" bind:checked=hide/>
            </label>
            <FormError error=act.error/>
            <button class="button button--wide" type="submit" disabled=move || act.busy.get()>{move || t().new_submit}</button>
        </form>
    }
}
