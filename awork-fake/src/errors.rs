//! The awork error body (`ErrorResponse`) and the errors the fake answers with.
//!
//! Handlers return [`ApiError`]; it becomes a response that still lacks its
//! body, because the trace id is only known to the request pipeline. The
//! pipeline calls [`render`] to write the final JSON body with that trace id.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::json::{json_body, mark_json};

/// The `code` values the fake puts into error bodies.
pub mod codes {
    /// 400: the request model broke one or more validation rules; see `validationErrors`.
    pub const VALIDATION_FAILED: &str = "validation-failed";
    /// 400: the request body could not be read as the expected JSON model.
    pub const INVALID_MODEL: &str = "invalid-model";
    /// 404: unknown id or unknown route.
    pub const NOT_FOUND: &str = "not-found";
    /// 400: `filterby` or `orderby` could not be understood.
    pub const INVALID_FILTER_OR_ORDER: &str = "invalid-filter-or-order";
    /// 401: missing or wrong API key.
    ///
    /// awork's public error list has no code dedicated to 401; the nearest
    /// documented one is `workspaceid-missing` ("most likely, your token is
    /// invalid"). The fake uses `unauthorized`, so clients should decide on the
    /// status code, not on this string.
    pub const UNAUTHORIZED: &str = "unauthorized";
    /// 5xx produced by [`crate::Fault::status`].
    pub const SERVER_ERROR: &str = "server-error";
    /// 405: the route exists but not for this HTTP method (fake-specific).
    pub const METHOD_NOT_ALLOWED: &str = "method-not-allowed";
    /// 429 with an awork-style body, see [`crate::RateLimit::error_body`].
    pub const TOO_MANY_REQUESTS: &str = "too-many-requests";
    /// 400: the request is well-formed but not possible in the current
    /// state, e.g. starting a timer while one runs.
    pub const INVALID_OPERATION: &str = "invalid-operation";
    /// 400: a batch route was called with an operation it does not know.
    pub const INVALID_BATCH_OPERATION: &str = "invalid-batch-operation";
}

/// The documentation link every error body carries.
pub const ERROR_LINK: &str = "https://developers.awork.com";

/// One broken rule of a request model, as listed in `validationErrors`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationError {
    /// Name of the offending property or query parameter (as spelled in JSON, e.g. `pageSize`).
    pub property: String,
    /// Human-readable explanation.
    pub message: String,
}

impl ValidationError {
    /// Builds a validation error for `property`.
    pub fn new(property: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            property: property.into(),
            message: message.into(),
        }
    }
}

/// The JSON body of every error answer (awork's `ErrorResponse`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorResponse {
    /// Machine-readable error code, see [`codes`].
    pub code: String,
    /// Human-readable description.
    pub description: String,
    /// Link to the API documentation.
    pub link: String,
    /// Optional extra hints.
    pub details: Option<Vec<String>>,
    /// Per-property problems; only set for `validation-failed`.
    pub validation_errors: Option<Vec<ValidationError>>,
    /// Same value as the `trace-id` response header.
    pub trace_id: String,
}

/// An error answer that a handler or the pipeline wants to send.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{status} {code}: {description}")]
pub(crate) struct ApiError {
    status: StatusCode,
    code: String,
    description: String,
    details: Option<Vec<String>>,
    validation_errors: Option<Vec<ValidationError>>,
}

impl ApiError {
    /// A generic error with the given status and code.
    pub(crate) fn new(status: StatusCode, code: &str, description: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_owned(),
            description: description.into(),
            details: None,
            validation_errors: None,
        }
    }

    /// Adds one line to `details`.
    pub(crate) fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.details
            .get_or_insert_with(Vec::new)
            .push(detail.into());
        self
    }

    /// 400 `validation-failed` listing every broken rule.
    pub(crate) fn validation(errors: Vec<ValidationError>) -> Self {
        let mut error = Self::new(
            StatusCode::BAD_REQUEST,
            codes::VALIDATION_FAILED,
            "The model sent in the request is invalid. See the validation errors for details.",
        );
        error.validation_errors = Some(errors);
        error
    }

    /// 400 `invalid-model`: the body is not the JSON the route expects.
    pub(crate) fn invalid_model(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            codes::INVALID_MODEL,
            "The request body could not be read as a valid model.",
        )
        .with_detail(detail)
    }

    /// 400 `invalid-filter-or-order` explaining what could not be parsed.
    pub(crate) fn invalid_filter(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            codes::INVALID_FILTER_OR_ORDER,
            "The filter or order expression is invalid.",
        )
        .with_detail(detail)
    }

    /// 404 `not-found`.
    pub(crate) fn not_found(what: impl Into<String>) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            codes::NOT_FOUND,
            "The requested resource could not be located.",
        )
        .with_detail(what)
    }

    /// 400 `invalid-operation`: not possible in the current state.
    pub(crate) fn invalid_operation(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            codes::INVALID_OPERATION,
            "The operation is not possible in the current state.",
        )
        .with_detail(detail)
    }

    /// 401 `unauthorized`.
    pub(crate) fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            codes::UNAUTHORIZED,
            "The request is not authenticated. Send a valid API key as bearer token.",
        )
        .with_detail(detail)
    }

    /// 405 for a known route called with an unsupported method.
    pub(crate) fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            codes::METHOD_NOT_ALLOWED,
            "This route does not support the HTTP method used.",
        )
    }

    /// The error code (for unit tests).
    #[cfg(test)]
    pub(crate) fn code(&self) -> &str {
        &self.code
    }

    /// The properties named in `validationErrors` (for unit tests).
    #[cfg(test)]
    pub(crate) fn invalid_properties(&self) -> Vec<&str> {
        self.validation_errors
            .iter()
            .flatten()
            .map(|error| error.property.as_str())
            .collect()
    }

    /// Builds the final body for the given trace id.
    fn into_body(self, trace_id: &str) -> ErrorResponse {
        ErrorResponse {
            code: self.code,
            description: self.description,
            link: ERROR_LINK.to_owned(),
            details: self.details,
            validation_errors: self.validation_errors,
            trace_id: trace_id.to_owned(),
        }
    }
}

/// Marker stored in a response's extensions until [`render`] writes the body.
#[derive(Debug, Clone)]
struct PendingError(ApiError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(PendingError(self));
        response
    }
}

/// Writes the JSON body of a pending [`ApiError`], if the response carries
/// one; the status and any headers already set are kept.
pub(crate) fn render(response: Response, trace_id: &str) -> Response {
    let (mut parts, body) = response.into_parts();
    let Some(PendingError(error)) = parts.extensions.remove::<PendingError>() else {
        return Response::from_parts(parts, body);
    };
    mark_json(&mut parts.headers);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, json_body(&error.into_body(trace_id)))
}
