//! `GET /users/timebookings` and `GET /users/projecttimebookings`: the
//! bookings of several users that overlap an inclusive day interval.
//!
//! Query: `userIds` (comma-separated GUIDs; repeating the parameter also
//! works), `intervalStart`, `intervalEnd` (dates). The answer has one entry per
//! distinct requested user, in request order; each entry lists that user's
//! bookings with `startDate <= intervalEnd` and `endDate >= intervalStart`,
//! ordered by `startDate`, then `createdOn`, then `id`.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use uuid::Uuid;

use crate::dates::parse_date;
use crate::errors::{ApiError, ValidationError};
use crate::json::json_response;
use crate::model::{TimeBooking, UserTimeBookings};
use crate::order::default_order;
use crate::query::QueryParams;
use crate::state::{AppState, lock};

/// The validated query of a users-range request.
#[derive(Debug)]
struct RangeRequest {
    user_ids: Vec<Uuid>,
    start: NaiveDate,
    end: NaiveDate,
}

/// The handler.
pub(crate) async fn range(
    State(state): State<AppState>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let params = QueryParams::from_extractor(query)?;
    let request = RangeRequest::from_query(&params)?;
    let all = lock(&state.store).all();
    let answer: Vec<UserTimeBookings> = request
        .user_ids
        .iter()
        .map(|user_id| UserTimeBookings {
            user_id: *user_id,
            time_bookings: bookings_in_range(&all, *user_id, request.start, request.end),
        })
        .collect();
    Ok(json_response(StatusCode::OK, &answer))
}

/// One user's bookings overlapping `start..=end`, by start date.
fn bookings_in_range(
    all: &[TimeBooking],
    user_id: Uuid,
    start: NaiveDate,
    end: NaiveDate,
) -> Vec<TimeBooking> {
    let mut found: Vec<TimeBooking> = all
        .iter()
        .filter(|booking| booking.user_id == user_id && booking.overlaps(start, end))
        .cloned()
        .collect();
    found.sort_by(|a, b| {
        a.start_date
            .cmp(&b.start_date)
            .then_with(|| default_order(a, b))
    });
    found
}

impl RangeRequest {
    /// Reads and validates all three parameters, reporting every problem at once.
    fn from_query(params: &QueryParams) -> Result<Self, ApiError> {
        let mut errors = Vec::new();
        let user_ids = read_user_ids(params, &mut errors);
        let start = read_date(params, "intervalStart", &mut errors);
        let end = read_date(params, "intervalEnd", &mut errors);
        if let (Some(start), Some(end)) = (start, end)
            && end < start
        {
            errors.push(ValidationError::new(
                "intervalEnd",
                "'intervalEnd' must be on or after 'intervalStart'.",
            ));
        }
        match (start, end) {
            (Some(start), Some(end)) if errors.is_empty() => Ok(Self {
                user_ids,
                start,
                end,
            }),
            _ => Err(ApiError::validation(errors)),
        }
    }
}

/// The distinct user ids in request order.
fn read_user_ids(params: &QueryParams, errors: &mut Vec<ValidationError>) -> Vec<Uuid> {
    let mut ids = Vec::new();
    let pieces = params
        .get_all("userIds")
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .filter(|piece| !piece.is_empty());
    for piece in pieces {
        match Uuid::parse_str(piece) {
            Ok(id) if !ids.contains(&id) => ids.push(id),
            Ok(_) => {}
            Err(_) => errors.push(ValidationError::new(
                "userIds",
                format!("'{piece}' is not a valid GUID."),
            )),
        }
    }
    if ids.is_empty() && errors.is_empty() {
        errors.push(ValidationError::new(
            "userIds",
            "'userIds' must not be empty.",
        ));
    }
    ids
}

/// A required date parameter.
fn read_date(
    params: &QueryParams,
    name: &str,
    errors: &mut Vec<ValidationError>,
) -> Option<NaiveDate> {
    let Some(text) = params.get(name) else {
        errors.push(ValidationError::new(
            name,
            format!("'{name}' must not be empty."),
        ));
        return None;
    };
    let date = parse_date(text);
    if date.is_none() {
        errors.push(ValidationError::new(
            name,
            format!("'{name}' is not a valid date (YYYY-MM-DD)."),
        ));
    }
    date
}
