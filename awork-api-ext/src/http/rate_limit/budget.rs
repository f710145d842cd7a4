//! Where a workspace's budget of requests is kept. The limiter asks its budget for the
//! earliest moment one more request may go; [`LocalBudget`] keeps the schedule in this
//! process, `RedisBudget` (feature `redis`) in Redis, shared by every process and machine
//! of an integration.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use futures::future::BoxFuture;

use super::schedule::Schedule;

/// A budget of requests under two limits, one per second and one per minute.
///
/// An implementation books one request per call and answers how long that request
/// must wait; it never fails: a budget that cannot reach its store paces with a
/// fallback of its own and says so in the logs, so a caller's request is never held up
/// by the budget's trouble.
pub trait Budget: fmt::Debug + Send + Sync {
    /// Books the earliest moment, at or after `now` (on the limiter's clock), at which
    /// one more request may go, and returns how long after `now` that is.
    fn reserve(&self, now: Duration) -> BoxFuture<'_, Duration>;

    /// The limits it keeps, as (requests per second, requests per minute).
    fn limits(&self) -> (u32, u32);

    /// Whether this budget shares what awork's answers say ([`Budget::observe`]) with
    /// every process that uses it. When it does, the limiter hands each answer's hint to
    /// it; otherwise the limiter keeps the hints in its own process.
    fn shares_hints(&self) -> bool {
        false
    }

    /// Takes in what an answer of awork said: `left` requests in the workspace's
    /// tightest window (less this process's requests still on their way), which resets
    /// within `resets_in`. A budget that [shares hints](Budget::shares_hints) holds
    /// every process's reservations back while that room is spent; the default ignores
    /// it.
    fn observe(&self, left: u64, resets_in: Duration) {
        let _ = (left, resets_in);
    }
}

/// A budget kept in this process: the default. Share one limiter between the clients
/// of a workspace so that they share it.
pub struct LocalBudget {
    schedule: Mutex<Schedule>,
    per_second: NonZeroU32,
    per_minute: NonZeroU32,
}

impl LocalBudget {
    /// A budget of `per_second` and `per_minute` requests.
    pub(crate) fn new(per_second: NonZeroU32, per_minute: NonZeroU32) -> Self {
        Self {
            schedule: Mutex::new(Schedule::new(per_second, per_minute)),
            per_second,
            per_minute,
        }
    }

    /// Books a slot at once (the local schedule never waits to decide).
    pub(crate) fn reserve_now(&self, now: Duration) -> Duration {
        let slot = self
            .schedule
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .reserve(now);
        slot.saturating_sub(now)
    }
}

impl Budget for LocalBudget {
    fn reserve(&self, now: Duration) -> BoxFuture<'_, Duration> {
        let wait = self.reserve_now(now);
        Box::pin(std::future::ready(wait))
    }

    fn limits(&self) -> (u32, u32) {
        (self.per_second.get(), self.per_minute.get())
    }
}

impl fmt::Debug for LocalBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalBudget")
            .field("per_second", &self.per_second)
            .field("per_minute", &self.per_minute)
            .finish()
    }
}
