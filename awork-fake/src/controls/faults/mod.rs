//! Faults a test can switch on: rate limiting, error statuses, latency and
//! damaged bodies. The rules are explained on [`Fault`] and [`FaultRule`].

mod apply;
mod queue;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::controls::requests::relative_route;
use crate::wire::codes;

pub(crate) use apply::{short_circuit, transform};
pub(crate) use queue::FaultQueue;

use crate::query::ShortPage;
use crate::sync::lock;

/// The faults armed on a running fake; from [`crate::FakeAwork::faults`].
#[derive(Debug, Clone, Copy)]
pub struct Faults<'f> {
    pub(crate) queue: &'f std::sync::Mutex<FaultQueue>,
    pub(crate) short_page: &'f std::sync::Mutex<Option<ShortPage>>,
}

impl Faults<'_> {
    /// Arms a fault; a bare [`Fault`] hits the next request of any kind once.
    pub fn inject(&self, rule: impl Into<FaultRule>) {
        lock(self.queue).push(rule.into());
    }

    /// How many firings are still armed, over all rules.
    pub fn pending(&self) -> u64 {
        lock(self.queue).pending()
    }

    /// Disarms every rule.
    pub fn clear(&self) {
        lock(self.queue).clear();
    }

    /// Switches the short-page quirk on (`Some`) or off (`None`); see [`ShortPage`].
    pub fn short_page(&self, quirk: Option<ShortPage>) {
        *lock(self.short_page) = quirk;
    }
}

/// Something that goes wrong with a response, optionally after a delay.
///
/// A `Fault` says *what* goes wrong; turning it into a [`FaultRule`] (with
/// [`Fault::times`], [`Fault::on`], …) says *which* requests and *how many*.
/// Arm it with [`crate::Faults::inject`]; a bare `Fault` hits the next
/// request of any kind, once.
///
/// | Constructor | Handler runs? | Answer |
/// | --- | --- | --- |
/// | [`Fault::rate_limited`] | no | 429 + rate-limit headers |
/// | [`Fault::status`], [`Fault::error`] | no | that status + `ErrorResponse` |
/// | [`Fault::latency`] | yes, after the delay | the normal answer |
/// | [`Fault::truncated_body`] | yes | first half of the body bytes |
/// | [`Fault::malformed_body`] | yes | an HTML snippet labelled as JSON |
/// | [`Fault::mutate`], [`Fault::mutate_top_level`] | yes | the JSON with a patch merged in |
///
/// Faults are taken before authentication, so they also hit requests that
/// would be rejected with 401, and requests to unknown routes.
///
/// ```no_run
/// # async fn demo(fake: &awork_fake::FakeAwork) {
/// use awork_fake::{Fault, Method, RateLimit};
/// fake.faults().inject(
///     Fault::rate_limited(RateLimit::new().retry_after_secs(2).reset_secs(1))
///         .times(1)
///         .on(Method::POST, "/timebookings"),
/// );
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    action: FaultAction,
    delay: Option<Duration>,
}

/// What a fault does to the response.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FaultAction {
    /// Serve normally (used for pure latency).
    PassThrough,
    /// Answer 429 without running the handler.
    RateLimited(RateLimit),
    /// Answer with an error body and status without running the handler.
    Error { status: StatusCode, code: String },
    /// Run the handler, then send only the first half of the body.
    TruncateBody,
    /// Run the handler, then replace the body with text that is not JSON.
    MalformedBody,
    /// Run the handler, then merge `patch` into the objects of the JSON body.
    Mutate {
        patch: Map<String, Value>,
        deep: bool,
    },
}

impl Fault {
    /// A fault from its action, without delay.
    fn from_action(action: FaultAction) -> Self {
        Self {
            action,
            delay: None,
        }
    }

    /// 429 Too Many Requests with awork's rate-limit headers; the handler does not run.
    pub fn rate_limited(limit: RateLimit) -> Self {
        Self::from_action(FaultAction::RateLimited(limit))
    }

    /// An error answer with this status and code `server-error`; the handler does not run.
    ///
    /// # Panics
    /// When `status` is not a valid HTTP status code (100–999).
    pub fn status(status: u16) -> Self {
        Self::error(status, codes::SERVER_ERROR)
    }

    /// An error answer with this status and error code; the handler does not run.
    ///
    /// # Panics
    /// When `status` is not a valid HTTP status code (100–999).
    pub fn error(status: u16, code: &str) -> Self {
        let status = StatusCode::from_u16(status).expect("a valid HTTP status code");
        Self::from_action(FaultAction::Error {
            status,
            code: code.to_owned(),
        })
    }

    /// Waits `delay` before the request is handled normally.
    pub fn latency(delay: Duration) -> Self {
        Self::from_action(FaultAction::PassThrough).with_latency(delay)
    }

    /// Runs the request normally (side effects included) but sends only the
    /// first half of the body's bytes, with the real status code.
    pub fn truncated_body() -> Self {
        Self::from_action(FaultAction::TruncateBody)
    }

    /// Runs the request normally (side effects included) but replaces the
    /// body with an HTML snippet, keeping the status and the JSON content type.
    pub fn malformed_body() -> Self {
        Self::from_action(FaultAction::MalformedBody)
    }

    /// Runs the request normally, then merges the properties of `patch` into
    /// every JSON object of the body, at any depth (existing keys are overwritten).
    /// Bodies that are not JSON (e.g. a 204) are left alone.
    ///
    /// # Panics
    /// When `patch` is not a JSON object.
    pub fn mutate(patch: Value) -> Self {
        Self::mutation(patch, true)
    }

    /// Like [`Fault::mutate`], but only touches the top-level object, or the
    /// objects directly inside a top-level array (e.g. each booking of a list,
    /// but not the bookings nested in a users-range answer).
    ///
    /// # Panics
    /// When `patch` is not a JSON object.
    pub fn mutate_top_level(patch: Value) -> Self {
        Self::mutation(patch, false)
    }

    /// Builds a mutation fault.
    fn mutation(patch: Value, deep: bool) -> Self {
        let Value::Object(patch) = patch else {
            panic!("a response mutation must be a JSON object, got {patch}");
        };
        Self::from_action(FaultAction::Mutate { patch, deep })
    }

    /// Additionally waits `delay` before the fault takes effect.
    pub fn with_latency(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Applies this fault to the next `times` matching requests.
    pub fn times(self, times: u32) -> FaultRule {
        FaultRule::from(self).times(times)
    }

    /// Applies this fault only to requests with `method` on paths under `path_prefix`.
    pub fn on(self, method: Method, path_prefix: &str) -> FaultRule {
        FaultRule::from(self).on(method, path_prefix)
    }

    /// Applies this fault only to requests with `method`.
    pub fn on_method(self, method: Method) -> FaultRule {
        FaultRule::from(self).on_method(method)
    }

    /// Applies this fault only to requests on paths under `path_prefix`.
    pub fn on_path(self, path_prefix: &str) -> FaultRule {
        FaultRule::from(self).on_path(path_prefix)
    }

    /// The delay before the fault takes effect.
    pub(crate) fn delay(&self) -> Option<Duration> {
        self.delay
    }

    /// What the fault does.
    pub(crate) fn action(&self) -> &FaultAction {
        &self.action
    }
}

/// The headers of a 429 answer; built with [`RateLimit::new`].
///
/// Always sent: `ratelimit-limit`, `ratelimit-remaining: 0`, `ratelimit-reset`,
/// `x-ratelimit-limit-second`, `x-ratelimit-remaining-second: 0`,
/// `x-ratelimit-limit-minute`, `x-ratelimit-remaining-minute`. `Retry-After`
/// only when set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimit {
    pub(crate) retry_after: Option<RetryAfter>,
    pub(crate) reset_secs: u64,
    pub(crate) limit_second: u32,
    pub(crate) limit_minute: u32,
    pub(crate) remaining_minute: u32,
    pub(crate) error_body: bool,
}

impl Default for RateLimit {
    fn default() -> Self {
        Self::new()
    }
}

impl RateLimit {
    /// Limits of awork's premium plan (500/second, 1000/minute), reset in 1
    /// second, no `Retry-After`, remaining minute quota 0, gateway-style body.
    pub fn new() -> Self {
        Self {
            retry_after: None,
            reset_secs: 1,
            limit_second: 500,
            limit_minute: 1000,
            remaining_minute: 0,
            error_body: false,
        }
    }

    /// Sends `Retry-After` in the given form.
    pub fn retry_after(mut self, retry_after: RetryAfter) -> Self {
        self.retry_after = Some(retry_after);
        self
    }

    /// Sends `Retry-After: <seconds>`.
    pub fn retry_after_secs(self, seconds: u64) -> Self {
        self.retry_after(RetryAfter::Seconds(seconds))
    }

    /// Sets `ratelimit-reset` (seconds until the window resets).
    pub fn reset_secs(mut self, seconds: u64) -> Self {
        self.reset_secs = seconds;
        self
    }

    /// Sets the per-second and per-minute limits reported in the headers.
    pub fn limits(mut self, per_second: u32, per_minute: u32) -> Self {
        self.limit_second = per_second;
        self.limit_minute = per_minute;
        self
    }

    /// Sets `x-ratelimit-remaining-minute` (e.g. to show that only the
    /// per-second window is exhausted).
    pub fn remaining_minute(mut self, remaining: u32) -> Self {
        self.remaining_minute = remaining;
        self
    }

    /// Sends an awork `ErrorResponse` body (code `too-many-requests`) instead
    /// of the default API-gateway body `{"message":"API rate limit exceeded"}`.
    pub fn error_body(mut self) -> Self {
        self.error_body = true;
        self
    }
}

/// The form of a `Retry-After` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetryAfter {
    /// Delay in whole seconds, e.g. `Retry-After: 2`.
    Seconds(u64),
    /// A fixed HTTP-date, e.g. `Retry-After: Wed, 01 May 2024 10:00:02 GMT`.
    HttpDate(DateTime<Utc>),
    /// An HTTP-date this long after the moment of the answer (rounded up to
    /// whole seconds; depends on the wall clock).
    HttpDateIn(Duration),
}

/// A [`Fault`] plus the requests it applies to and how often.
///
/// Armed rules form a queue: each request takes one firing of the first rule,
/// in injection order, that matches its method and path and still has
/// firings left; exhausted rules disappear. At most one rule applies per
/// request, and nothing is random. By default a rule fires once, on any request.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    pub(crate) fault: Fault,
    pub(crate) method: Option<Method>,
    pub(crate) path_prefix: Option<String>,
    pub(crate) times: u32,
}

impl From<Fault> for FaultRule {
    /// The fault applies once, to whatever request comes next.
    fn from(fault: Fault) -> Self {
        Self {
            fault,
            method: None,
            path_prefix: None,
            times: 1,
        }
    }
}

impl FaultRule {
    /// Applies to the next `times` matching requests (0 disables the rule).
    pub fn times(mut self, times: u32) -> Self {
        self.times = times;
        self
    }

    /// Restricts the rule to `method` on paths under `path_prefix`.
    pub fn on(self, method: Method, path_prefix: &str) -> Self {
        self.on_method(method).on_path(path_prefix)
    }

    /// Restricts the rule to `method`.
    pub fn on_method(mut self, method: Method) -> Self {
        self.method = Some(method);
        self
    }

    /// Restricts the rule to paths under `path_prefix`: the path itself and
    /// anything below it (segment-wise, case-insensitive). The prefix may
    /// include or omit the `/api/v1` base path: `/timebookings` matches
    /// `/api/v1/timebookings` and `/api/v1/timebookings/{id}`, but not
    /// `/api/v1/projecttimebookings`. v2 paths keep their prefix:
    /// `/api/v2/timeentries` matches the v2 routes only, `/timeentries` the
    /// v1 routes only.
    pub fn on_path(mut self, path_prefix: &str) -> Self {
        self.path_prefix = Some(relative_route(path_prefix).to_ascii_lowercase());
        self
    }

    /// Whether the rule applies to a request.
    pub(crate) fn matches(&self, method: &Method, path: &str) -> bool {
        let method_fits = self.method.as_ref().is_none_or(|wanted| wanted == method);
        let path_fits = self
            .path_prefix
            .as_deref()
            .is_none_or(|prefix| path_is_under(&relative_route(path).to_ascii_lowercase(), prefix));
        method_fits && path_fits
    }
}

/// Whether `path` equals `prefix` or lies below it segment-wise.
fn path_is_under(path: &str, prefix: &str) -> bool {
    let Some(rest) = path.strip_prefix(prefix) else {
        return false;
    };
    rest.is_empty() || prefix.ends_with('/') || rest.starts_with('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_match_by_method_and_path_segments() {
        let rule = Fault::status(500).on(Method::POST, "/timebookings");
        assert!(rule.matches(&Method::POST, "/api/v1/timebookings"));
        assert!(rule.matches(&Method::POST, "/api/v1/TimeBookings/abc"));
        assert!(!rule.matches(&Method::GET, "/api/v1/timebookings"));
        assert!(!rule.matches(&Method::POST, "/api/v1/projecttimebookings"));
        assert!(!rule.matches(&Method::POST, "/api/v1/timebookingsx"));
        let any: FaultRule = Fault::status(500).into();
        assert!(any.matches(&Method::DELETE, "/anything"));
        assert!(
            Fault::status(500)
                .on_path("/api/v1/users")
                .matches(&Method::GET, "/api/v1/users/timebookings")
        );
    }

    #[test]
    #[should_panic(expected = "must be a JSON object")]
    fn mutation_requires_an_object() {
        let _ = Fault::mutate(Value::Bool(true));
    }
}
