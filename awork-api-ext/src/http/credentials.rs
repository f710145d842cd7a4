//! The one way every request gets its `Authorization` header, whatever the client was
//! built with: an API key or fixed access token (never changes), or an OAuth session
//! (refreshed by its [`TokenKeeper`]).
//!
//! The transport asks [`Credentials::authorize`] before sending and, when awork answers
//! 401, [`Credentials::renew`] once; it does not need to know which kind it holds.

use crate::auth::{ApiKey, AuthError};
use crate::http::token_keeper::TokenKeeper;
use reqwest::header::HeaderValue;
use std::fmt;
use std::sync::Arc;

/// What a client authenticates with.
pub(crate) enum Credentials {
    /// An API key or an access token given as is.
    Fixed(ApiKey),
    /// A signed-in user whose tokens are refreshed.
    OAuth(Arc<TokenKeeper>),
}

/// The header one request was sent with, and which generation of tokens it came from
/// (so that a 401 can tell whether the tokens were renewed since).
#[derive(Clone)]
pub(crate) struct Authorization {
    pub(crate) header: HeaderValue,
    pub(crate) generation: u64,
}

impl Credentials {
    /// The header for the next request; for OAuth, refreshed first when the token is
    /// about to expire. An error means the request must not be sent.
    pub(crate) async fn authorize(&self) -> Result<Authorization, AuthError> {
        match self {
            Credentials::Fixed(key) => Ok(Authorization {
                header: key.header_value(),
                generation: 0,
            }),
            Credentials::OAuth(keeper) => keeper.authorize().await,
        }
    }

    /// Whether a 401 could be cured by renewing: only an OAuth session with a refresh
    /// token. The transport keeps a copy of the request only then.
    pub(crate) fn renews(&self) -> bool {
        match self {
            Credentials::Fixed(_) => false,
            Credentials::OAuth(keeper) => keeper.can_refresh(),
        }
    }

    /// After awork rejected `rejected` with 401: a newer header to send the request
    /// with once more (refreshing unless another request already did), or `None` when
    /// there is nothing to renew.
    pub(crate) async fn renew(
        &self,
        rejected: &Authorization,
    ) -> Result<Option<HeaderValue>, AuthError> {
        match self {
            Credentials::Fixed(_) => Ok(None),
            Credentials::OAuth(keeper) => keeper.renew(rejected.generation).await,
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Fixed(key) => f.debug_tuple("Fixed").field(key).finish(),
            Credentials::OAuth(keeper) => f.debug_tuple("OAuth").field(keeper).finish(),
        }
    }
}
