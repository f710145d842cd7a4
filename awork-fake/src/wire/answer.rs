//! What a behaviour answers: a status, headers and a body that stays a JSON value until
//! the engine has checked it against the contract and writes it out.

use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;

use super::ApiError;

/// The content type of every JSON answer.
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// Header with the 1-based page number that was served.
pub const PAGE_HEADER: &str = "aw-page";
/// Header with the page size that was asked for.
pub const PAGE_SIZE_HEADER: &str = "aw-pagesize";
/// Header with the number of items in this page.
pub const ITEMS_HEADER: &str = "aw-items";
/// Header with the number of items matching the filter across all pages.
pub const TOTAL_ITEMS_HEADER: &str = "aw-totalitems";

/// The paging facts of one list answer, sent as the `aw-*` headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageInfo {
    /// The 1-based page served.
    pub page: u32,
    /// The page size asked for.
    pub page_size: u32,
    /// Items in this page.
    pub items: usize,
    /// Items matching the filter over all pages.
    pub total: usize,
}

/// The body of an answer.
#[derive(Debug, Clone)]
pub(crate) enum AnswerBody {
    /// No body (204, 202, a 200 that awork leaves empty).
    Empty,
    /// A JSON document.
    Json(Value),
    /// Bytes of a file, with their content type.
    Bytes { content_type: String, bytes: Bytes },
    /// awork's error body, written with the request's trace id.
    Error(ApiError),
}

/// One answer, before the engine stamps trace headers and writes it.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: AnswerBody,
}

impl Answer {
    /// A JSON answer.
    pub(crate) fn json(status: StatusCode, value: Value) -> Self {
        Self::with_body(status, AnswerBody::Json(value))
    }

    /// 200 with `value` serialized.
    ///
    /// # Panics
    /// When `value` does not serialize (the fake's own models always do).
    pub(crate) fn ok<T: Serialize>(value: &T) -> Self {
        let value = serde_json::to_value(value).expect("the fake's models serialize");
        Self::json(StatusCode::OK, value)
    }

    /// An answer without a body.
    pub(crate) fn empty(status: StatusCode) -> Self {
        Self::with_body(status, AnswerBody::Empty)
    }

    /// A file's bytes.
    pub(crate) fn bytes(status: StatusCode, content_type: &str, bytes: Bytes) -> Self {
        Self::with_body(
            status,
            AnswerBody::Bytes {
                content_type: content_type.to_owned(),
                bytes,
            },
        )
    }

    /// An error answer.
    pub(crate) fn error(error: ApiError) -> Self {
        Self::with_body(error.status, AnswerBody::Error(error))
    }

    fn with_body(status: StatusCode, body: AnswerBody) -> Self {
        Self {
            status,
            headers: HeaderMap::new(),
            body,
        }
    }

    /// Adds a header; values that are not valid header text are skipped.
    pub(crate) fn header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(value) = HeaderValue::from_str(value) {
            self.headers.insert(name, value);
        }
        self
    }

    /// Adds the `aw-*` paging headers.
    pub(crate) fn paged(mut self, page: PageInfo) -> Self {
        let values = [
            (PAGE_HEADER, page.page as usize),
            (PAGE_SIZE_HEADER, page.page_size as usize),
            (ITEMS_HEADER, page.items),
            (TOTAL_ITEMS_HEADER, page.total),
        ];
        for (name, value) in values {
            self.headers
                .insert(HeaderName::from_static(name), HeaderValue::from(value));
        }
        self
    }
}

impl From<ApiError> for Answer {
    fn from(error: ApiError) -> Self {
        Self::error(error)
    }
}
