//! [`FakeAwork`]: starting a fake, reaching its parts, and stopping it.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::awork::files::Files;
use crate::awork::oauth::{DEFAULT_ACCESS_TOKEN_LIFETIME, OAuth};
use crate::awork::time_bookings::Bookings;
use crate::awork::time_entries::TimeEntries;
use crate::controls::clock::ClockControl;
use crate::controls::faults::Faults;
use crate::controls::limits::{Limits, WorkspaceLimits};
use crate::controls::requests::Requests;
use crate::engine::router;
use crate::engine::world::{Settings, Violation, World};
use crate::query::ShortPage;
use crate::store::Resources;
use crate::sync::lock;

/// The API key a fake accepts unless [`FakeAworkBuilder::api_key`] says otherwise.
pub const DEFAULT_API_KEY: &str = "fake-awork-api-key";

/// The user the default API key belongs to (`createdBy`/`updatedBy` of what it creates).
pub const DEFAULT_USER_ID: Uuid = Uuid::from_u128(0x0a3c_0de0_fa4e_4a11_8000_0000_0000_0001);

/// The type of work a fake offers unless [`FakeAworkBuilder::type_of_work_id`] says
/// otherwise (see [`FakeAwork::type_of_work_id`]).
pub const DEFAULT_TYPE_OF_WORK_ID: Uuid =
    Uuid::from_u128(0x0a3c_0de0_fa4e_4a11_8000_0000_0000_0002);

/// Why a fake could not be started.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// No port on 127.0.0.1 could be bound.
    #[error("cannot bind the fake awork server to 127.0.0.1: {0}")]
    Bind(#[source] std::io::Error),
}

/// A running fake awork server on `127.0.0.1`, serving on a task of the current Tokio
/// runtime.
///
/// Dropping it stops the server. If any answer of the fake broke awork's contract (a
/// bug of the fake, never of the client under test), dropping it panics with the list,
/// so the test that met it fails; see [`FakeAwork::contract_violations`].
#[derive(Debug)]
pub struct FakeAwork {
    world: Arc<World>,
    address: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

/// Settings for a fake; from [`FakeAwork::builder`].
#[derive(Debug, Clone)]
pub struct FakeAworkBuilder {
    settings: Settings,
}

impl Default for FakeAworkBuilder {
    fn default() -> Self {
        Self {
            settings: Settings {
                api_key: DEFAULT_API_KEY.to_owned(),
                user_id: DEFAULT_USER_ID,
                type_of_work_id: DEFAULT_TYPE_OF_WORK_ID,
                frozen_at: None,
                short_page: None,
                access_token_lifetime: DEFAULT_ACCESS_TOKEN_LIFETIME,
                check_answers: true,
                workspace_limits: None,
            },
        }
    }
}

impl FakeAworkBuilder {
    /// The only API key the server accepts.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.settings.api_key = api_key.into();
        self
    }

    /// The user the API key (and every OAuth token) belongs to.
    pub fn user_id(mut self, user_id: Uuid) -> Self {
        self.settings.user_id = user_id;
        self
    }

    /// The type of work [`FakeAwork::type_of_work_id`] hands out.
    pub fn type_of_work_id(mut self, type_of_work_id: Uuid) -> Self {
        self.settings.type_of_work_id = type_of_work_id;
        self
    }

    /// Freezes the fake's clock at `at` from the start (default: the wall clock);
    /// see [`ClockControl`].
    pub fn frozen_at(mut self, at: DateTime<Utc>) -> Self {
        self.settings.frozen_at = Some(at);
        self
    }

    /// Switches the short-page quirk on from the start; see [`ShortPage`].
    pub fn short_page(mut self, short_page: ShortPage) -> Self {
        self.settings.short_page = Some(short_page);
        self
    }

    /// How long the OAuth access tokens it issues last (default
    /// [`DEFAULT_ACCESS_TOKEN_LIFETIME`]), on the fake's clock.
    pub fn access_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.settings.access_token_lifetime = lifetime;
        self
    }

    /// Enforces awork's rate limits for the whole workspace from the start (default:
    /// none); see [`WorkspaceLimits`].
    pub fn workspace_limits(mut self, limits: Limits) -> Self {
        self.settings.workspace_limits = Some(limits);
        self
    }

    /// Whether the fake judges its own answers by awork's contract (default: yes).
    /// Switch it off only to measure the fake without that check.
    pub fn check_answers(mut self, check: bool) -> Self {
        self.settings.check_answers = check;
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

    /// Starts the server on a free port of 127.0.0.1. Must be called inside a Tokio
    /// runtime; the server runs on a task of that runtime.
    pub async fn try_start(self) -> Result<FakeAwork, StartError> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(StartError::Bind)?;
        let address = listener.local_addr().map_err(StartError::Bind)?;
        crate::contract::contract();
        let world = Arc::new(World::new(self.settings));
        let (shutdown, task) = serve(listener, world.clone());
        tracing::debug!(%address, "fake awork server started");
        Ok(FakeAwork {
            world,
            address,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }
}

/// Serves `world` on `listener` until the returned sender fires or is dropped.
fn serve(listener: TcpListener, world: Arc<World>) -> (oneshot::Sender<()>, JoinHandle<()>) {
    let (shutdown, stop) = oneshot::channel::<()>();
    let app = router(world);
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

    /// The v1 root, e.g. `http://127.0.0.1:41234/api/v1` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}{}", self.address, crate::contract::BASE_PATH)
    }

    /// The v2 root, e.g. `http://127.0.0.1:41234/api/v2`.
    pub fn base_url_v2(&self) -> String {
        format!("http://{}{}", self.address, crate::contract::V2_BASE_PATH)
    }

    /// The socket address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The API key the server accepts.
    pub fn api_key(&self) -> &str {
        &self.world.api_key
    }

    /// The user the API key belongs to.
    pub fn user_id(&self) -> Uuid {
        self.world.user_id
    }

    /// A type of work for tests to book time on. The fake accepts any non-nil
    /// `typeOfWorkId`; this one just spares tests inventing one.
    pub fn type_of_work_id(&self) -> Uuid {
        self.world.type_of_work_id
    }

    /// The stored models of the whole API (projects, tasks, companies, …), by awork's
    /// model names: seed them, read what clients made.
    pub fn resources(&self) -> Resources<'_> {
        Resources {
            store: &self.world.store,
            clock: &self.world.clock,
            user_id: self.world.user_id,
        }
    }

    /// The time bookings, typed.
    pub fn bookings(&self) -> Bookings<'_> {
        Bookings {
            store: &self.world.store,
            clock: &self.world.clock,
            user_id: self.world.user_id,
        }
    }

    /// The time entries (v1 and v2), typed.
    pub fn time_entries(&self) -> TimeEntries<'_> {
        TimeEntries {
            entries: &self.world.entries,
            user_id: self.world.user_id,
        }
    }

    /// What was uploaded.
    pub fn files(&self) -> Files<'_> {
        Files {
            contents: &self.world.files,
        }
    }

    /// The fake's one clock.
    pub fn clock(&self) -> ClockControl<'_> {
        ClockControl {
            clock: &self.world.clock,
        }
    }

    /// Faults to inject, and the short-page quirk.
    pub fn faults(&self) -> Faults<'_> {
        Faults {
            queue: &self.world.faults,
            short_page: &self.world.short_page,
        }
    }

    /// The workspace's rate limits: on, off, and how many requests they refused.
    pub fn limits(&self) -> WorkspaceLimits<'_> {
        WorkspaceLimits {
            state: &self.world.limits,
        }
    }

    /// The log and counts of requests received.
    pub fn requests(&self) -> Requests<'_> {
        Requests {
            log: &self.world.requests,
        }
    }

    /// The OAuth server.
    pub fn oauth(&self) -> OAuth<'_> {
        OAuth {
            registry: &self.world.oauth,
            clock: &self.world.clock,
        }
    }

    /// The answers so far that broke awork's contract (each was sent as a 500
    /// `fake-contract-violation` instead). Always empty unless the fake has a bug.
    pub fn contract_violations(&self) -> Vec<Violation> {
        lock(&self.world.violations).clone()
    }

    /// Forgets every stored item: resources, bookings, time entries and files (faults,
    /// the request log and the clock are kept).
    pub fn clear(&self) {
        lock(&self.world.store).clear();
        lock(&self.world.entries).clear();
        lock(&self.world.files).clear();
    }

    /// Stops the server and waits until it no longer serves.
    pub async fn shutdown(mut self) {
        self.signal_shutdown();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    fn signal_shutdown(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

impl Drop for FakeAwork {
    fn drop(&mut self) {
        self.signal_shutdown();
        let violations = lock(&self.world.violations).clone();
        if !violations.is_empty() && !std::thread::panicking() {
            let list: Vec<String> = violations
                .iter()
                .map(|v| format!("  {} answered {}: {}", v.operation, v.status, v.problem))
                .collect();
            panic!(
                "the fake's answers broke awork's contract (a bug of awork-fake):\n{}",
                list.join("\n")
            );
        }
    }
}
