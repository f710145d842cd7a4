//! One rate budget shared through a real Redis (`redis-server` on 127.0.0.1, started
//! by these tests): limiters of different processes, even with clocks that disagree,
//! keep the workspace's windows together; a Redis that goes away is never the caller's
//! problem.
//!
//! `.ci/run` installs `redis-server` and sets `AWORK_TESTS_REQUIRE_REDIS=1`, so there a
//! missing server fails the tests. Elsewhere (a fresh clone without Redis) the tests that
//! need one say they were skipped and why.

mod common;

use std::time::{Duration, Instant};

use awork_api_ext::clock::{Clock, ManualClock};
use awork_api_ext::rate_limit::{Budget, Plan, RedisBudget};
use common::busiest;
use common::redis_server::RedisServer;

#[tokio::test]
async fn limiters_of_several_processes_share_one_schedule_whatever_their_clocks() {
    let Some(redis) = RedisServer::start_or_skip("limiters_share_one_schedule") else {
        return;
    };
    let workspace = format!("ws-{}", uuid::Uuid::new_v4());
    // Two "processes": budgets of their own, clocks an hour apart.
    let a = RedisBudget::new(&redis.url(), &workspace, Plan::Standard).unwrap();
    let b = RedisBudget::new(&redis.url(), &workspace, Plan::Standard).unwrap();
    let clock_a = ManualClock::default();
    let clock_b = ManualClock::default();
    clock_b.advance(Duration::from_secs(3600));
    let started = Instant::now();
    let mut slots = Vec::new();
    for i in 0..120 {
        let (budget, clock) = if i % 2 == 0 {
            (&a, &clock_a)
        } else {
            (&b, &clock_b)
        };
        let wait = budget.reserve(clock.elapsed()).await;
        slots.push(started.elapsed() + wait);
    }
    let round_trip = started.elapsed() / 120;
    // The slots are Redis's; seen from here each is off by up to one round trip, so a
    // window 10 ms short of a second must still never hold more than 50.
    assert_eq!(
        busiest(&mut slots, Duration::from_millis(990)),
        50,
        "never more than 50 in a second"
    );
    let last = *slots.iter().max().unwrap();
    assert!(
        last >= Duration::from_secs(2),
        "120 requests take two seconds at 50 a second: {last:?}"
    );
    assert!(
        last < Duration::from_millis(2500),
        "and not much more: {last:?}"
    );
    println!("one reservation took {round_trip:?} on average");
}

#[tokio::test]
async fn what_awork_told_one_process_holds_back_the_others() {
    let Some(redis) = RedisServer::start_or_skip("what_awork_told_one_process") else {
        return;
    };
    let workspace = format!("ws-{}", uuid::Uuid::new_v4());
    let a = RedisBudget::new(&redis.url(), &workspace, Plan::Standard).unwrap();
    let b = RedisBudget::new(&redis.url(), &workspace, Plan::Standard).unwrap();
    assert!(a.shares_hints());
    // Process a heard from awork: 4 requests left in a window that resets within a
    // second (other apps used the rest). Its next reservation takes that to Redis.
    a.observe(4, Duration::from_secs(1));
    assert_eq!(a.reserve(Duration::ZERO).await, Duration::ZERO);
    // Process b sees the same window: of the 3 left, 2 stay untouched for requests of
    // others on their way, so one more goes, halfway through the time left; the next
    // waits for the reset, and then the next window's requests are spread over it rather
    // than sent at once. (A reservation held back is decided when its time comes, so
    // the budget's call returns then: a request goes when the call returns plus the wait
    // it answers.)
    let started = Instant::now();
    let mut at = Vec::new();
    for _ in 0..4 {
        let wait = b.reserve(Duration::ZERO).await;
        at.push(started.elapsed() + wait);
    }
    let ms = |d: Duration| d.as_millis();
    assert!((400..700).contains(&ms(at[0])), "halfway: {at:?}");
    assert!((950..1_200).contains(&ms(at[1])), "at the reset: {at:?}");
    for pair in at[1..].windows(2) {
        assert!(
            (5..60).contains(&ms(pair[1] - pair[0])),
            "spread over the next window: {at:?}"
        );
    }
}

#[tokio::test]
async fn a_redis_that_is_gone_paces_alone_at_a_share_and_never_stalls() {
    let Some(redis) = RedisServer::start_or_skip("a_redis_that_is_gone") else {
        return;
    };
    let url = redis.url();
    let budget = RedisBudget::with_limits(&url, "ws-gone", 10, 600)
        .unwrap()
        .fallback_share(0.5);
    assert_eq!(
        budget.reserve(Duration::ZERO).await,
        Duration::ZERO,
        "Redis answers"
    );
    drop(redis);
    let started = Instant::now();
    let mut waits = Vec::new();
    for _ in 0..12 {
        waits.push(budget.reserve(Duration::ZERO).await);
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "no stall: {:?}",
        started.elapsed()
    );
    // Half of 10 a second: 5 now, the next 5 a second later, 2 more a second after.
    assert_eq!(waits.iter().filter(|w| w.is_zero()).count(), 5, "{waits:?}");
    assert_eq!(
        *waits.iter().max().unwrap(),
        Duration::from_secs(2),
        "{waits:?}"
    );
}

#[test]
fn a_bad_url_is_refused_and_no_url_is_ever_shown() {
    assert!(RedisBudget::new("http://not-redis", "ws", Plan::Standard).is_err());
    let budget = RedisBudget::new(
        "redis://:s3cret-pass@127.0.0.1:6399/",
        "ws",
        Plan::Enterprise,
    )
    .unwrap();
    let shown = format!("{budget:?}");
    assert!(!shown.contains("s3cret"), "{shown}");
    assert!(shown.contains("awork-rs:rate-budget:ws"), "{shown}");
}
