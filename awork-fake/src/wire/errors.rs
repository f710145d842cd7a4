//! awork's error body (`ErrorResponse`) and the errors the fake answers with.

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

/// The `code` values the fake puts into error bodies.
pub mod codes {
    /// 400: the request broke the contract or a rule; see `validationErrors`.
    pub const VALIDATION_FAILED: &str = "validation-failed";
    /// 400: the request body could not be read as the expected model.
    pub const INVALID_MODEL: &str = "invalid-model";
    /// 404: unknown id or unknown route.
    pub const NOT_FOUND: &str = "not-found";
    /// 400: `filterby` or `orderby` could not be understood.
    pub const INVALID_FILTER_OR_ORDER: &str = "invalid-filter-or-order";
    /// 401: missing or wrong credentials.
    ///
    /// awork's public error list has no code dedicated to 401; the nearest
    /// documented one is `workspaceid-missing`. The fake uses `unauthorized`, so
    /// clients should decide on the status code, not on this string.
    pub const UNAUTHORIZED: &str = "unauthorized";
    /// 5xx produced by [`crate::Fault::status`].
    pub const SERVER_ERROR: &str = "server-error";
    /// 405: the route exists but not for this HTTP method (fake-specific).
    pub const METHOD_NOT_ALLOWED: &str = "method-not-allowed";
    /// 429 with an awork-style body, see [`crate::RateLimit::error_body`].
    pub const TOO_MANY_REQUESTS: &str = "too-many-requests";
    /// 400: the request is well-formed but not possible in the current state,
    /// e.g. starting a timer while one runs.
    pub const INVALID_OPERATION: &str = "invalid-operation";
    /// 400: a batch route was called with an operation it does not know.
    pub const INVALID_BATCH_OPERATION: &str = "invalid-batch-operation";
    /// 500: the fake's own answer broke awork's contract (a bug of the fake, never
    /// of the client under test); see [`crate::FakeAwork::contract`].
    pub const FAKE_CONTRACT_VIOLATION: &str = "fake-contract-violation";
}

/// The documentation link every error body carries.
pub const ERROR_LINK: &str = "https://developers.awork.com";

/// One broken rule of a request, as listed in `validationErrors`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationError {
    /// The offending property (`isBilled`, `lists[0].listId`), query or path
    /// parameter (`pageSize`), as spelled on the wire.
    pub property: String,
    /// What is wrong with it.
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

/// An error answer that a behaviour or the engine wants to send. The engine writes it
/// as an [`ErrorResponse`] with the request's trace id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status} {code}: {description}")]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: String,
    pub(crate) description: String,
    pub(crate) details: Option<Vec<String>>,
    pub(crate) validation_errors: Option<Vec<ValidationError>>,
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
            "The request is invalid. See the validation errors for details.",
        );
        error.validation_errors = Some(errors);
        error
    }

    /// 400 `validation-failed` for one property.
    pub(crate) fn invalid(property: impl Into<String>, message: impl Into<String>) -> Self {
        Self::validation(vec![ValidationError::new(property, message)])
    }

    /// 400 `invalid-model`: the body is not the model the route expects.
    pub(crate) fn invalid_model(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            codes::INVALID_MODEL,
            "The request body could not be read as a valid model.",
        )
        .with_detail(detail)
    }

    /// 400 `invalid-filter-or-order` explaining what could not be understood.
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

    /// 405 for a known route called with a method it does not serve.
    pub(crate) fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            codes::METHOD_NOT_ALLOWED,
            "This route does not support the HTTP method used.",
        )
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

    /// The body awork sends, for the given trace id.
    pub(crate) fn body(&self, trace_id: &str) -> ErrorResponse {
        ErrorResponse {
            code: self.code.clone(),
            description: self.description.clone(),
            link: ERROR_LINK.to_owned(),
            details: self.details.clone(),
            validation_errors: self.validation_errors.clone(),
            trace_id: trace_id.to_owned(),
        }
    }
}
