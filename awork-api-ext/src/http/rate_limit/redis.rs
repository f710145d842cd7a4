//! [`RedisBudget`]: one budget for every process and machine of an integration, kept
//! in Redis (feature `redis`).
//!
//! Each reservation is one script that Redis runs atomically: it reads Redis's own
//! clock (`TIME`), so hosts whose clocks disagree still agree on the schedule, books the
//! earliest slot that keeps both windows within their limits (the same rule as the
//! in-process schedule: after the last slot, a second after the slot `per_second`
//! back, a minute after the slot `per_minute` back) and answers how long to wait for it.
//! One round trip per request, unless awork's window holds it back (below).
//!
//! What awork's answers say about the workspace's windows is shared the same way: each
//! process hands its latest hint to the budget ([`Budget::observe`]), and its next
//! reservation takes it to Redis (no extra round trip). Redis keeps one view of the
//! workspace's current window, counts every reservation against its room, spreads the
//! reservations over the time left in it, and holds a reservation that finds it spent
//! until the window's reset (a held one asks again when its time comes, rather than
//! being booked far ahead on what awork said earlier). So processes that share a budget also share one view of what
//! other apps use. (While Redis is down, the fallback paces by its share alone.)
//!
//! When Redis cannot be reached, or does not answer in time, the budget paces on its
//! own at a share of the limits ([`RedisBudget::fallback_share`], half by default: other
//! processes are likely doing the same), warns once through `tracing` and tries Redis
//! again a second later. A caller's request is never failed or stalled by Redis.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use redis::aio::MultiplexedConnection;

use super::budget::{Budget, LocalBudget};
use super::limiter::{Plan, ZeroLimit};

/// The reservation, run by Redis as one step. `KEYS[1]` holds the slots handed out
/// (microseconds on Redis's clock, oldest first), `KEYS[2]` the workspace's window as
/// awork last described it (`left`, `reset_at`). `ARGV`: the two limits, then the hint
/// this process brings (`left`, or -1 for none; its reset and its age, in
/// milliseconds), how far ahead (microseconds) a reservation the window holds back may
/// be booked, and the room left untouched. Answers the wait in microseconds; a negative answer books nothing and
/// says when to ask again, so that a request held back decides on what awork says then,
/// not on what it said when the request arrived.
///
/// A hint whose room is well above the window's (half the per-second limit or more)
/// says awork's window started anew: the window is taken from it, reset included.
/// Otherwise it only updates the room. While the window has room, reservations are
/// spread evenly over the time left in it, so that the room lasts until the reset even
/// when other apps use part of it; when it has none, they wait for the reset. A
/// window of a second that ends is followed by the next (awork's windows keep their
/// phase), with the whole limit as its room until an answer says how much is left:
/// so requests are spread from its start too, rather than sent in one burst.
const RESERVE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local per_second = tonumber(ARGV[1])
local per_minute = tonumber(ARGV[2])
local left = tonumber(redis.call('HGET', KEYS[2], 'left') or '-1')
local reset_at = tonumber(redis.call('HGET', KEYS[2], 'reset_at') or '0')
local span = tonumber(redis.call('HGET', KEYS[2], 'span') or '0')
if left >= 0 and reset_at <= now then
  if span > 0 and span <= 1000000 then
    reset_at = reset_at + (math.floor((now - reset_at) / span) + 1) * span
    left = per_second
  else
    left = -1
  end
end
local hint_left = tonumber(ARGV[3])
if hint_left >= 0 then
  local hint_reset = now + (tonumber(ARGV[4]) - tonumber(ARGV[5])) * 1000
  if hint_reset > now then
    local jump = math.max(1, math.floor(per_second / 2))
    if left < 0 or hint_left >= left + jump then
      reset_at = hint_reset
      span = tonumber(ARGV[4]) * 1000
    end
    left = hint_left
  end
end
local len = redis.call('LLEN', KEYS[1])
local slot = now
local last = 0
if len > 0 then
  last = tonumber(redis.call('LINDEX', KEYS[1], -1))
  if last > slot then slot = last end
end
if len >= per_second then
  local open = tonumber(redis.call('LINDEX', KEYS[1], -per_second)) + 1000000
  if open > slot then slot = open end
end
if len >= per_minute then
  local open = tonumber(redis.call('LINDEX', KEYS[1], -per_minute)) + 60000000
  if open > slot then slot = open end
end
local later = 0
if left >= 0 and reset_at > slot then
  local target = reset_at
  local usable = left - math.min(tonumber(ARGV[7]), math.floor(per_second / 10))
  if usable > 0 then
    target = last + math.floor((reset_at - slot) / (usable + 1))
    if target < slot then target = slot end
  end
  if target - now > tonumber(ARGV[6]) then
    later = target - now
  else
    slot = target
    if left > 0 then left = left - 1 end
  end
end
if left >= 0 then
  redis.call('HSET', KEYS[2], 'left', left, 'reset_at', reset_at, 'span', span)
  redis.call('PEXPIRE', KEYS[2], math.floor((reset_at - now) / 1000) + 120000)
end
if later > 0 then return -later end
redis.call('RPUSH', KEYS[1], slot)
local keep = per_second
if per_minute > keep then keep = per_minute end
redis.call('LTRIM', KEYS[1], -keep, -1)
redis.call('PEXPIRE', KEYS[1], 120000)
return slot - now
";

/// The room of awork's window the processes leave to others' requests already on their
/// way (not counted in the hint yet); at most a tenth of the per-second limit, so that a
/// small budget of your own is not held back by it.
const RESERVE_ROOM: i64 = 2;

/// How far ahead a reservation that awork's window holds back is booked; one that would
/// go later asks again then.
const BOOK_AHEAD: Duration = Duration::from_millis(10);

/// How long a reservation may take before the fallback paces this request.
const ANSWER_WITHIN: Duration = Duration::from_millis(250);

/// How long after a failure Redis is tried again.
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// A budget kept in Redis, shared by every limiter that names the same workspace there.
pub struct RedisBudget {
    client: redis::Client,
    key: String,
    /// The workspace's window as awork described it, shared by the processes.
    window_key: String,
    /// The latest hint of this process, to go with its next reservation.
    hint: Mutex<Option<PendingHint>>,
    per_second: NonZeroU32,
    per_minute: NonZeroU32,
    script: redis::Script,
    connection: tokio::sync::Mutex<Option<MultiplexedConnection>>,
    fallback: LocalBudget,
    share: f64,
    down_since: Mutex<Option<Instant>>,
    warned: AtomicBool,
}

/// Why a Redis budget could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RedisBudgetError {
    /// The URL is not a Redis URL (`redis://host:port/db`).
    #[error("invalid Redis URL: {0}")]
    Url(String),
    /// A limit is zero.
    #[error(transparent)]
    Zero(#[from] ZeroLimit),
}

impl RedisBudget {
    /// The budget of `plan` for workspace `workspace` (any name that is the same for
    /// every process of the workspace, e.g. its id), in the Redis at `url`. Nothing is
    /// sent yet: a Redis that is down now is tried again later.
    pub fn new(url: &str, workspace: &str, plan: Plan) -> Result<Self, RedisBudgetError> {
        let (second, minute) = plan.limits();
        Self::with_limits(url, workspace, second, minute)
    }

    /// Like [`Self::new`], at limits of your own.
    pub fn with_limits(
        url: &str,
        workspace: &str,
        per_second: u32,
        per_minute: u32,
    ) -> Result<Self, RedisBudgetError> {
        let per_second = NonZeroU32::new(per_second).ok_or(ZeroLimit {
            field: "per_second",
        })?;
        let per_minute = NonZeroU32::new(per_minute).ok_or(ZeroLimit {
            field: "per_minute",
        })?;
        let client = redis::Client::open(url).map_err(|e| RedisBudgetError::Url(e.to_string()))?;
        let share = 0.5;
        Ok(Self {
            client,
            key: format!("awork-rs:rate-budget:{workspace}"),
            window_key: format!("awork-rs:rate-budget:{workspace}:window"),
            hint: Mutex::new(None),
            per_second,
            per_minute,
            script: redis::Script::new(RESERVE),
            connection: tokio::sync::Mutex::new(None),
            fallback: share_of(per_second, per_minute, share),
            share,
            down_since: Mutex::new(None),
            warned: AtomicBool::new(false),
        })
    }

    /// While Redis cannot be reached, pace this process at `share` (0 to 1) of the
    /// limits; other processes of the workspace are likely pacing on their own too.
    #[must_use]
    pub fn fallback_share(mut self, share: f64) -> Self {
        let share = if share.is_finite() {
            share.clamp(0.01, 1.0)
        } else {
            0.5
        };
        self.share = share;
        self.fallback = share_of(self.per_second, self.per_minute, share);
        self
    }

    /// One reservation in Redis; `Err` when Redis cannot be reached or did not answer.
    async fn reserve_in_redis(&self) -> Result<Reservation, String> {
        let mut slot = self.connection.lock().await;
        if slot.is_none() {
            let connection = tokio::time::timeout(
                ANSWER_WITHIN,
                self.client.get_multiplexed_async_connection(),
            )
            .await
            .map_err(|_| "Redis did not accept a connection in time".to_owned())?
            .map_err(|e| e.to_string())?;
            *slot = Some(connection);
        }
        let mut connection = slot.clone().expect("connected just above");
        drop(slot);
        let mut invocation = self.script.key(&self.key);
        invocation
            .key(&self.window_key)
            .arg(self.per_second.get())
            .arg(self.per_minute.get());
        match self.take_hint() {
            Some(hint) => invocation
                .arg(i64::try_from(hint.left).unwrap_or(i64::MAX))
                .arg(millis(hint.resets_in))
                .arg(millis(hint.seen.elapsed())),
            None => invocation.arg(-1).arg(0).arg(0),
        };
        invocation.arg(micros(BOOK_AHEAD)).arg(RESERVE_ROOM);
        let call = invocation.invoke_async::<i64>(&mut connection);
        let answer = match tokio::time::timeout(ANSWER_WITHIN, call).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(e)) => {
                *self.connection.lock().await = None;
                return Err(e.to_string());
            }
            Err(_) => return Err("Redis did not answer in time".to_owned()),
        };
        let wait = Duration::from_micros(answer.unsigned_abs());
        Ok(match answer < 0 {
            true => Reservation::AskAgainIn(wait),
            false => Reservation::Booked(wait),
        })
    }

    /// The hint waiting to go with the next reservation, if any.
    fn take_hint(&self) -> Option<PendingHint> {
        self.hint.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// Whether Redis is worth asking now (not within a second of its last failure).
    fn worth_asking(&self) -> bool {
        let down = self.down_since.lock().unwrap_or_else(|e| e.into_inner());
        down.is_none_or(|since| since.elapsed() >= RETRY_AFTER)
    }

    fn failed(&self, why: &str) {
        *self.down_since.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
        if !self.warned.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                reason = why,
                share = self.share,
                "the shared rate budget in Redis cannot be reached; pacing this process alone at a share of the limits until it can"
            );
        }
    }

    fn recovered(&self) {
        *self.down_since.lock().unwrap_or_else(|e| e.into_inner()) = None;
        if self.warned.swap(false, Ordering::Relaxed) {
            tracing::info!("the shared rate budget in Redis is reachable again");
        }
    }
}

impl Budget for RedisBudget {
    fn reserve(&self, now: Duration) -> BoxFuture<'_, Duration> {
        Box::pin(async move {
            while self.worth_asking() {
                match self.reserve_in_redis().await {
                    Ok(Reservation::Booked(wait)) => {
                        self.recovered();
                        return wait;
                    }
                    Ok(Reservation::AskAgainIn(wait)) => {
                        self.recovered();
                        tokio::time::sleep(wait).await;
                    }
                    Err(why) => self.failed(&why),
                }
            }
            self.fallback.reserve_now(now)
        })
    }

    fn limits(&self) -> (u32, u32) {
        (self.per_second.get(), self.per_minute.get())
    }

    fn shares_hints(&self) -> bool {
        true
    }

    fn observe(&self, left: u64, resets_in: Duration) {
        let hint = PendingHint {
            left,
            resets_in,
            seen: Instant::now(),
        };
        *self.hint.lock().unwrap_or_else(|e| e.into_inner()) = Some(hint);
    }
}

/// What Redis answered a reservation.
enum Reservation {
    /// Booked: the request may go after this wait.
    Booked(Duration),
    /// Not booked, as awork's window holds requests back: ask again after this.
    AskAgainIn(Duration),
}

/// A hint of awork's on its way to Redis.
#[derive(Debug, Clone, Copy)]
struct PendingHint {
    left: u64,
    resets_in: Duration,
    seen: Instant,
}

/// `duration` in whole microseconds, for the script.
fn micros(duration: Duration) -> i64 {
    i64::try_from(duration.as_micros()).unwrap_or(i64::MAX)
}

/// `duration` in whole milliseconds, for the script.
fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

impl fmt::Debug for RedisBudget {
    /// The key and limits; never the URL, which may hold a password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisBudget")
            .field("key", &self.key)
            .field("per_second", &self.per_second)
            .field("per_minute", &self.per_minute)
            .field("fallback_share", &self.share)
            .finish_non_exhaustive()
    }
}

/// The in-process budget at `share` of the limits (at least one request each).
fn share_of(per_second: NonZeroU32, per_minute: NonZeroU32, share: f64) -> LocalBudget {
    let part = |n: NonZeroU32| {
        let scaled = (f64::from(n.get()) * share).floor() as u32;
        NonZeroU32::new(scaled).unwrap_or(NonZeroU32::MIN)
    };
    LocalBudget::new(part(per_second), part(per_minute))
}
