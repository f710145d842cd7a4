//! How a request reaches awork: one pipeline under every request, whether a generated
//! operation sends it, this crate's own request builder, or OAuth's token endpoint.
//!
//! One step per file, composed in `pipeline.rs`, outermost first:
//!
//! | file | step | knows |
//! |---|---|---|
//! | `pipeline.rs` | the composition, one span per request | the order of the steps |
//! | `authorize.rs` | the `Authorization` header, renewed once after a 401 | a header value behind a trait, not OAuth |
//! | `retry/` | sending again as the [`RetryPolicy`](retry::RetryPolicy) decides | the policy and the clock |
//! | `wire.rs` | one attempt, paced by the [`RateLimiter`](rate_limit::RateLimiter) | the HTTP client and the limiter |
//! | `trace.rs` | what the span and the events record | never a header value, body or query |
//!
//! Beside them: `copies.rs` (how a request is sent more than once), `tally.rs` (what
//! happened to a request, handed back as data), `hook.rs` (the generated client's way
//! in) and `headers.rs` (what awork's answer headers say).
//!
//! Nothing here knows this crate's [`Error`](crate::error::Error) or OAuth: the tally
//! carries attempts and a refusal as they are, and [`crate::error`] makes the error.
//! The policies, [`retry`] and [`rate_limit`], are public, re-exported at the crate
//! root; the rest is private and configured through
//! [`ClientBuilder`](crate::ClientBuilder).

pub(crate) mod authorize;
pub(crate) mod copies;
pub(crate) mod headers;
mod hook;
pub(crate) mod pipeline;
pub mod rate_limit;
pub mod retry;
pub(crate) mod tally;
mod trace;
pub(crate) mod wire;
