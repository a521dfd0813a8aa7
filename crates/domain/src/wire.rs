//! What every area's payloads share: parsing a payload with the stable codes of
//! `docs/protocol.md` (a missing, unknown, duplicate or mistyped field is
//! `malformed_payload`), and the text limits.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::reject::Code;

/// A kind's payload as it travels: parsed and written by the same type, so the app never
/// writes wire JSON by hand, and checked by the same [`Wire::validate`] whether it was
/// received or is about to be signed.
pub trait Wire: Serialize + DeserializeOwned {
    /// The limits and shapes serde cannot express (non-empty text, lengths, ranges), naming
    /// the field at fault: what a form shows beside that field before anything is signed.
    fn check(&self) -> Result<(), FieldError> {
        Ok(())
    }

    /// [`Wire::check`] as the fold sees it: the rejection code only.
    fn validate(&self) -> Result<(), Code> {
        self.check().map_err(|e| e.code)
    }
}

/// What is wrong with one field of a payload: the field (its JSON key), how, and the code the
/// fold rejects the payload with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The payload's key (`title`, `quorum_pct`, …); forms name their inputs by it.
    pub field: &'static str,
    /// What is wrong, with the limit.
    pub problem: Problem,
    /// The rejection code of `docs/protocol.md`.
    pub code: Code,
}

/// What is wrong with a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Blank where something is required.
    Missing,
    /// Longer than `max` characters (it has `len`).
    TooLong {
        /// The limit.
        max: usize,
        /// The length given.
        len: usize,
    },
    /// A number outside `min..=max`.
    OutOfRange {
        /// Least allowed.
        min: i64,
        /// Most allowed.
        max: i64,
    },
    /// Below the least the community's standing rules allow.
    BelowCharter {
        /// The least allowed.
        min: i64,
    },
    /// A choice the standing rules (or the role) do not allow.
    NotAllowed,
}

impl FieldError {
    /// `field` is out of `min..=max`, rejected with `code`.
    pub fn range(field: &'static str, min: i64, max: i64, code: Code) -> FieldError {
        FieldError {
            field,
            problem: Problem::OutOfRange { min, max },
            code,
        }
    }

    /// `field` is wrong in a way only `code` says (a malformed shape).
    pub fn malformed(field: &'static str) -> FieldError {
        FieldError {
            field,
            problem: Problem::NotAllowed,
            code: Code::MalformedPayload,
        }
    }
}

/// Required text in `field`: not blank (`malformed_payload`), at most `max` characters
/// (`over_limit`).
pub fn text(field: &'static str, s: &str, max: usize) -> Result<(), FieldError> {
    if s.trim().is_empty() {
        return Err(FieldError {
            field,
            problem: Problem::Missing,
            code: Code::MalformedPayload,
        });
    }
    optional_text(field, s, max)
}

/// Optional text in `field`: at most `max` characters (`over_limit`).
pub fn optional_text(field: &'static str, s: &str, max: usize) -> Result<(), FieldError> {
    let len = chars(s);
    if len > max {
        return Err(FieldError {
            field,
            problem: Problem::TooLong { max, len },
            code: Code::OverLimit,
        });
    }
    Ok(())
}

/// Parses and validates a payload.
pub(crate) fn parse<T: Wire>(json: &str) -> Result<T, Code> {
    let value: T = serde_json::from_str(json).map_err(|_| Code::MalformedPayload)?;
    value.validate()?;
    Ok(value)
}

/// Length in characters (what a form's `maxlength` counts), not bytes.
pub fn chars(s: &str) -> usize {
    s.chars().count()
}
