//! What the fake's authorization server remembers: registered clients, issued
//! codes, access tokens and refresh tokens, and whether the stand-in for the
//! login page approves.
//!
//! Everything here is plain data and rules; the handlers in the sibling modules
//! turn HTTP into calls of these methods.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};

use serde::Serialize;
use uuid::Uuid;

use super::{Approval, OAuthCounts, redirect};

/// How long an authorization code can be exchanged.
pub const CODE_LIFETIME: Duration = Duration::from_secs(600);

/// How long a refresh token stays usable (awork: 30 days, or until used).
pub const REFRESH_TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);

/// A client application the server knows.
#[derive(Debug, Clone)]
pub(crate) struct ClientApp {
    pub(crate) id: String,
    /// Confidential clients have one; public clients (PKCE only) do not.
    pub(crate) secret: Option<String>,
    pub(crate) redirect_uris: Vec<String>,
}

/// An authorization code handed out and not yet exchanged.
#[derive(Debug)]
struct IssuedCode {
    client_id: String,
    redirect_uri: String,
    challenge: Option<String>,
    scope: String,
    expires: DateTime<Utc>,
}

/// A refresh token handed out.
#[derive(Debug)]
struct RefreshGrant {
    client_id: String,
    scope: String,
    expires: DateTime<Utc>,
    used: bool,
}

/// Why a grant was refused; becomes an OAuth error code and a description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) code: &'static str,
    pub(crate) description: String,
}

impl Refusal {
    fn grant(description: impl Into<String>) -> Self {
        Self {
            code: "invalid_grant",
            description: description.into(),
        }
    }
}

/// The token endpoint's success answer.
#[derive(Debug, Serialize)]
pub(crate) struct TokenAnswer {
    access_token: String,
    token_type: &'static str,
    /// Only on the answer to a code exchange, as in awork's example.
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<&'static str>,
    expires_in: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
}

/// What a code exchange must match.
#[derive(Debug)]
pub(crate) struct Exchange<'a> {
    pub(crate) client_id: &'a str,
    pub(crate) code: &'a str,
    pub(crate) redirect_uri: Option<&'a str>,
    pub(crate) verifier: Option<&'a str>,
}

/// What an authorization request asked for, once checked.
#[derive(Debug)]
pub(crate) struct Approved<'a> {
    pub(crate) client_id: &'a str,
    pub(crate) redirect_uri: &'a str,
    pub(crate) challenge: Option<&'a str>,
    pub(crate) scope: &'a str,
}

/// The authorization server's memory.
#[derive(Debug)]
pub(crate) struct Registry {
    clients: HashMap<String, ClientApp>,
    codes: HashMap<String, IssuedCode>,
    access: HashMap<String, DateTime<Utc>>,
    refresh: HashMap<String, RefreshGrant>,
    approval: Approval,
    access_lifetime: Duration,
    counts: OAuthCounts,
}

/// Whether a bearer token the API received is one of ours and still good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenStatus {
    Valid,
    Expired,
    Unknown,
}

impl Registry {
    /// A registry with the default public client and the given access-token lifetime.
    pub(crate) fn new(access_lifetime: Duration) -> Self {
        let mut registry = Self {
            clients: HashMap::new(),
            codes: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            approval: Approval::Approve,
            access_lifetime,
            counts: OAuthCounts::default(),
        };
        registry.add_client(ClientApp {
            id: super::DEFAULT_CLIENT_ID.to_owned(),
            secret: None,
            redirect_uris: vec![super::DEFAULT_REDIRECT_URI.to_owned()],
        });
        registry
    }

    /// Registers `client`, replacing one with the same id.
    pub(crate) fn add_client(&mut self, client: ClientApp) {
        self.clients.insert(client.id.clone(), client);
    }

    /// Registers a new client with fresh credentials and returns it.
    pub(crate) fn register(&mut self, redirect_uris: Vec<String>, confidential: bool) -> ClientApp {
        let client = ClientApp {
            id: format!("fake-client-{}", Uuid::new_v4().simple()),
            secret: confidential.then(|| format!("fake-secret-{}", Uuid::new_v4().simple())),
            redirect_uris,
        };
        self.add_client(client.clone());
        self.counts.registrations += 1;
        client
    }

    /// The client with this id.
    pub(crate) fn client(&self, id: &str) -> Option<&ClientApp> {
        self.clients.get(id)
    }

    /// Whether `client_id` may be sent back to `redirect_uri`.
    pub(crate) fn redirect_allowed(&self, client_id: &str, redirect_uri: &str) -> bool {
        self.clients.get(client_id).is_some_and(|client| {
            client
                .redirect_uris
                .iter()
                .any(|registered| redirect::allows(registered, redirect_uri))
        })
    }

    /// What the stand-in for the login page decides.
    pub(crate) fn approval(&self) -> Approval {
        self.approval
    }

    /// Sets what the stand-in for the login page decides.
    pub(crate) fn set_approval(&mut self, approval: Approval) {
        self.approval = approval;
    }

    /// Counters of what the server did.
    pub(crate) fn counts(&self) -> OAuthCounts {
        self.counts
    }

    /// Hands out a code for an approved authorization request.
    pub(crate) fn issue_code(&mut self, approved: &Approved<'_>, now: DateTime<Utc>) -> String {
        let code = format!("fake-code-{}", Uuid::new_v4().simple());
        self.codes.insert(
            code.clone(),
            IssuedCode {
                client_id: approved.client_id.to_owned(),
                redirect_uri: approved.redirect_uri.to_owned(),
                challenge: approved.challenge.map(str::to_owned),
                scope: approved.scope.to_owned(),
                expires: now + CODE_LIFETIME,
            },
        );
        self.counts.codes_issued += 1;
        code
    }

    /// Exchanges a code for tokens. The code is spent by the attempt, whatever
    /// its outcome, so a code can never be tried twice.
    pub(crate) fn exchange(
        &mut self,
        request: &Exchange<'_>,
        now: DateTime<Utc>,
    ) -> Result<TokenAnswer, Refusal> {
        let Some(issued) = self.codes.remove(request.code) else {
            return Err(Refusal::grant(
                "The authorization code is unknown or was already used.",
            ));
        };
        check_code(&issued, request, now)?;
        self.counts.code_exchanges += 1;
        Ok(self.issue_tokens(&issued.client_id, &issued.scope, now, true))
    }

    /// Trades a refresh token for a new pair; the old refresh token is spent.
    pub(crate) fn refresh(
        &mut self,
        client_id: &str,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<TokenAnswer, Refusal> {
        let Some(grant) = self.refresh.get_mut(token) else {
            return Err(Refusal::grant("The refresh token is unknown."));
        };
        if grant.used {
            return Err(Refusal::grant("The refresh token was already used."));
        }
        if grant.client_id != client_id {
            return Err(Refusal::grant(
                "The refresh token was issued to another client.",
            ));
        }
        grant.used = true;
        if grant.expires <= now {
            return Err(Refusal::grant("The refresh token has expired."));
        }
        let scope = grant.scope.clone();
        self.counts.refreshes += 1;
        Ok(self.issue_tokens(client_id, &scope, now, false))
    }

    /// A fresh access token outside any flow, for tests of fixed tokens.
    pub(crate) fn grant_access_token(&mut self, now: DateTime<Utc>) -> String {
        let token = new_access_token();
        self.access
            .insert(token.clone(), now + self.access_lifetime);
        token
    }

    /// Whether `token` is an access token of ours, and whether it still holds.
    pub(crate) fn check_access(&self, token: &str, now: DateTime<Utc>) -> TokenStatus {
        match self.access.get(token) {
            Some(expires) if *expires > now => TokenStatus::Valid,
            Some(_) => TokenStatus::Expired,
            None => TokenStatus::Unknown,
        }
    }

    /// Mints an access token, and a refresh token when `offline_access` was granted.
    fn issue_tokens(
        &mut self,
        client_id: &str,
        scope: &str,
        now: DateTime<Utc>,
        first: bool,
    ) -> TokenAnswer {
        let access_token = self.grant_access_token(now);
        let refresh_token = scope.split(' ').any(|s| s == "offline_access").then(|| {
            let token = format!("fake-rt-{}", Uuid::new_v4().simple());
            self.refresh.insert(
                token.clone(),
                RefreshGrant {
                    client_id: client_id.to_owned(),
                    scope: scope.to_owned(),
                    expires: now + REFRESH_TOKEN_LIFETIME,
                    used: false,
                },
            );
            token
        });
        TokenAnswer {
            access_token,
            token_type: "Bearer",
            resource: first.then_some("awork.com"),
            expires_in: self.access_lifetime.as_secs(),
            refresh_token,
        }
    }
}

fn new_access_token() -> String {
    format!("fake-at-{}", Uuid::new_v4().simple())
}

/// The checks a code exchange must pass besides the code being known.
fn check_code(
    issued: &IssuedCode,
    request: &Exchange<'_>,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    if issued.client_id != request.client_id {
        return Err(Refusal::grant(
            "The authorization code was issued to another client.",
        ));
    }
    if issued.expires <= now {
        return Err(Refusal::grant("The authorization code has expired."));
    }
    if request.redirect_uri != Some(issued.redirect_uri.as_str()) {
        return Err(Refusal::grant(
            "The redirect_uri does not match the one of the authorization request.",
        ));
    }
    match (&issued.challenge, request.verifier) {
        (Some(challenge), Some(verifier)) if super::pkce::verifies(verifier, challenge) => Ok(()),
        (Some(_), Some(_)) => Err(Refusal::grant(
            "The code_verifier does not match the code_challenge.",
        )),
        (Some(_), None) => Err(Refusal {
            code: "invalid_request",
            description: "The code_verifier is missing.".into(),
        }),
        (None, _) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::awork::oauth::pkce::challenge_of;

    const VERIFIER: &str = "a-verifier-that-is-long-enough-to-be-valid-0123456789";
    const REDIRECT: &str = "http://127.0.0.1:5000/callback";

    fn code(registry: &mut Registry, now: DateTime<Utc>, scope: &str) -> String {
        let challenge = challenge_of(VERIFIER);
        registry.issue_code(
            &Approved {
                client_id: crate::awork::oauth::DEFAULT_CLIENT_ID,
                redirect_uri: REDIRECT,
                challenge: Some(&challenge),
                scope,
            },
            now,
        )
    }

    fn exchange<'a>(code: &'a str, verifier: &'a str) -> Exchange<'a> {
        Exchange {
            client_id: crate::awork::oauth::DEFAULT_CLIENT_ID,
            code,
            redirect_uri: Some(REDIRECT),
            verifier: Some(verifier),
        }
    }

    #[test]
    fn a_code_is_spent_by_its_first_exchange_even_a_failed_one() {
        let mut registry = Registry::new(Duration::from_secs(60));
        let now = Utc::now();
        let first = code(&mut registry, now, "full_access offline_access");
        let answer = registry.exchange(&exchange(&first, VERIFIER), now).unwrap();
        assert!(answer.refresh_token.is_some());
        assert_eq!(answer.resource, Some("awork.com"));
        let again = registry
            .exchange(&exchange(&first, VERIFIER), now)
            .unwrap_err();
        assert_eq!(again.code, "invalid_grant");

        let second = code(&mut registry, now, "full_access");
        let wrong = "b-verifier-that-is-long-enough-to-be-valid-0123456789";
        assert_eq!(
            registry
                .exchange(&exchange(&second, wrong), now)
                .unwrap_err()
                .code,
            "invalid_grant"
        );
        assert!(
            registry
                .exchange(&exchange(&second, VERIFIER), now)
                .is_err(),
            "spent"
        );
        assert_eq!(registry.counts().code_exchanges, 1);
    }

    #[test]
    fn refresh_tokens_rotate_and_access_tokens_expire_on_time() {
        let mut registry = Registry::new(Duration::from_secs(60));
        let now = Utc::now();
        let issued = code(&mut registry, now, "full_access offline_access");
        let first = registry
            .exchange(&exchange(&issued, VERIFIER), now)
            .unwrap();
        let old = first.refresh_token.unwrap();
        let client = crate::awork::oauth::DEFAULT_CLIENT_ID;
        let second = registry.refresh(client, &old, now).unwrap();
        assert_eq!(second.resource, None);
        assert!(registry.refresh(client, &old, now).is_err(), "rotated");
        assert!(
            registry
                .refresh(client, &second.refresh_token.unwrap(), now)
                .is_ok()
        );
        assert_eq!(
            registry.check_access(&first.access_token, now),
            TokenStatus::Valid
        );
        let later = now + Duration::from_secs(60);
        assert_eq!(
            registry.check_access(&first.access_token, later),
            TokenStatus::Expired
        );
        assert_eq!(registry.check_access("nope", now), TokenStatus::Unknown);
    }

    #[test]
    fn without_offline_access_there_is_no_refresh_token() {
        let mut registry = Registry::new(Duration::from_secs(60));
        let now = Utc::now();
        let issued = code(&mut registry, now, "full_access");
        let answer = registry
            .exchange(&exchange(&issued, VERIFIER), now)
            .unwrap();
        assert!(answer.refresh_token.is_none());
    }
}
