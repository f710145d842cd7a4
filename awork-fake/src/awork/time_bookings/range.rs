//! `GET /users/timebookings` and `GET /users/projecttimebookings`: the bookings of
//! several users that overlap an inclusive day interval.
//!
//! `userIds` is a comma-separated list of GUIDs (repeating the parameter also works);
//! the answer has one entry per distinct user, in request order, each with that user's
//! bookings that start on or before `intervalEnd` and end on or after `intervalStart`,
//! by start date, then creation.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{KIND, TimeBooking, UserTimeBookings};
use crate::contract::Call;
use crate::store::rest::Env;
use crate::wire::{Answer, ApiError, ValidationError};

/// The handler.
pub(crate) fn users_range(call: &Call, env: Env<'_>) -> Result<Answer, ApiError> {
    let (users, start, end) = read(call)?;
    let all: Vec<TimeBooking> = env
        .store
        .all(call.op.api, KIND)
        .filter_map(|record| serde_json::from_value(record.value.clone()).ok())
        .collect();
    let answer: Vec<UserTimeBookings> = users
        .into_iter()
        .map(|user_id| {
            let mut time_bookings: Vec<TimeBooking> = all
                .iter()
                .filter(|b| b.user_id == user_id && b.overlaps(start, end))
                .cloned()
                .collect();
            time_bookings.sort_by_key(|b| b.start_date);
            UserTimeBookings {
                user_id,
                time_bookings,
            }
        })
        .collect();
    Ok(Answer::ok(&answer))
}

/// The users, start and end, all problems reported at once.
fn read(call: &Call) -> Result<(Vec<Uuid>, NaiveDate, NaiveDate), ApiError> {
    let mut errors = Vec::new();
    let mut users = Vec::new();
    let pieces = call
        .query
        .get_all("userIds")
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .filter(|piece| !piece.is_empty());
    for piece in pieces {
        match Uuid::parse_str(piece) {
            Ok(id) if !users.contains(&id) => users.push(id),
            Ok(_) => {}
            Err(_) => errors.push(ValidationError::new(
                "userIds",
                format!("'{piece}' is not a GUID."),
            )),
        }
    }
    if users.is_empty() && errors.is_empty() {
        errors.push(ValidationError::new(
            "userIds",
            "'userIds' must name at least one user.",
        ));
    }
    let date = |name: &str| {
        call.query
            .get(name)
            .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
    };
    let (start, end) = (date("intervalStart"), date("intervalEnd"));
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        errors.push(ValidationError::new(
            "intervalEnd",
            "'intervalEnd' must be on or after 'intervalStart'.",
        ));
    }
    match (start, end) {
        (Some(start), Some(end)) if errors.is_empty() => Ok((users, start, end)),
        _ => Err(ApiError::validation(errors)),
    }
}
