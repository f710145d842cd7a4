//! Registering a client application with awork on the fly (dynamic client
//! registration, RFC 7591): `POST /clientapplications/register`, no credentials needed,
//! answered with `201` and the new client's id (and secret, for a confidential client).
//!
//! What to send and how to read the answer are here; the request itself is sent by
//! [`ClientBuilder::register_oauth_client`](crate::ClientBuilder::register_oauth_client),
//! through the HTTP stack of the builder.

use crate::auth::app::{OAuthApp, Scope, checked_redirect};
use crate::error::Error;
use crate::error::cases::{AuthError, Grant};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What to register: a name, the redirect URIs, the scopes, and whether the app can
/// keep a secret.
#[derive(Debug, Clone)]
pub struct ClientRegistration {
    name: String,
    redirect_uris: Vec<String>,
    confidential: bool,
    scopes: Vec<Scope>,
}

impl ClientRegistration {
    /// A public client that runs on the user's machine (a CLI, a desktop app): no
    /// secret, PKCE only, as awork's own CLI registers.
    pub fn native(name: impl Into<String>, redirect_uri: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            redirect_uris: vec![redirect_uri.into()],
            confidential: false,
            scopes: vec![Scope::FullAccess, Scope::OfflineAccess],
        }
    }

    /// A confidential client on a server that keeps a secret (sent with
    /// `Authorization: Basic` to the token endpoint).
    pub fn confidential(name: impl Into<String>, redirect_uri: impl Into<String>) -> Self {
        Self {
            confidential: true,
            ..Self::native(name, redirect_uri)
        }
    }

    /// Registers another redirect URI.
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uris.push(uri.into());
        self
    }

    /// The scopes the client may ask for (default: `full_access offline_access`).
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = Scope>) -> Self {
        self.scopes = scopes.into_iter().collect();
        self
    }

    /// The request body (RFC 7591 §2), once every field is valid: invalid metadata is
    /// refused before anything is sent.
    pub(crate) fn body(&self) -> Result<serde_json::Value, Error> {
        let metadata = self.metadata()?;
        serde_json::to_value(metadata).map_err(|e| {
            Error::validation("registration", format!("cannot be written as JSON: {e}"))
        })
    }

    /// The metadata to send, once every field is valid.
    fn metadata(&self) -> Result<Metadata<'_>, Error> {
        if self.name.trim().is_empty() {
            return Err(Error::validation("client_name", "is empty"));
        }
        for uri in &self.redirect_uris {
            checked_redirect(uri)?;
        }
        if self.scopes.is_empty() {
            return Err(Error::validation("scope", "no scope asked for"));
        }
        Ok(Metadata {
            client_name: self.name.trim(),
            redirect_uris: &self.redirect_uris,
            grant_types: ["authorization_code", "refresh_token"],
            response_types: ["code"],
            token_endpoint_auth_method: if self.confidential {
                "client_secret_basic"
            } else {
                "none"
            },
            application_type: if self.confidential { "web" } else { "native" },
            scope: self
                .scopes
                .iter()
                .map(|scope| scope.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        })
    }
}

/// The request body (RFC 7591 §2).
#[derive(Serialize)]
struct Metadata<'a> {
    client_name: &'a str,
    redirect_uris: &'a [String],
    grant_types: [&'static str; 2],
    response_types: [&'static str; 1],
    token_endpoint_auth_method: &'static str,
    application_type: &'static str,
    scope: String,
}

/// The answer (RFC 7591 §3.2.1), as far as this crate uses it.
#[derive(Deserialize)]
struct Answer {
    /// Optional to the decoder (awork's contract lets it be absent or null), required
    /// after: a registration without an id is refused, saying so.
    #[serde(default)]
    client_id: Option<String>,
    client_secret: Option<String>,
    /// May be null (awork's contract says so): read as none.
    #[serde(default)]
    redirect_uris: Option<Vec<String>>,
}

/// A client application awork registered.
#[derive(Clone)]
pub struct RegisteredClient {
    client_id: String,
    client_secret: Option<SecretString>,
    redirect_uris: Vec<String>,
}

impl RegisteredClient {
    /// The new client's id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The client secret, for a confidential client. awork shows it once: keep it.
    pub fn client_secret(&self) -> Option<&SecretString> {
        self.client_secret.as_ref()
    }

    /// The redirect URIs awork registered.
    pub fn redirect_uris(&self) -> &[String] {
        &self.redirect_uris
    }

    /// The app to sign in with: this client, its secret if it has one, sent back to
    /// `redirect_uri`.
    pub fn app(&self, redirect_uri: &str) -> Result<OAuthApp, Error> {
        let app = OAuthApp::new(self.client_id.clone(), redirect_uri)?;
        Ok(match &self.client_secret {
            Some(secret) => app.client_secret(secret.expose_secret()),
            None => app,
        })
    }
}

impl fmt::Debug for RegisteredClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegisteredClient")
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("redirect_uris", &self.redirect_uris)
            .finish()
    }
}

impl RegisteredClient {
    /// The client awork registered, from its answer's body.
    pub(crate) fn from_answer(body: &[u8]) -> Result<Self, Error> {
        let invalid = |problem: String| AuthError::InvalidAnswer {
            grant: Grant::Registration,
            problem,
        };
        let answer: Answer = serde_json::from_slice(body).map_err(|e| {
            invalid(format!(
                "{:?} error at line {} column {}",
                e.classify(),
                e.line(),
                e.column()
            ))
        })?;
        let client_id = answer
            .client_id
            .ok_or_else(|| invalid("it has no client_id".into()))?;
        tracing::info!(client_id, "registered an OAuth client with awork");
        Ok(RegisteredClient {
            client_id,
            client_secret: answer.client_secret.map(SecretString::from),
            redirect_uris: answer.redirect_uris.unwrap_or_default(),
        })
    }
}
