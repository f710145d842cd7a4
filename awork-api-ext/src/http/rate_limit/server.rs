//! What awork says about the workspace's windows, read from every answer: the room left
//! (`x-ratelimit-remaining-second`, `x-ratelimit-remaining-minute`,
//! `ratelimit-remaining`) and when the tightest window starts anew (`ratelimit-reset`).
//!
//! The limiter's own schedule only knows this process. awork's counts include every
//! other process and app of the workspace, so the limiter also keeps the latest count it
//! was told, takes off what it has sent since, and holds requests back once that reaches
//! zero, until the window resets. Requests already on their way when an answer arrives
//! may not be in its count yet, so they are taken off too: the view errs on the side of
//! sending less. When awork's count falls faster than this process's own requests
//! explain, others are sending too; then the view claims only half of what is left
//! (less what the others likely have on their way), as each of them sees the same count.
//! Without the headers (or once the window has reset) it says nothing, and the schedule
//! alone paces.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName};

use crate::http::headers::{self, RATELIMIT_REMAINING, RATELIMIT_RESET};

const REMAINING_SECOND: HeaderName = HeaderName::from_static("x-ratelimit-remaining-second");
const REMAINING_MINUTE: HeaderName = HeaderName::from_static("x-ratelimit-remaining-minute");

/// What one answer says: the room left in the tightest window, and how soon it resets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hint {
    pub(crate) left: u64,
    pub(crate) resets_in: Duration,
}

/// The hint in an answer's headers, if awork sent its rate-limit headers.
///
/// The room left is the least any of the three counts says. A window resets when
/// `ratelimit-reset` says (whole seconds, for the tightest window); without it, the
/// second window within a second and the minute window within a minute.
pub(crate) fn hint(map: &HeaderMap) -> Option<Hint> {
    let second = headers::number(map, REMAINING_SECOND);
    let minute = headers::number(map, REMAINING_MINUTE);
    let general = headers::number(map, RATELIMIT_REMAINING);
    let left = [second, minute, general].into_iter().flatten().min()?;
    let fallback = match (second, minute) {
        (Some(s), Some(m)) if m < s => Duration::from_secs(60),
        (None, Some(_)) => Duration::from_secs(60),
        _ => Duration::from_secs(1),
    };
    let resets_in = headers::number(map, RATELIMIT_RESET)
        .map(|s| Duration::from_secs(s.clamp(1, 3_600)))
        .unwrap_or(fallback);
    Some(Hint { left, resets_in })
}

/// How far below this process's own count awork's may fall before the view takes it
/// that others are sending: answers overtake each other by a request or two.
const SLACK: u64 = 2;

/// What a process sharing the workspace leaves untouched in each window, for the
/// others' requests that are on their way and not counted yet.
const RESERVE: u64 = 4;

/// How long a process keeps sharing after it last saw others send.
const CROWD_MEMORY: Duration = Duration::from_secs(5);

/// The latest hint, as this process has used it up since.
#[derive(Debug, Default)]
pub(crate) struct ServerView {
    /// Room left as awork counted it, less what was sent (or on its way) since: what
    /// awork's next count would say if this process were alone.
    room: u64,
    /// How much of that room this process takes: all of it when alone, half of it
    /// while others are seen sending (they see the same count and take their half).
    allowance: u64,
    /// When that window resets, on the limiter's clock; `None`: nothing known.
    resets_at: Option<Duration>,
    /// Until when others are taken to share the workspace.
    crowded_until: Option<Duration>,
}

impl ServerView {
    /// Takes in `hint`, seen at `now` while `others` requests of this process were still
    /// on their way (and may not be counted yet).
    ///
    /// When awork's count fell further than this process's own requests explain,
    /// other processes or apps are sending: from then on (for a few seconds) the view
    /// claims half the room left, so that two senders that see the same count do not
    /// both spend all of it.
    pub(crate) fn observe(&mut self, hint: Hint, now: Duration, others: u64) {
        let fresh = hint.left.saturating_sub(others);
        let same_window = self.resets_at.is_some_and(|reset| now < reset);
        if same_window && fresh + SLACK < self.room {
            self.crowded_until = Some(now + CROWD_MEMORY);
        }
        let crowded = self.crowded_until.is_some_and(|until| now < until);
        self.room = fresh;
        self.allowance = match crowded {
            // The other sender has about as many on their way, not counted yet.
            true => fresh.saturating_sub(others + RESERVE) / 2,
            false => fresh,
        };
        self.resets_at = Some(now + hint.resets_in);
    }

    /// How long a request about to go at `at` must wait for awork's windows; when it
    /// may go, it is counted against the room left.
    pub(crate) fn wait(&mut self, at: Duration) -> Duration {
        match self.resets_at {
            Some(reset) if at < reset => match self.allowance {
                0 => reset - at,
                _ => {
                    self.allowance -= 1;
                    self.room = self.room.saturating_sub(1);
                    Duration::ZERO
                }
            },
            _ => {
                self.resets_at = None;
                Duration::ZERO
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::headers::tests::headers;

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn the_tightest_count_and_its_reset_are_read() {
        let map = headers(&[
            ("x-ratelimit-remaining-second", "12"),
            ("x-ratelimit-remaining-minute", "400"),
            ("ratelimit-remaining", "12"),
            ("ratelimit-reset", "1"),
        ]);
        assert_eq!(
            hint(&map),
            Some(Hint {
                left: 12,
                resets_in: S
            })
        );
        let minute = headers(&[
            ("x-ratelimit-remaining-second", "30"),
            ("x-ratelimit-remaining-minute", "3"),
        ]);
        assert_eq!(
            hint(&minute),
            Some(Hint {
                left: 3,
                resets_in: 60 * S
            })
        );
        assert_eq!(hint(&headers(&[("content-type", "text/plain")])), None);
        assert_eq!(hint(&headers(&[("ratelimit-remaining", "x")])), None);
    }

    #[test]
    fn requests_go_until_the_room_is_used_then_wait_for_the_reset() {
        let mut view = ServerView::default();
        view.observe(
            Hint {
                left: 3,
                resets_in: S,
            },
            Duration::ZERO,
            1,
        );
        assert_eq!(view.wait(Duration::ZERO), Duration::ZERO);
        assert_eq!(view.wait(Duration::ZERO), Duration::ZERO);
        let at = Duration::from_millis(200);
        assert_eq!(
            view.wait(at),
            Duration::from_millis(800),
            "3 left, 1 on its way, 2 sent"
        );
        assert_eq!(view.wait(S), Duration::ZERO, "the window reset");
    }

    #[test]
    fn once_others_are_seen_sending_the_view_claims_half_of_the_room() {
        let mut view = ServerView::default();
        let hint = |left| Hint { left, resets_in: S };
        view.observe(hint(40), Duration::ZERO, 0);
        for _ in 0..4 {
            assert_eq!(view.wait(Duration::ZERO), Duration::ZERO);
        }
        // Alone, awork would now count 36 left; it says 20: others sent 16.
        let at = Duration::from_millis(100);
        view.observe(hint(20), at, 2);
        // 20 less 2 of ours on their way, less as many of theirs, less the reserve: 12,
        // of which this process takes half.
        for _ in 0..6 {
            assert_eq!(view.wait(at), Duration::ZERO);
        }
        assert_eq!(view.wait(at), S, "until the window it saw resets");
        // Still sharing in the next window, while the memory of the others lasts.
        view.observe(hint(50), 2 * S, 0);
        let sent = (0..50).take_while(|_| view.wait(2 * S).is_zero()).count();
        assert_eq!(sent, 23, "half of 50 less the reserve");
        // Long after, alone again: all the room.
        view.observe(hint(50), 10 * S, 0);
        let sent = (0..50).take_while(|_| view.wait(10 * S).is_zero()).count();
        assert_eq!(sent, 50);
    }

    #[test]
    fn a_count_that_falls_with_this_process_alone_is_not_taken_for_others() {
        let mut view = ServerView::default();
        view.observe(
            Hint {
                left: 40,
                resets_in: S,
            },
            Duration::ZERO,
            3,
        );
        for _ in 0..5 {
            assert_eq!(view.wait(Duration::ZERO), Duration::ZERO);
        }
        // 37 - 5 = 32 expected; answers overtaking each other make it 31.
        view.observe(
            Hint {
                left: 34,
                resets_in: S,
            },
            Duration::from_millis(10),
            3,
        );
        let sent = (0..50)
            .take_while(|_| view.wait(Duration::from_millis(10)).is_zero())
            .count();
        assert_eq!(sent, 31, "all of the room, not half");
    }

    #[test]
    fn without_a_hint_nothing_waits() {
        let mut view = ServerView::default();
        assert_eq!(view.wait(Duration::from_secs(5)), Duration::ZERO);
    }
}
