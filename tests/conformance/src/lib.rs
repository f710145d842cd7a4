//! The conformance test lives in `tests/conformance.rs`; this library is empty.
