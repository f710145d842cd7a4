//! The timer routes under `/api/v2`: `…/timetracking/start|pause|resume|stop`,
//! for the key's user (`/me`) or any user (`/users/{userId}`). All answer
//! 200 with the entry; the time is the fake's "now" (see
//! [`crate::FakeAwork::set_now`]), cut to whole seconds so that durations
//! add up exactly. Bodies of pause, resume and stop are ignored.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, SubsecRound, Utc};
use uuid::Uuid;

use super::form::parse_start_form;
use super::ids::parse_path_id;
use super::timer::{self, TimerAction};
use crate::errors::ApiError;
use crate::json::json_response;
use crate::state::{AppState, lock};

/// `POST /me/timetracking/start`.
pub(crate) async fn start_mine(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, ApiError> {
    start(&state, state.user_id, &body)
}

/// `POST /users/{userId}/timetracking/start`.
pub(crate) async fn start_theirs(
    State(state): State<AppState>,
    Path(raw_user): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    start(&state, parse_path_id(&raw_user, "user")?, &body)
}

/// `POST /me/timetracking/pause`.
pub(crate) async fn pause_mine(State(state): State<AppState>) -> Result<Response, ApiError> {
    act(&state, state.user_id, TimerAction::Pause)
}

/// `POST /users/{userId}/timetracking/pause`.
pub(crate) async fn pause_theirs(
    State(state): State<AppState>,
    Path(raw_user): Path<String>,
) -> Result<Response, ApiError> {
    act(
        &state,
        parse_path_id(&raw_user, "user")?,
        TimerAction::Pause,
    )
}

/// `POST /me/timetracking/resume`.
pub(crate) async fn resume_mine(State(state): State<AppState>) -> Result<Response, ApiError> {
    act(&state, state.user_id, TimerAction::Resume)
}

/// `POST /users/{userId}/timetracking/resume`.
pub(crate) async fn resume_theirs(
    State(state): State<AppState>,
    Path(raw_user): Path<String>,
) -> Result<Response, ApiError> {
    act(
        &state,
        parse_path_id(&raw_user, "user")?,
        TimerAction::Resume,
    )
}

/// `POST /me/timetracking/stop`.
pub(crate) async fn stop_mine(State(state): State<AppState>) -> Result<Response, ApiError> {
    act(&state, state.user_id, TimerAction::Stop)
}

/// `POST /users/{userId}/timetracking/stop`.
pub(crate) async fn stop_theirs(
    State(state): State<AppState>,
    Path(raw_user): Path<String>,
) -> Result<Response, ApiError> {
    act(&state, parse_path_id(&raw_user, "user")?, TimerAction::Stop)
}

/// Starts a timer for `user` from a `StartTimeTrackingForm`.
fn start(state: &AppState, user: Uuid, body: &[u8]) -> Result<Response, ApiError> {
    let fields = parse_start_form(body, user, now(state))?;
    let entry = timer::start(&mut lock(&state.entries), fields, state.user_id)?;
    Ok(json_response(StatusCode::OK, &entry))
}

/// Pauses, resumes or stops the timer of `user`.
fn act(state: &AppState, user: Uuid, action: TimerAction) -> Result<Response, ApiError> {
    let now = now(state);
    let entry = timer::act(&mut lock(&state.entries), user, action, now, state.user_id)?;
    Ok(json_response(StatusCode::OK, &entry))
}

/// The fake's current instant in whole seconds.
fn now(state: &AppState) -> DateTime<Utc> {
    lock(&state.now).get().trunc_subsecs(0)
}
