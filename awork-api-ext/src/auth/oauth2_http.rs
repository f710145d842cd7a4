//! The `oauth2` crate's HTTP client, implemented over this crate's pipeline.
//!
//! `oauth2` builds the token requests (form body, PKCE verifier, client
//! authentication) and reads the answers; this adapter sends them through a
//! [`Pipeline`] without bearer credentials, so they share the client's timeouts, user
//! agent, rate limit and tracing instead of going through a second HTTP client.
//! (`oauth2`'s own reqwest support targets reqwest 0.12; this crate uses 0.13.)
//!
//! Answers that are not awork refusing the grant (5xx, 429 after the retries, or an
//! error body that is not an OAuth error) become this crate's [`Error`] here, with the
//! status, awork's trace id and the attempts, so that a failure to reach awork is
//! never mistaken for a refresh token awork rejected.

use crate::error::{Error, settle};
use crate::http::copies::Copies;
use crate::http::pipeline::Pipeline;
use crate::http::tally::Sent;
use awork_api::BoxFuture;
use reqwest::StatusCode;
use reqwest::header::AUTHORIZATION;
use serde::{Deserialize, Serialize};
use std::fmt;

/// awork's refusal of a token request: `{code, description}` with an OAuth error code
/// (awork's shape); RFC 6749's `{error, error_description}` is read as well.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct TokenErrorBody {
    #[serde(alias = "error")]
    pub(crate) code: String,
    #[serde(alias = "error_description", default)]
    pub(crate) description: Option<String>,
}

impl fmt::Display for TokenErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)
    }
}

impl oauth2::ErrorResponse for TokenErrorBody {}

/// A failure to get an OAuth answer, as `oauth2` needs it (a `std::error::Error`).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct SendError(pub(crate) Error);

/// Sends `oauth2`'s requests through a [`Pipeline`], traced as `operation_id`.
pub(crate) struct OAuthHttp<'p> {
    pipeline: &'p Pipeline,
    operation_id: &'static str,
}

impl<'p> OAuthHttp<'p> {
    /// An adapter over `pipeline` whose requests are traced as `operation_id`.
    pub(crate) fn new(pipeline: &'p Pipeline, operation_id: &'static str) -> Self {
        Self {
            pipeline,
            operation_id,
        }
    }

    async fn send(&self, request: oauth2::HttpRequest) -> Result<oauth2::HttpResponse, SendError> {
        let request = to_reqwest(request).map_err(SendError)?;
        let Sent { result, tally } = self
            .pipeline
            .send(request, Copies::Cloned, self.operation_id)
            .await;
        settle(oauth_answer(result).await, &tally).map_err(SendError)
    }
}

impl<'c> oauth2::AsyncHttpClient<'c> for OAuthHttp<'_> {
    type Error = SendError;
    type Future = BoxFuture<'c, Result<oauth2::HttpResponse, SendError>>;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(self.send(request))
    }
}

/// `oauth2`'s request as a reqwest request, its client credentials marked sensitive.
fn to_reqwest(request: oauth2::HttpRequest) -> Result<reqwest::Request, Error> {
    let mut request = reqwest::Request::try_from(request).map_err(Error::from_reqwest)?;
    if let Some(value) = request.headers_mut().get_mut(AUTHORIZATION) {
        value.set_sensitive(true);
    }
    Ok(request)
}

/// The answer for `oauth2` to read, or the error that kept one from arriving.
async fn oauth_answer(
    result: reqwest::Result<reqwest::Response>,
) -> Result<oauth2::HttpResponse, Error> {
    let response = result.map_err(Error::from_reqwest)?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(Error::from_reqwest)?;
    if !is_oauth_answer(status, &body) {
        return Err(Error::from_status(status, &headers, &body));
    }
    let mut answer = http::Response::new(body.to_vec());
    *answer.status_mut() = status;
    *answer.headers_mut() = headers;
    Ok(answer)
}

/// Whether `oauth2` should read the answer: a success, or a 4xx whose body is an OAuth
/// error (awork refusing the grant). Anything else is a failure to get through.
fn is_oauth_answer(status: StatusCode, body: &[u8]) -> bool {
    status.is_success()
        || (status.is_client_error()
            && status != StatusCode::TOO_MANY_REQUESTS
            && serde_json::from_slice::<TokenErrorBody>(body).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_successes_and_oauth_refusals_reach_oauth2() {
        let refusal = br#"{"code":"invalid_grant","description":"spent"}"#;
        assert!(is_oauth_answer(StatusCode::OK, b"{}"));
        assert!(is_oauth_answer(StatusCode::BAD_REQUEST, refusal));
        assert!(is_oauth_answer(
            StatusCode::BAD_REQUEST,
            br#"{"error":"invalid_grant"}"#
        ));
        assert!(!is_oauth_answer(StatusCode::SERVICE_UNAVAILABLE, refusal));
        assert!(!is_oauth_answer(StatusCode::TOO_MANY_REQUESTS, refusal));
        assert!(!is_oauth_answer(StatusCode::NOT_FOUND, b"<html>"));
    }
}
