//! awork's authorization server as the `oauth2` crate sees it: the authorization URL
//! with `state` and PKCE, the code exchange and the refresh.
//!
//! The URLs come from the client's base URL (`…/api/v1/accounts/authorize` and
//! `…/api/v1/accounts/token`, as awork's guide gives them; the OpenAPI document names
//! them without `/api/v1`), so a client pointed at the fake signs in at the fake.
//! Every answer is turned into [`Tokens`] or an [`AuthError`] here, stamped with the
//! client's clock.

use crate::auth::app::OAuthApp;
use crate::auth::oauth2_http::{OAuthHttp, SendError, TokenErrorBody};
use crate::auth::tokens::Tokens;
use crate::clock::Clock;
use crate::error::Error;
use crate::error::cases::{AuthError, Grant};
use crate::http::pipeline::Pipeline;
use oauth2::basic::{
    BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenResponse,
};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet,
    EndpointSet, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError,
    StandardRevocableToken, TokenResponse, TokenUrl,
};
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::sync::Arc;
use url::Url;

/// The `oauth2` client with the authorization and token endpoints set.
type OAuth2Client = oauth2::Client<
    TokenErrorBody,
    BasicTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// What a token request comes back with from `oauth2`.
type TokenAnswer = Result<BasicTokenResponse, RequestTokenError<SendError, TokenErrorBody>>;

/// A URL to send the user to, and the secrets to check the callback and redeem the
/// code with. One per sign-in: [`OAuthFlow::finish`](crate::auth::OAuthFlow::finish)
/// consumes it.
pub struct AuthorizationRequest {
    url: Url,
    state: CsrfToken,
    verifier: PkceCodeVerifier,
}

impl AuthorizationRequest {
    /// The URL to open in the user's browser.
    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    /// The state and PKCE verifier, for checking the callback and redeeming its code.
    pub(crate) fn into_secrets(self) -> (SecretString, PkceCodeVerifier) {
        (SecretString::from(self.state.into_secret()), self.verifier)
    }
}

impl fmt::Debug for AuthorizationRequest {
    /// The endpoint only: the query carries the state.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut endpoint = self.url.clone();
        endpoint.set_query(None);
        f.debug_struct("AuthorizationRequest")
            .field("endpoint", &endpoint.as_str())
            .finish_non_exhaustive()
    }
}

/// The authorization and token endpoints for one app, reached through one
/// [`Pipeline`] without bearer credentials.
pub(crate) struct TokenEndpoint {
    client: OAuth2Client,
    app: OAuthApp,
    pipeline: Pipeline,
    clock: Arc<dyn Clock>,
}

impl TokenEndpoint {
    /// The endpoints below `base_url` (the client's v1 URL), for `app`, sent through
    /// `pipeline`, stamping expiries with `clock`.
    pub(crate) fn new(
        app: &OAuthApp,
        base_url: &str,
        pipeline: Pipeline,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, Error> {
        let endpoint = |path: &str| format!("{base_url}{path}");
        let bad_url = |e: url::ParseError| Error::Config(format!("OAuth endpoint URL: {e}"));
        let mut client = oauth2::Client::new(ClientId::new(app.client_id().to_string()))
            .set_auth_uri(AuthUrl::new(endpoint("/accounts/authorize")).map_err(bad_url)?)
            .set_token_uri(TokenUrl::new(endpoint("/accounts/token")).map_err(bad_url)?)
            .set_redirect_uri(RedirectUrl::new(app.redirect_uri().to_string()).map_err(bad_url)?)
            .set_auth_type(AuthType::BasicAuth);
        if let Some(secret) = app.secret() {
            client =
                client.set_client_secret(ClientSecret::new(secret.expose_secret().to_string()));
        }
        Ok(Self {
            client,
            app: app.clone(),
            pipeline,
            clock,
        })
    }

    /// The app these endpoints sign in.
    pub(crate) fn app(&self) -> &OAuthApp {
        &self.app
    }

    /// A fresh authorization URL: new random `state`, new PKCE verifier (S256), the
    /// app's scopes, and awork's `grant_type=authorization_code`.
    pub(crate) fn authorization_request(&self) -> AuthorizationRequest {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let scopes = self
            .app
            .requested_scopes()
            .iter()
            .map(|scope| oauth2::Scope::new(scope.as_str().to_string()));
        let (url, state) = self
            .client
            .authorize_url(CsrfToken::new_random)
            .add_scopes(scopes)
            .set_pkce_challenge(challenge)
            .add_extra_param("grant_type", "authorization_code")
            .url();
        AuthorizationRequest {
            url,
            state,
            verifier,
        }
    }

    /// Redeems `code` with the verifier of the request that obtained it.
    pub(crate) async fn exchange(
        &self,
        code: SecretString,
        verifier: PkceCodeVerifier,
    ) -> Result<Tokens, AuthError> {
        let http = OAuthHttp::new(&self.pipeline, "oauth_code_exchange");
        let answer = self
            .client
            .exchange_code(AuthorizationCode::new(code.expose_secret().to_string()))
            .set_pkce_verifier(verifier)
            .request_async(&http)
            .await;
        self.tokens_from(answer, Grant::AuthorizationCode, None)
    }

    /// Trades `refresh_token` for new tokens. When awork sends no new refresh token,
    /// the old one is kept.
    pub(crate) async fn refresh(&self, refresh_token: &SecretString) -> Result<Tokens, AuthError> {
        let http = OAuthHttp::new(&self.pipeline, "oauth_refresh");
        let token = RefreshToken::new(refresh_token.expose_secret().to_string());
        let answer = self
            .client
            .exchange_refresh_token(&token)
            .request_async(&http)
            .await;
        self.tokens_from(answer, Grant::RefreshToken, Some(refresh_token))
    }

    /// The tokens of a successful answer, expiring by the client's clock.
    fn tokens_from(
        &self,
        answer: TokenAnswer,
        grant: Grant,
        previous_refresh: Option<&SecretString>,
    ) -> Result<Tokens, AuthError> {
        let answer = answer.map_err(|error| auth_error(grant, error))?;
        let unusable = |problem: &str| AuthError::InvalidAnswer {
            grant,
            problem: problem.to_string(),
        };
        if !answer.token_type().as_ref().eq_ignore_ascii_case("bearer") {
            return Err(unusable("the token type is not Bearer"));
        }
        let mut tokens = Tokens::new(answer.access_token().secret().clone())
            .map_err(|_| unusable("the access token is empty or cannot be sent in a header"))?;
        let refresh = answer
            .refresh_token()
            .map(|token| token.secret().clone())
            .or_else(|| previous_refresh.map(|token| token.expose_secret().to_string()));
        if let Some(refresh) = refresh {
            tokens = tokens.with_refresh_token(refresh);
        }
        if let Some(lifetime) = answer.expires_in() {
            tokens = tokens.expiring_at(self.clock.now() + lifetime);
        }
        Ok(tokens)
    }
}

/// What went wrong with a token request, without anything of the answer that could be
/// a secret.
fn auth_error(grant: Grant, error: RequestTokenError<SendError, TokenErrorBody>) -> AuthError {
    match error {
        RequestTokenError::ServerResponse(body) => AuthError::Rejected {
            grant,
            code: body.code,
            description: body.description,
        },
        RequestTokenError::Request(SendError(error)) => AuthError::Unavailable {
            grant,
            source: Arc::new(error),
        },
        RequestTokenError::Parse(error, _body) => AuthError::InvalidAnswer {
            grant,
            problem: format!(
                "it does not fit a token answer at `{}` ({:?} error)",
                error.path(),
                error.inner().classify()
            ),
        },
        RequestTokenError::Other(problem) => AuthError::InvalidAnswer { grant, problem },
    }
}

impl fmt::Debug for TokenEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenEndpoint")
            .field("app", &self.app)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SystemClock;
    use std::collections::HashMap;

    fn endpoint() -> TokenEndpoint {
        let app = OAuthApp::new("my-app", "http://127.0.0.1:8400/callback").unwrap();
        let clock = Arc::new(SystemClock::new());
        TokenEndpoint::new(&app, "https://api.example/api/v1", Pipeline::plain(), clock).unwrap()
    }

    fn query(request: &AuthorizationRequest) -> HashMap<String, String> {
        Url::parse(request.url())
            .unwrap()
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    #[test]
    fn the_authorization_url_asks_as_awork_documents_it_with_fresh_state_and_pkce() {
        let endpoint = endpoint();
        let first = endpoint.authorization_request();
        assert!(
            first
                .url()
                .starts_with("https://api.example/api/v1/accounts/authorize?")
        );
        let q = query(&first);
        assert_eq!(q["client_id"], "my-app");
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["grant_type"], "authorization_code");
        assert_eq!(q["redirect_uri"], "http://127.0.0.1:8400/callback");
        assert_eq!(q["scope"], "full_access offline_access");
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(
            q["code_challenge"].len(),
            43,
            "base64url of a SHA-256 digest"
        );
        let second = query(&endpoint.authorization_request());
        assert_ne!(q["state"], second["state"]);
        assert_ne!(q["code_challenge"], second["code_challenge"]);
        let shown = format!("{first:?}");
        assert!(!shown.contains(&q["state"]), "{shown}");
    }
}
