//! Reading the redirect awork sends the user back with, and deciding whether its code
//! may be used.
//!
//! The order of the checks matters: the `state` is compared first, so a forged or
//! stale redirect is refused whatever else it carries; then an `error` from awork; then
//! the code itself. A callback that fails any check sends nothing.

use crate::error::cases::AuthError;
use secrecy::{ExposeSecret, SecretString};

/// The parameters of one callback.
pub(crate) struct Callback {
    code: Option<SecretString>,
    state: Option<SecretString>,
    error: Option<String>,
    error_description: Option<String>,
}

impl Callback {
    /// Reads a full redirect URL (`http://127.0.0.1:8400/callback?code=…&state=…`), a
    /// request target (`/callback?code=…`) or a bare query string (`code=…&state=…`).
    pub(crate) fn parse(text: &str) -> Result<Self, AuthError> {
        let query = query_of(text.trim())?;
        let mut callback = Callback {
            code: None,
            state: None,
            error: None,
            error_description: None,
        };
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let value = value.into_owned();
            let repeated = match name.as_ref() {
                "code" => callback.code.replace(SecretString::from(value)).is_some(),
                "state" => callback.state.replace(SecretString::from(value)).is_some(),
                "error" => callback.error.replace(value).is_some(),
                "error_description" => callback.error_description.replace(value).is_some(),
                _ => false,
            };
            if repeated {
                return Err(AuthError::BadCallback("a parameter is repeated"));
            }
        }
        Ok(callback)
    }

    /// The code, once the callback proved to answer the sign-in that sent `expected`
    /// as its state and carries no error.
    pub(crate) fn into_code(self, expected: &str) -> Result<SecretString, AuthError> {
        let state_matches = self
            .state
            .as_ref()
            .is_some_and(|state| same(state.expose_secret(), expected));
        if !state_matches {
            return Err(AuthError::StateMismatch);
        }
        if let Some(error) = self.error {
            return Err(AuthError::Denied {
                error,
                description: self.error_description,
            });
        }
        self.code
            .filter(|code| !code.expose_secret().is_empty())
            .ok_or(AuthError::MissingCode)
    }
}

/// The query part of `text`.
fn query_of(text: &str) -> Result<&str, AuthError> {
    if text.contains("://") || text.starts_with('/') {
        let query = text
            .split_once('?')
            .map(|(_, query)| query)
            .ok_or(AuthError::BadCallback("the URL has no query string"))?;
        return Ok(query.split('#').next().unwrap_or(query));
    }
    Ok(text.strip_prefix('?').unwrap_or(text))
}

/// Compares in time independent of where the first difference is, so that the state
/// cannot be guessed byte by byte from response times.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Result<String, AuthError> {
        Callback::parse(text)?
            .into_code("st-42")
            .map(|c| c.expose_secret().to_string())
    }

    #[test]
    fn the_code_is_read_from_every_shape_of_callback() {
        assert_eq!(
            code("http://127.0.0.1:9/cb?code=c%2B1&state=st-42").unwrap(),
            "c+1"
        );
        assert_eq!(code("/cb?state=st-42&code=c1").unwrap(), "c1");
        assert_eq!(code("?code=c1&state=st-42").unwrap(), "c1");
        assert_eq!(code("code=c1&state=st-42&extra=1").unwrap(), "c1");
    }

    #[test]
    fn state_is_checked_before_error_and_code() {
        assert!(matches!(
            code("code=c1&state=other"),
            Err(AuthError::StateMismatch)
        ));
        assert!(matches!(code("code=c1"), Err(AuthError::StateMismatch)));
        assert!(matches!(
            code("error=access_denied&state=evil"),
            Err(AuthError::StateMismatch)
        ));
        let denied = code("error=access_denied&error_description=No&state=st-42").unwrap_err();
        assert_eq!(
            denied.to_string(),
            "awork did not authorize the app: access_denied: No; nothing was sent"
        );
        assert!(matches!(code("state=st-42"), Err(AuthError::MissingCode)));
        assert!(matches!(
            code("state=st-42&code="),
            Err(AuthError::MissingCode)
        ));
    }

    #[test]
    fn odd_callbacks_are_refused_without_quoting_them() {
        let repeated = code("code=c-secret&code=c2&state=st-42").unwrap_err();
        assert!(matches!(repeated, AuthError::BadCallback(_)));
        assert!(!repeated.to_string().contains("c-secret"));
        assert!(matches!(
            code("http://127.0.0.1/cb"),
            Err(AuthError::BadCallback(_))
        ));
    }
}
