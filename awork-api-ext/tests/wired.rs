//! The parts between the modules, seen on the wire: the rate limit inside the client,
//! the `.stream(..)` chain, the query string a filter becomes, where the key and user
//! agent come from, and a listing that never ends.

mod common;

use awork_api_ext::clock::ManualClock;
use awork_api_ext::prelude::*;
use awork_api_ext::query::prop;
use awork_api_ext::rate_limit::RateLimiter;
use awork_api_ext::retry::RetryPolicy;
use awork_api_ext::time_bookings::ListQuery;
use awork_api_ext::{AworkClient, Error};
use awork_fake::{FakeAwork, Fault, Method, NewBooking};
use chrono::NaiveDate;
use futures::{StreamExt, TryStreamExt};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 5, d).unwrap()
}

/// Real time, on purpose: the fake stamps arrivals with its own clock, so this shows
/// the pacing where awork would count it. Without the limiter all ten requests arrive
/// within a few milliseconds; with it, no 0.9 s window holds more than four.
#[tokio::test]
async fn a_configured_limit_paces_requests_as_the_server_sees_them_retries_included() {
    let fake = FakeAwork::start().await;
    let client = AworkClient::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .retry_policy(
            RetryPolicy::default()
                .with_backoff(Duration::from_millis(1), Duration::from_millis(1))
                .with_jitter(false),
        )
        .rate_limiter(Arc::new(RateLimiter::custom(4, 1_000).unwrap()))
        .build()
        .unwrap();
    fake.faults()
        .inject(Fault::status(503).times(2).on(Method::GET, "/timebookings"));
    for _ in 0..8 {
        client.api().get_time_bookings().call().await.unwrap();
    }
    let mut arrivals: Vec<Instant> = fake.requests().all().iter().map(|r| r.at).collect();
    assert_eq!(arrivals.len(), 10, "eight requests, two of them retried");
    let busiest = common::busiest(&mut arrivals, Duration::from_millis(900));
    assert!(busiest <= 4, "{busiest} requests within 0.9 s");
    let span = arrivals[9] - arrivals[0];
    assert!(
        span >= Duration::from_millis(1_900),
        "ten at 4/s span two seconds: {span:?}"
    );
}

#[tokio::test]
async fn stream_walks_every_page_with_the_builders_filter() {
    let fake = FakeAwork::start().await;
    let (client, _clock) = common::fake_client(&fake);
    for d in 1..=7 {
        fake.bookings()
            .insert(NewBooking::new(fake.user_id(), day(d), day(d)).duration(3_600));
    }
    let filter = format!("startDate ge datetime'{}'", day(3));
    let found: Vec<_> = client
        .api()
        .get_time_bookings()
        .filterby(filter)
        .orderby("startDate")
        .stream(PageOptions::new().page_size(2).prefetch(2))
        .try_collect()
        .await
        .unwrap();
    let days: Vec<_> = found.iter().map(|b| b.start_date.unwrap()).collect();
    assert_eq!(days, (3..=7).map(day).collect::<Vec<_>>());
    let queries: Vec<String> = fake
        .requests()
        .all()
        .into_iter()
        .filter_map(|r| r.query)
        .collect();
    assert_eq!(queries.len(), 3, "pages of 2 for 5 items: {queries:?}");
    assert!(
        queries
            .iter()
            .all(|q| q.contains("filterby=") && q.contains("pageSize=2"))
    );
}

#[tokio::test]
async fn a_capped_walk_asks_for_no_more_than_it_needs_and_a_stored_list_stream_works() {
    let fake = FakeAwork::start().await;
    let (client, _clock) = common::fake_client(&fake);
    for d in 1..=9 {
        fake.bookings()
            .insert(NewBooking::new(fake.user_id(), day(d), day(d)).duration(60));
    }
    // Stored first, read later: the stream borrows the client, not the handle.
    let listing = client.time_bookings().list(
        ListQuery::default()
            .filter(prop("userId").eq(fake.user_id()))
            .paging(PageOptions::new().max_items(3)),
    );
    let three: Vec<_> = listing.try_collect().await.unwrap();
    assert_eq!(three.len(), 3);
    let requests = fake.requests().all();
    assert_eq!(requests.len(), 1);
    let query = requests[0].query.as_deref().unwrap();
    assert!(query.contains("pageSize=3"), "{query}");
}

#[tokio::test]
async fn filter_values_reach_the_server_intact() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/timebookings"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let clock = ManualClock::default();
    let client = common::builder(&format!("{}/api/v1", server.uri()), "k", &clock)
        .build()
        .unwrap();
    let value = "R&D #1 + O'Brien · Grüße 東京";
    let filter = prop("description").eq(value);
    let walked: Vec<_> = client
        .time_bookings()
        .list(ListQuery::default().filter(filter))
        .collect()
        .await;
    assert!(walked.is_empty(), "{walked:?}");
    let request = &server.received_requests().await.unwrap()[0];
    let raw = request.url.query().unwrap().to_string();
    for literal in ["#", " ", "'", "ü", "東"] {
        assert!(!raw.contains(literal), "{literal:?} unencoded in {raw}");
    }
    let filterby: Vec<String> = request
        .url
        .query_pairs()
        .filter(|(k, _)| k == "filterby")
        .map(|(_, v)| v.into_owned())
        .collect();
    // The expression quotes the value with '' for its own quote; the rest is verbatim.
    assert_eq!(
        filterby,
        [format!("description eq '{}'", value.replace('\'', "''"))]
    );
}

#[tokio::test]
async fn a_server_that_ignores_paging_ends_the_walk_with_a_clear_error() {
    let server = MockServer::start().await;
    // The same two items for every page, and no aw-totalitems header.
    Mock::given(method("GET"))
        .and(path("/api/v1/timebookings"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{}, {}])))
        .mount(&server)
        .await;
    let clock = ManualClock::default();
    let client = common::builder(&format!("{}/api/v1", server.uri()), "k", &clock)
        .build()
        .unwrap();
    let results: Vec<_> = client
        .api()
        .get_time_bookings()
        .stream(PageOptions::new().max_requests(5))
        .collect()
        .await;
    assert_eq!(results.len(), 11, "five pages of two, then the error");
    let Some(Err(Error::Paging { requests, problem })) = results.last() else {
        panic!("{:?}", results.last());
    };
    assert_eq!(*requests, 5);
    assert!(problem.contains("no aw-totalitems header"), "{problem}");
    assert_eq!(server.received_requests().await.unwrap().len(), 5);
}

#[tokio::test]
async fn a_callers_own_http_client_still_sends_the_key_and_user_agent() {
    let fake = FakeAwork::start().await;
    let client = AworkClient::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .http_client(reqwest::Client::new())
        .app_name("own-http")
        .build()
        .unwrap();
    client.api().get_time_bookings().call().await.unwrap();
    let request = &fake.requests().all()[0];
    assert!(request.has_authorization);
    let agent = request.user_agent.as_deref().unwrap();
    assert!(
        agent.starts_with("awork-rs/") && agent.ends_with(" own-http"),
        "{agent}"
    );
}

/// The only test of this binary that touches `AWORK_API_KEY`, so setting it cannot race.
#[tokio::test]
async fn a_key_from_the_environment_is_sent() {
    let fake = FakeAwork::start().await;
    // SAFETY: no other thread of this test binary reads or writes the environment.
    unsafe { std::env::set_var("AWORK_API_KEY", fake.api_key()) };
    let client = AworkClient::builder()
        .api_key_from_env()
        .base_url(fake.base_url())
        .build()
        .unwrap();
    // The fake answers 401 to a wrong or missing key, so success means it arrived.
    client.api().get_time_bookings().call().await.unwrap();
    assert!(fake.requests().all()[0].has_authorization);
    let agent = fake.requests().all()[0].user_agent.clone().unwrap();
    assert!(agent.starts_with("awork-rs/"), "{agent}");
}
