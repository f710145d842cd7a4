//! Who signs in: the client application registered with awork, where awork sends the
//! user back, and what it asks for.

use crate::error::Error;
use secrecy::SecretString;
use std::fmt;
use url::Url;

/// What the app asks awork to allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scope {
    /// Everything the user may do (`full_access`).
    FullAccess,
    /// A refresh token, so the sign-in outlives the access token (`offline_access`).
    OfflineAccess,
}

impl Scope {
    /// The scope as awork spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::FullAccess => "full_access",
            Scope::OfflineAccess => "offline_access",
        }
    }
}

/// A client application registered with awork: its id, its secret when it is a
/// confidential client, the redirect URI awork sends the user back to, and the scopes.
///
/// Public clients (command-line tools, desktop and mobile apps) have no secret and rely
/// on PKCE, which this crate always uses. Confidential clients (a server that keeps the
/// secret) authenticate to the token endpoint with it as well.
#[derive(Clone)]
pub struct OAuthApp {
    client_id: String,
    client_secret: Option<SecretString>,
    redirect_uri: Url,
    scopes: Vec<Scope>,
}

impl OAuthApp {
    /// The app `client_id`, sent back to `redirect_uri` (an absolute URI without a
    /// fragment, registered for the app), asking for `full_access` and
    /// `offline_access`. Bad values are refused before anything is sent.
    pub fn new(client_id: impl Into<String>, redirect_uri: &str) -> Result<Self, Error> {
        let client_id: String = client_id.into().trim().to_string();
        if client_id.is_empty() {
            return Err(Error::validation("client_id", "is empty"));
        }
        Ok(Self {
            client_id,
            client_secret: None,
            redirect_uri: checked_redirect(redirect_uri)?,
            scopes: vec![Scope::FullAccess, Scope::OfflineAccess],
        })
    }

    /// The secret of a confidential client; it is sent with `Authorization: Basic` to
    /// the token endpoint and nowhere else. An empty secret means none.
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        let secret: String = secret.into();
        self.client_secret =
            (!secret.trim().is_empty()).then(|| SecretString::from(secret.trim().to_string()));
        self
    }

    /// Asks for these scopes instead (without `offline_access` there is no refresh
    /// token, and the sign-in ends when the access token expires).
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = Scope>) -> Self {
        self.scopes = scopes.into_iter().collect();
        self.scopes.dedup();
        self
    }

    /// Sends the user back to this URI instead (e.g. a loopback port chosen at run time).
    pub fn with_redirect_uri(mut self, redirect_uri: &str) -> Result<Self, Error> {
        self.redirect_uri = checked_redirect(redirect_uri)?;
        Ok(self)
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The redirect URI.
    pub fn redirect_uri(&self) -> &str {
        self.redirect_uri.as_str()
    }

    /// The scopes asked for.
    pub fn requested_scopes(&self) -> &[Scope] {
        &self.scopes
    }

    /// The secret, if the app is a confidential client.
    pub(crate) fn secret(&self) -> Option<&SecretString> {
        self.client_secret.as_ref()
    }
}

impl fmt::Debug for OAuthApp {
    /// The id, redirect and scopes; the secret only as a placeholder.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthApp")
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("redirect_uri", &self.redirect_uri.as_str())
            .field("scopes", &self.scopes)
            .finish()
    }
}

/// An absolute URI without a fragment (RFC 6749 §3.1.2).
pub(crate) fn checked_redirect(uri: &str) -> Result<Url, Error> {
    let url = Url::parse(uri.trim()).map_err(|e| {
        Error::validation(
            "redirect_uri",
            format!("{uri:?} is not an absolute URI: {e}"),
        )
    })?;
    if url.fragment().is_some() {
        return Err(Error::validation(
            "redirect_uri",
            format!("{uri:?} must not have a fragment"),
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_settings_are_refused_before_anything_is_sent() {
        let err = |r: Result<OAuthApp, Error>| r.unwrap_err().to_string();
        assert_eq!(
            err(OAuthApp::new(" ", "http://127.0.0.1/cb")),
            "invalid client_id: is empty"
        );
        assert!(
            err(OAuthApp::new("id", "/callback"))
                .starts_with("invalid redirect_uri: \"/callback\" is not an absolute URI")
        );
        assert!(
            err(OAuthApp::new("id", "http://127.0.0.1/cb#x")).contains("must not have a fragment")
        );
    }

    #[test]
    fn the_secret_is_redacted_and_scopes_default_to_both() {
        let app = OAuthApp::new("my-app", "http://127.0.0.1:8400/oauth/callback")
            .unwrap()
            .client_secret("cs-very-secret");
        let text = format!("{app:?}");
        assert!(!text.contains("cs-very-secret"), "{text}");
        assert!(
            text.contains("my-app") && text.contains("<redacted>"),
            "{text}"
        );
        assert_eq!(
            app.requested_scopes(),
            [Scope::FullAccess, Scope::OfflineAccess]
        );
        assert!(
            OAuthApp::new("a", "http://x/")
                .unwrap()
                .client_secret(" ")
                .secret()
                .is_none()
        );
    }
}
