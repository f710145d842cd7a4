#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod answer;
mod hooks;
mod operation;
mod redact;

pub use answer::decode_json;
pub use hooks::{BoxFuture, Hooks, Rebuild, Transport, execute_rebuildable};
pub use operation::{Operation, PagedOperation};
pub use redact::{Redacted, SecretField};

/// awork API v1, generated from `openapi/awork-v1.json`.
#[path = "generated/v1.rs"]
#[rustfmt::skip] // written by prettyplease; `cargo xtask regen --check` guards it
#[allow(
    clippy::all,
    clippy::pedantic,
    unused,
    unused_comparisons,
    missing_docs,
    rustdoc::all
)]
pub mod v1;

/// awork API v2 (time entries and the timer), generated from `openapi/awork-v2.json`.
#[cfg(feature = "v2")]
#[path = "generated/v2.rs"]
#[rustfmt::skip]
#[allow(
    clippy::all,
    clippy::pedantic,
    unused,
    unused_comparisons,
    missing_docs,
    rustdoc::all
)]
pub mod v2;

pub use v1::{ByteStream, Client, ClientInfo, Error, ResponseValue, builder, types};
