//! Validation of `TimeBookingForm` bodies.

use awork_fake::codes;
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::support::{Api, error_body, form, invalid_properties};

#[tokio::test]
async fn the_contract_judges_types_and_formats_first() {
    let api = Api::start().await;
    let body = json!({
        "userId": Uuid::nil(),
        "projectId": "not-a-guid",
        "startDate": "2024-05-10",
        "endDate": "2024-05-01",
        "duration": -5,
        "description": 7,
        "laneOrder": 1.5
    });
    let response = api
        .request(Method::POST, "/timebookings")
        .json(&body)
        .send()
        .await
        .unwrap();
    let error = error_body(response, 400, codes::VALIDATION_FAILED).await;
    assert_eq!(
        invalid_properties(&error),
        ["projectId", "description", "laneOrder"]
    );
    assert!(
        error
            .validation_errors
            .unwrap()
            .iter()
            .all(|e| !e.message.is_empty())
    );
    assert!(api.fake.bookings().all().is_empty());
}

#[tokio::test]
async fn then_every_rule_of_a_booking_is_reported_per_property() {
    let api = Api::start().await;
    let body = json!({
        "userId": Uuid::nil(),
        "startDate": "2024-05-10",
        "endDate": "2024-05-01",
        "laneOrder": 1
    });
    let response = api
        .request(Method::POST, "/timebookings")
        .json(&body)
        .send()
        .await
        .unwrap();
    let error = error_body(response, 400, codes::VALIDATION_FAILED).await;
    assert_eq!(
        invalid_properties(&error),
        ["userId", "endDate", "duration"]
    );
    assert!(api.fake.bookings().all().is_empty());
}

#[tokio::test]
async fn required_properties_must_be_present() {
    let api = Api::start().await;
    let response = api
        .request(Method::POST, "/projecttimebookings")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let error = error_body(response, 400, codes::VALIDATION_FAILED).await;
    assert_eq!(
        invalid_properties(&error),
        ["userId", "startDate", "endDate", "duration"]
    );

    let nulls = json!({ "userId": null, "startDate": "2024-02-30", "endDate": null, "duration": 2_147_483_648_i64 });
    let response = api
        .request(Method::POST, "/timebookings")
        .json(&nulls)
        .send()
        .await
        .unwrap();
    let error = error_body(response, 400, codes::VALIDATION_FAILED).await;
    assert_eq!(
        invalid_properties(&error),
        ["userId", "startDate", "endDate", "duration"],
        "null is no value of a property that is not nullable; int32 ends at 2^31 - 1"
    );
}

#[tokio::test]
async fn bodies_that_are_not_json_objects_are_invalid_models() {
    let api = Api::start().await;
    for raw in ["this is not json", "[1, 2]", ""] {
        let response = api
            .request(Method::POST, "/timebookings")
            .header("content-type", "application/json")
            .body(raw)
            .send()
            .await
            .unwrap();
        let error = error_body(response, 400, codes::INVALID_MODEL).await;
        assert!(error.validation_errors.is_none());
    }
}

#[tokio::test]
async fn updates_are_validated_too_and_leave_the_booking_unchanged() {
    let api = Api::start().await;
    let created = api
        .create(
            "timebookings",
            &form(Uuid::new_v4(), "2024-05-01", "2024-05-02", 10),
        )
        .await;
    let id = created["id"].as_str().unwrap();
    let mut bad = form(Uuid::new_v4(), "2024-05-03", "2024-05-02", 10);
    bad["duration"] = json!("ten");
    let response = api
        .request(Method::PUT, &format!("/timebookings/{id}"))
        .json(&bad)
        .send()
        .await
        .unwrap();
    let error = error_body(response, 400, codes::VALIDATION_FAILED).await;
    assert_eq!(invalid_properties(&error), ["duration"]);
    let backwards = form(Uuid::new_v4(), "2024-05-03", "2024-05-02", 10);
    let response = api
        .request(Method::PUT, &format!("/timebookings/{id}"))
        .json(&backwards)
        .send()
        .await
        .unwrap();
    let error = error_body(response, 400, codes::VALIDATION_FAILED).await;
    assert_eq!(invalid_properties(&error), ["endDate"]);
    let stored = api.fake.bookings().all();
    assert_eq!(json!(stored[0]), created);
}

#[tokio::test]
async fn unknown_properties_and_date_times_are_refused_as_the_contract_says() {
    let api = Api::start().await;
    let mut body = form(Uuid::new_v4(), "2024-05-01T00:00:00Z", "2024-05-02", 10);
    body["somethingNew"] = json!({ "x": 1 });
    let response = api
        .request(Method::POST, "/timebookings")
        .json(&body)
        .send()
        .await
        .unwrap();
    let error = error_body(response, 400, codes::VALIDATION_FAILED).await;
    let mut found = invalid_properties(&error);
    found.sort_unstable();
    assert_eq!(
        found,
        ["somethingNew", "startDate"],
        "TimeBookingForm is closed and its dates are dates"
    );
    body.as_object_mut().unwrap().remove("somethingNew");
    body["startDate"] = json!("2024-05-01");
    body.as_object_mut().unwrap().remove("laneOrder");
    let created = api.create("timebookings", &body).await;
    assert_eq!(created["startDate"], "2024-05-01");
    assert_eq!(created["laneOrder"], 0, "an absent lane order is 0");
}
