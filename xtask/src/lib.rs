//! The generator pipeline behind `cargo xtask`.
//!
//! awork's OpenAPI document → [`vendor`] (facts only, provenance recorded) → our
//! [`corrections`] → [`downconvert`] (3.1 → 3.0) → [`normalize`] (shapes progenitor
//! cannot take) → [`generate`] (progenitor, prettyplease) → `awork-api/src/generated/*.rs`;
//! beside the code, the decode corpus's tables ([`corpus`]) and the table of the uploads
//! the generated client leaves out ([`uploads_table`]).
//!
//! The fake server gets its own copy of the document, taken before normalization: the
//! [`contract`] it judges requests by.
//!
//! Each stage is a library function so that the integration tests can run the same
//! pipeline on fixture documents and on the history of awork's spec.

pub mod areas;
pub mod bench_build;
pub mod check_generated;
pub mod conformance;
pub mod contract;
pub mod corpus;
pub mod corrections;
pub mod diff;
pub mod downconvert;
pub mod facts;
pub mod fsutil;
pub mod generate;
pub mod json;
pub mod layout;
pub mod normalize;
pub mod pipeline;
pub mod slice;
pub mod spec;
pub mod uploads_table;
pub mod vendor;
