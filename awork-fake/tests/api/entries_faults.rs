//! The request pipeline on the time-entry routes: faults, counting,
//! authentication. v1 routes are addressed without prefix
//! (`/timeentries`), v2 routes with theirs (`/api/v2/timeentries`).

use awork_fake::{Fault, RateLimit, codes};
use reqwest::Method;
use serde_json::Value;
use uuid::Uuid;

use crate::entries_support::{entry_form, seed_entry, v2};
use crate::support::{Api, error_body, header};

#[tokio::test]
async fn a_fault_on_timeentries_hits_the_v1_list_and_by_id_routes() {
    let api = Api::start().await;
    let id = seed_entry(
        &api,
        Uuid::new_v4(),
        "2024-05-06T08:00:00Z",
        "2024-05-06T09:00:00Z",
    );
    api.fake
        .faults()
        .inject(Fault::status(503).times(2).on(Method::GET, "/timeentries"));
    let list = api.get("/timeentries").send().await.unwrap();
    error_body(list, 503, codes::SERVER_ERROR).await;
    let one = api.get(&format!("/timeentries/{id}")).send().await.unwrap();
    error_body(one, 503, codes::SERVER_ERROR).await;
    assert_eq!(api.fake.faults().pending(), 0);
    let healed = api.get("/timeentries").send().await.unwrap();
    assert_eq!(healed.status(), 200);
    assert_eq!(api.fake.requests().count("GET", "/timeentries"), 2);
    assert_eq!(
        api.fake
            .requests()
            .count("GET", "/timeentries/{timeEntryId}"),
        1
    );
}

#[tokio::test]
async fn v2_faults_name_the_v2_prefix() {
    let api = Api::start().await;
    api.fake
        .faults()
        .inject(Fault::status(500).times(1).on(Method::GET, "/timeentries"));
    let untouched = v2(&api, Method::GET, "/timeentries").send().await.unwrap();
    assert_eq!(untouched.status(), 200, "a v1 rule leaves v2 alone");
    assert_eq!(api.fake.faults().pending(), 1);
    api.fake.faults().clear();

    api.fake.faults().inject(
        Fault::rate_limited(RateLimit::new().retry_after_secs(3))
            .times(1)
            .on(Method::POST, "/api/v2/timeentries"),
    );
    let form = entry_form(&api, "2024-05-06T08:00:00Z", "2024-05-06T09:00:00Z");
    let limited = v2(&api, Method::POST, "/timeentries")
        .json(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(limited.status(), 429);
    assert_eq!(header(&limited, "retry-after"), "3");
    assert!(
        api.fake.time_entries().all().is_empty(),
        "the handler must not run"
    );
    let created = v2(&api, Method::POST, "/timeentries")
        .json(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 200);
    assert_eq!(api.fake.requests().count("POST", "/api/v2/timeentries"), 2);
    assert_eq!(api.fake.requests().count("GET", "/api/v2/timeentries"), 1);
}

#[tokio::test]
async fn body_faults_and_timer_routes_go_through_the_pipeline() {
    let api = Api::start().await;
    seed_entry(
        &api,
        Uuid::new_v4(),
        "2024-05-06T08:00:00Z",
        "2024-05-06T09:00:00Z",
    );
    api.fake.faults().inject(
        Fault::mutate(serde_json::json!({ "duration": "weird" }))
            .times(1)
            .on_path("/api/v2/timeentries"),
    );
    let mutated: Value = v2(&api, Method::GET, "/timeentries")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mutated[0]["duration"], "weird");

    api.fake.faults().inject(
        Fault::status(502)
            .times(1)
            .on_path("/api/v2/me/timetracking"),
    );
    let faulted = v2(&api, Method::POST, "/me/timetracking/stop")
        .send()
        .await
        .unwrap();
    error_body(faulted, 502, codes::SERVER_ERROR).await;
    assert_eq!(
        api.fake
            .requests()
            .count("POST", "/api/v2/me/timetracking/stop"),
        1
    );

    let anonymous = api
        .http
        .get(format!("{}/timeentries", api.fake.base_url_v2()))
        .send()
        .await
        .unwrap();
    error_body(anonymous, 401, codes::UNAUTHORIZED).await;
}
