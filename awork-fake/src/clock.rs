//! Where `createdOn`/`updatedOn` stamps come from.

use chrono::{DateTime, SubsecRound, Utc};

/// Source of the timestamps the fake writes into bookings.
///
/// Stamps handed out by one fake are always strictly increasing, so the
/// default order (`createdOn`, then `id`) equals creation order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clock {
    /// Wall-clock time in UTC, truncated to milliseconds; bumped by 1 ms when
    /// two stamps would otherwise be equal.
    System,
    /// Deterministic time: the first stamp is `start`, each next one is `step` later.
    Fixed {
        /// The first stamp handed out.
        start: DateTime<Utc>,
        /// Distance between two consecutive stamps; must be positive.
        step: chrono::Duration,
    },
}

impl Clock {
    /// A deterministic clock starting at `start` and advancing by `step` per stamp.
    ///
    /// # Panics
    /// When `step` is zero or does not fit into a `chrono::Duration`.
    pub fn fixed(start: DateTime<Utc>, step: std::time::Duration) -> Self {
        let step = chrono::Duration::from_std(step).expect("clock step fits a chrono::Duration");
        assert!(
            step > chrono::Duration::zero(),
            "clock step must be positive"
        );
        Self::Fixed { start, step }
    }
}

/// Hands out strictly increasing stamps from a [`Clock`].
#[derive(Debug)]
pub(crate) struct Ticker {
    clock: Clock,
    last: Option<DateTime<Utc>>,
}

impl Ticker {
    /// Starts handing out stamps from `clock`.
    pub(crate) fn new(clock: Clock) -> Self {
        Self { clock, last: None }
    }

    /// The next stamp.
    pub(crate) fn tick(&mut self) -> DateTime<Utc> {
        let stamp = match (&self.clock, self.last) {
            (Clock::Fixed { start, .. }, None) => *start,
            (Clock::Fixed { step, .. }, Some(last)) => last + *step,
            (Clock::System, last) => next_system_stamp(last),
        };
        self.last = Some(stamp);
        stamp
    }
}

/// Current time, never earlier than or equal to `last`.
fn next_system_stamp(last: Option<DateTime<Utc>>) -> DateTime<Utc> {
    let now = Utc::now().trunc_subsecs(3);
    match last {
        Some(last) if now <= last => last + chrono::Duration::milliseconds(1),
        _ => now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_advances_by_step() {
        let start = DateTime::parse_from_rfc3339("2024-05-01T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let mut ticker = Ticker::new(Clock::fixed(start, std::time::Duration::from_secs(60)));
        assert_eq!(ticker.tick(), start);
        assert_eq!(ticker.tick(), start + chrono::Duration::minutes(1));
    }

    #[test]
    fn system_clock_is_strictly_increasing() {
        let mut ticker = Ticker::new(Clock::System);
        let stamps: Vec<_> = (0..50).map(|_| ticker.tick()).collect();
        assert!(stamps.windows(2).all(|pair| pair[0] < pair[1]));
    }
}
