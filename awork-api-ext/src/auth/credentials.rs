//! What a client authenticates with, as the pipeline's credential source: an API key
//! or fixed access token (never changes), or an OAuth session (kept fresh by its
//! [`TokenKeeper`]).
//!
//! The pipeline asks for a header before sending and, when awork answers 401, for a
//! newer one once; it does not know which kind it holds, nor what a refusal means (an
//! [`AuthError`](crate::auth::AuthError), handed back whole).

use crate::auth::api_key::ApiKey;
use crate::auth::keeper::TokenKeeper;
use crate::http::authorize::{Authorization, Authorize, Refusal};
use awork_api::BoxFuture;
use reqwest::header::HeaderValue;
use std::fmt;
use std::sync::Arc;

/// The credentials of one client.
pub(crate) enum Credentials {
    /// An API key or an access token given as is: its header, made once (it is sent
    /// with every request), marked sensitive.
    Fixed(HeaderValue),
    /// A signed-in user whose tokens are refreshed.
    OAuth(Arc<TokenKeeper>),
}

impl Credentials {
    /// Credentials that never change: `key`'s header on every request.
    pub(crate) fn fixed(key: &ApiKey) -> Self {
        Credentials::Fixed(key.header_value())
    }
}

impl Authorize for Credentials {
    /// For OAuth, refreshed first when the token is about to expire.
    fn authorize(&self) -> BoxFuture<'_, Result<Authorization, Refusal>> {
        Box::pin(async move {
            match self {
                Credentials::Fixed(header) => Ok(Authorization {
                    header: header.clone(),
                    generation: 0,
                }),
                Credentials::OAuth(keeper) => keeper.authorize().await.map_err(Refusal::new),
            }
        })
    }

    fn fixed(&self) -> Option<HeaderValue> {
        match self {
            Credentials::Fixed(header) => Some(header.clone()),
            Credentials::OAuth(_) => None,
        }
    }

    /// Only an OAuth session with a refresh token can cure a 401.
    fn renews(&self) -> bool {
        match self {
            Credentials::Fixed(_) => false,
            Credentials::OAuth(keeper) => keeper.can_refresh(),
        }
    }

    /// Refreshes, unless another request already did since `rejected` was sent.
    fn renew<'a>(
        &'a self,
        rejected: &'a Authorization,
    ) -> BoxFuture<'a, Result<Option<HeaderValue>, Refusal>> {
        Box::pin(async move {
            match self {
                Credentials::Fixed(_) => Ok(None),
                Credentials::OAuth(keeper) => keeper
                    .renew(rejected.generation)
                    .await
                    .map_err(Refusal::new),
            }
        })
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Fixed(_) => f.write_str("Fixed(<redacted>)"),
            Credentials::OAuth(keeper) => f.debug_tuple("OAuth").field(keeper).finish(),
        }
    }
}
