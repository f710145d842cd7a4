//! Building the client: key, base URL, user agent, timeouts, retries, rate limit.
//!
//! [`AworkClient`] wraps the generated clients of `awork-api` (v1 and v2). Every
//! request they send, through this crate's helpers or through [`AworkClient::api`]
//! for any of the 687 generated operations, passes the same transport: it adds the
//! key and user agent, applies the client-side rate limit and retries per the
//! [`RetryPolicy`](crate::retry::RetryPolicy).

use crate::Error;
use crate::auth::ApiKey;
use crate::rate_limit::{Plan, RateLimiter};
use crate::retry::RetryPolicy;
use crate::transport::{RetryingTransport, Sleeper};
use awork_api::{BoxFuture, Hooks, Transport};
use reqwest::header::{HeaderValue, USER_AGENT};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// awork's production API v1.
pub const DEFAULT_BASE_URL: &str = "https://api.awork.com/api/v1";

/// Sent as `User-Agent` (with the app name, if one is given, appended).
pub const USER_AGENT_PREFIX: &str = concat!("awork-rs/", env!("CARGO_PKG_VERSION"));

/// The client most programs use. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct AworkClient {
    v1: awork_api::Client,
    #[cfg(feature = "v2")]
    v2: awork_api::v2::Client,
    base_url: String,
}

impl AworkClient {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The generated v1 client: one method per awork operation, sharing this client's
    /// key, retries and rate limit.
    pub fn api(&self) -> &awork_api::Client {
        &self.v1
    }

    /// The generated v2 client (time entries, timer); feature `v2`.
    #[cfg(feature = "v2")]
    pub fn v2(&self) -> &awork_api::v2::Client {
        &self.v2
    }

    /// The v1 base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

impl fmt::Debug for AworkClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AworkClient")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

/// Where the key comes from.
#[derive(Clone, Debug, Default)]
enum KeySource {
    #[default]
    Missing,
    Given(Result<ApiKey, String>),
    Environment,
}

/// Settings for [`AworkClient`]; [`build`](ClientBuilder::build) checks them all before
/// anything is sent.
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    key: KeySource,
    base_url: String,
    app_name: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    rate_limit: Option<Plan>,
    sleeper: Option<SharedSleeper>,
}

/// A [`Sleeper`] shared by clones of the builder.
#[derive(Clone)]
struct SharedSleeper(Arc<dyn Sleeper>);

impl fmt::Debug for SharedSleeper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sleeper")
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            key: KeySource::Missing,
            base_url: DEFAULT_BASE_URL.into(),
            app_name: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            http: None,
            retry: RetryPolicy::default(),
            rate_limit: None,
            sleeper: None,
        }
    }
}

impl ClientBuilder {
    /// Uses this API key (or OAuth access token).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.key = KeySource::Given(ApiKey::new(key).map_err(|e| e.to_string()));
        self
    }

    /// Reads the key from the `AWORK_API_KEY` environment variable when building.
    pub fn api_key_from_env(mut self) -> Self {
        self.key = KeySource::Environment;
        self
    }

    /// Sends requests to another base URL (a proxy, a test server). It must be an
    /// absolute `http` or `https` URL including the `/api/v1` path.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Appends your application's name to the user agent, so awork can tell your
    /// traffic apart.
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = Some(name.into());
        self
    }

    /// How long to wait for a connection (default 10 s). Ignored with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take in total (default 30 s). Ignored with [`http_client`](Self::http_client).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Uses your own `reqwest::Client` (TLS, proxy, timeouts are then yours). The key
    /// and user agent are still added to every request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// How failed requests are retried (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Keeps this client under awork's documented limits for `plan`, waiting instead
    /// of collecting 429 answers. Off by default.
    pub fn rate_limit(mut self, plan: Plan) -> Self {
        self.rate_limit = Some(plan);
        self
    }

    /// Waits between retries with `sleeper` instead of the tokio timer (tests use this
    /// to check waits without spending them).
    pub fn sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = Some(SharedSleeper(sleeper));
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<AworkClient, Error> {
        let key = match self.key {
            KeySource::Missing => {
                return Err(Error::Config(
                    "no API key: call .api_key(..) or .api_key_from_env()".into(),
                ));
            }
            KeySource::Given(key) => key.map_err(Error::Config)?,
            KeySource::Environment => ApiKey::from_env()?,
        };
        let base_url = checked_base_url(&self.base_url)?;
        let user_agent = user_agent(self.app_name.as_deref())?;
        let http = match self.http {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .timeout(self.timeout)
                .build()
                .map_err(|e| Error::Config(format!("cannot set up HTTP: {e}")))?,
        };
        let mut retrying = RetryingTransport::new(self.retry);
        if let Some(plan) = self.rate_limit {
            retrying = retrying.with_rate_limiter(Arc::new(RateLimiter::for_plan(plan)));
        }
        if let Some(SharedSleeper(sleeper)) = self.sleeper {
            retrying = retrying.with_sleeper(sleeper);
        }
        let transport: Arc<dyn Transport> = Arc::new(ClientTransport {
            key,
            user_agent,
            inner: retrying,
        });
        let hooks = Hooks::with_transport(transport);
        #[cfg(feature = "v2")]
        let v2_url = base_url.replacen("/api/v1", "/api/v2", 1);
        Ok(AworkClient {
            #[cfg(feature = "v2")]
            v2: awork_api::v2::Client::new_with_client(&v2_url, http.clone(), hooks.clone()),
            v1: awork_api::Client::new_with_client(&base_url, http, hooks),
            base_url,
        })
    }
}

fn checked_base_url(url: &str) -> Result<String, Error> {
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

fn user_agent(app_name: Option<&str>) -> Result<HeaderValue, Error> {
    let text = match app_name.map(str::trim) {
        Some(name) if !name.is_empty() => format!("{USER_AGENT_PREFIX} {name}"),
        _ => USER_AGENT_PREFIX.to_string(),
    };
    HeaderValue::from_str(&text)
        .map_err(|_| Error::Config(format!("app name {app_name:?} cannot be sent in a header")))
}

/// Adds the key and user agent, then hands over to the retrying transport.
struct ClientTransport {
    key: ApiKey,
    user_agent: HeaderValue,
    inner: RetryingTransport,
}

impl Transport for ClientTransport {
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        mut request: reqwest::Request,
        operation_id: &'static str,
    ) -> BoxFuture<'a, reqwest::Result<reqwest::Response>> {
        self.key.authorize(&mut request);
        request
            .headers_mut()
            .insert(USER_AGENT, self.user_agent.clone());
        self.inner.execute(client, request, operation_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_before_anything_is_sent() {
        let err = |b: ClientBuilder| b.build().unwrap_err().to_string();
        assert_eq!(
            err(AworkClient::builder()),
            "cannot build the awork client: no API key: call .api_key(..) or .api_key_from_env()"
        );
        assert_eq!(
            err(AworkClient::builder().api_key("k").base_url("ftp://x")),
            "cannot build the awork client: base URL \"ftp://x\" must start with http:// or https://"
        );
        assert!(
            err(AworkClient::builder().api_key("k").base_url("not a url")).contains("is not a URL")
        );
        assert!(
            err(AworkClient::builder().api_key("k").app_name("bad\napp"))
                .contains("cannot be sent in a header")
        );
    }

    #[test]
    fn the_key_is_not_in_debug_output() {
        let client = AworkClient::builder()
            .api_key("sk-secret-123")
            .base_url("http://127.0.0.1:9/api/v1/")
            .build()
            .unwrap();
        let text = format!(
            "{client:?} {:?}",
            AworkClient::builder().api_key("sk-secret-123")
        );
        assert!(!text.contains("sk-secret-123"), "{text}");
        assert_eq!(client.base_url(), "http://127.0.0.1:9/api/v1");
    }

    #[test]
    fn the_user_agent_names_the_sdk_and_the_app() {
        assert_eq!(
            user_agent(Some("planner")).unwrap(),
            format!("awork-rs/{} planner", env!("CARGO_PKG_VERSION")).as_str()
        );
        assert_eq!(user_agent(None).unwrap(), USER_AGENT_PREFIX);
    }
}
