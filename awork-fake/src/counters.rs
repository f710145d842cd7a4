//! Request counters keyed by HTTP method and route template.

use std::collections::BTreeMap;

use crate::routes::BASE_PATH;

/// Counts of requests, keyed by `(METHOD, route template)`.
///
/// Route templates are relative to the v1 base path, e.g. `/timebookings`
/// or `/timebookings/{timeBookingId}`; v2 templates keep their prefix, e.g.
/// `/api/v2/timeentries/{timeEntryId}`. Requests to unknown routes are
/// counted under their literal path.
pub type RequestCounts = BTreeMap<(String, String), u64>;

/// Every request the fake has seen, including rejected and faulted ones.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    by_route: RequestCounts,
    total: u64,
}

impl Counters {
    /// Records one request.
    pub(crate) fn record(&mut self, method: &str, route: &str) {
        let key = (
            method.to_ascii_uppercase(),
            relative_route(route).to_owned(),
        );
        *self.by_route.entry(key).or_default() += 1;
        self.total += 1;
    }

    /// Requests seen for `method` on `route` (with or without the base path).
    pub(crate) fn count(&self, method: &str, route: &str) -> u64 {
        let key = (
            method.to_ascii_uppercase(),
            relative_route(route).to_owned(),
        );
        self.by_route.get(&key).copied().unwrap_or(0)
    }

    /// Requests seen in total.
    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    /// A copy of all per-route counts.
    pub(crate) fn snapshot(&self) -> RequestCounts {
        self.by_route.clone()
    }

    /// Forgets everything counted so far.
    pub(crate) fn reset(&mut self) {
        *self = Self::default();
    }
}

/// Strips the `/api/v1` base path, if present.
pub(crate) fn relative_route(route: &str) -> &str {
    match route.strip_prefix(BASE_PATH) {
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => route,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_method_and_route_with_or_without_base_path() {
        let mut counters = Counters::default();
        counters.record("post", "/api/v1/timebookings");
        counters.record("POST", "/timebookings");
        counters.record("GET", "/api/v1/timebookings");
        assert_eq!(counters.count("POST", "/timebookings"), 2);
        assert_eq!(counters.count("post", "/api/v1/timebookings"), 2);
        assert_eq!(counters.count("GET", "/timebookings"), 1);
        assert_eq!(counters.count("DELETE", "/timebookings"), 0);
        assert_eq!(counters.total(), 3);
        counters.reset();
        assert_eq!(counters.total(), 0);
    }

    #[test]
    fn relative_route_only_strips_a_whole_segment() {
        assert_eq!(relative_route("/api/v1/users"), "/users");
        assert_eq!(relative_route("/api/v10/users"), "/api/v10/users");
        assert_eq!(relative_route("/api/v1"), "/");
    }
}
