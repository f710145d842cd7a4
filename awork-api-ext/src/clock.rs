//! Time as the client sees it: the wall clock for `Retry-After` dates, a monotonic clock
//! for pacing, and the timer every wait goes through.
//!
//! Retries and the rate limiter never read the system clock or sleep on their own; they
//! ask the client's [`Clock`]. Production code uses [`SystemClock`]. Tests use
//! [`ManualClock`], whose sleeps return at once and move its time forward, so that a test
//! of a 60 s rate-limit wait takes no time and shows exactly which waits were asked for.

use awork_api::BoxFuture;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

/// The source of time and waiting for one client (and its rate limiter).
pub trait Clock: Send + Sync + 'static {
    /// Wall-clock time, used to turn a `Retry-After` date into a wait.
    fn now(&self) -> SystemTime;
    /// Monotonic time since an arbitrary fixed start, used to pace requests.
    fn elapsed(&self) -> Duration;
    /// A future that completes after `wait`.
    fn sleep(&self, wait: Duration) -> BoxFuture<'static, ()>;
}

/// The real clock: `SystemTime` for dates, tokio's timer for pacing and waits (so a tokio
/// runtime with paused time drives it too).
#[derive(Debug, Clone, Copy)]
pub struct SystemClock {
    start: tokio::time::Instant,
}

impl SystemClock {
    /// A clock whose [`elapsed`](Clock::elapsed) counts from now.
    pub fn new() -> Self {
        Self {
            start: tokio::time::Instant::now(),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    fn sleep(&self, wait: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(wait))
    }
}

/// A clock for tests: it stands still until something sleeps on it, then jumps forward
/// by the wait and returns at once. It records every wait, in order.
///
/// Clones share the same time and record.
#[derive(Clone)]
pub struct ManualClock {
    state: Arc<Mutex<ManualState>>,
}

struct ManualState {
    start: SystemTime,
    elapsed: Duration,
    waits: Vec<Duration>,
}

impl ManualClock {
    /// A clock that reads `start` as the wall-clock time until something sleeps.
    pub fn starting_at(start: SystemTime) -> Self {
        Self {
            state: Arc::new(Mutex::new(ManualState {
                start,
                elapsed: Duration::ZERO,
                waits: Vec::new(),
            })),
        }
    }

    /// Every wait asked for so far, in order.
    pub fn waits(&self) -> Vec<Duration> {
        self.lock().waits.clone()
    }

    /// Moves the clock forward by `by` without recording a wait (time passing outside
    /// the client).
    pub fn advance(&self, by: Duration) {
        let mut state = self.lock();
        state.elapsed = state.elapsed.saturating_add(by);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ManualState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for ManualClock {
    /// Starts at 2024-05-01 10:00:00 UTC, a fixed point so that dates in tests repeat.
    fn default() -> Self {
        Self::starting_at(SystemTime::UNIX_EPOCH + Duration::from_secs(1_714_557_600))
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        let state = self.lock();
        state.start + state.elapsed
    }

    fn elapsed(&self) -> Duration {
        self.lock().elapsed
    }

    fn sleep(&self, wait: Duration) -> BoxFuture<'static, ()> {
        let mut state = self.lock();
        state.waits.push(wait);
        state.elapsed = state.elapsed.saturating_add(wait);
        Box::pin(std::future::ready(()))
    }
}

impl fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("ManualClock")
            .field("elapsed", &state.elapsed)
            .field("waits", &state.waits.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_slept_on_or_advanced() {
        let clock = ManualClock::default();
        let start = clock.now();
        assert_eq!(clock.elapsed(), Duration::ZERO);
        futures::executor::block_on(clock.sleep(Duration::from_secs(3)));
        clock.advance(Duration::from_millis(500));
        assert_eq!(clock.elapsed(), Duration::from_millis(3_500));
        assert_eq!(clock.now(), start + Duration::from_millis(3_500));
        assert_eq!(clock.waits(), [Duration::from_secs(3)]);
        let twin = clock.clone();
        futures::executor::block_on(twin.sleep(Duration::from_secs(1)));
        assert_eq!(clock.waits().len(), 2, "clones share the record");
    }
}
