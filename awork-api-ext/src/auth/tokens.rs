//! The tokens of one sign-in, and where they are kept between runs.
//!
//! [`Tokens`] holds the access token, the refresh token and when the access token
//! expires. The secrets sit in [`SecretString`]s: `Debug` shows placeholders, and reading
//! one takes an explicit [`expose_secret`](secrecy::ExposeSecret::expose_secret), which is what a
//! [`TokenStore`] that writes them to disk or a keychain does.
//!
//! The client calls [`TokenStore::save`] after every refresh: awork rotates refresh
//! tokens, so the one saved before is no longer valid once a refresh has happened.

use crate::auth::api_key::{bearer_header, checked_bearer};
use crate::error::Error;
use reqwest::header::HeaderValue;
use secrecy::SecretString;
use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

/// An access token, the refresh token that renews it, and the moment it expires.
#[derive(Clone)]
pub struct Tokens {
    access: SecretString,
    refresh: Option<SecretString>,
    expires_at: Option<SystemTime>,
}

impl Tokens {
    /// Tokens with this access token (no refresh token, no known expiry). Fails, without
    /// repeating it, when the token is empty or cannot travel in a header.
    pub fn new(access_token: impl Into<String>) -> Result<Self, Error> {
        let access = checked_bearer(access_token.into(), "access token").map_err(Error::Config)?;
        Ok(Self {
            access,
            refresh: None,
            expires_at: None,
        })
    }

    /// Adds the refresh token that renews the access token.
    pub fn with_refresh_token(mut self, refresh_token: impl Into<String>) -> Self {
        let token: String = refresh_token.into();
        self.refresh =
            (!token.trim().is_empty()).then(|| SecretString::from(token.trim().to_string()));
        self
    }

    /// Records when the access token expires.
    pub fn expiring_at(mut self, at: SystemTime) -> Self {
        self.expires_at = Some(at);
        self
    }

    /// The access token, for a store that persists it.
    pub fn access_token(&self) -> &SecretString {
        &self.access
    }

    /// The refresh token, if awork gave one (it does for the `offline_access` scope).
    pub fn refresh_token(&self) -> Option<&SecretString> {
        self.refresh.as_ref()
    }

    /// When the access token expires, if known.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// The `Authorization` header for the access token, marked sensitive.
    pub(crate) fn header(&self) -> HeaderValue {
        bearer_header(&self.access)
    }

    /// Whether these tokens hold `secret` (in tests: that a rotation happened).
    #[cfg(test)]
    pub(crate) fn holds(&self, secret: &str) -> bool {
        use secrecy::ExposeSecret;
        self.access.expose_secret() == secret
            || self
                .refresh
                .as_ref()
                .is_some_and(|r| r.expose_secret() == secret)
    }
}

impl fmt::Debug for Tokens {
    /// Placeholders for the secrets; the expiry is not secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("access_token", &"<redacted>")
            .field(
                "refresh_token",
                &self.refresh.as_ref().map(|_| "<redacted>"),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// A failure of a [`TokenStore`] (a file that cannot be written, a keychain that is
/// locked). Its message ends up in [`AuthError::Store`](crate::auth::AuthError::Store),
/// so it must not quote the tokens.
pub type StoreError = Box<dyn std::error::Error + Send + Sync>;

/// Where the tokens of a sign-in live between runs of a program.
///
/// The client loads nothing by itself: [`OAuthSession::restore`](crate::auth::OAuthSession::restore)
/// loads once, and the client saves after every refresh. Both calls are made from async
/// code, so keep them quick (a small file, a keychain entry).
pub trait TokenStore: Send + Sync + 'static {
    /// The tokens saved last, or `None` when there are none yet.
    fn load(&self) -> Result<Option<Tokens>, StoreError>;
    /// Replaces the saved tokens.
    fn save(&self, tokens: &Tokens) -> Result<(), StoreError>;
}

/// A [`TokenStore`] in memory: the tokens last as long as the program. For tests, and
/// for reading the current tokens of a running client.
#[derive(Default)]
pub struct MemoryTokenStore {
    tokens: Mutex<Option<Tokens>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store that already holds `tokens`.
    pub fn holding(tokens: Tokens) -> Self {
        Self {
            tokens: Mutex::new(Some(tokens)),
        }
    }

    /// The tokens saved last.
    pub fn tokens(&self) -> Option<Tokens> {
        self.tokens
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl TokenStore for MemoryTokenStore {
    fn load(&self) -> Result<Option<Tokens>, StoreError> {
        Ok(self.tokens())
    }

    fn save(&self, tokens: &Tokens) -> Result<(), StoreError> {
        *self.tokens.lock().unwrap_or_else(PoisonError::into_inner) = Some(tokens.clone());
        Ok(())
    }
}

impl fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryTokenStore")
            .field("tokens", &self.tokens())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn secrets_stay_out_of_debug_and_reach_the_header() {
        let tokens = Tokens::new(" at-secret-1 ")
            .unwrap()
            .with_refresh_token("rt-secret-2")
            .expiring_at(SystemTime::UNIX_EPOCH);
        let store = MemoryTokenStore::holding(tokens.clone());
        let text = format!("{tokens:?} {store:?}");
        assert!(!text.contains("secret"), "{text}");
        assert!(
            text.contains("refresh_token: Some(\"<redacted>\")"),
            "{text}"
        );
        let header = tokens.header();
        assert!(header.is_sensitive());
        assert_eq!(header.to_str().unwrap(), "Bearer at-secret-1");
        assert_eq!(
            tokens.refresh_token().unwrap().expose_secret(),
            "rt-secret-2"
        );
    }

    #[test]
    fn an_empty_access_token_is_refused_without_echo() {
        let err = Tokens::new("  ").unwrap_err().to_string();
        assert_eq!(
            err,
            "cannot build the awork client: the access token is empty"
        );
        let err = Tokens::new("zq-secret\nxy").unwrap_err().to_string();
        assert!(!err.contains("zq-secret"), "{err}");
    }

    #[test]
    fn the_memory_store_keeps_what_was_saved_last() {
        let store = MemoryTokenStore::new();
        assert!(store.load().unwrap().is_none());
        store.save(&Tokens::new("a").unwrap()).unwrap();
        store.save(&Tokens::new("b").unwrap()).unwrap();
        assert!(store.load().unwrap().unwrap().holds("b"));
    }
}
