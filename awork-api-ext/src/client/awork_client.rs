//! The client a program holds: the generated clients, sharing one request path.

use crate::client::request::ApiRequest;
use crate::http::pipeline::Pipeline;
use reqwest::Method;
use std::fmt;
use std::sync::Arc;

/// The client most programs use. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct AworkClient {
    v1: awork_api::Client,
    #[cfg(feature = "v2")]
    v2: awork_api::v2::Client,
    base_url: String,
    #[cfg(feature = "v2")]
    base_url_v2: String,
    pipeline: Arc<Pipeline>,
}

/// Which of awork's API versions a request goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    V1,
    #[cfg(feature = "v2")]
    V2,
}

impl AworkClient {
    /// The client over `pipeline`: the generated clients send through it too.
    pub(crate) fn new(
        pipeline: Pipeline,
        base_url: String,
        #[cfg(feature = "v2")] base_url_v2: String,
    ) -> Self {
        let pipeline = Arc::new(pipeline);
        let hooks = awork_api::Hooks::with_transport(pipeline.clone());
        let http = pipeline.http().clone();
        Self {
            #[cfg(feature = "v2")]
            v2: awork_api::v2::Client::new_with_client(&base_url_v2, http.clone(), hooks.clone()),
            v1: awork_api::Client::new_with_client(&base_url, http, hooks),
            base_url,
            #[cfg(feature = "v2")]
            base_url_v2,
            pipeline,
        }
    }

    /// The generated v1 client: one method per awork operation, sharing this client's
    /// key, retries and rate limit.
    pub fn api(&self) -> &awork_api::Client {
        &self.v1
    }

    /// The generated v2 client (time entries, timer); feature `v2`.
    #[cfg(feature = "v2")]
    pub fn v2(&self) -> &awork_api::v2::Client {
        &self.v2
    }

    /// The v1 base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The v2 base URL.
    #[cfg(feature = "v2")]
    pub fn base_url_v2(&self) -> &str {
        &self.base_url_v2
    }

    /// A request this crate builds by hand, to `path` below the base URL of `api`,
    /// traced as `operation_id`; see [`ApiRequest`].
    pub(crate) fn request(
        &self,
        api: Api,
        method: Method,
        path: &str,
        operation_id: &'static str,
    ) -> ApiRequest<'_> {
        let base = match api {
            Api::V1 => &self.base_url,
            #[cfg(feature = "v2")]
            Api::V2 => &self.base_url_v2,
        };
        ApiRequest::new(
            &self.pipeline,
            method,
            format!("{base}{path}"),
            operation_id,
        )
    }
}

impl fmt::Debug for AworkClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AworkClient")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}
