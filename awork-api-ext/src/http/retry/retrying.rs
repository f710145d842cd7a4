//! The retry step of the pipeline: sends a request, asks the policy what the outcome
//! means, waits through the client's clock and sends a copy again, until the policy
//! stops or no further copy can be made.

use super::decide::{Attempt, Decision, Outcome, StopReason};
use super::policy::RetryPolicy;
use crate::clock::Clock;
use crate::http::copies::{Copies, Stamp};
use crate::http::trace;
use crate::http::wire::Wire;
use reqwest::{Request, Response};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Sends each request as often as its [`RetryPolicy`] allows, through one [`Wire`].
#[derive(Clone)]
pub(crate) struct Retrying {
    policy: RetryPolicy,
    clock: Arc<dyn Clock>,
    wire: Wire,
}

impl Retrying {
    /// Follows `policy`, waiting and reading dates with `clock`, sending on `wire`.
    pub(crate) fn new(policy: RetryPolicy, clock: Arc<dyn Clock>, wire: Wire) -> Self {
        Self {
            policy,
            clock,
            wire,
        }
    }

    /// The wire the attempts go out on.
    pub(crate) fn wire(&self) -> &Wire {
        &self.wire
    }

    /// Sends `request` until the policy stops; returns the last result and how many
    /// attempts were made. Attempts are numbered on from `before` (the attempts an
    /// earlier send of the same request made). Each further copy comes from `copies`
    /// and gets `stamp`'s headers.
    ///
    /// The first attempt is sent here and the rest, rare, in a boxed future of their
    /// own: every request carries this future, and the smaller it is the less each
    /// call copies (measured in `benches/overhead.rs`).
    pub(crate) async fn send(
        &self,
        request: Box<Request>,
        copies: &Copies<'_>,
        stamp: &Stamp,
        before: u32,
    ) -> (reqwest::Result<Response>, u32) {
        let method = request.method().clone();
        let number = before.saturating_add(1);
        let (result, spare) = self.attempt(request, copies, number).await;
        let mut backoff = self.policy.backoff(super::backoff::seed());
        let attempt = Attempt {
            number: 1,
            waited: Duration::ZERO,
            backoff: backoff.next_wait(),
            now: self.clock.now(),
        };
        let Some((wait, copy)) = self.follow(&method, &result, &attempt, number, || {
            restamped(spare, copies, stamp)
        }) else {
            return (result, 1);
        };
        drop(result);
        let rest = Again {
            method,
            backoff,
            waited: Duration::ZERO,
            made: 1,
        };
        Box::pin(self.again(rest, wait, copy, copies, stamp, before)).await
    }

    /// The attempts after the first: waits `wait`, sends `pending`, and so on until the
    /// policy stops.
    async fn again(
        &self,
        mut rest: Again,
        mut wait: Duration,
        mut pending: Box<Request>,
        copies: &Copies<'_>,
        stamp: &Stamp,
        before: u32,
    ) -> (reqwest::Result<Response>, u32) {
        loop {
            self.clock.sleep(wait).await;
            rest.waited = rest.waited.saturating_add(wait);
            rest.made = rest.made.saturating_add(1);
            let number = before.saturating_add(rest.made);
            let (result, spare) = self.attempt(pending, copies, number).await;
            let attempt = Attempt {
                number: rest.made,
                waited: rest.waited,
                backoff: rest.backoff.next_wait(),
                now: self.clock.now(),
            };
            match self.follow(&rest.method, &result, &attempt, number, || {
                restamped(spare, copies, stamp)
            }) {
                Some(next) => (wait, pending) = next,
                None => return (result, rest.made),
            }
        }
    }

    /// Sends `request` as attempt `number`, keeping a spare copy aside first when copies
    /// are clones.
    async fn attempt(
        &self,
        request: Box<Request>,
        copies: &Copies<'_>,
        number: u32,
    ) -> (reqwest::Result<Response>, Option<Box<Request>>) {
        let spare = copies.spare(&request);
        (self.wire.send(request, number).await, spare)
    }

    /// What follows attempt `number`, traced: the wait and the copy to send next, or
    /// `None` to stop.
    fn follow(
        &self,
        method: &reqwest::Method,
        result: &reqwest::Result<Response>,
        attempt: &Attempt,
        number: u32,
        next: impl FnOnce() -> Option<Box<Request>>,
    ) -> Option<(Duration, Box<Request>)> {
        match self.next_step(method, result, attempt, next) {
            Ok((wait, copy)) => {
                trace::retrying(result, number, wait);
                Some((wait, copy))
            }
            Err(stop) => {
                trace::finished(number, &stop);
                None
            }
        }
    }

    /// What follows an attempt: the policy's decision, unless no copy can be made.
    /// `Ok` holds the wait and the copy to send next (made by `next` only when the
    /// policy retries); `Err` why to stop.
    fn next_step(
        &self,
        method: &reqwest::Method,
        result: &reqwest::Result<Response>,
        attempt: &Attempt,
        next: impl FnOnce() -> Option<Box<Request>>,
    ) -> Result<(Duration, Box<Request>), StopReason> {
        match self.policy.decide(method, Outcome::of(result), attempt) {
            Decision::Retry(wait) => next()
                .map(|copy| (wait, copy))
                .ok_or(StopReason::BodyNotRepeatable),
            Decision::Stop(reason) => Err(reason),
        }
    }
}

/// Where a request's retries stand after its first attempt.
struct Again {
    method: reqwest::Method,
    backoff: super::backoff::Backoff,
    waited: Duration,
    made: u32,
}

/// The next copy to send: the spare kept aside, or a fresh one, with the stamp's
/// headers; `None` when neither can be had.
fn restamped(
    spare: Option<Box<Request>>,
    copies: &Copies<'_>,
    stamp: &Stamp,
) -> Option<Box<Request>> {
    let mut copy = spare.or_else(|| copies.fresh())?;
    stamp.on(&mut copy);
    Some(copy)
}

impl fmt::Debug for Retrying {
    /// The policy and the wire; the clock is just code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Retrying")
            .field("policy", &self.policy)
            .field("wire", &self.wire)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use wiremock::{Mock, MockServer, ResponseTemplate, matchers};

    async fn always(status: u16) -> MockServer {
        let server = MockServer::start().await;
        Mock::given(matchers::method("PUT"))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        server
    }

    fn retrying(clock: &ManualClock) -> Retrying {
        let wire = Wire::new(reqwest::Client::new(), None);
        Retrying::new(RetryPolicy::default(), Arc::new(clock.clone()), wire)
    }

    fn put(server: &MockServer, body: reqwest::Body) -> Request {
        reqwest::Client::new()
            .put(format!("{}/upload", server.uri()))
            .body(body)
            .build()
            .unwrap()
    }

    #[test]
    fn debug_shows_the_policy_and_the_limiter() {
        use crate::http::rate_limit::{Plan, RateLimiter};
        let limiter = Arc::new(RateLimiter::for_plan(Plan::Standard));
        let wire = Wire::new(reqwest::Client::new(), Some(limiter));
        let clock = Arc::new(ManualClock::default());
        let text = format!("{:?}", Retrying::new(RetryPolicy::none(), clock, wire));
        assert!(
            text.starts_with("Retrying { policy: RetryPolicy { max_attempts: 1"),
            "{text}"
        );
        assert!(text.contains("per_minute: 1000"), "{text}");
    }

    #[tokio::test]
    async fn a_streamed_body_cannot_be_resent_so_it_is_sent_once() {
        let server = always(503).await;
        let clock = ManualClock::default();
        let chunks = futures::stream::iter([Ok::<_, std::io::Error>(b"{}".to_vec())]);
        let request = put(&server, reqwest::Body::wrap_stream(chunks));
        let (result, attempts) = retrying(&clock)
            .send(Box::new(request), &Copies::Cloned, &Stamp::default(), 0)
            .await;
        assert_eq!(result.unwrap().status().as_u16(), 503);
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
        assert!(clock.waits().is_empty());
        assert_eq!(attempts, 1);
    }

    #[tokio::test]
    async fn rebuilt_copies_carry_the_stamp() {
        let server = always(503).await;
        let clock = ManualClock::default();
        let rebuild = || Some(put(&server, reqwest::Body::from("again")));
        let stamp = Stamp::new(reqwest::header::HeaderValue::from_static("stamped"));
        let first = put(&server, reqwest::Body::from("first"));
        let (_, attempts) = retrying(&clock)
            .send(Box::new(first), &Copies::Rebuilt(&rebuild), &stamp, 0)
            .await;
        assert_eq!(attempts, 4, "the default policy's attempts");
        let received = server.received_requests().await.unwrap();
        let agents: Vec<_> = received
            .iter()
            .map(|r| {
                r.headers
                    .get("user-agent")
                    .map(|v| v.to_str().unwrap().to_string())
            })
            .collect();
        assert_eq!(
            agents[0], None,
            "the first request is stamped by the caller"
        );
        assert!(agents[1..].iter().all(|a| a.as_deref() == Some("stamped")));
        assert_eq!(received[3].body, b"again");
    }
}
