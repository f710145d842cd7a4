//! Each time-booking operation of the ext layer on the wire (wiremock on 127.0.0.1):
//! the exact request, the decoded result, and no request at all for rejected input.

mod common;

use awork_api_ext::dates::DateRange;
use awork_api_ext::query::prop;
use awork_api_ext::time_bookings::{ListQuery, Routes, TimeBookingDraft};
use awork_api_ext::{Error, duration};
use chrono::NaiveDate;
use futures::TryStreamExt;
use serde_json::{Value, json};
use std::time::Duration;
use uuid::Uuid;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "test-key-123";
const USER: &str = "0a3c0de0-fa4e-4a11-8000-000000000001";
const OTHER: &str = "0a3c0de0-fa4e-4a11-8000-000000000002";
const PROJECT: &str = "0a3c0de0-fa4e-4a11-8000-0000000000aa";
const BOOKING: &str = "0a3c0de0-fa4e-4a11-8000-0000000000b1";

fn uuid(s: &str) -> Uuid {
    s.parse().unwrap()
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 5, d).unwrap()
}

fn booking_json() -> Value {
    json!({"id": BOOKING, "createdOn": "2024-05-01T10:00:00Z", "createdBy": USER, "updatedOn": "2024-05-01T10:00:00Z",
           "updatedBy": USER, "userId": USER, "projectId": PROJECT, "startDate": "2024-05-06", "endDate": "2024-05-08",
           "duration": 27000, "description": "Planning", "laneOrder": 1, "isAnonymized": false})
}

fn draft() -> TimeBookingDraft {
    TimeBookingDraft::new(
        uuid(USER),
        DateRange::new(day(6), day(8)).unwrap(),
        duration::hours_minutes(7, 30).unwrap(),
    )
    .project(uuid(PROJECT))
    .description("Planning")
    .lane_order(1)
}

fn form_json() -> Value {
    json!({"userId": USER, "projectId": PROJECT, "startDate": "2024-05-06", "endDate": "2024-05-08",
           "duration": 27000, "description": "Planning", "laneOrder": 1})
}

async fn setup() -> (MockServer, awork_api_ext::AworkClient) {
    let server = MockServer::start().await;
    let clock = awork_api_ext::clock::ManualClock::default();
    let client = common::builder(&format!("{}/api/v1", server.uri()), KEY, &clock)
        .app_name("wire-test")
        .build()
        .unwrap();
    (server, client)
}

fn prefix(routes: Routes) -> &'static str {
    match routes {
        Routes::TimeBookings => "/api/v1/timebookings",
        Routes::ProjectTimeBookings => "/api/v1/projecttimebookings",
    }
}

fn assert_decoded(b: &awork_api_ext::time_bookings::TimeBooking) {
    assert_eq!(b.id, uuid(BOOKING));
    assert_eq!(b.duration, Duration::from_secs(27000));
    assert_eq!(b.dates, DateRange::new(day(6), day(8)).unwrap());
    assert_eq!(b.project_id, Some(uuid(PROJECT)));
    assert_eq!(b.description.as_deref(), Some("Planning"));
}

#[tokio::test]
async fn create_posts_the_validated_form_with_key_and_user_agent() {
    for routes in [Routes::TimeBookings, Routes::ProjectTimeBookings] {
        let (server, client) = setup().await;
        Mock::given(method("POST"))
            .and(path(prefix(routes)))
            .and(header("authorization", format!("Bearer {KEY}").as_str()))
            .and(header(
                "user-agent",
                format!("awork-rs/{} wire-test", env!("CARGO_PKG_VERSION")).as_str(),
            ))
            .and(body_json(form_json()))
            .respond_with(ResponseTemplate::new(200).set_body_json(booking_json()))
            .expect(1)
            .mount(&server)
            .await;
        let created = client
            .time_bookings_on(routes)
            .create(&draft())
            .await
            .unwrap();
        assert_decoded(&created);
    }
}

#[tokio::test]
async fn update_puts_the_form_and_delete_sends_delete() {
    for routes in [Routes::TimeBookings, Routes::ProjectTimeBookings] {
        let (server, client) = setup().await;
        let item = format!("{}/{BOOKING}", prefix(routes));
        Mock::given(method("PUT"))
            .and(path(item.as_str()))
            .and(body_json(form_json()))
            .respond_with(ResponseTemplate::new(200).set_body_json(booking_json()))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("DELETE"))
            .and(path(item.as_str()))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        let bookings = client.time_bookings_on(routes);
        assert_decoded(&bookings.update(uuid(BOOKING), &draft()).await.unwrap());
        bookings.delete(uuid(BOOKING)).await.unwrap();
    }
}

#[tokio::test]
async fn a_replace_sends_unset_optional_fields_as_null_so_they_are_cleared() {
    let (server, client) = setup().await;
    let item = format!("/api/v1/timebookings/{BOOKING}");
    // The draft has neither project nor description: both go as explicit nulls, and
    // the body is exactly this (body_json compares the whole document).
    let cleared = json!({"userId": USER, "projectId": null, "startDate": "2024-05-06",
                         "endDate": "2024-05-08", "duration": 27000, "description": null, "laneOrder": 0});
    Mock::given(method("PUT"))
        .and(path(item.as_str()))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(body_json(cleared))
        .respond_with(ResponseTemplate::new(200).set_body_json(booking_json()))
        .expect(1)
        .mount(&server)
        .await;
    let bare = TimeBookingDraft::new(
        uuid(USER),
        DateRange::new(day(6), day(8)).unwrap(),
        duration::hours_minutes(7, 30).unwrap(),
    );
    client
        .time_bookings()
        .update(uuid(BOOKING), &bare)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_failed_replace_is_an_api_error_with_its_attempts() {
    let (server, client) = setup().await;
    Mock::given(method("PUT"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(
                json!({"code": "not-found", "description": "gone", "traceId": "t-404"}),
            ),
        )
        .mount(&server)
        .await;
    let err = client
        .time_bookings()
        .update(uuid(BOOKING), &draft())
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("not-found"));
    assert_eq!(err.attempts(), Some(1));
}

#[tokio::test]
async fn list_passes_filter_order_and_paging_through() {
    for routes in [Routes::TimeBookings, Routes::ProjectTimeBookings] {
        let (server, client) = setup().await;
        Mock::given(method("GET"))
            .and(path(prefix(routes)))
            .and(query_param("page", "1"))
            .and(query_param("pageSize", "50"))
            .and(query_param(
                "filterby",
                format!("userId eq guid'{USER}'").as_str(),
            ))
            .and(query_param("orderby", "startDate desc"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!([booking_json()]))
                    .insert_header("aw-totalitems", "1"),
            )
            .expect(1)
            .mount(&server)
            .await;
        let query = ListQuery::default()
            .filter(prop("userId").eq(uuid(USER)))
            .order("startDate desc")
            .paging(awork_api_ext::paging::PageOptions::default().page_size(50));
        let list: Vec<_> = client
            .time_bookings_on(routes)
            .list(query)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(list.len(), 1);
        assert_decoded(&list[0]);
    }
}

#[tokio::test]
async fn get_filters_by_id_and_answers_none_when_absent() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/timebookings"))
        .and(query_param(
            "filterby",
            format!("id eq guid'{BOOKING}'").as_str(),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([]))
                .insert_header("aw-totalitems", "0"),
        )
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(
        client.time_bookings().get(uuid(BOOKING)).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn users_query_sends_deduplicated_ids_and_groups_per_user() {
    for (routes, route) in [
        (Routes::TimeBookings, "/api/v1/users/timebookings"),
        (
            Routes::ProjectTimeBookings,
            "/api/v1/users/projecttimebookings",
        ),
    ] {
        let (server, client) = setup().await;
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param("userIds", format!("{OTHER},{USER}").as_str()))
            .and(query_param("intervalStart", "2024-05-06"))
            .and(query_param("intervalEnd", "2024-05-12"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!([{"userId": USER, "timeBookings": [booking_json()]}])),
            )
            .expect(1)
            .mount(&server)
            .await;
        let week = DateRange::week_of(day(8));
        let grouped = client
            .time_bookings_on(routes)
            .for_users([uuid(OTHER), uuid(USER), uuid(OTHER)], week)
            .await
            .unwrap();
        assert_eq!(grouped.len(), 2);
        assert_eq!(grouped[0].user_id, uuid(OTHER));
        assert!(
            grouped[0].bookings.is_empty(),
            "users awork leaves out get an empty list"
        );
        assert_eq!(grouped[1].user_id, uuid(USER));
        assert_decoded(&grouped[1].bookings[0]);
    }
}

#[tokio::test]
async fn rejected_input_sends_no_request() {
    let (server, client) = setup().await;
    let bookings = client.time_bookings();
    let field = |e: Error| match e {
        Error::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other}"),
    };
    let too_long = TimeBookingDraft {
        duration: Duration::from_secs(25 * 3600),
        dates: DateRange::single(day(6)),
        ..draft()
    };
    assert_eq!(
        field(bookings.create(&too_long).await.unwrap_err()),
        "duration"
    );
    let nil_user = TimeBookingDraft {
        user_id: Uuid::nil(),
        ..draft()
    };
    assert_eq!(
        field(bookings.create(&nil_user).await.unwrap_err()),
        "user_id"
    );
    assert_eq!(
        field(
            bookings
                .update(uuid(BOOKING), &draft().description(" "))
                .await
                .unwrap_err()
        ),
        "description"
    );
    assert_eq!(field(bookings.delete(Uuid::nil()).await.unwrap_err()), "id");
    assert_eq!(
        field(
            bookings
                .for_users([], DateRange::single(day(6)))
                .await
                .unwrap_err()
        ),
        "user_ids"
    );
    let bad_filter: Result<Vec<_>, _> = bookings
        .list(ListQuery::default().filter(prop("a b").eq(1)))
        .try_collect()
        .await;
    assert_eq!(field(bad_filter.unwrap_err()), "filterby/orderby");
    let bad_page: Result<Vec<_>, _> = bookings
        .list(
            ListQuery::default()
                .paging(awork_api_ext::paging::PageOptions::default().page_size(5000)),
        )
        .try_collect()
        .await;
    assert_eq!(field(bad_page.unwrap_err()), "page_size");
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "no request may reach the server"
    );
}

#[tokio::test]
async fn api_errors_keep_awork_fields_and_support_ids() {
    let (server, client) = setup().await;
    Mock::given(method("PUT"))
        .and(path(format!("/api/v1/timebookings/{BOOKING}")))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("trace-id", "trace-1")
                .insert_header("x-edge-ref", "edge-1")
                .set_body_json(
                    json!({"code": "validation-failed", "description": "bad", "link": "x",
                    "validationErrors": [{"property": "EndDate", "message": "too early"}]}),
                ),
        )
        .mount(&server)
        .await;
    let err = client
        .time_bookings()
        .update(uuid(BOOKING), &draft())
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status, 400);
    assert_eq!(api.code.as_deref(), Some("validation-failed"));
    assert_eq!(
        api.validation_errors[0].property.as_deref(),
        Some("EndDate")
    );
    assert_eq!(api.trace_id.as_deref(), Some("trace-1"));
    assert_eq!(api.edge_ref.as_deref(), Some("edge-1"));
    let line = err.to_string();
    assert!(
        !line.contains('\n') && line.contains("EndDate: too early") && line.contains("trace-1"),
        "{line}"
    );
    assert!(!line.contains(KEY));
}
