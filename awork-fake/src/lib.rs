//! A fake of the whole awork REST API on `127.0.0.1`, judged by awork's own contract,
//! for testing code that talks to awork.
//!
//! Every request is routed and checked against the vendored OpenAPI documents of v1 and
//! v2 (our corrections applied, nothing loosened): path, query and header parameters and
//! JSON bodies, with all problems in one 400 `validation-failed`, as awork answers. Every
//! one of the 725 operations answers: models are stored generically (create, get,
//! replace, awork's two ways of deleting, lists with `filterby`, `orderby` and paging in
//! one grammar), actions answer values made from their response schemas, and the parts
//! of awork with rules of their own are layers on top: time bookings, time entries and
//! the timer, file uploads and downloads, the OAuth server. The fake's own answers are
//! checked against the contract too, so a fake that drifts fails loudly instead of
//! teaching a test something awork never says.
//!
//! ```no_run
//! use awork_fake::{FakeAwork, Fault, Method};
//! use serde_json::json;
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let fake = FakeAwork::start().await;
//! let project = fake.resources().insert("Project", json!({"name": "Website"}))?;
//! fake.faults().inject(Fault::status(503).times(1).on(Method::GET, "/projects"));
//! // point the client under test at fake.base_url() with fake.api_key(), then:
//! assert_eq!(fake.requests().count("GET", "/projects"), 0);
//! # let _ = project; Ok(()) }
//! ```
//!
//! # The parts of a fake
//!
//! | handle | what |
//! | --- | --- |
//! | [`FakeAwork::resources`] | the stored models of the whole API, by awork's schema names (`Project`, `TaskModel`, …): seed, read, remove |
//! | [`FakeAwork::bookings`] | time bookings, typed ([`NewBooking`], [`TimeBooking`]) |
//! | [`FakeAwork::time_entries`] | time entries and timers, typed ([`NewTimeEntry`], [`TimeEntry`]) |
//! | [`FakeAwork::files`] | what was uploaded ([`UploadedFile`]) |
//! | [`FakeAwork::clock`] | the one clock: stamps, the timer, `today` in filters, token expiry |
//! | [`FakeAwork::faults`] | injected faults ([`Fault`], [`FaultRule`]) and the short-page quirk |
//! | [`FakeAwork::limits`] | awork's rate limits for the whole workspace ([`Limits`]), off by default |
//! | [`FakeAwork::requests`] | the log of requests ([`RecordedRequest`]) and counts per route |
//! | [`FakeAwork::oauth`] | the OAuth server: approval, counts, tokens |
//!
//! # How a request is served
//!
//! Logged and counted, then maybe taken by a fault (latency waited out; rate limits and
//! error statuses answer at once, before authentication), authenticated (401; not on the
//! OAuth routes), counted against the workspace's rate limits when they are on (429 past
//! them; every answer then carries awork's rate-limit headers), routed (404 `not-found`; 405 with `Allow` for a method the path does
//! not serve), judged (400 `validation-failed` naming each property and problem), served,
//! its answer judged, then written with `trace-id` and `x-edge-ref`; body-damaging faults
//! apply last.
//!
//! # What the generic store does
//!
//! Each operation is read once from its route and schemas (see the `store::plan` module):
//!
//! * `GET` answering an array of a model lists the stored items of that model in the
//!   path's scope: `GET /projects/{projectId}/projecttasks` lists the tasks whose
//!   `projectId` is that project or that were created under it. Paged lists take `page`
//!   (from 1) and `pageSize` (1 to 1000, default 1000) and answer `aw-page`,
//!   `aw-pagesize`, `aw-items` and `aw-totalitems`.
//! * A route ending in a GUID parameter gets, replaces (`PUT`: the body's fields over the
//!   stored ones) or deletes that item of the model its `GET` answers (404 when unknown);
//!   so does `POST …/{id}/delete`.
//! * A `POST` answering a model with an `id` acts on the item a path parameter names
//!   (`…/{projectId}/setprojectkey`: the body's fitting fields applied, the project
//!   answered), or else creates one: the body's fields that fit the model, blanks for the
//!   rest, a new `id`, `createdOn`/`By` and `updatedOn`/`By`.
//! * A model no id names is a singleton of its path (`/projects/{projectId}/autopilot`).
//! * Everything else answers a value made from its response schema, with the declared
//!   status.
//!
//! `filterby` knows awork's grammar for every list: `eq ne gt ge lt le`, `in (…)`,
//! `and`/`or`/`not` and parentheses, `startswith`, `endswith`, `substringof`,
//! `contains`, `tolower`, `toupper`, `trim`, `length`, collections with `any(…)` and
//! `count(…)`, nested paths with `/`, the literals `null`, `true`/`false`, numbers,
//! `'text'` (`''` is a quote), `guid'…'`, `datetime'…'`, and `me.id`, `now`, `today`,
//! `today±Nd`, `sow`, `eow`, `som`, `eom`. Property names and text compare without
//! regard to case; a date compares by day, a date-time as an instant. A property the
//! model does not have answers 400 `invalid-filter-or-order` naming it. `orderby` takes
//! `path [asc|desc]` terms; ties and no order keep the order of creation.
//!
//! # awork's own behaviour
//!
//! * **Time bookings** (both families, one collection): a booking needs a user, a start
//!   and end date (the end not before the start) and a duration. `GET
//!   /users/timebookings?userIds=a,b&intervalStart=…&intervalEnd=…` answers each user's
//!   bookings that overlap the interval. There is no route to read one booking; read it
//!   with [`Bookings::get`].
//! * **Time entries** live in one store that v1 (`TimeTracking` shape) and v2
//!   (`TimeEntry` shape) both serve, with the timer (`…/timetracking/start`, `pause`,
//!   `resume`, `stop`), a user's last entry (204 when none), breaks and batch
//!   operations. v1's `POST`/`PUT` of entries (with their split date and time fields)
//!   are served by the generic store, so they do not reach the v2 entries.
//! * **Files**: the 20 multipart uploads keep their `File` part; downloads answer it.
//! * **OAuth**: `GET /accounts/authorize` answers at once with the redirect (approving
//!   unless told otherwise), `POST /accounts/token` checks PKCE `S256`, spends codes and
//!   rotates refresh tokens, and `POST /clientapplications/register` registers clients.
//!   Its tokens are accepted beside the API key until they expire on the fake's clock.

#![deny(missing_docs)]

mod awork;
pub mod contract;
mod controls;
mod engine;
mod fake;
mod query;
mod store;
mod sync;
mod wire;

pub use axum::http::Method;

pub use awork::files::{Files, MAX_UPLOAD_BYTES, UploadedFile};
pub use awork::oauth::registry::{CODE_LIFETIME, REFRESH_TOKEN_LIFETIME};
pub use awork::oauth::{
    Approval, DEFAULT_ACCESS_TOKEN_LIFETIME, DEFAULT_CLIENT_ID, DEFAULT_REDIRECT_URI, OAuth,
    OAuthCounts,
};
pub use awork::time_bookings::{Bookings, NewBooking, TimeBooking, UserTimeBookings};
pub use awork::time_entries::{Break, NewTimeEntry, TimeEntries, TimeEntry};
pub use contract::{BASE_PATH, V2_BASE_PATH};
pub use controls::clock::ClockControl;
pub use controls::faults::{Fault, FaultRule, Faults, RateLimit, RetryAfter};
pub use controls::limits::{Limits, WorkspaceLimits};
pub use controls::requests::{RecordedRequest, RequestCounts, Requests};
pub use engine::trace::{EDGE_REF_HEADER, TRACE_ID_HEADER};
pub use engine::world::Violation;
pub use fake::{
    DEFAULT_API_KEY, DEFAULT_TYPE_OF_WORK_ID, DEFAULT_USER_ID, FakeAwork, FakeAworkBuilder,
    StartError,
};
pub use query::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, ShortPage};
pub use store::{Resources, SeedError};
pub use wire::{
    ERROR_LINK, ErrorResponse, ITEMS_HEADER, PAGE_HEADER, PAGE_SIZE_HEADER, PageInfo,
    TOTAL_ITEMS_HEADER, ValidationError, codes,
};
