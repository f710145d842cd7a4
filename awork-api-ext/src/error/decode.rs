//! Reading awork's answers into this crate's errors: an error status with its headers
//! and body, an error of the generated client (whichever of its shapes), a failure of
//! the HTTP stack, and a success body that does not decode.
//!
//! Nothing read here is a secret: requests are not kept, and the bodies excerpted are
//! awork's answers, never a token answer (those go to `oauth2`, which only reports the
//! place of a problem).

use super::api::{ApiError, FieldError, RateLimited};
use super::cases::{Error, broke_off};
use crate::http::headers::{self, NamedWait};
use awork_api::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;

/// How much of an undecodable body an error keeps.
pub const EXCERPT_CHARS: usize = 200;

/// awork's error body, read leniently: every field optional, unknown fields ignored.
#[doc(hidden)]
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    // OAuth answers (RFC 6749, RFC 7591) name the same two fields differently.
    #[serde(alias = "error")]
    code: Option<String>,
    #[serde(alias = "error_description")]
    description: Option<String>,
    #[serde(default)]
    details: Option<Vec<String>>,
    #[serde(default)]
    validation_errors: Option<Vec<FieldError>>,
    trace_id: Option<String>,
}

/// The error bodies the generated clients decode (`Error<E>`'s `E`), read straight
/// into [`ApiError`]'s fields.
pub trait TypedErrorBody {
    #[doc(hidden)]
    fn into_error_body(self) -> ErrorBody;
}

impl TypedErrorBody for () {
    fn into_error_body(self) -> ErrorBody {
        ErrorBody::default()
    }
}

/// awork's `ErrorResponse`, which v1 and v2 each generate as a type of their own.
macro_rules! typed_error_body {
    ($($(#[$cfg:meta])* $ty:ty),*) => {$(
        $(#[$cfg])*
        impl TypedErrorBody for $ty {
            fn into_error_body(self) -> ErrorBody {
                ErrorBody {
                    code: Some(self.code),
                    description: Some(self.description),
                    details: self.details,
                    validation_errors: self.validation_errors.map(|list| {
                        list.into_iter()
                            .map(|v| FieldError {
                                property: v.property,
                                message: v.message,
                            })
                            .collect()
                    }),
                    trace_id: self.trace_id,
                }
            }
        }
    )*};
}

typed_error_body!(
    awork_api::types::ErrorResponse,
    #[cfg(feature = "v2")]
    awork_api::v2::types::ErrorResponse
);

impl ApiError {
    /// Builds the error from a status, the response headers and the raw body.
    pub fn from_parts(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Self {
        let parsed: ErrorBody = serde_json::from_slice(body).unwrap_or_default();
        Self::from_body(status, headers, parsed)
    }

    fn from_body(status: StatusCode, headers: &HeaderMap, body: ErrorBody) -> Self {
        Self {
            status,
            code: body.code,
            description: body.description,
            details: body.details.unwrap_or_default(),
            validation_errors: body.validation_errors.unwrap_or_default(),
            trace_id: headers::text(headers, headers::TRACE_ID)
                .map(str::to_string)
                .or(body.trace_id),
            edge_ref: headers::text(headers, headers::EDGE_REF).map(str::to_string),
            attempts: None,
            headers: headers.clone(),
        }
    }
}

impl Error {
    /// Builds the right variant for an error status.
    pub fn from_status(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Self {
        Self::from_api(status, headers, ApiError::from_parts(status, headers, body))
    }

    fn from_api(status: StatusCode, headers: &HeaderMap, api: ApiError) -> Self {
        if status == StatusCode::TOO_MANY_REQUESTS {
            let named = headers::named_wait(headers);
            return Error::RateLimited(Box::new(RateLimited {
                retry_after: match named {
                    Some(NamedWait::For(wait)) => Some(wait),
                    _ => None,
                },
                retry_at: match named {
                    Some(NamedWait::Until(at)) => Some(at),
                    _ => None,
                },
                limit: headers::number(headers, headers::RATELIMIT_LIMIT),
                remaining: headers::number(headers, headers::RATELIMIT_REMAINING),
                api,
            }));
        }
        Error::Api(Box::new(api))
    }

    /// Converts an error of the generated client, reading the body of an unexpected
    /// response (which is why this is `async`). The attempt count is unknown here;
    /// this crate's own calls add it.
    pub async fn from_generated<E: TypedErrorBody>(error: awork_api::Error<E>) -> Self {
        use awork_api::Error as G;
        match error {
            G::InvalidRequest(message) => Error::validation("request", message),
            G::CommunicationError(e) | G::ResponseBodyError(e) | G::InvalidUpgrade(e) => {
                Self::from_reqwest(e)
            }
            G::ErrorResponse(value) => Self::from_typed_error(value),
            G::InvalidResponsePayload(bytes, e) => Error::Decode {
                status: None,
                message: e.to_string(),
                excerpt: excerpt(&bytes),
                source: Some(Box::new(e)),
            },
            G::UnexpectedResponse(response) if response.status().is_success() => {
                Self::unlisted_success(response).await
            }
            G::UnexpectedResponse(response) => Self::from_response(response).await,
            G::Custom(message) => Error::Other(message),
        }
    }

    /// A 2xx the operation's one answer type does not cover. Without a body it is
    /// awork's "nothing to return" (204) on the operations that may answer so.
    async fn unlisted_success(response: reqwest::Response) -> Self {
        let status = response.status();
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(e) => return Self::from_reqwest(e),
        };
        let message = if body.is_empty() {
            "the answer has no body where this operation returns one; awork answers so when \
             there is nothing to return: use .call_optional() to get None instead"
                .to_string()
        } else {
            format!("awork answered {status}, which its document does not list for this operation")
        };
        Error::Decode {
            status: Some(status),
            message,
            excerpt: excerpt(&body),
            source: None,
        }
    }

    /// Reads an error response's body and builds the matching variant.
    pub async fn from_response(response: reqwest::Response) -> Self {
        let status = response.status();
        let headers = response.headers().clone();
        match response.bytes().await {
            Ok(body) => Self::from_status(status, &headers, &body),
            Err(e) => Self::from_reqwest(e),
        }
    }

    fn from_typed_error<E: TypedErrorBody>(value: ResponseValue<E>) -> Self {
        let status = value.status();
        let headers = value.headers().clone();
        let api = ApiError::from_body(status, &headers, value.into_inner().into_error_body());
        Self::from_api(status, &headers, api)
    }

    /// Classifies a transport error, keeping it as the source with its URL removed
    /// (query strings can carry filters with personal data).
    pub fn from_reqwest(error: reqwest::Error) -> Self {
        let error = error.without_url();
        if error.is_timeout() {
            return Error::Timeout {
                attempts: None,
                source: error,
            };
        }
        if error.is_decode() && !broke_off(&error) {
            return Error::Decode {
                status: error.status(),
                message: error.to_string(),
                excerpt: String::new(),
                source: Some(Box::new(error)),
            };
        }
        Error::Connection {
            attempts: None,
            source: error,
        }
    }
}

/// A success without a body: 204, or any 2xx that says its body is empty. Another 2xx
/// with a body is not "nothing" (`.call_optional()` and raw requests report it).
pub(crate) fn is_bodiless_success(response: &reqwest::Response) -> bool {
    let status = response.status();
    status == StatusCode::NO_CONTENT
        || (status.is_success() && response.content_length() == Some(0))
}

/// Reads a successful JSON answer as `T`; a body that does not decode is an
/// [`Error::Decode`] with its excerpt.
pub(crate) async fn json_answer<T: serde::de::DeserializeOwned>(
    response: reqwest::Response,
) -> Result<T, Error> {
    let status = response.status();
    let bytes = response.bytes().await.map_err(Error::from_reqwest)?;
    serde_json::from_slice(&bytes).map_err(|e| Error::Decode {
        status: Some(status),
        message: e.to_string(),
        excerpt: excerpt(&bytes),
        source: Some(Box::new(e)),
    })
}

/// The first [`EXCERPT_CHARS`] characters of a body, lossily decoded, for messages.
pub(crate) fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::headers::tests::headers;
    use std::time::{Duration, SystemTime};

    #[test]
    fn api_errors_keep_everything_and_print_one_line() {
        let body = br#"{"code":"validation-failed","description":"Bad form","link":"x","details":["d1"],
            "validationErrors":[{"property":"EndDate","message":"before start"}],"traceId":"body-trace","extra":1}"#;
        let e = Error::from_status(
            StatusCode::BAD_REQUEST,
            &headers(&[("trace-id", "t1"), ("x-edge-ref", "e1")]),
            body,
        );
        let Error::Api(api) = &e else { panic!("{e:?}") };
        assert_eq!(api.code.as_deref(), Some("validation-failed"));
        assert_eq!(api.trace_id.as_deref(), Some("t1"));
        assert_eq!(
            api.validation_errors[0].property.as_deref(),
            Some("EndDate")
        );
        assert_eq!(
            e.to_string(),
            "awork answered 400 Bad Request validation-failed: Bad form; EndDate: before start (d1) [trace-id t1, x-edge-ref e1]"
        );
        assert!(!e.to_string().contains('\n'));
    }

    #[test]
    fn a_body_that_is_not_awork_json_still_gives_status_and_ids() {
        let e = Error::from_status(
            StatusCode::BAD_GATEWAY,
            &headers(&[("x-edge-ref", "e9")]),
            b"<html>",
        );
        assert_eq!(
            e.to_string(),
            "awork answered 502 Bad Gateway [x-edge-ref e9]"
        );
        assert_eq!(e.status(), Some(StatusCode::BAD_GATEWAY));
    }

    #[test]
    fn rate_limits_carry_the_wait_and_the_attempts() {
        let h = headers(&[("retry-after", "7"), ("ratelimit-limit", "1000")]);
        let e = Error::from_status(StatusCode::TOO_MANY_REQUESTS, &h, b"").with_attempts(Some(4));
        let Error::RateLimited(r) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(r.retry_after, Some(Duration::from_secs(7)));
        assert_eq!(
            e.to_string(),
            "rate limited by awork (429) after 4 attempts; awork asked to wait 7 s; limit 1000"
        );
    }

    #[test]
    fn a_retry_after_date_is_kept_as_a_moment_without_reading_a_clock() {
        let h = headers(&[("retry-after", "Wed, 01 May 2024 10:00:07 GMT")]);
        let e = Error::from_status(StatusCode::TOO_MANY_REQUESTS, &h, b"");
        let Error::RateLimited(r) = &e else {
            panic!("{e:?}")
        };
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_714_557_607);
        assert_eq!((r.retry_after, r.retry_at), (None, Some(at)));
        assert!(
            e.to_string()
                .contains("wait until Wed, 01 May 2024 10:00:07 GMT")
        );
    }

    #[test]
    fn undecodable_payloads_keep_the_decoder_error_as_source() {
        let json_error = serde_json::from_slice::<u32>(b"{").unwrap_err();
        let generated: awork_api::Error<()> =
            awork_api::Error::InvalidResponsePayload(b"{".to_vec().into(), json_error);
        let e = futures::executor::block_on(Error::from_generated(generated));
        let source = std::error::Error::source(&e).expect("a source");
        assert!(
            source.downcast_ref::<serde_json::Error>().is_some(),
            "{source:?}"
        );
    }

    #[test]
    fn excerpts_are_bounded() {
        let long = "x".repeat(1000);
        assert_eq!(excerpt(long.as_bytes()).chars().count(), EXCERPT_CHARS + 1);
        assert_eq!(excerpt(b"short"), "short");
    }
}
