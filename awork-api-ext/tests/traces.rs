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
use awork_api_ext::uploads::UploadFile;
use awork_api_ext::webhooks::{EventSet, EventType, WebhookDraft};
use awork_fake::{FakeAwork, Fault, Method, RateLimit};
use chrono::NaiveDate;
use secrecy::SecretString;
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

    // An upload: its span names the operation, every chunk is an event, the content is
    // nowhere.
    let task = Uuid::from_u128(3);
    client
        .uploads()
        .operation("CreateTaskFile")
        .path_param("taskId", task)
        .file(
            "File",
            UploadFile::from_bytes("notes.txt", "private notes ".repeat(10_000)),
        )
        .send()
        .await
        .unwrap();
    let log = logs.text();
    assert!(log.contains("operation_id=\"create_task_file\""), "{log}");
    assert!(log.contains("upload chunk"), "{log}");
    assert!(log.contains("sent=140000 total=140000"), "{log}");
    assert!(!log.contains("private notes"), "{log}");

    // Creating a webhook: the header's value is in no log line and no error (the fake
    // has no webhooks, so this ends in a 404).
    let hook_secret = "hook-value-do-not-log";
    let draft = WebhookDraft::new(
        "sync",
        "https://hooks.example.com/awork",
        EventSet::new().with(EventType::TaskAdded),
    )
    .auth_header("X-Awork-Token", SecretString::from(hook_secret));
    let err = client.webhooks().create(&draft).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    for text in [logs.text(), err.to_string(), format!("{err:?} {draft:?}")] {
        assert!(
            !text.contains(hook_secret),
            "the header value leaked into: {text}"
        );
    }
}
