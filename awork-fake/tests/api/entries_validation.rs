//! Validation of `TimeEntryForm` and `StartTimeTrackingForm` bodies.

use awork_fake::codes;
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::entries_support::{create_entry, entry_form, v2};
use crate::support::{Api, error_body, invalid_properties};

#[tokio::test]
async fn post_lists_every_broken_rule_by_json_property() {
    let api = Api::start().await;
    // What awork's contract refuses is listed first, and alone: the entry's own rules
    // are only checked once the body is what the contract allows.
    let contract_cases = [
        (json!({}), vec!["timezone", "typeOfWorkId"]),
        (
            json!({
                "timezone": "",
                "typeOfWorkId": api.fake.type_of_work_id(),
                "projectId": "project",
                "startDate": "next monday",
                "isBillable": "yes",
                "note": 3,
                "color": "red",
            }),
            vec![
                "color",
                "isBillable",
                "note",
                "projectId",
                "startDate",
                "timezone",
            ],
        ),
    ];
    for (form, expected) in contract_cases {
        let response = v2(&api, Method::POST, "/timeentries")
            .json(&form)
            .send()
            .await
            .unwrap();
        let body = error_body(response, 400, codes::VALIDATION_FAILED).await;
        let mut found = invalid_properties(&body);
        found.sort_unstable();
        assert_eq!(found, expected, "{form}");
    }
    let cases = [
        (
            json!({
                "timezone": "Europe/Berln",
                "typeOfWorkId": Uuid::nil(),
                "userId": Uuid::nil(),
                "startDate": "2024-05-06T10:00:00Z",
                "endDate": "2024-05-06T09:59:59Z",
            }),
            vec!["timezone", "typeOfWorkId", "userId", "endDate"],
        ),
        (
            json!({
                "timezone": "UTC",
                "typeOfWorkId": api.fake.type_of_work_id(),
                "duration": -5,
            }),
            vec!["startDate", "duration"],
        ),
        (
            json!({
                "timezone": "UTC",
                "typeOfWorkId": api.fake.type_of_work_id(),
                "isDateOnly": true,
                "startDate": "2024-05-06T00:00:00Z",
                "endDate": "2024-05-06T10:00:00Z",
            }),
            vec!["duration"],
        ),
        (
            json!({
                "timezone": "UTC",
                "typeOfWorkId": api.fake.type_of_work_id(),
                "startDate": "2024-05-06T10:00:00Z",
                "duration": 1.5,
            }),
            vec!["duration"],
        ),
    ];
    for (form, expected) in cases {
        let response = v2(&api, Method::POST, "/timeentries")
            .json(&form)
            .send()
            .await
            .unwrap();
        let body = error_body(response, 400, codes::VALIDATION_FAILED).await;
        assert_eq!(invalid_properties(&body), expected, "{form}");
    }
    assert!(api.fake.time_entries().all().is_empty());
}

#[tokio::test]
async fn bodies_that_are_not_json_objects_are_invalid_models() {
    let api = Api::start().await;
    for body in ["", "[]", "{\"timezone\":", "42"] {
        let response = v2(&api, Method::POST, "/timeentries")
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        error_body(response, 400, codes::INVALID_MODEL).await;
    }
    let start = v2(&api, Method::POST, "/me/timetracking/start")
        .header("content-type", "application/json")
        .body("null")
        .send()
        .await
        .unwrap();
    error_body(start, 400, codes::INVALID_MODEL).await;
}

#[tokio::test]
async fn put_takes_the_same_rules_and_checks_the_id_first() {
    let api = Api::start().await;
    let entry = create_entry(
        &api,
        &entry_form(&api, "2024-05-06T08:00:00Z", "2024-05-06T09:00:00Z"),
    )
    .await;
    let broken = json!({
        "timezone": "UTC",
        "typeOfWorkId": Uuid::nil(),
        "startDate": "2024-05-06T08:00:00Z",
        "endDate": "2024-05-06T07:00:00Z",
    });
    let response = v2(&api, Method::PUT, &format!("/timeentries/{}", entry.id))
        .json(&broken)
        .send()
        .await
        .unwrap();
    let body = error_body(response, 400, codes::VALIDATION_FAILED).await;
    assert_eq!(invalid_properties(&body), ["typeOfWorkId", "endDate"]);
    assert_eq!(api.fake.time_entries().get(entry.id), Some(entry.clone()));
    let not_a_guid = json!({"timezone": "UTC", "typeOfWorkId": "not-a-guid"});
    let response = v2(&api, Method::PUT, &format!("/timeentries/{}", entry.id))
        .json(&not_a_guid)
        .send()
        .await
        .unwrap();
    let body = error_body(response, 400, codes::VALIDATION_FAILED).await;
    assert_eq!(
        invalid_properties(&body),
        ["typeOfWorkId"],
        "the contract checks the format"
    );
    let unknown = v2(
        &api,
        Method::PUT,
        &format!("/timeentries/{}", Uuid::new_v4()),
    )
    .json(&entry_form(
        &api,
        "2024-05-06T08:00:00Z",
        "2024-05-06T09:00:00Z",
    ))
    .send()
    .await
    .unwrap();
    error_body(unknown, 404, codes::NOT_FOUND).await;
}

#[tokio::test]
async fn start_form_needs_zone_and_type_of_work() {
    let api = Api::start().await;
    let response = v2(&api, Method::POST, "/me/timetracking/start")
        .json(&json!({ "timezone": "Mars/Base", "projectId": 1 }))
        .send()
        .await
        .unwrap();
    let body = error_body(response, 400, codes::VALIDATION_FAILED).await;
    assert_eq!(
        invalid_properties(&body),
        ["typeOfWorkId", "projectId"],
        "the contract first"
    );
    let response = v2(&api, Method::POST, "/me/timetracking/start")
        .json(&json!({ "timezone": "Mars/Base", "typeOfWorkId": Uuid::nil() }))
        .send()
        .await
        .unwrap();
    let body = error_body(response, 400, codes::VALIDATION_FAILED).await;
    assert_eq!(
        invalid_properties(&body),
        ["timezone", "typeOfWorkId"],
        "then the timer's own rules"
    );
    assert!(api.fake.time_entries().all().is_empty());
}
