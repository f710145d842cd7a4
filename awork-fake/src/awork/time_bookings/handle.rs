//! [`Bookings`]: the time bookings of a running fake, typed, for seeding and checks.

use std::sync::Mutex;

use serde_json::Value;
use uuid::Uuid;

use super::{KIND, NewBooking, TimeBooking};
use crate::contract::Api;
use crate::controls::clock::Clock;
use crate::store::{Record, Store};
use crate::sync::lock;

/// The time bookings of a running fake; from [`crate::FakeAwork::bookings`].
///
/// Both route families see what is seeded here, and what clients create shows up here.
#[derive(Debug, Clone, Copy)]
pub struct Bookings<'f> {
    pub(crate) store: &'f Mutex<Store>,
    pub(crate) clock: &'f Clock,
    pub(crate) user_id: Uuid,
}

impl Bookings<'_> {
    /// Stores a new booking as if the key's user had created it; returns it.
    pub fn insert(&self, booking: NewBooking) -> TimeBooking {
        let stamp = self.clock.stamp();
        let stored = TimeBooking {
            id: Uuid::new_v4(),
            created_on: stamp,
            created_by: self.user_id,
            updated_on: stamp,
            updated_by: self.user_id,
            user_id: booking.user_id,
            project_id: booking.project_id,
            start_date: booking.start_date,
            end_date: booking.end_date,
            duration: booking.duration,
            description: booking.description,
            lane_order: booking.lane_order,
            is_anonymized: Some(false),
        };
        self.put(stored.clone());
        stored
    }

    /// Stores `booking` as it is (id and stamps included), replacing one with its id.
    pub fn put(&self, booking: TimeBooking) {
        let value = serde_json::to_value(&booking).expect("a booking serializes");
        lock(self.store).put(
            Api::V1,
            KIND,
            Record {
                value,
                scope: Vec::new(),
            },
        );
    }

    /// The booking with this id.
    pub fn get(&self, id: Uuid) -> Option<TimeBooking> {
        let store = lock(self.store);
        let record = store.get(Api::V1, KIND, &id.to_string())?;
        typed(&record.value)
    }

    /// Every booking, in creation order.
    pub fn all(&self) -> Vec<TimeBooking> {
        lock(self.store)
            .all(Api::V1, KIND)
            .filter_map(|record| typed(&record.value))
            .collect()
    }
}

/// A stored booking as the typed model; one a client wrote with fields the model
/// cannot hold is left out (the contract keeps that from happening).
fn typed(value: &Value) -> Option<TimeBooking> {
    serde_json::from_value(value.clone()).ok()
}
