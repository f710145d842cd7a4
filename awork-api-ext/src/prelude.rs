//! The traits that put `.call()`, `.stream(..)` and `.save_to(..)` on the generated
//! operations, and the types their chains take: `use awork_api_ext::prelude::*;`.

pub use crate::downloads::DownloadExt;
pub use crate::operation::{OperationExt, PagedExt};
pub use crate::paging::PageOptions;
