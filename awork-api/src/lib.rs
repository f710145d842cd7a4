//! The whole awork REST API as a generated Rust client.
//!
//! [`v1::Client`] has one method per operation of awork's API v1 (except the
//! `multipart/form-data` uploads, which progenitor cannot generate), named after the
//! operation (`get_time_bookings`, `post_project_time_booking`, …), with a builder for
//! its parameters:
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let client = awork_api::Client::new("https://api.awork.com/api/v1", awork_api::Hooks::new());
//! let bookings = client.get_time_bookings().page(1).page_size(100).send().await?;
//! println!("{} bookings on page 1", bookings.len());
//! # Ok(()) }
//! ```
//!
//! [`v2`] holds awork's API v2 (time entries and the timer). The code in
//! `src/generated/` is written by `cargo xtask regen` from `openapi/` and never edited by
//! hand. Most programs use the `awork-api-ext` crate, which adds authentication,
//! retries, paging and typed time bookings on top of this one.

mod hooks;

pub use hooks::{BoxFuture, Hooks, Transport};

/// awork API v1, generated from `openapi/awork-v1.json`.
#[path = "generated/v1.rs"]
#[rustfmt::skip] // written by prettyplease; `cargo xtask regen --check` guards it
#[allow(
    clippy::all,
    clippy::pedantic,
    unused,
    unused_comparisons,
    missing_docs,
    rustdoc::all
)]
pub mod v1;

/// awork API v2 (time entries and the timer), generated from `openapi/awork-v2.json`.
#[cfg(feature = "v2")]
#[path = "generated/v2.rs"]
#[rustfmt::skip]
#[allow(
    clippy::all,
    clippy::pedantic,
    unused,
    unused_comparisons,
    missing_docs,
    rustdoc::all
)]
pub mod v2;

pub use v1::{ByteStream, Client, ClientInfo, Error, ResponseValue, builder, types};
