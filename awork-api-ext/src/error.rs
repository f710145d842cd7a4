//! One error type for everything that can go wrong talking to awork.
//!
//! The generated client reports failures in several shapes (a typed error body, an
//! unexpected status with the raw response, a body that did not decode, a transport
//! error). [`Error`] folds them into the cases a caller acts on differently: fix the
//! input, read what awork said, wait for the rate limit, retry later, or report a bug.
//! Nothing is lost on the way: status, awork's error code and texts, per-field
//! validation errors and the ids awork asks you to quote (`Trace-Id`, `X-Edge-Ref`).
//!
//! No variant ever holds the API key or an OAuth secret: requests are not kept, the
//! credentials only ever travel in headers marked sensitive (or in form bodies this
//! crate never quotes), and token answers are never excerpted.

use crate::http::headers;
use crate::http::retry::{NamedWait, named_wait};
use awork_api::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;
use std::fmt;
use std::time::{Duration, SystemTime};

/// Everything that can go wrong; [`Display`](fmt::Display) gives one line that says what
/// to fix, and [`source`](std::error::Error::source) leads to the underlying failure
/// (the HTTP stack's or the JSON decoder's) where there is one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input was rejected before any request was sent.
    #[error("invalid {field}: {problem}")]
    Validation {
        /// The field (or parameter) that is wrong, e.g. `duration` or `end_date`.
        field: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The client could not be built (no API key, bad base URL, …).
    #[error("cannot build the awork client: {0}")]
    Config(String),
    /// awork answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// awork kept answering 429 until the retry policy gave up.
    #[error("{0}")]
    RateLimited(Box<RateLimited>),
    /// No answer in time.
    #[error("request to awork timed out{}", attempts_note(*attempts))]
    Timeout {
        /// Attempts made, when the request went through this crate's transport.
        attempts: Option<u32>,
        /// The HTTP stack's error, with the URL removed.
        #[source]
        source: reqwest::Error,
    },
    /// The connection failed (DNS, refused, reset, TLS).
    #[error("cannot reach awork ({}){}", connection_kind(source), attempts_note(*attempts))]
    Connection {
        /// Attempts made, when the request went through this crate's transport.
        attempts: Option<u32>,
        /// The HTTP stack's error, with the URL removed.
        #[source]
        source: reqwest::Error,
    },
    /// awork answered, but the body could not be read as the expected type.
    #[error("cannot decode awork's answer{}: {message} (body starts: {excerpt:?})", status.map(|s| format!(" ({s})")).unwrap_or_default())]
    Decode {
        /// The HTTP status, when known.
        status: Option<StatusCode>,
        /// Why decoding failed.
        message: String,
        /// The first bytes of the body (at most [`EXCERPT_CHARS`] characters).
        excerpt: String,
        /// The decoder's error, when there is one.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// A paged listing did not end: the server kept sending pages past every bound
    /// (see [`PageOptions::max_requests`](crate::paging::PageOptions::max_requests)).
    #[error("listing did not end after {requests} page requests: {problem}")]
    Paging {
        /// Page requests sent before giving up.
        requests: u32,
        /// What the walk saw, and what to change.
        problem: String,
    },
    /// Signing in with OAuth, or keeping the sign-in fresh, failed; the request (if
    /// any) was not sent, or was answered 401 and could not be renewed.
    #[error("awork sign-in: {0}")]
    Auth(#[from] crate::auth::AuthError),
    /// A failure reported by a hook of the generated client.
    #[error("awork request failed: {0}")]
    Other(String),
    /// A local file could not be written (a download saved to disk).
    #[error("{action} {}: {source}", path.display())]
    File {
        /// What failed, e.g. "cannot write".
        action: &'static str,
        /// The file.
        path: std::path::PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// How much of an undecodable body an error keeps.
pub const EXCERPT_CHARS: usize = 200;

/// A fixed description of a connection failure; the details are in the source.
fn connection_kind(error: &reqwest::Error) -> &'static str {
    if error.is_connect() {
        "could not connect"
    } else if broke_off(error) {
        "the answer broke off"
    } else {
        "connection failed"
    }
}

/// Whether the body stopped before its end. reqwest reports a streamed body (a
/// download) that broke off as a decode error around the body error.
fn broke_off(error: &reqwest::Error) -> bool {
    error.is_body()
        || std::error::Error::source(error)
            .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
            .is_some_and(reqwest::Error::is_body)
}

fn attempts_note(attempts: Option<u32>) -> String {
    match attempts {
        Some(n) if n > 1 => format!(" after {n} attempts"),
        _ => String::new(),
    }
}

/// One property awork rejected, from the error body's `validationErrors`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FieldError {
    /// The property as awork names it (may be absent).
    #[serde(default)]
    pub property: Option<String>,
    /// Why awork rejected it (may be absent).
    #[serde(default)]
    pub message: Option<String>,
}

/// awork's answer to a failed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// awork's machine-readable code, e.g. `not-found`, `validation-failed`.
    pub code: Option<String>,
    /// awork's explanation.
    pub description: Option<String>,
    /// Extra hints awork gave.
    pub details: Vec<String>,
    /// Per-property validation failures.
    pub validation_errors: Vec<FieldError>,
    /// The `Trace-Id` response header (or the body's `traceId`): quote it to awork support.
    pub trace_id: Option<String>,
    /// The `X-Edge-Ref` response header: quote it together with the trace id.
    pub edge_ref: Option<String>,
    /// How many attempts were made, when the request went through this crate's
    /// transport.
    pub attempts: Option<u32>,
    /// All headers of the answer.
    pub headers: HeaderMap,
}

/// awork's error body, read leniently: every field optional, unknown fields ignored.
#[doc(hidden)]
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    // OAuth answers (RFC 6749, RFC 7591) name the same two fields differently.
    #[serde(alias = "error")]
    code: Option<String>,
    #[serde(alias = "error_description")]
    description: Option<String>,
    #[serde(default)]
    details: Option<Vec<String>>,
    #[serde(default)]
    validation_errors: Option<Vec<FieldError>>,
    trace_id: Option<String>,
}

/// The error bodies the generated clients decode (`Error<E>`'s `E`), read straight
/// into [`ApiError`]'s fields.
pub trait TypedErrorBody {
    #[doc(hidden)]
    fn into_error_body(self) -> ErrorBody;
}

impl TypedErrorBody for () {
    fn into_error_body(self) -> ErrorBody {
        ErrorBody::default()
    }
}

/// awork's `ErrorResponse`, which v1 and v2 each generate as a type of their own.
macro_rules! typed_error_body {
    ($($(#[$cfg:meta])* $ty:ty),*) => {$(
        $(#[$cfg])*
        impl TypedErrorBody for $ty {
            fn into_error_body(self) -> ErrorBody {
                ErrorBody {
                    code: Some(self.code),
                    description: Some(self.description),
                    details: self.details,
                    validation_errors: self.validation_errors.map(|list| {
                        list.into_iter()
                            .map(|v| FieldError {
                                property: v.property,
                                message: v.message,
                            })
                            .collect()
                    }),
                    trace_id: self.trace_id,
                }
            }
        }
    )*};
}

typed_error_body!(
    awork_api::types::ErrorResponse,
    #[cfg(feature = "v2")]
    awork_api::v2::types::ErrorResponse
);

impl ApiError {
    /// Builds the error from a status, the response headers and the raw body.
    pub fn from_parts(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Self {
        let parsed: ErrorBody = serde_json::from_slice(body).unwrap_or_default();
        Self::from_body(status, headers, parsed)
    }

    fn from_body(status: StatusCode, headers: &HeaderMap, body: ErrorBody) -> Self {
        Self {
            status,
            code: body.code,
            description: body.description,
            details: body.details.unwrap_or_default(),
            validation_errors: body.validation_errors.unwrap_or_default(),
            trace_id: headers::text(headers, headers::TRACE_ID)
                .map(str::to_string)
                .or(body.trace_id),
            edge_ref: headers::text(headers, headers::EDGE_REF).map(str::to_string),
            attempts: None,
            headers: headers.clone(),
        }
    }

    /// True for 404 (awork's `not-found`).
    pub fn is_not_found(&self) -> bool {
        self.status == StatusCode::NOT_FOUND
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "awork answered {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(description) = &self.description {
            write!(f, ": {description}")?;
        }
        for e in &self.validation_errors {
            let property = e.property.as_deref().unwrap_or("?");
            write!(
                f,
                "; {property}: {}",
                e.message.as_deref().unwrap_or("invalid")
            )?;
        }
        if !self.details.is_empty() {
            write!(f, " ({})", self.details.join("; "))?;
        }
        if let Some(n) = self.attempts.filter(|n| *n > 1) {
            write!(f, " after {n} attempts")?;
        }
        write_ids(f, self.trace_id.as_deref(), self.edge_ref.as_deref())
    }
}

fn write_ids(
    f: &mut fmt::Formatter<'_>,
    trace_id: Option<&str>,
    edge_ref: Option<&str>,
) -> fmt::Result {
    match (trace_id, edge_ref) {
        (Some(t), Some(e)) => write!(f, " [trace-id {t}, x-edge-ref {e}]"),
        (Some(t), None) => write!(f, " [trace-id {t}]"),
        (None, Some(e)) => write!(f, " [x-edge-ref {e}]"),
        (None, None) => Ok(()),
    }
}

/// awork's rate limit was hit and the retry policy ran out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimited {
    /// How long awork asked to wait (`Retry-After` in seconds, else `ratelimit-reset`).
    pub retry_after: Option<Duration>,
    /// The moment awork asked to wait for, when `Retry-After` was a date. Kept as a
    /// moment: turning it into a wait needs a clock, and the error reads none.
    pub retry_at: Option<SystemTime>,
    /// The `ratelimit-limit` header: requests allowed in the window.
    pub limit: Option<u64>,
    /// The `ratelimit-remaining` header.
    pub remaining: Option<u64>,
    /// The rest of awork's answer.
    pub api: ApiError,
}

impl fmt::Display for RateLimited {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rate limited by awork (429)")?;
        if let Some(n) = self.api.attempts {
            write!(f, " after {n} attempt{}", if n == 1 { "" } else { "s" })?;
        }
        if let Some(wait) = self.retry_after {
            write!(f, "; awork asked to wait {} s", wait.as_secs())?;
        }
        if let Some(at) = self.retry_at {
            write!(
                f,
                "; awork asked to wait until {}",
                httpdate::fmt_http_date(at)
            )?;
        }
        if let Some(limit) = self.limit {
            write!(f, "; limit {limit}")?;
        }
        write_ids(
            f,
            self.api.trace_id.as_deref(),
            self.api.edge_ref.as_deref(),
        )
    }
}

impl Error {
    /// awork answered with something this crate cannot represent (a missing field, an
    /// impossible value); there is no body excerpt or decoder error to keep.
    pub(crate) fn undecodable(message: impl Into<String>) -> Self {
        Error::Decode {
            status: None,
            message: message.into(),
            excerpt: String::new(),
            source: None,
        }
    }

    /// A validation error for `field`.
    pub fn validation(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Error::Validation {
            field: field.into(),
            problem: problem.into(),
        }
    }

    /// A local file that could not be written.
    pub(crate) fn file(
        action: &'static str,
        path: &std::path::Path,
        source: std::io::Error,
    ) -> Self {
        Error::File {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// Builds the right variant for an error status.
    pub fn from_status(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Self {
        Self::from_api(status, headers, ApiError::from_parts(status, headers, body))
    }

    fn from_api(status: StatusCode, headers: &HeaderMap, api: ApiError) -> Self {
        if status == StatusCode::TOO_MANY_REQUESTS {
            let named = named_wait(headers);
            return Error::RateLimited(Box::new(RateLimited {
                retry_after: match named {
                    Some(NamedWait::For(wait)) => Some(wait),
                    _ => None,
                },
                retry_at: match named {
                    Some(NamedWait::Until(at)) => Some(at),
                    _ => None,
                },
                limit: headers::number(headers, headers::RATELIMIT_LIMIT),
                remaining: headers::number(headers, headers::RATELIMIT_REMAINING),
                api,
            }));
        }
        Error::Api(Box::new(api))
    }

    /// Converts an error of the generated client, reading the body of an unexpected
    /// response (which is why this is `async`). The attempt count is unknown here;
    /// this crate's own calls add it.
    pub async fn from_generated<E: TypedErrorBody>(error: awork_api::Error<E>) -> Self {
        use awork_api::Error as G;
        match error {
            G::InvalidRequest(message) => Error::validation("request", message),
            G::CommunicationError(e) | G::ResponseBodyError(e) | G::InvalidUpgrade(e) => {
                Self::from_reqwest(e)
            }
            G::ErrorResponse(value) => Self::from_typed_error(value),
            G::InvalidResponsePayload(bytes, e) => Error::Decode {
                status: None,
                message: e.to_string(),
                excerpt: excerpt(&bytes),
                source: Some(Box::new(e)),
            },
            G::UnexpectedResponse(response) if response.status().is_success() => {
                Self::unlisted_success(response).await
            }
            G::UnexpectedResponse(response) => Self::from_response(response).await,
            G::Custom(message) => Error::Other(message),
        }
    }

    /// A 2xx the operation's one answer type does not cover. Without a body it is
    /// awork's "nothing to return" (204) on the operations that may answer so.
    async fn unlisted_success(response: reqwest::Response) -> Self {
        let status = response.status();
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(e) => return Self::from_reqwest(e),
        };
        let message = if body.is_empty() {
            "the answer has no body where this operation returns one; awork answers so when \
             there is nothing to return: use .call_optional() to get None instead"
                .to_string()
        } else {
            format!("awork answered {status}, which its document does not list for this operation")
        };
        Error::Decode {
            status: Some(status),
            message,
            excerpt: excerpt(&body),
            source: None,
        }
    }

    /// Reads an error response's body and builds the matching variant.
    pub async fn from_response(response: reqwest::Response) -> Self {
        let status = response.status();
        let headers = response.headers().clone();
        match response.bytes().await {
            Ok(body) => Self::from_status(status, &headers, &body),
            Err(e) => Self::from_reqwest(e),
        }
    }

    fn from_typed_error<E: TypedErrorBody>(value: ResponseValue<E>) -> Self {
        let status = value.status();
        let headers = value.headers().clone();
        let api = ApiError::from_body(status, &headers, value.into_inner().into_error_body());
        Self::from_api(status, &headers, api)
    }

    /// Classifies a transport error, keeping it as the source with its URL removed
    /// (query strings can carry filters with personal data).
    pub fn from_reqwest(error: reqwest::Error) -> Self {
        let error = error.without_url();
        if error.is_timeout() {
            return Error::Timeout {
                attempts: None,
                source: error,
            };
        }
        if error.is_decode() && !broke_off(&error) {
            return Error::Decode {
                status: error.status(),
                message: error.to_string(),
                excerpt: String::new(),
                source: Some(Box::new(error)),
            };
        }
        Error::Connection {
            attempts: None,
            source: error,
        }
    }

    /// Records how many attempts the request took, on the variants that report it.
    #[must_use]
    pub(crate) fn with_attempts(mut self, count: Option<u32>) -> Self {
        let Some(count) = count else { return self };
        match &mut self {
            Error::Api(api) => api.attempts = Some(count),
            Error::RateLimited(limited) => limited.api.attempts = Some(count),
            Error::Timeout { attempts, .. } | Error::Connection { attempts, .. } => {
                *attempts = Some(count);
            }
            _ => {}
        }
        self
    }

    /// How many attempts the request took, when known.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Api(api) => api.attempts,
            Error::RateLimited(limited) => limited.api.attempts,
            Error::Timeout { attempts, .. } | Error::Connection { attempts, .. } => *attempts,
            _ => None,
        }
    }

    /// The HTTP status awork answered with, if it answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::RateLimited(r) => Some(r.api.status),
            Error::Decode { status, .. } => *status,
            _ => None,
        }
    }

    /// awork's error code (`not-found`, `validation-failed`, …), if it sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.code.as_deref(),
            Error::RateLimited(r) => r.api.code.as_deref(),
            _ => None,
        }
    }

    /// True when awork said the thing does not exist.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }
}

impl From<crate::dates::DateError> for Error {
    /// A bad date or range is a validation error of the `dates` field.
    fn from(e: crate::dates::DateError) -> Self {
        Error::validation("dates", e.to_string())
    }
}

impl From<crate::duration::DurationError> for Error {
    /// A duration awork cannot carry is a validation error of the `duration` field.
    fn from(e: crate::duration::DurationError) -> Self {
        Error::validation("duration", e.to_string())
    }
}

/// Awaits a request of the generated client, counting its attempts, and converts its
/// error into [`Error`]. The chains of [`crate::prelude`] are built on it.
pub(crate) async fn call<T, E: TypedErrorBody>(
    request: impl std::future::Future<Output = Result<ResponseValue<T>, awork_api::Error<E>>>,
) -> Result<ResponseValue<T>, Error> {
    match crate::http::attempts::counted(request).await {
        (Ok(value), _) => Ok(value),
        (Err(e), tally) => Err(tally.error(Error::from_generated(e).await)),
    }
}

/// A success without a body: 204, or any 2xx that says its body is empty. Another 2xx
/// with a body is not "nothing" (`.call_optional()` and raw requests report it).
pub(crate) fn is_bodiless_success(response: &reqwest::Response) -> bool {
    let status = response.status();
    status == StatusCode::NO_CONTENT
        || (status.is_success() && response.content_length() == Some(0))
}

/// Reads a JSON answer as `T`: an error status becomes the matching [`Error`] (with
/// `attempts`), a body that does not decode an [`Error::Decode`] with its excerpt.
pub(crate) async fn read_json<T: serde::de::DeserializeOwned>(
    response: reqwest::Response,
    attempts: Option<u32>,
) -> Result<T, Error> {
    let status = response.status();
    if !status.is_success() {
        return Err(Error::from_response(response).await.with_attempts(attempts));
    }
    let bytes = response.bytes().await.map_err(Error::from_reqwest)?;
    serde_json::from_slice(&bytes).map_err(|e| Error::Decode {
        status: Some(status),
        message: e.to_string(),
        excerpt: excerpt(&bytes),
        source: Some(Box::new(e)),
    })
}

/// Rejects the nil UUID for `field`: it names nothing in awork.
pub(crate) fn check_id(field: &str, id: uuid::Uuid) -> Result<(), Error> {
    if id.is_nil() {
        return Err(Error::validation(field, "is the nil UUID"));
    }
    Ok(())
}

/// [`check_id`] for an optional id.
pub(crate) fn check_id_opt(field: &str, id: Option<uuid::Uuid>) -> Result<(), Error> {
    id.map_or(Ok(()), |id| check_id(field, id))
}

/// The first [`EXCERPT_CHARS`] characters of a body, lossily decoded, for messages.
pub(crate) fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        map
    }

    #[test]
    fn api_errors_keep_everything_and_print_one_line() {
        let body = br#"{"code":"validation-failed","description":"Bad form","link":"x","details":["d1"],
            "validationErrors":[{"property":"EndDate","message":"before start"}],"traceId":"body-trace","extra":1}"#;
        let e = Error::from_status(
            StatusCode::BAD_REQUEST,
            &headers(&[("trace-id", "t1"), ("x-edge-ref", "e1")]),
            body,
        );
        let Error::Api(api) = &e else { panic!("{e:?}") };
        assert_eq!(api.code.as_deref(), Some("validation-failed"));
        assert_eq!(api.trace_id.as_deref(), Some("t1"));
        assert_eq!(
            api.validation_errors[0].property.as_deref(),
            Some("EndDate")
        );
        assert_eq!(
            e.to_string(),
            "awork answered 400 Bad Request validation-failed: Bad form; EndDate: before start (d1) [trace-id t1, x-edge-ref e1]"
        );
        assert!(!e.to_string().contains('\n'));
    }

    #[test]
    fn a_body_that_is_not_awork_json_still_gives_status_and_ids() {
        let e = Error::from_status(
            StatusCode::BAD_GATEWAY,
            &headers(&[("x-edge-ref", "e9")]),
            b"<html>",
        );
        assert_eq!(
            e.to_string(),
            "awork answered 502 Bad Gateway [x-edge-ref e9]"
        );
        assert_eq!(e.status(), Some(StatusCode::BAD_GATEWAY));
    }

    #[test]
    fn rate_limits_carry_the_wait_and_the_attempts() {
        let h = headers(&[("retry-after", "7"), ("ratelimit-limit", "1000")]);
        let e = Error::from_status(StatusCode::TOO_MANY_REQUESTS, &h, b"").with_attempts(Some(4));
        let Error::RateLimited(r) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(r.retry_after, Some(Duration::from_secs(7)));
        assert_eq!(
            e.to_string(),
            "rate limited by awork (429) after 4 attempts; awork asked to wait 7 s; limit 1000"
        );
    }

    #[test]
    fn a_retry_after_date_is_kept_as_a_moment_without_reading_a_clock() {
        let h = headers(&[("retry-after", "Wed, 01 May 2024 10:00:07 GMT")]);
        let e = Error::from_status(StatusCode::TOO_MANY_REQUESTS, &h, b"");
        let Error::RateLimited(r) = &e else {
            panic!("{e:?}")
        };
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_714_557_607);
        assert_eq!((r.retry_after, r.retry_at), (None, Some(at)));
        assert!(
            e.to_string()
                .contains("wait until Wed, 01 May 2024 10:00:07 GMT")
        );
    }

    #[test]
    fn undecodable_payloads_keep_the_decoder_error_as_source() {
        let json_error = serde_json::from_slice::<u32>(b"{").unwrap_err();
        let generated: awork_api::Error<()> =
            awork_api::Error::InvalidResponsePayload(b"{".to_vec().into(), json_error);
        let e = futures::executor::block_on(Error::from_generated(generated));
        let source = std::error::Error::source(&e).expect("a source");
        assert!(
            source.downcast_ref::<serde_json::Error>().is_some(),
            "{source:?}"
        );
    }

    #[test]
    fn validation_errors_name_the_field() {
        let e = Error::validation("duration", "-5 s is negative");
        assert_eq!(e.to_string(), "invalid duration: -5 s is negative");
    }

    #[test]
    fn excerpts_are_bounded() {
        let long = "x".repeat(1000);
        assert_eq!(excerpt(long.as_bytes()).chars().count(), EXCERPT_CHARS + 1);
        assert_eq!(excerpt(b"short"), "short");
    }
}
