//! Calendar dates as awork writes them (`YYYY-MM-DD`) and validated inclusive
//! date ranges such as a time booking's `startDate`..`endDate`.
//!
//! [`parse_date`] is strict on purpose, so that a typo fails loudly instead of being
//! guessed at: exactly four year digits, two month digits and two day digits, joined
//! by dashes, ASCII only. **Surrounding whitespace is not trimmed**: `" 2024-01-01"`
//! is a [`DateError::Format`] error (input that is empty or only whitespace is
//! [`DateError::Empty`]). Every error message quotes the input it rejects.
//!
//! A [`DateRange`] includes both its first and its last day and always has
//! `start <= end`; its constructors, its [`FromStr`] and its serde
//! deserialization all check that.

use chrono::{Datelike, Days, Month, NaiveDate};
use std::fmt;
use std::iter::FusedIterator;
use std::str::FromStr;

/// Why a date or a date range was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// The input was empty or only whitespace.
    #[error("date is empty; expected YYYY-MM-DD")]
    Empty,
    /// The input is not shaped like `YYYY-MM-DD` (wrong length, separators,
    /// non-digits, surrounding spaces).
    #[error("{input:?} is not in the form YYYY-MM-DD")]
    Format {
        /// The input as given.
        input: String,
    },
    /// The input is shaped right but names no day of the calendar.
    #[error("{input:?} is not a valid date: {reason}")]
    Parse {
        /// The input as given.
        input: String,
        /// Which part of the date does not exist.
        reason: CalendarError,
    },
    /// A range written as text has no `..` or `..=` between its two dates.
    #[error(
        "{input:?} is not a date range; expected YYYY-MM-DD..YYYY-MM-DD or YYYY-MM-DD..=YYYY-MM-DD"
    )]
    RangeFormat {
        /// The input as given.
        input: String,
    },
    /// A range whose last day comes before its first day.
    #[error("date range ends on {end}, before it starts on {start}")]
    EndBeforeStart {
        /// The first day given.
        start: NaiveDate,
        /// The last day given.
        end: NaiveDate,
    },
}

/// Why a well-formed `YYYY-MM-DD` is still not a real date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The month is not 1 to 12.
    #[error("there is no month {month}; months run from 01 to 12")]
    NoSuchMonth {
        /// The month given.
        month: u32,
    },
    /// The month exists, but not with this day (day 0, day 31 of a 30-day month,
    /// February 29 outside a leap year).
    #[error("{} {year} has no day {day}", .month.name())]
    NoSuchDay {
        /// The year given.
        year: i32,
        /// The month given.
        month: Month,
        /// The day given.
        day: u32,
    },
}

/// Parses a date written strictly as `YYYY-MM-DD`; see the module docs for the rules.
pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    if input.trim().is_empty() {
        return Err(DateError::Empty);
    }
    let (year, month, day) = split_fields(input).ok_or_else(|| DateError::Format {
        input: input.to_owned(),
    })?;
    calendar_date(year, month, day).map_err(|reason| DateError::Parse {
        input: input.to_owned(),
        reason,
    })
}

/// Splits `YYYY-MM-DD` into its numbers, or `None` when the shape is wrong.
fn split_fields(input: &str) -> Option<(i32, u32, u32)> {
    let bytes = input.as_bytes();
    let shaped = bytes.len() == 10
        && bytes
            .iter()
            .enumerate()
            .all(|(at, byte)| is_expected_byte(at, *byte));
    if !shaped {
        return None;
    }
    let year = i32::try_from(decimal_value(&bytes[0..4])).ok()?;
    Some((
        year,
        decimal_value(&bytes[5..7]),
        decimal_value(&bytes[8..10]),
    ))
}

/// Whether `byte` may stand at position `at` of `YYYY-MM-DD`.
fn is_expected_byte(at: usize, byte: u8) -> bool {
    match at {
        4 | 7 => byte == b'-',
        _ => byte.is_ascii_digit(),
    }
}

/// The value of a short run of ASCII digits (checked by the caller).
fn decimal_value(digits: &[u8]) -> u32 {
    digits
        .iter()
        .fold(0, |value, digit| value * 10 + u32::from(digit - b'0'))
}

/// The calendar day `year-month-day`, or which part of it does not exist.
fn calendar_date(year: i32, month: u32, day: u32) -> Result<NaiveDate, CalendarError> {
    let named_month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or(CalendarError::NoSuchMonth { month })?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or(CalendarError::NoSuchDay {
        year,
        month: named_month,
        day,
    })
}

/// The days from `start` to `end`, both included; `start <= end` always holds.
///
/// Shown and parsed as text in the form `2024-01-01..=2024-01-07` (parsing also takes
/// `2024-01-01..2024-01-07`, which means the same inclusive range). In serde it is
/// `{"start":"YYYY-MM-DD","end":"YYYY-MM-DD"}`, checked when read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RawDateRange")]
pub struct DateRange {
    start: NaiveDate,
    end: NaiveDate,
}

/// The unchecked serde form of [`DateRange`]; the dates stay text so that
/// [`parse_date`]'s strict rules and messages apply.
#[derive(serde::Deserialize)]
struct RawDateRange {
    start: String,
    end: String,
}

impl TryFrom<RawDateRange> for DateRange {
    type Error = DateError;

    fn try_from(raw: RawDateRange) -> Result<Self, DateError> {
        DateRange::parse(&raw.start, &raw.end)
    }
}

impl DateRange {
    /// The range from `start` to `end`, both included; fails when `end` is before `start`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, DateError> {
        if end < start {
            return Err(DateError::EndBeforeStart { start, end });
        }
        Ok(Self { start, end })
    }

    /// The range holding only `day`.
    pub fn single(day: NaiveDate) -> Self {
        Self {
            start: day,
            end: day,
        }
    }

    /// Parses both ends with [`parse_date`] and checks their order.
    pub fn parse(start: &str, end: &str) -> Result<Self, DateError> {
        Self::new(parse_date(start)?, parse_date(end)?)
    }

    /// The week from Monday to Sunday that holds `day` (clamped to chrono's date
    /// range at its far ends).
    pub fn week_of(day: NaiveDate) -> Self {
        let monday = monday_of(day);
        let sunday = monday
            .checked_add_days(Days::new(6))
            .unwrap_or(NaiveDate::MAX);
        Self {
            start: monday,
            end: sunday,
        }
    }

    /// The first day of the range.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// The last day of the range (it is part of the range).
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// How many days the range covers, counting both ends: 1 for a single day.
    pub fn days(&self) -> u32 {
        // chrono's dates span fewer than 200 million days, so this cannot overflow.
        days_between(self.start, self.end) + 1
    }

    /// Whether `day` lies in the range (the first and last days count).
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }

    /// Whether the two ranges share at least one day; ranges that touch, with one
    /// ending on the day the other starts, do.
    pub fn overlaps(&self, other: &DateRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// The days both ranges cover, or `None` when they share no day.
    pub fn intersect(&self, other: &DateRange) -> Option<DateRange> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start <= end).then_some(DateRange { start, end })
    }

    /// Each day of the range, first to last (also backwards, with `.rev()`).
    pub fn iter_days(&self) -> DaysIter {
        DaysIter {
            front: self.start,
            back: self.end,
            finished: false,
        }
    }
}

/// The Monday on or before `day`.
fn monday_of(day: NaiveDate) -> NaiveDate {
    let since_monday = u64::from(day.weekday().num_days_from_monday());
    day.checked_sub_days(Days::new(since_monday))
        .unwrap_or(NaiveDate::MIN)
}

/// How many days lie from `earlier` to `later` (0 for the same day).
fn days_between(earlier: NaiveDate, later: NaiveDate) -> u32 {
    later
        .num_days_from_ce()
        .abs_diff(earlier.num_days_from_ce())
}

impl fmt::Display for DateRange {
    /// Writes `2024-01-01..=2024-01-07`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..={}", self.start, self.end)
    }
}

impl FromStr for DateRange {
    type Err = DateError;

    /// Reads `START..END` or `START..=END`; both mean the inclusive range. No spaces
    /// are allowed anywhere.
    fn from_str(text: &str) -> Result<Self, DateError> {
        let (start, rest) = text
            .split_once("..")
            .ok_or_else(|| DateError::RangeFormat {
                input: text.to_owned(),
            })?;
        let end = rest.strip_prefix('=').unwrap_or(rest);
        Self::parse(start, end)
    }
}

/// The days of a [`DateRange`] in order, from [`DateRange::iter_days`].
#[derive(Clone, Debug)]
pub struct DaysIter {
    front: NaiveDate,
    back: NaiveDate,
    finished: bool,
}

impl Iterator for DaysIter {
    type Item = NaiveDate;

    fn next(&mut self) -> Option<NaiveDate> {
        if self.finished {
            return None;
        }
        let day = self.front;
        match day.succ_opt() {
            Some(next) if day < self.back => self.front = next,
            _ => self.finished = true,
        }
        Some(day)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.remaining();
        (left, Some(left))
    }
}

impl DoubleEndedIterator for DaysIter {
    fn next_back(&mut self) -> Option<NaiveDate> {
        if self.finished {
            return None;
        }
        let day = self.back;
        match day.pred_opt() {
            Some(previous) if self.front < day => self.back = previous,
            _ => self.finished = true,
        }
        Some(day)
    }
}

impl ExactSizeIterator for DaysIter {}

impl FusedIterator for DaysIter {}

impl DaysIter {
    /// How many days are still to come.
    fn remaining(&self) -> usize {
        if self.finished {
            return 0;
        }
        let between = days_between(self.front, self.back);
        usize::try_from(between).map_or(usize::MAX, |n| n.saturating_add(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        parse_date(text).unwrap()
    }

    fn range(start: &str, end: &str) -> DateRange {
        DateRange::parse(start, end).unwrap()
    }

    fn message(input: &str) -> String {
        parse_date(input).unwrap_err().to_string()
    }

    #[test]
    fn parses_well_formed_dates() {
        assert_eq!(
            parse_date("2024-05-06"),
            Ok(NaiveDate::from_ymd_opt(2024, 5, 6).unwrap())
        );
        assert_eq!(
            parse_date("0001-01-01"),
            Ok(NaiveDate::from_ymd_opt(1, 1, 1).unwrap())
        );
        assert_eq!(
            parse_date("9999-12-31"),
            Ok(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap())
        );
    }

    #[test]
    fn leap_days_exist_only_in_leap_years() {
        assert_eq!(day("2024-02-29").ordinal(), 60);
        assert_eq!(day("2000-02-29").ordinal(), 60);
        assert_eq!(
            message("2023-02-29"),
            r#""2023-02-29" is not a valid date: February 2023 has no day 29"#
        );
        assert_eq!(
            message("1900-02-29"),
            r#""1900-02-29" is not a valid date: February 1900 has no day 29"#
        );
    }

    #[test]
    fn days_that_do_not_exist_are_named() {
        assert_eq!(
            message("2024-02-30"),
            r#""2024-02-30" is not a valid date: February 2024 has no day 30"#
        );
        assert_eq!(
            message("2024-04-31"),
            r#""2024-04-31" is not a valid date: April 2024 has no day 31"#
        );
        assert_eq!(
            parse_date("2024-01-00"),
            Err(DateError::Parse {
                input: "2024-01-00".into(),
                reason: CalendarError::NoSuchDay {
                    year: 2024,
                    month: Month::January,
                    day: 0
                }
            })
        );
    }

    #[test]
    fn months_that_do_not_exist_are_named() {
        assert_eq!(
            message("2024-13-01"),
            r#""2024-13-01" is not a valid date: there is no month 13; months run from 01 to 12"#
        );
        assert_eq!(
            parse_date("2024-00-10"),
            Err(DateError::Parse {
                input: "2024-00-10".into(),
                reason: CalendarError::NoSuchMonth { month: 0 }
            })
        );
    }

    #[test]
    fn wrong_shapes_are_format_errors_quoting_the_input() {
        assert_eq!(
            message("24-1-1"),
            r#""24-1-1" is not in the form YYYY-MM-DD"#
        );
        assert_eq!(
            message("2024-1-01"),
            r#""2024-1-01" is not in the form YYYY-MM-DD"#
        );
        assert_eq!(
            message("2024/01/01"),
            r#""2024/01/01" is not in the form YYYY-MM-DD"#
        );
        for bad in [
            "2024-01-1",
            "02024-01-01",
            "2024-01-01T00:00:00",
            "+024-01-01",
            "2024-0a-01",
            "２024-01-01",
            "2024-01-01\n",
        ] {
            assert_eq!(
                parse_date(bad),
                Err(DateError::Format { input: bad.into() }),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn surrounding_whitespace_is_rejected_not_trimmed() {
        assert_eq!(
            message(" 2024-01-01"),
            r#"" 2024-01-01" is not in the form YYYY-MM-DD"#
        );
        assert_eq!(
            parse_date("2024-01-01 "),
            Err(DateError::Format {
                input: "2024-01-01 ".into()
            })
        );
    }

    #[test]
    fn empty_and_blank_input_is_empty() {
        assert_eq!(message(""), "date is empty; expected YYYY-MM-DD");
        assert_eq!(parse_date(" \t "), Err(DateError::Empty));
    }

    #[test]
    fn ranges_refuse_an_end_before_the_start() {
        let err = DateRange::new(day("2024-05-08"), day("2024-05-06")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "date range ends on 2024-05-06, before it starts on 2024-05-08"
        );
        assert_eq!(
            DateRange::parse("2024-01-01", "2023-12-31"),
            Err(DateError::EndBeforeStart {
                start: day("2024-01-01"),
                end: day("2023-12-31")
            })
        );
        assert_eq!(
            DateRange::parse("2024-01-01", "2024-1-02"),
            Err(DateError::Format {
                input: "2024-1-02".into()
            })
        );
    }

    #[test]
    fn ranges_keep_their_ends() {
        let r = range("2024-05-06", "2024-05-10");
        assert_eq!((r.start(), r.end()), (day("2024-05-06"), day("2024-05-10")));
        let one = DateRange::single(day("2024-05-06"));
        assert_eq!(
            (one.start(), one.end()),
            (day("2024-05-06"), day("2024-05-06"))
        );
        assert_eq!(
            DateRange::new(day("2024-05-06"), day("2024-05-06")),
            Ok(one)
        );
    }

    #[test]
    fn days_count_both_ends() {
        assert_eq!(DateRange::single(day("2024-05-06")).days(), 1);
        assert_eq!(range("2024-05-06", "2024-05-12").days(), 7);
        assert_eq!(range("2024-01-30", "2024-02-02").days(), 4);
        assert_eq!(range("2023-12-31", "2024-01-01").days(), 2);
        assert_eq!(range("2024-02-28", "2024-03-01").days(), 3);
        assert_eq!(range("2023-02-28", "2023-03-01").days(), 2);
        assert_eq!(range("2024-01-01", "2024-12-31").days(), 366);
    }

    #[test]
    fn contains_includes_both_ends() {
        let r = range("2024-05-01", "2024-05-05");
        assert!(r.contains(day("2024-05-01")));
        assert!(r.contains(day("2024-05-03")));
        assert!(r.contains(day("2024-05-05")));
        assert!(!r.contains(day("2024-04-30")));
        assert!(!r.contains(day("2024-05-06")));
    }

    #[test]
    fn touching_ranges_overlap_and_adjacent_ones_do_not() {
        let a = range("2024-05-01", "2024-05-05");
        let touching = range("2024-05-05", "2024-05-09");
        let adjacent = range("2024-05-06", "2024-05-09");
        let inside = range("2024-05-02", "2024-05-03");
        assert!(a.overlaps(&touching) && touching.overlaps(&a));
        assert!(!a.overlaps(&adjacent) && !adjacent.overlaps(&a));
        assert!(a.overlaps(&inside) && inside.overlaps(&a));
        assert!(a.overlaps(&a));
        let first_day = DateRange::single(day("2024-05-01"));
        assert!(a.overlaps(&first_day) && first_day.overlaps(&a));
    }

    #[test]
    fn intersect_returns_the_shared_days() {
        let a = range("2024-05-01", "2024-05-05");
        assert_eq!(
            a.intersect(&range("2024-05-05", "2024-05-09")),
            Some(DateRange::single(day("2024-05-05")))
        );
        assert_eq!(
            a.intersect(&range("2024-04-20", "2024-05-03")),
            Some(range("2024-05-01", "2024-05-03"))
        );
        assert_eq!(
            a.intersect(&range("2024-05-02", "2024-05-03")),
            Some(range("2024-05-02", "2024-05-03"))
        );
        assert_eq!(a.intersect(&range("2024-05-06", "2024-05-09")), None);
    }

    #[test]
    fn week_of_runs_monday_to_sunday() {
        let week = range("2024-05-06", "2024-05-12");
        assert_eq!(DateRange::week_of(day("2024-05-12")), week); // a Sunday
        assert_eq!(DateRange::week_of(day("2024-05-06")), week); // a Monday
        assert_eq!(DateRange::week_of(day("2024-05-08")), week); // a Wednesday
        assert_eq!(
            DateRange::week_of(day("2024-05-13")),
            range("2024-05-13", "2024-05-19")
        );
        assert_eq!(
            DateRange::week_of(day("2025-01-01")),
            range("2024-12-30", "2025-01-05")
        );
    }

    #[test]
    fn week_of_stays_in_range_at_the_calendar_edges() {
        assert_eq!(DateRange::week_of(NaiveDate::MIN).start(), NaiveDate::MIN);
        assert_eq!(DateRange::week_of(NaiveDate::MAX).end(), NaiveDate::MAX);
    }

    #[test]
    fn iter_days_walks_every_day_across_month_ends() {
        let r = range("2024-02-27", "2024-03-02");
        let days: Vec<String> = r.iter_days().map(|d| d.to_string()).collect();
        assert_eq!(
            days,
            [
                "2024-02-27",
                "2024-02-28",
                "2024-02-29",
                "2024-03-01",
                "2024-03-02"
            ]
        );
        assert_eq!(r.iter_days().len(), 5);
        assert_eq!(r.iter_days().next_back(), Some(day("2024-03-02")));
        assert_eq!(
            DateRange::single(day("2024-05-06"))
                .iter_days()
                .collect::<Vec<_>>(),
            [day("2024-05-06")]
        );
    }

    #[test]
    fn iter_days_meets_in_the_middle_from_both_ends() {
        let mut days = range("2024-05-01", "2024-05-03").iter_days();
        assert_eq!(days.next(), Some(day("2024-05-01")));
        assert_eq!(days.next_back(), Some(day("2024-05-03")));
        assert_eq!(days.len(), 1);
        assert_eq!(days.next_back(), Some(day("2024-05-02")));
        assert_eq!(days.next(), None);
        assert_eq!(days.next_back(), None);
        assert_eq!(days.len(), 0);
    }

    #[test]
    fn iter_days_ends_at_the_last_date_chrono_knows() {
        let last_two = DateRange::new(NaiveDate::MAX.pred_opt().unwrap(), NaiveDate::MAX).unwrap();
        assert_eq!(last_two.iter_days().count(), 2);
        let first_two = DateRange::new(NaiveDate::MIN, NaiveDate::MIN.succ_opt().unwrap()).unwrap();
        assert_eq!(first_two.iter_days().rev().count(), 2);
    }

    #[test]
    fn text_form_round_trips() {
        let r = range("2024-01-01", "2024-01-07");
        assert_eq!(r.to_string(), "2024-01-01..=2024-01-07");
        assert_eq!("2024-01-01..=2024-01-07".parse(), Ok(r));
        assert_eq!("2024-01-01..2024-01-07".parse(), Ok(r));
        assert_eq!(r.to_string().parse::<DateRange>(), Ok(r));
        let one = DateRange::single(day("2024-02-29"));
        assert_eq!(one.to_string().parse::<DateRange>(), Ok(one));
    }

    #[test]
    fn text_form_reports_what_is_wrong() {
        let err = |text: &str| text.parse::<DateRange>().unwrap_err();
        assert_eq!(
            err("2024-01-01").to_string(),
            r#""2024-01-01" is not a date range; expected YYYY-MM-DD..YYYY-MM-DD or YYYY-MM-DD..=YYYY-MM-DD"#
        );
        assert_eq!(
            err("2024-01-01 .. 2024-01-07"),
            DateError::Format {
                input: "2024-01-01 ".into()
            }
        );
        assert_eq!(
            err("2024-01-01..=2024-02-30"),
            DateError::Parse {
                input: "2024-02-30".into(),
                reason: CalendarError::NoSuchDay {
                    year: 2024,
                    month: Month::February,
                    day: 30
                }
            }
        );
        assert_eq!(
            err("2024-01-07..2024-01-01"),
            DateError::EndBeforeStart {
                start: day("2024-01-07"),
                end: day("2024-01-01")
            }
        );
        assert_eq!(err("..2024-01-01"), DateError::Empty);
    }

    #[test]
    fn json_form_round_trips() {
        let r = range("2024-01-01", "2024-01-07");
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, r#"{"start":"2024-01-01","end":"2024-01-07"}"#);
        assert_eq!(serde_json::from_str::<DateRange>(&json).unwrap(), r);
    }

    #[test]
    fn json_form_is_validated_when_read() {
        let read_err = |json: &str| {
            serde_json::from_str::<DateRange>(json)
                .unwrap_err()
                .to_string()
        };
        assert!(
            read_err(r#"{"start":"2024-01-07","end":"2024-01-01"}"#)
                .contains("date range ends on 2024-01-01, before it starts on 2024-01-07")
        );
        assert!(
            read_err(r#"{"start":"2024-1-7","end":"2024-01-08"}"#)
                .contains(r#""2024-1-7" is not in the form YYYY-MM-DD"#)
        );
        assert!(read_err(r#"{"start":"2024-01-07"}"#).contains("missing field `end`"));
    }
}
