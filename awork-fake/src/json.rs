//! Building JSON responses.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Serialize;

/// The content type of every JSON answer.
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// Serializes `value` into a response with the given status.
pub(crate) fn json_response<T: Serialize>(status: StatusCode, value: &T) -> Response {
    let mut response = Response::new(json_body(value));
    *response.status_mut() = status;
    mark_json(response.headers_mut());
    response
}

/// Serializes `value` into a body.
pub(crate) fn json_body<T: Serialize>(value: &T) -> Body {
    Body::from(serde_json::to_vec(value).expect("fake models always serialize"))
}

/// Sets the JSON content type.
pub(crate) fn mark_json(headers: &mut HeaderMap) {
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
}
