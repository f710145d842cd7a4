//! The innermost step: one attempt goes on the wire. It waits for the client-side rate limit
//! first (so retries count against the budget too), and notes the answer on the
//! request's span.

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

    /// Sends `request` as attempt `number` of its request.
    pub(crate) async fn send(&self, request: Request, number: u32) -> reqwest::Result<Response> {
        if let Some(limiter) = &self.limiter {
            limiter.acquire().await;
        }
        trace::attempt(number);
        let result = self.http.execute(request).await;
        if let Ok(response) = &result {
            trace::answer(response);
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
