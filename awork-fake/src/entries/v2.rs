//! `/api/v2/timeentries`: list, create, read one, replace; and a user's last
//! entry. Entries are answered in the v2 `TimeEntry` shape, which is how
//! [`TimeEntry`] serializes.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::form::{Target, parse_entry_form};
use super::ids::{missing, parse_path_id};
use super::list::{RawQuery, list as list_entries};
use super::model::TimeEntry;
use crate::errors::ApiError;
use crate::json::json_response;
use crate::state::{AppState, lock};

/// `GET /api/v2/timeentries`: filtered, ordered, paged list.
pub(crate) async fn list(
    State(state): State<AppState>,
    query: RawQuery,
) -> Result<Response, ApiError> {
    list_entries(&state, query, TimeEntry::clone)
}

/// `POST /api/v2/timeentries`: creates a completed or date-only entry.
pub(crate) async fn create(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let fields = parse_entry_form(&body, state.user_id, Target::Completed)?;
    let entry = lock(&state.entries).create(fields, state.user_id);
    Ok(json_response(StatusCode::OK, &entry))
}

/// `GET /api/v2/timeentries/{timeEntryId}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_path_id(&raw_id, "time entry")?;
    let entry = lock(&state.entries).get(id).ok_or_else(|| missing(id))?;
    Ok(json_response(StatusCode::OK, &entry))
}

/// `PUT /api/v2/timeentries/{timeEntryId}`: replaces every editable field;
/// what the body leaves out or sends as `null` is cleared. The entry is
/// looked up first (404), because a running timer takes other rules.
pub(crate) async fn replace(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = parse_path_id(&raw_id, "time entry")?;
    let current = lock(&state.entries).get(id).ok_or_else(|| missing(id))?;
    let target = if current.is_running() {
        Target::Running
    } else {
        Target::Completed
    };
    let fields = parse_entry_form(&body, state.user_id, target)?;
    let mut entries = lock(&state.entries);
    if fields.is_running()
        && entries
            .running_of(fields.user_id)
            .is_some_and(|other| other != id)
    {
        return Err(ApiError::invalid_operation(
            "The new user already has a running time entry.",
        ));
    }
    let entry = entries
        .replace(id, fields, state.user_id)
        .ok_or_else(|| missing(id))?;
    Ok(json_response(StatusCode::OK, &entry))
}

/// `POST /api/v2/timeentries/{timeEntryId}/removebreaks`: drops the entry's breaks
/// (see [`super::timer::remove_breaks`]); 404 for an unknown entry.
pub(crate) async fn remove_breaks(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_path_id(&raw_id, "time entry")?;
    let entry = lock(&state.entries)
        .change(id, state.user_id, super::timer::remove_breaks)
        .ok_or_else(|| missing(id))?;
    Ok(json_response(StatusCode::OK, &entry))
}

/// `GET /api/v2/me/timeentries/last`: the key's user's last entry, or 204.
pub(crate) async fn last_mine(State(state): State<AppState>) -> Result<Response, ApiError> {
    Ok(last(&state, state.user_id))
}

/// `GET /api/v2/users/{userId}/timeentries/last`: that user's last entry, or 204.
pub(crate) async fn last_theirs(
    State(state): State<AppState>,
    Path(raw_user): Path<String>,
) -> Result<Response, ApiError> {
    Ok(last(&state, parse_path_id(&raw_user, "user")?))
}

/// 200 with the last entry of `user`, or 204 without a body when there is none.
fn last(state: &AppState, user: Uuid) -> Response {
    match lock(&state.entries).last_of(user) {
        Some(entry) => json_response(StatusCode::OK, &entry),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}
