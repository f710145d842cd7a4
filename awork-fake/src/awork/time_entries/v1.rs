//! awork's v1 `TimeTracking` shape of a time entry, which splits every instant into a
//! date and a time, once in UTC and once in the entry's own zone.
//!
//! * `startDateUtc`/`endDateUtc`: the instant as a UTC date-time
//!   (`2024-05-06T08:00:00Z`); `startTimeUtc`/`endTimeUtc`: its `HH:MM:SS`.
//! * `startDateLocal`/`endDateLocal`: the wall-clock date-time in `timezone`,
//!   written without an offset (`2024-05-06T10:00:00`), as awork does;
//!   `startTimeLocal`/`endTimeLocal`: its `HH:MM:SS`.
//! * No end (running timer, date-only entry): the end fields are `null`.
//!   Date-only entries have no clock times either: both start dates are the
//!   day at midnight and both start times are `null`.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::model::{Break, TimeEntry};
use super::zone::local;

/// A time entry in the v1 `TimeTracking` shape.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TimeTracking {
    is_billable: bool,
    is_billed: bool,
    task_id: Option<Uuid>,
    project_id: Option<Uuid>,
    note: Option<String>,
    start_date_utc: String,
    start_time_utc: Option<String>,
    end_date_utc: Option<String>,
    end_time_utc: Option<String>,
    start_date_local: String,
    start_time_local: Option<String>,
    end_date_local: Option<String>,
    end_time_local: Option<String>,
    timezone: String,
    duration: i32,
    break_duration: i32,
    type_of_work_id: Uuid,
    user_id: Uuid,
    id: Uuid,
    created_by: Uuid,
    created_on: String,
    updated_by: Uuid,
    updated_on: String,
    breaks: Vec<Break>,
}

impl TimeTracking {
    /// The v1 view of `entry`.
    pub(crate) fn of(entry: &TimeEntry) -> Self {
        let zone = entry.timezone.as_str();
        let (start_time_utc, start_time_local) = if entry.is_date_only {
            (None, None)
        } else {
            (
                Some(clock_time(entry.start_date.naive_utc())),
                Some(clock_time(local(entry.start_date, zone))),
            )
        };
        let start_local = if entry.is_date_only {
            entry.start_date.naive_utc()
        } else {
            local(entry.start_date, zone)
        };
        let end_local = entry.end_date.map(|end| local(end, zone));
        Self {
            is_billable: entry.is_billable,
            is_billed: entry.is_billed,
            task_id: entry.task_id,
            project_id: entry.project_id,
            note: entry.note.clone(),
            start_date_utc: utc_date_time(entry.start_date),
            start_time_utc,
            end_date_utc: entry.end_date.map(utc_date_time),
            end_time_utc: entry.end_date.map(|end| clock_time(end.naive_utc())),
            start_date_local: local_date_time(start_local),
            start_time_local,
            end_date_local: end_local.map(local_date_time),
            end_time_local: end_local.map(clock_time),
            timezone: entry.timezone.clone(),
            duration: entry.duration,
            break_duration: entry.break_duration,
            type_of_work_id: entry.type_of_work_id,
            user_id: entry.user_id,
            id: entry.id,
            created_by: entry.created_by,
            created_on: utc_date_time(entry.created_on),
            updated_by: entry.updated_by,
            updated_on: utc_date_time(entry.updated_on),
            breaks: entry.breaks.clone(),
        }
    }
}

/// `2024-05-06T08:00:00Z`.
fn utc_date_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// `2024-05-06T10:00:00`, no offset.
fn local_date_time(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// `10:00:00`.
fn clock_time(at: NaiveDateTime) -> String {
    at.format("%H:%M:%S").to_string()
}
