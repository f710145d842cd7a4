//! Building the client: credentials, base URL, user agent, timeouts, retries, rate limit.
//!
//! [`AworkClient`] wraps the generated clients of `awork-api` (v1 and v2). Every
//! request they send, through this crate's helpers or through [`AworkClient::api`]
//! for any of the 687 generated operations, passes the same transport: it adds the
//! credentials (an API key, a fixed access token, or OAuth tokens it keeps fresh; see
//! [`crate::auth`]) and user agent, applies the client-side rate limit and retries per
//! the [`RetryPolicy`]. The machinery itself is private (in
//! `src/http/`); the builder is how it is configured.

use crate::Error;
use crate::auth::endpoint::TokenEndpoint;
use crate::auth::{ApiKey, OAuthSession};
use crate::clock::{Clock, SystemClock};
use crate::http::attempts;
use crate::http::credentials::Credentials;
use crate::http::sender::Sender;
use crate::http::token_keeper::TokenKeeper;
use crate::http::transport::{ClientTransport, Rebuild, RetryingTransport};
use crate::rate_limit::{Plan, RateLimiter};
use crate::retry::RetryPolicy;
use awork_api::{Hooks, Transport};
use reqwest::header::HeaderValue;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// awork's production API v1.
pub const DEFAULT_BASE_URL: &str = "https://api.awork.com/api/v1";

/// awork's production API v2 (time entries and the timer).
pub const DEFAULT_BASE_URL_V2: &str = "https://api.awork.com/api/v2";

/// Sent as `User-Agent` (with the app name, if one is given, appended).
pub const USER_AGENT_PREFIX: &str = concat!("awork-rs/", env!("CARGO_PKG_VERSION"));

/// The client most programs use. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct AworkClient {
    v1: awork_api::Client,
    #[cfg(feature = "v2")]
    v2: awork_api::v2::Client,
    base_url: String,
    #[cfg(feature = "v2")]
    base_url_v2: String,
    http: reqwest::Client,
    transport: Arc<ClientTransport>,
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

    /// The v2 base URL.
    #[cfg(feature = "v2")]
    pub fn base_url_v2(&self) -> &str {
        &self.base_url_v2
    }

    /// Sends a request this crate builds by hand (one the generated client cannot
    /// express) through the same transport as every generated operation: key, user
    /// agent, rate limit, retries, tracing. `path` is relative to the v1 base URL.
    /// Returns the answer whatever its status, with the attempts it took, unless the
    /// credentials failed ([`Error::Auth`]).
    pub(crate) async fn send_raw(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&serde_json::Value>,
        operation_id: &'static str,
    ) -> Result<(reqwest::Response, Option<u32>), Error> {
        let url = format!("{}{path}", self.base_url);
        self.send_request(method, url, &[], body, operation_id)
            .await
    }

    /// [`send_raw`](Self::send_raw) to an absolute `url`, with query parameters.
    pub(crate) async fn send_request(
        &self,
        method: reqwest::Method,
        url: String,
        query: &[(String, String)],
        body: Option<&serde_json::Value>,
        operation_id: &'static str,
    ) -> Result<(reqwest::Response, Option<u32>), Error> {
        let mut request = self
            .http
            .request(method, url)
            .header(reqwest::header::ACCEPT, "application/json");
        if !query.is_empty() {
            request = request.query(query);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let request = request.build().map_err(Error::from_reqwest)?;
        let (result, tally) =
            attempts::counted(self.transport.execute(&self.http, request, operation_id)).await;
        match result {
            Ok(response) => match tally.auth_error() {
                Some(error) => Err(error),
                None => Ok((response, tally.attempts)),
            },
            Err(e) => Err(tally.error(Error::from_reqwest(e))),
        }
    }

    /// Sends a JSON request this crate builds by hand (one the generated client cannot
    /// express, like a replace with explicit nulls) to `path` under the v1 base URL,
    /// through the same transport as every generated operation: key, user agent, rate
    /// limit, retries, tracing. Decodes a success as `T`; an error status is an
    /// [`Error`] with the attempts it took.
    pub(crate) async fn send_json<T: serde::de::DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &serde_json::Value,
        operation_id: &'static str,
    ) -> Result<T, Error> {
        let url = format!("{}{path}", self.base_url);
        self.send_json_to(method, url, body, operation_id).await
    }

    /// [`send_json`](Self::send_json) under the v2 base URL.
    #[cfg(feature = "v2")]
    pub(crate) async fn send_json_v2<T: serde::de::DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &serde_json::Value,
        operation_id: &'static str,
    ) -> Result<T, Error> {
        let url = format!("{}{path}", self.base_url_v2);
        self.send_json_to(method, url, body, operation_id).await
    }

    async fn send_json_to<T: serde::de::DeserializeOwned>(
        &self,
        method: reqwest::Method,
        url: String,
        body: &serde_json::Value,
        operation_id: &'static str,
    ) -> Result<T, Error> {
        let request = self
            .http
            .request(method, url)
            .header(reqwest::header::ACCEPT, "application/json")
            .json(body)
            .build()
            .map_err(Error::from_reqwest)?;
        let (result, tally) =
            attempts::counted(self.transport.execute(&self.http, request, operation_id)).await;
        let response = result.map_err(|e| tally.error(Error::from_reqwest(e)))?;
        if let Some(error) = tally.auth_error() {
            return Err(error);
        }
        crate::error::read_json(response, tally.attempts).await
    }
}

impl AworkClient {
    /// A request to `path` (relative to the v1 base URL) that asks for JSON, for this
    /// crate's hand-built requests (uploads) to fill in and send with
    /// [`send_rebuilding`](Self::send_rebuilding).
    pub(crate) fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base_url))
            .header(reqwest::header::ACCEPT, "application/json")
    }

    /// Sends a request whose body is a stream (an upload) through the same transport as
    /// every generated operation: key, user agent, rate limit, tracing. With `rebuild`
    /// the retry policy may send it again, each time as a fresh copy that `rebuild`
    /// makes; without, it is sent once whatever happens. Returns the answer whatever
    /// its status, with the attempts it took.
    pub(crate) async fn send_rebuilding(
        &self,
        request: reqwest::Request,
        rebuild: Option<&Rebuild<'_>>,
        operation_id: &'static str,
    ) -> Result<(reqwest::Response, Option<u32>), Error> {
        let never: &Rebuild<'_> = &|| None;
        let sending = self.transport.execute_rebuilding(
            &self.http,
            request,
            rebuild.unwrap_or(never),
            operation_id,
        );
        let (result, tally) = attempts::counted(sending).await;
        match result {
            Ok(response) => match tally.auth_error() {
                Some(error) => Err(error),
                None => Ok((response, tally.attempts)),
            },
            Err(e) => Err(tally.error(Error::from_reqwest(e))),
        }
    }
}

impl fmt::Debug for AworkClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AworkClient")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

/// Where the credentials come from.
#[derive(Clone, Debug, Default)]
enum KeySource {
    #[default]
    Missing,
    /// An API key or a fixed access token (or why it was refused).
    Given(Result<ApiKey, String>),
    Environment,
    OAuth(Box<OAuthSession>),
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
    base_url_v2: Option<String>,
    retry: RetryPolicy,
    rate_limit: Option<Limiting>,
    clock: Option<SharedClock>,
}

/// How the client is paced: by a limiter of its own for a plan, or by a shared one.
#[derive(Clone, Debug)]
enum Limiting {
    Own(Plan),
    Shared(Arc<RateLimiter>),
}

/// A [`Clock`] shared by clones of the builder.
#[derive(Clone)]
struct SharedClock(Arc<dyn Clock>);

impl fmt::Debug for SharedClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
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
            base_url_v2: None,
            retry: RetryPolicy::default(),
            rate_limit: None,
            clock: None,
        }
    }
}

impl ClientBuilder {
    /// Uses this API key.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.key = KeySource::Given(ApiKey::new(key).map_err(|e| e.to_string()));
        self
    }

    /// Reads the key from the `AWORK_API_KEY` environment variable when building.
    pub fn api_key_from_env(mut self) -> Self {
        self.key = KeySource::Environment;
        self
    }

    /// Uses this OAuth access token as it is, without refreshing it: for a token that
    /// something else obtained and renews. For a user signed in by this crate, use
    /// [`oauth`](Self::oauth).
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.key = KeySource::Given(ApiKey::named(token, "access token").map_err(|e| match e {
            Error::Config(message) => message,
            other => other.to_string(),
        }));
        self
    }

    /// Acts as the user of `session` (see [`crate::auth`]): sends its access token,
    /// refreshes it shortly before it expires and once after awork rejects it, and
    /// saves new tokens to the session's store. Token requests go through this
    /// client's HTTP stack (user agent, timeouts, rate limit, tracing, clock).
    pub fn oauth(mut self, session: OAuthSession) -> Self {
        self.key = KeySource::OAuth(Box::new(session));
        self
    }

    /// Sends requests to another base URL (a proxy, a test server). It must be an
    /// absolute `http` or `https` URL including the `/api/v1` path.
    ///
    /// With the feature `v2`, the v2 base URL is this one with its final `/api/v1`
    /// replaced by `/api/v2`; a URL that does not end in `/api/v1` needs
    /// [`base_url_v2`](Self::base_url_v2) as well, or [`build`](Self::build) fails.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Sends API v2 requests (time entries, the timer) to this base URL, including
    /// its `/api/v2` path. Only needed when [`base_url`](Self::base_url) does not end
    /// in `/api/v1`.
    pub fn base_url_v2(mut self, url: impl Into<String>) -> Self {
        self.base_url_v2 = Some(url.into());
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
    /// of collecting 429 answers. Off by default. The limiter is this client's own
    /// (shared by its clones); for several clients of one workspace use
    /// [`rate_limiter`](Self::rate_limiter).
    pub fn rate_limit(mut self, plan: Plan) -> Self {
        self.rate_limit = Some(Limiting::Own(plan));
        self
    }

    /// Paces this client with `limiter`, which other clients may share: awork's limits
    /// are per workspace, so all clients of one workspace should wait on one limiter.
    /// The limiter waits on its own clock (see [`RateLimiter::with_clock`]).
    pub fn rate_limiter(mut self, limiter: Arc<RateLimiter>) -> Self {
        self.rate_limit = Some(Limiting::Shared(limiter));
        self
    }

    /// Reads time and waits (between retries, and for a limiter set with
    /// [`rate_limit`](Self::rate_limit)) with `clock` instead of the system clock.
    /// Tests use a [`ManualClock`](crate::clock::ManualClock) to check waits without
    /// spending them.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(SharedClock(clock));
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<AworkClient, Error> {
        let stack = self.stack()?;
        let credentials = self.credentials(&stack)?;
        let transport = Arc::new(ClientTransport::new(
            credentials,
            stack.user_agent.clone(),
            stack.api_transport(),
        ));
        let hooks = Hooks::with_transport(transport.clone() as Arc<dyn Transport>);
        #[cfg(feature = "v2")]
        let v2_url = v2_base_url(&stack.base_url, self.base_url_v2.as_deref())?;
        let Stack { base_url, http, .. } = stack;
        Ok(AworkClient {
            #[cfg(feature = "v2")]
            v2: awork_api::v2::Client::new_with_client(&v2_url, http.clone(), hooks.clone()),
            v1: awork_api::Client::new_with_client(&base_url, http.clone(), hooks),
            base_url,
            #[cfg(feature = "v2")]
            base_url_v2: v2_url,
            http,
            transport,
        })
    }

    /// The credentials every request of the client carries.
    fn credentials(&self, stack: &Stack) -> Result<Credentials, Error> {
        match &self.key {
            KeySource::Missing => Err(Error::Config(
                "no API key: call .api_key(..) or .api_key_from_env() (or .access_token(..) or .oauth(..) to act as a user)".into(),
            )),
            KeySource::Given(key) => Ok(Credentials::Fixed(key.clone().map_err(Error::Config)?)),
            KeySource::Environment => Ok(Credentials::Fixed(ApiKey::from_env()?)),
            KeySource::OAuth(session) => {
                let (app, tokens, store) = session.as_ref().clone().into_parts();
                let endpoint = TokenEndpoint::new(&app, stack.sender(), stack.clock())?;
                let keeper = TokenKeeper::new(tokens, endpoint, store, stack.clock());
                Ok(Credentials::OAuth(Arc::new(keeper)))
            }
        }
    }

    /// The HTTP stack these settings describe, checked, without the credentials: what
    /// the client and OAuth's own requests ([`crate::auth::OAuthFlow`],
    /// [`crate::auth::register_client`]) are sent with.
    pub(crate) fn stack(&self) -> Result<Stack, Error> {
        let base_url = checked_base_url(&self.base_url)?;
        let user_agent = user_agent(self.app_name.as_deref())?;
        let http = match &self.http {
            Some(client) => client.clone(),
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .timeout(self.timeout)
                .build()
                .map_err(|e| Error::Config(format!("cannot set up HTTP: {e}")))?,
        };
        let clock: Arc<dyn Clock> = match &self.clock {
            Some(SharedClock(clock)) => clock.clone(),
            None => Arc::new(SystemClock::new()),
        };
        let limiter = match &self.rate_limit {
            Some(Limiting::Own(plan)) => Some(Arc::new(
                RateLimiter::for_plan(*plan).with_clock(clock.clone()),
            )),
            Some(Limiting::Shared(limiter)) => Some(limiter.clone()),
            None => None,
        };
        Ok(Stack {
            base_url,
            user_agent,
            http,
            clock,
            limiter,
            retry: self.retry.clone(),
        })
    }
}

/// The checked HTTP settings of a builder, without credentials.
pub(crate) struct Stack {
    base_url: String,
    user_agent: HeaderValue,
    http: reqwest::Client,
    clock: Arc<dyn Clock>,
    limiter: Option<Arc<RateLimiter>>,
    retry: RetryPolicy,
}

impl Stack {
    /// The clock of the client.
    pub(crate) fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    /// The transport for API requests: the caller's retry policy.
    fn api_transport(&self) -> RetryingTransport {
        RetryingTransport::new(self.retry.clone(), self.limiter.clone(), self.clock.clone())
    }

    /// The sender for OAuth's requests: the same stack, but never repeating a request
    /// that may have reached awork, whatever the caller's policy says (a code or a
    /// refresh token is spent on first use).
    pub(crate) fn sender(&self) -> Arc<Sender> {
        let policy = self.retry.clone().retry_non_idempotent(false);
        Arc::new(Sender::new(
            self.http.clone(),
            self.user_agent.clone(),
            RetryingTransport::new(policy, self.limiter.clone(), self.clock.clone()),
            self.base_url.clone(),
        ))
    }
}

/// The v2 base URL: the one given, checked; else the v1 URL with its final `/api/v1`
/// replaced. A v1 URL with another path (a proxy's) gives no v2 URL to guess.
#[cfg(feature = "v2")]
fn v2_base_url(v1: &str, given: Option<&str>) -> Result<String, Error> {
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

/// The JSON body of a replace (PUT): `form` as serialized, plus an explicit `null` for
/// each of `nullable` the form leaves out. The generated forms skip unset fields, which
/// would leave them as they were: a patch, not the replace a PUT is. `what` names the
/// form in the (unlikely) error.
pub(crate) fn replace_body(
    what: &str,
    form: &impl serde::Serialize,
    nullable: &[&str],
) -> Result<serde_json::Value, Error> {
    let mut body = serde_json::to_value(form)
        .map_err(|e| Error::validation(what, format!("cannot be written as JSON: {e}")))?;
    if let Some(fields) = body.as_object_mut() {
        for name in nullable {
            fields.entry(*name).or_insert(serde_json::Value::Null);
        }
    }
    Ok(body)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_before_anything_is_sent() {
        let err = |b: ClientBuilder| b.build().unwrap_err().to_string();
        assert_eq!(
            err(AworkClient::builder()),
            "cannot build the awork client: no API key: call .api_key(..) or .api_key_from_env() (or .access_token(..) or .oauth(..) to act as a user)"
        );
        assert_eq!(
            err(AworkClient::builder().access_token(" ")),
            "cannot build the awork client: the access token is empty"
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
    fn tokens_and_client_secrets_are_not_in_debug_output_either() {
        use crate::auth::{OAuthApp, OAuthSession, Tokens};
        let app = OAuthApp::new("app", "http://127.0.0.1/cb")
            .unwrap()
            .client_secret("cs-secret-1");
        let tokens = Tokens::new("at-secret-2")
            .unwrap()
            .with_refresh_token("rt-secret-3");
        let builder = AworkClient::builder()
            .base_url("http://127.0.0.1:9/api/v1")
            .oauth(OAuthSession::new(app, tokens));
        let client = builder.clone().build().unwrap();
        let fixed = AworkClient::builder().access_token("at-secret-4");
        let text = format!("{builder:?} {client:?} {fixed:?}");
        assert!(text.contains("OAuthSession"), "{text}");
        assert!(!text.contains("secret-"), "{text}");
    }

    #[cfg(feature = "v2")]
    #[test]
    fn the_v2_url_is_derived_only_from_a_v1_url_and_otherwise_must_be_given() {
        assert_eq!(
            v2_base_url("http://127.0.0.1:9/api/v1", None).unwrap(),
            "http://127.0.0.1:9/api/v2"
        );
        assert_eq!(
            v2_base_url("https://proxy.example/api/v1/x/api/v1", None).unwrap(),
            "https://proxy.example/api/v1/x/api/v2"
        );
        let err = AworkClient::builder()
            .api_key("k")
            .base_url("https://proxy.example/awork")
            .build()
            .unwrap_err()
            .to_string();
        assert!(err.contains("set .base_url_v2(..)"), "{err}");
        let client = AworkClient::builder()
            .api_key("k")
            .base_url("https://proxy.example/awork")
            .base_url_v2("https://proxy.example/awork-v2/")
            .build()
            .unwrap();
        use awork_api::ClientInfo;
        assert_eq!(client.v2().baseurl(), "https://proxy.example/awork-v2");
    }

    /// A server whose token endpoint hands out `at-2`, and whose `PUT`s accept only it.
    async fn token_server() -> wiremock::MockServer {
        use wiremock::matchers::{header, method, path};
        use wiremock::{Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        let refreshed = serde_json::json!({
            "access_token": "at-2", "token_type": "Bearer", "expires_in": 3600
        });
        Mock::given(method("POST"))
            .and(path("/api/v1/accounts/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(refreshed))
            .mount(&server)
            .await;
        Mock::given(method("PUT"))
            .and(header("authorization", "Bearer at-2"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
        Mock::given(method("PUT"))
            .respond_with(ResponseTemplate::new(401))
            .mount(&server)
            .await;
        server
    }

    /// Sends a `PUT` with `body` and token `at-1` (refresh token `rt-1`) to `server`;
    /// returns the status and what the server received.
    async fn put_with_oauth(
        server: &wiremock::MockServer,
        body: reqwest::Body,
    ) -> (u16, Vec<String>) {
        use crate::auth::{OAuthApp, OAuthSession, Tokens};
        let app = OAuthApp::new("app", "http://127.0.0.1/cb").unwrap();
        let tokens = Tokens::new("at-1").unwrap().with_refresh_token("rt-1");
        let builder = AworkClient::builder()
            .base_url(format!("{}/api/v1", server.uri()))
            .oauth(OAuthSession::new(app, tokens));
        let stack = builder.stack().unwrap();
        let credentials = builder.credentials(&stack).unwrap();
        let transport =
            ClientTransport::new(credentials, stack.user_agent.clone(), stack.api_transport());
        let http = reqwest::Client::new();
        let request = http
            .put(format!("{}/api/v1/upload", server.uri()))
            .body(body)
            .build()
            .unwrap();
        let answer = transport.execute(&http, request, "upload").await.unwrap();
        let received = server.received_requests().await.unwrap();
        let seen = received
            .iter()
            .map(|r| format!("{} {}", r.method, r.url.path()))
            .collect();
        (answer.status().as_u16(), seen)
    }

    #[tokio::test]
    async fn after_a_401_only_a_body_that_can_be_sent_twice_is_sent_again() {
        let server = token_server().await;
        let (status, seen) = put_with_oauth(&server, reqwest::Body::from("{}")).await;
        assert_eq!(status, 200);
        assert_eq!(
            seen,
            [
                "PUT /api/v1/upload",
                "POST /api/v1/accounts/token",
                "PUT /api/v1/upload"
            ]
        );

        let server = token_server().await;
        let streamed = futures::stream::iter([Ok::<_, std::io::Error>(b"{}".to_vec())]);
        let (status, seen) = put_with_oauth(&server, reqwest::Body::wrap_stream(streamed)).await;
        assert_eq!(status, 401, "the 401 is the answer");
        assert_eq!(seen, ["PUT /api/v1/upload"], "no refresh, no second send");
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
