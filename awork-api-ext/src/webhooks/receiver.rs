//! Receiving deliveries in any framework: headers and body in, a typed event out.
//!
//! awork signs nothing. The only proof a delivery comes from awork is the header the
//! webhook was configured to send (`authentication: headername=headervalue`), so a
//! [`Receiver`] compares that header with the expected value, in constant time (the
//! comparison takes as long whatever the first wrong byte; only the value's length can
//! show), before it reads the body.

use super::error::WebhookError;
use super::events::Event;
use crate::error::Error;
use http::{HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use subtle::ConstantTimeEq;

/// Checks and decodes webhook deliveries.
///
/// ```
/// use awork_api_ext::webhooks::{Event, Receiver};
/// use secrecy::SecretString;
///
/// let receiver = Receiver::new("X-Awork-Token", SecretString::from("s3cret")).unwrap();
/// let mut headers = http::HeaderMap::new();
/// headers.insert("x-awork-token", "s3cret".parse().unwrap());
/// let body = br#"{"eventType": "brand_new_event", "entityId": "x"}"#;
/// match receiver.parse(&headers, body).unwrap() {
///     Event::Unknown(unknown) => assert_eq!(unknown.event_type, "brand_new_event"),
///     other => panic!("{other:?}"),
/// }
/// ```
#[derive(Clone)]
pub struct Receiver {
    auth: Option<ExpectedHeader>,
}

/// The header a webhook was configured to send, with its secret value.
#[derive(Clone)]
struct ExpectedHeader {
    name: HeaderName,
    value: SecretString,
}

impl Receiver {
    /// A receiver that accepts only deliveries whose `header` is `value` (the header
    /// and value configured on the webhook, see
    /// [`WebhookDraft::auth_header`](super::WebhookDraft::auth_header)). A header name
    /// HTTP cannot carry, or an empty value, is a validation error.
    pub fn new(header: &str, value: SecretString) -> Result<Self, Error> {
        let name = HeaderName::from_bytes(header.trim().as_bytes()).map_err(|_| {
            Error::validation("header", format!("{header:?} is not an HTTP header name"))
        })?;
        if value.expose_secret().is_empty() {
            return Err(Error::validation("value", "the expected value is empty"));
        }
        Ok(Self {
            auth: Some(ExpectedHeader { name, value }),
        })
    }

    /// A receiver that accepts every delivery: for webhooks configured without
    /// authentication. Anyone who learns the URL can then send events.
    pub fn without_auth() -> Self {
        Self { auth: None }
    }

    /// Checks the configured header, if any: present, and equal to the expected value.
    pub fn verify(&self, headers: &HeaderMap) -> Result<(), WebhookError> {
        let Some(expected) = &self.auth else {
            return Ok(());
        };
        let mut values = headers.get_all(&expected.name).iter().peekable();
        if values.peek().is_none() {
            return Err(WebhookError::MissingAuthHeader {
                header: expected.name.to_string(),
            });
        }
        let mut matched = subtle::Choice::from(0);
        for value in values {
            matched |= same(&expected.value, value);
        }
        if bool::from(matched) {
            Ok(())
        } else {
            Err(WebhookError::WrongAuthHeader {
                header: expected.name.to_string(),
            })
        }
    }

    /// Checks the header, then decodes the body (see [`Event::from_json`]).
    pub fn parse(&self, headers: &HeaderMap, body: &[u8]) -> Result<Event, WebhookError> {
        self.verify(headers)?;
        Event::from_json(body)
    }
}

/// Whether `got` is the secret, in time that does not depend on where they differ.
fn same(expected: &SecretString, got: &HeaderValue) -> subtle::Choice {
    expected.expose_secret().as_bytes().ct_eq(got.as_bytes())
}

impl fmt::Debug for Receiver {
    /// The header's name; never its value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("auth_header", &self.auth.as_ref().map(|a| a.name.as_str()))
            .finish()
    }
}
