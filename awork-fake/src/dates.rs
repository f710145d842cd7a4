//! Lenient parsing of the date values clients send.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// Parses `YYYY-MM-DD`, or a date-time whose date part is used
/// (`2024-05-01T00:00:00`, with optional fraction and `Z`/offset).
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    match text.split_once(['T', 't', ' ']) {
        None => NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
        Some(_) => parse_date_time(text),
    }
}

/// Takes the date part of an RFC 3339 date-time or one without an offset.
fn parse_date_time(text: &str) -> Option<NaiveDate> {
    if let Ok(with_offset) = DateTime::parse_from_rfc3339(text) {
        return Some(with_offset.date_naive());
    }
    let normalized = text.replacen(['t', ' '], "T", 1);
    NaiveDateTime::parse_from_str(&normalized, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|value| value.date())
}

#[cfg(test)]
mod tests {
    use super::parse_date;
    use chrono::NaiveDate;

    #[test]
    fn accepts_dates_and_date_times() {
        let may_first = NaiveDate::from_ymd_opt(2024, 5, 1);
        assert_eq!(parse_date("2024-05-01"), may_first);
        assert_eq!(parse_date("2024-05-01T00:00:00"), may_first);
        assert_eq!(parse_date("2024-05-01T23:59:59.123Z"), may_first);
        assert_eq!(parse_date("2024-05-01T10:00:00+02:00"), may_first);
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("2024-05-01Tnoon"), None);
        assert_eq!(parse_date(""), None);
    }
}
