//! With the feature `run`, the modules `cargo xtask check-generated` wrote under
//! `target/check-generated/` (one per older awork document, and the reserved-names
//! fixture); without it, nothing.
#![cfg(feature = "run")]

/// The generated clients route their requests through `crate::Hooks`.
pub use awork_api::Hooks;

include!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../target/check-generated/modules.rs"
));
