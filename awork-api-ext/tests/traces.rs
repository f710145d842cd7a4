//! What the client writes to `tracing`: the span names the operation, attempt, status
//! and awork's trace id, and no credential ever appears, not even on failure: not the
//! API key, and none of the secrets of an OAuth sign-in (code, tokens, client secret),
//! which are shown to have been used, accepted by the fake, while the log was captured.
//!
//! One test in its own binary with a global subscriber: `tracing` caches per call site
//! whether anyone listens, and per-thread subscribers in parallel tests can race on that
//! cache, so this binary keeps a single subscriber for its whole life.

mod common;

use awork_api_ext::AworkClient;
use awork_api_ext::auth::{ClientRegistration, MemoryTokenStore};
use awork_api_ext::clock::ManualClock;
use awork_api_ext::dates::DateRange;
use awork_api_ext::duration;
use awork_api_ext::time_bookings::ListQuery;
use awork_api_ext::time_bookings::TimeBookingDraft;
use awork_api_ext::uploads::UploadFile;
use awork_api_ext::webhooks::{EventSet, EventType, WebhookDraft};
use awork_fake::{FakeAwork, Fault, Method, NewBooking, RateLimit};
use chrono::NaiveDate;
use futures::TryStreamExt;
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;
use std::time::Duration;
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
    fake.faults().inject(
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

    // Creating a webhook: the header's value is in no log line, no answer and no error
    // (the second attempt is refused by an injected fault).
    let hook_secret = "hook-value-do-not-log";
    let draft = WebhookDraft::new(
        "sync",
        "https://hooks.example.com/awork",
        EventSet::new().with(EventType::TaskAdded),
    )
    .auth_header("X-Awork-Token", SecretString::from(hook_secret));
    let created = client.webhooks().create(&draft).await.unwrap();
    let stored = fake.resources().all("WebhookConfig");
    assert!(
        stored[0]["authentication"]
            .as_str()
            .unwrap()
            .ends_with(hook_secret),
        "it was sent"
    );
    fake.faults().inject(
        awork_fake::Fault::error(400, "validation-failed")
            .on(awork_fake::Method::POST, "/webhooks"),
    );
    let err = client.webhooks().create(&draft).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    for text in [
        logs.text(),
        err.to_string(),
        format!("{err:?} {draft:?} {created:?}"),
    ] {
        assert!(
            !text.contains(hook_secret),
            "the header value leaked into: {text}"
        );
    }

    oauth_secrets_are_used_and_never_logged(&fake, &logs).await;
}

/// Signs in as a confidential client, lists with the token, lets the fake expire it so
/// the client refreshes after a 401, and then looks for every secret of all that in the
/// log, in `Debug` output and in an error. Each secret is known to have been sent and
/// accepted, so its absence means it was kept out, not that it was never there.
async fn oauth_secrets_are_used_and_never_logged(fake: &FakeAwork, logs: &common::LogBuffer) {
    let day = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap();
    fake.bookings()
        .insert(NewBooking::new(fake.user_id(), day, day).duration(3600));
    let clock = ManualClock::default();
    let settings = common::fake_settings(fake, &clock);
    let registration = ClientRegistration::confidential("trace-test", common::REDIRECT);
    let registered = settings.register_oauth_client(&registration).await.unwrap();
    let client_secret = registered
        .client_secret()
        .unwrap()
        .expose_secret()
        .to_string();
    let app = registered.app(common::REDIRECT).unwrap();
    let (session, callback) = common::sign_in_as(&settings, app).await;
    let code = url::Url::parse(&callback)
        .unwrap()
        .query_pairs()
        .find(|(name, _)| name == "code")
        .map(|(_, value)| value.into_owned())
        .unwrap();
    let first = session.tokens().clone();
    let store = Arc::new(MemoryTokenStore::new());
    let client = settings
        .oauth(session.with_store(store.clone()).unwrap())
        .build()
        .unwrap();

    let listed: Vec<_> = client
        .time_bookings()
        .list(ListQuery::default())
        .try_collect()
        .await
        .unwrap();
    assert!(!listed.is_empty(), "the fake accepted the access token");
    fake.clock().advance(Duration::from_secs(86_400));
    let listed: Vec<_> = client
        .time_bookings()
        .list(ListQuery::default())
        .try_collect()
        .await
        .unwrap();
    assert!(
        !listed.is_empty(),
        "the fake accepted the refreshed access token"
    );
    let second = store.tokens().unwrap();
    assert_eq!(fake.oauth().counts().refreshes, 1);

    // An error from this session: the refresh token of the first pair is spent.
    let stale = awork_api_ext::auth::OAuthSession::new(
        registered.app(common::REDIRECT).unwrap(),
        first.clone(),
    );
    let stale = common::fake_settings(fake, &clock)
        .oauth(stale)
        .build()
        .unwrap();
    fake.clock().advance(Duration::from_secs(86_400));
    let error = client_error(&stale).await;

    let log = logs.text();
    for operation in [
        "register_client_application",
        "oauth_code_exchange",
        "oauth_refresh",
    ] {
        assert!(
            log.contains(&format!("operation_id=\"{operation}\"")),
            "{operation} not traced: {log}"
        );
    }
    assert!(log.contains("awork access token refreshed"), "{log}");
    let secrets = [
        ("authorization code", code),
        ("client secret", client_secret),
        (
            "first access token",
            first.access_token().expose_secret().to_string(),
        ),
        (
            "first refresh token",
            first.refresh_token().unwrap().expose_secret().to_string(),
        ),
        (
            "second access token",
            second.access_token().expose_secret().to_string(),
        ),
        (
            "second refresh token",
            second.refresh_token().unwrap().expose_secret().to_string(),
        ),
    ];
    let shown = [
        log,
        format!("{client:?} {stale:?} {registered:?} {first:?} {second:?} {store:?}"),
        format!("{error} {error:?}"),
    ];
    for (what, secret) in &secrets {
        assert!(secret.len() > 8, "{what} is a real value");
        for text in &shown {
            assert!(
                !text.contains(secret.as_str()),
                "the {what} leaked into: {text}"
            );
        }
    }
}

/// The error of a listing that must fail.
async fn client_error(client: &AworkClient) -> awork_api_ext::Error {
    let result: Result<Vec<_>, _> = client
        .time_bookings()
        .list(ListQuery::default())
        .try_collect()
        .await;
    let error = result.unwrap_err();
    assert!(error.to_string().contains("invalid_grant"), "{error}");
    error
}
