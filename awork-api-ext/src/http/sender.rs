//! Sending a request that brings its own credentials, or none, through the client's
//! HTTP stack: the OAuth token endpoint and client registration.
//!
//! These requests must not carry the bearer credential that
//! [`ClientTransport`](crate::http::transport::ClientTransport) adds (the token endpoint
//! authenticates the client, not the user), but they should get everything else every request gets: the
//! client's `reqwest::Client` with its timeouts, the user agent, the rate limiter, the
//! tracing span, and retries of 429 answers. Never retries after a failure that may
//! have reached awork: a code or refresh token is spent on first use, so sending it
//! again could only fail.

use crate::http::transport::{RetryingTransport, stamp_user_agent};
use reqwest::header::HeaderValue;
use reqwest::{Request, Response};

/// The client's stack, for requests without the bearer credential.
pub(crate) struct Sender {
    http: reqwest::Client,
    user_agent: HeaderValue,
    transport: RetryingTransport,
    base_url: String,
}

impl Sender {
    /// A sender over `http`, stamping `user_agent`, through `transport` (whose policy
    /// should not repeat non-idempotent requests), for URLs below `base_url`.
    pub(crate) fn new(
        http: reqwest::Client,
        user_agent: HeaderValue,
        transport: RetryingTransport,
        base_url: String,
    ) -> Self {
        Self {
            http,
            user_agent,
            transport,
            base_url,
        }
    }

    /// The absolute URL of `path` below the v1 base URL.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The HTTP client, to build requests with.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Sends `request` as it is, with the user agent, traced as `operation_id`.
    pub(crate) async fn send(
        &self,
        mut request: Request,
        operation_id: &'static str,
    ) -> reqwest::Result<Response> {
        stamp_user_agent(&mut request, &self.user_agent);
        awork_api::Transport::execute(&self.transport, &self.http, request, operation_id).await
    }
}
