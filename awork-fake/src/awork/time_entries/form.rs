//! Reading and validating the bodies that create or change time entries:
//! v2 `TimeEntryForm` (`POST`/`PUT /timeentries`) and `StartTimeTrackingForm`
//! (`…/timetracking/start`).
//!
//! The contract has judged types and formats already; these are the rules of a
//! time entry on top. Every broken rule is listed in one `validation-failed` under
//! its JSON property name; `null` counts as absent.
//!
//! Both forms: `timezone` (a known IANA zone) and `typeOfWorkId` (a non-nil
//! GUID) are required; `projectId`, `taskId` (GUIDs), `note` (string),
//! `isBillable`, `isBilled` (booleans, default `false`) are optional.
//!
//! `TimeEntryForm` adds `userId` (a non-nil GUID, default: the key's user),
//! `startDate` (required) and how the entry ends:
//!
//! * `isDateOnly: true` — `startDate`'s date as written and a required
//!   `duration`; `endDate` is ignored;
//! * otherwise `endDate` (not before `startDate`; it wins over `duration`) or
//!   `duration` (whole seconds ≥ 0);
//! * a `PUT` on a running timer keeps it running: it may move `startDate`,
//!   but takes no `endDate`, no `duration` other than 0 and no `isDateOnly`.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::instants::parse_instant;
use super::model::NewTimeEntry;
use super::reader::{FormReader, object_of};
use super::times::Times;
use super::zone::parse_zone;
use crate::wire::ApiError;

/// What a `TimeEntryForm` is applied to; running timers take other rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// A new entry, or an existing completed or date-only one.
    Completed,
    /// An entry whose timer runs.
    Running,
}

/// The properties both forms share.
struct Common {
    timezone: Option<String>,
    type_of_work_id: Option<Uuid>,
    project_id: Option<Uuid>,
    task_id: Option<Uuid>,
    note: Option<String>,
    is_billable: bool,
    is_billed: bool,
}

impl Common {
    /// Reads the shared properties, noting problems in `reader`.
    fn read(reader: &mut FormReader<'_>) -> Self {
        Self {
            timezone: reader.required_zone(),
            type_of_work_id: reader.required_type_of_work(),
            project_id: reader.optional_guid("projectId"),
            task_id: reader.optional_guid("taskId"),
            note: reader.optional_string("note"),
            is_billable: reader.optional_bool("isBillable"),
            is_billed: reader.optional_bool("isBilled"),
        }
    }

    /// The entry fields, if nothing was broken.
    fn into_entry(
        self,
        reader: FormReader<'_>,
        user_id: Option<Uuid>,
        times: Option<Times>,
    ) -> Result<NewTimeEntry, ApiError> {
        match (self.timezone, self.type_of_work_id, user_id, times) {
            (Some(timezone), Some(type_of_work_id), Some(user_id), Some(times))
                if reader.errors.is_empty() =>
            {
                Ok(NewTimeEntry {
                    user_id,
                    type_of_work_id,
                    times,
                    timezone,
                    project_id: self.project_id,
                    task_id: self.task_id,
                    note: self.note,
                    is_billable: self.is_billable,
                    is_billed: self.is_billed,
                })
            }
            _ => Err(ApiError::validation(reader.errors)),
        }
    }
}

/// Parses a v2 `TimeEntryForm` for `target`; `default_user` is the key's user.
pub(crate) fn parse_entry_form(
    body: Option<&serde_json::Value>,
    default_user: Uuid,
    target: Target,
) -> Result<NewTimeEntry, ApiError> {
    let object = object_of(body)?;
    let mut reader = FormReader::new(object);
    let common = Common::read(&mut reader);
    let user_id = reader.optional_user(default_user);
    let is_date_only = reader.optional_bool("isDateOnly");
    let times = match (target, is_date_only) {
        (Target::Running, date_only) => reader.running_times(date_only),
        (Target::Completed, true) => reader.date_only_times(),
        (Target::Completed, false) => reader.completed_times(),
    };
    common.into_entry(reader, user_id, times)
}

/// Parses a `StartTimeTrackingForm` into a timer of `user` started at `start`.
pub(crate) fn parse_start_form(
    body: Option<&serde_json::Value>,
    user: Uuid,
    start: DateTime<Utc>,
) -> Result<NewTimeEntry, ApiError> {
    let object = object_of(body)?;
    let mut reader = FormReader::new(object);
    let common = Common::read(&mut reader);
    common.into_entry(reader, Some(user), Some(Times::Running { start }))
}

/// Readers for the properties only time-entry forms have.
impl FormReader<'_> {
    /// `timezone`: required, a known IANA zone name.
    fn required_zone(&mut self) -> Option<String> {
        let Some(value) = self.field("timezone") else {
            self.fail("timezone", "'timezone' must not be empty.".into());
            return None;
        };
        match value.as_str() {
            Some(name) if parse_zone(name).is_some() => Some(name.to_owned()),
            Some("") => {
                self.fail("timezone", "'timezone' must not be empty.".into());
                None
            }
            _ => {
                self.fail(
                    "timezone",
                    "'timezone' must be an IANA time zone name such as 'Europe/Berlin'.".into(),
                );
                None
            }
        }
    }

    /// `typeOfWorkId`: required, a GUID, not the nil GUID.
    fn required_type_of_work(&mut self) -> Option<Uuid> {
        if self.field("typeOfWorkId").is_none() {
            self.fail("typeOfWorkId", "'typeOfWorkId' must not be empty.".into());
            return None;
        }
        self.non_nil_guid("typeOfWorkId")
    }

    /// `userId`: optional (then `default`), a GUID, not the nil GUID.
    fn optional_user(&mut self, default: Uuid) -> Option<Uuid> {
        if self.field("userId").is_none() {
            return Some(default);
        }
        self.non_nil_guid("userId")
    }

    /// A present GUID property that must not be the nil GUID.
    fn non_nil_guid(&mut self, name: &str) -> Option<Uuid> {
        match self.optional_guid(name) {
            Some(id) if id.is_nil() => {
                self.fail(name, format!("'{name}' must not be empty."));
                None
            }
            other => other,
        }
    }

    /// A date-time property; `required` notes its absence.
    fn instant(&mut self, name: &str, required: bool) -> Option<DateTime<Utc>> {
        let Some(value) = self.field(name) else {
            if required {
                self.fail(name, format!("'{name}' must not be empty."));
            }
            return None;
        };
        let parsed = value.as_str().and_then(parse_instant);
        if parsed.is_none() {
            self.fail(
                name,
                format!("'{name}' is not a valid date-time (e.g. 2024-05-06T08:00:00Z)."),
            );
        }
        parsed
    }

    /// `duration`: optional whole seconds in `0..=i32::MAX`.
    fn optional_duration(&mut self) -> Option<i32> {
        let value = self.field("duration")?;
        self.duration_value(value)
    }

    /// A day and a required duration; `endDate` is ignored.
    fn date_only_times(&mut self) -> Option<Times> {
        let date = match self.field("startDate") {
            None => {
                self.fail("startDate", "'startDate' must not be empty.".into());
                None
            }
            Some(value) => {
                let date = value.as_str().and_then(super::instants::parse_date);
                if date.is_none() {
                    self.fail("startDate", "'startDate' is not a valid date.".into());
                }
                date
            }
        };
        let duration = self.optional_duration();
        if self.field("duration").is_none() {
            self.fail(
                "duration",
                "'duration' must not be empty for a date-only time entry.".into(),
            );
        }
        Some(Times::DateOnly {
            date: date?,
            seconds: duration?,
        })
    }

    /// A start and an end or a duration; the end wins.
    fn completed_times(&mut self) -> Option<Times> {
        let start = self.instant("startDate", true);
        let end = self.instant("endDate", false);
        let duration = self.optional_duration();
        let end_sent = self.field("endDate").is_some();
        if !end_sent && self.field("duration").is_none() {
            self.fail(
                "endDate",
                "A completed time entry needs 'endDate' or 'duration'.".into(),
            );
        }
        let start = start?;
        if let Some(end) = end {
            self.check_span(start, end);
            return Some(Times::Range { start, end });
        }
        if end_sent {
            return None;
        }
        duration.map(|seconds| Times::Worked { start, seconds })
    }

    /// `endDate` must not precede `startDate`, and the span must fit int32 seconds.
    fn check_span(&mut self, start: DateTime<Utc>, end: DateTime<Utc>) {
        if end < start {
            self.fail(
                "endDate",
                "'endDate' must be on or after 'startDate'.".into(),
            );
        } else if (end - start).num_seconds() > i64::from(i32::MAX) {
            self.fail(
                "endDate",
                "The time between 'startDate' and 'endDate' is too long.".into(),
            );
        }
    }

    /// A running timer: only its start can change.
    fn running_times(&mut self, date_only: bool) -> Option<Times> {
        let start = self.instant("startDate", true);
        if date_only {
            self.fail(
                "isDateOnly",
                "A running time entry cannot be date-only; stop its timer first.".into(),
            );
        }
        if self.field("endDate").is_some() {
            self.fail(
                "endDate",
                "A running time entry has no 'endDate'; stop its timer instead.".into(),
            );
        }
        if self.optional_duration().is_some_and(|seconds| seconds != 0) {
            self.fail(
                "duration",
                "A running time entry has a 'duration' of 0; stop its timer instead.".into(),
            );
        }
        start.map(|start| Times::Running { start })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: Uuid = Uuid::from_u128(7);

    fn parse(body: &str, target: Target) -> Result<NewTimeEntry, ApiError> {
        let value: serde_json::Value = serde_json::from_str(body).unwrap();
        parse_entry_form(Some(&value), USER, target)
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    const TYPE: &str = r#""typeOfWorkId":"6f0c64a2-8d1f-4a5e-9a43-1b2c3d4e5f60""#;

    #[test]
    fn end_wins_over_duration_and_user_defaults() {
        let body = format!(
            r#"{{"timezone":"Europe/Berlin",{TYPE},"startDate":"2024-05-06T08:00:00Z",
                "endDate":"2024-05-06T09:00:00Z","duration":5,"isBillable":true,"extra":1}}"#
        );
        let form = parse(&body, Target::Completed).unwrap();
        assert_eq!(form.user_id, USER);
        assert!(form.is_billable && !form.is_billed);
        assert_eq!(
            form.times,
            Times::Range {
                start: utc("2024-05-06T08:00:00Z"),
                end: utc("2024-05-06T09:00:00Z")
            }
        );
    }

    #[test]
    fn date_only_keeps_the_written_date() {
        let body = format!(
            r#"{{"timezone":"UTC",{TYPE},"isDateOnly":true,"startDate":"2024-05-06T23:30:00-02:00",
                "endDate":"2024-05-09T00:00:00Z","duration":600}}"#
        );
        let times = parse(&body, Target::Completed).unwrap().times;
        let date = chrono::NaiveDate::from_ymd_opt(2024, 5, 6).unwrap();
        assert_eq!(times, Times::DateOnly { date, seconds: 600 });
    }

    #[test]
    fn lists_every_broken_rule() {
        let body = r#"{"timezone":"Mars/Olympus","typeOfWorkId":"00000000-0000-0000-0000-000000000000",
            "userId":"nope","taskId":3,"isBilled":"yes","startDate":"2024-05-06T10:00:00Z",
            "endDate":"2024-05-06T09:00:00Z"}"#;
        let error = parse(body, Target::Completed).unwrap_err();
        assert_eq!(
            error.invalid_properties(),
            [
                "timezone",
                "typeOfWorkId",
                "taskId",
                "isBilled",
                "userId",
                "endDate"
            ]
        );
        let empty = parse("{}", Target::Completed).unwrap_err();
        assert_eq!(
            empty.invalid_properties(),
            ["timezone", "typeOfWorkId", "startDate", "endDate"]
        );
        let day = parse(r#"{"isDateOnly":true}"#, Target::Completed).unwrap_err();
        assert_eq!(
            day.invalid_properties(),
            ["timezone", "typeOfWorkId", "startDate", "duration"]
        );
    }

    #[test]
    fn running_targets_only_move_their_start() {
        let ok = format!(
            r#"{{"timezone":"UTC",{TYPE},"startDate":"2024-05-06T08:00:00Z","duration":0}}"#
        );
        assert!(parse(&ok, Target::Running).unwrap().is_running());
        let bad = format!(
            r#"{{"timezone":"UTC",{TYPE},"startDate":"2024-05-06T08:00:00Z","duration":60,
                "endDate":"2024-05-06T09:00:00Z","isDateOnly":true}}"#
        );
        let error = parse(&bad, Target::Running).unwrap_err();
        assert_eq!(
            error.invalid_properties(),
            ["isDateOnly", "endDate", "duration"]
        );
    }

    #[test]
    fn start_form_needs_zone_and_type_of_work() {
        let start = utc("2024-05-06T08:00:00Z");
        let read = |text: &str| -> Result<NewTimeEntry, ApiError> {
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            parse_start_form(Some(&value), USER, start)
        };
        let form = read(&format!(r#"{{"timezone":"UTC",{TYPE}}}"#)).unwrap();
        assert_eq!(form.times, Times::Running { start });
        let error = read("{}").unwrap_err();
        assert_eq!(error.invalid_properties(), ["timezone", "typeOfWorkId"]);
        assert_eq!(read("[]").unwrap_err().code, "invalid-model");
    }
}
