//! Bearer credentials, kept secret: the API key, and the shared checks for access tokens.
//!
//! awork authenticates requests with `Authorization: Bearer <credential>`. An API key
//! grants admin-level access to a workspace and an access token acts as a user, so both
//! are held in a [`secrecy::SecretString`]: `Debug` prints a placeholder, they are never
//! part of an error or a log line, and the header carrying them is marked sensitive so
//! HTTP-level logging skips it.

use crate::error::Error;
use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};
use std::fmt;

/// The environment variable [`ApiKey::from_env`] reads.
pub const API_KEY_ENV: &str = "AWORK_API_KEY";

/// An awork API key (or OAuth access token): a secret bearer credential.
#[derive(Clone)]
pub struct ApiKey(SecretString);

impl ApiKey {
    /// Wraps a key. Empty or whitespace-only keys, and keys with characters an HTTP
    /// header cannot carry, are rejected (the message does not repeat the key).
    pub fn new(key: impl Into<String>) -> Result<Self, Error> {
        Self::named(key, "API key")
    }

    /// Like [`new`](Self::new), naming the credential `what` in errors ("API key",
    /// "access token").
    pub(crate) fn named(key: impl Into<String>, what: &str) -> Result<Self, Error> {
        checked_bearer(key.into(), what)
            .map(Self)
            .map_err(Error::Config)
    }

    /// Reads the key from `AWORK_API_KEY`.
    pub fn from_env() -> Result<Self, Error> {
        match std::env::var(API_KEY_ENV) {
            Ok(value) if !value.trim().is_empty() => Self::new(value),
            Ok(_) => Err(Error::Config(format!("{API_KEY_ENV} is set but empty"))),
            Err(_) => Err(Error::Config(format!("{API_KEY_ENV} is not set"))),
        }
    }

    /// The `Authorization` header value, marked sensitive.
    pub(crate) fn header_value(&self) -> HeaderValue {
        bearer_header(&self.0)
    }
}

/// Trims `credential` and checks that it can travel in a header; the message names
/// `what` and never repeats the credential.
pub(crate) fn checked_bearer(credential: String, what: &str) -> Result<SecretString, String> {
    let trimmed = credential.trim();
    if trimmed.is_empty() {
        return Err(format!("the {what} is empty"));
    }
    if HeaderValue::from_str(&format!("Bearer {trimmed}")).is_err() {
        return Err(format!(
            "the {what} contains characters not allowed in an HTTP header"
        ));
    }
    Ok(SecretString::from(trimmed.to_string()))
}

/// `Bearer <credential>` as a header value marked sensitive, so that HTTP-level
/// logging prints a placeholder. The credential was checked by [`checked_bearer`].
pub(crate) fn bearer_header(credential: &SecretString) -> HeaderValue {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", credential.expose_secret()))
        .unwrap_or_else(|_| HeaderValue::from_static("Bearer"));
    value.set_sensitive(true);
    value
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_never_shows_in_debug_and_its_header_is_sensitive() {
        let key = ApiKey::new("  sk-very-secret  ").unwrap();
        assert_eq!(format!("{key:?}"), "ApiKey(<redacted>)");
        let header = key.header_value();
        assert!(header.is_sensitive());
        assert_eq!(header.to_str().unwrap(), "Bearer sk-very-secret");
    }

    #[test]
    fn bad_keys_are_rejected_without_echoing_them() {
        assert_eq!(
            ApiKey::new("  ").unwrap_err().to_string(),
            "cannot build the awork client: the API key is empty"
        );
        let err = ApiKey::new("secret\nline").unwrap_err().to_string();
        assert!(!err.contains("secret"), "{err}");
    }
}
