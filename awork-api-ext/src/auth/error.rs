//! What can go wrong signing in with OAuth or keeping a sign-in fresh.
//!
//! Each case says what happened and what to do, and none carries a secret: no access
//! or refresh token, no authorization code, no client secret, no PKCE verifier, and no
//! part of a token answer (which would hold tokens). What awork said is kept as its
//! OAuth error code and description.

use std::fmt;
use std::sync::Arc;

/// Which request to awork's authorization server an [`AuthError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Grant {
    /// Trading the authorization code from the callback for tokens.
    AuthorizationCode,
    /// Trading the refresh token for new tokens.
    RefreshToken,
    /// Registering a client application (`POST /clientapplications/register`).
    Registration,
}

impl fmt::Display for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Grant::AuthorizationCode => "code exchange",
            Grant::RefreshToken => "token refresh",
            Grant::Registration => "client registration",
        })
    }
}

/// Signing in or refreshing failed; wrapped in [`crate::Error::Auth`].
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The callback's `state` is missing or is not the one this sign-in sent: the
    /// redirect may be forged or belong to another sign-in. Its code was not used.
    #[error(
        "the callback's state does not match the sign-in that was started; its code was not used (start a new sign-in)"
    )]
    StateMismatch,
    /// The callback carries no `code` (and no `error`).
    #[error("the callback carries no authorization code; nothing was sent")]
    MissingCode,
    /// awork sent the user back with an error instead of a code, e.g.
    /// `access_denied` when the user declined.
    #[error(
        "awork did not authorize the app: {error}{}; nothing was sent",
        note(description)
    )]
    Denied {
        /// The OAuth error code from the callback.
        error: String,
        /// awork's explanation, when it gave one.
        description: Option<String>,
    },
    /// The callback text could not be read as a URL or query string.
    #[error("the callback is not a redirect URL or query string: {0}; nothing was sent")]
    BadCallback(&'static str),
    /// awork's authorization server refused the request (e.g. `invalid_grant`: the
    /// code or refresh token is spent, expired or not this client's). For a refresh,
    /// the session is over: sign in again.
    #[error("awork refused the {grant}: {code}{}", note(description))]
    Rejected {
        /// The request that was refused.
        grant: Grant,
        /// awork's (OAuth) error code.
        code: String,
        /// awork's explanation, when it gave one.
        description: Option<String>,
    },
    /// The request did not get an answer (timeout, connection) or got one that is not
    /// an OAuth answer; trying again later may work.
    #[error("the {grant} failed: {source}")]
    Unavailable {
        /// The request that failed.
        grant: Grant,
        /// What went wrong on the way.
        #[source]
        source: Arc<crate::Error>,
    },
    /// awork answered, but not with a usable token answer. Only the place and kind of
    /// the problem are given: the answer itself may hold tokens.
    #[error("awork's answer to the {grant} is not usable: {problem}")]
    InvalidAnswer {
        /// The request whose answer is unusable.
        grant: Grant,
        /// What is wrong with it.
        problem: String,
    },
    /// The access token was rejected or ran out and there is no refresh token to get
    /// another (ask for the `offline_access` scope to get one).
    #[error("the access token expired and there is no refresh token: sign in again")]
    NoRefreshToken,
    /// The [`TokenStore`](crate::auth::TokenStore) failed or holds no tokens.
    #[error("token store: {0}")]
    Store(String),
}

impl AuthError {
    /// Whether awork refused the grant itself (as opposed to the request not getting
    /// through): asking again with the same grant cannot succeed.
    pub fn is_rejection(&self) -> bool {
        matches!(self, AuthError::Rejected { .. })
    }
}

/// `": description"`, or nothing.
fn note(description: &Option<String>) -> String {
    description
        .as_deref()
        .map(|text| format!(": {text}"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_problem_reads_as_one_line_that_says_what_to_do() {
        let rejected = AuthError::Rejected {
            grant: Grant::RefreshToken,
            code: "invalid_grant".into(),
            description: Some("The refresh token was already used.".into()),
        };
        assert_eq!(
            rejected.to_string(),
            "awork refused the token refresh: invalid_grant: The refresh token was already used."
        );
        assert!(rejected.is_rejection());
        let denied = AuthError::Denied {
            error: "access_denied".into(),
            description: None,
        };
        assert_eq!(
            denied.to_string(),
            "awork did not authorize the app: access_denied; nothing was sent"
        );
        assert!(
            AuthError::StateMismatch
                .to_string()
                .contains("state does not match")
        );
    }
}
