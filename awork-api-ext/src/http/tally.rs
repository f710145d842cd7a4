//! What happened to one request on the way, for the error that may end it: how many
//! times it was sent, and whether its credentials were refused.
//!
//! The pipeline hands the [`Tally`] back as data with the answer ([`Sent`]). Only the
//! generated operations cannot take it that way: their hook, `awork_api::Transport`,
//! returns a bare `reqwest::Result`. For them the hook notes the tally in a task-local
//! record that [`counted`] opens around one generated call, and reads back when the
//! call is over. Concurrent calls (prefetched pages) each get a record of their own.

use crate::http::authorize::Refusal;
use futures::FutureExt;
use reqwest::Response;
use std::cell::RefCell;
use std::future::Future;

/// The attempts and the refusal of one request.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    attempts: u32,
    refused: Option<Refusal>,
}

impl Tally {
    /// The tally after `attempts` more sends.
    pub(crate) fn sent(mut self, attempts: u32) -> Self {
        self.attempts = self.attempts.saturating_add(attempts);
        self
    }

    /// The tally of a request whose credentials were refused.
    pub(crate) fn refused(mut self, refusal: Refusal) -> Self {
        self.refused = Some(refusal);
        self
    }

    /// How many times the request was sent; `None` when it never was.
    pub(crate) fn attempts(&self) -> Option<u32> {
        Some(self.attempts).filter(|n| *n > 0)
    }

    /// Why the request's credentials could not be used, if they could not.
    pub(crate) fn refusal(&self) -> Option<&Refusal> {
        self.refused.as_ref()
    }

    /// This tally with `later`'s added: a second request within one call.
    fn merged(self, later: Tally) -> Tally {
        Tally {
            attempts: self.attempts.saturating_add(later.attempts),
            refused: later.refused.or(self.refused),
        }
    }
}

/// The answer to one request (whatever its status) and its tally.
pub(crate) struct Sent {
    /// What the HTTP stack answered last.
    pub(crate) result: reqwest::Result<Response>,
    /// What happened on the way.
    pub(crate) tally: Tally,
}

impl Sent {
    /// `result`, reached as `tally` says.
    pub(crate) fn after(result: reqwest::Result<Response>, tally: Tally) -> Self {
        Self { result, tally }
    }
}

tokio::task_local! {
    static RECORD: RefCell<Tally>;
}

/// Notes `tally` for the [`counted`] call around the current task, if there is one.
pub(crate) fn note(tally: &Tally) {
    let _ = RECORD.try_with(|record| {
        let earlier = record.take();
        *record.borrow_mut() = earlier.merged(tally.clone());
    });
}

/// Runs one generated call and returns its output with the tally its hook noted.
///
/// Combinators, not an `async` block: the call's future (large for a generated
/// operation) is then held once and never copied again. The tally is taken inside the
/// scope, as the call finishes.
pub(crate) fn counted<F: Future>(call: F) -> impl Future<Output = (F::Output, Tally)> {
    let finished = call.map(|output| (output, RECORD.with(RefCell::take)));
    RECORD.scope(RefCell::default(), finished)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("no")]
    struct No;

    #[tokio::test]
    async fn each_call_counts_in_its_own_record() {
        let one = counted(async {
            note(&Tally::default().sent(1));
            note(&Tally::default().sent(2));
        });
        let other = counted(async { note(&Tally::default().sent(2)) });
        let ((_, a), (_, b)) = futures::join!(one, other);
        assert_eq!((a.attempts(), b.attempts()), (Some(3), Some(2)));
        assert_eq!(counted(async {}).await.1.attempts(), None);
        note(&Tally::default().sent(9)); // outside any record: ignored, no panic
    }

    #[tokio::test]
    async fn a_refusal_is_kept_with_the_attempts() {
        let (_, tally) = counted(async {
            note(&Tally::default().sent(2).refused(Refusal::new(No)));
        })
        .await;
        assert_eq!(tally.attempts(), Some(2));
        assert_eq!(
            tally.refusal().map(ToString::to_string).as_deref(),
            Some("no")
        );
    }
}
