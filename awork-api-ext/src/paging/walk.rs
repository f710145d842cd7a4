//! The walk itself: requests pages (several at once with prefetch), yields them in
//! order, and stops by the rules of the [module docs](super). A page request's outcome
//! is settled into this crate's [`Error`] before the walk sees it, so the walk only
//! knows pages and errors.

use super::info::{Page, PageInfo};
use super::options::PageOptions;
use crate::error::{Error, TypedErrorBody, settle_generated};
use awork_api::ResponseValue;
use futures::stream::{self, FuturesOrdered, Stream, StreamExt, TryStreamExt};
use std::future::{self as std_future, Future};

/// Streams the pages of a listing, in order; see the [module docs](crate::paging) for the stop
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
    E: TypedErrorBody,
{
    let mut fetch = fetch;
    let settled = move |page, size| settle_generated(fetch(page, size));
    stream::unfold(Walk::new(options, settled), |mut walk| async move {
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
    E: TypedErrorBody,
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
    E: TypedErrorBody,
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

/// What one page request comes back with, settled: the page, or the error that ends
/// the walk.
type Answer<T> = Result<ResponseValue<Vec<T>>, Error>;

impl<F, Fut, T> Walk<F, Fut>
where
    F: FnMut(u32, u32) -> Fut,
    Fut: Future<Output = Answer<T>>,
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
        let answer = self.in_flight.next().await?;
        let number = self.next_answer;
        self.next_answer = number.saturating_add(1);
        self.requests = self.requests.saturating_add(1);
        match answer {
            Ok(response) => self.accept(number, response),
            Err(error) => {
                self.finish();
                Some(Err(error))
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
    use crate::http::headers::tests::headers as header_map;
    use crate::paging::options::tests::rejected_field;
    use reqwest::StatusCode;
    use reqwest::header::{HeaderMap, HeaderValue};
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

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
