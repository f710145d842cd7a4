//! When a time entry happened, and how its start, end and duration follow
//! from what a client (or a test) said.
//!
//! awork accepts a start with an end, or a start with a duration; when both
//! come, the end wins and the duration is recomputed. Breaks (only the timer
//! creates them) are not worked time, so they are taken out of the duration,
//! or added to the end when only a duration was given.

use chrono::{DateTime, NaiveDate, Utc};

use super::instants::{midnight_utc, seconds_between};

/// The time part of a new or replaced entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Times {
    /// A completed entry from `start` to `end`.
    Range {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    /// A completed entry from `start` with `seconds` of work; the end follows.
    Worked { start: DateTime<Utc>, seconds: i32 },
    /// A day with an effort and no clock times.
    DateOnly { date: NaiveDate, seconds: i32 },
    /// Started at `start` and not stopped yet (a running timer).
    Running { start: DateTime<Utc> },
}

/// The stored form of [`Times`] for an entry with `break_seconds` of breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Resolved {
    pub(crate) start: DateTime<Utc>,
    pub(crate) end: Option<DateTime<Utc>>,
    pub(crate) duration: i32,
    pub(crate) is_date_only: bool,
}

impl Times {
    /// Start, end and worked duration, given the entry's breaks.
    pub(crate) fn resolve(self, break_seconds: i32) -> Resolved {
        match self {
            Self::Range { start, end } => Resolved {
                start,
                end: Some(end),
                duration: seconds_between(start, end)
                    .saturating_sub(break_seconds)
                    .max(0),
                is_date_only: false,
            },
            Self::Worked { start, seconds } => Resolved {
                start,
                end: Some(
                    start
                        + chrono::Duration::seconds(i64::from(seconds) + i64::from(break_seconds)),
                ),
                duration: seconds,
                is_date_only: false,
            },
            Self::DateOnly { date, seconds } => Resolved {
                start: midnight_utc(date),
                end: None,
                duration: seconds,
                is_date_only: true,
            },
            Self::Running { start } => Resolved {
                start,
                end: None,
                duration: 0,
                is_date_only: false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn range_takes_breaks_out_of_the_duration() {
        let times = Times::Range {
            start: utc("2024-05-06T08:00:00Z"),
            end: utc("2024-05-06T10:00:00Z"),
        };
        assert_eq!(times.resolve(0).duration, 7200);
        assert_eq!(times.resolve(600).duration, 6600);
        assert_eq!(times.resolve(9000).duration, 0);
    }

    #[test]
    fn worked_time_puts_breaks_before_the_end() {
        let resolved = Times::Worked {
            start: utc("2024-05-06T08:00:00Z"),
            seconds: 3600,
        }
        .resolve(900);
        assert_eq!(resolved.end, Some(utc("2024-05-06T09:15:00Z")));
        assert_eq!(resolved.duration, 3600);
    }

    #[test]
    fn date_only_and_running_have_no_end() {
        let date = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap();
        let day = Times::DateOnly { date, seconds: 60 }.resolve(0);
        assert_eq!(
            (day.start, day.end, day.duration, day.is_date_only),
            (utc("2024-05-06T00:00:00Z"), None, 60, true)
        );
        let running = Times::Running {
            start: utc("2024-05-06T08:00:00Z"),
        }
        .resolve(0);
        assert_eq!((running.end, running.duration), (None, 0));
    }
}
