//! Everything one fake knows, each part behind its own lock.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use uuid::Uuid;

use crate::awork::files::FileContents;
use crate::awork::oauth::registry::Registry;
use crate::awork::time_entries::TimeEntryStore;
use crate::controls::clock::Clock;
use crate::controls::faults::FaultQueue;
use crate::controls::limits::{LimitState, Limits};
use crate::controls::requests::RequestLog;
use crate::query::ShortPage;
use crate::store::Store;

/// An answer of the fake that broke awork's contract: a bug of the fake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The operation, e.g. `GET /api/v1/projects/{projectId}`.
    pub operation: String,
    /// The status the fake wanted to answer.
    pub status: u16,
    /// How the answer broke the contract.
    pub problem: String,
}

/// The settings a world starts with.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) api_key: String,
    pub(crate) user_id: Uuid,
    pub(crate) type_of_work_id: Uuid,
    pub(crate) frozen_at: Option<chrono::DateTime<chrono::Utc>>,
    pub(crate) short_page: Option<ShortPage>,
    pub(crate) access_token_lifetime: Duration,
    pub(crate) check_answers: bool,
    pub(crate) workspace_limits: Option<Limits>,
}

/// The state of one fake.
#[derive(Debug)]
pub(crate) struct World {
    pub(crate) api_key: String,
    pub(crate) user_id: Uuid,
    pub(crate) type_of_work_id: Uuid,
    pub(crate) check_answers: bool,
    pub(crate) clock: Arc<Clock>,
    pub(crate) store: Mutex<Store>,
    pub(crate) entries: Mutex<TimeEntryStore>,
    pub(crate) files: Mutex<FileContents>,
    pub(crate) oauth: Mutex<Registry>,
    pub(crate) faults: Mutex<FaultQueue>,
    pub(crate) limits: Mutex<LimitState>,
    pub(crate) short_page: Mutex<Option<ShortPage>>,
    pub(crate) requests: Mutex<RequestLog>,
    pub(crate) violations: Mutex<Vec<Violation>>,
    sequence: AtomicU64,
}

impl World {
    /// A fresh world.
    pub(crate) fn new(settings: Settings) -> Self {
        let clock = Arc::new(Clock::new(settings.frozen_at));
        Self {
            api_key: settings.api_key,
            user_id: settings.user_id,
            type_of_work_id: settings.type_of_work_id,
            check_answers: settings.check_answers,
            entries: Mutex::new(TimeEntryStore::new(clock.clone())),
            clock,
            store: Mutex::new(Store::default()),
            files: Mutex::new(FileContents::default()),
            oauth: Mutex::new(Registry::new(settings.access_token_lifetime)),
            faults: Mutex::new(FaultQueue::default()),
            limits: Mutex::new(LimitState::new(settings.workspace_limits)),
            short_page: Mutex::new(settings.short_page),
            requests: Mutex::new(RequestLog::default()),
            violations: Mutex::new(Vec::new()),
            sequence: AtomicU64::new(0),
        }
    }

    /// The next request number, starting at 1.
    pub(crate) fn next_sequence(&self) -> u64 {
        self.sequence.fetch_add(1, Ordering::Relaxed) + 1
    }
}
