//! Decoding a JSON answer for the generated operations.
//!
//! progenitor_client's `ResponseValue::from_response` copies the answer's header map
//! before it reads the body, and drops the answer with the original. The generator's
//! `lean_send` pass points every operation here instead: the headers are moved out of
//! the answer, so a call makes one map less. Status, headers, value and errors are
//! the same as progenitor's.

use progenitor_client::{Error, ResponseValue};
use serde::de::DeserializeOwned;

/// The answer's status, headers and JSON body decoded as `T`.
///
/// # Errors
/// [`Error::ResponseBodyError`] when the body cannot be read;
/// [`Error::InvalidResponsePayload`] (with the body) when it is not a `T`.
pub async fn decode_json<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(Error::ResponseBodyError)?;
    match serde_json::from_slice(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(e) => Err(Error::InvalidResponsePayload(body, e)),
    }
}
