//! Keeping an OAuth access token fresh for every request of one client.
//!
//! The keeper holds the current tokens and a generation number that grows with every
//! refresh attempt. Requests read the header without waiting. A request that finds the
//! token about to expire, or that awork answered 401, asks for a refresh of the
//! generation it saw:
//!
//! * Refreshes are single-flight: one refresh lock, and a request that gets the lock
//!   after the generation moved on takes the outcome of that refresh instead of
//!   starting another. Many concurrent requests cause one refresh.
//! * The refresh runs on a task of its own holding the lock, so that a caller that gives
//!   up (a dropped future, a timeout) cannot cut it off after awork rotated the refresh
//!   token but before the new one was kept.
//! * A refresh that fails is reported to the requests waiting for it and is not
//!   repeated for them. If awork refused the refresh token, the session is over: every
//!   later request fails at once with that refusal. After a failure to get through, a
//!   later request may try once more.
//! * Expiry is judged by the client's [`Clock`]; the keeper refreshes up to a minute
//!   early (half the remaining lifetime for short-lived tokens).

use crate::auth::endpoint::TokenEndpoint;
use crate::auth::tokens::{TokenStore, Tokens};
use crate::clock::Clock;
use crate::error::Error;
use crate::error::cases::{AuthError, Grant};
use crate::http::authorize::Authorization;
use reqwest::header::HeaderValue;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};
use tracing::Instrument;

/// How long before expiry a token is refreshed, at most.
pub(crate) const REFRESH_AHEAD: Duration = Duration::from_secs(60);

/// The tokens of one session and what the keeper knows about them.
struct Current {
    tokens: Tokens,
    header: HeaderValue,
    /// When to refresh ahead of expiry (`None`: expiry unknown, only after a 401).
    refresh_at: Option<SystemTime>,
    generation: u64,
    /// The failure of the latest refresh attempt, if it failed.
    failure: Option<AuthError>,
    /// awork refused the refresh token: the session is over.
    ended: Option<AuthError>,
}

impl Current {
    fn new(tokens: Tokens, now: SystemTime, generation: u64) -> Self {
        Self {
            header: tokens.header(),
            refresh_at: refresh_time(tokens.expires_at(), now),
            tokens,
            generation,
            failure: None,
            ended: None,
        }
    }

    fn authorization(&self) -> Authorization {
        Authorization {
            header: self.header.clone(),
            generation: self.generation,
        }
    }

    /// The outcome of the latest refresh attempt.
    fn outcome(&self) -> Result<Authorization, AuthError> {
        match &self.failure {
            Some(failure) => Err(failure.clone()),
            None => Ok(self.authorization()),
        }
    }
}

/// When to refresh a token that expires at `expires_at`, seen at `now`.
fn refresh_time(expires_at: Option<SystemTime>, now: SystemTime) -> Option<SystemTime> {
    let expires_at = expires_at?;
    let remaining = expires_at.duration_since(now).unwrap_or(Duration::ZERO);
    Some(expires_at - REFRESH_AHEAD.min(remaining / 2))
}

/// The OAuth credentials of one client.
pub(crate) struct TokenKeeper {
    current: Mutex<Current>,
    refreshing: Arc<tokio::sync::Mutex<()>>,
    endpoint: TokenEndpoint,
    store: Option<Arc<dyn TokenStore>>,
    clock: Arc<dyn Clock>,
}

impl TokenKeeper {
    /// A keeper starting from `tokens`, refreshing through `endpoint`, saving to `store`.
    pub(crate) fn new(
        tokens: Tokens,
        endpoint: TokenEndpoint,
        store: Option<Arc<dyn TokenStore>>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            current: Mutex::new(Current::new(tokens, clock.now(), 0)),
            refreshing: Arc::new(tokio::sync::Mutex::new(())),
            endpoint,
            store,
            clock,
        }
    }

    fn current(&self) -> MutexGuard<'_, Current> {
        self.current.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether a refresh is possible at all.
    pub(crate) fn can_refresh(&self) -> bool {
        let current = self.current();
        current.ended.is_none() && current.tokens.refresh_token().is_some()
    }

    /// The header for the next request, refreshed first when due. When the refresh
    /// fails but the token has not expired yet, the token is used for its last seconds.
    pub(crate) async fn authorize(self: &Arc<Self>) -> Result<Authorization, AuthError> {
        let (seen, due, expired) = {
            let current = self.current();
            if let Some(ended) = &current.ended {
                return Err(ended.clone());
            }
            let now = self.clock.now();
            let due = current.tokens.refresh_token().is_some()
                && current.refresh_at.is_some_and(|at| now >= at);
            let expired = current.tokens.expires_at().is_some_and(|at| now >= at);
            (current.authorization(), due, expired)
        };
        if !due {
            return Ok(seen);
        }
        match self.refresh(seen.generation).await {
            Ok(fresh) => Ok(fresh),
            Err(error) if !expired && !error.is_rejection() => {
                tracing::warn!(%error, "awork token refresh failed; the current token is used until it expires");
                Ok(seen)
            }
            Err(error) => Err(error),
        }
    }

    /// After a 401 for a request sent with tokens of `generation`: the header to send
    /// it once more with, or `None` when there is no refresh token.
    pub(crate) async fn renew(
        self: &Arc<Self>,
        generation: u64,
    ) -> Result<Option<HeaderValue>, AuthError> {
        {
            let current = self.current();
            if let Some(ended) = &current.ended {
                return Err(ended.clone());
            }
            if current.tokens.refresh_token().is_none() {
                return Ok(None);
            }
        }
        tracing::debug!("awork rejected the access token; refreshing it");
        self.refresh(generation)
            .await
            .map(|fresh| Some(fresh.header))
    }

    /// Refreshes the tokens of generation `seen`, or waits for the refresh already
    /// under way and takes its outcome.
    async fn refresh(self: &Arc<Self>, seen: u64) -> Result<Authorization, AuthError> {
        let lock = Arc::clone(&self.refreshing).lock_owned().await;
        {
            let current = self.current();
            if current.generation != seen {
                return current.outcome();
            }
        }
        let keeper = Arc::clone(self);
        let refresh = async move {
            let _lock = lock;
            keeper.run_refresh().await
        };
        let task = tokio::spawn(refresh.instrument(tracing::Span::current()));
        task.await.unwrap_or_else(|failure| {
            Err(AuthError::Unavailable {
                grant: Grant::RefreshToken,
                source: Arc::new(Error::Other(format!("the refresh task stopped: {failure}"))),
            })
        })
    }

    /// One refresh: asks awork, installs the answer as the next generation, saves it.
    async fn run_refresh(&self) -> Result<Authorization, AuthError> {
        let refresh_token = self
            .current()
            .tokens
            .refresh_token()
            .cloned()
            .ok_or(AuthError::NoRefreshToken)?;
        let result = self.endpoint.refresh(&refresh_token).await;
        let mut current = self.current();
        let generation = current.generation + 1;
        match result {
            Ok(tokens) => {
                *current = Current::new(tokens.clone(), self.clock.now(), generation);
                let fresh = current.authorization();
                drop(current);
                tracing::info!(generation, "awork access token refreshed");
                self.save(&tokens);
                Ok(fresh)
            }
            Err(error) => {
                current.generation = generation;
                current.failure = Some(error.clone());
                if error.is_rejection() {
                    current.ended = Some(error.clone());
                }
                tracing::warn!(%error, "awork token refresh failed");
                Err(error)
            }
        }
    }

    /// Hands the new tokens to the store. A store that fails does not fail the
    /// request (the tokens work in memory); it is logged, since the saved refresh
    /// token is now spent.
    fn save(&self, tokens: &Tokens) {
        if let Some(store) = &self.store
            && let Err(error) = store.save(tokens)
        {
            tracing::warn!(%error, "cannot save the refreshed awork tokens; the saved ones are spent");
        }
    }
}

impl fmt::Debug for TokenKeeper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let current = self.current();
        f.debug_struct("TokenKeeper")
            .field("endpoint", &self.endpoint)
            .field("tokens", &current.tokens)
            .field("generation", &current.generation)
            .field("ended", &current.ended.is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_refreshed_a_minute_early_or_halfway_when_short_lived() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let hour = now + Duration::from_secs(3600);
        assert_eq!(refresh_time(Some(hour), now), Some(hour - REFRESH_AHEAD));
        let short = now + Duration::from_secs(30);
        assert_eq!(
            refresh_time(Some(short), now),
            Some(now + Duration::from_secs(15))
        );
        let past = now - Duration::from_secs(5);
        assert_eq!(refresh_time(Some(past), now), Some(past));
        assert_eq!(refresh_time(None, now), None);
    }
}
