//! API-key authentication: `Authorization: Bearer <key>`.

use axum::http::{HeaderMap, header};

use crate::errors::ApiError;

/// Accepts the request when it carries the expected bearer key.
pub(crate) fn check(headers: &HeaderMap, expected_key: &str) -> Result<(), ApiError> {
    let Some(raw) = headers.get(header::AUTHORIZATION) else {
        return Err(ApiError::unauthorized(
            "The Authorization header is missing.",
        ));
    };
    let Some(token) = raw.to_str().ok().and_then(bearer_token) else {
        return Err(ApiError::unauthorized(
            "The Authorization header is not of the form 'Bearer <key>'.",
        ));
    };
    if token == expected_key {
        Ok(())
    } else {
        Err(ApiError::unauthorized("The API key is not valid."))
    }
}

/// Extracts the token of a `Bearer` credential; the scheme is case-insensitive.
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::bearer_token;

    #[test]
    fn bearer_scheme_is_case_insensitive_and_token_required() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer  abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
        assert_eq!(bearer_token("Bearer"), None);
    }
}
