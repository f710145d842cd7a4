//! Requests of your own: a path the generated client does not have (a route awork added
//! after the vendored document, or one its document leaves out), sent through the same
//! transport as every generated operation: credentials, user agent, rate limit,
//! retries, tracing, and this crate's [`Error`].
//!
//! ```no_run
//! # async fn demo(client: awork_api_ext::AworkClient) -> Result<(), awork_api_ext::Error> {
//! use reqwest::Method;
//! let settings: serde_json::Value = client
//!     .raw(Method::GET, "/timetracking/settings")
//!     .query("filterby", "isActive eq true")
//!     .send()
//!     .await?;
//! # let _ = settings; Ok(()) }
//! ```
//!
//! The path is relative to the client's base URL and is checked before anything is
//! sent: it must start with `/` and may not name another host or climb out of the API
//! (`..`), so the credentials only ever go where the client's other requests go. Query
//! values are encoded for you; do not put a query string in the path.

use crate::client::{Api, ApiRequest, AworkClient};
use crate::error::Error;
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A request of your own, from [`AworkClient::raw`]. Nothing is sent until one of the
/// `send` methods runs; a problem found while building it is returned there.
#[must_use = "a raw request does nothing until it is sent"]
pub struct RawRequest<'a> {
    client: &'a AworkClient,
    method: Method,
    path: String,
    api: Api,
    query: Vec<(String, String)>,
    body: Option<serde_json::Value>,
    problem: Option<Error>,
}

impl std::fmt::Debug for RawRequest<'_> {
    /// The method and path only: query values and the body may hold personal data.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("version", &self.api)
            .field("query_parameters", &self.query.len())
            .field("has_body", &self.body.is_some())
            .finish()
    }
}

impl AworkClient {
    /// A request to `path` (relative to the base URL, e.g. `/users/{id}/settings`) that
    /// the generated client does not offer, through this client's transport.
    pub fn raw(&self, method: Method, path: &str) -> RawRequest<'_> {
        RawRequest {
            client: self,
            method,
            path: path.to_string(),
            api: Api::V1,
            query: Vec::new(),
            body: None,
            problem: check_path(path).err(),
        }
    }
}

impl<'a> RawRequest<'a> {
    /// Sends it to API v2 instead of v1 (the v2 base URL of the client).
    #[cfg(feature = "v2")]
    pub fn v2(mut self) -> Self {
        self.api = Api::V2;
        self
    }

    /// Adds the query parameter `name=value`; the value is percent-encoded when sent.
    pub fn query(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// Sends `body` as JSON.
    pub fn json(mut self, body: &impl Serialize) -> Self {
        match serde_json::to_value(body) {
            Ok(value) => self.body = Some(value),
            Err(e) => {
                self.problem
                    .get_or_insert(Error::validation("body", e.to_string()));
            }
        }
        self
    }

    /// Sends the request and decodes a successful answer as `T`.
    pub async fn send<T: DeserializeOwned>(self) -> Result<T, Error> {
        self.checked()?.read().await
    }

    /// Sends the request; an answer without a body (204, or an empty 2xx) is `None`,
    /// any other success is decoded as `T`.
    pub async fn send_optional<T: DeserializeOwned>(self) -> Result<Option<T>, Error> {
        self.checked()?.read_optional().await
    }

    /// Sends the request and returns the successful answer as it is (status, headers,
    /// body unread), for downloads and answers that are not JSON. An error status is
    /// an [`Error`], as for every other call.
    pub async fn send_response(self) -> Result<reqwest::Response, Error> {
        self.checked()?.send().await
    }

    /// The request to send, unless building it went wrong.
    fn checked(self) -> Result<ApiRequest<'a>, Error> {
        if let Some(problem) = self.problem {
            return Err(problem);
        }
        let request = self
            .client
            .request(self.api, self.method, &self.path, "raw_request")
            .query(self.query);
        Ok(match self.body {
            Some(body) => request.json(body),
            None => request,
        })
    }
}

/// A path below the base URL: starts with `/`, names no other host, does not climb out
/// with `..`, and has no query string or fragment of its own.
fn check_path(path: &str) -> Result<(), Error> {
    let problem = if !path.starts_with('/') {
        Some("must start with '/' (it is relative to the client's base URL)")
    } else if path.starts_with("//") {
        Some("may not start with '//' (that would name another host)")
    } else if path.contains('?') || path.contains('#') {
        Some("may not hold a query string or fragment; add parameters with .query(name, value)")
    } else if path.split('/').any(is_dot_segment) {
        Some("may not hold '.' or '..' segments (it must stay below the base URL)")
    } else if path.chars().any(|c| c.is_control() || c == ' ') {
        Some("may not hold spaces or control characters; percent-encode them")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(Error::validation("path", problem)),
        None => Ok(()),
    }
}

/// `.` or `..`, also percent-encoded (URL parsers read `%2e` as a dot in a segment).
fn is_dot_segment(segment: &str) -> bool {
    let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
    decoded == "." || decoded == ".."
}

#[cfg(test)]
mod tests {
    use super::check_path;

    #[test]
    fn paths_below_the_base_url_pass_and_others_are_named() {
        for ok in [
            "/me",
            "/users/0a3c/settings",
            "/timeentries/batch/setbillable",
        ] {
            assert!(check_path(ok).is_ok(), "{ok}");
        }
        for (bad, says) in [
            ("me", "must start with '/'"),
            ("https://evil.test/x", "must start with '/'"),
            ("//evil.test/x", "another host"),
            ("/me?x=1", "query string"),
            ("/me#top", "fragment"),
            ("/users/../../admin", "'..'"),
            ("/users/./x", "'..'"),
            ("/users/%2e%2E/admin", "'..'"),
            ("/users/.%2e", "'..'"),
            ("/a b", "spaces"),
        ] {
            let err = check_path(bad).unwrap_err().to_string();
            assert!(err.starts_with("invalid path: "), "{err}");
            assert!(err.contains(says), "{bad}: {err}");
        }
    }
}
