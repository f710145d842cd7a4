//! The fake's own notion of "now" for OAuth expiry, which a test can move forward.
//!
//! Codes, access tokens and refresh tokens expire on this clock, not on the stamps of
//! [`crate::Clock`]: a test that wants a token to run out mid-listing calls
//! [`crate::FakeAwork::advance`] instead of waiting a day.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::state::lock;

/// Monotonic time plus however far a test has moved it forward.
#[derive(Debug)]
pub(crate) struct ExpiryClock {
    offset: Mutex<Duration>,
}

impl ExpiryClock {
    /// A clock that reads the real monotonic time until advanced.
    pub(crate) fn new() -> Self {
        Self {
            offset: Mutex::new(Duration::ZERO),
        }
    }

    /// The current instant on this clock.
    pub(crate) fn now(&self) -> Instant {
        Instant::now() + *lock(&self.offset)
    }

    /// Moves the clock forward by `by`.
    pub(crate) fn advance(&self, by: Duration) {
        let mut offset = lock(&self.offset);
        *offset = offset.saturating_add(by);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward_by_at_least_that_much() {
        let clock = ExpiryClock::new();
        let before = clock.now();
        clock.advance(Duration::from_secs(3600));
        assert!(clock.now() >= before + Duration::from_secs(3600));
    }
}
