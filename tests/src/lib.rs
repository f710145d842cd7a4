//! The workspace's integration tests live in `tests/`; this library only compiles the
//! READMEs' examples as doctests, so that they stay true: the top-level one, and
//! awork-api's (whose own doctests are off: rustdoc would read its 196k generated lines
//! on every `cargo test` to find one example).

/// The README of the repository.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The README of the generated crate.
#[doc = include_str!("../../awork-api/README.md")]
#[cfg(doctest)]
pub struct AworkApiReadmeDoctests;
