//! Durations the way awork stores them: a whole number of seconds in a JSON
//! integer that must fit an `i32`.
//!
//! Programs would rather hold a [`std::time::Duration`] or a [`chrono::TimeDelta`];
//! this module converts between the two worlds and refuses anything awork could
//! not store, instead of quietly changing it:
//!
//! * **Negative** values are rejected ([`DurationError::Negative`]); awork durations
//!   are zero or more seconds. Only a `TimeDelta` can be negative.
//! * More than [`MAX_SECONDS`] (`i32::MAX`, about 68 years) is rejected
//!   ([`DurationError::TooLong`]).
//! * **Sub-second rule:** the checked conversions ([`to_awork_seconds`],
//!   [`time_delta_to_awork_seconds`]) reject any non-zero fraction of a second
//!   ([`DurationError::SubSecond`]), so a value is never truncated behind your back.
//!   When dropping the fraction is what you want, say so with
//!   [`to_awork_seconds_rounded`] or [`time_delta_to_awork_seconds_rounded`]: they
//!   round to the nearest second, halves up (500 ms → 1 s, 499 ms → 0 s). Rounding
//!   never makes a negative value acceptable.
//!
//! For display, [`human`] gives compact text such as `7h 30m`; for serde fields,
//! see [`serde_seconds`] and [`serde_seconds_option`].

use chrono::TimeDelta;
use std::fmt;
use std::time::Duration;

/// The largest number of seconds an awork duration can hold (`i32::MAX`).
pub const MAX_SECONDS: i32 = i32::MAX;

const NANOS_PER_SECOND: u32 = 1_000_000_000;
const HALF_SECOND_NANOS: u32 = NANOS_PER_SECOND / 2;
const SECONDS_PER_MINUTE: u64 = 60;
const SECONDS_PER_HOUR: u64 = 60 * SECONDS_PER_MINUTE;

/// Why a value cannot be used as an awork duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    /// A whole number of seconds below zero.
    #[error("duration of {seconds} seconds is negative; awork durations are zero or more seconds")]
    Negative {
        /// The negative value, in seconds.
        seconds: i64,
    },
    /// A negative `TimeDelta` that also has a fraction of a second (whole negative
    /// seconds are reported as [`DurationError::Negative`]).
    #[error(
        "duration of {} seconds is negative; awork durations are zero or more seconds",
        signed_decimal(.delta)
    )]
    NegativeDelta {
        /// The negative value as given.
        delta: TimeDelta,
    },
    /// More whole seconds than awork's 32-bit field can hold.
    #[error(
        "duration of {seconds} seconds is too long; awork stores at most {MAX_SECONDS} seconds"
    )]
    TooLong {
        /// The whole seconds of the value (after rounding, for the rounding functions).
        seconds: u64,
    },
    /// A fraction of a second that the checked conversions refuse to drop.
    #[error(
        "duration of {} seconds has a fraction of a second; awork stores whole seconds, \
         so round it first (e.g. with to_awork_seconds_rounded)",
        decimal(*.seconds, *.nanos)
    )]
    SubSecond {
        /// The whole seconds of the value.
        seconds: u64,
        /// The fraction of a second, in nanoseconds (never zero here).
        nanos: u32,
    },
    /// [`hours_minutes`] was given 60 minutes or more.
    #[error("{minutes} minutes is out of range; hours_minutes takes 0 to 59 minutes")]
    MinutesOutOfRange {
        /// The minutes given.
        minutes: u32,
    },
}

/// Converts seconds read from awork into a `Duration`.
///
/// Takes `i64` so that any integer from the wire can be checked; negative values and
/// values above [`MAX_SECONDS`] are errors.
pub fn from_awork_seconds(seconds: i64) -> Result<Duration, DurationError> {
    if seconds < 0 {
        return Err(DurationError::Negative { seconds });
    }
    let whole = seconds.unsigned_abs();
    check_range(whole)?;
    Ok(Duration::from_secs(whole))
}

/// Converts a `Duration` into the seconds awork expects.
///
/// Fails with [`DurationError::TooLong`] above [`MAX_SECONDS`] and with
/// [`DurationError::SubSecond`] when the value has a fraction of a second.
pub fn to_awork_seconds(d: Duration) -> Result<i32, DurationError> {
    let seconds = check_range(d.as_secs())?;
    reject_fraction(d)?;
    Ok(seconds)
}

/// Converts a `Duration` into awork seconds, rounding to the nearest whole second
/// (exactly half a second rounds up). Still fails when the rounded value is too long.
pub fn to_awork_seconds_rounded(d: Duration) -> Result<i32, DurationError> {
    check_range(rounded_seconds(d))
}

/// Converts a `TimeDelta` into awork seconds; negative values, a fraction of a
/// second, and values above [`MAX_SECONDS`] are errors.
pub fn time_delta_to_awork_seconds(d: TimeDelta) -> Result<i32, DurationError> {
    to_awork_seconds(non_negative(d)?)
}

/// Converts a `TimeDelta` into awork seconds, rounding to the nearest whole second
/// (halves up). Negative values are errors even when they would round to zero.
pub fn time_delta_to_awork_seconds_rounded(d: TimeDelta) -> Result<i32, DurationError> {
    to_awork_seconds_rounded(non_negative(d)?)
}

/// Converts seconds read from awork into a `TimeDelta`, with the same checks as
/// [`from_awork_seconds`].
pub fn awork_seconds_to_time_delta(seconds: i64) -> Result<TimeDelta, DurationError> {
    let d = from_awork_seconds(seconds)?;
    TimeDelta::from_std(d).map_err(|_| DurationError::TooLong {
        seconds: d.as_secs(),
    })
}

/// `h` whole hours, checked against awork's range.
pub fn hours(h: u32) -> Result<Duration, DurationError> {
    whole_seconds(u64::from(h) * SECONDS_PER_HOUR)
}

/// `m` whole minutes (any number, 90 is fine), checked against awork's range.
pub fn minutes(m: u32) -> Result<Duration, DurationError> {
    whole_seconds(u64::from(m) * SECONDS_PER_MINUTE)
}

/// `h` hours plus `m` minutes, as on a timesheet: `m` must be below 60 and the
/// total must fit awork's range.
pub fn hours_minutes(h: u32, m: u32) -> Result<Duration, DurationError> {
    if m >= 60 {
        return Err(DurationError::MinutesOutOfRange { minutes: m });
    }
    whole_seconds(u64::from(h) * SECONDS_PER_HOUR + u64::from(m) * SECONDS_PER_MINUTE)
}

/// A duration shown the way planners write it: hours, minutes and seconds with the
/// zero parts left out (`7h 30m`, `8h`, `1h 5s`, `25h 1m 1s`), and `0m` for nothing.
///
/// Hours never roll over into days, and fractions of a second are not shown.
/// Width and alignment flags apply to the whole text (`{:>8}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Human(pub Duration);

/// Wraps `d` so that it displays in compact human form; see [`Human`].
pub fn human(d: Duration) -> Human {
    Human(d)
}

impl fmt::Display for Human {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&compact_text(self.0.as_secs()))
    }
}

/// Serde helpers for a `Duration` field that awork carries as integer seconds:
/// `#[serde(with = "awork_api_ext::duration::serde_seconds")]`.
///
/// Writing uses [`to_awork_seconds`], so a fraction of a second or an out-of-range
/// value fails the serialization; reading uses [`from_awork_seconds`].
pub mod serde_seconds {
    use serde::{Deserialize, Deserializer, Serializer, de, ser};
    use std::time::Duration;

    /// Writes `d` as an integer number of seconds.
    pub fn serialize<S: Serializer>(d: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
        let seconds = super::to_awork_seconds(*d).map_err(ser::Error::custom)?;
        serializer.serialize_i32(seconds)
    }

    /// Reads an integer number of seconds into a `Duration`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
        let seconds = i64::deserialize(deserializer)?;
        super::from_awork_seconds(seconds).map_err(de::Error::custom)
    }
}

/// Serde helpers for an `Option<Duration>` field that awork carries as integer
/// seconds or `null`: `#[serde(default, with = "awork_api_ext::duration::serde_seconds_option")]`
/// (add `default` so that a missing field reads as `None`).
pub mod serde_seconds_option {
    use serde::{Deserialize, Deserializer, Serializer, de, ser};
    use std::time::Duration;

    /// Writes `Some(d)` as integer seconds and `None` as `null`.
    pub fn serialize<S: Serializer>(
        d: &Option<Duration>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => {
                let seconds = super::to_awork_seconds(*d).map_err(ser::Error::custom)?;
                serializer.serialize_some(&seconds)
            }
            None => serializer.serialize_none(),
        }
    }

    /// Reads integer seconds as `Some` and `null` as `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Duration>, D::Error> {
        Option::<i64>::deserialize(deserializer)?
            .map(super::from_awork_seconds)
            .transpose()
            .map_err(de::Error::custom)
    }
}

/// Checks that `seconds` fits awork's field and returns it as the wire type.
fn check_range(seconds: u64) -> Result<i32, DurationError> {
    i32::try_from(seconds).map_err(|_| DurationError::TooLong { seconds })
}

/// A `Duration` of `seconds`, if awork can store it.
fn whole_seconds(seconds: u64) -> Result<Duration, DurationError> {
    check_range(seconds)?;
    Ok(Duration::from_secs(seconds))
}

/// Fails when `d` is not a whole number of seconds.
fn reject_fraction(d: Duration) -> Result<(), DurationError> {
    match d.subsec_nanos() {
        0 => Ok(()),
        nanos => Err(DurationError::SubSecond {
            seconds: d.as_secs(),
            nanos,
        }),
    }
}

/// Whole seconds of `d`, rounded to the nearest second with halves going up.
fn rounded_seconds(d: Duration) -> u64 {
    let round_up = d.subsec_nanos() >= HALF_SECOND_NANOS;
    d.as_secs().saturating_add(u64::from(round_up))
}

/// The `TimeDelta` as a `Duration`, or the matching error when it is negative.
fn non_negative(d: TimeDelta) -> Result<Duration, DurationError> {
    d.to_std().map_err(|_| negative_delta_error(d))
}

/// The error for a negative `TimeDelta`: [`DurationError::Negative`] when it is a
/// whole number of seconds, [`DurationError::NegativeDelta`] otherwise.
fn negative_delta_error(delta: TimeDelta) -> DurationError {
    if delta.subsec_nanos() == 0 {
        DurationError::Negative {
            seconds: delta.num_seconds(),
        }
    } else {
        DurationError::NegativeDelta { delta }
    }
}

/// `seconds` and `nanos` as decimal seconds without trailing zeros: `1.5`, `7`.
fn decimal(seconds: u64, nanos: u32) -> String {
    if nanos == 0 {
        return seconds.to_string();
    }
    let fraction = format!("{nanos:09}");
    format!("{seconds}.{}", fraction.trim_end_matches('0'))
}

/// A `TimeDelta` as signed decimal seconds: `-0.3`, `-12.25`, `4`.
fn signed_decimal(delta: &TimeDelta) -> String {
    let size = delta.abs();
    let magnitude = decimal(
        size.num_seconds().unsigned_abs(),
        size.subsec_nanos().unsigned_abs(),
    );
    if *delta < TimeDelta::zero() {
        format!("-{magnitude}")
    } else {
        magnitude
    }
}

/// The compact text of [`Human`] for a whole number of seconds.
fn compact_text(total_seconds: u64) -> String {
    let parts = [
        (total_seconds / SECONDS_PER_HOUR, 'h'),
        (total_seconds % SECONDS_PER_HOUR / SECONDS_PER_MINUTE, 'm'),
        (total_seconds % SECONDS_PER_MINUTE, 's'),
    ];
    let shown: Vec<String> = parts
        .iter()
        .filter(|(amount, _)| *amount > 0)
        .map(|(amount, unit)| format!("{amount}{unit}"))
        .collect();
    if shown.is_empty() {
        "0m".to_owned()
    } else {
        shown.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE_PAST_MAX: i64 = i32::MAX as i64 + 1;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn from_awork_seconds_accepts_zero_to_max() {
        assert_eq!(from_awork_seconds(0), Ok(Duration::ZERO));
        assert_eq!(from_awork_seconds(27_000), Ok(secs(27_000)));
        assert_eq!(
            from_awork_seconds(i64::from(MAX_SECONDS)),
            Ok(secs(2_147_483_647))
        );
    }

    #[test]
    fn from_awork_seconds_rejects_negative_and_too_long() {
        assert_eq!(
            from_awork_seconds(-1),
            Err(DurationError::Negative { seconds: -1 })
        );
        assert_eq!(
            from_awork_seconds(i64::MIN),
            Err(DurationError::Negative { seconds: i64::MIN })
        );
        assert_eq!(
            from_awork_seconds(ONE_PAST_MAX),
            Err(DurationError::TooLong {
                seconds: 2_147_483_648
            })
        );
    }

    #[test]
    fn to_awork_seconds_accepts_whole_seconds_up_to_max() {
        assert_eq!(to_awork_seconds(Duration::ZERO), Ok(0));
        assert_eq!(to_awork_seconds(secs(27_000)), Ok(27_000));
        assert_eq!(to_awork_seconds(secs(2_147_483_647)), Ok(i32::MAX));
    }

    #[test]
    fn to_awork_seconds_rejects_too_long_and_fractions() {
        assert_eq!(
            to_awork_seconds(secs(2_147_483_648)),
            Err(DurationError::TooLong {
                seconds: 2_147_483_648
            })
        );
        assert_eq!(
            to_awork_seconds(Duration::from_millis(1_500)),
            Err(DurationError::SubSecond {
                seconds: 1,
                nanos: 500_000_000
            })
        );
        assert_eq!(
            to_awork_seconds(Duration::from_nanos(1)),
            Err(DurationError::SubSecond {
                seconds: 0,
                nanos: 1
            })
        );
    }

    #[test]
    fn whole_seconds_survive_a_round_trip() {
        for s in [0_i64, 1, 59, 3_600, 27_000, i64::from(i32::MAX)] {
            let d = from_awork_seconds(s).unwrap();
            assert_eq!(to_awork_seconds(d).map(i64::from), Ok(s));
            let delta = awork_seconds_to_time_delta(s).unwrap();
            assert_eq!(time_delta_to_awork_seconds(delta).map(i64::from), Ok(s));
        }
    }

    #[test]
    fn rounding_goes_to_the_nearest_second_with_halves_up() {
        let rounded = |ms| to_awork_seconds_rounded(Duration::from_millis(ms));
        assert_eq!(rounded(499), Ok(0));
        assert_eq!(rounded(500), Ok(1));
        assert_eq!(rounded(1_499), Ok(1));
        assert_eq!(rounded(1_500), Ok(2));
        assert_eq!(rounded(2_000), Ok(2));
        assert_eq!(
            to_awork_seconds_rounded(Duration::new(2, 499_999_999)),
            Ok(2)
        );
    }

    #[test]
    fn rounding_checks_the_range_after_rounding() {
        assert_eq!(
            to_awork_seconds_rounded(Duration::new(2_147_483_647, 499_999_999)),
            Ok(i32::MAX)
        );
        assert_eq!(
            to_awork_seconds_rounded(Duration::new(2_147_483_647, 500_000_000)),
            Err(DurationError::TooLong {
                seconds: 2_147_483_648
            })
        );
        assert_eq!(
            to_awork_seconds_rounded(Duration::MAX),
            Err(DurationError::TooLong { seconds: u64::MAX })
        );
    }

    #[test]
    fn time_delta_converts_both_ways() {
        assert_eq!(time_delta_to_awork_seconds(TimeDelta::hours(2)), Ok(7_200));
        assert_eq!(time_delta_to_awork_seconds(TimeDelta::zero()), Ok(0));
        assert_eq!(awork_seconds_to_time_delta(90), Ok(TimeDelta::seconds(90)));
        assert_eq!(
            awork_seconds_to_time_delta(i64::from(i32::MAX)),
            Ok(TimeDelta::seconds(2_147_483_647))
        );
    }

    #[test]
    fn time_delta_rejects_what_awork_cannot_store() {
        assert_eq!(
            time_delta_to_awork_seconds(TimeDelta::seconds(-5)),
            Err(DurationError::Negative { seconds: -5 })
        );
        assert_eq!(
            time_delta_to_awork_seconds(TimeDelta::milliseconds(-300)),
            Err(DurationError::NegativeDelta {
                delta: TimeDelta::milliseconds(-300)
            })
        );
        assert_eq!(
            time_delta_to_awork_seconds(TimeDelta::milliseconds(10)),
            Err(DurationError::SubSecond {
                seconds: 0,
                nanos: 10_000_000
            })
        );
        assert_eq!(
            time_delta_to_awork_seconds(TimeDelta::seconds(ONE_PAST_MAX)),
            Err(DurationError::TooLong {
                seconds: 2_147_483_648
            })
        );
        assert_eq!(
            awork_seconds_to_time_delta(-90),
            Err(DurationError::Negative { seconds: -90 })
        );
        assert_eq!(
            awork_seconds_to_time_delta(ONE_PAST_MAX),
            Err(DurationError::TooLong {
                seconds: 2_147_483_648
            })
        );
    }

    #[test]
    fn time_delta_rounding_halves_up_but_never_accepts_negatives() {
        let rounded = |ms| time_delta_to_awork_seconds_rounded(TimeDelta::milliseconds(ms));
        assert_eq!(rounded(2_499), Ok(2));
        assert_eq!(rounded(2_500), Ok(3));
        assert_eq!(
            rounded(-300),
            Err(DurationError::NegativeDelta {
                delta: TimeDelta::milliseconds(-300)
            })
        );
        assert_eq!(
            rounded(-2_000),
            Err(DurationError::Negative { seconds: -2 })
        );
    }

    #[test]
    fn constructors_build_whole_durations() {
        assert_eq!(hours(8), Ok(secs(28_800)));
        assert_eq!(hours(0), Ok(Duration::ZERO));
        assert_eq!(minutes(45), Ok(secs(2_700)));
        assert_eq!(minutes(90), Ok(secs(5_400)));
        assert_eq!(hours_minutes(7, 30), Ok(secs(27_000)));
        assert_eq!(hours_minutes(0, 59), Ok(secs(3_540)));
    }

    #[test]
    fn constructors_check_minutes_and_range() {
        assert_eq!(
            hours_minutes(1, 60),
            Err(DurationError::MinutesOutOfRange { minutes: 60 })
        );
        // 596_523 h 14 m 7 s is i32::MAX seconds; whole hours and minutes stop just below.
        assert_eq!(hours_minutes(596_523, 14), Ok(secs(2_147_483_640)));
        assert_eq!(
            hours_minutes(596_523, 15),
            Err(DurationError::TooLong {
                seconds: 2_147_483_700
            })
        );
        assert_eq!(
            hours(596_524),
            Err(DurationError::TooLong {
                seconds: 2_147_486_400
            })
        );
        assert_eq!(
            minutes(u32::MAX),
            Err(DurationError::TooLong {
                seconds: 257_698_037_700
            })
        );
    }

    #[test]
    fn error_messages_name_the_offending_value() {
        let text = |e: DurationError| e.to_string();
        assert_eq!(
            text(DurationError::Negative { seconds: -5 }),
            "duration of -5 seconds is negative; awork durations are zero or more seconds"
        );
        assert_eq!(
            text(DurationError::NegativeDelta {
                delta: TimeDelta::milliseconds(-1_250)
            }),
            "duration of -1.25 seconds is negative; awork durations are zero or more seconds"
        );
        assert_eq!(
            text(DurationError::TooLong {
                seconds: 2_147_483_648
            }),
            "duration of 2147483648 seconds is too long; awork stores at most 2147483647 seconds"
        );
        assert_eq!(
            text(DurationError::SubSecond {
                seconds: 1,
                nanos: 500_000_000
            }),
            "duration of 1.5 seconds has a fraction of a second; awork stores whole seconds, \
             so round it first (e.g. with to_awork_seconds_rounded)"
        );
        assert_eq!(
            text(DurationError::MinutesOutOfRange { minutes: 75 }),
            "75 minutes is out of range; hours_minutes takes 0 to 59 minutes"
        );
    }

    #[test]
    fn decimal_seconds_keep_every_significant_digit() {
        assert_eq!(decimal(0, 1), "0.000000001");
        assert_eq!(decimal(7, 0), "7");
        assert_eq!(decimal(3, 120_000_000), "3.12");
        assert_eq!(signed_decimal(&TimeDelta::milliseconds(-300)), "-0.3");
        assert_eq!(signed_decimal(&TimeDelta::seconds(4)), "4");
    }

    #[test]
    fn human_display_is_compact() {
        let show = |s: u64| human(secs(s)).to_string();
        assert_eq!(show(27_000), "7h 30m");
        assert_eq!(show(28_800), "8h");
        assert_eq!(show(2_700), "45m");
        assert_eq!(show(3_605), "1h 5s");
        assert_eq!(show(30), "30s");
        assert_eq!(show(0), "0m");
        assert_eq!(show(90_061), "25h 1m 1s");
    }

    #[test]
    fn human_display_hides_fractions_and_honours_width() {
        assert_eq!(human(Duration::from_millis(1_999)).to_string(), "1s");
        assert_eq!(human(Duration::from_millis(400)).to_string(), "0m");
        assert_eq!(format!("[{:>7}]", Human(secs(2_700))), "[    45m]");
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Booking {
        #[serde(with = "serde_seconds")]
        duration: Duration,
        #[serde(default, with = "serde_seconds_option")]
        planned: Option<Duration>,
    }

    #[test]
    fn serde_seconds_round_trip_as_integers() {
        let booking = Booking {
            duration: secs(27_000),
            planned: Some(secs(3_600)),
        };
        let json = serde_json::to_string(&booking).unwrap();
        assert_eq!(json, r#"{"duration":27000,"planned":3600}"#);
        assert_eq!(serde_json::from_str::<Booking>(&json).unwrap(), booking);
    }

    #[test]
    fn serde_seconds_option_reads_null_and_missing_as_none() {
        let unplanned = Booking {
            duration: Duration::ZERO,
            planned: None,
        };
        let json = serde_json::to_string(&unplanned).unwrap();
        assert_eq!(json, r#"{"duration":0,"planned":null}"#);
        assert_eq!(serde_json::from_str::<Booking>(&json).unwrap(), unplanned);
        assert_eq!(
            serde_json::from_str::<Booking>(r#"{"duration":0}"#).unwrap(),
            unplanned
        );
    }

    #[test]
    fn serde_seconds_reject_what_awork_cannot_store() {
        let read_err = |json: &str| {
            serde_json::from_str::<Booking>(json)
                .unwrap_err()
                .to_string()
        };
        assert!(read_err(r#"{"duration":-1}"#).contains("duration of -1 seconds is negative"));
        assert!(read_err(r#"{"duration":2147483648}"#).contains("2147483648 seconds is too long"));
        assert!(read_err(r#"{"duration":0,"planned":-7}"#).contains("-7 seconds is negative"));
        let fraction = Booking {
            duration: Duration::from_millis(1_500),
            planned: None,
        };
        let write_err = serde_json::to_string(&fraction).unwrap_err().to_string();
        assert!(write_err.contains("1.5 seconds has a fraction"));
        let optional_fraction = Booking {
            duration: Duration::ZERO,
            planned: Some(Duration::from_millis(250)),
        };
        let write_err = serde_json::to_string(&optional_fraction)
            .unwrap_err()
            .to_string();
        assert!(write_err.contains("0.25 seconds has a fraction"));
    }
}
