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
    /// The limits and shapes serde cannot express (non-empty text, lengths, ranges).
    fn validate(&self) -> Result<(), Code> {
        Ok(())
    }
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

/// Required text: not blank (`malformed_payload`), at most `max` characters (`over_limit`).
pub fn required(text: &str, max: usize) -> Result<(), Code> {
    if text.trim().is_empty() {
        Err(Code::MalformedPayload)
    } else {
        optional(text, max)
    }
}

/// Optional text: at most `max` characters (`over_limit`).
pub fn optional(text: &str, max: usize) -> Result<(), Code> {
    if chars(text) > max {
        Err(Code::OverLimit)
    } else {
        Ok(())
    }
}
