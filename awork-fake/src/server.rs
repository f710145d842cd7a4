//! Starting, inspecting and stopping a fake server.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::clock::Clock;
use crate::counters::RequestCounts;
use crate::entries::{NewTimeEntry, TimeEntry, TimeEntryStore, parse_zone};
use crate::faults::FaultRule;
use crate::model::{NewBooking, TimeBooking};
use crate::oauth::{Approval, DEFAULT_ACCESS_TOKEN_LIFETIME, OAuthCounts};
use crate::paging::ShortPage;
use crate::requests::RecordedRequest;
use crate::routes::{BASE_PATH, V2_BASE_PATH, router};
use crate::state::{AppState, Shared, lock};
use crate::store::Store;

/// The API key a fake accepts unless [`FakeAworkBuilder::api_key`] says otherwise.
pub const DEFAULT_API_KEY: &str = "fake-awork-api-key";

/// The user the default API key belongs to (`createdBy`/`updatedBy` of bookings
/// created through the API or [`FakeAwork::insert_booking`]).
pub const DEFAULT_USER_ID: Uuid = Uuid::from_u128(0x0a3c_0de0_fa4e_4a11_8000_0000_0000_0001);

/// The type of work a fake offers unless [`FakeAworkBuilder::type_of_work_id`]
/// says otherwise (see [`FakeAwork::type_of_work_id`]).
pub const DEFAULT_TYPE_OF_WORK_ID: Uuid =
    Uuid::from_u128(0x0a3c_0de0_fa4e_4a11_8000_0000_0000_0002);

/// Why a fake could not be started.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// No port on 127.0.0.1 could be bound.
    #[error("cannot bind the fake awork server to 127.0.0.1: {0}")]
    Bind(#[source] std::io::Error),
}

/// A running fake awork server on `127.0.0.1`, serving on a tokio task.
///
/// Dropping the handle stops the server (it stops accepting connections and
/// closes idle ones). All methods act on the live state immediately.
#[derive(Debug)]
pub struct FakeAwork {
    state: AppState,
    address: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

/// Settings for a fake server; obtained from [`FakeAwork::builder`].
#[derive(Debug, Clone)]
pub struct FakeAworkBuilder {
    api_key: String,
    user_id: Uuid,
    type_of_work_id: Uuid,
    clock: Clock,
    short_page: Option<ShortPage>,
    access_token_lifetime: Duration,
}

impl Default for FakeAworkBuilder {
    fn default() -> Self {
        Self {
            api_key: DEFAULT_API_KEY.to_owned(),
            user_id: DEFAULT_USER_ID,
            type_of_work_id: DEFAULT_TYPE_OF_WORK_ID,
            clock: Clock::System,
            short_page: None,
            access_token_lifetime: DEFAULT_ACCESS_TOKEN_LIFETIME,
        }
    }
}

impl FakeAworkBuilder {
    /// The only API key the server accepts.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = api_key.into();
        self
    }

    /// The user the API key belongs to.
    pub fn user_id(mut self, user_id: Uuid) -> Self {
        self.user_id = user_id;
        self
    }

    /// The type of work [`FakeAwork::type_of_work_id`] hands out.
    pub fn type_of_work_id(mut self, type_of_work_id: Uuid) -> Self {
        self.type_of_work_id = type_of_work_id;
        self
    }

    /// Where `createdOn`/`updatedOn` of bookings and time entries come from
    /// (default: [`Clock::System`]); each kind counts its own stamps.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Switches the short-page quirk on from the start; see [`ShortPage`].
    pub fn short_page(mut self, short_page: ShortPage) -> Self {
        self.short_page = Some(short_page);
        self
    }

    /// How long the OAuth access tokens it issues last (default
    /// [`DEFAULT_ACCESS_TOKEN_LIFETIME`]), on the clock [`FakeAwork::advance`] moves.
    pub fn access_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.access_token_lifetime = lifetime;
        self
    }

    /// Starts the server.
    ///
    /// # Panics
    /// When no port on 127.0.0.1 can be bound; see [`Self::try_start`].
    pub async fn start(self) -> FakeAwork {
        self.try_start()
            .await
            .unwrap_or_else(|error| panic!("{error}"))
    }

    /// Starts the server on a free port of 127.0.0.1. Must be called inside a
    /// Tokio runtime; the server runs on a task of that runtime.
    pub async fn try_start(self) -> Result<FakeAwork, StartError> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(StartError::Bind)?;
        let address = listener.local_addr().map_err(StartError::Bind)?;
        let stores = (
            Store::new(self.clock.clone()),
            TimeEntryStore::new(self.clock),
        );
        let state = Arc::new(Shared::new(
            self.api_key,
            self.user_id,
            self.type_of_work_id,
            stores,
            self.short_page,
            self.access_token_lifetime,
        ));
        let (shutdown, task) = serve(listener, state.clone());
        tracing::debug!(%address, "fake awork server started");
        Ok(FakeAwork {
            state,
            address,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }
}

/// Serves `state` on `listener` until the returned sender fires or is dropped.
fn serve(listener: TcpListener, state: AppState) -> (oneshot::Sender<()>, JoinHandle<()>) {
    let (shutdown, stop) = oneshot::channel::<()>();
    let app = router(state);
    let task = tokio::spawn(async move {
        let stopped = async {
            let _ = stop.await;
        };
        if let Err(error) = axum::serve(listener, app)
            .with_graceful_shutdown(stopped)
            .await
        {
            tracing::warn!(%error, "fake awork server stopped with an error");
        }
    });
    (shutdown, task)
}

impl FakeAwork {
    /// Starts a fake with the default key, user and clock.
    ///
    /// # Panics
    /// When no port on 127.0.0.1 can be bound.
    pub async fn start() -> Self {
        Self::builder().start().await
    }

    /// Settings for a customised fake.
    pub fn builder() -> FakeAworkBuilder {
        FakeAworkBuilder::default()
    }

    /// The API root, e.g. `http://127.0.0.1:41234/api/v1` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}{BASE_PATH}", self.address)
    }

    /// The root of the v2 routes, e.g. `http://127.0.0.1:41234/api/v2`.
    pub fn base_url_v2(&self) -> String {
        format!("http://{}{V2_BASE_PATH}", self.address)
    }

    /// The socket address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The API key the server accepts.
    pub fn api_key(&self) -> &str {
        &self.state.api_key
    }

    /// The user the API key belongs to.
    pub fn user_id(&self) -> Uuid {
        self.state.user_id
    }

    /// A type of work for tests to book time on. The fake accepts any
    /// non-nil `typeOfWorkId`; this one just spares tests inventing one.
    pub fn type_of_work_id(&self) -> Uuid {
        self.state.type_of_work_id
    }

    /// Stores a new booking as if the key's user had created it; returns it.
    pub fn insert_booking(&self, booking: NewBooking) -> TimeBooking {
        lock(&self.state.store).create(booking, self.state.user_id)
    }

    /// Stores `booking` verbatim (ids and stamps included), replacing any
    /// booking with the same id.
    pub fn put_booking(&self, booking: TimeBooking) {
        lock(&self.state.store).put(booking);
    }

    /// The booking with this id, if stored.
    ///
    /// This is how a test reads one booking: awork has no
    /// `GET /timebookings/{timeBookingId}`, so neither does the fake.
    pub fn booking(&self, id: Uuid) -> Option<TimeBooking> {
        lock(&self.state.store).get(id)
    }

    /// The files uploaded to `task_id`, in upload order, with the bytes received.
    pub fn task_files(&self, task_id: Uuid) -> Vec<crate::TaskFile> {
        lock(&self.state.store).task_files(task_id)
    }

    /// A copy of all bookings in the default order (`createdOn`, then `id`).
    pub fn bookings(&self) -> Vec<TimeBooking> {
        lock(&self.state.store).all()
    }

    /// Stores a new time entry as if the key's user had created it; returns its id.
    ///
    /// # Panics
    /// When the zone is not a known IANA name, or when the entry is a
    /// running timer and its user already has one.
    pub fn insert_time_entry(&self, entry: NewTimeEntry) -> Uuid {
        assert!(
            parse_zone(&entry.timezone).is_some(),
            "'{}' is not a known IANA time zone",
            entry.timezone
        );
        let mut entries = lock(&self.state.entries);
        assert!(
            !entry.is_running() || entries.running_of(entry.user_id).is_none(),
            "user {} already has a running time entry",
            entry.user_id
        );
        entries.create(entry, self.state.user_id).id
    }

    /// The time entry with this id, if stored.
    pub fn time_entry(&self, id: Uuid) -> Option<TimeEntry> {
        lock(&self.state.entries).get(id)
    }

    /// A copy of all time entries in the default order (`createdOn`, then `id`).
    pub fn time_entries(&self) -> Vec<TimeEntry> {
        lock(&self.state.entries).all()
    }

    /// The instant the timer routes take as "now": wall-clock time until
    /// [`Self::set_now`] or [`Self::advance`] is called.
    pub fn now(&self) -> DateTime<Utc> {
        lock(&self.state.now).get()
    }

    /// Freezes the fake's "now" at `at`; only [`Self::set_now`] and
    /// [`Self::advance`] move it from then on.
    pub fn set_now(&self, at: DateTime<Utc>) {
        lock(&self.state.now).set(at);
    }

    /// Moves the fake's time forward by `by`, all of it at once: the timer's "now"
    /// (called before [`Self::set_now`], it freezes "now" at the current wall-clock
    /// time plus `by`) and the clock OAuth codes, access tokens and refresh tokens
    /// expire on. Booking and entry stamps are not affected.
    ///
    /// # Panics
    /// When the result leaves chrono's range.
    pub fn advance(&self, by: std::time::Duration) {
        lock(&self.state.now).advance(by);
        self.state.expiry.advance(by);
    }

    /// Removes all bookings and time entries (faults, counters, the request
    /// log, the clock and "now" are kept).
    pub fn clear(&self) {
        lock(&self.state.store).clear();
        lock(&self.state.entries).clear();
    }

    /// Arms a fault; a bare [`crate::Fault`] hits the next request of any kind once.
    pub fn inject(&self, rule: impl Into<FaultRule>) {
        lock(&self.state.faults).push(rule.into());
    }

    /// How many fault firings are still armed, over all rules.
    pub fn pending_faults(&self) -> u64 {
        lock(&self.state.faults).pending()
    }

    /// Disarms all faults.
    pub fn clear_faults(&self) {
        lock(&self.state.faults).clear();
    }

    /// Requests seen for `method` on a route template such as `/timebookings`
    /// or `/timebookings/{timeBookingId}` (the `/api/v1` prefix is optional).
    /// v2 routes keep their prefix: `/api/v2/timeentries`. Unknown routes are
    /// counted under their literal path.
    pub fn count(&self, method: &str, route: &str) -> u64 {
        lock(&self.state.counters).count(method, route)
    }

    /// Requests seen in total, including rejected and faulted ones.
    pub fn total_requests(&self) -> u64 {
        lock(&self.state.counters).total()
    }

    /// A copy of all per-route counts.
    pub fn request_counts(&self) -> RequestCounts {
        lock(&self.state.counters).snapshot()
    }

    /// Sets all counters back to zero (the request log is kept; see
    /// [`Self::clear_requests`]).
    pub fn reset_counts(&self) {
        lock(&self.state.counters).reset();
    }

    /// Every request received since the start or the last
    /// [`Self::clear_requests`], in arrival order: also the ones answered by
    /// a fault, with 401, or with 404. For checking a client's pacing (`at`)
    /// and encoding (raw `path` and `query`); see [`RecordedRequest`].
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.requests).snapshot()
    }

    /// Empties the request log (counters are kept; see [`Self::reset_counts`]).
    pub fn clear_requests(&self) {
        lock(&self.state.requests).clear();
    }

    /// Switches the short-page quirk on (`Some`) or off (`None`).
    pub fn set_short_page(&self, short_page: Option<ShortPage>) {
        *lock(&self.state.short_page) = short_page;
    }

    /// What the stand-in for awork's login page decides from now on (default:
    /// [`Approval::Approve`]).
    pub fn set_approval(&self, approval: Approval) {
        lock(&self.state.oauth).set_approval(approval);
    }

    /// What the OAuth server has done so far: codes issued and exchanged, refreshes,
    /// registrations.
    pub fn oauth_counts(&self) -> OAuthCounts {
        lock(&self.state.oauth).counts()
    }

    /// Issues an OAuth access token outside any flow (for tests of a client that is
    /// simply given a token). It expires like any other.
    pub fn grant_access_token(&self) -> String {
        let now = self.state.expiry.now();
        lock(&self.state.oauth).grant_access_token(now)
    }

    /// Stops the server and waits until it no longer serves.
    pub async fn shutdown(mut self) {
        self.signal_shutdown();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Tells the server task to stop.
    fn signal_shutdown(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

impl Drop for FakeAwork {
    fn drop(&mut self) {
        self.signal_shutdown();
    }
}
