//! The transport under every request: rate limit, retries, tracing.
//!
//! [`RetryingTransport`] plugs into the generated clients through
//! [`awork_api::Transport`], so all 687 operations share it. Per request it opens one
//! `awork.request` span (operation id, method, path, attempt, status, awork's trace id),
//! waits for the optional [`RateLimiter`], sends, and asks the [`RetryPolicy`] whether
//! to try again. The final response carries [`crate::headers::ATTEMPTS`] so errors can
//! say how many attempts were made. Headers, bodies and query strings are never
//! recorded: the API key and filter values stay out of traces.

use crate::headers;
use crate::rate_limit::RateLimiter;
use crate::retry::{Decision, Outcome, RetryPolicy, StopReason};
use awork_api::{BoxFuture, Transport};
use reqwest::header::HeaderValue;
use std::sync::Arc;
use std::time::Duration;
use tracing::{Instrument, Span, field};

/// Waits between attempts. Swappable so tests can record waits instead of sleeping.
pub trait Sleeper: Send + Sync + 'static {
    /// Resolves after `wait`.
    fn sleep(&self, wait: Duration) -> BoxFuture<'static, ()>;
}

/// Sleeps on the tokio timer.
#[derive(Debug, Default, Clone, Copy)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, wait: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(wait))
    }
}

/// Sends requests with retries per a [`RetryPolicy`] and an optional [`RateLimiter`].
#[derive(Clone)]
pub struct RetryingTransport {
    policy: RetryPolicy,
    limiter: Option<Arc<RateLimiter>>,
    sleeper: Arc<dyn Sleeper>,
}

impl std::fmt::Debug for RetryingTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RetryingTransport")
            .field("policy", &self.policy)
            .field("rate_limited", &self.limiter.is_some())
            .finish_non_exhaustive()
    }
}

impl RetryingTransport {
    /// A transport following `policy`, sleeping on tokio, without rate limit.
    pub fn new(policy: RetryPolicy) -> Self {
        Self {
            policy,
            limiter: None,
            sleeper: Arc::new(TokioSleeper),
        }
    }

    /// Waits for `limiter` before every attempt.
    pub fn with_rate_limiter(mut self, limiter: Arc<RateLimiter>) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// Waits between attempts with `sleeper`.
    pub fn with_sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }

    async fn send(
        &self,
        client: &reqwest::Client,
        request: reqwest::Request,
    ) -> reqwest::Result<reqwest::Response> {
        let method = request.method().clone();
        let mut backoff = self.policy.backoff();
        let mut waited = Duration::ZERO;
        let mut next = request;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let spare = next.try_clone();
            if let Some(limiter) = &self.limiter {
                limiter.acquire().await;
            }
            Span::current().record("attempt", attempt);
            let result = client.execute(next).await;
            record_answer(&result);
            let decision = match spare {
                Some(_) => {
                    self.policy
                        .decide(&method, outcome_of(&result), attempt, waited, &mut backoff)
                }
                None => Decision::Stop(StopReason::Final),
            };
            match (decision, spare) {
                (Decision::Retry(wait), Some(spare)) => {
                    tracing::warn!(attempt, wait_ms = wait.as_millis() as u64, reason = %reason(&result), "awork request failed; retrying");
                    self.sleeper.sleep(wait).await;
                    waited += wait;
                    next = spare;
                }
                (decision, _) => {
                    if let Decision::Stop(why) = decision {
                        tracing::debug!(attempt, stop = ?why, "awork request finished");
                    }
                    return mark_attempts(result, attempt);
                }
            }
        }
    }
}

impl Transport for RetryingTransport {
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> BoxFuture<'a, reqwest::Result<reqwest::Response>> {
        let span = tracing::info_span!(
            "awork.request",
            operation_id,
            method = %request.method(),
            path = request.url().path(),
            attempt = field::Empty,
            status = field::Empty,
            trace_id = field::Empty,
        );
        Box::pin(self.send(client, request).instrument(span))
    }
}

fn outcome_of(result: &reqwest::Result<reqwest::Response>) -> Outcome<'_> {
    match result {
        Ok(response) => Outcome::Status(response.status(), response.headers()),
        Err(e) if e.is_timeout() => Outcome::Timeout,
        Err(_) => Outcome::Connect,
    }
}

fn reason(result: &reqwest::Result<reqwest::Response>) -> String {
    match result {
        Ok(response) => response.status().to_string(),
        Err(e) if e.is_timeout() => "timeout".into(),
        Err(_) => "connection failed".into(),
    }
}

fn record_answer(result: &reqwest::Result<reqwest::Response>) {
    if let Ok(response) = result {
        let span = Span::current();
        span.record("status", response.status().as_u16());
        if let Some(trace) = headers::text(response.headers(), headers::TRACE_ID) {
            span.record("trace_id", trace);
        }
    }
}

fn mark_attempts(
    result: reqwest::Result<reqwest::Response>,
    attempts: u32,
) -> reqwest::Result<reqwest::Response> {
    result.map(|mut response| {
        response
            .headers_mut()
            .insert(headers::ATTEMPTS, HeaderValue::from(attempts));
        response
    })
}
