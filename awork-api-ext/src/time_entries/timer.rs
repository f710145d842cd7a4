//! The timer: start, pause, resume and stop, for the signed-in user or another one.

use super::draft::check_note;
use super::entry::{TimeEntry, Timing};
use crate::client::AworkClient;
use crate::error::Error;
use crate::error::{check_id, check_id_opt};
use crate::operation::OperationExt;
use awork_api::v2::types as v2;
use chrono_tz::Tz;
use uuid::Uuid;

/// What a new timer records: the same as an entry, minus the times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimerStart {
    /// The type of work (required by awork).
    pub type_of_work_id: Uuid,
    /// The zone the entry is recorded in.
    pub timezone: Tz,
    /// The project, if any.
    pub project_id: Option<Uuid>,
    /// The task, if any.
    pub task_id: Option<Uuid>,
    /// A note.
    pub note: Option<String>,
    /// Whether the time is billable.
    pub is_billable: Option<bool>,
}

impl TimerStart {
    /// A timer for `type_of_work_id`, recorded in `timezone`.
    pub fn new(type_of_work_id: Uuid, timezone: Tz) -> Self {
        Self {
            type_of_work_id,
            timezone,
            project_id: None,
            task_id: None,
            note: None,
            is_billable: None,
        }
    }

    /// On `project_id`.
    #[must_use]
    pub fn project(mut self, project_id: Uuid) -> Self {
        self.project_id = Some(project_id);
        self
    }

    /// On `task_id`.
    #[must_use]
    pub fn task(mut self, task_id: Uuid) -> Self {
        self.task_id = Some(task_id);
        self
    }

    /// With a note.
    #[must_use]
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Billable or not.
    #[must_use]
    pub fn billable(mut self, billable: bool) -> Self {
        self.is_billable = Some(billable);
        self
    }

    fn to_form(&self) -> Result<v2::StartTimeTrackingForm, Error> {
        check_id("type_of_work_id", self.type_of_work_id)?;
        check_id_opt("project_id", self.project_id)?;
        check_id_opt("task_id", self.task_id)?;
        check_note(self.note.as_deref())?;
        Ok(v2::StartTimeTrackingForm {
            is_billable: self.is_billable,
            is_billed: None,
            note: self.note.clone(),
            project_id: self.project_id,
            task_id: self.task_id,
            timezone: self.timezone.name().to_string(),
            type_of_work_id: self.type_of_work_id,
        })
    }
}

/// The timer of one user; from [`TimeEntries::timer`](super::TimeEntries::timer) (the
/// signed-in user) or [`TimeEntries::timer_for`](super::TimeEntries::timer_for).
#[derive(Debug, Clone, Copy)]
pub struct Timer<'a> {
    pub(crate) client: &'a AworkClient,
    /// `None`: the user the key belongs to.
    pub(crate) user: Option<Uuid>,
}

impl Timer<'_> {
    /// Starts a timer; awork answers with the running entry.
    pub async fn start(&self, start: &TimerStart) -> Result<TimeEntry, Error> {
        let form = start.to_form()?;
        let v2 = self.client.v2();
        let raw = match self.user()? {
            None => {
                v2.post_start_my_time_tracking_v2()
                    .body(form)
                    .call()
                    .await?
            }
            Some(user) => {
                v2.post_start_time_tracking_by_user_id_v2()
                    .user_id(user)
                    .body(form)
                    .call()
                    .await?
            }
        };
        raw.try_into()
    }

    /// Pauses the running timer.
    pub async fn pause(&self) -> Result<TimeEntry, Error> {
        let v2 = self.client.v2();
        let raw = match self.user()? {
            None => v2.post_pause_my_time_tracking_v2().call_optional().await?,
            Some(user) => {
                v2.post_pause_time_tracking_by_user_id_v2()
                    .user_id(user)
                    .call_optional()
                    .await?
            }
        };
        entry_of("pause", raw)
    }

    /// Resumes the paused timer.
    pub async fn resume(&self) -> Result<TimeEntry, Error> {
        let v2 = self.client.v2();
        let raw = match self.user()? {
            None => v2.post_resume_my_time_tracking_v2().call_optional().await?,
            Some(user) => {
                v2.post_resume_time_tracking_by_user_id_v2()
                    .user_id(user)
                    .call_optional()
                    .await?
            }
        };
        entry_of("resume", raw)
    }

    /// Stops the timer; awork answers with the finished entry.
    pub async fn stop(&self) -> Result<TimeEntry, Error> {
        let v2 = self.client.v2();
        let form = v2::StopTimeTrackingForm(serde_json::Map::new());
        let raw = match self.user()? {
            None => {
                v2.post_stop_my_time_tracking_v2()
                    .body(form)
                    .call_optional()
                    .await?
            }
            Some(user) => {
                v2.post_stop_time_tracking_by_user_id_v2()
                    .user_id(user)
                    .body(form)
                    .call_optional()
                    .await?
            }
        };
        entry_of("stop", raw)
    }

    /// The user's most recent time entry, running or not; `None` when the user has none
    /// (awork then answers 204 without a body).
    pub async fn last(&self) -> Result<Option<TimeEntry>, Error> {
        let v2 = self.client.v2();
        let raw = match self.user()? {
            None => v2.get_my_last_time_entries_v2().call_optional().await?,
            Some(user) => {
                v2.get_last_time_entries_by_user_id_v2()
                    .user_id(user)
                    .call_optional()
                    .await?
            }
        };
        raw.map(TimeEntry::try_from).transpose()
    }

    /// The timer that runs (or is paused) now, if any: the user's last entry while it
    /// has no end. This is how a program asks "is a timer running?" before it starts one
    /// (awork refuses a second).
    pub async fn running(&self) -> Result<Option<TimeEntry>, Error> {
        Ok(self
            .last()
            .await?
            .filter(|entry| matches!(entry.timing, Timing::Running { .. })))
    }

    fn user(&self) -> Result<Option<Uuid>, Error> {
        check_id_opt("user_id", self.user)?;
        Ok(self.user)
    }
}

/// The entry awork answered a timer action with; its 204 (no body) means there was no
/// timer the action could apply to.
fn entry_of(action: &str, raw: Option<v2::TimeEntry>) -> Result<TimeEntry, Error> {
    match raw {
        Some(raw) => raw.try_into(),
        None => Err(Error::Other(format!(
            "awork answered 204 No Content to the timer's {action}: this user has no timer \
             to {action}"
        ))),
    }
}
