//! Injected faults.

use std::time::{Duration, Instant};

use awork_fake::{ErrorResponse, Fault, RateLimit, RetryAfter, TRACE_ID_HEADER, codes};
use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{Api, error_body, form, header, stamp};

/// The rate-limit headers that every 429 carries, with their expected values.
fn expected_rate_headers(reset: &str) -> [(&'static str, String); 7] {
    [
        ("ratelimit-limit", "500".into()),
        ("ratelimit-remaining", "0".into()),
        ("ratelimit-reset", reset.into()),
        ("x-ratelimit-limit-second", "500".into()),
        ("x-ratelimit-remaining-second", "0".into()),
        ("x-ratelimit-limit-minute", "1000".into()),
        ("x-ratelimit-remaining-minute", "0".into()),
    ]
}

#[tokio::test]
async fn rate_limit_with_retry_after_seconds_blocks_the_handler_once() {
    let api = Api::start().await;
    api.fake.faults().inject(
        Fault::rate_limited(RateLimit::new().retry_after_secs(2).reset_secs(1))
            .times(1)
            .on(Method::POST, "/timebookings"),
    );
    let body = form(Uuid::new_v4(), "2024-05-01", "2024-05-01", 60);
    let limited = api
        .request(Method::POST, "/timebookings")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(limited.status(), 429);
    for (name, value) in expected_rate_headers("1") {
        assert_eq!(header(&limited, name), value, "{name}");
    }
    assert_eq!(header(&limited, "retry-after"), "2");
    assert_eq!(header(&limited, TRACE_ID_HEADER).len(), 32);
    let gateway: Value = limited.json().await.unwrap();
    assert_eq!(gateway, json!({ "message": "API rate limit exceeded" }));
    assert!(
        api.fake.bookings().all().is_empty(),
        "the handler must not run"
    );
    assert_eq!(api.fake.faults().pending(), 0);

    api.create("timebookings", &body).await;
    assert_eq!(api.fake.bookings().all().len(), 1);
}

#[tokio::test]
async fn rate_limit_without_retry_after_and_with_error_body() {
    let api = Api::start().await;
    api.fake.faults().inject(Fault::rate_limited(
        RateLimit::new()
            .reset_secs(30)
            .limits(10, 20)
            .remaining_minute(5)
            .error_body(),
    ));
    let limited = api.get("/timebookings").send().await.unwrap();
    assert!(limited.headers().get("retry-after").is_none());
    assert_eq!(header(&limited, "ratelimit-limit"), "10");
    assert_eq!(header(&limited, "ratelimit-reset"), "30");
    assert_eq!(header(&limited, "x-ratelimit-limit-minute"), "20");
    assert_eq!(header(&limited, "x-ratelimit-remaining-minute"), "5");
    error_body(limited, 429, codes::TOO_MANY_REQUESTS).await;
}

#[tokio::test]
async fn rate_limit_with_retry_after_as_http_date() {
    let api = Api::start().await;
    let fixed = stamp("2024-05-01T10:00:02Z");
    api.fake.faults().inject(Fault::rate_limited(
        RateLimit::new().retry_after(RetryAfter::HttpDate(fixed)),
    ));
    api.fake.faults().inject(Fault::rate_limited(
        RateLimit::new().retry_after(RetryAfter::HttpDateIn(Duration::from_secs(30))),
    ));

    let first = api.get("/timebookings").send().await.unwrap();
    assert_eq!(
        header(&first, "retry-after"),
        "Wed, 01 May 2024 10:00:02 GMT"
    );

    let before = Utc::now();
    let second = api.get("/timebookings").send().await.unwrap();
    let after = Utc::now();
    let when = DateTime::parse_from_rfc2822(header(&second, "retry-after")).unwrap();
    assert!(header(&second, "retry-after").ends_with(" GMT"));
    assert!(when >= before + chrono::Duration::seconds(29));
    assert!(when <= after + chrono::Duration::seconds(31));
}

#[tokio::test]
async fn status_faults_answer_with_server_error_for_the_next_n_matching_requests() {
    let api = Api::start().await;
    api.fake
        .faults()
        .inject(Fault::status(503).times(2).on(Method::GET, "/timebookings"));
    api.fake
        .faults()
        .inject(Fault::status(500).on_path("/api/v1/projecttimebookings"));
    assert_eq!(api.fake.faults().pending(), 3);

    // A POST does not match the GET rule.
    api.create(
        "timebookings",
        &form(Uuid::new_v4(), "2024-05-01", "2024-05-01", 1),
    )
    .await;
    for _ in 0..2 {
        let failed = api.get("/timebookings").send().await.unwrap();
        error_body(failed, 503, codes::SERVER_ERROR).await;
    }
    assert_eq!(api.get("/timebookings").send().await.unwrap().status(), 200);

    let other_family = api.get("/projecttimebookings").send().await.unwrap();
    error_body(other_family, 500, codes::SERVER_ERROR).await;
    assert_eq!(api.fake.faults().pending(), 0);
}

#[tokio::test]
async fn faults_apply_before_authentication_and_on_unknown_routes() {
    let api = Api::start().await;
    api.fake.faults().inject(Fault::error(502, "bad-gateway"));
    let unauthenticated = api.http.get(api.url("/nowhere")).send().await.unwrap();
    error_body(unauthenticated, 502, "bad-gateway").await;
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let api = Api::start().await;
    let delay = Duration::from_millis(250);
    api.fake.faults().inject(Fault::latency(delay));
    api.fake
        .faults()
        .inject(Fault::status(503).with_latency(delay));

    let started = Instant::now();
    let slow = api.get("/timebookings").send().await.unwrap();
    assert!(started.elapsed() >= delay);
    assert_eq!(slow.status(), 200);

    let started = Instant::now();
    let slow_failure = api.get("/timebookings").send().await.unwrap();
    assert!(started.elapsed() >= delay);
    assert_eq!(slow_failure.status(), 503);
}

#[tokio::test]
async fn truncated_body_keeps_status_and_cuts_the_json_in_half() {
    let api = Api::start().await;
    let user = Uuid::new_v4();
    api.seed(user, "2024-05-01", "2024-05-02");
    let full = api
        .get("/timebookings")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();

    api.fake.faults().inject(Fault::truncated_body());
    let cut = api.get("/timebookings").send().await.unwrap();
    assert_eq!(cut.status(), 200);
    assert_eq!(header(&cut, "aw-totalitems"), "1");
    let cut = cut.bytes().await.unwrap();
    assert_eq!(cut, full.slice(..full.len() / 2));
    assert!(serde_json::from_slice::<Value>(&cut).is_err());

    // The handler still ran: a truncated create has created the booking.
    api.fake
        .faults()
        .inject(Fault::truncated_body().on_method(Method::POST));
    let created = api
        .request(Method::POST, "/timebookings")
        .json(&form(user, "2024-06-01", "2024-06-01", 5))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 200);
    assert!(created.json::<Value>().await.is_err());
    assert_eq!(api.fake.bookings().all().len(), 2);
}

#[tokio::test]
async fn malformed_body_is_not_json_but_keeps_status() {
    let api = Api::start().await;
    api.fake.faults().inject(Fault::malformed_body().times(2));
    let ok = api.get("/timebookings").send().await.unwrap();
    assert_eq!(ok.status(), 200);
    assert!(header(&ok, "content-type").starts_with("application/json"));
    assert!(serde_json::from_slice::<Value>(&ok.bytes().await.unwrap()).is_err());

    let missing = api
        .request(Method::DELETE, &format!("/timebookings/{}", Uuid::new_v4()))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.json::<ErrorResponse>().await.is_err());
}

#[tokio::test]
async fn mutator_merges_into_every_object() {
    let api = Api::start().await;
    let user = Uuid::new_v4();
    api.seed(user, "2024-05-01", "2024-05-02");
    api.seed(user, "2024-05-03", "2024-05-04");
    let patch = json!({ "brandNewField": { "nested": true }, "isAnonymized": "sometimes" });

    api.fake
        .faults()
        .inject(Fault::mutate(patch.clone()).on(Method::GET, "/timebookings"));
    let listed: Vec<Value> = api
        .get("/timebookings")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 2);
    for item in &listed {
        assert_eq!(item["brandNewField"], json!({ "nested": true }));
        assert_eq!(item["isAnonymized"], "sometimes");
        assert_eq!(item["userId"], json!(user));
    }

    let query = [
        ("userIds", user.to_string()),
        ("intervalStart", "2024-05-01".to_owned()),
        ("intervalEnd", "2024-05-31".to_owned()),
    ];
    api.fake
        .faults()
        .inject(Fault::mutate(json!({ "extra": 1 })));
    let deep: Value = api
        .get("/users/timebookings")
        .query(&query)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(deep[0]["extra"], 1);
    assert_eq!(deep[0]["timeBookings"][1]["extra"], 1);

    api.fake
        .faults()
        .inject(Fault::mutate_top_level(json!({ "extra": 1 })));
    let shallow: Value = api
        .get("/users/timebookings")
        .query(&query)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shallow[0]["extra"], 1);
    assert!(shallow[0]["timeBookings"][0].get("extra").is_none());

    // Error bodies are objects too.
    api.fake
        .faults()
        .inject(Fault::mutate(json!({ "code": "brand-new-code" })));
    let error: Value = api
        .get("/nowhere")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(error["code"], "brand-new-code");
}

#[tokio::test]
async fn first_matching_rule_wins_and_faults_can_be_cleared() {
    let api = Api::start().await;
    api.fake
        .faults()
        .inject(Fault::status(500).on_method(Method::DELETE));
    api.fake.faults().inject(Fault::status(502).times(3));
    api.fake.faults().inject(Fault::status(504));
    assert_eq!(api.get("/timebookings").send().await.unwrap().status(), 502);
    assert_eq!(
        api.request(Method::DELETE, "/timebookings/x")
            .send()
            .await
            .unwrap()
            .status(),
        500
    );
    assert_eq!(api.fake.faults().pending(), 3);
    api.fake.faults().clear();
    assert_eq!(api.fake.faults().pending(), 0);
    assert_eq!(api.get("/timebookings").send().await.unwrap().status(), 200);
}
