//! Time bookings (planned time of a user over days): both route families
//! (`/timebookings`, `/projecttimebookings`) serve one collection of the store, with
//! the rules a booking needs on top of the contract, and the users-range query.
//!
//! Rules beyond awork's document (which requires nothing of a `TimeBookingForm`): a
//! booking needs a user (not the nil GUID), a start and end date with the end not
//! before the start, and a duration. Every broken rule is listed in one 400
//! `validation-failed`. awork's document has no route that reads one booking, so a
//! test reads it with [`crate::Bookings::get`].

mod handle;
mod model;
mod range;

use axum::http::Method;
use serde_json::Value;
use uuid::Uuid;

use crate::contract::Call;
use crate::store::plan::Plan;
use crate::store::rest::{self, Env};
use crate::wire::{Answer, ApiError, ValidationError};

pub use handle::Bookings;
pub(crate) use model::serialize_utc;
pub use model::{NewBooking, TimeBooking, UserTimeBookings};

/// The store's name for bookings: the schema both families answer.
pub(crate) const KIND: &str = "TimeBooking";

/// The path parameter that names a booking.
const ID: &str = "timeBookingId";

/// Serves `call` if it is a booking route; `None` leaves it to others.
pub(crate) fn serve(call: &Call, env: Env<'_>) -> Option<Result<Answer, ApiError>> {
    let template = call.op.template.to_ascii_lowercase();
    let family = ["/timebookings", "/projecttimebookings"];
    let by_id = [
        "/timebookings/{timebookingid}",
        "/projecttimebookings/{timebookingid}",
    ];
    let range = ["/users/timebookings", "/users/projecttimebookings"];
    let t = template.as_str();
    Some(match call.op.method {
        Method::POST if family.contains(&t) => create(call, env),
        Method::PUT if by_id.contains(&t) => replace(call, env),
        Method::DELETE if by_id.contains(&t) => delete(call, env),
        Method::GET if range.contains(&t) => range::users_range(call, env),
        _ => return None,
    })
}

/// `POST /{family}`.
fn create(call: &Call, env: Env<'_>) -> Result<Answer, ApiError> {
    check_rules(call)?;
    let server_fields = serde_json::json!({ "isAnonymized": false });
    rest::create_with(
        call,
        env,
        KIND,
        server_fields.as_object().expect("an object"),
    )
}

/// `PUT /{family}/{timeBookingId}`.
fn replace(call: &Call, env: Env<'_>) -> Result<Answer, ApiError> {
    check_rules(call)?;
    rest::serve_as(
        call,
        env,
        &Plan::Replace {
            kind: KIND.into(),
            id: ID.into(),
        },
    )
}

/// `DELETE /{family}/{timeBookingId}`.
fn delete(call: &Call, env: Env<'_>) -> Result<Answer, ApiError> {
    rest::serve_as(
        call,
        env,
        &Plan::Delete {
            kind: KIND.into(),
            id: ID.into(),
        },
    )
}

/// The rules a `TimeBookingForm` must keep besides the contract, all reported at once.
fn check_rules(call: &Call) -> Result<(), ApiError> {
    let Some(form) = call.body.json().and_then(Value::as_object) else {
        return Err(ApiError::invalid_model("The body must be a JSON object."));
    };
    let text = |name: &str| form.get(name).and_then(Value::as_str);
    let mut errors = Vec::new();
    match text("userId").map(Uuid::parse_str) {
        None => errors.push(ValidationError::new("userId", "'userId' is required.")),
        Some(Ok(id)) if id.is_nil() => errors.push(ValidationError::new(
            "userId",
            "'userId' must not be the nil GUID.",
        )),
        Some(_) => {}
    }
    for name in ["startDate", "endDate"] {
        if text(name).is_none() {
            errors.push(ValidationError::new(name, format!("'{name}' is required.")));
        }
    }
    if let (Some(start), Some(end)) = (text("startDate"), text("endDate"))
        && end < start
    {
        errors.push(ValidationError::new(
            "endDate",
            "'endDate' must be on or after 'startDate'.",
        ));
    }
    if form.get("duration").is_none_or(Value::is_null) {
        errors.push(ValidationError::new("duration", "'duration' is required."));
    }
    match errors.is_empty() {
        true => Ok(()),
        false => Err(ApiError::validation(errors)),
    }
}
