//! Building the client: credentials, base URL, user agent, timeouts, retries, rate limit.
//!
//! [`AworkClient`] wraps the generated clients of `awork-api` (v1 and v2). Every
//! request they send, through this crate's helpers or through [`AworkClient::api`]
//! for any of the 687 generated operations, takes the same path: it gets the
//! credentials (an API key, a fixed access token, or OAuth tokens kept fresh; see
//! [`crate::auth`]) and user agent, waits for the client-side rate limit and is
//! retried per the [`RetryPolicy`](crate::retry::RetryPolicy). That path is private;
//! the builder is how it is configured.
//!
//! The files of this module: `awork_client.rs` (the client), `builder.rs` (the
//! settings), `stack.rs` (the checked settings, turned into the request path) and
//! `request.rs` (the one builder for the requests this crate makes by hand).

mod awork_client;
mod builder;
mod request;
mod stack;

pub use awork_client::AworkClient;
pub use builder::{ClientBuilder, DEFAULT_BASE_URL, DEFAULT_BASE_URL_V2};
pub use stack::USER_AGENT_PREFIX;

pub(crate) use awork_client::Api;
pub(crate) use request::{ApiRequest, replace_body};
