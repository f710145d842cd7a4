//! `GET /accounts/authorize`: the stand-in for awork's login page.
//!
//! Problems with the client or the redirect URI are answered directly (400): sending
//! the browser to an unverified URI would make the server an open redirector. Every
//! later problem, and the user's decision, goes back to the redirect URI.

use axum::http::{StatusCode, header};
use url::Url;

use super::registry::{Approved, Registry};
use super::{Approval, oauth_error, pkce};
use crate::contract::Call;
use crate::wire::{Answer, ApiError, QueryParams};

/// The scopes awork knows.
const SCOPES: [&str; 2] = ["full_access", "offline_access"];

/// The handler.
pub(crate) fn authorize(call: &Call, registry: &mut Registry) -> Result<Answer, ApiError> {
    let params = &call.query;
    let client_id = required(params, "client_id")?;
    let redirect_uri = required(params, "redirect_uri")?;
    if registry.client(client_id).is_none() {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_client",
            "The client_id is not registered.",
        ));
    }
    if !registry.redirect_allowed(client_id, redirect_uri) {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The redirect_uri is not registered for this client.",
        ));
    }
    let state_param = params.get("state");
    let back = |pairs: &[(&str, &str)]| redirect(redirect_uri, pairs, state_param);
    if let Err((code, description)) = check_request(params) {
        return Ok(back(&[("error", code), ("error_description", description)]));
    }
    if registry.approval() == Approval::Deny {
        return Ok(back(&[("error", "access_denied")]));
    }
    let approved = Approved {
        client_id,
        redirect_uri,
        challenge: params.get("code_challenge"),
        scope: params.get("scope").unwrap_or("full_access"),
    };
    let code = registry.issue_code(&approved, call.now);
    Ok(back(&[("code", &code)]))
}

/// A parameter that must be there.
fn required<'a>(params: &'a QueryParams, name: &str) -> Result<&'a str, ApiError> {
    params
        .get(name)
        .filter(|value| !value.is_empty())
        .ok_or_else(|| {
            oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                format!("The {name} parameter is missing."),
            )
        })
}

/// The checks whose failure is reported to the client through the redirect.
fn check_request(params: &QueryParams) -> Result<(), (&'static str, &'static str)> {
    if params.get("response_type") != Some("code") {
        return Err((
            "unsupported_response_type",
            "Only response_type=code is supported.",
        ));
    }
    match (
        params.get("code_challenge"),
        params.get("code_challenge_method"),
    ) {
        (Some(_), Some(pkce::S256)) | (None, None) => {}
        (None, Some(_)) => {
            return Err((
                "invalid_request",
                "code_challenge_method without code_challenge.",
            ));
        }
        (Some(_), _) => {
            return Err((
                "invalid_request",
                "Only code_challenge_method=S256 is supported.",
            ));
        }
    }
    let scope = params.get("scope").unwrap_or("full_access");
    if scope.split(' ').any(|s| !SCOPES.contains(&s)) {
        return Err((
            "invalid_scope",
            "Known scopes are full_access and offline_access.",
        ));
    }
    Ok(())
}

/// `302` to `uri` with `pairs` and the request's `state` added to its query.
fn redirect(uri: &str, pairs: &[(&str, &str)], state: Option<&str>) -> Answer {
    let mut url = Url::parse(uri).expect("registered redirect URIs are absolute URLs");
    {
        let mut query = url.query_pairs_mut();
        query.extend_pairs(pairs);
        if let Some(state) = state {
            query.append_pair("state", state);
        }
    }
    Answer::empty(StatusCode::FOUND)
        .header(header::LOCATION, url.as_str())
        .header(header::CACHE_CONTROL, "no-store")
}
