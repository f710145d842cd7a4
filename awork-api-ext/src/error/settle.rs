//! The one place where what happened to a request, its [`Tally`], becomes part of the
//! [`Error`] that ends it. Every caller first reads the answer into the error it
//! stands for (`decode.rs`), then settles it here: the client's request builder, the
//! `.call()` chains and the paging walk over the generated operations, and OAuth's
//! token requests.

use super::cases::{AuthError, Error};
use super::decode::TypedErrorBody;
use crate::http::authorize::Refusal;
use crate::http::tally::{self, Counted, Tally};
use awork_api::ResponseValue;
use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

/// `outcome` with what the tally adds: a refusal of the credentials wins (the 401
/// behind it is only its symptom); otherwise an error gets the attempts it took.
pub(crate) fn settle<T>(outcome: Result<T, Error>, tally: &Tally) -> Result<T, Error> {
    if let Some(refusal) = tally.refusal() {
        return Err(refused(refusal));
    }
    outcome.map_err(|error| error.with_attempts(tally.attempts()))
}

/// [`settle`] for an outcome known to be an error.
fn settled_error(error: Error, tally: &Tally) -> Error {
    match tally.refusal() {
        Some(refusal) => refused(refusal),
        None => error.with_attempts(tally.attempts()),
    }
}

/// Awaits one call of the generated client and settles its outcome.
pub(crate) fn settle_generated<T, E: TypedErrorBody>(
    call: impl Future<Output = Result<ResponseValue<T>, awork_api::Error<E>>>,
) -> impl Future<Output = Result<ResponseValue<T>, Error>> {
    settle_generated_with(call, std::convert::identity)
}

/// Awaits one call of the generated client, settles its outcome, and hands a success
/// to `finish` (as `.call()` takes the value out of its `ResponseValue`).
pub(crate) fn settle_generated_with<T, E: TypedErrorBody, O>(
    call: impl Future<Output = Result<ResponseValue<T>, awork_api::Error<E>>>,
    finish: impl FnOnce(ResponseValue<T>) -> O,
) -> impl Future<Output = Result<O, Error>> {
    Settled {
        call: tally::counted(call),
        finish: Some(finish),
        fail: failed::<E>,
        failing: None,
    }
}

/// A generated call's error as this crate's, settled with the call's tally.
async fn failed<E: TypedErrorBody>(error: awork_api::Error<E>, tally: Tally) -> Error {
    settled_error(Error::from_generated(error).await, &tally)
}

pin_project! {
    /// One generated call, run with its tally's record, then settled: a success at once,
    /// an error after its body was read (`decode.rs`).
    ///
    /// One hand-written layer rather than a chain of combinators: a generated
    /// operation's future is large (it holds the builder's fields and the answer being
    /// read), and each combinator around it moved it again; the chain of five cost about
    /// 2,200 instructions a call, this layer about 550 (`benches/overhead.rs` under
    /// cachegrind). The error path is boxed, so the rare error's future does not make
    /// every call's larger. `fail` is always [`failed`]: a field, so that the type of
    /// its future, which has no name, can be one of this struct's parameters. `finish`
    /// is a closure's own type, not a function pointer, so that it is inlined and the
    /// value goes where it is wanted without further copies.
    struct Settled<F, Fin, G, D> {
        #[pin]
        call: Counted<F>,
        finish: Option<Fin>,
        fail: G,
        failing: Option<Pin<Box<D>>>,
    }
}

impl<F, T, E, O, Fin, G, D> Future for Settled<F, Fin, G, D>
where
    F: Future<Output = Result<ResponseValue<T>, awork_api::Error<E>>>,
    Fin: FnOnce(ResponseValue<T>) -> O,
    G: Fn(awork_api::Error<E>, Tally) -> D,
    D: Future<Output = Error>,
{
    type Output = Result<O, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if this.failing.is_none() {
            let outcome = ready!(this.call.as_mut().poll(cx));
            let tally = tally::tally_of(this.call);
            match outcome {
                Ok(value) => {
                    // `settle` for a success, written out: through `settle` the value
                    // is moved once more (about 130 instructions and a dozen L1d
                    // writes a call, measured in `benches/overhead.rs`).
                    if let Some(refusal) = tally.refusal() {
                        return Poll::Ready(Err(refused(refusal)));
                    }
                    let finish = this.finish.take().expect("polled after completion");
                    return Poll::Ready(Ok(finish(value)));
                }
                Err(error) => *this.failing = Some(Box::pin((this.fail)(error, tally))),
            }
        }
        let failing = this.failing.as_mut().expect("set above");
        failing.as_mut().poll(cx).map(Err)
    }
}

/// The error for credentials that could not be used. The pipeline's only credential
/// source is [`crate::auth`], whose refusals are [`AuthError`]s.
fn refused(refusal: &Refusal) -> Error {
    match refusal.downcast_ref::<AuthError>() {
        Some(error) => Error::Auth(error.clone()),
        None => Error::Other(format!("the credentials could not be used: {refusal}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_wins_and_otherwise_the_attempts_are_added() {
        let plain = Tally::default().sent(3);
        let bad_gateway: Result<(), Error> = Err(Error::from_status(
            reqwest::StatusCode::BAD_GATEWAY,
            &reqwest::header::HeaderMap::new(),
            b"",
        ));
        assert_eq!(settle(bad_gateway, &plain).unwrap_err().attempts(), Some(3));
        assert!(settle(Ok(7), &plain).is_ok());

        let refused_tally = plain.refused(Refusal::new(AuthError::NoRefreshToken));
        let error = settle(Ok(7), &refused_tally).unwrap_err();
        assert!(
            matches!(error, Error::Auth(AuthError::NoRefreshToken)),
            "{error:?}"
        );
    }

    #[test]
    fn a_refusal_of_another_kind_still_says_what_happened() {
        let refusal = Refusal::new(std::io::Error::other("keychain locked"));
        let error = settle(Ok(()), &Tally::default().refused(refusal)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "awork request failed: the credentials could not be used: keychain locked"
        );
    }
}
