//! 议事规则 — the council's standing rules: shown to everyone, changed by the council.

use leptos::prelude::*;
use linli_domain::council::act::Charter;
use linli_domain::council::{Act, Eligibility};

use super::eligibility_text;
use super::view::council;
use crate::components::{FormError, TextField};
use crate::hooks::{use_act, use_view, Acting};
use crate::i18n::council::CouncilText;
use crate::i18n::{use_i18n, use_texts};

/// The standing rules page.
#[component]
pub fn StandingRules() -> impl IntoView {
    let t = use_texts::<CouncilText>();
    let i18n = use_i18n();
    let section = use_view(council);
    let act = use_act();
    let quorum = RwSignal::new(String::new());
    let seconds = RwSignal::new(String::new());
    let resident = RwSignal::new(Vec::<Eligibility>::new());
    let saved = RwSignal::new(false);
    // The form starts from the rules in force (or the recommended ones).
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let Some(c) = section.get() else { return false };
        let rules = c.charter.unwrap_or_else(Charter::recommended);
        quorum.set(rules.min_quorum_pct.to_string());
        seconds.set(rules.min_seconds.to_string());
        resident.set(rules.resident_eligibility);
        true
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
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
        act.send_then(Act::Charter(charter), move |_| saved.set(true));
    };
    view! {
        <h1 class="page__title">{move || t().charter_title}</h1>
        <p class="card__muted intro">{move || t().charter_intro}</p>
        {move || section.get().map(|c| {
            let may_change = c.actions.charter.is_ok();
            let rules = c.charter.clone();
            view! {
                <section class="card" data-testid="charter">
                    {match &rules {
                        None => view! { <p>{t().charter_none}</p> }.into_any(),
                        Some(r) => view! {
                            <dl class="kv">
                                <dt>{t().charter_min_quorum}</dt><dd>{r.min_quorum_pct}"%"</dd>
                                <dt>{t().charter_min_seconds}</dt><dd>{r.min_seconds}</dd>
                                <dt>{t().charter_resident}</dt>
                                <dd>{r.resident_eligibility.iter().map(|e| eligibility_text(t(), *e)).collect::<Vec<_>>().join("、")}</dd>
                            </dl>
                        }.into_any(),
                    }}
                </section>
                {may_change.then(|| view! {
                    <form class="form" on:submit=submit novalidate>
                        <CharterFields quorum seconds resident act/>
                        <FormError error=act.error/>
                        {move || saved.get().then(|| view! { <p class="card__muted" role="status">{t().charter_saved}</p> })}
                        <button class="button button--wide" type="submit" disabled=move || act.busy.get()>{move || t().charter_save}</button>
                    </form>
                })}
            }
        })}
        {move || section.with(Option::is_none).then(|| view! { <p class="card__muted">{i18n.t().loading}</p> })}
    }
}

/// The least quorum's field.
pub const MIN_QUORUM: &str = "space.charter/min_quorum_pct";
/// The fewest seconds' field.
pub const MIN_SECONDS: &str = "space.charter/min_seconds";

/// The eligibilities chosen, in their usual order.
pub fn chosen(resident: RwSignal<Vec<Eligibility>>) -> Vec<Eligibility> {
    Eligibility::ALL
        .into_iter()
        .filter(|e| resident.with_untracked(|r| r.contains(e)))
        .collect()
}

/// The standing rules' fields: least quorum, fewest seconds, the voters a resident may choose
/// (on this page, and on the form that founds a community).
#[component]
pub fn CharterFields(
    /// Least quorum, as typed.
    quorum: RwSignal<String>,
    /// Fewest seconds, as typed.
    seconds: RwSignal<String>,
    /// The voters a resident's proposal may choose.
    resident: RwSignal<Vec<Eligibility>>,
    /// The form's acting state (which field is at fault).
    act: Acting,
) -> impl IntoView {
    let t = use_texts::<CouncilText>();
    view! {
        <TextField label=Signal::derive(move || t().charter_min_quorum) name="min_quorum" value=quorum inputmode="numeric"
            check=act.field(MIN_QUORUM)/>
        <TextField label=Signal::derive(move || t().charter_min_seconds) name="min_seconds" value=seconds inputmode="numeric"
            check=act.field(MIN_SECONDS)/>
        <fieldset class="field">
            <legend class="field__label">{move || t().charter_resident}</legend>
            <div class="segmented" role="group">
                {Eligibility::ALL.into_iter().map(|e| view! {
                    <button type="button" class="segmented__option"
                        aria-pressed=move || resident.with(|r| r.contains(&e)).to_string()
                        on:click=move |_| resident.update(|r| if r.contains(&e) { r.retain(|x| *x != e) } else { r.push(e) })>
                        {move || eligibility_text(t(), e)}
                    </button>
                }).collect_view()}
            </div>
        </fieldset>
    }
}
