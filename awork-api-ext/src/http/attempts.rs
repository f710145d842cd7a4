//! What happened to a request on the way, for the error that ends it: how many times it
//! was sent, and whether its credentials failed.
//!
//! The transport knows both, but what it hands back is a `reqwest::Result`, and a
//! `reqwest::Error` (a timeout, a refused connection) or a 401 answer cannot carry
//! anything extra. So this crate's calls run each request inside [`counted`], a
//! task-local record that the transport writes after every attempt and when an OAuth
//! refresh fails; the error is built from what it holds ([`Tally::error`]). Concurrent
//! requests (prefetched pages) each get a record of their own.

use crate::Error;
use crate::auth::AuthError;
use std::cell::{Cell, RefCell};
use std::future::Future;

/// The record of one request.
#[derive(Default)]
struct Record {
    /// Attempts made so far, over every send of the request.
    attempts: Cell<u32>,
    /// Attempts made before the current send (a resend after a refresh).
    before: Cell<u32>,
    /// Why the request's credentials could not be used or renewed.
    auth: RefCell<Option<AuthError>>,
}

tokio::task_local! {
    static RECORD: Record;
}

/// Notes that attempt `number` of the current send was made (no-op outside [`counted`]).
pub(crate) fn record(number: u32) {
    let _ = RECORD.try_with(|r| r.attempts.set(r.before.get().saturating_add(number)));
}

/// Notes that the request is sent once more (after a refresh), so that the attempts of
/// the next send add to those made so far.
pub(crate) fn resend() {
    let _ = RECORD.try_with(|r| r.before.set(r.attempts.get()));
}

/// Notes that the request's credentials failed; the request's error becomes
/// [`Error::Auth`].
pub(crate) fn auth_failed(error: AuthError) {
    let _ = RECORD.try_with(|r| *r.auth.borrow_mut() = Some(error));
}

/// What [`counted`] saw of one request.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    /// Attempts the transport made (`None` when it made none, e.g. a request rejected
    /// before sending).
    pub(crate) attempts: Option<u32>,
    auth: Option<AuthError>,
}

impl Tally {
    /// The error to report for a request that ended in `error`: the credentials'
    /// failure when there was one (the 401 behind it is only its symptom), else
    /// `error` with the attempts made.
    pub(crate) fn error(&self, error: Error) -> Error {
        self.auth_error()
            .unwrap_or_else(|| error.with_attempts(self.attempts))
    }

    /// [`Error::Auth`] when the request's credentials failed.
    pub(crate) fn auth_error(&self) -> Option<Error> {
        self.auth.clone().map(Error::Auth)
    }
}

/// Runs `request` and returns its output with what the transport noted about it.
pub(crate) async fn counted<F: Future>(request: F) -> (F::Output, Tally) {
    RECORD
        .scope(Record::default(), async {
            let output = request.await;
            let tally = RECORD.with(|r| Tally {
                attempts: Some(r.attempts.get()).filter(|n| *n > 0),
                auth: r.auth.borrow_mut().take(),
            });
            (output, tally)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_request_counts_in_its_own_cell() {
        let one = counted(async {
            record(1);
            record(3);
        });
        let other = counted(async { record(2) });
        let ((_, a), (_, b)) = futures::join!(one, other);
        assert_eq!((a.attempts, b.attempts), (Some(3), Some(2)));
        assert_eq!(counted(async {}).await.1.attempts, None);
        record(9); // outside any cell: ignored, no panic
    }

    #[tokio::test]
    async fn a_resend_adds_to_the_attempts_and_an_auth_failure_wins() {
        let (_, tally) = counted(async {
            record(2);
            resend();
            record(1);
        })
        .await;
        assert_eq!(tally.attempts, Some(3));
        let plain = tally.error(Error::validation("x", "y"));
        assert!(matches!(plain, Error::Validation { .. }));

        let (_, tally) = counted(async { auth_failed(AuthError::NoRefreshToken) }).await;
        let error = tally.error(Error::validation("x", "y"));
        assert!(
            matches!(error, Error::Auth(AuthError::NoRefreshToken)),
            "{error:?}"
        );
    }
}
