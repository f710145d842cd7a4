//! The retrying transport under a generated client, against the fake awork server (and
//! wiremock where the fake always sends a hint): what is retried, how long it waits,
//! how often a request reaches the server, what the final error says, and what the
//! traces show. Waits go to a recording sleeper, so nothing here sleeps for real.

mod common;

use awork_api::Hooks;
use awork_api::types::TimeBookingForm;
use awork_api_ext::Error;
use awork_api_ext::headers::ATTEMPTS;
use awork_api_ext::rate_limit::RateLimiter;
use awork_api_ext::retry::RetryPolicy;
use awork_api_ext::transport::RetryingTransport;
use awork_fake::{FakeAwork, Fault, Method, RateLimit, RetryAfter};
use chrono::{NaiveDate, TimeZone, Utc};
use common::{LogBuffer, RecordingSleeper};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};
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

/// A reqwest client that sends the key as a sensitive default header. Installs the
/// log capture first, so that every client of this file logs into it.
fn http_client() -> reqwest::Client {
    captured_log();
    let mut auth = HeaderValue::from_str(&format!("Bearer {KEY}")).unwrap();
    auth.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, auth);
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap()
}

/// A generated client at `base_url` whose requests go through `policy` and `sleeper`.
fn client_with(
    base_url: &str,
    policy: RetryPolicy,
    sleeper: &Arc<RecordingSleeper>,
) -> awork_api::Client {
    let transport = RetryingTransport::new(policy).with_sleeper(sleeper.clone());
    client_over(base_url, transport)
}

fn client_over(base_url: &str, transport: RetryingTransport) -> awork_api::Client {
    awork_api::Client::new_with_client(
        base_url,
        http_client(),
        Hooks::with_transport(Arc::new(transport)),
    )
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

/// The attempts header of the response inside an error of the generated client.
fn attempts_of<E>(error: &awork_api::Error<E>) -> Option<&str> {
    let headers = match error {
        awork_api::Error::UnexpectedResponse(response) => response.headers(),
        awork_api::Error::ErrorResponse(value) => value.headers(),
        _ => return None,
    };
    headers.get(ATTEMPTS)?.to_str().ok()
}

fn rate_limited(limit: RateLimit, on: Method) -> awork_fake::FaultRule {
    Fault::rate_limited(limit).times(1).on(on, "/timebookings")
}

#[tokio::test]
async fn a_429_with_retry_after_waits_exactly_that_long_then_succeeds() {
    let fake = fake().await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let client = client_with(&fake.base_url(), RetryPolicy::default(), &sleeper);
    fake.inject(rate_limited(
        RateLimit::new().retry_after_secs(2).reset_secs(9),
        Method::GET,
    ));
    let bookings = client.get_time_bookings().send().await.unwrap();
    assert_eq!(sleeper.waits(), [secs(2)]);
    assert_eq!(fake.count("GET", "/timebookings"), 2);
    assert_eq!(bookings.headers()[ATTEMPTS], "2");
}

#[tokio::test]
async fn without_retry_after_the_ratelimit_reset_is_waited() {
    let fake = fake().await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let client = client_with(&fake.base_url(), RetryPolicy::default(), &sleeper);
    fake.inject(rate_limited(RateLimit::new().reset_secs(1), Method::GET));
    client.get_time_bookings().send().await.unwrap();
    assert_eq!(sleeper.waits(), [secs(1)]);
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
    let sleeper = Arc::new(RecordingSleeper::default());
    let policy = RetryPolicy::default().with_backoff(ms(200), secs(1));
    let client = client_with(&format!("{}/api/v1", server.uri()), policy, &sleeper);
    client.get_time_bookings().send().await.unwrap();
    let waits = sleeper.waits();
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert!(
        waits.iter().all(|w| (ms(200)..=secs(1)).contains(w)),
        "{waits:?}"
    );
    assert!(waits[1] > waits[0], "the second step is longer: {waits:?}");
}

/// 2024-05-01 10:00:00 UTC, the transport's idea of "now" in the HTTP-date test.
fn frozen_clock() -> SystemTime {
    SystemTime::UNIX_EPOCH + secs(1_714_557_600)
}

#[tokio::test]
async fn an_http_date_retry_after_is_read_against_the_transports_clock() {
    let fake = fake().await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let transport = RetryingTransport::new(RetryPolicy::default())
        .with_sleeper(sleeper.clone())
        .with_clock(frozen_clock);
    let client = client_over(&fake.base_url(), transport);
    let in_three_seconds = Utc.with_ymd_and_hms(2024, 5, 1, 10, 0, 3).unwrap();
    let a_minute_ago = Utc.with_ymd_and_hms(2024, 5, 1, 9, 59, 0).unwrap();
    for at in [in_three_seconds, a_minute_ago] {
        let limit = RateLimit::new()
            .retry_after(RetryAfter::HttpDate(at))
            .reset_secs(9);
        fake.inject(rate_limited(limit, Method::GET));
    }
    client.get_time_bookings().send().await.unwrap();
    assert_eq!(
        sleeper.waits(),
        [secs(3), Duration::ZERO],
        "a date in the past means now"
    );
}

#[tokio::test]
async fn a_post_answered_503_reaches_awork_exactly_once() {
    let fake = fake().await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let client = client_with(&fake.base_url(), RetryPolicy::default(), &sleeper);
    fake.inject(
        Fault::status(503)
            .times(1)
            .on(Method::POST, "/timebookings"),
    );
    let err = client
        .post_time_booking()
        .body(form(&fake))
        .send()
        .await
        .unwrap_err();
    assert_eq!(fake.count("POST", "/timebookings"), 1);
    assert!(sleeper.waits().is_empty());
    assert_eq!(attempts_of(&err), Some("1"));
    let err = Error::from_generated(err).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(fake.bookings().is_empty());
}

#[tokio::test]
async fn with_the_opt_in_a_post_answered_503_is_retried() {
    let fake = fake().await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let policy = RetryPolicy::default().retry_non_idempotent(true);
    let client = client_with(&fake.base_url(), policy, &sleeper);
    fake.inject(
        Fault::status(503)
            .times(1)
            .on(Method::POST, "/timebookings"),
    );
    client
        .post_time_booking()
        .body(form(&fake))
        .send()
        .await
        .unwrap();
    assert_eq!(fake.count("POST", "/timebookings"), 2);
    assert_eq!(sleeper.waits().len(), 1);
    assert_eq!(fake.bookings().len(), 1);
}

#[tokio::test]
async fn a_post_answered_429_is_retried_because_awork_did_not_process_it() {
    let fake = fake().await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let client = client_with(&fake.base_url(), RetryPolicy::default(), &sleeper);
    fake.inject(rate_limited(
        RateLimit::new().retry_after_secs(1),
        Method::POST,
    ));
    let created = client
        .post_time_booking()
        .body(form(&fake))
        .send()
        .await
        .unwrap();
    assert_eq!(sleeper.waits(), [secs(1)]);
    assert_eq!(fake.count("POST", "/timebookings"), 2);
    assert_eq!(fake.bookings().len(), 1);
    assert_eq!(created.headers()[ATTEMPTS], "2");
}

#[tokio::test]
async fn a_get_answered_503_every_time_stops_after_max_attempts_and_says_so() {
    let fake = fake().await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let policy = RetryPolicy::default().with_max_attempts(3);
    let client = client_with(&fake.base_url(), policy, &sleeper);
    fake.inject(
        Fault::status(503)
            .times(10)
            .on(Method::GET, "/timebookings"),
    );
    let err = client.get_time_bookings().send().await.unwrap_err();
    assert_eq!(fake.count("GET", "/timebookings"), 3);
    assert_eq!(sleeper.waits().len(), 2);
    assert_eq!(attempts_of(&err), Some("3"));
    let err = Error::from_generated(err).await;
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
    let sleeper = Arc::new(RecordingSleeper::default());
    let policy = RetryPolicy::default()
        .with_max_attempts(10)
        .with_max_total_wait(secs(15));
    let client = client_with(&fake.base_url(), policy, &sleeper);
    fake.inject(
        Fault::rate_limited(RateLimit::new().retry_after_secs(10).limits(50, 1000))
            .times(10)
            .on(Method::GET, "/timebookings"),
    );
    let err = client.get_time_bookings().send().await.unwrap_err();
    assert_eq!(sleeper.waits(), [secs(10)], "10 s fit, 20 s would not");
    assert_eq!(fake.count("GET", "/timebookings"), 2);
    let err = Error::from_generated(err).await;
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
    let sleeper = Arc::new(RecordingSleeper::default());
    let policy = RetryPolicy::default().with_max_attempts(3);
    let client = client_with(&closed_port_url(), policy, &sleeper);
    let err = client.get_time_bookings().send().await.unwrap_err();
    assert_eq!(sleeper.waits().len(), 2, "three attempts, two waits");
    let err = Error::from_generated(err).await;
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert!(!err.to_string().contains(KEY));
}

#[tokio::test]
async fn a_refused_connection_is_not_retried_for_post() {
    let fake = fake().await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let client = client_with(&closed_port_url(), RetryPolicy::default(), &sleeper);
    let err = client
        .post_time_booking()
        .body(form(&fake))
        .send()
        .await
        .unwrap_err();
    assert!(sleeper.waits().is_empty());
    assert!(matches!(
        Error::from_generated(err).await,
        Error::Connection { .. }
    ));
}

#[tokio::test]
async fn a_streamed_body_cannot_be_resent_so_it_is_sent_once() {
    use awork_api::Transport;
    let fake = fake().await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let transport = RetryingTransport::new(RetryPolicy::default()).with_sleeper(sleeper.clone());
    fake.inject(Fault::status(503).times(5).on(Method::PUT, "/timebookings"));
    let http = http_client();
    let chunks = futures::stream::iter([Ok::<_, std::io::Error>(b"{}".to_vec())]);
    let url = format!("{}/timebookings/{}", fake.base_url(), uuid::Uuid::nil());
    let request = http
        .put(url)
        .body(reqwest::Body::wrap_stream(chunks))
        .build()
        .unwrap();
    let response = transport
        .execute(&http, request, "put_time_booking_by_id")
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(fake.count("PUT", "/timebookings/{timeBookingId}"), 1);
    assert!(sleeper.waits().is_empty());
    assert_eq!(response.headers()[ATTEMPTS], "1");
}

#[tokio::test]
async fn a_shared_rate_limiter_paces_every_attempt_without_losing_any() {
    let fake = fake().await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let limiter = Arc::new(RateLimiter::custom(50, 1000).unwrap());
    let transport = RetryingTransport::new(RetryPolicy::default())
        .with_sleeper(sleeper.clone())
        .with_rate_limiter(limiter);
    let client = client_over(&fake.base_url(), transport);
    fake.inject(rate_limited(
        RateLimit::new().retry_after_secs(1),
        Method::GET,
    ));
    for _ in 0..3 {
        client.get_time_bookings().send().await.unwrap();
    }
    assert_eq!(fake.count("GET", "/timebookings"), 4);
    assert_eq!(
        sleeper.waits(),
        [secs(1)],
        "the limiter sleeps on its own timer"
    );
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
    let sleeper = Arc::new(RecordingSleeper::default());
    let client = client_with(&fake.base_url(), RetryPolicy::default(), &sleeper);
    fake.inject(
        Fault::status(503)
            .times(1)
            .on(Method::GET, "/projecttimebookings"),
    );
    // The only test that calls this operation, so its lines are this test's.
    let value = client
        .get_project_time_bookings()
        .page(1)
        .page_size(50)
        .send()
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
    for private in ["pageSize", "page=1", "127.0.0.1", "http://"] {
        assert!(!ours.contains(private), "{private:?} in:\n{ours}");
    }
    for secret in [KEY, "Bearer"] {
        assert!(!log.contains(secret), "{secret:?} leaked into the log");
    }
}
