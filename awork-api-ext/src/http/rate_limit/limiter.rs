//! The limiter and the plans it knows: what a program configures. The schedule that
//! decides each wait is `schedule.rs`.

use super::schedule::Schedule;
use crate::clock::{Clock, SystemClock};
use std::fmt;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, PoisonError};
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

/// Waits until both the per-second and the per-minute limit allow one more request.
///
/// Share one limiter (in an `Arc`) between all clients of a workspace in the program:
/// the limits are the workspace's, not the client's.
pub struct RateLimiter {
    schedule: Mutex<Schedule>,
    per_second: NonZeroU32,
    per_minute: NonZeroU32,
    clock: Arc<dyn Clock>,
}

impl RateLimiter {
    /// A limiter at the limits of `plan`, on the system clock.
    pub fn for_plan(plan: Plan) -> Self {
        let (second, minute) = plan.limits();
        Self::new(at_least_one(second), at_least_one(minute))
    }

    /// A limiter at limits of your own, e.g. to leave room for other programs that use
    /// the same workspace. Zero is rejected: it would block every request forever.
    /// (`?` turns the rejection into [`Error::Validation`](crate::Error::Validation).)
    pub fn custom(per_second: u32, per_minute: u32) -> Result<Self, ZeroLimit> {
        Ok(Self::new(
            non_zero(per_second, "per_second")?,
            non_zero(per_minute, "per_minute")?,
        ))
    }

    /// Measures time and waits with `clock` instead of the system clock (tests).
    #[must_use]
    pub fn with_clock(self, clock: Arc<dyn Clock>) -> Self {
        Self { clock, ..self }
    }

    /// The limits as (requests per second, requests per minute).
    pub fn limits(&self) -> (u32, u32) {
        (self.per_second.get(), self.per_minute.get())
    }

    fn new(per_second: NonZeroU32, per_minute: NonZeroU32) -> Self {
        Self {
            schedule: Mutex::new(Schedule::new(per_second, per_minute)),
            per_second,
            per_minute,
            clock: Arc::new(SystemClock::new()),
        }
    }

    /// Returns once one more request may be sent; the request is counted from then on.
    pub(crate) async fn acquire(&self) {
        let wait = self.reserve();
        if !wait.is_zero() {
            tracing::debug!(
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "client-side rate limit reached; waiting"
            );
            self.clock.sleep(wait).await;
        }
    }

    /// Books the next slot; returns how long to wait for it.
    fn reserve(&self) -> Duration {
        let now = self.clock.elapsed();
        let slot = self
            .schedule
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .reserve(now);
        slot.saturating_sub(now)
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

/// A limit of zero requests, which would hold every request back forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid {field}: must be at least 1 request")]
pub struct ZeroLimit {
    /// The limit that was zero: `per_second` or `per_minute`.
    pub field: &'static str,
}

/// A positive count; zero would mean "never".
fn non_zero(n: u32, field: &'static str) -> Result<NonZeroU32, ZeroLimit> {
    NonZeroU32::new(n).ok_or(ZeroLimit { field })
}

/// `n`, or 1 if `n` is zero (only reached for the plans' constants, which are not).
fn at_least_one(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use futures::executor::block_on;

    #[test]
    fn the_limiter_waits_through_its_clock() {
        let clock = ManualClock::default();
        let limiter = RateLimiter::custom(2, 100)
            .unwrap()
            .with_clock(Arc::new(clock.clone()));
        for _ in 0..5 {
            block_on(limiter.acquire());
        }
        // Two at 0 s, two at 1 s, one at 2 s: two waits of one second.
        assert_eq!(
            clock.waits(),
            [Duration::from_secs(1), Duration::from_secs(1)]
        );
        assert_eq!(clock.elapsed(), Duration::from_secs(2));
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
        assert_eq!(RateLimiter::custom(5, 100).unwrap().limits(), (5, 100));
    }

    #[test]
    fn debug_shows_the_limits() {
        let text = format!("{:?}", RateLimiter::for_plan(Plan::Enterprise));
        assert_eq!(text, "RateLimiter { per_second: 50, per_minute: 3000 }");
    }
}
