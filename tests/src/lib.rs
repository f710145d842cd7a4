//! The workspace's integration tests live in `tests/`; this library only compiles the
//! top-level README's examples as doctests, so that they stay true.

/// The README of the repository.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
