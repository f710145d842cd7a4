//! The fake's one clock: the wall clock until a test sets or moves it.
//!
//! Everything that tells time reads it: `createdOn`/`updatedOn` stamps, the timer of
//! time entries, `now`/`today` in filters, and the expiry of OAuth codes and tokens. A
//! test freezes it with [`ClockControl::set`] and moves it with
//! [`ClockControl::advance`] instead of sleeping.

use std::sync::Mutex;

use chrono::{DateTime, Duration, SubsecRound, Utc};

use crate::sync::lock;

/// Where "now" comes from, and the last stamp handed out.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// `None`: the wall clock; `Some`: frozen at this instant.
    frozen: Option<DateTime<Utc>>,
    /// The last `createdOn`/`updatedOn` stamp.
    last_stamp: Option<DateTime<Utc>>,
}

impl Clock {
    /// A clock frozen at `at` from the start, or on the wall clock.
    pub(crate) fn new(frozen: Option<DateTime<Utc>>) -> Self {
        Self {
            state: Mutex::new(State {
                frozen,
                last_stamp: None,
            }),
        }
    }

    /// The current instant.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        lock(&self.state).frozen.unwrap_or_else(Utc::now)
    }

    /// Freezes time at `at`.
    pub(crate) fn set(&self, at: DateTime<Utc>) {
        lock(&self.state).frozen = Some(at);
    }

    /// Moves time forward by `by`, all at once. On the wall clock, time freezes at the
    /// current instant plus `by`, so that what a test sees afterwards does not drift.
    ///
    /// # Panics
    /// When the result leaves chrono's range.
    pub(crate) fn advance(&self, by: std::time::Duration) {
        let by = Duration::from_std(by).expect("the step fits a chrono::Duration");
        let mut state = lock(&self.state);
        let now = state.frozen.unwrap_or_else(Utc::now);
        let next = now
            .checked_add_signed(by)
            .expect("the advanced instant stays within chrono's range");
        state.frozen = Some(next);
    }

    /// A `createdOn`/`updatedOn` stamp: now, in whole milliseconds, and always later
    /// than the stamp before it (by 1 ms if time stands still), so that creation order
    /// and stamp order agree.
    pub(crate) fn stamp(&self) -> DateTime<Utc> {
        let mut state = lock(&self.state);
        let now = state.frozen.unwrap_or_else(Utc::now).trunc_subsecs(3);
        let stamp = match state.last_stamp {
            Some(last) if now <= last => last + Duration::milliseconds(1),
            _ => now,
        };
        state.last_stamp = Some(stamp);
        stamp
    }
}

/// The fake's clock; from [`crate::FakeAwork::clock`].
#[derive(Debug, Clone, Copy)]
pub struct ClockControl<'f> {
    pub(crate) clock: &'f Clock,
}

impl ClockControl<'_> {
    /// The fake's current instant: the wall clock until [`Self::set`] or
    /// [`Self::advance`] takes over.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Freezes the fake's time at `at`; only [`Self::set`] and [`Self::advance`] move
    /// it from then on.
    pub fn set(&self, at: DateTime<Utc>) {
        self.clock.set(at);
    }

    /// Moves the fake's time forward by `by`, all at once: the timer, stamps, filters
    /// and the expiry of OAuth codes and tokens all see it. Called before [`Self::set`],
    /// it freezes time at the current wall-clock instant plus `by`.
    ///
    /// # Panics
    /// When the result leaves chrono's range.
    pub fn advance(&self, by: std::time::Duration) {
        self.clock.advance(by);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn follows_the_wall_clock_until_set() {
        let before = Utc::now();
        let now = Clock::default().now();
        assert!(now >= before && now <= Utc::now());
    }

    #[test]
    fn set_freezes_and_advance_adds() {
        let clock = Clock::new(Some(at("2024-05-06T08:00:00Z")));
        clock.advance(std::time::Duration::from_secs(90));
        assert_eq!(clock.now(), at("2024-05-06T08:01:30Z"));
        clock.set(at("2024-01-01T00:00:00Z"));
        assert_eq!(clock.now(), at("2024-01-01T00:00:00Z"));
    }

    #[test]
    fn advance_on_the_wall_clock_freezes_near_it() {
        let clock = Clock::default();
        let before = Utc::now();
        clock.advance(std::time::Duration::from_secs(3600));
        let frozen = clock.now();
        assert!(frozen >= before + Duration::hours(1));
        assert_eq!(clock.now(), frozen);
    }

    #[test]
    fn stamps_increase_strictly_even_when_time_stands_still() {
        let clock = Clock::new(Some(at("2024-05-06T08:00:00Z")));
        let stamps: Vec<_> = (0..3).map(|_| clock.stamp()).collect();
        assert_eq!(stamps[0], at("2024-05-06T08:00:00Z"));
        assert_eq!(stamps[2], at("2024-05-06T08:00:00.002Z"));
        let wall = Clock::default();
        let stamps: Vec<_> = (0..50).map(|_| wall.stamp()).collect();
        assert!(stamps.windows(2).all(|pair| pair[0] < pair[1]));
    }
}
