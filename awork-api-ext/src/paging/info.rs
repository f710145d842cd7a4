//! What one page is: its items, and what awork's `aw-*` headers said about it.

use crate::http::headers;
use reqwest::header::{HeaderMap, HeaderName};

/// What the `aw-*` headers of one answer said. Every field is optional because awork
/// does not promise them on every operation and a proxy may strip them; a value that is
/// not a whole number that fits is treated as absent rather than failing the walk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// `aw-page`: the page the server says it served.
    pub page: Option<u32>,
    /// `aw-pagesize`: the page size the server applied.
    pub page_size: Option<u32>,
    /// `aw-items`: items in this page as sent (before any [`PageOptions::max_items`](super::PageOptions::max_items) cut).
    pub items: Option<u64>,
    /// `aw-totalitems`: items matching the request across all pages, after filtering.
    pub total_items: Option<u64>,
}

impl PageInfo {
    /// Reads the `aw-*` headers of a list answer.
    pub fn from_headers(map: &HeaderMap) -> Self {
        Self {
            page: small_number(map, headers::AW_PAGE),
            page_size: small_number(map, headers::AW_PAGE_SIZE),
            items: headers::number(map, headers::AW_ITEMS),
            total_items: headers::number(map, headers::AW_TOTAL_ITEMS),
        }
    }
}

/// A header holding a page number or size, which must fit a `u32`.
fn small_number(map: &HeaderMap, name: HeaderName) -> Option<u32> {
    headers::number(map, name).and_then(|n| u32::try_from(n).ok())
}

/// One page of a listing, for callers that want the headers along with the items.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The page number that was requested (1-based); known even when `aw-page` is not.
    pub number: u32,
    /// The items, in the server's order. Never empty; the last page may be cut short
    /// by [`PageOptions::max_items`](super::PageOptions::max_items).
    pub items: Vec<T>,
    /// What the server's headers said about this page.
    pub info: PageInfo,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::headers::tests::headers as header_map;

    #[test]
    fn page_info_reads_all_four_headers() {
        let map = header_map(&[
            ("aw-page", "2"),
            ("aw-pagesize", "1000"),
            ("aw-items", "500"),
            ("aw-totalitems", " 1500 "),
        ]);
        let info = PageInfo::from_headers(&map);
        assert_eq!(
            info,
            PageInfo {
                page: Some(2),
                page_size: Some(1000),
                items: Some(500),
                total_items: Some(1500)
            }
        );
    }

    #[test]
    fn page_info_treats_missing_or_garbled_headers_as_absent() {
        assert_eq!(
            PageInfo::from_headers(&HeaderMap::new()),
            PageInfo::default()
        );
        let map = header_map(&[
            ("aw-page", "5000000000"),
            ("aw-pagesize", "-1"),
            ("aw-items", "1.5"),
            ("aw-totalitems", "many"),
        ]);
        assert_eq!(PageInfo::from_headers(&map), PageInfo::default());
        let map = header_map(&[("aw-totalitems", ""), ("aw-items", "7")]);
        assert_eq!(
            PageInfo::from_headers(&map),
            PageInfo {
                items: Some(7),
                ..PageInfo::default()
            }
        );
    }
}
