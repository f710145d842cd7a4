//! The waits between attempts when awork names none: exponential from the policy's
//! base to its max, optionally jittered so that clients failing together do not all
//! come back at the same moment.

use super::policy::RetryPolicy;
use backon::{BackoffBuilder, ExponentialBuilder};
use std::time::Duration;

impl RetryPolicy {
    /// A fresh backoff schedule for one request.
    ///
    /// `seed` drives the jitter: the retry loop passes a random one per request so that
    /// concurrent requests spread out; tests pass a constant to get a repeatable
    /// schedule. (backon, built without its `std` feature, would otherwise use one
    /// fixed seed for every schedule.)
    pub(crate) fn backoff(&self, seed: u64) -> Backoff {
        Backoff::new(self.backoff_base, self.backoff_max, self.jitter, seed)
    }
}

/// A seed for one request's jitter: a per-thread xorshift, seeded once from `rand`.
/// Asking `rand`'s thread generator for every request (most never retry) was a
/// measurable part of a call in `benches/overhead.rs`; jitter needs spread, not secrecy.
pub(crate) fn seed() -> u64 {
    thread_local! {
        static STATE: std::cell::Cell<u64> = std::cell::Cell::new(rand::random::<u64>() | 1);
    }
    STATE.with(|state| {
        let mut x = state.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        state.set(x);
        x
    })
}

type Steps = <ExponentialBuilder as BackoffBuilder>::Backoff;

/// The waits of one request when awork names none: exponential, optionally jittered,
/// always between the policy's base and max. Made by [`RetryPolicy::backoff`].
///
/// The schedule comes from backon's exponential builder. backon adds jitter on top
/// of a step (a step `d` becomes a random value in `[d, 2d)`), so with jitter the
/// steps are capped at `max / 2` and the jittered values land in `[base, max]` with
/// their spread intact even at the cap.
#[derive(Debug)]
pub(crate) struct Backoff {
    steps: Steps,
    base: Duration,
    max: Duration,
}

impl Backoff {
    /// The schedule from `base` to `max`, jittered with `seed` when `jitter` is set.
    fn new(base: Duration, max: Duration, jitter: bool, seed: u64) -> Self {
        let builder = ExponentialBuilder::new()
            .with_factor(2.0)
            .with_min_delay(base)
            .without_max_times();
        let builder = if jitter {
            builder
                .with_max_delay((max / 2).max(base))
                .with_jitter()
                .with_jitter_seed(seed)
        } else {
            builder.with_max_delay(max)
        };
        Self {
            steps: builder.build(),
            base,
            max,
        }
    }

    /// The next wait of the schedule, in whole milliseconds (backon computes in `f32`,
    /// which leaves nanosecond noise) and within `[base, max]`.
    pub(crate) fn next_wait(&mut self) -> Duration {
        let step = self.steps.next().unwrap_or(self.max);
        whole_millis(step).max(self.base).min(self.max)
    }
}

/// `d` rounded to the nearest millisecond.
fn whole_millis(d: Duration) -> Duration {
    let millis = d.as_micros().saturating_add(500) / 1000;
    Duration::from_millis(u64::try_from(millis).unwrap_or(u64::MAX))
}

impl Iterator for Backoff {
    type Item = Duration;

    /// The schedule never ends: this is always `Some(next_wait())`.
    fn next(&mut self) -> Option<Duration> {
        Some(self.next_wait())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::retry::decide::tests::{ms, secs};

    #[test]
    fn backoff_without_jitter_doubles_up_to_the_max() {
        let p = RetryPolicy::default()
            .with_backoff(ms(100), ms(800))
            .with_jitter(false);
        let waits: Vec<Duration> = p.backoff(1).take(6).collect();
        assert_eq!(
            waits,
            [ms(100), ms(200), ms(400), ms(800), ms(800), ms(800)]
        );
    }

    #[test]
    fn jittered_backoff_stays_within_base_and_max_and_still_spreads_at_the_cap() {
        let p = RetryPolicy::default().with_backoff(ms(100), ms(800));
        for seed in 0..200 {
            let waits: Vec<Duration> = p.backoff(seed).take(8).collect();
            assert!(
                waits.iter().all(|w| *w >= ms(100) && *w <= ms(800)),
                "seed {seed}: {waits:?}"
            );
            assert!(waits[7] >= ms(400), "at the cap: {waits:?}");
        }
        let at_cap: std::collections::BTreeSet<Duration> = (0..20)
            .map(|seed| p.backoff(seed).nth(7).unwrap())
            .collect();
        assert!(at_cap.len() > 10, "jitter spreads capped waits: {at_cap:?}");
    }

    #[test]
    fn the_same_seed_gives_the_same_schedule() {
        let p = RetryPolicy::default();
        let a: Vec<Duration> = p.backoff(42).take(5).collect();
        let b: Vec<Duration> = p.backoff(42).take(5).collect();
        let c: Vec<Duration> = p.backoff(43).take(5).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn the_default_schedule_starts_at_half_a_second_and_ends_at_thirty() {
        let p = RetryPolicy::default();
        let waits: Vec<Duration> = p.backoff(7).take(12).collect();
        assert!(waits[0] >= ms(500) && waits[0] < secs(1), "{waits:?}");
        assert!(waits.iter().all(|w| *w <= secs(30)), "{waits:?}");
        assert!(waits[11] >= secs(15), "{waits:?}");
    }

    #[test]
    fn a_max_below_the_base_is_raised_to_the_base() {
        let p = RetryPolicy::default()
            .with_backoff(secs(2), secs(1))
            .with_jitter(false);
        assert_eq!(p.backoff(0).take(3).collect::<Vec<_>>(), [secs(2); 3]);
    }
}
