//! In-memory storage of time entries; the v1 and v2 routes share one store.

use std::sync::Arc;

use chrono::DateTime;
use indexmap::IndexMap;
use uuid::Uuid;

use super::model::{NewTimeEntry, TimeEntry};
use crate::controls::clock::Clock;

/// All time entries of one fake, in creation order, plus the clock that stamps them.
#[derive(Debug)]
pub(crate) struct TimeEntryStore {
    entries: IndexMap<Uuid, TimeEntry>,
    clock: Arc<Clock>,
}

impl TimeEntryStore {
    /// An empty store stamping `createdOn`/`updatedOn` with `clock`.
    pub(crate) fn new(clock: Arc<Clock>) -> Self {
        Self {
            entries: IndexMap::new(),
            clock,
        }
    }

    /// Creates an entry on behalf of `actor` and returns it.
    pub(crate) fn create(&mut self, fields: NewTimeEntry, actor: Uuid) -> TimeEntry {
        let now = self.clock.stamp();
        let mut entry = TimeEntry {
            is_billable: false,
            is_billed: false,
            task_id: None,
            project_id: None,
            note: None,
            is_date_only: false,
            start_date: DateTime::UNIX_EPOCH,
            end_date: None,
            timezone: String::new(),
            duration: 0,
            type_of_work_id: Uuid::nil(),
            user_id: Uuid::nil(),
            id: Uuid::new_v4(),
            break_duration: 0,
            created_by: actor,
            created_on: now,
            updated_by: actor,
            updated_on: now,
            breaks: Vec::new(),
        };
        entry.assign(fields);
        self.entries.insert(entry.id, entry.clone());
        entry
    }

    /// Replaces the editable fields of entry `id` (breaks are kept); `None`
    /// if it does not exist.
    pub(crate) fn replace(
        &mut self,
        id: Uuid,
        fields: NewTimeEntry,
        actor: Uuid,
    ) -> Option<TimeEntry> {
        self.change(id, actor, |entry| entry.assign(fields))
    }

    /// Applies `edit` to entry `id` and stamps it as changed by `actor`;
    /// `None` if it does not exist.
    pub(crate) fn change(
        &mut self,
        id: Uuid,
        actor: Uuid,
        edit: impl FnOnce(&mut TimeEntry),
    ) -> Option<TimeEntry> {
        let entry = self.entries.get_mut(&id)?;
        edit(entry);
        entry.updated_on = self.clock.stamp();
        entry.updated_by = actor;
        Some(entry.clone())
    }

    /// Removes entry `id`; tells whether it existed.
    pub(crate) fn remove(&mut self, id: Uuid) -> bool {
        self.entries.shift_remove(&id).is_some()
    }

    /// Entry `id`, if present.
    pub(crate) fn get(&self, id: Uuid) -> Option<TimeEntry> {
        self.entries.get(&id).cloned()
    }

    /// The entry whose timer runs for `user`, if any.
    pub(crate) fn running_of(&self, user: Uuid) -> Option<Uuid> {
        self.entries
            .values()
            .find(|entry| entry.user_id == user && entry.is_running())
            .map(|entry| entry.id)
    }

    /// The last entry of `user`: the running timer if there is one, else the entry
    /// that started last (ties: the one created last). awork documents only "the last
    /// entry"; this is the fake's reading of it.
    pub(crate) fn last_of(&self, user: Uuid) -> Option<TimeEntry> {
        let theirs = self.entries.values().filter(|entry| entry.user_id == user);
        theirs
            .max_by_key(|entry| (entry.is_running(), entry.start_date, entry.created_on))
            .cloned()
    }

    /// All entries in the default order (`createdOn`, then `id`).
    pub(crate) fn all(&self) -> Vec<TimeEntry> {
        self.entries.values().cloned().collect()
    }

    /// Removes every entry (the clock keeps running).
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }
}
