//! Authentication of API requests: `Authorization: Bearer <credential>`, where the
//! credential is the API key or an OAuth access token this fake issued and that has
//! not expired on its expiry clock.

use axum::http::{HeaderMap, header};

use crate::errors::ApiError;
use crate::oauth::registry::TokenStatus;
use crate::state::{Shared, lock};

/// Accepts the request when it carries the API key or a live access token.
pub(crate) fn check(headers: &HeaderMap, state: &Shared) -> Result<(), ApiError> {
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
    if token == state.api_key {
        return Ok(());
    }
    match lock(&state.oauth).check_access(token, state.expiry.now()) {
        TokenStatus::Valid => Ok(()),
        TokenStatus::Expired => Err(ApiError::unauthorized("The access token has expired.")),
        TokenStatus::Unknown => Err(ApiError::unauthorized(
            "The API key or access token is not valid.",
        )),
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
