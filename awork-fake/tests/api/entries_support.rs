//! Helpers shared by the time-entry and timer tests.

use awork_fake::{
    ITEMS_HEADER, NewTimeEntry, PAGE_HEADER, PAGE_SIZE_HEADER, TOTAL_ITEMS_HEADER, TimeEntry,
};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{Api, header, stamp};

/// An authenticated request to a path below `/api/v2`.
pub fn v2(api: &Api, method: Method, path: &str) -> RequestBuilder {
    api.http
        .request(method, format!("{}{path}", api.fake.base_url_v2()))
        .bearer_auth(api.fake.api_key())
}

/// A valid `TimeEntryForm` for the key's user and default type of work.
pub fn entry_form(api: &Api, start: &str, end: &str) -> Value {
    json!({
        "timezone": "Europe/Berlin",
        "typeOfWorkId": api.fake.type_of_work_id(),
        "startDate": start,
        "endDate": end,
        "note": "tracked work",
        "isBillable": true,
    })
}

/// POSTs a `TimeEntryForm` to `/api/v2/timeentries`; expects 200.
pub async fn create_entry(api: &Api, form: &Value) -> TimeEntry {
    let response = v2(api, Method::POST, "/timeentries")
        .json(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Seeds a completed entry of `user` from `start` to `end` (RFC 3339).
pub fn seed_entry(api: &Api, user: Uuid, start: &str, end: &str) -> Uuid {
    let work = api.fake.type_of_work_id();
    api.fake
        .time_entries()
        .insert(NewTimeEntry::new(user, work, stamp(start), stamp(end)))
}

/// GETs a v2 list; expects 200 and returns the entries.
pub async fn list_v2(api: &Api, query: &[(&str, &str)]) -> Vec<TimeEntry> {
    let response = v2(api, Method::GET, "/timeentries")
        .query(query)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{query:?}");
    response.json().await.unwrap()
}

/// GETs a v1 list; expects 200 and returns the raw JSON items.
pub async fn list_v1(api: &Api, query: &[(&str, &str)]) -> Vec<Value> {
    let response = api.get("/timeentries").query(query).send().await.unwrap();
    assert_eq!(response.status(), 200, "{query:?}");
    response.json().await.unwrap()
}

/// The four `aw-*` paging headers of a list answer.
pub fn paging_headers(response: &Response) -> [String; 4] {
    [
        PAGE_HEADER,
        PAGE_SIZE_HEADER,
        ITEMS_HEADER,
        TOTAL_ITEMS_HEADER,
    ]
    .map(|name| header(response, name).to_owned())
}

/// The ids of a list of entries.
pub fn entry_ids(entries: &[TimeEntry]) -> Vec<Uuid> {
    entries.iter().map(|entry| entry.id).collect()
}
