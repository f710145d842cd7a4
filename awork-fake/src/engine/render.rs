//! Writing an [`Answer`] as an HTTP response.

use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::Response;

use crate::wire::{Answer, AnswerBody, JSON_CONTENT_TYPE};

/// The response for `answer`; an error body gets `trace_id`.
pub(crate) fn render(answer: Answer, trace_id: &str) -> Response {
    let (body, content_type) = match answer.body {
        AnswerBody::Empty => (Body::empty(), None),
        AnswerBody::Json(value) => (json(&value), Some(JSON_CONTENT_TYPE.to_owned())),
        AnswerBody::Error(error) => (
            json(&error.body(trace_id)),
            Some(JSON_CONTENT_TYPE.to_owned()),
        ),
        AnswerBody::Bytes {
            content_type,
            bytes,
        } => (Body::from(bytes), Some(content_type)),
    };
    let mut response = Response::new(body);
    *response.status_mut() = answer.status;
    *response.headers_mut() = answer.headers;
    if let Some(value) = content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

fn json<T: serde::Serialize>(value: &T) -> Body {
    Body::from(serde_json::to_vec(value).expect("answers serialize"))
}
