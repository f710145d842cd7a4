//! The request log: raw paths and queries, arrival times, no credentials.

use std::time::{Duration, Instant};

use awork_fake::{FakeAwork, Fault};
use reqwest::Method;
use reqwest::header::{AUTHORIZATION, USER_AGENT};
use uuid::Uuid;

use crate::support::Api;

/// A query with percent-encoded `'`, space, `&`, `#`, `+` and non-ASCII
/// (`ä`, `€`, lowercase hex for `é`), plus a literal `+` that a form decoder
/// would turn into a space.
const RAW_QUERY: &str =
    "filterby=userId%20eq%20guid%27a%26b%23c%2Bd%27&note=%C3%A4%E2%82%AC%20x+y&lower=%c3%a9";

#[tokio::test]
async fn raw_path_and_query_are_logged_verbatim() {
    let api = Api::start().await;
    let url = format!("{}?{RAW_QUERY}", api.url("/timebookings"));
    api.http
        .get(url)
        .bearer_auth(api.fake.api_key())
        .header(USER_AGENT, "awork-fake-tests/1.0")
        .send()
        .await
        .unwrap();
    let encoded_path = "/nowhere/caf%C3%A9%20%2F%23";
    api.get(encoded_path).send().await.unwrap();

    let log = api.fake.requests().all();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].method, "GET");
    assert_eq!(log[0].path, "/api/v1/timebookings");
    assert_eq!(log[0].query.as_deref(), Some(RAW_QUERY));
    assert_eq!(log[0].user_agent.as_deref(), Some("awork-fake-tests/1.0"));
    assert_eq!(log[1].path, format!("/api/v1{encoded_path}"));
    assert_eq!(log[1].query, None);
    assert_eq!(log[1].user_agent, None);
}

#[tokio::test]
async fn log_keeps_arrival_order_and_times_including_faulted_and_rejected_requests() {
    let api = Api::start().await;
    let delay = Duration::from_millis(300);
    api.fake
        .faults()
        .inject(Fault::status(503).on(Method::GET, "/timebookings"));
    api.fake
        .faults()
        .inject(Fault::latency(delay).on(Method::GET, "/projecttimebookings"));
    let missing = format!("/timebookings/{}", Uuid::new_v4());

    let started = Instant::now();
    let statuses = [
        api.get("/timebookings").send().await.unwrap(),
        api.http.get(api.url("/timebookings")).send().await.unwrap(),
        api.get("/nowhere").send().await.unwrap(),
        api.get("/projecttimebookings").send().await.unwrap(),
        api.request(Method::DELETE, &missing).send().await.unwrap(),
    ]
    .map(|response| response.status().as_u16());
    let finished = Instant::now();
    assert_eq!(statuses, [503, 401, 404, 200, 404]);

    let log = api.fake.requests().all();
    let seen: Vec<(&str, &str)> = log
        .iter()
        .map(|request| (request.method.as_str(), request.path.as_str()))
        .collect();
    let missing = format!("/api/v1{missing}");
    assert_eq!(
        seen,
        [
            ("GET", "/api/v1/timebookings"),
            ("GET", "/api/v1/timebookings"),
            ("GET", "/api/v1/nowhere"),
            ("GET", "/api/v1/projecttimebookings"),
            ("DELETE", missing.as_str()),
        ]
    );
    let authorized: Vec<bool> = log.iter().map(|r| r.has_authorization).collect();
    assert_eq!(authorized, [true, false, true, true, true]);
    assert!(log.windows(2).all(|pair| pair[0].at <= pair[1].at));
    assert!(started <= log[0].at && log[4].at <= finished);
    // Stamped on arrival, before the injected latency was waited out: the
    // next request could only arrive after that wait.
    assert!(log[4].at - log[3].at >= delay);
}

#[tokio::test]
async fn concurrent_requests_are_logged_with_non_decreasing_times() {
    let api = Api::start().await;
    let calls: Vec<_> = (0..16)
        .map(|_| tokio::spawn(api.get("/timebookings").send()))
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap().status(), 200);
    }
    let log = api.fake.requests().all();
    assert_eq!(log.len(), 16);
    assert!(log.windows(2).all(|pair| pair[0].at <= pair[1].at));
}

#[tokio::test]
async fn the_authorization_value_is_never_stored() {
    let key = "very-secret-api-key-4711";
    let api = Api::around(FakeAwork::builder().api_key(key).start().await);
    let url = api.url("/timebookings");
    let attempts = [
        (api.get("/timebookings"), 200),
        (api.http.get(&url).bearer_auth("wrong-secret-0815"), 401),
        (
            api.http.get(&url).header(AUTHORIZATION, "Basic c2VjcmV0"),
            401,
        ),
    ];
    for (attempt, status) in attempts {
        assert_eq!(attempt.send().await.unwrap().status(), status);
    }

    let log = api.fake.requests().all();
    assert_eq!(log.len(), 3);
    assert!(log.iter().all(|request| request.has_authorization));
    let printed = format!("{log:?} {log:#?}");
    for secret in [key, "wrong-secret-0815", "c2VjcmV0", "Bearer", "Basic"] {
        assert!(!printed.contains(secret), "{secret} leaked: {printed}");
    }
}

#[tokio::test]
async fn clear_requests_empties_the_log_but_keeps_the_counters() {
    let api = Api::start().await;
    api.get("/timebookings").send().await.unwrap();
    api.fake.requests().clear();
    assert!(api.fake.requests().all().is_empty());
    assert_eq!(api.fake.requests().total(), 1);

    api.get("/projecttimebookings").send().await.unwrap();
    let log = api.fake.requests().all();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].path, "/api/v1/projecttimebookings");

    api.fake.requests().reset_counts();
    assert_eq!(
        api.fake.requests().all().len(),
        1,
        "resetting counts keeps the log"
    );
}
