//! The string formats awork's documents use (and two of our corrections), checked
//! strictly: by the validator for requests, and by [`crate::store::fit`] when it decides
//! whether a value may be kept.

/// `format: uuid`: the hyphenated 36-character form.
pub(crate) fn is_uuid(text: &str) -> bool {
    text.len() == 36 && uuid::Uuid::parse_str(text).is_ok()
}

pub(crate) fn is_date(text: &str) -> bool {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

pub(crate) fn is_date_time(text: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

pub(crate) fn is_local_date_time(text: &str) -> bool {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
}

pub(crate) fn is_partial_time(text: &str) -> bool {
    chrono::NaiveTime::parse_from_str(text, "%H:%M:%S%.f").is_ok()
}

pub(crate) fn is_base64(text: &str) -> bool {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .is_ok()
}

/// Whether `text` is valid for `format` (formats the fake does not check are).
pub(crate) fn is_valid(format: &str, text: &str) -> bool {
    match format {
        "uuid" => is_uuid(text),
        "date" => is_date(text),
        "date-time" => is_date_time(text),
        "local-date-time" => is_local_date_time(text),
        "partial-time" => is_partial_time(text),
        "byte" => is_base64(text),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_strict() {
        assert!(is_uuid("0a3c0de0-fa4e-4a11-8000-000000000001"));
        assert!(!is_uuid("0a3c0de0fa4e4a118000000000000001"));
        assert!(is_date("2024-05-06") && !is_date("2024-5-6T00:00"));
        assert!(is_date_time("2024-05-06T10:00:00Z") && !is_date_time("2024-05-06T10:00:00"));
        assert!(is_local_date_time("2024-05-06T10:00:00") && is_partial_time("09:21:00"));
        assert!(is_base64("aGk=") && !is_base64("h!"));
        assert!(is_valid("email", "anything"));
    }
}
