//! The one place where what happened to a request, its [`Tally`], becomes part of the
//! [`Error`] that ends it. Every caller first reads the answer into the error it
//! stands for (`decode.rs`), then settles it here: the client's request builder, the
//! `.call()` chains and the paging walk over the generated operations, and OAuth's
//! token requests.

use super::cases::{AuthError, Error};
use super::decode::TypedErrorBody;
use crate::http::authorize::Refusal;
use crate::http::tally::{self, Tally};
use awork_api::ResponseValue;
use futures::FutureExt;
use futures::future::{self, Either};
use std::future::Future;

/// `outcome` with what the tally adds: a refusal of the credentials wins (the 401
/// behind it is only its symptom); otherwise an error gets the attempts it took.
pub(crate) fn settle<T>(outcome: Result<T, Error>, tally: &Tally) -> Result<T, Error> {
    if let Some(refusal) = tally.refusal() {
        return Err(refused(refusal));
    }
    outcome.map_err(|error| error.with_attempts(tally.attempts()))
}

/// Awaits one call of the generated client and settles its outcome.
///
/// Combinators, not an `async` block: a generated operation's future is large (it
/// holds the builder's fields and the answer being read), and each `async` layer
/// around it would hold and copy it again; the measured cost was a tenth of a
/// loopback call (`benches/overhead.rs`). The error path, reading an error body, is
/// boxed: it is rare, and held inline it would make every call's future larger.
pub(crate) fn settle_generated<T, E: TypedErrorBody>(
    call: impl Future<Output = Result<ResponseValue<T>, awork_api::Error<E>>>,
) -> impl Future<Output = Result<ResponseValue<T>, Error>> {
    tally::counted(call).then(|(outcome, tally)| match outcome {
        Ok(value) => Either::Left(future::ready(settle(Ok(value), &tally))),
        Err(error) => Either::Right(Box::pin(async move {
            let error = Error::from_generated(error).await;
            settle(Err(error), &tally)
        })),
    })
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
