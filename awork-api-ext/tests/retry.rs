//! The retrying transport under the generated operations, against the fake awork server
//! (and wiremock where the fake always sends a hint): what is retried, how long it waits,
//! how often a request reaches the server, what the final error says, and what the
//! traces show. Waits go to a manual clock, so nothing here sleeps for real.

mod common;

use awork_api::types::TimeBookingForm;
use awork_api_ext::clock::{Clock, ManualClock};
use awork_api_ext::prelude::*;
use awork_api_ext::rate_limit::RateLimiter;
use awork_api_ext::retry::RetryPolicy;
use awork_api_ext::{AworkClient, Error};
use awork_fake::{FakeAwork, Fault, Method, RateLimit, RetryAfter};
use chrono::{NaiveDate, TimeZone, Utc};
use common::LogBuffer;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk-retry-test-4711-do-not-log";

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A fake that accepts only [`KEY`].
async fn fake() -> FakeAwork {
    FakeAwork::builder().api_key(KEY).start().await
}

/// A client at `base_url` with [`KEY`] whose requests follow `policy` and wait on
/// `clock`. Installs the log capture first, so that every client of this file logs
/// into it.
fn client_with(base_url: &str, policy: RetryPolicy, clock: &ManualClock) -> AworkClient {
    captured_log();
    AworkClient::builder()
        .api_key(KEY)
        .base_url(base_url)
        .retry_policy(policy)
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap()
}

fn form(fake: &FakeAwork) -> TimeBookingForm {
    let day = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap();
    TimeBookingForm {
        user_id: Some(fake.user_id()),
        start_date: Some(day),
        end_date: Some(day),
        duration: Some(3600),
        ..Default::default()
    }
}

fn rate_limited(limit: RateLimit, on: Method) -> awork_fake::FaultRule {
    Fault::rate_limited(limit).times(1).on(on, "/timebookings")
}

#[tokio::test]
async fn a_429_with_retry_after_waits_exactly_that_long_then_succeeds() {
    let fake = fake().await;
    let clock = ManualClock::default();
    let client = client_with(&fake.base_url(), RetryPolicy::default(), &clock);
    fake.faults().inject(rate_limited(
        RateLimit::new().retry_after_secs(2).reset_secs(9),
        Method::GET,
    ));
    client.api().get_time_bookings().call().await.unwrap();
    assert_eq!(clock.waits(), [secs(2)]);
    assert_eq!(fake.requests().count("GET", "/timebookings"), 2);
}

#[tokio::test]
async fn without_retry_after_the_ratelimit_reset_is_waited() {
    let fake = fake().await;
    let clock = ManualClock::default();
    let client = client_with(&fake.base_url(), RetryPolicy::default(), &clock);
    fake.faults()
        .inject(rate_limited(RateLimit::new().reset_secs(1), Method::GET));
    client.api().get_time_bookings().call().await.unwrap();
    assert_eq!(clock.waits(), [secs(1)]);
}

#[tokio::test]
async fn without_any_hint_the_wait_is_a_growing_backoff_within_bounds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/timebookings"))
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/timebookings"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    let clock = ManualClock::default();
    let policy = RetryPolicy::default().with_backoff(ms(200), secs(1));
    let client = client_with(&format!("{}/api/v1", server.uri()), policy, &clock);
    client.api().get_time_bookings().call().await.unwrap();
    let waits = clock.waits();
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert!(
        waits.iter().all(|w| (ms(200)..=secs(1)).contains(w)),
        "{waits:?}"
    );
    assert!(waits[1] > waits[0], "the second step is longer: {waits:?}");
}

/// A generated operation's request is built again for its second attempt (nothing is
/// copied before the first): the copy must be the same request, byte for byte.
#[tokio::test]
async fn a_request_sent_again_is_the_same_request_built_afresh() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/timebookings"))
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/timebookings"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let clock = ManualClock::default();
    let client = client_with(
        &format!("{}/api/v1", server.uri()),
        RetryPolicy::default(),
        &clock,
    );
    let fake_user = uuid::Uuid::from_u128(7);
    let day = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap();
    let booking = TimeBookingForm {
        user_id: Some(fake_user),
        start_date: Some(day),
        end_date: Some(day),
        duration: Some(3600),
        description: Some("built twice".into()),
        ..Default::default()
    };
    client
        .api()
        .post_time_booking()
        .body(booking)
        .call()
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    let (first, again) = (&received[0], &received[1]);
    assert_eq!(first.method, again.method);
    assert_eq!(first.url, again.url);
    assert_eq!(first.body, again.body);
    assert!(String::from_utf8_lossy(&again.body).contains("built twice"));
    let headers = |r: &wiremock::Request| {
        let mut all: Vec<(String, String)> = r
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
            .collect();
        all.sort();
        all
    };
    assert_eq!(headers(first), headers(again));
    for name in ["authorization", "user-agent", "api-version", "content-type"] {
        assert!(again.headers.contains_key(name), "the copy lacks {name}");
    }
}

#[tokio::test]
async fn an_http_date_retry_after_is_read_against_the_clients_clock() {
    let fake = fake().await;
    // The manual clock starts at 2024-05-01 10:00:00 UTC.
    let clock = ManualClock::default();
    let client = client_with(&fake.base_url(), RetryPolicy::default(), &clock);
    let in_three_seconds = Utc.with_ymd_and_hms(2024, 5, 1, 10, 0, 3).unwrap();
    let a_minute_ago = Utc.with_ymd_and_hms(2024, 5, 1, 9, 59, 0).unwrap();
    for at in [in_three_seconds, a_minute_ago] {
        let limit = RateLimit::new()
            .retry_after(RetryAfter::HttpDate(at))
            .reset_secs(9);
        fake.faults().inject(rate_limited(limit, Method::GET));
    }
    client.api().get_time_bookings().call().await.unwrap();
    assert_eq!(
        clock.waits(),
        [secs(3), Duration::ZERO],
        "a date in the past means now"
    );
}

#[tokio::test]
async fn a_post_answered_503_reaches_awork_exactly_once() {
    let fake = fake().await;
    let clock = ManualClock::default();
    let client = client_with(&fake.base_url(), RetryPolicy::default(), &clock);
    fake.faults().inject(
        Fault::status(503)
            .times(1)
            .on(Method::POST, "/timebookings"),
    );
    let err = client
        .api()
        .post_time_booking()
        .body(form(&fake))
        .call()
        .await
        .unwrap_err();
    assert_eq!(fake.requests().count("POST", "/timebookings"), 1);
    assert!(clock.waits().is_empty());
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(fake.bookings().all().is_empty());
}

#[tokio::test]
async fn with_the_opt_in_a_post_answered_503_is_retried() {
    let fake = fake().await;
    let clock = ManualClock::default();
    let policy = RetryPolicy::default().retry_non_idempotent(true);
    let client = client_with(&fake.base_url(), policy, &clock);
    fake.faults().inject(
        Fault::status(503)
            .times(1)
            .on(Method::POST, "/timebookings"),
    );
    client
        .api()
        .post_time_booking()
        .body(form(&fake))
        .call()
        .await
        .unwrap();
    assert_eq!(fake.requests().count("POST", "/timebookings"), 2);
    assert_eq!(clock.waits().len(), 1);
    assert_eq!(fake.bookings().all().len(), 1);
}

#[tokio::test]
async fn a_post_answered_429_is_retried_because_awork_did_not_process_it() {
    let fake = fake().await;
    let clock = ManualClock::default();
    let client = client_with(&fake.base_url(), RetryPolicy::default(), &clock);
    fake.faults().inject(rate_limited(
        RateLimit::new().retry_after_secs(1),
        Method::POST,
    ));
    client
        .api()
        .post_time_booking()
        .body(form(&fake))
        .call()
        .await
        .unwrap();
    assert_eq!(clock.waits(), [secs(1)]);
    assert_eq!(fake.requests().count("POST", "/timebookings"), 2);
    assert_eq!(fake.bookings().all().len(), 1);
}

#[tokio::test]
async fn a_get_answered_503_every_time_stops_after_max_attempts_and_says_so() {
    let fake = fake().await;
    let clock = ManualClock::default();
    let policy = RetryPolicy::default().with_max_attempts(3);
    let client = client_with(&fake.base_url(), policy, &clock);
    fake.faults().inject(
        Fault::status(503)
            .times(10)
            .on(Method::GET, "/timebookings"),
    );
    let err = client.api().get_time_bookings().call().await.unwrap_err();
    assert_eq!(fake.requests().count("GET", "/timebookings"), 3);
    assert_eq!(clock.waits().len(), 2);
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.attempts, Some(3));
    let text = err.to_string();
    assert!(
        text.starts_with("awork answered 503 Service Unavailable server-error"),
        "{text}"
    );
    assert!(text.contains(" after 3 attempts [trace-id "), "{text}");
}

#[tokio::test]
async fn the_total_wait_budget_stops_before_a_wait_that_would_exceed_it() {
    let fake = fake().await;
    let clock = ManualClock::default();
    let policy = RetryPolicy::default()
        .with_max_attempts(10)
        .with_max_total_wait(secs(15));
    let client = client_with(&fake.base_url(), policy, &clock);
    fake.faults().inject(
        Fault::rate_limited(RateLimit::new().retry_after_secs(10).limits(50, 1000))
            .times(10)
            .on(Method::GET, "/timebookings"),
    );
    let err = client.api().get_time_bookings().call().await.unwrap_err();
    assert_eq!(clock.waits(), [secs(10)], "10 s fit, 20 s would not");
    assert_eq!(fake.requests().count("GET", "/timebookings"), 2);
    assert!(matches!(err, Error::RateLimited(_)), "{err:?}");
    assert!(
        err.to_string().starts_with(
            "rate limited by awork (429) after 2 attempts; awork asked to wait 10 s; limit 50"
        ),
        "{err}"
    );
}

/// A base URL on 127.0.0.1 where nothing listens.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}/api/v1")
}

#[tokio::test]
async fn a_refused_connection_is_retried_for_get_then_reported() {
    let clock = ManualClock::default();
    let policy = RetryPolicy::default().with_max_attempts(3);
    let client = client_with(&closed_port_url(), policy, &clock);
    let err = client
        .api()
        .get_time_bookings()
        .filterby("description eq 'Jane Doe, sick leave'")
        .call()
        .await
        .unwrap_err();
    assert_eq!(clock.waits().len(), 2, "three attempts, two waits");
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert_eq!(
        err.attempts(),
        Some(3),
        "counted for transport failures too"
    );
    assert!(err.to_string().ends_with("after 3 attempts"), "{err}");
    // The cause is kept, and neither it nor the message holds the URL (whose query
    // carries the filter) or the key, in Display or Debug.
    let source = std::error::Error::source(&err).expect("the HTTP error is the source");
    let chain = format!("{err} / {source} / {source:?} / {err:?}");
    assert!(
        chain.contains("Connection refused"),
        "the cause is there: {chain}"
    );
    for private in [KEY, "Jane", "filterby", "/api/v1", "timebookings"] {
        assert!(!chain.contains(private), "{private:?} in {chain}");
    }
}

#[tokio::test]
async fn a_refused_connection_is_not_retried_for_post() {
    let fake = fake().await;
    let clock = ManualClock::default();
    let client = client_with(&closed_port_url(), RetryPolicy::default(), &clock);
    let err = client
        .api()
        .post_time_booking()
        .body(form(&fake))
        .call()
        .await
        .unwrap_err();
    assert!(clock.waits().is_empty());
    assert!(
        matches!(
            err,
            Error::Connection {
                attempts: Some(1),
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_shared_rate_limiter_paces_every_attempt_without_losing_any() {
    let fake = fake().await;
    let clock = ManualClock::default();
    // Two clients, one budget of 2 requests per second, on the same manual clock.
    let limiter = Arc::new(
        RateLimiter::custom(2, 1000)
            .unwrap()
            .with_clock(Arc::new(clock.clone())),
    );
    let build = || {
        AworkClient::builder()
            .api_key(KEY)
            .base_url(fake.base_url())
            .clock(Arc::new(clock.clone()))
            .rate_limiter(limiter.clone())
            .build()
            .unwrap()
    };
    let (first, second) = (build(), build());
    fake.faults().inject(rate_limited(
        RateLimit::new().retry_after_secs(1),
        Method::GET,
    ));
    first.api().get_time_bookings().call().await.unwrap();
    second.api().get_time_bookings().call().await.unwrap();
    second.api().get_time_bookings().call().await.unwrap();
    assert_eq!(fake.requests().count("GET", "/timebookings"), 4);
    // Attempts at 0 s (429) and 1 s (its retry, after awork's 1 s); the second request
    // also goes at 1 s; the third finds two requests in the second from 1 s and waits
    // for the next one. Without the limiter only awork's wait would be in the record.
    assert_eq!(clock.waits(), [secs(1), secs(1)], "{:?}", clock.waits());
    assert_eq!(clock.elapsed(), secs(2));
}

/// Everything every test of this file logs, at every level, spans included.
///
/// One global subscriber, installed before any client exists, rather than a
/// thread-local one in the tracing test: tracing caches per call site whether anyone
/// listens, and a call site first reached by a parallel test before a thread-local
/// subscriber registers can stay muted for it.
fn captured_log() -> &'static LogBuffer {
    static LOG: OnceLock<LogBuffer> = OnceLock::new();
    LOG.get_or_init(|| {
        let buffer = LogBuffer::default();
        tracing::subscriber::set_global_default(common::capture(&buffer)).unwrap();
        buffer
    })
}

#[tokio::test]
async fn traces_show_operation_attempts_status_and_trace_id_but_never_the_key() {
    let fake = fake().await;
    let clock = ManualClock::default();
    let client = client_with(&fake.base_url(), RetryPolicy::default(), &clock);
    fake.faults().inject(
        Fault::status(503)
            .times(1)
            .on(Method::GET, "/projecttimebookings"),
    );
    // The only test that calls this operation, so its lines are this test's.
    let value = client
        .api()
        .get_project_time_bookings()
        .filterby(format!("userId eq guid'{}'", fake.user_id()))
        .page(1)
        .page_size(50)
        .call_with_response()
        .await
        .unwrap();
    let trace_id = value.headers()["trace-id"].to_str().unwrap().to_owned();
    let log = captured_log().text();
    let ours: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("operation_id=\"get_project_time_bookings\""))
        .filter(|line| line.contains("awork_api_ext::"))
        .collect();
    let ours = ours.join("\n");
    for expected in [
        "awork.request{",
        "method=GET",
        "path=\"/api/v1/projecttimebookings\"",
        "attempt=1",
        "attempt=2",
        "status=503",
        "status=200",
        trace_id.as_str(),
        "awork answered with a server error; retrying",
        "wait_ms=",
        "awork request finished attempts=2",
    ] {
        assert!(ours.contains(expected), "missing {expected:?} in:\n{ours}");
    }
    // The query string (here a user id in the filter) stays out of the log.
    let user = fake.user_id().to_string();
    assert!(
        fake.requests()
            .all()
            .iter()
            .any(|r| r.query.as_deref().is_some_and(|q| q.contains(&user)))
    );
    for private in [
        "pageSize",
        "page=1",
        "filterby",
        user.as_str(),
        "127.0.0.1",
        "http://",
    ] {
        assert!(!ours.contains(private), "{private:?} in:\n{ours}");
    }
    for secret in [KEY, "Bearer"] {
        assert!(!log.contains(secret), "{secret:?} leaked into the log");
    }
}
