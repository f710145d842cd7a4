//! axum extractors for webhook deliveries (feature `axum`).
//!
//! [`AworkWebhook`] checks and decodes; [`AworkDelivery`] only checks, and keeps the
//! body as sent, to queue it and decode later. Both refuse exactly what
//! [`Receiver`] refuses: a missing or wrong header (401) and a body that is not a JSON
//! object (400). Every other delivery reaches the handler, which should answer 2xx.
//!
//! ```no_run
//! use awork_api_ext::webhooks::{Event, Receiver, axum::AworkWebhook};
//! use axum::{Router, routing::post};
//! use secrecy::SecretString;
//!
//! async fn on_event(AworkWebhook(event): AworkWebhook) -> axum::http::StatusCode {
//!     match &event {
//!         Event::Undecodable(kept) => println!("kept as JSON: {}", kept.error),
//!         other => println!("{}", other.event_name()),
//!     }
//!     axum::http::StatusCode::NO_CONTENT
//! }
//!
//! # fn app() -> Router {
//! let receiver = Receiver::new("X-Awork-Token", SecretString::from("s3cret")).unwrap();
//! Router::new().route("/awork", post(on_event)).with_state(receiver)
//! # }
//! ```

use super::{Event, Receiver, VerifiedDelivery, WebhookError};
use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, Request};
use axum::response::{IntoResponse, Response};

/// A delivery whose header was checked and whose body was decoded, by the
/// [`Receiver`] in the router's state (any state that gives one through `FromRef`).
///
/// A refused delivery is answered at once: 401 for a missing or wrong header, 400 for a
/// body that is not a JSON object, with the reason as text (which never holds the
/// header's value).
#[derive(Debug, Clone)]
pub struct AworkWebhook(pub Event);

/// A delivery whose header was checked and whose body is a JSON object, kept as sent
/// (see [`VerifiedDelivery`]); refusals as for [`AworkWebhook`].
#[derive(Debug, Clone)]
pub struct AworkDelivery(pub VerifiedDelivery);

impl<S> FromRequest<S> for AworkDelivery
where
    S: Send + Sync,
    Receiver: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = authenticated_body(request, state).await?;
        VerifiedDelivery::check(body)
            .map(AworkDelivery)
            .map_err(refusal)
    }
}

impl<S> FromRequest<S> for AworkWebhook
where
    S: Send + Sync,
    Receiver: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = authenticated_body(request, state).await?;
        Event::from_json(&body).map(AworkWebhook).map_err(refusal)
    }
}

/// The body of a request whose header the state's [`Receiver`] accepted; the body is
/// read only then.
async fn authenticated_body<S>(request: Request, state: &S) -> Result<Bytes, Response>
where
    S: Send + Sync,
    Receiver: FromRef<S>,
{
    Receiver::from_ref(state)
        .verify(request.headers())
        .map_err(refusal)?;
    Bytes::from_request(request, state)
        .await
        .map_err(IntoResponse::into_response)
}

/// The answer to a refused delivery.
fn refusal(error: WebhookError) -> Response {
    (error.status(), error.to_string()).into_response()
}
