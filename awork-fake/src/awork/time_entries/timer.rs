//! The timer: one running entry per user at most, which can be paused
//! (opening a break), resumed (closing it) and stopped (closing any open
//! break and computing the worked time).
//!
//! Durations are whole seconds: the stop sets `duration` to the time from
//! start to end minus all breaks, and `breakDuration` to the sum of breaks.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::instants::seconds_between;
use super::model::{Break, NewTimeEntry, TimeEntry};
use super::store::TimeEntryStore;
use crate::wire::ApiError;

/// What a timer route does to the running entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimerAction {
    /// Opens a break.
    Pause,
    /// Closes the open break.
    Resume,
    /// Ends the entry.
    Stop,
}

/// Creates the running entry `fields` (see [`NewTimeEntry::running`]);
/// refused while its user already has one.
pub(crate) fn start(
    store: &mut TimeEntryStore,
    fields: NewTimeEntry,
    actor: Uuid,
) -> Result<TimeEntry, ApiError> {
    if store.running_of(fields.user_id).is_some() {
        return Err(ApiError::invalid_operation(
            "The user already has a running time tracking; stop it first.",
        ));
    }
    Ok(store.create(fields, actor))
}

/// Applies `action` at `now` to the running entry of `user`.
pub(crate) fn act(
    store: &mut TimeEntryStore,
    user: Uuid,
    action: TimerAction,
    now: DateTime<Utc>,
    actor: Uuid,
) -> Result<TimeEntry, ApiError> {
    let running = store
        .running_of(user)
        .and_then(|id| store.get(id))
        .ok_or_else(|| ApiError::invalid_operation("The user has no running time tracking."))?;
    match (action, running.is_paused()) {
        (TimerAction::Pause, true) => Err(ApiError::invalid_operation(
            "The time tracking is already paused.",
        )),
        (TimerAction::Resume, false) => Err(ApiError::invalid_operation(
            "The time tracking is not paused.",
        )),
        _ => Ok(store
            .change(running.id, actor, |entry| apply(entry, action, now))
            .expect("the running entry was just found")),
    }
}

/// Changes a running entry; the caller has checked that `action` fits.
fn apply(entry: &mut TimeEntry, action: TimerAction, now: DateTime<Utc>) {
    match action {
        TimerAction::Pause => entry.breaks.push(Break::open(now)),
        TimerAction::Resume => close_open_break(entry, now),
        TimerAction::Stop => {
            close_open_break(entry, now);
            let end = now.max(entry.start_date);
            entry.end_date = Some(end);
            entry.duration = seconds_between(entry.start_date, end)
                .saturating_sub(entry.break_duration)
                .max(0);
        }
    }
}

/// Drops every break of `entry`: a paused timer runs again, and a finished entry
/// counts its whole span as work. Date-only entries have no breaks to drop.
pub(crate) fn remove_breaks(entry: &mut TimeEntry) {
    entry.breaks.clear();
    entry.break_duration = 0;
    if let (Some(end), false) = (entry.end_date, entry.is_date_only) {
        entry.duration = seconds_between(entry.start_date, end).max(0);
    }
}

/// Closes the last break if it is open, and sums up the breaks.
fn close_open_break(entry: &mut TimeEntry, now: DateTime<Utc>) {
    if let Some(open) = entry
        .breaks
        .last_mut()
        .filter(|last| last.end_date.is_none())
    {
        open.close(now);
    }
    entry.break_duration = entry.closed_break_seconds();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controls::clock::Clock;

    const USER: Uuid = Uuid::from_u128(1);
    const WORK: Uuid = Uuid::from_u128(2);

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2024-05-06T08:00:00Z")
            .unwrap()
            .to_utc()
            + chrono::Duration::minutes(minutes)
    }

    #[test]
    fn pause_resume_stop_accounts_for_breaks() {
        let mut store = TimeEntryStore::new(std::sync::Arc::new(Clock::default()));
        start(&mut store, NewTimeEntry::running(USER, WORK, at(0)), USER).unwrap();
        act(&mut store, USER, TimerAction::Pause, at(30), USER).unwrap();
        act(&mut store, USER, TimerAction::Resume, at(40), USER).unwrap();
        act(&mut store, USER, TimerAction::Pause, at(50), USER).unwrap();
        let stopped = act(&mut store, USER, TimerAction::Stop, at(65), USER).unwrap();
        assert_eq!(stopped.end_date, Some(at(65)));
        assert_eq!(stopped.break_duration, 25 * 60);
        assert_eq!(stopped.duration, 40 * 60);
        assert_eq!(stopped.breaks.len(), 2);
        assert!(stopped.breaks.iter().all(|pause| pause.end_date.is_some()));
        assert_eq!(store.running_of(USER), None);
    }

    #[test]
    fn removing_breaks_resumes_a_paused_timer_and_counts_them_as_work() {
        let mut store = TimeEntryStore::new(std::sync::Arc::new(Clock::default()));
        let entry = start(&mut store, NewTimeEntry::running(USER, WORK, at(0)), USER).unwrap();
        act(&mut store, USER, TimerAction::Pause, at(30), USER).unwrap();
        let resumed = store.change(entry.id, USER, remove_breaks).unwrap();
        assert!(!resumed.is_paused() && resumed.is_running());
        act(&mut store, USER, TimerAction::Pause, at(40), USER).unwrap();
        act(&mut store, USER, TimerAction::Resume, at(50), USER).unwrap();
        let stopped = act(&mut store, USER, TimerAction::Stop, at(60), USER).unwrap();
        assert_eq!(stopped.duration, 50 * 60);
        let whole = store.change(entry.id, USER, remove_breaks).unwrap();
        assert_eq!((whole.duration, whole.break_duration), (60 * 60, 0));
        assert!(whole.breaks.is_empty());
    }

    #[test]
    fn wrong_states_are_refused() {
        let mut store = TimeEntryStore::new(std::sync::Arc::new(Clock::default()));
        for action in [TimerAction::Pause, TimerAction::Resume, TimerAction::Stop] {
            assert!(act(&mut store, USER, action, at(0), USER).is_err());
        }
        start(&mut store, NewTimeEntry::running(USER, WORK, at(0)), USER).unwrap();
        assert!(start(&mut store, NewTimeEntry::running(USER, WORK, at(1)), USER).is_err());
        assert!(act(&mut store, USER, TimerAction::Resume, at(1), USER).is_err());
        act(&mut store, USER, TimerAction::Pause, at(1), USER).unwrap();
        assert!(act(&mut store, USER, TimerAction::Pause, at(2), USER).is_err());
    }
}
