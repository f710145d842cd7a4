//! What happened to one request on the way, for the error that may end it: how many
//! times it was sent, and whether its credentials were refused.
//!
//! The pipeline hands the [`Tally`] back as data with the answer ([`Sent`]). Only the
//! generated operations cannot take it that way: their hook, `awork_api::Transport`,
//! returns a bare `reqwest::Result`. For them the hook notes the tally in a record that
//! [`counted`] lends to the thread while one generated call is polled, and reads back
//! when the call is over. Concurrent calls (prefetched pages) each get a record of
//! their own.

use crate::http::authorize::Refusal;
use pin_project_lite::pin_project;
use reqwest::Response;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

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

thread_local! {
    /// The record of the generated call being polled on this thread, if any: a
    /// [`Counted`] lends its own here for the length of each poll of its call. Plain
    /// data without a destructor, so that lending it costs two reads and two writes.
    static RECORD: Cell<Option<Record>> = const { Cell::new(None) };
    /// A refusal noted during the poll under way, taken by the [`Counted`] being polled
    /// when the poll ends. Refusals are rare; the record only says that one is here.
    static REFUSAL: RefCell<Option<Refusal>> = const { RefCell::new(None) };
}

/// What one poll of a [`Counted`] call lends to the thread: the attempts so far, and
/// whether a refusal waits in [`REFUSAL`].
#[derive(Clone, Copy)]
struct Record {
    attempts: u32,
    refused: bool,
}

/// Notes `tally` in the record of the [`Counted`] call being polled, if there is one.
#[inline]
pub(crate) fn note(tally: &Tally) {
    let Some(mut record) = RECORD.get() else {
        return; // no counted call: nobody to tell
    };
    record.attempts = record.attempts.saturating_add(tally.attempts);
    if let Some(refusal) = &tally.refused {
        // `try_with`: a thread being torn down has nowhere to keep it.
        record.refused |= REFUSAL
            .try_with(|slot| *slot.borrow_mut() = Some(refusal.clone()))
            .is_ok();
    }
    RECORD.set(Some(record));
}

pin_project! {
    /// One generated call, with a record of its own for its hook to note the tally in
    /// (a task-local, made by hand: the record is this value's fields, lent to the
    /// thread while the call is polled). Concurrent calls in one task (prefetched
    /// pages) each have theirs.
    pub(crate) struct Counted<F> {
        #[pin]
        call: F,
        attempts: u32,
        refused: Option<Refusal>,
    }
}

/// Runs `call` with a fresh record; [`tally_of`] reads it once the call is over.
pub(crate) fn counted<F: Future>(call: F) -> Counted<F> {
    Counted {
        call,
        attempts: 0,
        refused: None,
    }
}

/// What the hook noted while `call` ran; taken, so the next read finds nothing.
pub(crate) fn tally_of<F>(call: Pin<&mut Counted<F>>) -> Tally {
    let this = call.project();
    Tally {
        attempts: std::mem::take(this.attempts),
        refused: this.refused.take(),
    }
}

impl<F: Future> Future for Counted<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let _lent = Lent::open(this.attempts, this.refused);
        this.call.poll(cx)
    }
}

/// A record lent to the thread while its call is polled; given back when dropped
/// (a panicking poll included), with the record of an enclosing call put back.
struct Lent<'a> {
    attempts: &'a mut u32,
    refused: &'a mut Option<Refusal>,
    enclosing: Option<Record>,
    /// The enclosing call's refusal, noted in its poll before this call's began (a
    /// call inside a call, after a refusal: seldom twice in a program's life).
    enclosing_refusal: Option<Refusal>,
}

impl<'a> Lent<'a> {
    #[inline]
    fn open(attempts: &'a mut u32, refused: &'a mut Option<Refusal>) -> Self {
        let mine = Record {
            attempts: *attempts,
            refused: false,
        };
        let enclosing = RECORD.replace(Some(mine));
        let enclosing_refusal = match enclosing {
            Some(Record { refused: true, .. }) => taken_refusal(),
            _ => None,
        };
        Self {
            attempts,
            refused,
            enclosing,
            enclosing_refusal,
        }
    }
}

impl Drop for Lent<'_> {
    #[inline]
    fn drop(&mut self) {
        let mine = RECORD.replace(self.enclosing);
        let Some(mine) = mine else { return };
        *self.attempts = mine.attempts;
        if mine.refused {
            *self.refused = taken_refusal().or(self.refused.take());
        }
        if let Some(refusal) = self.enclosing_refusal.take() {
            let _ = REFUSAL.try_with(|slot| *slot.borrow_mut() = Some(refusal));
        }
    }
}

/// The refusal waiting in [`REFUSAL`], taken.
#[cold]
fn taken_refusal() -> Option<Refusal> {
    REFUSAL.try_with(|slot| slot.take()).ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("no")]
    struct No;

    #[tokio::test]
    async fn each_call_counts_in_its_own_record() {
        let mut one = std::pin::pin!(counted(async {
            note(&Tally::default().sent(1));
            note(&Tally::default().sent(2));
        }));
        let mut other = std::pin::pin!(counted(async { note(&Tally::default().sent(2)) }));
        futures::join!(one.as_mut(), other.as_mut());
        let (a, b) = (tally_of(one), tally_of(other));
        assert_eq!((a.attempts(), b.attempts()), (Some(3), Some(2)));
        let mut nothing = std::pin::pin!(counted(async {}));
        nothing.as_mut().await;
        assert_eq!(tally_of(nothing).attempts(), None);
        note(&Tally::default().sent(9)); // outside any record: ignored, no panic
    }

    #[tokio::test]
    async fn a_call_inside_a_call_keeps_its_own_record_and_gives_the_outer_one_back() {
        let mut outer = std::pin::pin!(counted(async {
            note(&Tally::default().sent(1));
            let mut inner = std::pin::pin!(counted(async {
                tokio::task::yield_now().await; // polled twice: lent and given back twice
                note(&Tally::default().sent(5));
            }));
            inner.as_mut().await;
            note(&Tally::default().sent(1));
            tally_of(inner)
        }));
        let inner = outer.as_mut().await;
        assert_eq!(inner.attempts(), Some(5));
        assert_eq!(tally_of(outer).attempts(), Some(2));
        assert!(RECORD.get().is_none(), "nothing left lent");
    }

    #[test]
    fn a_panicking_call_gives_the_record_back() {
        let mut call = Box::pin(counted(async {
            note(&Tally::default().sent(3));
            panic!("boom");
        }));
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        let polled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = call.as_mut().poll(&mut cx);
        }));
        assert!(polled.is_err());
        assert!(RECORD.get().is_none(), "nothing left lent");
        assert_eq!(tally_of(call.as_mut()).attempts(), Some(3));
    }

    #[tokio::test]
    async fn calls_one_inside_the_other_keep_their_own_refusals() {
        let mut outer = std::pin::pin!(counted(async {
            note(&Tally::default().sent(1).refused(Refusal::new(No)));
            let mut inner = std::pin::pin!(counted(async {
                let refusal = Refusal::new(std::io::Error::other("inner"));
                note(&Tally::default().sent(4).refused(refusal));
            }));
            inner.as_mut().await;
            tally_of(inner)
        }));
        let inner = outer.as_mut().await;
        assert_eq!(inner.attempts(), Some(4));
        let text = |t: &Tally| t.refusal().map(ToString::to_string);
        assert_eq!(text(&inner).as_deref(), Some("inner"));
        let outer = tally_of(outer);
        assert_eq!(outer.attempts(), Some(1));
        assert_eq!(text(&outer).as_deref(), Some("no"), "each keeps its own");
        assert!(RECORD.get().is_none(), "nothing left lent");
        assert!(taken_refusal().is_none(), "no refusal left behind");
    }

    #[tokio::test]
    async fn a_refusal_is_kept_with_the_attempts() {
        let mut call = std::pin::pin!(counted(async {
            note(&Tally::default().sent(2).refused(Refusal::new(No)));
        }));
        call.as_mut().await;
        let tally = tally_of(call);
        assert_eq!(tally.attempts(), Some(2));
        assert_eq!(
            tally.refusal().map(ToString::to_string).as_deref(),
            Some("no")
        );
    }
}
