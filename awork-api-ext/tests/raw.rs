//! Requests of your own (`client.raw(..)`) on the wire: the client's key, user agent,
//! retries and errors, encoded queries, and paths refused before anything is sent.

mod common;

use awork_api_ext::Error;
use awork_api_ext::clock::ManualClock;
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk-raw-request-wire";

async fn setup() -> (MockServer, awork_api_ext::AworkClient) {
    let server = MockServer::start().await;
    let client = common::builder(
        &format!("{}/api/v1", server.uri()),
        KEY,
        &ManualClock::default(),
    )
    .app_name("raw-test")
    .build()
    .unwrap();
    (server, client)
}

#[tokio::test]
async fn a_get_carries_the_key_the_user_agent_and_an_encoded_query() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/timetracking/settings"))
        .and(header("authorization", format!("Bearer {KEY}")))
        .and(query_param("filterby", "name eq 'Ärger & Co #1'"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"isActive": true})))
        .expect(1)
        .mount(&server)
        .await;
    let answer: Value = client
        .raw(Method::GET, "/timetracking/settings")
        .query("filterby", "name eq 'Ärger & Co #1'")
        .send()
        .await
        .unwrap();
    assert_eq!(answer, json!({"isActive": true}));
    let sent = &server.received_requests().await.unwrap()[0];
    let agent = sent.headers.get("user-agent").unwrap().to_str().unwrap();
    assert!(
        agent.starts_with("awork-rs/") && agent.ends_with("raw-test"),
        "{agent}"
    );
}

#[tokio::test]
async fn a_post_sends_its_json_and_a_204_is_none() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/users/u1/deactivate"))
        .and(body_json(json!({"reason": "left"})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let answer: Option<Value> = client
        .raw(Method::POST, "/users/u1/deactivate")
        .json(&json!({"reason": "left"}))
        .send_optional()
        .await
        .unwrap();
    assert!(answer.is_none());
}

#[tokio::test]
async fn error_answers_are_the_crates_errors_and_gets_are_retried() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/flaky"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/flaky"))
        .respond_with(ResponseTemplate::new(200).set_body_string("plain text"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "code": "not-found", "description": "x", "details": []
        })))
        .mount(&server)
        .await;
    let response = client
        .raw(Method::GET, "/flaky")
        .send_response()
        .await
        .unwrap();
    assert_eq!(response.text().await.unwrap(), "plain text");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    let err = client
        .raw(Method::GET, "/missing")
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");
    assert!(matches!(err, Error::Api(_)), "{err:?}");
}

#[cfg(feature = "v2")]
#[tokio::test]
async fn v2_goes_to_the_v2_base_url() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/timeentries/simplified"))
        .and(header("authorization", format!("Bearer {KEY}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let answer: Vec<Value> = client
        .raw(Method::GET, "/timeentries/simplified")
        .v2()
        .send()
        .await
        .unwrap();
    assert!(answer.is_empty());
}

#[tokio::test]
async fn paths_that_leave_the_api_are_refused_before_anything_is_sent() {
    let (server, client) = setup().await;
    for bad in ["me", "//other.test/me", "/../admin", "/me?x=1"] {
        let err = client
            .raw(Method::GET, bad)
            .send::<Value>()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Validation { field, .. } if field == "path"),
            "{bad}: {err}"
        );
    }
    // A body that cannot be JSON is refused the same way.
    let mut map = std::collections::HashMap::new();
    map.insert((1, 2), "a key JSON cannot hold");
    let err = client
        .raw(Method::POST, "/x")
        .json(&map)
        .send::<Value>()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation { field, .. } if field == "body"),
        "{err}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
    // Debug shows neither the query value nor the body.
    let request = client
        .raw(Method::POST, "/x")
        .query("filterby", "email eq 'jane@example.test'")
        .json(&json!({"secret": "s3cr3t"}));
    let text = format!("{request:?}");
    assert!(
        !text.contains("jane@") && !text.contains("s3cr3t"),
        "{text}"
    );
}
