//! The list answer shared by `GET /api/v1/timeentries` and
//! `GET /api/v2/timeentries`: filter, order, page, `aw-*` headers. Only the
//! shape of each item differs between the versions.

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use super::filter::EntryFilter;
use super::model::TimeEntry;
use super::order::EntryOrder;
use crate::errors::ApiError;
use crate::json::json_response;
use crate::paging::PageRequest;
use crate::query::QueryParams;
use crate::state::{AppState, lock};

/// The raw query as axum decodes it.
pub(crate) type RawQuery = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// One page of the entries matching the query, each shown through `view`.
pub(crate) fn list<T: Serialize>(
    state: &AppState,
    query: RawQuery,
    view: impl Fn(&TimeEntry) -> T,
) -> Result<Response, ApiError> {
    let params = QueryParams::from_extractor(query)?;
    let paging = PageRequest::from_query(&params)?;
    let filter = EntryFilter::parse(params.get("filterby").unwrap_or_default())?;
    let order = EntryOrder::parse(params.get("orderby").unwrap_or_default())?;
    let mut matching: Vec<TimeEntry> = lock(&state.entries)
        .all()
        .into_iter()
        .filter(|entry| filter.matches(entry))
        .collect();
    order.sort(&mut matching);
    let quirk = *lock(&state.short_page);
    let page: Vec<T> = matching[paging.window(matching.len(), quirk)]
        .iter()
        .map(view)
        .collect();
    let mut response = json_response(StatusCode::OK, &page);
    paging.stamp(&mut response, page.len(), matching.len());
    Ok(response)
}
