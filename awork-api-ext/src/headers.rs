//! Names of the HTTP headers awork uses, and the one this crate adds.

/// Current page number of a list response.
pub const AW_PAGE: &str = "aw-page";
/// Page size the server applied.
pub const AW_PAGE_SIZE: &str = "aw-pagesize";
/// Items in this page.
pub const AW_ITEMS: &str = "aw-items";
/// Items matching the request across all pages (after filtering).
pub const AW_TOTAL_ITEMS: &str = "aw-totalitems";
/// awork's id for a request; quote it when reporting a problem to awork.
pub const TRACE_ID: &str = "trace-id";
/// The edge provider's id for a request; quote it together with the trace id.
pub const EDGE_REF: &str = "x-edge-ref";
/// Standard `Retry-After`: seconds or an HTTP date.
pub const RETRY_AFTER: &str = "retry-after";
/// Requests allowed in the current window.
pub const RATELIMIT_LIMIT: &str = "ratelimit-limit";
/// Requests left in the current window.
pub const RATELIMIT_REMAINING: &str = "ratelimit-remaining";
/// Seconds until the current window resets.
pub const RATELIMIT_RESET: &str = "ratelimit-reset";
/// Set by this crate's transport on the final response: how many attempts were made.
/// awork never sends it; it lets errors say how often a request was tried.
pub const ATTEMPTS: &str = "x-awork-rs-attempts";

/// Reads a header as a trimmed string.
pub fn text<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)?
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Reads a header as an unsigned integer.
pub fn number(headers: &reqwest::header::HeaderMap, name: &str) -> Option<u64> {
    text(headers, name)?.parse().ok()
}
