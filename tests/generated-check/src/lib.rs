//! With the feature `run`, the modules `cargo xtask check-generated` wrote under
//! `target/check-generated/` (one per older awork document, and the reserved-names
//! fixture); without it, nothing.
#![cfg(feature = "run")]

/// The generated clients route their requests through `crate::Hooks`.
pub use awork_api::Hooks;

/// The generated operations decode JSON answers with `crate::decode_json`, and send
/// through `crate::execute_rebuildable`.
pub use awork_api::{decode_json, execute_rebuildable};

/// The generated builders implement `crate::Operation` and `crate::PagedOperation`.
pub use awork_api::{Operation, PagedOperation};

/// The generated types print their secret fields through `crate::Redacted`.
pub use awork_api::Redacted;

include!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../target/check-generated/modules.rs"
));
