//! A signed-in user: the app, its current tokens, and where to keep them.

use crate::auth::app::OAuthApp;
use crate::auth::tokens::{TokenStore, Tokens};
use crate::error::Error;
use crate::error::cases::AuthError;
use std::fmt;
use std::sync::Arc;

/// The result of signing in, handed to [`ClientBuilder::oauth`](crate::ClientBuilder::oauth).
///
/// The client built from it sends the access token with every request, refreshes it
/// shortly before it expires and once after awork rejects it, and saves every new pair
/// of tokens to the [`TokenStore`], if one is attached.
#[derive(Clone)]
pub struct OAuthSession {
    app: OAuthApp,
    tokens: Tokens,
    store: Option<Arc<dyn TokenStore>>,
}

impl OAuthSession {
    /// A session of `app` with `tokens` (from a sign-in, or kept by other means).
    pub fn new(app: OAuthApp, tokens: Tokens) -> Self {
        Self {
            app,
            tokens,
            store: None,
        }
    }

    /// The session saved in `store` by an earlier run, which it keeps saving to.
    /// Fails with [`AuthError::Store`] when the store fails or holds no tokens (sign in
    /// first).
    pub fn restore(app: OAuthApp, store: Arc<dyn TokenStore>) -> Result<Self, Error> {
        let tokens = store
            .load()
            .map_err(|e| AuthError::Store(format!("cannot load the tokens: {e}")))?
            .ok_or_else(|| AuthError::Store("no tokens saved yet: sign in first".into()))?;
        Ok(Self {
            app,
            tokens,
            store: Some(store),
        })
    }

    /// Saves the current tokens to `store` now and after every refresh.
    pub fn with_store(mut self, store: Arc<dyn TokenStore>) -> Result<Self, Error> {
        store
            .save(&self.tokens)
            .map_err(|e| AuthError::Store(format!("cannot save the tokens: {e}")))?;
        self.store = Some(store);
        Ok(self)
    }

    /// The app signed in.
    pub fn app(&self) -> &OAuthApp {
        &self.app
    }

    /// The tokens the session started with (a running client keeps the current ones in
    /// its store).
    pub fn tokens(&self) -> &Tokens {
        &self.tokens
    }

    /// The parts, for the client's token keeper.
    pub(crate) fn into_parts(self) -> (OAuthApp, Tokens, Option<Arc<dyn TokenStore>>) {
        (self.app, self.tokens, self.store)
    }
}

impl fmt::Debug for OAuthSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthSession")
            .field("app", &self.app)
            .field("tokens", &self.tokens)
            .field("store", &self.store.is_some())
            .finish()
    }
}
