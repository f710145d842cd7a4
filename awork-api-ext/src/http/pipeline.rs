//! The one path every request takes to awork, composed here and nowhere else.
//!
//! In order: the request gets the user agent; then, when the pipeline has credentials,
//! an `Authorization` header (a refusal ends it here, unsent); then the retry step
//! sends it attempt after attempt, each attempt paced by the rate limiter. After a 401,
//! credentials that can be renewed are renewed once and a copy of the request goes
//! through the retry step again. The whole request runs in one `awork.request` span.
//!
//! A request is one future ([`Sending`]): the common case (an answer no policy repeats,
//! with credentials at hand) runs in it, and each rare path (OAuth's header fetched
//! first, retries, the renewal) in a boxed future of its own.
//!
//! What comes back is [`Sent`]: the last answer and the request's tally as data.

use crate::http::authorize::{self, Authorization, Authorize, Refusal};
use crate::http::copies::{Copies, Stamp};
use crate::http::retry::{self, Attempted, Attempting, Finished, Retrying};
use crate::http::tally::{Sent, Tally};
use crate::http::trace;
use awork_api::BoxFuture;
use pin_project_lite::pin_project;
use reqwest::header::HeaderValue;
use reqwest::{Request, Response};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use tracing::Span;

/// A configured path to awork: user agent, credentials (or none), retries, pacing.
#[derive(Clone)]
pub(crate) struct Pipeline {
    user_agent: HeaderValue,
    credentials: Option<Arc<dyn Authorize>>,
    retrying: Retrying,
}

impl Pipeline {
    /// A pipeline without credentials: for requests that bring their own or need none
    /// (OAuth's token requests, client registration).
    pub(crate) fn new(user_agent: HeaderValue, retrying: Retrying) -> Self {
        Self {
            user_agent,
            credentials: None,
            retrying,
        }
    }

    /// This pipeline, authorizing every request with `credentials`.
    pub(crate) fn authorized_by(self, credentials: Arc<dyn Authorize>) -> Self {
        Self {
            credentials: Some(credentials),
            ..self
        }
    }

    /// The HTTP client requests are sent with, to build them with.
    pub(crate) fn http(&self) -> &reqwest::Client {
        self.retrying.wire().http()
    }

    /// Sends `request`, traced as `operation_id`, making further copies as `copies`
    /// says. Answers whatever the status; the tally says what happened on the way.
    pub(crate) fn send<'a>(
        &'a self,
        request: Request,
        copies: Copies<'a>,
        operation_id: &'static str,
    ) -> impl Future<Output = Sent> + Send + 'a {
        self.send_then(request, copies, operation_id, std::convert::identity)
    }

    /// [`Self::send`], handing the request's end to `finish` (the generated
    /// operations' hook notes the tally there and keeps the answer): one future, not
    /// a second layer around the first.
    pub(crate) fn send_then<'a, O: 'a>(
        &'a self,
        request: Request,
        copies: Copies<'a>,
        operation_id: &'static str,
        finish: impl Fn(Sent) -> O + Send + 'a,
    ) -> impl Future<Output = O> + Send + 'a {
        let span = trace::request_span(operation_id, &request);
        let first = {
            let _entered = span.enter();
            self.start(request, copies, operation_id)
        };
        Sending {
            span,
            pipeline: self,
            copies,
            operation_id,
            first,
            rest: None,
            finish,
        }
    }

    /// The first attempt. When the credentials' header is at hand (no credentials, or
    /// fixed ones such as an API key) the attempt starts now, as reqwest's own `send`
    /// starts a request, and is held in place: the request goes straight to reqwest
    /// instead of waiting in a future for its first poll. When the header must be
    /// fetched first, that and the attempt run in a boxed future, where a refusal ends
    /// the request, unsent.
    fn start<'a>(
        &'a self,
        mut request: Request,
        copies: Copies<'a>,
        operation_id: &'static str,
    ) -> Start<'a, impl Future<Output = reqwest::Result<Response>> + Send + 'a> {
        let mut stamp = Stamp::new(self.user_agent.clone());
        if let Some(credentials) = self.credentials.as_deref() {
            match credentials.fixed() {
                Some(header) => stamp.authorize(header),
                None => {
                    return Start::Later {
                        later: self.authorized_first(credentials, request, copies, operation_id),
                    };
                }
            }
        }
        stamp.put_on(&mut request);
        Start::Now {
            attempt: self.retrying.attempt(request, &copies, 1),
        }
    }

    /// The first attempt after the credentials' header was fetched.
    #[cold]
    #[inline(never)]
    fn authorized_first<'a>(
        &'a self,
        credentials: &'a dyn Authorize,
        mut request: Request,
        copies: Copies<'a>,
        operation_id: &'static str,
    ) -> BoxFuture<'a, Result<First, Sent>> {
        Box::pin(async move {
            let authorization = match credentials.authorize().await {
                Ok(authorization) => authorization,
                Err(refusal) => return Err(unsent(operation_id, refusal)),
            };
            self.stamp(Some(&authorization)).put_on(&mut request);
            let attempted = self.retrying.attempt(request, &copies, 1).await;
            Ok(First {
                attempted,
                authorization: Some(authorization),
            })
        })
    }

    /// The headers every further copy of a request carries: the user agent and, with
    /// credentials, their header (the one the request went with, or the fixed one).
    /// Made again where a further copy needs it rather than kept with every request.
    fn stamp(&self, authorization: Option<&Authorization>) -> Stamp {
        let mut stamp = Stamp::new(self.user_agent.clone());
        let header = match authorization {
            Some(authorization) => Some(authorization.header.clone()),
            None => self.credentials.as_deref().and_then(|c| c.fixed()),
        };
        if let Some(header) = header {
            stamp.authorize(header);
        }
        stamp
    }

    /// What follows a first attempt sent after OAuth's header was fetched: the answer,
    /// or the retries and the renewal in a boxed future, so that they add nothing to
    /// every request's future. Out of line, to keep that future's own code short.
    #[inline(never)]
    fn after_first<'a>(
        &'a self,
        first: First,
        copies: Copies<'a>,
        operation_id: &'static str,
    ) -> Result<Sent, BoxFuture<'a, Sent>> {
        let First {
            attempted,
            authorization,
        } = first;
        if !retry::ends_at_once(attempted.result(), 0) {
            return Err(self.retried(attempted, authorization, copies, operation_id));
        }
        let finished = Finished::first(attempted);
        self.round_over(finished, authorization, copies, operation_id)
    }

    /// The retries after a first attempt the policy may repeat, and what follows them.
    /// Out of line and marked cold, so that the common path's code stays short.
    #[cold]
    #[inline(never)]
    fn retried<'a>(
        &'a self,
        attempted: Attempted,
        authorization: Option<Authorization>,
        copies: Copies<'a>,
        operation_id: &'static str,
    ) -> BoxFuture<'a, Sent> {
        Box::pin(async move {
            let stamp = self.stamp(authorization.as_ref());
            let finished = self.retrying.again(attempted, &copies, &stamp, 0).await;
            match self.round_over(finished, authorization, copies, operation_id) {
                Ok(sent) => sent,
                Err(renewal) => renewal.await,
            }
        })
    }

    /// After the retry step's attempts: the answer; or, after a 401 with credentials
    /// that renew, a second round with renewed credentials.
    fn round_over<'a>(
        &'a self,
        finished: Finished,
        authorization: Option<Authorization>,
        copies: Copies<'a>,
        operation_id: &'static str,
    ) -> Result<Sent, BoxFuture<'a, Sent>> {
        match (&self.credentials, authorization) {
            (Some(credentials), Some(authorization))
                if authorize::rejected(&finished.result) && credentials.renews() =>
            {
                Err(self.renewal(
                    credentials.as_ref(),
                    authorization,
                    finished,
                    copies,
                    operation_id,
                ))
            }
            _ => Ok(Sent::after(
                finished.result,
                Tally::default().sent(finished.made),
            )),
        }
    }

    /// The round after a 401 with credentials that renew; cold, like [`Self::retried`].
    #[cold]
    #[inline(never)]
    fn renewal<'a>(
        &'a self,
        credentials: &'a dyn Authorize,
        authorization: Authorization,
        finished: Finished,
        copies: Copies<'a>,
        operation_id: &'static str,
    ) -> BoxFuture<'a, Sent> {
        let again = Again {
            authorization,
            finished,
        };
        Box::pin(self.once_more(credentials, again, copies, operation_id))
    }

    /// After a 401, with credentials that can renew: a copy of the request (the spare
    /// the last attempt left, or a fresh one) goes once more with the renewed header.
    async fn once_more(
        &self,
        credentials: &dyn Authorize,
        again: Again,
        copies: Copies<'_>,
        operation_id: &'static str,
    ) -> Sent {
        let Again {
            authorization,
            finished,
        } = again;
        let stamp = self.stamp(Some(&authorization));
        let rejected = Sent::after(finished.result, Tally::default().sent(finished.made));
        match finished.spare.or_else(|| copies.fresh()) {
            Some(copy) => {
                self.renewed(credentials, &authorization, copy, copies, stamp, rejected)
                    .await
            }
            None => {
                tracing::debug!(
                    operation_id,
                    "awork answered 401; the body cannot be resent"
                );
                rejected
            }
        }
    }

    /// After a 401: renews the credentials and sends `again` once more through the
    /// retry step; keeps `rejected` as the answer when nothing newer can be had.
    async fn renewed(
        &self,
        credentials: &dyn Authorize,
        authorization: &Authorization,
        mut again: Box<Request>,
        copies: Copies<'_>,
        mut stamp: Stamp,
        rejected: Sent,
    ) -> Sent {
        match credentials.renew(authorization).await {
            Ok(Some(header)) => {
                stamp.authorize(header);
                stamp.on(&mut again);
                let Sent { result, tally } = rejected;
                drop(result);
                let before = tally.attempts().unwrap_or(0);
                let finished = self.retrying.send(again, &copies, &stamp, before).await;
                Sent::after(finished.result, tally.sent(finished.made))
            }
            Ok(None) => rejected,
            Err(refusal) => Sent {
                tally: rejected.tally.refused(refusal),
                ..rejected
            },
        }
    }
}

/// What a second round after a 401 starts from.
struct Again {
    authorization: Authorization,
    finished: Finished,
}

/// The first attempt, made: what the rest of the request starts from.
struct First {
    attempted: Attempted,
    authorization: Option<Authorization>,
}

pin_project! {
    /// The first attempt: on its way, or waiting for the credentials' header first.
    #[project = StartProj]
    enum Start<'a, W> {
        /// Sent with no credentials or fixed ones, which never renew: nothing is kept
        /// for a renewal.
        Now {
            #[pin]
            attempt: Attempting<W>,
        },
        Later {
            later: BoxFuture<'a, Result<First, Sent>>,
        },
    }
}

pin_project! {
    /// One request, in its span: the credentials and the first attempt held in place,
    /// and what follows them, when anything does, boxed.
    ///
    /// One hand-written layer where a chain of combinators stood (the span, the
    /// attempt, a decision, the renewal, the hook's note): each layer moved the
    /// answer and the futures again, and together they cost the per-call overhead
    /// more than any one step's work (`benches/overhead.rs`). For the same reason the
    /// first answer is judged where it lies ([`retry::ends_at_once`]) and, in the
    /// common case, moved once: to the caller.
    struct Sending<'a, W, Fin> {
        span: Span,
        pipeline: &'a Pipeline,
        copies: Copies<'a>,
        operation_id: &'static str,
        #[pin]
        first: Start<'a, W>,
        rest: Option<BoxFuture<'a, Sent>>,
        finish: Fin,
    }
}

impl<W, Fin, O> Future for Sending<'_, W, Fin>
where
    W: Future<Output = reqwest::Result<Response>>,
    Fin: Fn(Sent) -> O,
{
    type Output = O;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<O> {
        let mut this = self.project();
        let _entered = this.span.enter();
        // One way out, so that `finish` is inlined once and the answer moved once.
        let sent = loop {
            if let Some(rest) = this.rest.as_mut() {
                break ready!(rest.as_mut().poll(cx));
            }
            let (pipeline, copies, operation_id) =
                (*this.pipeline, *this.copies, *this.operation_id);
            let rest = match this.first.as_mut().project() {
                StartProj::Now { mut attempt } => {
                    let result = ready!(attempt.as_mut().poll_answer(cx));
                    if retry::ends_at_once(&result, 0) {
                        break Sent::after(result, Tally::default().sent(1));
                    }
                    // Fixed credentials: nothing to renew, only retries can follow.
                    pipeline.retried(attempt.made(result), None, copies, operation_id)
                }
                StartProj::Later { later } => match ready!(later.as_mut().poll(cx)) {
                    Ok(first) => match pipeline.after_first(first, copies, operation_id) {
                        Ok(sent) => break sent,
                        Err(rest) => rest,
                    },
                    Err(unsent) => break unsent,
                },
            };
            *this.rest = Some(rest);
        };
        Poll::Ready((this.finish)(sent))
    }
}

/// A request whose credentials were refused: not sent, answered here.
#[cold]
fn unsent(operation_id: &'static str, refusal: Refusal) -> Sent {
    Sent {
        result: Ok(authorize::not_sent(operation_id, &refusal)),
        tally: Tally::default().refused(refusal),
    }
}

#[cfg(test)]
impl Pipeline {
    /// A pipeline for tests: no credentials, no retries, no limiter, the system clock.
    pub(crate) fn plain() -> Self {
        let wire = crate::http::wire::Wire::new(reqwest::Client::new(), None);
        let clock = Arc::new(crate::clock::SystemClock::new());
        let retrying = Retrying::new(crate::http::retry::RetryPolicy::none(), clock, wire);
        Self::new(HeaderValue::from_static("awork-rs/test"), retrying)
    }
}

impl fmt::Debug for Pipeline {
    /// The credentials as their own `Debug` shows them (secrets redacted), and the
    /// retry step; never a header value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pipeline")
            .field("credentials", &self.credentials)
            .field("retrying", &self.retrying)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use awork_api::BoxFuture;
    use std::sync::Mutex;
    use wiremock::matchers::{header, method};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    #[derive(Debug, thiserror::Error)]
    #[error("{0}")]
    struct Failed(&'static str);

    /// Credentials that hand out `Bearer 1` and renew to `Bearer 2`, or fail as told.
    #[derive(Debug, Default)]
    struct Renewing {
        refuse: bool,
        renewal_fails: bool,
        renewals: Mutex<u32>,
    }

    impl Authorize for Renewing {
        fn authorize(&self) -> BoxFuture<'_, Result<Authorization, Refusal>> {
            let answer = match self.refuse {
                true => Err(Refusal::new(Failed("session over"))),
                false => Ok(Authorization {
                    header: HeaderValue::from_static("Bearer 1"),
                    generation: 0,
                }),
            };
            Box::pin(std::future::ready(answer))
        }

        fn renews(&self) -> bool {
            true
        }

        fn renew<'a>(
            &'a self,
            _: &'a Authorization,
        ) -> BoxFuture<'a, Result<Option<HeaderValue>, Refusal>> {
            *self.renewals.lock().unwrap() += 1;
            let answer = match self.renewal_fails {
                true => Err(Refusal::new(Failed("refresh refused"))),
                false => Ok(Some(HeaderValue::from_static("Bearer 2"))),
            };
            Box::pin(std::future::ready(answer))
        }
    }

    /// A server whose `PUT`s accept `authorization` only and answer 401 otherwise.
    pub(crate) async fn accepting_only(authorization: &'static str) -> MockServer {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .and(header("authorization", authorization))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
        Mock::given(method("PUT"))
            .respond_with(ResponseTemplate::new(401))
            .mount(&server)
            .await;
        server
    }

    fn put(server: &MockServer, body: &'static str) -> Request {
        reqwest::Client::new()
            .put(format!("{}/x", server.uri()))
            .body(body)
            .build()
            .unwrap()
    }

    /// The `authorization` and `user-agent` of every request the server saw.
    async fn seen(server: &MockServer) -> Vec<(String, String)> {
        let text = |r: &wiremock::Request, name: &str| {
            r.headers
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        let received = server.received_requests().await.unwrap();
        received
            .iter()
            .map(|r| (text(r, "authorization"), text(r, "user-agent")))
            .collect()
    }

    fn with(credentials: Renewing) -> Pipeline {
        Pipeline::plain().authorized_by(Arc::new(credentials))
    }

    #[tokio::test]
    async fn after_a_401_the_request_goes_once_more_with_renewed_credentials() {
        let server = accepting_only("Bearer 2").await;
        let sent = with(Renewing::default())
            .send(put(&server, "{}"), Copies::Cloned, "put_x")
            .await;
        assert_eq!(sent.result.unwrap().status(), 200);
        assert_eq!(sent.tally.attempts(), Some(2), "both sends count");
        let ua = "awork-rs/test".to_string();
        assert_eq!(
            seen(&server).await,
            [("Bearer 1".into(), ua.clone()), ("Bearer 2".into(), ua)]
        );
    }

    #[tokio::test]
    async fn a_rebuilt_copy_is_renewed_and_stamped_too() {
        let server = accepting_only("Bearer 2").await;
        let rebuild = || Some(put(&server, "again"));
        let sent = with(Renewing::default())
            .send(put(&server, "first"), Copies::Rebuilt(&rebuild), "put_x")
            .await;
        assert_eq!(sent.result.unwrap().status(), 200);
        let received = server.received_requests().await.unwrap();
        assert_eq!(received[1].body, b"again");
        assert_eq!(seen(&server).await[1].0, "Bearer 2");
        assert_eq!(seen(&server).await[1].1, "awork-rs/test");
    }

    #[tokio::test]
    async fn refused_credentials_send_nothing_and_say_why() {
        let server = accepting_only("Bearer 2").await;
        let credentials = Renewing {
            refuse: true,
            ..Renewing::default()
        };
        let sent = with(credentials)
            .send(put(&server, "{}"), Copies::Cloned, "put_x")
            .await;
        assert_eq!(sent.result.unwrap().status(), 401, "a local answer");
        assert_eq!(sent.tally.attempts(), None);
        let refusal = sent.tally.refusal().map(ToString::to_string);
        assert_eq!(refusal.as_deref(), Some("session over"));
        assert!(server.received_requests().await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_renewal_that_fails_keeps_the_401_and_the_refusal() {
        let server = accepting_only("Bearer 2").await;
        let credentials = Arc::new(Renewing {
            renewal_fails: true,
            ..Renewing::default()
        });
        let pipeline = Pipeline::plain().authorized_by(credentials.clone());
        let sent = pipeline
            .send(put(&server, "{}"), Copies::Cloned, "put_x")
            .await;
        assert_eq!(sent.result.unwrap().status(), 401);
        assert_eq!(sent.tally.attempts(), Some(1));
        let refusal = sent.tally.refusal().map(ToString::to_string);
        assert_eq!(refusal.as_deref(), Some("refresh refused"));
        assert_eq!(*credentials.renewals.lock().unwrap(), 1);
    }

    #[tokio::test]
    async fn without_credentials_only_the_user_agent_is_added() {
        let server = accepting_only("Bearer 2").await;
        let sent = Pipeline::plain()
            .send(put(&server, "{}"), Copies::Cloned, "put_x")
            .await;
        assert_eq!(sent.result.unwrap().status(), 401);
        assert_eq!(
            seen(&server).await,
            [(String::new(), "awork-rs/test".into())]
        );
    }
}
