//! awork's webhooks: typed deliveries, a receiver that fits any framework, and managing
//! the webhooks themselves.
//!
//! * [`Event`]: one variant per awork event type (35), each a [`Delivery`] whose
//!   entity is the generated model of its area (`Project`, `TaskModel`, …) when that
//!   area's feature is on, and raw JSON otherwise (see [`entity`]). An event type this
//!   crate does not know arrives as [`Event::Unknown`] with its JSON.
//! * [`Receiver`]: `parse(headers, body)` with `http` types, after checking the header
//!   the webhook was configured to send, in constant time (awork signs nothing: that
//!   header is the only proof a delivery is awork's). [`WebhookError::status`] says
//!   what to answer. With the feature `axum`, `axum::AworkWebhook` does both as an
//!   extractor.
//! * [`Webhooks`] (`client.webhooks()`): create, replace, read, list and delete, with
//!   the events as an [`EventSet`] and the header's value as a `SecretString` that
//!   never shows in `Debug`, errors or traces.
//!
//! awork expects a 2xx answer within 30 s, and retries a delivery otherwise.
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
//!         Ok(other) => {
//!             println!("{}", other.event_name());
//!             http::StatusCode::NO_CONTENT
//!         }
//!         Err(e) => e.status(),
//!     }
//! }
//! let receiver = Receiver::new("X-Awork-Token", SecretString::from("s3cret")).unwrap();
//! assert_eq!(on_delivery(&receiver, &http::HeaderMap::new(), b"{}"), http::StatusCode::UNAUTHORIZED);
//! ```

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
mod delivery;
mod error;
mod events;
mod manage;
mod receiver;

pub use delivery::{Change, Deleted, Delivery, TriggeredBy};
pub use error::WebhookError;
pub use events::{Event, EventType, UnknownEvent, entity};
pub use manage::{AuthHeader, EventSet, Webhook, WebhookDraft, Webhooks};
pub use receiver::Receiver;
