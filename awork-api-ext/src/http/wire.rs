//! The innermost step: one attempt goes on the wire. It waits for the client-side rate limit
//! first (so retries count against the budget too), shows the limiter what awork's
//! answer says about the workspace's windows, and notes the answer on the request's
//! span.

use crate::http::rate_limit::RateLimiter;
use crate::http::trace;
use reqwest::{Request, Response};
use std::fmt;
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
    /// awork said about the workspace's windows. The request comes boxed, so that this
    /// future, which waits for the limiter while holding it, stays small.
    pub(crate) async fn send(
        &self,
        request: Box<Request>,
        number: u32,
    ) -> reqwest::Result<Response> {
        let permit = match &self.limiter {
            Some(limiter) => Some(limiter.acquire().await),
            None => None,
        };
        trace::attempt(number);
        let result = self.http.execute(*request).await;
        if let Ok(response) = &result {
            trace::answer(response);
            if let Some(permit) = permit {
                permit.observe(response.headers());
            }
        }
        result
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
