//! The schedule behind [`RateLimiter`](super::RateLimiter): when may the next
//! request go, so that no window of awork's limits ever holds one request too many.
//!
//! awork counts requests per workspace in two windows: at most `per_second` in any
//! second and at most `per_minute` in any minute. A token bucket (GCRA) can keep one of
//! these exactly but must give up throughput to keep both, and lets through bursts that
//! break the one-second window when it refills. So the schedule keeps a log of the
//! times it handed out, the last `max(per_second, per_minute)` of them, and gives the
//! next request the earliest time that leaves both windows within their limits:
//!
//! ```text
//! slot = max(now, last slot, log[len - per_second] + 1 s, log[len - per_minute] + 60 s)
//! ```
//!
//! Each condition is a lower bound and raising the time never breaks another one, so
//! the slot is the earliest legal time, and requests in a burst go as early as the
//! limits allow (a greedy schedule is optimal here). Slots are handed out in order, so a
//! request never waits for one that came later. A request whose caller gives up after
//! reserving keeps its slot: the schedule errs on the side of sending less.

use std::collections::VecDeque;
use std::num::NonZeroU32;
use std::time::Duration;

/// The two windows awork counts in.
const SECOND: Duration = Duration::from_secs(1);
const MINUTE: Duration = Duration::from_secs(60);

/// The times handed out, on the clock's monotonic scale.
#[derive(Debug)]
pub(crate) struct Schedule {
    per_second: usize,
    per_minute: usize,
    /// The latest slots, oldest first; never longer than the larger limit.
    log: VecDeque<Duration>,
}

impl Schedule {
    pub(crate) fn new(per_second: NonZeroU32, per_minute: NonZeroU32) -> Self {
        let per_second = to_usize(per_second);
        let per_minute = to_usize(per_minute);
        Self {
            per_second,
            per_minute,
            log: VecDeque::with_capacity(per_second.max(per_minute)),
        }
    }

    /// Books the earliest slot at or after `now` and returns it.
    pub(crate) fn reserve(&mut self, now: Duration) -> Duration {
        let slot = [
            Some(now),
            self.log.back().copied(),
            self.reopens(self.per_second, SECOND),
            self.reopens(self.per_minute, MINUTE),
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(now);
        if self.log.len() == self.per_second.max(self.per_minute) {
            self.log.pop_front();
        }
        self.log.push_back(slot);
        slot
    }

    /// When a window of `length` holding `limit` requests has room again: `length` after
    /// the `limit`-th latest slot; `None` while fewer than `limit` slots were handed out.
    fn reopens(&self, limit: usize, length: Duration) -> Option<Duration> {
        let index = self.log.len().checked_sub(limit)?;
        Some(self.log[index] + length)
    }
}

fn to_usize(n: NonZeroU32) -> usize {
    usize::try_from(n.get()).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(per_second: u32, per_minute: u32) -> Schedule {
        Schedule::new(
            NonZeroU32::new(per_second).unwrap(),
            NonZeroU32::new(per_minute).unwrap(),
        )
    }

    /// The slots of `n` requests that all arrive at time zero.
    fn burst(schedule: &mut Schedule, n: usize) -> Vec<Duration> {
        (0..n).map(|_| schedule.reserve(Duration::ZERO)).collect()
    }

    /// The most slots in any half-open window `[t, t + length)`.
    pub(crate) fn busiest_window(times: &[Duration], length: Duration) -> usize {
        let mut most = 0;
        let mut start = 0;
        for end in 0..times.len() {
            while times[end] - times[start] >= length {
                start += 1;
            }
            most = most.max(end - start + 1);
        }
        most
    }

    #[test]
    fn a_burst_goes_in_blocks_of_the_per_second_limit() {
        let times = burst(&mut schedule(50, 1_000), 120);
        assert!(times[..50].iter().all(|t| *t == Duration::ZERO));
        assert!(times[50..100].iter().all(|t| *t == SECOND));
        assert!(times[100..].iter().all(|t| *t == 2 * SECOND));
    }

    #[test]
    fn the_minute_limit_holds_the_21st_block_back_to_the_next_minute() {
        let times = burst(&mut schedule(50, 1_000), 1_050);
        assert_eq!(times[999], 19 * SECOND);
        assert_eq!(times[1_000], MINUTE);
        assert_eq!(times[1_049], MINUTE);
    }

    #[test]
    fn no_window_ever_holds_one_request_too_many() {
        for (second, minute, n) in [
            (50, 1_000, 3_000),
            (50, 3_000, 7_000),
            (5, 20, 100),
            (50, 10, 40),
        ] {
            let mut s = schedule(second, minute);
            // Requests arrive spread out a little, not only in one burst.
            let times: Vec<Duration> = (0..n)
                .map(|i| s.reserve(Duration::from_millis(i as u64 * 7)))
                .collect();
            assert!(
                busiest_window(&times, SECOND) <= second as usize,
                "{second}/{minute}"
            );
            assert!(
                busiest_window(&times, MINUTE) <= minute as usize,
                "{second}/{minute}"
            );
            assert!(times.windows(2).all(|w| w[0] <= w[1]), "slots are in order");
        }
    }

    #[test]
    fn an_idle_schedule_never_delays() {
        let mut s = schedule(2, 100);
        assert_eq!(s.reserve(Duration::ZERO), Duration::ZERO);
        assert_eq!(s.reserve(Duration::ZERO), Duration::ZERO);
        assert_eq!(s.reserve(Duration::from_secs(5)), Duration::from_secs(5));
    }
}
