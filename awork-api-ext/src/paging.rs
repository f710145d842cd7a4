//! Walking awork's paged lists as one stream, without losing or repeating items.
//!
//! About ninety awork operations answer a list one page at a time: a bare JSON array,
//! chosen by the `page` (from 1) and `pageSize` (at most 1000) query parameters, plus
//! `aw-*` headers that say which page it was and how many items match in total. Walking
//! such a list by hand is easy to get subtly wrong: awork has been seen answering a page
//! shorter than `pageSize` in the middle of a listing, so "a short page is the last one"
//! silently drops data. This module does the walk once, for every paged operation.
//!
//! The usual way in is a chain on the generated builder, from [`crate::prelude`]:
//! `.stream(options)` for the items, `.pages(options)` for the pages with their
//! headers, `.collect_all(options)` for one `Vec`. The builder's filters and ordering
//! are kept for every page. For a request of your own, [`items`], [`pages`] and
//! [`collect_all`] take a closure that sends one page.
//!
//! ```no_run
//! use awork_api_ext::prelude::*;
//! use futures::TryStreamExt;
//!
//! # async fn demo(client: &awork_api_ext::AworkClient) -> Result<(), awork_api_ext::Error> {
//! let filter = "userId eq guid'0a3c0de0-fa4e-4a11-8000-000000000001'";
//! let bookings = client
//!     .api()
//!     .get_time_bookings()
//!     .filterby(filter)
//!     .orderby("startDate desc")
//!     .stream(PageOptions::new().prefetch(4));
//! // Like most streams built from `async` code, this one has to be pinned before
//! // `next`/`try_next` can be called on it.
//! let mut bookings = std::pin::pin!(bookings);
//! while let Some(booking) = bookings.try_next().await? {
//!     println!("{:?}", booking.id);
//! }
//!
//! // The same walk over a closure that sends one page.
//! let api = client.api();
//! let first_ten = awork_api_ext::paging::collect_all(
//!     PageOptions::new().max_items(10),
//!     |page, size| api.get_time_bookings().page(page).page_size(size).send(),
//! )
//! .await?;
//! println!("{} bookings", first_ten.len());
//! # Ok(()) }
//! ```
//!
//! # When the walk stops
//!
//! After each page, in this order:
//!
//! 1. An **empty page** ends the walk (it is not yielded): the server has nothing more.
//! 2. Once **[`PageOptions::max_items`]** items have been yielded the walk ends; the page
//!    that crosses the cap is cut short, and no page beyond it is ever requested.
//! 3. Once as many items have been seen as **`aw-totalitems`** announced (the latest
//!    value counts, so a listing that shrinks or grows while it is walked is followed),
//!    the walk ends without asking for another page. When the walk starts past page 1,
//!    the items that full pages before it would hold are subtracted from the total.
//! 4. A page with fewer items than `pageSize` does **not** end the walk by itself: the
//!    next page is asked for, until rule 1 or 3 applies.
//! 5. Guard against a server that never gets there: when the total is known and needs
//!    `n` pages, the walk gives up (with a `tracing` warning) after page `2n + 1`
//!    (counted from [`PageOptions::first_page`]), so short pages can cost at most as many
//!    extra requests as the listing itself plus one. The page size used for `n` is the
//!    `aw-pagesize` the server answered when that is smaller than the one asked for.
//!    Without an `aw-totalitems` header the walk goes on until an empty page.
//! 6. Whatever the headers say, a walk that has sent [`PageOptions::max_requests`]
//!    page requests (default [`DEFAULT_MAX_REQUESTS`]) without ending yields the last
//!    page, then [`Error::Paging`]: a server or proxy that ignores `page` and repeats
//!    the same items would otherwise be walked forever.
//!
//! With [`PageOptions::max_items`] below the page size, the walk asks for pages of
//! exactly that many items.
//!
//! An error (HTTP, transport, undecodable body) is yielded as the stream's last item.
//!
//! # Prefetch
//!
//! With [`PageOptions::prefetch`] above 1, the pages that the first page's total says
//! are still needed are requested concurrently, at most `prefetch` at a time, and
//! yielded strictly in page order. At most `prefetch` pages are in flight or waiting
//! for their turn, plus the one being read, so memory is bounded by about
//! `(prefetch + 1) × page size` items, whatever the total. If short pages leave
//! items missing after the last planned page, the walk goes on one page at a time.
//! Without an `aw-totalitems` header nothing can be planned and every page is fetched
//! after the previous one.
//!
use crate::Error;
use crate::http::{attempts, headers};
use awork_api::ResponseValue;
use futures::stream::{self, FuturesOrdered, Stream, StreamExt, TryStreamExt};
use reqwest::header::HeaderMap;
use std::future::{self as std_future, Future};

/// The largest page awork serves. It is also the default: fewer, larger requests keep a
/// walk well inside awork's rate limits.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// How to walk a listing: page size, where to start, when to stop early and how many
/// requests may run at once.
///
/// The setters never fail, so options can be built in one expression; the values are
/// checked by [`PageOptions::validate`], which every walk calls before its first request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageOptions {
    page_size: u32,
    max_items: Option<u64>,
    prefetch: usize,
    first_page: u32,
    max_requests: u32,
}

/// How many page requests a walk sends at most by default (see
/// [`PageOptions::max_requests`]): a million items at the largest page size.
pub const DEFAULT_MAX_REQUESTS: u32 = 1_000;

impl Default for PageOptions {
    /// Pages of 1000 from page 1, no cap, one request at a time.
    fn default() -> Self {
        Self {
            page_size: MAX_PAGE_SIZE,
            max_items: None,
            prefetch: 1,
            first_page: 1,
            max_requests: DEFAULT_MAX_REQUESTS,
        }
    }
}

impl PageOptions {
    /// The defaults: pages of 1000 from page 1, no cap, one request at a time.
    pub fn new() -> Self {
        Self::default()
    }

    /// Items per request, 1 to 1000. Smaller pages only make sense to get the first
    /// items sooner or to keep each answer small; they cost more requests.
    #[must_use]
    pub fn page_size(self, page_size: u32) -> Self {
        Self { page_size, ..self }
    }

    /// Yields at most this many items in total and never requests a page that is not
    /// needed to reach them. 0 is allowed and yields nothing without a request.
    #[must_use]
    pub fn max_items(self, max_items: u64) -> Self {
        Self {
            max_items: Some(max_items),
            ..self
        }
    }

    /// How many page requests may be in flight at once once the total is known; 1 (the
    /// default) walks one page after the other. Higher values trade memory (about
    /// `prefetch + 1` pages held at once) and load on awork for less waiting.
    #[must_use]
    pub fn prefetch(self, prefetch: usize) -> Self {
        Self { prefetch, ..self }
    }

    /// The page to start from (1-based), e.g. to resume a walk that was interrupted.
    #[must_use]
    pub fn first_page(self, first_page: u32) -> Self {
        Self { first_page, ..self }
    }

    /// Gives up with [`Error::Paging`] after this many page requests (default
    /// [`DEFAULT_MAX_REQUESTS`]) if the listing has not ended by then. It protects
    /// against a server or proxy that ignores `page` and answers every request with
    /// the same items: without an `aw-totalitems` header such a walk would never end.
    #[must_use]
    pub fn max_requests(self, max_requests: u32) -> Self {
        Self {
            max_requests,
            ..self
        }
    }

    /// The page size the walk asks for: the one set, or the cap when it is smaller
    /// (a walk for 3 items asks for pages of 3, not 1000). Only from page 1: a later
    /// first page is counted in pages of the size set, so that size must stay.
    fn request_size(&self) -> u32 {
        match self.max_items {
            Some(cap) if cap > 0 && self.first_page == 1 => {
                u32::try_from(cap).map_or(self.page_size, |cap| cap.min(self.page_size))
            }
            _ => self.page_size,
        }
    }

    /// Checks the options; the walk functions call this before any request, so calling
    /// it yourself only moves the error earlier.
    pub fn validate(&self) -> Result<(), Error> {
        if !(1..=MAX_PAGE_SIZE).contains(&self.page_size) {
            let problem = format!("{} is not between 1 and {MAX_PAGE_SIZE}", self.page_size);
            return Err(Error::validation("page_size", problem));
        }
        if self.prefetch == 0 {
            let problem =
                "0 requests at a time would never fetch a page; 1 fetches one after the other";
            return Err(Error::validation("prefetch", problem));
        }
        if self.first_page == 0 {
            return Err(Error::validation("first_page", "pages are numbered from 1"));
        }
        if self.max_requests == 0 {
            let problem = "0 requests would never fetch a page";
            return Err(Error::validation("max_requests", problem));
        }
        Ok(())
    }
}

/// What the `aw-*` headers of one answer said. Every field is optional because awork
/// does not promise them on every operation and a proxy may strip them; a value that is
/// not a whole number that fits is treated as absent rather than failing the walk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// `aw-page`: the page the server says it served.
    pub page: Option<u32>,
    /// `aw-pagesize`: the page size the server applied.
    pub page_size: Option<u32>,
    /// `aw-items`: items in this page as sent (before any [`PageOptions::max_items`] cut).
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
fn small_number(map: &HeaderMap, name: &str) -> Option<u32> {
    headers::number(map, name).and_then(|n| u32::try_from(n).ok())
}

/// One page of a listing, for callers that want the headers along with the items.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The page number that was requested (1-based); known even when `aw-page` is not.
    pub number: u32,
    /// The items, in the server's order. Never empty; the last page may be cut short
    /// by [`PageOptions::max_items`].
    pub items: Vec<T>,
    /// What the server's headers said about this page.
    pub info: PageInfo,
}

/// Streams the pages of a listing, in order; see the [module docs](self) for the stop
/// rules. `fetch(page, page_size)` sends the request for one page; it is first called
/// when the stream is first polled, after the options were checked.
#[must_use = "streams do nothing unless polled"]
pub fn pages<T, E, F, Fut>(
    options: PageOptions,
    fetch: F,
) -> impl Stream<Item = Result<Page<T>, Error>>
where
    F: FnMut(u32, u32) -> Fut,
    Fut: Future<Output = Result<ResponseValue<Vec<T>>, awork_api::Error<E>>>,
    E: crate::error::TypedErrorBody,
{
    let mut fetch = fetch;
    let counted = move |page, size| attempts::counted(fetch(page, size));
    stream::unfold(Walk::new(options, counted), |mut walk| async move {
        let next = walk.next_page().await?;
        Some((next, walk))
    })
}

/// Streams the items of a listing, in order, holding one page at a time (up to
/// `prefetch` more with prefetch); see [`pages`].
#[must_use = "streams do nothing unless polled"]
pub fn items<T, E, F, Fut>(options: PageOptions, fetch: F) -> impl Stream<Item = Result<T, Error>>
where
    F: FnMut(u32, u32) -> Fut,
    Fut: Future<Output = Result<ResponseValue<Vec<T>>, awork_api::Error<E>>>,
    E: crate::error::TypedErrorBody,
{
    pages(options, fetch)
        .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
        .try_flatten()
}

/// Fetches the whole listing (up to [`PageOptions::max_items`]) into one `Vec`, or the
/// first error. Memory grows with the listing; use [`items`] to process it as it comes.
pub async fn collect_all<T, E, F, Fut>(options: PageOptions, fetch: F) -> Result<Vec<T>, Error>
where
    F: FnMut(u32, u32) -> Fut,
    Fut: Future<Output = Result<ResponseValue<Vec<T>>, awork_api::Error<E>>>,
    E: crate::error::TypedErrorBody,
{
    pages(options, fetch)
        .try_fold(Vec::new(), |mut all, page| {
            all.extend(page.items);
            std_future::ready(Ok(all))
        })
        .await
}

/// The state of one walk: what was asked for, what is in flight, what was seen.
struct Walk<F, Fut: Future> {
    options: PageOptions,
    fetch: F,
    /// Requests sent and not yet consumed, answered in the order they were sent.
    in_flight: FuturesOrdered<Fut>,
    /// The page to request next; `None` once page numbers ran out.
    next_request: Option<u32>,
    /// The page the next answer out of `in_flight` belongs to.
    next_answer: u32,
    /// The last page worth requesting concurrently, once the total is known.
    plan_end: Option<u32>,
    /// Items yielded so far.
    seen: u64,
    /// The latest `aw-totalitems`.
    total: Option<u64>,
    /// Items per full page: the requested size, or the server's if it applied less.
    served_size: u32,
    /// Page requests answered so far.
    requests: u32,
    /// The page size asked for: the options', or less when the cap needs less.
    request_size: u32,
    /// The options' problem, yielded instead of any page.
    rejected: Option<Error>,
    finished: bool,
}

/// What one page request comes back with: the answer and what the transport noted.
type Answer<T, E> = (
    Result<ResponseValue<Vec<T>>, awork_api::Error<E>>,
    attempts::Tally,
);

impl<F, Fut, T, E> Walk<F, Fut>
where
    F: FnMut(u32, u32) -> Fut,
    Fut: Future<Output = Answer<T, E>>,
    E: crate::error::TypedErrorBody,
{
    fn new(options: PageOptions, fetch: F) -> Self {
        Self {
            options,
            fetch,
            in_flight: FuturesOrdered::new(),
            next_request: Some(options.first_page),
            next_answer: options.first_page,
            plan_end: None,
            seen: 0,
            total: None,
            served_size: options.request_size(),
            requests: 0,
            request_size: options.request_size(),
            rejected: options.validate().err(),
            finished: options.max_items == Some(0),
        }
    }

    /// The next page to yield, the error that ends the walk, or `None` when it is over.
    async fn next_page(&mut self) -> Option<Result<Page<T>, Error>> {
        if let Some(problem) = self.rejected.take() {
            self.finish();
            return Some(Err(problem));
        }
        if self.finished {
            return None;
        }
        self.send_requests();
        let (answer, tally) = self.in_flight.next().await?;
        let number = self.next_answer;
        self.next_answer = number.saturating_add(1);
        self.requests = self.requests.saturating_add(1);
        match answer {
            Ok(response) => self.accept(number, response),
            Err(error) => {
                self.finish();
                Some(Err(tally.error(Error::from_generated(error).await)))
            }
        }
    }

    /// Fills the window of concurrent requests: `prefetch` wide inside the plan, one at
    /// a time outside it (before the total is known, and after short pages).
    fn send_requests(&mut self) {
        while self.in_flight.len() < self.window() {
            let Some(page) = self.next_request else {
                break;
            };
            self.next_request = page.checked_add(1);
            self.in_flight
                .push_back((self.fetch)(page, self.request_size));
        }
    }

    fn window(&self) -> usize {
        match (self.plan_end, self.next_request) {
            (Some(end), Some(next)) if next <= end => self.options.prefetch,
            _ => 1,
        }
    }

    /// Turns an answer into the page to yield (`None` for an empty page, which ends the
    /// walk) and decides whether the walk goes on.
    fn accept(
        &mut self,
        number: u32,
        response: ResponseValue<Vec<T>>,
    ) -> Option<Result<Page<T>, Error>> {
        let info = PageInfo::from_headers(response.headers());
        let mut items = response.into_inner();
        if items.is_empty() {
            tracing::debug!(page = number, "empty page: the listing is complete");
            self.finish();
            return None;
        }
        self.learn(&info);
        items.truncate(self.room_left());
        self.seen = self.seen.saturating_add(items.len() as u64);
        if self.is_complete(number) {
            self.finish();
        } else if let Some(error) = self.runaway() {
            // Yielded on the next poll, which also cancels what is in flight.
            self.rejected = Some(error);
        } else {
            self.make_plan();
        }
        Some(Ok(Page {
            number,
            items,
            info,
        }))
    }

    /// Keeps what the headers tell about the whole listing.
    fn learn(&mut self, info: &PageInfo) {
        if let Some(total) = info.total_items {
            self.total = Some(total);
        }
        if let Some(size) = info
            .page_size
            .filter(|size| (1..self.request_size).contains(size))
        {
            self.served_size = size;
        }
    }

    /// How many more items the cap allows.
    fn room_left(&self) -> usize {
        self.options.max_items.map_or(usize::MAX, |cap| {
            usize::try_from(cap.saturating_sub(self.seen)).unwrap_or(usize::MAX)
        })
    }

    /// Items this walk should see according to the total: those at or after the first
    /// page's place in the listing.
    fn expected_items(&self) -> Option<u64> {
        let skipped =
            u64::from(self.options.first_page.saturating_sub(1)) * u64::from(self.served_size);
        Some(self.total?.saturating_sub(skipped))
    }

    /// The stop rules after `number` was accepted (empty pages are handled before).
    fn is_complete(&self, number: u32) -> bool {
        if self.options.max_items.is_some_and(|cap| self.seen >= cap) {
            return true;
        }
        let Some(expected) = self.expected_items() else {
            return false;
        };
        if self.seen >= expected {
            return true;
        }
        let spare_pages = self.pages_for(expected).saturating_add(1);
        let limit = self.last_page_for(expected).saturating_add(spare_pages);
        let runaway = u64::from(number) >= limit;
        if runaway {
            tracing::warn!(
                page = number,
                seen = self.seen,
                expected,
                "awork keeps sending pages without reaching the announced total; stopping"
            );
        }
        runaway
    }

    /// The error that ends a walk which used up [`PageOptions::max_requests`] without
    /// reaching an end; the page that used the last request is still yielded first.
    fn runaway(&mut self) -> Option<Error> {
        if self.requests < self.options.max_requests {
            return None;
        }
        let problem = match self.total {
            Some(total) => format!(
                "{} items seen of the {total} announced; raise PageOptions::max_requests if the listing is really this long",
                self.seen
            ),
            None => format!(
                "{} items seen, no aw-totalitems header and no empty page; the server (or a proxy) may ignore the page parameter; raise PageOptions::max_requests if the listing is really this long",
                self.seen
            ),
        };
        Some(Error::Paging {
            requests: self.requests,
            problem,
        })
    }

    /// Once the total is known, the last page that full pages need to reach it (or the
    /// cap): the pages up to there are worth requesting concurrently.
    fn make_plan(&mut self) {
        if self.plan_end.is_some() {
            return;
        }
        let Some(expected) = self.expected_items() else {
            return;
        };
        let target = self
            .options
            .max_items
            .map_or(expected, |cap| cap.min(expected));
        self.plan_end = Some(u32::try_from(self.last_page_for(target)).unwrap_or(u32::MAX));
    }

    fn pages_for(&self, items: u64) -> u64 {
        items.div_ceil(u64::from(self.served_size.max(1)))
    }

    /// The number of the page that holds item `items` when every page is full.
    fn last_page_for(&self, items: u64) -> u64 {
        u64::from(self.options.first_page.saturating_sub(1)).saturating_add(self.pages_for(items))
    }

    /// Ends the walk; dropping the requests still in flight cancels them.
    fn finish(&mut self) {
        self.finished = true;
        self.in_flight = FuturesOrdered::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;
    use reqwest::header::HeaderValue;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn header_map(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

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

    fn rejected_field(options: PageOptions) -> Option<String> {
        match options.validate() {
            Ok(()) => None,
            Err(Error::Validation { field, .. }) => Some(field),
            Err(other) => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn options_are_checked_field_by_field() {
        assert_eq!(rejected_field(PageOptions::default()), None);
        assert_eq!(
            rejected_field(PageOptions::new().page_size(1).max_items(0)),
            None
        );
        assert_eq!(
            rejected_field(PageOptions::new().page_size(0)).as_deref(),
            Some("page_size")
        );
        assert_eq!(
            rejected_field(PageOptions::new().page_size(1001)).as_deref(),
            Some("page_size")
        );
        assert_eq!(
            rejected_field(PageOptions::new().prefetch(0)).as_deref(),
            Some("prefetch")
        );
        assert_eq!(
            rejected_field(PageOptions::new().first_page(0)).as_deref(),
            Some("first_page")
        );
        let message = PageOptions::new()
            .page_size(1001)
            .validate()
            .unwrap_err()
            .to_string();
        assert_eq!(message, "invalid page_size: 1001 is not between 1 and 1000");
    }

    type Answer = Result<ResponseValue<Vec<u64>>, awork_api::Error<()>>;

    /// An in-memory listing of the numbers `0..total`, paged like awork pages, with
    /// switches for the ways a server can misbehave. It records every request.
    #[derive(Default)]
    struct Listing {
        total: u64,
        hide_total: bool,
        /// Announces this total instead of the real one.
        claimed_total: Option<u64>,
        /// Serves at most this many items per page, whatever was asked.
        server_page_size: Option<u32>,
        /// Whether `aw-pagesize` tells the server's page size (else it echoes the request).
        announce_server_page_size: bool,
        fail_on: Option<u32>,
        /// Answers every page with page 1's items (a server that ignores `page`).
        ignores_paging: bool,
        /// The page sizes asked for, in order.
        sizes: Mutex<Vec<u32>>,
        /// Page `p` answers after `60 - p` turns of the executor instead of one, so later
        /// pages finish first.
        later_pages_faster: bool,
        requests: Mutex<Vec<u32>>,
        /// Pages in the order their answers were ready.
        finished: Mutex<Vec<u32>>,
        running: AtomicUsize,
        most_running: AtomicUsize,
    }

    impl Listing {
        fn of(total: u64) -> Self {
            Self {
                total,
                ..Self::default()
            }
        }

        fn requests(&self) -> Vec<u32> {
            self.requests.lock().unwrap().clone()
        }

        async fn answer(&self, page: u32, size: u32) -> Answer {
            self.requests.lock().unwrap().push(page);
            self.sizes.lock().unwrap().push(size);
            let running = self.running.fetch_add(1, Ordering::SeqCst) + 1;
            self.most_running.fetch_max(running, Ordering::SeqCst);
            let turns = if self.later_pages_faster {
                60u32.saturating_sub(page).max(1)
            } else {
                1
            };
            for _ in 0..turns {
                tokio::task::yield_now().await;
            }
            self.running.fetch_sub(1, Ordering::SeqCst);
            self.finished.lock().unwrap().push(page);
            if self.fail_on == Some(page) {
                let status = StatusCode::INTERNAL_SERVER_ERROR;
                return Err(awork_api::Error::ErrorResponse(ResponseValue::new(
                    (),
                    status,
                    HeaderMap::new(),
                )));
            }
            let page = if self.ignores_paging { 1 } else { page };
            Ok(self.page(page, size))
        }

        fn page(&self, page: u32, size: u32) -> ResponseValue<Vec<u64>> {
            let served = self.server_page_size.map_or(size, |cap| cap.min(size));
            let start = (u64::from(page) - 1) * u64::from(served);
            let items: Vec<u64> = (start..(start + u64::from(served)).min(self.total)).collect();
            let announced = if self.announce_server_page_size {
                served
            } else {
                size
            };
            let mut map = header_map(&[
                ("aw-page", page.to_string().as_str()),
                ("aw-pagesize", announced.to_string().as_str()),
                ("aw-items", items.len().to_string().as_str()),
            ]);
            if !self.hide_total {
                let total = self.claimed_total.unwrap_or(self.total);
                map.insert("aw-totalitems", HeaderValue::from(total));
            }
            ResponseValue::new(items, StatusCode::OK, map)
        }
    }

    async fn walk(listing: &Listing, options: PageOptions) -> Vec<u64> {
        collect_all(options, |page, size| listing.answer(page, size))
            .await
            .unwrap()
    }

    fn numbers(range: std::ops::Range<u64>) -> Vec<u64> {
        range.collect()
    }

    #[tokio::test]
    async fn without_a_total_the_walk_runs_until_an_empty_page() {
        for prefetch in [1, 4] {
            let listing = Listing {
                hide_total: true,
                ..Listing::of(25)
            };
            let options = PageOptions::new().page_size(10).prefetch(prefetch);
            assert_eq!(walk(&listing, options).await, numbers(0..25));
            assert_eq!(listing.requests(), [1, 2, 3, 4], "prefetch {prefetch}");
            assert_eq!(
                listing.most_running.load(Ordering::SeqCst),
                1,
                "nothing to plan without a total"
            );
        }
    }

    #[tokio::test]
    async fn prefetch_keeps_at_most_that_many_requests_running() {
        let listing = Listing::of(100);
        assert_eq!(
            walk(&listing, PageOptions::new().page_size(10).prefetch(4)).await,
            numbers(0..100)
        );
        assert_eq!(listing.requests(), (1..=10).collect::<Vec<_>>());
        assert_eq!(listing.most_running.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn pages_that_finish_out_of_order_are_yielded_in_order() {
        let listing = Listing {
            later_pages_faster: true,
            ..Listing::of(100)
        };
        let options = PageOptions::new().page_size(10).prefetch(8);
        let pages: Vec<Page<u64>> = pages(options, |page, size| listing.answer(page, size))
            .try_collect()
            .await
            .unwrap();
        let finished = listing.finished.lock().unwrap().clone();
        assert!(
            finished.windows(2).any(|pair| pair[0] > pair[1]),
            "answers came in order: {finished:?}"
        );
        let order: Vec<u32> = pages.iter().map(|page| page.number).collect();
        assert_eq!(order, (1..=10).collect::<Vec<_>>());
        assert_eq!(
            pages
                .into_iter()
                .flat_map(|page| page.items)
                .collect::<Vec<_>>(),
            numbers(0..100)
        );
    }

    #[tokio::test]
    async fn a_smaller_page_size_announced_by_the_server_is_planned_with() {
        let listing = Listing {
            server_page_size: Some(5),
            announce_server_page_size: true,
            ..Listing::of(23)
        };
        assert_eq!(
            walk(&listing, PageOptions::new().page_size(10).prefetch(3)).await,
            numbers(0..23)
        );
        assert_eq!(listing.requests(), [1, 2, 3, 4, 5]);
        assert_eq!(listing.most_running.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_server_that_never_reaches_its_total_is_given_up_on() {
        // One item per page, though ten were asked for and the total needs ten pages:
        // the walk allows ten spare pages plus one, then stops.
        let listing = Listing {
            server_page_size: Some(1),
            ..Listing::of(100)
        };
        assert_eq!(
            walk(&listing, PageOptions::new().page_size(10)).await,
            numbers(0..21)
        );
        assert_eq!(listing.requests(), (1..=21).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn an_absurd_total_ends_at_the_first_empty_page_without_overflow() {
        let listing = Listing {
            claimed_total: Some(u64::MAX),
            ..Listing::of(25)
        };
        let options = PageOptions::new().page_size(10).prefetch(4);
        assert_eq!(walk(&listing, options).await, numbers(0..25));
        let mut requests = listing.requests();
        requests.sort_unstable();
        assert_eq!(requests, [1, 2, 3, 4, 5]);
    }

    #[tokio::test]
    async fn an_error_ends_the_stream_and_stops_sending() {
        let listing = Listing {
            fail_on: Some(3),
            ..Listing::of(100)
        };
        let options = PageOptions::new().page_size(10).prefetch(4);
        let results: Vec<_> = pages(options, |page, size| listing.answer(page, size))
            .collect()
            .await;
        assert_eq!(results.len(), 3);
        assert_eq!(results[0].as_ref().unwrap().number, 1);
        assert_eq!(results[1].as_ref().unwrap().number, 2);
        let error = results[2].as_ref().unwrap_err();
        assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
        // Page 1 alone, then pages 2-5 at once; page 6 may join when page 2 is consumed,
        // but nothing further once the error was seen.
        let requests = listing.requests();
        assert!(requests.starts_with(&[1, 2, 3, 4, 5]), "{requests:?}");
        assert!(requests.iter().all(|page| *page <= 6), "{requests:?}");
    }

    #[tokio::test]
    async fn the_cap_limits_items_and_requests_even_with_prefetch() {
        let listing = Listing::of(100);
        let options = PageOptions::new().page_size(10).prefetch(8).max_items(25);
        assert_eq!(walk(&listing, options).await, numbers(0..25));
        assert_eq!(listing.requests(), [1, 2, 3]);
    }

    #[tokio::test]
    async fn a_cap_below_the_page_size_asks_for_pages_of_the_cap() {
        let listing = Listing::of(100);
        assert_eq!(
            walk(&listing, PageOptions::new().max_items(3)).await,
            numbers(0..3)
        );
        assert_eq!(*listing.sizes.lock().unwrap(), [3]);
        // From a later first page, the pages keep the size they are numbered in.
        let listing = Listing::of(100);
        let options = PageOptions::new().page_size(10).first_page(2).max_items(3);
        assert_eq!(walk(&listing, options).await, numbers(10..13));
        assert_eq!(*listing.sizes.lock().unwrap(), [10]);
    }

    #[tokio::test]
    async fn a_server_that_ignores_the_page_is_given_up_on_with_an_error() {
        let listing = Listing {
            ignores_paging: true,
            hide_total: true,
            ..Listing::of(20)
        };
        let options = PageOptions::new().page_size(10).max_requests(4);
        let results: Vec<_> = pages(options, |page, size| listing.answer(page, size))
            .collect()
            .await;
        assert_eq!(results.len(), 5, "four pages, then the error");
        assert!(results[..4].iter().all(Result::is_ok));
        let Err(Error::Paging { requests, .. }) = &results[4] else {
            panic!("{:?}", results[4]);
        };
        assert_eq!(*requests, 4);
        assert_eq!(listing.requests(), [1, 2, 3, 4]);
        assert_eq!(
            rejected_field(PageOptions::new().max_requests(0)).as_deref(),
            Some("max_requests")
        );
    }

    #[tokio::test]
    async fn a_cap_of_zero_sends_nothing() {
        let listing = Listing::of(100);
        assert_eq!(
            walk(&listing, PageOptions::new().max_items(0)).await,
            Vec::<u64>::new()
        );
        assert!(listing.requests().is_empty());
    }

    #[tokio::test]
    async fn a_walk_can_start_at_a_later_page() {
        let listing = Listing::of(25);
        let options = PageOptions::new().page_size(10).first_page(2).prefetch(2);
        assert_eq!(walk(&listing, options).await, numbers(10..25));
        assert_eq!(listing.requests(), [2, 3]);
    }

    #[tokio::test]
    async fn bad_options_are_the_only_item_and_nothing_is_sent() {
        let listing = Listing::of(10);
        let options = PageOptions::new().prefetch(0);
        let results: Vec<_> = items(options, |page, size| listing.answer(page, size))
            .collect()
            .await;
        assert!(
            matches!(results.as_slice(), [Err(Error::Validation { field, .. })] if field == "prefetch")
        );
        assert!(listing.requests().is_empty());
    }
}
