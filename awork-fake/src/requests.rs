//! The log of every request the fake received, so tests can check how a
//! client paces its calls (arrival times) and encodes them (raw paths and
//! query strings), which the per-route counters cannot show.

use std::time::Instant;

use axum::http::{HeaderMap, Request, header};

/// One request as the fake received it, before any fault, authentication or
/// routing decided its answer.
///
/// The credential itself is never kept, only whether one was sent, so that a
/// log printed by a failing test cannot leak an API key.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method, e.g. `GET`.
    pub method: String,
    /// The URL path exactly as received: base path included, percent-encoding
    /// untouched (e.g. `/api/v1/nowhere/caf%C3%A9`).
    pub path: String,
    /// The query string after `?` exactly as received, not decoded (`+` stays
    /// `+`, `%26` stays `%26`); `None` when the URL has no `?`.
    pub query: Option<String>,
    /// The `User-Agent` header, if sent; bytes that are not UTF-8 are
    /// replaced by U+FFFD rather than dropping the header.
    pub user_agent: Option<String>,
    /// Whether an `Authorization` header was sent, valid or not. Its value is
    /// never stored.
    pub has_authorization: bool,
    /// When the fake received the request: before injected latency is waited
    /// out, so the gaps between entries are the client's pacing.
    pub at: Instant,
}

impl RecordedRequest {
    /// What is worth keeping of `request`, received at `at`.
    fn of<B>(request: &Request<B>, at: Instant) -> Self {
        let uri = request.uri();
        Self {
            method: request.method().as_str().to_owned(),
            path: uri.path().to_owned(),
            query: uri.query().map(str::to_owned),
            user_agent: user_agent(request.headers()),
            has_authorization: request.headers().contains_key(header::AUTHORIZATION),
            at,
        }
    }
}

/// The `User-Agent` header as text, if present.
fn user_agent(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::USER_AGENT)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// Every request received since the start or the last [`RequestLog::clear`].
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    entries: Vec<RecordedRequest>,
}

impl RequestLog {
    /// Appends `request`, stamped with the current instant.
    ///
    /// The stamp is taken here, while the caller holds the log's lock, so
    /// that log order and `at` agree even for concurrent requests: a stamp
    /// taken before locking could be overtaken by a later one.
    pub(crate) fn record<B>(&mut self, request: &Request<B>) {
        self.entries
            .push(RecordedRequest::of(request, Instant::now()));
    }

    /// A copy of all entries, in arrival order.
    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        self.entries.clone()
    }

    /// Forgets every entry.
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(uri: &str) -> Request<()> {
        Request::builder()
            .method("DELETE")
            .uri(uri)
            .header(header::AUTHORIZATION, "Bearer secret-key")
            .body(())
            .unwrap()
    }

    #[test]
    fn keeps_raw_path_and_query_and_drops_the_credential() {
        let mut log = RequestLog::default();
        log.record(&request("/api/v1/caf%C3%A9?a=b+c&d=%26%23"));
        log.record(&request("/api/v1/timebookings"));
        let entries = log.snapshot();
        assert_eq!(entries[0].method, "DELETE");
        assert_eq!(entries[0].path, "/api/v1/caf%C3%A9");
        assert_eq!(entries[0].query.as_deref(), Some("a=b+c&d=%26%23"));
        assert_eq!(entries[1].query, None);
        assert!(entries.iter().all(|entry| entry.has_authorization));
        assert!(entries[0].at <= entries[1].at);
        assert!(!format!("{entries:?}").contains("secret-key"));
        log.clear();
        assert!(log.snapshot().is_empty());
    }

    #[test]
    fn user_agent_survives_bytes_that_are_not_utf8() {
        let mut headers = HeaderMap::new();
        assert_eq!(user_agent(&headers), None);
        let value = header::HeaderValue::from_bytes(b"probe/\xff1").unwrap();
        headers.insert(header::USER_AGENT, value);
        assert_eq!(user_agent(&headers).as_deref(), Some("probe/\u{fffd}1"));
    }
}
