//! What happens around every request: logging, counting, trace headers,
//! faults, authentication (except on the OAuth routes) and rendering of error bodies.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth;
use crate::errors;
use crate::faults::{Fault, short_circuit, transform};
use crate::oauth::ANONYMOUS_ROUTES;
use crate::routes::BASE_PATH;
use crate::state::{AppState, lock};
use crate::trace::TraceContext;

/// The middleware wrapped around every route and the fallbacks.
pub(crate) async fn pipeline(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    lock(&state.requests).record(&request);
    let trace = TraceContext::new(state.next_sequence());
    lock(&state.counters).record(request.method().as_str(), &route_of(&request));
    let fault = lock(&state.faults).take(request.method(), request.uri().path());
    if let Some(fault) = &fault {
        tracing::debug!(method = %request.method(), path = request.uri().path(), ?fault, "injecting fault");
    }
    wait_for(fault.as_ref()).await;
    let anonymous = is_anonymous(&route_of(&request));
    let response = match fault.as_ref().and_then(short_circuit) {
        Some(response) => response,
        None if anonymous => next.run(request).await,
        None => authenticate_and_run(&state, request, next).await,
    };
    let mut response = errors::render(response, &trace.trace_id);
    if let Some(fault) = &fault {
        response = transform(fault, response).await;
    }
    trace.stamp(&mut response);
    response
}

/// The route template the request matched, or its literal path for unknown routes.
fn route_of(request: &Request) -> String {
    request
        .extensions()
        .get::<MatchedPath>()
        .map(MatchedPath::as_str)
        .filter(|template| !template.contains("__private__"))
        .unwrap_or_else(|| request.uri().path())
        .to_owned()
}

/// Whether `route` is one of the OAuth routes that take no bearer credential.
fn is_anonymous(route: &str) -> bool {
    route
        .strip_prefix(BASE_PATH)
        .is_some_and(|rest| ANONYMOUS_ROUTES.contains(&rest))
}

/// Sleeps for the fault's latency, if it has one.
async fn wait_for(fault: Option<&Fault>) {
    if let Some(delay) = fault.and_then(Fault::delay) {
        tokio::time::sleep(delay).await;
    }
}

/// Rejects requests without the right key; runs the route otherwise.
async fn authenticate_and_run(state: &AppState, request: Request, next: Next) -> Response {
    match auth::check(request.headers(), state) {
        Ok(()) => next.run(request).await,
        Err(error) => error.into_response(),
    }
}
