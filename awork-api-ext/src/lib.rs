//! The hand-written layer over [`awork_api`]: the client most programs use.
#![deny(missing_docs)]

pub mod dates;
pub mod duration;
pub mod error;
pub mod headers;
pub mod paging;
pub mod query;
pub mod rate_limit;
pub mod retry;
pub mod transport;

pub use error::{ApiError, Error, FieldError, RateLimited};
