//! awork's rate limits for the whole workspace: off by default; when on, every answer
//! carries the counts and a request past a window is a 429 that is not counted.

use awork_fake::{FakeAwork, Limits};
use chrono::{DateTime, Utc};
use reqwest::Method;

use crate::support::{Api, header};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

#[tokio::test]
async fn off_by_default_no_headers_and_no_429() {
    let api = Api::start().await;
    for _ in 0..60 {
        let answer = api.get("/timebookings").send().await.unwrap();
        assert_eq!(answer.status(), 200);
        assert!(
            answer
                .headers()
                .get("x-ratelimit-remaining-second")
                .is_none()
        );
    }
    assert_eq!(api.fake.limits().admitted(), 0);
}

#[tokio::test]
async fn every_answer_counts_down_and_a_full_second_is_refused_across_clients() {
    let fake = FakeAwork::builder()
        .frozen_at(at("2024-05-06T10:00:00.200Z"))
        .workspace_limits(Limits {
            per_second: 3,
            per_minute: 100,
        })
        .start()
        .await;
    let one = Api::around(fake);
    let other_client = reqwest::Client::new();
    let mut left = Vec::new();
    for i in 0..3 {
        let answer = match i % 2 {
            0 => one.get("/timebookings").send().await.unwrap(),
            _ => other_client
                .get(one.url("/projects"))
                .bearer_auth(one.fake.api_key())
                .send()
                .await
                .unwrap(),
        };
        assert_eq!(answer.status(), 200);
        left.push(header(&answer, "x-ratelimit-remaining-second").to_owned());
        assert_eq!(header(&answer, "x-ratelimit-limit-minute"), "100");
    }
    assert_eq!(left, ["2", "1", "0"], "one count for the whole workspace");
    let refused = one
        .request(Method::POST, "/timebookings")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 429);
    assert_eq!(header(&refused, "ratelimit-remaining"), "0");
    assert_eq!(header(&refused, "ratelimit-reset"), "1");
    assert_eq!(
        one.fake.bookings().all().len(),
        0,
        "a refused request does nothing"
    );
    one.fake.clock().advance(std::time::Duration::from_secs(1));
    let next = one.get("/timebookings").send().await.unwrap();
    assert_eq!(next.status(), 200);
    assert_eq!(header(&next, "x-ratelimit-remaining-second"), "2");
    assert_eq!(header(&next, "x-ratelimit-remaining-minute"), "96");
    assert_eq!(
        (one.fake.limits().admitted(), one.fake.limits().refused()),
        (4, 1)
    );
}

#[tokio::test]
async fn requests_without_credentials_name_no_workspace_and_are_not_counted() {
    let fake = FakeAwork::builder()
        .workspace_limits(Limits::STANDARD)
        .start()
        .await;
    let api = Api::around(fake);
    let anonymous = api.http.get(api.url("/timebookings")).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(api.fake.limits().admitted(), 0);
    api.fake.limits().set(None);
    let answer = api.get("/timebookings").send().await.unwrap();
    assert!(answer.headers().get("ratelimit-limit").is_none());
}
