//! When and how long to retry: a [`RetryPolicy`] is a plain value the client carries.
//!
//! * **429** (rate limited): the request was refused, not processed, so it is retried
//!   for every method, after the wait the server asked for (`Retry-After`, seconds or
//!   an HTTP date; else `ratelimit-reset`), else after exponential backoff with jitter.
//! * **500, 502, 503, 504, timeouts, connection failures**: the request may have been
//!   processed, so only idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) are
//!   retried. A POST is sent exactly once unless you opt in with
//!   [`RetryPolicy::retry_non_idempotent`].
//! * Everything else is final.
//!
//! Attempts and the total time spent waiting are both bounded.

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use std::time::{Duration, SystemTime};

/// How long the server asked us to wait: `Retry-After` (seconds or an HTTP date; a
/// date in the past means now), else `ratelimit-reset` (seconds).
pub fn server_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if let Some(value) = crate::headers::text(headers, crate::headers::RETRY_AFTER) {
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(Duration::from_secs(seconds));
        }
        if let Ok(at) = httpdate::parse_http_date(value) {
            return Some(at.duration_since(now).unwrap_or(Duration::ZERO));
        }
    }
    crate::headers::number(headers, crate::headers::RATELIMIT_RESET).map(Duration::from_secs)
}

/// The retry rules of a client.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    max_total_wait: Duration,
    base_backoff: Duration,
    max_backoff: Duration,
    jitter: bool,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// Up to 4 attempts, at most 60 s of waiting in all, backoff from 500 ms doubling
    /// to 30 s with jitter, POST never retried after a failure it may have processed.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            max_total_wait: Duration::from_secs(60),
            base_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            jitter: true,
            retry_non_idempotent: false,
        }
    }
}

/// What a finished attempt came to, as far as retrying is concerned.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    /// awork answered with this status and these headers.
    Status(StatusCode, &'a HeaderMap),
    /// No answer in time.
    Timeout,
    /// The connection failed.
    Connect,
}

/// Why the policy will not try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// The answer is final (success, or an error a retry cannot fix).
    Final,
    /// The method is not idempotent and the request may have been processed.
    NotIdempotent,
    /// All attempts are used up.
    AttemptsExhausted,
    /// Waiting again would exceed the total wait budget.
    WaitBudgetExhausted,
}

/// The policy's verdict on one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then try again.
    Retry(Duration),
    /// Stop and hand the last outcome to the caller.
    Stop(StopReason),
}

impl RetryPolicy {
    /// Never retries: one attempt.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// At most `n` attempts in all (at least 1).
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// At most this much waiting between attempts, summed over one request.
    pub fn with_max_total_wait(mut self, budget: Duration) -> Self {
        self.max_total_wait = budget;
        self
    }

    /// Backoff starts at `base` and doubles up to `max` (used when the server names no wait).
    pub fn with_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.base_backoff = base;
        self.max_backoff = max.max(base);
        self
    }

    /// Randomizes backoff waits so that many clients do not retry in lockstep.
    pub fn with_jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// Also retries POST and PATCH after 5xx, timeouts and connection failures. Only
    /// for operations you know are safe to repeat.
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.retry_non_idempotent = yes;
        self
    }

    /// The most attempts one request gets.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff schedule for one request (fresh per request).
    pub fn backoff(&self) -> impl Iterator<Item = Duration> + Send + use<> {
        let mut builder = ExponentialBuilder::default()
            .with_min_delay(self.base_backoff)
            .with_max_delay(self.max_backoff)
            .with_factor(2.0)
            .without_max_times();
        if self.jitter {
            builder = builder.with_jitter();
        }
        builder.build()
    }

    /// Decides after attempt number `attempt` (1-based), having waited `waited` so far.
    /// `backoff` supplies the next backoff wait when the server names none.
    pub fn decide(
        &self,
        method: &Method,
        outcome: Outcome<'_>,
        attempt: u32,
        waited: Duration,
        backoff: &mut dyn Iterator<Item = Duration>,
    ) -> Decision {
        let server_asked = match outcome {
            Outcome::Status(StatusCode::TOO_MANY_REQUESTS, headers) => {
                server_wait(headers, SystemTime::now())
            }
            Outcome::Status(status, headers) if is_transient(status) => {
                if !self.may_repeat(method) {
                    return Decision::Stop(StopReason::NotIdempotent);
                }
                server_wait(headers, SystemTime::now())
                    .filter(|_| status == StatusCode::SERVICE_UNAVAILABLE)
            }
            Outcome::Status(..) => return Decision::Stop(StopReason::Final),
            Outcome::Timeout | Outcome::Connect if !self.may_repeat(method) => {
                return Decision::Stop(StopReason::NotIdempotent);
            }
            Outcome::Timeout | Outcome::Connect => None,
        };
        if attempt >= self.max_attempts {
            return Decision::Stop(StopReason::AttemptsExhausted);
        }
        let wait = server_asked
            .or_else(|| backoff.next())
            .unwrap_or(self.max_backoff);
        if waited + wait > self.max_total_wait {
            return Decision::Stop(StopReason::WaitBudgetExhausted);
        }
        Decision::Retry(wait)
    }

    fn may_repeat(&self, method: &Method) -> bool {
        self.retry_non_idempotent || is_idempotent(method)
    }
}

/// GET, HEAD, PUT, DELETE and OPTIONS may be repeated without changing the result.
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

fn is_transient(status: StatusCode) -> bool {
    matches!(status.as_u16(), 500 | 502 | 503 | 504)
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

    fn fixed_backoff() -> impl Iterator<Item = Duration> {
        std::iter::repeat(Duration::from_millis(100))
    }

    fn decide(
        policy: &RetryPolicy,
        method: Method,
        outcome: Outcome<'_>,
        attempt: u32,
    ) -> Decision {
        policy.decide(
            &method,
            outcome,
            attempt,
            Duration::ZERO,
            &mut fixed_backoff(),
        )
    }

    #[test]
    fn the_server_named_wait_comes_from_retry_after_then_ratelimit_reset() {
        let now = SystemTime::now();
        assert_eq!(
            server_wait(
                &headers(&[("retry-after", "7"), ("ratelimit-reset", "3")]),
                now
            ),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            server_wait(&headers(&[("ratelimit-reset", "3")]), now),
            Some(Duration::from_secs(3))
        );
        let at = httpdate::fmt_http_date(now + Duration::from_secs(120));
        let wait = server_wait(&headers(&[("retry-after", &at)]), now).unwrap();
        assert!(
            wait <= Duration::from_secs(120) && wait >= Duration::from_secs(119),
            "{wait:?}"
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(60));
        assert_eq!(
            server_wait(&headers(&[("retry-after", &past)]), now),
            Some(Duration::ZERO)
        );
        assert_eq!(server_wait(&headers(&[]), now), None);
    }

    #[test]
    fn rate_limits_are_retried_for_every_method_with_the_servers_wait() {
        let p = RetryPolicy::default();
        let h = headers(&[("retry-after", "2")]);
        assert_eq!(
            decide(
                &p,
                Method::POST,
                Outcome::Status(StatusCode::TOO_MANY_REQUESTS, &h),
                1
            ),
            Decision::Retry(Duration::from_secs(2))
        );
        let none = headers(&[]);
        assert_eq!(
            decide(
                &p,
                Method::GET,
                Outcome::Status(StatusCode::TOO_MANY_REQUESTS, &none),
                1
            ),
            Decision::Retry(Duration::from_millis(100))
        );
    }

    #[test]
    fn server_errors_and_network_failures_repeat_only_idempotent_methods() {
        let p = RetryPolicy::default();
        let h = HeaderMap::new();
        for outcome in [
            Outcome::Status(StatusCode::SERVICE_UNAVAILABLE, &h),
            Outcome::Timeout,
            Outcome::Connect,
        ] {
            assert_eq!(
                decide(&p, Method::POST, outcome, 1),
                Decision::Stop(StopReason::NotIdempotent)
            );
            assert_eq!(
                decide(&p, Method::PATCH, outcome, 1),
                Decision::Stop(StopReason::NotIdempotent)
            );
            assert!(matches!(
                decide(&p, Method::GET, outcome, 1),
                Decision::Retry(_)
            ));
            assert!(matches!(
                decide(&p, Method::PUT, outcome, 1),
                Decision::Retry(_)
            ));
            assert!(matches!(
                decide(
                    &p.clone().retry_non_idempotent(true),
                    Method::POST,
                    outcome,
                    1
                ),
                Decision::Retry(_)
            ));
        }
        assert_eq!(
            decide(
                &p,
                Method::GET,
                Outcome::Status(StatusCode::NOT_FOUND, &h),
                1
            ),
            Decision::Stop(StopReason::Final)
        );
        assert_eq!(
            decide(&p, Method::GET, Outcome::Status(StatusCode::OK, &h), 1),
            Decision::Stop(StopReason::Final)
        );
    }

    #[test]
    fn attempts_and_total_wait_are_bounded() {
        let p = RetryPolicy::default()
            .with_max_attempts(3)
            .with_max_total_wait(Duration::from_secs(5));
        let h = headers(&[("retry-after", "2")]);
        let limited = Outcome::Status(StatusCode::TOO_MANY_REQUESTS, &h);
        assert!(matches!(
            decide(&p, Method::GET, limited, 2),
            Decision::Retry(_)
        ));
        assert_eq!(
            decide(&p, Method::GET, limited, 3),
            Decision::Stop(StopReason::AttemptsExhausted)
        );
        let after_4s = p.decide(
            &Method::GET,
            limited,
            1,
            Duration::from_secs(4),
            &mut fixed_backoff(),
        );
        assert_eq!(after_4s, Decision::Stop(StopReason::WaitBudgetExhausted));
        assert_eq!(
            decide(&RetryPolicy::none(), Method::GET, limited, 1),
            Decision::Stop(StopReason::AttemptsExhausted)
        );
    }

    #[test]
    fn backoff_grows_and_stays_within_bounds() {
        let p = RetryPolicy::default()
            .with_backoff(Duration::from_millis(100), Duration::from_millis(800))
            .with_jitter(false);
        let waits: Vec<u128> = p.backoff().take(5).map(|w| w.as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 800, 800]);
        let jittered: Vec<Duration> = p.with_jitter(true).backoff().take(20).collect();
        assert!(
            jittered
                .iter()
                .all(|w| *w >= Duration::from_millis(100) && *w <= Duration::from_millis(1600)),
            "{jittered:?}"
        );
    }
}
