//! The cases a caller tells apart: [`Error`], and within it [`AuthError`] for signing
//! in. They refer to each other (a refresh that could not get through keeps the
//! [`Error`] that stopped it), so they share this file.

use super::api::{ApiError, RateLimited};
use reqwest::StatusCode;
use std::fmt;
use std::sync::Arc;

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
        /// The first bytes of the body (at most
        /// [`EXCERPT_CHARS`](crate::error::EXCERPT_CHARS) characters).
        excerpt: String,
        /// The decoder's error, when there is one.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// One item of an answer that this crate's typed model cannot hold: a booking whose
    /// duration is negative, an entry without an id, an end before its start. awork's
    /// document allows such values (it requires no field and bounds no number), so they
    /// are not a broken answer: the item is reported alone, and the answer's other
    /// items are read as usual (a listing goes on, see the listings' docs).
    #[error("cannot read a {model} of awork's answer as this crate's type: {reason}")]
    Item {
        /// What the item is, e.g. `time booking`.
        model: &'static str,
        /// What about it the typed model cannot hold, with the item's id when it has one.
        reason: String,
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
    Auth(#[from] AuthError),
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
pub(super) fn broke_off(error: &reqwest::Error) -> bool {
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

impl Error {
    /// A validation error for `field`.
    pub fn validation(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Error::Validation {
            field: field.into(),
            problem: problem.into(),
        }
    }

    /// One item of an answer that the typed `model` cannot hold.
    pub(crate) fn item(model: &'static str, reason: impl Into<String>) -> Self {
        Error::Item {
            model,
            reason: reason.into(),
        }
    }

    /// True for an [`Error::Item`]: one item could not be typed, the rest of its answer
    /// could.
    pub fn is_item(&self) -> bool {
        matches!(self, Error::Item { .. })
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

impl From<crate::query::QueryError> for Error {
    /// A bad filter or order is a validation error of `filterby` / `orderby`.
    fn from(e: crate::query::QueryError) -> Self {
        Error::validation("filterby/orderby", e.to_string())
    }
}

impl From<crate::http::rate_limit::ZeroLimit> for Error {
    /// A rate limit of zero is a validation error of the limit's field.
    fn from(e: crate::http::rate_limit::ZeroLimit) -> Self {
        Error::validation(e.field, "must be at least 1 request")
    }
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

/// Which request to awork's authorization server an [`AuthError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Grant {
    /// Trading the authorization code from the callback for tokens.
    AuthorizationCode,
    /// Trading the refresh token for new tokens.
    RefreshToken,
    /// Registering a client application (`POST /clientapplications/register`).
    Registration,
}

impl fmt::Display for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Grant::AuthorizationCode => "code exchange",
            Grant::RefreshToken => "token refresh",
            Grant::Registration => "client registration",
        })
    }
}

/// Signing in or refreshing failed; wrapped in [`Error::Auth`].
///
/// Each case says what happened and what to do, and none carries a secret: no access
/// or refresh token, no authorization code, no client secret, no PKCE verifier, and no
/// part of a token answer (which would hold tokens). What awork said is kept as its
/// OAuth error code and description.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The callback's `state` is missing or is not the one this sign-in sent: the
    /// redirect may be forged or belong to another sign-in. Its code was not used.
    #[error(
        "the callback's state does not match the sign-in that was started; its code was not used (start a new sign-in)"
    )]
    StateMismatch,
    /// The callback carries no `code` (and no `error`).
    #[error("the callback carries no authorization code; nothing was sent")]
    MissingCode,
    /// awork sent the user back with an error instead of a code, e.g.
    /// `access_denied` when the user declined.
    #[error(
        "awork did not authorize the app: {}{}; nothing was sent",
        super::one_line(error),
        note(description)
    )]
    Denied {
        /// The OAuth error code from the callback.
        error: String,
        /// awork's explanation, when it gave one.
        description: Option<String>,
    },
    /// The callback text could not be read as a URL or query string.
    #[error("the callback is not a redirect URL or query string: {0}; nothing was sent")]
    BadCallback(&'static str),
    /// awork's authorization server refused the request (e.g. `invalid_grant`: the
    /// code or refresh token is spent, expired or not this client's). For a refresh,
    /// the session is over: sign in again.
    #[error(
        "awork refused the {grant}: {}{}",
        super::one_line(code),
        note(description)
    )]
    Rejected {
        /// The request that was refused.
        grant: Grant,
        /// awork's (OAuth) error code.
        code: String,
        /// awork's explanation, when it gave one.
        description: Option<String>,
    },
    /// The request did not get an answer (timeout, connection) or got one that is not
    /// an OAuth answer; trying again later may work.
    #[error("the {grant} failed: {source}")]
    Unavailable {
        /// The request that failed.
        grant: Grant,
        /// What went wrong on the way.
        #[source]
        source: Arc<Error>,
    },
    /// awork answered, but not with a usable token answer. Only the place and kind of
    /// the problem are given: the answer itself may hold tokens.
    #[error("awork's answer to the {grant} is not usable: {problem}")]
    InvalidAnswer {
        /// The request whose answer is unusable.
        grant: Grant,
        /// What is wrong with it.
        problem: String,
    },
    /// The access token was rejected or ran out and there is no refresh token to get
    /// another (ask for the `offline_access` scope to get one).
    #[error("the access token expired and there is no refresh token: sign in again")]
    NoRefreshToken,
    /// The [`TokenStore`](crate::auth::TokenStore) failed or holds no tokens.
    #[error("token store: {0}")]
    Store(String),
}

impl AuthError {
    /// Whether awork refused the grant itself (as opposed to the request not getting
    /// through): asking again with the same grant cannot succeed.
    pub fn is_rejection(&self) -> bool {
        matches!(self, AuthError::Rejected { .. })
    }
}

/// `": description"`, or nothing.
fn note(description: &Option<String>) -> String {
    description
        .as_deref()
        .map(|text| format!(": {}", super::one_line(text)))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_name_the_field() {
        let e = Error::validation("duration", "-5 s is negative");
        assert_eq!(e.to_string(), "invalid duration: -5 s is negative");
    }

    #[test]
    fn query_errors_become_validation_errors() {
        use crate::query::{Expression, prop};
        let e = Error::from(prop("a b").eq(1).expression().unwrap_err());
        let Error::Validation { field, problem } = &e else {
            panic!("{e:?}");
        };
        assert_eq!(field, "filterby/orderby");
        assert!(problem.starts_with("invalid property \"a b\""), "{problem}");
    }

    #[test]
    fn a_zero_rate_limit_is_a_validation_error_of_its_field() {
        let zero = crate::http::rate_limit::RateLimiter::custom(0, 10).unwrap_err();
        let e = Error::from(zero);
        assert!(matches!(&e, Error::Validation { field, .. } if field == "per_second"));
        assert_eq!(e.to_string(), zero.to_string());
    }

    #[test]
    fn each_sign_in_problem_reads_as_one_line_that_says_what_to_do() {
        let rejected = AuthError::Rejected {
            grant: Grant::RefreshToken,
            code: "invalid_grant".into(),
            description: Some("The refresh token was already used.".into()),
        };
        assert_eq!(
            rejected.to_string(),
            "awork refused the token refresh: invalid_grant: The refresh token was already used."
        );
        assert!(rejected.is_rejection());
        let denied = AuthError::Denied {
            error: "access_denied".into(),
            description: None,
        };
        assert_eq!(
            denied.to_string(),
            "awork did not authorize the app: access_denied; nothing was sent"
        );
        assert!(
            AuthError::StateMismatch
                .to_string()
                .contains("state does not match")
        );
    }
}
