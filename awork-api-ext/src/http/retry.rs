//! How the transport applies a [`RetryPolicy`]: one finished attempt in, one
//! [`Decision`] out.
//!
//! [`RetryPolicy::decide`] is a pure function of its inputs (the clock reading and the
//! next backoff step are passed in), so every rule of [`crate::retry`] is tested here
//! without a network, a timer or luck.

use crate::http::headers;
use crate::retry::RetryPolicy;
use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use std::fmt;
use std::time::{Duration, SystemTime};

/// A wait awork named: a number of seconds, or a moment (an HTTP date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NamedWait {
    /// Wait this long.
    For(Duration),
    /// Wait until this moment.
    Until(SystemTime),
}

impl NamedWait {
    /// The wait from `now`; zero for a moment that has passed.
    pub(crate) fn from(self, now: SystemTime) -> Duration {
        match self {
            NamedWait::For(wait) => wait,
            NamedWait::Until(at) => at.duration_since(now).unwrap_or(Duration::ZERO),
        }
    }
}

/// The wait awork named, without reading any clock.
///
/// `Retry-After` wins when it is present and readable, as whole seconds or as an HTTP
/// date. Without it, awork's `ratelimit-reset` (seconds until the window resets) says
/// the same thing. `None` when the answer names no wait.
pub(crate) fn named_wait(headers: &HeaderMap) -> Option<NamedWait> {
    retry_after(headers).or_else(|| ratelimit_reset(headers).map(NamedWait::For))
}

/// How long awork asked the client to wait before the next request, measured from
/// `now` (a date at or before `now` means "now": zero).
pub(crate) fn server_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    named_wait(headers).map(|wait| wait.from(now))
}

/// `Retry-After` as seconds or as an HTTP date; `None` when absent or unreadable.
fn retry_after(headers: &HeaderMap) -> Option<NamedWait> {
    let value = headers::text(headers, headers::RETRY_AFTER)?;
    match value.parse::<u64>() {
        Ok(seconds) => Some(NamedWait::For(Duration::from_secs(seconds))),
        Err(_) => httpdate::parse_http_date(value).ok().map(NamedWait::Until),
    }
}

/// awork's `ratelimit-reset`: seconds until the rate-limit window starts over.
fn ratelimit_reset(headers: &HeaderMap) -> Option<Duration> {
    headers::number(headers, headers::RATELIMIT_RESET).map(Duration::from_secs)
}

/// What an attempt came to, as far as retrying is concerned.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Outcome<'a> {
    /// awork (or a proxy in front of it) answered with this status and these headers.
    Status(StatusCode, &'a HeaderMap),
    /// No answer arrived in time; the request may or may not have been processed.
    Timeout,
    /// The connection failed or broke while sending (refused, reset, DNS, TLS).
    Connect,
    /// Any other failure of the HTTP stack (e.g. a request that could not be built or
    /// a redirect loop): sending it again would fail the same way.
    Other,
}

/// What the policy knows about the request besides the outcome: where it stands, the
/// current time and the next backoff step.
///
/// These are inputs rather than things [`RetryPolicy::decide`] looks up itself, so
/// that the decision is reproducible: the transport fills them from the real clock and
/// a randomly seeded [`Backoff`], tests from constants.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attempt {
    /// The number of the attempt that just ended, starting at 1.
    pub(crate) number: u32,
    /// Time already spent waiting between the earlier attempts of this request.
    pub(crate) waited: Duration,
    /// The wait to use when awork names none (the next step of [`Backoff`]).
    pub(crate) backoff: Duration,
    /// The current wall-clock time, needed to read a `Retry-After` date.
    pub(crate) now: SystemTime,
}

/// Why a request is not sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StopReason {
    /// The answer is final: a success, or an error that sending again cannot fix.
    Final,
    /// The method is not idempotent and the request may already have been processed.
    NotIdempotent,
    /// The request body is a stream that cannot be sent a second time.
    BodyNotRepeatable,
    /// All attempts are used up; holds the limit.
    MaxAttempts(u32),
    /// The next wait would push the total wait past the budget.
    WaitBudget {
        /// The policy's total wait budget.
        budget: Duration,
        /// What the total would have become with the next wait.
        needed: Duration,
    },
}

impl fmt::Display for StopReason {
    /// A short phrase for logs: which rule or limit ended the request.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StopReason::Final => f.write_str("final answer"),
            StopReason::NotIdempotent => f.write_str("method is not idempotent"),
            StopReason::BodyNotRepeatable => f.write_str("request body cannot be resent"),
            StopReason::MaxAttempts(n) => write!(f, "all {n} attempts used"),
            StopReason::WaitBudget { budget, needed } => write!(
                f,
                "waiting would take {} ms, budget {} ms",
                needed.as_millis(),
                budget.as_millis()
            ),
        }
    }
}

/// The policy's verdict on one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Wait this long, then send the request again.
    Retry(Duration),
    /// Hand the last outcome to the caller, for this reason.
    Stop(StopReason),
}

impl RetryPolicy {
    /// A fresh backoff schedule for one request.
    ///
    /// `seed` drives the jitter: the transport passes a random one per request so that
    /// concurrent requests spread out; tests pass a constant to get a repeatable
    /// schedule. (backon, built without its `std` feature, would otherwise use one
    /// fixed seed for every schedule.)
    pub(crate) fn backoff(&self, seed: u64) -> Backoff {
        Backoff::new(self.backoff_base, self.backoff_max, self.jitter, seed)
    }

    /// Decides what to do after `attempt` of a `method` request ended in `outcome`.
    ///
    /// Checks, in order: is the outcome worth repeating for this method; are attempts
    /// left; does the wait (awork's, else `attempt.backoff`) fit the wait budget.
    pub(crate) fn decide(
        &self,
        method: &Method,
        outcome: Outcome<'_>,
        attempt: &Attempt,
    ) -> Decision {
        let named_wait = match self.repeatable(method, outcome, attempt.now) {
            Ok(wait) => wait,
            Err(reason) => return Decision::Stop(reason),
        };
        if attempt.number >= self.max_attempts {
            return Decision::Stop(StopReason::MaxAttempts(self.max_attempts));
        }
        self.within_budget(attempt.waited, named_wait.unwrap_or(attempt.backoff))
    }

    /// Whether `outcome` may be repeated for `method`, with the wait awork named for it
    /// (`Ok(None)` when it named none); `Err` says why not.
    fn repeatable(
        &self,
        method: &Method,
        outcome: Outcome<'_>,
        now: SystemTime,
    ) -> Result<Option<Duration>, StopReason> {
        match outcome {
            Outcome::Status(StatusCode::TOO_MANY_REQUESTS, headers) => {
                Ok(server_wait(headers, now))
            }
            Outcome::Status(StatusCode::SERVICE_UNAVAILABLE, headers) => {
                self.may_resend(method).map(|()| server_wait(headers, now))
            }
            Outcome::Status(status, _) if is_transient(status) => {
                self.may_resend(method).map(|()| None)
            }
            Outcome::Timeout | Outcome::Connect => self.may_resend(method).map(|()| None),
            Outcome::Status(..) | Outcome::Other => Err(StopReason::Final),
        }
    }

    /// Whether a request that may have been processed can be sent again.
    fn may_resend(&self, method: &Method) -> Result<(), StopReason> {
        if self.retry_non_idempotent || is_idempotent(method) {
            Ok(())
        } else {
            Err(StopReason::NotIdempotent)
        }
    }

    /// Retry after `wait`, unless that would take the total past the budget.
    fn within_budget(&self, waited: Duration, wait: Duration) -> Decision {
        let needed = waited.saturating_add(wait);
        if needed > self.max_total_wait {
            return Decision::Stop(StopReason::WaitBudget {
                budget: self.max_total_wait,
                needed,
            });
        }
        Decision::Retry(wait)
    }
}

/// GET, HEAD, PUT, DELETE and OPTIONS: sending them twice leaves the same state as
/// sending them once, so they may be repeated after an ambiguous failure.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

/// Server-side failures that usually pass: 500, 502, 503, 504.
fn is_transient(status: StatusCode) -> bool {
    matches!(status.as_u16(), 500 | 502 | 503 | 504)
}

type Steps = <ExponentialBuilder as BackoffBuilder>::Backoff;

/// The waits of one request when awork names none: exponential, optionally jittered,
/// always between the policy's base and max. Made by [`RetryPolicy::backoff`].
///
/// The schedule comes from backon's exponential builder. backon adds jitter on top
/// of a step (a step `d` becomes a random value in `[d, 2d)`), so with jitter the
/// steps are capped at `max / 2` and the jittered values land in `[base, max]` with
/// their spread intact even at the cap.
#[derive(Debug)]
pub(crate) struct Backoff {
    steps: Steps,
    base: Duration,
    max: Duration,
}

impl Backoff {
    /// The schedule from `base` to `max`, jittered with `seed` when `jitter` is set.
    fn new(base: Duration, max: Duration, jitter: bool, seed: u64) -> Self {
        let builder = ExponentialBuilder::new()
            .with_factor(2.0)
            .with_min_delay(base)
            .without_max_times();
        let builder = if jitter {
            builder
                .with_max_delay((max / 2).max(base))
                .with_jitter()
                .with_jitter_seed(seed)
        } else {
            builder.with_max_delay(max)
        };
        Self {
            steps: builder.build(),
            base,
            max,
        }
    }

    /// The next wait of the schedule, in whole milliseconds (backon computes in `f32`,
    /// which leaves nanosecond noise) and within `[base, max]`.
    pub(crate) fn next_wait(&mut self) -> Duration {
        let step = self.steps.next().unwrap_or(self.max);
        whole_millis(step).max(self.base).min(self.max)
    }
}

/// `d` rounded to the nearest millisecond.
fn whole_millis(d: Duration) -> Duration {
    let millis = d.as_micros().saturating_add(500) / 1000;
    Duration::from_millis(u64::try_from(millis).unwrap_or(u64::MAX))
}

impl Iterator for Backoff {
    type Item = Duration;

    /// The schedule never ends: this is always `Some(next_wait())`.
    fn next(&mut self) -> Option<Duration> {
        Some(self.next_wait())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    const T0: Duration = Duration::from_secs(1_714_557_600); // 2024-05-01 10:00:00 UTC

    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + T0
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// Attempt `number`, nothing waited yet, a backoff step of 100 ms.
    fn attempt(number: u32) -> Attempt {
        Attempt {
            number,
            waited: Duration::ZERO,
            backoff: ms(100),
            now: now(),
        }
    }

    fn status(code: u16, headers: &HeaderMap) -> Outcome<'_> {
        Outcome::Status(StatusCode::from_u16(code).unwrap(), headers)
    }

    #[test]
    fn retry_after_seconds_win_over_ratelimit_reset() {
        let h = headers(&[("retry-after", "7"), ("ratelimit-reset", "3")]);
        assert_eq!(server_wait(&h, now()), Some(secs(7)));
    }

    #[test]
    fn ratelimit_reset_is_used_without_retry_after() {
        let h = headers(&[("ratelimit-reset", "3")]);
        assert_eq!(server_wait(&h, now()), Some(secs(3)));
    }

    #[test]
    fn an_unreadable_retry_after_falls_back_to_ratelimit_reset() {
        let h = headers(&[("retry-after", "soon"), ("ratelimit-reset", "4")]);
        assert_eq!(server_wait(&h, now()), Some(secs(4)));
        assert_eq!(server_wait(&headers(&[("retry-after", "-1")]), now()), None);
    }

    #[test]
    fn an_http_date_is_read_against_the_given_clock() {
        let h = headers(&[("retry-after", "Wed, 01 May 2024 10:00:05 GMT")]);
        assert_eq!(server_wait(&h, now()), Some(secs(5)));
    }

    #[test]
    fn an_http_date_in_the_past_means_now() {
        let h = headers(&[("retry-after", "Wed, 01 May 2024 09:59:00 GMT")]);
        assert_eq!(server_wait(&h, now()), Some(Duration::ZERO));
    }

    #[test]
    fn no_hint_gives_none() {
        assert_eq!(server_wait(&HeaderMap::new(), now()), None);
    }

    #[test]
    fn a_429_is_retried_for_every_method_after_the_named_wait() {
        let p = RetryPolicy::default();
        let h = headers(&[("retry-after", "2")]);
        for method in [Method::GET, Method::POST, Method::PATCH, Method::DELETE] {
            assert_eq!(
                p.decide(&method, status(429, &h), &attempt(1)),
                Decision::Retry(secs(2)),
                "{method}"
            );
        }
    }

    #[test]
    fn a_429_without_hints_waits_the_backoff_step() {
        let p = RetryPolicy::default();
        let none = HeaderMap::new();
        assert_eq!(
            p.decide(&Method::POST, status(429, &none), &attempt(1)),
            Decision::Retry(ms(100))
        );
    }

    #[test]
    fn server_errors_and_network_failures_repeat_only_idempotent_methods() {
        let p = RetryPolicy::default();
        let h = HeaderMap::new();
        let outcomes = [
            status(500, &h),
            status(502, &h),
            status(503, &h),
            status(504, &h),
            Outcome::Timeout,
            Outcome::Connect,
        ];
        for outcome in outcomes {
            for method in [Method::POST, Method::PATCH] {
                assert_eq!(
                    p.decide(&method, outcome, &attempt(1)),
                    Decision::Stop(StopReason::NotIdempotent),
                    "{method} {outcome:?}"
                );
            }
            for method in [
                Method::GET,
                Method::HEAD,
                Method::PUT,
                Method::DELETE,
                Method::OPTIONS,
            ] {
                assert_eq!(
                    p.decide(&method, outcome, &attempt(1)),
                    Decision::Retry(ms(100)),
                    "{method} {outcome:?}"
                );
            }
        }
    }

    #[test]
    fn opting_in_repeats_post_and_patch_too() {
        let p = RetryPolicy::default().retry_non_idempotent(true);
        let h = HeaderMap::new();
        for method in [Method::POST, Method::PATCH] {
            assert_eq!(
                p.decide(&method, status(502, &h), &attempt(1)),
                Decision::Retry(ms(100))
            );
            assert_eq!(
                p.decide(&method, Outcome::Timeout, &attempt(1)),
                Decision::Retry(ms(100))
            );
        }
    }

    #[test]
    fn a_503_honours_retry_after_but_other_5xx_use_backoff() {
        let p = RetryPolicy::default();
        let h = headers(&[("retry-after", "3")]);
        assert_eq!(
            p.decide(&Method::GET, status(503, &h), &attempt(1)),
            Decision::Retry(secs(3))
        );
        assert_eq!(
            p.decide(&Method::GET, status(500, &h), &attempt(1)),
            Decision::Retry(ms(100))
        );
    }

    #[test]
    fn success_client_errors_and_local_failures_are_final() {
        let p = RetryPolicy::default();
        let h = HeaderMap::new();
        for code in [200, 201, 204, 400, 401, 403, 404, 409, 501, 505] {
            assert_eq!(
                p.decide(&Method::GET, status(code, &h), &attempt(1)),
                Decision::Stop(StopReason::Final),
                "{code}"
            );
        }
        assert_eq!(
            p.decide(&Method::GET, Outcome::Other, &attempt(1)),
            Decision::Stop(StopReason::Final)
        );
    }

    #[test]
    fn attempts_are_bounded() {
        let p = RetryPolicy::default().with_max_attempts(3);
        let h = HeaderMap::new();
        assert!(matches!(
            p.decide(&Method::GET, status(503, &h), &attempt(2)),
            Decision::Retry(_)
        ));
        assert_eq!(
            p.decide(&Method::GET, status(503, &h), &attempt(3)),
            Decision::Stop(StopReason::MaxAttempts(3))
        );
    }

    #[test]
    fn none_means_one_attempt() {
        let p = RetryPolicy::none();
        assert_eq!(p.max_attempts(), 1);
        assert_eq!(
            p.decide(&Method::GET, status(429, &HeaderMap::new()), &attempt(1)),
            Decision::Stop(StopReason::MaxAttempts(1))
        );
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            1
        );
    }

    #[test]
    fn a_wait_that_would_exceed_the_budget_stops_at_once() {
        let p = RetryPolicy::default().with_max_total_wait(secs(5));
        let h = headers(&[("retry-after", "2")]);
        let at = |waited| Attempt {
            waited,
            ..attempt(1)
        };
        assert_eq!(
            p.decide(&Method::GET, status(429, &h), &at(secs(3))),
            Decision::Retry(secs(2)),
            "exactly reaching the budget is allowed"
        );
        assert_eq!(
            p.decide(&Method::GET, status(429, &h), &at(secs(4))),
            Decision::Stop(StopReason::WaitBudget {
                budget: secs(5),
                needed: secs(6)
            })
        );
        let huge = headers(&[("retry-after", "3600")]);
        assert!(matches!(
            p.decide(&Method::GET, status(429, &huge), &attempt(1)),
            Decision::Stop(StopReason::WaitBudget { .. })
        ));
    }

    #[test]
    fn stop_reasons_name_the_limit() {
        assert_eq!(
            StopReason::MaxAttempts(4).to_string(),
            "all 4 attempts used"
        );
        assert_eq!(
            StopReason::WaitBudget {
                budget: secs(5),
                needed: secs(6)
            }
            .to_string(),
            "waiting would take 6000 ms, budget 5000 ms"
        );
    }

    #[test]
    fn backoff_without_jitter_doubles_up_to_the_max() {
        let p = RetryPolicy::default()
            .with_backoff(ms(100), ms(800))
            .with_jitter(false);
        let waits: Vec<Duration> = p.backoff(1).take(6).collect();
        assert_eq!(
            waits,
            [ms(100), ms(200), ms(400), ms(800), ms(800), ms(800)]
        );
    }

    #[test]
    fn jittered_backoff_stays_within_base_and_max_and_still_spreads_at_the_cap() {
        let p = RetryPolicy::default().with_backoff(ms(100), ms(800));
        for seed in 0..200 {
            let waits: Vec<Duration> = p.backoff(seed).take(8).collect();
            assert!(
                waits.iter().all(|w| *w >= ms(100) && *w <= ms(800)),
                "seed {seed}: {waits:?}"
            );
            assert!(waits[7] >= ms(400), "at the cap: {waits:?}");
        }
        let at_cap: std::collections::BTreeSet<Duration> = (0..20)
            .map(|seed| p.backoff(seed).nth(7).unwrap())
            .collect();
        assert!(at_cap.len() > 10, "jitter spreads capped waits: {at_cap:?}");
    }

    #[test]
    fn the_same_seed_gives_the_same_schedule() {
        let p = RetryPolicy::default();
        let a: Vec<Duration> = p.backoff(42).take(5).collect();
        let b: Vec<Duration> = p.backoff(42).take(5).collect();
        let c: Vec<Duration> = p.backoff(43).take(5).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn the_default_schedule_starts_at_half_a_second_and_ends_at_thirty() {
        let p = RetryPolicy::default();
        let waits: Vec<Duration> = p.backoff(7).take(12).collect();
        assert!(waits[0] >= ms(500) && waits[0] < secs(1), "{waits:?}");
        assert!(waits.iter().all(|w| *w <= secs(30)), "{waits:?}");
        assert!(waits[11] >= secs(15), "{waits:?}");
    }

    #[test]
    fn a_max_below_the_base_is_raised_to_the_base() {
        let p = RetryPolicy::default()
            .with_backoff(secs(2), secs(1))
            .with_jitter(false);
        assert_eq!(p.backoff(0).take(3).collect::<Vec<_>>(), [secs(2); 3]);
    }
}
