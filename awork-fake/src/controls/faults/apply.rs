//! Turning a fault into a response, or into a change of the real response.

use axum::body::{Body, Bytes, to_bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header, response::Parts};
use axum::response::Response;
use chrono::{DateTime, SubsecRound, Utc};
use serde_json::{Map, Value};

use super::{Fault, FaultAction, RateLimit, RetryAfter};
use crate::wire::{Answer, ApiError, codes};

/// What a malformed body looks like: an HTML error page from a proxy.
const MALFORMED_BODY: &str = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>";

/// The body an API gateway sends with a 429.
const GATEWAY_RATE_LIMIT_MESSAGE: &str = "API rate limit exceeded";

/// The answer for faults that replace the handler, or `None` when the handler should run.
pub(crate) fn short_circuit(fault: &Fault) -> Option<Answer> {
    match fault.action() {
        FaultAction::RateLimited(limit) => Some(rate_limited_answer(limit)),
        FaultAction::Error { status, code } => Some(Answer::error(ApiError::new(
            *status,
            code,
            "The fake server was told to fail this request.",
        ))),
        _ => None,
    }
}

/// Applies faults that damage the handler's real response.
pub(crate) async fn transform(fault: &Fault, response: Response) -> Response {
    match fault.action() {
        FaultAction::TruncateBody => rewrite_body(response, truncate).await,
        FaultAction::MalformedBody => {
            rewrite_body(response, |_| Bytes::from_static(MALFORMED_BODY.as_bytes())).await
        }
        FaultAction::Mutate { patch, deep } => {
            rewrite_body(response, |bytes| mutate_json(bytes, patch, *deep)).await
        }
        _ => response,
    }
}

/// Builds the 429 answer.
fn rate_limited_answer(limit: &RateLimit) -> Answer {
    let mut answer = if limit.error_body {
        Answer::error(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            codes::TOO_MANY_REQUESTS,
            "The rate limit of the workspace has been reached.",
        ))
    } else {
        let body = serde_json::json!({ "message": GATEWAY_RATE_LIMIT_MESSAGE });
        Answer::json(StatusCode::TOO_MANY_REQUESTS, body)
    };
    add_rate_limit_headers(&mut answer.headers, limit);
    answer
}

/// Writes the `ratelimit-*`, `x-ratelimit-*` and optional `Retry-After` headers.
fn add_rate_limit_headers(headers: &mut HeaderMap, limit: &RateLimit) {
    let numbers = [
        ("ratelimit-limit", u64::from(limit.limit_second)),
        ("ratelimit-remaining", 0),
        ("ratelimit-reset", limit.reset_secs),
        ("x-ratelimit-limit-second", u64::from(limit.limit_second)),
        ("x-ratelimit-remaining-second", 0),
        ("x-ratelimit-limit-minute", u64::from(limit.limit_minute)),
        (
            "x-ratelimit-remaining-minute",
            u64::from(limit.remaining_minute),
        ),
    ];
    for (name, value) in numbers {
        headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
    }
    if let Some(retry_after) = &limit.retry_after {
        let value = HeaderValue::from_str(&retry_after_value(retry_after))
            .expect("Retry-After values are ASCII");
        headers.insert(header::RETRY_AFTER, value);
    }
}

/// The text of a `Retry-After` header.
fn retry_after_value(retry_after: &RetryAfter) -> String {
    match retry_after {
        RetryAfter::Seconds(seconds) => seconds.to_string(),
        RetryAfter::HttpDate(at) => http_date(*at),
        RetryAfter::HttpDateIn(delay) => http_date(seconds_from_now(*delay)),
    }
}

/// The wall-clock moment `delay` from now, rounded up to a whole second.
fn seconds_from_now(delay: std::time::Duration) -> DateTime<Utc> {
    let at = Utc::now() + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::MAX);
    let whole = at.trunc_subsecs(0);
    if whole < at {
        whole + chrono::Duration::seconds(1)
    } else {
        whole
    }
}

/// Formats an IMF-fixdate, e.g. `Wed, 01 May 2024 10:00:00 GMT`.
pub(crate) fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// Replaces the body through `change`, keeping status and headers (except the length).
async fn rewrite_body(response: Response, change: impl FnOnce(Bytes) -> Bytes) -> Response {
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    with_body(parts, change(bytes))
}

/// Reassembles a response; the length header is recomputed by the server.
fn with_body(mut parts: Parts, bytes: Bytes) -> Response {
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}

/// The first half of the bytes.
fn truncate(bytes: Bytes) -> Bytes {
    bytes.slice(..bytes.len() / 2)
}

/// Merges `patch` into the objects of a JSON document; non-JSON is returned unchanged.
fn mutate_json(bytes: Bytes, patch: &Map<String, Value>, deep: bool) -> Bytes {
    let Ok(mut document) = serde_json::from_slice::<Value>(&bytes) else {
        return bytes;
    };
    if deep {
        merge_everywhere(&mut document, patch);
    } else {
        merge_top_level(&mut document, patch);
    }
    Bytes::from(serde_json::to_vec(&document).expect("a JSON value serializes"))
}

/// Merges into the top-level object, or into each object of a top-level array.
fn merge_top_level(document: &mut Value, patch: &Map<String, Value>) {
    match document {
        Value::Object(object) => merge_into(object, patch),
        Value::Array(items) => items
            .iter_mut()
            .filter_map(Value::as_object_mut)
            .for_each(|object| merge_into(object, patch)),
        _ => {}
    }
}

/// Merges into every object at any depth (children first, so patched-in values stay as given).
fn merge_everywhere(value: &mut Value, patch: &Map<String, Value>) {
    match value {
        Value::Object(object) => {
            object
                .values_mut()
                .for_each(|child| merge_everywhere(child, patch));
            merge_into(object, patch);
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| merge_everywhere(item, patch)),
        _ => {}
    }
}

/// Copies every property of `patch` into `object`, overwriting.
fn merge_into(object: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (key, value) in patch {
        object.insert(key.clone(), value.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn patch() -> Map<String, Value> {
        json!({"extra": 1, "duration": "weird"})
            .as_object()
            .unwrap()
            .clone()
    }

    #[test]
    fn deep_merge_reaches_nested_objects() {
        let body = Bytes::from(r#"[{"userId":"u","timeBookings":[{"duration":5}]}]"#);
        let merged: Value = serde_json::from_slice(&mutate_json(body, &patch(), true)).unwrap();
        assert_eq!(merged[0]["extra"], 1);
        assert_eq!(merged[0]["timeBookings"][0]["duration"], "weird");
    }

    #[test]
    fn top_level_merge_leaves_nested_objects() {
        let body = Bytes::from(r#"[{"timeBookings":[{"duration":5}]}]"#);
        let merged: Value = serde_json::from_slice(&mutate_json(body, &patch(), false)).unwrap();
        assert_eq!(merged[0]["extra"], 1);
        assert_eq!(merged[0]["timeBookings"][0]["duration"], 5);
    }

    #[test]
    fn non_json_is_left_alone_and_truncation_halves() {
        assert_eq!(mutate_json(Bytes::new(), &patch(), true), Bytes::new());
        assert_eq!(truncate(Bytes::from("[1,2]")), Bytes::from("[1"));
    }

    #[test]
    fn http_dates_use_imf_fixdate() {
        let at = DateTime::parse_from_rfc3339("2024-05-01T10:00:02Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(http_date(at), "Wed, 01 May 2024 10:00:02 GMT");
    }
}
