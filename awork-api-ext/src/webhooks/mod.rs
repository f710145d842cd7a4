//! awork's webhooks: deliveries that are never lost, a receiver that fits any
//! framework, and webhooks registered safely.
//!
//! * [`Event`]: one variant per awork event type (35), each a [`Delivery`] whose
//!   entity is the generated model of its area (`Project`, `TaskModel`, …) when that
//!   area's feature is on, and raw JSON otherwise (see [`entity`]); a project
//!   automation's delivery ([`Automation`]); and, so that nothing is lost, a delivery
//!   that does not fit this crate's models ([`Event::Undecodable`]: its JSON and the
//!   reason) or whose event type this crate does not know ([`Event::Unknown`]).
//! * [`Receiver`]: checks the header the webhook was configured to send, in constant
//!   time (awork signs nothing: that header is the only proof a delivery is awork's),
//!   then decodes. It refuses a missing or wrong header (401) and a body that is not a
//!   JSON object (400), nothing else: every other delivery reaches the program, and
//!   one it could not type is logged as a warning. [`Receiver::verify_delivery`]
//!   checks now and leaves decoding for later ([`VerifiedDelivery`]), e.g. after a
//!   queue. With the feature `axum`, `axum::AworkWebhook` and
//!   `axum::AworkDelivery` do the same as extractors.
//! * [`Webhooks`] (`client.webhooks()`): [`register`](Webhooks::register) a webhook
//!   with a fresh random secret, [`rotate_secret`](Webhooks::rotate_secret), and
//!   create, replace, read, list and delete, with the events as an [`EventSet`] and
//!   the header's value as a `SecretString` that never shows in `Debug`, errors or
//!   traces.
//!
//! awork expects a 2xx answer within 30 s; it retries a delivery otherwise (up to 10
//! times) and pauses a webhook that keeps failing. So answer 2xx for every [`Event`],
//! whichever its kind, and keep what you cannot handle yet.
//!
//! ```
//! use awork_api_ext::webhooks::{Event, Receiver};
//! use secrecy::SecretString;
//!
//! fn on_delivery(receiver: &Receiver, headers: &http::HeaderMap, body: &[u8]) -> http::StatusCode {
//!     match receiver.parse(headers, body) {
//!         Ok(Event::TaskUpdated(delivery)) => {
//!             for change in &delivery.changes {
//!                 println!("task {}: {} changed", delivery.entity_id, change.property);
//!             }
//!             http::StatusCode::NO_CONTENT
//!         }
//!         Ok(Event::Automation(automation)) => {
//!             println!("automation {:?}", automation.event_name);
//!             http::StatusCode::NO_CONTENT
//!         }
//!         Ok(Event::Undecodable(kept)) => {
//!             println!("kept as JSON ({}): {}", kept.error, kept.delivery);
//!             http::StatusCode::NO_CONTENT
//!         }
//!         Ok(other) => {
//!             println!("{}", other.event_name());
//!             http::StatusCode::NO_CONTENT
//!         }
//!         Err(refused) => refused.status(),
//!     }
//! }
//! let receiver = Receiver::new("X-Awork-Token", SecretString::from("s3cret")).unwrap();
//! assert_eq!(on_delivery(&receiver, &http::HeaderMap::new(), b"{}"), http::StatusCode::UNAUTHORIZED);
//! ```

pub(crate) mod automation;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
pub(crate) mod body;
mod delivery;
pub mod entity;
mod error;
mod events;
mod manage;
mod receiver;

pub use automation::Automation;
pub use delivery::{Change, Deleted, Delivery, TriggeredBy};
pub use error::WebhookError;
pub use events::{Event, EventKind, EventType, Undecodable, UnknownEvent};
pub use manage::{
    AuthHeader, EventSet, Registered, SECRET_HEADER, Webhook, WebhookDraft, Webhooks,
};
pub use receiver::{Receiver, VerifiedDelivery};
