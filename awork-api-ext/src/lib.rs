//! The hand-written layer over [`awork_api`]: the client most programs use.
//!
//! * [`AworkClient`]: credentials (kept secret), base URL, user agent, timeouts, and one
//!   transport under every request with retries ([`retry::RetryPolicy`]), an optional
//!   client-side rate limit ([`rate_limit::Plan`], or one [`rate_limit::RateLimiter`]
//!   shared by several clients), a [`clock::Clock`] tests can replace, and a tracing
//!   span per request.
//! * [`auth`]: which credentials to use when: an API key, a fixed access token, or a
//!   user signed in with OAuth (authorization code + PKCE, refreshed automatically,
//!   dynamic client registration, a [`auth::TokenStore`] hook).
//! * [`Error`]: one error type for validation, awork's error answers, rate limits,
//!   timeouts, connection failures and undecodable bodies.
//! * [`time_bookings`]: create, update, delete, get, list and the per-user query, from
//!   validated drafts, with `Duration` and `NaiveDate` instead of raw integers and strings.
//! * [`prelude`]: `.call()` on every generated operation (`.call_optional()` where
//!   awork may answer without a body) and `.stream(..)` on every paged list, ending in
//!   [`Error`].
//! * `time_entries` (feature `time-entries`): time entries and the timer, with time
//!   zones, DST-safe drafts, batch operations and summaries.
//! * [`paging`]: the walk behind `.stream(..)`, also for requests of your own.
//! * [`query`]: typed `filterby` / `orderby` expressions.
//! * [`duration`] and [`dates`]: checked conversions and validated date ranges.
//! * [`uploads`]: awork's 20 multipart uploads (`client.uploads()`), streamed from paths,
//!   bytes or readers, through the same transport.
//! * [`webhooks`]: typed deliveries of awork's 35 event types and of project
//!   automations, a receiver for any framework that loses no authenticated delivery
//!   (one that does not fit the models reaches the program as JSON with the reason;
//!   `axum` extractors behind the feature of that name), and managing webhooks
//!   (`client.webhooks()`: registered with a fresh secret by default).
//!
//! * [`downloads`]: `.save_to(path)` on the 30 operations that answer a file, streamed
//!   and written atomically.
//! * [`raw`]: requests of your own (`client.raw(method, path)`), for routes the
//!   generated client does not have, through the same transport.
//!
//! Every other operation of the API is one call away through [`AworkClient::api`].
//!
//! # How the crate is built
//!
//! Each layer uses only the ones below it, so a request runs one way down:
//!
//! 1. The areas: [`time_bookings`], `time_entries`, [`uploads`], [`webhooks`], [`raw`],
//!    [`downloads`], and the chains of the [`prelude`] on every generated operation.
//! 2. [`client`]: the client and its builder, and the one builder for the requests
//!    this crate makes by hand (v1 or v2, query, a JSON or a streamed body).
//! 3. [`auth`] (who the client acts as), [`error`] (what went wrong, read from the
//!    answer, with the attempts a request took) and [`paging`] (the walk).
//! 4. The request pipeline, private: user agent, credentials (behind a small trait, so
//!    it knows a header value, not OAuth), [`retry`], [`rate_limit`] and tracing, one
//!    step per file. Every request goes through it, generated or not, and hands back
//!    what happened on the way as data.
//! 5. [`clock`], and the values: [`dates`], [`duration`], [`query`].
//!
//! ```no_run
//! use awork_api_ext::{AworkClient, dates::DateRange, duration, time_bookings::TimeBookingDraft};
//!
//! # async fn demo() -> Result<(), awork_api_ext::Error> {
//! let client = AworkClient::builder().api_key_from_env().app_name("planner").build()?;
//! let user = uuid::Uuid::parse_str("0a3c0de0-fa4e-4a11-8000-000000000001").unwrap();
//! let week = DateRange::parse("2024-05-06", "2024-05-10")?;
//! let draft = TimeBookingDraft::new(user, week, duration::hours(20)?).description("Release week");
//! let booking = client.time_bookings().create(&draft).await?;
//! println!("booked {} over {}", duration::human(booking.duration), booking.dates);
//!
//! // Anything else of the API, with the same key, retries and rate limit:
//! use awork_api_ext::prelude::*;
//! let me = client.api().get_me().call().await?;
//! # let _ = me; Ok(()) }
//! ```
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod client;
pub mod clock;
pub mod dates;
pub mod downloads;
pub mod duration;
pub mod error;
#[cfg(test)]
mod fuzz;
mod http;
mod operation;
pub mod paging;
pub mod prelude;
pub mod query;
pub mod raw;
pub mod time_bookings;
#[cfg(feature = "time-entries")]
#[cfg_attr(docsrs, doc(cfg(feature = "time-entries")))]
pub mod time_entries;
pub mod uploads;
pub mod webhooks;

pub use client::{AworkClient, ClientBuilder};
pub use error::{ApiError, Error, FieldError, RateLimited};
pub use http::{rate_limit, retry};
pub use operation::{OperationExt, PagedExt};

/// The README's examples, compiled as doctests so they stay true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
