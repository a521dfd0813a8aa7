//! Labelled form fields. Lengths come from the domain's limits (`max`), so a form never allows
//! what the rules would refuse, and never refuses what they allow. A field that is wrong says
//! so beside itself, naming itself and the limit ([`Issue`]), and takes the focus.

use leptos::prelude::*;
use linli_domain::wire::Problem;

use crate::i18n::{fill, use_i18n, Common};

/// What is wrong with a field: the domain's verdict, or a number that is not one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Issue {
    /// As the domain says ([`linli_domain::wire::FieldError`]).
    Problem(Problem),
    /// Not a whole number where one is needed.
    NotANumber,
    /// The form's own words (a code that is not one, say).
    Says(&'static str),
}

impl Issue {
    /// The message beside the field labelled `label`, in the user's language.
    pub fn text(self, m: &Common, label: &str) -> String {
        let label = label.trim_end_matches(['：', ':']);
        match self {
            Issue::NotANumber => fill(m.field_not_number, &[("label", &label)]),
            Issue::Says(text) => text.to_owned(),
            Issue::Problem(Problem::Missing) => fill(m.field_missing, &[("label", &label)]),
            Issue::Problem(Problem::TooLong { max, len }) => fill(
                m.field_too_long,
                &[("label", &label), ("max", &max), ("len", &len)],
            ),
            Issue::Problem(Problem::OutOfRange { min, max }) => fill(
                m.field_range,
                &[("label", &label), ("min", &min), ("max", &max)],
            ),
            Issue::Problem(Problem::BelowCharter { min }) => {
                fill(m.field_below_charter, &[("label", &label), ("min", &min)])
            }
            Issue::Problem(Problem::NotAllowed) => fill(m.field_not_allowed, &[("label", &label)]),
        }
    }
}

/// A field's key (`kind/field`: the command's kind and the payload's key, e.g.
/// `proposal.create/title`) and what is wrong with it now, from
/// [`crate::hooks::Acting::field`].
#[derive(Clone, Copy)]
pub struct FieldIssue {
    /// The key; the input carries it as `data-field` (the focus finds it by that).
    pub key: &'static str,
    /// What is wrong, while something is.
    pub issue: Signal<Option<Issue>>,
}

/// A field's wiring for its issue: the key, `aria-invalid`, `aria-describedby` and the
/// message under it.
struct Wiring {
    key: Option<&'static str>,
    invalid: Signal<Option<&'static str>>,
    described: Signal<Option<String>>,
    text: Signal<Option<String>>,
}

fn wiring(
    check: Option<FieldIssue>,
    error: Signal<Option<&'static str>>,
    name: &'static str,
    label: Signal<&'static str>,
) -> Wiring {
    let i18n = use_i18n();
    let key = check.map(|c| c.key);
    let text = Signal::derive(move || {
        check
            .and_then(|c| c.issue.get())
            .map(|i| i.text(i18n.t(), label.get()))
            .or_else(|| error.get().map(str::to_owned))
    });
    Wiring {
        key,
        invalid: Signal::derive(move || text.with(Option::is_some).then_some("true")),
        described: Signal::derive(move || {
            text.with(Option::is_some)
                .then(|| format!("{}-error", key.unwrap_or(name)))
        }),
        text,
    }
}

/// A one-line text field.
#[component]
pub fn TextField(
    /// The label, in the user's language.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The form name (tests and autofill find the field by it).
    name: &'static str,
    /// The value.
    value: RwSignal<String>,
    /// Longest value in characters: the domain's limit.
    #[prop(optional)]
    max: Option<usize>,
    /// `type` (text by default).
    #[prop(default = "text")]
    kind: &'static str,
    /// `inputmode`, for a numeric keyboard.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// The payload field this input fills, and what is wrong with it.
    #[prop(optional)]
    check: Option<FieldIssue>,
    /// A message of the form's own under the field while set (when `check` has none).
    #[prop(optional, into)]
    error: Signal<Option<&'static str>>,
    /// Take the focus when shown (the one thing the screen asks for next).
    #[prop(optional)]
    focus: bool,
) -> impl IntoView {
    let Wiring {
        key,
        invalid,
        described,
        text,
    } = wiring(check, error, name, label);
    let input = NodeRef::<leptos::html::Input>::new();
    if focus {
        Effect::new(move || {
            if let Some(el) = input.get() {
                let _ = el.focus();
            }
        });
    }
    view! {
        <label class="field">
            <span class="field__label">{label}</span>
            <input node_ref=input class="field__input" name=name type=kind inputmode=inputmode data-field=key
                maxlength=max.map(|m| m.to_string()) bind:value=value
                aria-invalid=invalid aria-describedby=described/>
            {move || text.get().map(|e| view! { <span class="field__error" id=described>{e}</span> })}
        </label>
    }
}

/// A text area.
#[component]
pub fn TextArea(
    /// The label, in the user's language.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The form name.
    name: &'static str,
    /// The value.
    value: RwSignal<String>,
    /// Longest value in characters: the domain's limit, when the text goes into an event.
    #[prop(optional)]
    max: Option<usize>,
    /// Visible rows.
    #[prop(default = 4)]
    rows: u32,
    /// The payload field this input fills, and what is wrong with it.
    #[prop(optional)]
    check: Option<FieldIssue>,
) -> impl IntoView {
    let Wiring {
        key,
        invalid,
        described,
        text,
    } = wiring(check, Signal::default(), name, label);
    view! {
        <label class="field">
            <span class="field__label">{label}</span>
            <textarea class="field__input field__input--area" name=name rows=rows data-field=key
                maxlength=max.map(|m| m.to_string()) bind:value=value
                aria-invalid=invalid aria-describedby=described></textarea>
            {move || text.get().map(|e| view! { <span class="field__error" id=described>{e}</span> })}
        </label>
    }
}

#[cfg(test)]
mod tests {
    use linli_domain::wire::Problem;

    use super::Issue;
    use crate::i18n::{Common, Lang, Texts};

    #[test]
    fn messages_name_the_field_and_the_limit() {
        let zh = Common::of(Lang::ZhCn);
        let long = Issue::Problem(Problem::TooLong {
            max: 2000,
            len: 5000,
        });
        assert_eq!(long.text(zh, "内容"), "“内容”最多 2000 字，现在 5000 字");
        let low = Issue::Problem(Problem::BelowCharter { min: 30 });
        assert_eq!(
            low.text(zh, "至少多少人参与（%）"),
            "议事规则要求“至少多少人参与（%）”至少为 30"
        );
        let en = Common::of(Lang::En);
        assert_eq!(
            Issue::Problem(Problem::Missing).text(en, "Title"),
            "Please fill in “Title”"
        );
        assert_eq!(
            Issue::NotANumber.text(en, "Seconds needed:"),
            "“Seconds needed” must be a whole number"
        );
    }
}
