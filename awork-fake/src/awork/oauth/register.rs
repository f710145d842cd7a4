//! `POST /clientapplications/register`: dynamic client registration (RFC 7591).
//!
//! Anonymous, answered with `201` and the client's metadata as registered. Clients that
//! ask for `token_endpoint_auth_method=none` are public (PKCE only) and get no secret;
//! every other method gets one.

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::registry::Registry;
use super::{oauth_error, redirect};
use crate::contract::Call;
use crate::wire::{Answer, ApiError};

/// What a client may ask to be registered with (unknown fields are ignored).
#[derive(Debug, Deserialize)]
struct Metadata {
    client_name: Option<String>,
    #[serde(default)]
    redirect_uris: Vec<String>,
    grant_types: Option<Vec<String>>,
    response_types: Option<Vec<String>>,
    token_endpoint_auth_method: Option<String>,
    application_type: Option<String>,
    scope: Option<String>,
}

/// The answer: the credentials plus the metadata as registered.
#[derive(Debug, Serialize)]
struct Registered {
    client_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret: Option<String>,
    /// Present with a secret: `0`, the secret does not expire.
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret_expires_at: Option<u64>,
    client_id_issued_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_name: Option<String>,
    redirect_uris: Vec<String>,
    grant_types: Vec<String>,
    response_types: Vec<String>,
    token_endpoint_auth_method: String,
    application_type: String,
    scope: String,
}

const GRANT_TYPES: [&str; 2] = ["authorization_code", "refresh_token"];
const AUTH_METHODS: [&str; 3] = ["none", "client_secret_basic", "client_secret_post"];
const SCOPES: [&str; 2] = ["full_access", "offline_access"];

/// The handler.
pub(crate) fn register(call: &Call, registry: &mut Registry) -> Result<Answer, ApiError> {
    let body = call.body.json().cloned().unwrap_or_default();
    let metadata: Metadata = serde_json::from_value(body).map_err(|error| {
        bad_metadata(format!("The body is not a client metadata object: {error}"))
    })?;
    check(&metadata)?;
    let auth_method = metadata
        .token_endpoint_auth_method
        .unwrap_or_else(|| "client_secret_basic".to_owned());
    let client = registry.register(metadata.redirect_uris.clone(), auth_method != "none");
    let answer = Registered {
        client_secret_expires_at: client.secret.as_ref().map(|_| 0),
        client_id: client.id,
        client_secret: client.secret,
        client_id_issued_at: call.now.timestamp(),
        client_name: metadata.client_name,
        redirect_uris: metadata.redirect_uris,
        grant_types: metadata
            .grant_types
            .unwrap_or_else(|| vec!["authorization_code".into()]),
        response_types: metadata
            .response_types
            .unwrap_or_else(|| vec!["code".into()]),
        token_endpoint_auth_method: auth_method,
        application_type: metadata.application_type.unwrap_or_else(|| "web".into()),
        scope: metadata.scope.unwrap_or_else(|| "full_access".into()),
    };
    let value = serde_json::to_value(&answer).expect("a registration serializes");
    Ok(Answer::json(StatusCode::CREATED, value))
}

/// Every rule a registration must follow.
fn check(metadata: &Metadata) -> Result<(), ApiError> {
    if metadata.redirect_uris.is_empty() {
        return Err(bad_redirect("At least one redirect URI is needed."));
    }
    if let Some(uri) = metadata
        .redirect_uris
        .iter()
        .find(|uri| !redirect::acceptable(uri))
    {
        return Err(bad_redirect(format!(
            "{uri:?} is not an absolute URI without fragment."
        )));
    }
    if let Some(grant) = metadata
        .grant_types
        .iter()
        .flatten()
        .find(|g| !GRANT_TYPES.contains(&g.as_str()))
    {
        return Err(bad_metadata(format!(
            "The grant type {grant:?} is not supported."
        )));
    }
    if metadata
        .response_types
        .iter()
        .flatten()
        .any(|r| r != "code")
    {
        return Err(bad_metadata(
            "Only the response type \"code\" is supported.",
        ));
    }
    if let Some(method) = &metadata.token_endpoint_auth_method
        && !AUTH_METHODS.contains(&method.as_str())
    {
        return Err(bad_metadata(format!(
            "The token endpoint auth method {method:?} is not supported."
        )));
    }
    if let Some(scope) = &metadata.scope
        && scope.split(' ').any(|s| !SCOPES.contains(&s))
    {
        return Err(bad_metadata(
            "Known scopes are full_access and offline_access.",
        ));
    }
    Ok(())
}

fn bad_redirect(description: impl Into<String>) -> ApiError {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_redirect_uri", description)
}

fn bad_metadata(description: impl Into<String>) -> ApiError {
    oauth_error(
        StatusCode::BAD_REQUEST,
        "invalid_client_metadata",
        description,
    )
}
