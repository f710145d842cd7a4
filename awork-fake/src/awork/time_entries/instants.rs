//! Lenient parsing of the instants clients send in time-entry bodies and
//! filters: awork's examples mix full UTC date-times, date-times without an
//! offset and bare dates, so the fake accepts all three.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// Parses an RFC 3339 date-time (any offset, converted to UTC), a date-time
/// without offset (taken as UTC, seconds optional) or a bare `YYYY-MM-DD`
/// (midnight UTC).
pub(crate) fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(with_offset) = DateTime::parse_from_rfc3339(text) {
        return Some(with_offset.to_utc());
    }
    let normalized = text.replacen(['t', ' '], "T", 1);
    let without_offset = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(&normalized, format).ok());
    if let Some(naive) = without_offset {
        return Some(naive.and_utc());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .map(midnight_utc)
}

/// A bare date, or the date part of a date-time (a date-only entry keeps the date as
/// written, whatever offset follows it).
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    match text.split_once(['T', 't', ' ']) {
        None => NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
        Some((date, _)) => NaiveDate::parse_from_str(date, "%Y-%m-%d").ok(),
    }
}

/// The first instant of `date` in UTC.
pub(crate) fn midnight_utc(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// Whole seconds from `start` to `end`, never negative, capped at `i32::MAX`
/// (awork's durations are int32 seconds).
pub(crate) fn seconds_between(start: DateTime<Utc>, end: DateTime<Utc>) -> i32 {
    let seconds = (end - start).num_seconds().max(0);
    i32::try_from(seconds).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn accepts_utc_offsets_naive_date_times_and_dates() {
        let eight = Some(utc("2024-05-06T08:00:00Z"));
        assert_eq!(parse_instant("2024-05-06T08:00:00Z"), eight);
        assert_eq!(parse_instant("2024-05-06T10:00:00+02:00"), eight);
        assert_eq!(parse_instant("2024-05-06T08:00:00"), eight);
        assert_eq!(parse_instant("2024-05-06T08:00"), eight);
        assert_eq!(parse_instant("2024-05-06 08:00:00.000"), eight);
        assert_eq!(
            parse_instant("2024-05-06"),
            Some(utc("2024-05-06T00:00:00Z"))
        );
    }

    #[test]
    fn rejects_garbage() {
        for text in ["", "today", "2024-02-30", "2024-05-06T25:00:00Z", "08:00"] {
            assert_eq!(parse_instant(text), None, "{text}");
        }
    }

    #[test]
    fn seconds_are_clamped() {
        let start = utc("2024-05-06T08:00:00Z");
        assert_eq!(seconds_between(start, utc("2024-05-06T09:00:30Z")), 3630);
        assert_eq!(seconds_between(start, utc("2024-05-06T07:00:00Z")), 0);
        assert_eq!(
            seconds_between(start, utc("2124-05-06T07:00:00Z")),
            i32::MAX
        );
    }
}
