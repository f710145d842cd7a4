//! awork durations: whole seconds in a 32-bit integer, converted to and from
//! `std::time::Duration` and `chrono::TimeDelta` without losing anything silently.
//!
//! Rules:
//! * negative durations are rejected (awork's durations are zero or more);
//! * more than `i32::MAX` seconds (about 68 years) is rejected;
//! * **sub-second parts are rejected** by the checked conversions, so no value is
//!   changed behind your back; use [`to_awork_seconds_rounded`] (or its `TimeDelta`
//!   twin) to round to the nearest second, halves up.

use chrono::TimeDelta;
use std::fmt;
use std::time::Duration;

/// The longest duration awork can carry, in seconds.
pub const MAX_SECONDS: i32 = i32::MAX;

/// Why a duration cannot be used with awork.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    /// Below zero.
    #[error("{seconds} s is negative; awork durations are zero or more seconds")]
    Negative {
        /// The value given.
        seconds: i64,
    },
    /// Above `i32::MAX` seconds.
    #[error("{seconds} s is longer than awork can store ({MAX_SECONDS} s)")]
    TooLong {
        /// The value given, in whole seconds.
        seconds: u64,
    },
    /// Has a fraction of a second.
    #[error("has a fraction of a second ({nanos} ns); awork stores whole seconds (round it first)")]
    SubSecond {
        /// The fractional part.
        nanos: u32,
    },
    /// `hours_minutes` got 60 minutes or more.
    #[error("{minutes} minutes is not below 60; put whole hours in the hours")]
    MinutesOutOfRange {
        /// The value given.
        minutes: u32,
    },
}

/// awork seconds → `Duration`.
pub fn from_awork_seconds(seconds: i64) -> Result<Duration, DurationError> {
    if seconds < 0 {
        return Err(DurationError::Negative { seconds });
    }
    if seconds > i64::from(MAX_SECONDS) {
        return Err(DurationError::TooLong {
            seconds: seconds.unsigned_abs(),
        });
    }
    Ok(Duration::from_secs(seconds.unsigned_abs()))
}

/// `Duration` → awork seconds; rejects fractions and values past `i32::MAX`.
pub fn to_awork_seconds(d: Duration) -> Result<i32, DurationError> {
    if d.subsec_nanos() != 0 {
        return Err(DurationError::SubSecond {
            nanos: d.subsec_nanos(),
        });
    }
    whole_seconds(d.as_secs())
}

/// `Duration` → awork seconds, rounding to the nearest second (500 ms rounds up).
pub fn to_awork_seconds_rounded(d: Duration) -> Result<i32, DurationError> {
    let up = u64::from(d.subsec_nanos() >= 500_000_000);
    whole_seconds(d.as_secs().saturating_add(up))
}

fn whole_seconds(seconds: u64) -> Result<i32, DurationError> {
    i32::try_from(seconds).map_err(|_| DurationError::TooLong { seconds })
}

/// `TimeDelta` → awork seconds; rejects negatives, fractions and values past `i32::MAX`.
pub fn time_delta_to_awork_seconds(d: TimeDelta) -> Result<i32, DurationError> {
    let std = d.to_std().map_err(|_| DurationError::Negative {
        seconds: d.num_seconds().min(-1),
    })?;
    to_awork_seconds(std)
}

/// `TimeDelta` → awork seconds, rounding to the nearest second (halves up).
pub fn time_delta_to_awork_seconds_rounded(d: TimeDelta) -> Result<i32, DurationError> {
    let std = d.to_std().map_err(|_| DurationError::Negative {
        seconds: d.num_seconds().min(-1),
    })?;
    to_awork_seconds_rounded(std)
}

/// awork seconds → `TimeDelta`.
pub fn awork_seconds_to_time_delta(seconds: i64) -> Result<TimeDelta, DurationError> {
    let d = from_awork_seconds(seconds)?;
    Ok(TimeDelta::seconds(
        i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
    ))
}

/// `h` hours, checked against awork's range.
pub fn hours(h: u32) -> Result<Duration, DurationError> {
    hours_minutes(h, 0)
}

/// `m` minutes, checked against awork's range.
pub fn minutes(m: u32) -> Result<Duration, DurationError> {
    checked(u64::from(m) * 60)
}

/// `h` hours and `m` minutes (`m` below 60), checked against awork's range.
pub fn hours_minutes(h: u32, m: u32) -> Result<Duration, DurationError> {
    if m >= 60 {
        return Err(DurationError::MinutesOutOfRange { minutes: m });
    }
    checked(u64::from(h) * 3600 + u64::from(m) * 60)
}

fn checked(seconds: u64) -> Result<Duration, DurationError> {
    whole_seconds(seconds).map(|_| Duration::from_secs(seconds))
}

/// Compact display for people: `7h 30m`, `8h`, `45m`, `1h 5s`, `0m`. Hours do not roll
/// into days (planners count hours). Fractions of a second are not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Human(pub Duration);

/// Wraps `d` for compact display.
pub fn human(d: Duration) -> Human {
    Human(d)
}

impl fmt::Display for Human {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.0.as_secs();
        let parts = [
            (total / 3600, "h"),
            (total % 3600 / 60, "m"),
            (total % 60, "s"),
        ];
        let shown: Vec<String> = parts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, unit)| format!("{n}{unit}"))
            .collect();
        if shown.is_empty() {
            f.write_str("0m")
        } else {
            f.write_str(&shown.join(" "))
        }
    }
}

/// `#[serde(with = "awork_api_ext::duration::serde_seconds")]` for `Duration` fields
/// that awork carries as integer seconds.
pub mod serde_seconds {
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _, ser::Error as _};
    use std::time::Duration;

    /// Writes whole seconds (a fraction is an error).
    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(super::to_awork_seconds(*d).map_err(S::Error::custom)?)
    }

    /// Reads whole seconds (negative is an error).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        super::from_awork_seconds(i64::deserialize(d)?).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_convert_both_ways_within_awork_range() {
        assert_eq!(from_awork_seconds(0), Ok(Duration::ZERO));
        assert_eq!(from_awork_seconds(27000), Ok(Duration::from_secs(27000)));
        assert_eq!(
            from_awork_seconds(i64::from(i32::MAX)),
            Ok(Duration::from_secs(i32::MAX as u64))
        );
        assert_eq!(
            from_awork_seconds(-1),
            Err(DurationError::Negative { seconds: -1 })
        );
        assert_eq!(
            from_awork_seconds(i64::from(i32::MAX) + 1),
            Err(DurationError::TooLong {
                seconds: 2_147_483_648
            })
        );
        assert_eq!(to_awork_seconds(Duration::from_secs(27000)), Ok(27000));
        assert_eq!(
            to_awork_seconds(Duration::from_secs(2_147_483_648)),
            Err(DurationError::TooLong {
                seconds: 2_147_483_648
            })
        );
        assert_eq!(
            to_awork_seconds(Duration::from_millis(1500)),
            Err(DurationError::SubSecond { nanos: 500_000_000 })
        );
    }

    #[test]
    fn rounding_is_explicit_and_halves_go_up() {
        assert_eq!(to_awork_seconds_rounded(Duration::from_millis(1499)), Ok(1));
        assert_eq!(to_awork_seconds_rounded(Duration::from_millis(1500)), Ok(2));
        assert_eq!(to_awork_seconds_rounded(Duration::from_millis(499)), Ok(0));
        assert_eq!(
            time_delta_to_awork_seconds_rounded(TimeDelta::milliseconds(2500)),
            Ok(3)
        );
    }

    #[test]
    fn time_deltas_convert_both_ways() {
        assert_eq!(time_delta_to_awork_seconds(TimeDelta::hours(2)), Ok(7200));
        assert_eq!(
            time_delta_to_awork_seconds(TimeDelta::seconds(-5)),
            Err(DurationError::Negative { seconds: -5 })
        );
        assert_eq!(
            time_delta_to_awork_seconds(TimeDelta::milliseconds(-300)),
            Err(DurationError::Negative { seconds: -1 })
        );
        assert_eq!(
            time_delta_to_awork_seconds(TimeDelta::milliseconds(10)),
            Err(DurationError::SubSecond { nanos: 10_000_000 })
        );
        assert_eq!(awork_seconds_to_time_delta(90), Ok(TimeDelta::seconds(90)));
        assert!(awork_seconds_to_time_delta(-90).is_err());
    }

    #[test]
    fn constructors_check_their_input() {
        assert_eq!(hours_minutes(7, 30), Ok(Duration::from_secs(27000)));
        assert_eq!(hours(8), Ok(Duration::from_secs(28800)));
        assert_eq!(minutes(45), Ok(Duration::from_secs(2700)));
        assert_eq!(
            hours_minutes(1, 60),
            Err(DurationError::MinutesOutOfRange { minutes: 60 })
        );
        assert!(matches!(
            hours(u32::MAX),
            Err(DurationError::TooLong { .. })
        ));
    }

    #[test]
    fn errors_name_the_value() {
        assert_eq!(
            DurationError::Negative { seconds: -5 }.to_string(),
            "-5 s is negative; awork durations are zero or more seconds"
        );
        assert!(
            DurationError::TooLong {
                seconds: 2_147_483_648
            }
            .to_string()
            .contains("2147483648 s")
        );
        assert!(
            DurationError::MinutesOutOfRange { minutes: 75 }
                .to_string()
                .starts_with("75 minutes")
        );
    }

    #[test]
    fn human_display_is_compact() {
        let show = |s: u64| human(Duration::from_secs(s)).to_string();
        assert_eq!(show(27000), "7h 30m");
        assert_eq!(show(28800), "8h");
        assert_eq!(show(2700), "45m");
        assert_eq!(show(3605), "1h 5s");
        assert_eq!(show(30), "30s");
        assert_eq!(show(0), "0m");
        assert_eq!(show(90061), "25h 1m 1s");
        assert_eq!(human(Duration::from_millis(1500)).to_string(), "1s");
    }

    #[test]
    fn serde_helper_round_trips_and_rejects_negatives() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Row {
            #[serde(with = "serde_seconds")]
            d: Duration,
        }
        let json = serde_json::to_string(&Row {
            d: Duration::from_secs(90),
        })
        .unwrap();
        assert_eq!(json, r#"{"d":90}"#);
        assert_eq!(
            serde_json::from_str::<Row>(&json).unwrap(),
            Row {
                d: Duration::from_secs(90)
            }
        );
        assert!(
            serde_json::from_str::<Row>(r#"{"d":-1}"#)
                .unwrap_err()
                .to_string()
                .contains("negative")
        );
    }
}
