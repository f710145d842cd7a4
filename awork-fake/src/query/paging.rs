//! `page` / `pageSize` and the short-page quirk (explained on [`ShortPage`]).

use std::ops::Range;

use crate::wire::{ApiError, QueryParams, ValidationError};

/// The largest `pageSize` the API accepts.
pub const MAX_PAGE_SIZE: u32 = 1000;
/// The `pageSize` used when the request gives none (awork's guide: 1000).
pub const DEFAULT_PAGE_SIZE: u32 = 1000;

/// The short-page quirk: one page of every list answer comes back shorter than
/// `pageSize` although more items follow.
///
/// awork has been seen doing this. The fake imitates it without losing or repeating
/// items: page `page` holds `pageSize - short_by` items, and every later page starts
/// `short_by` items earlier than usual, so the pages stay contiguous. `aw-items` tells
/// the short count, `aw-totalitems` the real total. A client that keeps asking until
/// it has `aw-totalitems` items, or gets an empty page, sees every item exactly once;
/// a client that stops at the first page shorter than `pageSize` misses the rest.
///
/// `short_by` is capped at `pageSize - 1`, so the short page is never empty while
/// items remain. It applies to every paged list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShortPage {
    /// The 1-based page that comes back short.
    pub page: u32,
    /// How many items that page lacks (capped at `pageSize - 1`).
    pub short_by: u32,
}

/// The validated `page`/`pageSize` of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageRequest {
    pub(crate) page: u32,
    pub(crate) page_size: u32,
}

impl PageRequest {
    /// Reads `page` (≥ 1) and `pageSize` (1..=1000), reporting both at once.
    pub(crate) fn from_query(params: &QueryParams) -> Result<Self, ApiError> {
        let mut errors = Vec::new();
        let page = read_number(params, "page", 1, 1, u32::MAX, &mut errors);
        let page_size = read_number(
            params,
            "pageSize",
            DEFAULT_PAGE_SIZE,
            1,
            MAX_PAGE_SIZE,
            &mut errors,
        );
        match errors.is_empty() {
            true => Ok(Self { page, page_size }),
            false => Err(ApiError::validation(errors)),
        }
    }

    /// The index range of the items this page holds among `total` items.
    pub(crate) fn window(&self, total: usize, quirk: Option<ShortPage>) -> Range<usize> {
        let size = self.page_size as usize;
        let mut start = (self.page as usize - 1).saturating_mul(size);
        let mut end = start.saturating_add(size);
        if let Some(quirk) = quirk.filter(|quirk| quirk.page >= 1) {
            let shift = (quirk.short_by as usize).min(size - 1);
            if self.page == quirk.page {
                end -= shift;
            } else if self.page > quirk.page {
                start -= shift;
                end -= shift;
            }
        }
        start.min(total)..end.min(total)
    }
}

fn read_number(
    params: &QueryParams,
    name: &str,
    default: u32,
    min: u32,
    max: u32,
    errors: &mut Vec<ValidationError>,
) -> u32 {
    let Some(text) = params.get(name) else {
        return default;
    };
    match text.trim().parse::<u64>() {
        Ok(value) if (u64::from(min)..=u64::from(max)).contains(&value) => value as u32,
        _ => {
            errors.push(ValidationError::new(
                name,
                format!("'{name}' must be a whole number between {min} and {max}."),
            ));
            default
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(page: u32, page_size: u32) -> PageRequest {
        PageRequest { page, page_size }
    }

    #[test]
    fn plain_windows_are_contiguous_and_clamped() {
        assert_eq!(request(1, 4).window(10, None), 0..4);
        assert_eq!(request(3, 4).window(10, None), 8..10);
        assert_eq!(request(4, 4).window(10, None), 10..10);
    }

    #[test]
    fn short_page_keeps_items_contiguous() {
        let quirk = Some(ShortPage {
            page: 2,
            short_by: 1,
        });
        let windows: Vec<_> = (1..=5)
            .map(|page| request(page, 4).window(10, quirk))
            .collect();
        assert_eq!(windows, vec![0..4, 4..7, 7..10, 10..10, 10..10]);
    }

    #[test]
    fn short_page_never_empties_a_page() {
        let quirk = Some(ShortPage {
            page: 1,
            short_by: 50,
        });
        assert_eq!(request(1, 4).window(10, quirk), 0..1);
        assert_eq!(request(2, 4).window(10, quirk), 1..5);
        assert_eq!(request(1, 1).window(10, quirk), 0..1);
    }

    #[test]
    fn bad_numbers_are_named() {
        let params = QueryParams::from_pairs(&[("page", "0"), ("pagesize", "1001")]);
        let error = PageRequest::from_query(&params).unwrap_err();
        assert_eq!(error.invalid_properties(), ["page", "pageSize"]);
    }
}
