//! The headers awork answers with, by name, and the readers that turn them into values:
//! page counts for the paging walk, the ids to quote to awork support, and the wait
//! awork names after a 429 or a 503, which the retry policy honours and an error reports.

use reqwest::header::{HeaderMap, HeaderName};
use std::time::{Duration, SystemTime};

/// Current page number of a list response.
pub(crate) const AW_PAGE: HeaderName = HeaderName::from_static("aw-page");
/// Page size the server applied.
pub(crate) const AW_PAGE_SIZE: HeaderName = HeaderName::from_static("aw-pagesize");
/// Items in this page.
pub(crate) const AW_ITEMS: HeaderName = HeaderName::from_static("aw-items");
/// Items matching the request across all pages (after filtering).
pub(crate) const AW_TOTAL_ITEMS: HeaderName = HeaderName::from_static("aw-totalitems");
/// awork's id for a request; quote it when reporting a problem to awork.
pub(crate) const TRACE_ID: HeaderName = HeaderName::from_static("trace-id");
/// The edge provider's id for a request; quote it together with the trace id.
pub(crate) const EDGE_REF: HeaderName = HeaderName::from_static("x-edge-ref");
/// Standard `Retry-After`: seconds or an HTTP date.
pub(crate) const RETRY_AFTER: HeaderName = HeaderName::from_static("retry-after");
/// Requests allowed in the current window.
pub(crate) const RATELIMIT_LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
/// Requests left in the current window.
pub(crate) const RATELIMIT_REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");
/// Seconds until the current window resets.
pub(crate) const RATELIMIT_RESET: HeaderName = HeaderName::from_static("ratelimit-reset");

/// Reads a header as a trimmed string. The names are [`HeaderName`] constants, so a
/// lookup (made on every answer) does not parse the name first.
pub(crate) fn text(headers: &HeaderMap, name: HeaderName) -> Option<&str> {
    headers
        .get(name)?
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Reads a header as an unsigned integer.
pub(crate) fn number(headers: &HeaderMap, name: HeaderName) -> Option<u64> {
    text(headers, name)?.parse().ok()
}

/// A wait awork named: a number of seconds, or a moment (an HTTP date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NamedWait {
    /// Wait this long.
    For(Duration),
    /// Wait until this moment.
    Until(SystemTime),
}

impl NamedWait {
    /// The wait from `now`; zero for a moment that has passed.
    pub(crate) fn from(self, now: SystemTime) -> Duration {
        match self {
            NamedWait::For(wait) => wait,
            NamedWait::Until(at) => at.duration_since(now).unwrap_or(Duration::ZERO),
        }
    }
}

/// The wait awork named, without reading any clock.
///
/// `Retry-After` wins when it is present and readable, as whole seconds or as an HTTP
/// date. Without it, awork's `ratelimit-reset` (seconds until the window resets) says
/// the same thing. `None` when the answer names no wait.
pub(crate) fn named_wait(headers: &HeaderMap) -> Option<NamedWait> {
    retry_after(headers).or_else(|| ratelimit_reset(headers).map(NamedWait::For))
}

/// `Retry-After` as seconds or as an HTTP date; `None` when absent or unreadable.
fn retry_after(headers: &HeaderMap) -> Option<NamedWait> {
    let value = text(headers, RETRY_AFTER)?;
    match value.parse::<u64>() {
        Ok(seconds) => Some(NamedWait::For(Duration::from_secs(seconds))),
        Err(_) => httpdate::parse_http_date(value).ok().map(NamedWait::Until),
    }
}

/// awork's `ratelimit-reset`: seconds until the rate-limit window starts over.
fn ratelimit_reset(headers: &HeaderMap) -> Option<Duration> {
    number(headers, RATELIMIT_RESET).map(Duration::from_secs)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    /// 2024-05-01 10:00:00 UTC.
    pub(crate) fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_714_557_600)
    }

    pub(crate) fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn wait(h: &HeaderMap) -> Option<Duration> {
        named_wait(h).map(|wait| wait.from(now()))
    }

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn retry_after_seconds_win_over_ratelimit_reset() {
        let h = headers(&[("retry-after", "7"), ("ratelimit-reset", "3")]);
        assert_eq!(wait(&h), Some(secs(7)));
    }

    #[test]
    fn ratelimit_reset_is_used_without_retry_after() {
        let h = headers(&[("ratelimit-reset", "3")]);
        assert_eq!(wait(&h), Some(secs(3)));
    }

    #[test]
    fn an_unreadable_retry_after_falls_back_to_ratelimit_reset() {
        let h = headers(&[("retry-after", "soon"), ("ratelimit-reset", "4")]);
        assert_eq!(wait(&h), Some(secs(4)));
        assert_eq!(wait(&headers(&[("retry-after", "-1")])), None);
    }

    #[test]
    fn an_http_date_is_read_against_the_given_clock() {
        let h = headers(&[("retry-after", "Wed, 01 May 2024 10:00:05 GMT")]);
        assert_eq!(wait(&h), Some(secs(5)));
    }

    #[test]
    fn an_http_date_in_the_past_means_now() {
        let h = headers(&[("retry-after", "Wed, 01 May 2024 09:59:00 GMT")]);
        assert_eq!(wait(&h), Some(Duration::ZERO));
    }

    #[test]
    fn no_hint_gives_none() {
        assert_eq!(wait(&HeaderMap::new()), None);
    }

    #[test]
    fn readers_trim_and_treat_garbage_as_absent() {
        let h = headers(&[("aw-items", " 12 "), ("aw-page", "x"), ("trace-id", " ")]);
        assert_eq!(number(&h, AW_ITEMS), Some(12));
        assert_eq!(number(&h, AW_PAGE), None);
        assert_eq!(text(&h, TRACE_ID), None);
    }
}
