//! The values that cross the wire, as every part of the fake sees them: the request a
//! behaviour reads (query and body), what it answers ([`Answer`]) and awork's
//! error body ([`ApiError`] → [`ErrorResponse`]).
//!
//! Nothing here knows axum's routing or the fake's state: behaviours take a `Call` and
//! give back an `Answer` or an `ApiError`, and the engine does the rest.

mod answer;
mod call;
mod errors;

pub(crate) use answer::{Answer, AnswerBody, JSON_CONTENT_TYPE};
pub use answer::{ITEMS_HEADER, PAGE_HEADER, PAGE_SIZE_HEADER, PageInfo, TOTAL_ITEMS_HEADER};
pub(crate) use call::{Body, FormPart, QueryParams};
pub(crate) use errors::ApiError;
pub use errors::{ERROR_LINK, ErrorResponse, ValidationError, codes};
