//! What can be wrong with a webhook delivery.

use http::StatusCode;

/// What is wrong with a delivery. The message names the header or field at fault and
/// never repeats a header's value.
///
/// A receiver refuses a delivery only for the first three: a missing or wrong header
/// (401) and a body that is not a JSON object (400). The others say why a delivery that
/// was let through could not be typed; they travel inside
/// [`Event::Undecodable`](super::Event::Undecodable), and the delivery is answered 2xx.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The configured authentication header is missing.
    #[error("the webhook delivery has no {header} header")]
    MissingAuthHeader {
        /// The header's name.
        header: String,
    },
    /// The configured authentication header has another value.
    #[error("the webhook delivery's {header} header does not match the configured value")]
    WrongAuthHeader {
        /// The header's name.
        header: String,
    },
    /// The body is not a JSON object.
    #[error("the webhook delivery is not a JSON object: {message}")]
    NotJson {
        /// The decoder's complaint.
        message: String,
    },
    /// A field every delivery of a known event type has is missing (or null).
    #[error("the webhook delivery has no {field}")]
    MissingField {
        /// awork's name of the field, e.g. `entityId`.
        field: &'static str,
    },
    /// A field of the envelope has the wrong type.
    #[error("the {event_type} delivery does not have awork's shape: {message}")]
    InvalidPayload {
        /// awork's name of the event type (`unnamed` when it was not a string).
        event_type: String,
        /// What is wrong, naming the field.
        message: String,
    },
    /// The entity does not decode as the event's model.
    #[error("the entity of the {event_type} delivery is not a {model}: {message}")]
    InvalidEntity {
        /// awork's name of the event type.
        event_type: String,
        /// The model it should be, e.g. `Task`.
        model: &'static str,
        /// What is wrong, naming the field.
        message: String,
    },
    /// A part of a project automation's delivery does not decode.
    #[error("the project automation delivery's {field} is not a {model}: {message}")]
    InvalidAutomation {
        /// The field, e.g. `task`.
        field: &'static str,
        /// What it should be, e.g. `Task`.
        model: &'static str,
        /// What is wrong.
        message: String,
    },
    /// An event type name this crate does not know (when parsing a name, e.g. for a
    /// webhook's configuration; deliveries of unknown types are not errors).
    #[error("{name:?} is not an awork webhook event type this crate knows")]
    UnknownEventType {
        /// The name given.
        name: String,
    },
}

impl WebhookError {
    /// The status to answer a refused delivery with: 401 when the authentication
    /// header is missing or wrong, 400 otherwise. (awork retries a delivery that is not
    /// answered with a 2xx, and pauses a webhook that keeps failing.)
    pub fn status(&self) -> StatusCode {
        match self {
            WebhookError::MissingAuthHeader { .. } | WebhookError::WrongAuthHeader { .. } => {
                StatusCode::UNAUTHORIZED
            }
            _ => StatusCode::BAD_REQUEST,
        }
    }
}
