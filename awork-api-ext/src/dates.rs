//! Dates as awork writes them (`YYYY-MM-DD`) and validated inclusive date ranges.
//!
//! Parsing is strict: four-digit year, two-digit month and day, dashes, nothing else
//! (no surrounding spaces), so `24-1-1` or `2024-1-01` fail instead of being guessed
//! at. Errors quote the input.

use chrono::{Datelike, Days, NaiveDate};
use std::fmt;
use std::str::FromStr;

/// Why a date or a range was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Empty or whitespace-only input.
    #[error("date is empty; expected YYYY-MM-DD")]
    Empty,
    /// Not shaped like `YYYY-MM-DD`.
    #[error("{input:?} is not in the form YYYY-MM-DD")]
    Format {
        /// The input.
        input: String,
    },
    /// Shaped right, but no such day.
    #[error("{input:?} is not a valid date: {reason}")]
    Invalid {
        /// The input.
        input: String,
        /// What is wrong (month out of range, no such day in that month).
        reason: String,
    },
    /// A range that ends before it starts.
    #[error("the range ends ({end}) before it starts ({start})")]
    EndBeforeStart {
        /// The start given.
        start: NaiveDate,
        /// The end given.
        end: NaiveDate,
    },
}

/// Parses `YYYY-MM-DD` strictly.
pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    if input.trim().is_empty() {
        return Err(DateError::Empty);
    }
    let (year, month, day) = split_ymd(input).ok_or_else(|| DateError::Format {
        input: input.into(),
    })?;
    if !(1..=12).contains(&month) {
        return Err(DateError::Invalid {
            input: input.into(),
            reason: format!("there is no month {month}"),
        });
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| DateError::Invalid {
        input: input.into(),
        reason: format!("month {month} of {year} has no day {day}"),
    })
}

fn split_ymd(input: &str) -> Option<(i32, u32, u32)> {
    let b = input.as_bytes();
    let shape_ok = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape_ok {
        return None;
    }
    Some((
        input[0..4].parse().ok()?,
        input[5..7].parse().ok()?,
        input[8..10].parse().ok()?,
    ))
}

/// Days from `start` to `end`, both included; `start ≤ end` always holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RawRange")]
pub struct DateRange {
    start: NaiveDate,
    end: NaiveDate,
}

#[derive(serde::Deserialize)]
struct RawRange {
    start: NaiveDate,
    end: NaiveDate,
}

impl TryFrom<RawRange> for DateRange {
    type Error = DateError;
    fn try_from(raw: RawRange) -> Result<Self, DateError> {
        DateRange::new(raw.start, raw.end)
    }
}

impl DateRange {
    /// The range `start..=end`; an end before the start is an error.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, DateError> {
        if end < start {
            return Err(DateError::EndBeforeStart { start, end });
        }
        Ok(Self { start, end })
    }

    /// One day.
    pub fn single(day: NaiveDate) -> Self {
        Self {
            start: day,
            end: day,
        }
    }

    /// Parses both ends as `YYYY-MM-DD`.
    pub fn parse(start: &str, end: &str) -> Result<Self, DateError> {
        Self::new(parse_date(start)?, parse_date(end)?)
    }

    /// Monday to Sunday of the week that holds `day`.
    pub fn week_of(day: NaiveDate) -> Self {
        let monday = day - Days::new(u64::from(day.weekday().num_days_from_monday()));
        Self {
            start: monday,
            end: monday + Days::new(6),
        }
    }

    /// The first day.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// The last day (included).
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// How many days the range covers (one for a single day).
    pub fn days(&self) -> u32 {
        u32::try_from((self.end - self.start).num_days() + 1).unwrap_or(u32::MAX)
    }

    /// Whether `day` is in the range.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }

    /// Whether the ranges share at least one day (touching ranges do).
    pub fn overlaps(&self, other: &DateRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// The days both ranges cover, if any.
    pub fn intersect(&self, other: &DateRange) -> Option<DateRange> {
        DateRange::new(self.start.max(other.start), self.end.min(other.end)).ok()
    }

    /// Each day of the range, in order.
    pub fn iter_days(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let end = self.end;
        self.start.iter_days().take_while(move |d| *d <= end)
    }
}

impl fmt::Display for DateRange {
    /// `2024-01-01..=2024-01-07`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..={}", self.start, self.end)
    }
}

impl FromStr for DateRange {
    type Err = DateError;

    /// Reads `START..END` or `START..=END` (both inclusive either way).
    fn from_str(s: &str) -> Result<Self, DateError> {
        let (start, end) = s
            .split_once("..=")
            .or_else(|| s.split_once(".."))
            .ok_or_else(|| DateError::Format { input: s.into() })?;
        Self::parse(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parsing_is_strict_and_quotes_the_input() {
        assert_eq!(parse_date("2024-02-29"), Ok(d(2024, 2, 29)));
        assert_eq!(
            parse_date("2024-02-30").unwrap_err().to_string(),
            "\"2024-02-30\" is not a valid date: month 2 of 2024 has no day 30"
        );
        assert_eq!(
            parse_date("2023-02-29").unwrap_err().to_string(),
            "\"2023-02-29\" is not a valid date: month 2 of 2023 has no day 29"
        );
        assert_eq!(
            parse_date("2024-13-01").unwrap_err().to_string(),
            "\"2024-13-01\" is not a valid date: there is no month 13"
        );
        assert_eq!(
            parse_date("24-1-1").unwrap_err().to_string(),
            "\"24-1-1\" is not in the form YYYY-MM-DD"
        );
        assert_eq!(
            parse_date("2024-1-01").unwrap_err(),
            DateError::Format {
                input: "2024-1-01".into()
            }
        );
        assert_eq!(
            parse_date("2024/01/01").unwrap_err(),
            DateError::Format {
                input: "2024/01/01".into()
            }
        );
        assert_eq!(
            parse_date(" 2024-01-01").unwrap_err(),
            DateError::Format {
                input: " 2024-01-01".into()
            }
        );
        assert_eq!(
            parse_date("").unwrap_err().to_string(),
            "date is empty; expected YYYY-MM-DD"
        );
        assert_eq!(parse_date("   ").unwrap_err(), DateError::Empty);
    }

    #[test]
    fn ranges_keep_start_before_end() {
        let err = DateRange::new(d(2024, 5, 8), d(2024, 5, 6)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the range ends (2024-05-06) before it starts (2024-05-08)"
        );
        assert!(DateRange::parse("2024-05-06", "2024-05-05").is_err());
    }

    #[test]
    fn days_are_counted_inclusively() {
        assert_eq!(DateRange::single(d(2024, 5, 6)).days(), 1);
        assert_eq!(DateRange::week_of(d(2024, 5, 8)).days(), 7);
        assert_eq!(
            DateRange::parse("2024-01-30", "2024-02-02").unwrap().days(),
            4
        );
        assert_eq!(
            DateRange::parse("2023-12-31", "2024-01-01").unwrap().days(),
            2
        );
        assert_eq!(
            DateRange::parse("2024-02-28", "2024-03-01")
                .unwrap()
                .iter_days()
                .count(),
            3
        );
    }

    #[test]
    fn overlap_contains_and_intersection_are_inclusive() {
        let a = DateRange::parse("2024-05-01", "2024-05-05").unwrap();
        let touching = DateRange::parse("2024-05-05", "2024-05-09").unwrap();
        let apart = DateRange::parse("2024-05-06", "2024-05-09").unwrap();
        assert!(a.overlaps(&touching) && touching.overlaps(&a));
        assert!(!a.overlaps(&apart));
        assert_eq!(
            a.intersect(&touching),
            Some(DateRange::single(d(2024, 5, 5)))
        );
        assert_eq!(a.intersect(&apart), None);
        assert!(
            a.contains(d(2024, 5, 1)) && a.contains(d(2024, 5, 5)) && !a.contains(d(2024, 5, 6))
        );
    }

    #[test]
    fn weeks_run_monday_to_sunday() {
        let sunday = d(2024, 5, 12);
        assert_eq!(
            DateRange::week_of(sunday),
            DateRange::parse("2024-05-06", "2024-05-12").unwrap()
        );
        let monday = d(2024, 5, 13);
        assert_eq!(DateRange::week_of(monday).start(), monday);
    }

    #[test]
    fn text_and_json_round_trip_with_validation() {
        let r: DateRange = "2024-01-01..2024-01-07".parse().unwrap();
        assert_eq!(r.to_string(), "2024-01-01..=2024-01-07");
        assert_eq!(r.to_string().parse::<DateRange>(), Ok(r));
        assert!("2024-01-01".parse::<DateRange>().is_err());
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, r#"{"start":"2024-01-01","end":"2024-01-07"}"#);
        assert_eq!(serde_json::from_str::<DateRange>(&json).unwrap(), r);
        assert!(
            serde_json::from_str::<DateRange>(r#"{"start":"2024-01-07","end":"2024-01-01"}"#)
                .is_err()
        );
    }
}
