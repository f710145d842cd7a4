//! The innermost step: one attempt goes on the wire. It waits for the client-side rate limit
//! first (so retries count against the budget too), shows the limiter what awork's
//! answer says about the workspace's windows, and notes the answer on the request's
//! span.

use crate::http::rate_limit::{Permit, RateLimiter};
use crate::http::trace;
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

    /// Waits for the rate limiter, when there is one. The request is not held here:
    /// the callers keep it once, in their own future, and hand it to [`Self::execute`].
    pub(crate) async fn pace(&self) -> Option<Permit<'_>> {
        match &self.limiter {
            Some(limiter) => Some(limiter.acquire().await),
            None => None,
        }
    }

    /// Puts `request` on the wire as attempt `number`; reqwest's future holds it from
    /// here on.
    pub(crate) fn execute(
        &self,
        request: Request,
        number: u32,
    ) -> impl Future<Output = reqwest::Result<Response>> + Send + 'static {
        trace::attempt(number);
        self.http.execute(request)
    }
}

/// Notes the answer on the span and shows the permit, when there is one, what awork
/// said about the workspace's windows.
pub(crate) fn answered(permit: Option<Permit<'_>>, result: &reqwest::Result<Response>) {
    if let Ok(response) = result {
        trace::answer(response);
        if let Some(permit) = permit {
            permit.observe(response.headers());
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
