//! The generated operations' way in: `awork_api::Transport`, the one hook every method
//! of the generated clients calls, handed to the [`Pipeline`]. So all 705 operations
//! get the same user agent, credentials, retries, pacing and tracing without a line of
//! generated code changing.
//!
//! The hook can only answer a `reqwest::Result`, so the request's tally is noted for
//! the [`counted`](crate::http::tally::counted) call around it.

use crate::http::copies::Copies;
use crate::http::pipeline::Pipeline;
use crate::http::tally;
use awork_api::{BoxFuture, Transport};
use futures::FutureExt;
use reqwest::{Request, Response};

impl Transport for Pipeline {
    /// Sends through the pipeline. The generated clients are built with the
    /// pipeline's own HTTP client, so `_client` is the same one.
    fn execute<'a>(
        &'a self,
        _client: &'a reqwest::Client,
        request: Request,
        operation_id: &'static str,
    ) -> BoxFuture<'a, reqwest::Result<Response>> {
        let sending = self.send(request, Copies::Cloned, operation_id);
        Box::pin(sending.map(|sent| {
            tally::note(&sent.tally);
            sent.result
        }))
    }
}
