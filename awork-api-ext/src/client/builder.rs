//! The settings of a client, checked all at once when it is built, and the OAuth
//! requests made with the same settings before there is a client (signing in,
//! registering an app).

use crate::auth::{
    ApiKey, ClientRegistration, Credentials, OAuthApp, OAuthFlow, OAuthSession, RegisteredClient,
    TokenKeeper,
};
use crate::client::awork_client::AworkClient;
use crate::client::request::ApiRequest;
use crate::client::stack::Stack;
use crate::clock::{Clock, SystemClock};
use crate::error::Error;
use crate::http::rate_limit::{Plan, RateLimiter};
use crate::http::retry::RetryPolicy;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// awork's production API v1.
pub const DEFAULT_BASE_URL: &str = "https://api.awork.com/api/v1";

/// awork's production API v2 (time entries and the timer).
pub const DEFAULT_BASE_URL_V2: &str = "https://api.awork.com/api/v2";

impl AworkClient {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
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
        let pipeline = stack.pipeline().authorized_by(Arc::new(credentials));
        #[cfg(feature = "v2")]
        let v2_url = super::stack::v2_base_url(&stack.base_url, self.base_url_v2.as_deref())?;
        Ok(AworkClient::new(
            pipeline,
            stack.base_url,
            #[cfg(feature = "v2")]
            v2_url,
        ))
    }

    /// The sign-in of `app` (see [`crate::auth`]), whose token requests go through
    /// the HTTP stack of these settings (their credentials, if any, are not used).
    /// Fails when the settings do not build a client.
    pub fn oauth_flow(&self, app: OAuthApp) -> Result<OAuthFlow, Error> {
        let endpoint = self.stack()?.token_endpoint(&app)?;
        Ok(OAuthFlow::new(endpoint))
    }

    /// Registers a client application with awork (dynamic client registration),
    /// through the HTTP stack of these settings; the request carries no credentials.
    /// Invalid metadata is refused before anything is sent.
    pub async fn register_oauth_client(
        &self,
        registration: &ClientRegistration,
    ) -> Result<RegisteredClient, Error> {
        let body = registration.body()?;
        let stack = self.stack()?;
        let pipeline = stack.anonymous();
        let url = format!("{}/clientapplications/register", stack.base_url);
        let answer = ApiRequest::new(
            &pipeline,
            reqwest::Method::POST,
            url,
            "register_client_application",
        )
        .json(body)
        .send()
        .await?;
        let bytes = answer.bytes().await.map_err(Error::from_reqwest)?;
        RegisteredClient::from_answer(&bytes)
    }

    /// The credentials every request of the client carries.
    fn credentials(&self, stack: &Stack) -> Result<Credentials, Error> {
        match &self.key {
            KeySource::Missing => Err(Error::Config(
                "no API key: call .api_key(..) or .api_key_from_env() (or .access_token(..) or .oauth(..) to act as a user)".into(),
            )),
            KeySource::Given(key) => Ok(Credentials::fixed(
                key.as_ref().map_err(|e| Error::Config(e.clone()))?,
            )),
            KeySource::Environment => Ok(Credentials::fixed(&ApiKey::from_env()?)),
            KeySource::OAuth(session) => {
                let (app, tokens, store) = session.as_ref().clone().into_parts();
                let endpoint = stack.token_endpoint(&app)?;
                let keeper = TokenKeeper::new(tokens, endpoint, store, stack.clock());
                Ok(Credentials::OAuth(Arc::new(keeper)))
            }
        }
    }

    /// The checked settings, without the credentials: what the client and OAuth's own
    /// requests are sent with.
    fn stack(&self) -> Result<Stack, Error> {
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
        Stack::new(
            &self.base_url,
            self.app_name.as_deref(),
            http,
            clock,
            limiter,
            self.retry.clone(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::copies::Copies;

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
        let stack = builder.stack().unwrap();
        let path = stack
            .pipeline()
            .authorized_by(Arc::new(builder.credentials(&stack).unwrap()));
        let text = format!("{builder:?} {client:?} {fixed:?} {path:?}");
        assert!(text.contains("OAuthSession"), "{text}");
        assert!(text.contains("TokenKeeper"), "{text}");
        assert!(!text.contains("secret-"), "{text}");
    }

    #[cfg(feature = "v2")]
    #[test]
    fn a_v2_url_that_cannot_be_derived_must_be_given() {
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
        use wiremock::matchers::{method, path};
        use wiremock::{Mock, ResponseTemplate};
        let server = crate::http::pipeline::tests::accepting_only("Bearer at-2").await;
        let refreshed = serde_json::json!({
            "access_token": "at-2", "token_type": "Bearer", "expires_in": 3600
        });
        Mock::given(method("POST"))
            .and(path("/api/v1/accounts/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(refreshed))
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
        let pipeline = stack.pipeline().authorized_by(Arc::new(credentials));
        let request = pipeline
            .http()
            .put(format!("{}/api/v1/upload", server.uri()))
            .body(body)
            .build()
            .unwrap();
        let sent = pipeline.send(request, Copies::Cloned, "upload").await;
        let answer = sent.result.unwrap();
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
}
