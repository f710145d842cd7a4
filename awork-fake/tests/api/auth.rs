//! Authentication with the bearer API key.

use awork_fake::{FakeAwork, codes};
use uuid::Uuid;

use crate::support::{Api, error_body, form};

#[tokio::test]
async fn missing_wrong_or_malformed_credentials_are_401() {
    let api = Api::start().await;
    let url = api.url("/timebookings");
    let attempts = [
        api.http.get(&url),
        api.http.get(&url).bearer_auth("wrong-key"),
        api.http
            .get(&url)
            .header("Authorization", format!("Basic {}", api.fake.api_key())),
        api.http.get(&url).header("Authorization", "Bearer"),
    ];
    for attempt in attempts {
        let response = attempt.send().await.unwrap();
        let body = error_body(response, 401, codes::UNAUTHORIZED).await;
        assert!(body.details.is_some());
    }
    let scheme_case = api
        .http
        .get(&url)
        .header("Authorization", format!("bearer {}", api.fake.api_key()));
    assert_eq!(scheme_case.send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn rejected_requests_change_nothing_and_are_counted() {
    let api = Api::start().await;
    let response = api
        .http
        .post(api.url("/timebookings"))
        .bearer_auth("wrong-key")
        .json(&form(Uuid::new_v4(), "2024-05-01", "2024-05-01", 1))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(api.fake.bookings().all().is_empty());
    assert_eq!(api.fake.requests().count("POST", "/timebookings"), 1);
}

#[tokio::test]
async fn custom_key_and_user_from_the_builder() {
    let user = Uuid::new_v4();
    let fake = FakeAwork::builder()
        .api_key("team-key")
        .user_id(user)
        .start()
        .await;
    assert_eq!(fake.api_key(), "team-key");
    assert_eq!(fake.user_id(), user);
    let api = Api::around(fake);

    let default_key = api
        .http
        .get(api.url("/timebookings"))
        .bearer_auth(awork_fake::DEFAULT_API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(default_key.status(), 401);

    let created = api
        .create(
            "timebookings",
            &form(Uuid::new_v4(), "2024-05-01", "2024-05-01", 1),
        )
        .await;
    assert_eq!(created["createdBy"], serde_json::json!(user));
}
