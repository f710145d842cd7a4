//! Time bookings: planned blocks of a user's time over a range of days.
//!
//! A booking reserves `duration` of a user's time between two dates (both inclusive),
//! with or without a project; awork's workload planning counts it. Time *tracking*
//! (what was actually worked) is a different thing: time entries.
//!
//! # Two route families
//!
//! awork serves the same bookings, with the same models, under two paths:
//! `/timebookings` (added in 2025, the current one) and `/projecttimebookings` (the
//! original, from when every booking belonged to a project). No difference in
//! behaviour is documented; [`Routes::TimeBookings`] is the default, and
//! [`Routes::ProjectTimeBookings`] is there for code that must keep to the old paths.
//! The same split exists for the per-user query (`/users/timebookings`,
//! `/users/projecttimebookings`).
//!
//! # Validation
//!
//! A [`TimeBookingDraft`] is checked before any request: nil ids, a range whose end is
//! before its start, a duration that is negative, too long for awork's 32-bit seconds
//! or longer than the range can hold (24 h per day), and a description that is empty
//! or only whitespace all fail with [`Error::Validation`] naming the field.

use crate::client::{Api, AworkClient, replace_body as nulls_for_unset};
use crate::dates::DateRange;
use crate::duration;
use crate::error::Error;
use crate::error::{check_id, check_id_opt};
use crate::operation::{OperationExt, PagedExt};
use crate::paging::PageOptions;
use crate::query::{Expression, QueryError};
use awork_api::types;
use chrono::{DateTime, NaiveDate, Utc};
use futures::future::Either;
use futures::{Stream, StreamExt, TryStreamExt};
use std::collections::BTreeSet;
use std::time::Duration;
use uuid::Uuid;

/// Which of awork's two equivalent route families to use (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Routes {
    /// `/timebookings` and `/users/timebookings` (current).
    #[default]
    TimeBookings,
    /// `/projecttimebookings` and `/users/projecttimebookings` (original).
    ProjectTimeBookings,
}

/// A booking to create or to replace an existing one with. Build it with
/// [`TimeBookingDraft::new`]; it is validated when sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeBookingDraft {
    /// The user whose time is booked.
    pub user_id: Uuid,
    /// The project the time is for, if any.
    pub project_id: Option<Uuid>,
    /// The days the booking covers, both inclusive.
    pub dates: DateRange,
    /// How much time is booked over the whole range.
    pub duration: Duration,
    /// Text shown on the booking.
    pub description: Option<String>,
    /// Row on the user's timeline in awork's web app.
    pub lane_order: i32,
}

/// The most time a range of `days` days can hold.
fn capacity(days: u32) -> Duration {
    Duration::from_secs(u64::from(days) * 24 * 3600)
}

impl TimeBookingDraft {
    /// A booking of `duration` for `user_id` over `dates`, without project or text.
    pub fn new(user_id: Uuid, dates: DateRange, duration: Duration) -> Self {
        Self {
            user_id,
            project_id: None,
            dates,
            duration,
            description: None,
            lane_order: 0,
        }
    }

    /// Ties the booking to a project.
    pub fn project(mut self, project_id: Uuid) -> Self {
        self.project_id = Some(project_id);
        self
    }

    /// Sets the text shown on the booking.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Sets the timeline row.
    pub fn lane_order(mut self, lane: i32) -> Self {
        self.lane_order = lane;
        self
    }

    /// Checks every rule and returns the form awork expects.
    pub fn to_form(&self) -> Result<types::TimeBookingForm, Error> {
        check_id("user_id", self.user_id)?;
        check_id_opt("project_id", self.project_id)?;
        let seconds = duration::to_awork_seconds(self.duration)
            .map_err(|e| Error::validation("duration", e.to_string()))?;
        let days = self.dates.days();
        if self.duration > capacity(days) {
            return Err(Error::validation(
                "duration",
                format!(
                    "{} does not fit in {} ({} day{} hold at most {} h)",
                    duration::human(self.duration),
                    self.dates,
                    days,
                    if days == 1 { "" } else { "s" },
                    u64::from(days) * 24
                ),
            ));
        }
        if self
            .description
            .as_deref()
            .is_some_and(|t| t.trim().is_empty())
        {
            return Err(Error::validation(
                "description",
                "is empty or only whitespace; leave it out instead",
            ));
        }
        Ok(types::TimeBookingForm {
            user_id: Some(self.user_id),
            project_id: self.project_id,
            start_date: Some(self.dates.start()),
            end_date: Some(self.dates.end()),
            duration: Some(seconds),
            description: self.description.clone(),
            lane_order: Some(self.lane_order),
        })
    }
}

/// The JSON of a replace: the form as serialized, plus an explicit `null` for every
/// optional field it leaves unset (see [`TimeBookings::update`]).
fn replace_body(form: &types::TimeBookingForm) -> Result<serde_json::Value, Error> {
    nulls_for_unset("time booking", form, &["description", "projectId"])
}

/// A booking as awork stores it, with typed dates and duration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeBooking {
    /// The booking's id.
    pub id: Uuid,
    /// The user whose time is booked.
    pub user_id: Uuid,
    /// The project, if the booking has one.
    pub project_id: Option<Uuid>,
    /// The days covered, both inclusive.
    pub dates: DateRange,
    /// The booked time.
    pub duration: Duration,
    /// The text shown on the booking (withheld when `is_anonymized`).
    pub description: Option<String>,
    /// Row on the user's timeline.
    pub lane_order: i32,
    /// True when the caller may not see the project, so details are withheld.
    pub is_anonymized: bool,
    /// When it was created.
    pub created_on: Option<DateTime<Utc>>,
    /// Who created it.
    pub created_by: Option<Uuid>,
    /// When it last changed.
    pub updated_on: Option<DateTime<Utc>>,
    /// Who last changed it.
    pub updated_by: Option<Uuid>,
}

/// The model's name in per-item errors.
const MODEL: &str = "time booking";

fn missing(field: &str) -> Error {
    Error::item(MODEL, format!("it has no {field}"))
}

impl TryFrom<types::TimeBooking> for TimeBooking {
    type Error = Error;

    /// Fails with [`Error::Item`] when awork's answer lacks a field a booking cannot do
    /// without, or holds a value the typed booking cannot (an end before the start, a
    /// negative duration), naming the booking and the field.
    fn try_from(raw: types::TimeBooking) -> Result<Self, Error> {
        let which = |problem: String| match raw.id {
            Some(id) => Error::item(MODEL, format!("booking {id}: {problem}")),
            None => Error::item(MODEL, problem),
        };
        let start = raw.start_date.ok_or_else(|| missing("startDate"))?;
        let end = raw.end_date.ok_or_else(|| missing("endDate"))?;
        let dates = DateRange::new(start, end).map_err(|e| which(e.to_string()))?;
        let seconds = raw.duration.ok_or_else(|| missing("duration"))?;
        let duration =
            duration::from_awork_seconds(i64::from(seconds)).map_err(|e| which(e.to_string()))?;
        Ok(Self {
            id: raw.id.ok_or_else(|| missing("id"))?,
            user_id: raw.user_id.ok_or_else(|| missing("userId"))?,
            project_id: raw.project_id,
            dates,
            duration,
            description: raw.description,
            lane_order: raw.lane_order.unwrap_or_default(),
            is_anonymized: raw.is_anonymized.unwrap_or(false),
            created_on: raw.created_on,
            created_by: raw.created_by,
            updated_on: raw.updated_on,
            updated_by: raw.updated_by,
        })
    }
}

/// One user's bookings, from [`TimeBookings::for_users`].
#[derive(Debug)]
pub struct UserBookings {
    /// The user.
    pub user_id: Uuid,
    /// Their bookings in the interval.
    pub bookings: Vec<TimeBooking>,
    /// Their bookings this crate's type cannot hold ([`Error::Item`], e.g. a negative
    /// duration), each reported here instead of failing the whole answer.
    pub undecodable: Vec<Error>,
}

/// What to list: filter, order and paging, passed through to awork.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    filter: Option<String>,
    order: Option<String>,
    paging: PageOptions,
    invalid: Option<QueryError>,
}

impl ListQuery {
    /// Filters with `filter`: a [`crate::query::Filter`] (checked here; a bad one fails
    /// the listing before any request) or raw text.
    pub fn filter(mut self, filter: impl Expression) -> Self {
        match filter.expression() {
            Ok(text) => self.filter = Some(text),
            Err(e) => self.invalid = Some(e),
        }
        self
    }

    /// Orders with `order`: a [`crate::query::OrderBy`] or raw text.
    pub fn order(mut self, order: impl Expression) -> Self {
        match order.expression() {
            Ok(text) => self.order = Some(text),
            Err(e) => self.invalid = Some(e),
        }
        self
    }

    /// Pages as `paging` says.
    pub fn paging(mut self, paging: PageOptions) -> Self {
        self.paging = paging;
        self
    }
}

/// Time-booking operations on one route family; from [`AworkClient::time_bookings`].
#[derive(Debug, Clone, Copy)]
pub struct TimeBookings<'a> {
    client: &'a AworkClient,
    routes: Routes,
}

impl AworkClient {
    /// Time bookings on the current routes (`/timebookings`).
    pub fn time_bookings(&self) -> TimeBookings<'_> {
        TimeBookings {
            client: self,
            routes: Routes::TimeBookings,
        }
    }

    /// Time bookings on the route family of your choice.
    pub fn time_bookings_on(&self, routes: Routes) -> TimeBookings<'_> {
        TimeBookings {
            client: self,
            routes,
        }
    }
}

impl<'a> TimeBookings<'a> {
    /// Creates a booking; the draft is validated first, and nothing is sent if it fails.
    pub async fn create(&self, draft: &TimeBookingDraft) -> Result<TimeBooking, Error> {
        let form = draft.to_form()?;
        let api = self.client.api();
        let raw = match self.routes {
            Routes::TimeBookings => api.post_time_booking().body(form).call().await?,
            Routes::ProjectTimeBookings => {
                api.post_project_time_booking().body(form).call().await?
            }
        };
        raw.try_into()
    }

    /// Replaces booking `id` with `draft`.
    ///
    /// A replace sends every field of awork's form: what the draft leaves unset goes
    /// as an explicit `null`, so a booking that had a project or a description loses
    /// it when the draft has none. (The generated form skips unset fields, which would
    /// leave them as they were; that is a patch, not the replace a PUT is.)
    pub async fn update(&self, id: Uuid, draft: &TimeBookingDraft) -> Result<TimeBooking, Error> {
        check_id("id", id)?;
        let body = replace_body(&draft.to_form()?)?;
        let (path, operation_id) = match self.routes {
            Routes::TimeBookings => (format!("/timebookings/{id}"), "putTimeBookingById"),
            Routes::ProjectTimeBookings => (
                format!("/projecttimebookings/{id}"),
                "putProjectTimeBooking",
            ),
        };
        let raw: types::TimeBooking = self
            .client
            .request(Api::V1, reqwest::Method::PUT, &path, operation_id)
            .json(body)
            .read()
            .await?;
        raw.try_into()
    }

    /// Deletes booking `id`.
    pub async fn delete(&self, id: Uuid) -> Result<(), Error> {
        check_id("id", id)?;
        let api = self.client.api();
        match self.routes {
            Routes::TimeBookings => {
                api.delete_time_booking_by_id()
                    .time_booking_id(id)
                    .call()
                    .await
            }
            Routes::ProjectTimeBookings => {
                api.delete_project_time_booking()
                    .time_booking_id(id)
                    .call()
                    .await
            }
        }
    }

    /// Fetches booking `id`, or `None` if there is none. awork has no route for one
    /// booking, so this lists with the filter `id eq guid'<id>'`.
    pub async fn get(&self, id: Uuid) -> Result<Option<TimeBooking>, Error> {
        check_id("id", id)?;
        let query = ListQuery::default()
            .filter(format!("id eq guid'{id}'"))
            .paging(PageOptions::default().max_items(1));
        let mut found: Vec<TimeBooking> = self.list(query).try_collect().await?;
        Ok(found.pop())
    }

    /// Every booking matching `query`, fetched page by page as the stream is read.
    /// A bad filter or order, or bad paging options, end the stream with a validation
    /// error before any request.
    ///
    /// The stream borrows the client, not this handle, so it can be stored:
    /// `let bookings = client.time_bookings().list(query);` compiles.
    pub fn list(
        &self,
        query: ListQuery,
    ) -> impl Stream<Item = Result<TimeBooking, Error>> + Send + use<'a> {
        let api = self.client.api();
        let ListQuery {
            filter,
            order,
            paging,
            invalid,
        } = query;
        if let Some(e) = invalid {
            let rejected = futures::stream::once(futures::future::ready(Err(Error::from(e))));
            return Either::Left(rejected);
        }
        let listing = match self.routes {
            Routes::TimeBookings => {
                let mut request = api.get_time_bookings();
                if let Some(filter) = filter {
                    request = request.filterby(filter);
                }
                if let Some(order) = order {
                    request = request.orderby(order);
                }
                Either::Left(request.stream(paging))
            }
            Routes::ProjectTimeBookings => {
                let mut request = api.get_project_time_bookings();
                if let Some(filter) = filter {
                    request = request.filterby(filter);
                }
                if let Some(order) = order {
                    request = request.orderby(order);
                }
                Either::Right(request.stream(paging))
            }
        };
        Either::Right(listing.map(|item| item.and_then(TimeBooking::try_from)))
    }

    /// The bookings of `users` that overlap `dates`, one entry per user in the order
    /// given (duplicates removed). Fails before sending if the set is empty or holds a
    /// nil id.
    pub async fn for_users(
        &self,
        users: impl IntoIterator<Item = Uuid>,
        dates: DateRange,
    ) -> Result<Vec<UserBookings>, Error> {
        let ids = unique_user_ids(users)?;
        let joined = ids
            .iter()
            .map(Uuid::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let api = self.client.api();
        let (start, end): (NaiveDate, NaiveDate) = (dates.start(), dates.end());
        let raw = match self.routes {
            Routes::TimeBookings => {
                api.get_users_time_bookings()
                    .user_ids(joined)
                    .interval_start(start)
                    .interval_end(end)
                    .call()
                    .await?
            }
            Routes::ProjectTimeBookings => {
                api.get_project_time_bookings_for_users()
                    .user_ids(joined)
                    .interval_start(start)
                    .interval_end(end)
                    .call()
                    .await?
            }
        };
        group_by_user(&ids, raw)
    }
}

fn unique_user_ids(users: impl IntoIterator<Item = Uuid>) -> Result<Vec<Uuid>, Error> {
    let mut seen = BTreeSet::new();
    let mut ids = Vec::new();
    for id in users {
        check_id("user_ids", id)?;
        if seen.insert(id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(Error::validation(
            "user_ids",
            "is empty; give at least one user id",
        ));
    }
    Ok(ids)
}

/// Puts awork's answer in the order the users were asked for; users awork left out
/// get an empty list. A booking the typed model cannot hold goes to its user's
/// `undecodable` list, so one odd booking does not cost the others.
fn group_by_user(
    ids: &[Uuid],
    raw: Vec<types::GetTimeBookingForUsersResult>,
) -> Result<Vec<UserBookings>, Error> {
    let empty = |user_id| UserBookings {
        user_id,
        bookings: Vec::new(),
        undecodable: Vec::new(),
    };
    let mut out: Vec<UserBookings> = ids.iter().map(|&user_id| empty(user_id)).collect();
    for entry in raw {
        let Some(user_id) = entry.user_id else {
            continue;
        };
        if !out.iter().any(|u| u.user_id == user_id) {
            out.push(empty(user_id));
        }
        let slot = out
            .iter_mut()
            .find(|u| u.user_id == user_id)
            .expect("the user's slot was just made");
        for raw in entry.time_bookings.unwrap_or_default() {
            match TimeBooking::try_from(raw) {
                Ok(booking) => slot.bookings.push(booking),
                Err(error) => slot.undecodable.push(error),
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 5, d).unwrap()
    }

    fn user() -> Uuid {
        Uuid::from_u128(0x1234)
    }

    fn draft(hours: u64, start: u32, end: u32) -> TimeBookingDraft {
        TimeBookingDraft::new(
            user(),
            DateRange::new(day(start), day(end)).unwrap(),
            Duration::from_secs(hours * 3600),
        )
    }

    fn field_of(e: Error) -> String {
        match e {
            Error::Validation { field, .. } => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_valid_draft_becomes_awork_form() {
        let form = draft(8, 6, 8)
            .project(Uuid::from_u128(9))
            .description("Planning")
            .lane_order(2)
            .to_form()
            .unwrap();
        assert_eq!(form.duration, Some(28800));
        assert_eq!(form.start_date, Some(day(6)));
        assert_eq!(form.end_date, Some(day(8)));
        assert_eq!(form.project_id, Some(Uuid::from_u128(9)));
        assert_eq!(form.lane_order, Some(2));
    }

    #[test]
    fn each_rule_names_its_field() {
        assert_eq!(
            field_of(
                TimeBookingDraft {
                    user_id: Uuid::nil(),
                    ..draft(1, 6, 6)
                }
                .to_form()
                .unwrap_err()
            ),
            "user_id"
        );
        assert_eq!(
            field_of(draft(1, 6, 6).project(Uuid::nil()).to_form().unwrap_err()),
            "project_id"
        );
        assert_eq!(
            field_of(draft(1, 6, 6).description("  \t").to_form().unwrap_err()),
            "description"
        );
        assert_eq!(
            field_of(draft(1, 6, 6).description("").to_form().unwrap_err()),
            "description"
        );
        let too_long = draft(49, 6, 7).to_form().unwrap_err();
        assert_eq!(
            too_long.to_string(),
            "invalid duration: 49h does not fit in 2024-05-06..=2024-05-07 (2 days hold at most 48 h)"
        );
        assert!(draft(48, 6, 7).to_form().is_ok());
        let huge = TimeBookingDraft {
            duration: Duration::from_secs(u64::from(u32::MAX)),
            ..draft(1, 6, 6)
        };
        assert_eq!(field_of(huge.to_form().unwrap_err()), "duration");
        let fraction = TimeBookingDraft {
            duration: Duration::from_millis(1500),
            ..draft(1, 6, 6)
        };
        assert_eq!(field_of(fraction.to_form().unwrap_err()), "duration");
    }

    #[test]
    fn user_sets_are_checked_and_deduplicated() {
        assert_eq!(field_of(unique_user_ids([]).unwrap_err()), "user_ids");
        assert_eq!(
            field_of(unique_user_ids([user(), Uuid::nil()]).unwrap_err()),
            "user_ids"
        );
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_eq!(unique_user_ids([b, a, b, a]).unwrap(), vec![b, a]);
    }

    #[test]
    fn raw_bookings_become_typed_ones_or_decode_errors() {
        let raw = types::TimeBooking {
            id: Some(Uuid::from_u128(5)),
            user_id: Some(user()),
            start_date: Some(day(6)),
            end_date: Some(day(7)),
            duration: Some(27000),
            ..Default::default()
        };
        let typed = TimeBooking::try_from(raw.clone()).unwrap();
        assert_eq!(typed.duration, Duration::from_secs(27000));
        assert_eq!(typed.dates.days(), 2);
        let backwards = types::TimeBooking {
            start_date: Some(day(8)),
            ..raw.clone()
        };
        assert!(TimeBooking::try_from(backwards).unwrap_err().is_item());
        let negative = types::TimeBooking {
            duration: Some(-1),
            ..raw.clone()
        };
        let error = TimeBooking::try_from(negative).unwrap_err();
        assert!(error.is_item(), "{error:?}");
        assert!(
            error.to_string().contains(&raw.id.unwrap().to_string()),
            "{error}"
        );
        let no_id = types::TimeBooking { id: None, ..raw };
        assert_eq!(
            TimeBooking::try_from(no_id).unwrap_err().to_string(),
            "cannot read a time booking of awork's answer as this crate's type: it has no id"
        );
    }
}
