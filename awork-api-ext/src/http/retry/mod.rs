//! When to send a request again, and after how long: the retry policy as a plain value.
//!
//! A [`RetryPolicy`] holds limits and nothing else; the client applies it to
//! every request, the generated operations included. The rules:
//!
//! * **429 Too Many Requests**: awork refused the request without processing it, so it
//!   is safe to send again whatever the method. The wait is the one awork names
//!   (`Retry-After`, else `ratelimit-reset`), else the backoff step.
//! * **500, 502, 503, 504, timeouts, connection failures**: the request may have been
//!   processed before things went wrong, so only idempotent methods (GET, HEAD, PUT,
//!   DELETE, OPTIONS) are repeated. A POST or PATCH is sent once unless the caller opts
//!   in with [`RetryPolicy::retry_non_idempotent`]: repeating a POST that did arrive
//!   would create a second time booking. A 503 may carry `Retry-After`, which is honoured.
//! * A request whose body is a stream (an upload) is never repeated: it cannot be sent
//!   a second time. An upload that opts in with
//!   [`UploadRequest::retryable`](crate::uploads::UploadRequest::retryable) is the
//!   exception: its body is rebuilt for each attempt, and these rules apply to it as to
//!   any request of its method.
//! * Anything else (success, 4xx other than 429, local errors) is final.
//!
//! Two limits bound a request: the number of attempts, and the sum of all waits. When
//! the next wait would push the sum past the budget, the request stops right away
//! rather than sleep for a retry it would not be allowed to finish. Waits go through
//! the client's [`Clock`](crate::clock::Clock), so tests can check them without spending them.
//!
//! The policy is this module's only public part; beside it sit the machinery that applies
//! it, as private files: `decide.rs` (one finished attempt in, one decision out, a pure
//! function), `backoff.rs` (the waits when awork names none) and `retrying.rs` (the loop
//! that sends, asks, waits and sends again).

pub(crate) mod backoff;
mod decide;
mod policy;
mod retrying;

pub use policy::RetryPolicy;
pub(crate) use retrying::{Attempted, Attempting, Finished, Retrying, ends_at_once};
