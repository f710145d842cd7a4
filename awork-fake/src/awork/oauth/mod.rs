//! The fake's OAuth 2 authorization server, in awork's shape.
//!
//! * `GET /api/v1/accounts/authorize`: stands in for awork's login page. It checks the
//!   client and redirect URI, then, as told by [`Approval`] (approve by default),
//!   answers `302` to the redirect URI with `code` and `state`, or with
//!   `error=access_denied`. A test "approves" by simply requesting the URL the client
//!   built and reading `Location`, or by letting an HTTP client follow the redirect to
//!   its loopback listener.
//! * `POST /api/v1/accounts/token`: form-encoded `authorization_code` (checks the PKCE
//!   `S256` verifier, the redirect URI and that the code is fresh and unused) and
//!   `refresh_token` grants (each refresh token works once: it is rotated). Confidential
//!   clients authenticate with `Authorization: Basic`, public ones send `client_id`.
//! * `POST /api/v1/clientapplications/register`: dynamic client registration
//!   (RFC 7591), answered with `201`.
//!
//! Errors carry OAuth codes (`invalid_request`, `invalid_grant`, `invalid_client`,
//! `unsupported_grant_type`, `invalid_redirect_uri`, `invalid_client_metadata`) in the
//! `code`/`description` fields of awork's error body. Access tokens the server issued are
//! accepted as bearer tokens on every API route, beside the API key, until they expire
//! on the fake's clock, which [`crate::ClockControl::advance`] moves forward.

mod authorize;
mod client_auth;
mod form;
mod handle;
mod pkce;
mod redirect;
mod register;
pub(crate) mod registry;
mod token;

use std::time::Duration;

use axum::http::Method;

use crate::contract::Call;
use crate::wire::{Answer, ApiError};
pub use handle::OAuth;
use registry::Registry;

/// Serves `call` if it is one of the OAuth routes; `None` leaves it to others.
pub(crate) fn serve(call: &Call, registry: &mut Registry) -> Option<Result<Answer, ApiError>> {
    let template = call.op.template.to_ascii_lowercase();
    Some(match (&call.op.method, template.as_str()) {
        (&Method::GET, "/accounts/authorize") => authorize::authorize(call, registry),
        (&Method::POST, "/accounts/token") => token::token(call, registry),
        (&Method::POST, "/clientapplications/register") => register::register(call, registry),
        _ => return None,
    })
}

/// The public client every fake knows from the start (no secret, PKCE only).
pub const DEFAULT_CLIENT_ID: &str = "fake-oauth-client";

/// The redirect URI registered for [`DEFAULT_CLIENT_ID`]. It is a loopback address, so
/// any port is accepted (`http://127.0.0.1:<port>/callback`), as native apps need.
pub const DEFAULT_REDIRECT_URI: &str = "http://127.0.0.1/callback";

/// How long access tokens last unless the builder says otherwise (awork's example
/// answer names 86400 s).
pub const DEFAULT_ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(86_400);

/// What the stand-in for awork's login page decides when asked to authorize.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Approval {
    /// The user signs in and allows access: redirect with a code.
    #[default]
    Approve,
    /// The user declines: redirect with `error=access_denied`.
    Deny,
}

/// What the authorization server has done since the fake started; successful
/// operations only (refused ones show in the request counters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct OAuthCounts {
    /// Authorization codes handed out.
    pub codes_issued: u64,
    /// Codes exchanged for tokens.
    pub code_exchanges: u64,
    /// Refresh tokens exchanged for new tokens.
    pub refreshes: u64,
    /// Clients registered dynamically.
    pub registrations: u64,
}

/// The route templates (below [`crate::contract::BASE_PATH`]) that need no credentials.
pub(crate) const ANONYMOUS_ROUTES: [&str; 3] = [
    "/accounts/authorize",
    "/accounts/token",
    "/clientapplications/register",
];

/// An OAuth error in awork's error body: `code` is the OAuth error code.
fn oauth_error(
    status: axum::http::StatusCode,
    code: &'static str,
    description: impl Into<String>,
) -> ApiError {
    ApiError::new(status, code, description)
}
