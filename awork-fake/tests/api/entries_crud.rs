//! Create, read, replace and list time entries on `/api/v2`.

use awork_fake::{NewTimeEntry, TimeEntry, codes};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::entries_support::{
    create_entry, entry_form, entry_ids, list_v2, paging_headers, seed_entry, v2,
};
use crate::support::{Api, day, error_body, invalid_properties, refused_parameter, stamp};

#[tokio::test]
async fn v2_create_read_and_replace_round_trip() {
    let api = Api::start().await;
    let mut form = entry_form(&api, "2024-05-06T08:00:00Z", "2024-05-06T09:30:00Z");
    form["duration"] = json!(60);
    form["projectId"] = json!(Uuid::from_u128(5));
    let created = v2(&api, Method::POST, "/timeentries")
        .json(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 200);
    let created: Value = created.json().await.unwrap();
    check_created_shape(&created, &api);
    let id: Uuid = created["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(json!(api.fake.time_entries().get(id).unwrap()), created);

    let read = v2(&api, Method::GET, &format!("/timeentries/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);
    assert_eq!(read.json::<Value>().await.unwrap(), created);

    let replacement = json!({
        "timezone": "UTC",
        "typeOfWorkId": Uuid::from_u128(9),
        "startDate": "2024-05-07T10:00:00Z",
        "duration": 1800,
        "projectId": null,
    });
    let replaced = v2(&api, Method::PUT, &format!("/timeentries/{id}"))
        .json(&replacement)
        .send()
        .await
        .unwrap();
    assert_eq!(replaced.status(), 200);
    let replaced: TimeEntry = replaced.json().await.unwrap();
    assert_eq!(replaced.id, id);
    assert_eq!(replaced.timezone, "UTC");
    assert_eq!(replaced.type_of_work_id, Uuid::from_u128(9));
    assert_eq!(replaced.start_date, stamp("2024-05-07T10:00:00Z"));
    assert_eq!(replaced.end_date, Some(stamp("2024-05-07T10:30:00Z")));
    assert_eq!(replaced.duration, 1800);
    assert_eq!(
        (replaced.project_id, replaced.note.as_deref()),
        (None, None),
        "absent and null properties are cleared"
    );
    assert!(!replaced.is_billable);
    assert_eq!(replaced.created_on, stamp("2024-05-01T10:00:00Z"));
    assert_eq!(
        replaced.updated_on,
        stamp("2024-05-01T10:00:00.001Z"),
        "a millisecond later on the still clock"
    );
    assert_eq!(api.fake.time_entries().get(id), Some(replaced));
}

/// Every property of a created entry: `endDate` won over `duration`.
fn check_created_shape(created: &Value, api: &Api) {
    let mut keys: Vec<&str> = created
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
            "endDate",
            "id",
            "isBillable",
            "isBilled",
            "isDateOnly",
            "note",
            "projectId",
            "startDate",
            "taskId",
            "timezone",
            "typeOfWorkId",
            "updatedBy",
            "updatedOn",
            "userId",
        ]
    );
    assert_eq!(created["startDate"], "2024-05-06T08:00:00Z");
    assert_eq!(created["endDate"], "2024-05-06T09:30:00Z");
    assert_eq!(created["duration"], 5400);
    assert_eq!(created["breakDuration"], 0);
    assert_eq!(created["breaks"], json!([]));
    assert_eq!(created["isDateOnly"], false);
    assert_eq!(created["isBillable"], true);
    assert_eq!(created["isBilled"], false);
    assert_eq!(created["timezone"], "Europe/Berlin");
    assert_eq!(created["note"], "tracked work");
    assert_eq!(created["taskId"], Value::Null);
    assert_eq!(created["projectId"], json!(Uuid::from_u128(5)));
    assert_eq!(created["typeOfWorkId"], json!(api.fake.type_of_work_id()));
    assert_eq!(created["userId"], json!(api.fake.user_id()));
    assert_eq!(created["createdBy"], json!(api.fake.user_id()));
    assert_eq!(created["createdOn"], "2024-05-01T10:00:00Z");
    assert_eq!(created["updatedOn"], created["createdOn"]);
}

#[tokio::test]
async fn v2_duration_alone_sets_the_end_and_user_id_is_kept() {
    let api = Api::start().await;
    let someone = Uuid::new_v4();
    let form = json!({
        "timezone": "Europe/Berlin",
        "typeOfWorkId": api.fake.type_of_work_id(),
        "userId": someone,
        "taskId": Uuid::from_u128(3),
        "isBilled": true,
        "startDate": "2024-05-06T10:00:00+02:00",
        "duration": 900,
    });
    let entry = create_entry(&api, &form).await;
    assert_eq!(entry.user_id, someone);
    assert_eq!(entry.created_by, api.fake.user_id());
    assert_eq!(entry.task_id, Some(Uuid::from_u128(3)));
    assert!(entry.is_billed);
    assert_eq!(entry.start_date, stamp("2024-05-06T08:00:00Z"));
    assert_eq!(entry.end_date, Some(stamp("2024-05-06T08:15:00Z")));
    assert_eq!(entry.duration, 900);
}

#[tokio::test]
async fn v2_date_only_entries_keep_date_and_duration_without_end() {
    let api = Api::start().await;
    let form = json!({
        "timezone": "Europe/Berlin",
        "typeOfWorkId": api.fake.type_of_work_id(),
        "isDateOnly": true,
        "startDate": "2024-05-06T00:00:00Z",
        "endDate": "2024-05-06T18:00:00Z",
        "duration": 7200,
    });
    let entry = create_entry(&api, &form).await;
    assert!(entry.is_date_only);
    assert_eq!(entry.start_date, stamp("2024-05-06T00:00:00Z"));
    assert_eq!(entry.end_date, None);
    assert_eq!(entry.duration, 7200);
    assert!(!entry.is_running());
    let raw = json!(entry);
    assert_eq!(raw["endDate"], Value::Null);
}

#[tokio::test]
async fn v2_unknown_and_malformed_ids() {
    let api = Api::start().await;
    let unknown = Uuid::new_v4();
    let missing = v2(&api, Method::GET, &format!("/timeentries/{unknown}"))
        .send()
        .await
        .unwrap();
    let body = error_body(missing, 404, codes::NOT_FOUND).await;
    assert!(body.details.unwrap()[0].contains(&unknown.to_string()));
    let form = entry_form(&api, "2024-05-06T08:00:00Z", "2024-05-06T09:00:00Z");
    let put = v2(&api, Method::PUT, &format!("/timeentries/{unknown}"))
        .json(&form)
        .send()
        .await
        .unwrap();
    error_body(put, 404, codes::NOT_FOUND).await;
    let response = v2(&api, Method::GET, "/timeentries/not-a-guid")
        .send()
        .await
        .unwrap();
    refused_parameter(response, "timeEntryId").await;
    let response = v2(&api, Method::DELETE, "/timeentries/not-a-guid")
        .send()
        .await
        .unwrap();
    error_body(response, 405, codes::METHOD_NOT_ALLOWED).await;
    let id = seed_entry(
        &api,
        api.fake.user_id(),
        "2024-05-06T08:00:00Z",
        "2024-05-06T09:00:00Z",
    );
    let delete = v2(&api, Method::DELETE, &format!("/timeentries/{id}"))
        .send()
        .await
        .unwrap();
    error_body(delete, 405, codes::METHOD_NOT_ALLOWED).await;
    assert!(api.fake.time_entries().get(id).is_some());
}

#[tokio::test]
async fn seeded_entries_are_served_and_read_back() {
    let api = Api::start().await;
    let (user, work) = (Uuid::new_v4(), api.fake.type_of_work_id());
    let completed = api.fake.time_entries().insert(
        NewTimeEntry::new(
            user,
            work,
            stamp("2024-05-06T08:00:00Z"),
            stamp("2024-05-06T08:45:00Z"),
        )
        .timezone("Europe/Berlin")
        .project(Uuid::from_u128(1))
        .task(Uuid::from_u128(2))
        .note("seeded")
        .billable(true)
        .billed(true),
    );
    let day_only =
        api.fake
            .time_entries()
            .insert(NewTimeEntry::date_only(user, work, day("2024-05-07"), 600));
    let running = api.fake.time_entries().insert(NewTimeEntry::running(
        user,
        work,
        stamp("2024-05-08T07:00:00Z"),
    ));
    let all = api.fake.time_entries().all();
    assert_eq!(entry_ids(&all), [completed, day_only, running]);
    let first = api.fake.time_entries().get(completed).unwrap();
    assert_eq!(first.duration, 2700);
    assert_eq!(first.note.as_deref(), Some("seeded"));
    assert_eq!(first.project_id, Some(Uuid::from_u128(1)));
    assert_eq!(first.task_id, Some(Uuid::from_u128(2)));
    assert!(first.is_billable && first.is_billed);
    assert_eq!(first.created_by, api.fake.user_id());
    assert!(all[2].is_running() && !all[2].is_paused());
    assert_eq!(list_v2(&api, &[]).await, all);
    api.fake.clear();
    assert!(api.fake.time_entries().all().is_empty());
}

#[tokio::test]
#[should_panic(expected = "not a known IANA time zone")]
async fn seeding_an_unknown_zone_panics() {
    let api = Api::start().await;
    let at = stamp("2024-05-06T08:00:00Z");
    api.fake
        .time_entries()
        .insert(NewTimeEntry::new(Uuid::new_v4(), Uuid::new_v4(), at, at).timezone("Europe/Berln"));
}

#[tokio::test]
async fn v2_list_pages_with_aw_headers() {
    let api = Api::start().await;
    let user = Uuid::new_v4();
    let seeded: Vec<Uuid> = (0..5)
        .map(|_| seed_entry(&api, user, "2024-05-06T08:00:00Z", "2024-05-06T09:00:00Z"))
        .collect();
    let mut collected = Vec::new();
    for (page, items) in [(1, 2), (2, 2), (3, 1), (4, 0)] {
        let response = v2(&api, Method::GET, "/timeentries")
            .query(&[("page", page.to_string()), ("PAGESIZE", "2".into())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            paging_headers(&response),
            [page.to_string(), "2".into(), items.to_string(), "5".into()]
        );
        let entries: Vec<TimeEntry> = response.json().await.unwrap();
        assert_eq!(entries.len(), items);
        collected.extend(entries);
    }
    assert_eq!(entry_ids(&collected), seeded);

    let defaults = v2(&api, Method::GET, "/timeentries").send().await.unwrap();
    assert_eq!(
        paging_headers(&defaults),
        ["1".to_owned(), "1000".into(), "5".into(), "5".into()]
    );
    let too_big = v2(&api, Method::GET, "/timeentries")
        .query(&[("pageSize", "1001"), ("page", "0")])
        .send()
        .await
        .unwrap();
    let body = error_body(too_big, 400, codes::VALIDATION_FAILED).await;
    let mut found = invalid_properties(&body);
    found.sort_unstable();
    assert_eq!(found, ["page", "pageSize"]);
}
