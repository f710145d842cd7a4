//! The time entry as the fake stores it and answers it on `/api/v2`, plus
//! the builder tests seed entries with.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize, Serializer};
use uuid::Uuid;

use super::instants::seconds_between;
use super::times::Times;
use crate::awork::time_bookings::serialize_utc;

/// A time entry (tracked work) in the shape of awork's v2 `TimeEntry`.
///
/// v1 routes answer the same entries in awork's v1 `TimeTracking` shape,
/// computed from these fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeEntry {
    /// Whether the work may be invoiced.
    pub is_billable: bool,
    /// Whether the work has been invoiced.
    pub is_billed: bool,
    /// Task the work was done for, if any.
    pub task_id: Option<Uuid>,
    /// Project the work was done for, if any.
    pub project_id: Option<Uuid>,
    /// Free text.
    pub note: Option<String>,
    /// A day with an effort but no clock times; then `end_date` is `None`
    /// and `start_date` is that day at midnight UTC.
    pub is_date_only: bool,
    /// When the work started.
    #[serde(serialize_with = "serialize_utc")]
    pub start_date: DateTime<Utc>,
    /// When the work ended; `None` while the timer runs and for date-only entries.
    #[serde(serialize_with = "serialize_optional_utc")]
    pub end_date: Option<DateTime<Utc>>,
    /// IANA name of the zone the entry was recorded in, e.g. `Europe/Berlin`.
    pub timezone: String,
    /// Worked seconds (breaks excluded); 0 while the timer runs.
    pub duration: i32,
    /// Type of work booked.
    pub type_of_work_id: Uuid,
    /// User who did the work.
    pub user_id: Uuid,
    /// Identifier of the entry.
    pub id: Uuid,
    /// Seconds of closed breaks.
    pub break_duration: i32,
    /// User who created the entry.
    pub created_by: Uuid,
    /// When the entry was created.
    #[serde(serialize_with = "serialize_utc")]
    pub created_on: DateTime<Utc>,
    /// User who last changed the entry.
    pub updated_by: Uuid,
    /// When the entry was last changed.
    #[serde(serialize_with = "serialize_utc")]
    pub updated_on: DateTime<Utc>,
    /// Pauses of the timer, oldest first; only the last one can still be open.
    pub breaks: Vec<Break>,
}

impl TimeEntry {
    /// Whether the timer of this entry still runs (paused or not).
    pub fn is_running(&self) -> bool {
        self.end_date.is_none() && !self.is_date_only
    }

    /// Whether the timer of this entry runs and is paused (its last break is open).
    pub fn is_paused(&self) -> bool {
        self.is_running()
            && self
                .breaks
                .last()
                .is_some_and(|last| last.end_date.is_none())
    }

    /// Seconds of all closed breaks.
    pub(crate) fn closed_break_seconds(&self) -> i32 {
        self.breaks
            .iter()
            .filter_map(|pause| pause.duration)
            .fold(0, i32::saturating_add)
    }

    /// Writes the editable fields of `fields`, keeping id, stamps and breaks.
    pub(crate) fn assign(&mut self, fields: NewTimeEntry) {
        self.break_duration = self.closed_break_seconds();
        let resolved = fields.times.resolve(self.break_duration);
        self.user_id = fields.user_id;
        self.type_of_work_id = fields.type_of_work_id;
        self.project_id = fields.project_id;
        self.task_id = fields.task_id;
        self.note = fields.note;
        self.is_billable = fields.is_billable;
        self.is_billed = fields.is_billed;
        self.timezone = fields.timezone;
        self.start_date = resolved.start;
        self.end_date = resolved.end;
        self.duration = resolved.duration;
        self.is_date_only = resolved.is_date_only;
    }
}

/// A pause of the timer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Break {
    /// When the timer was paused.
    #[serde(serialize_with = "serialize_utc")]
    pub start_date: DateTime<Utc>,
    /// When the timer was resumed or stopped; `None` while paused.
    #[serde(serialize_with = "serialize_optional_utc")]
    pub end_date: Option<DateTime<Utc>>,
    /// Seconds from start to end; `None` while paused.
    pub duration: Option<i32>,
}

impl Break {
    /// A break that starts (and stays open) at `at`.
    pub(crate) fn open(at: DateTime<Utc>) -> Self {
        Self {
            start_date: at,
            end_date: None,
            duration: None,
        }
    }

    /// Ends the break at `at` (no earlier than its start).
    pub(crate) fn close(&mut self, at: DateTime<Utc>) {
        let end = at.max(self.start_date);
        self.end_date = Some(end);
        self.duration = Some(seconds_between(self.start_date, end));
    }
}

/// The editable part of a time entry: what a `TimeEntryForm` carries, and
/// what [`crate::TimeEntries::insert`] takes for seeding.
///
/// Start with [`NewTimeEntry::new`] (start and end instants),
/// [`NewTimeEntry::date_only`] (a day and an effort) or
/// [`NewTimeEntry::running`] (a timer that still runs), then set the rest.
/// The zone defaults to `UTC`; billable and billed to `false`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTimeEntry {
    pub(crate) user_id: Uuid,
    pub(crate) type_of_work_id: Uuid,
    pub(crate) times: Times,
    pub(crate) timezone: String,
    pub(crate) project_id: Option<Uuid>,
    pub(crate) task_id: Option<Uuid>,
    pub(crate) note: Option<String>,
    pub(crate) is_billable: bool,
    pub(crate) is_billed: bool,
}

impl NewTimeEntry {
    /// A completed entry of `user_id` from `start` to `end`; the duration is
    /// the time in between.
    ///
    /// # Panics
    /// When `end` is before `start`.
    pub fn new(
        user_id: Uuid,
        type_of_work_id: Uuid,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Self {
        assert!(end >= start, "a time entry cannot end before it starts");
        Self::with_times(user_id, type_of_work_id, Times::Range { start, end })
    }

    /// A date-only entry: `duration` seconds on `date`, no clock times.
    ///
    /// # Panics
    /// When `duration` is negative.
    pub fn date_only(user_id: Uuid, type_of_work_id: Uuid, date: NaiveDate, duration: i32) -> Self {
        assert!(duration >= 0, "a duration cannot be negative");
        let times = Times::DateOnly {
            date,
            seconds: duration,
        };
        Self::with_times(user_id, type_of_work_id, times)
    }

    /// A running timer of `user_id`, started at `start`, without breaks.
    pub fn running(user_id: Uuid, type_of_work_id: Uuid, start: DateTime<Utc>) -> Self {
        Self::with_times(user_id, type_of_work_id, Times::Running { start })
    }

    /// Fields with defaults around `times`.
    pub(crate) fn with_times(user_id: Uuid, type_of_work_id: Uuid, times: Times) -> Self {
        Self {
            user_id,
            type_of_work_id,
            times,
            timezone: "UTC".to_owned(),
            project_id: None,
            task_id: None,
            note: None,
            is_billable: false,
            is_billed: false,
        }
    }

    /// Sets the IANA zone the entry was recorded in, e.g. `Europe/Berlin`;
    /// v1 answers compute their local times in it.
    pub fn timezone(mut self, name: impl Into<String>) -> Self {
        self.timezone = name.into();
        self
    }

    /// Sets the project.
    pub fn project(mut self, project_id: Uuid) -> Self {
        self.project_id = Some(project_id);
        self
    }

    /// Sets the task.
    pub fn task(mut self, task_id: Uuid) -> Self {
        self.task_id = Some(task_id);
        self
    }

    /// Sets the note.
    pub fn note(mut self, text: impl Into<String>) -> Self {
        self.note = Some(text.into());
        self
    }

    /// Sets whether the work may be invoiced.
    pub fn billable(mut self, is_billable: bool) -> Self {
        self.is_billable = is_billable;
        self
    }

    /// Sets whether the work has been invoiced.
    pub fn billed(mut self, is_billed: bool) -> Self {
        self.is_billed = is_billed;
        self
    }

    /// Whether these fields describe a running timer.
    pub(crate) fn is_running(&self) -> bool {
        matches!(self.times, Times::Running { .. })
    }
}

/// Writes an optional UTC stamp like [`serialize_utc`], or `null`.
fn serialize_optional_utc<S: Serializer>(
    value: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(at) => serializer.serialize_str(&at.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
        None => serializer.serialize_none(),
    }
}
