//! The generated operations' way in: `awork_api::Transport`, the one hook every method
//! of the generated clients calls, handed to the [`Pipeline`]. So all 705 operations
//! get the same user agent, credentials, retries, pacing and tracing, and no operation
//! has code of its own for them.
//!
//! A generated operation hands over the way to build its request again, so further
//! copies are built when a retry or a renewal needs one, not copied before every send.
//!
//! The hook can only answer a `reqwest::Result`, so the request's tally is noted for
//! the [`counted`](crate::http::tally::counted) call around it.

use crate::http::copies::Copies;
use crate::http::pipeline::Pipeline;
use crate::http::tally::{self, Sent};
use awork_api::{BoxFuture, Rebuild, Transport};
use reqwest::{Request, Response};

impl Transport for Pipeline {
    /// Sends through the pipeline. The generated clients are built with the
    /// pipeline's own HTTP client, so `_client` is the same one.
    fn execute<'a>(
        &'a self,
        _client: &'a reqwest::Client,
        request: Request,
        again: Option<&'a Rebuild<'a>>,
        operation_id: &'static str,
    ) -> BoxFuture<'a, reqwest::Result<Response>> {
        let copies = again.map_or(Copies::Cloned, Copies::Built);
        Box::pin(self.send_then(request, copies, operation_id, noted))
    }
}

/// The answer, with the tally noted for the call around the hook. Inlined into the
/// request's future, so that the answer is not copied once more on its way out.
#[inline]
fn noted(sent: Sent) -> reqwest::Result<Response> {
    tally::note(&sent.tally);
    sent.result
}
