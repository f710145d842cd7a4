//! awork's rate limits, enforced for the whole workspace when a test asks for them.
//!
//! awork counts every request of a workspace, from every app and client, in two
//! windows: at most so many in the current second and in the current minute (50 and
//! 1,000 on most plans, 3,000 a minute on Enterprise). The windows are whole seconds and
//! whole minutes of the clock, as awork's gateway counts them, on the fake's one clock.
//! A request past either limit is answered 429 with the gateway's body and is not
//! counted; every answer, refused or not, carries the counts in awork's headers:
//! `x-ratelimit-limit-second`, `x-ratelimit-remaining-second`,
//! `x-ratelimit-limit-minute`, `x-ratelimit-remaining-minute`, and for the window with
//! the least room left `ratelimit-limit`, `ratelimit-remaining` and `ratelimit-reset`
//! (whole seconds until that window starts anew).
//!
//! Off unless switched on ([`crate::FakeAworkBuilder::workspace_limits`] or
//! [`WorkspaceLimits::set`]); requests without valid credentials are not counted, as they
//! name no workspace.

use std::sync::Mutex;

use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use chrono::{DateTime, Utc};

use crate::sync::lock;
use crate::wire::Answer;

/// The body awork's gateway sends with a 429.
const GATEWAY_MESSAGE: &str = "API rate limit exceeded";

/// The limits of a workspace: requests per second and per minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Requests allowed in one second.
    pub per_second: u32,
    /// Requests allowed in one minute.
    pub per_minute: u32,
}

impl Limits {
    /// Every plan but Enterprise: 50 a second, 1,000 a minute.
    pub const STANDARD: Limits = Limits {
        per_second: 50,
        per_minute: 1_000,
    };
    /// Enterprise: 50 a second, 3,000 a minute.
    pub const ENTERPRISE: Limits = Limits {
        per_second: 50,
        per_minute: 3_000,
    };
}

/// One window's count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Window {
    /// Which second or minute (since the epoch) the count is for.
    index: i64,
    count: u32,
}

impl Window {
    /// The count in window `index`, starting afresh when the window moved on.
    fn at(&mut self, index: i64) -> &mut u32 {
        if self.index != index {
            *self = Window { index, count: 0 };
        }
        &mut self.count
    }
}

/// The workspace's counts.
#[derive(Debug, Default)]
pub(crate) struct LimitState {
    limits: Option<Limits>,
    second: Window,
    minute: Window,
    admitted: u64,
    refused: u64,
}

/// What the limits say about one request.
#[derive(Debug)]
pub(crate) enum Admission {
    /// No limits are on.
    Unlimited,
    /// It is counted; its answer carries these headers.
    Counted(HeaderMap),
    /// It is over a limit: this is its answer.
    Refused(Answer),
}

impl LimitState {
    /// A state with `limits` on, or off.
    pub(crate) fn new(limits: Option<Limits>) -> Self {
        Self {
            limits,
            ..Self::default()
        }
    }

    /// Counts a request arriving `now`, or refuses it.
    pub(crate) fn admit(&mut self, now: DateTime<Utc>) -> Admission {
        let Some(limits) = self.limits else {
            return Admission::Unlimited;
        };
        let (second, minute) = (now.timestamp(), now.timestamp().div_euclid(60));
        let used_second = *self.second.at(second);
        let used_minute = *self.minute.at(minute);
        if used_second >= limits.per_second || used_minute >= limits.per_minute {
            self.refused += 1;
            let headers = headers(limits, (used_second, used_minute), now);
            let mut answer = Answer::json(
                StatusCode::TOO_MANY_REQUESTS,
                serde_json::json!({ "message": GATEWAY_MESSAGE }),
            );
            answer.headers.extend(headers);
            return Admission::Refused(answer);
        }
        *self.second.at(second) += 1;
        *self.minute.at(minute) += 1;
        self.admitted += 1;
        Admission::Counted(headers(limits, (used_second + 1, used_minute + 1), now))
    }
}

/// awork's rate-limit headers for counts `(second, minute)` at `now`.
fn headers(limits: Limits, (second, minute): (u32, u32), now: DateTime<Utc>) -> HeaderMap {
    let left_second = limits.per_second.saturating_sub(second);
    let left_minute = limits.per_minute.saturating_sub(minute);
    let millis = i64::from(now.timestamp_subsec_millis());
    let second_resets = 1;
    let minute_resets = ((60_000 - (now.timestamp().rem_euclid(60) * 1000 + millis)) + 999) / 1000;
    let (limit, left, reset) = match left_second <= left_minute {
        true => (limits.per_second, left_second, second_resets),
        false => (limits.per_minute, left_minute, minute_resets.max(1)),
    };
    let values = [
        ("x-ratelimit-limit-second", i64::from(limits.per_second)),
        ("x-ratelimit-remaining-second", i64::from(left_second)),
        ("x-ratelimit-limit-minute", i64::from(limits.per_minute)),
        ("x-ratelimit-remaining-minute", i64::from(left_minute)),
        ("ratelimit-limit", i64::from(limit)),
        ("ratelimit-remaining", i64::from(left)),
        ("ratelimit-reset", reset),
    ];
    let mut map = HeaderMap::new();
    for (name, value) in values {
        map.insert(HeaderName::from_static(name), HeaderValue::from(value));
    }
    map
}

/// The workspace's rate limits on a running fake; from [`crate::FakeAwork::limits`].
#[derive(Debug, Clone, Copy)]
pub struct WorkspaceLimits<'f> {
    pub(crate) state: &'f Mutex<LimitState>,
}

impl WorkspaceLimits<'_> {
    /// Enforces `limits` from now on (`None`: no limits). The counts start afresh.
    pub fn set(&self, limits: Option<Limits>) {
        *lock(self.state) = LimitState::new(limits);
    }

    /// The limits in force.
    pub fn get(&self) -> Option<Limits> {
        lock(self.state).limits
    }

    /// Requests counted against the limits so far.
    pub fn admitted(&self) -> u64 {
        lock(self.state).admitted
    }

    /// Requests answered 429 because a window was full.
    pub fn refused(&self) -> u64 {
        lock(self.state).refused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn header(headers: &HeaderMap, name: &str) -> String {
        headers[name].to_str().unwrap().to_owned()
    }

    #[test]
    fn a_full_second_refuses_until_the_next_second() {
        let mut state = LimitState::new(Some(Limits {
            per_second: 2,
            per_minute: 100,
        }));
        let now = at("2024-05-06T10:00:00.250Z");
        assert!(matches!(state.admit(now), Admission::Counted(_)));
        let Admission::Counted(headers) = state.admit(now) else {
            panic!()
        };
        assert_eq!(header(&headers, "x-ratelimit-remaining-second"), "0");
        assert_eq!(header(&headers, "ratelimit-remaining"), "0");
        assert_eq!(header(&headers, "ratelimit-reset"), "1");
        let Admission::Refused(answer) = state.admit(now) else {
            panic!()
        };
        assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            header(&answer.headers, "x-ratelimit-remaining-minute"),
            "98"
        );
        assert!(matches!(
            state.admit(at("2024-05-06T10:00:01Z")),
            Admission::Counted(_)
        ));
        assert_eq!((state.admitted, state.refused), (3, 1));
    }

    #[test]
    fn the_minute_window_names_its_own_reset() {
        let mut state = LimitState::new(Some(Limits {
            per_second: 50,
            per_minute: 3,
        }));
        for _ in 0..2 {
            state.admit(at("2024-05-06T10:00:40Z"));
        }
        let Admission::Counted(headers) = state.admit(at("2024-05-06T10:00:40.5Z")) else {
            panic!()
        };
        assert_eq!(header(&headers, "ratelimit-limit"), "3");
        assert_eq!(header(&headers, "ratelimit-remaining"), "0");
        assert_eq!(
            header(&headers, "ratelimit-reset"),
            "20",
            "19.5 s, rounded up"
        );
        assert!(matches!(
            state.admit(at("2024-05-06T10:00:59Z")),
            Admission::Refused(_)
        ));
        assert!(matches!(
            state.admit(at("2024-05-06T10:01:00Z")),
            Admission::Counted(_)
        ));
    }

    #[test]
    fn without_limits_nothing_is_counted() {
        let mut state = LimitState::new(None);
        assert!(matches!(state.admit(Utc::now()), Admission::Unlimited));
        assert_eq!(state.admitted, 0);
    }
}
