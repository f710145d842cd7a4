//! Names of the HTTP headers awork uses.

/// Current page number of a list response.
pub(crate) const AW_PAGE: &str = "aw-page";
/// Page size the server applied.
pub(crate) const AW_PAGE_SIZE: &str = "aw-pagesize";
/// Items in this page.
pub(crate) const AW_ITEMS: &str = "aw-items";
/// Items matching the request across all pages (after filtering).
pub(crate) const AW_TOTAL_ITEMS: &str = "aw-totalitems";
/// awork's id for a request; quote it when reporting a problem to awork.
pub(crate) const TRACE_ID: &str = "trace-id";
/// The edge provider's id for a request; quote it together with the trace id.
pub(crate) const EDGE_REF: &str = "x-edge-ref";
/// Standard `Retry-After`: seconds or an HTTP date.
pub(crate) const RETRY_AFTER: &str = "retry-after";
/// Requests allowed in the current window.
pub(crate) const RATELIMIT_LIMIT: &str = "ratelimit-limit";
/// Requests left in the current window.
pub(crate) const RATELIMIT_REMAINING: &str = "ratelimit-remaining";
/// Seconds until the current window resets.
pub(crate) const RATELIMIT_RESET: &str = "ratelimit-reset";
/// Reads a header as a trimmed string.
pub(crate) fn text<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)?
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Reads a header as an unsigned integer.
pub(crate) fn number(headers: &reqwest::header::HeaderMap, name: &str) -> Option<u64> {
    text(headers, name)?.parse().ok()
}
