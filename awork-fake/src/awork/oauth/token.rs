//! `POST /accounts/token`: code exchange and refresh.

use axum::http::{HeaderMap, StatusCode, header};

use super::client_auth::{self, ClientClaim};
use super::form::Form;
use super::oauth_error;
use super::registry::{Exchange, Refusal, Registry};
use crate::contract::Call;
use crate::wire::{Answer, ApiError, Body};

/// The handler.
pub(crate) fn token(call: &Call, registry: &mut Registry) -> Result<Answer, ApiError> {
    let headers = &call.headers;
    let body = match &call.body {
        Body::Raw { bytes, .. } if is_form(headers) => bytes.clone(),
        Body::Empty if is_form(headers) => Default::default(),
        _ => {
            return Err(invalid_request(
                "The body must be application/x-www-form-urlencoded.",
            ));
        }
    };
    let form = Form::parse(&body)
        .map_err(|name| invalid_request(format!("The {name} parameter is repeated.")))?;
    let now = call.now;
    let client_id = authenticate(registry, client_auth::claim(headers, &form))?;
    let answer = match form.get("grant_type") {
        Some("authorization_code") => {
            let code = form
                .get("code")
                .ok_or_else(|| invalid_request("The code parameter is missing."))?;
            let exchange = Exchange {
                client_id: &client_id,
                code,
                redirect_uri: form.get("redirect_uri"),
                verifier: form.get("code_verifier"),
            };
            registry.exchange(&exchange, now)
        }
        Some("refresh_token") => {
            let token = form
                .get("refresh_token")
                .ok_or_else(|| invalid_request("The refresh_token parameter is missing."))?;
            registry.refresh(&client_id, token, now)
        }
        Some(_) => Err(Refusal {
            code: "unsupported_grant_type",
            description: "Supported grant types are authorization_code and refresh_token.".into(),
        }),
        None => Err(Refusal {
            code: "invalid_request",
            description: "The grant_type parameter is missing.".into(),
        }),
    };
    let answer = answer.map_err(|refusal| {
        oauth_error(StatusCode::BAD_REQUEST, refusal.code, refusal.description)
    })?;
    Ok(Answer::ok(&answer).header(header::CACHE_CONTROL, "no-store"))
}

/// Whether the body is declared as a form.
fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value.split(';').next().is_some_and(|media| {
                media
                    .trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        })
}

/// The id of the calling client, once its claim holds: a confidential client must
/// bring its secret, a public one must not pretend to have one.
fn authenticate(registry: &Registry, claim: Option<ClientClaim>) -> Result<String, ApiError> {
    let unauthorized =
        |description: &str| oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", description);
    let claim = claim.ok_or_else(|| {
        unauthorized("The client is not identified: send client_id or Basic credentials.")
    })?;
    let client = registry
        .client(&claim.id)
        .ok_or_else(|| unauthorized("The client is not registered."))?;
    if client.secret != claim.secret {
        return Err(unauthorized("The client credentials are not valid."));
    }
    Ok(claim.id)
}

fn invalid_request(description: impl Into<String>) -> ApiError {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_request", description)
}
