//! The log of every request the fake received, so tests can check how a client paces
//! its calls (arrival times) and encodes them (raw paths and query strings), and the
//! per-route counts.

use std::collections::BTreeMap;
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
    counts: RequestCounts,
    total: u64,
}

/// Counts of requests, keyed by `(METHOD, route template)`.
///
/// v1 templates are relative to the v1 base path (`/timebookings/{timeBookingId}`); v2
/// templates keep their prefix (`/api/v2/timeentries/{timeEntryId}`). Requests to
/// unknown routes are counted under their literal path.
pub type RequestCounts = BTreeMap<(String, String), u64>;

impl RequestLog {
    /// Appends `request`, stamped with the current instant, and counts it under `route`.
    ///
    /// The stamp is taken here, while the caller holds the log's lock, so
    /// that log order and `at` agree even for concurrent requests: a stamp
    /// taken before locking could be overtaken by a later one.
    pub(crate) fn record<B>(&mut self, request: &Request<B>, route: &str) {
        self.entries
            .push(RecordedRequest::of(request, Instant::now()));
        *self
            .counts
            .entry(count_key(request.method().as_str(), route))
            .or_default() += 1;
        self.total += 1;
    }

    /// A copy of all entries, in arrival order.
    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        self.entries.clone()
    }

    /// Forgets every entry (the counts stay).
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }

    /// Requests seen for `method` on `route` (with or without the v1 base path).
    pub(crate) fn count(&self, method: &str, route: &str) -> u64 {
        self.counts
            .get(&count_key(method, route))
            .copied()
            .unwrap_or(0)
    }

    /// Requests seen in total.
    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    /// A copy of all per-route counts.
    pub(crate) fn counts(&self) -> RequestCounts {
        self.counts.clone()
    }

    /// Sets every count back to zero (the entries stay).
    pub(crate) fn reset_counts(&mut self) {
        self.counts.clear();
        self.total = 0;
    }
}

/// The requests a running fake received; from [`crate::FakeAwork::requests`].
#[derive(Debug, Clone, Copy)]
pub struct Requests<'f> {
    pub(crate) log: &'f std::sync::Mutex<RequestLog>,
}

impl Requests<'_> {
    /// Every request since the start or the last [`Self::clear`], in arrival order:
    /// also those answered by a fault, with 401, or with 404. For checking a client's
    /// pacing (`at`) and encoding (raw `path` and `query`).
    pub fn all(&self) -> Vec<RecordedRequest> {
        crate::sync::lock(self.log).snapshot()
    }

    /// Empties the log (the counts stay; see [`Self::reset_counts`]).
    pub fn clear(&self) {
        crate::sync::lock(self.log).clear();
    }

    /// Requests seen for `method` on a route template such as `/timebookings` or
    /// `/timebookings/{timeBookingId}` (the `/api/v1` prefix is optional; v2 routes
    /// keep theirs: `/api/v2/timeentries`). Unknown routes count under their path.
    pub fn count(&self, method: &str, route: &str) -> u64 {
        crate::sync::lock(self.log).count(method, route)
    }

    /// Requests seen in total, rejected and faulted ones included.
    pub fn total(&self) -> u64 {
        crate::sync::lock(self.log).total()
    }

    /// Every per-route count.
    pub fn counts(&self) -> RequestCounts {
        crate::sync::lock(self.log).counts()
    }

    /// Sets every count back to zero (the log stays; see [`Self::clear`]).
    pub fn reset_counts(&self) {
        crate::sync::lock(self.log).reset_counts();
    }
}

fn count_key(method: &str, route: &str) -> (String, String) {
    (
        method.to_ascii_uppercase(),
        relative_route(route).to_owned(),
    )
}

/// Strips the `/api/v1` base path, if present.
pub(crate) fn relative_route(route: &str) -> &str {
    match route.strip_prefix(crate::contract::BASE_PATH) {
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => route,
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
        log.record(
            &request("/api/v1/caf%C3%A9?a=b+c&d=%26%23"),
            "/api/v1/caf%C3%A9",
        );
        log.record(&request("/api/v1/timebookings"), "/api/v1/timebookings");
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
    fn counts_by_method_and_route_with_or_without_base_path() {
        let mut log = RequestLog::default();
        log.record(&request("/api/v1/timebookings"), "/api/v1/timebookings");
        log.record(&request("/api/v1/timebookings"), "/timebookings");
        assert_eq!(log.count("delete", "/timebookings"), 2);
        assert_eq!(log.count("DELETE", "/api/v1/timebookings"), 2);
        assert_eq!(log.count("GET", "/timebookings"), 0);
        assert_eq!(log.total(), 2);
        log.reset_counts();
        assert_eq!(log.total(), 0);
        assert_eq!(log.snapshot().len(), 2, "the entries stay");
    }

    #[test]
    fn relative_route_only_strips_a_whole_segment() {
        assert_eq!(relative_route("/api/v1/users"), "/users");
        assert_eq!(relative_route("/api/v10/users"), "/api/v10/users");
        assert_eq!(relative_route("/api/v1"), "/");
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
