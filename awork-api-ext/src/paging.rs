//! Any paged awork list as a `Stream` of items.
//!
//! awork pages with `page` (from 1) and `pageSize` (at most 1000) and answers a bare
//! JSON array, with the totals in headers (`aw-page`, `aw-pagesize`, `aw-items`,
//! `aw-totalitems`). One mechanism serves every paged operation: you pass a closure that
//! sends one page with the generated builder, and [`items`] / [`pages`] /
//! [`collect_all`] do the rest.
//!
//! ```no_run
//! # async fn demo(client: &awork_api::Client) -> Result<(), awork_api_ext::Error> {
//! use awork_api_ext::paging::{self, PageOptions};
//! let projects = paging::collect_all(PageOptions::default(), |page, size| {
//!     client.get_projects().page(page).page_size(size).send()
//! })
//! .await?;
//! # Ok(()) }
//! ```
//!
//! # When the listing ends
//!
//! * when the items seen reach `aw-totalitems`, or
//! * at the first empty page, or
//! * at [`PageOptions::max_items`].
//!
//! A page shorter than the page size does **not** end it: awork has been seen to send
//! short pages in the middle of a listing. As a guard against a server that never runs
//! dry, a listing whose total is known stops [`EXTRA_PAGES`] pages after the last page
//! the total implies.
//!
//! # Prefetch
//!
//! With [`PageOptions::prefetch`] above 1, once the first page tells the total, up to
//! that many following pages are requested at once; items still come out in page
//! order, and at most `prefetch` pages are held in memory.

use crate::{Error, headers};
use awork_api::ResponseValue;
use futures::stream::{FuturesOrdered, Stream, StreamExt, TryStreamExt};
use std::collections::VecDeque;
use std::future::Future;

/// awork's largest page.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// Pages fetched past the last page `aw-totalitems` implies before giving up.
pub const EXTRA_PAGES: u64 = 16;

/// How to walk a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageOptions {
    page_size: u32,
    max_items: Option<u64>,
    prefetch: usize,
    first_page: u32,
}

impl Default for PageOptions {
    /// Pages of 1000 from page 1, no cap, one request at a time.
    fn default() -> Self {
        Self {
            page_size: MAX_PAGE_SIZE,
            max_items: None,
            prefetch: 1,
            first_page: 1,
        }
    }
}

impl PageOptions {
    /// Items per request, 1 to 1000 (checked when the listing starts).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size;
        self
    }

    /// Stop after this many items.
    pub fn max_items(mut self, cap: u64) -> Self {
        self.max_items = Some(cap);
        self
    }

    /// Requests in flight once the total is known (1 = one after the other).
    pub fn prefetch(mut self, pages: usize) -> Self {
        self.prefetch = pages;
        self
    }

    /// Start at this page (1-based).
    pub fn first_page(mut self, page: u32) -> Self {
        self.first_page = page;
        self
    }

    /// Rejects settings awork or this module cannot honour.
    pub fn validate(&self) -> Result<(), Error> {
        if !(1..=MAX_PAGE_SIZE).contains(&self.page_size) {
            return Err(Error::validation(
                "page_size",
                format!("{} is outside 1..=1000", self.page_size),
            ));
        }
        if self.prefetch == 0 {
            return Err(Error::validation(
                "prefetch",
                "must be at least 1 (1 means one request at a time)",
            ));
        }
        if self.first_page == 0 {
            return Err(Error::validation("first_page", "pages are numbered from 1"));
        }
        Ok(())
    }
}

/// What the `aw-*` headers said about one page (each may be missing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// `aw-page`.
    pub page: Option<u64>,
    /// `aw-pagesize`.
    pub page_size: Option<u64>,
    /// `aw-items`: items in this page.
    pub items: Option<u64>,
    /// `aw-totalitems`: items in the whole listing.
    pub total_items: Option<u64>,
}

impl PageInfo {
    /// Reads the headers, ignoring any that are missing or not numbers.
    pub fn from_headers(map: &reqwest::header::HeaderMap) -> Self {
        Self {
            page: headers::number(map, headers::AW_PAGE),
            page_size: headers::number(map, headers::AW_PAGE_SIZE),
            items: headers::number(map, headers::AW_ITEMS),
            total_items: headers::number(map, headers::AW_TOTAL_ITEMS),
        }
    }
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The page number that was requested.
    pub number: u32,
    /// Its items (cut short at [`PageOptions::max_items`]).
    pub items: Vec<T>,
    /// What the headers said.
    pub info: PageInfo,
}

/// The walk's progress.
struct Walk<F, Fut: Future> {
    fetch: F,
    options: PageOptions,
    in_flight: FuturesOrdered<Fut>,
    /// Page numbers of the requests in flight, oldest first.
    numbers: VecDeque<u32>,
    next_page: u32,
    seen: u64,
    total: Option<u64>,
    done: bool,
}

impl<F, Fut, T, E> Walk<F, Fut>
where
    F: FnMut(i64, i64) -> Fut,
    Fut: Future<Output = Result<ResponseValue<Vec<T>>, awork_api::Error<E>>>,
    E: serde::Serialize,
{
    /// Pages still worth requesting given what is known: up to the cap and the total.
    fn last_useful_page(&self) -> Option<u64> {
        let size = u64::from(self.options.page_size);
        let by_total = self.total.map(|t| t.div_ceil(size));
        let by_cap = self.options.max_items.map(|c| c.div_ceil(size));
        let pages = match (by_total, by_cap) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }?;
        Some(u64::from(self.options.first_page) + pages.max(1) - 1)
    }

    /// Keeps the pipeline full: `prefetch` requests when the last page is known, else one.
    fn refill(&mut self) {
        let parallel = match (self.total, self.last_useful_page()) {
            (Some(_), Some(_)) => self.options.prefetch,
            _ => 1,
        };
        while self.in_flight.len() < parallel && !self.done {
            let within_plan = self
                .last_useful_page()
                .is_none_or(|last| u64::from(self.next_page) <= last);
            if !within_plan && !self.in_flight.is_empty() {
                break;
            }
            if self.beyond_guard() {
                self.done = true;
                break;
            }
            let request =
                (self.fetch)(i64::from(self.next_page), i64::from(self.options.page_size));
            self.in_flight.push_back(request);
            self.numbers.push_back(self.next_page);
            self.next_page += 1;
        }
    }

    fn beyond_guard(&self) -> bool {
        match (self.total, self.last_useful_page()) {
            (Some(_), Some(last)) => u64::from(self.next_page) > last + EXTRA_PAGES,
            _ => false,
        }
    }

    async fn next_page(&mut self) -> Option<Result<Page<T>, Error>> {
        if self.done && self.in_flight.is_empty() {
            return None;
        }
        self.refill();
        let result = self.in_flight.next().await?;
        let number = self.numbers.pop_front().unwrap_or(self.next_page);
        Some(self.accept(number, result).await)
    }

    async fn accept(
        &mut self,
        number: u32,
        result: Result<ResponseValue<Vec<T>>, awork_api::Error<E>>,
    ) -> Result<Page<T>, Error> {
        let value = match result {
            Ok(value) => value,
            Err(e) => {
                self.stop();
                return Err(Error::from_generated(e).await);
            }
        };
        let info = PageInfo::from_headers(value.headers());
        self.total = self.total.or(info.total_items);
        let mut items = value.into_inner();
        if items.is_empty() {
            self.stop();
        }
        if let Some(cap) = self.options.max_items {
            let room = usize::try_from(cap.saturating_sub(self.seen)).unwrap_or(usize::MAX);
            items.truncate(room);
        }
        self.seen += items.len() as u64;
        let reached_total = self.total.is_some_and(|t| self.seen >= t);
        let reached_cap = self.options.max_items.is_some_and(|c| self.seen >= c);
        if reached_total || reached_cap {
            self.stop();
        }
        Ok(Page {
            number,
            items,
            info,
        })
    }

    /// No new requests; requests already sent are dropped unread.
    fn stop(&mut self) {
        self.done = true;
        self.in_flight = FuturesOrdered::new();
        self.numbers.clear();
    }
}

/// Every page of a listing, in order. `fetch(page, page_size)` sends one request; the
/// numbers come as `i64`, the type awork's generated builders take.
pub fn pages<T, E, F, Fut>(
    options: PageOptions,
    fetch: F,
) -> impl Stream<Item = Result<Page<T>, Error>>
where
    F: FnMut(i64, i64) -> Fut,
    Fut: Future<Output = Result<ResponseValue<Vec<T>>, awork_api::Error<E>>>,
    E: serde::Serialize,
{
    let invalid = options.validate().err();
    let walk = Walk {
        fetch,
        options,
        in_flight: FuturesOrdered::new(),
        numbers: VecDeque::new(),
        next_page: options.first_page,
        seen: 0,
        total: None,
        done: false,
    };
    let first = futures::stream::iter(invalid.map(Err));
    let rest = futures::stream::unfold((walk, first_ok(&options)), |(mut walk, ok)| async move {
        if !ok {
            return None;
        }
        let page = walk.next_page().await?;
        Some((page, (walk, true)))
    });
    first.chain(rest)
}

fn first_ok(options: &PageOptions) -> bool {
    options.validate().is_ok()
}

/// Every item of a listing, in order (pages are fetched as the stream is read).
pub fn items<T, E, F, Fut>(options: PageOptions, fetch: F) -> impl Stream<Item = Result<T, Error>>
where
    F: FnMut(i64, i64) -> Fut,
    Fut: Future<Output = Result<ResponseValue<Vec<T>>, awork_api::Error<E>>>,
    E: serde::Serialize,
{
    pages(options, fetch)
        .map_ok(|page| futures::stream::iter(page.items.into_iter().map(Ok)))
        .try_flatten()
}

/// Every item of a listing in one `Vec`.
pub async fn collect_all<T, E, F, Fut>(options: PageOptions, fetch: F) -> Result<Vec<T>, Error>
where
    F: FnMut(i64, i64) -> Fut,
    Fut: Future<Output = Result<ResponseValue<Vec<T>>, awork_api::Error<E>>>,
    E: serde::Serialize,
{
    items(options, fetch).try_collect().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    #[test]
    fn page_info_reads_the_aw_headers_leniently() {
        let mut map = HeaderMap::new();
        map.insert("aw-page", HeaderValue::from_static("2"));
        map.insert("aw-totalitems", HeaderValue::from_static(" 2500 "));
        map.insert("aw-items", HeaderValue::from_static("many"));
        let info = PageInfo::from_headers(&map);
        assert_eq!(
            info,
            PageInfo {
                page: Some(2),
                page_size: None,
                items: None,
                total_items: Some(2500)
            }
        );
    }

    #[test]
    fn options_are_checked() {
        let field = |o: PageOptions| match o.validate() {
            Err(Error::Validation { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(PageOptions::default().page_size(0)), "page_size");
        assert_eq!(field(PageOptions::default().page_size(1001)), "page_size");
        assert_eq!(field(PageOptions::default().prefetch(0)), "prefetch");
        assert_eq!(field(PageOptions::default().first_page(0)), "first_page");
        assert!(
            PageOptions::default()
                .page_size(1000)
                .prefetch(8)
                .validate()
                .is_ok()
        );
    }
}
