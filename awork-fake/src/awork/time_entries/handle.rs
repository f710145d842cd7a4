//! [`TimeEntries`]: the time entries of a running fake, typed, for seeding and checks.

use std::sync::Mutex;

use uuid::Uuid;

use super::{NewTimeEntry, TimeEntry, TimeEntryStore, parse_zone};
use crate::sync::lock;

/// The time entries of a running fake; from [`crate::FakeAwork::time_entries`].
///
/// The v1 and v2 routes both see what is seeded here.
#[derive(Debug, Clone, Copy)]
pub struct TimeEntries<'f> {
    pub(crate) entries: &'f Mutex<TimeEntryStore>,
    pub(crate) user_id: Uuid,
}

impl TimeEntries<'_> {
    /// Stores a new entry as if the key's user had created it; returns its id.
    ///
    /// # Panics
    /// When the zone is not a known IANA name, or when the entry is a running timer
    /// and its user already has one.
    pub fn insert(&self, entry: NewTimeEntry) -> Uuid {
        assert!(
            parse_zone(&entry.timezone).is_some(),
            "'{}' is not a known IANA time zone",
            entry.timezone
        );
        let mut entries = lock(self.entries);
        assert!(
            !entry.is_running() || entries.running_of(entry.user_id).is_none(),
            "user {} already has a running time entry",
            entry.user_id
        );
        entries.create(entry, self.user_id).id
    }

    /// The entry with this id.
    pub fn get(&self, id: Uuid) -> Option<TimeEntry> {
        lock(self.entries).get(id)
    }

    /// Every entry, in creation order.
    pub fn all(&self) -> Vec<TimeEntry> {
        lock(self.entries).all()
    }
}
