//! 我的志愿者资料 — my skills as chips, my weekly free time as a grid of taps (a day × morning,
//! afternoon, evening), my grid, and whether I take invitations now. Saving signs a
//! `volunteer.profile` (the latest wins).

use leptos::prelude::*;
use linli_domain::volunteers::act::{Profile as ProfileAct, MAX_GRID, MAX_SKILL};
use linli_domain::volunteers::{self, HhMm, Window};

use crate::components::{FormError, TextField};
use crate::hooks::{use_act, use_view};
use crate::i18n::use_texts;
use crate::i18n::volunteer::VolunteerText;

/// The periods of a day the grid offers, in minutes since midnight: 08–12, 12–18, 18–21.
pub const PERIODS: [(u16, u16); 3] = [(480, 720), (720, 1080), (1080, 1260)];

/// The cells (weekday 1–7 × period) that `windows` cover whole.
pub fn cells(windows: &[Window]) -> [[bool; 3]; 7] {
    let mut out = [[false; 3]; 7];
    for (d, day) in out.iter_mut().enumerate() {
        for (p, (from, to)) in PERIODS.iter().enumerate() {
            day[p] = windows
                .iter()
                .any(|w| usize::from(w.weekday()) == d + 1 && w.from() <= *from && w.to() >= *to);
        }
    }
    out
}

/// The windows of `cells`: touching periods of a day merged into one.
pub fn windows(cells: &[[bool; 3]; 7]) -> Vec<Window> {
    let mut out = Vec::new();
    for (d, day) in cells.iter().enumerate() {
        let mut open: Option<(u16, u16)> = None;
        for (p, on) in day.iter().enumerate() {
            let (from, to) = PERIODS[p];
            match (open, on) {
                (Some((f, t)), true) if t == from => open = Some((f, to)),
                (Some((f, t)), _) => {
                    out.push(Window(d as u8 + 1, HhMm(f), HhMm(t)));
                    open = on.then_some((from, to));
                }
                (None, true) => open = Some((from, to)),
                (None, false) => {}
            }
        }
        if let Some((f, t)) = open {
            out.push(Window(d as u8 + 1, HhMm(f), HhMm(t)));
        }
    }
    out
}

/// The profile form.
#[component]
pub fn Profile() -> impl IntoView {
    let t = use_texts::<VolunteerText>();
    let act = use_act();
    let current = use_view(|s, me| {
        let state = s.state();
        let actor = state.roster.actor(me).ok()?;
        state.volunteers.profile(&actor.id).cloned()
    });
    let skills = RwSignal::new(Vec::<String>::new());
    let grid_cells = RwSignal::new([[false; 3]; 7]);
    let grid = RwSignal::new(String::new());
    let active = RwSignal::new(true);
    let other = RwSignal::new(String::new());
    let saved = RwSignal::new(false);
    // Fill the form once, from the profile as it is.
    let filled = StoredValue::new(false);
    Effect::new(move |_| {
        if filled.get_value() {
            return;
        }
        if let Some(p) = current.get() {
            filled.set_value(true);
            if let Some(p) = p {
                skills.set(p.skills.iter().map(|s| s.to_string()).collect());
                grid_cells.set(cells(&p.availability));
                grid.set(p.grid.to_string());
                active.set(p.active);
            }
        }
    });
    let toggle = move |s: String| {
        saved.set(false);
        skills.update(|list| match list.iter().position(|x| *x == s) {
            Some(i) => {
                list.remove(i);
            }
            None => list.push(s),
        });
    };
    let add_other = move |_| {
        let s = other.get_untracked().trim().to_owned();
        if !s.is_empty() && !skills.with_untracked(|l| l.contains(&s)) {
            toggle(s);
        }
        other.set(String::new());
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let profile = volunteers::Act::Profile(ProfileAct {
            skills: skills
                .get_untracked()
                .iter()
                .map(|s| s.as_str().into())
                .collect(),
            availability: windows(&grid_cells.get_untracked()),
            grid: grid.get_untracked().trim().into(),
            active: active.get_untracked(),
        });
        act.send_then(profile, move |_| saved.set(true));
    };
    view! {
        <h1 class="page__title">{move || t().profile_title}</h1>
        <form class="form" on:submit=save novalidate>
            <fieldset class="field">
                <legend class="field__label">{move || t().profile_skills}</legend>
                <div class="chips" data-testid="skills">
                    {move || {
                        let mut all: Vec<String> = t().skill_names.iter().map(|s| s.to_string()).collect();
                        for s in skills.get() {
                            if !all.contains(&s) {
                                all.push(s);
                            }
                        }
                        all.into_iter().map(|s| {
                            let on = s.clone();
                            let tap = s.clone();
                            view! {
                                <button type="button" class="members__chip"
                                    aria-pressed=move || skills.with(|l| l.contains(&on)).to_string()
                                    on:click=move |_| toggle(tap.clone())>{s}</button>
                            }
                        }).collect_view()
                    }}
                </div>
                <div class="chips__add">
                    <TextField label=Signal::derive(move || t().profile_other) name="skill" value=other max=MAX_SKILL/>
                    <button type="button" class="button button--secondary" on:click=add_other>{move || t().profile_add}</button>
                </div>
            </fieldset>
            <fieldset class="field">
                <legend class="field__label">{move || t().profile_times}</legend>
                <table class="week" data-testid="availability">
                    <thead><tr><td></td>{move || t().periods.iter().map(|p| view! { <th scope="col">{*p}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {(0..7usize).map(|d| view! {
                            <tr>
                                <th scope="row">{move || t().weekdays[d]}</th>
                                {(0..3usize).map(|p| view! {
                                    <td>
                                        <button type="button" class="week__cell"
                                            aria-label=move || format!("{} {}", t().weekdays[d], t().periods[p])
                                            aria-pressed=move || grid_cells.with(|c| c[d][p]).to_string()
                                            on:click=move |_| { saved.set(false); grid_cells.update(|c| c[d][p] = !c[d][p]); }>
                                            {move || if grid_cells.with(|c| c[d][p]) { "✓" } else { "" }}
                                        </button>
                                    </td>
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </fieldset>
            <TextField label=Signal::derive(move || t().profile_grid) name="grid" value=grid max=MAX_GRID
                check=act.field("volunteer.profile/grid")/>
            <label class="setting setting--toggle">
                <span class="setting__label">{move || t().profile_active}</span>
                <input type="checkbox" role="switch" class="switch" bind:checked=active/>
            </label>
            <FormError error=act.error/>
            {move || saved.get().then(|| view! { <p class="notice-line" role="status" data-testid="profile-saved">{t().profile_saved}</p> })}
            <button class="button button--wide" type="submit" disabled=move || act.busy.get()>{move || t().profile_save}</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_week_grid_round_trips_and_merges_touching_periods() {
        let mut c = [[false; 3]; 7];
        c[5][0] = true;
        c[5][1] = true;
        c[0][2] = true;
        c[6][0] = true;
        c[6][2] = true;
        let w = windows(&c);
        assert_eq!(
            w,
            vec![
                Window(1, HhMm(1080), HhMm(1260)),
                Window(6, HhMm(480), HhMm(1080)),
                Window(7, HhMm(480), HhMm(720)),
                Window(7, HhMm(1080), HhMm(1260)),
            ]
        );
        assert_eq!(cells(&w), c);
    }
}
