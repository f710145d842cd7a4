//! What a request leaves in `tracing`: one `awork.request` span per request with the
//! fields `operation_id`, `method`, `path` (the URL path only), `attempt`, `status` and
//! `trace_id` (awork's `trace-id` answer header, to quote to awork support), and an
//! event for every retry saying why and for how long it waits.
//!
//! Request headers, bodies, query strings and the host are never recorded: the API key
//! or token travels in a header, and query strings carry filters that may hold
//! personal data.

use crate::http::headers;
use reqwest::{Request, Response, StatusCode};
use std::time::Duration;
use tracing::{Span, field};

/// The `awork.request` span: what was called, never who called it or with which data.
pub(crate) fn request_span(operation_id: &'static str, request: &Request) -> Span {
    tracing::info_span!(
        "awork.request",
        operation_id,
        method = %request.method(),
        path = request.url().path(),
        attempt = field::Empty,
        status = field::Empty,
        trace_id = field::Empty,
    )
}

/// Notes on the current span that attempt `number` is being sent.
///
/// This and [`answer`] run on every attempt: the check whether anyone listens is
/// inlined where they are called, and the work behind it is out of line.
#[inline]
pub(crate) fn attempt(number: u32) {
    if tracing::level_enabled!(tracing::Level::INFO) {
        record_attempt(number);
    }
}

#[inline(never)]
fn record_attempt(number: u32) {
    Span::current().record("attempt", number);
}

/// Puts the answer's status and awork's trace id on the current span.
#[inline]
pub(crate) fn answer(response: &Response) {
    if tracing::level_enabled!(tracing::Level::INFO) {
        record_answer(response);
    }
}

#[inline(never)]
fn record_answer(response: &Response) {
    let span = Span::current();
    span.record("status", response.status().as_u16());
    if let Some(trace_id) = headers::text(response.headers(), headers::TRACE_ID) {
        span.record("trace_id", trace_id);
    }
}

/// Notes why the request was not sent again after `attempts`.
pub(crate) fn finished(attempts: u32, stop: &dyn std::fmt::Display) {
    tracing::debug!(attempts, stop = %stop, "awork request finished");
}

/// Logs that attempt `number` failed and the next comes after `wait`. A 429 is awork's
/// normal flow control and logs at debug; other failures log at warn.
pub(crate) fn retrying(result: &reqwest::Result<Response>, number: u32, wait: Duration) {
    let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
    match result {
        Ok(response) if response.status() == StatusCode::TOO_MANY_REQUESTS => {
            tracing::debug!(
                attempt = number,
                status = response.status().as_u16(),
                wait_ms,
                "awork rate limit reached; retrying"
            );
        }
        Ok(response) => tracing::warn!(
            attempt = number,
            status = response.status().as_u16(),
            trace_id = headers::text(response.headers(), headers::TRACE_ID),
            wait_ms,
            "awork answered with a server error; retrying"
        ),
        Err(error) => tracing::warn!(
            attempt = number,
            failure = failure_kind(error),
            wait_ms,
            "awork request failed; retrying"
        ),
    }
}

/// A fixed description of a transport error; reqwest's own message names the URL,
/// whose query string may hold personal data.
fn failure_kind(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "connection failed"
    }
}
