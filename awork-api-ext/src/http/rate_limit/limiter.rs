//! The limiter and the plans it knows: what a program configures. Where the budget is
//! kept is `budget.rs` (and `redis.rs`), the schedule that decides each wait
//! `schedule.rs`, what awork's answers say `server.rs`.

use super::budget::{Budget, LocalBudget};
use super::server::{ServerView, hint};
use crate::clock::{Clock, SystemClock};
use reqwest::header::HeaderMap;
use std::fmt;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
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

/// Waits until a request may go: the workspace's budget has room for it (kept here, or
/// shared through a [`Budget`] such as Redis), and awork's latest answer did not say a
/// window is spent.
///
/// Share one limiter (in an `Arc`) between all clients of a workspace in the program:
/// the limits are the workspace's, not the client's.
pub struct RateLimiter {
    budget: Arc<dyn Budget>,
    local: Option<Arc<LocalBudget>>,
    server: Mutex<ServerView>,
    listens: bool,
    /// The budget shares awork's hints among processes (the local view is not used).
    hints_shared: bool,
    in_flight: AtomicU64,
    clock: Arc<dyn Clock>,
}

impl RateLimiter {
    /// A limiter at the limits of `plan`, kept in this process, on the system clock.
    pub fn for_plan(plan: Plan) -> Self {
        let (second, minute) = plan.limits();
        Self::local(at_least_one(second), at_least_one(minute))
    }

    /// A limiter at limits of your own, e.g. to leave room for other programs that use
    /// the same workspace. Zero is rejected: it would block every request forever.
    /// (`?` turns the rejection into [`Error::Validation`](crate::Error::Validation).)
    pub fn custom(per_second: u32, per_minute: u32) -> Result<Self, ZeroLimit> {
        Ok(Self::local(
            non_zero(per_second, "per_second")?,
            non_zero(per_minute, "per_minute")?,
        ))
    }

    /// A limiter whose budget is kept by `budget`, e.g. shared by several processes
    /// through Redis (`RedisBudget`, feature `redis`).
    pub fn shared(budget: impl Budget + 'static) -> Self {
        Self::with_budget(Arc::new(budget), None)
    }

    /// Paces by the budget alone, ignoring what awork's answers say about the
    /// workspace's windows (they are read by default: they count other programs' and
    /// apps' requests too, which the budget cannot see).
    #[must_use]
    pub fn without_server_hints(self) -> Self {
        Self {
            listens: false,
            ..self
        }
    }

    /// Measures time and waits with `clock` instead of the system clock (tests).
    #[must_use]
    pub fn with_clock(self, clock: Arc<dyn Clock>) -> Self {
        Self { clock, ..self }
    }

    /// The limits as (requests per second, requests per minute).
    pub fn limits(&self) -> (u32, u32) {
        self.budget.limits()
    }

    fn local(per_second: NonZeroU32, per_minute: NonZeroU32) -> Self {
        let budget = Arc::new(LocalBudget::new(per_second, per_minute));
        Self::with_budget(budget.clone(), Some(budget))
    }

    fn with_budget(budget: Arc<dyn Budget>, local: Option<Arc<LocalBudget>>) -> Self {
        Self {
            local,
            server: Mutex::new(ServerView::default()),
            listens: true,
            hints_shared: budget.shares_hints(),
            budget,
            in_flight: AtomicU64::new(0),
            clock: Arc::new(SystemClock::new()),
        }
    }

    /// Returns once one more request may go; the request is counted from then on, and
    /// its answer is to be shown to the returned permit.
    pub(crate) async fn acquire(&self) -> Permit<'_> {
        let now = self.clock.elapsed();
        let budget = match &self.local {
            Some(local) => local.reserve_now(now),
            None => self.budget.reserve(now).await,
        };
        let server = match self.hints_shared {
            true => Duration::ZERO,
            false => self.server().wait(now + budget),
        };
        let wait = budget + server;
        if !wait.is_zero() {
            tracing::debug!(
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                awork_says = !server.is_zero(),
                "rate limit reached; waiting"
            );
            self.clock.sleep(wait).await;
        }
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        Permit { limiter: self }
    }

    fn server(&self) -> std::sync::MutexGuard<'_, ServerView> {
        self.server.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A request on its way; dropped when it is over.
pub(crate) struct Permit<'a> {
    limiter: &'a RateLimiter,
}

impl Permit<'_> {
    /// Takes in what awork's answer says about the workspace's windows.
    pub(crate) fn observe(self, answer: &HeaderMap) {
        if !self.limiter.listens {
            return;
        }
        if let Some(hint) = hint(answer) {
            let others = self
                .limiter
                .in_flight
                .load(Ordering::Relaxed)
                .saturating_sub(1);
            if self.limiter.hints_shared {
                let left = hint.left.saturating_sub(others);
                self.limiter.budget.observe(left, hint.resets_in);
                return;
            }
            let now = self.limiter.clock.elapsed();
            self.limiter.server().observe(hint, now, others);
        }
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.limiter.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (per_second, per_minute) = self.limits();
        f.debug_struct("RateLimiter")
            .field("per_second", &per_second)
            .field("per_minute", &per_minute)
            .field("budget", &self.budget)
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
    use crate::http::headers::tests::headers;
    use futures::executor::block_on;

    #[test]
    fn the_limiter_waits_through_its_clock() {
        let clock = ManualClock::default();
        let limiter = RateLimiter::custom(2, 100)
            .unwrap()
            .with_clock(Arc::new(clock.clone()));
        for _ in 0..5 {
            drop(block_on(limiter.acquire()));
        }
        // Two at 0 s, two at 1 s, one at 2 s: two waits of one second.
        assert_eq!(
            clock.waits(),
            [Duration::from_secs(1), Duration::from_secs(1)]
        );
        assert_eq!(clock.elapsed(), Duration::from_secs(2));
    }

    #[test]
    fn a_window_awork_says_is_spent_holds_requests_until_it_resets() {
        let clock = ManualClock::default();
        let limiter = RateLimiter::for_plan(Plan::Standard).with_clock(Arc::new(clock.clone()));
        let first = block_on(limiter.acquire());
        let second = block_on(limiter.acquire());
        // awork counted other apps too: one request left this second, and the other
        // request of this process is still on its way.
        first.observe(&headers(&[
            ("x-ratelimit-remaining-second", "1"),
            ("x-ratelimit-remaining-minute", "700"),
            ("ratelimit-remaining", "1"),
            ("ratelimit-reset", "1"),
        ]));
        drop(second);
        drop(block_on(limiter.acquire()));
        assert_eq!(
            clock.waits(),
            [Duration::from_secs(1)],
            "the schedule alone would not wait"
        );
    }

    /// A budget that shares hints, recording what it is shown.
    #[derive(Debug, Default)]
    struct Sharing {
        seen: Mutex<Vec<(u64, Duration)>>,
    }

    impl Budget for Sharing {
        fn reserve(&self, _now: Duration) -> futures::future::BoxFuture<'_, Duration> {
            Box::pin(std::future::ready(Duration::ZERO))
        }
        fn limits(&self) -> (u32, u32) {
            (50, 1_000)
        }
        fn shares_hints(&self) -> bool {
            true
        }
        fn observe(&self, left: u64, resets_in: Duration) {
            self.seen.lock().unwrap().push((left, resets_in));
        }
    }

    #[test]
    fn a_budget_that_shares_hints_gets_them_instead_of_the_process() {
        let budget = Arc::new(Sharing::default());
        let clock = ManualClock::default();
        let limiter =
            RateLimiter::with_budget(budget.clone(), None).with_clock(Arc::new(clock.clone()));
        let first = block_on(limiter.acquire());
        let second = block_on(limiter.acquire());
        first.observe(&headers(&[
            ("ratelimit-remaining", "1"),
            ("ratelimit-reset", "1"),
        ]));
        drop(second);
        // The budget heard it (less the other request still on its way) and decides;
        // this process's own view stays out, so nothing waits here.
        assert_eq!(*budget.seen.lock().unwrap(), [(0, Duration::from_secs(1))]);
        drop(block_on(limiter.acquire()));
        assert!(clock.waits().is_empty());
    }

    #[test]
    fn without_server_hints_only_the_schedule_paces() {
        let clock = ManualClock::default();
        let limiter = RateLimiter::for_plan(Plan::Standard)
            .without_server_hints()
            .with_clock(Arc::new(clock.clone()));
        let first = block_on(limiter.acquire());
        first.observe(&headers(&[
            ("ratelimit-remaining", "0"),
            ("ratelimit-reset", "5"),
        ]));
        drop(block_on(limiter.acquire()));
        assert!(clock.waits().is_empty());
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
        assert_eq!(
            text,
            "RateLimiter { per_second: 50, per_minute: 3000, budget: LocalBudget { per_second: 50, per_minute: 3000 } }"
        );
    }
}
