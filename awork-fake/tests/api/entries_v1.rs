//! The v1 `TimeTracking` shape of time entries: UTC and local dates and
//! times, across daylight-saving changes and midnight; v1 read and delete.

use awork_fake::{NewTimeEntry, codes};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::entries_support::{list_v1, seed_entry};
use crate::support::{Api, day, error_body, header, refused_parameter, stamp};

/// Seeds an entry in Europe/Berlin and reads it through `GET /api/v1/timeentries/{id}`.
async fn berlin_entry(api: &Api, start: &str, end: &str) -> Value {
    let entry = NewTimeEntry::new(
        api.fake.user_id(),
        api.fake.type_of_work_id(),
        stamp(start),
        stamp(end),
    )
    .timezone("Europe/Berlin");
    let id = api.fake.time_entries().insert(entry);
    read_v1(api, id).await
}

/// `GET /api/v1/timeentries/{id}`; expects 200.
async fn read_v1(api: &Api, id: Uuid) -> Value {
    let response = api.get(&format!("/timeentries/{id}")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// The eight split date/time properties, in a fixed order.
fn split_fields(entry: &Value) -> [&Value; 8] {
    [
        "startDateUtc",
        "startTimeUtc",
        "endDateUtc",
        "endTimeUtc",
        "startDateLocal",
        "startTimeLocal",
        "endDateLocal",
        "endTimeLocal",
    ]
    .map(|name| &entry[name])
}

#[tokio::test]
async fn v1_local_times_across_the_spring_forward_change() {
    let api = Api::start().await;
    // 01:30 CET (+01:00) to 03:30 CEST (+02:00): one real hour.
    let entry = berlin_entry(&api, "2024-03-31T00:30:00Z", "2024-03-31T01:30:00Z").await;
    assert_eq!(
        split_fields(&entry),
        [
            "2024-03-31T00:30:00Z",
            "00:30:00",
            "2024-03-31T01:30:00Z",
            "01:30:00",
            "2024-03-31T01:30:00",
            "01:30:00",
            "2024-03-31T03:30:00",
            "03:30:00",
        ]
        .map(|text| json!(text))
        .each_ref()
    );
    assert_eq!(entry["duration"], 3600);
    assert_eq!(entry["timezone"], "Europe/Berlin");
}

#[tokio::test]
async fn v1_local_times_across_the_fall_back_change() {
    let api = Api::start().await;
    // 02:30 CEST (+02:00) to 02:30 CET (+01:00): the same wall-clock time, one hour apart.
    let entry = berlin_entry(&api, "2024-10-27T00:30:00Z", "2024-10-27T01:30:00Z").await;
    assert_eq!(
        split_fields(&entry),
        [
            "2024-10-27T00:30:00Z",
            "00:30:00",
            "2024-10-27T01:30:00Z",
            "01:30:00",
            "2024-10-27T02:30:00",
            "02:30:00",
            "2024-10-27T02:30:00",
            "02:30:00",
        ]
        .map(|text| json!(text))
        .each_ref()
    );
    assert_eq!(entry["duration"], 3600);
    // Summer and winter on the same calendar day of the year.
    let summer = berlin_entry(&api, "2024-10-26T08:00:00Z", "2024-10-26T09:00:00Z").await;
    let winter = berlin_entry(&api, "2024-10-28T08:00:00Z", "2024-10-28T09:00:00Z").await;
    assert_eq!(summer["startTimeLocal"], "10:00:00");
    assert_eq!(winter["startTimeLocal"], "09:00:00");
}

#[tokio::test]
async fn v1_local_dates_of_an_entry_across_local_midnight() {
    let api = Api::start().await;
    // 23:30 to 01:00 in Berlin (CEST), all on 2024-05-06 in UTC.
    let entry = berlin_entry(&api, "2024-05-06T21:30:00Z", "2024-05-06T23:00:00Z").await;
    assert_eq!(
        split_fields(&entry),
        [
            "2024-05-06T21:30:00Z",
            "21:30:00",
            "2024-05-06T23:00:00Z",
            "23:00:00",
            "2024-05-06T23:30:00",
            "23:30:00",
            "2024-05-07T01:00:00",
            "01:00:00",
        ]
        .map(|text| json!(text))
        .each_ref()
    );
    assert_eq!(entry["duration"], 5400);
}

#[tokio::test]
async fn v1_shape_has_every_property() {
    let api = Api::start().await;
    let entry = berlin_entry(&api, "2024-05-06T08:00:00Z", "2024-05-06T09:00:00Z").await;
    let mut keys: Vec<&str> = entry
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "breakDuration",
            "breaks",
            "createdBy",
            "createdOn",
            "duration",
            "endDateLocal",
            "endDateUtc",
            "endTimeLocal",
            "endTimeUtc",
            "id",
            "isBillable",
            "isBilled",
            "note",
            "projectId",
            "startDateLocal",
            "startDateUtc",
            "startTimeLocal",
            "startTimeUtc",
            "taskId",
            "timezone",
            "typeOfWorkId",
            "updatedBy",
            "updatedOn",
            "userId",
        ]
    );
    assert_eq!(entry["userId"], json!(api.fake.user_id()));
    assert_eq!(entry["typeOfWorkId"], json!(api.fake.type_of_work_id()));
    assert_eq!(entry["createdOn"], "2024-05-01T10:00:00Z");
    assert_eq!(entry["breakDuration"], 0);
    assert_eq!(entry["breaks"], json!([]));
}

#[tokio::test]
async fn v1_date_only_and_running_entries_have_no_clock_times_or_end() {
    let api = Api::start().await;
    let (user, work) = (api.fake.user_id(), api.fake.type_of_work_id());
    let day_only = api.fake.time_entries().insert(
        NewTimeEntry::date_only(user, work, day("2024-05-07"), 3600).timezone("Europe/Berlin"),
    );
    let running = api.fake.time_entries().insert(
        NewTimeEntry::running(user, work, stamp("2024-05-08T06:00:00Z")).timezone("Europe/Berlin"),
    );
    let day_only = read_v1(&api, day_only).await;
    assert_eq!(
        split_fields(&day_only),
        [
            &json!("2024-05-07T00:00:00Z"),
            &Value::Null,
            &Value::Null,
            &Value::Null,
            &json!("2024-05-07T00:00:00"),
            &Value::Null,
            &Value::Null,
            &Value::Null,
        ]
    );
    assert_eq!(day_only["duration"], 3600);
    let running = read_v1(&api, running).await;
    assert_eq!(
        split_fields(&running),
        [
            &json!("2024-05-08T06:00:00Z"),
            &json!("06:00:00"),
            &Value::Null,
            &Value::Null,
            &json!("2024-05-08T08:00:00"),
            &json!("08:00:00"),
            &Value::Null,
            &Value::Null,
        ]
    );
    assert_eq!(running["duration"], 0);
}

#[tokio::test]
async fn v1_list_shares_store_paging_filter_and_order_with_v2() {
    let api = Api::start().await;
    let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
    let early = seed_entry(&api, alice, "2024-05-06T08:00:00Z", "2024-05-06T09:00:00Z");
    let late = seed_entry(&api, bob, "2024-05-07T08:00:00Z", "2024-05-07T08:10:00Z");
    let middle = seed_entry(&api, alice, "2024-05-06T12:00:00Z", "2024-05-06T12:30:00Z");
    let ids =
        |items: Vec<Value>| -> Vec<Value> { items.into_iter().map(|e| e["id"].clone()).collect() };
    assert_eq!(
        ids(list_v1(&api, &[]).await),
        [json!(early), json!(late), json!(middle)]
    );
    // v1 filters and orders by v1's own property names (`startDateUtc`, not v2's `startDate`).
    let filter =
        format!("userId eq guid'{alice}' and startDateUtc ge datetime'2024-05-06T10:00:00Z'");
    assert_eq!(
        ids(list_v1(&api, &[("filterby", filter.as_str())]).await),
        [json!(middle)]
    );
    assert_eq!(
        ids(list_v1(&api, &[("orderby", "startDateUtc desc")]).await),
        [json!(late), json!(middle), json!(early)]
    );
    let page = api
        .get("/timeentries")
        .query(&[("page", "2"), ("pageSize", "2"), ("orderby", "duration")])
        .send()
        .await
        .unwrap();
    assert_eq!(header(&page, "aw-page"), "2");
    assert_eq!(header(&page, "aw-items"), "1");
    assert_eq!(header(&page, "aw-totalitems"), "3");
    assert_eq!(ids(page.json().await.unwrap()), [json!(early)]);
}

#[tokio::test]
async fn v1_delete_answers_204_then_404() {
    let api = Api::start().await;
    let id = seed_entry(
        &api,
        Uuid::new_v4(),
        "2024-05-06T08:00:00Z",
        "2024-05-06T09:00:00Z",
    );
    let deleted = api
        .request(Method::DELETE, &format!("/timeentries/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert!(deleted.bytes().await.unwrap().is_empty());
    assert_eq!(api.fake.time_entries().get(id), None);
    let again = api
        .request(Method::DELETE, &format!("/timeentries/{id}"))
        .send()
        .await
        .unwrap();
    error_body(again, 404, codes::NOT_FOUND).await;
    let read = api.get(&format!("/timeentries/{id}")).send().await.unwrap();
    error_body(read, 404, codes::NOT_FOUND).await;
    let garbage = api.get("/timeentries/12345").send().await.unwrap();
    refused_parameter(garbage, "timeEntryId").await;
}
