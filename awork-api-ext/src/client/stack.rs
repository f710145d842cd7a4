//! A builder's settings, checked, and turned into the parts of the request path: the
//! pipeline for API requests, the one for OAuth's own requests, the token endpoint.
//! Everything that can be wrong with the settings is found here, before anything is
//! sent.

use crate::auth::{OAuthApp, TokenEndpoint};
use crate::clock::Clock;
use crate::error::Error;
use crate::http::pipeline::Pipeline;
use crate::http::rate_limit::RateLimiter;
use crate::http::retry::{RetryPolicy, Retrying};
use crate::http::wire::Wire;
use reqwest::header::HeaderValue;
use std::sync::Arc;

/// Sent as `User-Agent` (with the app name, if one is given, appended).
pub const USER_AGENT_PREFIX: &str = concat!("awork-rs/", env!("CARGO_PKG_VERSION"));

/// The checked settings of a builder, without credentials.
pub(crate) struct Stack {
    pub(crate) base_url: String,
    user_agent: HeaderValue,
    http: reqwest::Client,
    clock: Arc<dyn Clock>,
    limiter: Option<Arc<RateLimiter>>,
    retry: RetryPolicy,
}

impl Stack {
    /// Checks `base_url` and the app name, and keeps the rest as given.
    pub(crate) fn new(
        base_url: &str,
        app_name: Option<&str>,
        http: reqwest::Client,
        clock: Arc<dyn Clock>,
        limiter: Option<Arc<RateLimiter>>,
        retry: RetryPolicy,
    ) -> Result<Self, Error> {
        Ok(Self {
            base_url: checked_base_url(base_url)?,
            user_agent: user_agent(app_name)?,
            http,
            clock,
            limiter,
            retry,
        })
    }

    /// The clock of the client.
    pub(crate) fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    /// The pipeline for API requests, under the caller's retry policy; credentials are
    /// added by the builder.
    pub(crate) fn pipeline(&self) -> Pipeline {
        self.pipeline_under(self.retry.clone())
    }

    /// The pipeline for OAuth's own requests (they bring their own credentials, or
    /// none): the same stack, but never repeating a request that may have reached
    /// awork, whatever the caller's policy says (a code or a refresh token is spent on
    /// first use).
    pub(crate) fn anonymous(&self) -> Pipeline {
        self.pipeline_under(self.retry.clone().sending_once_when_unsure())
    }

    /// awork's authorization server for `app`, below this stack's base URL.
    pub(crate) fn token_endpoint(&self, app: &OAuthApp) -> Result<TokenEndpoint, Error> {
        TokenEndpoint::new(app, &self.base_url, self.anonymous(), self.clock())
    }

    fn pipeline_under(&self, policy: RetryPolicy) -> Pipeline {
        let wire = Wire::new(self.http.clone(), self.limiter.clone());
        let retrying = Retrying::new(policy, self.clock.clone(), wire);
        Pipeline::new(self.user_agent.clone(), retrying)
    }
}

/// An absolute `http` or `https` URL without query or fragment, without its final `/`.
pub(crate) fn checked_base_url(url: &str) -> Result<String, Error> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| Error::Config(format!("base URL {url:?} is not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::Config(format!(
            "base URL {url:?} must start with http:// or https://"
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::Config(format!(
            "base URL {url:?} must not have a query or fragment"
        )));
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// The v2 base URL: the one given, checked; else the v1 URL with its final `/api/v1`
/// replaced. A v1 URL with another path (a proxy's) gives no v2 URL to guess.
#[cfg(feature = "v2")]
pub(crate) fn v2_base_url(v1: &str, given: Option<&str>) -> Result<String, Error> {
    if let Some(url) = given {
        return checked_base_url(url);
    }
    match v1.strip_suffix("/api/v1") {
        Some(root) => Ok(format!("{root}/api/v2")),
        None => Err(Error::Config(format!(
            "base URL {v1:?} does not end in /api/v1, so the API v2 URL cannot be derived from it: set .base_url_v2(..)"
        ))),
    }
}

fn user_agent(app_name: Option<&str>) -> Result<HeaderValue, Error> {
    let text = match app_name.map(str::trim) {
        Some(name) if !name.is_empty() => format!("{USER_AGENT_PREFIX} {name}"),
        _ => USER_AGENT_PREFIX.to_string(),
    };
    HeaderValue::from_str(&text)
        .map_err(|_| Error::Config(format!("app name {app_name:?} cannot be sent in a header")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "v2")]
    #[test]
    fn the_v2_url_is_derived_only_from_a_v1_url() {
        assert_eq!(
            v2_base_url("http://127.0.0.1:9/api/v1", None).unwrap(),
            "http://127.0.0.1:9/api/v2"
        );
        assert_eq!(
            v2_base_url("https://proxy.example/api/v1/x/api/v1", None).unwrap(),
            "https://proxy.example/api/v1/x/api/v2"
        );
        let err = v2_base_url("https://proxy.example/awork", None).unwrap_err();
        assert!(err.to_string().contains("set .base_url_v2(..)"), "{err}");
        assert_eq!(
            v2_base_url("https://x/awork", Some("https://proxy.example/awork-v2/")).unwrap(),
            "https://proxy.example/awork-v2"
        );
    }

    #[test]
    fn the_user_agent_names_the_sdk_and_the_app() {
        assert_eq!(
            user_agent(Some("planner")).unwrap(),
            format!("awork-rs/{} planner", env!("CARGO_PKG_VERSION")).as_str()
        );
        assert_eq!(user_agent(None).unwrap(), USER_AGENT_PREFIX);
        assert!(user_agent(Some("bad\napp")).is_err());
    }
}
