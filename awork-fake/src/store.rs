//! In-memory storage of bookings. Both route families share one store.

use std::collections::HashMap;

use uuid::Uuid;

use crate::clock::{Clock, Ticker};
use crate::files::{NewFile, TaskFile};
use crate::model::{NewBooking, TimeBooking};
use crate::order;

/// All bookings of one fake plus the clock that stamps them.
#[derive(Debug)]
pub(crate) struct Store {
    bookings: HashMap<Uuid, TimeBooking>,
    files: Vec<TaskFile>,
    ticker: Ticker,
}

impl Store {
    /// An empty store stamping with `clock`.
    pub(crate) fn new(clock: Clock) -> Self {
        Self {
            bookings: HashMap::new(),
            files: Vec::new(),
            ticker: Ticker::new(clock),
        }
    }

    /// Stores a file uploaded to `task_id` by `actor` and returns it.
    pub(crate) fn add_file(&mut self, task_id: Uuid, file: NewFile, actor: Uuid) -> TaskFile {
        let stored = TaskFile {
            id: Uuid::new_v4(),
            version_id: Uuid::new_v4(),
            task_id,
            file_name: file.file_name,
            content_type: file.content_type,
            content: file.content,
            created_on: self.ticker.tick(),
            created_by: actor,
        };
        self.files.push(stored.clone());
        stored
    }

    /// The files of `task_id`, in upload order.
    pub(crate) fn task_files(&self, task_id: Uuid) -> Vec<TaskFile> {
        self.files
            .iter()
            .filter(|file| file.task_id == task_id)
            .cloned()
            .collect()
    }

    /// File `file_id` of `task_id`, if the task has it.
    pub(crate) fn task_file(&self, task_id: Uuid, file_id: Uuid) -> Option<TaskFile> {
        self.files
            .iter()
            .find(|file| file.task_id == task_id && file.id == file_id)
            .cloned()
    }

    /// Creates a booking on behalf of `actor` and returns it.
    pub(crate) fn create(&mut self, fields: NewBooking, actor: Uuid) -> TimeBooking {
        let now = self.ticker.tick();
        let booking = TimeBooking {
            id: Uuid::new_v4(),
            created_on: now,
            created_by: actor,
            updated_on: now,
            updated_by: actor,
            user_id: fields.user_id,
            project_id: fields.project_id,
            start_date: fields.start_date,
            end_date: fields.end_date,
            duration: fields.duration,
            description: fields.description,
            lane_order: fields.lane_order,
            is_anonymized: Some(false),
        };
        self.bookings.insert(booking.id, booking.clone());
        booking
    }

    /// Stores `booking` exactly as given, replacing one with the same id.
    pub(crate) fn put(&mut self, booking: TimeBooking) {
        self.bookings.insert(booking.id, booking);
    }

    /// Replaces the editable fields of booking `id`; `None` if it does not exist.
    pub(crate) fn update(
        &mut self,
        id: Uuid,
        fields: NewBooking,
        actor: Uuid,
    ) -> Option<TimeBooking> {
        let now = self.ticker.tick();
        let booking = self.bookings.get_mut(&id)?;
        booking.user_id = fields.user_id;
        booking.project_id = fields.project_id;
        booking.start_date = fields.start_date;
        booking.end_date = fields.end_date;
        booking.duration = fields.duration;
        booking.description = fields.description;
        booking.lane_order = fields.lane_order;
        booking.updated_on = now;
        booking.updated_by = actor;
        Some(booking.clone())
    }

    /// Removes booking `id`; tells whether it existed.
    pub(crate) fn remove(&mut self, id: Uuid) -> bool {
        self.bookings.remove(&id).is_some()
    }

    /// Booking `id`, if present.
    pub(crate) fn get(&self, id: Uuid) -> Option<TimeBooking> {
        self.bookings.get(&id).cloned()
    }

    /// All bookings in the default order (`createdOn`, then `id`).
    pub(crate) fn all(&self) -> Vec<TimeBooking> {
        let mut all: Vec<TimeBooking> = self.bookings.values().cloned().collect();
        all.sort_by(order::default_order);
        all
    }

    /// Removes every booking (the clock keeps running).
    pub(crate) fn clear(&mut self) {
        self.bookings.clear();
    }
}
