//! Time entries: the time people actually worked, and the timer that records it
//! (feature `time-entries`).
//!
//! Time *bookings* plan time; time *entries* record it, and are what integrations move
//! to payroll, invoicing and reports. This module gives them `chrono` types
//! ([`TimeEntry`], with the IANA zone as a [`chrono_tz::Tz`]), drafts checked before
//! anything is sent ([`TimeEntryDraft`], including local times that do not exist or
//! exist twice around a DST change, see [`Fold`]), the operations, the timer, and
//! [`Summary`] for hours per user, project and day.
//!
//! # v1 or v2
//!
//! awork serves time entries in API v1 and v2 and has said that v1's time-entry routes
//! will give way to v2's. v2 carries one UTC start and end and an explicit
//! `isDateOnly`, where v1 carries each moment four times (UTC and local, date and time)
//! and leaves the caller to keep them consistent. So this crate uses **v2** wherever v2
//! has the operation: create, replace, get, list, removing breaks and the timer. v2 has no delete and no
//! batch operations, so those use **v1** (`DELETE /timeentries/{id}`,
//! `POST /timeentries/batch/{operation}`). [`TimeEntry`] reads both versions, and
//! [`TimeEntryDraft::to_v1_form`] writes v1's form for code that needs it.
//!
//! ```no_run
//! use awork_api_ext::time_entries::{EntryQuery, Summary, TimeEntryDraft, zone};
//! use chrono::NaiveDate;
//!
//! # async fn demo(client: awork_api_ext::AworkClient, me: uuid::Uuid, work: uuid::Uuid) -> Result<(), awork_api_ext::Error> {
//! let berlin = zone("Europe/Berlin")?;
//! let day = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap();
//! let draft = TimeEntryDraft::local(
//!     me,
//!     work,
//!     berlin,
//!     day.and_hms_opt(9, 0, 0).unwrap(),
//!     day.and_hms_opt(12, 30, 0).unwrap(),
//! )?
//! .note("Release notes");
//! client.time_entries().create(&draft).await?;
//!
//! let week = awork_api_ext::dates::DateRange::week_of(day);
//! let summary = Summary::from_stream(client.time_entries().list(EntryQuery::new().user(me).days(week, berlin))).await?;
//! println!("{:?} billable this week", summary.total().billable);
//! # Ok(()) }
//! ```

mod draft;
mod entry;
mod query;
mod summary;
mod timer;
mod zone;

pub use draft::{MAX_ENTRY, Span, TimeEntryDraft};
pub use entry::{Break, TimeEntry, Timing};
pub use query::EntryQuery;
pub use summary::{RowKey, Summary, Totals};
pub use timer::{Timer, TimerStart};
pub use zone::{Fold, zone};

use crate::client::{Api, AworkClient};
use crate::error::Error;
use crate::error::check_id;
use crate::operation::{OperationExt, PagedExt};
use awork_api::types as v1;
use futures::future::Either;
use futures::{Stream, StreamExt};
use std::collections::BTreeSet;
use uuid::Uuid;

/// Time-entry operations; from [`AworkClient::time_entries`].
#[derive(Debug, Clone, Copy)]
pub struct TimeEntries<'a> {
    client: &'a AworkClient,
}

impl AworkClient {
    /// Time entries and the timer (feature `time-entries`).
    pub fn time_entries(&self) -> TimeEntries<'_> {
        TimeEntries { client: self }
    }
}

/// What a batch operation did, per id, as awork answered (a 207 multi-status).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Changed (or deleted).
    pub ok: Vec<Uuid>,
    /// Not found.
    pub not_found: Vec<Uuid>,
    /// Refused as invalid.
    pub bad_request: Vec<Uuid>,
    /// Not allowed for the caller.
    pub unauthorized: Vec<Uuid>,
}

impl BatchOutcome {
    /// True when every id was handled.
    pub fn all_ok(&self) -> bool {
        self.not_found.is_empty() && self.bad_request.is_empty() && self.unauthorized.is_empty()
    }
}

impl From<v1::MultiStatusResult> for BatchOutcome {
    fn from(raw: v1::MultiStatusResult) -> Self {
        let ids = |part: Option<v1::StatusResult>| part.and_then(|p| p.ids).unwrap_or_default();
        Self {
            ok: ids(raw.ok),
            not_found: ids(raw.not_found),
            bad_request: ids(raw.bad_request),
            unauthorized: ids(raw.unauthorized),
        }
    }
}

impl<'a> TimeEntries<'a> {
    /// Creates an entry (v2); the draft is validated first and nothing is sent if it fails.
    pub async fn create(&self, draft: &TimeEntryDraft) -> Result<TimeEntry, Error> {
        let form = draft.to_v2_form()?;
        let raw = self
            .client
            .v2()
            .post_time_entry_v2()
            .body(form)
            .call()
            .await?;
        raw.try_into()
    }

    /// Replaces entry `id` with `draft` (v2). Fields the draft leaves unset are sent as
    /// `null`, so a replace clears a note, project or task the entry had.
    pub async fn update(&self, id: Uuid, draft: &TimeEntryDraft) -> Result<TimeEntry, Error> {
        check_id("id", id)?;
        let body = draft.replace_body()?;
        let path = format!("/timeentries/{id}");
        let raw: awork_api::v2::types::TimeEntry = self
            .client
            .request(Api::V2, reqwest::Method::PUT, &path, "PutTimeEntryByIdV2")
            .json(body)
            .read()
            .await?;
        raw.try_into()
    }

    /// Deletes entry `id` (v1; v2 has no delete).
    pub async fn delete(&self, id: Uuid) -> Result<(), Error> {
        check_id("id", id)?;
        self.client
            .api()
            .delete_time_entry_by_id()
            .time_entry_id(id)
            .call()
            .await
    }

    /// Removes every break of entry `id`, so its pauses count as work (v2). On a paused
    /// timer this resumes it; on a finished entry the duration grows by the breaks.
    pub async fn remove_breaks(&self, id: Uuid) -> Result<TimeEntry, Error> {
        check_id("id", id)?;
        self.client
            .v2()
            .post_time_entry_remove_breaks_v2()
            .time_entry_id(id)
            .call()
            .await?
            .try_into()
    }

    /// Entry `id`, or `None` when awork has none (v2).
    pub async fn get(&self, id: Uuid) -> Result<Option<TimeEntry>, Error> {
        check_id("id", id)?;
        match self
            .client
            .v2()
            .get_time_entry_by_id_v2()
            .time_entry_id(id)
            .call()
            .await
        {
            Ok(raw) => raw.try_into().map(Some),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every entry `query` selects, page by page as the stream is read (v2). A bad
    /// query ends the stream with a validation error before any request. The stream
    /// borrows the client, not this handle, so it can be stored.
    pub fn list(
        &self,
        query: EntryQuery,
    ) -> impl Stream<Item = Result<TimeEntry, Error>> + Send + use<'a> {
        let (filter, order) = match query.texts() {
            Ok(texts) => texts,
            Err(e) => return Either::Left(futures::stream::once(futures::future::ready(Err(e)))),
        };
        let mut request = self.client.v2().get_time_entries_v2();
        if let Some(filter) = filter {
            request = request.filterby(filter);
        }
        if let Some(order) = order {
            request = request.orderby(order);
        }
        let entries = request
            .stream(query.paging)
            .map(|raw| raw.and_then(TimeEntry::try_from));
        Either::Right(entries)
    }

    /// Marks the entries billable or not (v1 batch).
    pub async fn set_billable(
        &self,
        ids: impl IntoIterator<Item = Uuid>,
        billable: bool,
    ) -> Result<BatchOutcome, Error> {
        let mut form = batch_form(ids)?;
        form.is_billable = Some(billable);
        self.batch("setIsBillable", form).await
    }

    /// Marks the entries billed or not (v1 batch).
    pub async fn set_billed(
        &self,
        ids: impl IntoIterator<Item = Uuid>,
        billed: bool,
    ) -> Result<BatchOutcome, Error> {
        let mut form = batch_form(ids)?;
        form.is_billed = Some(billed);
        self.batch("setIsBilled", form).await
    }

    /// Gives the entries another type of work (v1 batch).
    pub async fn set_type_of_work(
        &self,
        ids: impl IntoIterator<Item = Uuid>,
        type_of_work_id: Uuid,
    ) -> Result<BatchOutcome, Error> {
        check_id("type_of_work_id", type_of_work_id)?;
        let mut form = batch_form(ids)?;
        form.new_type_of_work_id = Some(type_of_work_id);
        self.batch("setTypeOfWork", form).await
    }

    /// Deletes the entries (v1 batch).
    pub async fn delete_many(
        &self,
        ids: impl IntoIterator<Item = Uuid>,
    ) -> Result<BatchOutcome, Error> {
        self.batch("delete", batch_form(ids)?).await
    }

    /// The signed-in user's timer.
    pub fn timer(&self) -> Timer<'a> {
        Timer {
            client: self.client,
            user: None,
        }
    }

    /// The timer of `user_id` (awork checks the caller may run it).
    pub fn timer_for(&self, user_id: Uuid) -> Timer<'a> {
        Timer {
            client: self.client,
            user: Some(user_id),
        }
    }

    async fn batch(
        &self,
        operation: &str,
        form: v1::TimeEntryBatchOperationForm,
    ) -> Result<BatchOutcome, Error> {
        let raw = self
            .client
            .api()
            .post_time_entries_batch_by_operation()
            .operation(operation)
            .body(form)
            .call()
            .await?;
        Ok(raw.into())
    }
}

/// The batch form for `ids`: at least one, none nil, each once (in the order given).
fn batch_form(
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<v1::TimeEntryBatchOperationForm, Error> {
    let mut seen = BTreeSet::new();
    let mut unique = Vec::new();
    for id in ids {
        check_id("ids", id)?;
        if seen.insert(id) {
            unique.push(id);
        }
    }
    if unique.is_empty() {
        return Err(Error::validation("ids", "no time entry ids given"));
    }
    Ok(v1::TimeEntryBatchOperationForm {
        is_billable: None,
        is_billed: None,
        new_project_id: None,
        new_task_id: None,
        new_type_of_work_id: None,
        new_user_id: None,
        require_all_time_entries: None,
        time_entry_ids: unique,
    })
}
