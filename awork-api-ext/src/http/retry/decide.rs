//! What a [`RetryPolicy`] makes of one finished attempt: the attempt's outcome
//! classified, one [`Decision`] out.
//!
//! [`RetryPolicy::decide`] is a pure function of its inputs (the clock reading and the
//! next backoff step are passed in), so every rule of [`crate::retry`] is tested here
//! without a network, a timer or luck.

use super::policy::RetryPolicy;
use crate::http::headers;
use reqwest::header::HeaderMap;
use reqwest::{Method, Response, StatusCode};
use std::fmt;
use std::time::{Duration, SystemTime};

/// How long awork asked the client to wait before the next request, measured from
/// `now` (a date at or before `now` means "now": zero).
fn server_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    headers::named_wait(headers).map(|wait| wait.from(now))
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

impl<'a> Outcome<'a> {
    /// How the policy sees the result of one send.
    pub(crate) fn of(result: &'a reqwest::Result<Response>) -> Self {
        match result {
            Ok(response) => Outcome::Status(response.status(), response.headers()),
            Err(error) if error.is_timeout() => Outcome::Timeout,
            Err(error) if error.is_connect() || error.is_request() => Outcome::Connect,
            Err(_) => Outcome::Other,
        }
    }

    /// Whether no policy repeats this outcome, whatever the method and the attempt: a
    /// success, an error answer other than 429 and 500/502/503/504, a local failure.
    /// The retry step ends a request on such an outcome without reading the clock or
    /// making a backoff schedule; [`RetryPolicy::decide`] stops on it as
    /// [`StopReason::Final`].
    pub(crate) fn is_final(self) -> bool {
        match self {
            Outcome::Status(status, _) => {
                status != StatusCode::TOO_MANY_REQUESTS && !is_transient(status)
            }
            Outcome::Timeout | Outcome::Connect => false,
            Outcome::Other => true,
        }
    }
}

/// What the policy knows about the request besides the outcome: where it stands, the
/// current time and the next backoff step.
///
/// These are inputs rather than things [`RetryPolicy::decide`] looks up itself, so
/// that the decision is reproducible: the retry loop fills them from the client's clock
/// and a randomly seeded backoff schedule, tests from constants.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attempt {
    /// The number of the attempt that just ended, starting at 1.
    pub(crate) number: u32,
    /// Time already spent waiting between the earlier attempts of this request.
    pub(crate) waited: Duration,
    /// The wait to use when awork names none (the next step of the backoff schedule).
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
        if outcome.is_final() {
            return Err(StopReason::Final);
        }
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
fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

/// Server-side failures that usually pass: 500, 502, 503, 504.
fn is_transient(status: StatusCode) -> bool {
    matches!(status.as_u16(), 500 | 502 | 503 | 504)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::http::headers::tests::{headers, now};

    pub(in crate::http::retry) fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    pub(in crate::http::retry) fn ms(n: u64) -> Duration {
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
    fn the_shortcut_for_final_outcomes_agrees_with_the_decision() {
        let willing = RetryPolicy::default().retry_non_idempotent(true);
        let h = HeaderMap::new();
        let mut outcomes: Vec<Outcome<'_>> = (100..=599).map(|code| status(code, &h)).collect();
        outcomes.extend([Outcome::Timeout, Outcome::Connect, Outcome::Other]);
        for outcome in outcomes {
            for method in [Method::GET, Method::POST, Method::PATCH] {
                let decision = willing.decide(&method, outcome, &attempt(1));
                assert_eq!(
                    outcome.is_final(),
                    decision == Decision::Stop(StopReason::Final),
                    "{outcome:?} {method}: {decision:?}"
                );
            }
        }
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
}
