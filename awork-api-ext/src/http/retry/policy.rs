//! The retry rules as a plain value: [`RetryPolicy`] holds limits and nothing else.
//! What they mean for one attempt is `decide.rs`; the loop that applies them is
//! `retrying.rs`.

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

    /// This policy, but never repeating a request that may have reached awork, whatever
    /// it said before: for requests whose body is spent on first use (an OAuth code, a
    /// refresh token, a registration).
    pub(crate) fn sending_once_when_unsure(self) -> Self {
        self.retry_non_idempotent(false)
    }
}
