//! `POST /api/v1/timeentries/batch/{operation}`: 207 with ok/notFound.

use awork_fake::codes;
use reqwest::{Method, Response};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::entries_support::seed_entry;
use crate::support::{Api, error_body, invalid_properties};

/// Seeds `count` entries of one user.
fn seed(api: &Api, count: usize) -> Vec<Uuid> {
    let user = Uuid::new_v4();
    (0..count)
        .map(|_| seed_entry(api, user, "2024-05-06T08:00:00Z", "2024-05-06T09:00:00Z"))
        .collect()
}

/// POSTs a batch body for `operation`.
async fn batch(api: &Api, operation: &str, body: &Value) -> Response {
    api.request(Method::POST, &format!("/timeentries/batch/{operation}"))
        .json(body)
        .send()
        .await
        .unwrap()
}

/// Expects 207 and returns the body.
async fn multi_status(response: Response) -> Value {
    assert_eq!(response.status(), 207);
    response.json().await.unwrap()
}

#[tokio::test]
async fn set_operations_report_ok_and_not_found() {
    let api = Api::start().await;
    let ids = seed(&api, 3);
    let unknown = Uuid::new_v4();
    let new_work = Uuid::new_v4();
    let cases = [
        ("setTypeOfWork", json!({ "newTypeOfWorkId": new_work })),
        ("SETISBILLABLE", json!({ "isBillable": true })),
        ("setisbilled", json!({ "isBilled": true })),
    ];
    for (operation, mut body) in cases {
        body["timeEntryIds"] = json!([ids[0], unknown, ids[2], ids[0]]);
        let answer = multi_status(batch(&api, operation, &body).await).await;
        assert_eq!(
            answer,
            json!({ "ok": { "ids": [ids[0], ids[2]] }, "notFound": { "ids": [unknown] } }),
            "{operation}"
        );
    }
    for id in [ids[0], ids[2]] {
        let entry = api.fake.time_entries().get(id).unwrap();
        assert_eq!(entry.type_of_work_id, new_work);
        assert!(entry.is_billable && entry.is_billed);
        assert_eq!(entry.updated_by, api.fake.user_id());
        assert!(entry.updated_on > entry.created_on);
    }
    let untouched = api.fake.time_entries().get(ids[1]).unwrap();
    assert_eq!(untouched.type_of_work_id, api.fake.type_of_work_id());
    assert!(!untouched.is_billable && !untouched.is_billed);

    let unset = json!({ "timeEntryIds": [ids[0]], "isBillable": false });
    multi_status(batch(&api, "setIsBillable", &unset).await).await;
    assert!(!api.fake.time_entries().get(ids[0]).unwrap().is_billable);
}

#[tokio::test]
async fn delete_removes_the_found_entries() {
    let api = Api::start().await;
    let ids = seed(&api, 3);
    let unknown = Uuid::new_v4();
    let body = json!({ "timeEntryIds": [ids[1], unknown, ids[2]] });
    let answer = multi_status(batch(&api, "Delete", &body).await).await;
    assert_eq!(
        answer,
        json!({ "ok": { "ids": [ids[1], ids[2]] }, "notFound": { "ids": [unknown] } })
    );
    let left: Vec<Uuid> = api.fake.time_entries().all().iter().map(|e| e.id).collect();
    assert_eq!(left, [ids[0]]);
    let again = multi_status(batch(&api, "delete", &body).await).await;
    assert_eq!(
        again,
        json!({ "ok": { "ids": [] }, "notFound": { "ids": [ids[1], unknown, ids[2]] } })
    );
}

#[tokio::test]
async fn require_all_time_entries_changes_nothing_when_one_is_missing() {
    let api = Api::start().await;
    let ids = seed(&api, 1);
    let body = json!({ "timeEntryIds": [ids[0], Uuid::new_v4()], "requireAllTimeEntries": true });
    error_body(batch(&api, "delete", &body).await, 404, codes::NOT_FOUND).await;
    assert!(api.fake.time_entries().get(ids[0]).is_some());
}

#[tokio::test]
async fn unknown_operations_and_broken_bodies_are_400() {
    let api = Api::start().await;
    let ids = seed(&api, 1);
    let body = json!({ "timeEntryIds": ids });
    for operation in ["setProject", "archive", "set-is-billed"] {
        error_body(
            batch(&api, operation, &body).await,
            400,
            codes::INVALID_BATCH_OPERATION,
        )
        .await;
    }
    let cases = [
        ("delete", json!({}), vec!["timeEntryIds"]),
        (
            "delete",
            json!({ "timeEntryIds": [] }),
            vec!["timeEntryIds"],
        ),
        (
            "delete",
            json!({ "timeEntryIds": "all" }),
            vec!["timeEntryIds"],
        ),
        (
            "delete",
            json!({ "timeEntryIds": [ids[0], "nope"] }),
            vec!["timeEntryIds[1]"],
        ),
        (
            "setTypeOfWork",
            json!({ "timeEntryIds": ids }),
            vec!["newTypeOfWorkId"],
        ),
        (
            "setTypeOfWork",
            json!({ "timeEntryIds": ids, "newTypeOfWorkId": Uuid::nil() }),
            vec!["newTypeOfWorkId"],
        ),
        (
            "setIsBillable",
            json!({ "timeEntryIds": ids }),
            vec!["isBillable"],
        ),
        (
            "setIsBilled",
            json!({ "timeEntryIds": [], "isBilled": "yes" }),
            vec!["isBilled"],
        ),
    ];
    for (operation, body, expected) in cases {
        let response = batch(&api, operation, &body).await;
        let error = error_body(response, 400, codes::VALIDATION_FAILED).await;
        assert_eq!(invalid_properties(&error), expected, "{operation} {body}");
    }
    assert_eq!(api.fake.time_entries().all().len(), 1);
}
