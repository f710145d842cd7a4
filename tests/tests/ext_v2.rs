//! API v2 through the ext client: the explicit v2 base URL, and the same key, user agent
//! and retries as v1.

use awork_api_ext::prelude::*;
use awork_api_ext::{AworkClient, Error};
use futures::TryStreamExt;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk-v2-wire-test";

async fn client_for(server: &MockServer) -> AworkClient {
    AworkClient::builder()
        .api_key(KEY)
        .base_url(format!("{}/api/v1", server.uri()))
        .app_name("v2-test")
        .clock(std::sync::Arc::new(
            awork_api_ext::clock::ManualClock::default(),
        ))
        .build()
        .unwrap()
}

#[tokio::test]
async fn v2_requests_carry_key_and_user_agent_and_are_retried() {
    let server = MockServer::start().await;
    let agent = format!("awork-rs/{} v2-test", env!("CARGO_PKG_VERSION"));
    Mock::given(method("GET"))
        .and(path("/api/v2/timeentries"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/timeentries"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("user-agent", agent.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let entries: Vec<_> = client
        .v2()
        .get_time_entries_v2()
        .stream(PageOptions::default())
        .try_collect()
        .await
        .unwrap();
    assert!(entries.is_empty());
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2, "one 503, one retry");
    assert!(
        received
            .iter()
            .all(|r| r.url.path() == "/api/v2/timeentries")
    );
}

#[tokio::test]
async fn a_v2_error_is_the_crates_error_with_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"code": "forbidden", "description": "no"})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let err = client.v2().get_time_entries_v2().call().await.unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status.as_u16(), 403);
    assert_eq!(api.code.as_deref(), Some("forbidden"));
    assert_eq!(api.attempts, Some(1));
}
