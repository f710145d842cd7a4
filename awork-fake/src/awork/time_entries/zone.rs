//! IANA time zones: validating the `timezone` of an entry and turning its
//! UTC instants into the wall-clock times awork's v1 model reports.

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;

/// The zone called `name` (exact IANA spelling, e.g. `Europe/Berlin`).
pub(crate) fn parse_zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// The wall-clock date-time of `at` in zone `name`. A name that is not a
/// known zone (only possible for entries seeded past validation) reads as UTC.
pub(crate) fn local(at: DateTime<Utc>, name: &str) -> NaiveDateTime {
    match parse_zone(name) {
        Some(zone) => at.with_timezone(&zone).naive_local(),
        None => at.naive_utc(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn knows_iana_names_only() {
        assert!(parse_zone("Europe/Berlin").is_some());
        assert!(parse_zone("UTC").is_some());
        assert!(parse_zone("Europe/Berln").is_none());
        assert!(parse_zone("+02:00").is_none());
        assert!(parse_zone("").is_none());
    }

    #[test]
    fn local_times_follow_daylight_saving() {
        let winter = local(utc("2024-03-31T00:30:00Z"), "Europe/Berlin");
        let summer = local(utc("2024-03-31T01:30:00Z"), "Europe/Berlin");
        assert_eq!(winter.to_string(), "2024-03-31 01:30:00");
        assert_eq!(summer.to_string(), "2024-03-31 03:30:00");
        let unknown = local(utc("2024-03-31T01:30:00Z"), "Nowhere/Else");
        assert_eq!(unknown.to_string(), "2024-03-31 01:30:00");
    }
}
