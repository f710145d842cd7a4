//! One error type for everything that can go wrong talking to awork.
//!
//! The generated client reports failures in several shapes (a typed error body, an
//! unexpected status with the raw response, a body that did not decode, a transport
//! error). [`Error`] folds them into the cases a caller acts on differently: fix the
//! input, read what awork said, wait for the rate limit, retry later, or report a bug.
//! Nothing is lost on the way: status, awork's error code and texts, per-field
//! validation errors and the ids awork asks you to quote (`Trace-Id`, `X-Edge-Ref`).
//!
//! No variant ever holds the API key or an OAuth secret: requests are not kept, the
//! credentials only ever travel in headers marked sensitive (or in form bodies this
//! crate never quotes), and token answers are never excerpted.
//!
//! The files of this module: `cases.rs` (the cases), `api.rs` (what awork said),
//! `decode.rs` (reading answers into errors) and `settle.rs` (adding what happened on
//! the way: the attempts a request took, or the credentials' refusal).

mod api;
// Also the home of `AuthError` and `Grant`, which `crate::auth` re-exports.
pub(crate) mod cases;
mod decode;
mod settle;

pub use api::{ApiError, FieldError, RateLimited};
pub use cases::Error;
pub use decode::{EXCERPT_CHARS, ErrorBody, TypedErrorBody};

pub(crate) use api::one_line;
pub(crate) use cases::{check_id, check_id_opt};
pub(crate) use decode::{is_bodiless_success, json_answer};
pub(crate) use settle::{settle, settle_generated, settle_generated_with};
