//! The values that cross the wire, as every part of the fake sees them: the request a
//! behaviour reads (query and body), what it answers ([`Answer`]) and awork's
//! error body ([`ApiError`] → [`ErrorResponse`]).
//!
//! Nothing here knows axum's routing or the fake's state: behaviours take a `Call` and
//! give back an `Answer` or an `ApiError`, and the engine does the rest.

mod answer;
mod call;
mod errors;

pub use answer::{PageInfo, ITEMS_HEADER, PAGE_HEADER, PAGE_SIZE_HEADER, TOTAL_ITEMS_HEADER};
pub(crate) use answer::{Answer, AnswerBody, JSON_CONTENT_TYPE};
pub(crate) use call::{Body, FormPart, QueryParams};
pub use errors::{ERROR_LINK, ErrorResponse, ValidationError, codes};
pub(crate) use errors::ApiError;
