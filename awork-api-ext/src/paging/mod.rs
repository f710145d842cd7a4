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
//!    page, then [`Error::Paging`](crate::Error::Paging): a server or proxy that
//!    ignores `page` and repeats the same items would otherwise be walked forever.
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
//!
//! The files of this module: `options.rs` (how to walk), `info.rs` (what a page is)
//! and `walk.rs` (the walk).

mod info;
mod options;
mod walk;

pub use info::{Page, PageInfo};
pub use options::{DEFAULT_MAX_REQUESTS, MAX_PAGE_SIZE, PageOptions};
pub use walk::{collect_all, items, pages};
