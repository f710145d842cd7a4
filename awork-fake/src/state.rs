//! The state shared by the request handlers and the [`crate::FakeAwork`] handle.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use uuid::Uuid;

use crate::counters::Counters;
use crate::entries::TimeEntryStore;
use crate::faults::FaultQueue;
use crate::now::Now;
use crate::oauth::registry::Registry;
use crate::oauth::time::ExpiryClock;
use crate::paging::ShortPage;
use crate::requests::RequestLog;
use crate::store::Store;

/// Everything one fake server knows.
#[derive(Debug)]
pub(crate) struct Shared {
    /// The only API key accepted.
    pub(crate) api_key: String,
    /// The user the API key belongs to; written into `createdBy`/`updatedBy`.
    pub(crate) user_id: Uuid,
    /// The type of work the fake offers tests by default.
    pub(crate) type_of_work_id: Uuid,
    /// The bookings.
    pub(crate) store: Mutex<Store>,
    /// The time entries, shared by the v1 and v2 routes.
    pub(crate) entries: Mutex<TimeEntryStore>,
    /// The instant the timer routes take as "now".
    pub(crate) now: Mutex<Now>,
    /// Armed faults.
    pub(crate) faults: Mutex<FaultQueue>,
    /// Request counters.
    pub(crate) counters: Mutex<Counters>,
    /// Every request received, in arrival order.
    pub(crate) requests: Mutex<RequestLog>,
    /// The short-page quirk, when switched on.
    pub(crate) short_page: Mutex<Option<ShortPage>>,
    /// The OAuth clients, codes and tokens.
    pub(crate) oauth: Mutex<Registry>,
    /// The time codes and tokens expire on; tests move it forward.
    pub(crate) expiry: ExpiryClock,
    /// Numbers the requests, for the edge reference.
    sequence: AtomicU64,
}

/// Handle to the shared state, cloned into every handler.
pub(crate) type AppState = Arc<Shared>;

impl Shared {
    /// Fresh state.
    pub(crate) fn new(
        api_key: String,
        user_id: Uuid,
        type_of_work_id: Uuid,
        (store, entries): (Store, TimeEntryStore),
        short_page: Option<ShortPage>,
        access_lifetime: Duration,
    ) -> Self {
        Self {
            api_key,
            user_id,
            type_of_work_id,
            store: Mutex::new(store),
            entries: Mutex::new(entries),
            now: Mutex::new(Now::default()),
            faults: Mutex::new(FaultQueue::default()),
            counters: Mutex::new(Counters::default()),
            requests: Mutex::new(RequestLog::default()),
            short_page: Mutex::new(short_page),
            oauth: Mutex::new(Registry::new(access_lifetime)),
            expiry: ExpiryClock::new(),
            sequence: AtomicU64::new(0),
        }
    }

    /// The next request number, starting at 1.
    pub(crate) fn next_sequence(&self) -> u64 {
        self.sequence.fetch_add(1, Ordering::Relaxed) + 1
    }
}

/// Locks a mutex; a panic in another holder does not make the data unusable here.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
