//! A stateful, in-process fake of the awork REST API for tests.
//!
//! It serves the time-booking routes under `/api/v1`, time entries under
//! `/api/v1` and `/api/v2` and the v2 timer, on `127.0.0.1` with awork's
//! conventions — bearer-key auth, `ErrorResponse` bodies, `trace-id` and
//! `x-edge-ref` headers, `aw-*` paging headers, `filterby`/`orderby` — and
//! lets a test inject faults (rate limiting, error statuses, latency, damaged
//! bodies) and count requests.
//!
//! ```no_run
//! use awork_fake::{FakeAwork, Fault, Method, NewBooking};
//! # async fn demo() {
//! let fake = FakeAwork::start().await;
//! let day = chrono::NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
//! fake.insert_booking(NewBooking::new(fake.user_id(), day, day).duration(3600));
//! fake.inject(Fault::status(503).times(2).on(Method::GET, "/timebookings"));
//! // point the client under test at fake.base_url() with fake.api_key() …
//! assert_eq!(fake.count("GET", "/timebookings"), 0);
//! # }
//! ```
//!
//! # Routes
//!
//! | Route | Answer |
//! | --- | --- |
//! | `GET /timebookings`, `GET /projecttimebookings` | paged list, see [`paging`](crate::ShortPage) |
//! | `POST /timebookings`, `POST /projecttimebookings` | 200 + created booking |
//! | `PUT /{family}/{timeBookingId}` | 200 + updated booking |
//! | `DELETE /{family}/{timeBookingId}` | 204, empty body |
//! | `GET /users/timebookings`, `GET /users/projecttimebookings` | bookings per user overlapping an interval |
//! | `POST /tasks/{taskId}/files` | 200 + `FileInfo` of the `File` part of a `multipart/form-data` upload |
//! | `GET /tasks/{taskId}/files` | the task's files (`FileInfo`), paged, in upload order |
//! | `GET /tasks/{taskId}/files/{fileId}/download` | 200 + the file's bytes with its content type, 404 |
//! | `GET /accounts/authorize` | 302 to the redirect URI with `code` and `state` (see [OAuth](#oauth)) |
//! | `POST /accounts/token` | 200 + tokens for a code or a refresh token |
//! | `POST /clientapplications/register` | 201 + a new client (dynamic registration) |
//!
//! Both families read and write the same bookings. Unknown paths answer 404
//! `not-found`; a known path with another method answers 405
//! `method-not-allowed`, with `Allow` listing the methods it serves. That
//! includes `GET /{family}/{timeBookingId}`: awork has no route to read one
//! booking, so the fake has none either — a test reads one with
//! [`FakeAwork::booking`]. A `{timeBookingId}` that is not a GUID matches no
//! awork route, so any method on it answers 404.
//!
//! # Lists: paging, filtering, ordering
//!
//! * `page` (1-based, default 1) and `pageSize` (1..=1000, default 1000); a
//!   bad value answers 400 `validation-failed` naming the parameter. Answers
//!   carry `aw-page`, `aw-pagesize`, `aw-items` and `aw-totalitems` (after
//!   filtering). Past the end the list is empty. See also [`ShortPage`].
//! * `filterby`: `prop op literal` clauses joined by `and`. `id`, `userId`
//!   and `projectId` take `guid'…'` or `null` with `eq`/`ne`; `startDate` and
//!   `endDate` take `datetime'YYYY-MM-DD'` (a time part is ignored) with
//!   `eq ne gt ge lt le`. Keywords and property names are case-insensitive.
//! * `orderby`: comma-separated `prop [asc|desc]` terms over `startDate`,
//!   `endDate`, `duration`, `createdOn`, `laneOrder`, `userId`. Ties, and the
//!   default order, go by `createdOn` then `id`.
//! * Anything else in `filterby`/`orderby` answers 400 `invalid-filter-or-order`.
//! * Query parameter names are case-insensitive, as in awork.
//!
//! # Users range
//!
//! `GET /users/timebookings?userIds=a,b&intervalStart=2024-05-01&intervalEnd=2024-05-31`
//! answers one [`UserTimeBookings`] per distinct requested user, in request
//! order, with that user's bookings where `startDate <= intervalEnd` and
//! `endDate >= intervalStart`, sorted by `startDate`, then `createdOn`, `id`.
//!
//! # Request bodies
//!
//! `POST`/`PUT` take a `TimeBookingForm`. A body that is not a JSON object
//! answers 400 `invalid-model`; otherwise every broken rule (missing or nil
//! `userId`, missing or invalid dates, `endDate` before `startDate`, missing
//! or negative `duration`, wrongly typed optional fields) is listed in one 400
//! `validation-failed`, under the JSON property name (e.g. `endDate`).
//! Unknown properties are ignored. `createdBy`/`updatedBy` are the user the
//! API key belongs to ([`FakeAwork::user_id`]).
//!
//! # Time entries and the timer
//!
//! Time entries (tracked work, not the planned bookings above) live in one
//! store that the v1 and v2 routes share: v2 answers them as [`TimeEntry`]
//! (awork's v2 `TimeEntry` shape), v1 as awork's v1 `TimeTracking` shape.
//!
//! | Route | Answer |
//! | --- | --- |
//! | `GET /api/v2/timeentries` | paged list of `TimeEntry` |
//! | `POST /api/v2/timeentries` | 200 + created entry |
//! | `GET /api/v2/timeentries/{timeEntryId}` | 200 + entry, 404 `not-found` |
//! | `PUT /api/v2/timeentries/{timeEntryId}` | 200 + replaced entry, 404 |
//! | `POST /api/v2/me/timetracking/start` (`pause`, `resume`, `stop`) | 200 + the key user's timer entry |
//! | `POST /api/v2/users/{userId}/timetracking/start` (…) | the same for another user |
//! | `POST /api/v2/timeentries/{timeEntryId}/removebreaks` | 200 + the entry without breaks (a paused timer runs again), 404 |
//! | `GET /api/v2/me/timeentries/last` | 200 + the key user's last entry, 204 (no body) when none |
//! | `GET /api/v2/users/{userId}/timeentries/last` | the same for another user |
//! | `GET /api/v1/timeentries` | paged list of `TimeTracking` |
//! | `GET /api/v1/timeentries/{timeEntryId}` | 200 + entry, 404 |
//! | `DELETE /api/v1/timeentries/{timeEntryId}` | 204, 404 |
//! | `POST /api/v1/timeentries/batch/{operation}` | 207 + `MultiStatusResult` |
//!
//! Other methods on these paths answer 405 (the fake has no v1 `POST`/`PUT`
//! and no v2 `DELETE` of entries); a `{timeEntryId}` or `{userId}` that is not
//! a GUID answers 404.
//!
//! **Lists** page exactly like the booking lists (including [`ShortPage`]).
//! `filterby` knows `id`, `userId`, `projectId`, `taskId`, `typeOfWorkId`
//! (`guid'…'` or `null`, `eq`/`ne`), `isBillable`, `isBilled` (`true`/`false`,
//! `eq`/`ne`) and `startDate`, `endDate` (`datetime'…'`, all six operators,
//! compared as instants: a full date-time honours its offset and reads as UTC
//! without one, a bare date is midnight UTC; `endDate` also takes `null`).
//! `orderby` knows `startDate`, `endDate` (no end sorts first), `duration`
//! and `createdOn`; ties and the default go by `createdOn`, then `id`. v1 uses
//! the same property names.
//!
//! **Bodies** (`TimeEntryForm` for `POST`/`PUT`): every broken rule is listed
//! in one 400 `validation-failed` under its JSON property. `timezone` must be
//! a known IANA zone, `typeOfWorkId` a non-nil GUID, `startDate` present.
//! A completed entry needs `endDate` (not before `startDate`) or `duration`
//! (seconds); with both, `endDate` wins and `duration` becomes the time in
//! between. `isDateOnly: true` keeps `startDate`'s date (stored as midnight
//! UTC), needs `duration` and drops `endDate`. `userId` defaults to the key's
//! user. `PUT` replaces everything: what is absent or `null` is cleared
//! (`isBillable`/`isBilled` become `false`). Breaks survive a `PUT` and stay
//! outside the duration. A `PUT` on a running timer may move its start but
//! takes no `endDate` and no `duration` other than 0.
//!
//! **The v1 shape** splits every instant into `…DateUtc` (a UTC date-time) and
//! `…TimeUtc` (`HH:MM:SS`), and into `…DateLocal` (the wall-clock date-time in
//! the entry's `timezone`, written without offset, e.g. `2024-05-06T10:00:00`)
//! and `…TimeLocal`, daylight saving included. Entries without an end have
//! `null` end fields; date-only entries also have `null` times.
//!
//! **The timer**: `start` (body `StartTimeTrackingForm`: `timezone` and
//! `typeOfWorkId` required) creates a running entry at "now" with no
//! `endDate` and `duration` 0, and is refused while the user has one. `pause`
//! opens a [`Break`], `resume` closes it, `stop` closes any open break and
//! sets `endDate`, `breakDuration` (sum of breaks) and `duration` (end −
//! start − breaks). Actions that do not fit the timer's state answer 400
//! `invalid-operation`. Running and paused entries are listed like any other.
//! A user's **last entry** is the running timer if there is one, else the entry
//! that started last.
//!
//! **Now**: the timer reads the fake's "now", the wall clock until
//! [`FakeAwork::set_now`] or [`FakeAwork::advance`] take over; it works in
//! whole seconds. `createdOn`/`updatedOn` of entries come from the [`Clock`],
//! as for bookings, so that the default order stays the creation order.
//!
//! **Batch** operations are `delete`, `setTypeOfWork` (`newTypeOfWorkId`),
//! `setIsBillable` (`isBillable`) and `setIsBilled` (`isBilled`), in any
//! case; others answer 400 `invalid-batch-operation`. `timeEntryIds` must not
//! be empty. The answer sorts the distinct ids into
//! `{"ok":{"ids":[…]},"notFound":{"ids":[…]}}`; with
//! `requireAllTimeEntries: true` one unknown id makes it 404 and changes
//! nothing.
//!
//! **Counting and faults**: v1 routes are named without prefix
//! (`/timeentries`), v2 routes with theirs (`/api/v2/timeentries`), in
//! [`FakeAwork::count`] as in [`FaultRule::on_path`].
//!
//! ```no_run
//! use awork_fake::{FakeAwork, NewTimeEntry};
//! # async fn demo() {
//! let fake = FakeAwork::start().await;
//! let at = |text| chrono::DateTime::parse_from_rfc3339(text).unwrap().to_utc();
//! let id = fake.insert_time_entry(
//!     NewTimeEntry::new(
//!         fake.user_id(),
//!         fake.type_of_work_id(),
//!         at("2024-05-06T08:00:00Z"),
//!         at("2024-05-06T09:30:00Z"),
//!     )
//!     .timezone("Europe/Berlin")
//!     .billable(true),
//! );
//! assert_eq!(fake.time_entry(id).unwrap().duration, 5400);
//! // Drive the timer of a client under test pointed at fake.base_url_v2():
//! fake.set_now(at("2024-05-06T10:00:00Z"));
//! // … POST /me/timetracking/start …
//! fake.advance(std::time::Duration::from_secs(30 * 60));
//! // … POST /me/timetracking/stop → duration 1800 …
//! # }
//! ```
//! # OAuth
//!
//! The fake is also awork's authorization server: the three OAuth routes above take no
//! credentials, and the access tokens they issue are accepted on every other route
//! beside the API key, until they expire. [`DEFAULT_CLIENT_ID`] is a public client
//! registered for [`DEFAULT_REDIRECT_URI`] (any loopback port); more clients come
//! through dynamic registration. `GET /accounts/authorize` stands in for the login
//! page: it answers at once with the redirect, approving unless
//! [`FakeAwork::set_approval`] says [`Approval::Deny`]. The token endpoint checks the
//! PKCE `S256` verifier and the redirect URI, spends a code on its first use and
//! rotates refresh tokens. Tokens expire on the fake's own clock, which
//! [`FakeAwork::advance`] moves forward; [`FakeAwork::oauth_counts`] says how many
//! codes, exchanges and refreshes there were. OAuth errors use OAuth codes
//! (`invalid_grant`, …) in awork's error body.
//!
//! # Request log
//!
//! [`FakeAwork::requests`] lists every request received, in arrival order, as
//! [`RecordedRequest`]s: method, URL path and query string exactly as received
//! (percent-encoding untouched, nothing decoded), `User-Agent`, whether an
//! `Authorization` header was sent (its value is never stored, so a printed
//! log leaks no key) and the arrival [`Instant`](std::time::Instant), taken
//! before faults and authentication. Faulted, rejected (401) and unrouted
//! (404) requests are logged too. Tests use it to check a client's pacing
//! and encoding; [`FakeAwork::clear_requests`] empties it.
//!
//! ```no_run
//! # async fn demo(fake: &awork_fake::FakeAwork) {
//! // … let the client under test make its calls, then check it paced them:
//! let log = fake.requests();
//! for pair in log.windows(2) {
//!     assert!(pair[1].at - pair[0].at >= std::time::Duration::from_millis(2));
//! }
//! assert!(log.iter().all(|request| request.has_authorization));
//! # }
//! ```
//!
//! # Order of processing
//!
//! Every request is logged and counted first, then may take one armed
//! [`Fault`] (latency is waited out first; rate limits and error statuses
//! answer at once, before authentication), then is authenticated (401
//! [`codes::UNAUTHORIZED`]; not on the OAuth routes), then handled; body-damaging faults are applied
//! to the handler's answer.

#![deny(missing_docs)]

mod auth;
mod bookings;
mod clock;
mod counters;
mod dates;
mod entries;
mod errors;
mod faults;
mod files;
mod filter;
mod form;
mod json;
mod model;
mod now;
mod oauth;
mod order;
mod paging;
mod pipeline;
mod query;
mod requests;
mod routes;
mod server;
mod state;
mod store;
mod trace;
mod users;

pub use axum::http::Method;
pub use clock::Clock;
pub use counters::RequestCounts;
pub use entries::{Break, NewTimeEntry, TimeEntry};
pub use errors::{ERROR_LINK, ErrorResponse, ValidationError, codes};
pub use faults::{Fault, FaultRule, RateLimit, RetryAfter};
pub use files::{MAX_UPLOAD_BYTES, TaskFile};
pub use model::{NewBooking, TimeBooking, UserTimeBookings};
pub use oauth::registry::{CODE_LIFETIME, REFRESH_TOKEN_LIFETIME};
pub use oauth::{
    Approval, DEFAULT_ACCESS_TOKEN_LIFETIME, DEFAULT_CLIENT_ID, DEFAULT_REDIRECT_URI, OAuthCounts,
};
pub use paging::{
    DEFAULT_PAGE_SIZE, ITEMS_HEADER, MAX_PAGE_SIZE, PAGE_HEADER, PAGE_SIZE_HEADER, ShortPage,
    TOTAL_ITEMS_HEADER,
};
pub use requests::RecordedRequest;
pub use routes::{BASE_PATH, V2_BASE_PATH};
pub use server::{
    DEFAULT_API_KEY, DEFAULT_TYPE_OF_WORK_ID, DEFAULT_USER_ID, FakeAwork, FakeAworkBuilder,
    StartError,
};
pub use trace::{EDGE_REF_HEADER, TRACE_ID_HEADER};
