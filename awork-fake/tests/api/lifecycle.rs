//! Starting, addressing and stopping the fake; headers common to all answers.

use std::collections::HashSet;
use std::time::Duration;

use awork_fake::{EDGE_REF_HEADER, FakeAwork, TRACE_ID_HEADER};
use reqwest::Method;
use uuid::Uuid;

use crate::support::{Api, form, header};

#[tokio::test]
async fn base_url_points_at_the_loopback_api_root() {
    let fake = FakeAwork::start().await;
    let url = fake.base_url();
    assert_eq!(
        url,
        format!("http://127.0.0.1:{}/api/v1", fake.address().port())
    );
    assert!(fake.address().ip().is_loopback());
    assert_eq!(fake.api_key(), awork_fake::DEFAULT_API_KEY);
    assert_eq!(fake.user_id(), awork_fake::DEFAULT_USER_ID);
}

#[tokio::test]
async fn every_answer_carries_distinct_trace_ids_and_an_edge_ref() {
    let api = Api::start().await;
    let created = api
        .create(
            "timebookings",
            &form(Uuid::new_v4(), "2024-05-01", "2024-05-01", 1),
        )
        .await;
    let id = created["id"].as_str().unwrap();
    let responses = [
        api.get("/timebookings").send().await.unwrap(),
        api.request(Method::DELETE, &format!("/timebookings/{id}"))
            .send()
            .await
            .unwrap(),
        api.get("/nowhere").send().await.unwrap(),
        api.http.get(api.url("/timebookings")).send().await.unwrap(),
    ];
    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses, [200, 204, 404, 401]);
    let mut seen = HashSet::new();
    for response in &responses {
        let trace_id = header(response, TRACE_ID_HEADER);
        assert_eq!(trace_id.len(), 32);
        assert!(trace_id.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(seen.insert(trace_id.to_owned()), "trace ids must differ");
        assert!(!header(response, EDGE_REF_HEADER).is_empty());
    }
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let fake = FakeAwork::start().await;
    let url = format!("{}/timebookings", fake.base_url());
    fake.shutdown().await;
    let refused = reqwest::Client::new().get(&url).send().await;
    assert!(refused.is_err());
}

#[tokio::test]
async fn dropping_the_handle_stops_serving() {
    let fake = FakeAwork::start().await;
    let url = format!("{}/timebookings", fake.base_url());
    drop(fake);
    // The server task stops on its own; poll (bounded) until it does.
    let client = reqwest::Client::new();
    let mut stopped = false;
    for _ in 0..200 {
        if client.get(&url).send().await.is_err() {
            stopped = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(
        stopped,
        "the server kept answering after the handle was dropped"
    );
}
