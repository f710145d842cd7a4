//! The ten generated time-booking operations on the wire, against a local mock server:
//! method, path, query and body as sent, and decoding of what comes back, including
//! fields and enum values the document does not know.

use awork_api::{Client, Hooks, types};
use chrono::NaiveDate;
use serde_json::{Value, json};
use uuid::Uuid;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const USER: &str = "0a3c0de0-fa4e-4a11-8000-000000000001";
const PROJECT: &str = "0a3c0de0-fa4e-4a11-8000-0000000000aa";
const BOOKING: &str = "0a3c0de0-fa4e-4a11-8000-0000000000b1";

fn booking_json() -> Value {
    json!({
        "id": BOOKING, "createdOn": "2024-05-01T10:00:00Z", "createdBy": USER,
        "updatedOn": "2024-05-02T11:30:00Z", "updatedBy": USER,
        "userId": USER, "projectId": PROJECT, "startDate": "2024-05-06", "endDate": "2024-05-08",
        "duration": 27000, "description": "Sprint planning", "laneOrder": 2, "isAnonymized": false
    })
}

fn form() -> types::TimeBookingForm {
    types::TimeBookingForm {
        user_id: Some(USER.parse().unwrap()),
        project_id: Some(PROJECT.parse().unwrap()),
        start_date: Some(NaiveDate::from_ymd_opt(2024, 5, 6).unwrap()),
        end_date: Some(NaiveDate::from_ymd_opt(2024, 5, 8).unwrap()),
        duration: Some(27000),
        description: Some("Sprint planning".into()),
        lane_order: Some(2),
    }
}

fn form_json() -> Value {
    json!({"userId": USER, "projectId": PROJECT, "startDate": "2024-05-06", "endDate": "2024-05-08",
           "duration": 27000, "description": "Sprint planning", "laneOrder": 2})
}

async fn server() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::new(&format!("{}/api/v1", server.uri()), Hooks::new());
    (server, client)
}

fn assert_booking(b: &types::TimeBooking) {
    assert_eq!(b.id, Some(BOOKING.parse().unwrap()));
    assert_eq!(b.start_date, NaiveDate::from_ymd_opt(2024, 5, 6));
    assert_eq!(b.end_date, NaiveDate::from_ymd_opt(2024, 5, 8));
    assert_eq!(b.duration, Some(27000));
    assert_eq!(b.project_id, Some(PROJECT.parse().unwrap()));
    assert_eq!(
        b.created_on.unwrap().to_rfc3339(),
        "2024-05-01T10:00:00+00:00"
    );
}

async fn only_request(server: &MockServer) -> Request {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "exactly one request expected");
    requests.into_iter().next().unwrap()
}

#[tokio::test]
async fn list_operations_send_paging_filter_and_order() {
    for (route, family) in [
        ("/api/v1/projecttimebookings", "legacy"),
        ("/api/v1/timebookings", "new"),
    ] {
        let (server, client) = server().await;
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param("page", "2"))
            .and(query_param("pageSize", "500"))
            .and(query_param("filterby", "userId eq guid'x'"))
            .and(query_param("orderby", "startDate desc"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([booking_json()])))
            .expect(1)
            .mount(&server)
            .await;
        let list = match family {
            "legacy" => {
                client
                    .get_project_time_bookings()
                    .page(2)
                    .page_size(500)
                    .filterby("userId eq guid'x'")
                    .orderby("startDate desc")
                    .send()
                    .await
            }
            _ => {
                client
                    .get_time_bookings()
                    .page(2)
                    .page_size(500)
                    .filterby("userId eq guid'x'")
                    .orderby("startDate desc")
                    .send()
                    .await
            }
        }
        .unwrap();
        assert_eq!(list.len(), 1);
        assert_booking(&list[0]);
        assert_eq!(only_request(&server).await.method.as_str(), "GET");
    }
}

#[tokio::test]
async fn create_operations_post_the_form() {
    for route in ["/api/v1/projecttimebookings", "/api/v1/timebookings"] {
        let (server, client) = server().await;
        Mock::given(method("POST"))
            .and(path(route))
            .and(body_json(form_json()))
            .respond_with(ResponseTemplate::new(200).set_body_json(booking_json()))
            .expect(1)
            .mount(&server)
            .await;
        let created = if route.contains("project") {
            client.post_project_time_booking().body(form()).send().await
        } else {
            client.post_time_booking().body(form()).send().await
        }
        .unwrap();
        assert_booking(&created);
        let request = only_request(&server).await;
        assert_eq!(
            request.headers.get("content-type").unwrap(),
            "application/json"
        );
    }
}

#[tokio::test]
async fn update_operations_put_the_form_to_the_booking() {
    for route in ["/api/v1/projecttimebookings", "/api/v1/timebookings"] {
        let (server, client) = server().await;
        Mock::given(method("PUT"))
            .and(path(format!("{route}/{BOOKING}")))
            .and(body_json(form_json()))
            .respond_with(ResponseTemplate::new(200).set_body_json(booking_json()))
            .expect(1)
            .mount(&server)
            .await;
        let id: Uuid = BOOKING.parse().unwrap();
        let updated = if route.contains("project") {
            client
                .put_project_time_booking()
                .time_booking_id(id)
                .body(form())
                .send()
                .await
        } else {
            client
                .put_time_booking_by_id()
                .time_booking_id(id)
                .body(form())
                .send()
                .await
        }
        .unwrap();
        assert_booking(&updated);
    }
}

#[tokio::test]
async fn delete_operations_send_delete_and_accept_204() {
    for route in ["/api/v1/projecttimebookings", "/api/v1/timebookings"] {
        let (server, client) = server().await;
        Mock::given(method("DELETE"))
            .and(path(format!("{route}/{BOOKING}")))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        let id: Uuid = BOOKING.parse().unwrap();
        let done = if route.contains("project") {
            client
                .delete_project_time_booking()
                .time_booking_id(id)
                .send()
                .await
        } else {
            client
                .delete_time_booking_by_id()
                .time_booking_id(id)
                .send()
                .await
        }
        .unwrap();
        assert_eq!(done.status(), 204);
    }
}

#[tokio::test]
async fn users_range_operations_send_ids_and_interval() {
    let other = "0a3c0de0-fa4e-4a11-8000-000000000002";
    for route in [
        "/api/v1/users/projecttimebookings",
        "/api/v1/users/timebookings",
    ] {
        let (server, client) = server().await;
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param("userIds", format!("{USER},{other}")))
            .and(query_param("intervalStart", "2024-05-06"))
            .and(query_param("intervalEnd", "2024-05-12"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([
                {"userId": USER, "timeBookings": [booking_json()]},
                {"userId": other, "timeBookings": null}
            ])))
            .expect(1)
            .mount(&server)
            .await;
        let (start, end) = (
            NaiveDate::from_ymd_opt(2024, 5, 6).unwrap(),
            NaiveDate::from_ymd_opt(2024, 5, 12).unwrap(),
        );
        let ids = format!("{USER},{other}");
        let result = if route.contains("project") {
            client
                .get_project_time_bookings_for_users()
                .user_ids(ids)
                .interval_start(start)
                .interval_end(end)
                .send()
                .await
        } else {
            client
                .get_users_time_bookings()
                .user_ids(ids)
                .interval_start(start)
                .interval_end(end)
                .send()
                .await
        }
        .unwrap();
        assert_eq!(result.len(), 2);
        assert_booking(&result[0].time_bookings.as_ref().unwrap()[0]);
        assert!(result[1].time_bookings.is_none());
    }
}

#[tokio::test]
async fn unknown_fields_in_a_response_are_ignored() {
    let (server, client) = server().await;
    let mut body = booking_json();
    body["someFieldAddedLater"] = json!({"nested": [1, 2, 3]});
    Mock::given(method("GET"))
        .and(path("/api/v1/timebookings"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([body])))
        .mount(&server)
        .await;
    let list = client.get_time_bookings().send().await.unwrap();
    assert_booking(&list[0]);
}

#[tokio::test]
async fn an_enum_value_the_document_does_not_list_still_decodes() {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/projectmilestones"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": BOOKING, "projectId": PROJECT, "name": "Launch", "color": "a-colour-added-in-2030"}
        ])))
        .mount(&server)
        .await;
    let milestones = client.get_project_milestones().send().await.unwrap();
    assert_eq!(milestones[0].color.to_string(), "a-colour-added-in-2030");
}

#[tokio::test]
async fn documented_errors_decode_into_awork_error_bodies() {
    let (server, client) = server().await;
    Mock::given(method("PUT"))
        .and(path(format!("/api/v1/timebookings/{BOOKING}")))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "code": "not-found", "description": "gone", "link": "https://developers.awork.com", "traceId": "abc"
        })))
        .mount(&server)
        .await;
    let err = client
        .put_time_booking_by_id()
        .time_booking_id(BOOKING.parse::<Uuid>().unwrap())
        .body(form())
        .send()
        .await
        .unwrap_err();
    let awork_api::Error::ErrorResponse(body) = err else {
        panic!("expected a typed error, got {err:?}")
    };
    assert_eq!(body.status(), 404);
    assert_eq!(body.code, "not-found");
}
