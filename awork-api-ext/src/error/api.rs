//! What awork said when it answered with an error: [`ApiError`], and [`RateLimited`]
//! for a 429 that outlasted the retries. Both print one line that ends in the ids to
//! quote to awork support. Reading them from an answer is `decode.rs`.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, SystemTime};

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

impl ApiError {
    /// True for 404 (awork's `not-found`).
    pub fn is_not_found(&self) -> bool {
        self.status == StatusCode::NOT_FOUND
    }
}

/// Text from outside (awork's answers, a callback, a delivery) for a one-line message:
/// line breaks and other control characters written as escapes (`\n`, `\u{1b}`), so
/// that no such text can break a message, or a log line, in two.
pub(crate) fn one_line(text: &str) -> Cow<'_, str> {
    let breaks = |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    if !text.contains(breaks) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if breaks(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "awork answered {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {}", one_line(code))?;
        }
        if let Some(description) = &self.description {
            write!(f, ": {}", one_line(description))?;
        }
        for e in &self.validation_errors {
            let property = e.property.as_deref().unwrap_or("?");
            write!(
                f,
                "; {}: {}",
                one_line(property),
                one_line(e.message.as_deref().unwrap_or("invalid"))
            )?;
        }
        if !self.details.is_empty() {
            write!(f, " ({})", one_line(&self.details.join("; ")))?;
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
    match (trace_id.map(one_line), edge_ref.map(one_line)) {
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
