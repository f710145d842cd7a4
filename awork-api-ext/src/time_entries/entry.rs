//! A time entry as awork records it, with `chrono` types, read from v1 or v2.
//!
//! v2 carries one UTC start and end plus `isDateOnly`; v1 carries the same moments
//! split into dates and `HH:MM:SS` times, once in UTC and once in local time without
//! an offset. Both read into the same [`TimeEntry`]: the UTC parts are the truth, the
//! zone places them on the wall clock, and the local parts of v1 are not needed.

use super::draft::TimeEntryDraft;
use super::zone::zone;
use crate::error::Error;
use awork_api::types as v1;
use awork_api::v2::types as v2;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use std::time::Duration;
use uuid::Uuid;

/// When a recorded entry happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timing {
    /// A finished entry from `start` to `end`.
    Timed {
        /// Start, in the entry's zone.
        start: DateTime<Tz>,
        /// End, in the entry's zone.
        end: DateTime<Tz>,
    },
    /// A timer that is still running (or paused): it has a start and no end yet.
    Running {
        /// Start, in the entry's zone.
        start: DateTime<Tz>,
    },
    /// A date-only entry: a duration on a day, without times.
    DateOnly {
        /// The day.
        date: NaiveDate,
    },
}

impl Timing {
    /// The day the entry counts on, in its own zone.
    pub fn day(&self) -> NaiveDate {
        match self {
            Timing::Timed { start, .. } | Timing::Running { start } => start.date_naive(),
            Timing::DateOnly { date } => *date,
        }
    }
}

/// One pause of a timer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    /// When the pause began.
    pub start: DateTime<Utc>,
    /// When it ended; `None` while the timer is paused.
    pub end: Option<DateTime<Utc>>,
}

/// A time entry: who worked on what, when and how long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeEntry {
    /// awork's id.
    pub id: Uuid,
    /// The user; `None` when the user was deleted.
    pub user_id: Option<Uuid>,
    /// The type of work.
    pub type_of_work_id: Uuid,
    /// The project, if any.
    pub project_id: Option<Uuid>,
    /// The task, if any.
    pub task_id: Option<Uuid>,
    /// The note, if any.
    pub note: Option<String>,
    /// The zone it was recorded in.
    pub timezone: Tz,
    /// When it happened.
    pub timing: Timing,
    /// The time awork counts for the entry (0 while a timer runs).
    pub duration: Duration,
    /// The pauses, added up.
    pub break_duration: Duration,
    /// The pauses of a timer.
    pub breaks: Vec<Break>,
    /// Whether it is billable.
    pub is_billable: bool,
    /// Whether it was billed.
    pub is_billed: bool,
    /// When it was created.
    pub created_on: Option<DateTime<Utc>>,
    /// When it was last changed.
    pub updated_on: Option<DateTime<Utc>>,
}

impl TimeEntry {
    /// A draft that recreates this entry, to change a field and
    /// [`update`](super::TimeEntries::update) it. A running timer has no end yet and
    /// gives a validation error; an entry of a deleted user has no user to write back.
    pub fn to_draft(&self) -> Result<TimeEntryDraft, Error> {
        let user = self
            .user_id
            .ok_or_else(|| Error::validation("user_id", "the entry's user was deleted"))?;
        let mut draft = match &self.timing {
            Timing::Timed { start, end } => {
                TimeEntryDraft::between(user, self.type_of_work_id, *start, *end)
            }
            Timing::DateOnly { date } => TimeEntryDraft::date_only(
                user,
                self.type_of_work_id,
                self.timezone,
                *date,
                self.duration,
            ),
            Timing::Running { .. } => {
                return Err(Error::validation(
                    "end",
                    "the timer is still running; stop it first",
                ));
            }
        };
        draft.project_id = self.project_id;
        draft.task_id = self.task_id;
        draft.note = self.note.clone();
        draft.is_billable = Some(self.is_billable);
        draft.is_billed = Some(self.is_billed);
        Ok(draft)
    }
}

/// The model's name in per-item errors.
const MODEL: &str = "time entry";

fn missing(field: &str) -> Error {
    Error::item(MODEL, format!("it has no {field}"))
}

/// Seconds from awork, which a [`Duration`] holds only when they are not negative.
fn seconds(field: &str, value: Option<i32>) -> Result<Duration, Error> {
    let value = value.unwrap_or(0);
    u64::try_from(value)
        .map(Duration::from_secs)
        .map_err(|_| Error::item(MODEL, format!("its {field} is negative ({value} s)")))
}

/// The zone awork recorded, which must be an IANA name.
fn recorded_zone(name: &str) -> Result<Tz, Error> {
    zone(name).map_err(|_| Error::item(MODEL, format!("its time zone {name:?} is no IANA name")))
}

/// A pause as both versions send it: a start (always set in practice) and an end.
type RawBreak = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// The pauses with a start; one without is meaningless and left out.
fn breaks_of(breaks: Option<Vec<RawBreak>>) -> Vec<Break> {
    breaks
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(start, end)| Some(Break { start: start?, end }))
        .collect()
}

/// The fields v1's `TimeTracking` and v2's `TimeEntry` share under the same names, read
/// the same way from either (a macro: the two generated types have no trait in common).
macro_rules! shared_fields {
    ($raw:ident, $tz:expr, $timing:expr) => {
        Ok(TimeEntry {
            id: $raw.id.ok_or_else(|| missing("id"))?,
            user_id: $raw.user_id,
            type_of_work_id: $raw.type_of_work_id,
            project_id: $raw.project_id,
            task_id: $raw.task_id,
            note: $raw.note,
            timezone: $tz,
            timing: $timing,
            duration: seconds("duration", $raw.duration)?,
            break_duration: seconds("breakDuration", $raw.break_duration)?,
            breaks: breaks_of($raw.breaks.map(|list| {
                list.into_iter()
                    .map(|b| (b.start_date, b.end_date))
                    .collect()
            })),
            is_billable: $raw.is_billable.unwrap_or(false),
            is_billed: $raw.is_billed.unwrap_or(false),
            created_on: $raw.created_on,
            updated_on: $raw.updated_on,
        })
    };
}

impl TryFrom<v2::TimeEntry> for TimeEntry {
    type Error = Error;

    /// Reads a v2 entry; fails with [`Error::Decode`] when it lacks its id or start, or
    /// names a zone that is not an IANA name.
    fn try_from(raw: v2::TimeEntry) -> Result<Self, Error> {
        let tz = recorded_zone(&raw.timezone)?;
        let start = raw.start_date.ok_or_else(|| missing("startDate"))?;
        let timing = if raw.is_date_only == Some(true) {
            // A date-only entry's start is the day at 00:00 UTC (see the draft).
            Timing::DateOnly {
                date: start.date_naive(),
            }
        } else {
            match raw.end_date {
                Some(end) => Timing::Timed {
                    start: start.with_timezone(&tz),
                    end: end.with_timezone(&tz),
                },
                None => Timing::Running {
                    start: start.with_timezone(&tz),
                },
            }
        };
        shared_fields!(raw, tz, timing)
    }
}

/// A v1 moment: the date of the UTC date-time with the UTC `HH:MM:SS`, when there is one.
fn v1_moment(date: Option<DateTime<Utc>>, time: Option<NaiveTime>) -> Option<DateTime<Utc>> {
    let date = date?;
    Some(match time {
        Some(time) => date.date_naive().and_time(time).and_utc(),
        None => date,
    })
}

impl TryFrom<v1::TimeTracking> for TimeEntry {
    type Error = Error;

    /// Reads a v1 entry from its UTC parts; an entry without a UTC start time is
    /// date-only. Fails like the v2 conversion.
    fn try_from(raw: v1::TimeTracking) -> Result<Self, Error> {
        let tz = recorded_zone(&raw.timezone)?;
        let start_date = raw.start_date_utc.ok_or_else(|| missing("startDateUtc"))?;
        let timing = match (
            raw.start_time_utc,
            v1_moment(raw.end_date_utc, raw.end_time_utc),
        ) {
            (None, _) => Timing::DateOnly {
                date: start_date.date_naive(),
            },
            (Some(time), end) => {
                let start = start_date
                    .date_naive()
                    .and_time(time)
                    .and_utc()
                    .with_timezone(&tz);
                match end {
                    Some(end) => Timing::Timed {
                        start,
                        end: end.with_timezone(&tz),
                    },
                    None => Timing::Running { start },
                }
            }
        };
        shared_fields!(raw, tz, timing)
    }
}
