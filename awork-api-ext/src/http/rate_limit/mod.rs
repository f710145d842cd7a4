//! An optional client-side limiter that keeps a program under awork's rate limits.
//!
//! awork allows each workspace 50 requests per second and 1,000 per minute (3,000 on
//! Enterprise plans), shared by every program and every client using the workspace. A
//! client that waits here before each request, retries included, stays under both
//! limits instead of collecting 429 answers. Clients of the same workspace should share
//! one limiter ([`ClientBuilder::rate_limiter`](crate::ClientBuilder::rate_limiter)):
//! two clients with a limiter each would together send twice the budget. The limiter
//! cannot see other programs' traffic, so the retry policy still handles the 429s that
//! happen anyway.
//!
//! The limiter lets a request go at the earliest moment at which neither the one-second
//! nor the one-minute window would hold one request too many, counting every window
//! (sliding, not only whole seconds): a burst of 120 requests under the Standard plan
//! goes as 50 at once, 50 a second later and 20 a second after that. It waits through
//! the client's [`Clock`](crate::clock::Clock), so tests see its waits without spending them.
//!
//! ```
//! use awork_api_ext::AworkClient;
//! use awork_api_ext::rate_limit::{Plan, RateLimiter};
//! use std::sync::Arc;
//!
//! # fn demo() -> Result<(), awork_api_ext::Error> {
//! // One budget for two clients of the same workspace.
//! let budget = Arc::new(RateLimiter::for_plan(Plan::Standard));
//! let importer = AworkClient::builder().api_key("key").rate_limiter(budget.clone()).build()?;
//! let reporter = AworkClient::builder().api_key("key").rate_limiter(budget).build()?;
//! # let _ = (importer, reporter); Ok(()) }
//! ```
//!
//! The limiter and the plans are this module's public part; the schedule behind the
//! waits sits beside them as a private file (`schedule.rs`), and the pipeline asks the
//! limiter before every attempt it sends.

mod budget;
mod limiter;
#[cfg(feature = "redis")]
mod redis;
mod schedule;
mod server;

pub use budget::Budget;

pub use limiter::{Plan, RateLimiter, ZeroLimit};
#[cfg(feature = "redis")]
pub use redis::{RedisBudget, RedisBudgetError};
