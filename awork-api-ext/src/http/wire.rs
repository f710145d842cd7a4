//! The innermost step: one attempt goes on the wire. It waits for the client-side rate limit
//! first (so retries count against the budget too), shows the limiter what awork's
//! answer says about the workspace's windows, and notes the answer on the request's
//! span.

use crate::http::rate_limit::{Permit, RateLimiter};
use crate::http::trace;
use futures::FutureExt;
use futures::future::Either;
use reqwest::{Request, Response};
use std::fmt;
use std::future::Future;
use std::sync::Arc;

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
    /// A combinator rather than an `async fn`: without a limiter (the default) the
    /// attempt is reqwest's own future and a small step after it, which the caller's
    /// future holds in place; with one, the wait and the request go into a boxed future.
    pub(crate) fn send(
        &self,
        request: Request,
        number: u32,
    ) -> impl Future<Output = reqwest::Result<Response>> + Send + '_ {
        match &self.limiter {
            None => Either::Left(self.execute(request, None, number)),
            Some(limiter) => Either::Right(Box::pin(async move {
                let permit = limiter.acquire().await;
                self.execute(request, Some(permit), number).await
            })),
        }
    }

    /// Puts `request` on the wire now, under `permit` when the attempt is paced.
    fn execute<'a>(
        &'a self,
        request: Request,
        permit: Option<Permit<'a>>,
        number: u32,
    ) -> impl Future<Output = reqwest::Result<Response>> + Send + 'a {
        trace::attempt(number);
        self.http.execute(request).map(move |result| {
            if let Ok(response) = &result {
                trace::answer(response);
                if let Some(permit) = permit {
                    permit.observe(response.headers());
                }
            }
            result
        })
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
