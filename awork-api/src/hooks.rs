//! The one place every generated request passes through.
//!
//! progenitor lets a client replace how a request is executed (`ClientHooks::exec`).
//! The generated clients carry a [`Hooks`] value, and the impls below hand each
//! request to its [`Transport`]. With no transport set, requests go straight to
//! `reqwest`. `awork-api-ext` installs one that adds retries, rate limiting and tracing,
//! so that every operation of the API gets them without touching generated code.
//!
//! The generated operations call [`execute_rebuildable`] rather than `exec` (the
//! generator's `lean_send` pass): with the request they hand over the way to build it
//! again, so a transport that sends a request more than once builds the next copy
//! when it needs one instead of copying every request before it is sent.

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// A boxed, sendable future, as returned by [`Transport::execute`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Builds a generated operation's request afresh, the same as the first: for a
/// transport that sends it again.
pub type Rebuild<'a> = dyn Fn() -> reqwest::Result<reqwest::Request> + Send + Sync + 'a;

/// Executes one HTTP request on behalf of a generated client.
///
/// Implementations may send the request several times (built again with `again`, or
/// cloned when there is none and its body is not a stream), wait between attempts, or
/// record what happened. They receive the operationId so that policies can depend on
/// the operation.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` with `client` and returns the final response. `again`, when
    /// given, builds the same request afresh.
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        again: Option<&'a Rebuild<'a>>,
        operation_id: &'static str,
    ) -> BoxFuture<'a, reqwest::Result<reqwest::Response>>;
}

/// The inner value of every generated `Client`: an optional [`Transport`].
#[derive(Clone, Default)]
pub struct Hooks {
    transport: Option<Arc<dyn Transport>>,
}

impl Hooks {
    /// Hooks that send requests unchanged.
    pub fn new() -> Self {
        Self::default()
    }

    /// Hooks that hand every request to `transport`.
    pub fn with_transport(transport: Arc<dyn Transport>) -> Self {
        Self {
            transport: Some(transport),
        }
    }

    /// Sends `request` through the transport, or directly when there is none.
    ///
    /// Not an `async fn`: the request goes to the transport (or to reqwest) when this
    /// is called, instead of waiting inside one more future for its first poll, and
    /// is not moved again on the way.
    pub fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        again: Option<&'a Rebuild<'a>>,
        info: &OperationInfo,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a {
        match &self.transport {
            Some(transport) => {
                Executing::Transport(transport.execute(client, request, again, info.operation_id))
            }
            None => Executing::Direct(client.execute(request)),
        }
    }
}

/// A request on its way: through the transport, or straight through reqwest.
enum Executing<'a, D> {
    Transport(BoxFuture<'a, reqwest::Result<reqwest::Response>>),
    Direct(D),
}

impl<D> Future for Executing<'_, D>
where
    D: Future<Output = reqwest::Result<reqwest::Response>> + Unpin,
{
    type Output = reqwest::Result<reqwest::Response>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut *self {
            Executing::Transport(future) => future.as_mut().poll(cx),
            Executing::Direct(future) => Pin::new(future).poll(cx),
        }
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("transport", &self.transport.is_some())
            .finish()
    }
}

macro_rules! route_through_hooks {
    ($($client:ty),*) => {$(
        impl ClientHooks<Hooks> for $client {
            async fn exec(
                &self,
                request: reqwest::Request,
                info: &OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                self.inner().execute(self.client(), request, None, info).await
            }
        }
    )*};
}

/// How a generated operation sends its request: through the client's [`Hooks`], with
/// `again` to build the request afresh should it go more than once. Handed over at
/// once, like [`Hooks::execute`].
pub fn execute_rebuildable<'a, C: ClientInfo<Hooks>>(
    client: &'a C,
    request: reqwest::Request,
    info: &OperationInfo,
    again: &'a Rebuild<'a>,
) -> impl Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a {
    client
        .inner()
        .execute(client.client(), request, Some(again), info)
}

route_through_hooks!(crate::v1::Client);
#[cfg(feature = "v2")]
route_through_hooks!(crate::v2::Client);
