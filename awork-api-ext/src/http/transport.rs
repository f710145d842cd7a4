//! The transport under every generated request: credentials, client-side rate limit,
//! retries, tracing.
//!
//! [`RetryingTransport`] implements [`awork_api::Transport`], the one hook every
//! operation of the generated clients goes through, so all of them get the same
//! behaviour without touching generated code. For each attempt it waits for the
//! optional [`RateLimiter`], sends a copy of the request, and asks the [`RetryPolicy`]
//! what to do with the outcome; between attempts it waits through the client's
//! [`Clock`], which tests replace to record waits instead of spending them. Every attempt
//! is noted in [`attempts`], so that [`crate::Error`] can say how often a request was
//! tried, whatever the failure.
//!
//! [`ClientTransport`] sits on top: it puts the user agent and the client's
//! [`Credentials`] on every request, and after a 401 renews OAuth credentials and sends
//! the request once more.
//!
//! Each request runs in one `awork.request` span with the fields `operation_id`,
//! `method`, `path` (the URL path only), `attempt`, `status` and `trace_id` (awork's
//! `trace-id` answer header, to quote to awork support). Every retry logs an event
//! saying why and for how long it waits. Request headers, bodies, query strings and
//! the host are never recorded: the API key or token travels in a header, and query
//! strings carry filters that may hold personal data.

use crate::auth::AuthError;
use crate::clock::Clock;
use crate::http::attempts;
use crate::http::credentials::{Authorization, Credentials};
use crate::http::headers;
use crate::http::retry::{Attempt, Decision, Outcome, StopReason};
use crate::rate_limit::RateLimiter;
use crate::retry::RetryPolicy;
use awork_api::{BoxFuture, Transport};
use reqwest::header::{AUTHORIZATION, HeaderValue, USER_AGENT};
use reqwest::{Method, Request, Response, StatusCode};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tracing::{Instrument, Span, field};

/// Sends each request as often as its [`RetryPolicy`] allows, pacing with an optional
/// [`RateLimiter`] and tracing every request.
///
/// It does not add credentials: [`ClientTransport`] sets them before the request gets
/// here, and OAuth's token requests bring their own.
#[derive(Clone)]
pub(crate) struct RetryingTransport {
    policy: RetryPolicy,
    limiter: Option<Arc<RateLimiter>>,
    clock: Arc<dyn Clock>,
}

impl RetryingTransport {
    /// A transport that follows `policy`, waits and reads dates with `clock`, and
    /// paces with `limiter` when there is one (retries count against it too).
    pub(crate) fn new(
        policy: RetryPolicy,
        limiter: Option<Arc<RateLimiter>>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            policy,
            limiter,
            clock,
        }
    }

    /// Sends `request` until the policy stops; returns the last outcome.
    ///
    /// The copy for the next attempt comes from `rebuild` when there is one (a body
    /// that can be made again, such as an upload read from a file), else from cloning
    /// the request, which fails for a streamed body: such a request is sent once.
    async fn run(
        &self,
        client: &reqwest::Client,
        request: Request,
        rebuild: Option<&Rebuild<'_>>,
    ) -> reqwest::Result<Response> {
        let method = request.method().clone();
        let mut backoff = self.policy.backoff(rand::random());
        let mut waited = Duration::ZERO;
        let mut number: u32 = 0;
        let mut pending = request;
        loop {
            number = number.saturating_add(1);
            let spare = match rebuild {
                Some(_) => None,
                None => pending.try_clone(),
            };
            let result = self.send(client, pending, number).await;
            let attempt = Attempt {
                number,
                waited,
                backoff: backoff.next_wait(),
                now: self.clock.now(),
            };
            let next = || spare.or_else(|| rebuild.and_then(|make| make()));
            match self.next_step(&method, &result, &attempt, next) {
                Ok((wait, request)) => {
                    announce_retry(&result, number, wait);
                    drop(result);
                    self.clock.sleep(wait).await;
                    waited = waited.saturating_add(wait);
                    pending = request;
                }
                Err(reason) => {
                    tracing::debug!(attempts = number, stop = %reason, "awork request finished");
                    return result;
                }
            }
        }
    }

    /// One attempt: waits for the rate limiter, sends, records the answer on the span.
    async fn send(
        &self,
        client: &reqwest::Client,
        request: Request,
        number: u32,
    ) -> reqwest::Result<Response> {
        if let Some(limiter) = &self.limiter {
            limiter.acquire().await;
        }
        attempts::record(number);
        let span = Span::current();
        span.record("attempt", number);
        let result = client.execute(request).await;
        if let Ok(response) = &result {
            record_response(&span, response);
        }
        result
    }

    /// What follows an attempt: the policy's decision, unless the body cannot be
    /// resent. `Ok` holds the wait and the copy to send next (made by `next` only
    /// when the policy retries); `Err` why to stop.
    fn next_step(
        &self,
        method: &Method,
        result: &reqwest::Result<Response>,
        attempt: &Attempt,
        next: impl FnOnce() -> Option<Request>,
    ) -> Result<(Duration, Request), StopReason> {
        match self.policy.decide(method, outcome_of(result), attempt) {
            Decision::Retry(wait) => next()
                .map(|request| (wait, request))
                .ok_or(StopReason::BodyNotRepeatable),
            Decision::Stop(reason) => Err(reason),
        }
    }

    /// Like [`Transport::execute`], with `rebuild` making the copy of each further
    /// attempt (`None` when it cannot).
    fn execute_rebuilding<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        rebuild: &'a Rebuild<'a>,
        operation_id: &'static str,
    ) -> BoxFuture<'a, reqwest::Result<Response>> {
        let span = request_span(operation_id, &request);
        Box::pin(self.run(client, request, Some(rebuild)).instrument(span))
    }
}

/// Makes a fresh copy of a request whose body cannot be cloned (it is read from a file
/// or a buffer again); `None` when that fails, which ends the retries.
pub(crate) type Rebuild<'a> = dyn Fn() -> Option<Request> + Send + Sync + 'a;

impl Transport for RetryingTransport {
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        operation_id: &'static str,
    ) -> BoxFuture<'a, reqwest::Result<Response>> {
        let span = request_span(operation_id, &request);
        Box::pin(self.run(client, request, None).instrument(span))
    }
}

impl fmt::Debug for RetryingTransport {
    /// The policy and the limiter's limits; the clock is just code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryingTransport")
            .field("policy", &self.policy)
            .field("rate_limiter", &self.limiter)
            .finish_non_exhaustive()
    }
}

/// Adds the credentials and user agent to every request, then hands it to the retrying
/// transport. The credentials are set here, on each request, rather than as a default
/// header of the `reqwest::Client`, so a client the caller brings gets them too, and
/// so an OAuth token can change between requests.
///
/// When awork answers 401 and the credentials can be renewed (an OAuth session with a
/// refresh token), the request is sent once more with the renewed token, if its body
/// can be sent twice; otherwise the 401 is the answer. When the credentials fail (the
/// refresh fails, the session ended), the request is not sent: the transport answers
/// it with a local 401 and notes the failure, which this crate's calls report as
/// [`Error::Auth`](crate::Error::Auth).
pub(crate) struct ClientTransport {
    credentials: Credentials,
    user_agent: HeaderValue,
    inner: RetryingTransport,
}

impl ClientTransport {
    pub(crate) fn new(
        credentials: Credentials,
        user_agent: HeaderValue,
        inner: RetryingTransport,
    ) -> Self {
        Self {
            credentials,
            user_agent,
            inner,
        }
    }

    /// Authorizes and sends `request`, renewing once after a 401.
    async fn send(
        &self,
        client: &reqwest::Client,
        mut request: Request,
        operation_id: &'static str,
    ) -> reqwest::Result<Response> {
        let authorization = match self.credentials.authorize().await {
            Ok(authorization) => authorization,
            Err(error) => return Ok(not_sent(operation_id, error)),
        };
        request
            .headers_mut()
            .insert(AUTHORIZATION, authorization.header.clone());
        let spare = if self.credentials.renews() {
            request.try_clone()
        } else {
            None
        };
        let response = self.inner.execute(client, request, operation_id).await?;
        if response.status() != StatusCode::UNAUTHORIZED || !self.credentials.renews() {
            return Ok(response);
        }
        let Some(again) = spare else {
            tracing::debug!(
                operation_id,
                "awork answered 401; the body cannot be resent"
            );
            return Ok(response);
        };
        self.resend_renewed(client, again, response, &authorization, operation_id)
            .await
    }

    /// After a 401: renews the credentials and sends `again` once; keeps `rejected` as
    /// the answer when there is nothing to renew or the renewal fails.
    async fn resend_renewed(
        &self,
        client: &reqwest::Client,
        mut again: Request,
        rejected: Response,
        authorization: &Authorization,
        operation_id: &'static str,
    ) -> reqwest::Result<Response> {
        match self.credentials.renew(authorization).await {
            Ok(Some(header)) => {
                drop(rejected);
                again.headers_mut().insert(AUTHORIZATION, header);
                attempts::resend();
                self.inner.execute(client, again, operation_id).await
            }
            Ok(None) => Ok(rejected),
            Err(error) => {
                attempts::auth_failed(error);
                Ok(rejected)
            }
        }
    }

    /// Sends a request whose body is a stream (an upload) through the same path as
    /// every other request. Each further attempt the retry policy allows sends a copy
    /// made by `rebuild`, carrying the same credentials and user agent. A 401 is the
    /// answer: the body is not sent a further time to renew credentials.
    pub(crate) async fn execute_rebuilding(
        &self,
        client: &reqwest::Client,
        mut request: Request,
        rebuild: &Rebuild<'_>,
        operation_id: &'static str,
    ) -> reqwest::Result<Response> {
        let authorization = match self.credentials.authorize().await {
            Ok(authorization) => authorization,
            Err(error) => return Ok(not_sent(operation_id, error)),
        };
        let identify = |request: &mut Request| {
            request
                .headers_mut()
                .insert(AUTHORIZATION, authorization.header.clone());
            stamp_user_agent(request, &self.user_agent);
        };
        identify(&mut request);
        let identified = || {
            let mut copy = rebuild()?;
            identify(&mut copy);
            Some(copy)
        };
        self.inner
            .execute_rebuilding(client, request, &identified, operation_id)
            .await
    }
}

impl Transport for ClientTransport {
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        mut request: Request,
        operation_id: &'static str,
    ) -> BoxFuture<'a, reqwest::Result<Response>> {
        stamp_user_agent(&mut request, &self.user_agent);
        Box::pin(self.send(client, request, operation_id))
    }
}

impl fmt::Debug for ClientTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientTransport")
            .field("credentials", &self.credentials)
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

/// Sets the `User-Agent` header.
pub(crate) fn stamp_user_agent(request: &mut Request, user_agent: &HeaderValue) {
    request.headers_mut().insert(USER_AGENT, user_agent.clone());
}

/// The answer to a request whose credentials failed, which is therefore not sent: a
/// 401 in awork's error shape, made here, with the failure noted for [`attempts`].
fn not_sent(operation_id: &'static str, error: AuthError) -> Response {
    tracing::warn!(operation_id, %error, "awork request not sent: no usable credentials");
    let body = serde_json::json!({
        "code": "not-sent",
        "description": format!("not sent: {error}"),
        "link": "https://developers.awork.com/authentication",
    });
    attempts::auth_failed(error);
    let mut answer = http::Response::new(body.to_string());
    *answer.status_mut() = StatusCode::UNAUTHORIZED;
    answer.headers_mut().insert(
        reqwest::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from(answer)
}

/// The `awork.request` span: what was called, never who called it or with which data.
fn request_span(operation_id: &'static str, request: &Request) -> Span {
    tracing::info_span!(
        "awork.request",
        operation_id,
        method = %request.method(),
        path = request.url().path(),
        attempt = field::Empty,
        status = field::Empty,
        trace_id = field::Empty,
    )
}

/// Puts the answer's status and awork's trace id on the request span.
fn record_response(span: &Span, response: &Response) {
    span.record("status", response.status().as_u16());
    if let Some(trace_id) = headers::text(response.headers(), headers::TRACE_ID) {
        span.record("trace_id", trace_id);
    }
}

/// How the policy sees the result of one send.
fn outcome_of(result: &reqwest::Result<Response>) -> Outcome<'_> {
    match result {
        Ok(response) => Outcome::Status(response.status(), response.headers()),
        Err(error) if error.is_timeout() => Outcome::Timeout,
        Err(error) if error.is_connect() || error.is_request() => Outcome::Connect,
        Err(_) => Outcome::Other,
    }
}

/// Logs that attempt `number` failed and the next comes after `wait`. A 429 is awork's
/// normal flow control and logs at debug; other failures log at warn.
fn announce_retry(result: &reqwest::Result<Response>, number: u32, wait: Duration) {
    let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
    match result {
        Ok(response) if response.status() == reqwest::StatusCode::TOO_MANY_REQUESTS => {
            tracing::debug!(
                attempt = number,
                status = response.status().as_u16(),
                wait_ms,
                "awork rate limit reached; retrying"
            );
        }
        Ok(response) => tracing::warn!(
            attempt = number,
            status = response.status().as_u16(),
            trace_id = headers::text(response.headers(), headers::TRACE_ID),
            wait_ms,
            "awork answered with a server error; retrying"
        ),
        Err(error) => tracing::warn!(
            attempt = number,
            failure = failure_kind(error),
            wait_ms,
            "awork request failed; retrying"
        ),
    }
}

/// A fixed description of a transport error; reqwest's own message names the URL,
/// whose query string may hold personal data.
fn failure_kind(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "connection failed"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SystemClock;
    use crate::rate_limit::Plan;

    #[test]
    fn debug_shows_the_policy_and_the_limiter() {
        let limiter = Arc::new(RateLimiter::for_plan(Plan::Standard));
        let transport = RetryingTransport::new(
            RetryPolicy::none(),
            Some(limiter),
            Arc::new(SystemClock::new()),
        );
        let text = format!("{transport:?}");
        assert!(text.starts_with("RetryingTransport { policy: RetryPolicy { max_attempts: 1"));
        assert!(text.contains("per_minute: 1000"), "{text}");
    }

    #[tokio::test]
    async fn a_streamed_body_cannot_be_resent_so_it_is_sent_once() {
        use crate::clock::ManualClock;
        use wiremock::{Mock, MockServer, ResponseTemplate, matchers};
        let server = MockServer::start().await;
        Mock::given(matchers::method("PUT"))
            .respond_with(ResponseTemplate::new(503))
            .mount(&server)
            .await;
        let clock = ManualClock::default();
        let transport =
            RetryingTransport::new(RetryPolicy::default(), None, Arc::new(clock.clone()));
        let http = reqwest::Client::new();
        let chunks = futures::stream::iter([Ok::<_, std::io::Error>(b"{}".to_vec())]);
        let request = http
            .put(format!("{}/upload", server.uri()))
            .body(reqwest::Body::wrap_stream(chunks))
            .build()
            .unwrap();
        let (response, tally) =
            attempts::counted(transport.execute(&http, request, "upload")).await;
        assert_eq!(response.unwrap().status().as_u16(), 503);
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
        assert!(clock.waits().is_empty());
        assert_eq!(tally.attempts, Some(1));
    }
}
