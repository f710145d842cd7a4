//! The URL layout of the fake.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{StatusCode, header};
use axum::middleware::{from_fn_with_state, map_response};
use axum::response::Response;
use axum::routing::{get, post, put};

use crate::bookings;
use crate::entries::{batch, ids, tracking, v1, v2};
use crate::errors::ApiError;
use crate::files;
use crate::oauth;
use crate::pipeline::pipeline;
use crate::state::AppState;
use crate::users;

/// The path every v1 route lives under.
pub const BASE_PATH: &str = "/api/v1";

/// The path the v2 routes (time entries and the timer) live under.
pub const V2_BASE_PATH: &str = "/api/v2";

/// The two route families that serve the same bookings.
const FAMILIES: [&str; 2] = ["timebookings", "projecttimebookings"];

/// Builds the router with all routes, fallbacks and the request pipeline.
pub(crate) fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for family in FAMILIES {
        router = router
            .route(
                &format!("{BASE_PATH}/{family}"),
                get(bookings::list).post(bookings::create),
            )
            .route(
                &format!("{BASE_PATH}/{family}/{{timeBookingId}}"),
                put(bookings::update)
                    .delete(bookings::delete)
                    .fallback(bookings::other_method),
            )
            .route(&format!("{BASE_PATH}/users/{family}"), get(users::range));
    }
    router = router.route(
        &format!("{BASE_PATH}/tasks/{{taskId}}/files"),
        get(files::list)
            .post(files::upload)
            .layer(DefaultBodyLimit::max(files::MAX_UPLOAD_BYTES)),
    );
    router = router.route(
        &format!("{BASE_PATH}/tasks/{{taskId}}/files/{{fileId}}/download"),
        get(files::download),
    );
    let router = router
        .route(
            &format!("{BASE_PATH}/accounts/authorize"),
            get(oauth::authorize),
        )
        .route(&format!("{BASE_PATH}/accounts/token"), post(oauth::token))
        .route(
            &format!("{BASE_PATH}/clientapplications/register"),
            post(oauth::register),
        );
    let routes = with_time_entries(router)
        .fallback(unknown_route)
        .method_not_allowed_fallback(wrong_method)
        .layer(from_fn_with_state(state.clone(), pipeline))
        .with_state(state);
    // Wrapped once more because axum adds `Allow` after every layer of a route.
    Router::new()
        .fallback_service(routes)
        .layer(map_response(allow_only_on_405))
}

/// Adds the time-entry routes of both versions, the v2 timer and a user's last entry.
fn with_time_entries(router: Router<AppState>) -> Router<AppState> {
    let by_id = "timeentries/{timeEntryId}";
    let router = router
        .route(&format!("{BASE_PATH}/timeentries"), get(v1::list))
        .route(
            &format!("{BASE_PATH}/{by_id}"),
            get(v1::get).delete(v1::delete).fallback(ids::other_method),
        )
        .route(
            &format!("{BASE_PATH}/timeentries/batch/{{operation}}"),
            post(batch::batch),
        )
        .route(
            &format!("{V2_BASE_PATH}/timeentries"),
            get(v2::list).post(v2::create),
        )
        .route(
            &format!("{V2_BASE_PATH}/{by_id}"),
            get(v2::get).put(v2::replace).fallback(ids::other_method),
        )
        .route(
            &format!("{V2_BASE_PATH}/{by_id}/removebreaks"),
            post(v2::remove_breaks),
        );
    let me = format!("{V2_BASE_PATH}/me/timetracking");
    let them = format!("{V2_BASE_PATH}/users/{{userId}}/timetracking");
    router
        .route(
            &format!("{V2_BASE_PATH}/me/timeentries/last"),
            get(v2::last_mine),
        )
        .route(
            &format!("{V2_BASE_PATH}/users/{{userId}}/timeentries/last"),
            get(v2::last_theirs),
        )
        .route(&format!("{me}/start"), post(tracking::start_mine))
        .route(&format!("{me}/pause"), post(tracking::pause_mine))
        .route(&format!("{me}/resume"), post(tracking::resume_mine))
        .route(&format!("{me}/stop"), post(tracking::stop_mine))
        .route(&format!("{them}/start"), post(tracking::start_theirs))
        .route(&format!("{them}/pause"), post(tracking::pause_theirs))
        .route(&format!("{them}/resume"), post(tracking::resume_theirs))
        .route(&format!("{them}/stop"), post(tracking::stop_theirs))
}

/// axum puts `Allow` on every answer of a route's method fallback, also on
/// the 404 for an id that is not a GUID; awork sends it only with 405, so a
/// 404 must not advertise methods of a route that did not match.
async fn allow_only_on_405(mut response: Response) -> Response {
    if response.status() != StatusCode::METHOD_NOT_ALLOWED {
        response.headers_mut().remove(header::ALLOW);
    }
    response
}

/// 404 for paths the fake does not know.
async fn unknown_route() -> ApiError {
    ApiError::not_found("No route matches this path.")
}

/// 405 for known paths called with another method; the by-id paths have
/// their own fallback, which first answers 404 for ids that are not GUIDs
/// (see [`bookings::other_method`]).
async fn wrong_method() -> ApiError {
    ApiError::method_not_allowed()
}
