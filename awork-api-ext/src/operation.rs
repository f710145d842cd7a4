//! Chains on every generated operation: `.call()` for one answer, `.stream(..)` for a
//! paged list, both ending in this crate's [`Error`].
//!
//! The generator implements [`awork_api::Operation`] for each of awork's operations and
//! [`awork_api::PagedOperation`] for the paged lists (the ones that take `page` and
//! `pageSize`), so these extension traits reach all of them. Bring them in with
//! `use awork_api_ext::prelude::*;`.
//!
//! ```no_run
//! use awork_api_ext::prelude::*;
//! use futures::TryStreamExt;
//!
//! # async fn demo(client: &awork_api_ext::AworkClient) -> Result<(), awork_api_ext::Error> {
//! let me = client.api().get_me().call().await?;
//! println!("signed in as {:?}", me.first_name);
//!
//! let projects = client.api().get_projects().orderby("name").stream(PageOptions::default());
//! let names: Vec<_> = projects.map_ok(|p| p.name).try_collect().await?;
//! # let _ = names; Ok(()) }
//! ```

use crate::error::{
    Error, TypedErrorBody, is_bodiless_success, settle_generated, settle_generated_with,
};
use crate::paging::{self, Page, PageOptions};
use awork_api::{Operation, PagedOperation, ResponseValue};
use futures::Stream;
use std::future::Future;

/// `.call()` on every operation builder: send it and get the decoded answer or an
/// [`Error`] (with the attempts it took).
pub trait OperationExt: Operation + Send
where
    Self::Output: Send,
    Self::ErrorBody: TypedErrorBody + Send,
{
    /// Sends the request and returns the decoded answer.
    fn call(self) -> impl Future<Output = Result<Self::Output, Error>> + Send {
        settle_generated_with(self.send_operation(), ResponseValue::into_inner)
    }

    /// Sends the request; an answer without a body (awork's 204 "nothing to return", as
    /// for the last time entry of a user who has none) is `None`.
    ///
    /// progenitor gives every operation one answer type, so the generated `send()`
    /// treats such a 2xx as an unexpected response, and [`call`](Self::call) reports it
    /// as an [`Error::Decode`] that points here. The operations awork documents this
    /// way say so in their docs.
    fn call_optional(self) -> impl Future<Output = Result<Option<Self::Output>, Error>> + Send {
        async move {
            let answer = settle_generated(async move {
                match self.send_operation().await {
                    Ok(value) => {
                        let (status, headers) = (value.status(), value.headers().clone());
                        Ok(ResponseValue::new(
                            Some(value.into_inner()),
                            status,
                            headers,
                        ))
                    }
                    Err(awork_api::Error::UnexpectedResponse(response))
                        if is_bodiless_success(&response) =>
                    {
                        let headers = response.headers().clone();
                        Ok(ResponseValue::new(None, response.status(), headers))
                    }
                    Err(e) => Err(e),
                }
            })
            .await?;
            Ok(answer.into_inner())
        }
    }

    /// Sends the request and returns the answer with its status and headers.
    fn call_with_response(
        self,
    ) -> impl Future<Output = Result<ResponseValue<Self::Output>, Error>> + Send {
        settle_generated(self.send_operation())
    }
}

impl<O> OperationExt for O
where
    O: Operation + Send,
    O::Output: Send,
    O::ErrorBody: TypedErrorBody + Send,
{
}

/// `.stream(..)`, `.pages(..)` and `.collect_all(..)` on every paged list: the walk of
/// [`paging`], with the builder's filters and ordering kept for every page.
pub trait PagedExt<T>: PagedOperation<T> + Send + Sync
where
    T: Send,
    Self::ErrorBody: TypedErrorBody + Send,
{
    /// The items of the listing, fetched page by page as the stream is read.
    fn stream(self, options: PageOptions) -> impl Stream<Item = Result<T, Error>> + Send {
        paging::items(options, move |page, size| {
            self.clone().with_page(page, size).send_operation()
        })
    }

    /// The pages of the listing, with what the `aw-*` headers said about each.
    fn pages(self, options: PageOptions) -> impl Stream<Item = Result<Page<T>, Error>> + Send {
        paging::pages(options, move |page, size| {
            self.clone().with_page(page, size).send_operation()
        })
    }

    /// The whole listing (up to [`PageOptions::max_items`]) in one `Vec`.
    fn collect_all(
        self,
        options: PageOptions,
    ) -> impl Future<Output = Result<Vec<T>, Error>> + Send {
        paging::collect_all(options, move |page, size| {
            self.clone().with_page(page, size).send_operation()
        })
    }
}

impl<T, O> PagedExt<T> for O
where
    O: PagedOperation<T> + Send + Sync,
    T: Send,
    O::ErrorBody: TypedErrorBody + Send,
{
}
