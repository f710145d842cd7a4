//! Authentication: `Authorization: Bearer <credential>`, where the credential is the
//! API key or an OAuth access token the fake issued and that has not expired.

use axum::http::{HeaderMap, header};
use uuid::Uuid;

use super::world::World;
use crate::awork::oauth::registry::TokenStatus;
use crate::sync::lock;
use crate::wire::ApiError;

/// The user the request's credential belongs to; `Err` is the 401 to answer.
pub(crate) fn authenticate(headers: &HeaderMap, world: &World) -> Result<Uuid, ApiError> {
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
    if token == world.api_key {
        return Ok(world.user_id);
    }
    match lock(&world.oauth).check_access(token, world.clock.now()) {
        TokenStatus::Valid => Ok(world.user_id),
        TokenStatus::Expired => Err(ApiError::unauthorized("The access token has expired.")),
        TokenStatus::Unknown => Err(ApiError::unauthorized(
            "The API key or access token is not valid.",
        )),
    }
}

/// The token of a `Bearer` credential; the scheme is case-insensitive.
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
