//! Signing a user in: the URL to send them to, and the callback that brings them back.

use crate::auth::app::OAuthApp;
use crate::auth::callback::Callback;
use crate::auth::endpoint::{AuthorizationRequest, TokenEndpoint};
use crate::auth::session::OAuthSession;
use crate::error::Error;
use secrecy::ExposeSecret;
use std::fmt;

/// The authorization-code flow with PKCE for one app, from
/// [`ClientBuilder::oauth_flow`](crate::ClientBuilder::oauth_flow). Its token requests
/// go through the HTTP stack of that builder (base URL, user agent, timeouts, retries
/// of 429, rate limit, tracing and clock).
///
/// ```no_run
/// use awork_api_ext::AworkClient;
/// use awork_api_ext::auth::OAuthApp;
///
/// # async fn demo(callback_url: &str) -> Result<(), awork_api_ext::Error> {
/// let settings = AworkClient::builder().app_name("my-tool");
/// let app = OAuthApp::new("my-client-id", "http://127.0.0.1:8400/callback")?;
/// let flow = settings.oauth_flow(app)?;
/// let login = flow.authorization_request();
/// println!("open {}", login.url());
/// // … the browser comes back to the redirect URI; hand its URL over:
/// let session = flow.finish(login, callback_url).await?;
/// let client = settings.oauth(session).build()?;
/// # let _ = client; Ok(()) }
/// ```
pub struct OAuthFlow {
    endpoint: TokenEndpoint,
}

impl OAuthFlow {
    /// The flow that signs in at `endpoint`.
    pub(crate) fn new(endpoint: TokenEndpoint) -> Self {
        Self { endpoint }
    }

    /// The app this flow signs in.
    fn app(&self) -> &OAuthApp {
        self.endpoint.app()
    }

    /// A new sign-in: the URL to open, with a fresh random `state` and PKCE challenge.
    /// Nothing is sent.
    pub fn authorization_request(&self) -> AuthorizationRequest {
        self.endpoint.authorization_request()
    }

    /// Finishes the sign-in started by `request`, from the URL (or query string) the
    /// browser was sent back with: checks that its `state` is the request's, that it
    /// carries no error and a code, and only then trades the code for tokens. A
    /// callback that fails a check sends nothing and says which check failed
    /// ([`AuthError`](crate::auth::AuthError) in [`Error::Auth`]).
    pub async fn finish(
        &self,
        request: AuthorizationRequest,
        callback: &str,
    ) -> Result<OAuthSession, Error> {
        let (state, verifier) = request.into_secrets();
        let code = Callback::parse(callback)?.into_code(state.expose_secret())?;
        let tokens = self.endpoint.exchange(code, verifier).await?;
        tracing::info!(client_id = self.app().client_id(), "signed in to awork");
        Ok(OAuthSession::new(self.app().clone(), tokens))
    }
}

impl fmt::Debug for OAuthFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthFlow")
            .field("app", self.app())
            .finish()
    }
}
