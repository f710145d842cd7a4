//! When to send a request again, and after how long: the retry policy as a plain value.
//!
//! A [`RetryPolicy`] holds limits and nothing else; the client's transport applies it to
//! every request, the generated operations included. The rules:
//!
//! * **429 Too Many Requests**: awork refused the request without processing it, so it
//!   is safe to send again whatever the method. The wait is the one awork names
//!   (`Retry-After`, else `ratelimit-reset`), else the backoff step.
//! * **500, 502, 503, 504, timeouts, connection failures**: the request may have been
//!   processed before things went wrong, so only idempotent methods (GET, HEAD, PUT,
//!   DELETE, OPTIONS) are repeated. A POST or PATCH is sent once unless the caller opts
//!   in with [`RetryPolicy::retry_non_idempotent`]: repeating a POST that did arrive
//!   would create a second time booking. A 503 may carry `Retry-After`, which is honoured.
//! * A request whose body is a stream (an upload) is never repeated: it cannot be sent
//!   a second time. An upload that opts in with
//!   [`UploadRequest::retryable`](crate::uploads::UploadRequest::retryable) is the
//!   exception: its body is rebuilt for each attempt, and these rules apply to it as to
//!   any request of its method.
//! * Anything else (success, 4xx other than 429, local errors) is final.
//!
//! Two limits bound a request: the number of attempts, and the sum of all waits. When
//! the next wait would push the sum past the budget, the request stops right away
//! rather than sleep for a retry it would not be allowed to finish. Waits go through
//! the client's [`Clock`](crate::clock::Clock), so tests can check them without spending them.

use std::time::Duration;

/// The retry rules one client applies to every request.
///
/// The defaults suit awork: up to 4 attempts, at most 60 s of waiting per request,
/// backoff from 500 ms doubling up to 30 s with jitter, and no repeats of POST or
/// PATCH after a failure they may have survived. Change them with the `with_*` setters.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) max_total_wait: Duration,
    pub(crate) backoff_base: Duration,
    pub(crate) backoff_max: Duration,
    pub(crate) jitter: bool,
    pub(crate) retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// 4 attempts, 60 s wait budget, backoff 500 ms → 30 s with jitter, POST/PATCH
    /// sent once after an ambiguous failure.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            max_total_wait: Duration::from_secs(60),
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            jitter: true,
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries: one attempt, whatever happens. For callers that
    /// handle failures themselves.
    pub fn none() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// At most `attempts` sends per request, the first included. Zero is read as 1:
    /// a request is always sent at least once.
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// At most `budget` of waiting between the attempts of one request, so that a
    /// caller is never held up much longer than it expects.
    pub fn with_max_total_wait(mut self, budget: Duration) -> Self {
        self.max_total_wait = budget;
        self
    }

    /// The backoff used when awork names no wait: `base` for the first retry, doubling
    /// each time, never more than `max` (a `max` below `base` is raised to `base`).
    pub fn with_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.backoff_base = base;
        self.backoff_max = max.max(base);
        self
    }

    /// Whether backoff waits are randomized, so that many clients failing together do
    /// not all come back at the same moment. On by default.
    pub fn with_jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// Also repeats POST and PATCH after 5xx answers, timeouts and connection failures.
    /// Only for operations that are safe to apply twice: awork has no idempotency keys.
    pub fn retry_non_idempotent(mut self, enabled: bool) -> Self {
        self.retry_non_idempotent = enabled;
        self
    }

    /// The most sends one request gets.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The most waiting one request may do between its attempts.
    pub fn max_total_wait(&self) -> Duration {
        self.max_total_wait
    }
}
