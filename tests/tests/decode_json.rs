//! `awork_api::decode_json`, which the generated operations decode their answers with
//! (the generator's `lean_send` pass), gives what progenitor's own
//! `ResponseValue::from_response` gives for the same answer: status, headers, value,
//! and the same error with the same body when the body is not the expected type.

use awork_api::types::UserAndWorkspace;
use awork_api::{Error, ResponseValue};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server that answers `/good` with a user and `/bad` with a body that is no user.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    let user = serde_json::json!({
        "id": "0a3c0de0-fa4e-4a11-8000-000000000001",
        "firstName": "Ada",
        "workspaceId": "0a3c0de0-fa4e-4a11-8000-000000000002"
    });
    Mock::given(path("/good"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-remaining-second", "49")
                .insert_header("trace-id", "abc")
                .set_body_json(user),
        )
        .mount(&server)
        .await;
    Mock::given(path("/bad"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"id\": 7}"))
        .mount(&server)
        .await;
    server
}

async fn get(server: &MockServer, at: &str) -> reqwest::Response {
    reqwest::get(format!("{}{at}", server.uri())).await.unwrap()
}

#[tokio::test]
async fn a_good_answer_decodes_as_progenitor_decodes_it() {
    let server = server().await;
    let ours: ResponseValue<UserAndWorkspace> =
        awork_api::decode_json::<_, ()>(get(&server, "/good").await)
            .await
            .unwrap();
    let theirs: ResponseValue<UserAndWorkspace> =
        ResponseValue::from_response::<()>(get(&server, "/good").await)
            .await
            .unwrap();
    assert_eq!(ours.status(), theirs.status());
    let date = |r: &ResponseValue<UserAndWorkspace>| {
        let mut headers = r.headers().clone();
        headers.remove("date");
        headers
    };
    assert_eq!(
        date(&ours),
        date(&theirs),
        "the same headers, the date aside"
    );
    assert_eq!(ours.headers()["x-ratelimit-remaining-second"], "49");
    let (ours, theirs) = (ours.into_inner(), theirs.into_inner());
    assert_eq!(ours.first_name.as_deref(), Some("Ada"));
    assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
}

#[tokio::test]
async fn a_body_of_another_type_is_the_same_error_with_the_same_body() {
    let server = server().await;
    let ours = awork_api::decode_json::<UserAndWorkspace, ()>(get(&server, "/bad").await).await;
    let theirs =
        ResponseValue::<UserAndWorkspace>::from_response::<()>(get(&server, "/bad").await).await;
    match (ours, theirs) {
        (
            Err(Error::InvalidResponsePayload(ours, our_error)),
            Err(Error::InvalidResponsePayload(theirs, their_error)),
        ) => {
            assert_eq!(ours, theirs);
            assert_eq!(&ours[..], b"{\"id\": 7}");
            assert_eq!(our_error.to_string(), their_error.to_string());
        }
        other => panic!("expected InvalidResponsePayload from both, got {other:?}"),
    }
}
