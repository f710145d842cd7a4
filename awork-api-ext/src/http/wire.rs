//! The innermost step: one attempt goes on the wire. It waits for the client-side rate limit
//! first (so retries count against the budget too), shows the limiter what awork's
//! answer says about the workspace's windows, and notes the answer on the request's
//! span.

use crate::http::rate_limit::RateLimiter;
use crate::http::trace;
use awork_api::BoxFuture;
use pin_project_lite::pin_project;
use reqwest::{Request, Response};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

/// Sends single attempts with one HTTP client, paced by an optional limiter.
#[derive(Clone)]
pub(crate) struct Wire {
    http: reqwest::Client,
    limiter: Option<Arc<RateLimiter>>,
}

impl Wire {
    /// Attempts through `http`, each waiting for `limiter` when there is one.
    pub(crate) fn new(http: reqwest::Client, limiter: Option<Arc<RateLimiter>>) -> Self {
        Self { http, limiter }
    }

    /// The HTTP client, to build requests with.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Sends `request` as attempt `number` of its request: waits for the rate limiter
    /// when there is one, notes the answer on the span, and shows the limiter what
    /// awork said about the workspace's windows.
    ///
    /// Without a limiter (the default) the attempt is reqwest's own future in a small
    /// layer ([`OnWire`]) that the caller's future holds in place; with one, the wait
    /// and the request go into a boxed future.
    #[inline(always)]
    pub(crate) fn send(
        &self,
        request: Request,
        number: u32,
    ) -> OnWire<'_, impl Future<Output = reqwest::Result<Response>> + Send + use<>> {
        match &self.limiter {
            None => {
                trace::attempt(number);
                OnWire::Now {
                    pending: self.http.execute(request),
                }
            }
            Some(limiter) => OnWire::Paced {
                paced: Box::pin(async move {
                    let permit = limiter.acquire().await;
                    trace::attempt(number);
                    let result = self.http.execute(request).await;
                    if let Ok(response) = &result {
                        trace::answer(response);
                        permit.observe(response.headers());
                    }
                    result
                }),
            },
        }
    }
}

pin_project! {
    /// One attempt on its way: reqwest's future, or the paced wait and request, boxed.
    #[project = OnWireProj]
    pub(crate) enum OnWire<'a, P> {
        Now {
            #[pin]
            pending: P,
        },
        Paced {
            paced: BoxFuture<'a, reqwest::Result<Response>>,
        },
    }
}

impl<P: Future<Output = reqwest::Result<Response>>> Future for OnWire<'_, P> {
    type Output = reqwest::Result<Response>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            OnWireProj::Now { pending } => {
                let result = ready!(pending.poll(cx));
                if let Ok(response) = &result {
                    trace::answer(response);
                }
                Poll::Ready(result)
            }
            OnWireProj::Paced { paced } => paced.as_mut().poll(cx),
        }
    }
}

impl fmt::Debug for Wire {
    /// The limiter's limits; the HTTP client is reqwest's business.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wire")
            .field("rate_limiter", &self.limiter)
            .finish_non_exhaustive()
    }
}
