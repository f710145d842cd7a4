//! An optional client-side limiter that keeps one program under awork's rate limits.
//!
//! awork allows each workspace 50 requests per second and 1,000 per minute (3,000 on
//! Enterprise plans), shared by every program using the workspace. A busy program that
//! waits here before each request stays under both limits instead of collecting 429
//! answers. It cannot see other programs' traffic, so the retry policy still handles
//! the 429s that happen anyway.
//!
//! # How the quotas are enforced
//!
//! Each limit is a GCRA bucket from `governor`. A bucket that allows a burst of `b` and
//! then one request every `T` admits up to `b + W/T - 1` requests in a window of length
//! `W`; a bucket refilled at exactly `n` per window after a full burst of `n` would let
//! almost `2n` through in the first window. So each quota of `n` per window is built
//! with `T = W / (n - b + 1)`, which admits at most `n` in *every* window of that
//! length, whether awork counts in fixed or sliding windows:
//!
//! * per second: no burst (`b = 1`): one request every 20 ms at 50/s, which is the
//!   full per-second rate;
//! * per minute: a burst of one second's worth (`b = 50`), then the rest of the minute
//!   spread evenly: 951 per minute sustained on Standard, 2,951 on Enterprise, a few
//!   percent under the nominal limit in exchange for never exceeding it.

use crate::Error;
use governor::Quota;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use std::fmt;
use std::future::Future;
use std::num::NonZeroU32;
use std::time::Duration;

/// awork's plans, by the rate limits they come with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Every plan but Enterprise: 50 requests per second, 1,000 per minute.
    Standard,
    /// Enterprise: 50 requests per second, 3,000 per minute.
    Enterprise,
}

impl Plan {
    /// The plan's limits as (requests per second, requests per minute).
    pub fn limits(self) -> (u32, u32) {
        match self {
            Plan::Standard => (50, 1_000),
            Plan::Enterprise => (50, 3_000),
        }
    }
}

/// Waits until both the per-second and the per-minute quota allow one more request.
///
/// Share one limiter (in an `Arc`) between all clients of a workspace in the program:
/// the quotas are the workspace's, not the client's.
pub struct RateLimiter {
    quotas: Quotas<DefaultClock>,
    per_second: NonZeroU32,
    per_minute: NonZeroU32,
}

impl RateLimiter {
    /// A limiter at the limits of `plan`.
    pub fn for_plan(plan: Plan) -> Self {
        let (second, minute) = plan.limits();
        Self::new(at_least_one(second), at_least_one(minute))
    }

    /// A limiter at limits of your own, e.g. to leave room for other programs that use
    /// the same workspace. Zero is rejected: it would block every request forever.
    pub fn custom(per_second: u32, per_minute: u32) -> Result<Self, Error> {
        Ok(Self::new(
            non_zero(per_second, "per_second")?,
            non_zero(per_minute, "per_minute")?,
        ))
    }

    fn new(per_second: NonZeroU32, per_minute: NonZeroU32) -> Self {
        Self {
            quotas: Quotas::new(per_second, per_minute, DefaultClock::default()),
            per_second,
            per_minute,
        }
    }

    /// Returns once one more request may be sent, and counts it against both quotas.
    pub async fn acquire(&self) {
        self.quotas.acquire(tokio::time::sleep).await;
    }
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimiter")
            .field("per_second", &self.per_second)
            .field("per_minute", &self.per_minute)
            .finish()
    }
}

/// A positive count; zero would mean "never", so it is rejected as a validation error.
fn non_zero(n: u32, field: &str) -> Result<NonZeroU32, Error> {
    NonZeroU32::new(n).ok_or_else(|| Error::validation(field, "must be at least 1 request"))
}

/// `n`, or 1 if `n` is zero (only reached for the plans' constants, which are not).
fn at_least_one(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

type Bucket<C> =
    governor::RateLimiter<NotKeyed, InMemoryState, C, NoOpMiddleware<<C as Clock>::Instant>>;

/// The two buckets on one clock; generic over the clock so tests can drive time.
struct Quotas<C: Clock> {
    per_second: Bucket<C>,
    per_minute: Bucket<C>,
    clock: C,
}

impl<C: Clock + Clone> Quotas<C> {
    fn new(per_second: NonZeroU32, per_minute: NonZeroU32, clock: C) -> Self {
        let second = window_quota(per_second, Duration::from_secs(1), NonZeroU32::MIN);
        let minute = window_quota(per_minute, Duration::from_secs(60), per_second);
        Self {
            per_second: Bucket::direct_with_clock(second, clock.clone()),
            per_minute: Bucket::direct_with_clock(minute, clock.clone()),
            clock,
        }
    }

    /// Takes one cell from each bucket, sleeping with `sleep` while a bucket is empty.
    ///
    /// The minute bucket goes first: once its cell is taken the request is committed,
    /// so each request uses exactly one cell of each bucket.
    async fn acquire<F, Fut>(&self, sleep: F)
    where
        F: Fn(Duration) -> Fut,
        Fut: Future<Output = ()>,
    {
        self.take(&self.per_minute, &sleep).await;
        self.take(&self.per_second, &sleep).await;
    }

    /// Takes one cell from `bucket`, waiting as long as it says.
    async fn take<F, Fut>(&self, bucket: &Bucket<C>, sleep: &F)
    where
        F: Fn(Duration) -> Fut,
        Fut: Future<Output = ()>,
    {
        while let Some(wait) = self.refused(bucket) {
            tracing::debug!(
                wait_ms = wait.as_millis() as u64,
                "client-side rate limit reached; waiting"
            );
            sleep(wait).await;
        }
    }

    /// Tries to take a cell: `None` when taken, else how long until one is free.
    fn refused(&self, bucket: &Bucket<C>) -> Option<Duration> {
        let not_until = bucket.check().err()?;
        Some(not_until.wait_time_from(self.clock.now()))
    }
}

/// At most `n` requests in any window of length `window`: a burst of up to `burst`
/// (at most `n`), then one request every `window / (n - burst + 1)`.
fn window_quota(n: NonZeroU32, window: Duration, burst: NonZeroU32) -> Quota {
    let burst = burst.min(n);
    let refills = u128::from(n.get() - burst.get() + 1);
    // Rounded up: a period a nanosecond short would let one request too many through.
    let nanos = window.as_nanos().div_ceil(refills).max(1);
    let period = Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX));
    match Quota::with_period(period) {
        Some(quota) => quota.allow_burst(burst),
        None => Quota::per_second(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;
    use governor::clock::FakeRelativeClock;
    use std::sync::Mutex;

    /// Quotas on a fake clock whose "sleep" advances that clock and records the wait.
    struct Simulation {
        quotas: Quotas<FakeRelativeClock>,
        clock: FakeRelativeClock,
        slept: Mutex<Vec<Duration>>,
    }

    impl Simulation {
        fn new(per_second: u32, per_minute: u32) -> Self {
            let clock = FakeRelativeClock::default();
            Self {
                quotas: Quotas::new(
                    at_least_one(per_second),
                    at_least_one(per_minute),
                    clock.clone(),
                ),
                clock,
                slept: Mutex::new(Vec::new()),
            }
        }

        fn for_plan(plan: Plan) -> Self {
            let (second, minute) = plan.limits();
            Self::new(second, minute)
        }

        /// Acquires once; returns the fake time at which the request may go.
        fn acquire(&self) -> Duration {
            block_on(self.quotas.acquire(|wait| {
                self.slept.lock().unwrap().push(wait);
                self.clock.advance(wait);
                std::future::ready(())
            }));
            self.clock.now().into()
        }

        /// The send times of `n` requests issued back to back.
        fn send_times(&self, n: usize) -> Vec<Duration> {
            (0..n).map(|_| self.acquire()).collect()
        }
    }

    /// The most requests any window of length `window` (half-open) contains.
    fn busiest_window(times: &[Duration], window: Duration) -> usize {
        let mut most = 0;
        let mut start = 0;
        for end in 0..times.len() {
            while times[end] - times[start] >= window {
                start += 1;
            }
            most = most.max(end - start + 1);
        }
        most
    }

    #[test]
    fn the_first_request_goes_at_once() {
        let sim = Simulation::for_plan(Plan::Standard);
        assert_eq!(sim.acquire(), Duration::ZERO);
        assert!(sim.slept.lock().unwrap().is_empty());
    }

    #[test]
    fn per_second_requests_are_spaced_20_ms_apart() {
        let sim = Simulation::for_plan(Plan::Standard);
        let times = sim.send_times(5);
        let ms = |n| Duration::from_millis(n);
        assert_eq!(times, [ms(0), ms(20), ms(40), ms(60), ms(80)]);
        assert_eq!(*sim.slept.lock().unwrap(), [ms(20); 4]);
    }

    #[test]
    fn standard_never_exceeds_50_per_second_or_1000_per_minute() {
        let sim = Simulation::for_plan(Plan::Standard);
        let times = sim.send_times(3_000);
        assert_eq!(busiest_window(&times, Duration::from_secs(1)), 50);
        assert_eq!(busiest_window(&times, Duration::from_secs(60)), 1_000);
        let first_minute = times
            .iter()
            .filter(|t| **t < Duration::from_secs(60))
            .count();
        assert!(
            (950..=1_000).contains(&first_minute),
            "close to the limit: {first_minute}"
        );
    }

    #[test]
    fn enterprise_allows_3000_per_minute() {
        let sim = Simulation::for_plan(Plan::Enterprise);
        let times = sim.send_times(6_000);
        assert_eq!(busiest_window(&times, Duration::from_secs(1)), 50);
        assert_eq!(busiest_window(&times, Duration::from_secs(60)), 3_000);
        assert_eq!(Plan::Enterprise.limits(), (50, 3_000));
    }

    #[test]
    fn custom_limits_are_enforced_the_same_way() {
        let sim = Simulation::new(5, 20);
        let times = sim.send_times(100);
        assert_eq!(busiest_window(&times, Duration::from_secs(1)), 5);
        assert_eq!(busiest_window(&times, Duration::from_secs(60)), 20);
    }

    #[test]
    fn a_per_minute_limit_below_the_per_second_one_is_still_respected() {
        let sim = Simulation::new(50, 10);
        let times = sim.send_times(40);
        assert_eq!(busiest_window(&times, Duration::from_secs(60)), 10);
    }

    #[test]
    fn zero_limits_are_rejected_by_name() {
        assert_eq!(
            RateLimiter::custom(0, 10).unwrap_err().to_string(),
            "invalid per_second: must be at least 1 request"
        );
        assert_eq!(
            RateLimiter::custom(10, 0).unwrap_err().to_string(),
            "invalid per_minute: must be at least 1 request"
        );
        assert!(RateLimiter::custom(5, 100).is_ok());
    }

    #[test]
    fn debug_shows_the_limits() {
        let text = format!("{:?}", RateLimiter::for_plan(Plan::Enterprise));
        assert_eq!(text, "RateLimiter { per_second: 50, per_minute: 3000 }");
    }
}
