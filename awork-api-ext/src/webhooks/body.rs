//! Reading a delivery's body: a JSON object, or a refusal that says why not.
//!
//! This is the only check a delivery's content must pass. Two slips that carry no
//! meaning are forgiven: a byte-order mark before the JSON, and a comma right before a
//! closing `}` or `]` (awork's own documented `project_added` example has one). Both
//! are tried only when the strict reading fails, and the refusal then quotes the
//! strict reader's complaint.

use super::error::WebhookError;
use crate::error::one_line;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::borrow::Cow;

/// The body as a JSON object.
pub(crate) fn object(body: &[u8]) -> Result<serde_json::Map<String, Value>, WebhookError> {
    match read::<Value>(body)? {
        Value::Object(object) => Ok(object),
        other => Err(WebhookError::NotJson {
            message: format!(
                "the body is JSON but not an object (it is {})",
                kind(&other)
            ),
        }),
    }
}

/// Whether the body is a JSON object. It is read whole, as [`object`] reads it (a
/// reader that skips what it does not keep lets through strings that JSON forbids,
/// e.g. a lone surrogate escape), so that what this lets through always decodes.
pub(crate) fn check_object(body: &[u8]) -> Result<(), WebhookError> {
    object(body).map(|_| ())
}

/// Reads `T` strictly, then forgivingly; a refusal quotes the strict complaint.
fn read<T: DeserializeOwned>(body: &[u8]) -> Result<T, WebhookError> {
    let strict = match serde_json::from_slice::<T>(body) {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    let forgiven = forgive(body);
    if let Cow::Owned(text) = &forgiven
        && let Ok(value) = serde_json::from_slice::<T>(text)
    {
        return Ok(value);
    }
    Err(WebhookError::NotJson {
        message: one_line(&strict.to_string()).into_owned(),
    })
}

/// `body` without a leading byte-order mark and without commas that stand right
/// before a closing bracket (outside strings); borrowed when there is nothing to drop.
pub(crate) fn forgive(body: &[u8]) -> Cow<'_, [u8]> {
    let text = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let mut kept: Option<Vec<u8>> = None;
    let mut in_string = false;
    let mut escaped = false;
    for (at, &byte) in text.iter().enumerate() {
        let dropped = if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            false
        } else {
            in_string = byte == b'"';
            byte == b',' && closes_next(&text[at + 1..])
        };
        match (&mut kept, dropped) {
            (Some(out), false) => out.push(byte),
            (None, true) => kept = Some(text[..at].to_vec()),
            _ => {}
        }
    }
    match kept {
        Some(out) => Cow::Owned(out),
        None if text.len() != body.len() => Cow::Owned(text.to_vec()),
        None => Cow::Borrowed(body),
    }
}

/// Whether the next byte that is not JSON white space closes an object or an array.
fn closes_next(rest: &[u8]) -> bool {
    rest.iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .is_some_and(|b| matches!(b, b'}' | b']'))
}

/// What a JSON value is, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forgiven(text: &str) -> String {
        String::from_utf8(forgive(text.as_bytes()).into_owned()).unwrap()
    }

    #[test]
    fn commas_before_a_closing_bracket_are_dropped_outside_strings_only() {
        assert_eq!(
            forgiven(r#"{"a": [1, 2,], "b": 3 ,}"#),
            r#"{"a": [1, 2], "b": 3 }"#
        );
        assert_eq!(forgiven("{\"a\": 1,\n\t}"), "{\"a\": 1\n\t}");
        assert_eq!(
            forgiven(r#"{"a": ",}", "b": "\",]"}"#),
            r#"{"a": ",}", "b": "\",]"}"#
        );
        assert!(matches!(forgive(br#"{"a": 1}"#), Cow::Borrowed(_)));
        assert_eq!(forgiven("\u{feff}{}"), "{}");
    }

    #[test]
    fn only_objects_pass() {
        assert!(object(br#"{"a": 1,}"#).is_ok());
        assert!(check_object(br#"{"a": [1,],}"#).is_ok());
        for (body, problem) in [
            (&b"[1, 2]"[..], "not an object (it is an array)"),
            (b"12", "not an object (it is a number)"),
            (b"", "EOF while parsing"),
            (b"{\"a\": }", "expected value"),
        ] {
            let err = object(body).unwrap_err().to_string();
            assert!(err.contains(problem), "{err}");
            assert!(check_object(body).is_err());
        }
        let err = check_object(b"[1]").unwrap_err().to_string();
        assert!(err.contains("not an object (it is an array)"), "{err}");
        let lone = br#"{"a": "\ud800"}"#;
        assert!(check_object(lone).is_err() && object(lone).is_err());
    }
}
