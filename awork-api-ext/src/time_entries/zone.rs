//! Time zones and local times: the part of time tracking where most mistakes happen.
//!
//! awork keeps the IANA zone an entry was recorded in (`timezone`, e.g.
//! `Europe/Berlin`). A wall-clock time in such a zone does not always name one
//! instant: when clocks jump forward (a DST start) an hour of local times does not
//! exist, and when they fall back an hour happens twice. This module turns a local
//! time into an instant and says which of the two went wrong, instead of silently
//! picking one.

use crate::error::Error;
use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// A time zone by its IANA name (`Europe/Berlin`, `America/New_York`, `UTC`).
pub fn zone(name: &str) -> Result<Tz, Error> {
    name.trim().parse::<Tz>().map_err(|_| {
        Error::validation(
            "timezone",
            format!("{name:?} is not an IANA time zone name (like \"Europe/Berlin\")"),
        )
    })
}

/// Which instant an ambiguous local time means: during the hour that happens twice
/// when clocks fall back, the first pass (still on summer time) or the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    /// The first occurrence (the earlier instant).
    Earlier,
    /// The second occurrence (the later instant).
    Later,
}

/// The instant `local` names in `tz`. A local time that does not exist is always an
/// error; one that exists twice is an error unless `fold` says which is meant.
pub(crate) fn resolve(
    tz: Tz,
    local: NaiveDateTime,
    field: &str,
    fold: Option<Fold>,
) -> Result<DateTime<Tz>, Error> {
    match (tz.from_local_datetime(&local), fold) {
        (LocalResult::Single(at), _) => Ok(at),
        (LocalResult::Ambiguous(first, _), Some(Fold::Earlier)) => Ok(first),
        (LocalResult::Ambiguous(_, second), Some(Fold::Later)) => Ok(second),
        (LocalResult::Ambiguous(first, second), None) => Err(Error::validation(
            field,
            format!(
                "{local} happens twice in {tz} (clocks go back): at {} and at {}; choose one with Fold::Earlier or Fold::Later",
                first.format("%H:%M %:z"),
                second.format("%H:%M %:z")
            ),
        )),
        (LocalResult::None, _) => Err(Error::validation(
            field,
            format!(
                "{local} does not exist in {tz} (clocks jump forward over it); use a time before or after the gap"
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(d: (i32, u32, u32), h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(d.0, d.1, d.2)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    #[test]
    fn unknown_zones_are_named() {
        let err = zone("Europe/Berlni").unwrap_err().to_string();
        assert_eq!(
            err,
            "invalid timezone: \"Europe/Berlni\" is not an IANA time zone name (like \"Europe/Berlin\")"
        );
        assert_eq!(zone("Europe/Berlin").unwrap(), chrono_tz::Europe::Berlin);
    }

    #[test]
    fn a_local_time_in_the_spring_gap_is_rejected_as_not_existing() {
        let berlin = chrono_tz::Europe::Berlin;
        let err = resolve(
            berlin,
            at((2024, 3, 31), 2, 30),
            "start",
            Some(Fold::Earlier),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("invalid start: 2024-03-31 02:30:00 does not exist in Europe/Berlin"),
            "{err}"
        );
    }

    #[test]
    fn a_local_time_in_the_autumn_fold_needs_a_choice() {
        let berlin = chrono_tz::Europe::Berlin;
        let local = at((2024, 10, 27), 2, 30);
        let err = resolve(berlin, local, "end", None).unwrap_err().to_string();
        assert!(err.contains("happens twice in Europe/Berlin"), "{err}");
        assert!(err.contains("02:30 +02:00 and at 02:30 +01:00"), "{err}");
        let earlier = resolve(berlin, local, "end", Some(Fold::Earlier)).unwrap();
        let later = resolve(berlin, local, "end", Some(Fold::Later)).unwrap();
        assert_eq!((later - earlier).num_minutes(), 60);
    }
}
