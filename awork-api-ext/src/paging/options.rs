//! How to walk a listing: [`PageOptions`], checked before the first request.

use crate::error::Error;

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
    pub(super) page_size: u32,
    pub(super) max_items: Option<u64>,
    pub(super) prefetch: usize,
    pub(super) first_page: u32,
    pub(super) max_requests: u32,
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
    pub(super) fn request_size(&self) -> u32 {
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in crate::paging) fn rejected_field(options: PageOptions) -> Option<String> {
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
}
