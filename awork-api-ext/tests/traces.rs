//! What the client writes to `tracing`: the span names the operation, attempt, status
//! and awork's trace id, and the API key never appears, not even on failure.
//!
//! One test in its own binary with a global subscriber: `tracing` caches per call site
//! whether anyone listens, and per-thread subscribers in parallel tests can race on that
//! cache, so this binary keeps a single subscriber for its whole life.

mod common;

use awork_api_ext::AworkClient;
use awork_api_ext::dates::DateRange;
use awork_api_ext::duration;
use awork_api_ext::time_bookings::TimeBookingDraft;
use awork_fake::{FakeAwork, Fault, Method, RateLimit};
use chrono::NaiveDate;
use uuid::Uuid;

#[tokio::test]
async fn traces_carry_request_facts_and_never_the_key() {
    let logs = common::LogBuffer::default();
    tracing::subscriber::set_global_default(common::capture(&logs)).unwrap();
    let fake = FakeAwork::start().await;

    // A wrong key: 401, and the key is nowhere.
    let secret = "sk-do-not-print-me-42";
    let client = AworkClient::builder()
        .api_key(secret)
        .base_url(fake.base_url())
        .build()
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap();
    let draft = TimeBookingDraft::new(
        Uuid::from_u128(1),
        DateRange::single(day),
        duration::hours(2).unwrap(),
    );
    let err = client.time_bookings().create(&draft).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    for text in [
        err.to_string(),
        format!("{err:?}"),
        format!("{client:?}"),
        logs.text(),
    ] {
        assert!(!text.contains(secret), "the key leaked into: {text}");
    }
    let log = logs.text();
    assert!(
        log.contains("awork.request{operation_id=\"post_time_booking\""),
        "{log}"
    );
    assert!(log.contains("status=401"), "{log}");
    assert!(log.contains("trace_id="), "{log}");

    // A rate-limited GET that succeeds on the second attempt.
    let (client, _) = common::fake_client(&fake);
    fake.inject(
        Fault::rate_limited(RateLimit::new().retry_after_secs(1))
            .times(1)
            .on(Method::GET, "/timebookings"),
    );
    client
        .time_bookings()
        .get(Uuid::from_u128(2))
        .await
        .unwrap();
    let log = logs.text();
    assert!(log.contains("operation_id=\"get_time_bookings\""), "{log}");
    assert!(log.contains("attempt=2"), "{log}");
    assert!(log.contains("status=200"), "{log}");
    assert!(log.contains("retrying"), "{log}");
    assert!(log.contains("path=\"/api/v1/timebookings\""), "{log}");
    assert!(!log.contains(fake.api_key()), "{log}");
    assert!(
        !log.contains("filterby"),
        "query strings stay out of traces: {log}"
    );
}
