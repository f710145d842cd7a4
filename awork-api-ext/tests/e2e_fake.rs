//! The ext layer end to end against the stateful fake awork (awork-fake on 127.0.0.1):
//! paging, retries, rate limits, every fault the fake can inject, errors (traces and
//! secrets are checked in `traces.rs`).
//! Waits are recorded by a manual clock instead of spent, so no test depends on timing luck.

mod common;

use awork_api_ext::dates::DateRange;
use awork_api_ext::paging::{self, PageOptions};
use awork_api_ext::query::prop;
use awork_api_ext::retry::RetryPolicy;
use awork_api_ext::time_bookings::TimeBooking;
use awork_api_ext::time_bookings::{ListQuery, TimeBookingDraft};
use awork_api_ext::{AworkClient, Error, duration};
use awork_fake::{FakeAwork, Fault, Method, NewBooking, RateLimit, ShortPage};
use chrono::NaiveDate;
use futures::TryStreamExt;
use serde_json::json;
use std::time::Duration;
use uuid::Uuid;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 5, d).unwrap()
}

fn user(n: u128) -> Uuid {
    Uuid::from_u128(0x0a3c_0de0_0000_4000_8000_0000_0000_0000 | n)
}

fn seed(fake: &FakeAwork, count: u32) {
    for i in 0..count {
        fake.bookings().insert(
            NewBooking::new(user(u128::from(i % 3) + 1), day(6), day(6))
                .duration(3600)
                .lane_order(i as i32),
        );
    }
}

/// Every booking, through the paged stream.
async fn list_all(client: &AworkClient) -> Result<Vec<TimeBooking>, Error> {
    client
        .time_bookings()
        .list(ListQuery::default())
        .try_collect()
        .await
}

fn draft() -> TimeBookingDraft {
    TimeBookingDraft::new(
        user(1),
        DateRange::new(day(6), day(7)).unwrap(),
        duration::hours(6).unwrap(),
    )
}

#[tokio::test]
async fn crud_on_both_route_families_round_trips_typed_values() {
    let fake = FakeAwork::start().await;
    let (client, _) = common::fake_client(&fake);
    for bookings in [
        client.time_bookings(),
        client.time_bookings_on(awork_api_ext::time_bookings::Routes::ProjectTimeBookings),
    ] {
        let created = bookings
            .create(&draft().description("Focus"))
            .await
            .unwrap();
        assert_eq!(created.duration, Duration::from_secs(6 * 3600));
        assert_eq!(created.dates.days(), 2);
        assert_eq!(created.created_by, Some(fake.user_id()));
        let moved = TimeBookingDraft {
            dates: DateRange::single(day(9)),
            ..draft()
        };
        let updated = bookings.update(created.id, &moved).await.unwrap();
        assert_eq!(updated.dates, DateRange::single(day(9)));
        assert_eq!(bookings.get(created.id).await.unwrap(), Some(updated));
        bookings.delete(created.id).await.unwrap();
        assert_eq!(bookings.get(created.id).await.unwrap(), None);
        let err = bookings.delete(created.id).await.unwrap_err();
        assert!(err.is_not_found(), "{err}");
        assert_eq!(err.code(), Some("not-found"));
    }
}

#[tokio::test]
async fn the_users_query_returns_overlapping_bookings_per_user() {
    let fake = FakeAwork::start().await;
    let (client, _) = common::fake_client(&fake);
    fake.bookings()
        .insert(NewBooking::new(user(1), day(1), day(6)).duration(3600));
    fake.bookings()
        .insert(NewBooking::new(user(1), day(20), day(21)).duration(3600));
    fake.bookings()
        .insert(NewBooking::new(user(2), day(12), day(14)).duration(3600));
    let week = DateRange::week_of(day(8)); // 2024-05-06 ..= 2024-05-12
    let grouped = client
        .time_bookings()
        .for_users([user(2), user(1)], week)
        .await
        .unwrap();
    assert_eq!(
        grouped
            .iter()
            .map(|g| (g.user_id, g.bookings.len()))
            .collect::<Vec<_>>(),
        [(user(2), 1), (user(1), 1)]
    );
}

#[tokio::test]
async fn paging_sees_every_item_once_across_short_pages_and_stops_at_the_total() {
    let fake = FakeAwork::builder()
        .short_page(ShortPage {
            page: 2,
            short_by: 7,
        })
        .start()
        .await;
    let (client, _) = common::fake_client(&fake);
    seed(&fake, 2500);
    let query = ListQuery::default().order("laneOrder asc");
    let all: Vec<_> = client
        .time_bookings()
        .list(query)
        .try_collect()
        .await
        .unwrap();
    let lanes: Vec<i32> = all.iter().map(|b| b.lane_order).collect();
    assert_eq!(
        lanes,
        (0..2500).collect::<Vec<_>>(),
        "every item exactly once, in order"
    );
    assert_eq!(
        fake.requests().count("GET", "/timebookings"),
        3,
        "3 pages (the short one included), no extra request"
    );
}

#[tokio::test]
async fn a_total_on_a_page_boundary_needs_no_extra_request_and_prefetch_agrees() {
    let fake = FakeAwork::start().await;
    let (client, _) = common::fake_client(&fake);
    seed(&fake, 3000);
    let sequential: Vec<_> = client
        .time_bookings()
        .list(ListQuery::default().order("laneOrder"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(fake.requests().count("GET", "/timebookings"), 3);
    fake.requests().reset_counts();
    let prefetched: Vec<_> = client
        .time_bookings()
        .list(
            ListQuery::default()
                .order("laneOrder")
                .paging(PageOptions::default().prefetch(4)),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(fake.requests().count("GET", "/timebookings"), 3);
    assert_eq!(prefetched, sequential);
}

#[tokio::test]
async fn a_cap_stops_early_and_an_empty_listing_is_one_request() {
    let fake = FakeAwork::start().await;
    let (client, _) = common::fake_client(&fake);
    let none: Vec<_> = client
        .time_bookings()
        .list(ListQuery::default())
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(fake.requests().count("GET", "/timebookings"), 1);
    seed(&fake, 250);
    fake.requests().reset_counts();
    let capped: Vec<_> = client
        .time_bookings()
        .list(ListQuery::default().paging(PageOptions::default().page_size(100).max_items(120)))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(capped.len(), 120);
    assert_eq!(
        fake.requests().count("GET", "/timebookings"),
        2,
        "the cap needs two pages of 100, not three"
    );
}

#[tokio::test]
async fn filters_reach_the_server_and_bad_ones_come_back_as_400() {
    let fake = FakeAwork::start().await;
    let (client, _) = common::fake_client(&fake);
    seed(&fake, 9);
    let mine: Vec<_> = client
        .time_bookings()
        .list(ListQuery::default().filter(prop("userId").eq(user(1))))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(mine.len(), 3);
    assert!(mine.iter().all(|b| b.user_id == user(1)));
    let raw: Result<Vec<_>, _> = client
        .time_bookings()
        .list(ListQuery::default().filter("nonsense ~~ 1"))
        .try_collect()
        .await;
    assert_eq!(raw.unwrap_err().code(), Some("invalid-filter-or-order"));
}

#[tokio::test]
async fn any_paged_operation_streams_through_the_generic_pager() {
    let fake = FakeAwork::start().await;
    let (client, _) = common::fake_client(&fake);
    seed(&fake, 30);
    let api = client.api();
    let items = paging::collect_all(PageOptions::default().page_size(7), |page, size| {
        api.get_project_time_bookings()
            .page(page)
            .page_size(size)
            .send()
    })
    .await
    .unwrap();
    assert_eq!(items.len(), 30);
    assert_eq!(fake.requests().count("GET", "/projecttimebookings"), 5);
}

#[tokio::test]
async fn rate_limits_wait_as_the_server_says_then_succeed() {
    let fake = FakeAwork::start().await;
    let (client, clock) = common::fake_client(&fake);
    fake.faults().inject(
        Fault::rate_limited(RateLimit::new().retry_after_secs(2).reset_secs(9))
            .times(1)
            .on(Method::POST, "/timebookings"),
    );
    fake.faults().inject(
        Fault::rate_limited(RateLimit::new().reset_secs(3))
            .times(1)
            .on(Method::POST, "/timebookings"),
    );
    client.time_bookings().create(&draft()).await.unwrap();
    assert_eq!(
        clock.waits(),
        [Duration::from_secs(2), Duration::from_secs(3)],
        "Retry-After first, else ratelimit-reset"
    );
    assert_eq!(
        fake.requests().count("POST", "/timebookings"),
        3,
        "a 429 is retried even for POST"
    );
    assert_eq!(fake.bookings().all().len(), 1);
}

#[tokio::test]
async fn without_any_server_hint_the_wait_is_bounded_backoff() {
    let fake = FakeAwork::start().await;
    let clock = awork_api_ext::clock::ManualClock::default();
    let policy =
        RetryPolicy::default().with_backoff(Duration::from_millis(200), Duration::from_secs(1));
    let client = common::builder(&fake.base_url(), fake.api_key(), &clock)
        .retry_policy(policy)
        .build()
        .unwrap();
    fake.faults()
        .inject(Fault::status(503).times(2).on(Method::GET, "/timebookings"));
    let _: Vec<_> = client
        .time_bookings()
        .list(ListQuery::default())
        .try_collect()
        .await
        .unwrap();
    let waits = clock.waits();
    assert_eq!(waits.len(), 2);
    assert!(
        waits
            .iter()
            .all(|w| *w >= Duration::from_millis(200) && *w <= Duration::from_secs(2)),
        "{waits:?}"
    );
}

#[tokio::test]
async fn a_failed_post_is_sent_exactly_once_unless_the_caller_opts_in() {
    let fake = FakeAwork::start().await;
    let (client, clock) = common::fake_client(&fake);
    fake.faults().inject(
        Fault::status(500)
            .times(1)
            .on(Method::POST, "/timebookings"),
    );
    let err = client.time_bookings().create(&draft()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(fake.requests().count("POST", "/timebookings"), 1);
    assert!(clock.waits().is_empty());

    let opted = awork_api_ext::clock::ManualClock::default();
    let brave = common::builder(&fake.base_url(), fake.api_key(), &opted)
        .retry_policy(RetryPolicy::default().retry_non_idempotent(true))
        .build()
        .unwrap();
    fake.faults().inject(
        Fault::status(503)
            .times(1)
            .on(Method::POST, "/timebookings"),
    );
    brave.time_bookings().create(&draft()).await.unwrap();
    assert_eq!(fake.requests().count("POST", "/timebookings"), 3);
}

#[tokio::test]
async fn when_retries_run_out_the_error_says_how_often_and_what_awork_said() {
    let fake = FakeAwork::start().await;
    let clock = awork_api_ext::clock::ManualClock::default();
    let client = common::builder(&fake.base_url(), fake.api_key(), &clock)
        .retry_policy(RetryPolicy::default().with_max_attempts(3))
        .build()
        .unwrap();
    fake.faults().inject(
        Fault::rate_limited(RateLimit::new().retry_after_secs(1))
            .times(10)
            .on(Method::GET, "/timebookings"),
    );
    let err = client.time_bookings().get(user(9)).await.unwrap_err();
    let Error::RateLimited(limited) = &err else {
        panic!("expected a rate-limit error, got {err:?}")
    };
    assert_eq!(limited.api.attempts, Some(3));
    assert_eq!(limited.retry_after, Some(Duration::from_secs(1)));
    assert!(
        err.to_string()
            .starts_with("rate limited by awork (429) after 3 attempts; awork asked to wait 1 s"),
        "{err}"
    );
    assert_eq!(fake.requests().count("GET", "/timebookings"), 3);

    fake.faults().clear();
    fake.faults().inject(
        Fault::status(503)
            .times(10)
            .on(Method::GET, "/timebookings"),
    );
    let err = client.time_bookings().get(user(9)).await.unwrap_err();
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
}

#[tokio::test]
async fn broken_bodies_become_decode_errors_with_an_excerpt() {
    let fake = FakeAwork::start().await;
    let (client, _) = common::fake_client(&fake);
    seed(&fake, 2);
    fake.faults().inject(
        Fault::malformed_body()
            .times(1)
            .on(Method::GET, "/timebookings"),
    );
    let err = list_all(&client).await.unwrap_err();
    let Error::Decode { excerpt, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(!excerpt.is_empty());
    fake.faults().inject(
        Fault::truncated_body()
            .times(1)
            .on(Method::GET, "/timebookings"),
    );
    let err = list_all(&client).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn unknown_fields_from_the_server_are_ignored() {
    let fake = FakeAwork::start().await;
    let (client, _) = common::fake_client(&fake);
    seed(&fake, 1);
    fake.faults().inject(
        Fault::mutate(json!({"fieldFrom2030": {"x": 1}, "kind": "a-value-never-seen"}))
            .times(1)
            .on(Method::GET, "/timebookings"),
    );
    let list = list_all(&client).await.unwrap();
    assert_eq!(list.len(), 1);
}

#[tokio::test]
async fn values_a_booking_cannot_hold_are_item_errors_not_panics() {
    let fake = FakeAwork::start().await;
    let (client, _) = common::fake_client(&fake);
    seed(&fake, 1);
    fake.faults().inject(
        Fault::mutate(json!({"duration": -60}))
            .times(1)
            .on(Method::GET, "/timebookings"),
    );
    let err = list_all(&client).await.unwrap_err();
    assert!(matches!(err, Error::Item { .. }), "{err:?}");
}

#[tokio::test]
async fn slow_answers_time_out_per_the_client_setting() {
    let fake = FakeAwork::start().await;
    let clock = awork_api_ext::clock::ManualClock::default();
    let client = common::builder(&fake.base_url(), fake.api_key(), &clock)
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    fake.faults().inject(
        Fault::latency(Duration::from_secs(5))
            .times(1)
            .on(Method::GET, "/timebookings"),
    );
    let err = client.time_bookings().get(user(1)).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
}

#[tokio::test]
async fn the_client_side_limiter_lets_requests_through_under_the_limit() {
    let fake = FakeAwork::start().await;
    let clock = awork_api_ext::clock::ManualClock::default();
    let client = common::builder(&fake.base_url(), fake.api_key(), &clock)
        .rate_limit(awork_api_ext::rate_limit::Plan::Standard)
        .build()
        .unwrap();
    for _ in 0..20 {
        client.time_bookings().get(user(1)).await.unwrap();
    }
    assert_eq!(fake.requests().count("GET", "/timebookings"), 20);
}
