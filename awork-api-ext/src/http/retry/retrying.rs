//! The retry step of the pipeline: sends a request, asks the policy what the outcome
//! means, waits through the client's clock and sends a copy again, until the policy
//! stops or no further copy can be made.

use super::decide::{Attempt, Decision, Outcome, StopReason};
use super::policy::RetryPolicy;
use crate::clock::Clock;
use crate::http::copies::{Copies, Stamp};
use crate::http::trace;
use crate::http::wire::Wire;
use futures::FutureExt;
use futures::future::{self, Either};
use pin_project_lite::pin_project;
use reqwest::{Request, Response};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
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

    /// Sends `request` until the policy stops: [`attempt`](Self::attempt), then
    /// [`after`](Self::after). Attempts are numbered on from `before` (the attempts an
    /// earlier send of the same request made). Each further copy comes from `copies`
    /// and gets `stamp`'s headers.
    ///
    /// A combinator rather than an `async fn`: its future is either the attempt or
    /// what follows, never both, and the request is handed to reqwest at once, so
    /// what every request's future holds for this step stays small.
    pub(crate) fn send<'a>(
        &'a self,
        request: Box<Request>,
        copies: &'a Copies<'_>,
        stamp: &'a Stamp,
        before: u32,
    ) -> impl Future<Output = Finished> + Send + 'a {
        self.attempt(*request, copies, before.saturating_add(1))
            .then(move |first| self.after(first, copies, stamp, before))
    }

    /// Sends `request` as attempt `number`, keeping aside what another attempt would
    /// need: its method, and a spare copy when copies are clones.
    #[inline(always)]
    pub(crate) fn attempt<'a>(
        &'a self,
        request: Request,
        copies: &Copies<'_>,
        number: u32,
    ) -> Attempting<impl Future<Output = reqwest::Result<Response>> + Send + use<'a>> {
        let method = Some(request.method().clone());
        let spare = copies.spare(&request);
        Attempting {
            on_wire: self.wire.send(request, number),
            method,
            spare,
        }
    }

    /// What follows a first attempt. An outcome no policy repeats (a success, a 404)
    /// ends the request at once ([`ends_at_once`]); the rest, rare, runs in a boxed
    /// future of its own, so that it adds nothing to every request's future (measured
    /// in `benches/overhead.rs`).
    fn after<'a>(
        &'a self,
        first: Attempted,
        copies: &'a Copies<'_>,
        stamp: &'a Stamp,
        before: u32,
    ) -> impl Future<Output = Finished> + Send + 'a {
        if ends_at_once(&first.result, before) {
            return Either::Left(future::ready(Finished::first(first)));
        }
        Either::Right(Box::pin(self.again(first, copies, stamp, before)))
    }

    /// The request after a first attempt the policy may repeat: decides, waits, sends
    /// the next copy, and so on until the policy stops.
    pub(crate) async fn again(
        &self,
        first: Attempted,
        copies: &Copies<'_>,
        stamp: &Stamp,
        before: u32,
    ) -> Finished {
        let Attempted {
            method,
            mut result,
            mut spare,
        } = first;
        let mut backoff = self.policy.backoff(super::backoff::seed());
        let mut waited = Duration::ZERO;
        let mut made: u32 = 1;
        loop {
            let number = before.saturating_add(made);
            let attempt = Attempt {
                number: made,
                waited,
                backoff: backoff.next_wait(),
                now: self.clock.now(),
            };
            let Some((wait, copy)) = self.follow(&method, &result, &attempt, number, || {
                restamped(spare.take(), copies, stamp)
            }) else {
                return Finished {
                    result,
                    made,
                    spare,
                };
            };
            drop(result);
            self.clock.sleep(wait).await;
            waited = waited.saturating_add(wait);
            made = made.saturating_add(1);
            spare = copies.spare(&copy);
            result = self.wire.send(*copy, before.saturating_add(made)).await;
        }
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

/// One attempt, sent: its result, and what another attempt would need.
pub(crate) struct Attempted {
    method: reqwest::Method,
    result: reqwest::Result<Response>,
    spare: Option<Box<Request>>,
}

impl Attempted {
    /// What the attempt brought back.
    pub(crate) fn result(&self) -> &reqwest::Result<Response> {
        &self.result
    }
}

/// Whether a request ends right after its first attempt (attempt `before + 1`): when
/// no policy repeats what came back. Then it ends without a clock reading or a backoff
/// schedule, and this traces why.
pub(crate) fn ends_at_once(first: &reqwest::Result<Response>, before: u32) -> bool {
    let over = Outcome::of(first).is_final();
    if over {
        trace::finished(before.saturating_add(1), &StopReason::Final);
    }
    over
}

pin_project! {
    /// An attempt on its way, with what another attempt would need kept aside. Its
    /// answer can be had alone ([`Self::poll_answer`]) and looked at where it lies,
    /// before anything else is made of it: the first round of a request does that.
    pub(crate) struct Attempting<W> {
        #[pin]
        on_wire: W,
        method: Option<reqwest::Method>,
        spare: Option<Box<Request>>,
    }
}

impl<W: Future<Output = reqwest::Result<Response>>> Attempting<W> {
    /// The attempt's answer, once it is there.
    pub(crate) fn poll_answer(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<reqwest::Result<Response>> {
        self.project().on_wire.poll(cx)
    }

    /// The attempt, made: its answer with what was kept aside for another.
    pub(crate) fn made(self: Pin<&mut Self>, result: reqwest::Result<Response>) -> Attempted {
        let this = self.project();
        Attempted {
            method: this.method.take().expect("an attempt is made once"),
            result,
            spare: this.spare.take(),
        }
    }
}

impl<W: Future<Output = reqwest::Result<Response>>> Future for Attempting<W> {
    type Output = Attempted;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Attempted> {
        let result = ready!(self.as_mut().poll_answer(cx));
        Poll::Ready(self.made(result))
    }
}

/// How a request's attempts ended: the last result, how many were made, and the
/// spare copy the last attempt left unused (a 401 may still want it).
pub(crate) struct Finished {
    pub(crate) result: reqwest::Result<Response>,
    pub(crate) made: u32,
    pub(crate) spare: Option<Box<Request>>,
}

impl Finished {
    /// The end after one attempt.
    pub(crate) fn first(attempted: Attempted) -> Self {
        Finished {
            result: attempted.result,
            made: 1,
            spare: attempted.spare,
        }
    }
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
        let Finished {
            result,
            made: attempts,
            ..
        } = retrying(&clock)
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
        let attempts = retrying(&clock)
            .send(Box::new(first), &Copies::Rebuilt(&rebuild), &stamp, 0)
            .await
            .made;
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
