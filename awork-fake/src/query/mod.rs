//! Lists: `filterby`, `orderby`, `page`/`pageSize` and the `aw-*` headers, one grammar
//! for every resource, over items as JSON.
//!
//! A list is filtered, then sorted (a stable sort: ties, and no `orderby` at all, keep
//! the stored order, which is the order of creation), then cut into the page asked for.
//! Property names in `filterby` and `orderby` are checked against the item's schema when
//! the caller knows it, so that a typo is a 400 naming it rather than an empty list.

pub(crate) mod filter;
mod order;
mod paging;

use serde_json::Value;

use crate::wire::{ApiError, PageInfo, QueryParams};
pub(crate) use filter::{Context, Filter};
pub(crate) use order::Order;
pub(crate) use paging::PageRequest;
pub use paging::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, ShortPage};

/// What a list request asks for.
#[derive(Debug, Clone)]
pub(crate) struct ListQuery {
    filter: Option<Filter>,
    order: Order,
    page: PageRequest,
}

impl ListQuery {
    /// Reads `filterby`, `orderby`, `page` and `pageSize`.
    pub(crate) fn from_query(params: &QueryParams) -> Result<Self, ApiError> {
        let page = PageRequest::from_query(params)?;
        let filter = match params.get("filterby").map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(
                Filter::parse(text)
                    .map_err(|why| ApiError::invalid_filter(format!("filterby: {why}")))?,
            ),
        };
        let order = match params.get("orderby").map(str::trim) {
            None | Some("") => Order::default(),
            Some(text) => Order::parse(text)
                .map_err(|why| ApiError::invalid_filter(format!("orderby: {why}")))?,
        };
        Ok(Self {
            filter,
            order,
            page,
        })
    }

    /// Refuses a property `known` does not know, naming it.
    pub(crate) fn check_properties(
        &self,
        known: &dyn Fn(&[String]) -> bool,
    ) -> Result<(), ApiError> {
        let filter_paths = self.filter.iter().flat_map(Filter::paths);
        for path in filter_paths {
            if !known(&path) {
                return Err(ApiError::invalid_filter(format!(
                    "filterby: the items have no property '{}'",
                    path.join("/")
                )));
            }
        }
        for path in self.order.paths() {
            if !known(path) {
                return Err(ApiError::invalid_filter(format!(
                    "orderby: the items have no property '{}'",
                    path.join("/")
                )));
            }
        }
        Ok(())
    }

    /// Filters, sorts and pages `items`.
    pub(crate) fn run(
        &self,
        items: Vec<Value>,
        context: &Context,
        quirk: Option<ShortPage>,
    ) -> Result<(Vec<Value>, PageInfo), ApiError> {
        let mut matching = Vec::with_capacity(items.len());
        for item in items {
            let keep = match &self.filter {
                None => true,
                Some(filter) => filter
                    .matches(&item, context)
                    .map_err(|why| ApiError::invalid_filter(format!("filterby: {why}")))?,
            };
            if keep {
                matching.push(item);
            }
        }
        self.order.sort(&mut matching);
        let total = matching.len();
        let window = self.page.window(total, quirk);
        let page: Vec<Value> = matching.drain(window).collect();
        let info = PageInfo {
            page: self.page.page,
            page_size: self.page.page_size,
            items: page.len(),
            total,
        };
        Ok((page, info))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn context() -> Context {
        Context {
            me: uuid::Uuid::nil(),
            now: chrono::Utc::now(),
        }
    }

    #[test]
    fn filters_then_sorts_then_pages() {
        let items: Vec<Value> = (1..=7)
            .map(|n| json!({"n": n, "odd": n % 2 == 1}))
            .collect();
        let params = QueryParams::from_pairs(&[
            ("filterby", "odd eq true"),
            ("orderby", "n desc"),
            ("page", "2"),
            ("pageSize", "3"),
        ]);
        let (page, info) = ListQuery::from_query(&params)
            .unwrap()
            .run(items, &context(), None)
            .unwrap();
        assert_eq!(page, vec![json!({"n": 1, "odd": true})]);
        assert_eq!(
            info,
            PageInfo {
                page: 2,
                page_size: 3,
                items: 1,
                total: 4
            }
        );
    }

    #[test]
    fn unknown_properties_and_bad_grammar_are_invalid_filters() {
        let params = QueryParams::from_pairs(&[("filterby", "nmae eq 'x'")]);
        let query = ListQuery::from_query(&params).unwrap();
        let error = query
            .check_properties(&|path| path == ["name"])
            .unwrap_err();
        assert_eq!(error.code, crate::wire::codes::INVALID_FILTER_OR_ORDER);
        assert!(error.details.unwrap()[0].contains("'nmae'"));
        let params = QueryParams::from_pairs(&[("orderby", "name up")]);
        assert!(ListQuery::from_query(&params).is_err());
    }
}
