//! `POST /accounts/token`: code exchange and refresh.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

use super::client_auth::{self, ClientClaim};
use super::form::Form;
use super::oauth_error;
use super::registry::{Exchange, Refusal, Registry};
use crate::errors::ApiError;
use crate::json::json_response;
use crate::state::{AppState, lock};

/// The handler.
pub(crate) async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    if !is_form(&headers) {
        return Err(invalid_request(
            "The body must be application/x-www-form-urlencoded.",
        ));
    }
    let form = Form::parse(&body)
        .map_err(|name| invalid_request(format!("The {name} parameter is repeated.")))?;
    let now = state.expiry.now();
    let mut registry = lock(&state.oauth);
    let client_id = authenticate(&registry, client_auth::claim(&headers, &form))?;
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
    let mut response = json_response(StatusCode::OK, &answer);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
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
