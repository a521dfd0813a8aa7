//! The form to propose (提出议题). Lengths come from the domain's limits; whatever else the
//! rules require, the domain says when the proposal is sent, before anything is signed.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use linli_domain::council::act::{Create, MAX_OPTION, MAX_TEXT, MAX_TITLE};
use linli_domain::council::{Act, Eligibility, Threshold};

use super::{eligibility_text, threshold_text};
use crate::components::{Choice, FormError, TextArea, TextField};
use crate::hooks::use_act;
use crate::i18n::council::CouncilText;
use crate::i18n::use_texts;

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
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Ok(quorum_pct), Ok(seconds_needed)) = (
            quorum.get_untracked().trim().parse::<u8>(),
            seconds.get_untracked().trim().parse::<u32>(),
        ) else {
            act.fail(t().new_bad_number);
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
        Eligibility::ALL
            .into_iter()
            .map(|e| (e, eligibility_text(t(), e)))
            .collect::<Vec<_>>()
    });
    let thresholds = Signal::derive(move || {
        Threshold::ALL
            .into_iter()
            .map(|th| (th, threshold_text(t(), th)))
            .collect::<Vec<_>>()
    });
    view! {
        <h1 class="page__title">{move || t().new_title}</h1>
        <form class="form" on:submit=submit novalidate>
            <TextField label=Signal::derive(move || t().new_title_field) name="title" value=title max=MAX_TITLE/>
            <TextArea label=Signal::derive(move || t().new_body_field) name="body" value=body max=MAX_TEXT rows=5/>
            <TextField label=Signal::derive(move || t().new_category_field) name="category" value=category max=MAX_OPTION/>
            <Choice legend=Signal::derive(move || t().new_eligibility) options=eligibilities value=eligibility/>
            <Choice legend=Signal::derive(move || t().new_threshold) options=thresholds value=threshold/>
            <TextField label=Signal::derive(move || t().new_quorum) name="quorum" value=quorum inputmode="numeric"/>
            <TextField label=Signal::derive(move || t().new_seconds) name="seconds" value=seconds inputmode="numeric"/>
            <label class="setting setting--toggle">
                <span class="setting__label">{move || t().new_hide}</span>
                <input type="checkbox" role="switch" class="switch" bind:checked=hide/>
            </label>
            <FormError error=act.error/>
            <button class="button button--wide" type="submit" disabled=move || act.busy.get()>{move || t().new_submit}</button>
        </form>
    }
}
