//! The URL layout of the fake.

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::get;

use crate::bookings;
use crate::errors::ApiError;
use crate::pipeline::pipeline;
use crate::state::AppState;
use crate::users;

/// The path every route lives under.
pub const BASE_PATH: &str = "/api/v1";

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
                get(bookings::get_one)
                    .put(bookings::update)
                    .delete(bookings::delete),
            )
            .route(&format!("{BASE_PATH}/users/{family}"), get(users::range));
    }
    router
        .fallback(unknown_route)
        .method_not_allowed_fallback(wrong_method)
        .layer(from_fn_with_state(state.clone(), pipeline))
        .with_state(state)
}

/// 404 for paths the fake does not know.
async fn unknown_route() -> ApiError {
    ApiError::not_found("No route matches this path.")
}

/// 405 for known paths called with another method.
async fn wrong_method() -> ApiError {
    ApiError::method_not_allowed()
}
