//! Time bookings as typed values, for seeding and reading the store from tests.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize, Serializer};
use uuid::Uuid;

/// A time booking (a planned blocker on a user's timeline), in awork's JSON shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeBooking {
    /// Identifier of the booking.
    pub id: Uuid,
    /// When the booking was created (serialized as RFC 3339 in UTC with `Z`).
    #[serde(serialize_with = "serialize_utc")]
    pub created_on: DateTime<Utc>,
    /// User who created the booking.
    pub created_by: Uuid,
    /// When the booking was last changed.
    #[serde(serialize_with = "serialize_utc")]
    pub updated_on: DateTime<Utc>,
    /// User who last changed the booking.
    pub updated_by: Uuid,
    /// User whose timeline the booking blocks.
    pub user_id: Uuid,
    /// Project the booking belongs to, if any.
    pub project_id: Option<Uuid>,
    /// First day of the booking (inclusive).
    pub start_date: NaiveDate,
    /// Last day of the booking (inclusive).
    pub end_date: NaiveDate,
    /// Planned effort in seconds.
    pub duration: i32,
    /// Free text.
    pub description: Option<String>,
    /// Position among the user's bookings on the timeline.
    pub lane_order: i32,
    /// Whether the booking's project is hidden from the caller; the fake writes `false`.
    pub is_anonymized: Option<bool>,
}

impl TimeBooking {
    /// Whether the booking touches the inclusive day range `start..=end`.
    pub fn overlaps(&self, start: NaiveDate, end: NaiveDate) -> bool {
        self.start_date <= end && self.end_date >= start
    }
}

/// The user-editable part of a booking: what a `TimeBookingForm` carries, and
/// what [`crate::Bookings::insert`] takes for seeding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBooking {
    /// User whose timeline the booking blocks.
    pub user_id: Uuid,
    /// Project the booking belongs to, if any.
    pub project_id: Option<Uuid>,
    /// First day (inclusive).
    pub start_date: NaiveDate,
    /// Last day (inclusive).
    pub end_date: NaiveDate,
    /// Planned effort in seconds.
    pub duration: i32,
    /// Free text.
    pub description: Option<String>,
    /// Position on the timeline.
    pub lane_order: i32,
}

impl NewBooking {
    /// A booking for `user_id` from `start_date` to `end_date`, with no
    /// project, zero duration, no description and lane order 0.
    pub fn new(user_id: Uuid, start_date: NaiveDate, end_date: NaiveDate) -> Self {
        Self {
            user_id,
            project_id: None,
            start_date,
            end_date,
            duration: 0,
            description: None,
            lane_order: 0,
        }
    }

    /// Sets the project.
    pub fn project(mut self, project_id: Uuid) -> Self {
        self.project_id = Some(project_id);
        self
    }

    /// Sets the planned effort in seconds.
    pub fn duration(mut self, seconds: i32) -> Self {
        self.duration = seconds;
        self
    }

    /// Sets the description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Sets the lane order.
    pub fn lane_order(mut self, lane_order: i32) -> Self {
        self.lane_order = lane_order;
        self
    }
}

/// One entry of the users-range answer: a user and their overlapping bookings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserTimeBookings {
    /// The requested user.
    pub user_id: Uuid,
    /// That user's bookings overlapping the requested interval.
    pub time_bookings: Vec<TimeBooking>,
}

/// Writes a UTC stamp as RFC 3339 with `Z` and only as many fraction digits as needed.
pub(crate) fn serialize_utc<S: Serializer>(
    value: &DateTime<Utc>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}
