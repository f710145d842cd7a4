//! The fake's "now": wall-clock time until a test takes control of it.
//!
//! The timer routes (`/timetracking/start`, `pause`, `resume`, `stop`) stamp
//! entries and breaks with this instant. Tests that want exact durations
//! freeze it with [`crate::FakeAwork::set_now`] and move it with
//! [`crate::FakeAwork::advance`] instead of sleeping.
//!
//! This is deliberately separate from [`crate::Clock`], which only numbers
//! `createdOn`/`updatedOn` stamps so that the default list order is the
//! creation order; a frozen "now" would make such stamps collide.

use chrono::{DateTime, Utc};

/// Where the current instant comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Now {
    /// `None`: follow the wall clock; `Some`: frozen at this instant.
    frozen: Option<DateTime<Utc>>,
}

impl Now {
    /// The current instant of the fake.
    pub(crate) fn get(&self) -> DateTime<Utc> {
        self.frozen.unwrap_or_else(Utc::now)
    }

    /// Freezes time at `at`.
    pub(crate) fn set(&mut self, at: DateTime<Utc>) {
        self.frozen = Some(at);
    }

    /// Moves time forward by `by`. When time still follows the wall clock,
    /// it is frozen at the current wall-clock instant plus `by`, so that
    /// what a test observes afterwards does not drift.
    ///
    /// # Panics
    /// When `by` does not fit a `chrono::Duration` or the result leaves
    /// chrono's range.
    pub(crate) fn advance(&mut self, by: std::time::Duration) {
        let by = chrono::Duration::from_std(by).expect("the step fits a chrono::Duration");
        let next = self
            .get()
            .checked_add_signed(by)
            .expect("the advanced instant stays within chrono's range");
        self.frozen = Some(next);
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
        let now = Now::default().get();
        assert!(now >= before && now <= Utc::now());
    }

    #[test]
    fn set_freezes_and_advance_adds() {
        let mut now = Now::default();
        now.set(at("2024-05-06T08:00:00Z"));
        assert_eq!(now.get(), at("2024-05-06T08:00:00Z"));
        now.advance(std::time::Duration::from_secs(90));
        assert_eq!(now.get(), at("2024-05-06T08:01:30Z"));
        assert_eq!(now.get(), at("2024-05-06T08:01:30Z"));
    }

    #[test]
    fn advance_without_set_freezes_near_the_wall_clock() {
        let mut now = Now::default();
        let before = Utc::now();
        now.advance(std::time::Duration::from_secs(3600));
        let frozen = now.get();
        assert!(frozen >= before + chrono::Duration::hours(1));
        assert_eq!(now.get(), frozen);
    }
}
