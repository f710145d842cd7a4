//! What every generated operation builder has in common, as traits.
//!
//! progenitor writes one builder type per operation (`builder::GetMe`,
//! `builder::GetProjects`, …), each with its own inherent `send`. Nothing ties them
//! together, so code that works for any operation (convert its error, walk its pages)
//! would need one function per operation. The generator therefore also implements
//! these two traits for every builder: [`Operation`] for all of them and
//! [`PagedOperation`] for the lists that take `page` and `pageSize`. `awork-api-ext`
//! builds its `.call()` and `.stream(..)` chains on them.

use crate::{Error, ResponseValue};
use std::future::Future;

/// An operation ready to send: the builder of one awork operation.
pub trait Operation: Sized {
    /// What a successful answer decodes to.
    type Output;
    /// What an error answer decodes to (`()` when the document names no error body).
    type ErrorBody;

    /// Sends the request; the same as the builder's own `send`.
    fn send_operation(
        self,
    ) -> impl Future<Output = Result<ResponseValue<Self::Output>, Error<Self::ErrorBody>>> + Send;
}

/// A list answered one page at a time, chosen by the `page` and `pageSize` query
/// parameters; `T` is the item type.
pub trait PagedOperation<T>: Operation<Output = Vec<T>> + Clone {
    /// The same request for page `page` (from 1) of `page_size` items.
    #[must_use]
    fn with_page(self, page: u32, page_size: u32) -> Self;
}
