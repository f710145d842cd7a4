//! An optional client-side limiter at awork's documented limits.
//!
//! awork limits each workspace to 50 requests per second and 1,000 per minute (3,000
//! on Enterprise plans), shared by every program using that workspace. A busy program
//! that waits here stays under the limits instead of collecting 429 answers. It cannot
//! see other programs' traffic, so the retry policy still handles 429s.

use crate::Error;
use governor::{DefaultDirectRateLimiter, Quota};
use std::num::NonZeroU32;

/// awork's plans, by the limits they set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// 50 requests per second, 1,000 per minute (every plan but Enterprise).
    Standard,
    /// 50 requests per second, 3,000 per minute.
    Enterprise,
}

impl Plan {
    /// (per second, per minute).
    pub fn limits(self) -> (u32, u32) {
        match self {
            Plan::Standard => (50, 1000),
            Plan::Enterprise => (50, 3000),
        }
    }
}

/// Waits until both the per-second and the per-minute budget allow one more request.
#[derive(Debug)]
pub struct RateLimiter {
    per_second: DefaultDirectRateLimiter,
    per_minute: DefaultDirectRateLimiter,
}

impl RateLimiter {
    /// The limits of `plan`.
    pub fn for_plan(plan: Plan) -> Self {
        let (second, minute) = plan.limits();
        let [second, minute] =
            [second, minute].map(|n| NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        Self::from_quotas(second, minute)
    }

    /// Your own limits; zero is rejected.
    pub fn custom(per_second: u32, per_minute: u32) -> Result<Self, Error> {
        let nonzero = |n: u32, field: &str| {
            NonZeroU32::new(n).ok_or_else(|| Error::validation(field, "must be at least 1 request"))
        };
        Ok(Self::from_quotas(
            nonzero(per_second, "per_second")?,
            nonzero(per_minute, "per_minute")?,
        ))
    }

    fn from_quotas(per_second: NonZeroU32, per_minute: NonZeroU32) -> Self {
        let (second, minute) = quotas(per_second, per_minute);
        Self {
            per_second: governor::RateLimiter::direct(second),
            per_minute: governor::RateLimiter::direct(minute),
        }
    }

    /// Returns once a request may be sent.
    pub async fn acquire(&self) {
        self.per_minute.until_ready().await;
        self.per_second.until_ready().await;
    }
}

/// The two quotas; each allows its whole budget as a burst, then refills evenly.
fn quotas(per_second: NonZeroU32, per_minute: NonZeroU32) -> (Quota, Quota) {
    (Quota::per_second(per_second), Quota::per_minute(per_minute))
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;
    use std::time::Duration;

    type FakeLimiter = governor::RateLimiter<
        governor::state::NotKeyed,
        governor::state::InMemoryState,
        FakeRelativeClock,
        governor::middleware::NoOpMiddleware<governor::nanos::Nanos>,
    >;

    fn admitted(limiter: &FakeLimiter, n: u32) -> u32 {
        (0..n).filter(|_| limiter.check().is_ok()).count() as u32
    }

    #[test]
    fn standard_plan_admits_50_per_second_and_1000_per_minute() {
        let (s, m) = Plan::Standard.limits();
        let (second, minute) = quotas(NonZeroU32::new(s).unwrap(), NonZeroU32::new(m).unwrap());
        let clock = FakeRelativeClock::default();
        let per_second = governor::RateLimiter::direct_with_clock(second, clock.clone());
        assert_eq!(admitted(&per_second, 60), 50);
        clock.advance(Duration::from_secs(1));
        assert_eq!(admitted(&per_second, 60), 50);

        let per_minute = governor::RateLimiter::direct_with_clock(minute, clock.clone());
        assert_eq!(admitted(&per_minute, 1200), 1000);
        clock.advance(Duration::from_secs(6));
        assert_eq!(
            admitted(&per_minute, 1200),
            100,
            "a tenth of the minute refills a tenth"
        );
    }

    #[test]
    fn enterprise_allows_3000_per_minute_and_zero_is_rejected() {
        assert_eq!(Plan::Enterprise.limits(), (50, 3000));
        assert_eq!(
            RateLimiter::custom(0, 10).unwrap_err().to_string(),
            "invalid per_second: must be at least 1 request"
        );
        assert!(RateLimiter::custom(5, 100).is_ok());
    }
}
