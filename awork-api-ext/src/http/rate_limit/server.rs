//! What awork says about the workspace's windows, read from every answer: the room left
//! (`x-ratelimit-remaining-second`, `x-ratelimit-remaining-minute`,
//! `ratelimit-remaining`) and when the tightest window starts anew (`ratelimit-reset`).
//!
//! The limiter's own schedule only knows this process. awork's counts include every
//! other process and app of the workspace, so the limiter also keeps the latest count it
//! was told, takes off what it has sent since, and holds requests back once that reaches
//! zero, until the window resets. Requests already on their way when an answer arrives
//! may not be in its count yet, so they are taken off too: the view errs on the side of
//! sending less. Without the headers (or once the window has reset) it says nothing, and
//! the schedule alone paces.

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

/// The latest hint, as this process has used it up since.
#[derive(Debug, Default)]
pub(crate) struct ServerView {
    /// Room left as awork counted it, less what was sent (or on its way) since.
    left: u64,
    /// When that window resets, on the limiter's clock; `None`: nothing known.
    resets_at: Option<Duration>,
}

impl ServerView {
    /// Takes in `hint`, seen at `now` while `others` requests of this process were still
    /// on their way (and may not be counted yet).
    pub(crate) fn observe(&mut self, hint: Hint, now: Duration, others: u64) {
        self.left = hint.left.saturating_sub(others);
        self.resets_at = Some(now + hint.resets_in);
    }

    /// How long a request about to go at `at` must wait for awork's windows; when it
    /// may go, it is counted against the room left.
    pub(crate) fn wait(&mut self, at: Duration) -> Duration {
        match self.resets_at {
            Some(reset) if at < reset => match self.left {
                0 => reset - at,
                _ => {
                    self.left -= 1;
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
    fn without_a_hint_nothing_waits() {
        let mut view = ServerView::default();
        assert_eq!(view.wait(Duration::from_secs(5)), Duration::ZERO);
    }
}
