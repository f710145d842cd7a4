//! Receiving deliveries in any framework: headers and body in, a typed event out.
//!
//! awork signs nothing. The only proof a delivery comes from awork is the header the
//! webhook (or the project automation) was configured to send, so a [`Receiver`]
//! compares that header with the expected value, in constant time (the comparison takes
//! as long whatever the first wrong byte; only the value's length can show), before it
//! reads the body.
//!
//! After that, the body decides nothing but "JSON object or not": every authenticated
//! JSON object reaches the program as an [`Event`], typed as far as it fits, so the
//! answer awork gets never depends on whether this crate's models fit what it sent.

use super::body;
use super::error::WebhookError;
use super::events::{Event, UnknownEvent};
use crate::error::Error;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use subtle::ConstantTimeEq;

/// Checks and decodes webhook deliveries, of workspace webhooks and of project
/// automations alike.
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

/// The header a webhook was configured to send, with the secret values it may carry
/// (more than one while a secret is being rotated).
#[derive(Clone)]
struct ExpectedHeader {
    name: HeaderName,
    values: Vec<SecretString>,
}

impl Receiver {
    /// A receiver that accepts only deliveries whose `header` is `value` (the header
    /// and value configured on the webhook, see
    /// [`WebhookDraft::auth_header`](super::WebhookDraft::auth_header) and
    /// [`Webhooks::register`](super::Webhooks::register)).
    ///
    /// A header name HTTP cannot carry is a validation error, and so is a value that
    /// no delivery could match: empty, with characters a header cannot carry, or with
    /// white space at either end (HTTP drops it on the way).
    pub fn new(header: &str, value: SecretString) -> Result<Self, Error> {
        let name = HeaderName::from_bytes(header.trim().as_bytes()).map_err(|_| {
            Error::validation("header", format!("{header:?} is not an HTTP header name"))
        })?;
        check_value(&value)?;
        Ok(Self {
            auth: Some(ExpectedHeader {
                name,
                values: vec![value],
            }),
        })
    }

    /// A receiver for the header as awork's settings show it: `name=value` (a
    /// workspace webhook's `authentication`) or `name:value` (a project automation's
    /// header, e.g. `Api-Key:abcd…`). White space around the name and the value is
    /// dropped. The line is a secret: errors never quote it.
    pub fn from_header_line(line: &SecretString) -> Result<Self, Error> {
        let line = line.expose_secret();
        let (name, value) = line
            .find(['=', ':'])
            .map(|at| (&line[..at], &line[at + 1..]))
            .ok_or_else(|| {
                Error::validation(
                    "header line",
                    "expected `name=value` or `name:value`, and found neither `=` nor `:`",
                )
            })?;
        if name.trim().is_empty() {
            return Err(Error::validation(
                "header line",
                "the header's name (before `=` or `:`) is empty",
            ));
        }
        Self::new(name, SecretString::from(value.trim().to_string()))
    }

    /// Accepts `value` too, for the time a secret is being rotated (deliveries awork
    /// retries may still carry the old one). A receiver without authentication stays
    /// without: that is an error.
    pub fn also_accept(mut self, value: SecretString) -> Result<Self, Error> {
        check_value(&value)?;
        match &mut self.auth {
            Some(expected) => expected.values.push(value),
            None => {
                return Err(Error::validation(
                    "value",
                    "this receiver checks no header; build it with Receiver::new",
                ));
            }
        }
        Ok(self)
    }

    /// A receiver that accepts every delivery: for webhooks configured without
    /// authentication. Anyone who learns the URL can then send events.
    pub fn without_auth() -> Self {
        Self { auth: None }
    }

    /// The header this receiver checks, if any.
    pub fn header_name(&self) -> Option<&str> {
        self.auth.as_ref().map(|auth| auth.name.as_str())
    }

    /// Checks the configured header, if any: present, and equal to an expected value.
    /// Every value the delivery carries is compared with every expected one, in time
    /// that does not depend on which matched.
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
        for got in values {
            for value in &expected.values {
                matched |= same(value, got);
            }
        }
        if bool::from(matched) {
            Ok(())
        } else {
            Err(WebhookError::WrongAuthHeader {
                header: expected.name.to_string(),
            })
        }
    }

    /// Checks the header and that the body is a JSON object, and keeps the body as
    /// sent, to answer awork at once and decode later (e.g. after a queue):
    /// [`VerifiedDelivery::parse`] now, or [`Event::from_json`] on the stored bytes.
    pub fn verify_delivery(
        &self,
        headers: &HeaderMap,
        body: impl Into<Bytes>,
    ) -> Result<VerifiedDelivery, WebhookError> {
        self.verify(headers)?;
        VerifiedDelivery::check(body.into())
    }

    /// Checks the header, then decodes the body (see [`Event::from_json`]): an error
    /// only for a missing or wrong header (answer 401) or a body that is not a JSON
    /// object (answer 400); any other delivery is an [`Event`] (answer 2xx).
    pub fn parse(&self, headers: &HeaderMap, body: &[u8]) -> Result<Event, WebhookError> {
        self.verify(headers)?;
        Event::from_json(body)
    }
}

/// Whether a value could ever arrive in a header, checked without quoting it.
fn check_value(value: &SecretString) -> Result<(), Error> {
    let text = value.expose_secret();
    if text.is_empty() {
        return Err(Error::validation("value", "the expected value is empty"));
    }
    if HeaderValue::from_str(text).is_err() {
        return Err(Error::validation(
            "value",
            "the expected value has characters an HTTP header cannot carry",
        ));
    }
    if text.trim() != text {
        return Err(Error::validation(
            "value",
            "the expected value starts or ends with white space, which HTTP drops on the way",
        ));
    }
    Ok(())
}

/// Whether `got` is the secret, in time that does not depend on where they differ.
fn same(expected: &SecretString, got: &HeaderValue) -> subtle::Choice {
    expected.expose_secret().as_bytes().ct_eq(got.as_bytes())
}

impl fmt::Debug for Receiver {
    /// The header's name and how many values it accepts; never a value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("auth_header", &self.header_name())
            .field(
                "accepted_values",
                &self.auth.as_ref().map_or(0, |auth| auth.values.len()),
            )
            .finish()
    }
}

/// A delivery whose header was checked and whose body is a JSON object, kept as sent.
///
/// Answer awork at once (2xx), then decode now or later; nothing about the body's
/// content can fail any more. To keep it across a queue, store [`body`](Self::body)
/// and decode it with [`Event::from_json`] when its turn comes.
///
/// ```
/// use awork_api_ext::webhooks::{Event, Receiver};
/// use secrecy::SecretString;
///
/// let receiver = Receiver::new("X-Awork-Token", SecretString::from("s3cret")).unwrap();
/// let mut headers = http::HeaderMap::new();
/// headers.insert("x-awork-token", "s3cret".parse().unwrap());
/// let body = br#"{"eventName": "Handed over", "project": {"id": "6f1d7c2e-5b1a-4c59-9a57-2f0b9d1e4c11", "name": "Fair stand"}}"#;
///
/// let verified = receiver.verify_delivery(&headers, &body[..]).unwrap(); // answer 204 now
/// let queued: Vec<u8> = verified.body().to_vec();                         // … a queue …
/// let event = Event::from_json(&queued).unwrap();                          // later, a worker
/// assert_eq!(event.event_name(), "Handed over");
/// ```
#[derive(Clone)]
pub struct VerifiedDelivery {
    body: Bytes,
}

impl VerifiedDelivery {
    /// The body of a delivery whose header was checked, if it is a JSON object.
    pub(super) fn check(body: Bytes) -> Result<Self, WebhookError> {
        body::check_object(&body)?;
        Ok(Self { body })
    }

    /// The body, as sent.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body, as sent, without copying it.
    pub fn into_body(self) -> Bytes {
        self.body
    }

    /// The event: typed as far as it fits (see [`Event`]).
    pub fn parse(&self) -> Event {
        // The body was found to be a JSON object when it was verified, and the two
        // readers agree on that (the fuzz tests check it); should they ever not, the
        // body is still handed over, as text.
        Event::from_json(&self.body).unwrap_or_else(|error| {
            tracing::warn!(%error, "a verified webhook delivery could not be read again");
            Event::Unknown(UnknownEvent {
                event_type: String::new(),
                delivery: serde_json::Value::String(
                    String::from_utf8_lossy(&self.body).into_owned(),
                ),
            })
        })
    }
}

impl fmt::Debug for VerifiedDelivery {
    /// The body's size, not its content.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifiedDelivery")
            .field("body_bytes", &self.body.len())
            .finish()
    }
}
