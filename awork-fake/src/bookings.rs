//! Handlers of the two booking route families (`/timebookings`,
//! `/projecttimebookings`): list, create, update, delete.
//!
//! There is no read-one handler: awork's API has no `GET` for a single
//! booking, so the fake answers it like any other method awork does not serve
//! there (see [`other_method`]). Tests read one booking through
//! [`crate::FakeAwork::booking`].

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use crate::errors::ApiError;
use crate::filter::Filter;
use crate::form::parse_form;
use crate::json::json_response;
use crate::model::TimeBooking;
use crate::order::OrderBy;
use crate::paging::PageRequest;
use crate::query::QueryParams;
use crate::state::{AppState, lock};

/// The raw query as axum decodes it.
type RawQuery = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// `GET /{family}`: filtered, ordered, paged list with `aw-*` headers.
pub(crate) async fn list(
    State(state): State<AppState>,
    query: RawQuery,
) -> Result<Response, ApiError> {
    let params = QueryParams::from_extractor(query)?;
    let paging = PageRequest::from_query(&params)?;
    let filter = Filter::parse(params.get("filterby").unwrap_or_default())?;
    let order = OrderBy::parse(params.get("orderby").unwrap_or_default())?;
    let mut matching: Vec<TimeBooking> = lock(&state.store)
        .all()
        .into_iter()
        .filter(|booking| filter.matches(booking))
        .collect();
    order.sort(&mut matching);
    let quirk = *lock(&state.short_page);
    let page = &matching[paging.window(matching.len(), quirk)];
    let mut response = json_response(StatusCode::OK, &page);
    paging.stamp(&mut response, page.len(), matching.len());
    Ok(response)
}

/// `POST /{family}`: creates a booking from a `TimeBookingForm`.
pub(crate) async fn create(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let fields = parse_form(&body)?;
    let booking = lock(&state.store).create(fields, state.user_id);
    Ok(json_response(StatusCode::OK, &booking))
}

/// `PUT /{family}/{timeBookingId}`: replaces the editable fields.
pub(crate) async fn update(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = parse_id(&raw_id)?;
    let fields = parse_form(&body)?;
    let booking = lock(&state.store)
        .update(id, fields, state.user_id)
        .ok_or_else(|| missing(id))?;
    Ok(json_response(StatusCode::OK, &booking))
}

/// `DELETE /{family}/{timeBookingId}`: 204 with an empty body.
pub(crate) async fn delete(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&raw_id)?;
    if lock(&state.store).remove(id) {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(missing(id))
    }
}

/// Any method but `PUT`/`DELETE` on `/{family}/{timeBookingId}` — `GET`
/// included, as awork has no read-one route — answers 405
/// `method-not-allowed`, whether or not the booking exists. An id that is
/// not a GUID is checked first, as for `PUT`/`DELETE`: such a path matches no
/// awork route at all, so every method gets 404 there.
pub(crate) async fn other_method(Path(raw_id): Path<String>) -> ApiError {
    match parse_id(&raw_id) {
        Ok(_) => ApiError::method_not_allowed(),
        Err(not_found) => not_found,
    }
}

/// A path id that is not a GUID matches no route, as in awork: 404.
fn parse_id(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw)
        .map_err(|_| ApiError::not_found(format!("'{raw}' is not a time booking id.")))
}

/// 404 for an unknown booking id.
fn missing(id: Uuid) -> ApiError {
    ApiError::not_found(format!("No time booking with id '{id}'."))
}
