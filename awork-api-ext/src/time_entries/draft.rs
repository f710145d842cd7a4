//! A time entry to create or to replace one with, checked before it is sent.

use super::zone::{Fold, resolve};
use crate::error::Error;
use crate::error::{check_id, check_id_opt};
use awork_api::types as v1;
use awork_api::v2::types as v2;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::time::Duration;
use uuid::Uuid;

/// The longest entry this crate sends: one day.
///
/// awork carries durations as 32-bit seconds (about 68 years) and documents no
/// shorter limit; an entry of more than a day is almost always a timer left running
/// or a date typed wrong, so it is rejected here, where the mistake is cheap to fix.
pub const MAX_ENTRY: Duration = Duration::from_secs(24 * 3600);

/// When the work happened: from a start to an end, or on a date for a duration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    /// From `start` to `end`; both in the entry's time zone.
    Timed {
        /// When the work started.
        start: DateTime<Tz>,
        /// When it ended.
        end: DateTime<Tz>,
    },
    /// `duration` of work on `date`, without times of day (awork's date-only entries).
    DateOnly {
        /// The day, in `timezone`.
        date: NaiveDate,
        /// The zone the entry belongs to.
        timezone: Tz,
        /// How long was worked.
        duration: Duration,
    },
}

impl Span {
    /// The entry's time zone.
    pub fn timezone(&self) -> Tz {
        match self {
            Span::Timed { start, .. } => start.timezone(),
            Span::DateOnly { timezone, .. } => *timezone,
        }
    }

    /// How long the entry is.
    pub fn duration(&self) -> Duration {
        match self {
            Span::Timed { start, end } => (*end - *start).to_std().unwrap_or(Duration::ZERO),
            Span::DateOnly { duration, .. } => *duration,
        }
    }
}

/// A time entry to create or to replace an existing one with. Build it with
/// [`between`](Self::between), [`local`](Self::local) or [`date_only`](Self::date_only);
/// it is validated when sent (or by [`validate`](Self::validate)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeEntryDraft {
    /// Whose time it is.
    pub user_id: Uuid,
    /// The type of work (awork requires one on every entry).
    pub type_of_work_id: Uuid,
    /// When the work happened.
    pub span: Span,
    /// The project, if any.
    pub project_id: Option<Uuid>,
    /// The task, if any.
    pub task_id: Option<Uuid>,
    /// A note on the entry.
    pub note: Option<String>,
    /// Whether the time is billable (awork's default when unset).
    pub is_billable: Option<bool>,
    /// Whether it was billed (awork's default when unset).
    pub is_billed: Option<bool>,
}

impl TimeEntryDraft {
    /// Work from `start` to `end`, in the time zone of `start` (`end` is read in the
    /// same zone).
    pub fn between(
        user_id: Uuid,
        type_of_work_id: Uuid,
        start: DateTime<Tz>,
        end: DateTime<Tz>,
    ) -> Self {
        let end = end.with_timezone(&start.timezone());
        Self::with_span(user_id, type_of_work_id, Span::Timed { start, end })
    }

    /// Work from `start` to `end`, both wall-clock times in `tz`. Fails, naming the
    /// field, when a time does not exist in `tz` (clocks jump forward over it) or
    /// exists twice (clocks go back); for the latter see [`local_with`](Self::local_with).
    pub fn local(
        user_id: Uuid,
        type_of_work_id: Uuid,
        tz: Tz,
        start: NaiveDateTime,
        end: NaiveDateTime,
    ) -> Result<Self, Error> {
        let start = resolve(tz, start, "start", None)?;
        let end = resolve(tz, end, "end", None)?;
        Ok(Self::between(user_id, type_of_work_id, start, end))
    }

    /// Like [`local`](Self::local), reading a time that exists twice as the
    /// occurrence `fold` names. Times that do not exist still fail.
    pub fn local_with(
        user_id: Uuid,
        type_of_work_id: Uuid,
        tz: Tz,
        start: NaiveDateTime,
        end: NaiveDateTime,
        fold: Fold,
    ) -> Result<Self, Error> {
        let start = resolve(tz, start, "start", Some(fold))?;
        let end = resolve(tz, end, "end", Some(fold))?;
        Ok(Self::between(user_id, type_of_work_id, start, end))
    }

    /// `duration` of work on `date` in `tz`, without times of day.
    pub fn date_only(
        user_id: Uuid,
        type_of_work_id: Uuid,
        tz: Tz,
        date: NaiveDate,
        duration: Duration,
    ) -> Self {
        let span = Span::DateOnly {
            date,
            timezone: tz,
            duration,
        };
        Self::with_span(user_id, type_of_work_id, span)
    }

    fn with_span(user_id: Uuid, type_of_work_id: Uuid, span: Span) -> Self {
        Self {
            user_id,
            type_of_work_id,
            span,
            project_id: None,
            task_id: None,
            note: None,
            is_billable: None,
            is_billed: None,
        }
    }

    /// Books the time on `project_id`.
    #[must_use]
    pub fn project(mut self, project_id: Uuid) -> Self {
        self.project_id = Some(project_id);
        self
    }

    /// Books the time on `task_id`.
    #[must_use]
    pub fn task(mut self, task_id: Uuid) -> Self {
        self.task_id = Some(task_id);
        self
    }

    /// Adds a note.
    #[must_use]
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Marks the time billable or not.
    #[must_use]
    pub fn billable(mut self, billable: bool) -> Self {
        self.is_billable = Some(billable);
        self
    }

    /// Marks the time billed or not.
    #[must_use]
    pub fn billed(mut self, billed: bool) -> Self {
        self.is_billed = Some(billed);
        self
    }

    /// Checks every rule; the first broken one is the error, naming its field.
    pub fn validate(&self) -> Result<(), Error> {
        check_id("user_id", self.user_id)?;
        check_id("type_of_work_id", self.type_of_work_id)?;
        check_id_opt("project_id", self.project_id)?;
        check_id_opt("task_id", self.task_id)?;
        check_span(&self.span)?;
        check_note(self.note.as_deref())
    }

    /// awork's v2 form, which this crate sends: UTC start and end (or a date and a
    /// duration), the zone, and the duration in seconds. Validates first.
    pub fn to_v2_form(&self) -> Result<v2::TimeEntryForm, Error> {
        self.validate()?;
        let wire = Wire::of(&self.span)?;
        Ok(v2::TimeEntryForm {
            duration: Some(wire.seconds),
            end_date: wire.end,
            is_billable: self.is_billable,
            is_billed: self.is_billed,
            is_date_only: Some(wire.date_only),
            note: self.note.clone(),
            project_id: self.project_id,
            start_date: Some(wire.start),
            task_id: self.task_id,
            timezone: self.span.timezone().name().to_string(),
            type_of_work_id: self.type_of_work_id,
            user_id: Some(self.user_id),
        })
    }

    /// awork's v1 form, for code that must use v1. It fills the UTC group only
    /// (start and end as UTC date-times and `HH:MM:SS`): awork reads either the UTC
    /// or the local group and asks callers not to mix them. Validates first.
    pub fn to_v1_form(&self) -> Result<v1::TimeEntryPostForm, Error> {
        self.validate()?;
        let wire = Wire::of(&self.span)?;
        let time_of = |at: DateTime<Utc>| (!wire.date_only).then(|| at.time());
        Ok(v1::TimeEntryPostForm {
            break_duration: None,
            duration: Some(wire.seconds),
            end_date_local: None,
            end_date_utc: wire.end,
            end_time_local: None,
            end_time_utc: wire.end.and_then(time_of),
            is_billable: self.is_billable,
            is_billed: self.is_billed,
            note: self.note.clone(),
            project_id: self.project_id,
            start_date_local: None,
            start_date_utc: Some(wire.start),
            start_time_local: None,
            start_time_utc: time_of(wire.start),
            task_id: self.task_id,
            timezone: self.span.timezone().name().to_string(),
            type_of_work_id: self.type_of_work_id,
            user_id: self.user_id,
        })
    }

    /// The JSON of a replace (PUT): the v2 form plus what clears every optional field
    /// the draft leaves unset: `null` where awork's `TimeEntryForm` allows it, and
    /// `false` for the two flags, which it declares as booleans that cannot be `null`.
    pub(crate) fn replace_body(&self) -> Result<serde_json::Value, Error> {
        let form = self.to_v2_form()?;
        let nullable = ["projectId", "taskId", "note", "endDate"];
        let mut body = crate::client::replace_body("time entry", &form, &nullable)?;
        if let Some(fields) = body.as_object_mut() {
            for flag in ["isBillable", "isBilled"] {
                fields.entry(flag).or_insert(serde_json::Value::Bool(false));
            }
        }
        Ok(body)
    }
}

/// The instants and seconds every wire form is derived from, computed once.
struct Wire {
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
    seconds: i32,
    date_only: bool,
}

impl Wire {
    fn of(span: &Span) -> Result<Self, Error> {
        let seconds = i32::try_from(span.duration().as_secs())
            .map_err(|_| Error::validation("duration", "does not fit awork's 32-bit seconds"))?;
        Ok(match span {
            Span::Timed { start, end } => Self {
                start: start.with_timezone(&Utc),
                end: Some(end.with_timezone(&Utc)),
                seconds,
                date_only: false,
            },
            Span::DateOnly { date, .. } => Self {
                start: Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN)),
                end: None,
                seconds,
                date_only: true,
            },
        })
    }
}

/// A note, if given, must say something: an empty one is left unset instead. Drafts
/// and timer starts share this rule.
pub(super) fn check_note(note: Option<&str>) -> Result<(), Error> {
    if note.is_some_and(|n| n.trim().is_empty()) {
        return Err(Error::validation(
            "note",
            "is empty; leave it unset instead",
        ));
    }
    Ok(())
}

fn check_span(span: &Span) -> Result<(), Error> {
    match span {
        Span::Timed { start, end } => {
            if end <= start {
                let problem = format!(
                    "{} is not after the start {}",
                    end.format("%Y-%m-%d %H:%M:%S %Z"),
                    start.format("%Y-%m-%d %H:%M:%S %Z")
                );
                return Err(Error::validation("end", problem));
            }
            check_length("end", span.duration())
        }
        Span::DateOnly { duration, .. } => {
            if duration.is_zero() {
                return Err(Error::validation(
                    "duration",
                    "is zero; a date-only entry needs time",
                ));
            }
            check_length("duration", *duration)
        }
    }
}

fn check_length(field: &str, length: Duration) -> Result<(), Error> {
    if length > MAX_ENTRY {
        let problem = format!(
            "the entry would last {}, more than the {} one entry may (see MAX_ENTRY)",
            crate::duration::human(length),
            crate::duration::human(MAX_ENTRY)
        );
        return Err(Error::validation(field, problem));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Berlin;

    fn user() -> Uuid {
        Uuid::from_u128(0xa11ce)
    }

    fn work() -> Uuid {
        Uuid::from_u128(0x70e)
    }

    fn local(d: (i32, u32, u32), h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(d.0, d.1, d.2)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn field_of(result: Result<impl std::fmt::Debug, Error>) -> String {
        match result {
            Err(Error::Validation { field, .. }) => field,
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn an_entry_across_the_spring_change_is_one_hour_shorter_on_the_wall_clock() {
        // 01:00 to 04:00 local on 2024-03-31: clocks jump from 02:00 to 03:00.
        let draft = TimeEntryDraft::local(
            user(),
            work(),
            Berlin,
            local((2024, 3, 31), 1, 0),
            local((2024, 3, 31), 4, 0),
        )
        .unwrap();
        let form = draft.to_v2_form().unwrap();
        assert_eq!(form.start_date, Some(utc("2024-03-31T00:00:00Z")));
        assert_eq!(form.end_date, Some(utc("2024-03-31T02:00:00Z")));
        assert_eq!(form.duration, Some(2 * 3600));
        assert_eq!(form.timezone, "Europe/Berlin");
        assert_eq!(form.is_date_only, Some(false));
    }

    #[test]
    fn an_entry_across_the_autumn_change_is_one_hour_longer_on_the_wall_clock() {
        // 01:00 to 04:00 local on 2024-10-27: clocks go back from 03:00 to 02:00.
        let draft = TimeEntryDraft::local(
            user(),
            work(),
            Berlin,
            local((2024, 10, 27), 1, 0),
            local((2024, 10, 27), 4, 0),
        )
        .unwrap();
        let form = draft.to_v2_form().unwrap();
        assert_eq!(form.start_date, Some(utc("2024-10-26T23:00:00Z")));
        assert_eq!(form.end_date, Some(utc("2024-10-27T03:00:00Z")));
        assert_eq!(form.duration, Some(4 * 3600));
    }

    #[test]
    fn local_times_in_the_gap_or_the_fold_are_refused_by_field_unless_a_fold_is_chosen() {
        let gap = TimeEntryDraft::local(
            user(),
            work(),
            Berlin,
            local((2024, 3, 31), 2, 30),
            local((2024, 3, 31), 5, 0),
        );
        assert_eq!(field_of(gap), "start");
        let twice = TimeEntryDraft::local(
            user(),
            work(),
            Berlin,
            local((2024, 10, 27), 1, 0),
            local((2024, 10, 27), 2, 30),
        );
        assert_eq!(field_of(twice), "end");
        let later = TimeEntryDraft::local_with(
            user(),
            work(),
            Berlin,
            local((2024, 10, 27), 1, 0),
            local((2024, 10, 27), 2, 30),
            Fold::Later,
        )
        .unwrap();
        // 01:00 summer time to the second 02:30 (winter time): two and a half hours;
        // to the first 02:30 it would be one and a half.
        assert_eq!(later.to_v2_form().unwrap().duration, Some(150 * 60));
        let earlier = TimeEntryDraft::local_with(
            user(),
            work(),
            Berlin,
            local((2024, 10, 27), 1, 0),
            local((2024, 10, 27), 2, 30),
            Fold::Earlier,
        )
        .unwrap();
        assert_eq!(earlier.to_v2_form().unwrap().duration, Some(90 * 60));
    }

    #[test]
    fn an_entry_over_midnight_keeps_both_dates() {
        let draft = TimeEntryDraft::local(
            user(),
            work(),
            Berlin,
            local((2024, 5, 6), 22, 30),
            local((2024, 5, 7), 1, 15),
        )
        .unwrap();
        let v1 = draft.to_v1_form().unwrap();
        assert_eq!(v1.start_date_utc, Some(utc("2024-05-06T20:30:00Z")));
        assert_eq!(v1.start_time_utc, NaiveTime::from_hms_opt(20, 30, 0));
        assert_eq!(v1.end_date_utc, Some(utc("2024-05-06T23:15:00Z")));
        assert_eq!(v1.end_time_utc, NaiveTime::from_hms_opt(23, 15, 0));
        assert_eq!(v1.duration, Some(2 * 3600 + 45 * 60));
        // Only the UTC group: awork asks not to mix it with the local one.
        assert!(v1.start_date_local.is_none() && v1.start_time_local.is_none());
        assert!(v1.end_date_local.is_none() && v1.end_time_local.is_none());
    }

    #[test]
    fn a_date_only_entry_is_a_day_and_a_duration() {
        let day = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap();
        let draft =
            TimeEntryDraft::date_only(user(), work(), Berlin, day, Duration::from_secs(5400));
        let form = draft.to_v2_form().unwrap();
        assert_eq!(form.is_date_only, Some(true));
        assert_eq!(form.start_date, Some(utc("2024-05-06T00:00:00Z")));
        assert_eq!(form.end_date, None);
        assert_eq!(form.duration, Some(5400));
        let v1 = draft.to_v1_form().unwrap();
        assert_eq!(v1.start_time_utc, None);
    }

    #[test]
    fn every_rule_names_its_field() {
        let start = Berlin.with_ymd_and_hms(2024, 5, 6, 9, 0, 0).unwrap();
        let ok = TimeEntryDraft::between(user(), work(), start, start + chrono::Duration::hours(1));
        assert!(ok.validate().is_ok());
        let cases: Vec<(TimeEntryDraft, &str)> = vec![
            (
                TimeEntryDraft {
                    user_id: Uuid::nil(),
                    ..ok.clone()
                },
                "user_id",
            ),
            (
                TimeEntryDraft {
                    type_of_work_id: Uuid::nil(),
                    ..ok.clone()
                },
                "type_of_work_id",
            ),
            (ok.clone().project(Uuid::nil()), "project_id"),
            (ok.clone().note("  "), "note"),
            (TimeEntryDraft::between(user(), work(), start, start), "end"),
            (
                TimeEntryDraft::between(
                    user(),
                    work(),
                    start,
                    start - chrono::Duration::minutes(5),
                ),
                "end",
            ),
            (
                TimeEntryDraft::between(user(), work(), start, start + chrono::Duration::hours(25)),
                "end",
            ),
            (
                TimeEntryDraft::date_only(
                    user(),
                    work(),
                    Berlin,
                    start.date_naive(),
                    Duration::ZERO,
                ),
                "duration",
            ),
            (
                TimeEntryDraft::date_only(
                    user(),
                    work(),
                    Berlin,
                    start.date_naive(),
                    MAX_ENTRY + Duration::from_secs(1),
                ),
                "duration",
            ),
        ];
        for (draft, field) in cases {
            assert_eq!(field_of(draft.to_v2_form()), field, "{draft:?}");
        }
        let err =
            TimeEntryDraft::between(user(), work(), start, start - chrono::Duration::minutes(5))
                .validate()
                .unwrap_err()
                .to_string();
        assert_eq!(
            err,
            "invalid end: 2024-05-06 08:55:00 CEST is not after the start 2024-05-06 09:00:00 CEST"
        );
    }

    #[test]
    fn a_replace_clears_what_the_draft_leaves_unset_as_the_contract_allows() {
        let start = Berlin.with_ymd_and_hms(2024, 5, 6, 9, 0, 0).unwrap();
        let draft =
            TimeEntryDraft::between(user(), work(), start, start + chrono::Duration::hours(1))
                .billable(true);
        let body = draft.replace_body().unwrap();
        for cleared in ["projectId", "taskId", "note"] {
            assert_eq!(body[cleared], serde_json::Value::Null, "{cleared}");
        }
        assert_eq!(
            body["isBilled"], false,
            "a flag is never null in TimeEntryForm"
        );
        assert_eq!(body["isBillable"], true);
        assert_eq!(body["startDate"], "2024-05-06T07:00:00Z");
    }
}
